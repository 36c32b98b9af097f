//! Markdown → HTML, as a chain of small passes over pulldown-cmark events.
//!
//! `render` parses once into a `Vec<Event>`, then each pass rewrites that vector without
//! recursion: heading ids and anchors (and the table of contents), numbered endnotes with links
//! both ways, highlighted code, and word/summary statistics. Raw HTML passes through unchanged
//! (authors are trusted); everything from front matter is escaped later by the templates.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::slug::slugify;

mod cite_pass;
mod cites;
pub mod components;
mod notes;

pub use cites::{Citation, CiteItem, CiteMode, CiteOutput, Citer, Rendering};
use notes::{endnotes, undefined_footnotes};

/// One heading of a document, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The `id` attribute, unique in the document.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// The result of rendering one Markdown document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML body.
    pub html: String,
    /// Every heading, in order.
    pub toc: Vec<Heading>,
    /// Words in the text (for reading time).
    pub words: usize,
    /// Plain text of the first top-level paragraph (the automatic summary).
    pub first_paragraph: String,
    /// Number of endnotes.
    pub footnotes: usize,
    /// Every link and image destination as written, with its line in the file.
    pub links: Vec<LinkRef>,
    /// Footnote labels defined but never referenced, with the definition's line.
    pub unused_notes: Vec<(String, usize)>,
    /// `[^label]` written in the text with no definition, with its line.
    pub undefined_notes: Vec<(String, usize)>,
    /// Bibliography keys cited (`[@key]`), in order of first citation.
    pub cited: Vec<String>,
    /// Citation problems at (line, column): unknown keys in brackets.
    pub cite_errors: Vec<(usize, usize, String)>,
    /// Citation doubts at (line, column): `@name` in the text that no bibliography has.
    pub cite_warnings: Vec<(usize, usize, String)>,
    /// Components written in it, numbered like the markers left in `html` until the renderer
    /// draws them ([`components`]).
    pub components: Vec<components::Invocation>,
    /// Component syntax errors at (line, column).
    pub component_errors: Vec<(usize, usize, String)>,
}

/// `s` in a buffer of its length (a copy when it has more than a little spare room).
fn exact(s: String) -> String {
    if s.capacity() - s.len() > 64 {
        s.as_str().to_owned()
    } else {
        s
    }
}

/// A link or image in the Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// Destination as written (`@/briefs/a.md#x`, `chart.png`, `https://…`).
    pub dest: String,
    /// Line in the file.
    pub line: usize,
    /// True for images.
    pub image: bool,
}

/// What happens to raw HTML written in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Passed through (trusted staff embedding charts); dangerous link targets still removed.
    #[default]
    Allow,
    /// Cleaned with ammonia (outside contributions).
    Sanitize,
}

/// Per-document options.
#[derive(Debug, Clone)]
pub struct MarkdownOptions<'a> {
    /// Heading above the endnotes ("Notes"; "الهوامش" for Arabic…).
    pub notes_heading: &'a str,
    /// Raw HTML policy.
    pub raw_html: RawHtml,
    /// Line of the file where the Markdown starts (after front matter), for positions.
    pub first_line: usize,
    /// Renders `[@key]` citations; without one, citation syntax is plain text.
    pub citer: Option<&'a dyn Citer>,
    /// Turns images into responsive `<picture>`s (issue 26); without one, `<img>` as written.
    pub pictures: Option<&'a dyn Pictures>,
}

/// Responsive markup for images written in Markdown (dossier's processed images).
pub trait Pictures: Sync + std::fmt::Debug {
    /// Markup for the image `dest` with alt text `alt` and `title`, or None to leave it as
    /// the `<img>` written.
    fn picture(&self, dest: &str, alt: &str, title: &str) -> Option<String>;
}

impl Default for MarkdownOptions<'_> {
    fn default() -> Self {
        Self {
            notes_heading: "Notes",
            raw_html: RawHtml::Allow,
            first_line: 1,
            citer: None,
            pictures: None,
        }
    }
}

pub(crate) fn parser_options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// Render a Markdown document.
pub fn render(src: &str, opts: &MarkdownOptions<'_>) -> Rendered {
    // NUL never reaches output (CommonMark says to replace it with U+FFFD); pulldown-cmark
    // passes it through, so do it here for every caller, not only for files (issue 6).
    // The private-use characters that carry component markers through HTML cleaning
    // ([`components::protect`]) are not the author's to write.
    let reserved = |c: char| c == '\0' || c == '\u{e000}' || c == '\u{e001}';
    let owned;
    let src = if src.contains(reserved) {
        owned = src.replace(reserved, "\u{fffd}");
        owned.as_str()
    } else {
        src
    };
    let extracted =
        components::may_have_components(src).then(|| components::extract(src, opts.first_line));
    let src = extracted.as_ref().map_or(src, |x| x.src.as_str());
    let mut line_index = LineIndex::new(src, opts.first_line);
    let mut links = Vec::new();
    let mut defined: Vec<(String, usize)> = Vec::new();
    let mut referenced: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let citer = opts.citer.filter(|_| src.contains('@'));
    let brackets = std::cell::RefCell::new(Vec::new());
    let mut ranges = Vec::new();
    let parser = Parser::new_with_broken_link_callback(
        src,
        parser_options(),
        citer.map(|_| cites::on_broken_link(&brackets)),
    );
    for (ev, range) in parser.into_offset_iter() {
        match &ev {
            Event::Start(Tag::Link { dest_url, .. }) if cites::is_cite_dest(dest_url) => {}
            Event::Start(Tag::Link { dest_url, .. }) => links.push(LinkRef {
                dest: dest_url.to_string(),
                line: line_index.line(range.start),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => links.push(LinkRef {
                dest: dest_url.to_string(),
                line: line_index.line(range.start),
                image: true,
            }),
            Event::Start(Tag::FootnoteDefinition(l)) => {
                defined.push((l.to_string(), line_index.line(range.start)))
            }
            Event::FootnoteReference(l) => {
                referenced.insert(l.to_string());
            }
            _ => {}
        }
        if citer.is_some() {
            ranges.push(range);
        }
        events.push(ev);
    }
    let (events, cited) = match citer {
        Some(c) => {
            let (e, cited) =
                cite_pass::apply(events, ranges, &brackets.borrow(), c, src, opts.first_line);
            (e, Some(cited))
        }
        None => (events, None),
    };
    let unused_notes = defined
        .iter()
        .filter(|(l, _)| !referenced.contains(l))
        .cloned()
        .collect();
    let undefined_notes = undefined_footnotes(src, &defined, &mut line_index);
    let (words, first_paragraph) = text_stats(&events, cited.as_ref().map(|c| &c.texts));
    let (events, toc) = heading_ids(events);
    let (mut events, footnotes) = endnotes(events, opts.notes_heading);
    let cite_output = cited.map(|c| c.output).unwrap_or_default();
    if let Some(b) = &cite_output.bibliography {
        events.push(Event::Html(CowStr::from(b.clone())));
    }
    let events = highlight_code(events);
    let events = safe_links(events);
    let events = match opts.pictures {
        Some(p) => pictures(events, p),
        None => events,
    };
    let mut out = String::with_capacity(src.len() + src.len() / 2);
    html::push_html(&mut out, events.into_iter());
    if opts.raw_html == RawHtml::Sanitize {
        // Components are the theme's, not the author's HTML: their markers outlive cleaning.
        out = components::unprotect(&crate::safety::sanitize(&components::protect(&out)));
    }
    let (components, component_errors) =
        extracted.map_or_else(Default::default, |x| (x.invocations, x.errors));
    Rendered {
        components,
        component_errors,
        // Kept until the build ends, so kept at its length: the buffer was reserved at 1.5× the
        // Markdown and may have doubled, and the allocator keeps a block shrunk by less than
        // half (measured: 0.3 GB of a 100,000-brief build). One copy of the body is cheaper.
        html: exact(out),
        toc,
        words,
        first_paragraph,
        links,
        unused_notes,
        undefined_notes,
        footnotes,
        cited: cite_output.cited,
        cite_errors: cite_output.errors,
        cite_warnings: cite_output.warnings,
    }
}

/// Replace each image (its start, alt-text events and end) with the markup `p` gives it.
fn pictures<'a>(events: Vec<Event<'a>>, p: &dyn Pictures) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut it = events.into_iter();
    while let Some(ev) = it.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &ev
        else {
            out.push(ev);
            continue;
        };
        // The alt text is the plain text of everything up to the matching end.
        let (mut inner, mut alt, mut depth) = (Vec::new(), String::new(), 1usize);
        for e in it.by_ref() {
            match &e {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            inner.push(e);
            if depth == 0 {
                break;
            }
        }
        match p.picture(dest_url, &alt, title) {
            Some(html) => out.push(Event::InlineHtml(CowStr::from(html))),
            None => {
                out.push(ev);
                out.extend(inner);
            }
        }
    }
    out
}

/// Byte offset → file line, for sources read front to back.
struct LineIndex<'a> {
    src: &'a str,
    first_line: usize,
    pos: usize,
    line: usize,
}

impl<'a> LineIndex<'a> {
    fn new(src: &'a str, first_line: usize) -> Self {
        Self {
            src,
            first_line,
            pos: 0,
            line: 0,
        }
    }

    fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.src.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 0;
        }
        self.line += self.src.as_bytes()[self.pos..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.pos = offset;
        self.first_line + self.line
    }
}

/// Words in text and code, and the plain text of the first paragraph outside quotes, lists,
/// tables and footnotes.
fn text_stats(
    events: &[Event<'_>],
    cite_texts: Option<&HashMap<usize, String>>,
) -> (usize, String) {
    let mut words = 0;
    let mut containers = 0usize;
    let mut in_first: Option<bool> = None; // None: not found yet; Some(true): inside it
    let mut first = String::new();
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Event::InlineHtml(_) if cite_texts.is_some_and(|c| c.contains_key(&i)) => {
                let t = &cite_texts.expect("checked")[&i];
                words += count_words(t);
                if in_first == Some(true) {
                    first.push_str(t);
                }
            }
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::FootnoteDefinition(_),
            ) => containers += 1,
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition,
            ) => containers = containers.saturating_sub(1),
            Event::Start(Tag::Paragraph) if containers == 0 && in_first.is_none() => {
                in_first = Some(true)
            }
            Event::End(TagEnd::Paragraph) if in_first == Some(true) => in_first = Some(false),
            Event::Text(t) | Event::Code(t) => {
                words += count_words(t);
                if in_first == Some(true) {
                    first.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_first == Some(true) => first.push(' '),
            _ => {}
        }
    }
    (words, first.trim().to_string())
}

/// `t.split_whitespace().count()`, with a byte loop for ASCII text (most of it), where
/// decoding characters one by one took a tenth of the Markdown stage.
fn count_words(t: &str) -> usize {
    if !t.is_ascii() {
        return t.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in t.as_bytes() {
        // char::is_whitespace for ASCII: space, \t, \n, vertical tab, form feed, \r.
        let space = matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// Give every heading a unique id (its explicit `{#id}` or a slug of its text), add a `#`
/// anchor link, and collect the table of contents.
fn heading_ids(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<Heading>) {
    let mut used: HashSet<String> = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut toc = Vec::new();
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut open: Option<(usize, u8)> = None; // index in `out` of the Start, level
    let mut text = String::new();
    for ev in events {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((out.len(), level as u8));
                text.clear();
                out.push(ev);
            }
            Event::End(TagEnd::Heading(_)) if open.is_some() => {
                let (start, level) = open.take().expect("checked is_some");
                let Event::Start(Tag::Heading { id, .. }) = &mut out[start] else {
                    unreachable!("index recorded at a heading start")
                };
                let base = match id {
                    Some(explicit) => explicit.to_string(),
                    None => {
                        let s = slugify(&text);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    }
                };
                // The next suffix is remembered per base id, so a document with thousands of
                // identical headings stays linear (a 50 MB brief took minutes before).
                let mut unique = base.clone();
                while !used.insert(unique.clone()) {
                    let n = next_suffix.entry(base.clone()).or_insert(1);
                    unique = format!("{base}-{n}");
                    *n += 1;
                }
                *id = Some(CowStr::from(unique.clone()));
                out.push(Event::Html(CowStr::from(format!(
                    "<a class=\"heading-anchor\" href=\"#{unique}\" aria-hidden=\"true\" tabindex=\"-1\" data-pagefind-ignore=\"all\">#</a>"
                ))));
                out.push(ev);
                toc.push(Heading {
                    level,
                    id: unique,
                    title: text.trim().to_string(),
                });
            }
            Event::Text(ref t) | Event::Code(ref t) if open.is_some() => {
                text.push_str(t);
                out.push(ev);
            }
            _ => out.push(ev),
        }
    }
    (out, toc)
}

/// Drop link and image targets that would run code (`javascript:`…), in Markdown links and in
/// raw HTML alike, whatever the raw-HTML policy (issue 6).
fn safe_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    events
        .into_iter()
        .map(|ev| match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if crate::safety::is_dangerous_url(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from("#"),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if crate::safety::is_dangerous_url(&dest_url) => Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from("#"),
                title,
                id,
            }),
            Event::Html(h) => match crate::safety::neutralise_raw_html(&h) {
                std::borrow::Cow::Borrowed(_) => Event::Html(h),
                std::borrow::Cow::Owned(o) => Event::Html(CowStr::from(o)),
            },
            Event::InlineHtml(h) => match crate::safety::neutralise_raw_html(&h) {
                std::borrow::Cow::Borrowed(_) => Event::InlineHtml(h),
                std::borrow::Cow::Owned(o) => Event::InlineHtml(CowStr::from(o)),
            },
            other => other,
        })
        .collect()
}

/// Replace fenced code blocks with syntax-highlighted HTML (classes, not inline styles).
fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None; // (lang, text)
    for ev in events {
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => code.as_mut().expect("checked").1.push_str(&t),
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                let (lang, text) = code.take().expect("checked");
                let lang_attr = crate::escape::html(&lang);
                let inner = crate::highlight::highlight(&text, &lang)
                    .unwrap_or_else(|| crate::escape::html(&text));
                let html = if lang.is_empty() {
                    format!("<pre class=\"code\"><code>{inner}</code></pre>\n")
                } else {
                    format!(
                        "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
                    )
                };
                out.push(Event::Html(CowStr::from(html)));
            }
            _ => out.push(ev),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rendered {
        render(s, &MarkdownOptions::default())
    }

    #[test]
    fn count_words_matches_split_whitespace() {
        for t in [
            "",
            " ",
            "one",
            "  two words ",
            "a\tb\nc\rd\x0be\x0cf",
            "no-break\u{a0}space counts\u{2003}apart",
            "\u{645}\u{631}\u{62d}\u{628}\u{627} \u{628}\u{643}",
            "x\x1fy",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let out = r("# Intro\n\n## Intro\n\n## Katai’b *Hezbollah* {#kh}\n");
        assert_eq!(
            out.toc.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["intro", "intro-1", "kh"]
        );
        assert!(out.html.contains("<h2 id=\"intro-1\">"), "{}", out.html);
        assert_eq!(out.toc[2].title, "Katai’b Hezbollah");
    }

    #[test]
    fn endnotes_link_both_ways() {
        let out = r(
            "Claim.[^b] Another.[^a] Again.[^b]\n\n[^a]: First def.\n[^b]: Second def.\n[^unused]: Never.\n",
        );
        assert_eq!(out.footnotes, 2);
        assert!(out.html.contains("href=\"#fn-1\" id=\"fnref-1\""));
        assert!(out.html.contains("id=\"fnref-1-2\""));
        assert!(
            out.html
                .contains("<li id=\"fn-1\">\n<p>Second def. <a href=\"#fnref-1\""),
            "{}",
            out.html
        );
        assert!(!out.html.contains("Never"));
        let pos1 = out.html.find("Second def").unwrap();
        let pos2 = out.html.find("First def").unwrap();
        assert!(pos1 < pos2, "notes are ordered by first reference");
    }

    #[test]
    fn smart_punctuation_keeps_existing_curly_quotes() {
        let out = r("He said \"no\" -- and ‘meant’ it — twice.\n");
        assert!(out.html.contains("“no”"), "{}", out.html);
        assert!(out.html.contains("‘meant’"));
        assert!(out.html.contains("—"));
    }

    #[test]
    fn code_is_highlighted_and_raw_html_passes() {
        let out = r("```python\nx = 1\n```\n\n<div class=\"chart\">raw</div>\n");
        assert!(out.html.contains("data-lang=\"python\""), "{}", out.html);
        assert!(out.html.contains("hl-"));
        assert!(out.html.contains("<div class=\"chart\">raw</div>"));
    }

    #[test]
    fn issue_6_dangerous_links_dropped_in_every_mode() {
        for raw_html in [RawHtml::Allow, RawHtml::Sanitize] {
            let o = render(
                "[x](javascript:alert(1)) [y](JAVASCRIPT&#58;alert(1)) ![i](vbscript:x)\n\n<a href=\"&#x6A;avascript:z\">r</a>\n",
                &MarkdownOptions {
                    raw_html,
                    ..Default::default()
                },
            );
            assert!(
                !o.html.to_lowercase().contains("script:"),
                "{raw_html:?}: {}",
                o.html
            );
        }
    }

    #[test]
    fn issue_6_sanitize_mode_removes_scripts_but_allow_keeps_embeds() {
        let src = "<div class=\"chart\"><script>draw()</script></div>\n\nText <span onmouseover=\"x()\">hover</span>\n";
        let allow = render(src, &MarkdownOptions::default());
        assert!(allow.html.contains("<script>draw()</script>"));
        let clean = render(
            src,
            &MarkdownOptions {
                raw_html: RawHtml::Sanitize,
                ..Default::default()
            },
        );
        assert!(
            !clean.html.contains("script") && !clean.html.contains("onmouseover"),
            "{}",
            clean.html
        );
        assert!(clean.html.contains("hover"));
    }

    #[test]
    fn stats_and_first_paragraph() {
        let out = r("> quoted text\n\nFirst *real* paragraph\nwraps here.\n\nSecond one.\n");
        assert_eq!(out.first_paragraph, "First real paragraph wraps here.");
        assert_eq!(out.words, 2 + 5 + 2);
    }
}
