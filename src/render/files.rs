//! The files of a site that are not pages: feeds and citation files, the sitemap, alias
//! redirect pages and `_redirects`, robots.txt, the highlighting stylesheet, static files (the
//! built-in theme, a theme folder, the site's `static/`) and bundle files. Each comes with an
//! origin naming where it comes from, for collision errors.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::feeds;
use super::metadata::{self, BriefCitation};
use super::plan::{Planned, sitemap};
use super::templates::{ThemeSource, builtin_theme};
use crate::diag::Diagnostic;
use crate::output::{Body, Origin};
use crate::site::{BriefId, PerBrief, Site};
use crate::urls;

/// A file: (path in the output, body, origin).
pub type OutFile = (String, Body, Origin);

/// Every file of the site but its pages, and warnings about static files skipped (or errors
/// writing them). Each generated file goes to `sink` as soon as it is made (the staging writer
/// writes it and the output keeps only its path); static and bundle files are copied later.
pub fn site_files(
    site: &Site,
    citations: &PerBrief<Option<BriefCitation>>,
    planned: &[Planned],
    (root, theme): (&Path, &ThemeSource),
    sink: &dyn super::PageSink,
) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let put = |path: String, text: String, origin: Origin| -> Result<OutFile, Diagnostic> {
        let body = sink.file(&path, text.into_bytes())?;
        Ok((path, body, origin))
    };
    let mut made: Vec<Result<OutFile, Diagnostic>> = feed_files(site, citations, |_| true, put);
    made.push(put(
        urls::SITEMAP.into(),
        sitemap(site, planned),
        Origin::generated("the generated sitemap"),
    ));
    for (file, html, origin) in alias_pages(site, |_| true, true) {
        made.push(put(file, html, origin));
    }
    if let Some(text) = redirects_file(site) {
        let origin = Origin::generated("the generated _redirects");
        made.push(put("_redirects".into(), text, origin));
    }
    let origin = Origin::generated("the generated robots.txt");
    made.push(put("robots.txt".into(), feeds::robots(site), origin));
    let css = crate::highlight::stylesheet(
        &site.config.highlight_theme,
        &site.config.highlight_theme_dark,
    );
    let origin = Origin::generated("the generated syntax.css");
    made.push(put("syntax.css".into(), css, origin));
    let (mut out, mut warnings): (Vec<OutFile>, Vec<Diagnostic>) = (Vec::new(), Vec::new());
    for m in made {
        match m {
            Ok(f) => out.push(f),
            Err(d) => warnings.push(d),
        }
    }
    let (statics, static_warnings) = static_files(root, theme);
    warnings.extend(static_warnings);
    // A processed image is published as its cleaned copy (metadata removed) with its
    // variants, not copied as it is.
    let processed = super::images::processed_sources(site);
    let copied = |f: &crate::fsx::SiteFile| !processed.contains(&f.rel);
    out.extend(statics.into_iter().filter(|(_, body, _)| match body {
        Body::Copy(f) => copied(f),
        _ => true,
    }));
    let (mut images, image_diags) = super::images::files(site, site.images.requests.take());
    warnings.extend(image_diags);
    // The processed files first: 110,000 at 10,000 heroes, not copied again.
    images.append(&mut out);
    let mut out = images;
    for a in site.assets.iter().filter(|a| copied(&a.src)) {
        out.push((
            a.out.clone(),
            Body::Copy(a.src.clone()),
            Origin::source(&a.rel, None, ""),
        ));
    }
    (out, warnings)
}

/// Feeds (site, author, term; Atom and JSON), calendars and citation files whose newest
/// entries `keep` accepts, each handed to `emit` (path, text, origin) as soon as it is made
/// (in parallel); what `emit` returns is collected.
pub fn feed_files<T: Send>(
    site: &Site,
    citations: &PerBrief<Option<BriefCitation>>,
    keep: impl Fn(&[BriefId]) -> bool + Sync,
    emit: impl Fn(String, String, Origin) -> T + Sync,
) -> Vec<T> {
    let newest = |ids: &[BriefId]| keep(&ids[..ids.len().min(feeds::FEED_ENTRIES)]);
    // Drafts and scheduled briefs of a preview are never in a feed.
    let published = |ids: &[BriefId]| -> Vec<BriefId> {
        ids.iter()
            .copied()
            .filter(|id| site.is_published(*id))
            .collect()
    };
    let all = published(&site.brief_ids());
    let mut out: Vec<T> = Vec::new();
    // Every brief some feed shows, so that its full text is prepared once.
    let mut shown = std::collections::HashSet::new();
    let lists = std::iter::once(&all[..])
        .chain(site.languages.iter().map(|l| &l.briefs[..]))
        .chain(site.collections.iter().map(|c| &c.items[..]))
        .chain(site.authors.iter().map(|a| &a.briefs[..]))
        .chain(
            site.taxonomies
                .iter()
                .filter(|t| t.def.feed)
                .flat_map(|t| t.terms.iter().map(|x| &x.briefs[..])),
        );
    for ids in lists {
        let newest: Vec<BriefId> = published(ids);
        if keep(&newest[..newest.len().min(feeds::FEED_ENTRIES)]) {
            shown.extend(newest.into_iter().take(feeds::FEED_ENTRIES));
        }
    }
    let bodies = feeds::FeedBodies::new(site, shown);
    // The Atom feed and JSON Feed of a page (`base`) listing `briefs` in `lang`.
    let in_lang = |lang: &str, title: &str, base: &str, briefs: &[BriefId], what: &str| {
        let atom_path = urls::feed(base);
        let json_path = urls::json_feed(base);
        let atom = feeds::atom(site, (title, lang), &atom_path, base, briefs, &bodies);
        let json = metadata::json_feed(
            site,
            (title, &json_path, base, lang),
            briefs,
            feeds::FEED_ENTRIES,
            &bodies,
        );
        [
            emit(
                atom_path,
                atom,
                Origin::generated(format!("the Atom feed of {what}")),
            ),
            emit(
                json_path,
                json,
                Origin::generated(format!("the JSON feed of {what}")),
            ),
        ]
    };
    let both = |title: &str, base: &str, briefs: &[BriefId], what: &str| {
        in_lang(&site.config.language, title, base, briefs, what)
    };
    if newest(&all) {
        out.extend(both(&site.config.title, "", &all, "the site"));
    }
    // Each language section's feeds, titled in its language.
    for l in &site.languages {
        let briefs = published(&l.briefs);
        if newest(&briefs) {
            let title = super::sections::feed_title(site, l);
            let what = format!("the {:?} section", l.language);
            out.extend(in_lang(&l.language, &title, &l.path, &briefs, &what));
        }
    }
    for c in &site.collections {
        let items = published(&c.items);
        if newest(&items) {
            let title = format!("{} — {}", c.title, site.config.title);
            out.extend(both(
                &title,
                &c.path,
                &items,
                &format!("collection {:?}", c.name),
            ));
        }
        // The collection's calendar lists every event, so any change to one rewrites it.
        if keep(&items)
            && let Some(ics) = super::calendar::collection_ics(site, &c.title, &items)
        {
            let what = format!("the calendar of collection {:?}", c.name);
            out.push(emit(
                urls::calendar_ics(&c.path),
                ics,
                Origin::generated(what),
            ));
        }
    }
    out.par_extend(site.authors.par_iter().flat_map_iter(|a| {
        let briefs = published(&a.briefs);
        let title = format!("{} — {}", a.name, site.config.title);
        let what = format!("author {:?}", a.name);
        newest(&briefs)
            .then(|| both(&title, &a.path, &briefs, &what))
            .into_iter()
            .flatten()
    }));
    for t in site.taxonomies.iter().filter(|t| t.def.feed) {
        let kind = t.def.singular.to_lowercase();
        out.par_extend(t.terms.par_iter().flat_map_iter(|term| {
            let briefs = published(&term.briefs);
            let title = format!("{} — {}", term.name, site.config.title);
            let what = format!("{kind} {:?}", term.name);
            newest(&briefs)
                .then(|| both(&title, &term.path, &briefs, &what))
                .into_iter()
                .flatten()
        }));
    }
    for (id, b) in site.briefs_with_ids() {
        if b.doc.event.is_some()
            && keep(&[id])
            && let Some(ics) = super::calendar::event_ics(site, b)
        {
            let slug = b.doc.key_positions.get("start").copied();
            let origin = Origin::source(&b.doc.source, slug, "its iCalendar file");
            out.push(emit(urls::event_ics(&b.path), ics, origin));
        }
    }
    if !citations.is_empty() {
        for (id, b) in site.briefs_with_ids() {
            if let Some(c) = &citations[id]
                && keep(&[id])
            {
                let slug = b.doc.key_positions.get("slug").copied();
                let origin = || Origin::source(&b.doc.source, slug, "its citation files");
                out.push(emit(urls::cite_bib(&b.path), c.bibtex.clone(), origin()));
                out.push(emit(urls::cite_ris(&b.path), c.ris.clone(), origin()));
            }
        }
    }
    out
}

/// A redirect page for each alias of the briefs `keep` accepts, and, when `pages` is true, of
/// every standalone page (meta refresh, canonical link, a visible link, and noindex, for hosts
/// that do not read `_redirects`): (file, HTML, origin).
pub fn alias_pages(
    site: &Site,
    keep: impl Fn(BriefId) -> bool,
    pages: bool,
) -> Vec<(String, String, Origin)> {
    let briefs = site
        .briefs_with_ids()
        .filter(|(id, _)| keep(*id))
        .flat_map(|(_, b)| {
            let lang = b.doc.language.as_deref().unwrap_or(&site.config.language);
            let at = b.doc.key_positions.get("aliases").copied();
            let to = (b.permalink.as_str(), b.doc.title.as_str(), lang);
            b.doc
                .aliases
                .iter()
                .map(move |a| alias_page(a, to, (&b.doc.source, at)))
        });
    let standalone = site.pages.iter().filter(|_| pages).flat_map(|p| {
        let lang = p.language.as_deref().unwrap_or(&site.config.language);
        let at = p.key_positions.get("aliases").copied();
        p.aliases.iter().map(move |a| {
            let to = (site.permalink(&p.path), p.title.as_str(), lang);
            alias_page(a, (&to.0, to.1, to.2), (&p.source, at))
        })
    });
    briefs.chain(standalone).collect()
}

/// One alias's redirect page to (permalink, title, language).
fn alias_page(
    alias: &str,
    (to, title, lang): (&str, &str, &str),
    (source, at): (&Path, Option<(usize, usize)>),
) -> (String, String, Origin) {
    use crate::escape::html;
    let to = html(to);
    let page = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = html(lang),
        title = html(title),
    );
    let origin = Origin::source(source, at, &format!("the alias \"/{alias}\""));
    (urls::alias_file(alias), page, origin)
}

/// Netlify / Cloudflare Pages `_redirects`: one permanent redirect per alias.
fn redirects_file(site: &Site) -> Option<String> {
    let base = &site.config.base_path;
    let mut lines: Vec<String> = site
        .briefs
        .iter()
        .map(|b| (&b.doc.aliases, &b.path))
        .chain(site.pages.iter().map(|p| (&p.aliases, &p.path)))
        .flat_map(|(aliases, path)| {
            aliases
                .iter()
                .map(move |a| format!("{base}{a} {} 301", site.url(path)))
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    lines.sort();
    Some(format!(
        "# Generated by dossier from `aliases`: old path, new path, status.\n{}\n",
        lines.join("\n")
    ))
}

/// Static files in layers: the built-in theme, a theme folder, then the site's static/ (a
/// later layer replaces a file of an earlier one). Sorted by output path, with a warning per
/// symbolic link skipped.
pub fn static_files(root: &Path, theme: &ThemeSource) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut layers: Vec<Vec<OutFile>> = vec![
        builtin_theme()
            .iter()
            .filter_map(|(p, bytes)| {
                let rel = p.strip_prefix("static/")?;
                Some((
                    rel.to_string(),
                    Body::Static(bytes),
                    Origin::generated(format!("the theme's static/{rel}")),
                ))
            })
            .collect(),
    ];
    for dir in static_dirs(root, theme) {
        layers.push(walk_files(root, &dir, &mut warnings));
    }
    let mut statics: std::collections::BTreeMap<String, (Body, Origin)> =
        std::collections::BTreeMap::new();
    for layer in layers {
        for (path, body, origin) in layer {
            statics.insert(path, (body, origin));
        }
    }
    let files = statics
        .into_iter()
        .map(|(path, (body, origin))| (path, body, origin))
        .collect();
    (files, warnings)
}

/// The files of a static folder (relative to the site root), following no link, with a
/// warning per link skipped.
fn walk_files(root: &Path, dir: &Path, warnings: &mut Vec<Diagnostic>) -> Vec<OutFile> {
    let walk = crate::fsx::walk(root, dir, |_| false);
    warnings.extend(walk.warnings);
    walk.files
        .into_iter()
        .filter_map(|f| {
            let rel = f
                .rel
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let origin = Origin::source(&f.rel, None, "");
            Some((rel, Body::Copy(f), origin))
        })
        .collect()
}

/// The static folders of the site and its theme, relative to the site root.
fn static_dirs(root: &Path, theme: &ThemeSource) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let ThemeSource::Dir(dir) = theme {
        let theme_rel = dir.strip_prefix(root).unwrap_or(dir);
        dirs.push(theme_rel.join("static"));
    }
    dirs.push(PathBuf::from("static"));
    dirs
}
