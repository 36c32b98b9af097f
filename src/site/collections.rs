//! The listings a site has besides authors and terms (issue 24): collections with their year
//! archives, publication types, series, the home page's featured items, and the publishing
//! schedule (what publishes or expires after the build's time).
//!
//! Every function here is pure: briefs in, listings of ids out. Ids are in global date order
//! (newest first), so "newest first" is ascending id order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jiff::{Timestamp, ZonedDateTime};

use super::{Brief, BriefId, Collection, CollectionId, Series, TypeListing, YearArchive};
use crate::config::Config;
use crate::content::docs::{Order, SortBy};
use crate::content::{BriefDoc, PageDoc, SectionDoc};
use crate::diag::Diagnostic;
use crate::slug::slugify;
use crate::urls;

/// Collections, briefs first then by folder name: every folder some item sits in, and every
/// collection section (even an empty one gets its listing).
pub(super) fn collection_names(
    docs: &[BriefDoc],
    sections: &BTreeMap<String, SectionDoc>,
    config: &Config,
) -> Vec<String> {
    let mut names: BTreeSet<&str> = docs.iter().map(|d| d.collection.as_str()).collect();
    names.extend(
        sections
            .keys()
            .map(String::as_str)
            .filter(|d| !d.is_empty() && !d.contains('/'))
            .filter(|d| *d != "authors" && config.taxonomy(d).is_none()),
    );
    names.remove(urls::BRIEFS_DIR);
    std::iter::once(urls::BRIEFS_DIR.to_string())
        .chain(names.into_iter().map(str::to_string))
        .collect()
}

/// The collections with their items in listing order and their year archives.
pub(super) fn collections(
    config: &Config,
    names: &[String],
    briefs: &[Brief],
    sections: &BTreeMap<String, SectionDoc>,
) -> Vec<Collection> {
    let mut members: Vec<Vec<BriefId>> = vec![Vec::new(); names.len()];
    for (i, b) in briefs.iter().enumerate() {
        members[b.collection.0 as usize].push(BriefId(i as u32));
    }
    names
        .iter()
        .zip(members)
        .map(|(name, by_date)| {
            let section = sections.get(name);
            let path = urls::collection(name);
            let years = years(&path, briefs, &by_date);
            let items = match section {
                Some(s) => sorted(by_date, briefs, s.front.sort_by, s.front.order),
                None => by_date,
            };
            let has_events = items.iter().any(|id| {
                let b = &briefs[id.0 as usize];
                !b.doc.draft && !b.scheduled && b.doc.event.is_some()
            });
            Collection {
                has_events,
                title: section
                    .and_then(|s| s.front.title.clone())
                    .unwrap_or_else(|| config.collection_title(name)),
                name: name.clone(),
                path,
                items,
                years,
            }
        })
        .collect()
}

/// Items in a declared order; `by_date` is newest first.
fn sorted(
    mut ids: Vec<BriefId>,
    briefs: &[Brief],
    by: SortBy,
    order: Option<Order>,
) -> Vec<BriefId> {
    let b = |id: &BriefId| &briefs[id.0 as usize];
    match by {
        SortBy::Date => {}
        SortBy::Title => {
            ids.sort_by_cached_key(|id| deunicode::deunicode(&b(id).doc.title).to_lowercase())
        }
        SortBy::Start => ids.sort_by_key(|id| {
            let start = b(id).doc.event.as_ref().map(|e| e.start.timestamp());
            // Newest start first; items without a start last.
            (start.is_none(), std::cmp::Reverse(start))
        }),
    }
    let natural = match by {
        SortBy::Title => Order::Asc,
        SortBy::Date | SortBy::Start => Order::Desc,
    };
    if order.is_some_and(|o| o != natural) {
        ids.reverse();
    }
    ids
}

/// Year archives of a collection's items (newest first), newest year first.
fn years(path: &str, briefs: &[Brief], by_date: &[BriefId]) -> Vec<YearArchive> {
    let mut out: Vec<YearArchive> = Vec::new();
    for id in by_date {
        let year = briefs[id.0 as usize].doc.date.year();
        match out.last_mut() {
            Some(y) if y.year == year => y.items.push(*id),
            _ => out.push(YearArchive {
                year,
                path: urls::year(path, year),
                items: vec![*id],
            }),
        }
    }
    out
}

/// The listing of each publication type that has items, in the type list's order.
pub(super) fn types(config: &Config, briefs: &[Brief]) -> Vec<TypeListing> {
    config
        .types
        .iter()
        .filter_map(|t| {
            let items: Vec<BriefId> = briefs
                .iter()
                .enumerate()
                .filter(|(_, b)| b.doc.kind == t.name)
                .map(|(i, _)| BriefId(i as u32))
                .collect();
            (!items.is_empty()).then(|| TypeListing {
                path: urls::publication_type(&t.name),
                name: t.name.clone(),
                items,
            })
        })
        .collect()
}

/// Series by name, each oldest first; a warning when two names share a landing page.
pub(super) fn series(briefs: &[Brief]) -> (Vec<Series>, Vec<Diagnostic>) {
    let mut by_name: BTreeMap<&str, Vec<BriefId>> = BTreeMap::new();
    for (i, b) in briefs.iter().enumerate().rev() {
        if let Some(name) = &b.doc.series {
            by_name.entry(name).or_default().push(BriefId(i as u32));
        }
    }
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut out = Vec::new();
    for (name, items) in by_name {
        let mut slug = slugify(name);
        if slug.is_empty() {
            slug = "series".into();
        }
        if let Some(first) = seen.get(&slug) {
            let b = &briefs[items[0].0 as usize];
            warnings.push(
                Diagnostic::warning(format!(
                    "series {first:?} and {name:?} have the same slug `{slug}`: the second gets its own page at series/{slug}-2/"
                ))
                .in_file(&b.doc.source),
            );
            slug = format!("{slug}-2");
        }
        seen.insert(slug.clone(), name);
        out.push(Series {
            name: name.to_string(),
            path: urls::series(&slug),
            items,
        });
    }
    (out, warnings)
}

/// The featured items: `[home] featured` in order (content paths or item URLs), then every
/// `featured: true` item, newest first. A name that matches no published item is an error at
/// the key in site.toml.
pub(super) fn featured(config: &Config, briefs: &[Brief]) -> (Vec<BriefId>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for want in &config.home.featured {
        let w = want.trim().trim_start_matches('/');
        let found = briefs.iter().position(|b| {
            let src = b
                .doc
                .source
                .strip_prefix("content")
                .unwrap_or(&b.doc.source);
            src.to_string_lossy().replace('\\', "/") == w
                || b.path == w
                || b.path == format!("{w}/")
        });
        match found {
            Some(i) => out.push(BriefId(i as u32)),
            None => {
                let (file, pos) = config
                    .written_at
                    .get("featured")
                    .cloned()
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::error(format!("`[home] featured` names {want:?}, which is no published item"))
                        .in_file(file)
                        .at_opt(pos)
                        .with_hint("give a content path such as \"briefs/grid-storage.md\" or the item's URL path \"/briefs/grid-storage/\""),
                );
            }
        }
    }
    for (i, b) in briefs.iter().enumerate() {
        let id = BriefId(i as u32);
        if b.doc.featured && !out.contains(&id) {
            out.push(id);
        }
    }
    (out, errors)
}

/// What changes after the build's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// A scheduled item or page becomes published.
    Publishes,
    /// An item or page stops being published.
    Expires,
}

/// One entry of the publishing schedule.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScheduledChange {
    /// When, in the site's time zone.
    pub at: ZonedDateTime,
    /// What happens.
    pub change: Change,
    /// The source file.
    pub source: PathBuf,
    /// Its title.
    pub title: String,
}

/// What publishes or expires after `now` (drafts never publish), soonest first.
pub(super) fn schedule(
    briefs: &[BriefDoc],
    pages: &[PageDoc],
    now: Timestamp,
) -> Vec<ScheduledChange> {
    let mut out = Vec::new();
    let mut add = |at: Option<&ZonedDateTime>, change, source: &PathBuf, title: &str| {
        if let Some(at) = at.filter(|d| d.timestamp() > now) {
            out.push(ScheduledChange {
                at: at.clone(),
                change,
                source: source.clone(),
                title: title.to_string(),
            });
        }
    };
    for d in briefs.iter().filter(|d| !d.draft) {
        add(Some(&d.date), Change::Publishes, &d.source, &d.title);
        add(d.expires.as_ref(), Change::Expires, &d.source, &d.title);
    }
    for p in pages.iter().filter(|p| !p.draft) {
        add(p.date.as_ref(), Change::Publishes, &p.source, &p.title);
        add(p.expires.as_ref(), Change::Expires, &p.source, &p.title);
    }
    out.sort_by(|a, b| {
        a.at.timestamp()
            .cmp(&b.at.timestamp())
            .then_with(|| a.source.cmp(&b.source))
    });
    out
}

/// The collection of each item, by name.
pub(super) fn collection_id(names: &[String], name: &str) -> CollectionId {
    CollectionId(names.iter().position(|n| n == name).unwrap_or(0) as u32)
}
