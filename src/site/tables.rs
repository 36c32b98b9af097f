//! The author and term registries `assemble` fills while it reads bylines and front matter
//! terms: one entry per slug, profiles first, with a warning when two spellings share a slug.

use std::collections::HashMap;

use super::{Author, AuthorId, BriefId, Taxonomy, Term, TermId};
use crate::config::TaxonomyDef;
use crate::content::{AuthorDoc, AuthorEdition, BriefDoc, TermDoc};
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::slugify;

/// Give each profile its editions in other languages (`<slug>.ar.md`). An edition without a
/// profile, or in the site's own language, is an error naming its file.
pub(super) fn attach_editions(
    profiles: &mut [AuthorDoc],
    editions: Vec<AuthorEdition>,
    site_language: &str,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let primary = |l: &str| l.split('-').next().unwrap_or("").to_ascii_lowercase();
    for e in editions {
        let problem = if primary(&e.language) == primary(site_language) {
            Some((
                format!("`{}` is in the site's language", e.language),
                format!("write it in content/authors/{}.md", e.slug),
            ))
        } else if let Some(p) = profiles.iter_mut().find(|p| p.slug == e.slug) {
            p.editions.push(e);
            continue;
        } else {
            Some((
                format!("an edition of the profile content/authors/{}.md, which does not exist", e.slug),
                "write the profile in the site's language first; this file adds its name, role, affiliation and bio in another language".to_string(),
            ))
        };
        if let Some((message, hint)) = problem {
            diags.push(
                Diagnostic::error(message)
                    .in_file(&e.source)
                    .with_hint(hint),
            );
        }
    }
    for p in profiles.iter_mut() {
        p.editions.sort_by(|a, b| a.language.cmp(&b.language));
    }
    diags
}

/// Authors by slug and by display name, filled from profiles and then from bylines.
pub(super) struct AuthorTable {
    authors: Vec<Author>,
    by_key: HashMap<String, usize>,
    spellings: HashMap<usize, String>,
    warned: std::collections::HashSet<(usize, String)>,
}

impl AuthorTable {
    pub(super) fn new(profiles: Vec<AuthorDoc>) -> Self {
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
                path: crate::urls::author(&p.slug),
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
                    path: crate::urls::author(&key),
                    slug: key,
                    name: entry.to_string(),
                    profile: None,
                    briefs: Vec::new(),
                });
                i
            }
        };
        Some(AuthorId(idx as u32))
    }

    /// A brief's byline as author ids, in order, each author once.
    pub(super) fn resolve_all(
        &mut self,
        brief: BriefId,
        doc: &BriefDoc,
        diags: &mut Diagnostics,
    ) -> Vec<AuthorId> {
        let mut ids = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for name in &doc.authors {
            if let Some(a) = self.resolve(name, doc, diags)
                && seen.insert(a)
            {
                // Each brief once on an author's page, however often the byline names them.
                self.authors[a.0 as usize].briefs.push(brief);
                ids.push(a);
            }
        }
        ids
    }

    /// Authors in discovery order (profiles first); listing pages sort by name.
    pub(super) fn finish(self) -> Vec<Author> {
        self.authors
    }
}

/// One taxonomy's terms by slug, filled from profiles and then from front matter.
pub(super) struct TermTable {
    def: TaxonomyDef,
    terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    warned: std::collections::HashSet<(usize, String)>,
}

impl TermTable {
    pub(super) fn new(def: TaxonomyDef, profiles: Vec<TermDoc>) -> Self {
        let mut t = TermTable {
            def,
            terms: Vec::new(),
            by_slug: HashMap::new(),
            warned: Default::default(),
        };
        for p in profiles {
            t.by_slug.insert(p.slug.clone(), t.terms.len());
            // `[Energy Programme]` in front matter finds the profile `energy.md` named so.
            if let Some(name) = &p.front.name {
                t.by_slug.entry(slugify(name)).or_insert(t.terms.len());
            }
            t.terms.push(Term {
                slug: p.slug.clone(),
                path: crate::urls::term(&t.def.name, &p.slug),
                name: p.front.name.clone().unwrap_or_default(),
                profile: Some(p),
                briefs: Vec::new(),
                parent: None,
                children: Vec::new(),
                directors: Vec::new(),
                experts: Vec::new(),
            });
        }
        t
    }

    fn resolve(&mut self, name: &str, doc: &BriefDoc, diags: &mut Diagnostics) -> Option<TermId> {
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
                    path: crate::urls::term(&self.def.name, &slug),
                    slug,
                    name: name.to_string(),
                    profile: None,
                    briefs: Vec::new(),
                    parent: None,
                    children: Vec::new(),
                    directors: Vec::new(),
                    experts: Vec::new(),
                });
                i
            }
        };
        Some(TermId(idx as u32))
    }

    /// A brief's terms of this taxonomy as ids, in order, each term once.
    pub(super) fn resolve_all(
        &mut self,
        brief: BriefId,
        doc: &BriefDoc,
        diags: &mut Diagnostics,
    ) -> Vec<TermId> {
        let mut ids = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let names = doc
            .terms
            .get(&self.def.name)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for name in names {
            // `[Energy, energy]` is one term: the brief is listed once on its page.
            if let Some(t) = self.resolve(name, doc, diags)
                && seen.insert(t)
            {
                self.terms[t.0 as usize].briefs.push(brief);
                ids.push(t);
            }
        }
        ids
    }

    pub(super) fn finish(mut self) -> Taxonomy {
        for t in &mut self.terms {
            if t.name.is_empty() {
                t.name = t.slug.replace('-', " ");
            }
        }
        Taxonomy {
            path: crate::urls::taxonomy(&self.def.name),
            def: self.def,
            terms: self.terms,
        }
    }
}
