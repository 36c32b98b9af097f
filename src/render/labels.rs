//! Which languages are written right to left, and Open Graph locales. The theme's words in
//! each language are translation files ([`crate::i18n`]).

/// Right-to-left scripts' languages (primary subtag).
const RTL: &[&str] = &["ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "ckb", "dv"];

/// "rtl" for Arabic, Persian, Hebrew, Urdu…, else "ltr".
pub fn direction(lang: &str) -> &'static str {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if RTL.contains(&primary.as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

/// The Open Graph locale of a language tag, `ll_CC` as Facebook and others read it: the
/// territory from the tag, else the most likely one (CLDR's likely subtags through ICU4X:
/// "en" → "en_US", "ar" → "ar_EG", "fr-CA" → "fr_CA").
pub fn og_locale(lang: &str) -> String {
    // Every page asks; a site has a handful of languages. Remember each answer per thread.
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if let Some(hit) =
        SEEN.with_borrow(|s| s.iter().find(|(l, _)| l == lang).map(|(_, o)| o.clone()))
    {
        return hit;
    }
    let answer = expand_locale(lang);
    SEEN.with_borrow_mut(|s| s.push((lang.to_string(), answer.clone())));
    answer
}

fn expand_locale(lang: &str) -> String {
    use icu_locale::LanguageIdentifier;
    use icu_locale::LocaleExpander;
    let Ok(mut id) = lang.parse::<LanguageIdentifier>() else {
        return lang.replace('-', "_");
    };
    let language = id.language;
    LocaleExpander::new_common().maximize(&mut id);
    match id.region {
        Some(region) => format!("{language}_{region}"),
        None => language.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn issue_23_open_graph_locales() {
        assert_eq!(super::og_locale("en"), "en_US");
        assert_eq!(super::og_locale("en-GB"), "en_GB");
        assert_eq!(super::og_locale("fr"), "fr_FR");
        assert_eq!(super::og_locale("fr-CA"), "fr_CA");
        assert_eq!(super::og_locale("fa"), "fa_IR");
        assert!(super::og_locale("ar").starts_with("ar_"));
    }
}
