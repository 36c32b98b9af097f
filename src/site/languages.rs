//! Language sections (issue 27): the briefs of each language other than the site's, gathered
//! for that language's own front page, term pages, feeds and search page. Which language a
//! brief belongs to, and where sections live, is [`crate::config::Languages`]'s to say; this
//! module only groups briefs that are already placed (their pages are under the section's path
//! since assembly).

use std::collections::BTreeMap;

use super::{AuthorId, BriefId, Site, TaxonomyId, TermId};

/// One language's section: `/ar/`.
#[derive(Debug, Clone)]
pub struct LanguageSection {
    /// The language tag in lower case ("ar", "pt-br"): also the section's folder name.
    pub language: String,
    /// URL path of its front page ("ar/", or "intl/ar/").
    pub path: String,
    /// Its briefs (items of every collection), newest first.
    pub briefs: Vec<BriefId>,
    /// Per taxonomy (indexed like `Site::taxonomies`): the terms that have briefs in this
    /// language, each with those briefs (its own and those of the terms below it), newest
    /// first, in term order.
    pub terms: Vec<Vec<(TermId, Vec<BriefId>)>>,
    /// The authors of its briefs, by id, each with their briefs in this language, newest
    /// first.
    pub authors: Vec<(AuthorId, Vec<BriefId>)>,
}

impl LanguageSection {
    /// The briefs of a term in this language, if it has any.
    pub fn term_briefs(&self, t: TaxonomyId, id: TermId) -> Option<&[BriefId]> {
        let terms = self.terms.get(t.0 as usize)?;
        let i = terms.binary_search_by_key(&id, |(tid, _)| *tid).ok()?;
        Some(&terms[i].1)
    }

    /// The path of a term's page in this section: "ar/topics/water/".
    pub fn term_path(&self, site: &Site, t: TaxonomyId, id: TermId) -> String {
        crate::urls::in_section(&self.path, &site.term(t, id).path)
    }

    /// The path of a taxonomy's list of terms in this section: "ar/topics/".
    pub fn taxonomy_path(&self, site: &Site, t: TaxonomyId) -> String {
        crate::urls::in_section(&self.path, &site.taxonomy(t).path)
    }

    /// The briefs of an author in this language, if they have any.
    pub fn author_briefs(&self, a: AuthorId) -> Option<&[BriefId]> {
        let i = self.authors.binary_search_by_key(&a, |(id, _)| *id).ok()?;
        Some(&self.authors[i].1)
    }

    /// The path of an author's page in this section: "ar/authors/tariq-al-hashimi/".
    pub fn author_path(&self, site: &Site, a: AuthorId) -> String {
        crate::urls::in_section(&self.path, &site.author(a).path)
    }

    /// The path of its list of authors: "ar/authors/".
    pub fn authors_path(&self) -> String {
        crate::urls::in_section(&self.path, crate::urls::AUTHORS)
    }
}

/// Every language section of the site, by language tag.
pub fn sections(site: &Site) -> Vec<LanguageSection> {
    let mut by_lang: BTreeMap<String, Vec<BriefId>> = BTreeMap::new();
    for (id, b) in site.briefs_with_ids() {
        if let Some(l) = site.config.section_of(b.doc.language.as_deref()) {
            by_lang.entry(l).or_default().push(id);
        }
    }
    by_lang
        .into_iter()
        .map(|(language, briefs)| {
            let terms = site
                .taxonomies
                .iter()
                .map(|tax| {
                    tax.terms_with_ids()
                        .filter_map(|(tid, term)| {
                            let mine: Vec<BriefId> = term
                                .briefs
                                .iter()
                                .copied()
                                .filter(|id| briefs.binary_search(id).is_ok())
                                .collect();
                            (!mine.is_empty()).then_some((tid, mine))
                        })
                        .collect()
                })
                .collect();
            let mut authors: BTreeMap<AuthorId, Vec<BriefId>> = BTreeMap::new();
            for id in &briefs {
                for a in &site.brief(*id).authors {
                    authors.entry(*a).or_default().push(*id);
                }
            }
            LanguageSection {
                path: site.config.languages.section_path(&language),
                language,
                briefs,
                terms,
                authors: authors.into_iter().collect(),
            }
        })
        .collect()
}
