//! `assemble`: parsed documents → the resolved `Site`, a pure function of (config, documents,
//! now).
//!
//! Owns every relation: which author and terms each brief has (by typed ids, never by path),
//! drafts and scheduled briefs, ordering (newest first), summaries, and bundle asset paths.
//! It reads no files and renders nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use jiff::{Timestamp, ZonedDateTime};

use crate::config::{Config, TaxonomyDef};
use crate::content::{Asset, AuthorDoc, BriefDoc, PageDoc, Parsed, SectionDoc, TermDoc};
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::slugify;

/// Index of a brief in `Site::briefs` (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BriefId(pub u32);
/// Index of an author in `Site::authors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthorId(pub u32);
/// Index of a term in its `Taxonomy::terms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub u32);

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
}

/// An author: from a profile, or only from bylines.
#[derive(Debug, Clone)]
pub struct Author {
    /// URL slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The profile, when `content/authors/<slug>.md` exists.
    pub profile: Option<AuthorDoc>,
    /// Their published briefs, newest first.
    pub briefs: Vec<BriefId>,
}

/// A term of a taxonomy (a topic, a region…).
#[derive(Debug, Clone)]
pub struct Term {
    /// URL slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The profile, when `content/<taxonomy>/<slug>.md` exists.
    pub profile: Option<TermDoc>,
    /// Published briefs, newest first.
    pub briefs: Vec<BriefId>,
}

/// A taxonomy and its terms, sorted by name.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its definition from site.toml.
    pub def: TaxonomyDef,
    /// Terms, sorted by name (case-insensitive).
    pub terms: Vec<Term>,
}

/// A file copied from content/ to the output.
#[derive(Debug, Clone)]
pub struct OutAsset {
    /// Absolute source path.
    pub src: PathBuf,
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
    /// Series name → its briefs, oldest first (reading order).
    pub series: BTreeMap<String, Vec<BriefId>>,
    /// Content paths → URLs, for `@/` links (kept so `serve` can resolve an edited brief).
    pub links: crate::links::LinkTable,
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
}

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

/// Resolve documents into a site. Pure: no I/O, `now` is an input.
pub fn assemble(
    config: &Config,
    parsed: Vec<Parsed>,
    assets: Vec<Asset>,
    publishing: &Publishing,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut docs = Vec::new();
    let mut pages = Vec::new();
    let mut profiles: Vec<AuthorDoc> = Vec::new();
    let mut term_profiles: Vec<TermDoc> = Vec::new();
    let mut sections = BTreeMap::new();
    for p in parsed {
        match p {
            Parsed::Brief(b) => docs.push(*b),
            Parsed::Page(p) => pages.push(*p),
            Parsed::Author(a) => profiles.push(*a),
            Parsed::Term(t) => term_profiles.push(*t),
            Parsed::Section(s) => {
                sections.insert(s.dir.clone(), *s);
            }
        }
    }
    // Bundles: content-relative bundle folder → output path, for every document (published or
    // not, so that a draft's files are left out with it).
    let mut bundle_paths: HashMap<String, Option<String>> = HashMap::new();
    let published = |draft: bool, date: Option<&ZonedDateTime>| {
        (publishing.drafts || !draft)
            && (publishing.future || date.is_none_or(|d| d.timestamp() <= publishing.now))
    };
    let total = docs.len();
    let mut links = crate::links::LinkTable::default();
    docs.retain(|d| {
        let keep = published(d.draft, Some(&d.date));
        links.add(&d.source, keep.then(|| format!("briefs/{}/", d.slug)));
        if let Some(b) = bundle_dir(&d.source) {
            bundle_paths.insert(b, keep.then(|| format!("briefs/{}/", d.slug)));
        }
        keep
    });
    let left_out = total - docs.len();
    pages.retain(|p| {
        let keep = published(p.draft, p.date.as_ref());
        links.add(&p.source, keep.then(|| p.path.clone()));
        if let Some(b) = bundle_dir(&p.source) {
            bundle_paths.insert(b, keep.then(|| p.path.clone()));
        }
        keep
    });
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    docs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));

    let mut authors = AuthorTable::new(profiles);
    let mut taxonomies: Vec<TermTable> = config
        .taxonomies
        .iter()
        .map(|def| {
            TermTable::new(
                def.clone(),
                term_profiles
                    .iter()
                    .filter(|t| t.taxonomy == def.name)
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    for d in &docs {
        for key in d.terms.keys() {
            if config.taxonomy(key).is_none() {
                diags.push(
                    Diagnostic::error(format!("unknown taxonomy `{key}`"))
                        .in_file(&d.source)
                        .with_hint(format!(
                            "declare it in site.toml: [[taxonomies]] name = \"{key}\""
                        )),
                );
            }
        }
    }
    let mut briefs = Vec::with_capacity(docs.len());
    for (i, doc) in docs.into_iter().enumerate() {
        let id = BriefId(i as u32);
        let mut author_ids = Vec::new();
        for name in &doc.authors {
            match authors.resolve(name, id, &doc, &mut diags) {
                Some(a) if !author_ids.contains(&a) => author_ids.push(a),
                _ => {}
            }
        }
        let mut terms = Vec::with_capacity(taxonomies.len());
        for table in taxonomies.iter_mut() {
            let mut ids = Vec::new();
            for name in doc
                .terms
                .get(&table.def.name)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                match table.resolve(name, id, &doc, &mut diags) {
                    Some(t) if !ids.contains(&t) => ids.push(t),
                    _ => {}
                }
            }
            terms.push(ids);
        }
        diags.extend(hero_alt_warning(&doc));
        if let Some(pdf) = &doc.pdf
            && !is_external_or_rooted(pdf)
        {
            let bundle = bundle_dir(&doc.source);
            let found = bundle.as_ref().is_some_and(|b| {
                assets
                    .iter()
                    .any(|a| a.bundle.as_deref() == Some(b) && a.within == *pdf)
            });
            if !found {
                diags.push(
                    Diagnostic::error(format!("`pdf` file {pdf:?} is not in the brief's bundle"))
                        .in_file(&doc.source)
                        .at_opt(doc.key_positions.get("pdf").copied())
                        .with_hint("make the brief a bundle (a folder with index.md) and put the PDF beside index.md, or give a site path such as /reports/x.pdf"),
                );
            }
        }
        let summary = summary_of(&doc);
        let path = format!("briefs/{}/", doc.slug);
        briefs.push(Brief {
            permalink: format!("{}{path}", config.base_url),
            path,
            related: Vec::new(),
            scheduled: doc.date.timestamp() > publishing.now,
            doc,
            authors: author_ids,
            terms,
            summary,
        });
    }
    let taxonomies: Vec<Taxonomy> = taxonomies.into_iter().map(TermTable::finish).collect();
    related_briefs(&mut briefs, &taxonomies);
    let mut series: BTreeMap<String, Vec<BriefId>> = BTreeMap::new();
    for (i, b) in briefs.iter().enumerate().rev() {
        if let Some(name) = &b.doc.series {
            series
                .entry(name.clone())
                .or_default()
                .push(BriefId(i as u32));
        }
    }
    let mut out_assets = Vec::new();
    for a in assets {
        let out = match &a.bundle {
            Some(b) => match bundle_paths.get(b) {
                Some(Some(path)) => format!("{path}{}", a.within),
                _ => continue, // the bundle's page is a draft or scheduled
            },
            None => a.within.clone(),
        };
        out_assets.push(OutAsset {
            src: a.src,
            rel: a.rel,
            out,
        });
    }
    let mut authors = authors.finish();
    let mut taxonomies = taxonomies;
    resolve_internal_links(
        &mut links,
        &mut briefs,
        &mut pages,
        &mut authors,
        &mut taxonomies,
        &mut sections,
        config,
        &mut diags,
    );
    let site = Site {
        config: config.clone(),
        briefs,
        pages,
        authors,
        taxonomies,
        series,
        sections,
        assets: out_assets,
        left_out,
        links,
    };
    (site, diags)
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

/// A brief's summary: front matter `summary`, else the start of its first paragraph.
pub fn summary_of(doc: &BriefDoc) -> String {
    match &doc.summary {
        Some(s) => s.trim().to_string(),
        None => shorten(&doc.body.first_paragraph, SUMMARY_CHARS),
    }
}

/// Rewrite `@/…` links in every rendered document now that every URL is known (issue 6).
#[allow(clippy::too_many_arguments)]
fn resolve_internal_links(
    links: &mut crate::links::LinkTable,
    briefs: &mut [Brief],
    pages: &mut [PageDoc],
    authors: &mut [Author],
    taxonomies: &mut [Taxonomy],
    sections: &mut BTreeMap<String, SectionDoc>,
    config: &Config,
    diags: &mut Diagnostics,
) {
    for a in authors.iter() {
        links.add_path(
            format!("authors/{}.md", a.slug),
            format!("authors/{}/", a.slug),
        );
    }
    for t in taxonomies.iter() {
        for term in &t.terms {
            links.add_path(
                format!("{}/{}.md", t.def.name, term.slug),
                format!("{}/{}/", t.def.name, term.slug),
            );
        }
    }
    let base = &config.base_path;
    for b in briefs.iter_mut() {
        diags.extend(links.resolve(&mut b.doc.body, &b.doc.source, base));
    }
    for p in pages.iter_mut() {
        diags.extend(links.resolve(&mut p.body, &p.source, base));
    }
    for a in authors.iter_mut() {
        if let Some(p) = a.profile.as_mut() {
            diags.extend(links.resolve(&mut p.bio, &p.source, base));
        }
    }
    for t in taxonomies.iter_mut() {
        for term in t.terms.iter_mut() {
            if let Some(p) = term.profile.as_mut() {
                diags.extend(links.resolve(&mut p.description, &p.source, base));
            }
        }
    }
    for s in sections.values_mut() {
        diags.extend(links.resolve(&mut s.body, &s.source, base));
    }
}

/// How many related briefs each brief shows.
const RELATED: usize = 3;

/// For every brief, the briefs sharing the most topics (newest first on ties), found through
/// the topics' brief lists rather than by comparing every pair of briefs.
fn related_briefs(briefs: &mut [Brief], taxonomies: &[Taxonomy]) {
    let Some(ti) = taxonomies.iter().position(|t| t.def.name == "topics") else {
        return;
    };
    let topics: Vec<&[BriefId]> = taxonomies[ti]
        .terms
        .iter()
        .map(|t| t.briefs.as_slice())
        .collect();
    let of: Vec<&[TermId]> = briefs.iter().map(|b| b.terms[ti].as_slice()).collect();
    // One bit per brief per topic: 60 topics over 100,000 briefs is 750 KB.
    let bitset_bytes = topics.len() * briefs.len().div_ceil(64) * 8;
    let max_topics = of.iter().map(|t| t.len()).max().unwrap_or(0);
    let lists = if bitset_bytes <= 256 << 20 && max_topics < 1 << 16 {
        related_by_bitsets(&of, &topics)
    } else {
        related_by_counting(&of, &topics)
    };
    for (b, r) in briefs.iter_mut().zip(lists) {
        b.related = r;
    }
}

/// For each brief (`of[i]`: its topics), the RELATED briefs sharing most topics with it, newest
/// (lowest id) first among equals. Each topic is a bitset of briefs; a brief's topic bitsets
/// are added word by word into bit-sliced counters, so one pass over n/64 words finds, in id
/// order, the first briefs with each count (the dense-counter version below touches every
/// brief of every shared topic, quadratic in practice: 4.7 s at 100,000 briefs).
#[allow(clippy::needless_range_loop)] // `w` indexes one word of several topic bitsets
fn related_by_bitsets(of: &[&[TermId]], topics: &[&[BriefId]]) -> Vec<Vec<BriefId>> {
    use rayon::prelude::*;
    let words = of.len().div_ceil(64);
    let sets: Vec<Vec<u64>> = topics
        .par_iter()
        .map(|members| {
            let mut set = vec![0u64; words];
            for b in *members {
                set[b.0 as usize / 64] |= 1 << (b.0 % 64);
            }
            set
        })
        .collect();
    of.par_iter()
        .enumerate()
        .map(|(i, ts)| {
            let k = ts.len();
            if k == 0 {
                return Vec::new();
            }
            // Bits needed to count to k (below 2^16: checked by the caller).
            let bits = (usize::BITS - k.leading_zeros()) as usize;
            // found[c]: the first RELATED ids sharing exactly c topics, ascending.
            let mut found: Vec<Vec<u32>> = vec![Vec::new(); k + 1];
            for w in 0..words {
                let mut planes = [0u64; 16];
                for t in *ts {
                    let mut carry = sets[t.0 as usize][w];
                    for p in planes[..bits].iter_mut() {
                        let sum = *p ^ carry;
                        carry &= *p;
                        *p = sum;
                    }
                }
                if w == i / 64 {
                    for p in planes[..bits].iter_mut() {
                        *p &= !(1 << (i % 64));
                    }
                }
                if planes[..bits].iter().all(|p| *p == 0) {
                    continue;
                }
                for (c, list) in found.iter_mut().enumerate().skip(1).rev() {
                    if list.len() >= RELATED {
                        continue;
                    }
                    let mut m = !0u64;
                    for (bit, p) in planes[..bits].iter().enumerate() {
                        m &= if (c >> bit) & 1 == 1 { *p } else { !*p };
                    }
                    while m != 0 && list.len() < RELATED {
                        list.push((w * 64) as u32 + m.trailing_zeros());
                        m &= m - 1;
                    }
                }
                // Nothing later can beat RELATED briefs sharing every topic.
                if found[k].len() >= RELATED {
                    break;
                }
            }
            found
                .iter()
                .rev()
                .flatten()
                .take(RELATED)
                .map(|&id| BriefId(id))
                .collect()
        })
        .collect()
}

/// The same as [`related_by_bitsets`] with a dense counter per worker: a few increments per
/// brief of each shared topic, then one pass for the top RELATED. Used when bitsets for every
/// topic would take too much memory (very many topics over very many briefs).
fn related_by_counting(of: &[&[TermId]], topics: &[&[BriefId]]) -> Vec<Vec<BriefId>> {
    use rayon::prelude::*;
    let n = topics
        .iter()
        .flat_map(|t| t.iter())
        .map(|b| b.0 as usize + 1)
        .max()
        .unwrap_or(0);
    of.par_iter()
        .enumerate()
        .map_init(
            || (vec![0u16; n], Vec::new()),
            |(counts, touched), (i, ts)| {
                for t in *ts {
                    for other in topics[t.0 as usize] {
                        let o = other.0 as usize;
                        if o != i {
                            if counts[o] == 0 {
                                touched.push(other.0);
                            }
                            counts[o] = counts[o].saturating_add(1);
                        }
                    }
                }
                // Most shared topics first; then newest, i.e. the lowest id.
                let mut best: Vec<(u16, u32)> = Vec::with_capacity(RELATED + 1);
                for &o in touched.iter() {
                    let c = counts[o as usize];
                    counts[o as usize] = 0;
                    let better = |x: &(u16, u32)| c > x.0 || (c == x.0 && o < x.1);
                    if best.len() < RELATED || better(best.last().expect("non-empty")) {
                        let at = best.iter().position(better).unwrap_or(best.len());
                        best.insert(at, (c, o));
                        best.truncate(RELATED);
                    }
                }
                touched.clear();
                best.into_iter().map(|(_, id)| BriefId(id)).collect()
            },
        )
        .collect()
}

/// True for URLs and site-rooted paths, which are not bundle files.
fn is_external_or_rooted(p: &str) -> bool {
    p.starts_with('/') || p.contains("://")
}

/// The content-relative folder of a bundle's `index.md`, if `source` is one.
fn bundle_dir(source: &std::path::Path) -> Option<String> {
    if source.file_name()? != "index.md" {
        return None;
    }
    let rel = source.strip_prefix("content").ok()?;
    Some(rel.parent()?.to_string_lossy().replace('\\', "/"))
}

struct AuthorTable {
    authors: Vec<Author>,
    by_key: HashMap<String, usize>,
    spellings: HashMap<usize, String>,
    warned: std::collections::HashSet<(usize, String)>,
}

impl AuthorTable {
    fn new(profiles: Vec<AuthorDoc>) -> Self {
        let mut t = AuthorTable {
            authors: Vec::new(),
            by_key: HashMap::new(),
            spellings: HashMap::new(),
            warned: Default::default(),
        };
        for p in profiles {
            let idx = t.authors.len();
            t.by_key.insert(p.slug.clone(), idx);
            t.by_key.entry(slugify(&p.front.name)).or_insert(idx);
            t.spellings.insert(idx, p.front.name.clone());
            t.authors.push(Author {
                slug: p.slug.clone(),
                name: p.front.name.clone(),
                profile: Some(p),
                briefs: Vec::new(),
            });
        }
        t
    }

    fn resolve(
        &mut self,
        entry: &str,
        brief: BriefId,
        doc: &BriefDoc,
        diags: &mut Diagnostics,
    ) -> Option<AuthorId> {
        let source = &doc.source;
        let pos = doc.key_positions.get("authors").copied();
        let entry = entry.trim();
        let key = slugify(entry);
        if key.is_empty() {
            diags.push(
                Diagnostic::error(format!("author {entry:?} has no letters or digits"))
                    .in_file(source)
                    .at_opt(pos),
            );
            return None;
        }
        let idx = match self.by_key.get(entry).or_else(|| self.by_key.get(&key)) {
            Some(&i) => {
                let a = &self.authors[i];
                let first = &self.spellings[&i];
                if a.profile.is_none()
                    && first != entry
                    && self.warned.insert((i, entry.to_string()))
                {
                    diags.push(
                        Diagnostic::warning(format!(
                            "authors {first:?} and {entry:?} have the same slug `{key}` and share one page"
                        ))
                        .in_file(source).at_opt(pos),
                    );
                }
                i
            }
            None => {
                let i = self.authors.len();
                diags.push(
                    Diagnostic::warning(format!(
                        "author {entry:?} has no profile; their page shows only the name"
                    ))
                    .in_file(source)
                    .at_opt(pos)
                    .with_hint(format!(
                        "create content/authors/{key}.md with `name: {entry}` and a short bio"
                    )),
                );
                self.by_key.insert(key.clone(), i);
                self.spellings.insert(i, entry.to_string());
                self.authors.push(Author {
                    slug: key,
                    name: entry.to_string(),
                    profile: None,
                    briefs: Vec::new(),
                });
                i
            }
        };
        self.authors[idx].briefs.push(brief);
        Some(AuthorId(idx as u32))
    }

    /// Authors in discovery order (profiles first); listing pages sort by name.
    fn finish(self) -> Vec<Author> {
        self.authors
    }
}

struct TermTable {
    def: TaxonomyDef,
    terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    warned: std::collections::HashSet<(usize, String)>,
}

impl TermTable {
    fn new(def: TaxonomyDef, profiles: Vec<TermDoc>) -> Self {
        let mut t = TermTable {
            def,
            terms: Vec::new(),
            by_slug: HashMap::new(),
            warned: Default::default(),
        };
        for p in profiles {
            t.by_slug.insert(p.slug.clone(), t.terms.len());
            t.terms.push(Term {
                slug: p.slug.clone(),
                name: p.front.name.clone().unwrap_or_default(),
                profile: Some(p),
                briefs: Vec::new(),
            });
        }
        t
    }

    fn resolve(
        &mut self,
        name: &str,
        brief: BriefId,
        doc: &BriefDoc,
        diags: &mut Diagnostics,
    ) -> Option<TermId> {
        let source = &doc.source;
        let pos = doc.key_positions.get(self.def.name.as_str()).copied();
        let name = name.trim();
        let slug = slugify(name);
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(format!(
                    "{} {name:?} has no letters or digits",
                    self.def.singular.to_lowercase()
                ))
                .in_file(source)
                .at_opt(pos),
            );
            return None;
        }
        let idx = match self.by_slug.get(&slug) {
            Some(&i) => {
                let t = &mut self.terms[i];
                if t.name.is_empty() {
                    t.name = name.to_string();
                } else if t.name != name
                    && t.profile.as_ref().is_none_or(|p| p.front.name.is_none())
                    && self.warned.insert((i, name.to_string()))
                {
                    diags.push(
                        Diagnostic::warning(format!(
                            "{} {:?} and {name:?} have the same slug `{slug}` and share one page",
                            self.def.title.to_lowercase(),
                            t.name
                        ))
                        .in_file(source)
                        .at_opt(pos),
                    );
                }
                i
            }
            None => {
                let i = self.terms.len();
                self.by_slug.insert(slug.clone(), i);
                self.terms.push(Term {
                    slug,
                    name: name.to_string(),
                    profile: None,
                    briefs: Vec::new(),
                });
                i
            }
        };
        self.terms[idx].briefs.push(brief);
        Some(TermId(idx as u32))
    }

    fn finish(mut self) -> Taxonomy {
        for t in &mut self.terms {
            if t.name.is_empty() {
                t.name = t.slug.replace('-', " ");
            }
        }
        Taxonomy {
            def: self.def,
            terms: self.terms,
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn topics_of(of: &[Vec<TermId>], t: usize) -> Vec<Vec<BriefId>> {
        let mut topics = vec![Vec::new(); t];
        for (i, ts) in of.iter().enumerate() {
            for x in ts {
                topics[x.0 as usize].push(BriefId(i as u32));
            }
        }
        topics
    }

    proptest! {
        #[test]
        fn related_bitsets_agree_with_counting(
            of in prop::collection::vec(prop::collection::btree_set(0u32..8, 0..5), 0..200)
        ) {
            let of: Vec<Vec<TermId>> =
                of.into_iter().map(|s| s.into_iter().map(TermId).collect()).collect();
            let topics = topics_of(&of, 8);
            let of_refs: Vec<&[TermId]> = of.iter().map(Vec::as_slice).collect();
            let topic_refs: Vec<&[BriefId]> = topics.iter().map(Vec::as_slice).collect();
            prop_assert_eq!(
                related_by_bitsets(&of_refs, &topic_refs),
                related_by_counting(&of_refs, &topic_refs)
            );
        }
    }

    #[test]
    fn related_prefers_more_shared_topics_then_newer() {
        // 0: {a,b,c}; 1: {a}; 2: {a,b}; 3: {a,b,c}; 4: {c}; 5: {b}
        let of: Vec<Vec<TermId>> = [&[0, 1, 2][..], &[0], &[0, 1], &[0, 1, 2], &[2], &[1]]
            .iter()
            .map(|s| s.iter().map(|&t| TermId(t)).collect())
            .collect();
        let topics = topics_of(&of, 3);
        let of_refs: Vec<&[TermId]> = of.iter().map(Vec::as_slice).collect();
        let topic_refs: Vec<&[BriefId]> = topics.iter().map(Vec::as_slice).collect();
        let r = related_by_bitsets(&of_refs, &topic_refs);
        assert_eq!(r[0], vec![BriefId(3), BriefId(2), BriefId(1)]);
        assert_eq!(r[4], vec![BriefId(0), BriefId(3)]);
        assert_eq!(r[1], vec![BriefId(0), BriefId(2), BriefId(3)]);
    }
}
