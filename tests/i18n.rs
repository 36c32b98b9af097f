//! The theme's words in a brief's language (issue 27): translation files, CLDR plurals and
//! locale dates, as a reader sees them on the built page.

use crate::support::*;

/// A brief of `words` words in `language`.
fn brief_in(language: &str, words: usize) -> String {
    let body = "word ".repeat(words);
    brief(
        &format!("title: T\ndate: 2026-05-18\nauthors: Jane Doe\nlanguage: {language}"),
        &body,
    )
}

fn meta_line(s: &TestSite, path: &str) -> String {
    texts(&s.html(path), ".brief-meta")
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn arabic_reading_times_take_cldr_plurals_and_arabic_dates() {
    // 230 words a minute: 1, 2, 3, 11 and 100 minutes.
    let minutes = [1usize, 2, 3, 11, 100];
    let files: Vec<(String, String)> = minutes
        .iter()
        .map(|m| (format!("content/briefs/m{m}.md"), brief_in("ar", m * 230)))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let s = TestSite::new(&refs);
    s.build(&[]).ok();
    let expected = [
        "دقيقة واحدة للقراءة",
        "دقيقتان للقراءة",
        "3 دقائق للقراءة",
        "11 دقيقة للقراءة",
        "100 دقيقة للقراءة",
    ];
    for (m, want) in minutes.iter().zip(expected) {
        let line = meta_line(&s, &format!("ar/briefs/m{m}/index.html"));
        assert!(line.contains(want), "{m} minutes: {line}");
        assert!(line.contains("18 مايو 2026"), "{line}");
    }
    // 1 minute is 230 words: "230 كلمة" (CLDR "many" in Arabic: 11–99 after the hundreds).
    assert!(meta_line(&s, "ar/briefs/m1/index.html").contains("230 كلمة"));
    // The brief's labels are Arabic too.
    let doc = s.html("ar/briefs/m2/index.html");
    assert!(texts(&doc, ".byline").join(" ").contains("بقلم"));
}

#[test]
fn a_site_translation_file_overrides_the_theme_and_adds_a_language() {
    let s = TestSite::new(&[
        ("content/briefs/en.md", &brief_in("en", 2 * 230)),
        ("content/briefs/pt.md", &brief_in("pt-BR", 230)),
        ("content/briefs/de.md", &brief_in("de", 1234)),
        (
            "i18n/en.toml",
            "by = \"Written by\"\n[min_read]\none = \"{n} minute\"\nother = \"{n} minutes\"\n",
        ),
        (
            "i18n/pt.toml",
            "[min_read]\none = \"{n} minuto de leitura\"\nother = \"{n} minutos de leitura\"\n",
        ),
    ]);
    s.build(&[]).ok();
    let en = meta_line(&s, "briefs/en/index.html");
    assert!(
        en.contains("2 minutes") && en.contains("18 May 2026"),
        "{en}"
    );
    assert!(
        texts(&s.html("briefs/en/index.html"), ".byline")
            .join(" ")
            .contains("Written by")
    );
    let pt = meta_line(&s, "pt-br/briefs/pt/index.html");
    assert!(pt.contains("1 minuto de leitura"), "{pt}");
    assert!(pt.contains("18 de maio de 2026"), "{pt}");
    // A key Portuguese lacks comes from the site's language.
    assert!(
        texts(&s.html("pt-br/briefs/pt/index.html"), ".byline")
            .join(" ")
            .contains("Written by")
    );
    let de = meta_line(&s, "de/briefs/de/index.html");
    assert!(
        de.contains("1.234 Wörter") && de.contains("18. Mai 2026"),
        "{de}"
    );
}

#[test]
fn a_bad_translation_file_fails_the_build_at_its_line_and_keeps_the_output() {
    let s = TestSite::new(&[("content/briefs/a.md", &brief_in("en", 10))]);
    s.build(&[]).ok();
    let before = s.snapshot("public");
    s.write("i18n/fr.toml", "by = \"Par\"\nminread = \"x\"\n");
    s.build(&[])
        .failed()
        .says("i18n/fr.toml:2:1")
        .says("unknown key `minread`");
    assert_eq!(
        s.snapshot("public"),
        before,
        "the previous output is untouched"
    );
}
