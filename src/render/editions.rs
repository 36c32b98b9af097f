//! A brief's other editions as readers, search engines and social networks see them (issue 27):
//! the theme's language switcher (`page.editions`), `<link rel="alternate" hreflang>` with an
//! `x-default` (`meta.alternates`), `og:locale:alternate` (`meta.og_locale_alternates`) and the
//! JSON-LD `workTranslation` / `translationOfWork` pair. Which briefs are editions of one work
//! is decided in `site/editions.rs`.

use serde::Serialize;
use serde_json::{Value as Json, json};

use super::labels::{direction, og_locale};
use crate::site::{Brief, BriefId, Site};

/// One other edition (`page.editions`), in the order of its language tag.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    /// BCP 47 tag: "ar".
    pub language: String,
    /// The language's name in itself ("العربية", "Français"; the tag when no translation
    /// file names it): what a reader of that language recognises.
    pub name: String,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// Its title.
    pub title: String,
    /// URL with the base path.
    pub url: String,
}

/// `<link rel="alternate" hreflang>`: every edition, this one included, and `x-default`.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// A BCP 47 tag, or "x-default".
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

fn language(site: &Site, b: &Brief) -> String {
    b.doc
        .language
        .clone()
        .unwrap_or_else(|| site.config.language.clone())
}

/// The other editions of a brief, for the switcher.
pub fn editions(site: &Site, b: &Brief) -> Vec<EditionView> {
    b.editions
        .iter()
        .map(|&id| {
            let o = site.brief(id);
            let lang = language(site, o);
            EditionView {
                name: site.i18n.autonym(&lang).unwrap_or_else(|| lang.clone()),
                dir: direction(&lang),
                title: o.doc.title.clone(),
                url: site.url(&o.path),
                language: lang,
            }
        })
        .collect()
}

/// Every edition with its language, then `x-default` (what a reader whose language has no
/// edition should get): the edition in the site's language, else the original. Empty for a
/// brief with one edition.
pub fn alternates(site: &Site, id: BriefId) -> Vec<Alternate> {
    let b = site.brief(id);
    if b.editions.is_empty() {
        return Vec::new();
    }
    let mut all: Vec<BriefId> = b.editions.clone();
    all.push(id);
    all.sort_by_key(|&e| language(site, site.brief(e)).to_ascii_lowercase());
    let mut out: Vec<Alternate> = all
        .iter()
        .map(|&e| {
            let e = site.brief(e);
            Alternate {
                hreflang: language(site, e),
                href: e.permalink.clone(),
            }
        })
        .collect();
    let fallback = all
        .iter()
        .map(|&e| site.brief(e))
        .find(|e| language(site, e).eq_ignore_ascii_case(&site.config.language))
        .unwrap_or_else(|| site.brief(b.original.unwrap_or(id)));
    out.push(Alternate {
        hreflang: "x-default".into(),
        href: fallback.permalink.clone(),
    });
    out
}

/// `og:locale:alternate` values: the other editions' locales.
pub fn og_locale_alternates(site: &Site, b: &Brief) -> Vec<String> {
    let mut out: Vec<String> = b
        .editions
        .iter()
        .map(|&e| og_locale(&language(site, site.brief(e))))
        .collect();
    out.dedup();
    out
}

/// Adds `translationOfWork` (a translation) or `workTranslation` (the original) to a brief's
/// JSON-LD.
pub fn json_ld(site: &Site, b: &Brief, j: &mut Json) {
    let work = |e: &Brief| {
        json!({
            "@type": "CreativeWork",
            "@id": e.permalink,
            "url": e.permalink,
            "name": e.doc.title,
            "inLanguage": language(site, e),
        })
    };
    match b.original {
        Some(o) => j["translationOfWork"] = work(site.brief(o)),
        None if !b.editions.is_empty() => {
            j["workTranslation"] = b.editions.iter().map(|&e| work(site.brief(e))).collect();
        }
        None => {}
    }
}
