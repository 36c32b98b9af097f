//! The pages of language sections (issue 27): a section's front page (`/ar/`, every brief in
//! that language, newest first), its term pages (`/ar/topics/water/`, named in the language)
//! and its search page (`/ar/search/`, whose `<html lang>` makes Pagefind query that
//! language's index only); the `site` value such pages and the section's briefs are rendered
//! with, and the language switcher every page carries. Which briefs a section holds is
//! decided in `site/languages.rs`.
//!
//! A section's chrome is in its language when the theme's translation files cover every key;
//! otherwise the site's language stands in, marked with its own `lang`, and the page says so
//! (`site.translation_notice`) rather than mixing two languages word by word.

use tera::Value;

use super::fill::{author_view_in, site_view, taxonomy_ref, term_view};
use super::labels::direction;
use super::pages::{Page, PageCtx};
use super::views::{LanguageLink, Link, SiteView, TaxonomyRef, TermView};
use crate::config::MenuItem;
use crate::site::{AuthorId, LanguageId, LanguageSection, Site, TaxonomyId, TermId};
use crate::urls;

/// A language's name in itself, else its tag.
fn autonym(site: &Site, lang: &str) -> String {
    site.i18n.autonym(lang).unwrap_or_else(|| lang.to_string())
}

/// The site's languages for a switcher: its own, then each section's; `current` marks the
/// section shown (None: the site's language).
pub fn language_links(site: &Site, current: Option<LanguageId>) -> Vec<LanguageLink> {
    let own = &site.config.language;
    let mut out = vec![LanguageLink {
        language: own.clone(),
        name: autonym(site, own),
        dir: direction(own),
        url: site.url(""),
        current: current.is_none(),
    }];
    out.extend(site.languages_with_ids().map(|(id, l)| LanguageLink {
        name: autonym(site, &l.language),
        dir: direction(&l.language),
        url: site.url(&l.path),
        current: current == Some(id),
        language: l.language.clone(),
    }));
    out
}

/// The language a section's chrome is written in: its own when the theme translates every
/// key into it, else the site's.
pub fn chrome_language<'a>(site: &'a Site, l: &'a LanguageSection) -> &'a str {
    if site.i18n.missing(&l.language).is_empty() {
        &l.language
    } else {
        &site.config.language
    }
}

/// The title of a section's front page and feeds: "Publications in العربية".
pub fn section_title(site: &Site, l: &LanguageSection) -> String {
    let labels = site.i18n.labels(chrome_language(site, l));
    labels.fill("section_home", &[("language", &autonym(site, &l.language))])
}

/// The title of a section's feeds: "المنشورات باللغة العربية — Site".
pub fn feed_title(site: &Site, l: &LanguageSection) -> String {
    format!("{} — {}", section_title(site, l), site.config.title)
}

/// The `site` value of a section's pages and of its briefs' pages.
pub fn section_site_view<'a>(site: &'a Site, id: LanguageId) -> SiteView<'a> {
    let l = site.language(id);
    let chrome = chrome_language(site, l);
    let labels = site.i18n.labels(chrome);
    let mut v = site_view(site);
    v.language = &l.language;
    v.dir = direction(&l.language);
    v.chrome_language = chrome;
    v.chrome_dir = direction(chrome);
    v.translation_notice = (chrome != l.language).then(|| {
        labels.fill(
            "translation_notice",
            &[
                ("language", &autonym(site, &l.language)),
                ("site_language", &autonym(site, &site.config.language)),
            ],
        )
    });
    v.languages = language_links(site, Some(id));
    v.home_url = site.url(&l.path);
    v.search_url = site.url(&urls::in_section(&l.path, urls::SEARCH));
    v.briefs_url = v.home_url.clone();
    v.feed_url = site.url(&urls::feed(&l.path));
    v.json_feed_url = site.url(&urls::json_feed(&l.path));
    v.counts.in_language = l.briefs.len();
    v.menu = vec![
        MenuItem {
            name: labels.get("briefs").to_string(),
            url: v.home_url.clone(),
        },
        MenuItem {
            name: labels.get("experts").to_string(),
            url: site.url(&l.authors_path()),
        },
    ];
    v.taxonomies = site
        .taxonomies_with_ids()
        .map(|(t, _)| section_taxonomy_ref(site, id, t))
        .collect();
    v.labels = labels;
    v
}

/// A taxonomy as a section names it: its title in the section's chrome words (built-in
/// taxonomies), linking to the section's list of its terms when the section has any.
fn section_taxonomy_ref(site: &Site, id: LanguageId, t: TaxonomyId) -> TaxonomyRef<'_> {
    let l = site.language(id);
    let tax = site.taxonomy(t);
    let labels = site.i18n.labels(chrome_language(site, l));
    let mut r: TaxonomyRef = taxonomy_ref(site, tax);
    if let Some((title, singular)) = tax.def.built_in_keys().filter(|_| !tax.def.named_by_site) {
        r.title = labels.get(title).to_string().into();
        r.singular = labels.get(singular).to_string().into();
    }
    if l.terms
        .get(t.0 as usize)
        .is_some_and(|terms| !terms.is_empty())
    {
        r.url = site.url(&l.taxonomy_path(site, t));
    }
    r
}

/// Every section's `site` value, by [`LanguageId`].
pub fn section_values(site: &Site) -> Vec<Value> {
    site.languages_with_ids()
        .map(|(id, _)| Value::from_serializable(&section_site_view(site, id)))
        .collect()
}

/// A term as a section shows it: named in the section's language, linking to the section's
/// pages, counting the section's briefs; its description (written in the site's language) and
/// feed are the main site's page's.
fn section_term_view<'a>(
    site: &'a Site,
    l: &'a LanguageSection,
    t: TaxonomyId,
    id: TermId,
) -> TermView<'a> {
    let tax = site.taxonomy(t);
    let term = tax.term(id);
    let path = l.term_path(site, t, id);
    let link = |other: TermId| -> Option<Link<'a>> {
        l.term_briefs(t, other)?;
        Some(Link {
            name: tax.term(other).name_in(&l.language),
            url: site.url(&l.term_path(site, t, other)),
        })
    };
    let mut v = term_view(site, tax, term);
    v.name = term.name_in(&l.language);
    v.url = site.url(&path);
    v.permalink = site.permalink(&path);
    v.feed_url = None;
    v.description = "";
    v.count = l.term_briefs(t, id).map_or(0, <[_]>::len);
    let mut up = Vec::new();
    let mut cur = term.parent;
    while let Some(p) = cur {
        up.extend(link(p));
        cur = tax.term(p).parent;
    }
    up.reverse();
    v.ancestors = up;
    v.children = term.children.iter().filter_map(|c| link(*c)).collect();
    v
}

impl PageCtx<'_> {
    /// A section's `site` value.
    fn language_value(&self, l: LanguageId) -> Value {
        self.section_values[l.0 as usize].clone()
    }

    /// A section's front page: every brief in its language, newest first (`index.html` with
    /// `paginator`, no `home` rows).
    pub(super) fn language_home(&self, path: &str, id: LanguageId, n: usize) -> Page {
        let site = self.site;
        let l = site.language(id);
        let title = section_title(site, l);
        let mut meta = self.meta(Some(&title), path, "", Some(&l.language));
        meta.feed_url = site.url(&urls::feed(&l.path));
        let mut ctx = self.context_with(self.language_value(id), "home", meta);
        ctx.insert("paginator", &self.paginator_of(&l.briefs, &l.path, n));
        ctx.insert_value("section", Value::none());
        ctx.insert("title", &title);
        Page {
            template: "index.html".into(),
            context: ctx,
        }
    }

    /// A term's page in a section: `term.html` (or the taxonomy's own) with the section's briefs.
    pub(super) fn language_term(
        &self,
        path: &str,
        id: LanguageId,
        (t, term): (TaxonomyId, TermId),
        n: usize,
    ) -> Page {
        let site = self.site;
        let l = site.language(id);
        let tax = site.taxonomy(t);
        let view = section_term_view(site, l, t, term);
        let mut meta = self.meta(Some(view.name), path, "", Some(&l.language));
        meta.feed_url = site.url(&urls::feed(&l.path));
        let mut ctx = self.context_with(self.language_value(id), "term", meta);
        let ids = l.term_briefs(t, term).unwrap_or(&[]);
        let base = l.term_path(site, t, term);
        ctx.insert("paginator", &self.paginator_of(ids, &base, n));
        ctx.insert("taxonomy", &section_taxonomy_ref(site, id, t));
        ctx.insert("term", &view);
        Page {
            template: self.pick(&format!("{}/term.html", tax.def.name), "term.html"),
            context: ctx,
        }
    }

    /// A taxonomy's list in a section (`/ar/topics/`): the terms with briefs in its language,
    /// named and ordered in that language (`taxonomy.html`, or the taxonomy's `list.html`).
    pub(super) fn language_taxonomy(&self, path: &str, id: LanguageId, t: TaxonomyId) -> Page {
        let site = self.site;
        let l = site.language(id);
        let tax = site.taxonomy(t);
        let mut views: Vec<TermView> = l.terms[t.0 as usize]
            .iter()
            .map(|(term, _)| section_term_view(site, l, t, *term))
            .collect();
        crate::i18n::format::sort_by_name(&l.language, &mut views, |v| v.name);
        let r = section_taxonomy_ref(site, id, t);
        let title = r.title.to_string();
        let meta = self.meta(Some(&title), path, "", Some(&l.language));
        let mut ctx = self.context_with(self.language_value(id), "taxonomy", meta);
        ctx.insert("taxonomy", &r);
        ctx.insert("terms", &views);
        ctx.insert("title", &title);
        ctx.insert_value("section", Value::none());
        Page {
            template: self.pick(&format!("{}/list.html", tax.def.name), "taxonomy.html"),
            context: ctx,
        }
    }

    /// A section's list of authors (`/ar/authors/`): those with briefs in its language, in
    /// their profiles' words in that language, ordered in it.
    pub(super) fn language_authors(&self, path: &str, id: LanguageId) -> Page {
        let site = self.site;
        let l = site.language(id);
        let mut views: Vec<_> = l
            .authors
            .iter()
            .map(|(a, _)| author_view_in(site, site.author(*a), Some((id, *a))))
            .collect();
        crate::i18n::format::sort_by_name(&l.language, &mut views, |v| v.name);
        let labels = site.i18n.labels(chrome_language(site, l));
        let title = labels.get("experts").to_string();
        let meta = self.meta(Some(&title), path, "", Some(&l.language));
        let mut ctx = self.context_with(self.language_value(id), "authors", meta);
        ctx.insert("authors", &views);
        ctx.insert("title", &title);
        ctx.insert_value("section", Value::none());
        Page {
            template: "authors.html".into(),
            context: ctx,
        }
    }

    /// An author's page in a section (`/ar/authors/<slug>/`): their briefs in its language,
    /// with the profile's edition in that language where there is one (`author.html`).
    pub(super) fn language_author(
        &self,
        path: &str,
        id: LanguageId,
        a: AuthorId,
        n: usize,
    ) -> Page {
        let site = self.site;
        let l = site.language(id);
        let author = site.author(a);
        let view = author_view_in(site, author, Some((id, a)));
        let words = author.words_in(&l.language);
        let desc = words.bio.map_or("", |b| b.first_paragraph.as_str());
        let mut meta = self.meta(Some(view.name), path, desc, Some(&l.language));
        meta.feed_url = site.url(&urls::feed(&l.path));
        meta.og_type = "profile";
        let mut ctx = self.context_with(self.language_value(id), "author", meta);
        let ids = l.author_briefs(a).unwrap_or(&[]);
        ctx.insert(
            "paginator",
            &self.paginator_of(ids, &l.author_path(site, a), n),
        );
        ctx.insert("author", &view);
        Page {
            template: "author.html".into(),
            context: ctx,
        }
    }

    /// A section's search page: `search.html` in the section's language.
    pub(super) fn language_search(&self, path: &str, id: LanguageId) -> Page {
        let l = self.site.language(id);
        let labels = self.site.i18n.labels(chrome_language(self.site, l));
        let meta = self.meta(Some(labels.get("search")), path, "", Some(&l.language));
        Page {
            template: "search.html".into(),
            context: self.context_with(self.language_value(id), "search", meta),
        }
    }
}
