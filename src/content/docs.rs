//! Front matter structs as users write them (`Raw*`), and the validated documents (`*Doc`)
//! that the parse stage produces from them.
//!
//! Unknown keys are errors (`deny_unknown_fields`) so that a typo never passes silently.
//! Validation that serde cannot do (dates, slugs, empty titles) happens here, with the line of
//! the offending key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::fields::{DateText, StringList};
use super::frontmatter::{Split, key_position};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::slug::slugify;

/// Free-form values passed through to templates.
pub type Extra = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBrief {
    title: String,
    date: DateText,
    subtitle: Option<String>,
    dek: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    authors: StringList,
    #[serde(default)]
    topics: StringList,
    #[serde(default)]
    regions: StringList,
    #[serde(default)]
    taxonomies: BTreeMap<String, StringList>,
    #[serde(default)]
    draft: bool,
    updated: Option<DateText>,
    slug: Option<String>,
    image: Option<String>,
    image_alt: Option<String>,
    image_caption: Option<String>,
    image_credit: Option<String>,
    series: Option<String>,
    language: Option<String>,
    template: Option<String>,
    doi: Option<String>,
    pdf: Option<String>,
    publisher_series: Option<String>,
    #[serde(default)]
    corrections: Vec<RawCorrection>,
    #[serde(default)]
    aliases: StringList,
    #[serde(default)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    date: DateText,
    note: String,
}

/// A dated entry of a brief's corrections log.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When the correction was made.
    pub date: ZonedDateTime,
    /// What was corrected.
    pub note: String,
}

/// A brief after validation and Markdown rendering, before relations are resolved.
#[derive(Debug, Clone)]
pub struct BriefDoc {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Subtitle: part of the title, in citations too ("Title: Subtitle").
    pub subtitle: Option<String>,
    /// Dek (standfirst): a sentence shown under the title, the description when there is no
    /// summary; never part of a citation.
    pub dek: Option<String>,
    /// Publication type (`brief`, `report`, `working-paper`…: see `config::types`).
    pub kind: String,
    /// Summary from front matter.
    pub summary: Option<String>,
    /// Author entries as written (slugs or display names).
    pub authors: Vec<String>,
    /// Terms as written, per taxonomy name ("topics", "regions", declared ones).
    pub terms: BTreeMap<String, Vec<String>>,
    /// Left out unless building with drafts.
    pub draft: bool,
    /// Publication date.
    pub date: ZonedDateTime,
    /// Last substantive update.
    pub updated: Option<ZonedDateTime>,
    /// Hero image (path relative to the brief, or absolute URL/path).
    pub image: Option<String>,
    /// Alt text of the hero image.
    pub image_alt: Option<String>,
    /// Caption of the hero image.
    pub image_caption: Option<String>,
    /// Credit line of the hero image.
    pub image_credit: Option<String>,
    /// Series name.
    pub series: Option<String>,
    /// Language, when it differs from the site's.
    pub language: Option<String>,
    /// Template override.
    pub template: Option<String>,
    /// DOI without a resolver prefix ("10.1234/abc").
    pub doi: Option<String>,
    /// A PDF of the brief: a bundle file, a site path or a URL.
    pub pdf: Option<String>,
    /// Series and number, e.g. "Policy Notes 152".
    pub publisher_series: Option<String>,
    /// Corrections log, oldest first.
    pub corrections: Vec<Correction>,
    /// Old URLs of this brief, as site paths without the leading slash ("2019/05/old-post/",
    /// "old.php"): each gets a redirect page and a `_redirects` line.
    pub aliases: Vec<String>,
    /// Free-form values.
    pub extra: Extra,
    /// Rendered body.
    pub body: Rendered,
    /// Where some keys are written (authors, topics, regions, image…), for later warnings.
    pub key_positions: BTreeMap<String, (usize, usize)>,
}

/// "https://doi.org/10.1/x" or "doi:10.1/x" → "10.1/x".
fn normalise_doi(d: &str) -> String {
    let d = d.trim();
    for p in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "doi:",
    ] {
        if let Some(rest) = d.strip_prefix(p) {
            return rest.to_string();
        }
    }
    d.to_string()
}

/// Keys whose positions are kept for warnings raised after parsing.
const POSITIONED_KEYS: &[&str] = &[
    "slug",
    "subtitle",
    "type",
    "template",
    "language",
    "authors",
    "topics",
    "regions",
    "taxonomies",
    "image",
    "summary",
    "title",
    "pdf",
    "doi",
    "corrections",
    "aliases",
];

/// "/2019/05/old-post" → "2019/05/old-post/"; "old.php" stays; errors for URLs, queries,
/// fragments and `..`.
fn normalise_alias(a: &str) -> Result<String, String> {
    let written = a.trim();
    // Servers decode the path before mapping it to a file: validate what they will see, so
    // `/%2e%2e/` is the `..` it stands for (issue 22).
    let decoded = percent_encoding::percent_decode_str(written)
        .decode_utf8()
        .map_err(|_| format!("alias {written:?} has percent-escapes that are not UTF-8"))?;
    let t = decoded.as_ref();
    if t.contains('%') {
        return Err(format!(
            "alias {written:?} is percent-encoded twice; write the old path as the browser shows it"
        ));
    }
    if t.contains("://") || t.starts_with("//") {
        return Err(format!(
            "alias {t:?} is a URL: give the old path on this site, such as \"/2019/05/old-post/\""
        ));
    }
    if t.contains(['?', '#', '\\', '"', '<', '>', ' ']) || t.chars().any(char::is_control) {
        return Err(format!(
            "alias {t:?} may not contain spaces, quotes, `?`, `#` or backslashes"
        ));
    }
    let parts: Vec<&str> = t.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err(format!("alias {t:?} is the site root"));
    }
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Err(format!("alias {written:?} has `.` or `..` segments"));
    }
    let joined = parts.join("/");
    let last = parts.last().expect("non-empty");
    if last.contains('.') && !t.ends_with('/') {
        Ok(joined)
    } else {
        Ok(format!("{joined}/"))
    }
}

/// Turn a brief's front matter into a document; `default_slug` comes from the file or bundle
/// folder name. Errors carry file lines; the caller attaches the file name.
pub(crate) fn brief(
    raw: RawBrief,
    split: &Split<'_>,
    source: PathBuf,
    default_slug: &str,
    config: &crate::config::Config,
    body: Rendered,
) -> Result<BriefDoc, Vec<Diagnostic>> {
    let tz = &config.timezone;
    let mut errors = Vec::new();
    let at = |key: &str| key_position(split.front, key, split.front_line);
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::error("`title` is empty").at_opt(at("title")));
    }
    let date = raw
        .date
        .resolve(tz)
        .map_err(|m| {
            errors.push(Diagnostic::error(format!("invalid `date`: {m}")).at_opt(at("date")))
        })
        .ok();
    let updated = match raw.updated.as_ref().map(|d| d.resolve(tz)) {
        Some(Ok(z)) => Some(z),
        Some(Err(m)) => {
            errors.push(Diagnostic::error(format!("invalid `updated`: {m}")).at_opt(at("updated")));
            None
        }
        None => None,
    };
    let mut corrections = Vec::new();
    for c in &raw.corrections {
        match c.date.resolve(tz) {
            Ok(date) => corrections.push(Correction {
                date,
                note: c.note.trim().to_string(),
            }),
            Err(m) => errors.push(
                Diagnostic::error(format!("invalid correction date: {m}"))
                    .at_opt(at("corrections")),
            ),
        }
    }
    corrections.sort_by(|a, b| a.date.cmp(&b.date));
    let mut aliases = Vec::new();
    for a in &raw.aliases.0 {
        match normalise_alias(a) {
            Ok(p) => aliases.push(p),
            Err(m) => errors.push(Diagnostic::error(m).at_opt(at("aliases"))),
        }
    }
    let doi = raw.doi.as_deref().map(normalise_doi);
    if let Some(d) = &doi
        && !d.starts_with("10.")
    {
        errors.push(
            Diagnostic::error(format!(
                "`doi` {d:?} is not a DOI (they start with \"10.\")"
            ))
            .at_opt(at("doi")),
        );
    }
    let slug = match &raw.slug {
        Some(s) => {
            let s2 = slugify(s);
            if s2.is_empty() {
                errors.push(
                    Diagnostic::error(format!("`slug` {s:?} has no letters or digits"))
                        .at_opt(at("slug")),
                );
            }
            s2
        }
        None => default_slug.to_string(),
    };
    if let Some(Err(m)) = raw.language.as_deref().map(super::fields::check_language) {
        errors.push(Diagnostic::error(format!("`language`: {m}")).at_opt(at("language")));
    }
    let kind = raw
        .kind
        .as_deref()
        .map(str::trim)
        .unwrap_or("brief")
        .to_string();
    if config.publication_type(&kind).is_none() {
        let known: Vec<&str> = config.types.iter().map(|t| t.name.as_str()).collect();
        errors.push(
            Diagnostic::error(format!("unknown `type` {kind:?}"))
                .at_opt(at("type"))
                .with_hint(format!(
                    "use one of {}, or declare it in site.toml: [[types]] name = \"{kind}\"",
                    known.join(", ")
                )),
        );
    }
    for (key, url) in [("image", &raw.image), ("pdf", &raw.pdf)] {
        if let Some(why) = url.as_deref().and_then(crate::urls::refused) {
            errors.push(Diagnostic::error(format!("`{key}`: {why}")).at_opt(at(key)));
        }
    }
    let mut terms = BTreeMap::new();
    terms.insert("topics".to_string(), raw.topics.0);
    terms.insert("regions".to_string(), raw.regions.0);
    for (k, v) in raw.taxonomies {
        if k == "topics" || k == "regions" || k == "authors" {
            errors.push(
                Diagnostic::error(format!(
                    "`{k}` goes at the top level of the front matter, not under `taxonomies`"
                ))
                .at_opt(at("taxonomies")),
            );
            continue;
        }
        terms.insert(k, v.0);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(BriefDoc {
        source,
        slug,
        title: raw.title,
        subtitle: raw.subtitle.filter(|s| !s.trim().is_empty()),
        dek: raw.dek.filter(|s| !s.trim().is_empty()),
        kind,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        authors: raw.authors.0,
        terms,
        draft: raw.draft,
        date: date.expect("no errors, so the date resolved"),
        updated,
        image: raw.image,
        image_alt: raw.image_alt,
        image_caption: raw.image_caption,
        image_credit: raw.image_credit,
        series: raw.series,
        language: raw.language,
        template: raw.template,
        doi,
        pdf: raw.pdf.filter(|p| !p.trim().is_empty()),
        publisher_series: raw.publisher_series.filter(|p| !p.trim().is_empty()),
        corrections,
        aliases,
        extra: raw.extra,
        body,
        key_positions: POSITIONED_KEYS
            .iter()
            .filter_map(|k| at(k).map(|p| (k.to_string(), p)))
            .collect(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPage {
    title: String,
    subtitle: Option<String>,
    summary: Option<String>,
    date: Option<DateText>,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
    template: Option<String>,
    language: Option<String>,
    #[serde(default)]
    extra: Extra,
}

/// A standalone page (About, Contact…): not a brief, not listed.
#[derive(Debug, Clone)]
pub struct PageDoc {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// URL path inside the site, without base path, e.g. "about/" or "programmes/energy/".
    pub path: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Summary for meta description.
    pub summary: Option<String>,
    /// Optional date.
    pub date: Option<ZonedDateTime>,
    /// Drafts are left out unless building with drafts.
    pub draft: bool,
    /// Template override (default "page.html").
    pub template: Option<String>,
    /// Language, when it differs from the site's.
    pub language: Option<String>,
    /// Free-form values.
    pub extra: Extra,
    /// Rendered body.
    pub body: Rendered,
    /// Where some keys are written (slug, template, language), for later errors.
    pub key_positions: BTreeMap<String, (usize, usize)>,
}

pub(crate) fn page(
    raw: RawPage,
    split: &Split<'_>,
    source: PathBuf,
    dir_path: &str,
    default_slug: &str,
    tz: &TimeZone,
    body: Rendered,
) -> Result<PageDoc, Vec<Diagnostic>> {
    let at = |key: &str| key_position(split.front, key, split.front_line);
    let mut errors = Vec::new();
    let date = match raw.date.as_ref().map(|d| d.resolve(tz)) {
        Some(Ok(z)) => Some(z),
        Some(Err(m)) => {
            errors.push(Diagnostic::error(format!("invalid `date`: {m}")).at_opt(at("date")));
            None
        }
        None => None,
    };
    let slug = match &raw.slug {
        Some(s) => slugify(s),
        None => default_slug.to_string(),
    };
    if slug.is_empty() {
        errors.push(Diagnostic::error("`slug` has no letters or digits").at_opt(at("slug")));
    }
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::error("`title` is empty").at_opt(at("title")));
    }
    if let Some(Err(m)) = raw.language.as_deref().map(super::fields::check_language) {
        errors.push(Diagnostic::error(format!("`language`: {m}")).at_opt(at("language")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PageDoc {
        source,
        path: format!("{dir_path}{slug}/"),
        title: raw.title,
        subtitle: raw.subtitle,
        summary: raw.summary,
        date,
        draft: raw.draft,
        template: raw.template,
        language: raw.language,
        extra: raw.extra,
        body,
        key_positions: ["slug", "template", "language", "title", "date"]
            .iter()
            .filter_map(|k| at(k).map(|p| (k.to_string(), p)))
            .collect(),
    })
}

/// `content/authors/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthor {
    /// Display name (required).
    pub name: String,
    /// Job title, e.g. "Senior Fellow, Energy Programme".
    pub role: Option<String>,
    /// Institution.
    pub affiliation: Option<String>,
    /// Photo path (relative to the site root's output, or absolute URL).
    pub photo: Option<String>,
    /// Public e-mail address.
    pub email: Option<String>,
    /// The name as citations should print it: "Okafor-Laurent, Renée"; without a comma it is
    /// an organisation's name and is never split.
    pub citation_name: Option<String>,
    /// Named links ("Website", "ORCID", …).
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// Free-form values.
    #[serde(default)]
    pub extra: Extra,
}

/// An author profile.
#[derive(Debug, Clone)]
pub struct AuthorDoc {
    /// Source file.
    pub source: PathBuf,
    /// Slug from the file name.
    pub slug: String,
    /// Front matter.
    pub front: RawAuthor,
    /// Rendered bio.
    pub bio: Rendered,
    /// Where some keys are written (photo, links…), for later warnings.
    pub key_positions: BTreeMap<String, (usize, usize)>,
}

/// Turn an author's front matter into a profile: a name is required, and every URL (`photo`,
/// `links`) must pass the scheme allow-list. Errors carry file lines.
pub(crate) fn author(
    front: RawAuthor,
    split: &Split<'_>,
    source: PathBuf,
    slug: &str,
    bio: Rendered,
) -> Result<AuthorDoc, Vec<Diagnostic>> {
    let at = |key: &str| key_position(split.front, key, split.front_line);
    let mut errors = Vec::new();
    if front.name.trim().is_empty() {
        errors.push(Diagnostic::error("`name` is empty").at_opt(at("name")));
    }
    if let Some(why) = front.photo.as_deref().and_then(crate::urls::refused) {
        errors.push(Diagnostic::error(format!("`photo`: {why}")).at_opt(at("photo")));
    }
    for (label, url) in &front.links {
        if let Some(why) = crate::urls::refused(url) {
            // A link's own line is where its label is written inside `links:`.
            let pos = at(label).or_else(|| at("links"));
            errors.push(Diagnostic::error(format!("link {label:?}: {why}")).at_opt(pos));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let key_positions = ["name", "photo", "links", "email"]
        .iter()
        .filter_map(|k| at(k).map(|p| (k.to_string(), p)))
        .collect();
    Ok(AuthorDoc {
        source,
        slug: slug.to_string(),
        front,
        bio,
        key_positions,
    })
}

/// `content/<taxonomy>/<slug>.md`: a term's display name and description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    /// Display name; defaults to the first spelling found in a brief.
    pub name: Option<String>,
    /// Free-form values.
    #[serde(default)]
    pub extra: Extra,
}

/// A term profile.
#[derive(Debug, Clone)]
pub struct TermDoc {
    /// Source file.
    pub source: PathBuf,
    /// Taxonomy name.
    pub taxonomy: String,
    /// Slug from the file name.
    pub slug: String,
    /// Front matter.
    pub front: RawTerm,
    /// Rendered description.
    pub description: Rendered,
}

/// `content/<dir>/_index.md`: a section's title and description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    /// Heading of the section's listing page.
    pub title: Option<String>,
    /// One-line description.
    pub description: Option<String>,
    /// Free-form values.
    #[serde(default)]
    pub extra: Extra,
}

/// A section's metadata.
#[derive(Debug, Clone)]
pub struct SectionDoc {
    /// Source file.
    pub source: PathBuf,
    /// Folder under content/ ("" for the home page, "briefs", "authors", …).
    pub dir: String,
    /// Front matter.
    pub front: RawSection,
    /// Rendered body (an introduction shown above the listing).
    pub body: Rendered,
}
