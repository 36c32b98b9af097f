//! The repository root is a demo site: build it and check it as a reader and a crawler would.

use std::path::Path;

use crate::support::*;

fn build_demo(extra: &[&str]) -> (tempfile::TempDir, Run) {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let out_dir = out.path().join("site");
    let mut args = vec![
        "build",
        "--root",
        root,
        "--output",
        out_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = run_in(Path::new(root), &args);
    (out, run)
}

#[test]
fn demo_site_builds_and_every_internal_link_resolves() {
    let (out, run) = build_demo(&[]);
    run.ok();
    assert!(run.stdout.contains("Built "), "{}", run.stdout);
    assert!(run.stdout.contains(" briefs"), "{}", run.stdout);
    assert!(
        run.stderr.is_empty(),
        "the demo site builds without warnings:\n{}",
        run.stderr
    );
    let site = out.path().join("site");
    let broken = broken_links(&site, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn demo_site_feeds_and_sitemap_are_xml_with_absolute_urls() {
    let (out, run) = build_demo(&[]);
    run.ok();
    let site = out.path().join("site");
    let files = snapshot_dir(&site);
    let xml_files: Vec<&String> = files.keys().filter(|k| k.ends_with(".xml")).collect();
    assert!(
        xml_files.len() > 10,
        "feeds for site, authors and topics: {xml_files:?}"
    );
    for f in xml_files {
        let text = String::from_utf8(files[f].clone()).unwrap();
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{f} is not XML: {e}"));
        for n in doc.descendants() {
            for a in n.attributes().filter(|a| a.name() == "href") {
                // The site's own pages, or another site's (a licence deed).
                let own = a.value().starts_with("https://meridian.example.org/");
                let licence = n.attribute("rel") == Some("license")
                    && a.value().starts_with("https://creativecommons.org/");
                assert!(own || licence, "{f}: relative href {}", a.value());
            }
            if n.has_tag_name("loc") || n.has_tag_name("id") {
                assert!(
                    n.text()
                        .unwrap_or("")
                        .starts_with("https://meridian.example.org/"),
                    "{f}: {:?}",
                    n.text()
                );
            }
        }
    }
    // The site feed lists the newest items (an event first) with authors, summary and dates.
    let feed = String::from_utf8(files["feed.xml"].clone()).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    let title_of = |e: &roxmltree::Node| {
        e.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        title_of(&entries[0]),
        "Launch: Keeping the Lights On in a Hotter Gulf"
    );
    let first = entries
        .iter()
        .find(|e| title_of(e) == "Storage Before Generation")
        .unwrap();
    let child = |name: &str| {
        first
            .children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(child("title"), "Storage Before Generation");
    assert!(child("summary").starts_with("Adding solar and wind capacity"));
    assert!(
        child("updated").starts_with("2026-10-2"),
        "updated date: {}",
        child("updated")
    );
    let names: Vec<_> = first
        .descendants()
        .filter(|n| n.has_tag_name("name"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(names, ["Renée Okafor-Laurent"]);
    // Sitemap: exactly the pages search engines may index (issue 22): every HTML page but
    // redirect pages and those saying `noindex` (404, search, page 2+ of listings).
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: std::collections::BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect();
    let indexable: std::collections::BTreeSet<String> = files
        .iter()
        .filter(|(k, v)| {
            let html = String::from_utf8_lossy(v);
            k.ends_with(".html")
                && !html.contains("http-equiv=\"refresh\"")
                && !html.contains("name=\"robots\" content=\"noindex")
        })
        .map(|(k, _)| {
            format!(
                "https://meridian.example.org/{}",
                k.trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(locs, indexable);
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("/page/") || l.contains("/search/"))
    );
    assert!(
        String::from_utf8_lossy(&files["robots.txt"])
            .contains("Sitemap: https://meridian.example.org/sitemap.xml")
    );
}

#[test]
fn demo_site_from_a_sub_path_keeps_every_link_inside_it() {
    let (out, run) = build_demo(&["--base-url", "https://example.org/research/"]);
    run.ok();
    let broken = broken_links(&out.path().join("site"), "/research/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn demo_site_has_its_content_model() {
    let (out, run) = build_demo(&[]);
    run.ok();
    let site = out.path().join("site");
    let read =
        |p: &str| scraper::Html::parse_document(&std::fs::read_to_string(site.join(p)).unwrap());
    // 8–12 published briefs by at least 4 authors, 6 topics, 3 regions.
    let briefs = std::fs::read_dir(site.join("briefs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").exists())
        .count();
    assert!((8..=12).contains(&briefs), "{briefs} briefs");
    let authors = read("authors/index.html");
    assert!(texts(&authors, ".person-name").len() >= 4);
    assert!(texts(&read("topics/index.html"), ".term-list li").len() >= 6);
    assert!(texts(&read("regions/index.html"), ".term-list li").len() >= 3);
    // The draft and the scheduled brief are left out.
    assert!(!site.join("briefs/future-of-carbon-markets").exists());
    assert!(!site.join("briefs/scheduled-winter-adequacy").exists());
    // The site's own template override is used.
    assert!(texts(&read("index.html"), ".footer-note")[0].contains("fictional"));
    // The Arabic brief is right-to-left, in the Arabic section with Arabic chrome; the Arabic
    // programme page and the French edition (a bundle's index.fr.md) have theirs.
    let ar = read("ar/briefs/water-sharing-tigris/index.html");
    assert_eq!(attrs(&ar, "html", "dir"), ["rtl"]);
    assert_eq!(attrs(&ar, "article.brief", "lang"), ["ar"]);
    let programme = read("ar/programmes/middle-east/index.html");
    assert_eq!(attrs(&programme, "html", "lang"), ["ar"]);
    assert_eq!(texts(&programme, ".card-title").len(), 1);
    let fr = read("fr/briefs/heat-resilient-cities/index.html");
    assert_eq!(attrs(&fr, "html", "lang"), ["fr"]);
    assert_eq!(texts(&fr, ".skip-link"), ["Aller au contenu"]);
    assert_eq!(
        attrs(&fr, "link[rel=alternate][hreflang]", "hreflang"),
        ["en", "fr", "x-default"]
    );
    assert!(fr.html().contains("heat-resilient-cities/hero"));
}
