//! The scholarly record of a built site (issue 23): a dek-style brief and a real-subtitle
//! brief through Highwire tags, cite.bib (parsed by the biblatex crate) and cite.ris;
//! publication types; ORCID iDs and affiliations; licences on the page, in JSON-LD and in the
//! Atom feed (read by Python's feedparser when it is installed); author pages' JSON-LD.

use crate::support::*;

/// The brief whose dek is a sentence, the other with a subtitle that is part of its title.
fn site() -> TestSite {
    let s = TestSite::new(&[
        (
            "content/authors/layla.md",
            "---\nname: Layla Haddad\nrole: Fellow\naffiliation: Test Institute\naffiliation_url: https://test.example/about/\norcid: https://orcid.org/0000-0002-1825-0097\n---\nLayla Haddad studies water agreements in the Tigris–Euphrates basin.\n\nShe also teaches.\n",
        ),
        (
            "content/briefs/iraq.md",
            &brief(
                "title: Iraqis Fear That Their Ally Will Leave\ndek: Baghdad has good reason to be concerned about the trajectory of the relationship.\ndate: 2026-02-03\nauthors: [layla]\ntype: commentary",
                "Body of the commentary.",
            ),
        ),
        (
            "content/briefs/storage.md",
            &brief(
                "title: Storage Before Generation\nsubtitle: Why the next bottleneck is hours, not gigawatts\ndate: 2026-02-10\nauthors: [layla]\ntype: working-paper\npublisher_series: Working Papers 7\nlicense: CC-BY-NC-4.0",
                "Body of the paper.",
            ),
        ),
    ]);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[metadata]\nlicense = \"CC-BY-4.0\"\n"),
    );
    s.build(&[]).ok();
    s
}

#[test]
fn issue_23_highwire_tags_for_a_dek_and_a_subtitle() {
    let s = site();
    let iraq = s.html("briefs/iraq/index.html");
    assert_eq!(
        metas(&iraq, "citation_title"),
        ["Iraqis Fear That Their Ally Will Leave"]
    );
    assert_eq!(metas(&iraq, "citation_author"), ["Haddad, Layla"]);
    assert_eq!(
        metas(&iraq, "citation_author_institution"),
        ["Test Institute"]
    );
    assert_eq!(
        metas(&iraq, "citation_author_orcid"),
        ["https://orcid.org/0000-0002-1825-0097"]
    );
    assert_eq!(metas(&iraq, "citation_publication_date"), ["2026/02/03"]);
    // Commentary is cited as an article: no technical-report tags.
    assert!(metas(&iraq, "citation_technical_report_institution").is_empty());
    // The dek is shown, and is the description, but never part of the title.
    assert_eq!(
        texts(&iraq, ".brief-dek"),
        ["Baghdad has good reason to be concerned about the trajectory of the relationship."]
    );
    assert_eq!(
        metas(&iraq, "description"),
        ["Baghdad has good reason to be concerned about the trajectory of the relationship."],
        "without a summary, the dek describes the brief"
    );
    let storage = s.html("briefs/storage/index.html");
    assert_eq!(
        metas(&storage, "citation_title"),
        ["Storage Before Generation: Why the next bottleneck is hours, not gigawatts"]
    );
    assert_eq!(
        metas(&storage, "citation_technical_report_institution"),
        ["Test Institute"]
    );
    assert_eq!(metas(&storage, "citation_technical_report_number"), ["7"]);
    assert_eq!(
        texts(&storage, ".brief-subtitle"),
        ["Why the next bottleneck is hours, not gigawatts"]
    );
    // Open Graph: absolute author URL, ll_CC locale.
    assert_eq!(
        metas(&storage, "article:author"),
        ["https://test.example/authors/layla/"]
    );
    assert_eq!(metas(&storage, "og:locale"), ["en_US"]);
}

#[test]
fn issue_23_cite_bib_and_ris_by_type() {
    let s = site();
    let bib = s.read("briefs/iraq/cite.bib");
    let parsed = biblatex::Bibliography::parse(&bib).expect("cite.bib parses");
    let e = parsed.iter().next().unwrap();
    assert_eq!(e.entry_type, biblatex::EntryType::Article);
    let title = biblatex::ChunksExt::to_biblatex_string(e.get("title").unwrap(), false);
    assert!(
        !title.contains("Baghdad"),
        "the dek is not in the title: {title}"
    );
    assert!(
        bib.contains("month        = feb,") || bib.contains("month       = feb,"),
        "{bib}"
    );
    let biblatex::PermissiveType::Typed(date) = e.date().unwrap() else {
        panic!("a typed date");
    };
    let biblatex::DateValue::At(at) = date.value else {
        panic!("one day");
    };
    assert_eq!(
        (at.year, at.month, at.day),
        (2026, Some(1), Some(2)),
        "months and days count from 0"
    );
    let paper = s.read("briefs/storage/cite.bib");
    let parsed = biblatex::Bibliography::parse(&paper).unwrap();
    let e = parsed.iter().next().unwrap();
    assert_eq!(e.entry_type, biblatex::EntryType::TechReport);
    let field = |k: &str| biblatex::ChunksExt::to_biblatex_string(e.get(k).unwrap(), false);
    assert_eq!(
        field("type"),
        "{Working Papers}",
        "a numbered series names the type"
    );
    assert_eq!(field("number"), "{7}");
    assert!(field("title").contains("Storage Before Generation: Why the next bottleneck"));
    let ris = s.read("briefs/iraq/cite.ris");
    assert!(
        ris.starts_with("TY  - JOUR\r\n") || ris.starts_with("TY  - JOUR\n"),
        "{ris}"
    );
    let ti: Vec<&str> = ris.lines().filter(|l| l.starts_with("TI  - ")).collect();
    assert_eq!(
        ti,
        ["TI  - Iraqis Fear That Their Ally Will Leave"],
        "{ris}"
    );
    assert!(
        ris.contains("\nAB  - Baghdad has good reason"),
        "the dek is the abstract: {ris}"
    );
    assert!(s.read("briefs/storage/cite.ris").starts_with("TY  - RPRT"));
}

#[test]
fn issue_23_authors_orcid_affiliation_and_description() {
    let s = site();
    let storage = s.html("briefs/storage/index.html");
    assert_eq!(
        attrs(&storage, ".author-box .orcid a", "href"),
        ["https://orcid.org/0000-0002-1825-0097"]
    );
    assert_eq!(
        texts(&storage, ".author-box .author-affiliation"),
        ["Test Institute"]
    );
    assert_eq!(
        attrs(&storage, ".author-box .author-affiliation a", "href"),
        ["https://test.example/about/"]
    );
    let ld: serde_json::Value = serde_json::from_str(
        &storage
            .select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    let person = &ld["author"][0];
    assert_eq!(person["sameAs"][0], "https://orcid.org/0000-0002-1825-0097");
    assert_eq!(person["affiliation"]["url"], "https://test.example/about/");
    assert_eq!(
        ld["license"],
        "https://creativecommons.org/licenses/by-nc/4.0/"
    );
    let author = s.html("authors/layla/index.html");
    let ld: serde_json::Value = serde_json::from_str(
        &author
            .select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    assert_eq!(
        ld["mainEntity"]["description"],
        "Layla Haddad studies water agreements in the Tigris–Euphrates basin."
    );
    assert_eq!(
        texts(&author, ".profile .orcid"),
        ["iD https://orcid.org/0000-0002-1825-0097"]
    );
}

#[test]
fn issue_23_a_mistyped_orcid_or_licence_is_an_error_at_its_line() {
    let s = TestSite::new(&[(
        "content/authors/x.md",
        "---\nname: X\norcid: 0000-0002-1825-0098\n---\n",
    )]);
    s.build(&[]).failed().says(
        "content/authors/x.md:3:8: error: `orcid`: \"0000-0002-1825-0098\" is not a valid ORCID iD",
    );
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief("title: A\ndate: 2026-01-01\nlicense: CC-BY-4", "x"),
    )]);
    s.build(&[])
        .failed()
        .says("content/briefs/a.md:4:10: error: `license`")
        .says("\"CC-BY-4.0\"");
    let s = TestSite::new(&[]);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[metadata]\nlicense = \"CC BY\"\n"),
    );
    s.build(&[])
        .failed()
        .says("site.toml:4:11: error: `license`");
}

#[test]
fn issue_23_licence_on_the_page_and_in_the_feed() {
    let s = site();
    let storage = s.html("briefs/storage/index.html");
    assert_eq!(
        attrs(&storage, "a[rel=license]", "href"),
        ["https://creativecommons.org/licenses/by-nc/4.0/"]
    );
    let iraq = s.html("briefs/iraq/index.html");
    assert_eq!(
        texts(&iraq, ".license a"),
        ["Creative Commons Attribution 4.0 International"]
    );
    let feed = s.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let rights: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rights"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(rights.len(), 3, "the feed's and each entry's");
    assert!(rights[0].starts_with("Creative Commons Attribution 4.0 International (CC-BY-4.0)"));
    if !python_module("feedparser") {
        return;
    }
    let script = "import feedparser, json, sys\nf = feedparser.parse(sys.argv[1])\nprint(json.dumps({'rights': f.feed.get('rights'), 'entries': [{'title': e.title, 'rights': e.get('rights'), 'license': e.get('license')} for e in f.entries], 'bozo': f.bozo}))";
    let v = python_json(&["-c", script], &[&s.path("public/feed.xml")]);
    assert_eq!(v["bozo"], false);
    let storage = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Storage Before Generation")
        .unwrap();
    assert_eq!(
        storage["license"],
        "https://creativecommons.org/licenses/by-nc/4.0/"
    );
    assert!(
        storage["rights"]
            .as_str()
            .unwrap()
            .contains("(CC-BY-NC-4.0)")
    );
}

#[test]
fn issue_23_check_warns_about_a_subtitle_that_is_a_sentence() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief(
            "title: A Title\nsubtitle: Baghdad has good reason to be concerned about the trajectory of the relationship.\ndate: 2026-01-01\nsummary: S.",
            "x",
        ),
    )]);
    let out = s.run(&["check"]).stdout;
    assert!(
        out.contains("3:11     warning  `subtitle` reads like a sentence"),
        "{out}"
    );
}
