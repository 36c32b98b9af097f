//! Pandoc's citation syntax in Markdown: `[@key]`, `[@key, p. 12]`, `[see @a; @b]`,
//! `[-@key]` (year only), and `@key` or `@key [p. 12]` in running text.
//!
//! This module owns the syntax only: it finds citations, hands them to a [`Citer`] (the
//! bibliography and CSL style live in [`crate::biblio`]), and puts what comes back into the
//! event stream: in-text citations as inline HTML, note citations as footnotes that the
//! endnotes pass numbers together with the author's own.
//!
//! Bracketed citations come from pulldown-cmark's broken-link callback: `[see @a, p. 3]` is a
//! shortcut reference with no definition, and the callback sees its exact source span. A
//! bracket that is not entirely citations (`[see @a and more]` is one; `[an @mention]` is not,
//! since its text before the key has no key after a `;`) stays text, as in Pandoc.

use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr};

/// Prefix of the link destination the callback gives a bracketed citation.
const DEST: &str = "dossier-cite:";

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    /// The bibliography key.
    pub key: String,
    /// Text before the key ("see").
    pub prefix: String,
    /// A CSL locator type ("page", "chapter", "section"…) and its value ("12", "33–35").
    pub locator: Option<(&'static str, String)>,
    /// Text after the key and locator (", emphasis added").
    pub suffix: String,
    /// `-@key`: print only the year.
    pub suppress_author: bool,
}

/// How a citation is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteMode {
    /// `[@a; @b]`: a parenthetical citation (or a note, in a note style).
    Bracketed,
    /// `@a says`: the author in the sentence, the rest in parentheses.
    InText,
}

/// A citation found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The works cited, in the order written.
    pub items: Vec<CiteItem>,
    /// Bracketed or in the text.
    pub mode: CiteMode,
    /// Inside a footnote the author wrote (so a note style prints it there, not in a new note).
    pub in_note: bool,
    /// The note it belongs to in one numbering of footnotes and note citations: its own for a
    /// citation in the text, its footnote's inside a footnote; none for an unreferenced note.
    pub note_number: Option<usize>,
    /// Line in the file.
    pub line: usize,
    /// Column (in characters, from 1).
    pub col: usize,
    /// The citation as written.
    pub written: String,
}

/// What a [`Citer`] made of one citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendering {
    /// In-text: HTML for the sentence and its plain text (for summaries and word counts).
    Inline {
        /// Escaped HTML.
        html: String,
        /// Plain text.
        text: String,
    },
    /// A note style's citation outside a footnote: the note's HTML.
    Note(String),
    /// A note style's `@key` in the text: the author's name in the sentence, and a note.
    InlineWithNote {
        /// Escaped HTML in the sentence.
        html: String,
        /// Its plain text.
        text: String,
        /// The note's HTML.
        note: String,
    },
    /// Not a citation after all (an in-text `@name` no bibliography knows): the text stays.
    AsWritten,
}

/// What a [`Citer`] returns for a document's citations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiteOutput {
    /// One per citation, in the order given.
    pub rendered: Vec<Rendering>,
    /// The reference list's HTML section, if the style has one and something was cited.
    pub bibliography: Option<String>,
    /// Errors at (line, column): unknown keys in brackets.
    pub errors: Vec<(usize, usize, String)>,
    /// Warnings at (line, column): `@name` in the text that no bibliography has.
    pub warnings: Vec<(usize, usize, String)>,
    /// Keys cited, in order of first citation.
    pub cited: Vec<String>,
}

/// Renders citations against bibliographies in a style.
pub trait Citer: Sync + std::fmt::Debug {
    /// Render every citation of one document (given in document order).
    fn cite(&self, citations: &[Citation]) -> CiteOutput;
}

/// A bracket the parser could not resolve as a link: its source span and text.
#[derive(Debug, Clone)]
pub(super) struct Bracket {
    pub(super) span: Range<usize>,
    pub(super) items: Vec<CiteItem>,
}

/// The broken-link callback: a bracket made entirely of citations becomes a link to
/// `dossier-cite:N`, remembered in `found`.
pub(super) fn on_broken_link<'a, 'input>(
    found: &'a std::cell::RefCell<Vec<Bracket>>,
) -> impl FnMut(BrokenLink<'input>) -> Option<(CowStr<'input>, CowStr<'input>)> + 'a {
    move |link: BrokenLink<'input>| {
        if link.link_type != pulldown_cmark::LinkType::Shortcut || !link.reference.contains('@') {
            return None;
        }
        let items = parse_bracket(&link.reference)?;
        let mut f = found.borrow_mut();
        f.push(Bracket {
            span: link.span.clone(),
            items,
        });
        Some((
            CowStr::from(format!("{DEST}{}", f.len() - 1)),
            CowStr::from(""),
        ))
    }
}

/// True for the link destinations [`on_broken_link`] makes.
pub(super) fn is_cite_dest(dest: &str) -> bool {
    dest.starts_with(DEST)
}

/// `see @a, p. 12; @b` → items; `None` unless every `;`-separated part has a key.
pub(super) fn parse_bracket(text: &str) -> Option<Vec<CiteItem>> {
    let mut items = Vec::new();
    for part in split_outside_braces(text, ';') {
        let (at, key, len) = find_key(part)?;
        let mut prefix = &part[..at];
        let suppress_author = prefix.ends_with('-');
        if suppress_author {
            prefix = &prefix[..prefix.len() - 1];
        }
        let (locator, suffix) = split_locator(&part[at + len..]);
        items.push(CiteItem {
            key,
            prefix: prefix.trim().to_string(),
            locator,
            suffix,
            suppress_author,
        });
    }
    (!items.is_empty()).then_some(items)
}

fn split_outside_braces(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The first `@key` in `s` that starts a key (after the start, whitespace, `-`, `(` or `[`):
/// its byte offset, the key, and the length written (with `@` and braces).
fn find_key(s: &str) -> Option<(usize, String, usize)> {
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if c == '@'
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '-' | '(' | '['))
            && let Some((key, len)) = key_at(&s[i + 1..])
        {
            return Some((i, key, len + 1));
        }
        prev = Some(c);
    }
    None
}

/// A key at the start of `s` (after the `@`): `{anything but braces}`, or a letter, digit or
/// `_` followed by those and internal punctuation `:.#$%&-+?<>~/` (never at the end).
pub(super) fn key_at(s: &str) -> Option<(String, usize)> {
    if let Some(rest) = s.strip_prefix('{') {
        let end = rest.find('}')?;
        let key = rest[..end].trim();
        return (!key.is_empty() && !key.contains('{')).then(|| (key.to_string(), end + 2));
    }
    let mut last_word_end = 0;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        let punct = ":.#$%&-+?<>~/".contains(c);
        if i == 0 && !word {
            return None;
        }
        if word {
            last_word_end = i + c.len_utf8();
        } else if !punct {
            break;
        }
    }
    (last_word_end > 0).then(|| (s[..last_word_end].to_string(), last_word_end))
}

/// Locator labels Pandoc understands (English forms), with the CSL locator type.
const LABELS: &[(&str, &str)] = &[
    ("pp", "page"),
    ("p", "page"),
    ("pages", "page"),
    ("page", "page"),
    ("chaps", "chapter"),
    ("chap", "chapter"),
    ("chapters", "chapter"),
    ("chapter", "chapter"),
    ("ch", "chapter"),
    ("secs", "section"),
    ("sec", "section"),
    ("sections", "section"),
    ("section", "section"),
    ("§§", "section"),
    ("§", "section"),
    ("paras", "paragraph"),
    ("para", "paragraph"),
    ("paragraphs", "paragraph"),
    ("paragraph", "paragraph"),
    ("¶¶", "paragraph"),
    ("¶", "paragraph"),
    ("figs", "figure"),
    ("fig", "figure"),
    ("figures", "figure"),
    ("figure", "figure"),
    ("tables", "table"),
    ("table", "table"),
    ("tab", "table"),
    ("vols", "volume"),
    ("vol", "volume"),
    ("volumes", "volume"),
    ("volume", "volume"),
    ("nos", "issue"),
    ("no", "issue"),
    ("nn", "note"),
    ("n", "note"),
    ("notes", "note"),
    ("note", "note"),
    ("ll", "line"),
    ("l", "line"),
    ("lines", "line"),
    ("line", "line"),
    ("pts", "part"),
    ("pt", "part"),
    ("parts", "part"),
    ("part", "part"),
    ("cols", "column"),
    ("col", "column"),
    ("columns", "column"),
    ("column", "column"),
    ("apps", "appendix"),
    ("app", "appendix"),
    ("appendix", "appendix"),
    ("art", "article-locator"),
    ("arts", "article-locator"),
];

/// After a key: `, p. 12, emphasis added` → (page "12", ", emphasis added"); `, 12` → page
/// "12"; `, {chap. 3 and 4}` → the braces' content as a page locator; anything else is suffix.
fn split_locator(rest: &str) -> (Option<(&'static str, String)>, String) {
    let Some(after_comma) = rest.trim_start().strip_prefix(',') else {
        return (None, rest.trim().to_string());
    };
    let t = after_comma.trim_start();
    if let Some(inner) = t.strip_prefix('{')
        && let Some(end) = inner.find('}')
    {
        return (
            Some(("page", inner[..end].trim().to_string())),
            inner[end + 1..].trim().to_string(),
        );
    }
    let (label, value_start) = match LABELS.iter().find_map(|(l, kind)| {
        let after = t.strip_prefix(l)?;
        let after = after.strip_prefix('.').unwrap_or(after);
        let starts_value = after.starts_with(char::is_whitespace)
            || after.starts_with(|c: char| c.is_ascii_digit());
        starts_value.then(|| (*kind, after.trim_start()))
    }) {
        Some((kind, v)) => (kind, v),
        None if t.starts_with(|c: char| c.is_ascii_digit()) => ("page", t),
        None => return (None, rest.trim_end().to_string()),
    };
    let end = locator_value_len(value_start);
    if end == 0 {
        return (None, rest.trim().to_string());
    }
    (
        Some((label, value_start[..end].to_string())),
        value_start[end..].trim().to_string(),
    )
}

/// Length of a locator value: digits, Roman numerals, letters glued to digits ("12a"), ranges
/// and lists ("33–35, 38"), stopping before a comma followed by a word.
fn locator_value_len(s: &str) -> usize {
    let mut end = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let ok = c.is_ascii_alphanumeric() || matches!(c, '-' | '–' | '.' | ':');
        if ok {
            end = at + c.len_utf8();
        } else if c == ',' {
            // A list continues only with a number after the comma.
            let next = chars[i + 1..].iter().find(|(_, c)| !c.is_whitespace());
            if !next.is_some_and(|(_, c)| c.is_ascii_digit()) {
                break;
            }
        } else if !c.is_whitespace() {
            break;
        } else {
            let next = chars[i + 1..].iter().find(|(_, c)| !c.is_whitespace());
            if !next.is_some_and(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | '–' | ',')) {
                break;
            }
        }
        i += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str) -> CiteItem {
        CiteItem {
            key: key.into(),
            prefix: String::new(),
            locator: None,
            suffix: String::new(),
            suppress_author: false,
        }
    }

    #[test]
    fn brackets() {
        assert_eq!(parse_bracket("@smith2020"), Some(vec![item("smith2020")]));
        let got = parse_bracket("see @a, p. 12; also -@b:2019, chap. 3, emphasis added").unwrap();
        assert_eq!(got[0].prefix, "see");
        assert_eq!(got[0].locator, Some(("page", "12".into())));
        assert_eq!(got[1].key, "b:2019");
        assert!(got[1].suppress_author);
        assert_eq!(got[1].prefix, "also");
        assert_eq!(got[1].locator, Some(("chapter", "3".into())));
        assert_eq!(got[1].suffix, ", emphasis added");
        let r = parse_bracket("@a, pp. 33–35, 38 and passim").unwrap();
        assert_eq!(r[0].locator, Some(("page", "33–35, 38".into())));
        assert_eq!(r[0].suffix, "and passim");
        let r = parse_bracket("@a, 12").unwrap();
        assert_eq!(r[0].locator, Some(("page", "12".into())));
        let r = parse_bracket("@{IMF 2024}, {box 2.1}").unwrap();
        assert_eq!(r[0].key, "IMF 2024");
        assert_eq!(r[0].locator, Some(("page", "box 2.1".into())));
        // Not citations: an e-mail address, text with no key in one part.
        assert_eq!(parse_bracket("mail press@example.org"), None);
        assert_eq!(parse_bracket("@a; and more"), None);
        // A key never ends in punctuation.
        assert_eq!(parse_bracket("@smith.").unwrap()[0].key, "smith");
    }
}
