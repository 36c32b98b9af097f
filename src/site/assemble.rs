//! `assemble`: parsed documents → the resolved [`Site`], a pure function of (config,
//! documents, now). Owns publication (drafts, scheduled briefs), ordering (newest first),
//! summaries, bundle asset paths, `@/` link resolution and the relations by typed ids.
//!
//! It runs as small steps over one value: sort the documents by kind, decide what is
//! published, resolve each brief's authors and terms, then the relations that need every brief
//! (related briefs, series), the output paths of bundle files, and `@/` links.

use std::collections::{BTreeMap, HashMap};

use jiff::ZonedDateTime;

use super::related::related_briefs;
use super::tables::{AuthorTable, TermTable};
use super::{Brief, BriefId, OutAsset, Publishing, Site};
use crate::config::Config;
use crate::content::{Asset, AuthorDoc, BriefDoc, PageDoc, Parsed, SectionDoc, TermDoc};
use crate::diag::{Diagnostic, Diagnostics};
use crate::links::LinkTable;
use crate::urls;

/// Longest automatic summary, in characters.
const SUMMARY_CHARS: usize = 300;

/// Shorten text on a word boundary, ending with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The parsed documents, by kind.
#[derive(Default)]
struct Docs {
    briefs: Vec<BriefDoc>,
    pages: Vec<PageDoc>,
    profiles: Vec<AuthorDoc>,
    profile_editions: Vec<crate::content::AuthorEdition>,
    term_profiles: Vec<TermDoc>,
    sections: BTreeMap<String, SectionDoc>,
}

impl Docs {
    fn sort(parsed: Vec<Parsed>) -> Self {
        let mut d = Docs::default();
        for p in parsed {
            match p {
                Parsed::Brief(b) => d.briefs.push(*b),
                Parsed::Page(p) => d.pages.push(*p),
                Parsed::Author(a) => d.profiles.push(*a),
                Parsed::AuthorEdition(e) => d.profile_editions.push(*e),
                Parsed::Term(t) => d.term_profiles.push(*t),
                Parsed::Section(s) => {
                    d.sections.insert(s.dir.clone(), *s);
                }
            }
        }
        d
    }
}

/// What publication decided: the `@/` link table (unpublished documents map to none), and the
/// output paths of each bundle folder, one per published edition (none for a draft's, so its
/// files are left out with it).
struct Published {
    links: LinkTable,
    bundle_paths: HashMap<String, Vec<String>>,
    left_out: usize,
    schedule: Vec<super::ScheduledChange>,
}

/// Keep the published briefs and pages, newest brief first and pages by path.
fn publish(docs: &mut Docs, publishing: &Publishing, config: &Config) -> Published {
    let mut out = Published {
        links: LinkTable::default(),
        bundle_paths: HashMap::new(),
        left_out: 0,
        schedule: super::collections::schedule(&docs.briefs, &docs.pages, publishing.now),
    };
    let expired = |at: Option<&ZonedDateTime>| at.is_some_and(|e| e.timestamp() <= publishing.now);
    let published = |draft: bool, date: Option<&ZonedDateTime>, expires: Option<&ZonedDateTime>| {
        (publishing.drafts || !draft)
            && (publishing.future || date.is_none_or(|d| d.timestamp() <= publishing.now))
            && !expired(expires)
    };
    // A bundle's files go beside each published edition, so relative links work in all.
    let mut record = |source: &std::path::Path, path: Option<String>| {
        out.links.add(source, path.clone());
        if let Some(b) = bundle_dir(source) {
            out.bundle_paths.entry(b).or_default().extend(path);
        }
    };
    let total = docs.briefs.len();
    docs.briefs.retain(|d| {
        let keep = published(d.draft, Some(&d.date), d.expires.as_ref());
        record(
            &d.source,
            keep.then(|| urls::item_page(config, d.language.as_deref(), &d.collection, &d.slug)),
        );
        keep
    });
    docs.pages.retain(|p| {
        let keep = published(p.draft, p.date.as_ref(), p.expires.as_ref());
        record(&p.source, keep.then(|| p.path.clone()));
        keep
    });
    out.left_out = total - docs.briefs.len();
    docs.pages.sort_by(|a, b| a.path.cmp(&b.path));
    docs.briefs
        .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    out
}

/// Resolve documents into a site. Pure: no I/O, `now` is an input.
pub fn assemble(
    config: &Config,
    parsed: Vec<Parsed>,
    assets: Vec<Asset>,
    publishing: &Publishing,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut docs = Docs::sort(parsed);
    let Published {
        mut links,
        bundle_paths,
        left_out,
        schedule,
    } = publish(&mut docs, publishing, config);
    diags.extend(unknown_taxonomies(config, &docs.briefs));
    diags.extend(section_types(config, &mut docs));
    let collection_names =
        super::collections::collection_names(&docs.briefs, &docs.sections, config);
    let editions = std::mem::take(&mut docs.profile_editions);
    diags.extend(super::tables::attach_editions(
        &mut docs.profiles,
        editions,
        &config.language,
    ));
    let mut authors = AuthorTable::new(std::mem::take(&mut docs.profiles));
    let mut terms: Vec<TermTable> = config
        .taxonomies
        .iter()
        .map(|def| {
            let profiles = docs
                .term_profiles
                .iter()
                .filter(|t| t.taxonomy == def.name)
                .cloned()
                .collect();
            TermTable::new(def.clone(), profiles)
        })
        .collect();
    let mut briefs = Vec::with_capacity(docs.briefs.len());
    for (i, doc) in std::mem::take(&mut docs.briefs).into_iter().enumerate() {
        let id = BriefId(i as u32);
        let author_ids = authors.resolve_all(id, &doc, &mut diags);
        if author_ids.len() > super::MANY_AUTHORS {
            diags.push(
                Diagnostic::warning(format!(
                    "this brief lists {} authors: listings and feeds name the first {} (\"and {} others\"); its own page names every one",
                    author_ids.len(),
                    super::BYLINE_IN_LISTINGS,
                    author_ids.len() - super::BYLINE_IN_LISTINGS
                ))
                .in_file(&doc.source)
                .at_opt(doc.key_positions.get("authors").copied()),
            );
        }
        let term_ids = terms
            .iter_mut()
            .map(|t| t.resolve_all(id, &doc, &mut diags))
            .collect();
        diags.extend(hero_alt_warning(&doc));
        diags.extend(missing_pdf(&doc, &assets));
        let path = urls::item_page(config, doc.language.as_deref(), &doc.collection, &doc.slug);
        briefs.push(Brief {
            permalink: format!("{}{path}", config.base_url),
            path,
            collection: super::collections::collection_id(&collection_names, &doc.collection),
            featured: false,
            related: Vec::new(),
            editions: Vec::new(),
            original: None,
            packed_body: None,
            scheduled: doc.date.timestamp() > publishing.now,
            summary: summary_of(&doc),
            doc,
            authors: author_ids,
            terms: term_ids,
        });
    }
    let mut taxonomies = terms.into_iter().map(TermTable::finish).collect::<Vec<_>>();
    related_briefs(&mut briefs, &taxonomies);
    let authors = authors.finish();
    let bylines: Vec<Vec<super::AuthorId>> = briefs.iter().map(|b| b.authors.clone()).collect();
    diags.extend(super::hierarchy::resolve(
        &mut taxonomies,
        &authors,
        &bylines,
    ));
    let (series, warnings) = super::collections::series(&briefs);
    diags.extend(warnings);
    let (featured, errors) = super::collections::featured(config, &briefs);
    diags.extend(errors);
    for id in &featured {
        briefs[id.0 as usize].featured = true;
    }
    let collections =
        super::collections::collections(config, &collection_names, &briefs, &docs.sections);
    let mut site = Site {
        config: config.clone(),
        types: super::collections::types(config, &briefs),
        briefs,
        pages: docs.pages,
        authors,
        taxonomies,
        series,
        collections,
        featured,
        sections: docs.sections,
        assets: out_assets(assets, &bundle_paths),
        left_out,
        links: LinkTable::default(),
        now: publishing.now,
        next_publication: schedule.first().map(|c| c.at.timestamp()),
        schedule,
        bibliographies: Default::default(),
        images: Default::default(),
        i18n: std::sync::Arc::new(crate::i18n::Catalog::built_in(&config.language)),
        languages: Vec::new(),
    };
    site.languages = super::languages::sections(&site);
    diags.extend(super::editions::link(&mut site).0);
    diags.extend(resolve_internal_links(&mut links, &mut site));
    site.links = links;
    (site, diags)
}

/// Errors for `taxonomies:` keys that site.toml does not declare.
fn unknown_taxonomies(config: &Config, briefs: &[BriefDoc]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in briefs {
        for key in d.terms.keys() {
            if config.taxonomy(key).is_none() {
                out.push(
                    Diagnostic::error(format!("unknown taxonomy `{key}`"))
                        .in_file(&d.source)
                        .with_hint(format!(
                            "declare it in site.toml: [[taxonomies]] name = \"{key}\""
                        )),
                );
            }
        }
    }
    out
}

/// The error for a `pdf` naming a bundle file that is not there.
fn missing_pdf(doc: &BriefDoc, assets: &[Asset]) -> Option<Diagnostic> {
    let pdf = doc.pdf.as_deref()?;
    if pdf.starts_with('/') || urls::is_external(pdf) {
        return None;
    }
    let bundle = bundle_dir(&doc.source);
    let found = bundle.as_ref().is_some_and(|b| {
        assets
            .iter()
            .any(|a| a.bundle.as_deref() == Some(b) && a.within == pdf)
    });
    (!found).then(|| {
        Diagnostic::error(format!("`pdf` file {pdf:?} is not in the brief's bundle"))
            .in_file(&doc.source)
            .at_opt(doc.key_positions.get("pdf").copied())
            .with_hint("make the brief a bundle (a folder with index.md) and put the PDF beside index.md, or give a site path such as /reports/x.pdf")
    })
}

/// A collection's `_index.md` `type` becomes the type of its items that give none; it must
/// name a publication type.
fn section_types(config: &Config, docs: &mut Docs) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for s in docs.sections.values() {
        if let Some(kind) = &s.front.kind
            && config.publication_type(kind).is_none()
        {
            let known: Vec<&str> = config.types.iter().map(|t| t.name.as_str()).collect();
            diags.push(
                Diagnostic::error(format!("unknown `type` {kind:?}"))
                    .in_file(&s.source)
                    .at_opt(s.key_positions.get("type").copied())
                    .with_hint(format!(
                        "use one of {}, or declare it in site.toml: [[types]] name = \"{kind}\"",
                        known.join(", ")
                    )),
            );
        }
    }
    for d in docs.briefs.iter_mut() {
        if d.key_positions.contains_key("type") {
            continue;
        }
        if let Some(kind) = docs
            .sections
            .get(&d.collection)
            .and_then(|s| s.front.kind.as_ref())
            && config.publication_type(kind).is_some()
        {
            d.kind = kind.clone();
        }
    }
    diags
}

/// Output paths of the files under content/: beside their bundle's page, or at the same path;
/// a draft's or scheduled page's bundle files are left out with it.
fn out_assets(assets: Vec<Asset>, bundle_paths: &HashMap<String, Vec<String>>) -> Vec<OutAsset> {
    let mut out = Vec::new();
    for a in assets {
        let paths = match &a.bundle {
            Some(b) => bundle_paths
                .get(b)
                .map(|ps| ps.iter().map(|p| format!("{p}{}", a.within)).collect())
                .unwrap_or_default(),
            None => vec![a.within.clone()],
        };
        for path in paths {
            out.push(OutAsset {
                src: a.src.clone(),
                rel: a.rel.clone(),
                out: path,
            });
        }
    }
    out
}

/// The warning for a hero image without alt text, if the brief has one.
pub fn hero_alt_warning(doc: &BriefDoc) -> Option<Diagnostic> {
    (doc.image.is_some() && doc.image_alt.as_deref().is_none_or(|a| a.trim().is_empty())).then(|| {
        Diagnostic::warning("the hero `image` has no `image_alt`: screen-reader users will not know what it shows")
            .in_file(&doc.source)
            .at_opt(doc.key_positions.get("image").copied())
            .with_hint("add `image_alt:` with a short description of what the image shows")
    })
}

/// A brief's summary: front matter `summary`, else its dek, else the start of its first
/// paragraph.
pub fn summary_of(doc: &BriefDoc) -> String {
    match doc.summary.as_ref().or(doc.dek.as_ref()) {
        Some(s) => s.trim().to_string(),
        None => shorten(&doc.body.first_paragraph, SUMMARY_CHARS),
    }
}

/// Rewrite `@/…` links in every rendered document now that every URL is known (issue 6).
fn resolve_internal_links(links: &mut LinkTable, site: &mut Site) -> Vec<Diagnostic> {
    for a in &site.authors {
        links.add_path(urls::author_source(&a.slug), a.path.clone());
    }
    for t in &site.taxonomies {
        for term in &t.terms {
            links.add_path(
                urls::term_source(&t.def.name, &term.slug),
                term.path.clone(),
            );
        }
    }
    let base = site.config.base_path.clone();
    let mut diags = Vec::new();
    for b in site.briefs.iter_mut() {
        diags.extend(links.resolve(&mut b.doc.body, &b.doc.source, &base));
    }
    for p in site.pages.iter_mut() {
        diags.extend(links.resolve(&mut p.body, &p.source, &base));
    }
    for p in site.authors.iter_mut().filter_map(|a| a.profile.as_mut()) {
        diags.extend(links.resolve(&mut p.bio, &p.source, &base));
    }
    let term_profiles = site
        .taxonomies
        .iter_mut()
        .flat_map(|t| t.terms.iter_mut())
        .filter_map(|t| t.profile.as_mut());
    for p in term_profiles {
        diags.extend(links.resolve(&mut p.description, &p.source, &base));
    }
    for s in site.sections.values_mut() {
        diags.extend(links.resolve(&mut s.body, &s.source, &base));
    }
    diags
}

/// The content-relative folder of a bundle's `index.md` (or of an edition, `index.ar.md`), if
/// `source` is one.
pub(super) fn bundle_dir(source: &std::path::Path) -> Option<String> {
    if !crate::content::is_bundle_index(source.file_name()?.to_str()?) {
        return None;
    }
    let rel = source.strip_prefix("content").ok()?;
    Some(rel.parent()?.to_string_lossy().replace('\\', "/"))
}
