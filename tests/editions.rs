//! Editions of one brief in several languages (issue 27): linked by `translation_key` or
//! `translation_of`, announced as search engines and social networks read them.

use std::collections::BTreeMap;

use crate::support::*;

fn site() -> TestSite {
    TestSite::new(&[
        (
            "content/briefs/grain.md",
            &brief(
                "title: Grain Reserves\ndate: 2026-03-01\nauthors: Jane Doe\ntranslation_key: grain",
                "English text.",
            ),
        ),
        (
            "content/briefs/grain-ar.md",
            &brief(
                "title: احتياطيات الحبوب\ndate: 2026-03-02\nauthors: Jane Doe\nlanguage: ar\ntranslation_key: grain",
                "نص عربي.",
            ),
        ),
        (
            "content/briefs/grain-fr.md",
            &brief(
                "title: Réserves de céréales\ndate: 2026-03-03\nauthors: Jane Doe\nlanguage: fr-CA\ntranslation_of: grain",
                "Texte français.",
            ),
        ),
        (
            "content/briefs/alone.md",
            &brief(
                "title: Alone\ndate: 2026-03-04\nauthors: Jane Doe",
                "Only English.",
            ),
        ),
        (
            "content/briefs/draft-de.md",
            &brief(
                "title: Getreidereserven\ndate: 2026-03-05\nauthors: Jane Doe\nlanguage: de\ntranslation_key: grain\ndraft: true",
                "Entwurf.",
            ),
        ),
    ])
}

/// hreflang → href of a page's `<link rel="alternate" hreflang>`.
fn hreflangs(s: &TestSite, page: &str) -> BTreeMap<String, String> {
    let doc = s.html(page);
    let langs = attrs(&doc, "link[rel=alternate][hreflang]", "hreflang");
    let hrefs = attrs(&doc, "link[rel=alternate][hreflang]", "href");
    langs.into_iter().zip(hrefs).collect()
}

#[test]
fn hreflang_pairs_are_reciprocal_absolute_and_valid() {
    let s = site();
    s.build(&[]).ok();
    let pages = [
        (
            "en",
            "briefs/grain/index.html",
            "https://test.example/briefs/grain/",
        ),
        (
            "ar",
            "ar/briefs/grain-ar/index.html",
            "https://test.example/ar/briefs/grain-ar/",
        ),
        (
            "fr-CA",
            "fr-ca/briefs/grain-fr/index.html",
            "https://test.example/fr-ca/briefs/grain-fr/",
        ),
    ];
    let expected: BTreeMap<String, String> = pages
        .iter()
        .map(|(l, _, u)| (l.to_string(), u.to_string()))
        .chain([("x-default".to_string(), pages[0].2.to_string())])
        .collect();
    for (lang, page, url) in pages {
        let got = hreflangs(&s, page);
        // Every edition lists every edition (itself included): the pairs are reciprocal.
        assert_eq!(got, expected, "{page}");
        assert_eq!(got[lang], url, "self-reference of {page}");
        for (tag, href) in &got {
            assert!(href.starts_with("https://"), "{href} is absolute");
            if tag != "x-default" {
                assert!(
                    tag.parse::<icu_locale::LanguageIdentifier>().is_ok(),
                    "{tag} is BCP 47"
                );
            }
        }
    }
    // A draft edition is not announced; a brief without editions has no alternates.
    assert!(!hreflangs(&s, "briefs/grain/index.html").contains_key("de"));
    assert!(hreflangs(&s, "briefs/alone/index.html").is_empty());
}

#[test]
fn the_switcher_open_graph_and_json_ld_name_the_other_editions() {
    let s = site();
    s.build(&[]).ok();
    let ar = s.html("ar/briefs/grain-ar/index.html");
    let names = texts(&ar, "nav.editions a");
    assert_eq!(names, ["English", "Français"]);
    assert_eq!(attrs(&ar, "nav.editions a", "hreflang"), ["en", "fr-CA"]);
    assert_eq!(attrs(&ar, "nav.editions a", "lang"), ["en", "fr-CA"]);
    assert_eq!(texts(&ar, ".editions-label"), ["متوفرة أيضًا بـ"]);
    assert_eq!(metas(&ar, "og:locale"), ["ar_EG"]);
    assert_eq!(metas(&ar, "og:locale:alternate"), ["en_US", "fr_CA"]);

    let ld = |page: &str| -> serde_json::Value {
        let doc = s.html(page);
        let text = texts(&doc, "script[type='application/ld+json']").join("");
        serde_json::from_str(&text).unwrap()
    };
    // The translations point at the original (named by translation_of), which lists them.
    let original = ld("briefs/grain/index.html");
    let listed: Vec<&str> = original["workTranslation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["inLanguage"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["ar", "fr-CA"]);
    for page in [
        "ar/briefs/grain-ar/index.html",
        "fr-ca/briefs/grain-fr/index.html",
    ] {
        let j = ld(page);
        assert_eq!(
            j["translationOfWork"]["url"],
            "https://test.example/briefs/grain/"
        );
        assert_eq!(j["translationOfWork"]["inLanguage"], "en");
        assert!(j.get("workTranslation").is_none());
    }
    assert!(
        ld("briefs/alone/index.html")
            .get("workTranslation")
            .is_none()
    );
}

#[test]
fn the_sitemap_lists_each_editions_alternates() {
    let s = site();
    s.build(&[]).ok();
    let text = s.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    let mut seen = 0;
    for url in doc.descendants().filter(|n| n.has_tag_name((SM, "url"))) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name((SM, "loc")))
            .and_then(|n| n.text())
            .unwrap();
        let links: BTreeMap<&str, &str> = url
            .children()
            .filter(|n| n.has_tag_name((XHTML, "link")))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap(),
                    n.attribute("href").unwrap(),
                )
            })
            .collect();
        if loc.contains("/briefs/grain") {
            seen += 1;
            assert_eq!(links.len(), 4, "{loc}: {links:?}");
            assert!(links.values().any(|h| *h == loc), "{loc} lists itself");
            assert_eq!(links["x-default"], "https://test.example/briefs/grain/");
        } else {
            assert!(links.is_empty(), "{loc}");
        }
    }
    assert_eq!(seen, 3);
}

#[test]
fn two_editions_in_one_language_or_an_unknown_original_are_errors_at_the_key() {
    let s = site();
    s.build(&[]).ok();
    let before = s.snapshot("public");
    s.write(
        "content/briefs/grain-ar2.md",
        &brief(
            "title: نسخة ثانية\ndate: 2026-03-06\nauthors: Jane Doe\nlanguage: ar\ntranslation_key: grain",
            "نص.",
        ),
    );
    s.write(
        "content/briefs/lost.md",
        &brief(
            "title: Lost\ndate: 2026-03-07\nauthors: Jane Doe\nlanguage: es\ntranslation_of: no-such-brief",
            "Texto.",
        ),
    );
    s.build(&[])
        .failed()
        .says("two editions of one work in language \"ar\"")
        .says("content/briefs/lost.md:6:1")
        .says("no brief has the slug \"no-such-brief\"");
    assert_eq!(
        s.snapshot("public"),
        before,
        "the previous output is untouched"
    );
}
