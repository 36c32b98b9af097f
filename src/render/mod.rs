//! Rendering, by stage: [`plan`] lists every page the site has (one [`Job`] each);
//! [`Renderer`] renders planned pages in parallel batches with the [`templates`], filling the
//! template contract ([`views`]) one small function per page kind (`pages`), and hands each
//! batch to a [`PageSink`]; [`files`] makes everything that is not a page (feeds, citation
//! files, sitemap, redirects, static files). Nothing here writes to disk or indexes for search:
//! the sinks do, composed by `lib.rs`.

pub mod calendar;
pub mod cards;
pub mod components;
pub mod editions;
pub mod feeds;
pub mod files;
pub mod fill;
mod home;
pub mod image_fns;
pub mod images;
mod labels;
mod listings;
pub mod metadata;
mod pages;
pub mod plan;
mod sections;
pub mod sink;
pub mod templates;
pub mod views;
pub mod words_fn;

use rayon::prelude::*;
use tera::Value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::output::Body;
use crate::site::{BriefId, PerBrief, Site};
use metadata::BriefCitation;
pub use plan::{Job, Planned, job_briefs, plan, search_pages, sitemap};
pub use sink::{InMemory, PageSink, RenderedPage};
use templates::Templates;

/// Pages rendered before a batch goes to the sink: the sink (writing, indexing) then works on
/// pages whose HTML is still in cache; taking turns page by page cost a third more time.
const BATCH: usize = 32;

/// What rendering keeps between builds: the site's shared template value, every brief's card
/// and citation files (BibTeX, RIS). `serve` keeps one and updates single briefs ([`Renderer::update_brief`]).
pub struct Renderer {
    site_value: Value,
    section_values: Vec<Value>,
    cards: PerBrief<Value>,
    citations: PerBrief<Option<BriefCitation>>,
}

impl Renderer {
    /// Check the templates the content names and compute the shared values.
    pub fn new(site: &Site, templates: &Templates) -> (Self, Diagnostics) {
        let mut diags = Diagnostics::default();
        // Templates named by front matter must exist.
        for p in &plan(site) {
            if let Some(t) = plan::custom_template(site, &p.job)
                && !templates.has(t.name)
            {
                diags.push(
                    Diagnostic::error(format!("template `{}` not found", t.name))
                        .in_file(t.source)
                        .at_opt(t.at)
                        .with_hint("templates are looked up in templates/, then the theme's templates/, then the built-in theme"),
                );
            }
        }
        let mut timer = crate::timings::Timer::new();
        let site_value = Value::from_serializable(&fill::site_view(site));
        let section_values = sections::section_values(site);
        let cards = cards::cards(site);
        timer.done("cards");
        let citations = if site.config.metadata.citations.unwrap_or(true) {
            site.briefs
                .par_iter()
                .map(|b| Some(metadata::brief_citation(site, b)))
                .collect()
        } else {
            Vec::new()
        };
        timer.done("citations");
        let renderer = Self {
            site_value,
            section_values,
            cards: PerBrief::from_vec(cards),
            citations: PerBrief::from_vec(citations),
        };
        (renderer, diags)
    }

    /// Recompute one brief's card and citation after its document changed.
    pub fn update_brief(&mut self, site: &Site, id: BriefId) -> Result<(), Diagnostic> {
        let b = site.brief(id);
        self.cards[id] = cards::one_card(site, b);
        if !self.citations.is_empty() {
            self.citations[id] = Some(metadata::brief_citation(site, b));
        }
        Ok(())
    }

    /// Free what only pages use, once a build has rendered them: every brief's card (the
    /// formatted citations are never kept: [`metadata::brief_styles`]). At 100,000 briefs this
    /// is about 0.3 GB that the search index and the feeds no longer wait beside. They are
    /// dropped on another thread, which takes a while. `serve` keeps them, to render edited
    /// briefs again.
    pub fn release_page_values(&mut self) {
        let cards = std::mem::replace(&mut self.cards, PerBrief::from_vec(Vec::new()));
        std::thread::spawn(move || drop(cards));
    }

    /// Every brief's citation (empty when citations are off).
    pub fn citations(&self) -> &PerBrief<Option<BriefCitation>> {
        &self.citations
    }

    /// Render `planned` pages in parallel, a batch at a time, handing each batch to `sink`.
    /// Returns (output file, body the sink gave back, origin) for every page, in plan order,
    /// and the errors of pages that failed.
    pub fn render_pages(
        &self,
        site: &Site,
        templates: &Templates,
        planned: &[Planned],
        sink: &dyn PageSink,
    ) -> (Vec<(String, Body, crate::output::Origin)>, Diagnostics) {
        let ctx = pages::PageCtx {
            site,
            templates,
            site_value: self.site_value.clone(),
            section_values: &self.section_values,
            cards: &self.cards,
            citations: &self.citations,
            words: site.i18n.labels(&site.config.language),
        };
        let indexed: Vec<(usize, &Planned)> = planned.iter().enumerate().collect();
        let results: Vec<(usize, Result<Body, Diagnostic>)> = indexed
            .par_chunks(BATCH)
            .flat_map_iter(|batch| {
                let mut done = Vec::with_capacity(batch.len());
                let mut failed = Vec::new();
                for &(index, p) in batch {
                    match ctx.render(p) {
                        Ok(html) => done.push(RenderedPage {
                            index,
                            url: site.url(&p.path),
                            file: p.file(),
                            html,
                            searchable: p.searchable,
                        }),
                        Err(d) => failed.push((index, Err(d))),
                    }
                }
                let order: Vec<usize> = done.iter().map(|p| p.index).collect();
                let bodies = sink.take(done);
                order.into_iter().zip(bodies).chain(failed)
            })
            .collect();
        let mut out = Vec::with_capacity(planned.len());
        let mut diags = Diagnostics::default();
        let mut results = results;
        results.sort_by_key(|(i, _)| *i);
        for (i, r) in results {
            let p = &planned[i];
            match r {
                Ok(body) => out.push((p.file(), body, p.origin.clone())),
                Err(d) => diags.push(d),
            }
        }
        (out, diags)
    }
}
