//! Markdown → HTML, as a chain of small passes over pulldown-cmark events.
//!
//! `render` parses once into a `Vec<Event>`, then each pass rewrites that vector without
//! recursion: heading ids and anchors (and the table of contents), numbered endnotes with links
//! both ways, highlighted code, and word/summary statistics. Raw HTML passes through unchanged
//! (authors are trusted); everything from front matter is escaped later by the templates.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::slug::slugify;

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
}

impl Default for MarkdownOptions<'_> {
    fn default() -> Self {
        Self {
            notes_heading: "Notes",
            raw_html: RawHtml::Allow,
            first_line: 1,
        }
    }
}

fn parser_options() -> Options {
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
    let owned;
    let src = if src.contains('\0') {
        owned = src.replace('\0', "\u{fffd}");
        owned.as_str()
    } else {
        src
    };
    let mut line_index = LineIndex::new(src, opts.first_line);
    let mut links = Vec::new();
    let mut defined: Vec<(String, usize)> = Vec::new();
    let mut referenced: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    for (ev, range) in Parser::new_ext(src, parser_options()).into_offset_iter() {
        match &ev {
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
        events.push(ev);
    }
    let unused_notes = defined
        .iter()
        .filter(|(l, _)| !referenced.contains(l))
        .cloned()
        .collect();
    let undefined_notes = undefined_footnotes(src, &defined, &mut line_index);
    let (words, first_paragraph) = text_stats(&events);
    let (events, toc) = heading_ids(events);
    let (events, footnotes) = endnotes(events, opts.notes_heading);
    let events = highlight_code(events);
    let events = safe_links(events);
    let mut out = String::with_capacity(src.len() + src.len() / 2);
    html::push_html(&mut out, events.into_iter());
    if opts.raw_html == RawHtml::Sanitize {
        out = crate::safety::sanitize(&out);
    }
    Rendered {
        html: out,
        toc,
        words,
        first_paragraph,
        links,
        unused_notes,
        undefined_notes,
        footnotes,
    }
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

/// `[^label]` references whose label has no definition: CommonMark leaves them as text, so
/// find them in the source (outside code spans is not distinguished; good enough for a check).
fn undefined_footnotes(
    src: &str,
    defined: &[(String, usize)],
    lines: &mut LineIndex<'_>,
) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find("[^") {
        let start = from + i;
        from = start + 2;
        let Some(close) = src[from..].find(']') else {
            break;
        };
        let label = &src[from..from + close];
        if label.is_empty()
            || label.contains(char::is_whitespace)
            || src[from + close + 1..].starts_with(':')
        {
            continue;
        }
        if !defined.iter().any(|(l, _)| l == label) {
            out.push((label.to_string(), lines.line(start)));
        }
    }
    out
}

/// Words in text and code, and the plain text of the first paragraph outside quotes, lists,
/// tables and footnotes.
fn text_stats(events: &[Event<'_>]) -> (usize, String) {
    let mut words = 0;
    let mut containers = 0usize;
    let mut in_first: Option<bool> = None; // None: not found yet; Some(true): inside it
    let mut first = String::new();
    for ev in events {
        match ev {
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

/// Turn footnotes into numbered endnotes: references become `<sup>` links to `#fn-N`, each
/// note links back to its (first) reference, and the notes are listed, in order of first
/// reference, at the end of the body. Definitions never referenced are left out.
fn endnotes<'a>(events: Vec<Event<'a>>, heading: &str) -> (Vec<Event<'a>>, usize) {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut ref_counts: HashMap<usize, usize> = HashMap::new();
    let mut defs: HashMap<String, Vec<Event<'a>>> = HashMap::new();
    let mut out = Vec::with_capacity(events.len());
    let mut current_def: Option<(String, Vec<Event<'a>>)> = None;
    let mut depth = 0usize;
    for ev in events {
        if let Some((_, body)) = current_def.as_mut() {
            match &ev {
                Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                Event::End(TagEnd::FootnoteDefinition) if depth == 0 => {
                    let (label, body) = current_def.take().expect("inside a definition");
                    defs.entry(label).or_insert(body);
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
                _ => {}
            }
            if let Event::FootnoteReference(label) = &ev {
                body.push(reference(label, &mut numbers, &mut ref_counts));
            } else {
                body.push(ev);
            }
            continue;
        }
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current_def = Some((label.to_string(), Vec::new()));
                depth = 0;
            }
            Event::FootnoteReference(label) => {
                out.push(reference(&label, &mut numbers, &mut ref_counts))
            }
            _ => out.push(ev),
        }
    }
    let mut order: Vec<(usize, String)> = numbers.into_iter().map(|(l, n)| (n, l)).collect();
    order.sort();
    let listed: Vec<(usize, Vec<Event<'a>>)> = order
        .into_iter()
        .filter_map(|(n, label)| defs.remove(&label).map(|body| (n, body)))
        .collect();
    if listed.is_empty() {
        return (out, 0);
    }
    out.push(Event::Html(CowStr::from(format!(
        "<section class=\"footnotes\" role=\"doc-endnotes\" aria-labelledby=\"footnotes-title\">\n<h2 id=\"footnotes-title\" class=\"footnotes-title\">{}</h2>\n<ol>\n",
        crate::escape::html(heading)
    ))));
    let count = listed.len();
    for (n, mut body) in listed {
        out.push(Event::Html(CowStr::from(format!("<li id=\"fn-{n}\">"))));
        let back = Event::Html(CowStr::from(format!(
            " <a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"Back to reference {n}\" data-pagefind-ignore=\"all\">↩\u{fe0e}</a>"
        )));
        match body
            .iter()
            .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        {
            Some(i) => body.insert(i, back),
            None => body.push(back),
        }
        out.extend(body);
        out.push(Event::Html(CowStr::from("</li>\n")));
    }
    out.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    (out, count)
}

fn reference<'a>(
    label: &str,
    numbers: &mut HashMap<String, usize>,
    ref_counts: &mut HashMap<usize, usize>,
) -> Event<'a> {
    let next = numbers.len() + 1;
    let n = *numbers.entry(label.to_string()).or_insert(next);
    let k = ref_counts.entry(n).or_insert(0);
    *k += 1;
    let id = if *k == 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{k}")
    };
    Event::InlineHtml(CowStr::from(format!(
        "<sup class=\"footnote-ref\" data-pagefind-ignore=\"all\"><a href=\"#fn-{n}\" id=\"{id}\" role=\"doc-noteref\">{n}</a></sup>"
    )))
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
