//! Numbers, plural categories and dates in a language, by ICU4X with CLDR's data compiled in.
//!
//! A bare `en` formats as International English (`en-001`, "18 May 2026", what dossier has
//! always printed); `en-US` is "May 18, 2026". Digits are Latin unless the language tag asks for a numbering system (`ar-u-nu-arab` gives
//! Arabic-Indic digits, `fa-u-nu-arabext` Persian ones): most Arabic-language institutes print
//! Latin digits, and the choice stays with the site. The calendar is always Gregorian (a
//! brief's date is a Gregorian date, whatever the language's default calendar).
//!
//! Formatters are costly to make and cheap to use, and a site has a handful of languages: each
//! thread keeps one of each per language.

use std::cell::RefCell;
use std::collections::HashMap;

use icu_calendar::Date;
use icu_calendar::cal::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale::Locale;
use icu_plurals::{PluralCategory, PluralRules};

/// One language's formatters.
struct Formatters {
    date: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    number: Option<DecimalFormatter>,
    plurals: Option<PluralRules>,
}

/// The locale ICU4X formats with: the tag, with Latin digits unless it names a numbering system.
/// A bare `en` is International English (`en-001`: "18 May 2026"); `en-US` gives "May 18, 2026".
pub fn locale(lang: &str) -> Locale {
    let tag = if lang.eq_ignore_ascii_case("en") {
        "en-001"
    } else {
        lang
    };
    let mut locale: Locale = tag
        .parse()
        .unwrap_or_else(|_| "en-001".parse().expect("en-001"));
    let nu = "nu".parse().expect("a key");
    if !locale.extensions.unicode.keywords.contains_key(&nu) {
        locale
            .extensions
            .unicode
            .keywords
            .set(nu, "latn".parse().expect("a value"));
    }
    locale
}

fn with<T>(lang: &str, f: impl FnOnce(&Formatters) -> T) -> T {
    thread_local! {
        static MADE: RefCell<HashMap<String, Formatters>> = RefCell::new(HashMap::new());
    }
    MADE.with_borrow_mut(|made| {
        let fs = made.entry(lang.to_string()).or_insert_with(|| {
            let locale = locale(lang);
            Formatters {
                date: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long()).ok(),
                number: DecimalFormatter::try_new((&locale).into(), Default::default()).ok(),
                plurals: PluralRules::try_new_cardinal((&locale).into()).ok(),
            }
        });
        f(fs)
    })
}

/// A date as the language writes it: "18 May 2026", "18 mai 2026", "18 مايو 2026".
pub fn date(lang: &str, year: i32, month: u8, day: u8) -> String {
    with(lang, |fs| {
        let d = Date::try_new_gregorian(year, month, day).ok();
        match (&fs.date, d) {
            (Some(f), Some(d)) => f.format(&d).to_string(),
            _ => format!("{year:04}-{month:02}-{day:02}"),
        }
    })
}

/// A count in the language's digits and grouping: "1,234", "1.234", "١٬٢٣٤".
pub fn number(lang: &str, n: u64) -> String {
    with(lang, |fs| match &fs.number {
        Some(f) => f.format(&Decimal::from(n)).to_string(),
        None => n.to_string(),
    })
}

/// CLDR's plural category of a count: "zero", "one", "two", "few", "many" or "other".
pub fn plural(lang: &str, n: u64) -> &'static str {
    with(lang, |fs| {
        let cat = fs
            .plurals
            .as_ref()
            .map_or(PluralCategory::Other, |p| p.category_for(n));
        match cat {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    })
}

/// Sort `items` by name as readers of `lang` expect an index ordered (CLDR collation by ICU4X:
/// Arabic letters in their order, "Émile" beside "Emile", case and accents second), ties in
/// their given order.
pub fn sort_by_name<T>(lang: &str, items: &mut [T], name: impl Fn(&T) -> &str) {
    use icu_collator::{Collator, CollatorBorrowed, options::CollatorOptions};
    thread_local! {
        static MADE: RefCell<HashMap<String, Option<CollatorBorrowed<'static>>>> =
            RefCell::new(HashMap::new());
    }
    MADE.with_borrow_mut(|made| {
        let collator = made.entry(lang.to_string()).or_insert_with(|| {
            Collator::try_new((&locale(lang)).into(), CollatorOptions::default()).ok()
        });
        match collator {
            Some(c) => items.sort_by(|a, b| c.compare(name(a), name(b))),
            None => items.sort_by(|a, b| name(a).cmp(name(b))),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_each_language() {
        assert_eq!(date("en", 2026, 5, 18), "18 May 2026");
        assert_eq!(date("en-US", 2026, 5, 18), "May 18, 2026");
        assert_eq!(date("en-GB", 2026, 5, 18), "18 May 2026");
        assert_eq!(date("fr", 2026, 5, 18), "18 mai 2026");
        assert_eq!(date("ar", 2026, 5, 18), "18 مايو 2026");
        assert_eq!(date("ar-u-nu-arab", 2026, 5, 18), "١٨ مايو ٢٠٢٦");
        assert_eq!(date("de", 2026, 5, 18), "18. Mai 2026");
    }

    #[test]
    fn arabic_plurals_and_digits() {
        let cats: Vec<&str> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| plural("ar", n))
            .collect();
        assert_eq!(cats, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(plural("en", 1), "one");
        assert_eq!(plural("en", 2), "other");
        assert_eq!(plural("fr", 0), "one");
        assert_eq!(number("en", 12345), "12,345");
        assert_eq!(number("ar-u-nu-arab", 12345), "١٢٬٣٤٥");
    }

    #[test]
    fn names_sort_the_way_their_language_orders_an_index() {
        let mut ar = vec!["المياه", "الزراعة", "التكيّف"];
        sort_by_name("ar", &mut ar, |s| s);
        assert_eq!(ar, ["التكيّف", "الزراعة", "المياه"]);
        let mut en = vec!["Zhou", "émile", "Emile", "al-Hashimi", "Okafor"];
        sort_by_name("en", &mut en, |s| s);
        assert_eq!(en, ["al-Hashimi", "Emile", "émile", "Okafor", "Zhou"]);
    }
}
