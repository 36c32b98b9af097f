//! One brief's citations through hayagriva's CSL engine: keys resolved in the brief's
//! bibliographies (its own first, then the site's), every citation given to one
//! `BibliographyDriver` so that the style can disambiguate, collapse and write "ibid.", and
//! the results turned into escaped HTML: in-text citations whose works link to their entry in
//! the reference list, notes for note styles, and the reference list itself.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{Locale, LocaleCode};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, Elem,
    ElemChild, ElemChildren, ElemMeta, Entry, LocatorPayload, SpecificLocator,
};

use super::fixups::tidy;
use super::{BibFile, CiteStyle};
use crate::cite::csl::write_html;
use crate::escape::html as esc;
use crate::markdown::{Citation, CiteMode, CiteOutput, Citer, Rendering};

/// Renders the citations of one brief.
#[derive(Debug)]
pub struct BriefCiter<'a> {
    scope: Vec<&'a BibFile>,
    style: &'a CiteStyle,
    locale: LocaleCode,
    locales: Arc<Vec<Locale>>,
    heading: &'a str,
}

impl<'a> BriefCiter<'a> {
    /// A citer searching `scope` in order.
    pub(super) fn new(
        scope: Vec<&'a BibFile>,
        style: &'a CiteStyle,
        language: &str,
        heading: &'a str,
    ) -> Self {
        Self {
            scope,
            style,
            locale: LocaleCode(language.to_string()),
            locales: style.locales(language),
            heading,
        }
    }

    fn lookup(&self, key: &str) -> Option<&'a Entry> {
        self.scope.iter().find_map(|f| f.entries.get(key))
    }

    fn searched(&self) -> String {
        self.scope
            .iter()
            .map(|f| f.rel.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Citer for BriefCiter<'_> {
    fn cite(&self, citations: &[Citation]) -> CiteOutput {
        let mut out = CiteOutput::default();
        let note_style = self.style.is_note();
        // Resolve keys; a citation with an unknown key is left as written.
        let mut resolved: Vec<Option<Vec<&Entry>>> = Vec::with_capacity(citations.len());
        for c in citations {
            let entries: Vec<Option<&Entry>> =
                c.items.iter().map(|i| self.lookup(&i.key)).collect();
            for (item, e) in c.items.iter().zip(&entries) {
                if e.is_some() {
                    continue;
                }
                let msg = format!(
                    "no bibliography entry `{}` (searched {})",
                    item.key,
                    self.searched()
                );
                match c.mode {
                    CiteMode::Bracketed => out.errors.push((c.line, c.col, msg)),
                    CiteMode::InText => out.warnings.push((
                        c.line,
                        c.col,
                        format!("`@{}` looks like a citation, but there is {msg}; it is shown as written", item.key),
                    )),
                }
            }
            resolved.push(entries.into_iter().collect());
        }
        // Note styles process citations in note order (a citation inside a footnote belongs
        // to that note); in-text styles in document order.
        let mut order: Vec<usize> = (0..citations.len())
            .filter(|i| resolved[*i].is_some())
            .collect();
        if note_style {
            order.sort_by_key(|i| (citations[*i].note_number.unwrap_or(usize::MAX), *i));
        }
        let mut driver = BibliographyDriver::new();
        for &i in &order {
            let c = &citations[i];
            let entries = resolved[i].as_ref().expect("filtered");
            let items = c
                .items
                .iter()
                .zip(entries)
                .map(|(item, e)| {
                    let locator = item.locator.as_ref().map(|(kind, value)| {
                        SpecificLocator(
                            kind.parse::<Locator>().unwrap_or(Locator::Page),
                            LocatorPayload::Str(value),
                        )
                    });
                    let purpose = match (c.mode, item.suppress_author) {
                        // A note names the author anyway.
                        (_, true) if !note_style => Some(CitePurpose::Year),
                        (CiteMode::InText, _) if !note_style => Some(CitePurpose::Prose),
                        _ => None,
                    };
                    CitationItem::new(*e, locator, None, false, purpose)
                })
                .collect();
            let note = if note_style { c.note_number } else { None };
            driver.citation(CitationRequest::new(
                items,
                &self.style.csl,
                Some(self.locale.clone()),
                &self.locales,
                note,
            ));
        }
        let rendered = driver.finish(BibliographyRequest::new(
            &self.style.csl,
            Some(self.locale.clone()),
            &self.locales,
        ));
        let ids = entry_ids(&rendered);
        let mut by_index: HashMap<usize, &hayagriva::RenderedCitation> = HashMap::new();
        for (&i, r) in order.iter().zip(&rendered.citations) {
            by_index.insert(i, r);
        }
        for (i, c) in citations.iter().enumerate() {
            out.rendered.push(match by_index.get(&i) {
                None => Rendering::AsWritten,
                Some(r) => self.rendering(c, &r.citation, &ids, resolved[i].as_deref(), note_style),
            });
            if resolved[i].is_some() {
                for item in &c.items {
                    if !out.cited.contains(&item.key) {
                        out.cited.push(item.key.clone());
                    }
                }
            }
        }
        out.bibliography = rendered
            .bibliography
            .as_ref()
            .filter(|b| !b.items.is_empty())
            .map(|b| self.reference_list(b, &ids));
        out
    }
}

impl BriefCiter<'_> {
    fn rendering(
        &self,
        c: &Citation,
        tree: &ElemChildren,
        ids: &HashMap<String, String>,
        entries: Option<&[&Entry]>,
        note_style: bool,
    ) -> Rendering {
        let keys: Vec<&str> = c.items.iter().map(|i| i.key.as_str()).collect();
        let (mut html, mut text) = with_affixes(tree, c, ids, !note_style);
        let layout = &self.style.csl.citation.layout;
        let year_only = c.mode == CiteMode::Bracketed && c.items.iter().all(|i| i.suppress_author);
        // hayagriva leaves the layout's parentheses off year-only citations (`[-@key]`); a
        // note style's citation inside a footnote goes in parentheses, as in Pandoc.
        let (open, close) = match (note_style, c.in_note) {
            (false, _) if year_only => (
                layout.prefix.clone().unwrap_or_default(),
                layout.suffix.clone().unwrap_or_default(),
            ),
            (true, true) if c.mode == CiteMode::Bracketed => ("(".into(), ")".into()),
            _ => (String::new(), String::new()),
        };
        if !open.is_empty() && !text.starts_with(open.as_str()) {
            let trim = |s: &str| s.strip_suffix('.').unwrap_or(s).to_string();
            html = format!("{}{}{}", esc(&open), trim(&html), esc(&close));
            text = format!("{open}{}{close}", trim(&text));
        }
        if !note_style || c.in_note {
            let wrapped = format!(
                "<span class=\"citation\" data-cites=\"{}\">{html}</span>",
                esc(&keys.join(" "))
            );
            return Rendering::Inline {
                html: wrapped,
                text,
            };
        }
        let html = capitalise_first(&html);
        if c.mode == CiteMode::InText {
            let names = entries.map(author_names).unwrap_or_default();
            return Rendering::InlineWithNote {
                html: format!(
                    "<span class=\"citation\" data-cites=\"{}\">{}</span>",
                    esc(&keys.join(" ")),
                    esc(&names)
                ),
                text: names,
                note: html,
            };
        }
        Rendering::Note(html)
    }

    fn reference_list(
        &self,
        b: &hayagriva::RenderedBibliography,
        ids: &HashMap<String, String>,
    ) -> String {
        let mut s = String::with_capacity(256 * b.items.len());
        let _ = write!(
            s,
            "<section class=\"references\" role=\"doc-bibliography\" aria-labelledby=\"references-title\" data-pagefind-ignore=\"all\">\n<h2 id=\"references-title\" class=\"references-title\">{}</h2>\n<ul class=\"references-list{}\">\n",
            esc(self.heading),
            if b.hanging_indent {
                " hanging-indent"
            } else {
                ""
            }
        );
        for item in &b.items {
            let id = ids.get(&item.key).map(String::as_str).unwrap_or("");
            // Each entry takes the direction of its own first letters: a Latin-script source
            // in an Arabic brief's list reads left to right, and the reverse (issue 27).
            let _ = write!(
                s,
                "<li id=\"{}\" class=\"csl-entry\" dir=\"auto\">",
                esc(id)
            );
            let mut content = String::new();
            write_html(&item.content, &mut content);
            let content = tidy(&content);
            if let Some(first) = &item.first_field {
                s.push_str("<span class=\"csl-left-margin\">");
                write_html(&ElemChildren(vec![first.clone()]), &mut s);
                s.push_str("</span><span class=\"csl-right-inline\">");
                s.push_str(&content);
                s.push_str("</span>");
            } else {
                s.push_str(&content);
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul>\n</section>\n");
        s
    }
}

/// A note starts with a capital letter ("See Marsh…" from `[see @marsh]`); tags are skipped.
fn capitalise_first(html: &str) -> String {
    let mut in_tag = false;
    for (i, c) in html.char_indices() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_alphabetic() => {
                if !c.is_lowercase() {
                    return html.to_string();
                }
                let upper: String = c.to_uppercase().collect();
                return format!("{}{upper}{}", &html[..i], &html[i + c.len_utf8()..]);
            }
            c if !in_tag && !c.is_whitespace() => return html.to_string(),
            _ => {}
        }
    }
    html.to_string()
}

/// `ref-<slug of the key>` for every entry of the reference list, unique in the page.
fn entry_ids(r: &hayagriva::Rendered) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    let mut used = std::collections::HashSet::new();
    let keys = r
        .bibliography
        .iter()
        .flat_map(|b| b.items.iter().map(|i| &i.key));
    for k in keys {
        let base = format!("ref-{}", crate::slug::slugify(k));
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        ids.insert(k.clone(), id);
    }
    ids
}

/// A citation's HTML and text with each item's prefix and suffix around the item hayagriva
/// rendered for it; in-text styles link each item to its reference-list entry.
fn with_affixes(
    tree: &ElemChildren,
    c: &Citation,
    ids: &HashMap<String, String>,
    link: bool,
) -> (String, String) {
    let mut html = String::new();
    let mut text = String::new();
    for child in &tree.0 {
        let ElemChild::Elem(Elem {
            meta: Some(ElemMeta::Entry(idx)),
            children,
            ..
        }) = child
        else {
            write_html(&ElemChildren(vec![child.clone()]), &mut html);
            text.push_str(&plain(&ElemChildren(vec![child.clone()])));
            continue;
        };
        let item = c.items.get(*idx);
        if let Some(p) = item.map(|i| i.prefix.as_str()).filter(|p| !p.is_empty()) {
            html.push_str(&esc(p));
            html.push(' ');
            text.push_str(p);
            text.push(' ');
        }
        let mut inner = String::new();
        write_html(children, &mut inner);
        let target = item.and_then(|i| ids.get(&i.key));
        match target {
            Some(id) if link && !inner.contains("<a ") => {
                let _ = write!(
                    html,
                    "<a class=\"citation-ref\" href=\"#{}\">{inner}</a>",
                    esc(id)
                );
            }
            _ => html.push_str(&inner),
        }
        text.push_str(&plain(children));
        if let Some(s) = item.map(|i| i.suffix.as_str()).filter(|s| !s.is_empty()) {
            let sep = if s.starts_with([',', ';', '.', ':']) {
                ""
            } else {
                " "
            };
            html.push_str(sep);
            html.push_str(&esc(s));
            text.push_str(sep);
            text.push_str(s);
        }
    }
    (tidy(html.trim()), text.trim().to_string())
}

fn plain(children: &ElemChildren) -> String {
    let mut s = String::new();
    let _ = children.write_buf(&mut s, hayagriva::BufWriteFormat::Plain);
    s
}

/// "Smith", "Smith and Jones", "Smith et al.": the authors named in the sentence when a
/// note style cites `@key` in the text.
fn author_names(entries: &[&Entry]) -> String {
    let one = |e: &Entry| -> String {
        let names: Vec<String> = e
            .authors()
            .or_else(|| e.editors())
            .unwrap_or_default()
            .iter()
            .map(|p| match &p.prefix {
                Some(pre) => format!("{pre} {}", p.name),
                None => p.name.clone(),
            })
            .collect();
        match names.as_slice() {
            [] => e.title().map(|t| t.value.to_string()).unwrap_or_default(),
            [a] => a.clone(),
            [a, b] => format!("{a} and {b}"),
            [a, ..] => format!("{a} et al."),
        }
    };
    entries
        .iter()
        .map(|e| one(e))
        .collect::<Vec<_>>()
        .join("; ")
}
