//! Reading tags: names, attributes (with a bit set of which `data-pagefind-*` ones a tag has)
//! and the byte searches the scanner uses.

use std::borrow::Cow;

/// A `(start, end)` byte span as a range.
pub(super) fn span((start, end): (u32, u32)) -> std::ops::Range<usize> {
    start as usize..end as usize
}

/// One attribute of the tag being read: byte ranges of its name and raw value in the page.
#[derive(Clone, Copy)]
pub(super) struct Attr {
    pub(super) name: (u32, u32),
    pub(super) value: (u32, u32),
}

/// The attributes that change how an element is read, as bits of [`Attrs::marks`]: which of
/// them a tag has is noted while its attributes are read, so asking for one it lacks (most
/// tags have none) costs nothing.
pub(super) mod mark {
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
pub(super) struct Attrs<'h, 'v> {
    pub(super) html: &'h str,
    pub(super) list: &'v [Attr],
    /// The [`mark`]s of its attributes (most tags have none).
    pub(super) marks: u16,
}

impl<'h> Attrs<'h, '_> {
    /// [`Attrs::get`] for an attribute with a [`mark`] (`name` is the attribute `bit` marks).
    pub(super) fn get_marked(&self, bit: u16, name: &str) -> Option<Cow<'h, str>> {
        debug_assert_eq!(mark::of(name.as_bytes()), bit);
        if self.marks & bit == 0 {
            return None;
        }
        self.get(name)
    }
    pub(super) fn find(&self, name: &str) -> Option<&Attr> {
        self.list
            .iter()
            .find(|a| self.html[span(a.name)].eq_ignore_ascii_case(name))
    }
    pub(super) fn get(&self, name: &str) -> Option<Cow<'h, str>> {
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
pub(super) fn parse_attr_string(input: &str, attrs: &Attrs) -> Vec<String> {
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

/// The first `needle` byte from `from` on (`memmem` costs a searcher's setup on every call).
pub(super) fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, b.get(from..)?).map(|p| p + from)
}

pub(super) fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    memchr::memmem::find(&b[from..], needle).map(|p| p + from)
}

/// `</name` (any case) from `from` on.
pub(super) fn find_end_tag(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
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

pub(super) fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

pub(super) fn tag_name(html: &str, mut i: usize) -> (Cow<'_, str>, usize) {
    let b = html.as_bytes();
    let start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    (lower(&html[start..i]), i)
}

/// Attributes from `i` to the end of the tag into `out`: (index after '>', self-closing,
/// their [`mark`]s).
pub(super) fn attributes(html: &str, mut i: usize, out: &mut Vec<Attr>) -> (usize, bool, u16) {
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
