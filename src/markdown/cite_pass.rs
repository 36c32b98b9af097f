//! The citation pass over a document's events: find every citation (bracketed ones the
//! broken-link callback marked, `@key` in text), number them with the footnotes, let the
//! [`Citer`] render them all at once (a style's "ibid." and disambiguation need the whole
//! document), and put the results back: inline HTML, or footnotes for note styles.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::cites::{self, Bracket, Citation, CiteItem, CiteMode, CiteOutput, Citer, Rendering};

/// What the pass hands back besides the events.
pub(super) struct Cited {
    /// Plain text of inline citations by their index in the returned events (for word counts
    /// and the first paragraph).
    pub texts: HashMap<usize, String>,
    /// The citer's output.
    pub output: CiteOutput,
}

/// An output event, or the place of citation N.
enum Slot<'a> {
    Ev(Event<'a>),
    Cite(usize),
}

/// Where a citation sits, for its note number.
enum Anchor {
    /// In the text: the running count of notes when it was met.
    Text(usize),
    /// Inside the definition of this footnote label.
    Note(String),
}

/// Run the pass. `events` and `ranges` are parallel (source byte ranges); `src` is the body
/// and `first_line` its first line in the file.
pub(super) fn apply<'a>(
    events: Vec<Event<'a>>,
    ranges: Vec<Range<usize>>,
    brackets: &[Bracket],
    citer: &dyn Citer,
    src: &str,
    first_line: usize,
) -> (Vec<Event<'a>>, Cited) {
    let (events, ranges) = merge_text(events, ranges);
    let mut lines = Positions::new(src, first_line);
    let mut pos = |offset: usize| lines.at(offset);
    let mut slots: Vec<Slot<'a>> = Vec::with_capacity(events.len());
    let mut citations: Vec<Citation> = Vec::new();
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut label_numbers: HashMap<String, usize> = HashMap::new();
    let mut notes = 0usize;
    let mut in_def: Option<String> = None;
    let (mut code, mut links, mut skip_cite) = (0usize, 0usize, false);
    for (ev, range) in events.into_iter().zip(ranges) {
        if skip_cite {
            skip_cite = !matches!(ev, Event::End(TagEnd::Link));
            continue;
        }
        match &ev {
            Event::Start(Tag::Link { dest_url, .. }) if cites::is_cite_dest(dest_url) => {
                let n: usize = dest_url[dest_url.find(':').map_or(0, |i| i + 1)..]
                    .parse()
                    .unwrap_or(usize::MAX);
                if let Some(b) = brackets.get(n) {
                    let (line, col) = pos(b.span.start);
                    if in_def.is_none() {
                        notes += 1;
                    }
                    anchors.push(anchor(&in_def, notes));
                    slots.push(Slot::Cite(citations.len()));
                    citations.push(Citation {
                        items: b.items.clone(),
                        mode: CiteMode::Bracketed,
                        in_note: in_def.is_some(),
                        note_number: None,
                        line,
                        col,
                        written: src[b.span.clone()].to_string(),
                    });
                    skip_cite = true;
                    continue;
                }
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => links = links.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::FootnoteDefinition(l)) => in_def = Some(l.to_string()),
            Event::End(TagEnd::FootnoteDefinition) => in_def = None,
            Event::FootnoteReference(l)
                if in_def.is_none() && !label_numbers.contains_key(&**l) =>
            {
                notes += 1;
                label_numbers.insert(l.to_string(), notes);
            }
            Event::Text(t) if code == 0 && links == 0 && t.contains('@') => {
                let mut found = in_text(t, src, range.clone());
                if !found.is_empty() {
                    let text = t.to_string();
                    let mut at = 0;
                    for (cut, mut c) in found.drain(..) {
                        if cut.start > at {
                            slots.push(Slot::Ev(Event::Text(CowStr::from(
                                text[at..cut.start].to_string(),
                            ))));
                        }
                        (c.line, c.col) = pos(c.line);
                        c.in_note = in_def.is_some();
                        if in_def.is_none() {
                            notes += 1;
                        }
                        anchors.push(anchor(&in_def, notes));
                        slots.push(Slot::Cite(citations.len()));
                        citations.push(c);
                        at = cut.end;
                    }
                    if at < text.len() {
                        slots.push(Slot::Ev(Event::Text(CowStr::from(text[at..].to_string()))));
                    }
                    continue;
                }
            }
            _ => {}
        }
        slots.push(Slot::Ev(ev));
    }
    for (c, a) in citations.iter_mut().zip(&anchors) {
        c.note_number = match a {
            Anchor::Text(n) => Some(*n),
            Anchor::Note(label) => label_numbers.get(label).copied(),
        };
    }
    let output = if citations.is_empty() {
        CiteOutput::default()
    } else {
        citer.cite(&citations)
    };
    let (events, texts) = materialise(slots, &citations, &output);
    (events, Cited { texts, output })
}

fn anchor(in_def: &Option<String>, notes: usize) -> Anchor {
    match in_def {
        Some(l) => Anchor::Note(l.clone()),
        None => Anchor::Text(notes),
    }
}

/// Put each citation's rendering in its place; note citations become footnote references
/// whose definitions go at the end, where the endnotes pass collects them.
fn materialise<'a>(
    slots: Vec<Slot<'a>>,
    citations: &[Citation],
    output: &CiteOutput,
) -> (Vec<Event<'a>>, HashMap<usize, String>) {
    let mut out = Vec::with_capacity(slots.len() + 8);
    let mut defs = Vec::new();
    let mut texts = HashMap::new();
    // A note reference waiting for the punctuation after it ("supply [@a]." → "supply.¹").
    let mut pending: Option<Event<'a>> = None;
    for slot in slots {
        let i = match slot {
            Slot::Ev(e) => {
                match pending.take() {
                    Some(note) => place_after_punctuation(&mut out, note, e),
                    None => out.push(e),
                }
                continue;
            }
            Slot::Cite(i) => i,
        };
        if let Some(note) = pending.take() {
            out.push(note);
        }
        let (inline, note) = match output.rendered.get(i) {
            Some(Rendering::Inline { html, text }) => (Some((html, text)), None),
            Some(Rendering::Note(html)) => (None, Some(html)),
            Some(Rendering::InlineWithNote { html, text, note }) => {
                (Some((html, text)), Some(note))
            }
            Some(Rendering::AsWritten) | None => {
                out.push(Event::Text(CowStr::from(citations[i].written.clone())));
                continue;
            }
        };
        if let Some((html, text)) = inline {
            texts.insert(out.len(), text.clone());
            out.push(Event::InlineHtml(CowStr::from(html.clone())));
        }
        if let Some(html) = note {
            // NUL never reaches a document (it is replaced first), so no author's label can
            // collide with these.
            let label = CowStr::from(format!("\0cite-{i}"));
            if inline.is_none() {
                // The note replaces the citation and the space (or line break) before it.
                while matches!(out.last(), Some(Event::SoftBreak)) {
                    out.pop();
                }
                if let Some(Event::Text(t)) = out.last_mut() {
                    *t = CowStr::from(t.trim_end().to_string());
                }
                pending = Some(Event::FootnoteReference(label.clone()));
            } else {
                out.push(Event::FootnoteReference(label.clone()));
            }
            defs.extend([
                Event::Start(Tag::FootnoteDefinition(label)),
                Event::Start(Tag::Paragraph),
                Event::InlineHtml(CowStr::from(html.clone())),
                Event::End(TagEnd::Paragraph),
                Event::End(TagEnd::FootnoteDefinition),
            ]);
        }
    }
    out.extend(pending);
    out.extend(defs);
    (out, texts)
}

/// Put a note reference after the punctuation that starts `next` (and any closing quote or
/// bracket after it), else before `next`.
fn place_after_punctuation<'a>(out: &mut Vec<Event<'a>>, note: Event<'a>, next: Event<'a>) {
    if let Event::Text(t) = &next {
        let end = t
            .char_indices()
            .take_while(|(_, c)| ".,;:!?”’)]".contains(*c))
            .last()
            .map(|(i, c)| i + c.len_utf8());
        if let Some(end) = end {
            out.push(Event::Text(CowStr::from(t[..end].to_string())));
            out.push(note);
            if end < t.len() {
                out.push(Event::Text(CowStr::from(t[end..].to_string())));
            }
            return;
        }
    }
    out.push(note);
    out.push(next);
}

/// Join runs of text events (pulldown-cmark splits text at brackets and entities), so that
/// `@key [p. 3]` is one string.
fn merge_text<'a>(
    events: Vec<Event<'a>>,
    ranges: Vec<Range<usize>>,
) -> (Vec<Event<'a>>, Vec<Range<usize>>) {
    let mut ev_out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut r_out: Vec<Range<usize>> = Vec::with_capacity(events.len());
    for (ev, r) in events.into_iter().zip(ranges) {
        if let (Event::Text(t), Some(Event::Text(prev))) = (&ev, ev_out.last_mut()) {
            let mut joined = prev.to_string();
            joined.push_str(t);
            *prev = CowStr::from(joined);
            let last = r_out.last_mut().expect("parallel");
            last.end = last.end.max(r.end);
            continue;
        }
        ev_out.push(ev);
        r_out.push(r);
    }
    (ev_out, r_out)
}

/// `@key` and `@key [locator]` citations in a text event: (byte range in the text,
/// citation). The citation's `line` holds the source offset until the caller turns it into
/// a position.
fn in_text(t: &str, src: &str, range: Range<usize>) -> Vec<(Range<usize>, Citation)> {
    let mut out = Vec::new();
    let mut search_from = range.start;
    let mut prev: Option<char> = None;
    let mut skip_to = 0;
    for (i, c) in t.char_indices() {
        let starts = c == '@'
            && i >= skip_to
            && prev.is_none_or(|p| !(p.is_alphanumeric() || matches!(p, '_' | '@' | '.' | '-')));
        prev = Some(c);
        if !starts {
            continue;
        }
        let Some((key, len)) = cites::key_at(&t[i + 1..]) else {
            continue;
        };
        let mut end = i + 1 + len;
        let mut item = CiteItem {
            key: key.clone(),
            prefix: String::new(),
            locator: None,
            suffix: String::new(),
            suppress_author: false,
        };
        // `@key [p. 33]`: a bracket right after the key holds its locator and suffix.
        let rest = &t[end..];
        let gap = rest.len() - rest.trim_start_matches(' ').len();
        if rest[gap..].starts_with('[')
            && let Some(close) = rest[gap..].find(']')
            && let Some(extra) =
                cites::parse_bracket(&format!("@x, {}", &rest[gap + 1..gap + close]))
        {
            item.locator = extra[0].locator.clone();
            item.suffix = extra[0].suffix.clone();
            end += gap + close + 1;
        }
        let written = &t[i..end];
        let offset = src
            .get(search_from..range.end.max(search_from))
            .and_then(|s| s.find(&format!("@{key}")))
            .map_or(range.start, |o| search_from + o);
        search_from = offset + 1;
        skip_to = end;
        if offset > 0 && src.as_bytes().get(offset - 1) == Some(&b'\\') {
            continue; // `\@name` is a literal at-sign
        }
        out.push((
            i..end,
            Citation {
                items: vec![item],
                mode: CiteMode::InText,
                in_note: false,
                note_number: None,
                line: offset,
                col: 0,
                written: written.to_string(),
            },
        ));
    }
    out
}

/// Byte offset in the body → (line in the file, column in characters from 1), reading the
/// source once for offsets met in order.
struct Positions<'s> {
    src: &'s str,
    first_line: usize,
    at: usize,
    line: usize,
    line_start: usize,
}

impl<'s> Positions<'s> {
    fn new(src: &'s str, first_line: usize) -> Self {
        Self {
            src,
            first_line,
            at: 0,
            line: 0,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        if offset < self.at {
            (self.at, self.line, self.line_start) = (0, 0, 0);
        }
        for (i, b) in self.src.as_bytes()[self.at..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.at + i + 1;
            }
        }
        self.at = offset;
        let col = self.src[self.line_start..offset].chars().count() + 1;
        (self.first_line + self.line, col)
    }
}
