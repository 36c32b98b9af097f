//! Editions: briefs that are one work in several languages (issue 27).
//!
//! Editions share a `translation_key`, or one names another by slug with `translation_of`
//! (joining that brief's editions), or sit in one bundle (`index.md` beside `index.ar.md`; a
//! key written in any of them is the bundle's). Only published briefs are linked: a draft translation is not
//! announced on its published original. Each edition gets the others, ordered by language tag,
//! and a translation gets its original: the brief others name with `translation_of`, else the
//! edition in the site's language, else the oldest. Two editions of one work in the same
//! language, or a `translation_of` naming no brief, are errors at the key; a work with a single
//! edition is not.

use std::collections::{BTreeMap, HashMap};

use super::{BriefId, Site};
use crate::diag::{Diagnostic, Diagnostics};

/// Link every published brief to its other editions.
pub fn link(site: &mut Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let published: Vec<BriefId> = site
        .briefs_with_ids()
        .map(|(id, _)| id)
        .filter(|id| site.is_published(*id))
        .collect();
    // Bundles with more than one published edition, with the key one of them writes.
    let mut bundles: HashMap<String, (usize, Option<String>)> = HashMap::new();
    for &id in &published {
        let d = &site.brief(id).doc;
        if let Some(dir) = super::assemble::bundle_dir(&d.source) {
            let e = bundles.entry(dir).or_default();
            e.0 += 1;
            if e.1.is_none() {
                e.1 = d.translation_key.clone();
            }
        }
    }
    bundles.retain(|_, (n, _)| *n > 1);
    if bundles.is_empty()
        && published.iter().all(|id| {
            let d = &site.brief(*id).doc;
            d.translation_key.is_none() && d.translation_of.is_none()
        })
    {
        return diags;
    }
    let by_slug: HashMap<&str, BriefId> = site
        .briefs_with_ids()
        .map(|(id, b)| (b.doc.slug.as_str(), id))
        .collect();
    // The work each brief belongs to, and the briefs named as originals.
    let mut named = Vec::new();
    let mut work: HashMap<BriefId, String> = HashMap::new();
    for &id in &published {
        let d = &site.brief(id).doc;
        let bundle = super::assemble::bundle_dir(&d.source).and_then(|b| {
            let (_, key) = bundles.get(&b)?;
            Some(match key {
                Some(k) => format!("key:{k}"),
                None => format!("bundle:{b}"),
            })
        });
        let key = if let Some(k) = &d.translation_key {
            Some(format!("key:{k}"))
        } else if d.translation_of.is_none() && bundle.is_some() {
            bundle
        } else if let Some(slug) = &d.translation_of {
            match by_slug.get(slug.as_str()) {
                Some(&target) => {
                    named.push(target);
                    let t = &site.brief(target).doc;
                    Some(match &t.translation_key {
                        Some(k) => format!("key:{k}"),
                        None => format!("slug:{}", t.slug),
                    })
                }
                None => {
                    diags.push(
                        Diagnostic::error(format!("`translation_of`: no brief has the slug {slug:?}"))
                            .in_file(&d.source)
                            .at_opt(d.key_positions.get("translation_of").copied())
                            .with_hint("name the original by its slug, e.g. translation_of: water-sharing-tigris"),
                    );
                    None
                }
            }
        } else {
            None
        };
        if let Some(k) = key {
            work.insert(id, k);
        }
    }
    // Briefs named by `translation_of` without a key of their own head a work by their slug.
    for &id in &named {
        let d = &site.brief(id).doc;
        if d.translation_key.is_none() && site.is_published(id) {
            work.entry(id).or_insert_with(|| format!("slug:{}", d.slug));
        }
    }
    let mut works: BTreeMap<&str, Vec<BriefId>> = BTreeMap::new();
    for (id, k) in &work {
        works.entry(k.as_str()).or_default().push(*id);
    }
    let site_lang = site.config.language.clone();
    let mut links = Vec::new();
    for editions in works.into_values() {
        let lang = |id: BriefId| {
            site.brief(id)
                .doc
                .language
                .clone()
                .unwrap_or(site_lang.clone())
        };
        let mut editions = editions;
        editions.sort_by_key(|&id| (lang(id).to_ascii_lowercase(), id.0));
        if let Some(e) = same_language(site, &editions, &lang) {
            diags.push(e);
            continue;
        }
        if editions.len() < 2 {
            continue;
        }
        let original = editions
            .iter()
            .copied()
            .find(|id| named.contains(id))
            .or_else(|| editions.iter().copied().find(|&id| lang(id) == site_lang))
            .or_else(|| {
                editions
                    .iter()
                    .copied()
                    .min_by_key(|&id| &site.brief(id).doc.date)
            })
            .expect("two editions or more");
        for &id in &editions {
            let others: Vec<BriefId> = editions.iter().copied().filter(|&o| o != id).collect();
            links.push((id, others, (id != original).then_some(original)));
        }
    }
    for (id, others, original) in links {
        let b = &mut site.briefs[id.0 as usize];
        b.editions = others;
        b.original = original;
    }
    diags
}

/// An error when two editions of a work are in the same language.
fn same_language(
    site: &Site,
    editions: &[BriefId],
    lang: &dyn Fn(BriefId) -> String,
) -> Option<Diagnostic> {
    let pair = editions
        .windows(2)
        .find(|w| lang(w[0]).eq_ignore_ascii_case(&lang(w[1])))?;
    let (first, second) = (&site.brief(pair[0]).doc, &site.brief(pair[1]).doc);
    let key = if second.translation_key.is_some() {
        "translation_key"
    } else {
        "translation_of"
    };
    Some(
        Diagnostic::error(format!(
            "two editions of one work in language {:?}: this brief and {}",
            lang(pair[1]),
            first.source.display()
        ))
        .in_file(&second.source)
        .at_opt(second.key_positions.get(key).copied())
        .with_hint("give each edition its own `language`, or a different `translation_key`"),
    )
}
