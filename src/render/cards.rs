//! Every brief's listing card as a template value ([`BriefCard`] is the contract), made once
//! per build and used by every listing, feed page and related-briefs box that shows the brief.
//!
//! A card names its publication type, its authors and its terms, and thousands of cards name
//! the same few of each. Serialised whole, each card held its own copies: at 100,000 briefs
//! the cards were 1.3 GB of the build's memory. Here each such part (a type in a language, an
//! author as a section names them, a term linked from a section in a language) becomes a value
//! once, and every card naming it holds that value: Tera's maps and lists are
//! reference-counted, so a shared part costs a card one pointer. A brief's `topics` and
//! `terms.topics` are one list. The template sees exactly what [`fill::brief_card`] gives:
//! `card_equals_the_card_serialised_whole` checks it on the demo (an Arabic section, editions,
//! events) and the Arabic fixture (a right-to-left site, a declared taxonomy).

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::Value;
use tera::value::Key;

use super::fill;
use super::views::BriefCard;
use crate::site::{AuthorId, Brief, LanguageId, Site, TaxonomyId, TermId};

/// A part many cards share, by what decides its value.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Part<'a> {
    /// A publication type in a language.
    Type(&'a str, &'a str),
    /// An author as a language section (or the main site) names them.
    Author(AuthorId, Option<LanguageId>),
    /// A term in a language, linked from a section (or the main site).
    Term(TaxonomyId, TermId, &'a str, Option<LanguageId>),
}

/// The shared parts made so far (cards are made in parallel; a part is made once).
#[derive(Default)]
struct Parts<'a> {
    made: Mutex<HashMap<Part<'a>, Value>>,
}

impl<'a> Parts<'a> {
    /// The value of `part`, made by `make` the first time it is asked for.
    fn get(&self, part: Part<'a>, make: impl FnOnce() -> Value) -> Value {
        let lock = || {
            self.made
                .lock()
                .expect("no card thread panics holding the lock")
        };
        if let Some(v) = lock().get(&part) {
            return v.clone();
        }
        // Made outside the lock; two threads making one part at once keep the first.
        let value = make();
        lock().entry(part).or_insert(value).clone()
    }
}

/// Every brief's card, in brief order.
pub fn cards(site: &Site) -> Vec<Value> {
    let parts = Parts::default();
    site.briefs
        .par_iter()
        .map(|b| card(site, b, &parts))
        .collect()
}

/// One brief's card, made alone (`serve` after an edit).
pub fn one_card(site: &Site, b: &Brief) -> Value {
    card(site, b, &Parts::default())
}

fn card<'a>(site: &'a Site, b: &'a Brief, parts: &Parts<'a>) -> Value {
    let lang: &str = b.doc.language.as_deref().unwrap_or(&site.config.language);
    let in_section = site.section_of(b);
    let section_id = in_section.map(|(l, _)| l);
    let own: BriefCard<'_> = fill::card_without_parts(site, b);
    let mut map = Value::from_serializable(&own)
        .into_map()
        .expect("a card serialises to a map");
    let kind = parts.get(Part::Type(&b.doc.kind, lang), || {
        Value::from_serializable(&fill::type_view_in(site, &b.doc.kind, lang))
    });
    let authors: Vec<Value> = b
        .authors
        .iter()
        .take(fill::BYLINE_IN_LISTINGS)
        .map(|&a| {
            parts.get(Part::Author(a, section_id), || {
                Value::from_serializable(&fill::author_ref_in(site, a, section_id))
            })
        })
        .collect();
    let more = b.authors.len().saturating_sub(fill::BYLINE_IN_LISTINGS);
    let mut terms = tera::Map::default();
    let (mut topics, mut regions) = (Value::from(Vec::<Value>::new()), None);
    for (t, tax) in site.taxonomies_with_ids() {
        let ids = b.terms_of(t);
        if ids.is_empty() {
            continue;
        }
        let links: Vec<Value> = ids
            .iter()
            .map(|&id| {
                parts.get(Part::Term(t, id, lang, section_id), || {
                    let section = in_section.map(|(_, s)| s);
                    Value::from_serializable(&fill::term_link(site, section, (t, id), lang))
                })
            })
            .collect();
        let links = Value::from(links);
        match tax.def.name.as_str() {
            "topics" => topics = links.clone(),
            "regions" => regions = Some(links.clone()),
            _ => {}
        }
        terms.insert(Key::String(tax.def.name.as_str().into()), links);
    }
    let regions = regions.unwrap_or_else(|| Value::from(Vec::<Value>::new()));
    map.insert(Key::Str("type"), kind);
    map.insert(Key::Str("authors"), Value::from(authors));
    map.insert(Key::Str("authors_more"), Value::from(more as u64));
    map.insert(Key::Str("topics"), topics);
    map.insert(Key::Str("regions"), regions);
    map.insert(Key::Str("terms"), Value::from(terms));
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuildOptions;

    fn site(name: &str) -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
        let opts = BuildOptions::new(root);
        let config = crate::load_config(&opts).expect("the fixture's config loads");
        crate::prepare(&opts, config, None)
            .expect("the fixture builds")
            .site
    }

    #[test]
    fn card_equals_the_card_serialised_whole() {
        // The demo has an Arabic section, editions, events and programmes; the Arabic site a
        // right-to-left main language and a declared taxonomy.
        for name in [".", "tests/fixtures/arabic-site"] {
            let site = site(name);
            let cards = cards(&site);
            assert!(!cards.is_empty(), "{name} has briefs");
            for (b, shared) in site.briefs.iter().zip(&cards) {
                let whole = Value::from_serializable(&fill::brief_card(&site, b));
                assert_eq!(&whole, shared, "{name}: {}", b.doc.slug);
            }
        }
    }
}
