//! The words a "Cite this brief" citation prints besides the work's own: "and", "et al.",
//! "No.", month names and the order of a written-out date, in the language of the brief cited
//! (issue 27). An Arabic brief is cited "… و …", "(2026، 18 مايو)", not with English words
//! around an Arabic title.
//!
//! The words come from the CSL locale files hayagriva archives (the Citation Style Language
//! project's translations, the same data a CSL processor localises a style with), decoded once
//! per language and kept for the life of the process. English is built in and never decoded:
//! it is what [`super::styles`] has always printed, and what `tests.rs` holds equal to
//! hayagriva's own APA, Chicago and MLA output. A term a locale lacks falls back to English.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use hayagriva::citationberg::taxonomy::{NumberVariable, OtherTerm, Term};
use hayagriva::citationberg::{
    DateDayForm, DateForm, DatePartName, DateStrongAnyForm, Locale, TermForm,
};

/// A citation's own words in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// The language these words are in ("en", "ar", "fr"): the citation's `lang`.
    pub language: String,
    /// "and" between the last two names ("و", "et").
    pub and: String,
    /// "et al" without its closing full stop (the style adds it): "وآخرون", "u. a".
    pub et_al: String,
    /// A number's label, lower case: "no.", "عدد", "nᵒ", "Nr.".
    pub number: String,
    /// Quotation marks around an article's title: “ ” in English, as the locale writes them
    /// elsewhere (« » in French).
    pub quotes: (String, String),
    /// January to December.
    pub months: [String; 12],
    /// Abbreviated months, as MLA prints them: "Jan.", "Sept.".
    pub months_short: [String; 12],
    /// A written-out date's parts in order (day, month, year) with what follows each:
    /// English "May 18, 2026", Arabic "18 مايو، 2026".
    pub date_order: Vec<(DatePartName, String)>,
    /// What follows an ordinal day ("." in German), when the locale writes days as ordinals.
    pub ordinal_day: Option<String>,
}

impl Terms {
    /// The built-in English words.
    pub fn english() -> &'static Terms {
        static EN: OnceLock<Terms> = OnceLock::new();
        EN.get_or_init(|| {
            let months = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            let short = [
                "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
                "Nov.", "Dec.",
            ];
            Terms {
                language: "en".into(),
                and: "and".into(),
                et_al: "et al".into(),
                number: "no.".into(),
                quotes: ("“".into(), "”".into()),
                months: months.map(String::from),
                months_short: short.map(String::from),
                date_order: vec![
                    (DatePartName::Month, " ".into()),
                    (DatePartName::Day, ", ".into()),
                    (DatePartName::Year, String::new()),
                ],
                ordinal_day: None,
            }
        })
    }

    /// The words for a language: its CSL locale's, English for English or a language CSL
    /// does not translate. Decoded on first use, then shared.
    pub fn for_language(language: &str) -> &'static Terms {
        let primary = super::csl::primary_language(language);
        if primary == "en" || primary.is_empty() {
            return Terms::english();
        }
        static CACHE: OnceLock<RwLock<HashMap<String, &'static Terms>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(t) = cache.read().ok().and_then(|c| c.get(&primary).copied()) {
            return t;
        }
        let terms = match pick(super::csl::locales(&primary), &primary) {
            Some(locale) => Terms::from_locale(&locale, &primary),
            None => return Terms::english(),
        };
        // One small value per language the site publishes in, for the life of the process.
        let terms: &'static Terms = Box::leak(Box::new(terms));
        if let Ok(mut c) = cache.write() {
            return c.entry(primary).or_insert(terms);
        }
        terms
    }

    /// The words of a decoded locale, English where it has none.
    fn from_locale(locale: &Locale, language: &str) -> Terms {
        let en = Terms::english();
        // Compared exactly: citationberg's own lookup treats "open-quote" and
        // "open-inner-quote" as one term.
        let term = |t: Term, form| {
            locale
                .terms
                .iter()
                .flat_map(|terms| &terms.terms)
                .find(|l| l.name == t && l.form == form)
                .and_then(|t| t.single())
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        let month = |i: usize, form| {
            term(Term::Other(month_term(i)), form).unwrap_or_else(|| en.months[i].clone())
        };
        let text_date = locale.date.iter().find(|d| d.form == Some(DateForm::Text));
        let date_order = text_date
            .map(|d| {
                d.date_part
                    .iter()
                    .map(|p| (p.name, p.affixes.suffix.clone().unwrap_or_default()))
                    .collect::<Vec<_>>()
            })
            .filter(|o| o.len() == 3)
            .unwrap_or_else(|| en.date_order.clone());
        let ordinal_day = text_date
            .and_then(|d| d.date_part.iter().find(|p| p.name == DatePartName::Day))
            .filter(|p| p.form() == DateStrongAnyForm::Day(DateDayForm::Ordinal))
            .and_then(|_| term(Term::Other(OtherTerm::Ordinal), TermForm::Long));
        Terms {
            language: language.to_string(),
            and: term(Term::Other(OtherTerm::And), TermForm::Long).unwrap_or(en.and.clone()),
            et_al: term(Term::Other(OtherTerm::EtAl), TermForm::Long)
                .map(|s| s.trim_end_matches('.').to_string())
                .unwrap_or(en.et_al.clone()),
            number: term(Term::NumberVariable(NumberVariable::Issue), TermForm::Short)
                .unwrap_or(en.number.clone()),
            quotes: (
                term(Term::Other(OtherTerm::OpenQuote), TermForm::Long)
                    .unwrap_or(en.quotes.0.clone()),
                term(Term::Other(OtherTerm::CloseQuote), TermForm::Long)
                    .unwrap_or(en.quotes.1.clone()),
            ),
            months: std::array::from_fn(|i| month(i, TermForm::Long)),
            months_short: std::array::from_fn(|i| month(i, TermForm::Short)),
            date_order,
            ordinal_day,
        }
    }

    /// True for the built-in English words.
    pub fn is_english(&self) -> bool {
        self.language == "en"
    }

    /// A date written out in this language's order: "May 18, 2026", "18 مايو، 2026".
    pub fn text_date(&self, d: jiff::civil::Date) -> String {
        let mut out = String::new();
        for (part, suffix) in &self.date_order {
            match part {
                DatePartName::Day => {
                    out.push_str(&d.day().to_string());
                    out.push_str(self.ordinal_day.as_deref().unwrap_or(""));
                }
                DatePartName::Month => out.push_str(self.month(d)),
                DatePartName::Year => out.push_str(&d.year().to_string()),
            }
            out.push_str(suffix);
        }
        out.trim_end().to_string()
    }

    /// The month's full name.
    pub fn month(&self, d: jiff::civil::Date) -> &str {
        &self.months[d.month() as usize - 1]
    }

    /// The number label with its first letter capitalised, as APA and Chicago print it: "No.".
    pub fn number_capitalised(&self) -> String {
        let mut c = self.number.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }
}

/// The locale to take words from among those decoded for `primary`: the language's own file
/// ("ar"), else its primary dialect's ("fr-FR", "en-US"), else any of its regions.
fn pick(locales: Vec<Locale>, primary: &str) -> Option<Locale> {
    let code = |l: &Locale| l.lang.as_ref().map(|c| c.0.to_ascii_lowercase());
    // CSL's primary dialects: mostly the language's own country code ("fr-FR").
    let main_region = match primary {
        "en" => "en-us".to_string(),
        "zh" => "zh-cn".into(),
        "fa" => "fa-ir".into(),
        "he" => "he-il".into(),
        "ja" => "ja-jp".into(),
        "ko" => "ko-kr".into(),
        "sv" => "sv-se".into(),
        "da" => "da-dk".into(),
        "el" => "el-gr".into(),
        "uk" => "uk-ua".into(),
        "vi" => "vi-vn".into(),
        "cs" => "cs-cz".into(),
        "et" => "et-ee".into(),
        "nb" => "nb-no".into(),
        _ => format!("{primary}-{primary}"),
    };
    let mut mine: Vec<Locale> = locales
        .into_iter()
        .filter(|l| code(l).is_some_and(|c| super::csl::primary_language(&c) == primary))
        .collect();
    mine.sort_by_key(|l| match code(l).as_deref() {
        Some(c) if c == primary => 0,
        Some(c) if c == main_region => 1,
        _ => 2,
    });
    mine.into_iter().next()
}

/// CSL's term for month `i` (from 0).
fn month_term(i: usize) -> OtherTerm {
    use OtherTerm::*;
    [
        Month01, Month02, Month03, Month04, Month05, Month06, Month07, Month08, Month09, Month10,
        Month11, Month12,
    ][i]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_built_in_and_matches_the_csl_locale_where_styles_do() {
        let en = Terms::english();
        let locale = pick(super::super::csl::locales("en"), "en").expect("an English locale");
        let from_csl = Terms::from_locale(&locale, "en");
        assert_eq!(en.and, from_csl.and);
        assert_eq!(en.et_al, from_csl.et_al);
        assert_eq!(en.months, from_csl.months);
        assert_eq!(en.quotes, from_csl.quotes);
        assert!(en.is_english());
        let d = jiff::civil::date(2026, 5, 18);
        assert_eq!(en.text_date(d), "May 18, 2026");
        assert_eq!(en.number_capitalised(), "No.");
    }

    #[test]
    fn arabic_french_and_german_words_come_from_their_locales() {
        let d = jiff::civil::date(2026, 9, 4);
        let ar = Terms::for_language("ar");
        assert_eq!(ar.language, "ar");
        assert_eq!(ar.and, "و");
        assert_eq!(ar.et_al, "وآخرون");
        assert_eq!(ar.month(d), "سبتمبر");
        assert_eq!(ar.text_date(d), "4 سبتمبر، 2026");
        let fr = Terms::for_language("fr-CA");
        assert_eq!((fr.and.as_str(), fr.month(d)), ("et", "septembre"));
        assert_eq!(fr.text_date(d), "4 septembre 2026");
        assert_eq!(fr.quotes.0.trim(), "«");
        let de = Terms::for_language("de");
        assert_eq!(de.text_date(d), "4. September 2026");
        assert_eq!(de.number_capitalised(), "Nr.");
        // Cached: the same value each time.
        assert!(std::ptr::eq(ar, Terms::for_language("ar-IQ")));
    }

    #[test]
    fn a_language_csl_does_not_translate_is_cited_in_english() {
        assert!(Terms::for_language("tlh").is_english());
        assert!(Terms::for_language("EN-gb").is_english());
    }
}
