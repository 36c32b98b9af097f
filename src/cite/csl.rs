//! hayagriva's CSL processor, for what only a full CSL engine can do: references cited inside
//! briefs (`[@key]`), in any style hayagriva ships or a `.csl` file of the site.
//!
//! Owns turning hayagriva's rendered element trees into dossier's text and HTML: every text is
//! escaped (hayagriva's own HTML writer does not escape, so a title such as
//! `</script><script>…` would become markup), italics become `<i>`, links `<a>`.

use std::fmt::Write as _;

use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::{BufWriteFormat, ElemChildren};

use super::Formatted;

/// A style from hayagriva's archive by its CSL name (`chicago-author-date`, `apa`,
/// `modern-language-association`…), with the names hayagriva knows listed on failure.
pub fn archived_style(name: &str) -> Result<IndependentStyle, String> {
    let found = hayagriva::archive::ArchivedStyle::by_name(name)
        .or_else(|| hayagriva::archive::ArchivedStyle::by_name(&name.replace('_', "-")));
    match found.map(|s| s.get()) {
        Some(Style::Independent(s)) => Ok(s),
        Some(Style::Dependent(d)) => {
            // A dependent style names its parent: resolve it from the archive too.
            let parent = d
                .parent_link
                .href
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            match hayagriva::archive::ArchivedStyle::by_name(&parent).map(|s| s.get()) {
                Some(Style::Independent(s)) => Ok(s),
                _ => Err(format!(
                    "style {name:?} depends on {parent:?}, which is not available"
                )),
            }
        }
        None => Err(format!(
            "no citation style {name:?}; styles include {}, or give the path of a .csl file",
            known_styles().join(", ")
        )),
    }
}

/// A few of the archive's style names, for messages.
fn known_styles() -> Vec<String> {
    [
        "apa",
        "chicago-author-date",
        "chicago-notes",
        "chicago-shortened-notes",
        "modern-language-association",
        "harvard-cite-them-right",
        "ieee",
        "vancouver",
    ]
    .iter()
    .map(|s| format!("\"{s}\""))
    .collect()
}

/// A style from a `.csl` file's text.
pub fn style_from_xml(xml: &str) -> Result<IndependentStyle, String> {
    match IndependentStyle::from_xml(xml) {
        Ok(s) => Ok(s),
        Err(e) => Err(format!("not a usable independent CSL style: {e}")),
    }
}

/// The locales a style may ask for: English (every style falls back to it) and `language`.
///
/// Only those are decoded: decoding all of hayagriva's ~60 archived locales costs ~45 ms, which
/// a site with one citing brief would pay on every build.
pub fn locales(language: &str) -> Vec<Locale> {
    let primary = primary_language(language);
    let wanted = |code: &str| {
        let p = primary_language(code);
        p == "en" || p == primary
    };
    locale_index()
        .iter()
        .filter(|(code, _)| wanted(code))
        .filter_map(|&(_, i)| ciborium::de::from_reader(hayagriva::archive::LOCALES[i]).ok())
        .collect()
}

/// Each archived locale's language code and its index in `LOCALES`, read once.
fn locale_index() -> &'static [(String, usize)] {
    static INDEX: std::sync::OnceLock<Vec<(String, usize)>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        hayagriva::archive::LOCALES
            .iter()
            .enumerate()
            .filter_map(|(i, bytes)| {
                let lang = ciborium::de::from_reader::<LangOnly, _>(*bytes).ok()?;
                Some((lang.0?, i))
            })
            .collect()
    })
}

/// A locale's `@xml:lang`, read by stopping at that key: the rest of the map (terms, date
/// formats) is left unread, which is what makes [`locale_index`] cheap.
struct LangOnly(Option<String>);

impl<'de> serde::Deserialize<'de> for LangOnly {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LangOnly;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a CSL locale")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LangOnly, A::Error> {
                while let Some(key) = map.next_key::<String>()? {
                    if key == "@xml:lang" {
                        return Ok(LangOnly(Some(map.next_value()?)));
                    }
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(LangOnly(None))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// The primary language subtag, lower-cased: `ar` for `ar-EG`.
pub fn primary_language(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or("en")
        .to_lowercase()
}

/// Text and escaped HTML of a rendered element tree.
pub fn formatted(children: &ElemChildren) -> Formatted {
    let mut text = String::new();
    let _ = children.write_buf(&mut text, BufWriteFormat::Plain);
    let mut html = String::new();
    write_html(children, &mut html);
    Formatted {
        text: text.trim().to_string(),
        html: html.trim().to_string(),
    }
}

/// HTML of a rendered element tree: every text escaped, italics as `<i>`, bold as `<b>`,
/// links as `<a>`.
pub fn write_html(children: &ElemChildren, out: &mut String) {
    use hayagriva::ElemChild;
    // An explicit stack instead of recursion: (children, next index).
    let mut stack: Vec<(&[ElemChild], usize)> = vec![(&children.0, 0)];
    while let Some((list, i)) = stack.pop() {
        let Some(child) = list.get(i) else { continue };
        stack.push((list, i + 1));
        match child {
            ElemChild::Text(f) => push_formatted(f, out),
            ElemChild::Markup(m) => out.push_str(&crate::escape::html(m)),
            ElemChild::Link { text, url } => {
                let href = if crate::urls::allowed(url) {
                    url.as_str()
                } else {
                    "#"
                };
                // An address reads left to right inside a right-to-left entry too (issue 27).
                let _ = write!(
                    out,
                    "<a href=\"{}\" dir=\"ltr\">",
                    crate::escape::html(href)
                );
                push_formatted(text, out);
                out.push_str("</a>");
            }
            ElemChild::Elem(e) => stack.push((&e.children.0, 0)),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn push_formatted(f: &hayagriva::Formatted, out: &mut String) {
    use hayagriva::citationberg::{FontStyle, FontWeight};
    let italic = f.formatting.font_style == FontStyle::Italic;
    let bold = f.formatting.font_weight == FontWeight::Bold;
    if italic {
        out.push_str("<i>");
    }
    if bold {
        out.push_str("<b>");
    }
    out.push_str(&crate::escape::html(&f.text));
    if bold {
        out.push_str("</b>");
    }
    if italic {
        out.push_str("</i>");
    }
}
