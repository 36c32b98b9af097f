//! A site whose language is Arabic (issue 27): the whole chrome is right to left and in
//! Arabic (masthead, navigation, listings, search page, 404), not just the articles; and term
//! names given per language (`name_ar`) follow the brief they are shown with.

use crate::support::*;
use scraper::Html;

const AR_SITE: &str = "title = \"مرصد السياسات\"\nbase_url = \"https://test.example/\"\n\
                       language = \"ar\"\npaginate = 5\n";

fn arabic_brief(i: usize) -> String {
    brief(
        &format!(
            "title: ورقة رقم {i}\ndate: 2026-05-{:02}\nauthors: [سارة الخطيب]\n\
             dek: خلاصة قصيرة للورقة\ntopics: [المياه]\nregions: [العراق]",
            i + 1
        ),
        "نص الورقة في فقرة واحدة عن إدارة الأنهار المشتركة.",
    )
}

fn arabic_site() -> TestSite {
    let files: Vec<(String, String)> = (1..=12)
        .map(|i| (format!("content/briefs/b{i}.md"), arabic_brief(i)))
        .collect();
    let mut refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    refs.push(("content/about.md", "---\ntitle: من نحن\n---\nمعهد مستقل.\n"));
    let s = TestSite::new(&refs);
    s.write("site.toml", AR_SITE);
    s.build(&[]).ok();
    s
}

/// Words in Latin letters in a page's text, outside the citation box and the printed permalink
/// (which carry the site's URL) and the names of formats everyone writes in Latin letters.
fn latin_words(doc: &Html) -> Vec<String> {
    const KEPT: &[&str] = &[
        "Atom",
        "JSON",
        "iCalendar",
        "ics",
        "PDF",
        "RSS",
        "JavaScript",
    ];
    let cite = sel(".cite, .print-permalink");
    let skip: Vec<_> = doc.select(&cite).map(|e| e.id()).collect();
    let body = doc.select(&sel("body")).next().expect("a body");
    let mut words = Vec::new();
    for node in body.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        if node.ancestors().any(|a| skip.contains(&a.id())) {
            continue;
        }
        let inside = |name: &str| {
            node.ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == name))
        };
        if inside("script") {
            continue;
        }
        // A parser with scripting on keeps <noscript> as text: read it as the markup it is.
        if inside("noscript") {
            let inner = Html::parse_fragment(text);
            words.extend(latin_words(&Html::parse_document(&format!(
                "<body>{}</body>",
                inner.root_element().inner_html()
            ))));
            continue;
        }
        for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 2 && !KEPT.contains(&w) {
                words.push(w.to_string());
            }
        }
    }
    words
}

#[test]
fn issue_27_an_arabic_site_is_arabic_and_right_to_left_everywhere() {
    let s = arabic_site();
    let pages = [
        "index.html",
        "page/2/index.html",
        "briefs/index.html",
        "briefs/b3/index.html",
        "about/index.html",
        "authors/index.html",
        "authors/سارة-الخطيب/index.html",
        "topics/index.html",
        "regions/index.html",
        "types/index.html",
        "types/brief/index.html",
        "search/index.html",
        "404.html",
    ];
    for page in pages {
        let path = match page {
            "authors/سارة-الخطيب/index.html" => {
                let doc = s.html("authors/index.html");
                let href = attrs(&doc, ".person-name", "href")
                    .pop()
                    .expect("the author is listed");
                format!("{}index.html", href.trim_start_matches('/'))
            }
            p => p.to_string(),
        };
        let doc = s.html(&path);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some("ar"), "{path}");
        assert_eq!(html.value().attr("dir"), Some("rtl"), "{path}");
        let latin = latin_words(&doc);
        assert!(latin.is_empty(), "{path} shows English words: {latin:?}");
    }
    let home = s.html("index.html");
    assert_eq!(
        texts(&home, ".site-nav a"),
        ["الأوراق", "الخبراء", "المواضيع", "المناطق"]
    );
    assert_eq!(texts(&home, ".listing-title"), ["أحدث التحليلات"]);
    assert_eq!(texts(&home, ".pagination-status"), ["الصفحة 1 من 3"]);
    assert_eq!(texts(&home, ".skip-link"), ["انتقل إلى المحتوى"]);
    assert!(
        texts(&home, ".card-type")
            .iter()
            .all(|t| t == "ورقة سياسات")
    );
    assert!(texts(&home, ".card .byline")[0].starts_with("بقلم"));
    assert_eq!(
        texts(&s.html("page/2/index.html"), ".listing-title"),
        ["أحدث التحليلات، الصفحة 2"]
    );
    assert_eq!(
        texts(&s.html("types/brief/index.html"), ".listing-title"),
        ["أوراق السياسات"]
    );
    assert_eq!(
        texts(&s.html("briefs/index.html"), ".listing-meta")[0]
            .split(" · ")
            .next(),
        Some("12 ورقة")
    );
    assert_eq!(
        texts(&s.html("authors/index.html"), ".person-count"),
        ["12 ورقة"]
    );
    let search = s.html("search/index.html");
    assert_eq!(texts(&search, "label[for=search-q]"), ["ابحث في 12 ورقة"]);
    assert_eq!(
        attrs(&search, "#search-words", "data-results-few"),
        ["{n} نتائج"]
    );
    assert_eq!(texts(&s.html("404.html"), "h1"), ["الصفحة غير موجودة"]);
    // The <title> names the page in Arabic too.
    assert_eq!(
        texts(&s.html("types/index.html"), "title"),
        ["أنواع المنشورات | مرصد السياسات"]
    );
}

#[test]
fn issue_27_term_names_follow_the_language_of_the_brief_they_are_shown_with() {
    let s = TestSite::new(&[
        (
            "content/topics/water.md",
            "---\nname: Water\nname_ar: المياه\n---\nRivers and aquifers.\n",
        ),
        (
            "content/briefs/en.md",
            &brief("title: Rivers\ndate: 2026-05-01\ntopics: [Water]", "Text."),
        ),
        (
            "content/briefs/ar.md",
            &brief(
                "title: الأنهار\ndate: 2026-05-02\nlanguage: ar\ntopics: [Water]",
                "نص.",
            ),
        ),
    ]);
    s.build(&[]).ok();
    let ar = s.html("ar/briefs/ar/index.html");
    assert_eq!(texts(&ar, ".brief-footer .tag"), ["المياه"]);
    // The search facet (in the Arabic index) and the tag's page are the Arabic section's.
    assert_eq!(
        attrs(&ar, ".brief-footer .tag", "data-pagefind-filter"),
        ["topic:المياه"]
    );
    assert_eq!(
        attrs(&ar, ".brief-footer .tag", "href"),
        ["/ar/topics/water/"]
    );
    assert_eq!(
        texts(&s.html("ar/topics/water/index.html"), "h1"),
        ["المياه"]
    );
    assert_eq!(texts(&ar, ".brief-type"), ["ورقة سياسات"]);
    let en = s.html("briefs/en/index.html");
    assert_eq!(texts(&en, ".brief-footer .tag"), ["Water"]);
    assert_eq!(texts(&en, ".brief-type"), ["Policy brief"]);
    // The term's own page is in the site's language.
    assert_eq!(texts(&s.html("topics/water/index.html"), "h1"), ["Water"]);
    // On a listing, each card names the term in its own language.
    let listing = s.html("topics/water/index.html");
    let mut tags = texts(&listing, ".card .tag");
    tags.sort();
    assert_eq!(tags, ["Water", "المياه"]);
}

#[test]
fn issue_27_a_term_key_that_is_not_a_name_in_a_language_is_an_error_at_its_line() {
    let s = TestSite::new(&[
        (
            "content/topics/water.md",
            "---\nname: Water\nnmae_ar: المياه\n---\nRivers.\n",
        ),
        (
            "content/briefs/en.md",
            &brief("title: Rivers\ndate: 2026-05-01\ntopics: [Water]", "Text."),
        ),
    ]);
    s.build(&[])
        .failed()
        .says("content/topics/water.md:3:1")
        .says("unknown field `nmae_ar`");
    s.write(
        "content/topics/water.md",
        "---\nname: Water\nname_a!: المياه\n---\nRivers.\n",
    );
    s.build(&[])
        .failed()
        .says("content/topics/water.md:3:1")
        .says("not a language tag");
}
