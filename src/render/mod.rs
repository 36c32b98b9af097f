//! Rendering: `plan` lists every page the site has (one `Job` each), `render` turns them into
//! an in-memory `Output` in parallel, plus feeds, sitemap, robots.txt, the highlighting
//! stylesheet, static files and bundle assets. Nothing here writes to disk.
//!
//! Two sources that would produce the same output file are an error naming both.

pub mod feeds;
pub mod metadata;
pub mod templates;
pub mod views;

use std::path::Path;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diag::{Diagnostic, Diagnostics};
use crate::output::{Body, Output};
use crate::site::{BriefId, Site};
use templates::{Templates, ThemeSource, builtin_theme};
use views::*;

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// The home page, page `n` (from 1).
    Home(usize),
    /// A brief.
    Brief(BriefId),
    /// A standalone page (index into `Site::pages`).
    Page(usize),
    /// The briefs section listing (`/briefs/`), page n.
    Briefs(usize),
    /// The list of authors.
    Authors,
    /// An author's page (index into `Site::authors`), page n.
    Author(usize, usize),
    /// A taxonomy's list of terms.
    Taxonomy(usize),
    /// A term's page (taxonomy, term, page n).
    Term(usize, usize, usize),
    /// The search page.
    Search,
    /// The 404 page.
    NotFound,
}

/// A job with its output path and a label naming what it comes from.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The job.
    pub job: Job,
    /// URL path inside the site ("briefs/a/"), or the file for 404.
    pub path: String,
    /// What it comes from, for collision errors.
    pub origin: String,
}

fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per).max(1)
}

fn paged(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// A rendered page: output file, its search record when it is indexed, and its body.
type RenderedPage = (String, Option<crate::search::PageRecord>, Body);
/// A rendered page before indexing: its file, its HTML when it is to be indexed, its body.
type RenderedHtml = (String, Option<String>, Body);

/// Page numbers for numbered navigation on page `n` of `total`: the first, the last and two
/// either side of `n`, ascending.
fn page_window(n: usize, total: usize) -> Vec<usize> {
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
    let generated = |what: &str| format!("the generated {what}");
    for n in 1..=page_count(site.briefs.len(), per) {
        jobs.push(Planned {
            job: Job::Home(n),
            path: paged("", n),
            origin: generated("home page"),
        });
    }
    for (i, b) in site.briefs.iter().enumerate() {
        jobs.push(Planned {
            job: Job::Brief(BriefId(i as u32)),
            path: b.path.clone(),
            origin: b.doc.source.display().to_string(),
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        jobs.push(Planned {
            job: Job::Page(i),
            path: p.path.clone(),
            origin: p.source.display().to_string(),
        });
    }
    for n in 1..=page_count(site.briefs.len(), per) {
        jobs.push(Planned {
            job: Job::Briefs(n),
            path: paged("briefs/", n),
            origin: generated("briefs listing"),
        });
    }
    jobs.push(Planned {
        job: Job::Authors,
        path: "authors/".into(),
        origin: generated("authors list"),
    });
    for (i, a) in site.authors.iter().enumerate() {
        let base = format!("authors/{}/", a.slug);
        for n in 1..=page_count(a.briefs.len(), per) {
            jobs.push(Planned {
                job: Job::Author(i, n),
                path: paged(&base, n),
                origin: format!("the author page of {:?}", a.name),
            });
        }
    }
    for (ti, t) in site.taxonomies.iter().enumerate() {
        jobs.push(Planned {
            job: Job::Taxonomy(ti),
            path: format!("{}/", t.def.name),
            origin: generated(&format!("{} list", t.def.name)),
        });
        for (i, term) in t.terms.iter().enumerate() {
            let base = format!("{}/{}/", t.def.name, term.slug);
            for n in 1..=page_count(term.briefs.len(), per) {
                jobs.push(Planned {
                    job: Job::Term(ti, i, n),
                    path: paged(&base, n),
                    origin: format!(
                        "the {} page of {:?}",
                        t.def.singular.to_lowercase(),
                        term.name
                    ),
                });
            }
        }
    }
    if site.config.search {
        jobs.push(Planned {
            job: Job::Search,
            path: "search/".into(),
            origin: generated("search page"),
        });
    }
    jobs.push(Planned {
        job: Job::NotFound,
        path: "404.html".into(),
        origin: generated("404 page"),
    });
    jobs
}

/// Output file for a planned page.
fn file_of(p: &Planned) -> String {
    if p.job == Job::NotFound {
        p.path.clone()
    } else {
        format!("{}index.html", p.path)
    }
}

/// Render the whole site into memory, search index included.
pub fn render(
    site: &Site,
    templates: &Templates,
    root: &Path,
    theme: &ThemeSource,
) -> (Output, Diagnostics) {
    let (renderer, mut diags) = Renderer::new(site, templates);
    if diags.has_errors() {
        return (Output::default(), diags);
    }
    let (out, d) = renderer.render_all(site, templates, root, theme, true, None);
    diags.extend(d.0);
    (out, diags)
}

/// What rendering keeps between builds: the site's shared template value, every brief's card
/// and citation. `serve` keeps one and updates single briefs ([`Renderer::update_brief`]).
pub struct Renderer {
    site_value: Value,
    cards: Vec<Value>,
    citations: Vec<Option<metadata::BriefCitation>>,
}

fn citation_of(site: &Site, b: &crate::site::Brief) -> Result<metadata::BriefCitation, Diagnostic> {
    metadata::brief_citation(site, b).map_err(|e| {
        Diagnostic::error(format!("cannot format the citation: {e}")).in_file(&b.doc.source)
    })
}

impl Renderer {
    /// Check the templates the content names and compute the shared values.
    pub fn new(site: &Site, templates: &Templates) -> (Self, Diagnostics) {
        let mut diags = Diagnostics::default();
        // Templates named by front matter must exist.
        for p in &plan(site) {
            if let Some((tpl, src)) = custom_template(site, &p.job)
                && !templates.has(tpl)
            {
                diags.push(Diagnostic::error(format!("template `{tpl}` not found")).in_file(src));
            }
        }
        let site_value = Value::from_serializable(&site_view(site));
        let cards: Vec<Value> = site
            .briefs
            .par_iter()
            .map(|b| Value::from_serializable(&brief_card(site, b)))
            .collect();
        let citations: Vec<Option<metadata::BriefCitation>> =
            if site.config.metadata.citations.unwrap_or(true) {
                site.briefs
                    .par_iter()
                    .map(|b| citation_of(site, b).map(Some))
                    .collect::<Result<_, _>>()
                    .unwrap_or_else(|d| {
                        diags.push(d);
                        Vec::new()
                    })
            } else {
                Vec::new()
            };
        (
            Self {
                site_value,
                cards,
                citations,
            },
            diags,
        )
    }

    /// Recompute one brief's card and citation after its document changed.
    pub fn update_brief(&mut self, site: &Site, id: BriefId) -> Result<(), Diagnostic> {
        let b = &site.briefs[id.0 as usize];
        self.cards[id.0 as usize] = Value::from_serializable(&brief_card(site, b));
        if let Some(slot) = self.citations.get_mut(id.0 as usize) {
            *slot = Some(citation_of(site, b)?);
        }
        Ok(())
    }

    fn ctx<'a>(&'a self, site: &'a Site, templates: &'a Templates) -> RenderCtx<'a> {
        RenderCtx {
            site,
            templates,
            site_value: self.site_value.clone(),
            cards: &self.cards,
            citations: &self.citations,
        }
    }

    /// Render some pages, in parallel: (output file, HTML) or the error, in `planned` order.
    pub fn render_pages(
        &self,
        site: &Site,
        templates: &Templates,
        planned: &[Planned],
    ) -> Vec<Result<(String, String), Diagnostic>> {
        let ctx = self.ctx(site, templates);
        planned
            .par_iter()
            .map(|p| ctx.render_job(p).map(|html| (file_of(p), html)))
            .collect()
    }

    /// Feeds (site, author, term; Atom and JSON) and citation files for which `keep` says yes.
    pub fn feeds(
        &self,
        site: &Site,
        keep: impl Fn(&[BriefId]) -> bool + Sync,
    ) -> Vec<(String, String)> {
        feed_files(site, &self.citations, keep)
    }

    /// Render everything: pages, feeds, sitemap, static files, assets, and the search index
    /// when `search` is true and the site enables it. With a `stage`, pages are written into
    /// it as they are rendered and recorded as [`Body::Written`]; the rest stays in memory.
    pub fn render_all(
        &self,
        site: &Site,
        templates: &Templates,
        root: &Path,
        theme: &ThemeSource,
        search: bool,
        stage: Option<&crate::output::Staging>,
    ) -> (Output, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut out = Output::default();
        let planned = plan(site);
        let add = |out: &mut Output,
                   path: String,
                   body: Body,
                   origin: String,
                   diags: &mut Diagnostics| {
            if let Some(prev) = out.insert(path.clone(), body, origin.clone()) {
                diags.push(
                    Diagnostic::error(format!("two sources write `{path}`: {prev} and {origin}"))
                        .with_hint(
                            "change one of the slugs (front matter `slug`) or rename a file",
                        ),
                );
            }
        };
        let index = |p: &Planned| search && site.config.search && searchable(site, &p.job);
        // Pages go to the staging folder as soon as they are rendered, when there is one, so
        // that the whole site is never held in memory; only pages to index are kept.
        let ctx = self.ctx(site, templates);
        let interner = crate::search::Interner::default();
        // Pages are rendered a batch at a time, then the batch's pages to index are read for
        // the search index while their HTML is at hand: rendering and indexing each have a
        // large working set, and taking turns page by page cost a third more time.
        const BATCH: usize = 32;
        let rendered: Vec<Result<RenderedPage, Diagnostic>> = planned
            .par_chunks(BATCH)
            .flat_map_iter(|batch| {
                let pages: Vec<Result<RenderedHtml, Diagnostic>> = batch
                    .iter()
                    .map(|p| {
                        let html = ctx.render_job(p)?;
                        let file = file_of(p);
                        let Some(stage) = stage else {
                            return Ok((file, None, Body::Bytes(html.into_bytes())));
                        };
                        stage.write(&file, html.as_bytes()).map_err(|e| {
                            Diagnostic::error(format!("cannot write `{file}` to the output: {e}"))
                                .with_hint("the previous output, if any, is unchanged")
                        })?;
                        Ok((file, index(p).then_some(html), Body::Written))
                    })
                    .collect();
                pages.into_iter().zip(batch).map(|(r, p)| {
                    let (file, html, body) = r?;
                    let html = match (&html, &body) {
                        (Some(h), _) => Some(h.as_str()),
                        (None, Body::Bytes(b)) if index(p) => std::str::from_utf8(b).ok(),
                        _ => None,
                    };
                    let record =
                        html.and_then(|h| crate::search::extract(&interner, &site.url(&p.path), h));
                    Ok((file, record, body))
                })
            })
            .collect();
        let mut to_index = Vec::new();
        for (p, r) in planned.iter().zip(rendered) {
            match r {
                Ok((file, keep, body)) => {
                    if let Some(record) = keep {
                        to_index.push(record);
                    }
                    add(&mut out, file, body, p.origin.clone(), &mut diags)
                }
                Err(d) => diags.push(d),
            }
        }
        if search && site.config.search && !diags.has_errors() {
            match crate::search::build_from_records(to_index, interner) {
                Ok(files) => {
                    for (path, bytes) in files {
                        add(
                            &mut out,
                            path,
                            Body::Bytes(bytes),
                            "the search index".into(),
                            &mut diags,
                        );
                    }
                }
                Err(e) => diags.push(Diagnostic::error(format!("search index: {e}"))),
            }
        }
        // Feeds, sitemap, robots.
        let feeds = self.feeds(site, |_| true);
        for (path, xml) in feeds {
            add(
                &mut out,
                path,
                Body::Bytes(xml.into_bytes()),
                "a generated feed".into(),
                &mut diags,
            );
        }
        add(
            &mut out,
            "sitemap.xml".into(),
            Body::Bytes(sitemap(site, &planned).into_bytes()),
            "the generated sitemap".into(),
            &mut diags,
        );
        for (file, html, origin) in alias_pages(site) {
            add(
                &mut out,
                file,
                Body::Bytes(html.into_bytes()),
                origin,
                &mut diags,
            );
        }
        if let Some(text) = redirects_file(site) {
            add(
                &mut out,
                "_redirects".into(),
                Body::Bytes(text.into_bytes()),
                "the generated _redirects".into(),
                &mut diags,
            );
        }
        add(
            &mut out,
            "robots.txt".into(),
            Body::Bytes(feeds::robots(site).into_bytes()),
            "the generated robots.txt".into(),
            &mut diags,
        );
        let css = crate::highlight::stylesheet(
            &site.config.highlight_theme,
            &site.config.highlight_theme_dark,
        );
        add(
            &mut out,
            "syntax.css".into(),
            Body::Bytes(css.into_bytes()),
            "the generated syntax.css".into(),
            &mut diags,
        );
        for (path, body, origin) in static_files(root, theme) {
            add(&mut out, path, body, origin, &mut diags);
        }
        for a in &site.assets {
            add(
                &mut out,
                a.out.clone(),
                Body::Copy(a.src.clone()),
                a.rel.display().to_string(),
                &mut diags,
            );
        }
        (out, diags)
    }
}

/// Every feed and citation file of the site whose newest entries `keep` accepts.
fn feed_files(
    site: &Site,
    citations: &[Option<metadata::BriefCitation>],
    keep: impl Fn(&[BriefId]) -> bool + Sync,
) -> Vec<(String, String)> {
    let newest = |ids: &[BriefId]| keep(&ids[..ids.len().min(feeds::FEED_ENTRIES)]);
    let all: Vec<BriefId> = (0..site.briefs.len() as u32).map(BriefId).collect();
    let mut out: Vec<(String, String)> = Vec::new();
    if newest(&all) {
        out.push((
            "feed.xml".into(),
            feeds::atom(site, &site.config.title, "feed.xml", "", &all),
        ));
        out.push((
            "feed.json".into(),
            metadata::json_feed(site, &all, feeds::FEED_ENTRIES),
        ));
    }
    out.par_extend(
        site.authors
            .par_iter()
            .filter(|a| newest(&a.briefs))
            .map(|a| {
                let base = format!("authors/{}/", a.slug);
                let title = format!("{} — {}", a.name, site.config.title);
                (
                    format!("{base}feed.xml"),
                    feeds::atom(site, &title, &format!("{base}feed.xml"), &base, &a.briefs),
                )
            }),
    );
    for t in site.taxonomies.iter().filter(|t| t.def.feed) {
        out.par_extend(
            t.terms
                .par_iter()
                .filter(|term| newest(&term.briefs))
                .map(|term| {
                    let base = format!("{}/{}/", t.def.name, term.slug);
                    let title = format!("{} — {}", term.name, site.config.title);
                    (
                        format!("{base}feed.xml"),
                        feeds::atom(
                            site,
                            &title,
                            &format!("{base}feed.xml"),
                            &base,
                            &term.briefs,
                        ),
                    )
                }),
        );
    }
    for (i, (b, c)) in site.briefs.iter().zip(citations).enumerate() {
        if let Some(c) = c
            && keep(&[BriefId(i as u32)])
        {
            out.push((format!("{}cite.bib", b.path), c.bibtex.clone()));
            out.push((format!("{}cite.ris", b.path), c.ris.clone()));
        }
    }
    out
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
        Job::Home(n) | Job::Briefs(n) => {
            let from = (n - 1) * per;
            let to = (from + per).min(site.briefs.len());
            (from as u32..to as u32).map(BriefId).collect()
        }
        Job::Brief(id) => {
            let b = &site.briefs[id.0 as usize];
            let mut ids = vec![*id];
            if id.0 > 0 {
                ids.push(BriefId(id.0 - 1));
            }
            if (id.0 as usize) + 1 < site.briefs.len() {
                ids.push(BriefId(id.0 + 1));
            }
            ids.extend(&b.related);
            if let Some(s) = b.doc.series.as_ref().and_then(|s| site.series.get(s)) {
                ids.extend(s);
            }
            ids
        }
        Job::Author(i, n) => page(&site.authors[*i].briefs, *n),
        Job::Term(t, i, n) => page(&site.taxonomies[*t].terms[*i].briefs, *n),
        _ => Vec::new(),
    }
}

/// Static files in layers: the built-in theme, a theme folder, then the site's static/ (a
/// later layer replaces a file of an earlier one). Sorted by output path.
pub fn static_files(root: &Path, theme: &ThemeSource) -> Vec<(String, Body, String)> {
    let mut layers: Vec<Vec<(String, Body, String)>> = vec![
        builtin_theme()
            .iter()
            .filter_map(|(p, bytes)| {
                let rel = p.strip_prefix("static/")?;
                Some((
                    rel.to_string(),
                    Body::Static(bytes),
                    format!("the theme's static/{rel}"),
                ))
            })
            .collect(),
    ];
    if let ThemeSource::Dir(dir) = theme {
        layers.push(walk_files(&dir.join("static"), root));
    }
    layers.push(walk_files(&root.join("static"), root));
    let mut statics: std::collections::BTreeMap<String, (Body, String)> =
        std::collections::BTreeMap::new();
    for layer in layers {
        for (path, body, origin) in layer {
            statics.insert(path, (body, origin));
        }
    }
    statics
        .into_iter()
        .map(|(path, (body, origin))| (path, body, origin))
        .collect()
}

/// The pages the search index holds: (URL, output file).
pub fn search_pages(site: &Site, planned: &[Planned]) -> Vec<(String, String)> {
    planned
        .iter()
        .filter(|p| searchable(site, &p.job))
        .map(|p| (site.url(&p.path), file_of(p)))
        .collect()
}

/// The output file of an alias: "old/" → "old/index.html", "old.php" stays.
pub fn alias_file(alias: &str) -> String {
    if alias.ends_with('/') {
        format!("{alias}index.html")
    } else {
        alias.to_string()
    }
}

/// A redirect page for each brief alias: meta refresh, canonical link, a visible link, and
/// noindex, for hosts that do not read `_redirects`.
fn alias_pages(site: &Site) -> Vec<(String, String, String)> {
    alias_pages_of(site, |_| true)
}

/// The redirect pages of the briefs `keep` accepts: (output file, HTML, origin).
pub fn alias_pages_of(
    site: &Site,
    keep: impl Fn(BriefId) -> bool,
) -> Vec<(String, String, String)> {
    use crate::escape::html;
    site.briefs
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(BriefId(*i as u32)))
        .flat_map(|(_, b)| {
            let lang = b.doc.language.as_deref().unwrap_or(&site.config.language);
            b.doc.aliases.iter().map(move |a| {
                let to = html(&b.permalink);
                let page = format!(
                    "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p>This brief has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n",
                    lang = html(lang),
                    title = html(&b.doc.title),
                );
                (alias_file(a), page, format!("the alias {a:?} of {}", b.doc.source.display()))
            })
        })
        .collect()
}

/// Netlify / Cloudflare Pages `_redirects`: one permanent redirect per alias.
fn redirects_file(site: &Site) -> Option<String> {
    let base = &site.config.base_path;
    let mut lines: Vec<String> = site
        .briefs
        .iter()
        .flat_map(|b| {
            b.doc
                .aliases
                .iter()
                .map(move |a| format!("{base}{a} {} 301", site.url(&b.path)))
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    lines.sort();
    Some(format!(
        "# Generated by dossier from brief `aliases`: old path, new path, status.\n{}\n",
        lines.join("\n")
    ))
}

/// The sitemap of the planned pages.
pub fn sitemap(site: &Site, planned: &[Planned]) -> String {
    let entries: Vec<feeds::SitemapEntry> = planned
        .iter()
        .filter(|p| p.job != Job::NotFound)
        .map(|p| feeds::SitemapEntry {
            path: p.path.clone(),
            lastmod: lastmod(site, &p.job),
        })
        .collect();
    feeds::sitemap(site, &entries)
}

/// Output file for a planned page (public for `serve`).
pub fn output_file(p: &Planned) -> String {
    file_of(p)
}

/// Pages readers should find in search: published briefs (never drafts or scheduled briefs,
/// even when the build includes them), and the first page of authors and terms.
fn searchable(site: &Site, job: &Job) -> bool {
    match job {
        Job::Brief(id) => {
            let b = &site.briefs[id.0 as usize];
            !b.doc.draft && !b.scheduled
        }
        Job::Author(_, 1) | Job::Term(_, _, 1) => true,
        _ => false,
    }
}

fn custom_template<'a>(site: &'a Site, job: &Job) -> Option<(&'a str, &'a Path)> {
    match job {
        Job::Brief(id) => {
            let d = &site.briefs[id.0 as usize].doc;
            d.template.as_deref().map(|t| (t, d.source.as_path()))
        }
        Job::Page(i) => {
            let p = &site.pages[*i];
            p.template.as_deref().map(|t| (t, p.source.as_path()))
        }
        _ => None,
    }
}

fn lastmod(site: &Site, job: &Job) -> Option<jiff::Timestamp> {
    let newest = |ids: &[BriefId]| {
        ids.first()
            .map(|id| site.briefs[id.0 as usize].last_modified().timestamp())
    };
    match job {
        Job::Brief(id) => Some(site.briefs[id.0 as usize].last_modified().timestamp()),
        Job::Page(i) => site.pages[*i].date.as_ref().map(|d| d.timestamp()),
        Job::Home(1) | Job::Briefs(1) => site
            .briefs
            .iter()
            .map(|b| b.last_modified().timestamp())
            .max(),
        Job::Author(i, 1) => newest(&site.authors[*i].briefs),
        Job::Term(t, i, 1) => newest(&site.taxonomies[*t].terms[*i].briefs),
        _ => None,
    }
}

fn walk_files(dir: &Path, root: &Path) -> Vec<(String, Body, String)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let shown = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .display()
                .to_string();
            Some((rel, Body::Copy(e.path().to_path_buf()), shown))
        })
        .collect()
}

struct RenderCtx<'a> {
    site: &'a Site,
    templates: &'a Templates,
    site_value: Value,
    cards: &'a [Value],
    citations: &'a [Option<metadata::BriefCitation>],
}

impl RenderCtx<'_> {
    fn base_context(&self, kind: &str, meta: MetaView<'_>) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("kind", kind);
        ctx.insert("meta", &meta);
        ctx
    }

    fn meta<'s>(
        &'s self,
        title: Option<&str>,
        path: &str,
        description: &'s str,
        lang: Option<&'s str>,
    ) -> MetaView<'s> {
        let c = &self.site.config;
        let lang = lang.unwrap_or(&c.language);
        MetaView {
            title: match title {
                Some(t) => format!("{t} | {}", c.title),
                None => c.title.clone(),
            },
            description: if description.is_empty() {
                &c.description
            } else {
                description
            },
            canonical: self.site.permalink(path),
            lang,
            dir: direction(lang),
            feed_url: self.site.url("feed.xml"),
            image: None,
            noindex: path.contains("page/") || path == "404.html",
            og_type: "website",
            og_locale: lang.replace('-', "_"),
            twitter: c.metadata.twitter.as_deref(),
        }
    }

    fn paginator(&self, ids: &[BriefId], base: &str, n: usize) -> PaginatorView {
        let per = self.site.config.paginate;
        let total_pages = page_count(ids.len(), per);
        let items = ids
            .iter()
            .skip((n - 1) * per)
            .take(per)
            .map(|id| self.cards[id.0 as usize].clone())
            .collect();
        let url = |k: usize| self.site.url(&paged(base, k));
        PaginatorView {
            items,
            number: n,
            total_pages,
            total_items: ids.len(),
            previous_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total_pages).then(|| url(n + 1)),
            first_url: url(1),
            last_url: url(total_pages),
            pages: page_window(n, total_pages)
                .into_iter()
                .scan(0, |prev, k| {
                    let gap_before = *prev != 0 && k > *prev + 1;
                    *prev = k;
                    Some(PageLink {
                        number: k,
                        url: url(k),
                        current: k == n,
                        gap_before,
                    })
                })
                .collect(),
        }
    }

    fn section_value(&self, dir: &str) -> Value {
        match self.site.sections.get(dir) {
            Some(s) => Value::from_serializable(&serde_json::json!({
                "title": s.front.title,
                "description": s.front.description,
                "content": s.body.html,
                "extra": s.front.extra,
            })),
            None => Value::none(),
        }
    }

    fn render_job(&self, p: &Planned) -> Result<String, Diagnostic> {
        let site = self.site;
        let all: Vec<BriefId>;
        let (template, ctx): (String, Context) = match &p.job {
            Job::Home(n) => {
                all = (0..site.briefs.len() as u32).map(BriefId).collect();
                let s = site.sections.get("");
                let desc = s.and_then(|s| s.front.description.as_deref()).unwrap_or("");
                let mut ctx = self.base_context("home", self.meta(None, &p.path, desc, None));
                if *n == 1 {
                    ctx.insert_value("json_ld", Value::safe_string(&metadata::home_json_ld(site)));
                }
                ctx.insert("paginator", &self.paginator(&all, "", *n));
                ctx.insert_value("section", self.section_value(""));
                ("index.html".into(), ctx)
            }
            Job::Briefs(n) => {
                all = (0..site.briefs.len() as u32).map(BriefId).collect();
                let s = site.sections.get("briefs");
                let title = s.and_then(|s| s.front.title.as_deref()).unwrap_or("Briefs");
                let desc = s.and_then(|s| s.front.description.as_deref()).unwrap_or("");
                let mut ctx =
                    self.base_context("section", self.meta(Some(title), &p.path, desc, None));
                ctx.insert("paginator", &self.paginator(&all, "briefs/", *n));
                ctx.insert_value("section", self.section_value("briefs"));
                ctx.insert("title", title);
                ("section.html".into(), ctx)
            }
            Job::Brief(id) => {
                let b = &site.briefs[id.0 as usize];
                let citation = self.citations.get(id.0 as usize).and_then(Option::as_ref);
                let view = brief_view(site, *id, citation, self.cards);
                let mut meta = self.meta(
                    Some(&b.doc.title),
                    &p.path,
                    &b.summary,
                    Some(view.card.language),
                );
                meta.image = view.card.image.as_deref().map(|u| absolute(site, u));
                meta.og_type = "article";
                let mut ctx = self.base_context("brief", meta);
                ctx.insert_value(
                    "json_ld",
                    Value::safe_string(&metadata::brief_json_ld(site, b)),
                );
                ctx.insert("page", &view);
                (
                    b.doc
                        .template
                        .clone()
                        .unwrap_or_else(|| "brief.html".into()),
                    ctx,
                )
            }
            Job::Page(i) => {
                let pg = &site.pages[*i];
                let lang = pg.language.as_deref().unwrap_or(&site.config.language);
                let view = PageView {
                    title: &pg.title,
                    subtitle: pg.subtitle.as_deref(),
                    summary: pg.summary.as_deref(),
                    url: site.url(&pg.path),
                    permalink: site.permalink(&pg.path),
                    date: pg.date.as_ref().map(|d| d.date().to_string()),
                    content: &pg.body.html,
                    toc: &pg.body.toc,
                    language: lang,
                    dir: direction(lang),
                    extra: &pg.extra,
                };
                let desc = pg.summary.as_deref().unwrap_or(&pg.body.first_paragraph);
                let mut ctx = self.base_context(
                    "page",
                    self.meta(Some(&pg.title), &p.path, desc, Some(lang)),
                );
                ctx.insert("page", &view);
                (
                    pg.template.clone().unwrap_or_else(|| "page.html".into()),
                    ctx,
                )
            }
            Job::Authors => {
                let mut list: Vec<_> = site.authors.iter().collect();
                list.sort_by_key(|a| (sort_key(&a.name), a.slug.clone()));
                let views: Vec<AuthorView> =
                    list.into_iter().map(|a| author_view(site, a)).collect();
                let s = site.sections.get("authors");
                let title = s
                    .and_then(|s| s.front.title.as_deref())
                    .unwrap_or("Experts");
                let desc = s.and_then(|s| s.front.description.as_deref()).unwrap_or("");
                let mut ctx =
                    self.base_context("authors", self.meta(Some(title), &p.path, desc, None));
                ctx.insert("authors", &views);
                ctx.insert("title", title);
                ctx.insert_value("section", self.section_value("authors"));
                ("authors.html".into(), ctx)
            }
            Job::Author(i, n) => {
                let a = &site.authors[*i];
                let view = author_view(site, a);
                let desc = a
                    .profile
                    .as_ref()
                    .map_or("", |p| p.bio.first_paragraph.as_str());
                let mut meta = self.meta(Some(&a.name), &p.path, desc, None);
                meta.feed_url = view.feed_url.clone();
                meta.image = view.photo.as_deref().map(|u| absolute(site, u));
                meta.og_type = "profile";
                let mut ctx = self.base_context("author", meta);
                if *n == 1 {
                    ctx.insert_value(
                        "json_ld",
                        Value::safe_string(&metadata::author_json_ld(site, a)),
                    );
                }
                ctx.insert(
                    "paginator",
                    &self.paginator(&a.briefs, &format!("authors/{}/", a.slug), *n),
                );
                ctx.insert("author", &view);
                ("author.html".into(), ctx)
            }
            Job::Taxonomy(t) => {
                let tax = &site.taxonomies[*t];
                let mut terms: Vec<_> = tax.terms.iter().collect();
                terms.sort_by_key(|x| (sort_key(&x.name), x.slug.clone()));
                let views: Vec<TermView> =
                    terms.into_iter().map(|x| term_view(site, tax, x)).collect();
                let s = site.sections.get(&tax.def.name);
                let title = s
                    .and_then(|s| s.front.title.as_deref())
                    .unwrap_or(&tax.def.title);
                let desc = s.and_then(|s| s.front.description.as_deref()).unwrap_or("");
                let mut ctx =
                    self.base_context("taxonomy", self.meta(Some(title), &p.path, desc, None));
                ctx.insert("taxonomy", &taxonomy_ref(site, *t));
                ctx.insert("terms", &views);
                ctx.insert("title", title);
                ctx.insert_value("section", self.section_value(&tax.def.name));
                (
                    self.pick(&format!("{}/list.html", tax.def.name), "taxonomy.html"),
                    ctx,
                )
            }
            Job::Term(t, i, n) => {
                let tax = &site.taxonomies[*t];
                let term = &tax.terms[*i];
                let view = term_view(site, tax, term);
                let desc = term
                    .profile
                    .as_ref()
                    .map_or("", |p| p.description.first_paragraph.as_str());
                let mut meta = self.meta(Some(&term.name), &p.path, desc, None);
                if let Some(f) = &view.feed_url {
                    meta.feed_url = f.clone();
                }
                let mut ctx = self.base_context("term", meta);
                ctx.insert(
                    "paginator",
                    &self.paginator(
                        &term.briefs,
                        &format!("{}/{}/", tax.def.name, term.slug),
                        *n,
                    ),
                );
                ctx.insert("taxonomy", &taxonomy_ref(site, *t));
                ctx.insert("term", &view);
                (
                    self.pick(&format!("{}/term.html", tax.def.name), "term.html"),
                    ctx,
                )
            }
            Job::Search => {
                let ctx = self.base_context("search", self.meta(Some("Search"), &p.path, "", None));
                ("search.html".into(), ctx)
            }
            Job::NotFound => {
                let ctx =
                    self.base_context("404", self.meta(Some("Page not found"), &p.path, "", None));
                ("404.html".into(), ctx)
            }
        };
        self.templates
            .tera
            .render(&template, &ctx)
            .map_err(|e| self.templates.diagnostic(&e, Some(&p.origin)))
    }

    fn pick(&self, specific: &str, general: &str) -> String {
        if self.templates.has(specific) {
            specific.to_string()
        } else {
            general.to_string()
        }
    }
}

fn taxonomy_ref(site: &Site, t: usize) -> TaxonomyRef<'_> {
    let d = &site.taxonomies[t].def;
    TaxonomyRef {
        name: &d.name,
        title: &d.title,
        singular: &d.singular,
        url: site.url(&format!("{}/", d.name)),
    }
}

/// Sort names case- and accent-insensitively ("Émile" with the E's).
fn sort_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
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
