//! The plan: every page the site has, as one [`Job`] each with its path and origin, in a
//! stable order; and what the plan alone decides: pagination, which pages are indexed for
//! search, which briefs each page shows (for incremental rebuilds) and the sitemap.

use std::path::Path;

use super::feeds;
use crate::output::Origin;
use crate::site::{
    AuthorId, BriefId, CollectionId, LanguageId, PageId, SeriesId, Site, TaxonomyId, TermId, TypeId,
};
use crate::urls;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The home page, page `n` (from 1).
    Home(usize),
    /// A brief.
    Brief(BriefId),
    /// A standalone page.
    Page(PageId),
    /// A collection's listing (`/briefs/`, `/events/`), page n.
    Collection(CollectionId, usize),
    /// A collection's year archive (`/briefs/2025/`): the index in `Collection::years`, page n.
    Year(CollectionId, usize, usize),
    /// The list of publication types (`/types/`).
    Types,
    /// A publication type's listing (`/types/report/`), page n.
    Type(TypeId, usize),
    /// The list of series (`/series/`).
    SeriesIndex,
    /// A series' landing page, page n.
    Series(SeriesId, usize),
    /// The list of authors.
    Authors,
    /// An author's page, page n.
    Author(AuthorId, usize),
    /// A taxonomy's list of terms.
    Taxonomy(TaxonomyId),
    /// A term's page, page n.
    Term(TaxonomyId, TermId, usize),
    /// The search page.
    Search,
    /// A language section's front page, page n (`/ar/`; issue 27).
    LanguageHome(LanguageId, usize),
    /// A term's page in a language section, page n (`/ar/topics/water/`).
    LanguageTerm(LanguageId, TaxonomyId, TermId, usize),
    /// A language section's search page (`/ar/search/`), which queries that language's index.
    LanguageSearch(LanguageId),
    /// A taxonomy's list of terms in a language section (`/ar/topics/`).
    LanguageTaxonomy(LanguageId, TaxonomyId),
    /// A language section's list of authors (`/ar/authors/`).
    LanguageAuthors(LanguageId),
    /// An author's page in a language section, page n (`/ar/authors/<slug>/`).
    LanguageAuthor(LanguageId, AuthorId, usize),
    /// The 404 page.
    NotFound,
}

/// A job with its output path and a label naming what it comes from.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The job.
    pub job: Job,
    /// Path inside the site ("briefs/a/"), or the file for 404.
    pub path: String,
    /// What it comes from, for collision errors: a source file (at its `slug:` line when it
    /// has one), or something generated.
    pub origin: Origin,
    /// Indexed for search: published briefs and the first page of authors and terms.
    pub searchable: bool,
}

impl Planned {
    /// The output file ("briefs/a/index.html").
    pub fn file(&self) -> String {
        urls::output_file(&self.path)
    }
}

/// Number of listing pages for `items` at `per` a page (at least one).
pub fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per).max(1)
}

/// Page numbers for numbered navigation on page `n` of `total`: the first, the last and two
/// either side of `n`, ascending.
pub fn page_window(n: usize, total: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = [1, total]
        .into_iter()
        .chain(n.saturating_sub(2).max(1)..=(n + 2).min(total))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Every page of the site, in a stable order.
pub fn plan(site: &Site) -> Vec<Planned> {
    let per = site.config.paginate;
    let mut jobs = Vec::new();
    let mut push = |job: Job, path: String, origin: Origin| {
        let searchable = site.config.search && searchable(site, &job);
        jobs.push(Planned {
            job,
            path,
            origin,
            searchable,
        });
    };
    let generated = |what: &str| Origin::generated(format!("the generated {what}"));
    let listing_pages = page_count(site.briefs.len(), per);
    for n in 1..=listing_pages {
        push(Job::Home(n), urls::paged("", n), generated("home page"));
    }
    let slugged = |file: &std::path::Path, slug: Option<(usize, usize)>| {
        Origin::source(file, slug, if slug.is_some() { "its `slug`" } else { "" })
    };
    for (id, b) in site.briefs_with_ids() {
        let origin = slugged(&b.doc.source, b.doc.key_positions.get("slug").copied());
        push(Job::Brief(id), b.path.clone(), origin);
    }
    for (id, p) in site.pages_with_ids() {
        let origin = slugged(&p.source, p.key_positions.get("slug").copied());
        push(Job::Page(id), p.path.clone(), origin);
    }
    for (c, col) in site.collections_with_ids() {
        let origin = || match site.sections.get(&col.name) {
            Some(s) => Origin::source(&s.source, None, "its collection's listing"),
            None => generated(&format!("{} listing", col.name)),
        };
        for n in 1..=page_count(col.items.len(), per) {
            push(Job::Collection(c, n), urls::paged(&col.path, n), origin());
        }
        for (y, year) in col.years.iter().enumerate() {
            for n in 1..=page_count(year.items.len(), per) {
                let what = format!("{} archive of {}", col.name, year.year);
                push(
                    Job::Year(c, y, n),
                    urls::paged(&year.path, n),
                    generated(&what),
                );
            }
        }
    }
    if !site.types.is_empty() {
        push(Job::Types, urls::TYPES.into(), generated("list of types"));
    }
    for (i, t) in site.types.iter().enumerate() {
        for n in 1..=page_count(t.items.len(), per) {
            let what = format!("listing of type {:?}", t.name);
            push(
                Job::Type(TypeId(i as u32), n),
                urls::paged(&t.path, n),
                generated(&what),
            );
        }
    }
    if !site.series.is_empty() {
        push(
            Job::SeriesIndex,
            urls::SERIES.into(),
            generated("list of series"),
        );
    }
    for (i, s) in site.series.iter().enumerate() {
        for n in 1..=page_count(s.items.len(), per) {
            let what = format!("page of series {:?}", s.name);
            push(
                Job::Series(SeriesId(i as u32), n),
                urls::paged(&s.path, n),
                generated(&what),
            );
        }
    }
    push(
        Job::Authors,
        urls::AUTHORS.into(),
        generated("authors list"),
    );
    for (id, a) in site.authors_with_ids() {
        for n in 1..=page_count(a.briefs.len(), per) {
            let origin = match &a.profile {
                Some(p) => Origin::source(&p.source, None, "the author's page"),
                None => Origin::generated(format!("the author page of {:?}", a.name)),
            };
            push(Job::Author(id, n), urls::paged(&a.path, n), origin);
        }
    }
    for (t, tax) in site.taxonomies_with_ids() {
        let origin = generated(&format!("{} list", tax.def.name));
        push(Job::Taxonomy(t), tax.path.clone(), origin);
        for (id, term) in tax.terms_with_ids() {
            for n in 1..=page_count(term.briefs.len(), per) {
                let kind = tax.def.singular.to_lowercase();
                let origin = match &term.profile {
                    Some(p) => Origin::source(&p.source, None, &format!("the {kind}'s page")),
                    None => Origin::generated(format!("the {kind} page of {:?}", term.name)),
                };
                push(Job::Term(t, id, n), urls::paged(&term.path, n), origin);
            }
        }
    }
    if site.config.search {
        push(Job::Search, urls::SEARCH.into(), generated("search page"));
    }
    for (l, lang) in site.languages_with_ids() {
        let what = |page: &str| generated(&format!("{page} of the {:?} section", lang.language));
        for n in 1..=page_count(lang.briefs.len(), per) {
            push(
                Job::LanguageHome(l, n),
                urls::paged(&lang.path, n),
                what("front page"),
            );
        }
        for (t, terms) in lang.terms.iter().enumerate() {
            let t = TaxonomyId(t as u32);
            if !terms.is_empty() {
                let path = lang.taxonomy_path(site, t);
                push(Job::LanguageTaxonomy(l, t), path, what("list of terms"));
            }
            for (id, ids) in terms {
                let path = lang.term_path(site, t, *id);
                for n in 1..=page_count(ids.len(), per) {
                    let job = Job::LanguageTerm(l, t, *id, n);
                    push(job, urls::paged(&path, n), what("term page"));
                }
            }
        }
        push(
            Job::LanguageAuthors(l),
            lang.authors_path(),
            what("authors list"),
        );
        for (a, ids) in &lang.authors {
            let path = lang.author_path(site, *a);
            for n in 1..=page_count(ids.len(), per) {
                push(
                    Job::LanguageAuthor(l, *a, n),
                    urls::paged(&path, n),
                    what("author page"),
                );
            }
        }
        if site.config.search {
            let path = urls::in_section(&lang.path, urls::SEARCH);
            push(Job::LanguageSearch(l), path, what("search page"));
        }
    }
    push(Job::NotFound, urls::NOT_FOUND.into(), generated("404 page"));
    jobs
}

/// Pages readers should find in search: published briefs (never drafts or scheduled briefs,
/// even when the build includes them), and the first page of authors and terms.
fn searchable(site: &Site, job: &Job) -> bool {
    match job {
        Job::Brief(id) => {
            let b = site.brief(*id);
            !b.doc.draft && !b.scheduled
        }
        Job::Author(_, 1)
        | Job::Term(_, _, 1)
        | Job::LanguageTerm(_, _, _, 1)
        | Job::LanguageAuthor(_, _, 1) => true,
        _ => false,
    }
}

/// A template named in front matter.
pub struct CustomTemplate<'a> {
    /// The template's name ("special.html").
    pub name: &'a str,
    /// The file naming it.
    pub source: &'a Path,
    /// Where its `template` key is.
    pub at: Option<(usize, usize)>,
}

/// The template named by a brief's or page's front matter.
pub fn custom_template<'a>(site: &'a Site, job: &Job) -> Option<CustomTemplate<'a>> {
    let (name, source, positions) = match job {
        Job::Brief(id) => {
            let d = &site.brief(*id).doc;
            (d.template.as_deref()?, d.source.as_path(), &d.key_positions)
        }
        Job::Page(id) => {
            let p = site.page(*id);
            (p.template.as_deref()?, p.source.as_path(), &p.key_positions)
        }
        _ => return None,
    };
    Some(CustomTemplate {
        name,
        source,
        at: positions.get("template").copied(),
    })
}

/// The briefs whose data a page shows: a brief page shows itself, its neighbours, its
/// related briefs and its series; a listing shows the briefs on that page. Pages not listed
/// here show no brief data (only counts and names, which change only with a full rebuild).
pub fn job_briefs(site: &Site, job: &Job) -> Vec<BriefId> {
    let per = site.config.paginate;
    let page = |ids: &[BriefId], n: usize| -> Vec<BriefId> {
        ids.iter().skip((n - 1) * per).take(per).copied().collect()
    };
    match job {
        Job::Home(n) => {
            let mut ids = site.brief_range((n - 1) * per, per);
            if *n == 1 {
                ids.extend(super::home::shown(site));
            }
            ids
        }
        Job::Collection(c, n) => page(&site.collection(*c).items, *n),
        Job::Year(c, y, n) => page(&site.collection(*c).years[*y].items, *n),
        Job::Type(t, n) => page(&site.type_listing(*t).items, *n),
        Job::Series(s, n) => page(&site.series(*s).items, *n),
        Job::Brief(id) => {
            let b = site.brief(*id);
            let mut ids = vec![*id];
            ids.extend(site.newer(*id));
            ids.extend(site.older(*id));
            ids.extend(&b.related);
            if let Some((_, s)) = site.series_of(b) {
                ids.extend(&s.items);
            }
            ids
        }
        Job::Author(a, n) => page(&site.author(*a).briefs, *n),
        Job::Term(t, id, n) => page(&site.term(*t, *id).briefs, *n),
        Job::LanguageHome(l, n) => page(&site.language(*l).briefs, *n),
        Job::LanguageTerm(l, t, id, n) => {
            page(site.language(*l).term_briefs(*t, *id).unwrap_or(&[]), *n)
        }
        Job::LanguageAuthor(l, a, n) => {
            page(site.language(*l).author_briefs(*a).unwrap_or(&[]), *n)
        }
        _ => Vec::new(),
    }
}

/// When a page last changed, for the sitemap: a brief's modification time, a listing's newest
/// brief's (first pages only).
fn lastmod(site: &Site, job: &Job) -> Option<jiff::Timestamp> {
    let newest = |ids: &[BriefId]| {
        ids.first()
            .map(|id| site.brief(*id).last_modified().timestamp())
    };
    match job {
        Job::Brief(id) => Some(site.brief(*id).last_modified().timestamp()),
        Job::Page(id) => site.page(*id).date.as_ref().map(|d| d.timestamp()),
        Job::Home(1) => site
            .briefs
            .iter()
            .map(|b| b.last_modified().timestamp())
            .max(),
        Job::Collection(c, 1) => site
            .collection(*c)
            .items
            .iter()
            .map(|id| site.brief(*id).last_modified().timestamp())
            .max(),
        Job::Year(c, y, 1) => newest(&site.collection(*c).years[*y].items),
        Job::Type(t, 1) => newest(&site.type_listing(*t).items),
        Job::Author(a, 1) => newest(&site.author(*a).briefs),
        Job::Term(t, id, 1) => newest(&site.term(*t, *id).briefs),
        Job::LanguageHome(l, 1) => newest(&site.language(*l).briefs),
        Job::LanguageTerm(l, t, id, 1) => newest(site.language(*l).term_briefs(*t, *id)?),
        Job::LanguageAuthor(l, a, 1) => newest(site.language(*l).author_briefs(*a)?),
        _ => None,
    }
}

/// Whether a page belongs in the sitemap: every page search engines should index, so none
/// that says `noindex` (the 404 and search pages, page 2 and later of listings, drafts and
/// scheduled briefs or pages in a preview).
fn in_sitemap(site: &Site, job: &Job) -> bool {
    match *job {
        Job::NotFound | Job::Search | Job::LanguageSearch(_) => false,
        Job::Home(n)
        | Job::Collection(_, n)
        | Job::Year(_, _, n)
        | Job::Type(_, n)
        | Job::Series(_, n)
        | Job::Author(_, n)
        | Job::Term(_, _, n)
        | Job::LanguageHome(_, n)
        | Job::LanguageTerm(_, _, _, n)
        | Job::LanguageAuthor(_, _, n) => n == 1,
        Job::Brief(id) => site.is_published(id),
        Job::Page(id) => {
            let p = site.page(id);
            !p.draft && p.date.as_ref().is_none_or(|d| d.timestamp() <= site.now)
        }
        Job::Authors
        | Job::Taxonomy(_)
        | Job::Types
        | Job::SeriesIndex
        | Job::LanguageTaxonomy(..)
        | Job::LanguageAuthors(_) => true,
    }
}

/// The sitemap of the planned pages (see [`in_sitemap`]).
pub fn sitemap(site: &Site, planned: &[Planned]) -> String {
    let entries: Vec<feeds::SitemapEntry> = planned
        .iter()
        .filter(|p| in_sitemap(site, &p.job))
        .map(|p| feeds::SitemapEntry {
            path: p.path.clone(),
            lastmod: lastmod(site, &p.job),
            alternates: match p.job {
                Job::Brief(id) => super::editions::alternates(site, id),
                _ => Vec::new(),
            },
        })
        .collect();
    feeds::sitemap(site, &entries)
}

/// The pages the search index holds: (URL, output file).
pub fn search_pages(site: &Site, planned: &[Planned]) -> Vec<(String, String)> {
    planned
        .iter()
        .filter(|p| p.searchable)
        .map(|p| (site.url(&p.path), p.file()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn page_window_keeps_ends_and_neighbours() {
        assert_eq!(page_window(1, 1), vec![1]);
        assert_eq!(page_window(1, 3), vec![1, 2, 3]);
        assert_eq!(page_window(1, 1000), vec![1, 2, 3, 1000]);
        assert_eq!(
            page_window(500, 1000),
            vec![1, 498, 499, 500, 501, 502, 1000]
        );
        assert_eq!(page_window(1000, 1000), vec![1, 998, 999, 1000]);
        assert_eq!(page_window(4, 6), vec![1, 2, 3, 4, 5, 6]);
    }
}
