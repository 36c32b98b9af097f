//! The template contract: every value a template can read, as documented, borrowed view
//! structs (the README's "Template context" section mirrors this file).
//!
//! Only the structs live here; `fill.rs` fills them from the resolved `Site`. A brief's
//! listing card is serialised once and shared (an `Arc` inside `tera::Value`) by every listing
//! page that shows it, so that no work grows with briefs × listings (issue 2, "Speed").

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::MenuItem;
use crate::markdown::Heading;

pub use crate::i18n::Labels;

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
    /// The page's language: the site's, or a language section's ("ar" on `/ar/` and on the
    /// pages of Arabic briefs; issue 27).
    pub language: &'a str,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// The language of the chrome's words (`labels`): `language`, unless the theme has no
    /// complete translation into it and the site's language stands in.
    pub chrome_language: &'a str,
    /// "ltr" or "rtl", for `chrome_language`.
    pub chrome_dir: &'static str,
    /// When the site's language stands in for `language`: the sentence saying so, in the
    /// chrome's words.
    pub translation_notice: Option<String>,
    /// Every language of the site, its own first, then each section's: `language`, `name` (in
    /// itself), `dir`, `url` (its front page), `current`. One entry on a site in one language.
    pub languages: Vec<LanguageLink>,
    /// URL of this language's front page: "/" (or "/ar/").
    pub home_url: String,
    /// URL of this language's search page (which searches its own index).
    pub search_url: String,
    /// URL of the listing of every brief in date order: "/briefs/" (or "/ar/").
    pub briefs_url: String,
    /// URL of this language's JSON Feed.
    pub json_feed_url: String,
    /// Main navigation.
    pub menu: Vec<MenuItem>,
    /// The logo (`[metadata] logo`) as a URL, for the masthead.
    pub logo_url: Option<String>,
    /// Collections (`briefs` first): `name`, `title`, `url`, `feed_url`, `json_feed_url`,
    /// `calendar_url`, `years`.
    pub collections: Vec<CollectionView<'a>>,
    /// URL of the list of publication types (none when no item has been published).
    pub types_url: Option<String>,
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
    /// The theme's words in the site's language (`site.labels.search`), for the chrome:
    /// masthead, navigation, listings, footer. `site.labels.plurals.<key>.<category>` holds a
    /// count's forms; in a template `t(key=…, n=…)` picks one (see `i18n/en.toml`).
    pub labels: std::sync::Arc<crate::i18n::Labels>,
}

/// How many of each thing the site has.
#[derive(Serialize)]
pub struct Counts {
    /// Published items of every collection (briefs, reports, events…).
    pub briefs: usize,
    /// Those in this page's language (the site's, or a language section's): what its search
    /// page searches.
    pub in_language: usize,
    /// Collections that have published items (1 on a site of briefs only).
    pub collections: usize,
    /// Authors.
    pub authors: usize,
}

/// A language of the site, for a language switcher.
#[derive(Serialize)]
pub struct LanguageLink {
    /// BCP 47 tag.
    pub language: String,
    /// Its name in itself ("العربية"), else the tag.
    pub name: String,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// Its front page.
    pub url: String,
    /// True for the page's own language.
    pub current: bool,
}

/// A taxonomy in navigation.
#[derive(Serialize)]
pub struct TaxonomyRef<'a> {
    /// "topics"
    pub name: &'a str,
    /// "Topics" (in the page's language on a language section's pages)
    pub title: std::borrow::Cow<'a, str>,
    /// "Topic"
    pub singular: std::borrow::Cow<'a, str>,
    /// "topic": the search filter its terms are marked with (`data-pagefind-filter`): "topic"
    /// and "region" for the built-in two whatever the language, else the singular in lower
    /// case.
    pub filter: String,
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

/// A term a brief is filed under.
#[derive(Serialize, Clone)]
pub struct TermLink<'a> {
    /// Its name in the brief's language (a profile's `name_ar`), else its name.
    pub name: &'a str,
    /// URL (with base path).
    pub url: String,
    /// Its name in the site's language: the search filter value
    /// (`data-pagefind-filter="topic:{{ t.facet }}"`), the same for every edition.
    pub facet: &'a str,
}

/// An author in a byline.
#[derive(Serialize)]
pub struct AuthorRef<'a> {
    /// Display name.
    pub name: &'a str,
    /// Author page URL.
    pub url: String,
    /// Absolute URL of the author page (for `article:author`).
    pub permalink: String,
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
    /// Subtitle: part of the title ("Title: Subtitle" in citations).
    pub subtitle: Option<&'a str>,
    /// Dek (standfirst): a sentence shown under the title; never cited.
    pub dek: Option<&'a str>,
    /// Publication type: `name` ("working-paper"), `title` ("Working paper").
    #[serde(rename = "type")]
    pub kind: TypeView<'a>,
    /// Summary: front matter `summary`, else the dek, else the first paragraph, shortened.
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
    /// Byline: every author on the brief's page, at most ten on listing cards.
    pub authors: Vec<AuthorRef<'a>>,
    /// Authors of the byline not listed in `authors` (listings of a brief with more than ten:
    /// "and 12 others"); 0 on the brief's page.
    pub authors_more: usize,
    /// Topics.
    pub topics: Vec<TermLink<'a>>,
    /// Regions.
    pub regions: Vec<TermLink<'a>>,
    /// Terms of every taxonomy, by taxonomy name (includes topics and regions).
    pub terms: BTreeMap<&'a str, Vec<TermLink<'a>>>,
    /// Hero image URL.
    pub image: Option<String>,
    /// Hero image alt text.
    pub image_alt: Option<&'a str>,
    /// The hero's responsive set when it is a processed image (issue 26): `src`, `width`,
    /// `height`, `srcset`, `webp_srcset`, `type` and every file in `variants`.
    pub image_set: Option<crate::images::markup::Responsive>,
    /// Words in the body.
    pub words: usize,
    /// Minutes to read, at least 1.
    pub reading_time: usize,
    /// The reading time in words, in the brief's language and plural form: "3 min read",
    /// "دقيقتان للقراءة" (the `min_read` translation key).
    pub reading_label: String,
    /// The word count in words: "1,234 words" (the `words` translation key).
    pub words_label: String,
    /// Language of the brief.
    pub language: &'a str,
    /// "ltr" or "rtl".
    pub dir: &'static str,
    /// True when this is a draft (only with --drafts).
    pub draft: bool,
    /// True when it is dated after the build's time (only with --future).
    pub scheduled: bool,
    /// The collection's folder name ("briefs", "events").
    pub collection: &'a str,
    /// Featured on the home page.
    pub featured: bool,
    /// When and where, for an event.
    pub event: Option<EventView<'a>>,
}

/// A publication type on a card or page.
#[derive(Serialize, Clone)]
pub struct TypeView<'a> {
    /// "working-paper".
    pub name: &'a str,
    /// "Working paper" (on a card or brief page, in the brief's language when site.toml does
    /// not name the type).
    pub title: std::borrow::Cow<'a, str>,
    /// "Working papers".
    pub plural: std::borrow::Cow<'a, str>,
    /// URL of the type's listing (`/types/working-paper/`).
    pub url: String,
}

/// An event's time and place (`page.event`, `item.event`).
#[derive(Serialize)]
pub struct EventView<'a> {
    /// Start as RFC 3339.
    pub start: String,
    /// Start for people: "5 March 2026, 18:30".
    pub start_display: String,
    /// End as RFC 3339.
    pub end: Option<String>,
    /// End for people: the time alone on the same day ("20:00"), else date and time.
    pub end_display: Option<String>,
    /// The site's time zone ("Europe/London"), which the times are given in.
    pub timezone: &'a str,
    /// Where.
    pub location: Option<&'a str>,
    /// Where to register.
    pub registration_url: Option<&'a str>,
    /// The event's iCalendar file ("Add to calendar").
    pub ics_url: String,
    /// True once it has ended (or started, without an end) at build time.
    pub past: bool,
}

/// `collection` on a collection's listing and its year archives.
#[derive(Serialize)]
pub struct CollectionView<'a> {
    /// Folder name ("events").
    pub name: &'a str,
    /// Heading.
    pub title: &'a str,
    /// Listing URL.
    pub url: String,
    /// Atom feed URL.
    pub feed_url: String,
    /// JSON Feed URL.
    pub json_feed_url: String,
    /// iCalendar file of its events, when it has events.
    pub calendar_url: Option<String>,
    /// Year archives, newest first: `name` (the year), `url`, `count`, `current`.
    pub years: Vec<ListEntry>,
}

/// A link with a count (years, types, series): `name`, `url`, `count`, `current`.
#[derive(Serialize)]
pub struct ListEntry {
    /// Text.
    pub name: String,
    /// URL.
    pub url: String,
    /// Items behind it.
    pub count: usize,
    /// True on the page it links to.
    pub current: bool,
}

/// `home` on page 1 of the home page (`[home]` in site.toml).
#[derive(Serialize)]
pub struct HomeView<'a> {
    /// Featured items (`BriefCard`s): `[home] featured`, then `featured: true`.
    pub featured: Vec<Value>,
    /// One row per publication type: `type`, `url` (its listing), `items` (cards).
    pub latest: Vec<LatestRow<'a>>,
    /// The strip of a taxonomy's terms (programmes): `taxonomy`, `terms` (`TermView`s).
    pub strip: Option<StripView<'a>>,
}

/// A "Latest reports" row of the home page.
#[derive(Serialize)]
pub struct LatestRow<'a> {
    /// The type.
    #[serde(rename = "type")]
    pub kind: TypeView<'a>,
    /// Its newest items (`BriefCard`s).
    pub items: Vec<Value>,
}

/// The home page's strip of terms.
#[derive(Serialize)]
pub struct StripView<'a> {
    /// The taxonomy.
    pub taxonomy: TaxonomyRef<'a>,
    /// Its top-level terms that have work, by name.
    pub terms: Vec<TermView<'a>>,
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
    /// The affiliation's website.
    pub affiliation_url: Option<&'a str>,
    /// ORCID iD as its https://orcid.org/ URL.
    pub orcid: Option<String>,
    /// Photo URL.
    pub photo: Option<String>,
    /// The photo's responsive set when it is a processed image (see `image_set`).
    pub photo_set: Option<crate::images::markup::Responsive>,
    /// Bio as HTML (print with `| safe`): on a brief in another language than the site's, the
    /// profile edition's bio in that language when there is one.
    pub bio: &'a str,
    /// The language the bio is written in.
    pub bio_language: &'a str,
    /// Its direction, "rtl" or "ltr".
    pub bio_dir: &'static str,
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
    pub content: std::borrow::Cow<'a, str>,
    /// Headings of the body.
    pub toc: &'a [Heading],
    /// Number of endnotes.
    pub footnotes: usize,
    /// Hero image caption.
    pub image_caption: Option<&'a str>,
    /// Hero image credit.
    pub image_credit: Option<&'a str>,
    /// Where the credit links.
    pub image_credit_url: Option<&'a str>,
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
    /// The licence (the brief's `license`, else the site's): `id` (SPDX), `name`, `url`.
    pub license: Option<&'a crate::content::scholarly::Licence>,
    /// RFC 3339 time of the last modification (updates and corrections included).
    pub modified: String,
    /// Up to three related briefs (`BriefCard`s): most shared topics, newest first on ties.
    pub related: Vec<tera::Value>,
    /// When `series` is set: `name`, `items` (`name`, `url`, `current`) oldest first,
    /// `position` (from 1) and `total`.
    pub series_nav: Option<SeriesView<'a>>,
    /// The brief's other editions, in other languages, for a language switcher (`language`,
    /// `name` in that language, `dir`, `title`, `url`).
    pub editions: Vec<super::editions::EditionView>,
    /// Theme words in the brief's language (`i18n/<lang>.toml`: `by`, `and`, `contents`…).
    pub labels: std::sync::Arc<Labels>,
    /// Set only in previews of what is not published (`--drafts`, `--future`): the page
    /// carries `noindex` and shows this as a banner.
    pub status: Option<StatusView>,
}

/// Why a page built for a preview is not published (`page.status`).
#[derive(Serialize)]
pub struct StatusView {
    /// "draft" or "scheduled".
    pub kind: &'static str,
    /// The banner's text: "Draft: not published", "Scheduled: publishes 5 December 2026 at
    /// 17:30 (UTC)".
    pub label: String,
}

/// Series navigation of a brief.
#[derive(Serialize)]
pub struct SeriesView<'a> {
    /// Series name.
    pub name: &'a str,
    /// URL of the series' landing page.
    pub url: String,
    /// The brief before this one in reading order.
    pub previous: Option<Link<'a>>,
    /// The brief after this one in reading order.
    pub next: Option<Link<'a>>,
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
    /// Set only in previews of a draft or scheduled page (see `BriefView::status`).
    pub status: Option<StatusView>,
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
    /// The affiliation's website.
    pub affiliation_url: Option<&'a str>,
    /// ORCID iD as its https://orcid.org/ URL.
    pub orcid: Option<String>,
    /// Photo URL.
    pub photo: Option<String>,
    /// The photo's responsive set when it is a processed image (see `image_set`).
    pub photo_set: Option<crate::images::markup::Responsive>,
    /// E-mail.
    pub email: Option<&'a str>,
    /// Named links, sorted by name.
    pub links: Vec<Link<'a>>,
    /// Bio HTML (print with `| safe`); empty without a profile. In a language section, the
    /// profile edition's bio in that language when there is one.
    pub bio: &'a str,
    /// The language the bio is written in ("ar" from `<slug>.ar.md`, else the site's).
    pub bio_language: &'a str,
    /// Its direction, "rtl" or "ltr".
    pub bio_dir: &'static str,
    /// Published briefs (in a language section: in that language).
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
    /// Published briefs, its sub-terms' included.
    pub count: usize,
    /// The terms above it, outermost first (breadcrumbs): `name`, `url`.
    pub ancestors: Vec<Link<'a>>,
    /// The terms directly below it, by name: `name`, `url`.
    pub children: Vec<Link<'a>>,
    /// Who leads it (profile `directors`), with role and affiliation.
    pub directors: Vec<AuthorRef<'a>>,
    /// Authors of its work, most briefs first (at most 12).
    pub experts: Vec<AuthorRef<'a>>,
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

/// `section`: a section's `_index.md` (or none when it has none).
#[derive(Serialize)]
pub struct SectionView<'a> {
    /// Title.
    pub title: Option<&'a str>,
    /// One-line description.
    pub description: Option<&'a str>,
    /// The introduction as HTML (print with `| safe`).
    pub content: &'a str,
    /// Free-form values.
    pub extra: &'a BTreeMap<String, serde_json::Value>,
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
    /// Absolute image URL for social cards, when there is one (a raster image: a brief's
    /// 1200×630 share image, an author's square portrait).
    pub image: Option<String>,
    /// Its width in pixels, when known.
    pub image_width: Option<u32>,
    /// Its height in pixels, when known.
    pub image_height: Option<u32>,
    /// Its alt text.
    pub image_alt: Option<&'a str>,
    /// True on pages that should not be indexed (404, page 2+ of listings).
    pub noindex: bool,
    /// Open Graph type: "article" on briefs, "profile" on authors, else "website".
    pub og_type: &'static str,
    /// Open Graph locale, e.g. "en_GB" from "en-GB".
    pub og_locale: String,
    /// Other editions' `og:locale` values (`og:locale:alternate`).
    pub og_locale_alternates: Vec<String>,
    /// `hreflang` alternates: every edition of a brief and `x-default` (empty elsewhere).
    pub alternates: Vec<super::editions::Alternate>,
    /// `[metadata] twitter` handle.
    pub twitter: Option<&'a str>,
}
