//! Front matter structs as users write them (`Raw*`), and the validated documents (`*Doc`)
//! that the parse stage produces from them; briefs have their own module, [`super::brief`].
//!
//! Unknown keys are errors (`deny_unknown_fields`) so that a typo never passes silently.
//! Validation that serde cannot do (dates, slugs, empty titles) happens here, with the line of
//! the offending key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::fields::DateText;
use super::frontmatter::{Split, key_position};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::slug::slugify;

/// Free-form values passed through to templates.
pub type Extra = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPage {
    title: String,
    subtitle: Option<String>,
    summary: Option<String>,
    date: Option<DateText>,
    expires: Option<DateText>,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
    template: Option<String>,
    language: Option<String>,
    #[serde(default)]
    aliases: super::fields::StringList,
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
    /// Left out of builds from this time on.
    pub expires: Option<ZonedDateTime>,
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
    /// Old URL paths that redirect here ("about-us/"), as for briefs.
    pub aliases: Vec<String>,
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
    let expires = match raw.expires.as_ref().map(|d| d.resolve(tz)) {
        Some(Ok(z)) => Some(z),
        Some(Err(m)) => {
            errors.push(Diagnostic::error(format!("invalid `expires`: {m}")).at_opt(at("expires")));
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
    let mut aliases = Vec::new();
    for a in &raw.aliases.0 {
        match super::brief::normalise_alias(a) {
            Ok(p) => aliases.push(p),
            Err(m) => errors.push(Diagnostic::error(m).at_opt(at("aliases"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PageDoc {
        aliases,
        source,
        path: format!("{dir_path}{slug}/"),
        title: raw.title,
        subtitle: raw.subtitle,
        summary: raw.summary,
        date,
        expires,
        draft: raw.draft,
        template: raw.template,
        language: raw.language,
        extra: raw.extra,
        body,
        key_positions: [
            "slug", "template", "language", "title", "date", "expires", "aliases",
        ]
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
    /// The institution's website.
    pub affiliation_url: Option<String>,
    /// ORCID iD (`0000-0002-1825-0097` or its https://orcid.org/ URL); the checksum is verified.
    pub orcid: Option<String>,
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
    /// The validated ORCID iD.
    pub orcid: Option<super::scholarly::Orcid>,
    /// Where some keys are written (photo, links…), for later warnings.
    pub key_positions: BTreeMap<String, (usize, usize)>,
    /// The profile in other languages (`<slug>.ar.md`), attached when the site is assembled.
    pub editions: Vec<AuthorEdition>,
}

/// `content/authors/<slug>.<lang>.md`: what a profile says in another language. Every key is
/// optional (the profile's stands in); the Markdown body is the bio in that language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthorEdition {
    /// The name as written in that language ("طارق الهاشمي").
    pub name: Option<String>,
    /// Job title in that language.
    pub role: Option<String>,
    /// Institution in that language.
    pub affiliation: Option<String>,
}

/// An author profile's edition in another language (issue 27).
#[derive(Debug, Clone)]
pub struct AuthorEdition {
    /// Source file.
    pub source: PathBuf,
    /// The profile's slug (the file name without the language).
    pub slug: String,
    /// Lower-case language tag from the file name.
    pub language: String,
    /// Front matter.
    pub front: RawAuthorEdition,
    /// Rendered bio; empty when the file has no body.
    pub bio: Rendered,
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
    for (key, value) in [
        ("photo", &front.photo),
        ("affiliation_url", &front.affiliation_url),
    ] {
        if let Some(why) = value.as_deref().and_then(crate::urls::refused) {
            errors.push(Diagnostic::error(format!("`{key}`: {why}")).at_opt(at(key)));
        }
    }
    let orcid = match front.orcid.as_deref().map(super::scholarly::Orcid::parse) {
        Some(Err(why)) => {
            errors.push(Diagnostic::error(format!("`orcid`: {why}")).at_opt(at("orcid")));
            None
        }
        Some(Ok(o)) => Some(o),
        None => None,
    };
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
        orcid,
        key_positions,
        editions: Vec::new(),
    })
}

/// `content/<taxonomy>/<slug>.md`: a term's display name and description.
#[derive(Debug, Clone, Deserialize)]
pub struct RawTerm {
    /// Display name; defaults to the first spelling found in a brief.
    pub name: Option<String>,
    /// The slug of the term it belongs to (`gulf` for `qatar`): its page lists this term's
    /// work too, and shows the chain as breadcrumbs.
    pub parent: Option<String>,
    /// Who leads it (a programme's directors): slugs of author profiles.
    #[serde(default)]
    pub directors: super::fields::StringList,
    /// Free-form values.
    #[serde(default)]
    pub extra: Extra,
    /// Every other key: only `name_<language>` (`name_ar: الطاقة`), the term's name where it is
    /// shown in that language; anything else is an error ([`term_names`]).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// The names a term profile gives in other languages (`name_ar` → ("ar", name)), or the
/// message for each key that is not one, with the key.
pub fn term_names(front: &RawTerm) -> (BTreeMap<String, String>, Vec<(String, String)>) {
    let mut names = BTreeMap::new();
    let mut errors = Vec::new();
    for (key, value) in &front.other {
        let lang = key.strip_prefix("name_").map(|l| l.replace('_', "-"));
        match (lang, value.as_str()) {
            (Some(lang), Some(name))
                if super::fields::check_language(&lang).is_ok() && !name.trim().is_empty() =>
            {
                names.insert(lang.to_ascii_lowercase(), name.trim().to_string());
            }
            (Some(lang), _) if super::fields::check_language(&lang).is_err() => errors.push((
                key.clone(),
                format!("`{key}`: {lang:?} is not a language tag (write name_ar, name_fr, name_pt-BR)"),
            )),
            (Some(_), _) => errors.push((key.clone(), format!("`{key}` must be a non-empty string"))),
            (None, _) => errors.push((
                key.clone(),
                format!("unknown field `{key}`; a term takes name, name_<language>, parent, directors and extra"),
            )),
        }
    }
    (names, errors)
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
    /// Where `parent` and `directors` are written, for errors found when assembling.
    pub key_positions: BTreeMap<String, (usize, usize)>,
    /// Its name in other languages, by lower-case language tag (`name_ar`).
    pub names: BTreeMap<String, String>,
}

/// `content/<dir>/_index.md`: a section's title and description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    /// Heading of the section's listing page.
    pub title: Option<String>,
    /// One-line description.
    pub description: Option<String>,
    /// A collection's listing order: `date` (default), `title` or `start` (events).
    #[serde(default)]
    pub sort_by: SortBy,
    /// `desc` (default for dates) or `asc` (default for titles).
    pub order: Option<Order>,
    /// The publication type of the collection's items that do not give one.
    #[serde(rename = "type")]
    pub kind: Option<String>,
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
    /// Where `type` is written, for errors found when assembling.
    pub key_positions: BTreeMap<String, (usize, usize)>,
}

/// What a collection's listing is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Publication date.
    #[default]
    Date,
    /// Title, case- and accent-insensitively.
    Title,
    /// An event's start (items without one last).
    Start,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}
