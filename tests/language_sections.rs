//! Language sections (issue 27): a brief in another language than the site's lives under its
//! language's path (`/ar/briefs/<slug>/`), and each language has its own front page, term
//! pages, feeds and search page in its words and direction; editions can sit in one bundle
//! (`index.md` beside `index.ar.md`); a language the theme does not translate falls back to
//! the site's chrome and says so.

use std::collections::BTreeSet;

use crate::support::*;

/// An English site with an English and Arabic bundle (and a file the bundle links to), an
/// Arabic-only brief, an English-only one, and a Hebrew one (no built-in Hebrew words).
fn bilingual() -> TestSite {
    let s = TestSite::new(&[
        (
            "content/briefs/tigris/index.md",
            &brief(
                "title: Sharing the Tigris\ndate: 2026-05-01\nauthors: Jane Doe\ntopics: [Water]",
                "Upstream dams and downstream farms. [The data](flows.csv).",
            ),
        ),
        (
            "content/briefs/tigris/index.ar.md",
            &brief(
                "title: تقاسم مياه دجلة\ndate: 2026-05-02\nauthors: Jane Doe\ntopics: [Water]",
                "السدود في أعلى النهر والمزارع في أسفله. [البيانات](flows.csv).",
            ),
        ),
        ("content/briefs/tigris/flows.csv", "year,flow\n2025,31\n"),
        (
            "content/briefs/wells.md",
            &brief(
                "title: الآبار الجوفية\ndate: 2026-04-01\nauthors: Jane Doe\nlanguage: ar\ntopics: [Water, Farming]",
                "الآبار الجوفية في البصرة.",
            ),
        ),
        (
            "content/briefs/grid.md",
            &brief(
                "title: Grid Storage\ndate: 2026-03-01\nauthors: Jane Doe\ntopics: [Energy]",
                "Batteries first.",
            ),
        ),
        (
            "content/briefs/jordan.md",
            &brief(
                "title: הירדן\ndate: 2026-02-01\nauthors: Jane Doe\nlanguage: he\ntopics: [Water]",
                "מים משותפים.",
            ),
        ),
        (
            "content/topics/water.md",
            "---\nname: Water\nname_ar: المياه\n---\nRivers and aquifers.\n",
        ),
    ]);
    s.build(&[]).ok();
    s
}

fn card_titles(s: &TestSite, page: &str) -> BTreeSet<String> {
    texts(&s.html(page), ".card-title").into_iter().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn briefs_move_under_their_language_and_bundle_editions_are_linked() {
    let s = bilingual();
    assert!(s.exists("briefs/tigris/index.html"));
    assert!(s.exists("ar/briefs/tigris/index.html"));
    assert!(s.exists("ar/briefs/wells/index.html"));
    assert!(s.exists("he/briefs/jordan/index.html"));
    assert!(!s.exists("briefs/wells/index.html"));
    // The bundle's file sits beside both editions, so the relative link works in each.
    assert_eq!(s.read("briefs/tigris/flows.csv"), "year,flow\n2025,31\n");
    assert_eq!(s.read("ar/briefs/tigris/flows.csv"), "year,flow\n2025,31\n");
    for page in ["briefs/tigris/index.html", "ar/briefs/tigris/index.html"] {
        assert_eq!(
            attrs(&s.html(page), ".brief-body a", "href"),
            ["flows.csv"],
            "{page}"
        );
    }
    // The two files of the bundle are one work: reciprocal alternates.
    let en = s.html("briefs/tigris/index.html");
    let ar = s.html("ar/briefs/tigris/index.html");
    let alternates = |d| attrs(d, "link[rel=alternate][hreflang]", "href");
    let expected = vec![
        "https://test.example/ar/briefs/tigris/".to_string(),
        "https://test.example/briefs/tigris/".to_string(),
        "https://test.example/briefs/tigris/".to_string(),
    ];
    assert_eq!(alternates(&en), expected);
    assert_eq!(alternates(&ar), expected);
    assert_eq!(
        attrs(&ar, "link[rel=alternate][hreflang]", "hreflang"),
        ["ar", "en", "x-default"]
    );
    // The Arabic edition's page is Arabic and right to left from the root, chrome included.
    assert_eq!(attrs(&ar, "html", "lang"), ["ar"]);
    assert_eq!(attrs(&ar, "html", "dir"), ["rtl"]);
    assert_eq!(texts(&ar, ".skip-link"), ["انتقل إلى المحتوى"]);
    // Its topic links go to the Arabic topic page, named in Arabic.
    assert_eq!(
        attrs(&ar, "a.tag[data-pagefind-filter^=\"topic:\"]", "href"),
        ["/ar/topics/water/"]
    );
}

#[test]
fn each_language_has_a_front_page_term_pages_and_a_switcher() {
    let s = bilingual();
    let home = s.html("ar/index.html");
    assert_eq!(attrs(&home, "html", "lang"), ["ar"]);
    assert_eq!(attrs(&home, "html", "dir"), ["rtl"]);
    assert_eq!(texts(&home, "h1"), ["المنشورات باللغة العربية"]);
    assert_eq!(
        card_titles(&s, "ar/index.html"),
        set(&["تقاسم مياه دجلة", "الآبار الجوفية"])
    );
    // The switcher names every language in itself and marks the current one.
    assert_eq!(
        texts(&home, ".language-nav a"),
        ["English", "العربية", "he"]
    );
    assert_eq!(
        texts(&home, ".language-nav a[aria-current=page]"),
        ["العربية"]
    );
    assert_eq!(
        attrs(&home, ".language-nav a", "href"),
        ["/", "/ar/", "/he/"]
    );
    // Header search and navigation stay in the section.
    assert_eq!(
        attrs(&home, "form.header-search", "action"),
        ["/ar/search/"]
    );
    // A term page per term that has Arabic briefs, named in Arabic, listing only those.
    let water = s.html("ar/topics/water/index.html");
    assert_eq!(texts(&water, "h1"), ["المياه"]);
    assert_eq!(
        card_titles(&s, "ar/topics/water/index.html"),
        set(&["تقاسم مياه دجلة", "الآبار الجوفية"])
    );
    assert!(s.exists("ar/topics/farming/index.html"));
    assert!(!s.exists("ar/topics/energy/index.html"));
    // The main site's pages keep listing every brief, in English chrome.
    let main = s.html("index.html");
    assert_eq!(attrs(&main, "html", "lang"), ["en"]);
    assert_eq!(
        texts(&main, ".language-nav a[aria-current=page]"),
        ["English"]
    );
    // The sitemap has the sections' pages.
    let sitemap = s.read("sitemap.xml");
    for url in ["ar/", "ar/topics/water/", "ar/briefs/wells/", "he/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://test.example/{url}</loc>")),
            "{url}"
        );
    }
    assert!(!sitemap.contains("ar/search/"));
}

#[test]
fn each_language_has_its_feeds() {
    let s = bilingual();
    let text = s.read("ar/feed.xml");
    let feed = roxmltree_doc(&text);
    let root = feed.root_element();
    assert_eq!(
        root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("ar")
    );
    let titles: BTreeSet<String> = root
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
        .filter_map(|t| t.text().map(str::to_string))
        .collect();
    assert_eq!(titles, set(&["تقاسم مياه دجلة", "الآبار الجوفية"]));
    // In the site's feed an Arabic entry says it is Arabic.
    let main = s.read("feed.xml");
    assert!(main.contains("<entry xml:lang=\"ar\">"), "{main}");
    let json: serde_json::Value = serde_json::from_str(&s.read("ar/feed.json")).unwrap();
    assert_eq!(json["language"], "ar");
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
    assert_eq!(json["home_page_url"], "https://test.example/ar/");
    if python_module("feedparser") {
        let script = "import feedparser, json, sys\nf = feedparser.parse(sys.argv[1])\nprint(json.dumps({'bozo': f.bozo, 'lang': f.feed.get('language'), 'titles': [e.title for e in f.entries], 'link': f.feed.link}))";
        let v = python_json(&["-c", script], &[&s.path("public/ar/feed.xml")]);
        assert_eq!(v["bozo"], false);
        assert_eq!(v["lang"], "ar");
        assert_eq!(v["link"], "https://test.example/ar/");
        assert_eq!(v["titles"].as_array().unwrap().len(), 2);
    }
}

fn roxmltree_doc(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).expect("well-formed XML")
}

#[test]
fn each_language_has_its_search_page_and_index() {
    let s = bilingual();
    let search = s.html("ar/search/index.html");
    assert_eq!(attrs(&search, "html", "lang"), ["ar"]);
    assert_eq!(
        attrs(&search, "form.search-form", "action"),
        ["/ar/search/"]
    );
    let entry: serde_json::Value =
        serde_json::from_str(&s.read("pagefind/pagefind-entry.json")).unwrap();
    let langs = entry["languages"].as_object().unwrap();
    assert_eq!(
        langs.keys().cloned().collect::<Vec<_>>(),
        ["ar", "en", "he"]
    );
    // Arabic: the two briefs, the two Arabic topic pages and the author's Arabic page.
    assert_eq!(langs["ar"]["page_count"], 5);
}

#[test]
fn a_language_without_a_translation_falls_back_to_the_site_chrome_and_says_so() {
    let s = bilingual();
    let he = s.html("he/index.html");
    assert_eq!(attrs(&he, "html", "lang"), ["he"]);
    assert_eq!(attrs(&he, "html", "dir"), ["rtl"]);
    assert_eq!(attrs(&he, "header.masthead", "lang"), ["en"]);
    assert_eq!(attrs(&he, "header.masthead", "dir"), ["ltr"]);
    assert_eq!(texts(&he, "h1"), ["Publications in he"]);
    let notice = texts(&he, ".translation-notice");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].contains("shown in English"), "{notice:?}");
    assert_eq!(attrs(&he, ".translation-notice", "lang"), ["en"]);
    let brief = s.html("he/briefs/jordan/index.html");
    assert_eq!(texts(&brief, ".translation-notice").len(), 1);
    // A translated language never shows the notice.
    assert!(texts(&s.html("ar/index.html"), ".translation-notice").is_empty());
}

#[test]
fn sections_can_move_or_be_turned_off() {
    let s = bilingual();
    let toml = s.read_site_toml();
    s.write(
        "site.toml",
        &format!("{toml}\n[languages]\npath = \"intl/{{lang}}/\"\n"),
    );
    s.build(&[]).ok();
    assert!(s.exists("intl/ar/briefs/wells/index.html"));
    assert!(s.exists("intl/ar/topics/water/index.html"));
    assert!(!s.exists("ar/index.html"));
    s.write(
        "site.toml",
        &format!("{toml}\n[languages]\nsections = false\n"),
    );
    // Without sections the bundle's two editions would share one URL: an error naming both.
    s.build(&[]).failed().says("briefs/tigris");
    std::fs::remove_file(s.path("content/briefs/tigris/index.ar.md")).unwrap();
    s.build(&[]).ok();
    assert!(s.exists("briefs/wells/index.html"));
    assert!(!s.exists("intl/ar/index.html") && !s.exists("ar/index.html"));
    s.write(
        "site.toml",
        &format!("{toml}\n[languages]\npath = \"{{lang}}\"\n"),
    );
    s.build(&[])
        .failed()
        .says("site.toml")
        .says("`path` must be a folder path naming the language once");
}

#[test]
fn an_edition_file_whose_language_contradicts_its_name_is_an_error() {
    let s = bilingual();
    s.write(
        "content/briefs/tigris/index.ar.md",
        &brief(
            "title: تقاسم مياه دجلة\ndate: 2026-05-02\nauthors: Jane Doe\nlanguage: fr",
            "نص.",
        ),
    );
    s.build(&[])
        .failed()
        .says("content/briefs/tigris/index.ar.md:5:1")
        .says("the file name says this edition is in \"ar\"");
}

#[test]
fn a_brief_is_cited_in_its_own_language_words() {
    let s = TestSite::new(&[
        (
            "content/briefs/rivers.md",
            &brief(
                "title: الأنهار العابرة للحدود\ndate: 2026-09-04\nlanguage: ar\ntype: commentary\nauthors: [Jane Doe, Omar Farouk]",
                "نص.",
            ),
        ),
        (
            "content/briefs/wells.md",
            &brief(
                "title: الآبار الجوفية\ndate: 2026-05-18\nlanguage: ar\nauthors: Jane Doe",
                "نص.",
            ),
        ),
        (
            "content/briefs/grid.md",
            &brief(
                "title: Grid Storage\ndate: 2026-09-04\ntype: commentary\nauthors: [Jane Doe, Omar Farouk]",
                "Text.",
            ),
        ),
    ]);
    s.build(&[]).ok();
    let cite = |page: &str, id: &str| {
        let doc = s.html(page);
        let p = doc
            .select(&sel(&format!("#cite-{id}")))
            .next()
            .unwrap_or_else(|| panic!("{page} has #cite-{id}"));
        let attr = |a: &str| p.value().attr(a).unwrap_or_default().to_string();
        let links = p
            .select(&sel("a"))
            .map(|a| a.value().attr("dir").unwrap_or_default().to_string())
            .collect::<Vec<_>>();
        (
            attr("lang"),
            attr("dir"),
            p.text().collect::<String>(),
            links,
        )
    };
    // Arabic: Arabic words around the work's own, marked right to left; the address stays
    // left to right inside it.
    let (lang, dir, apa, links) = cite("ar/briefs/rivers/index.html", "apa");
    assert_eq!((lang.as_str(), dir.as_str()), ("ar", "rtl"));
    assert!(apa.contains("(2026, سبتمبر 4)"), "{apa}");
    assert_eq!(links, ["ltr"]);
    let (_, _, chicago, _) = cite("ar/briefs/rivers/index.html", "chicago");
    assert!(chicago.contains("Doe, Jane, و Omar Farouk"), "{chicago}");
    assert!(chicago.contains("4 سبتمبر، 2026"), "{chicago}");
    assert!(!chicago.contains("September") && !chicago.contains(" and "));
    let (_, _, mla, _) = cite("ar/briefs/rivers/index.html", "mla");
    assert!(
        mla.contains("Doe, Jane، و Omar Farouk") || mla.contains("Doe, Jane, و Omar Farouk"),
        "{mla}"
    );
    // A built-in type's label is its name in the brief's language.
    let (_, _, apa, _) = cite("ar/briefs/wells/index.html", "apa");
    assert!(apa.contains("[ورقة سياسات]"), "{apa}");
    // English stays English.
    let (lang, dir, chicago, _) = cite("briefs/grid/index.html", "chicago");
    assert_eq!((lang.as_str(), dir.as_str()), ("en", "ltr"));
    assert!(chicago.contains("Doe, Jane, and Omar Farouk"), "{chicago}");
    assert!(chicago.contains("September 4, 2026"), "{chicago}");
}
