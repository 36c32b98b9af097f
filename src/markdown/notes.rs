//! Footnotes as numbered endnotes: references become superscript links, definitions a list at
//! the end of the body in order of first reference, with links both ways. Citations rendered
//! as notes (note styles such as Chicago notes) arrive here as ordinary footnotes, so both
//! share one numbering.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::LineIndex;

/// `[^label]` references whose label has no definition: CommonMark leaves them as text, so
/// find them in the source (outside code spans is not distinguished; good enough for a check).
pub(super) fn undefined_footnotes(
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

/// Turn footnotes into numbered endnotes: references become `<sup>` links to `#fn-N`, each
/// note links back to its (first) reference, and the notes are listed, in order of first
/// reference, at the end of the body. Definitions never referenced are left out.
pub(super) fn endnotes<'a>(events: Vec<Event<'a>>, heading: &str) -> (Vec<Event<'a>>, usize) {
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
