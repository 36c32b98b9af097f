use super::*;

fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("i18n").join(name), text).unwrap();
    }
    dir
}

#[test]
fn every_built_in_language_has_every_key() {
    for (lang, text) in BUILT_IN {
        let e = parse(text).unwrap_or_else(|p| panic!("{lang}: {p:?}"));
        for key in TEXT_KEYS {
            assert!(e.text.contains_key(*key), "{lang} lacks {key}");
        }
        for key in PLURAL_KEYS {
            assert!(e.plural.contains_key(*key), "{lang} lacks {key}");
        }
    }
}

#[test]
fn arabic_counts_take_their_plural_forms() {
    let c = Catalog::default();
    let ar = c.labels("ar");
    let shown: Vec<String> = [1, 2, 3, 11, 100]
        .iter()
        .map(|&n| ar.count("min_read", n))
        .collect();
    assert_eq!(
        shown,
        [
            "دقيقة واحدة للقراءة",
            "دقيقتان للقراءة",
            "3 دقائق للقراءة",
            "11 دقيقة للقراءة",
            "100 دقيقة للقراءة"
        ]
    );
    let native = c.labels("ar-u-nu-arab");
    assert_eq!(native.count("min_read", 11), "١١ دقيقة للقراءة");
    let en = c.labels("en");
    assert_eq!(en.count("words", 1), "1 word");
    assert_eq!(en.count("words", 1234), "1,234 words");
    assert_eq!(c.labels("de").count("words", 1234), "1.234 Wörter");
}

#[test]
fn a_site_overrides_one_word_and_adds_a_language() {
    let dir = site_with(&[
        ("en.toml", "related = \"More analysis\"\n"),
        (
            "pt.toml",
            "by = \"Por\"\n[min_read]\none = \"{n} min de leitura\"\nother = \"{n} min de leitura\"\n",
        ),
    ]);
    let c = Catalog::load(dir.path(), None, "en").unwrap();
    let en = c.labels("en");
    assert_eq!(en.get("related"), "More analysis");
    assert_eq!(en.get("by"), "By", "the rest stays the theme's");
    let pt = c.labels("pt-BR");
    assert_eq!(pt.get("by"), "Por");
    assert_eq!(pt.count("min_read", 2), "2 min de leitura");
    // A partial translation falls back to the site's language, then English.
    assert_eq!(pt.get("contents"), "Contents");
    let c = Catalog::load(dir.path(), None, "fr").unwrap();
    assert_eq!(c.labels("pt").get("contents"), "Sommaire");
}

#[test]
fn bad_files_are_errors_at_their_line_and_column() {
    let dir = site_with(&[
        (
            "ar.toml",
            "by = \"بقلم\"\nbyy = \"x\"\n[words]\none = \"{n}\"\n",
        ),
        ("de.toml", "by = [\n"),
        ("english.toml", "by = \"x\"\n"),
    ]);
    let errors = Catalog::load(dir.path(), None, "en").unwrap_err();
    let shown: Vec<String> = errors.iter().map(|d| d.styled()).collect();
    let all = shown.join("\n");
    assert_eq!(errors.len(), 4, "{all}");
    assert!(
        all.contains("i18n/ar.toml:2:1") && all.contains("unknown key `byy`"),
        "{all}"
    );
    assert!(
        all.contains("i18n/ar.toml:3:") && all.contains("needs an `other` form"),
        "{all}"
    );
    assert!(all.contains("i18n/de.toml:"), "{all}");
    assert!(all.contains("\"english\" is not a language tag"), "{all}");
}

#[test]
fn an_english_brief_on_an_arabic_site_gets_english_words() {
    let c = Catalog::built_in("ar");
    assert_eq!(c.labels("en").get("by"), "By");
    assert_eq!(c.labels("ar").get("by"), "بقلم");
    // A language without a file falls back to the site's, then English.
    assert_eq!(c.labels("pt").get("by"), "بقلم");
}

#[test]
fn every_translation_keeps_the_placeholders_of_the_english_words() {
    let placeholders = |s: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        v.sort();
        v
    };
    let en = parse(BUILT_IN[0].1).unwrap();
    for (lang, text) in &BUILT_IN[1..] {
        let e = parse(text).unwrap();
        for key in TEXT_KEYS {
            assert_eq!(
                placeholders(&e.text[*key]),
                placeholders(&en.text[*key]),
                "{lang}: {key} = {:?}",
                e.text[*key]
            );
        }
        for key in PLURAL_KEYS {
            for (cat, form) in &e.plural[*key] {
                let want = placeholders(&en.plural[*key]["other"]);
                // A form may spell its number out ("دقيقتان", "ورقة واحدة").
                let got = placeholders(form);
                assert!(
                    got == want || (got.is_empty() && cat != "other"),
                    "{lang}: {key}.{cat} = {form:?}"
                );
            }
        }
    }
}
