//! Scholarly and social metadata (issue 4): JSON-LD, Highwire tags, Open Graph, citations,
//! cite.bib / cite.ris, JSON Feed.

use crate::support::*;
use serde_json::Value;

fn author(name: &str, extra: &str) -> String {
    format!(
        "---\nname: {name}\nrole: Fellow\naffiliation: Test Institute\n{extra}---\nBio of {name}.\n"
    )
}

/// A site with a multi-author brief whose names are hard to cite.
fn scholarly_site() -> TestSite {
    let s = TestSite::new(&[
        (
            "content/authors/renee.md",
            &author(
                "Renée Okafor-Laurent",
                "citation_name: \"Okafor-Laurent, Renée\"\n",
            ),
        ),
        ("content/authors/tariq.md", &author("Tariq al-Hashimi", "")),
        (
            "content/authors/ingrid.md",
            &author("Ingrid van der Berg", ""),
        ),
        (
            "content/authors/siobhan.md",
            &author("Siobhán O’Connor", ""),
        ),
        (
            "content/authors/institute.md",
            &author(
                "Test Institute Staff",
                "citation_name: Test Institute Staff\n",
            ),
        ),
        (
            "content/briefs/water/index.md",
            &brief(
                "title: Water & Power\nsubtitle: A \"hard\" case\ndate: 2026-03-05\nupdated: 2026-03-06\nauthors: [renee, tariq, ingrid, siobhan, institute]\ntopics: [Water, Energy]\nregions: [Middle East]\ndoi: https://doi.org/10.5555/test.1\npdf: report.pdf\npublisher_series: Policy Notes 152\nimage: hero.png\nimage_alt: A river\ncorrections:\n  - date: 2026-04-01\n    note: Fixed a figure.",
                "Body.",
            ),
        ),
        ("content/briefs/water/report.pdf", "%PDF-1.4"),
        ("content/briefs/water/hero.png", "png"),
        (
            "content/briefs/solo.md",
            &brief(
                "title: Solo\ndate: 2026-01-01\nauthors: [tariq]",
                "Solo body.",
            ),
        ),
    ]);
    s.write("site.toml", &format!("{SITE_TOML}[metadata]\nschema_type = \"ScholarlyArticle\"\npublisher = \"Test Institute\"\nlogo = \"/logo.svg\"\n"));
    s.write("static/logo.svg", "<svg/>");
    s.build(&[]).ok();
    s
}

fn json_ld(doc: &scraper::Html) -> Value {
    let scripts: Vec<String> = doc
        .select(&sel("script[type='application/ld+json']"))
        .map(|e| e.inner_html())
        .collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD block");
    serde_json::from_str(&scripts[0]).expect("JSON-LD parses")
}

#[test]
fn issue_4_brief_json_ld() {
    let s = scholarly_site();
    let doc = s.html("briefs/water/index.html");
    let j = json_ld(&doc);
    assert_eq!(j["@context"], "https://schema.org");
    assert_eq!(j["@type"], "ScholarlyArticle");
    assert_eq!(j["headline"], "Water & Power");
    assert_eq!(j["alternativeHeadline"], "A \"hard\" case");
    assert_eq!(j["datePublished"], "2026-03-05T00:00:00Z");
    assert_eq!(
        j["dateModified"], "2026-04-01T00:00:00Z",
        "the correction bumps dateModified"
    );
    assert_eq!(j["inLanguage"], "en");
    assert_eq!(j["keywords"], serde_json::json!(["Water", "Energy"]));
    assert_eq!(j["image"], "https://test.example/briefs/water/hero.png");
    assert_eq!(j["publisher"]["name"], "Test Institute");
    assert_eq!(
        j["publisher"]["logo"]["url"],
        "https://test.example/logo.svg"
    );
    let authors = j["author"].as_array().unwrap();
    assert_eq!(authors.len(), 5);
    assert_eq!(authors[0]["@type"], "Person");
    assert_eq!(authors[0]["name"], "Renée Okafor-Laurent");
    assert_eq!(authors[0]["jobTitle"], "Fellow");
    assert_eq!(authors[0]["affiliation"]["name"], "Test Institute");
    assert_eq!(authors[0]["url"], "https://test.example/authors/renee/");
}

/// The schema.org properties each type used by dossier may carry (from schema.org's
/// definitions, inherited properties included).
fn schema_org_allows(ty: &str, prop: &str) -> bool {
    let thing = [
        "@context",
        "@type",
        "@id",
        "name",
        "url",
        "description",
        "image",
        "sameAs",
        "identifier",
        "mainEntityOfPage",
    ];
    let creative = [
        "headline",
        "alternativeHeadline",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "keywords",
        "inLanguage",
        "wordCount",
        "isPartOf",
    ];
    match ty {
        "Article" | "ScholarlyArticle" | "Report" => {
            thing.contains(&prop) || creative.contains(&prop)
        }
        "Person" => thing.contains(&prop) || ["jobTitle", "affiliation"].contains(&prop),
        "Organization" => thing.contains(&prop) || prop == "logo",
        "ImageObject" => thing.contains(&prop),
        "WebPage" | "ProfilePage" | "WebSite" => {
            thing.contains(&prop) || ["mainEntity", "inLanguage", "publisher"].contains(&prop)
        }
        "PropertyValue" => thing.contains(&prop) || ["propertyID", "value"].contains(&prop),
        "PublicationIssue" => thing.contains(&prop),
        _ => false,
    }
}

fn check_schema(v: &Value, path: &str, problems: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(ty) = m.get("@type").and_then(Value::as_str) {
                for k in m.keys() {
                    if !schema_org_allows(ty, k) {
                        problems.push(format!("{path}: {ty} has no property {k}"));
                    }
                }
            }
            for (k, child) in m {
                check_schema(child, &format!("{path}.{k}"), problems);
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| check_schema(c, &format!("{path}[{i}]"), problems)),
        _ => {}
    }
}

#[test]
fn issue_4_json_ld_uses_only_schema_org_types_and_properties() {
    let s = scholarly_site();
    for page in [
        "briefs/water/index.html",
        "authors/tariq/index.html",
        "index.html",
    ] {
        let mut problems = Vec::new();
        check_schema(&json_ld(&s.html(page)), page, &mut problems);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[test]
fn issue_4_author_and_home_json_ld() {
    let s = scholarly_site();
    let a = json_ld(&s.html("authors/ingrid/index.html"));
    assert_eq!(a["@type"], "ProfilePage");
    assert_eq!(a["mainEntity"]["@type"], "Person");
    assert_eq!(a["mainEntity"]["name"], "Ingrid van der Berg");
    assert_eq!(a["mainEntity"]["jobTitle"], "Fellow");
    let h = json_ld(&s.html("index.html"));
    let types: Vec<&str> = h["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["@type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["WebSite", "Organization"]);
    assert_eq!(h["@graph"][0]["name"], "Test Institute");
}

#[test]
fn issue_4_highwire_tags_on_a_multi_author_brief() {
    let s = scholarly_site();
    let doc = s.html("briefs/water/index.html");
    assert_eq!(
        metas(&doc, "citation_title"),
        ["Water & Power: A \"hard\" case"]
    );
    assert_eq!(
        metas(&doc, "citation_author"),
        [
            "Okafor-Laurent, Renée",
            "al-Hashimi, Tariq",
            "van der Berg, Ingrid",
            "O’Connor, Siobhán",
            "Test Institute Staff"
        ]
    );
    assert_eq!(metas(&doc, "citation_publication_date"), ["2026/03/05"]);
    assert_eq!(metas(&doc, "citation_publisher"), ["Test Institute"]);
    assert_eq!(metas(&doc, "citation_language"), ["en"]);
    assert_eq!(
        metas(&doc, "citation_pdf_url"),
        ["https://test.example/briefs/water/report.pdf"]
    );
    assert_eq!(metas(&doc, "citation_doi"), ["10.5555/test.1"]);
    assert_eq!(metas(&doc, "citation_technical_report_number"), ["152"]);
    // No PDF or DOI: no such tags.
    let solo = s.html("briefs/solo/index.html");
    assert!(metas(&solo, "citation_pdf_url").is_empty());
    assert!(metas(&solo, "citation_doi").is_empty());
    assert_eq!(texts(&doc, "a.pdf-link"), ["Download PDF"]);
}

#[test]
fn issue_4_open_graph_and_twitter_and_canonical() {
    let s = scholarly_site();
    let doc = s.html("briefs/water/index.html");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://test.example/briefs/water/"]
    );
    assert_eq!(texts(&doc, "title"), ["Water & Power | Test Institute"]);
    assert_eq!(metas(&doc, "description"), ["Body."]);
    assert_eq!(metas(&doc, "og:title"), ["Water & Power"]);
    assert_eq!(metas(&doc, "og:type"), ["article"]);
    assert_eq!(
        metas(&doc, "og:image"),
        // The 64-pixel hero is too small to crop: a card is drawn instead (issue 26).
        ["https://test.example/briefs/water/share-card.png"]
    );
    assert_eq!(
        metas(&doc, "article:published_time"),
        ["2026-03-05T00:00:00Z"]
    );
    assert_eq!(metas(&doc, "article:author").len(), 5);
    assert_eq!(metas(&doc, "article:tag"), ["Water", "Energy"]);
    assert_eq!(metas(&doc, "twitter:card"), ["summary_large_image"]);
}

#[test]
fn issue_4_citation_strings_for_tricky_names() {
    let s = scholarly_site();
    let doc = s.html("briefs/water/index.html");
    let apa = texts(&doc, "#cite-apa")[0].clone();
    let chicago = texts(&doc, "#cite-chicago")[0].clone();
    let mla = texts(&doc, "#cite-mla")[0].clone();
    assert_eq!(
        apa,
        "Okafor-Laurent, R., al-Hashimi, T., van der Berg, I., O’Connor, S., & Test Institute Staff. (2026). Water & Power: A \"hard\" case (Policy Notes No. 152). Test Institute. https://doi.org/10.5555/test.1"
    );
    assert_eq!(
        chicago,
        "Okafor-Laurent, Renée, Tariq al-Hashimi, Ingrid van der Berg, Siobhán O’Connor, and Test Institute Staff. Water & Power: A \"Hard\" Case. Policy Notes No. 152. Test Institute, 2026. https://doi.org/10.5555/test.1."
    );
    assert_eq!(
        mla,
        "Okafor-Laurent, Renée, et al. Water & Power: A \"Hard\" Case. Policy Notes no. 152, Test Institute, 5 Mar. 2026, https://doi.org/10.5555/test.1."
    );
    let solo = s.html("briefs/solo/index.html");
    assert_eq!(
        texts(&solo, "#cite-apa")[0],
        "al-Hashimi, T. (2026). Solo [Policy brief]. Test Institute. https://test.example/briefs/solo/"
    );
}

#[test]
fn issue_4_cite_bib_parses_as_bibtex() {
    let s = scholarly_site();
    let bib = s.read("briefs/water/cite.bib");
    let parsed = biblatex::Bibliography::parse(&bib).expect("cite.bib parses");
    let entry = parsed.iter().next().expect("one entry");
    assert_eq!(entry.entry_type, biblatex::EntryType::TechReport);
    let authors = entry.author().unwrap();
    let names: Vec<String> = authors
        .iter()
        .map(|p| format!("{}|{}|{}", p.prefix, p.name, p.given_name))
        .collect();
    assert_eq!(
        names,
        [
            "|Okafor-Laurent|Renée",
            "|al-Hashimi|Tariq",
            "van der|Berg|Ingrid",
            "|O’Connor|Siobhán",
            "|Test Institute Staff|"
        ]
    );
    let field = |k: &str| {
        entry
            .get(k)
            .map(|chunks| {
                biblatex::ChunksExt::to_biblatex_string(chunks, false)
                    .trim_matches(['{', '}'])
                    .to_string()
            })
            .unwrap_or_default()
    };
    assert!(field("title").contains("Water"), "{}", field("title"));
    assert_eq!(field("doi"), "10.5555/test.1");
    assert_eq!(field("number"), "152");
    assert_eq!(field("url"), "https://test.example/briefs/water/");
}

#[test]
fn issue_4_cite_ris_line_by_line() {
    let s = scholarly_site();
    let ris = s.read("briefs/water/cite.ris");
    let lines: Vec<&str> = ris.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"TY  - RPRT"));
    assert_eq!(lines.last(), Some(&"ER  - "));
    for l in &lines {
        assert!(
            l.len() >= 6
                && &l[2..6] == "  - "
                && l[..2]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "bad RIS line {l:?}"
        );
    }
    let au: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("AU  - "))
        .collect();
    assert_eq!(
        au,
        [
            "Okafor-Laurent, Renée",
            "al-Hashimi, Tariq",
            "van der Berg, Ingrid",
            "O’Connor, Siobhán",
            "Test Institute Staff"
        ]
    );
    assert!(lines.contains(&"DO  - 10.5555/test.1"));
    assert!(lines.contains(&"DA  - 2026/03/05"));
    assert!(lines.contains(&"T3  - Policy Notes"));
}

#[test]
fn issue_4_json_feed() {
    let s = scholarly_site();
    let feed: Value = serde_json::from_str(&s.read("feed.json")).expect("feed.json parses");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://test.example/feed.json");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["title"], "Water & Power");
    assert_eq!(items[0]["url"], "https://test.example/briefs/water/");
    assert_eq!(items[0]["date_modified"], "2026-04-01T00:00:00Z");
    assert_eq!(items[0]["authors"][1]["name"], "Tariq al-Hashimi");
    assert_eq!(items[0]["tags"], serde_json::json!(["Water", "Energy"]));
}

#[test]
fn issue_4_corrections_log_and_feed_dates() {
    let s = scholarly_site();
    let doc = s.html("briefs/water/index.html");
    assert_eq!(
        texts(&doc, ".corrections li"),
        ["1 April 2026: Fixed a figure."]
    );
    let atom = s.read("feed.xml");
    let x = roxmltree::Document::parse(&atom).unwrap();
    let entry = x.descendants().find(|n| n.has_tag_name("entry")).unwrap();
    let updated = entry
        .children()
        .find(|c| c.has_tag_name("updated"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(updated, "2026-04-01T00:00:00Z");
    assert!(s.read("sitemap.xml").contains(
        "<loc>https://test.example/briefs/water/</loc><lastmod>2026-04-01T00:00:00Z</lastmod>"
    ));
}

#[test]
fn issue_4_hostile_front_matter_stays_inert_in_json_ld() {
    let s = TestSite::new(&[(
        "content/briefs/x.md",
        &brief(
            "title: \"</script><script>alert(1)</script> & \\u2028\"\ndate: 2026-01-01\nsummary: \"\\\"><img onerror=alert(1)>\"",
            "x",
        ),
    )]);
    s.build(&[]).ok();
    let html = s.read("briefs/x/index.html");
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script").count(),
        "no script closed early"
    );
    assert!(!html.contains("<img onerror"));
    let j = json_ld(&s.html("briefs/x/index.html"));
    assert!(
        j["headline"]
            .as_str()
            .unwrap()
            .starts_with("</script><script>")
    );
}

#[test]
fn issue_4_pdf_must_be_in_the_bundle() {
    let s = TestSite::new(&[(
        "content/briefs/x.md",
        &brief("title: T\ndate: 2026-01-01\npdf: missing.pdf", "x"),
    )]);
    s.build(&[]).failed().says(
        "content/briefs/x.md:4:6: error: `pdf` file \"missing.pdf\" is not in the brief's bundle",
    );
}
