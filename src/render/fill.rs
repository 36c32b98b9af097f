//! Filling the template contract: the functions that make `views.rs`'s structs from the
//! resolved `Site`. URLs come from `urls`, words in a language from `labels`.

use std::collections::BTreeMap;

use super::labels::direction;
use super::metadata::{self, BriefCitation, CitationView};
use super::views::*;
use crate::cite::Citations;
use crate::config::MenuItem;
use crate::site::{
    Author, AuthorId, Brief, BriefId, Collection, LanguageId, LanguageSection, PerBrief, Site,
    Taxonomy, TaxonomyId, Term, TermId,
};
use crate::urls;

/// Words per minute used for reading time.
const WORDS_PER_MINUTE: usize = 230;

/// A date as a language writes it ("5 March 2024", "5 mars 2024", "5 مارس 2024"): see
/// [`crate::i18n::format`].
pub fn display_date(z: &jiff::ZonedDateTime, lang: &str) -> String {
    crate::i18n::format::date(lang, i32::from(z.year()), z.month() as u8, z.day() as u8)
}

/// The main navigation: `[[menu]]` from site.toml, else briefs, experts and every taxonomy.
fn menu(site: &Site) -> Vec<MenuItem> {
    let c = &site.config;
    if !c.menu.is_empty() {
        return c
            .menu
            .iter()
            .map(|m| MenuItem {
                name: m.name.clone(),
                url: urls::site_link(site, &m.url),
            })
            .collect();
    }
    // The briefs always, other collections once they have items.
    let mut m: Vec<MenuItem> = site
        .collections
        .iter()
        .filter(|c| c.name == urls::BRIEFS_DIR || !c.items.is_empty())
        .map(|c| MenuItem {
            name: c.title.clone(),
            url: site.url(&c.path),
        })
        .collect();
    m.push(MenuItem {
        name: site
            .i18n
            .labels(&site.config.language)
            .get("experts")
            .to_string(),
        url: site.url(urls::AUTHORS),
    });
    for t in &site.taxonomies {
        m.push(MenuItem {
            name: t.def.title.clone(),
            url: site.url(&t.path),
        });
    }
    m
}

/// The `site` value.
pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        base_path: &c.base_path,
        language: &c.language,
        dir: direction(&c.language),
        chrome_language: &c.language,
        chrome_dir: direction(&c.language),
        translation_notice: None,
        languages: super::sections::language_links(site, None),
        home_url: site.url(""),
        search_url: site.url(urls::SEARCH),
        briefs_url: site.url(urls::BRIEFS),
        json_feed_url: site.url(urls::JSON_FEED),
        menu: menu(site),
        logo_url: c.metadata.logo.as_deref().map(|l| urls::site_link(site, l)),
        collections: site
            .collections
            .iter()
            .map(|col| collection_view(site, col, None))
            .collect(),
        types_url: (!site.types.is_empty()).then(|| site.url(urls::TYPES)),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| taxonomy_ref(site, t))
            .collect(),
        feed_url: site.url(urls::FEED),
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        counts: Counts {
            briefs: site.briefs.len(),
            in_language: site.briefs.len()
                - site.languages.iter().map(|l| l.briefs.len()).sum::<usize>(),
            collections: site
                .collections
                .iter()
                .filter(|c| !c.items.is_empty())
                .count(),
            authors: site.authors.len(),
        },
        extra: &c.extra,
        labels: site.i18n.labels(&c.language),
    }
}

/// A taxonomy in navigation and on its pages.
pub fn taxonomy_ref<'a>(site: &Site, t: &'a Taxonomy) -> TaxonomyRef<'a> {
    TaxonomyRef {
        name: &t.def.name,
        title: t.def.title.as_str().into(),
        singular: t.def.singular.as_str().into(),
        // Topics and regions are "topic" and "region" in every language (the theme marks them
        // so); a declared taxonomy is its singular, as site.toml writes it.
        filter: match t.def.built_in_keys() {
            Some((_, singular)) => singular.to_string(),
            None => t.def.singular.to_lowercase(),
        },
        url: site.url(&t.path),
    }
}

/// The terms of taxonomy `t` a brief is filed under, named in its language `lang`. A brief of
/// a language section links to the section's term pages, and its search facets (in that
/// language's index) are named in that language (issue 27).
fn term_links<'a>(
    site: &'a Site,
    (b, section): (&Brief, Option<&LanguageSection>),
    t: TaxonomyId,
    lang: &str,
) -> Vec<TermLink<'a>> {
    b.terms_of(t)
        .iter()
        .map(|id| term_link(site, section, (t, *id), lang))
        .collect()
}

/// A term as a brief in `lang` links to it, from `section` (the section's term page).
pub(super) fn term_link<'a>(
    site: &'a Site,
    section: Option<&LanguageSection>,
    (t, id): (TaxonomyId, TermId),
    lang: &str,
) -> TermLink<'a> {
    let facet_lang = section.map_or(site.config.language.as_str(), |s| s.language.as_str());
    let term = site.term(t, id);
    let path = match section {
        Some(s) => s.term_path(site, t, id),
        None => term.path.clone(),
    };
    TermLink {
        name: term.name_in(lang),
        url: site.url(&path),
        facet: term.name_in(facet_lang),
    }
}

/// A publication type's names (the slug as title for a type site.toml no longer declares).
pub fn type_view<'a>(site: &'a Site, name: &'a str) -> TypeView<'a> {
    let def = site.config.publication_type(name);
    TypeView {
        name,
        title: def.map_or(name, |t| t.title.as_str()).into(),
        plural: def.map_or(name, |t| t.plural.as_str()).into(),
        url: site.url(&urls::publication_type(name)),
    }
}

/// A publication type's names in `lang`: a built-in type site.toml does not name takes the
/// words of that language's translation file, so an Arabic brief on an English site says
/// "ورقة سياسات".
pub(super) fn type_view_in<'a>(site: &'a Site, name: &'a str, lang: &str) -> TypeView<'a> {
    let mut view = type_view(site, name);
    let built_in = site
        .config
        .publication_type(name)
        .is_some_and(|t| !t.named_by_site);
    if built_in && lang != site.config.language {
        let words = site.i18n.labels(lang);
        if let Some((title, plural)) = words.type_names(name) {
            view.title = title.to_string().into();
            view.plural = plural.to_string().into();
        }
    }
    view
}

/// An author in a byline or a term's list of people.
pub fn author_ref(site: &Site, id: AuthorId) -> AuthorRef<'_> {
    author_ref_in(site, id, None)
}

/// An author as a page of a language section names them: in the section's words (the profile's
/// edition in that language), linking to the section's page of the author.
pub fn author_ref_in(site: &Site, id: AuthorId, section: Option<LanguageId>) -> AuthorRef<'_> {
    let a = site.author(id);
    let w = a.words_in(section_language(site, section));
    let path = site.author_path_in(section, id);
    AuthorRef {
        name: w.name,
        url: site.url(&path),
        permalink: site.permalink(&path),
        role: w.role,
        affiliation: w.affiliation,
    }
}

/// The language of a section, or the site's.
pub fn section_language(site: &Site, section: Option<LanguageId>) -> &str {
    section.map_or(&site.config.language, |l| &site.language(l).language)
}

/// Date and time for people: "5 March 2026, 18:30".
pub fn display_date_time(z: &jiff::ZonedDateTime, lang: &str) -> String {
    format!("{}, {}", display_date(z, lang), z.strftime("%H:%M"))
}

/// An event's time and place.
pub fn event_view<'a>(site: &'a Site, b: &'a Brief) -> Option<EventView<'a>> {
    let e = b.doc.event.as_ref()?;
    let lang = b.doc.language.as_deref().unwrap_or(&site.config.language);
    let end_display = e.end.as_ref().map(|end| {
        if end.date() == e.start.date() {
            end.strftime("%H:%M").to_string()
        } else {
            display_date_time(end, lang)
        }
    });
    Some(EventView {
        start: e.start.timestamp().to_string(),
        start_display: display_date_time(&e.start, lang),
        end: e.end.as_ref().map(|z| z.timestamp().to_string()),
        end_display,
        timezone: &site.config.timezone_name,
        location: e.location.as_deref(),
        registration_url: e.registration_url.as_deref(),
        ics_url: site.url(&urls::event_ics(&b.path)),
        past: e.end.as_ref().unwrap_or(&e.start).timestamp() <= site.now,
    })
}

/// The listing card of a brief; its byline lists at most [`BYLINE_IN_LISTINGS`] authors
/// (`authors_more` counts the rest), so that listings grow with the briefs, not with briefs ×
/// authors (issue 22).
pub fn brief_card<'a>(site: &'a Site, b: &'a Brief) -> BriefCard<'a> {
    card_with_byline(site, b, BYLINE_IN_LISTINGS)
}

/// The most authors a listing card or feed entry names.
pub const BYLINE_IN_LISTINGS: usize = crate::site::BYLINE_IN_LISTINGS;

/// A brief's card naming at most `byline` authors.
fn card_with_byline<'a>(site: &'a Site, b: &'a Brief, byline: usize) -> BriefCard<'a> {
    let lang = b.doc.language.as_deref().unwrap_or(&site.config.language);
    let in_section = site.section_of(b);
    let section = in_section.map(|(_, s)| s);
    let mut card = card_without_parts(site, b);
    for (t, tax) in site.taxonomies_with_ids() {
        let links = term_links(site, (b, section), t, lang);
        if !links.is_empty() {
            card.terms.insert(tax.def.name.as_str(), links);
        }
    }
    card.topics = card.terms.get("topics").cloned().unwrap_or_default();
    card.regions = card.terms.get("regions").cloned().unwrap_or_default();
    card.authors = b
        .authors
        .iter()
        .take(byline)
        .map(|id| author_ref_in(site, *id, in_section.map(|(l, _)| l)))
        .collect();
    card.authors_more = b.authors.len().saturating_sub(byline);
    card
}

/// A brief's card without the parts many cards share, which [`super::cards`] fills with shared
/// values: `authors`, `topics`, `regions` and `terms` are empty, `authors_more` 0.
pub(super) fn card_without_parts<'a>(site: &'a Site, b: &'a Brief) -> BriefCard<'a> {
    let d = &b.doc;
    let lang = d.language.as_deref().unwrap_or(&site.config.language);
    let words = site.i18n.labels(lang);
    let reading_time = d.body.words.div_ceil(WORDS_PER_MINUTE).max(1);
    BriefCard {
        title: &d.title,
        subtitle: d.subtitle.as_deref(),
        dek: d.dek.as_deref(),
        kind: type_view_in(site, &d.kind, lang),
        summary: &b.summary,
        url: site.url(&b.path),
        permalink: site.permalink(&b.path),
        date: d.date.date().to_string(),
        datetime: d.date.timestamp().to_string(),
        date_display: display_date(&d.date, lang),
        updated: d.updated.as_ref().map(|u| u.date().to_string()),
        updated_display: d.updated.as_ref().map(|u| display_date(u, lang)),
        authors: Vec::new(),
        authors_more: 0,
        topics: Vec::new(),
        regions: Vec::new(),
        terms: BTreeMap::new(),
        image: urls::hero(site, b),
        image_alt: d.image_alt.as_deref(),
        image_set: super::images::hero(site, b),
        words: d.body.words,
        reading_time,
        reading_label: words.count("min_read", reading_time as u64),
        words_label: words.count("words", d.body.words as u64),
        language: lang,
        dir: direction(lang),
        draft: d.draft,
        scheduled: b.scheduled,
        collection: &d.collection,
        featured: b.featured,
        event: event_view(site, b),
    }
}

/// The preview banner of something not published: a draft, or dated after `now`.
/// In the site's language (`draft_banner`, `scheduled_banner`).
pub fn status(site: &Site, draft: bool, date: Option<&jiff::ZonedDateTime>) -> Option<StatusView> {
    let lang = &site.config.language;
    let words = site.i18n.labels(lang);
    if draft {
        return Some(StatusView {
            kind: "draft",
            label: words.get("draft_banner").to_string(),
        });
    }
    let date = date.filter(|d| d.timestamp() > site.now)?;
    let day = display_date(date, lang);
    let time = date.strftime("%H:%M").to_string();
    Some(StatusView {
        kind: "scheduled",
        label: words.fill(
            "scheduled_banner",
            &[
                ("date", &day),
                ("time", &time),
                ("zone", &site.config.timezone_name),
            ],
        ),
    })
}

/// "About the author": in a language section, in the section's words where the profile has an
/// edition in that language.
fn author_boxes<'a>(site: &'a Site, b: &Brief) -> Vec<AuthorBox<'a>> {
    let section = site.section_of(b).map(|(l, _)| l);
    let lang = section_language(site, section);
    b.authors
        .iter()
        .map(|id| {
            let a = site.author(*id);
            let p = a.profile.as_ref();
            let w = a.words_in(lang);
            let bio_language = w.bio_language.unwrap_or(&site.config.language);
            AuthorBox {
                name: w.name,
                url: site.url(&site.author_path_in(section, *id)),
                role: w.role,
                affiliation: w.affiliation,
                affiliation_url: p.and_then(|p| p.front.affiliation_url.as_deref()),
                orcid: p.and_then(|p| p.orcid.as_ref()).map(|o| o.url()),
                photo: urls::photo(site, a),
                photo_set: super::images::photo(site, a),
                bio: w.bio.map_or("", |r| r.html.as_str()),
                bio_language,
                bio_dir: direction(bio_language),
                has_profile: p.is_some(),
            }
        })
        .collect()
}

fn series_nav<'a>(site: &'a Site, b: &'a Brief, id: BriefId) -> Option<SeriesView<'a>> {
    let (_, series) = site.series_of(b)?;
    let ids = &series.items;
    let at = ids.iter().position(|s| *s == id);
    let link = |i: usize| {
        ids.get(i).map(|o| {
            let o = site.brief(*o);
            Link {
                name: &o.doc.title,
                url: site.url(&o.path),
            }
        })
    };
    Some(SeriesView {
        name: &series.name,
        url: site.url(&series.path),
        previous: at.and_then(|p| p.checked_sub(1)).and_then(link),
        next: at.and_then(|p| link(p + 1)),
        items: ids
            .iter()
            .map(|sid| {
                let o = site.brief(*sid);
                SeriesItem {
                    name: &o.doc.title,
                    url: site.url(&o.path),
                    current: *sid == id,
                }
            })
            .collect(),
        position: at.map_or(0, |p| p + 1),
        total: ids.len(),
    })
}

fn citation_view<'a>(
    site: &Site,
    b: &Brief,
    c: &'a BriefCitation,
    styles: &'a Citations,
) -> CitationView<'a> {
    CitationView {
        apa: &styles.apa,
        chicago: &styles.chicago,
        mla: &styles.mla,
        language: styles.language,
        dir: super::labels::direction(styles.language),
        bibtex: &c.bibtex,
        bib_url: site.url(&urls::cite_bib(&b.path)),
        ris_url: site.url(&urls::cite_ris(&b.path)),
    }
}

/// The `page` of a brief page.
pub fn brief_view<'a>(
    site: &'a Site,
    id: BriefId,
    citation: Option<(&'a BriefCitation, &'a Citations)>,
    cards: &PerBrief<tera::Value>,
) -> BriefView<'a> {
    let b = site.brief(id);
    let lang = b.doc.language.as_deref().unwrap_or(&site.config.language);
    let link = |o: Option<BriefId>| {
        o.map(|o| {
            let o = site.brief(o);
            Link {
                name: &o.doc.title,
                url: site.url(&o.path),
            }
        })
    };
    BriefView {
        card: card_with_byline(site, b, usize::MAX),
        content: b.body_html(),
        toc: &b.doc.body.toc,
        footnotes: b.doc.body.footnotes,
        image_caption: b.doc.image_caption.as_deref(),
        image_credit: b.doc.image_credit.as_deref(),
        image_credit_url: b.doc.image_credit_url.as_deref(),
        series: b.doc.series.as_deref(),
        author_profiles: author_boxes(site, b),
        newer: link(site.newer(id)),
        older: link(site.older(id)),
        extra: &b.doc.extra,
        source: b.doc.source.to_string_lossy().replace('\\', "/"),
        doi: b.doc.doi.as_deref(),
        doi_url: b.doc.doi.as_ref().map(|d| format!("https://doi.org/{d}")),
        pdf_url: metadata::pdf_url(site, b),
        publisher_series: b.doc.publisher_series.as_deref(),
        corrections: b
            .doc
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: c.date.date().to_string(),
                date_display: display_date(&c.date, lang),
                note: &c.note,
            })
            .collect(),
        citation: citation.map(|(c, styles)| citation_view(site, b, c, styles)),
        scholar: metadata::scholar_view(site, b),
        license: metadata::licence(site, b),
        modified: b.last_modified().timestamp().to_string(),
        labels: site.i18n.labels(lang),
        editions: super::editions::editions(site, b),
        related: b
            .related
            .iter()
            .filter_map(|r| cards.get(*r).cloned())
            .collect(),
        series_nav: series_nav(site, b, id),
        status: status(site, b.doc.draft, Some(&b.doc.date)),
    }
}

/// An author's view.
pub fn author_view<'a>(site: &'a Site, a: &'a Author) -> AuthorView<'a> {
    author_view_in(site, a, None)
}

/// An author's view in a language section: the profile's words in that language, the
/// section's page and the number of their briefs in that language; `None` is the main site.
pub fn author_view_in<'a>(
    site: &'a Site,
    a: &'a Author,
    section: Option<(LanguageId, AuthorId)>,
) -> AuthorView<'a> {
    let p = a.profile.as_ref();
    let lang = section_language(site, section.map(|(l, _)| l));
    let w = a.words_in(lang);
    let (path, count) = match section {
        Some((l, id)) => (
            site.author_path_in(Some(l), id),
            site.language(l).author_briefs(id).map_or(0, <[_]>::len),
        ),
        None => (a.path.as_str().into(), a.briefs.len()),
    };
    let bio_language = w.bio_language.unwrap_or(&site.config.language);
    AuthorView {
        slug: &a.slug,
        name: w.name,
        url: site.url(&path),
        permalink: site.permalink(&path),
        feed_url: site.url(&urls::feed(&a.path)),
        role: w.role,
        affiliation: w.affiliation,
        affiliation_url: p.and_then(|p| p.front.affiliation_url.as_deref()),
        orcid: p.and_then(|p| p.orcid.as_ref()).map(|o| o.url()),
        photo: urls::photo(site, a),
        photo_set: super::images::photo(site, a),
        email: p.and_then(|p| p.front.email.as_deref()),
        links: p
            .map(|p| {
                p.front
                    .links
                    .iter()
                    .map(|(k, v)| Link {
                        name: k,
                        url: v.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        bio: w.bio.map_or("", |r| r.html.as_str()),
        bio_language,
        bio_dir: direction(bio_language),
        count,
        has_profile: p.is_some(),
        extra: p.map(|p| &p.front.extra),
    }
}

/// A term's view.
pub fn term_view<'a>(site: &'a Site, tax: &'a Taxonomy, t: &'a Term) -> TermView<'a> {
    TermView {
        slug: &t.slug,
        name: t.name_in(&site.config.language),
        url: site.url(&t.path),
        permalink: site.permalink(&t.path),
        feed_url: tax.def.feed.then(|| site.url(&urls::feed(&t.path))),
        description: t
            .profile
            .as_ref()
            .map_or("", |p| p.description.html.as_str()),
        count: t.briefs.len(),
        ancestors: {
            let mut up = Vec::new();
            let mut cur = t.parent;
            while let Some(p) = cur {
                let pt = tax.term(p);
                up.push(Link {
                    name: pt.name_in(&site.config.language),
                    url: site.url(&pt.path),
                });
                cur = pt.parent;
            }
            up.reverse();
            up
        },
        children: t
            .children
            .iter()
            .map(|c| {
                let ct = tax.term(*c);
                Link {
                    name: ct.name_in(&site.config.language),
                    url: site.url(&ct.path),
                }
            })
            .collect(),
        directors: t.directors.iter().map(|a| author_ref(site, *a)).collect(),
        experts: t.experts.iter().map(|a| author_ref(site, *a)).collect(),
    }
}

/// A collection's names, feeds and year archives; `current_year` marks the archive shown.
pub fn collection_view<'a>(
    site: &'a Site,
    c: &'a Collection,
    current_year: Option<i16>,
) -> CollectionView<'a> {
    CollectionView {
        name: &c.name,
        title: &c.title,
        url: site.url(&c.path),
        feed_url: site.url(&urls::feed(&c.path)),
        json_feed_url: site.url(&urls::json_feed(&c.path)),
        calendar_url: c.has_events.then(|| site.url(&urls::calendar_ics(&c.path))),
        years: c
            .years
            .iter()
            .map(|y| ListEntry {
                name: y.year.to_string(),
                url: site.url(&y.path),
                count: y.items.len(),
                current: Some(y.year) == current_year,
            })
            .collect(),
    }
}
