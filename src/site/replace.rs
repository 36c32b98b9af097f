//! The incremental rule, beside the full one: when an edited brief can replace its old
//! document in place, and when the whole site must be assembled again.
//!
//! A brief keeps its place when nothing that decides which pages list it, or which files
//! exist, has changed: its slug, date, draft flag, authors, terms, series, PDF, aliases,
//! template and source. Then only the pages that show it need rendering again (see
//! `render::plan::job_briefs`). [`same_place`] destructures every field of [`BriefDoc`], so a
//! field added later does not compile until it is classified here.

use super::{BriefId, Site, hero_alt_warning, summary_of};
use crate::content::BriefDoc;
use crate::diag::Diagnostics;

/// An edit that changes where a brief is listed (or which files the site has): the caller
/// must assemble the whole site again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedsFullRebuild {
    /// The front matter key whose change needs it ("date", "authors"…).
    pub because: &'static str,
}

impl std::fmt::Display for NeedsFullRebuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` changed", self.because)
    }
}

impl Site {
    /// Replace the documents of existing briefs after an edit. All or nothing: when any edit
    /// changes a brief's place, `Err(NeedsFullRebuild)` and nothing is replaced; when any
    /// edited document has errors (a broken `@/` link), they are returned and nothing is
    /// replaced; otherwise every brief is replaced and the warnings are returned.
    pub fn replace_briefs(
        &mut self,
        edits: Vec<(BriefId, BriefDoc)>,
    ) -> Result<Diagnostics, NeedsFullRebuild> {
        for (id, doc) in &edits {
            same_place(&self.brief(*id).doc, doc)?;
        }
        let mut diags = Diagnostics::default();
        let base = self.config.base_path.clone();
        let mut resolved = Vec::with_capacity(edits.len());
        for (id, mut doc) in edits {
            diags.extend(self.links.resolve(&mut doc.body, &doc.source, &base));
            diags.extend(hero_alt_warning(&doc));
            resolved.push((id, doc));
        }
        if diags.has_errors() {
            return Ok(diags);
        }
        for (id, doc) in resolved {
            let b = &mut self.briefs[id.0 as usize];
            b.summary = summary_of(&doc);
            b.doc = doc;
            b.packed_body = None;
        }
        Ok(diags)
    }
}

/// `Ok` when `new` can take `old`'s place without changing any listing or file set.
fn same_place(old: &BriefDoc, new: &BriefDoc) -> Result<(), NeedsFullRebuild> {
    // Every field, so that a new one must be placed on one side or the other.
    let BriefDoc {
        source,
        slug,
        authors,
        terms,
        draft,
        date,
        series,
        template,
        pdf,
        aliases,
        bibliography,
        collection,
        expires,
        featured,
        event,
        // Other editions link to this one in their language.
        translation_key,
        translation_of,
        language,
        // Shown only on the pages that show the brief: re-rendered by the brief path.
        kind,
        title: _,
        subtitle: _,
        dek: _,
        summary: _,
        updated: _,
        image: _,
        image_alt: _,
        image_caption: _,
        image_credit: _,
        image_credit_url: _,
        image_focus: _,
        doi: _,
        publisher_series: _,
        licence: _,
        references: _,
        corrections: _,
        extra: _,
        body: _,
        key_positions: _,
    } = new;
    let checks: [(&'static str, bool); 19] = [
        ("translation_key", *translation_key == old.translation_key),
        ("translation_of", *translation_of == old.translation_of),
        ("language", *language == old.language),
        ("collection", *collection == old.collection),
        ("expires", *expires == old.expires),
        ("featured", *featured == old.featured),
        // Its iCalendar files and the collection's calendar list it.
        ("start", *event == old.event),
        ("bibliography", *bibliography == old.bibliography),
        ("type", *kind == old.kind),
        ("source", *source == old.source),
        ("slug", *slug == old.slug),
        ("authors", *authors == old.authors),
        ("taxonomies", *terms == old.terms),
        ("draft", *draft == old.draft),
        ("date", *date == old.date),
        ("series", *series == old.series),
        ("template", *template == old.template),
        ("pdf", *pdf == old.pdf),
        ("aliases", *aliases == old.aliases),
    ];
    match checks.iter().find(|(_, same)| !same) {
        Some((key, _)) => Err(NeedsFullRebuild { because: key }),
        None => Ok(()),
    }
}
