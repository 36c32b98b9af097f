//! The resolved site: every document with its relations, by typed ids (never by path).
//!
//! [`assemble`] builds it from parsed documents, a pure function of (config, documents, now);
//! [`Site::replace_briefs`] applies an edit to briefs in place when it cannot change where
//! they are listed, and says when a full rebuild is needed instead (the incremental rule lives
//! here, beside the full one, so a new relation cannot be forgotten by `serve`). Nothing here
//! reads files or renders.
//!
//! Ids index the site's vectors; only this module turns an id into an index, through the
//! accessors ([`Site::brief`], [`Site::author`], [`Site::term`]…) and [`PerBrief`].

mod assemble;
mod bodies;
mod collections;
mod editions;
mod hierarchy;
mod languages;
mod related;
mod replace;
mod tables;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::{Timestamp, ZonedDateTime};

use crate::config::{Config, TaxonomyDef};
use crate::content::{AuthorDoc, BriefDoc, PageDoc, SectionDoc, TermDoc};

pub use assemble::{assemble, hero_alt_warning, shorten, summary_of};
pub use collections::{Change, ScheduledChange};
pub use languages::LanguageSection;
pub use replace::NeedsFullRebuild;

/// The most authors a listing card or feed entry names; a brief's own page names them all.
pub const BYLINE_IN_LISTINGS: usize = 10;

/// A byline longer than this gets a warning (it is probably a mistake, and listings cut it).
pub const MANY_AUTHORS: usize = 100;

/// Index of a brief in `Site::briefs` (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BriefId(pub u32);
/// Index of an author in `Site::authors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthorId(pub u32);
/// Index of a taxonomy in `Site::taxonomies` (config order: topics, regions, then the site's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaxonomyId(pub u32);
/// Index of a term in its `Taxonomy::terms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub u32);
/// Index of a collection in `Site::collections` (briefs first, then by folder name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CollectionId(pub u32);
/// Index of a series in `Site::series` (by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesId(pub u32);
/// Index of a publication type's listing in `Site::types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);
/// Index of a language section in `Site::languages` (by tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageId(pub u32);
/// Index of a standalone page in `Site::pages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u32);

/// A value per brief, indexed by [`BriefId`] (cards, citations…).
#[derive(Debug, Clone, Default)]
pub struct PerBrief<T>(Vec<T>);

impl<T> PerBrief<T> {
    /// One value per brief of `site`, in id order.
    pub fn from_vec(values: Vec<T>) -> Self {
        Self(values)
    }

    /// The value of a brief, if there is one.
    pub fn get(&self, id: BriefId) -> Option<&T> {
        self.0.get(id.0 as usize)
    }

    /// True when no brief has a value (e.g. citations are off).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> std::ops::Index<BriefId> for PerBrief<T> {
    type Output = T;
    fn index(&self, id: BriefId) -> &T {
        &self.0[id.0 as usize]
    }
}

impl<T> std::ops::IndexMut<BriefId> for PerBrief<T> {
    fn index_mut(&mut self, id: BriefId) -> &mut T {
        &mut self.0[id.0 as usize]
    }
}

/// What decides which briefs are published.
#[derive(Debug, Clone)]
pub struct Publishing {
    /// The current instant: briefs dated after it are scheduled, not published.
    pub now: Timestamp,
    /// Include drafts.
    pub drafts: bool,
    /// Include briefs dated in the future.
    pub future: bool,
}

/// A published brief with its relations resolved.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The document.
    pub doc: BriefDoc,
    /// URL path without the base path: "briefs/<slug>/".
    pub path: String,
    /// Authors in byline order.
    pub authors: Vec<AuthorId>,
    /// Terms per taxonomy, indexed like `Site::taxonomies`.
    pub terms: Vec<Vec<TermId>>,
    /// The summary: front matter `summary`, else the first paragraph, shortened.
    pub summary: String,
    /// Absolute URL.
    pub permalink: String,
    /// Up to three briefs sharing the most topics, newest first on ties.
    pub related: Vec<BriefId>,
    /// Dated after the build's `now`: only present with `--future`, never indexed for search.
    pub scheduled: bool,
    /// The collection it belongs to.
    pub collection: CollectionId,
    /// Featured on the home page (`featured: true` or `[home] featured`).
    pub featured: bool,
    /// The other published editions of the same work, in other languages, by language tag
    /// (issue 27; see `editions.rs`).
    pub editions: Vec<BriefId>,
    /// The edition this one translates, when it is a translation.
    pub original: Option<BriefId>,
    /// The body's HTML, compressed, once [`Site::pack_bodies`] has run (`doc.body.html` is
    /// then empty): read it with [`Brief::body_html`].
    pub packed_body: Option<Box<[u8]>>,
}

impl Brief {
    /// The latest of `date`, `updated` and the corrections' dates: what feeds and the
    /// sitemap report as the modification time.
    pub fn last_modified(&self) -> &ZonedDateTime {
        let mut latest = &self.doc.date;
        for d in self
            .doc
            .updated
            .iter()
            .chain(self.doc.corrections.iter().map(|c| &c.date))
        {
            if d > latest {
                latest = d;
            }
        }
        latest
    }

    /// The terms of one taxonomy.
    pub fn terms_of(&self, t: TaxonomyId) -> &[TermId] {
        &self.terms[t.0 as usize]
    }
}

/// An author: from a profile, or only from bylines.
#[derive(Debug, Clone)]
pub struct Author {
    /// URL slug.
    pub slug: String,
    /// URL path without the base path: "authors/<slug>/".
    pub path: String,
    /// Display name.
    pub name: String,
    /// The profile, when `content/authors/<slug>.md` exists.
    pub profile: Option<AuthorDoc>,
    /// Their published briefs, newest first.
    pub briefs: Vec<BriefId>,
}

/// What an author's profile says in one language: the edition's words (`<slug>.ar.md`) where
/// it gives them, else the profile's (issue 27).
#[derive(Debug, Clone, Copy)]
pub struct AuthorWords<'a> {
    /// Display name.
    pub name: &'a str,
    /// Role.
    pub role: Option<&'a str>,
    /// Affiliation.
    pub affiliation: Option<&'a str>,
    /// The bio: the edition's when it has one, else the profile's.
    pub bio: Option<&'a crate::markdown::Rendered>,
    /// The language the bio is written in, when it is an edition's.
    pub bio_language: Option<&'a str>,
}

impl Author {
    /// Its profile in `lang`: the edition of that tag, else of its language subtag, else the
    /// profile as written.
    pub fn words_in(&self, lang: &str) -> AuthorWords<'_> {
        let p = self.profile.as_ref();
        let tag = lang.to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let e = p.and_then(|p| {
            let find = |l: &str| p.editions.iter().find(|e| e.language == l);
            find(&tag).or_else(|| find(primary))
        });
        let with_bio = e.filter(|e| !e.bio.html.trim().is_empty());
        AuthorWords {
            name: e
                .and_then(|e| e.front.name.as_deref())
                .unwrap_or(&self.name),
            role: e
                .and_then(|e| e.front.role.as_deref())
                .or_else(|| p.and_then(|p| p.front.role.as_deref())),
            affiliation: e
                .and_then(|e| e.front.affiliation.as_deref())
                .or_else(|| p.and_then(|p| p.front.affiliation.as_deref())),
            bio: with_bio.map(|e| &e.bio).or_else(|| p.map(|p| &p.bio)),
            bio_language: with_bio.map(|e| e.language.as_str()),
        }
    }
}

/// A term of a taxonomy (a topic, a region…).
#[derive(Debug, Clone)]
pub struct Term {
    /// URL slug.
    pub slug: String,
    /// URL path without the base path: "<taxonomy>/<slug>/".
    pub path: String,
    /// Display name.
    pub name: String,
    /// The profile, when `content/<taxonomy>/<slug>.md` exists.
    pub profile: Option<TermDoc>,
    /// Published briefs, newest first: its own and those of every term below it.
    pub briefs: Vec<BriefId>,
    /// The term it belongs to (profile `parent`).
    pub parent: Option<TermId>,
    /// The terms that name it as `parent`, by name.
    pub children: Vec<TermId>,
    /// Who leads it (profile `directors`), in the order written.
    pub directors: Vec<AuthorId>,
    /// The authors of its work, most briefs first (at most [`EXPERTS_SHOWN`]).
    pub experts: Vec<AuthorId>,
}

impl Term {
    /// Its name where it is shown in `lang`: the profile's `name_<lang>` (the whole tag, then
    /// its language), else its name.
    pub fn name_in(&self, lang: &str) -> &str {
        let Some(p) = &self.profile else {
            return &self.name;
        };
        if p.names.is_empty() {
            return &self.name;
        }
        let tag = lang.to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        p.names
            .get(&tag)
            .or_else(|| p.names.get(primary))
            .map_or(&self.name, String::as_str)
    }
}

/// The most experts a term's page names.
pub const EXPERTS_SHOWN: usize = 12;

/// A collection: the briefs, or another top-level folder of content/ with an `_index.md`.
#[derive(Debug, Clone)]
pub struct Collection {
    /// Its folder under content/ ("briefs", "events").
    pub name: String,
    /// URL path of its listing: "events/".
    pub path: String,
    /// Heading: the `_index.md` title, else the folder name capitalised.
    pub title: String,
    /// Published items in listing order (the `_index.md` `sort_by`/`order`).
    pub items: Vec<BriefId>,
    /// Year archives, newest year first.
    pub years: Vec<YearArchive>,
    /// True when a published item (not a preview's draft or scheduled one) is an event: the
    /// collection has a `calendar.ics`.
    pub has_events: bool,
}

/// A year of a collection: `/briefs/2025/`.
#[derive(Debug, Clone)]
pub struct YearArchive {
    /// The year of publication.
    pub year: i16,
    /// URL path: "briefs/2025/".
    pub path: String,
    /// Its items, newest first.
    pub items: Vec<BriefId>,
}

/// A publication type that has items: `/types/report/`.
#[derive(Debug, Clone)]
pub struct TypeListing {
    /// The type's name ("working-paper").
    pub name: String,
    /// URL path: "types/working-paper/".
    pub path: String,
    /// Its items, newest first.
    pub items: Vec<BriefId>,
}

/// A series: briefs sharing a `series` name, with a landing page.
#[derive(Debug, Clone)]
pub struct Series {
    /// The name as written.
    pub name: String,
    /// URL path: "series/<slug>/".
    pub path: String,
    /// Its briefs, oldest first (reading order).
    pub items: Vec<BriefId>,
}

/// A taxonomy and its terms, sorted by name.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its definition from site.toml.
    pub def: TaxonomyDef,
    /// URL path of its list page: "<name>/".
    pub path: String,
    /// Terms, in discovery order (profiles first); list pages sort by name.
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// A term of this taxonomy.
    pub fn term(&self, id: TermId) -> &Term {
        &self.terms[id.0 as usize]
    }

    /// Every term with its id.
    pub fn terms_with_ids(&self) -> impl Iterator<Item = (TermId, &Term)> {
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| (TermId(i as u32), t))
    }
}

/// A file copied from content/ to the output.
#[derive(Debug, Clone)]
pub struct OutAsset {
    /// The source file.
    pub src: crate::fsx::SiteFile,
    /// Source path relative to the site root.
    pub rel: PathBuf,
    /// Output path relative to the output folder.
    pub out: String,
}

/// The whole resolved site.
#[derive(Debug, Clone)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// Published briefs, newest first.
    pub briefs: Vec<Brief>,
    /// Published pages, sorted by path.
    pub pages: Vec<PageDoc>,
    /// Authors: profiles first, then names met in bylines (listing pages sort by name).
    pub authors: Vec<Author>,
    /// Taxonomies in config order.
    pub taxonomies: Vec<Taxonomy>,
    /// Section metadata by folder ("" is the home page).
    pub sections: BTreeMap<String, SectionDoc>,
    /// Files to copy.
    pub assets: Vec<OutAsset>,
    /// Briefs left out (drafts, scheduled), for the summary line.
    pub left_out: usize,
    /// Series, by name.
    pub series: Vec<Series>,
    /// Collections: briefs first, then by folder name.
    pub collections: Vec<Collection>,
    /// Publication types that have items, in the order of the type list.
    pub types: Vec<TypeListing>,
    /// Featured items, in order: `[home] featured`, then `featured: true` newest first.
    pub featured: Vec<BriefId>,
    /// What publishes or expires after the build's time, soonest first.
    pub schedule: Vec<ScheduledChange>,
    /// Content paths → URLs, for `@/` links (kept so `serve` can resolve an edited brief).
    pub links: crate::links::LinkTable,
    /// The build's current time: what is dated after it is scheduled.
    pub now: Timestamp,
    /// When the next scheduled brief or page (not a draft) is due, or the next one expires:
    /// `serve` rebuilds then.
    pub next_publication: Option<Timestamp>,
    /// The bibliographies briefs cite from, and the citation style.
    pub bibliographies: std::sync::Arc<crate::biblio::Library>,
    /// The site's raster images and how they are processed (issue 26).
    pub images: std::sync::Arc<crate::images::Catalog>,
    /// The sections of the languages other than the site's, by tag (issue 27).
    pub languages: Vec<LanguageSection>,
    /// The theme's words in every language (issue 27).
    pub i18n: std::sync::Arc<crate::i18n::Catalog>,
}

impl Site {
    /// A path inside the site, with the base path: "briefs/a/" → "/research/briefs/a/".
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// An absolute URL: "briefs/a/" → "https://example.org/research/briefs/a/".
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// A brief.
    pub fn brief(&self, id: BriefId) -> &Brief {
        &self.briefs[id.0 as usize]
    }

    /// The brief after `id` in date order (older), if any.
    pub fn older(&self, id: BriefId) -> Option<BriefId> {
        ((id.0 as usize) + 1 < self.briefs.len()).then_some(BriefId(id.0 + 1))
    }

    /// The brief before `id` in date order (newer), if any.
    pub fn newer(&self, id: BriefId) -> Option<BriefId> {
        id.0.checked_sub(1).map(BriefId)
    }

    /// Every brief's id, newest first.
    pub fn brief_ids(&self) -> Vec<BriefId> {
        (0..self.briefs.len() as u32).map(BriefId).collect()
    }

    /// The ids of up to `len` briefs from position `from` in date order (a listing page).
    pub fn brief_range(&self, from: usize, len: usize) -> Vec<BriefId> {
        let to = (from + len).min(self.briefs.len());
        (from.min(to) as u32..to as u32).map(BriefId).collect()
    }

    /// Every brief with its id, newest first.
    pub fn briefs_with_ids(&self) -> impl Iterator<Item = (BriefId, &Brief)> {
        self.briefs
            .iter()
            .enumerate()
            .map(|(i, b)| (BriefId(i as u32), b))
    }

    /// An author.
    pub fn author(&self, id: AuthorId) -> &Author {
        &self.authors[id.0 as usize]
    }

    /// Every author with its id.
    pub fn authors_with_ids(&self) -> impl Iterator<Item = (AuthorId, &Author)> {
        self.authors
            .iter()
            .enumerate()
            .map(|(i, a)| (AuthorId(i as u32), a))
    }

    /// A taxonomy.
    pub fn taxonomy(&self, id: TaxonomyId) -> &Taxonomy {
        &self.taxonomies[id.0 as usize]
    }

    /// Every taxonomy with its id, in config order.
    pub fn taxonomies_with_ids(&self) -> impl Iterator<Item = (TaxonomyId, &Taxonomy)> {
        self.taxonomies
            .iter()
            .enumerate()
            .map(|(i, t)| (TaxonomyId(i as u32), t))
    }

    /// The taxonomy with this name ("topics").
    pub fn taxonomy_named(&self, name: &str) -> Option<(TaxonomyId, &Taxonomy)> {
        self.taxonomies_with_ids().find(|(_, t)| t.def.name == name)
    }

    /// A term.
    pub fn term(&self, t: TaxonomyId, id: TermId) -> &Term {
        self.taxonomy(t).term(id)
    }

    /// A collection.
    pub fn collection(&self, id: CollectionId) -> &Collection {
        &self.collections[id.0 as usize]
    }

    /// Every collection with its id.
    pub fn collections_with_ids(&self) -> impl Iterator<Item = (CollectionId, &Collection)> {
        self.collections
            .iter()
            .enumerate()
            .map(|(i, c)| (CollectionId(i as u32), c))
    }

    /// The series a brief belongs to.
    pub fn series_of(&self, b: &Brief) -> Option<(SeriesId, &Series)> {
        let name = b.doc.series.as_deref()?;
        let i = self
            .series
            .binary_search_by(|s| s.name.as_str().cmp(name))
            .ok()?;
        Some((SeriesId(i as u32), &self.series[i]))
    }

    /// A series.
    pub fn series(&self, id: SeriesId) -> &Series {
        &self.series[id.0 as usize]
    }

    /// A publication type's listing.
    pub fn type_listing(&self, id: TypeId) -> &TypeListing {
        &self.types[id.0 as usize]
    }

    /// A language section.
    pub fn language(&self, id: LanguageId) -> &LanguageSection {
        &self.languages[id.0 as usize]
    }

    /// Every language section with its id.
    pub fn languages_with_ids(&self) -> impl Iterator<Item = (LanguageId, &LanguageSection)> {
        self.languages
            .iter()
            .enumerate()
            .map(|(i, l)| (LanguageId(i as u32), l))
    }

    /// The section of a language, by tag in any case ("AR" finds "ar").
    pub fn language_section(&self, language: &str) -> Option<(LanguageId, &LanguageSection)> {
        let l = language.to_ascii_lowercase();
        self.languages_with_ids().find(|(_, s)| s.language == l)
    }

    /// The section a brief belongs to, when it is not in the site's language.
    pub fn section_of(&self, b: &Brief) -> Option<(LanguageId, &LanguageSection)> {
        self.config
            .section_of(b.doc.language.as_deref())
            .and_then(|l| self.language_section(&l))
    }

    /// The path of an author's page as a page of `section` shows it: the section's page of
    /// the author when there is one ("ar/authors/x/"), else the main one.
    pub fn author_path_in(
        &self,
        section: Option<LanguageId>,
        a: AuthorId,
    ) -> std::borrow::Cow<'_, str> {
        match section.map(|l| self.language(l)) {
            Some(l) if l.author_briefs(a).is_some() => l.author_path(self, a).into(),
            _ => self.author(a).path.as_str().into(),
        }
    }

    /// A standalone page.
    pub fn page(&self, id: PageId) -> &PageDoc {
        &self.pages[id.0 as usize]
    }

    /// Every page with its id.
    pub fn pages_with_ids(&self) -> impl Iterator<Item = (PageId, &PageDoc)> {
        self.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (PageId(i as u32), p))
    }

    /// The names of a brief's terms in one taxonomy (its topics as keywords…).
    pub fn term_names(&self, b: &Brief, t: TaxonomyId) -> Vec<&str> {
        b.terms_of(t)
            .iter()
            .map(|id| self.term(t, *id).name.as_str())
            .collect()
    }

    /// True when a brief is published: neither a draft nor dated after the build's time
    /// (either can be in a `--drafts` / `--future` preview, never in feeds or the sitemap).
    pub fn is_published(&self, id: BriefId) -> bool {
        let b = self.brief(id);
        !b.doc.draft && !b.scheduled
    }

    /// A brief's topics by name (keywords for citations, feeds and JSON-LD).
    pub fn topic_names(&self, b: &Brief) -> Vec<&str> {
        match self.taxonomy_named("topics") {
            Some((t, _)) => self.term_names(b, t),
            None => Vec::new(),
        }
    }
}

/// Position of a top-level front matter key in a whole file's text, for checks that run after
/// parsing.
pub fn key_line_in_file(text: &str, key: &str) -> Option<(usize, usize)> {
    let text = crate::content::frontmatter::normalise(text);
    let split = crate::content::frontmatter::split(&text).ok()?;
    crate::content::frontmatter::key_position(split.front, key, split.front_line)
}
