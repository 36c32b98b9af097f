//! The images of a rendered site (issue 26): a hero's or photo's responsive set for the
//! views, each brief's share image (`og:image`), and every processed file as an output file
//! (variants of every published source, share images, and what templates asked for with
//! `resize_image()`). Paths here are output paths; [`crate::images`] knows the pixels.

use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::files::OutFile;
use crate::diag::Diagnostic;
use crate::images::jobs::Group;
use crate::images::markup::{Responsive, responsive};
use crate::images::{Format, Job, Op, Source, card, in_variants_folder, variant_path};
use crate::output::{Body, Origin};
use crate::site::{Author, Brief, BriefId, Site};

/// A brief's share image: output path and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareImage {
    /// Output path (no base path).
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Heroes narrower than this get a drawn card instead of an upscaled crop.
const MIN_SHARE_WIDTH: u32 = 600;

/// The processed source a brief's hero names, with its output path.
fn hero_source<'s>(site: &'s Site, b: &Brief) -> Option<(&'s Source, &'s str)> {
    let href = b.doc.image.as_deref()?;
    let (rel, found) = site.images.find(&b.doc.source, href)?;
    let src = found.ok()?;
    Some((src, site.images.out_of(&rel)?))
}

/// The hero's responsive set, when the hero is a processed image.
pub fn hero(site: &Site, b: &Brief) -> Option<Responsive> {
    let (src, out) = hero_source(site, b)?;
    let settings = &site.images.settings;
    let mut r = responsive(&site.url(out), &site.config.base_path, src, settings);
    r.sizes = settings.hero_sizes.clone();
    Some(r)
}

/// The processed source of an author's photo, with its output path.
fn photo_source<'s>(site: &'s Site, a: &Author) -> Option<(&'s Source, &'s str)> {
    let p = a.profile.as_ref()?;
    let href = p.front.photo.as_deref()?;
    let href = format!("/{}", href.trim_start_matches('/'));
    let (rel, found) = site.images.find(&p.source, &href)?;
    Some((found.ok()?, site.images.out_of(&rel)?))
}

/// An author photo's responsive set, when the photo is a processed image.
pub fn photo(site: &Site, a: &Author) -> Option<Responsive> {
    let (src, out) = photo_source(site, a)?;
    let base = &site.config.base_path;
    Some(responsive(&site.url(out), base, src, &site.images.settings))
}

/// The square crop of a portrait for `og:image`: 600 px, or the photo's shorter side.
fn portrait_op(src: &Source) -> Op {
    let side = src.width.min(src.height).min(600);
    Op::Fill {
        width: side,
        height: side,
        focus: (500, 400),
        format: Format::Jpeg,
    }
}

/// An author's square portrait (for `og:image`), when their photo is a processed image.
pub fn portrait(site: &Site, a: &Author) -> Option<ShareImage> {
    let settings = &site.images.settings;
    if !(settings.process && settings.share_cards) {
        return None;
    }
    let (src, out) = photo_source(site, a)?;
    let op = portrait_op(src);
    let (width, height) = op.size(src);
    Some(ShareImage {
        path: variant_path(out, src, op, settings.quality),
        width,
        height,
    })
}

/// The crop of a hero used as its share image.
fn share_op(b: &Brief) -> Op {
    let (width, height) = card::SIZE;
    Op::Fill {
        width,
        height,
        focus: b.doc.image_focus.unwrap_or((500, 500)),
        format: Format::Jpeg,
    }
}

/// A brief's share image: its hero cropped to the focal point, else a drawn card; None when
/// share cards are off or images are not processed.
pub fn share_image(site: &Site, b: &Brief) -> Option<ShareImage> {
    let settings = &site.images.settings;
    if !(settings.process && settings.share_cards) {
        return None;
    }
    let (width, height) = card::SIZE;
    let path = match hero_source(site, b) {
        Some((src, out)) if src.width >= MIN_SHARE_WIDTH => {
            variant_path(out, src, share_op(b), settings.quality)
        }
        _ => format!("{}share-card.png", b.path),
    };
    Some(ShareImage {
        path,
        width,
        height,
    })
}

/// The card drawn for a brief without a usable hero.
fn drawn_card(site: &Site, b: &Brief) -> String {
    let lang = b.doc.language.as_deref().unwrap_or(&site.config.language);
    let names: Vec<&str> = b
        .authors
        .iter()
        .map(|id| site.author(*id).name.as_str())
        .collect();
    let kind = site
        .config
        .publication_type(&b.doc.kind)
        .map_or(b.doc.kind.as_str(), |t| t.title.as_str());
    let kicker = format!(
        "{} · {}",
        kind.to_uppercase(),
        super::fill::display_date(&b.doc.date, lang).to_uppercase()
    );
    card::svg(&card::Card {
        title: &b.doc.title,
        kicker: &kicker,
        byline: &names.join(", "),
        site: &site.config.title,
        rtl: super::labels::direction(lang) == "rtl",
    })
}

/// Every processed file of the site: the variants of each published source (its own path
/// included: the cleaned original), share images, and `extra` jobs (templates' requests).
/// Errors name the image file.
pub fn files(site: &Site, extra: Vec<Job>) -> (Vec<OutFile>, Vec<Diagnostic>) {
    make(site, &site.brief_ids(), true, extra)
}

/// The files `serve` needs again after editing briefs `ids`: their share images (the drawn
/// card shows the title) and what templates asked for while re-rendering.
pub fn files_for(site: &Site, ids: &[BriefId]) -> (Vec<OutFile>, Vec<Diagnostic>) {
    make(site, ids, false, site.images.requests.take())
}

fn make(
    site: &Site,
    ids: &[BriefId],
    sources: bool,
    extra: Vec<Job>,
) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let images = &site.images;
    if !images.enabled() {
        return (Vec::new(), Vec::new());
    }
    let mut timer = crate::timings::Timer::nested(1);
    let mut groups = Groups::default();
    for (out, src) in images.published().into_iter().filter(|_| sources) {
        for (op, path) in src.variants(&images.settings).iter() {
            let out = if *op == Op::Clean { out } else { path };
            groups.want(src, *op, out.to_string());
        }
    }
    let mut cards: Vec<(String, &Brief)> = Vec::new();
    for &id in ids {
        let b = site.brief(id);
        let Some(share) = share_image(site, b) else {
            continue;
        };
        match hero_source(site, b) {
            Some((src, _)) if src.width >= MIN_SHARE_WIDTH => {
                groups.want(src, share_op(b), share.path);
            }
            _ => cards.push((share.path, b)),
        }
    }
    for a in site.authors.iter().filter(|_| sources) {
        if let (Some(share), Some((src, _))) = (portrait(site, a), photo_source(site, a)) {
            groups.want(src, portrait_op(src), share.path);
        }
    }
    let mut diags = Vec::new();
    for job in extra {
        match images.get(&job.source) {
            Some(Ok(src)) => groups.want(src, job.op, job.out),
            found => {
                let e = found.map_or("it is not an image dossier processes", |r| r.unwrap_err());
                let d = Diagnostic::error(format!("cannot process this image: {e}"));
                diags.push(d.in_file(&job.source));
            }
        }
    }
    timer.done("image jobs");
    let made = crate::images::jobs::run(images, &groups.list);
    timer.done("image cache");
    let wanted = groups.list.iter().map(|g| g.wanted.len()).sum::<usize>();
    let mut out = Vec::with_capacity(wanted + cards.len());
    for (group, r) in groups.list.into_iter().zip(made) {
        let source = &group.src.file.rel;
        match r {
            Ok(files) => {
                for ((_, path), f) in group.wanted.into_iter().zip(files) {
                    // Every variant's name is its content: no origin is ever reported.
                    let origin = match in_variants_folder(&path) {
                        true => Origin::generated(String::new()),
                        false => Origin::source(source, None, ""),
                    };
                    out.push((path, Body::Cached(f), origin));
                }
            }
            Err(e) => diags
                .push(Diagnostic::error(format!("cannot process this image: {e}")).in_file(source)),
        }
    }
    timer.done("image files");
    let drawn: Vec<Result<OutFile, Diagnostic>> = cards
        .into_par_iter()
        .map(|(path, b)| {
            let file = card_file(images, &drawn_card(site, b))
                .map_err(|e| Diagnostic::error(e).in_file(&b.doc.source))?;
            let origin = Origin::generated(format!("the share card of {}", b.doc.source.display()));
            Ok((path, Body::Cached(file), origin))
        })
        .collect();
    for d in drawn {
        match d {
            Ok(f) => out.push(f),
            Err(e) => diags.push(e),
        }
    }
    (out, diags)
}

/// What is wanted of each source, grouped as it is asked for (a source is identified by its
/// place in the catalog, so no path is hashed).
#[derive(Default)]
struct Groups<'c> {
    list: Vec<Group<'c>>,
    by_source: FxHashMap<*const Source, usize>,
}

impl<'c> Groups<'c> {
    /// Want `op` of `src`, published at `out`. Asking twice for one output path of a source
    /// (two briefs sharing a hero and its focal point) is one variant; two sources with the
    /// same bytes and name (a photo in two bundles) share their variants' names, and the
    /// output keeps one of each.
    fn want(&mut self, src: &'c Source, op: Op, out: String) {
        let list = &mut self.list;
        let i = *self
            .by_source
            .entry(src as *const Source)
            .or_insert_with(|| {
                list.push(Group {
                    src,
                    wanted: Vec::new(),
                });
                list.len() - 1
            });
        let wanted = &mut self.list[i].wanted;
        if !wanted.iter().any(|(_, o)| *o == out) {
            wanted.push((op, out));
        }
    }
}

/// The cache entry of a drawn card, drawn when missing.
fn card_file(
    images: &crate::images::Catalog,
    svg: &str,
) -> Result<crate::images::cache::Entry, String> {
    let cache = images.cache.as_ref().ok_or("image processing is off")?;
    let key = crate::images::cache::key(
        crate::images::probe::content_hash(svg.as_bytes()),
        Op::Clean,
        0,
    );
    if let Some(f) = cache.get(key, "png") {
        return Ok(f);
    }
    let png = card::png(svg)?;
    cache
        .put(key, "png", &png)
        .map_err(|e| format!("cannot write the image cache: {e}"))
}

/// Which sources are replaced by their processed files (not copied as they are).
pub fn processed_sources(site: &Site) -> std::collections::HashSet<PathBuf> {
    site.images
        .published()
        .into_iter()
        .map(|(_, s)| s.file.rel.clone())
        .collect()
}

/// Problems with the images the site uses: a hero, photo or Markdown image that names an
/// image that could not be processed is an error at the key or line that names it; an
/// unreadable image nothing names is a warning on the file (it is published as it is).
pub fn diagnostics(site: &Site) -> Vec<Diagnostic> {
    let images = &site.images;
    if !images.enabled() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut named = std::collections::HashSet::new();
    let mut check = |doc: &std::path::Path, href: &str, pos: Option<(usize, usize)>, what: &str| {
        if let Some((rel, found)) = images.find(doc, href) {
            if let Err(e) = found {
                out.push(
                    Diagnostic::error(format!("{what} {href:?} ({}): {e}", rel.display()))
                        .in_file(doc)
                        .at_opt(pos)
                        .with_hint("replace the file with a JPEG, PNG or WebP image that opens in an image viewer"),
                );
            }
            named.insert(rel);
        }
    };
    let markdown = |body: &crate::markdown::Rendered| -> Vec<(String, usize)> {
        body.links
            .iter()
            .filter(|l| l.image)
            .map(|l| (l.dest.clone(), l.line))
            .collect()
    };
    for b in &site.briefs {
        let d = &b.doc;
        if let Some(img) = &d.image {
            check(
                &d.source,
                img,
                d.key_positions.get("image").copied(),
                "the hero `image`",
            );
        }
        for (dest, line) in markdown(&d.body) {
            check(&d.source, &dest, Some((line, 1)), "the image");
        }
    }
    for p in &site.pages {
        for (dest, line) in markdown(&p.body) {
            check(&p.source, &dest, Some((line, 1)), "the image");
        }
    }
    for a in &site.authors {
        if let Some(p) = &a.profile
            && let Some(photo) = &p.front.photo
        {
            let href = format!("/{}", photo.trim_start_matches('/'));
            check(
                &p.source,
                &href,
                p.key_positions.get("photo").copied(),
                "the `photo`",
            );
        }
    }
    for (rel, found) in images.all() {
        if let Err(e) = found
            && !named.contains(rel)
        {
            out.push(
                Diagnostic::warning(format!(
                    "this image is published as it is, unprocessed: {e}"
                ))
                .in_file(rel),
            );
        }
    }
    out
}
