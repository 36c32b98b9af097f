//! References inside briefs (issue 23): Pandoc citations resolved against a site-wide BibTeX
//! file and a brief's own CSL-JSON file, rendered in an author-date and a note style, compared
//! with hand-checked HTML; unknown keys and broken bibliographies as positioned errors; the
//! cited works in JSON-LD and Highwire tags; `check` on unused entries.
//!
//! The fixture is `tests/fixtures/references/` (fictional works); `site.notes.toml` switches it
//! to Chicago notes.

use std::path::Path;

use crate::support::*;

fn fixture() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/references"
    ))
}

fn build(env: Option<&str>) -> dossier::Build {
    let mut opts = dossier::BuildOptions::new(fixture());
    opts.now = Some("2026-01-01T00:00:00Z".parse().unwrap());
    opts.config.env = env.map(str::to_string);
    dossier::build(&opts).unwrap_or_else(|d| panic!("{d:?}"))
}

fn page(b: &dossier::Build) -> scraper::Html {
    let bytes = b
        .output
        .bytes("briefs/cited/index.html")
        .expect("the brief");
    scraper::Html::parse_document(std::str::from_utf8(&bytes).unwrap())
}

fn inner(doc: &scraper::Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| e.inner_html()).collect()
}

#[test]
fn issue_23_author_date_citations_and_reference_list() {
    let doc = page(&build(None));
    let cites = inner(&doc, ".brief-body > p .citation");
    let expected = [
        r##"(<a class="citation-ref" href="#ref-okoro2023grid">Okoro and Lindqvist 2023</a>)"##,
        r##"(<a class="citation-ref" href="#ref-haddad2021water">Haddad 2021, 110</a>)"##,
        r##"(see <a class="citation-ref" href="#ref-marsh2019">Marsh 2019, chap. 3</a>; <a class="citation-ref" href="#ref-reyes2020">Reyes 2020, 40–45</a>)"##,
        r##"<a class="citation-ref" href="#ref-statbureau2024">National Statistics Bureau (2024)</a>"##,
        r##"<a class="citation-ref" href="#ref-benali2020tariffs">Benali and Kowalczyk (2020, 215)</a>"##,
        r##"(<a class="citation-ref" href="#ref-worldwater2022">Global Water Forum 2022</a>; <a class="citation-ref" href="#ref-vandam2017">Dam 2017</a>)"##,
        r##"(<a class="citation-ref" href="#ref-portsdata2024">2024</a>)"##,
    ];
    assert_eq!(cites, expected);
    // Inside an author's footnote, the citation stays in the note.
    assert_eq!(
        inner(&doc, "#fn-1 .citation"),
        [
            r##"(<a class="citation-ref" href="#ref-okoro2023grid">Okoro and Lindqvist 2023, 4</a>)"##
        ]
    );
    // Every in-text link lands on an entry of the reference list.
    let ids = attrs(&doc, ".references li", "id");
    for href in attrs(&doc, ".citation-ref", "href") {
        assert!(ids.contains(&href[1..].to_string()), "{href} has no entry");
    }
    assert_eq!(texts(&doc, ".references-title"), ["References"]);
    let entries = inner(&doc, ".references li");
    assert_eq!(
        entries.len(),
        9,
        "every cited work once, the uncited entry left out"
    );
    for want in [
        r#"Benali, Samir, and Ewa Kowalczyk. 2020. “Tariffs, Subsidies and the Politics of Power Cuts.” <i>Energy Policy Review</i> 31 (4): 212–30. <a dir="ltr" href="https://doi.org/10.5555/epr.2020.31.4">https://doi.org/10.5555/epr.2020.31.4</a>."#,
        r#"Haddad, Layla. 2021. “Upstream Dams and Downstream Bargains.” <i>Journal of Transboundary Water</i> 9 (2): 101–25. <a dir="ltr" href="https://doi.org/10.5555/jtw.2021.9.2">https://doi.org/10.5555/jtw.2021.9.2</a>."#,
        r#"Okoro, Chidi, and Maja Lindqvist. 2023. <i>Balancing Markets for Small Grids</i>. Working Paper No. 14. Northern Energy Observatory. <a dir="ltr" href="https://doi.org/10.5555/neo.wp14">https://doi.org/10.5555/neo.wp14</a>."#,
        r#"Reyes, Tomás. 2020. “Ports as Public Goods.” In <i>The Maritime State</i>, edited by Ji-woo Ahn. Coastline Books."#,
        r#"National Statistics Bureau. 2024. “Electricity Prices by Region, 2015–2024.” <a dir="ltr" href="https://stats.example.org/electricity">https://stats.example.org/electricity</a>."#,
        r#"Harbour Policy Centre. 2024. “Port Electrification Tracker.” Dataset. Harbour Policy Centre. <a dir="ltr" href="https://harbour.example/data/ports">https://harbour.example/data/ports</a>."#,
    ] {
        assert!(
            entries.iter().any(|e| e == want),
            "missing {want}\nin {entries:#?}"
        );
    }
    // Not citations: an e-mail address, code, an escaped at-sign, a name no bibliography has.
    let body = texts(&doc, ".brief-body > p").join("\n");
    assert!(body.contains("press@harbour.example"));
    assert!(body.contains("follow @harbour_news and @okoro2023grid."));
    assert_eq!(texts(&doc, ".brief-body code"), ["@okoro2023grid"]);
}

#[test]
fn issue_23_note_style_merges_citations_with_footnotes() {
    let doc = page(&build(Some("notes")));
    assert!(
        doc.select(&sel(".brief-body > p .citation-ref"))
            .next()
            .is_none()
    );
    let notes = inner(&doc, ".footnotes li > p");
    let strip = |s: &str| s[..s.rfind(" <a ").unwrap_or(s.len())].to_string();
    let notes: Vec<String> = notes.iter().map(|n| strip(n)).collect();
    let expected = [
        r#"Chidi Okoro and Maja Lindqvist, <i>Balancing Markets for Small Grids</i>, Working Paper no. 14 (Northern Energy Observatory, 2023), <a dir="ltr" href="https://doi.org/10.5555/neo.wp14">https://doi.org/10.5555/neo.wp14</a>."#,
        r#"Layla Haddad, “Upstream Dams and Downstream Bargains,” <i>Journal of Transboundary Water</i> 9, no. 2 (2021): 110, <a dir="ltr" href="https://doi.org/10.5555/jtw.2021.9.2">https://doi.org/10.5555/jtw.2021.9.2</a>."#,
        r#"See Eleanor Marsh, <i>Fiscal Federalism in Practice</i> (Harbour Academic Press, 2019), chap. 3; Tomás Reyes, “Ports as Public Goods,” in <i>The Maritime State</i>, ed. Ji-woo Ahn (Coastline Books, 2020), 40–45."#,
        r#"National Statistics Bureau, “Electricity Prices by Region, 2015–2024,” 2024, <a dir="ltr" href="https://stats.example.org/electricity">https://stats.example.org/electricity</a>."#,
        r#"Samir Benali and Ewa Kowalczyk, “Tariffs, Subsidies and the Politics of Power Cuts,” <i>Energy Policy Review</i> 31, no. 4 (2020): 215, <a dir="ltr" href="https://doi.org/10.5555/epr.2020.31.4">https://doi.org/10.5555/epr.2020.31.4</a>."#,
        r#"Global Water Forum, <i>Shared Rivers Outlook 2022</i> (Global Water Forum, 2022), <a dir="ltr" href="https://water.example.org/outlook-2022">https://water.example.org/outlook-2022</a>; Pieter van Dam, <i>Rivers Without Borders</i> (Delta University Press, 2017)."#,
        r#"Harbour Policy Centre, “Port Electrification Tracker,” Dataset, Harbour Policy Centre, 2024, <a dir="ltr" href="https://harbour.example/data/ports">https://harbour.example/data/ports</a>."#,
        r#"The tracker is updated monthly <span class="citation" data-cites="okoro2023grid">(Okoro and Lindqvist, <i>Balancing Markets for Small Grids</i>, 4)</span>."#,
    ];
    assert_eq!(
        notes, expected,
        "one numbering: seven citations, then the author's note"
    );
    // The note mark follows the punctuation; an author named in the sentence keeps the name.
    let first = inner(&doc, ".brief-body > p").remove(0);
    assert!(
        first.starts_with(r##"Small grids struggle to balance supply.<sup class="footnote-ref""##),
        "{first}"
    );
    assert!(first.contains(r#"<span class="citation" data-cites="statbureau2024">National Statistics Bureau</span><sup"#));
    assert_eq!(attrs(&doc, ".footnote-ref a", "href").len(), 8);
    assert_eq!(texts(&doc, ".references li").len(), 9);
}

#[test]
fn issue_23_cited_works_in_json_ld_and_highwire() {
    let doc = page(&build(None));
    let json: serde_json::Value = serde_json::from_str(
        &doc.select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    let cited = json["citation"].as_array().expect("citation list");
    assert_eq!(cited.len(), 9);
    assert_eq!(cited[0]["@type"], "Report");
    assert_eq!(cited[0]["name"], "Balancing Markets for Small Grids");
    assert_eq!(cited[0]["identifier"]["value"], "10.5555/neo.wp14");
    assert_eq!(cited[1]["@type"], "ScholarlyArticle");
    assert_eq!(
        cited[1]["isPartOf"]["name"],
        "Journal of Transboundary Water"
    );
    assert_eq!(
        json["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let refs = attrs(&doc, "meta[name=citation_reference]", "content");
    assert_eq!(refs.len(), 9);
    assert_eq!(
        refs[1],
        "citation_title=Upstream Dams and Downstream Bargains; citation_author=Haddad, Layla; citation_publication_date=2021/06; citation_journal_title=Journal of Transboundary Water; citation_volume=9; citation_issue=2; citation_firstpage=101; citation_lastpage=125; citation_doi=10.5555/jtw.2021.9.2"
    );
    // The bibliographies are read, not published.
    let b = build(None);
    assert!(b.output.bytes("briefs/cited/extra.json").is_none());
}

fn cited_site(body: &str, bib: &str) -> TestSite {
    let s = TestSite::new(&[
        ("refs.bib", bib),
        (
            "content/briefs/a.md",
            &brief("title: A\ndate: 2026-01-01", body),
        ),
    ]);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[citations]\nbibliography = \"refs.bib\"\n"),
    );
    s
}

const ONE_ENTRY: &str = "@book{known,\n  author = {Marsh, Eleanor},\n  title = {Known},\n  year = {2019},\n  publisher = {P},\n}\n";

#[test]
fn issue_23_unknown_keys_are_errors_at_their_position() {
    let s = cited_site(
        "First [@known].\n\nThen [see @known; @missing, p. 4].",
        ONE_ENTRY,
    );
    // brief() puts front matter on lines 1–4, the body from line 5.
    s.build(&[]).failed().says(
        "content/briefs/a.md:7:6: error: no bibliography entry `missing` (searched refs.bib)",
    );
    assert!(!s.exists("public/index.html"), "nothing written");
    // An unknown name in the text is not an error; `check` warns about it.
    let s = cited_site("As @nobody says, [@known].", ONE_ENTRY);
    s.build(&[]).ok();
    let run = s.run(&["check"]);
    assert!(
        run.stdout
            .contains("5:4      warning  `@nobody` looks like a citation"),
        "{}",
        run.stdout
    );
}

#[test]
fn issue_23_broken_bibliographies_are_errors_with_positions() {
    let s = cited_site("[@known]", "@book{known,\n  title = {Unclosed,\n");
    s.build(&[])
        .failed()
        .says("refs.bib:3:1: error: BibTeX: unexpected end of file");
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nbibliography: gone.bib\n---\n[@x]\n",
    )]);
    s.build(&[]).failed().says(
        "content/briefs/a.md:4:15: error: `bibliography`: cannot read content/briefs/gone.bib",
    );
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nbibliography: ../../../etc/refs.bib\n---\n",
    )]);
    s.build(&[]).failed().says("`..` is not allowed");
    let s = cited_site("x", ONE_ENTRY);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[citations]\nstyle = \"chicago-author-dates\"\n"),
    );
    s.build(&[])
        .failed()
        .says("site.toml:4:9: error: no citation style \"chicago-author-dates\"");
}

#[test]
fn issue_23_check_reports_uncited_entries() {
    let s = cited_site(
        "[@known]",
        &format!(
            "{ONE_ENTRY}\n@book{{spare,\n  author = {{Nobody, A.}},\n  title = {{Spare}},\n  year = {{2020}},\n}}\n"
        ),
    );
    let out = s.run(&["check"]).stdout;
    assert!(out.contains("\nrefs.bib\n"), "{out}");
    assert!(
        out.contains(
            "8:1      warning  bibliography entry `spare` is not cited by any published brief"
        ),
        "{out}"
    );
    assert!(!out.contains("`known` is not cited"), "{out}");
}

#[test]
fn issue_23_a_real_client_reads_the_metadata() {
    if !python_module("extruct") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let b = build(None);
    let html = b.output.bytes("briefs/cited/index.html").unwrap();
    let file = dir.path().join("page.html");
    std::fs::write(&file, &html).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/extract_metadata.py"
    );
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .arg("https://harbour.example/briefs/cited/")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ld = &v["json-ld"][0];
    assert_eq!(ld["headline"], "Who Pays for Shared Water and Power");
    assert_eq!(ld["author"][0]["name"], "Inês Barros");
    assert_eq!(ld["datePublished"], "2025-04-02T00:00:00Z");
    assert_eq!(
        ld["citation"][1]["identifier"]["value"],
        "10.5555/jtw.2021.9.2"
    );
    assert_eq!(ld["citation"].as_array().unwrap().len(), 9);
    let og = &v["opengraph"][0];
    assert_eq!(og["og:title"], "Who Pays for Shared Water and Power");
    assert_eq!(og["og:locale"], "en_US");
    assert_eq!(
        og["article:author"],
        "https://harbour.example/authors/ines-barros/"
    );
}

#[test]
fn issue_23_a_site_csl_file_is_a_style() {
    let s = cited_site("As argued [@known, p. 3].", ONE_ENTRY);
    s.write(
        "styles/house.csl",
        r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>House</title><id>house</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout prefix="[" suffix="]" delimiter="; ">
      <names variable="author"><name form="short"/></names>
      <date variable="issued" prefix=" "><date-part name="year"/></date>
      <text variable="locator" prefix=": "/>
    </layout>
  </citation>
  <bibliography>
    <layout><names variable="author"><name/></names><text variable="title" prefix=": " font-style="italic"/></layout>
  </bibliography>
</style>
"#,
    );
    s.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[citations]\nbibliography = \"refs.bib\"\nstyle = \"styles/house.csl\"\n"
        ),
    );
    s.build(&[]).ok();
    let doc = s.html("briefs/a/index.html");
    assert_eq!(texts(&doc, ".citation"), ["[Marsh 2019: 3]"]);
    assert_eq!(texts(&doc, ".references li"), ["Eleanor Marsh: Known"]);
    s.write("styles/house.csl", "<style>not CSL");
    s.build(&[])
        .failed()
        .says("site.toml:5:9: error: `style`: styles/house.csl:");
}
