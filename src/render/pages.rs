//! One small function per page kind: each builds the typed views its template reads (the
//! contract in `views.rs`) and returns the template's name with the context. [`PageCtx`]
//! holds what every page shares: the site, its templates, the serialised `site` value and
//! every brief's card and citation files (a brief's page formats its APA, Chicago and MLA
//! citations itself, and drops them with the page).

use tera::{Context, Value};

use super::fill::*;
use super::labels::{direction, og_locale};
use super::metadata::{self, BriefCitation};
use super::plan::{Job, Planned, page_count, page_window};
use super::templates::Templates;
use super::views::*;
use crate::diag::Diagnostic;
use crate::site::{AuthorId, BriefId, PageId, PerBrief, Site, TaxonomyId, TermId};
use crate::urls;

/// A page ready for its template.
pub(super) struct Page {
    pub template: String,
    pub context: Context,
}

/// What every page's rendering shares.
pub(super) struct PageCtx<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub site_value: Value,
    /// Each language section's `site` value, by `LanguageId` (issue 27).
    pub section_values: &'a [Value],
    pub cards: &'a PerBrief<Value>,
    pub citations: &'a PerBrief<Option<BriefCitation>>,
    /// The theme's words in the site's language, for titles made here.
    pub words: std::sync::Arc<crate::i18n::Labels>,
}

impl PageCtx<'_> {
    /// Render one planned page to HTML.
    pub fn render(&self, p: &Planned) -> Result<String, Diagnostic> {
        let path = p.path.as_str();
        let page = match p.job {
            Job::Home(n) => self.home(path, n),
            Job::Collection(c, n) => self.collection(path, c, n),
            Job::Year(c, y, n) => self.year(path, c, y, n),
            Job::Types => self.types(path),
            Job::Type(t, n) => self.publication_type(path, t, n),
            Job::SeriesIndex => self.series_index(path),
            Job::Series(s, n) => self.series(path, s, n),
            Job::Brief(id) => self.brief(path, id),
            Job::Page(id) => self.page(path, id),
            Job::Authors => self.authors(path),
            Job::Author(id, n) => self.author(path, id, n),
            Job::Taxonomy(t) => self.taxonomy(path, t),
            Job::Term(t, id, n) => self.term(path, t, id, n),
            Job::Search => self.simple(path, "search", self.words.get("search"), "search.html"),
            Job::NotFound => self.simple(path, "404", self.words.get("not_found"), "404.html"),
            Job::LanguageHome(l, n) => self.language_home(path, l, n),
            Job::LanguageTerm(l, t, id, n) => self.language_term(path, l, (t, id), n),
            Job::LanguageSearch(l) => self.language_search(path, l),
            Job::LanguageTaxonomy(l, t) => self.language_taxonomy(path, l, t),
            Job::LanguageAuthors(l) => self.language_authors(path, l),
            Job::LanguageAuthor(l, a, n) => self.language_author(path, l, a, n),
        };
        self.templates
            .tera
            .render(&page.template, &page.context)
            .map_err(|e| self.templates.diagnostic(&e, Some(&p.origin.to_string())))
    }

    pub(super) fn base_context(&self, kind: &str, meta: MetaView<'_>) -> Context {
        self.context_with(self.site_value.clone(), kind, meta)
    }

    /// A page's context with `site` set to `site_value` (the site's, or a language section's).
    pub(super) fn context_with(
        &self,
        site_value: Value,
        kind: &str,
        meta: MetaView<'_>,
    ) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value);
        ctx.insert("kind", kind);
        ctx.insert("meta", &meta);
        ctx
    }

    pub(super) fn meta<'s>(
        &'s self,
        title: Option<&str>,
        path: &str,
        description: &'s str,
        lang: Option<&'s str>,
    ) -> MetaView<'s> {
        let c = &self.site.config;
        let lang = lang.unwrap_or(&c.language);
        MetaView {
            title: match title {
                Some(t) => format!("{t} | {}", c.title),
                None => c.title.clone(),
            },
            description: if description.is_empty() {
                &c.description
            } else {
                description
            },
            canonical: self.site.permalink(path),
            lang,
            dir: direction(lang),
            feed_url: self.site.url(urls::FEED),
            image: None,
            image_width: None,
            image_height: None,
            image_alt: None,
            noindex: path.contains("page/") || path == urls::NOT_FOUND,
            og_type: "website",
            og_locale: og_locale(lang),
            og_locale_alternates: Vec::new(),
            alternates: Vec::new(),
            twitter: c.metadata.twitter.as_deref(),
        }
    }

    /// Page `n` of a listing of `total` briefs whose page holds `ids`.
    pub(super) fn paginator(
        &self,
        total: usize,
        ids: Vec<BriefId>,
        base: &str,
        n: usize,
    ) -> PaginatorView {
        let total_pages = page_count(total, self.site.config.paginate);
        let url = |k: usize| self.site.url(&urls::paged(base, k));
        PaginatorView {
            items: ids.into_iter().map(|id| self.cards[id].clone()).collect(),
            number: n,
            total_pages,
            total_items: total,
            previous_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total_pages).then(|| url(n + 1)),
            first_url: url(1),
            last_url: url(total_pages),
            pages: page_window(n, total_pages)
                .into_iter()
                .scan(0, |prev, k| {
                    let gap_before = *prev != 0 && k > *prev + 1;
                    *prev = k;
                    Some(PageLink {
                        number: k,
                        url: url(k),
                        current: k == n,
                        gap_before,
                    })
                })
                .collect(),
        }
    }

    /// Page `n` of a listing of `ids`.
    pub(super) fn paginator_of(&self, ids: &[BriefId], base: &str, n: usize) -> PaginatorView {
        let per = self.site.config.paginate;
        let page = ids.iter().skip((n - 1) * per).take(per).copied().collect();
        self.paginator(ids.len(), page, base, n)
    }

    /// Page `n` of the listing of every brief.
    pub(super) fn paginator_all(&self, base: &str, n: usize) -> PaginatorView {
        let per = self.site.config.paginate;
        let page = self.site.brief_range((n - 1) * per, per);
        self.paginator(self.site.briefs.len(), page, base, n)
    }

    pub(super) fn section_value(&self, dir: &str) -> Value {
        match self.site.sections.get(dir) {
            Some(s) => Value::from_serializable(&SectionView {
                title: s.front.title.as_deref(),
                description: s.front.description.as_deref(),
                content: &s.body.html,
                extra: &s.front.extra,
            }),
            None => Value::none(),
        }
    }

    /// A section's title (or `default`) and description, from its `_index.md`.
    pub(super) fn section_text<'s>(&'s self, dir: &str, default: &'s str) -> (&'s str, &'s str) {
        let s = self.site.sections.get(dir);
        let title = s.and_then(|s| s.front.title.as_deref()).unwrap_or(default);
        let desc = s.and_then(|s| s.front.description.as_deref()).unwrap_or("");
        (title, desc)
    }

    fn home(&self, path: &str, n: usize) -> Page {
        let (_, desc) = self.section_text("", "");
        let mut ctx = self.base_context("home", self.meta(None, path, desc, None));
        if n == 1 {
            let ld = metadata::home_json_ld(self.site);
            ctx.insert_value("json_ld", Value::safe_string(&ld));
        }
        ctx.insert("paginator", &self.paginator_all("", n));
        ctx.insert_value("section", self.section_value(""));
        if n == 1 {
            ctx.insert("home", &super::home::home_view(self.site, self.cards));
        }
        Page {
            template: "index.html".into(),
            context: ctx,
        }
    }

    fn brief(&self, path: &str, id: BriefId) -> Page {
        let site = self.site;
        let b = site.brief(id);
        let citation = self.citations.get(id).and_then(Option::as_ref);
        let styles = citation.map(|_| metadata::brief_styles(site, b));
        let view = brief_view(site, id, citation.zip(styles.as_ref()), self.cards);
        let lang = Some(view.card.language);
        let mut meta = self.meta(Some(&b.doc.title), path, &b.summary, lang);
        match super::images::share_image(site, b) {
            Some(share) => {
                meta.image = Some(urls::absolute(site, &site.url(&share.path)));
                meta.image_width = Some(share.width);
                meta.image_height = Some(share.height);
                meta.image_alt = Some(match view.card.image_set {
                    Some(_) => b.doc.image_alt.as_deref().unwrap_or(&b.doc.title),
                    None => &b.doc.title,
                });
            }
            // Without processing, the hero as it is, unless no network would show it.
            None => {
                meta.image = view
                    .card
                    .image
                    .as_deref()
                    .filter(|u| !u.to_ascii_lowercase().ends_with(".svg"))
                    .map(|u| urls::absolute(site, u));
                meta.image_alt = b.doc.image_alt.as_deref();
            }
        }
        meta.og_type = "article";
        meta.noindex = view.status.is_some();
        meta.alternates = super::editions::alternates(site, id);
        meta.og_locale_alternates = super::editions::og_locale_alternates(site, b);
        let site_value = match site.section_of(b) {
            Some((l, section)) => {
                meta.feed_url = site.url(&urls::feed(&section.path));
                self.section_values[l.0 as usize].clone()
            }
            None => self.site_value.clone(),
        };
        let mut ctx = self.context_with(site_value, "brief", meta);
        let ld = metadata::brief_json_ld(site, b);
        ctx.insert_value("json_ld", Value::safe_string(&ld));
        ctx.insert("page", &view);
        Page {
            template: match &b.doc.template {
                Some(t) => t.clone(),
                None => self.pick(&format!("{}.html", b.doc.collection), "brief.html"),
            },
            context: ctx,
        }
    }

    fn page(&self, path: &str, id: PageId) -> Page {
        let site = self.site;
        let pg = site.page(id);
        let lang = pg.language.as_deref().unwrap_or(&site.config.language);
        let view = PageView {
            title: &pg.title,
            subtitle: pg.subtitle.as_deref(),
            summary: pg.summary.as_deref(),
            url: site.url(&pg.path),
            permalink: site.permalink(&pg.path),
            date: pg.date.as_ref().map(|d| d.date().to_string()),
            content: &pg.body.html,
            toc: &pg.body.toc,
            language: lang,
            dir: direction(lang),
            extra: &pg.extra,
            status: status(site, pg.draft, pg.date.as_ref()),
        };
        let desc = pg.summary.as_deref().unwrap_or(&pg.body.first_paragraph);
        let mut meta = self.meta(Some(&pg.title), path, desc, Some(lang));
        meta.noindex = view.status.is_some();
        let mut ctx = self.base_context("page", meta);
        ctx.insert("page", &view);
        Page {
            template: pg.template.clone().unwrap_or_else(|| "page.html".into()),
            context: ctx,
        }
    }

    fn authors(&self, path: &str) -> Page {
        let site = self.site;
        let mut list: Vec<_> = site.authors.iter().collect();
        list.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut views: Vec<AuthorView> = list.into_iter().map(|a| author_view(site, a)).collect();
        crate::i18n::format::sort_by_name(&site.config.language, &mut views, |v| v.name);
        let (title, desc) = self.section_text("authors", self.words.get("experts"));
        let mut ctx = self.base_context("authors", self.meta(Some(title), path, desc, None));
        ctx.insert("authors", &views);
        ctx.insert("title", title);
        ctx.insert_value("section", self.section_value("authors"));
        Page {
            template: "authors.html".into(),
            context: ctx,
        }
    }

    fn author(&self, path: &str, id: AuthorId, n: usize) -> Page {
        let site = self.site;
        let a = site.author(id);
        let view = author_view(site, a);
        let desc = a
            .profile
            .as_ref()
            .map_or("", |p| p.bio.first_paragraph.as_str());
        let mut meta = self.meta(Some(&a.name), path, desc, None);
        meta.feed_url = view.feed_url.clone();
        match super::images::portrait(site, a) {
            Some(share) => {
                meta.image = Some(urls::absolute(site, &site.url(&share.path)));
                meta.image_width = Some(share.width);
                meta.image_height = Some(share.height);
            }
            None => {
                meta.image = view
                    .photo
                    .as_deref()
                    .filter(|u| !u.to_ascii_lowercase().ends_with(".svg"))
                    .map(|u| urls::absolute(site, u));
            }
        }
        meta.image_alt = meta.image.is_some().then_some(a.name.as_str());
        meta.og_type = "profile";
        let mut ctx = self.base_context("author", meta);
        if n == 1 {
            let ld = metadata::author_json_ld(site, a);
            ctx.insert_value("json_ld", Value::safe_string(&ld));
        }
        ctx.insert("paginator", &self.paginator_of(&a.briefs, &a.path, n));
        ctx.insert("author", &view);
        Page {
            template: "author.html".into(),
            context: ctx,
        }
    }

    fn taxonomy(&self, path: &str, t: TaxonomyId) -> Page {
        let site = self.site;
        let tax = site.taxonomy(t);
        let mut terms: Vec<_> = tax.terms.iter().collect();
        terms.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut views: Vec<TermView> = terms.into_iter().map(|x| term_view(site, tax, x)).collect();
        crate::i18n::format::sort_by_name(&site.config.language, &mut views, |v| v.name);
        let (title, desc) = self.section_text(&tax.def.name, &tax.def.title);
        let mut ctx = self.base_context("taxonomy", self.meta(Some(title), path, desc, None));
        ctx.insert("taxonomy", &taxonomy_ref(site, tax));
        ctx.insert("terms", &views);
        ctx.insert("title", title);
        ctx.insert_value("section", self.section_value(&tax.def.name));
        Page {
            template: self.pick(&format!("{}/list.html", tax.def.name), "taxonomy.html"),
            context: ctx,
        }
    }

    fn term(&self, path: &str, t: TaxonomyId, id: TermId, n: usize) -> Page {
        let site = self.site;
        let tax = site.taxonomy(t);
        let term = tax.term(id);
        let view = term_view(site, tax, term);
        let desc = term
            .profile
            .as_ref()
            .map_or("", |p| p.description.first_paragraph.as_str());
        let mut meta = self.meta(Some(&term.name), path, desc, None);
        if let Some(f) = &view.feed_url {
            meta.feed_url = f.clone();
        }
        let mut ctx = self.base_context("term", meta);
        ctx.insert("paginator", &self.paginator_of(&term.briefs, &term.path, n));
        ctx.insert("taxonomy", &taxonomy_ref(site, tax));
        ctx.insert("term", &view);
        Page {
            template: self.pick(&format!("{}/term.html", tax.def.name), "term.html"),
            context: ctx,
        }
    }

    /// A page with no data of its own: the search page, the 404 page.
    fn simple(&self, path: &str, kind: &str, title: &str, template: &str) -> Page {
        let context = self.base_context(kind, self.meta(Some(title), path, "", None));
        Page {
            template: template.into(),
            context,
        }
    }

    pub(super) fn pick(&self, specific: &str, general: &str) -> String {
        if self.templates.has(specific) {
            specific.to_string()
        } else {
            general.to_string()
        }
    }
}

/// Sort names case- and accent-insensitively ("Émile" with the E's).
pub(super) fn sort_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
}
