//! `site.toml` → `Config`: the site-wide settings, validated once.
//!
//! Owns defaults (language "en", time zone UTC, paginate 10, output "public") and the list of
//! taxonomies (authors is built in; topics and regions always exist; a site may declare more).
//! [`layers`] reads the settings files (`site.toml`, `--config` files, `site.<env>.toml`) and
//! overlays them; this module validates the result. It never touches content.

pub mod citations;
pub mod home;
pub mod images;
pub mod languages;
pub mod layers;
pub mod types;
mod words;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::slug::slugify;
pub use citations::{CitationSettings, StyleRef};
pub use home::{Feeds, Home};
pub use images::Images;
pub use languages::Languages;
pub use layers::{Layers, Sources};
pub use types::{CiteAs, TypeDef};

/// Taxonomies every site has besides authors.
pub const BUILTIN_TAXONOMIES: &[&str] = &["topics", "regions"];

/// The raw file, as written by the user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    #[serde(default)]
    description: String,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    paginate: Option<usize>,
    output_dir: Option<PathBuf>,
    #[serde(default)]
    taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    types: Vec<types::RawType>,
    #[serde(default)]
    menu: Vec<MenuItem>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    citations: citations::RawCitations,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    deploy: Deploy,
    #[serde(default)]
    home: Home,
    #[serde(default)]
    feeds: Feeds,
    #[serde(default)]
    images: Images,
    #[serde(default)]
    languages: Languages,
    #[serde(default)]
    extra: BTreeMap<String, serde_json::Value>,
}

/// `[deploy]`: where `dossier deploy` publishes (issue 9). Credentials never live here.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    /// The target used without `--target` (else the only one, if there is one).
    pub default_target: Option<String>,
    /// `[deploy.targets.NAME]`.
    #[serde(default)]
    pub targets: BTreeMap<String, DeployTarget>,
    /// `[[deploy.cache_control]]` rules, first match wins, before the built-in defaults.
    #[serde(default)]
    pub cache_control: Vec<CacheRule>,
}

/// One deploy target.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum DeployTarget {
    /// S3-compatible object storage (AWS S3, Cloudflare R2, MinIO, Backblaze B2…).
    S3 {
        /// Bucket name.
        bucket: String,
        /// Endpoint URL; default `https://s3.<region>.amazonaws.com`.
        endpoint: Option<String>,
        /// Region; default `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-east-1.
        region: Option<String>,
        /// Key prefix inside the bucket ("research/").
        #[serde(default)]
        prefix: String,
        /// Path-style URLs (default: yes with a custom endpoint, no for AWS).
        path_style: Option<bool>,
        /// Profile in `~/.aws/config` or `~/.aws/credentials` (default `AWS_PROFILE`, else
        /// "default").
        profile: Option<String>,
        /// A CloudFront distribution to invalidate the changed paths in after each deploy.
        cloudfront_distribution_id: Option<String>,
        /// A URL to POST the changed paths to after each deploy (other CDNs).
        purge_url: Option<String>,
    },
    /// A folder: a web server's document root, a mounted share.
    Folder {
        /// The folder (relative paths are relative to the site root).
        path: PathBuf,
        /// A URL to POST the changed paths to after each deploy (a CDN in front of the
        /// server).
        purge_url: Option<String>,
    },
}

/// A Cache-Control rule: `pattern` is a glob over output paths (`*` within a folder, `**`
/// across folders).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheRule {
    /// Glob, e.g. "**/*.html" or "images/**".
    pub pattern: String,
    /// The header value.
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    title: Option<String>,
    singular: Option<String>,
    #[serde(default = "yes")]
    feed: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    broken_links: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    raw_html: Option<String>,
    highlight_theme: Option<String>,
    highlight_theme_dark: Option<String>,
}

/// `[metadata]`: how the site describes itself to search engines, scholars and social media.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// JSON-LD type of briefs: "Article" (default), "ScholarlyArticle", "Report"…
    pub schema_type: Option<String>,
    /// Publisher name for citations and JSON-LD (default: the site title).
    pub publisher: Option<String>,
    /// Publisher logo: a site path or URL.
    pub logo: Option<String>,
    /// The site's X/Twitter handle, "@institute".
    pub twitter: Option<String>,
    /// Build citations ("Cite this brief", cite.bib, cite.ris); default true.
    pub citations: Option<bool>,
    /// The licence of everything the site publishes, as an SPDX identifier ("CC-BY-4.0");
    /// a brief's `license` overrides it.
    pub license: Option<String>,
}

/// A link in the site's main navigation.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// Link text.
    pub name: String,
    /// A path inside the site ("/topics/") or a full URL.
    pub url: String,
}

/// A taxonomy: a way of grouping briefs, each group (term) with its own page and feed.
#[derive(Debug, Clone)]
pub struct TaxonomyDef {
    /// URL segment and front matter key, e.g. "topics".
    pub name: String,
    /// Heading for the list page, e.g. "Topics".
    pub title: String,
    /// One term's kind, e.g. "Topic".
    pub singular: String,
    /// Whether each term gets an Atom feed.
    pub feed: bool,
    /// Whether site.toml names it (`title` or `singular`); topics and regions otherwise take
    /// their names from the site language's translation file ([`Config::localise`]).
    pub named_by_site: bool,
}

impl TaxonomyDef {
    /// The translation keys of a built-in taxonomy's title and singular (`topics`/`topic`,
    /// `regions`/`region`): also the search filter its terms are marked with in every language.
    /// None for a taxonomy the site declares.
    pub fn built_in_keys(&self) -> Option<(&'static str, &'static str)> {
        match self.name.as_str() {
            "topics" => Some(("topics", "topic")),
            "regions" => Some(("regions", "region")),
            _ => None,
        }
    }
}

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Absolute base URL, always ending in "/".
    pub base_url: String,
    /// The path part of `base_url` ("/" or "/research/"): every internal link starts with it.
    pub base_path: String,
    /// One-line description for feeds and meta tags.
    pub description: String,
    /// BCP 47 language tag of the site.
    pub language: String,
    /// Time zone for date-only front matter and the scheduled-publishing cut-off.
    pub timezone: TimeZone,
    /// Name of the time zone as written.
    pub timezone_name: String,
    /// Theme folder name under `themes/`; "default" is also built into the binary.
    pub theme: String,
    /// Briefs per listing page.
    pub paginate: usize,
    /// Output folder, relative to the site root unless absolute.
    pub output_dir: PathBuf,
    /// Taxonomies besides authors, in declaration order: topics, regions, then the site's own.
    pub taxonomies: Vec<TaxonomyDef>,
    /// Publication types: the built-in ones (brief, report, working paper, testimony,
    /// commentary) and the site's `[[types]]`.
    pub types: Vec<TypeDef>,
    /// The briefs collection's title when `content/briefs/_index.md` gives none ("Briefs", in
    /// the site's language once [`Config::localise`] has run).
    pub briefs_title: String,
    /// Main navigation; empty means the theme's default.
    pub menu: Vec<MenuItem>,
    /// `[markdown] raw_html`: "allow" (default) or "sanitize".
    pub raw_html: crate::markdown::RawHtml,
    /// Syntax-highlighting theme (a syntect default theme name) for light mode.
    pub highlight_theme: String,
    /// Syntax-highlighting theme for dark mode.
    pub highlight_theme_dark: String,
    /// `[metadata]`.
    pub metadata: Metadata,
    /// `[metadata] license`, validated.
    pub licence: Option<crate::content::scholarly::Licence>,
    /// `[citations]`: the style and site-wide bibliographies for references in briefs.
    pub citations: CitationSettings,
    /// `[search] enabled`: build the Pagefind index and the /search/ page (default true).
    pub search: bool,
    /// `[build] broken_links`: how `build` reports internal links and images that name
    /// nothing the site publishes (default: errors).
    pub broken_links: crate::diag::Severity,
    /// `[deploy]` targets and cache rules.
    pub deploy: Deploy,
    /// `[home]`: what the front page features.
    pub home: Home,
    /// `[feeds]`: what feeds carry.
    pub feeds: Feeds,
    /// `[images]`: how images are processed.
    pub images: Images,
    /// `[languages]`: where the site's other languages live.
    pub languages: Languages,
    /// Where keys of site.toml are written, for errors found after loading (`[home]` names).
    pub written_at: BTreeMap<&'static str, citations::WrittenAt>,
    /// Free-form values for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Config {
    /// Load `site.toml` from `root`. Errors name the file, line and column.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Self::load_from(root, &Sources::default())
    }

    /// Load the settings files `sources` names for the site at `root`.
    pub fn load_from(root: &Path, sources: &Sources) -> Result<Config, Vec<Diagnostic>> {
        Self::from_layers(&Layers::read(root, sources)?)
    }

    /// Parse and validate the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Self::from_layers(&Layers::single(text))
    }

    /// Validate overlaid settings files.
    pub fn from_layers(layers: &Layers) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = layers.parse()?;
        let mut errors = Vec::new();
        let err = |msg: String, key: &str| {
            let (file, pos) = layers.position(key);
            Diagnostic::error(msg).in_file(file).at_opt(pos)
        };
        let required = |value: Option<String>, key: &str, example: &str| {
            value.ok_or_else(|| {
                Diagnostic::error(format!("`{key}` is missing: every site needs one"))
                    .in_file(layers.base())
                    .with_hint(format!("add a line such as {example}"))
            })
        };
        let title = required(raw.title, "title", "title = \"Meridian Institute\"");
        let base_url_raw = required(
            raw.base_url,
            "base_url",
            "base_url = \"https://example.org/\"",
        );
        let (title, base_url_raw) = match (title, base_url_raw) {
            (Ok(t), Ok(b)) => (t, b),
            (t, b) => return Err(t.err().into_iter().chain(b.err()).collect()),
        };
        let base_url = normalise_base_url(&base_url_raw);
        let base_path = match base_url.as_deref().map(url_path) {
            Some(p) => p,
            None => {
                errors.push(
                    err(format!("base_url `{base_url_raw}` is not an absolute http(s) URL"), "base_url")
                        .with_hint("write it like \"https://example.org/\" or \"https://example.org/research/\""),
                );
                "/".to_string()
            }
        };
        let timezone_name = raw.timezone.unwrap_or_else(|| "UTC".to_string());
        let timezone = match TimeZone::get(&timezone_name) {
            Ok(tz) => tz,
            Err(_) => {
                errors.push(
                    err(format!("unknown time zone `{timezone_name}`"), "timezone").with_hint(
                        "use an IANA name such as \"UTC\", \"Europe/London\" or \"Asia/Beirut\"",
                    ),
                );
                TimeZone::UTC
            }
        };
        let paginate = raw.paginate.unwrap_or(10);
        if paginate == 0 {
            errors.push(err("paginate must be at least 1".into(), "paginate"));
        }
        let mut taxonomies: Vec<TaxonomyDef> = vec![
            TaxonomyDef {
                name: "topics".into(),
                title: "Topics".into(),
                singular: "Topic".into(),
                feed: true,
                named_by_site: false,
            },
            TaxonomyDef {
                name: "regions".into(),
                title: "Regions".into(),
                singular: "Region".into(),
                feed: true,
                named_by_site: false,
            },
        ];
        for t in raw.taxonomies {
            if t.name == "authors" {
                errors.push(err(
                    "`authors` is built in and cannot be declared".into(),
                    "taxonomies",
                ));
                continue;
            }
            if slugify(&t.name) != t.name {
                errors.push(err(
                    format!(
                        "taxonomy name `{}` must be a slug (lower-case letters, digits, hyphens)",
                        t.name
                    ),
                    "taxonomies",
                ));
                continue;
            }
            if let Some(existing) = taxonomies.iter_mut().find(|x| x.name == t.name) {
                existing.named_by_site |= t.title.is_some() || t.singular.is_some();
                if let Some(title) = t.title {
                    existing.title = title;
                }
                if let Some(s) = t.singular {
                    existing.singular = s;
                }
                existing.feed = t.feed;
                continue;
            }
            let title = t.title.unwrap_or_else(|| capitalise(&t.name));
            taxonomies.push(TaxonomyDef {
                singular: t
                    .singular
                    .unwrap_or_else(|| title.trim_end_matches('s').to_string()),
                title,
                name: t.name,
                feed: t.feed,
                named_by_site: true,
            });
        }
        let raw_html = match raw.markdown.raw_html.as_deref() {
            None | Some("allow") => crate::markdown::RawHtml::Allow,
            Some("sanitize") => crate::markdown::RawHtml::Sanitize,
            Some(other) => {
                errors.push(err(
                    format!("`raw_html` must be \"allow\" or \"sanitize\", not {other:?}"),
                    "raw_html",
                ));
                crate::markdown::RawHtml::Allow
            }
        };
        let highlight_theme = raw
            .markdown
            .highlight_theme
            .unwrap_or_else(|| "InspiredGitHub".into());
        let highlight_theme_dark = raw
            .markdown
            .highlight_theme_dark
            .unwrap_or_else(|| "base16-ocean.dark".into());
        for (name, key) in [
            (&highlight_theme, "highlight_theme"),
            (&highlight_theme_dark, "highlight_theme_dark"),
        ] {
            if !crate::highlight::theme_exists(name) {
                errors.push(
                    err(format!("unknown highlight theme `{name}`"), key).with_hint(format!(
                        "available: {}",
                        crate::highlight::theme_names().join(", ")
                    )),
                );
            }
        }
        if let Some(Err(m)) = raw
            .language
            .as_deref()
            .map(crate::content::fields::check_language)
        {
            errors.push(err(format!("`language`: {m}"), "language"));
        }
        if let Some(theme) = &raw.theme
            && (theme.is_empty() || theme.starts_with('.') || theme.contains(['/', '\\', '\0']))
        {
            errors.push(
                err(
                    format!("theme {theme:?} is not a folder name under themes/"),
                    "theme",
                )
                .with_hint("write the name of a folder in themes/, such as \"default\""),
            );
        }
        let publication_types = match types::resolve(raw.types) {
            Ok(t) => t,
            Err(msgs) => {
                errors.extend(msgs.into_iter().map(|m| err(m, "types")));
                types::builtins()
            }
        };
        let broken_links = match raw.build.broken_links.as_deref() {
            None | Some("error") => crate::diag::Severity::Error,
            Some("warning") => crate::diag::Severity::Warning,
            Some(other) => {
                errors.push(err(
                    format!("`broken_links` must be \"error\" or \"warning\", not {other:?}"),
                    "broken_links",
                ));
                crate::diag::Severity::Error
            }
        };
        for m in &raw.menu {
            if let Some(why) = crate::urls::refused(&m.url) {
                errors.push(err(format!("menu item {:?}: {why}", m.name), "url"));
            }
        }
        if let Some(why) = raw.metadata.logo.as_deref().and_then(crate::urls::refused) {
            errors.push(err(format!("`logo`: {why}"), "logo"));
        }
        let licence = citations::licence(raw.metadata.license.as_deref())
            .map_err(|m| errors.push(err(format!("`license`: {m}"), "license")))
            .unwrap_or_default();
        let mut citation_settings = citations::resolve(raw.citations)
            .map_err(|ms| errors.extend(ms.into_iter().map(|(m, k)| err(m, k))))
            .unwrap_or_default();
        for key in ["style", "bibliography"] {
            citation_settings
                .written_at
                .insert(key, layers.position(key));
        }
        for (m, key) in raw.images.problems() {
            errors.push(err(m, key));
        }
        for (m, key) in raw.languages.problems() {
            errors.push(err(m, key));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let written_at = ["featured", "latest_types", "strip"]
            .into_iter()
            .map(|k| (k, layers.position(k)))
            .collect();
        Ok(Config {
            title,
            base_url: base_url.expect("checked above"),
            base_path,
            description: raw.description,
            language: raw.language.unwrap_or_else(|| "en".into()),
            timezone,
            timezone_name,
            theme: raw.theme.unwrap_or_else(|| "default".into()),
            paginate,
            output_dir: raw.output_dir.unwrap_or_else(|| PathBuf::from("public")),
            taxonomies,
            types: publication_types,
            briefs_title: "Briefs".into(),
            menu: raw.menu,
            raw_html,
            highlight_theme,
            highlight_theme_dark,
            metadata: raw.metadata,
            licence,
            citations: citation_settings,
            search: raw.search.enabled.unwrap_or(true),
            broken_links,
            deploy: raw.deploy,
            home: raw.home,
            feeds: raw.feeds,
            images: raw.images,
            languages: raw.languages,
            written_at,
            extra: raw.extra,
        })
    }

    /// Replace the base URL (for `--base-url`). Returns false when the URL is not absolute.
    pub fn set_base_url(&mut self, url: &str) -> bool {
        match normalise_base_url(url) {
            Some(u) => {
                self.base_path = url_path(&u);
                self.base_url = u;
                true
            }
            None => false,
        }
    }

    /// Publisher name: `[metadata] publisher`, else the site title.
    pub fn publisher(&self) -> &str {
        self.metadata.publisher.as_deref().unwrap_or(&self.title)
    }

    /// The publication type with this name.
    pub fn publication_type(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The taxonomy definition with this name.
    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyDef> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// The first letter in upper case, the rest as written.
pub(crate) fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c)
            .collect::<String>()
            .replace('-', " "),
        None => String::new(),
    }
}

/// `https://example.org/research` → `https://example.org/research/`; None unless http(s).
fn normalise_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ', '\\']) {
        return None;
    }
    let mut u = url.to_string();
    if !u.ends_with('/') {
        u.push('/');
    }
    Some(u)
}

/// The path of a normalised absolute URL: "https://a.org/x/" → "/x/".
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_path() {
        let c =
            Config::parse("title = \"T\"\nbase_url = \"https://example.org/research\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/research/");
        assert_eq!(c.base_path, "/research/");
        assert_eq!(c.language, "en");
        assert_eq!(c.paginate, 10);
        assert_eq!(c.timezone_name, "UTC");
        assert_eq!(c.taxonomies.len(), 2);
    }

    #[test]
    fn errors_have_positions() {
        let e = Config::parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\ntimezone = \"Mars/Olympus\"\n",
        )
        .unwrap_err();
        assert_eq!(e[0].line, Some(3), "{e:?}");
        let e =
            Config::parse("title = \"T\"\nbase_url = \"https://x.org/\"\ntitel = 3\n").unwrap_err();
        assert_eq!(e[0].line, Some(3), "{e:?}");
        assert!(e[0].message.contains("titel"), "{e:?}");
    }
}
