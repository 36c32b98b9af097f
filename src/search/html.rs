//! Reads a rendered page the way Pagefind reads it: which text is indexed, with which weight,
//! and the metadata, filters and sort keys the theme marks with `data-pagefind-*` attributes.
//!
//! A single forward scan with an element stack (no DOM). Each open element collects its text;
//! when it closes, its text moves into its parent's (or is dropped, for ignored elements), so
//! the root ends up with the page's "digest": the indexed text with inline markers for anchors
//! (`___PAGEFIND_ANCHOR___tag:n:id`) and weights (`___PAGEFIND_WEIGHT___2` …
//! `___END_PAGEFIND_WEIGHT___`), which [`super::record`] turns into words and positions.
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
    /// Indexed text with anchor and weight markers, whitespace-normalised.
    pub digest: String,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
    pub meta: BTreeMap<String, String>,
    /// Text of each anchor ("n:id"), for sub-results.
    pub anchor_content: BTreeMap<String, String>,
    /// `data-pagefind-title` of each anchor ("n:id").
    pub anchor_titles: BTreeMap<String, String>,
    /// The page marks its indexed part with `data-pagefind-body`.
    pub has_custom_body: bool,
    /// `<html lang>`, lower-cased; "unknown" without one.
    pub language: String,
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

#[derive(Debug)]
struct Node<'a> {
    tag: Cow<'a, str>,
    value: String,
    status: Status,
    filter: Option<Vec<String>>,
    sort: Option<Vec<String>>,
    meta: Option<Vec<String>>,
    default_meta: Option<Vec<String>>,
    weight: Option<String>,
    anchor_ids: Option<Vec<String>>,
}

impl Node<'_> {
    fn root() -> Self {
        Node {
            tag: Cow::Borrowed(""),
            value: String::new(),
            status: Status::Indexing,
            filter: None,
            sort: None,
            meta: None,
            default_meta: None,
            weight: None,
            anchor_ids: None,
        }
    }

    /// `key:value` → (key, value); `key` → (key, this element's text), if it has any.
    fn pair(&self, input: &str) -> Option<(String, String)> {
        match input.split_once(':') {
            Some((k, v)) => Some((k.to_string(), normalize_content(v))),
            None if self.value.is_empty() => None,
            None => Some((input.to_string(), normalize_content(&self.value))),
        }
    }
}

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
    let decoded = html_escape::decode_html_entities(s);
    let trimmed = decoded.trim_matches(char::is_whitespace);
    let mut out = String::with_capacity(trimmed.len());
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

struct Attrs<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl Attrs<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
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
    stack: Vec<Node<'a>>,
    out: Parsed,
    default_meta: BTreeMap<String, String>,
    language: Option<String>,
    anchor_counter: usize,
}

/// Read one page.
pub fn parse(html: &str) -> Parsed {
    let mut p: Parser<'_> = Parser {
        stack: vec![Node::root()],
        out: Parsed::default(),
        default_meta: BTreeMap::new(),
        language: None,
        anchor_counter: 0,
    };
    let b = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    // Only text inside <html> is read (Pagefind's root selector).
    let mut in_html = false;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if in_html && text_start < i {
            p.text(&html[text_start..i]);
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if rest.starts_with(b"</") {
            let (name, end) = tag_name(html, i + 2);
            i = find(b, end, b">").map_or(b.len(), |e| e + 1);
            if !name.is_empty() {
                p.close(&name);
                if name == "html" {
                    in_html = false;
                }
            }
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let (name, end) = tag_name(html, i + 1);
            let (attrs, end, self_closing) = attributes(html, end);
            i = end;
            if name == "html" {
                in_html = true;
                if let Some(lang) = attrs.get("lang") {
                    p.language = Some(lang.to_lowercase());
                }
            }
            if in_html {
                let void = is_void(&name);
                p.open(name.clone(), &attrs, void || self_closing);
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
            i = find(b, i + 2, b">").map_or(b.len(), |e| e + 1);
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

/// Attributes from `i` to the end of the tag: (attributes, index after '>', self-closing).
fn attributes(html: &str, mut i: usize) -> (Attrs<'_>, usize, bool) {
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return (Attrs(attrs), i, self_closing);
        }
        if b[i] == b'>' {
            return (Attrs(attrs), i + 1, self_closing);
        }
        self_closing = false;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'>' | b'=' | b'/') {
            i += 1;
        }
        let name = lower(&html[start..i]);
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = std::borrow::Cow::Borrowed("");
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve, next) = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let e = b[i + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| p + i + 1);
                (i + 1, e, (e + 1).min(b.len()))
            } else {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                (s, i, i)
            };
            value = html_escape::decode_html_entities(&html[vs..ve]);
            i = next;
        }
        attrs.push((name, value));
    }
}

impl<'a> Parser<'a> {
    fn top(&mut self) -> &mut Node<'a> {
        self.stack
            .last_mut()
            .expect("the root node is never popped")
    }

    fn text(&mut self, s: &str) {
        let node = self.stack.last_mut().expect("root");
        node.value.push_str(s);
        if matches!(node.status, Status::Ignored | Status::Excluded) {
            return;
        }
        if let Some(ids) = &node.anchor_ids {
            for id in ids {
                self.out
                    .anchor_content
                    .entry(id.clone())
                    .or_default()
                    .push_str(s);
            }
        }
    }

    fn open(&mut self, tag: Cow<'a, str>, attrs: &Attrs, void: bool) {
        if attrs.0.is_empty() {
            return self.open_plain(tag, void);
        }
        let explicit =
            attrs
                .get("data-pagefind-ignore")
                .map(|a| match a.to_ascii_lowercase().as_str() {
                    "" | "index" | "true" => Status::Ignored,
                    _ => Status::Excluded,
                });
        let status = if attrs.has("data-pagefind-body") {
            Status::Body
        } else {
            explicit.unwrap_or(Status::Indexing)
        };
        let list = |name: &str| attrs.get(name).map(|a| parse_attr_string(a, attrs));
        let parent_status = self.top().status;

        let mut anchor_id = None;
        if !matches!(status, Status::Excluded | Status::Ignored)
            && let Some(id) = attrs.get("id")
        {
            let id: String = id.chars().filter(|c| !c.is_whitespace()).collect();
            let outside_body = parent_status == Status::ParentOfBody
                && status != Status::Body
                && status != Status::ParentOfBody;
            if !outside_body {
                let n = self.anchor_counter;
                self.top()
                    .value
                    .push_str(&format!(" ___PAGEFIND_ANCHOR___{tag}:{n}:{id} "));
                anchor_id = Some(format!("{n}:{id}"));
                self.anchor_counter += 1;
            }
        }
        if let (Some(id), Some(title)) = (&anchor_id, attrs.get("data-pagefind-title")) {
            let title = normalize_content(title);
            if !title.is_empty() {
                self.out.anchor_titles.insert(id.clone(), title);
            }
        }
        if status != Status::Excluded {
            if let Some(list) = attrs.get("data-pagefind-index-attrs") {
                for a in list.split(',') {
                    let mut value = attrs.get(a.trim()).unwrap_or_default().to_string();
                    if value.chars().last().is_some_and(sentence_char) {
                        value.push('.');
                    }
                    let parent = self.top();
                    parent.value.push(' ');
                    parent.value.push_str(&value);
                    parent.value.push(' ');
                }
            }
            if tag == "br" {
                self.top().value.push(' ');
            }
        }

        let parent = self.top();
        let mut anchors = if parent.anchor_ids.is_some() && is_inline(&tag) {
            parent.anchor_ids.clone()
        } else {
            None
        };
        if let Some(id) = anchor_id {
            anchors.get_or_insert_with(Vec::new).push(id);
        }
        let status = if parent_status == Status::Excluded {
            Status::Excluded
        } else if is_removed(&tag) {
            Status::Ignored
        } else {
            status
        };
        let node = Node {
            tag,
            value: String::new(),
            status,
            filter: list("data-pagefind-filter"),
            sort: list("data-pagefind-sort"),
            meta: list("data-pagefind-meta"),
            default_meta: list("data-pagefind-default-meta"),
            weight: attrs.get("data-pagefind-weight").map(str::to_string),
            anchor_ids: anchors,
        };
        if void {
            self.void_element(node, attrs);
        } else {
            self.stack.push(node);
        }
    }

    /// An element without attributes: inherits what it must from its parent, nothing else.
    fn open_plain(&mut self, tag: Cow<'a, str>, void: bool) {
        let parent = self.top();
        if tag == "br" && parent.status != Status::Excluded {
            parent.value.push(' ');
        }
        let anchors = if parent.anchor_ids.is_some() && is_inline(&tag) {
            parent.anchor_ids.clone()
        } else {
            None
        };
        let status = match parent.status {
            Status::Excluded => Status::Excluded,
            _ if is_removed(&tag) => Status::Ignored,
            _ => Status::Indexing,
        };
        let node = Node {
            tag,
            value: String::new(),
            status,
            filter: None,
            sort: None,
            meta: None,
            default_meta: None,
            weight: None,
            anchor_ids: anchors,
        };
        if !void {
            self.stack.push(node);
        }
    }

    /// Metadata, filters and sort keys of a closing element.
    fn collect(&mut self, node: &Node) {
        for f in node.filter.iter().flatten() {
            if let Some((k, v)) = node.pair(f) {
                self.out
                    .filters
                    .entry(k)
                    .or_default()
                    .push(normalize_content(&v));
            }
        }
        for s in node.sort.iter().flatten() {
            if let Some((k, v)) = node.pair(s) {
                self.out.sort.insert(k, v);
            }
        }
        for m in node.meta.iter().flatten() {
            if let Some((k, v)) = node.pair(m) {
                self.out.meta.insert(k, v);
            }
        }
        for m in node.default_meta.iter().flatten() {
            if let Some((k, v)) = node.pair(m) {
                self.default_meta.insert(k, v);
            }
        }
    }

    fn void_element(&mut self, node: Node<'a>, attrs: &Attrs) {
        if node.status == Status::Excluded {
            return;
        }
        self.collect(&node);
        let meta = &mut self.out.meta;
        if node.tag == "img"
            && !meta.contains_key("auto_image")
            && (meta.contains_key("auto_title") || meta.contains_key("title"))
            && let Some(src) = attrs.get("src")
        {
            meta.insert("auto_image".into(), normalize_content(src));
            if let Some(alt) = attrs.get("alt") {
                meta.insert("auto_image_alt".into(), normalize_content(alt));
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

    fn finish_node(&mut self, mut node: Node<'a>) {
        if node.status == Status::Excluded {
            return;
        }
        self.collect(&node);
        let meta = &mut self.out.meta;
        if node.tag == "h1" && !meta.contains_key("auto_title") && !node.value.trim().is_empty() {
            meta.insert("auto_title".into(), normalize_content(&node.value));
        }
        if node.tag == "title" && !meta.contains_key("auto_page_title") {
            meta.insert("auto_page_title".into(), normalize_content(&node.value));
        }
        if node.status == Status::Ignored {
            return;
        }
        if is_sentence(&node.tag) {
            node.value.insert(0, ' ');
            if node.value.chars().last().is_some_and(sentence_char) {
                node.value.push('.');
            }
            node.value.push(' ');
        }
        let auto = match &*node.tag {
            "h1" => Some("7"),
            "h2" => Some("6"),
            "h3" => Some("5"),
            "h4" => Some("4"),
            "h5" => Some("3"),
            "h6" => Some("2"),
            _ => None,
        };
        if let Some(w) = &node.weight {
            node.value = [
                " ___PAGEFIND_WEIGHT___",
                w,
                " ",
                &node.value,
                " ___END_PAGEFIND_WEIGHT___ ",
            ]
            .concat();
        } else if let Some(w) = auto {
            node.value = [
                " ___PAGEFIND_AUTO_WEIGHT___",
                w,
                " ",
                &node.value,
                " ___END_PAGEFIND_WEIGHT___ ",
            ]
            .concat();
        }
        let parent = self.top();
        Self::merge_into(parent, node);
    }

    fn merge_into(parent: &mut Node, node: Node) {
        if parent.status == Status::ParentOfBody
            && node.status != Status::Body
            && node.status != Status::ParentOfBody
        {
            return;
        }
        match node.status {
            Status::Ignored | Status::Excluded => {}
            Status::Indexing => parent.value.push_str(&node.value),
            Status::Body | Status::ParentOfBody => {
                if parent.status != Status::ParentOfBody {
                    parent.value.clear();
                }
                parent.value.push_str(&node.value);
                parent.status = Status::ParentOfBody;
            }
        }
    }

    fn finish(mut self) -> Parsed {
        // Unclosed elements fold into their parents as they are (no end-tag processing).
        while self.stack.len() > 1 {
            let node = self.stack.pop().expect("len > 1");
            let parent = self.top();
            if parent.status != Status::ParentOfBody {
                match node.status {
                    Status::Ignored | Status::Excluded => {}
                    Status::Indexing => parent.value.push_str(&node.value),
                    Status::Body | Status::ParentOfBody => {
                        parent.value.clear();
                        parent.value.push_str(&node.value);
                        parent.status = Status::ParentOfBody;
                    }
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
        out.digest = normalize_content(&root.value);
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
            p.digest,
            "___PAGEFIND_AUTO_WEIGHT___7 Grain. ___END_PAGEFIND_WEIGHT___ Reserves matter. \
             ___PAGEFIND_WEIGHT___2 Heavy words. ___END_PAGEFIND_WEIGHT___"
        );
        assert!(p.has_custom_body);
        assert_eq!(p.filters["topic"], vec!["Food"]);
        assert_eq!(p.meta["title"], "Grain");
        assert_eq!(p.language, "en");
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
        assert!(p.digest.contains("___PAGEFIND_ANCHOR___h1:0:top"));
        assert_eq!(p.anchor_content["0:top"], "Title &amp; more");
        assert!(!p.has_custom_body);
    }

    #[test]
    fn excluded_subtrees_keep_nothing() {
        let p = page(
            "<div data-pagefind-ignore=\"all\"><span data-pagefind-filter=\"x\">y</span>z</div><p>kept</p>",
        );
        assert!(p.filters.is_empty());
        assert_eq!(p.digest, "kept.");
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
}
