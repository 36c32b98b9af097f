//! Hostile front matter, escaped per output kind (issue 6): HTML pages, Atom feeds, the
//! sitemap, JSON Feed, JSON-LD, cite.bib and cite.ris.

use crate::support::*;

/// Title, author name and summary with markup, CDATA ends, ampersands and control characters.
const TITLE: &str =
    "</title><script>alert(1)</script> \\\"><img src=x onerror=alert(2)> ]]> & \\f \\0 end";
const NAME: &str = "Eve \\\"><img src=x onerror=alert(3)> </script>";
const SUMMARY: &str = "Summary ]]> <b>bold</b> & \\u0001 \\u2028 </script><!--";

fn hostile_site() -> TestSite {
    let s = TestSite::new(&[(
        "content/briefs/evil.md",
        &format!(
            "---\ntitle: \"{TITLE}\"\ndate: 2024-01-01\nauthors: [\"{NAME}\"]\ntopics: [\"<script>x</script>\"]\nsummary: \"{SUMMARY}\"\nsubtitle: \"'single' & \\\"double\\\"\"\n---\nBody.\n"
        ),
    )]);
    s.build(&[]).ok();
    s
}

#[test]
fn issue_6_html_pages_escape_front_matter() {
    let s = hostile_site();
    for page in ["briefs/evil/index.html", "index.html", "topics/index.html"] {
        let html = s.read(page);
        let doc = s.html(page);
        // No injected elements or handlers: every <script> is one of ours, no <img onerror>.
        for script in doc.select(&sel("script")) {
            let t = script.value().attr("type").unwrap_or("");
            let src = script.value().attr("src").unwrap_or("");
            assert!(
                t == "application/ld+json" || src.ends_with("dossier.js"),
                "{page}: unexpected script {:?}",
                script.html()
            );
        }
        assert!(doc.select(&sel("img[onerror]")).next().is_none(), "{page}");
        assert!(!html.contains('\0'), "{page} has a NUL");
        assert!(!html.contains('\u{1}'), "{page} has a control character");
    }
    let doc = s.html("briefs/evil/index.html");
    let h1 = texts(&doc, "h1")[0].clone();
    assert!(
        h1.starts_with("</title><script>alert(1)</script>"),
        "the title reads as text: {h1}"
    );
    assert!(h1.contains('\u{fffd}'), "NUL became U+FFFD");
    assert_eq!(texts(&doc, "title").len(), 1);
}

#[test]
fn issue_6_feeds_and_sitemap_stay_well_formed_xml() {
    let s = hostile_site();
    for f in [
        "feed.xml",
        "sitemap.xml",
        "authors/eve-img-src-x-onerror-alert-3-script/feed.xml",
        "topics/script-x-script/feed.xml",
    ] {
        let text = s.read(f);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
        if f == "feed.xml" {
            let title = doc
                .descendants()
                .find(|n| n.has_tag_name("entry"))
                .unwrap()
                .children()
                .find(|c| c.has_tag_name("title"))
                .unwrap();
            let t = title.text().unwrap();
            assert!(
                t.starts_with("</title><script>")
                    && t.contains("]]>")
                    && !t.contains('\u{c}')
                    && !t.contains('\0'),
                "{t:?}"
            );
        }
    }
}

#[test]
fn issue_6_json_outputs_stay_valid_json_without_raw_script_ends() {
    let s = hostile_site();
    let feed: serde_json::Value =
        serde_json::from_str(&s.read("feed.json")).expect("feed.json parses");
    assert!(
        feed["items"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("</title><script>")
    );
    let html = s.read("briefs/evil/index.html");
    let start = html.find("<script type=\"application/ld+json\">").unwrap()
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let json = &html[start..end];
    assert!(
        !json.to_lowercase().contains("</script") && !json.contains("<!--"),
        "raw script end inside JSON-LD"
    );
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON-LD parses");
    assert!(
        v["headline"]
            .as_str()
            .unwrap()
            .starts_with("</title><script>")
    );
    assert_eq!(
        v["author"][0]["name"],
        "Eve \"><img src=x onerror=alert(3)> </script>"
    );
}

#[test]
fn issue_6_citations_escape_hostile_titles() {
    let s = hostile_site();
    let doc = s.html("briefs/evil/index.html");
    assert!(texts(&doc, "#cite-apa")[0].contains("</title><script>alert(1)</script>"));
    let bib = s.read("briefs/evil/cite.bib");
    biblatex::Bibliography::parse(&bib).expect("cite.bib parses");
    assert!(
        s.read("briefs/evil/cite.ris")
            .split("\r\n")
            .all(|l| l.is_empty() || &l[2..6] == "  - ")
    );
}

#[test]
fn issue_6_raw_html_policy_from_site_toml() {
    let body = "[click](javascript:alert(1))\n\n<div class=\"chart\"><script>draw()</script><a href=\"&#106;avascript:x\">x</a></div>\n";
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief("title: A\ndate: 2024-01-01", body),
    )]);
    s.build(&[]).ok();
    let allow = s.read("briefs/a/index.html");
    assert!(
        allow.contains("<script>draw()</script>"),
        "allow keeps embeds"
    );
    assert!(
        !allow.to_lowercase().contains("javascript:") && !allow.contains("&#106;avascript"),
        "but never javascript: links"
    );
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nraw_html = \"sanitize\"\n"),
    );
    s.build(&[]).ok();
    let doc = s.html("briefs/a/index.html");
    assert_eq!(doc.select(&sel(".brief-body script")).count(), 0);
    assert_eq!(
        attrs(&doc, ".brief-body a", "href")
            .iter()
            .filter(|h| h.contains("script"))
            .count(),
        0
    );
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nraw_html = \"maybe\"\n"),
    );
    s.build(&[])
        .failed()
        .says("site.toml:4:")
        .says("`raw_html` must be");
}
