//! Reads a rendered page the way Pagefind reads it: which text is indexed, with which weight,
//! and the metadata, filters and sort keys the theme marks with `data-pagefind-*` attributes.
//!
//! A single forward scan with an element stack (no DOM). Text goes into one buffer, in which
//! each open element owns the tail that begins at its start; when it closes, its part either
//! stays where it is (it has become its parent's text) or is cut off (ignored elements), so
//! the buffer ends up holding the page's indexed text with inline markers for anchors
//! (`___PAGEFIND_ANCHOR___tag:n:id`) and weights (`___PAGEFIND_WEIGHT___2` …
//! `___END_PAGEFIND_WEIGHT___`), which [`super::record`] turns into words and positions.
//! Entities are decoded and whitespace collapsed word by word when the text is split
//! ([`for_each_word`]); [`Parsed::digest`] gives the text as Pagefind normalises it.
//!
//! The rules follow Pagefind 1.6's parser, so a theme written for Pagefind works unchanged:
//! - `data-pagefind-body` elements hold the indexed text (without one, the whole page);
//! - `data-pagefind-ignore` (or `="index"`) drops an element's text but keeps its metadata and
//!   filters; `="all"` drops everything inside; `head`, `script`, `style`, `nav`, `footer`,
//!   `form`, `label`, `svg`, `iframe`, `template` and `noscript` are never indexed;
//! - `data-pagefind-meta`, `-default-meta`, `-filter` and `-sort` take `key` (the element's
//!   text), `key:literal value`, `key[attribute]`, or a comma-separated list of those;
//! - `data-pagefind-weight` sets the weight of the text inside; headings weigh 7 (h1) to 2
//!   (h6) unless an enclosing element set one; `data-pagefind-index-attrs` indexes attributes;
//! - elements with an `id` become anchors (sub-results), titled by `data-pagefind-title`;
//! - the first `h1` is the title and the first image after it the image, unless set by meta;
//! - the language is `<html lang>`.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// What a page holds for the index, before words are split.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    /// Indexed text with anchor and weight markers, as the page writes it: entities not yet
    /// decoded, whitespace not yet collapsed (see [`for_each_word`] and [`Parsed::digest`]).
    pub text: String,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
    pub meta: BTreeMap<String, String>,
    /// Elements with an `id`, numbered in document order (the `n` of their markers).
    pub anchors: Vec<Anchor>,
    /// The page marks its indexed part with `data-pagefind-body`.
    pub has_custom_body: bool,
    /// `<html lang>`, lower-cased; "unknown" without one.
    pub language: String,
}

/// An element with an `id`: a place inside the page that a result can link to.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Anchor {
    /// The `id`, without whitespace.
    pub id: String,
    /// Its indexed text, as written (entities not decoded).
    pub text: String,
    /// `data-pagefind-title`, normalised, when not empty.
    pub title: Option<String>,
}

impl Parsed {
    /// The indexed text as Pagefind normalises it: entities decoded, trimmed, runs of
    /// whitespace collapsed.
    pub fn digest(&self) -> String {
        normalize_content(&self.text)
    }

    /// The anchor a marker names by `n:id` (as the marker reads once decoded): the `n`th
    /// anchor, if its `id` is that.
    pub fn anchor(&self, key: &str) -> Option<&Anchor> {
        let (n, id) = key.split_once(':')?;
        let canonical = n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
        let a = self
            .anchors
            .get(n.parse::<usize>().ok().filter(|_| canonical)?)?;
        (a.id == id).then_some(a)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Indexing,
    /// Text not indexed; metadata and filters still read.
    Ignored,
    /// Nothing inside is read.
    Excluded,
    Body,
    /// A body element is below: this element's own text is dropped.
    ParentOfBody,
}

/// The `data-pagefind-*` settings an element carries (most carry none).
#[derive(Debug, Default)]
struct Keys {
    filter: Option<Vec<String>>,
    sort: Option<Vec<String>>,
    meta: Option<Vec<String>>,
    default_meta: Option<Vec<String>>,
    weight: Option<String>,
}

#[derive(Debug)]
struct Node<'a> {
    tag: Cow<'a, str>,
    kind: Kind,
    /// Where the element's part of the text buffer begins: its weight marker and sentence
    /// space, then its text.
    start: usize,
    /// Where its own text begins, after that prefix.
    inner: usize,
    /// The prefix was written when the element opened (not for ignored elements).
    prefixed: bool,
    /// Nothing will read this element's text: it is dropped (ignored, or inside an ignored
    /// element) and no metadata, filter or title takes it. Its text is not kept, unless a
    /// body element opens inside it (then its text before the body is dropped anyway).
    sink: bool,
    status: Status,
    keys: Option<Box<Keys>>,
    /// Anchors whose text this element's text is part of.
    anchors: Option<Vec<u32>>,
}

/// `key:value` → (key, value); `key` → (key, this element's text), if it has any.
fn pair(input: &str, value: &str) -> Option<(String, String)> {
    match input.split_once(':') {
        Some((k, v)) => Some((k.to_string(), normalize_content(v))),
        None if value.is_empty() => None,
        None => Some((input.to_string(), normalize_content(value))),
    }
}

/// The weight marker an element opens with: its `data-pagefind-weight`, or a heading's
/// (7 for `h1` … 2 for `h6`).
fn weight_marker(kind: Kind, keys: Option<&Keys>) -> Option<(&'static str, &str)> {
    if let Some(w) = keys.and_then(|k| k.weight.as_deref()) {
        return Some((" ___PAGEFIND_WEIGHT___", w));
    }
    let auto = ["7", "6", "5", "4", "3", "2"].get(kind.heading().checked_sub(1)? as usize)?;
    Some((" ___PAGEFIND_AUTO_WEIGHT___", auto))
}

/// A `(start, end)` byte span as a range.
fn span((start, end): (u32, u32)) -> std::ops::Range<usize> {
    start as usize..end as usize
}

#[cfg(test)]
fn is_sentence(tag: &str) -> bool {
    matches!(
        tag,
        "h1" | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "p"
            | "td"
            | "div"
            | "ul"
            | "li"
            | "article"
            | "section"
    )
}

#[cfg(test)]
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "acronym"
            | "b"
            | "bdo"
            | "big"
            | "br"
            | "button"
            | "cite"
            | "code"
            | "dfn"
            | "em"
            | "i"
            | "img"
            | "input"
            | "kbd"
            | "label"
            | "map"
            | "object"
            | "output"
            | "q"
            | "samp"
            | "script"
            | "select"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "textarea"
            | "time"
            | "tt"
            | "var"
    )
}

/// Never indexed (Pagefind's default exclusions).
#[cfg(test)]
fn is_removed(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "style"
            | "script"
            | "noscript"
            | "label"
            | "form"
            | "svg"
            | "footer"
            | "nav"
            | "iframe"
            | "template"
    )
}

#[cfg(test)]
fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// What an element's name means to the reader, worked out once when it opens: void (no end
/// tag), inline (inherits its parent's anchors), removed (never indexed), sentence (its text
/// ends with a full stop), and a heading's level (1–6, which weighs its words).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Kind(u16);

impl Kind {
    const VOID: u16 = 1;
    const INLINE: u16 = 2;
    const REMOVED: u16 = 4;
    const SENTENCE: u16 = 8;

    fn of(tag: &str) -> Kind {
        const HEADING: u16 = 1 << 8;
        Kind(match tag {
            "a" | "abbr" | "acronym" | "b" | "bdo" | "big" | "button" | "cite" | "code" | "dfn"
            | "em" | "i" | "kbd" | "map" | "object" | "output" | "q" | "samp" | "select"
            | "small" | "span" | "strong" | "sub" | "sup" | "textarea" | "time" | "tt" | "var" => {
                Self::INLINE
            }
            "br" | "img" | "input" => Self::INLINE | Self::VOID,
            "label" | "script" => Self::INLINE | Self::REMOVED,
            "area" | "base" | "col" | "embed" | "hr" | "link" | "meta" | "param" | "source"
            | "track" | "wbr" => Self::VOID,
            "head" | "style" | "noscript" | "form" | "svg" | "footer" | "nav" | "iframe"
            | "template" => Self::REMOVED,
            "p" | "td" | "div" | "ul" | "li" | "article" | "section" => Self::SENTENCE,
            "h1" => Self::SENTENCE | HEADING,
            "h2" => Self::SENTENCE | (2 * HEADING),
            "h3" => Self::SENTENCE | (3 * HEADING),
            "h4" => Self::SENTENCE | (4 * HEADING),
            "h5" => Self::SENTENCE | (5 * HEADING),
            "h6" => Self::SENTENCE | (6 * HEADING),
            _ => 0,
        })
    }
    fn void(self) -> bool {
        self.0 & Self::VOID != 0
    }
    fn inline(self) -> bool {
        self.0 & Self::INLINE != 0
    }
    fn removed(self) -> bool {
        self.0 & Self::REMOVED != 0
    }
    fn sentence(self) -> bool {
        self.0 & Self::SENTENCE != 0
    }
    /// 1 for `h1` … 6 for `h6`, 0 for the rest.
    fn heading(self) -> u16 {
        self.0 >> 8
    }
}

/// Characters after which a closing block gets a full stop, so excerpts read as sentences.
fn sentence_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\'' | '"' | ')' | '$' | '*')
        || unicode_normalization::char::is_combining_mark(c)
}

/// Decode entities, trim, turn line breaks into spaces and collapse runs of whitespace:
/// Pagefind's `normalize_content` (which replaces `(\n|\r\n)+` with a space, then `\s{2,}`
/// with a space) in one pass. A whitespace run of two or more characters becomes a space
/// either way; a single one stays as it is, unless it is a line break.
pub fn normalize_content(s: &str) -> String {
    let decoded = if memchr::memchr(b'&', s.as_bytes()).is_some() {
        html_escape::decode_html_entities(s)
    } else {
        Cow::Borrowed(s)
    };
    let trimmed = decoded.trim_matches(char::is_whitespace);
    let mut out = String::with_capacity(trimmed.len());
    if trimmed.is_ascii() {
        let b = trimmed.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let run = b[i..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || *c == 0x0b)
                .unwrap_or(b.len() - i);
            out.push_str(&trimmed[i..i + run]);
            i += run;
            if i == b.len() {
                break;
            }
            let spaces = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace() || **c == 0x0b)
                .count();
            out.push(if spaces > 1 || b[i] == b'\n' {
                ' '
            } else {
                b[i] as char
            });
            i += spaces;
        }
        return out;
    }
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            out.push(c);
        } else if chars.peek().is_some_and(|n| n.is_whitespace()) {
            while chars.next_if(|n| n.is_whitespace()).is_some() {}
            out.push(' ');
        } else {
            out.push(if c == '\n' { ' ' } else { c });
        }
    }
    out
}

/// Call `f` with each word of `text` (as [`Parsed::text`] holds it), entities decoded: the
/// words of [`normalize_content`]'s result, without building it. Decoding word by word gives
/// the same words, because a character reference never spans whitespace (`&` … `;` with a
/// name or number inside), while a decoded one may hold whitespace (`&nbsp;`), so decoded
/// words are split again.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    // Byte classes: 0 in a word, 1 ASCII whitespace, 2 '&', 3 part of a non-ASCII character
    // (which may be whitespace: U+00A0, U+2003…).
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0x80;
        while i < 256 {
            t[i] = 3;
            i += 1;
        }
        t[b' ' as usize] = 1;
        t[b'\t' as usize] = 1;
        t[b'\n' as usize] = 1;
        t[0x0b] = 1;
        t[0x0c] = 1;
        t[b'\r' as usize] = 1;
        t[b'&' as usize] = 2;
        t
    };
    // The length of the whitespace character at `i`, if there is one.
    let space_at = |i: usize| -> Option<usize> {
        let ch = text[i..].chars().next().expect("i is a char boundary");
        ch.is_whitespace().then(|| ch.len_utf8())
    };
    let b = text.as_bytes();
    let mut i = 0;
    'words: while i < b.len() {
        match CLASS[b[i] as usize] {
            1 => {
                i += 1;
                continue;
            }
            3 => {
                if let Some(len) = space_at(i) {
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        let start = i;
        let mut amp = false;
        loop {
            i = skip_plain(b, i);
            while i < b.len() && CLASS[b[i] as usize] == 0 {
                i += 1;
            }
            if i == b.len() {
                break;
            }
            match CLASS[b[i] as usize] {
                1 => break,
                2 => {
                    amp = true;
                    i += 1;
                }
                _ => match space_at(i) {
                    Some(_) => break,
                    None => i += text[i..].chars().next().map_or(1, char::len_utf8),
                },
            }
        }
        let word = &text[start..i];
        if !amp {
            f(word);
            continue 'words;
        }
        match html_escape::decode_html_entities(word) {
            Cow::Borrowed(w) => f(w),
            Cow::Owned(w) => w.split_whitespace().for_each(&mut f),
        }
    }
}

/// The first index from `i` whose byte may end a word for [`for_each_word`] (ASCII
/// whitespace or another control character, `&`, or a non-ASCII byte), eight bytes at a time;
/// the end of the last whole eight (the caller goes on byte by byte). The bit tricks flag
/// exactly the bytes below 0x21 and the `&`s, except above a flagged byte, so the lowest flag
/// is exact.
#[inline]
fn skip_plain(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let control = x.wrapping_sub(ONES * 0x21) & !x;
        let y = x ^ (ONES * u64::from(b'&'));
        let amp = y.wrapping_sub(ONES) & !y;
        let flags = (control | amp | x) & HIGH;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Remove Pagefind's private markers (`___PAGEFIND_…` and one following space).
fn strip_markers(s: &str) -> Option<String> {
    if !s.contains("___PAGEFIND_") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("___PAGEFIND_") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "___PAGEFIND_".len()..];
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        if end == 0 {
            // `[\S]+` needs one character.
            out.push_str("___PAGEFIND_");
            rest = after;
            continue;
        }
        let mut tail = &after[end..];
        if let Some(c) = tail.chars().next() {
            tail = &tail[c.len_utf8()..];
        }
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

/// One attribute of the tag being read: byte ranges of its name and raw value in the page.
#[derive(Clone, Copy)]
struct Attr {
    name: (u32, u32),
    value: (u32, u32),
}

/// The attributes that change how an element is read, as bits of [`Attrs::marks`]: which of
/// them a tag has is noted while its attributes are read, so asking for one it lacks (most
/// tags have none) costs nothing.
mod mark {
    pub const ID: u16 = 1;
    pub const BODY: u16 = 1 << 1;
    pub const IGNORE: u16 = 1 << 2;
    pub const TITLE: u16 = 1 << 3;
    pub const INDEX_ATTRS: u16 = 1 << 4;
    pub const FILTER: u16 = 1 << 5;
    pub const SORT: u16 = 1 << 6;
    pub const META: u16 = 1 << 7;
    pub const DEFAULT_META: u16 = 1 << 8;
    pub const WEIGHT: u16 = 1 << 9;
    /// Another `data-pagefind-*` attribute.
    pub const OTHER: u16 = 1 << 10;

    /// The mark of an attribute name (any case); 0 for attributes the reader ignores (told
    /// apart by length first: most names are neither 2 bytes long nor 14 and more).
    #[inline]
    pub fn of(name: &[u8]) -> u16 {
        if name.eq_ignore_ascii_case(b"id") {
            return ID;
        }
        const PREFIX: &[u8] = b"data-pagefind-";
        if name.len() < PREFIX.len() || !name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX) {
            return 0;
        }
        let rest = &name[PREFIX.len()..];
        for (key, bit) in [
            (&b"body"[..], BODY),
            (b"ignore", IGNORE),
            (b"title", TITLE),
            (b"index-attrs", INDEX_ATTRS),
            (b"filter", FILTER),
            (b"sort", SORT),
            (b"meta", META),
            (b"default-meta", DEFAULT_META),
            (b"weight", WEIGHT),
        ] {
            if rest.eq_ignore_ascii_case(key) {
                return bit;
            }
        }
        OTHER
    }
}

/// The attributes of one tag; values are decoded when they are read.
struct Attrs<'h, 'v> {
    html: &'h str,
    list: &'v [Attr],
    /// The [`mark`]s of its attributes (most tags have none).
    marks: u16,
}

impl<'h> Attrs<'h, '_> {
    /// [`Attrs::get`] for an attribute with a [`mark`] (`name` is the attribute `bit` marks).
    fn get_marked(&self, bit: u16, name: &str) -> Option<Cow<'h, str>> {
        debug_assert_eq!(mark::of(name.as_bytes()), bit);
        if self.marks & bit == 0 {
            return None;
        }
        self.get(name)
    }
    fn find(&self, name: &str) -> Option<&Attr> {
        self.list
            .iter()
            .find(|a| self.html[span(a.name)].eq_ignore_ascii_case(name))
    }
    fn get(&self, name: &str) -> Option<Cow<'h, str>> {
        let a = self.find(name)?;
        let raw = &self.html[span(a.value)];
        Some(if memchr::memchr(b'&', raw.as_bytes()).is_some() {
            html_escape::decode_html_entities(raw)
        } else {
            Cow::Borrowed(raw)
        })
    }
}

/// `key`, `key:literal`, `key[attr]`, comma-separated; `[attr]` is read from this element.
fn parse_attr_string(input: &str, attrs: &Attrs) -> Vec<String> {
    if let Some((keys, literal)) = input.split_once(':') {
        let mut out = parse_attr_string(keys, attrs);
        if let Some(last) = out.last_mut() {
            last.push(':');
            last.push_str(literal);
        }
        return out;
    }
    input
        .split(',')
        .map(|chunk| {
            let chunk = chunk.trim();
            if let Some(open) = chunk.find('[')
                && chunk.ends_with(']')
                && open > 0
                && !chunk[..open].contains(']')
                && open + 1 < chunk.len() - 1
            {
                let name = chunk[..open].trim_start();
                let attr = &chunk[open + 1..chunk.len() - 1];
                format!("{name}:{}", attrs.get(attr).unwrap_or_default())
            } else {
                chunk.to_string()
            }
        })
        .collect()
}

struct Parser<'a> {
    /// The text of every open element, each owning the tail from its `start`.
    buf: String,
    stack: Vec<Node<'a>>,
    out: Parsed,
    default_meta: BTreeMap<String, String>,
    language: Option<String>,
}

/// Read one page.
pub fn parse(html: &str) -> Parsed {
    let mut p: Parser<'_> = Parser {
        buf: String::with_capacity(html.len() / 2),
        stack: vec![Node {
            tag: Cow::Borrowed(""),
            kind: Kind::default(),
            start: 0,
            inner: 0,
            prefixed: false,
            sink: false,
            status: Status::Indexing,
            keys: None,
            anchors: None,
        }],
        out: Parsed::default(),
        default_meta: BTreeMap::new(),
        language: None,
    };
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    // Only text inside <html> is read (Pagefind's root selector).
    let mut in_html = false;
    while i < b.len() {
        let Some(lt) = memchr::memchr(b'<', &b[i..]) else {
            break;
        };
        i += lt;
        if in_html && text_start < i {
            p.text(&html[text_start..i]);
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if rest.starts_with(b"</") {
            let (name, end) = tag_name(html, i + 2);
            i = find_byte(b, end, b'>').map_or(b.len(), |e| e + 1);
            if !name.is_empty() {
                p.close(&name);
                if name == "html" {
                    in_html = false;
                }
            }
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let (name, end) = tag_name(html, i + 1);
            let (end, self_closing, marks) = attributes(html, end, &mut attrs);
            let list = Attrs {
                html,
                list: &attrs,
                marks,
            };
            i = end;
            if name == "html" {
                in_html = true;
                if let Some(lang) = list.get("lang") {
                    p.language = Some(lang.to_lowercase());
                }
            }
            if in_html {
                let kind = Kind::of(&name);
                p.open(name.clone(), kind, &list, self_closing);
            }
            // Raw text: nothing inside is markup.
            if matches!(&*name, "script" | "style" | "title" | "textarea") && !self_closing {
                let end = find_end_tag(b, i, name.as_bytes()).unwrap_or(b.len());
                if in_html && i < end {
                    p.text(&html[i..end]);
                }
                i = end;
            }
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find_byte(b, i + 2, b'>').map_or(b.len(), |e| e + 1);
        } else {
            // A lone '<' is text.
            i += 1;
            text_start = i - 1;
            continue;
        }
        text_start = i;
    }
    if in_html && text_start < b.len() {
        p.text(&html[text_start..]);
    }
    p.finish()
}

/// The first `needle` byte from `from` on (`memmem` costs a searcher's setup on every call).
fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, b.get(from..)?).map(|p| p + from)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    memchr::memmem::find(&b[from..], needle).map(|p| p + from)
}

/// `</name` (any case) from `from` on.
fn find_end_tag(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    while from < b.len() {
        let at = from + memchr::memchr(b'<', &b[from..])?;
        let rest = &b[at + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn tag_name(html: &str, mut i: usize) -> (Cow<'_, str>, usize) {
    let b = html.as_bytes();
    let start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    (lower(&html[start..i]), i)
}

/// Attributes from `i` to the end of the tag into `out`: (index after '>', self-closing,
/// their [`mark`]s).
fn attributes(html: &str, mut i: usize, out: &mut Vec<Attr>) -> (usize, bool, u16) {
    let b = html.as_bytes();
    out.clear();
    let mut self_closing = false;
    let mut marks = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return (i, self_closing, marks);
        }
        if b[i] == b'>' {
            return (i + 1, self_closing, marks);
        }
        self_closing = false;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'>' | b'=' | b'/') {
            i += 1;
        }
        let name = (start as u32, i as u32);
        let n = &b[start..i];
        marks |= mark::of(n);
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = (i as u32, i as u32);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve, next) = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let e = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |p| p + i + 1);
                (i + 1, e, (e + 1).min(b.len()))
            } else {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                (s, i, i)
            };
            value = (vs as u32, ve as u32);
            i = next;
        }
        out.push(Attr { name, value });
    }
}

impl<'a> Parser<'a> {
    fn top(&mut self) -> &mut Node<'a> {
        self.stack
            .last_mut()
            .expect("the root node is never popped")
    }

    /// Append to the open element's text (unless nothing will read it).
    fn append(&mut self, s: &str) {
        if !self.stack.last().expect("root").sink {
            self.buf.push_str(s);
        }
    }

    /// [`Parser::append`], formatted in place.
    fn append_fmt(&mut self, args: std::fmt::Arguments) {
        if !self.stack.last().expect("root").sink {
            use std::fmt::Write as _;
            let _ = self.buf.write_fmt(args);
        }
    }

    fn text(&mut self, s: &str) {
        let node = self.stack.last().expect("root");
        if node.status == Status::Excluded {
            return;
        }
        if !node.sink {
            self.buf.push_str(s);
        }
        if node.status == Status::Ignored {
            return;
        }
        for &n in node.anchors.iter().flatten() {
            self.out.anchors[n as usize].text.push_str(s);
        }
    }

    fn open(&mut self, tag: Cow<'a, str>, kind: Kind, attrs: &Attrs, self_closing: bool) {
        let void = kind.void() || self_closing;
        // Only `id` and `data-pagefind-*` change how an element is read (and an image's
        // `src` and `alt`, when it is the page's image).
        if !(attrs.marks != 0 || (void && tag == "img")) {
            return self.open_plain(tag, kind, void);
        }
        let explicit = attrs
            .get_marked(mark::IGNORE, "data-pagefind-ignore")
            .map(|a| match a.to_ascii_lowercase().as_str() {
                "" | "index" | "true" => Status::Ignored,
                _ => Status::Excluded,
            });
        let status = if attrs.marks & mark::BODY != 0 {
            Status::Body
        } else {
            explicit.unwrap_or(Status::Indexing)
        };
        let list = |bit: u16, name: &str| {
            attrs
                .get_marked(bit, name)
                .map(|a| parse_attr_string(&a, attrs))
        };
        let parent_status = self.top().status;

        let mut anchor = None;
        if !matches!(status, Status::Excluded | Status::Ignored)
            && let Some(id) = attrs.get_marked(mark::ID, "id")
        {
            let id: String = if id.bytes().any(|c| c.is_ascii_whitespace() || c >= 0x80) {
                id.chars().filter(|c| !c.is_whitespace()).collect()
            } else {
                id.into_owned()
            };
            let outside_body = parent_status == Status::ParentOfBody
                && status != Status::Body
                && status != Status::ParentOfBody;
            if !outside_body {
                let n = self.out.anchors.len();
                self.append_fmt(format_args!(" ___PAGEFIND_ANCHOR___{tag}:{n}:{id} "));
                let title = attrs
                    .get_marked(mark::TITLE, "data-pagefind-title")
                    .map(|t| normalize_content(&t))
                    .filter(|t| !t.is_empty());
                self.out.anchors.push(Anchor {
                    id,
                    text: String::new(),
                    title,
                });
                anchor = Some(n as u32);
            }
        }
        if status != Status::Excluded {
            if let Some(list) = attrs.get_marked(mark::INDEX_ATTRS, "data-pagefind-index-attrs") {
                for a in list.split(',') {
                    let mut value = attrs.get(a.trim()).unwrap_or_default().into_owned();
                    if value.chars().last().is_some_and(sentence_char) {
                        value.push('.');
                    }
                    self.append(" ");
                    self.append(&value);
                    self.append(" ");
                }
            }
            if tag == "br" {
                self.append(" ");
            }
        }

        let parent = self.top();
        let mut anchors = if parent.anchors.is_some() && kind.inline() {
            parent.anchors.clone()
        } else {
            None
        };
        if let Some(n) = anchor {
            anchors.get_or_insert_with(Vec::new).push(n);
        }
        let status = if parent_status == Status::Excluded {
            Status::Excluded
        } else if kind.removed() {
            Status::Ignored
        } else {
            status
        };
        let keys = Keys {
            filter: list(mark::FILTER, "data-pagefind-filter"),
            sort: list(mark::SORT, "data-pagefind-sort"),
            meta: list(mark::META, "data-pagefind-meta"),
            default_meta: list(mark::DEFAULT_META, "data-pagefind-default-meta"),
            weight: attrs
                .get_marked(mark::WEIGHT, "data-pagefind-weight")
                .map(Cow::into_owned),
        };
        let keys = (keys.filter.is_some()
            || keys.sort.is_some()
            || keys.meta.is_some()
            || keys.default_meta.is_some()
            || keys.weight.is_some())
        .then(|| Box::new(keys));
        if void {
            self.void_element(&tag, status, keys.as_deref(), attrs);
        } else {
            self.push(tag, kind, status, keys, anchors);
        }
    }

    /// An element without attributes: inherits what it must from its parent, nothing else.
    fn open_plain(&mut self, tag: Cow<'a, str>, kind: Kind, void: bool) {
        let parent = self.top();
        let parent_status = parent.status;
        let anchors = if parent.anchors.is_some() && kind.inline() {
            parent.anchors.clone()
        } else {
            None
        };
        if tag == "br" {
            self.append(" ");
        }
        let status = match parent_status {
            Status::Excluded => Status::Excluded,
            _ if kind.removed() => Status::Ignored,
            _ => Status::Indexing,
        };
        if !void {
            self.push(tag, kind, status, None, anchors);
        }
    }

    /// Open an element: its part of the text starts here, with its prefix (weight marker,
    /// sentence space) unless it is ignored.
    fn push(
        &mut self,
        tag: Cow<'a, str>,
        kind: Kind,
        status: Status,
        keys: Option<Box<Keys>>,
        anchors: Option<Vec<u32>>,
    ) {
        let start = self.buf.len();
        if status == Status::Body {
            // Its ancestors' text before it is dropped; after it, it is kept.
            self.stack.iter_mut().for_each(|n| n.sink = false);
        }
        let uses_text = status != Status::Excluded
            && (keys.as_deref().is_some_and(|k| {
                k.filter.is_some()
                    || k.sort.is_some()
                    || k.meta.is_some()
                    || k.default_meta.is_some()
            }) || kind.heading() == 1
                || tag == "title");
        let sink = status == Status::Excluded
            || (!uses_text && (status == Status::Ignored || self.stack.last().expect("root").sink));
        let prefixed = !sink && !matches!(status, Status::Ignored | Status::Excluded);
        if prefixed {
            write_prefix(&mut self.buf, kind, keys.as_deref());
        }
        self.stack.push(Node {
            inner: self.buf.len(),
            tag,
            kind,
            start,
            prefixed,
            sink,
            status,
            keys,
            anchors,
        });
    }

    /// Metadata, filters and sort keys of a closing element whose text is `value`.
    fn collect(&mut self, keys: Option<&Keys>, value: &str) {
        let Some(keys) = keys else { return };
        for f in keys.filter.iter().flatten() {
            if let Some((k, v)) = pair(f, value) {
                self.out
                    .filters
                    .entry(k)
                    .or_default()
                    .push(normalize_content(&v));
            }
        }
        for s in keys.sort.iter().flatten() {
            if let Some((k, v)) = pair(s, value) {
                self.out.sort.insert(k, v);
            }
        }
        for m in keys.meta.iter().flatten() {
            if let Some((k, v)) = pair(m, value) {
                self.out.meta.insert(k, v);
            }
        }
        for m in keys.default_meta.iter().flatten() {
            if let Some((k, v)) = pair(m, value) {
                self.default_meta.insert(k, v);
            }
        }
    }

    fn void_element(&mut self, tag: &str, status: Status, keys: Option<&Keys>, attrs: &Attrs) {
        if status == Status::Excluded {
            return;
        }
        self.collect(keys, "");
        let meta = &mut self.out.meta;
        if tag == "img"
            && !meta.contains_key("auto_image")
            && (meta.contains_key("auto_title") || meta.contains_key("title"))
            && let Some(src) = attrs.get("src")
        {
            meta.insert("auto_image".into(), normalize_content(&src));
            if let Some(alt) = attrs.get("alt") {
                meta.insert("auto_image_alt".into(), normalize_content(&alt));
            }
        }
    }

    fn close(&mut self, tag: &str) {
        // Close up to the matching element; a stray end tag is ignored.
        let Some(depth) = self.stack.iter().rposition(|n| n.tag == tag) else {
            return;
        };
        if depth == 0 {
            return;
        }
        while self.stack.len() > depth {
            let node = self.stack.pop().expect("depth > 0");
            self.finish_node(node);
        }
    }

    fn finish_node(&mut self, node: Node<'a>) {
        if node.status == Status::Excluded || node.sink {
            // (A sink has no metadata, filters or sort keys to collect.)
            self.buf.truncate(node.start);
            return;
        }
        let value = std::mem::take(&mut self.buf);
        self.collect(node.keys.as_deref(), &value[node.inner..]);
        let meta = &mut self.out.meta;
        if node.kind.heading() == 1
            && !meta.contains_key("auto_title")
            && !value[node.inner..].trim().is_empty()
        {
            meta.insert("auto_title".into(), normalize_content(&value[node.inner..]));
        }
        if node.tag == "title" && !meta.contains_key("auto_page_title") {
            meta.insert(
                "auto_page_title".into(),
                normalize_content(&value[node.inner..]),
            );
        }
        self.buf = value;
        if node.status == Status::Ignored {
            self.buf.truncate(node.start);
            return;
        }
        if !node.prefixed {
            // An ignored element that became a body's parent: its prefix, written late.
            let mut prefix = String::new();
            write_prefix(&mut prefix, node.kind, node.keys.as_deref());
            self.buf.insert_str(node.start, &prefix);
        }
        if node.kind.sentence() {
            if self.buf[node.start..]
                .chars()
                .last()
                .is_some_and(sentence_char)
            {
                self.buf.push('.');
            }
            self.buf.push(' ');
        }
        if weight_marker(node.kind, node.keys.as_deref()).is_some() {
            self.buf.push_str(" ___END_PAGEFIND_WEIGHT___ ");
        }
        let parent = self.stack.last_mut().expect("root");
        if parent.status == Status::ParentOfBody
            && node.status != Status::Body
            && node.status != Status::ParentOfBody
        {
            self.buf.truncate(node.start);
            return;
        }
        match node.status {
            Status::Ignored | Status::Excluded | Status::Indexing => {}
            Status::Body | Status::ParentOfBody => {
                if parent.status != Status::ParentOfBody {
                    // The parent's own text so far is dropped; the body's takes its place.
                    self.buf.replace_range(parent.inner..node.start, "");
                }
                parent.status = Status::ParentOfBody;
            }
        }
    }

    fn finish(mut self) -> Parsed {
        // Unclosed elements fold into their parents as they are (no end-tag processing).
        while self.stack.len() > 1 {
            let node = self.stack.pop().expect("len > 1");
            let parent = self.stack.last_mut().expect("root");
            if parent.status == Status::ParentOfBody || node.sink {
                self.buf.truncate(node.start);
                continue;
            }
            match node.status {
                Status::Ignored | Status::Excluded => self.buf.truncate(node.start),
                Status::Indexing => {
                    self.buf.replace_range(node.start..node.inner, "");
                }
                Status::Body | Status::ParentOfBody => {
                    self.buf.replace_range(parent.inner..node.inner, "");
                    parent.status = Status::ParentOfBody;
                }
            }
        }
        let root = self.stack.pop().expect("root");
        let mut out = self.out;
        let meta = &mut out.meta;
        if let Some(image) = meta.remove("auto_image") {
            let alt = meta.remove("auto_image_alt").unwrap_or_default();
            if !meta.contains_key("image") {
                meta.insert("image".into(), image);
                meta.insert("image_alt".into(), alt);
            }
        }
        for auto in ["auto_title", "auto_page_title"] {
            if let Some(title) = meta.remove(auto)
                && !meta.contains_key("title")
            {
                meta.insert("title".into(), title);
            }
        }
        let mut all = self.default_meta;
        all.append(&mut out.meta);
        out.meta = all;
        for values in out.filters.values_mut() {
            for v in values.iter_mut() {
                if let Some(s) = strip_markers(v) {
                    *v = s;
                }
            }
        }
        for v in out.meta.values_mut() {
            if let Some(s) = strip_markers(v) {
                *v = s;
            }
        }
        out.text = self.buf;
        out.has_custom_body = root.status == Status::ParentOfBody;
        // The language names index files: only a plausible language tag is taken (a theme's
        // `lang="../x"` must not write outside the index folder).
        out.language = self
            .language
            .filter(|l| {
                !l.is_empty()
                    && l.len() <= 35
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            .unwrap_or_else(|| "unknown".into());
        out
    }
}

/// An element's prefix: its weight marker, then a space for sentence elements.
fn write_prefix(buf: &mut String, kind: Kind, keys: Option<&Keys>) {
    if let Some((marker, w)) = weight_marker(kind, keys) {
        buf.push_str(marker);
        buf.push_str(w);
        buf.push(' ');
    }
    if kind.sentence() {
        buf.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Parsed {
        parse(&format!(
            "<html lang=\"EN\"><head><title>T</title></head><body>{body}</body></html>"
        ))
    }

    #[test]
    fn body_ignore_weights_and_sentences() {
        let p = page(
            "<nav>Menu</nav><main data-pagefind-body><h1>Grain</h1><p>Reserves matter</p>\
             <aside data-pagefind-ignore>Skip <span data-pagefind-filter=\"topic\">Food</span></aside>\
             <p data-pagefind-weight=\"2\">Heavy words</p></main><footer>Foot</footer>",
        );
        assert_eq!(
            p.digest(),
            "___PAGEFIND_AUTO_WEIGHT___7 Grain. ___END_PAGEFIND_WEIGHT___ Reserves matter. \
             ___PAGEFIND_WEIGHT___2 Heavy words. ___END_PAGEFIND_WEIGHT___"
        );
        assert!(p.has_custom_body);
        assert_eq!(p.filters["topic"], vec!["Food"]);
        assert_eq!(p.meta["title"], "Grain");
        assert_eq!(p.language, "en");
    }

    #[test]
    fn attribute_names_in_any_case() {
        let lower = "<main data-pagefind-body><h2 id=\"a\" data-pagefind-title=\"T\">Grain</h2>\
             <p data-pagefind-weight=\"3\" data-pagefind-filter=\"topic:Food\">Heavy</p>\
             <span data-pagefind-ignore>Skip</span><i data-pagefind-meta=\"m\" \
             data-pagefind-sort=\"s:1\" data-pagefind-default-meta=\"d:x\">Meta</i>\
             <b data-pagefind-index-attrs=\"title\" title=\"Attr\"></b></main>";
        let upper = lower
            .replace("data-pagefind-", "DATA-PageFind-")
            .replace(" id=", " ID=")
            .replace("-title=", "-TITLE=");
        assert_ne!(lower, upper);
        let (a, b) = (page(lower), page(&upper));
        assert_eq!(a, b);
        assert!(a.has_custom_body && a.anchors[0].title.as_deref() == Some("T"));
        assert!(
            a.digest().contains("___PAGEFIND_WEIGHT___3 Heavy.") && !a.digest().contains("Skip")
        );
        assert_eq!(
            (a.filters["topic"][0].as_str(), a.sort["s"].as_str()),
            ("Food", "1")
        );
        assert_eq!((a.meta["m"].as_str(), a.meta["d"].as_str()), ("Meta", "x"));
        assert!(a.digest().contains("Attr."));
    }

    #[test]
    fn meta_forms_and_entities() {
        let p = page(
            "<div data-pagefind-meta=\"dek:US &amp; EU, a\"></div>\
             <img src=\"/x.png\" alt=\"A\" data-pagefind-meta=\"pic[src]\">\
             <h1 id=\"top\">Title &amp; more</h1><img src=\"/hero.jpg\" alt=\"Hero\">",
        );
        assert_eq!(p.meta["dek"], "US & EU, a");
        assert_eq!(p.meta["pic"], "/x.png");
        assert_eq!(p.meta["title"], "Title & more");
        assert_eq!(p.meta["image"], "/hero.jpg");
        assert_eq!(p.meta["image_alt"], "Hero");
        assert!(p.digest().contains("___PAGEFIND_ANCHOR___h1:0:top"));
        assert_eq!(p.anchor("0:top").unwrap().text, "Title &amp; more");
        assert!(p.anchor("00:top").is_none() && p.anchor("0:other").is_none());
        assert!(!p.has_custom_body);
    }

    #[test]
    fn excluded_subtrees_keep_nothing() {
        let p = page(
            "<div data-pagefind-ignore=\"all\"><span data-pagefind-filter=\"x\">y</span>z</div><p>kept</p>",
        );
        assert!(p.filters.is_empty());
        assert_eq!(p.digest(), "kept.");
    }

    #[test]
    fn only_language_tags_name_the_index() {
        let lang =
            |l: &str| parse(&format!("<html lang=\"{l}\"><body><p>x</p></body></html>")).language;
        assert_eq!(lang("pt-BR"), "pt-br");
        assert_eq!(lang("../../etc/x"), "unknown");
        assert_eq!(lang("en/../x"), "unknown");
        assert_eq!(lang(""), "unknown");
    }

    #[test]
    fn content_normalisation() {
        assert_eq!(
            normalize_content("\n  Hello  Wor\n ld? \n \n"),
            "Hello Wor ld?"
        );
        assert_eq!(normalize_content("a\n\nb"), "a b");
        assert_eq!(
            normalize_content("a\rb\tc\u{a0}d\r\ne  f"),
            "a\rb\tc\u{a0}d e f"
        );
        assert_eq!(
            strip_markers("x ___PAGEFIND_ANCHOR___h1:0:a y").as_deref(),
            Some("x y")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn words_are_those_of_the_normalised_text(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "B", " ", "\n", "\t", "\r\n", "\u{a0}", "\u{2003}", "é", "&", ";", "#", "amp",
                "#32", "#x41", "&amp;", "&nbsp;", "&#10;", "&#x2003;", "&lt;", "&#0;", "&#",
                // Longer runs, for the eight-bytes-at-a-time scan, and bytes next to its
                // thresholds (control characters and `!` around the space, DEL).
                "reserves", "international", "\x01", "\x1f", "!", "~", "\x7f",
            ]),
            0..32,
        )) {
            let text = parts.concat();
            let mut words = Vec::new();
            for_each_word(&text, |w| words.push(w.to_string()));
            let expected: Vec<String> =
                normalize_content(&text).split_whitespace().map(str::to_string).collect();
            proptest::prop_assert_eq!(words, expected);
        }

        #[test]
        fn normalising_ascii_as_before(parts in proptest::collection::vec(
            proptest::sample::select(vec!["a", " ", "  ", "\n", "\t", "\r", "\x0b", "\x0c", "&amp;", "x"]),
            0..16,
        )) {
            // The ASCII fast path against the general one (the same text with one non-ASCII
            // character after it, removed again).
            let text = parts.concat();
            let general = normalize_content(&format!("{text}é"));
            let general = general.strip_suffix('é').unwrap_or(&general).trim_end_matches(char::is_whitespace);
            proptest::prop_assert_eq!(normalize_content(&text), general);
        }
    }

    #[test]
    fn element_kinds_are_the_lists() {
        let names = "a abbr acronym b bdo big br button cite code dfn em i img input kbd label map \
                     object output q samp script select small span strong sub sup textarea time tt \
                     var head style noscript form svg footer nav iframe template area base col \
                     embed hr link meta param source track wbr h1 h2 h3 h4 h5 h6 p td div ul li \
                     article section main html body title aside figure x";
        for t in names.split_whitespace() {
            let k = Kind::of(t);
            assert_eq!(k.void(), is_void(t), "{t}");
            assert_eq!(k.inline(), is_inline(t), "{t}");
            assert_eq!(k.removed(), is_removed(t), "{t}");
            assert_eq!(k.sentence(), is_sentence(t), "{t}");
            let level = t
                .strip_prefix('h')
                .and_then(|n| n.parse::<u16>().ok())
                .unwrap_or(0);
            assert_eq!(k.heading(), level, "{t}");
        }
    }
}
