//! The home page's front matter (issue 24): the featured items, a "Latest" row per
//! publication type and a strip of programmes, as `[home]` in site.toml asks. [`shown`] lists
//! the briefs page 1 shows beyond its listing, so `serve` re-renders the home page when one
//! of them is edited.

use tera::Value;

use super::fill::{taxonomy_ref, term_view, type_view};
use super::views::{HomeView, LatestRow, StripView};
use crate::site::{BriefId, PerBrief, Site, TaxonomyId};

/// The featured items shown.
fn featured(site: &Site) -> &[BriefId] {
    let n = site.config.home.featured_count.min(site.featured.len());
    &site.featured[..n]
}

/// The rows: `[home] latest_types`, else every type with items when there are several.
fn rows(site: &Site) -> Vec<(usize, Vec<BriefId>)> {
    let home = &site.config.home;
    let wanted: Vec<usize> = match &home.latest_types {
        Some(names) => names
            .iter()
            .filter_map(|n| site.types.iter().position(|t| &t.name == n))
            .collect(),
        None if site.types.len() > 1 => (0..site.types.len()).collect(),
        None => Vec::new(),
    };
    let skip = featured(site);
    wanted
        .into_iter()
        .map(|i| {
            let ids = site.types[i]
                .items
                .iter()
                .filter(|id| !skip.contains(id) && site.is_published(**id))
                .take(home.latest_count)
                .copied()
                .collect();
            (i, ids)
        })
        .filter(|(_, ids): &(usize, Vec<BriefId>)| !ids.is_empty())
        .collect()
}

/// The taxonomy of the strip: `[home] strip`, else "programmes" when declared.
fn strip_taxonomy(site: &Site) -> Option<TaxonomyId> {
    match site.config.home.strip.as_deref() {
        Some("") => None,
        Some(name) => site.taxonomy_named(name).map(|(t, _)| t),
        None => site.taxonomy_named("programmes").map(|(t, _)| t),
    }
}

/// The briefs page 1 of the home page shows besides its listing.
pub fn shown(site: &Site) -> Vec<BriefId> {
    let mut ids = featured(site).to_vec();
    for (_, row) in rows(site) {
        ids.extend(row);
    }
    ids
}

/// The `home` value of page 1.
pub fn home_view<'a>(site: &'a Site, cards: &PerBrief<Value>) -> HomeView<'a> {
    let strip = strip_taxonomy(site).map(|t| {
        let tax = site.taxonomy(t);
        let mut terms: Vec<_> = tax
            .terms
            .iter()
            .filter(|x| x.parent.is_none() && !x.briefs.is_empty())
            .collect();
        terms.sort_by_cached_key(|x| deunicode::deunicode(&x.name).to_lowercase());
        StripView {
            taxonomy: taxonomy_ref(site, tax),
            terms: terms.into_iter().map(|x| term_view(site, tax, x)).collect(),
        }
    });
    HomeView {
        featured: featured(site).iter().map(|id| cards[*id].clone()).collect(),
        latest: rows(site)
            .into_iter()
            .map(|(i, ids)| LatestRow {
                kind: type_view(site, &site.types[i].name),
                items: ids.iter().map(|id| cards[*id].clone()).collect(),
            })
            .collect(),
        strip: strip.filter(|s| !s.terms.is_empty()),
    }
}
