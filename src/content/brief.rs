//! A brief's front matter (`RawBrief`, as written) and the validated `BriefDoc` the parse stage
//! makes of it: dates resolved in the site's time zone, slug, DOI, aliases, publication type,
//! licence and bibliography paths checked, each error at the line of its key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::ZonedDateTime;
use serde::Deserialize;

use super::docs::Extra;
use super::fields::{DateText, StringList};
use super::frontmatter::{Split, key_position};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::slug::slugify;
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
    image_credit_url: Option<String>,
    image_focus: Option<String>,
    series: Option<String>,
    language: Option<String>,
    translation_key: Option<String>,
    translation_of: Option<String>,
    template: Option<String>,
    doi: Option<String>,
    pdf: Option<String>,
    publisher_series: Option<String>,
    license: Option<String>,
    #[serde(default)]
    bibliography: StringList,
    #[serde(default)]
    corrections: Vec<RawCorrection>,
    #[serde(default)]
    aliases: StringList,
    expires: Option<DateText>,
    #[serde(default)]
    featured: bool,
    start: Option<DateText>,
    end: Option<DateText>,
    location: Option<String>,
    registration_url: Option<String>,
    #[serde(default)]
    extra: Extra,
}

/// When and where an event happens (an item with `start`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it starts.
    pub start: ZonedDateTime,
    /// When it ends, never before `start`.
    pub end: Option<ZonedDateTime>,
    /// Where ("Fenwick Hall, London", "Online").
    pub location: Option<String>,
    /// Where to register (a URL that passed the scheme allow-list).
    pub registration_url: Option<String>,
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
    /// Where the credit links (the photographer's or agency's page).
    pub image_credit_url: Option<String>,
    /// Focal point of the hero, thousandths of its width and height from the top left
    /// (`image_focus: "30% 20%"`, `"top"`, `"bottom left"`); crops keep it in view.
    pub image_focus: Option<(u16, u16)>,
    /// Series name.
    pub series: Option<String>,
    /// Editions of one work share a key (`translation_key`); `translation_of: <slug>` joins
    /// the named brief's editions (issue 27).
    pub translation_key: Option<String>,
    /// The slug of the brief this one translates.
    pub translation_of: Option<String>,
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
    /// The brief's own licence (else the site's `[metadata] license`).
    pub licence: Option<super::scholarly::Licence>,
    /// Bibliography files of this brief, relative to the site root (written relative to the
    /// brief's folder).
    pub bibliography: Vec<PathBuf>,
    /// The works the body cites (`[@key]`), in order of first citation.
    pub references: Vec<crate::biblio::Reference>,
    /// Corrections log, oldest first.
    pub corrections: Vec<Correction>,
    /// Old URLs of this brief, as site paths without the leading slash ("2019/05/old-post/",
    /// "old.php"): each gets a redirect page and a `_redirects` line.
    pub aliases: Vec<String>,
    /// Free-form values.
    pub extra: Extra,
    /// Rendered body.
    pub body: Rendered,
    /// The collection it belongs to: its top-level folder ("briefs", "reports", "events").
    pub collection: String,
    /// When it stops being published (an event's page after the event): left out of builds
    /// from then on.
    pub expires: Option<ZonedDateTime>,
    /// Featured on the home page.
    pub featured: bool,
    /// Time, place and registration, when it is an event.
    pub event: Option<Event>,
    /// Where some keys are written (authors, topics, regions, image…), for later warnings.
    pub key_positions: BTreeMap<String, (usize, usize)>,
}

/// `image_focus` as written → thousandths from the top left: two percentages ("30% 20%"), or
/// words ("top", "bottom left", "center").
pub fn parse_focus(text: &str) -> Result<(u16, u16), String> {
    let parts: Vec<&str> = text.split([' ', ',']).filter(|p| !p.is_empty()).collect();
    let pct = |p: &str| -> Option<u16> {
        let n: f64 = p.strip_suffix('%')?.trim().parse().ok()?;
        (0.0..=100.0)
            .contains(&n)
            .then(|| (n * 10.0).round() as u16)
    };
    if let [x, y] = parts[..]
        && let (Some(x), Some(y)) = (pct(x), pct(y))
    {
        return Ok((x, y));
    }
    let (mut x, mut y) = (500, 500);
    for p in &parts {
        match p.to_ascii_lowercase().as_str() {
            "left" => x = 0,
            "right" => x = 1000,
            "top" => y = 0,
            "bottom" => y = 1000,
            "center" | "centre" => {}
            _ => {
                return Err(format!(
                    "{text:?} is not a focal point: write two percentages from the top left (\"30% 20%\") or words (\"top\", \"bottom left\", \"center\")"
                ));
            }
        }
    }
    if parts.is_empty() {
        return Err("it is empty".into());
    }
    Ok((x, y))
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
    "translation_key",
    "translation_of",
    "authors",
    "topics",
    "regions",
    "taxonomies",
    "image",
    "image_focus",
    "image_credit",
    "summary",
    "title",
    "pdf",
    "doi",
    "corrections",
    "aliases",
    "license",
    "bibliography",
    "date",
    "expires",
    "featured",
    "start",
];

/// "/2019/05/old-post" → "2019/05/old-post/"; "old.php" stays; errors for URLs, queries,
/// fragments and `..`.
pub(crate) fn normalise_alias(a: &str) -> Result<String, String> {
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

impl RawBrief {
    /// The valid paths of `bibliography` (invalid ones are reported by [`brief`]).
    pub(crate) fn bibliography_paths(&self, source: &std::path::Path) -> Vec<PathBuf> {
        self.bibliography
            .0
            .iter()
            .filter_map(|b| bibliography_path(source, b).ok())
            .collect()
    }
}

/// A brief's `bibliography` entry → a path relative to the site root: `/refs/energy.bib` from
/// the root, `refs.bib` from the brief's folder; never `..`.
pub(crate) fn bibliography_path(
    source: &std::path::Path,
    written: &str,
) -> Result<PathBuf, String> {
    let w = written.trim();
    let (base, rel) = match w.strip_prefix('/') {
        Some(r) => (std::path::Path::new(""), r),
        None => (source.parent().unwrap_or(std::path::Path::new("")), w),
    };
    let p = crate::config::citations::inside_site(rel)
        .map_err(|_| format!("{w:?} must be a path relative to the brief's folder, or to the site root when it starts with `/`; `..` is not allowed"))?;
    crate::config::citations::check_extension(&p)?;
    Ok(base.join(p))
}

/// Turn a brief's front matter into a document; `default_slug` comes from the file or bundle
/// folder name. Errors carry file lines; the caller attaches the file name.
pub(crate) fn brief(
    raw: RawBrief,
    split: &Split<'_>,
    source: PathBuf,
    (default_slug, collection): (&str, &str),
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
    let mut optional_date =
        |key: &str, d: &Option<DateText>| match d.as_ref().map(|d| d.resolve(tz)) {
            Some(Ok(z)) => Some(z),
            Some(Err(m)) => {
                errors.push(Diagnostic::error(format!("invalid `{key}`: {m}")).at_opt(at(key)));
                None
            }
            None => None,
        };
    let expires = optional_date("expires", &raw.expires);
    let start = optional_date("start", &raw.start);
    let end = optional_date("end", &raw.end);
    let event = event(&raw, start, end, &at, &mut errors);
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
    let image_focus = match raw.image_focus.as_deref().map(parse_focus) {
        Some(Ok(f)) => Some(f),
        Some(Err(m)) => {
            errors.push(Diagnostic::error(format!("`image_focus`: {m}")).at_opt(at("image_focus")));
            None
        }
        None => None,
    };
    for (key, url) in [
        ("image", &raw.image),
        ("pdf", &raw.pdf),
        ("image_credit_url", &raw.image_credit_url),
    ] {
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
    let licence = match raw.license.as_deref().map(super::scholarly::Licence::parse) {
        Some(Err(m)) => {
            errors.push(Diagnostic::error(format!("`license`: {m}")).at_opt(at("license")));
            None
        }
        Some(Ok(l)) => Some(l),
        None => None,
    };
    let mut bibliography = Vec::new();
    for b in &raw.bibliography.0 {
        match bibliography_path(&source, b) {
            Ok(p) => bibliography.push(p),
            Err(m) => errors
                .push(Diagnostic::error(format!("`bibliography`: {m}")).at_opt(at("bibliography"))),
        }
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
        image_credit_url: raw.image_credit_url,
        image_focus,
        series: raw.series,
        translation_key: raw.translation_key.filter(|k| !k.trim().is_empty()),
        translation_of: raw.translation_of.filter(|k| !k.trim().is_empty()),
        language: raw.language,
        template: raw.template,
        doi,
        pdf: raw.pdf.filter(|p| !p.trim().is_empty()),
        publisher_series: raw.publisher_series.filter(|p| !p.trim().is_empty()),
        licence,
        bibliography,
        references: Vec::new(),
        corrections,
        aliases,
        extra: raw.extra,
        body,
        collection: collection.to_string(),
        expires,
        featured: raw.featured,
        event,
        key_positions: POSITIONED_KEYS
            .iter()
            .filter_map(|k| at(k).map(|p| (k.to_string(), p)))
            .collect(),
    })
}

/// The event fields of an item: `start` makes it an event; `end`, `location` and
/// `registration_url` need it, `end` is not before `start`, the URL passes the allow-list.
fn event(
    raw: &RawBrief,
    start: Option<ZonedDateTime>,
    end: Option<ZonedDateTime>,
    at: &dyn Fn(&str) -> Option<(usize, usize)>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Event> {
    let Some(start) = start else {
        for (key, set) in [
            ("end", raw.end.is_some()),
            ("location", raw.location.is_some()),
            ("registration_url", raw.registration_url.is_some()),
        ] {
            if set && raw.start.is_none() {
                errors.push(
                    Diagnostic::error(format!(
                        "`{key}` is for events, and this item has no `start`"
                    ))
                    .at_opt(at(key))
                    .with_hint("give the event's start time: `start: 2026-03-05 18:30`"),
                );
            }
        }
        return None;
    };
    if let Some(e) = &end
        && *e < start
    {
        errors.push(
            Diagnostic::error(format!(
                "`end` ({}) is before `start` ({})",
                e.strftime("%Y-%m-%d %H:%M"),
                start.strftime("%Y-%m-%d %H:%M")
            ))
            .at_opt(at("end")),
        );
    }
    let registration_url = raw
        .registration_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if let Some(why) = registration_url.and_then(crate::urls::refused) {
        errors.push(
            Diagnostic::error(format!("`registration_url`: {why}")).at_opt(at("registration_url")),
        );
    }
    Some(Event {
        start,
        end,
        location: raw
            .location
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string),
        registration_url: registration_url.map(str::to_string),
    })
}
