//! The template contract: every value a template can read, as documented, borrowed view
//! structs (the README's "Template context" section mirrors this file).
//!
//! Views are built from the resolved `Site`; a brief's listing card is serialised once and
//! shared (an `Arc` inside `tera::Value`) by every listing page that shows it, so that no work
//! grows with briefs × listings (issue 2, "Speed").

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::MenuItem;
use crate::markdown::Heading;
use crate::site::{Author, Brief, BriefId, Site, Term};

/// Words per minute used for reading time.
const WORDS_PER_MINUTE: usize = 230;

/// Right-to-left scripts' languages (primary subtag).
const RTL: &[&str] = &["ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "ckb", "dv"];

/// "rtl" for Arabic, Persian, Hebrew, Urdu…, else "ltr".
pub fn direction(lang: &str) -> &'static str {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if RTL.contains(&primary.as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

/// `site`: available in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// Absolute base URL ending in "/".
    pub base_url: &'a str,
    /// Path prefix of every internal link ("/" or "/research/"): `{{ site.base_path }}style.css`.
    pub base_path: &'a str,
    /// Site language.
    pub language: &'a str,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// Main navigation.
    pub menu: Vec<MenuItem>,
    /// Every taxonomy (topics, regions, …) with its list URL.
    pub taxonomies: Vec<TaxonomyRef<'a>>,
    /// URL of the site-wide Atom feed.
    pub feed_url: String,
    /// "dossier X.Y.Z".
    pub generator: String,
    /// Numbers for footers and home pages.
    pub counts: Counts,
    /// `[extra]` from site.toml.
    pub extra: &'a BTreeMap<String, serde_json::Value>,
}

/// How many of each thing the site has.
#[derive(Serialize)]
pub struct Counts {
    /// Published briefs.
    pub briefs: usize,
    /// Authors.
    pub authors: usize,
}

/// A taxonomy in navigation.
#[derive(Serialize)]
pub struct TaxonomyRef<'a> {
    /// "topics"
    pub name: &'a str,
    /// "Topics"
    pub title: &'a str,
    /// "Topic"
    pub singular: &'a str,
    /// URL of the list page.
    pub url: String,
}

/// A named link.
#[derive(Serialize, Clone)]
pub struct Link<'a> {
    /// Text.
    pub name: &'a str,
    /// URL (with base path).
    pub url: String,
}

/// An author in a byline.
#[derive(Serialize)]
pub struct AuthorRef<'a> {
    /// Display name.
    pub name: &'a str,
    /// Author page URL.
    pub url: String,
    /// Role from the profile.
    pub role: Option<&'a str>,
    /// Affiliation from the profile.
    pub affiliation: Option<&'a str>,
}

/// A brief as shown in listings (`paginator.items`, `page.related`…).
#[derive(Serialize)]
pub struct BriefCard<'a> {
    /// Title.
    pub title: &'a str,
    /// Subtitle (dek).
    pub subtitle: Option<&'a str>,
    /// Summary: front matter `summary`, else the first paragraph, shortened.
    pub summary: &'a str,
    /// Page URL (with base path).
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Publication date, "YYYY-MM-DD".
    pub date: String,
    /// Publication date as RFC 3339.
    pub datetime: String,
    /// Human date, "5 March 2024".
    pub date_display: String,
    /// Update date, "YYYY-MM-DD", when set.
    pub updated: Option<String>,
    /// Human update date.
    pub updated_display: Option<String>,
    /// Byline.
    pub authors: Vec<AuthorRef<'a>>,
    /// Topics.
    pub topics: Vec<Link<'a>>,
    /// Regions.
    pub regions: Vec<Link<'a>>,
    /// Terms of every taxonomy, by taxonomy name (includes topics and regions).
    pub terms: BTreeMap<&'a str, Vec<Link<'a>>>,
    /// Hero image URL.
    pub image: Option<String>,
    /// Hero image alt text.
    pub image_alt: Option<&'a str>,
    /// Words in the body.
    pub words: usize,
    /// Minutes to read, at least 1.
    pub reading_time: usize,
    /// Language of the brief.
    pub language: &'a str,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// True when this is a draft (only with --drafts).
    pub draft: bool,
}

/// An author's profile in the brief's "About the author(s)" box.
#[derive(Serialize)]
pub struct AuthorBox<'a> {
    /// Display name.
    pub name: &'a str,
    /// Author page URL.
    pub url: String,
    /// Role.
    pub role: Option<&'a str>,
    /// Affiliation.
    pub affiliation: Option<&'a str>,
    /// Photo URL.
    pub photo: Option<String>,
    /// Bio as HTML (print with `| safe`).
    pub bio: &'a str,
    /// False when the author has no profile file.
    pub has_profile: bool,
}

/// `page` on a brief page: every `BriefCard` field plus these.
#[derive(Serialize)]
pub struct BriefView<'a> {
    /// The card fields.
    #[serde(flatten)]
    pub card: BriefCard<'a>,
    /// Body HTML (print with `| safe`).
    pub content: &'a str,
    /// Headings of the body.
    pub toc: &'a [Heading],
    /// Number of endnotes.
    pub footnotes: usize,
    /// Hero image caption.
    pub image_caption: Option<&'a str>,
    /// Hero image credit.
    pub image_credit: Option<&'a str>,
    /// Series name.
    pub series: Option<&'a str>,
    /// Profiles of the authors, in byline order.
    pub author_profiles: Vec<AuthorBox<'a>>,
    /// The next newer brief.
    pub newer: Option<Link<'a>>,
    /// The next older brief.
    pub older: Option<Link<'a>>,
    /// Free-form front matter `extra`.
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// Source file, relative to the site root.
    pub source: String,
    /// DOI ("10.1234/abc").
    pub doi: Option<&'a str>,
    /// "https://doi.org/…".
    pub doi_url: Option<String>,
    /// URL of the attached PDF ("Download PDF").
    pub pdf_url: Option<String>,
    /// Series and number, e.g. "Policy Notes 152".
    pub publisher_series: Option<&'a str>,
    /// Corrections log, oldest first: `date`, `date_display`, `note`.
    pub corrections: Vec<CorrectionView<'a>>,
    /// "Cite this brief" (none when `[metadata] citations = false`).
    pub citation: Option<super::metadata::CitationView<'a>>,
    /// Highwire Press values for Google Scholar.
    pub scholar: super::metadata::ScholarView,
    /// RFC 3339 time of the last modification (updates and corrections included).
    pub modified: String,
    /// Up to three related briefs (`BriefCard`s): most shared topics, newest first on ties.
    pub related: Vec<tera::Value>,
    /// When `series` is set: `name`, `items` (`name`, `url`, `current`) oldest first,
    /// `position` (from 1) and `total`.
    pub series_nav: Option<SeriesView<'a>>,
    /// Theme words in the brief's language.
    pub labels: Labels,
}

/// Words the theme prints around a brief, in the brief's language (`page.labels`).
#[derive(Serialize, Clone, Copy)]
pub struct Labels {
    /// "By"
    pub by: &'static str,
    /// "and" between the last two authors.
    pub and: &'static str,
    /// "Updated"
    pub updated: &'static str,
    /// "min read"
    pub min_read: &'static str,
    /// "words"
    pub words: &'static str,
    /// "Contents"
    pub contents: &'static str,
    /// "Topics"
    pub topics: &'static str,
    /// "Regions"
    pub regions: &'static str,
    /// "About the author"
    pub about_author: &'static str,
    /// "About the authors"
    pub about_authors: &'static str,
    /// "Related briefs"
    pub related: &'static str,
    /// "Part of the series"
    pub series: &'static str,
    /// "Corrections and updates"
    pub corrections: &'static str,
    /// "Download PDF"
    pub download_pdf: &'static str,
    /// "Newer"
    pub newer: &'static str,
    /// "Older"
    pub older: &'static str,
    /// "Permalink"
    pub permalink: &'static str,
}

/// The labels for a language (English unless a translation exists).
pub fn labels(lang: &str) -> Labels {
    match lang.split(['-', '_']).next().unwrap_or("") {
        "ar" => Labels {
            by: "بقلم",
            and: "و",
            updated: "حُدّث في",
            min_read: "دقائق قراءة",
            words: "كلمة",
            contents: "المحتويات",
            topics: "المواضيع",
            regions: "المناطق",
            about_author: "عن الكاتب",
            about_authors: "عن الكتّاب",
            related: "أوراق ذات صلة",
            series: "ضمن سلسلة",
            corrections: "تصويبات وتحديثات",
            download_pdf: "تنزيل PDF",
            newer: "الأحدث",
            older: "الأقدم",
            permalink: "الرابط الدائم",
        },
        "fr" => Labels {
            by: "Par",
            and: "et",
            updated: "Mis à jour le",
            min_read: "min de lecture",
            words: "mots",
            contents: "Sommaire",
            topics: "Thèmes",
            regions: "Régions",
            about_author: "À propos de l’auteur",
            about_authors: "À propos des auteurs",
            related: "À lire aussi",
            series: "Série",
            corrections: "Corrections et mises à jour",
            download_pdf: "Télécharger le PDF",
            newer: "Plus récent",
            older: "Plus ancien",
            permalink: "Lien permanent",
        },
        _ => Labels {
            by: "By",
            and: "and",
            updated: "Updated",
            min_read: "min read",
            words: "words",
            contents: "Contents",
            topics: "Topics",
            regions: "Regions",
            about_author: "About the author",
            about_authors: "About the authors",
            related: "Related briefs",
            series: "Part of the series",
            corrections: "Corrections and updates",
            download_pdf: "Download PDF",
            newer: "Newer",
            older: "Older",
            permalink: "Permalink",
        },
    }
}

/// Series navigation of a brief.
#[derive(Serialize)]
pub struct SeriesView<'a> {
    /// Series name.
    pub name: &'a str,
    /// Every brief of the series, oldest first.
    pub items: Vec<SeriesItem<'a>>,
    /// This brief's place, from 1.
    pub position: usize,
    /// Briefs in the series.
    pub total: usize,
}

/// One brief in a series.
#[derive(Serialize)]
pub struct SeriesItem<'a> {
    /// Title.
    pub name: &'a str,
    /// URL.
    pub url: String,
    /// True for the brief being shown.
    pub current: bool,
}

/// One entry of a brief's corrections log.
#[derive(Serialize)]
pub struct CorrectionView<'a> {
    /// "YYYY-MM-DD".
    pub date: String,
    /// "5 March 2024".
    pub date_display: String,
    /// What was corrected.
    pub note: &'a str,
}

/// `page` on a standalone page.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Subtitle.
    pub subtitle: Option<&'a str>,
    /// Summary.
    pub summary: Option<&'a str>,
    /// URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Date, "YYYY-MM-DD", when set.
    pub date: Option<String>,
    /// Body HTML.
    pub content: &'a str,
    /// Headings.
    pub toc: &'a [Heading],
    /// Language.
    pub language: &'a str,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// Free-form values.
    pub extra: &'a BTreeMap<String, serde_json::Value>,
}

/// `author` on an author page; also the items of `authors` on the authors list.
#[derive(Serialize)]
pub struct AuthorView<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Page URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Their Atom feed.
    pub feed_url: String,
    /// Role.
    pub role: Option<&'a str>,
    /// Affiliation.
    pub affiliation: Option<&'a str>,
    /// Photo URL.
    pub photo: Option<String>,
    /// E-mail.
    pub email: Option<&'a str>,
    /// Named links, sorted by name.
    pub links: Vec<Link<'a>>,
    /// Bio HTML (print with `| safe`); empty without a profile.
    pub bio: &'a str,
    /// Published briefs.
    pub count: usize,
    /// False when there is no profile file.
    pub has_profile: bool,
    /// Free-form values.
    pub extra: Option<&'a BTreeMap<String, serde_json::Value>>,
}

/// `term` on a term page; also the items of `terms` on a taxonomy list.
#[derive(Serialize)]
pub struct TermView<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Page URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Atom feed URL, when the taxonomy has feeds.
    pub feed_url: Option<String>,
    /// Description HTML from `content/<taxonomy>/<slug>.md` (print with `| safe`).
    pub description: &'a str,
    /// Published briefs.
    pub count: usize,
}

/// `paginator` on listing pages.
#[derive(Serialize)]
pub struct PaginatorView {
    /// The briefs on this page (`BriefCard`s).
    pub items: Vec<Value>,
    /// This page's number, from 1.
    pub number: usize,
    /// Number of pages.
    pub total_pages: usize,
    /// Number of briefs over all pages.
    pub total_items: usize,
    /// URL of the previous page.
    pub previous_url: Option<String>,
    /// URL of the next page.
    pub next_url: Option<String>,
    /// URL of page 1.
    pub first_url: String,
    /// URL of the last page.
    pub last_url: String,
    /// Pages for numbered navigation: the first, the last, and the two on either side of this
    /// one (at most 7, in order, so a listing of 1,000 pages does not list 1,000 links on each).
    pub pages: Vec<PageLink>,
}

/// One entry of `paginator.pages`.
#[derive(Serialize)]
pub struct PageLink {
    /// Page number.
    pub number: usize,
    /// URL.
    pub url: String,
    /// True for the current page.
    pub current: bool,
    /// True when pages are left out between the previous entry and this one (show "…").
    pub gap_before: bool,
}

/// `meta`: what the `<head>` needs on every page.
#[derive(Serialize)]
pub struct MetaView<'a> {
    /// Content of `<title>`.
    pub title: String,
    /// Meta description.
    pub description: &'a str,
    /// Absolute canonical URL.
    pub canonical: String,
    /// `lang` of the page.
    pub lang: &'a str,
    /// `dir` of the page.
    pub dir: &'static str,
    /// A feed for this page (author/term feeds), else the site feed.
    pub feed_url: String,
    /// Absolute image URL for social cards, when there is one.
    pub image: Option<String>,
    /// True on pages that should not be indexed (404, page 2+ of listings).
    pub noindex: bool,
    /// Open Graph type: "article" on briefs, "profile" on authors, else "website".
    pub og_type: &'static str,
    /// Open Graph locale, e.g. "en_GB" from "en-GB".
    pub og_locale: String,
    /// `[metadata] twitter` handle.
    pub twitter: Option<&'a str>,
}

/// Resolve an image or file reference: absolute URLs stay, "/x" is inside the site, anything
/// else is relative to `page_path`.
pub fn resolve_url(site: &Site, page_path: &str, href: &str) -> String {
    if href.contains("://") || href.starts_with("data:") || href.starts_with("//") {
        href.to_string()
    } else if let Some(rest) = href.strip_prefix('/') {
        site.url(rest)
    } else {
        site.url(&format!("{page_path}{}", href.trim_start_matches("./")))
    }
}

/// Make an absolute URL from a site URL built by `resolve_url`.
pub fn absolute(site: &Site, url: &str) -> String {
    if url.contains("://") {
        return url.to_string();
    }
    let origin_end = site.config.base_url.len() - site.config.base_path.len();
    format!("{}{}", &site.config.base_url[..origin_end], url)
}

/// Human date in English: "5 March 2024".
pub fn display_date(z: &jiff::ZonedDateTime) -> String {
    z.strftime("%-d %B %Y").to_string()
}

/// The `site` value.
pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    let menu = if c.menu.is_empty() {
        let mut m = vec![MenuItem {
            name: "Briefs".into(),
            url: site.url("briefs/"),
        }];
        m.push(MenuItem {
            name: "Experts".into(),
            url: site.url("authors/"),
        });
        for t in &site.taxonomies {
            m.push(MenuItem {
                name: t.def.title.clone(),
                url: site.url(&format!("{}/", t.def.name)),
            });
        }
        m
    } else {
        c.menu
            .iter()
            .map(|m| MenuItem {
                name: m.name.clone(),
                url: if m.url.contains("://") {
                    m.url.clone()
                } else {
                    site.url(m.url.trim_start_matches('/'))
                },
            })
            .collect()
    };
    SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        base_path: &c.base_path,
        language: &c.language,
        dir: direction(&c.language),
        menu,
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| TaxonomyRef {
                name: &t.def.name,
                title: &t.def.title,
                singular: &t.def.singular,
                url: site.url(&format!("{}/", t.def.name)),
            })
            .collect(),
        feed_url: site.url("feed.xml"),
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        counts: Counts {
            briefs: site.briefs.len(),
            authors: site.authors.len(),
        },
        extra: &c.extra,
    }
}

fn term_links<'a>(site: &'a Site, tax: usize, ids: &[crate::site::TermId]) -> Vec<Link<'a>> {
    let t = &site.taxonomies[tax];
    ids.iter()
        .map(|id| {
            let term = &t.terms[id.0 as usize];
            Link {
                name: &term.name,
                url: site.url(&format!("{}/{}/", t.def.name, term.slug)),
            }
        })
        .collect()
}

/// The listing card of a brief.
pub fn brief_card<'a>(site: &'a Site, b: &'a Brief) -> BriefCard<'a> {
    let d = &b.doc;
    let lang = d.language.as_deref().unwrap_or(&site.config.language);
    let mut terms = BTreeMap::new();
    for (i, t) in site.taxonomies.iter().enumerate() {
        terms.insert(t.def.name.as_str(), term_links(site, i, &b.terms[i]));
    }
    let topics = terms.get("topics").cloned().unwrap_or_default();
    let regions = terms.get("regions").cloned().unwrap_or_default();
    BriefCard {
        title: &d.title,
        subtitle: d.subtitle.as_deref(),
        summary: &b.summary,
        url: site.url(&b.path),
        permalink: site.permalink(&b.path),
        date: d.date.date().to_string(),
        datetime: d.date.timestamp().to_string(),
        date_display: display_date(&d.date),
        updated: d.updated.as_ref().map(|u| u.date().to_string()),
        updated_display: d.updated.as_ref().map(display_date),
        authors: b
            .authors
            .iter()
            .map(|id| {
                let a = &site.authors[id.0 as usize];
                let p = a.profile.as_ref().map(|p| &p.front);
                AuthorRef {
                    name: &a.name,
                    url: site.url(&format!("authors/{}/", a.slug)),
                    role: p.and_then(|p| p.role.as_deref()),
                    affiliation: p.and_then(|p| p.affiliation.as_deref()),
                }
            })
            .collect(),
        topics,
        regions,
        terms,
        image: d.image.as_deref().map(|i| resolve_url(site, &b.path, i)),
        image_alt: d.image_alt.as_deref(),
        words: d.body.words,
        reading_time: d.body.words.div_ceil(WORDS_PER_MINUTE).max(1),
        language: lang,
        dir: direction(lang),
        draft: d.draft,
    }
}

/// Author photo URL: relative paths are relative to the site root.
pub fn photo_url(site: &Site, a: &Author) -> Option<String> {
    let p = a.profile.as_ref()?.front.photo.as_deref()?;
    Some(resolve_url(site, "", p.trim_start_matches('/')))
}

/// The `page` of a brief page.
pub fn brief_view<'a>(
    site: &'a Site,
    id: BriefId,
    citation: Option<&'a super::metadata::BriefCitation>,
    cards: &[tera::Value],
) -> BriefView<'a> {
    let b = &site.briefs[id.0 as usize];
    let link = |i: usize| {
        site.briefs.get(i).map(|o| Link {
            name: &o.doc.title,
            url: site.url(&o.path),
        })
    };
    let i = id.0 as usize;
    BriefView {
        card: brief_card(site, b),
        content: &b.doc.body.html,
        toc: &b.doc.body.toc,
        footnotes: b.doc.body.footnotes,
        image_caption: b.doc.image_caption.as_deref(),
        image_credit: b.doc.image_credit.as_deref(),
        series: b.doc.series.as_deref(),
        author_profiles: b
            .authors
            .iter()
            .map(|aid| {
                let a = &site.authors[aid.0 as usize];
                let p = a.profile.as_ref();
                AuthorBox {
                    name: &a.name,
                    url: site.url(&format!("authors/{}/", a.slug)),
                    role: p.and_then(|p| p.front.role.as_deref()),
                    affiliation: p.and_then(|p| p.front.affiliation.as_deref()),
                    photo: photo_url(site, a),
                    bio: p.map_or("", |p| p.bio.html.as_str()),
                    has_profile: p.is_some(),
                }
            })
            .collect(),
        newer: if i > 0 { link(i - 1) } else { None },
        older: link(i + 1),
        extra: &b.doc.extra,
        source: b.doc.source.to_string_lossy().replace('\\', "/"),
        doi: b.doc.doi.as_deref(),
        doi_url: b.doc.doi.as_ref().map(|d| format!("https://doi.org/{d}")),
        pdf_url: super::metadata::pdf_url(site, b),
        publisher_series: b.doc.publisher_series.as_deref(),
        corrections: b
            .doc
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: c.date.date().to_string(),
                date_display: display_date(&c.date),
                note: &c.note,
            })
            .collect(),
        citation: citation.map(|c| super::metadata::CitationView {
            apa: &c.styles.apa,
            chicago: &c.styles.chicago,
            mla: &c.styles.mla,
            bibtex: &c.bibtex,
            bib_url: site.url(&format!("{}cite.bib", b.path)),
            ris_url: site.url(&format!("{}cite.ris", b.path)),
        }),
        scholar: super::metadata::scholar_view(site, b),
        modified: b.last_modified().timestamp().to_string(),
        labels: labels(b.doc.language.as_deref().unwrap_or(&site.config.language)),
        related: b
            .related
            .iter()
            .filter_map(|r| cards.get(r.0 as usize).cloned())
            .collect(),
        series_nav: b.doc.series.as_deref().and_then(|name| {
            let ids = site.series.get(name)?;
            Some(SeriesView {
                name,
                items: ids
                    .iter()
                    .map(|sid| {
                        let o = &site.briefs[sid.0 as usize];
                        SeriesItem {
                            name: &o.doc.title,
                            url: site.url(&o.path),
                            current: *sid == id,
                        }
                    })
                    .collect(),
                position: ids.iter().position(|s| *s == id).map_or(0, |p| p + 1),
                total: ids.len(),
            })
        }),
    }
}

/// An author's view.
pub fn author_view<'a>(site: &'a Site, a: &'a Author) -> AuthorView<'a> {
    let p = a.profile.as_ref();
    let path = format!("authors/{}/", a.slug);
    AuthorView {
        slug: &a.slug,
        name: &a.name,
        url: site.url(&path),
        permalink: site.permalink(&path),
        feed_url: site.url(&format!("{path}feed.xml")),
        role: p.and_then(|p| p.front.role.as_deref()),
        affiliation: p.and_then(|p| p.front.affiliation.as_deref()),
        photo: photo_url(site, a),
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
        bio: p.map_or("", |p| p.bio.html.as_str()),
        count: a.briefs.len(),
        has_profile: p.is_some(),
        extra: p.map(|p| &p.front.extra),
    }
}

/// A term's view.
pub fn term_view<'a>(site: &'a Site, tax: &'a crate::site::Taxonomy, t: &'a Term) -> TermView<'a> {
    let path = format!("{}/{}/", tax.def.name, t.slug);
    TermView {
        slug: &t.slug,
        name: &t.name,
        url: site.url(&path),
        permalink: site.permalink(&path),
        feed_url: tax.def.feed.then(|| site.url(&format!("{path}feed.xml"))),
        description: t
            .profile
            .as_ref()
            .map_or("", |p| p.description.html.as_str()),
        count: t.briefs.len(),
    }
}
