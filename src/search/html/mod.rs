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
//!
//! `tags` knows how Pagefind treats each element, `attrs` reads tag names and attributes,
//! `text` splits and normalises the indexed text.

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

mod attrs;
mod tags;
#[cfg(test)]
mod tests;
mod text;

use attrs::*;
use tags::*;
pub use text::*;

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
