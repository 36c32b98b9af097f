//! Language-dependent words and direction: which languages are written right to left, and the
//! theme's labels around a brief (`page.labels`) in the brief's language.

use serde::Serialize;

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

/// Words the theme prints around a brief, in the brief's language (`page.labels`).
#[derive(Serialize, Clone, Copy)]
pub struct Labels {
    /// "By"
    pub by: &'static str,
    /// "and" between the last two authors.
    pub and: &'static str,
    /// "Updated"
    pub updated: &'static str,
    /// "min read"
    pub min_read: &'static str,
    /// "words"
    pub words: &'static str,
    /// "Contents"
    pub contents: &'static str,
    /// "Topics"
    pub topics: &'static str,
    /// "Regions"
    pub regions: &'static str,
    /// "About the author"
    pub about_author: &'static str,
    /// "About the authors"
    pub about_authors: &'static str,
    /// "Related briefs"
    pub related: &'static str,
    /// "Part of the series"
    pub series: &'static str,
    /// "Corrections and updates"
    pub corrections: &'static str,
    /// "Download PDF"
    pub download_pdf: &'static str,
    /// "Newer"
    pub newer: &'static str,
    /// "Older"
    pub older: &'static str,
    /// "Permalink"
    pub permalink: &'static str,
    /// "License"
    pub license: &'static str,
    /// "Image" before a picture credit ("Image: DVIDS").
    pub image_credit: &'static str,
}

/// The labels for a language (English unless a translation exists).
pub fn labels(lang: &str) -> Labels {
    match lang.split(['-', '_']).next().unwrap_or("") {
        "ar" => Labels {
            by: "بقلم",
            and: "و",
            updated: "حُدّث في",
            min_read: "دقائق قراءة",
            words: "كلمة",
            contents: "المحتويات",
            topics: "المواضيع",
            regions: "المناطق",
            about_author: "عن الكاتب",
            about_authors: "عن الكتّاب",
            related: "أوراق ذات صلة",
            series: "ضمن سلسلة",
            corrections: "تصويبات وتحديثات",
            download_pdf: "تنزيل PDF",
            newer: "الأحدث",
            older: "الأقدم",
            permalink: "الرابط الدائم",
            license: "الترخيص",
            image_credit: "الصورة",
        },
        "fr" => Labels {
            by: "Par",
            and: "et",
            updated: "Mis à jour le",
            min_read: "min de lecture",
            words: "mots",
            contents: "Sommaire",
            topics: "Thèmes",
            regions: "Régions",
            about_author: "À propos de l’auteur",
            about_authors: "À propos des auteurs",
            related: "À lire aussi",
            series: "Série",
            corrections: "Corrections et mises à jour",
            download_pdf: "Télécharger le PDF",
            newer: "Plus récent",
            older: "Plus ancien",
            permalink: "Lien permanent",
            license: "Licence",
            image_credit: "Image",
        },
        _ => Labels {
            by: "By",
            and: "and",
            updated: "Updated",
            min_read: "min read",
            words: "words",
            contents: "Contents",
            topics: "Topics",
            regions: "Regions",
            about_author: "About the author",
            about_authors: "About the authors",
            related: "Related briefs",
            series: "Part of the series",
            corrections: "Corrections and updates",
            download_pdf: "Download PDF",
            newer: "Newer",
            older: "Older",
            permalink: "Permalink",
            license: "License",
            image_credit: "Image",
        },
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
