//! `dossier import wordpress EXPORT.xml` (issue 28): a WordPress site's export made into a
//! dossier site's content. Posts become briefs (bundles when they carry media), pages become
//! standalone pages, users and Co-Authors Plus guest authors become author profiles,
//! categories, tags and custom taxonomies become terms of the taxonomy `--map` names, old
//! permalinks become `aliases`, the featured image the brief's hero (with its alt text and
//! caption), and media come from a local copy of `wp-content/uploads` (`--uploads`; nothing is
//! fetched).
//!
//! Safe to run again: a file that exists is never overwritten (the same content is reported
//! unchanged; different content is reported and left), and each item is written whole or not
//! at all (a bundle is assembled in a hidden folder and renamed into place). A problem with one
//! item (a missing upload, a slug taken twice) is reported with the item's title and line in
//! the export, and the other items are still written. A malformed export writes nothing.
//!
//! [`wxr`] reads the export, [`convert`] turns bodies into Markdown; this module maps and writes.

pub mod convert;
mod embeds;
mod profiles;
mod write;
pub mod wxr;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::slug::slugify;

use convert::plain;
use profiles::{Front, People, term_profiles};
pub use write::{Outcome, Report};

/// What `dossier import wordpress` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// The export file.
    pub export: PathBuf,
    /// A local copy of `wp-content/uploads`.
    pub uploads: Option<PathBuf>,
    /// WordPress taxonomy → dossier taxonomy ("none" drops it).
    pub map: BTreeMap<String, String>,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
}

/// One document to write: its path under the site root, its text, and the uploads to copy
/// beside it (upload path → file name in the bundle).
#[derive(Debug, Clone)]
pub struct Doc {
    /// What it is, for the report: "brief", "page", "author", "topic".
    pub kind: &'static str,
    /// The item it comes from: its title and line in the export.
    pub from: String,
    /// `content/briefs/slug.md`, or the bundle's `content/briefs/slug/index.md`.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// Uploads to copy into the bundle.
    pub files: BTreeMap<String, String>,
}

/// Read the export, map it, and write it into the site at `root` (whose settings are
/// `config`). The report lists what was written, left and skipped.
pub fn wordpress(root: &Path, config: &Config, opts: &Options) -> Result<Report, Diagnostic> {
    let text = std::fs::read_to_string(&opts.export).map_err(|e| {
        Diagnostic::error(format!("cannot read the export: {e}")).in_file(&opts.export)
    })?;
    let export = wxr::parse(&text).map_err(|(line, col, m)| {
        // The parser ends its message with the position, which the diagnostic prints.
        let m = match m.rsplit_once(" at ") {
            Some((msg, pos)) if pos.chars().all(|c| c.is_ascii_digit() || c == ':') => msg,
            _ => m.as_str(),
        };
        Diagnostic::error(format!("the export is not valid XML: {m}"))
            .in_file(&opts.export)
            .at(line as usize, col as usize)
            .with_hint("export again from Tools → Export; nothing was written")
    })?;
    let map = taxonomy_map(config, &export, &opts.map)?;
    let mut report = Report::default();
    for (wp, _) in map
        .iter()
        .filter(|(wp, o)| *o == "none" && !opts.map.contains_key(*wp))
    {
        report.note(
            &format!("WordPress taxonomy `{wp}`"),
            &format!("its terms are left out: the site has no taxonomy of that name (--map {wp}=TAXONOMY imports them)"),
        );
    }
    let docs = plan(config, &export, &map, opts, &mut report);
    write::write(root, &docs, opts, &mut report);
    Ok(report)
}

/// WordPress taxonomy → dossier taxonomy: `--map` first, then categories and tags to topics,
/// a custom taxonomy to the dossier taxonomy of the same name (singular or plural), else none.
fn taxonomy_map(
    config: &Config,
    export: &wxr::Export,
    asked: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let known: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    for (wp, ours) in asked {
        if ours != "none" && !known.contains(&ours.as_str()) {
            return Err(Diagnostic::error(format!(
                "--map {wp}={ours}: the site has no taxonomy `{ours}`"
            ))
            .with_hint(format!(
                "its taxonomies are {}, or `none` to leave the terms out",
                known.join(", ")
            )));
        }
    }
    let mut used: BTreeSet<&str> = export.terms.iter().map(|t| t.taxonomy.as_str()).collect();
    used.extend(
        export
            .items
            .iter()
            .flat_map(|i| i.categories.iter().map(|c| c.0.as_str())),
    );
    let mut map = BTreeMap::new();
    for wp in used {
        if matches!(
            wp,
            "author" | "nav_menu" | "post_format" | "language" | "post_translations"
        ) {
            continue;
        }
        let ours = asked.get(wp).cloned().or_else(|| match wp {
            "category" | "post_tag" => Some("topics".to_string()),
            other => known
                .iter()
                .find(|k| {
                    **k == other || **k == format!("{other}s") || k.trim_end_matches('s') == other
                })
                .map(|k| k.to_string()),
        });
        map.insert(wp.to_string(), ours.unwrap_or_else(|| "none".into()));
    }
    Ok(map)
}

/// Every document the export makes, with the report of what was left out and why.
fn plan(
    config: &Config,
    export: &wxr::Export,
    map: &BTreeMap<String, String>,
    opts: &Options,
    report: &mut Report,
) -> Vec<Doc> {
    let attachments: BTreeMap<&str, &wxr::Item> = export
        .items
        .iter()
        .filter(|i| i.post_type == "attachment")
        .map(|i| (i.id.as_str(), i))
        .collect();
    let gallery: convert::Attachments = attachments
        .iter()
        .filter_map(|(id, a)| {
            let path = upload_path(&a.attachment_url)?;
            let alt = a
                .meta
                .get("_wp_attachment_image_alt")
                .cloned()
                .unwrap_or_default();
            Some((id.to_string(), (path, alt, a.excerpt.trim().to_string())))
        })
        .collect();
    let mut p = Planner {
        config,
        export,
        map,
        opts,
        attachments,
        gallery,
        people: People::new(export),
        slugs: BTreeMap::new(),
        authors_used: BTreeSet::new(),
        terms_used: BTreeSet::new(),
    };
    let mut docs: Vec<Doc> = export
        .items
        .iter()
        .filter_map(|item| p.item(item, report))
        .collect();
    docs.extend(p.people.profiles(&p.authors_used));
    docs.extend(term_profiles(export, map, &p.terms_used));
    docs
}

/// The mapping of one export, item by item.
struct Planner<'a> {
    config: &'a Config,
    export: &'a wxr::Export,
    map: &'a BTreeMap<String, String>,
    opts: &'a Options,
    attachments: BTreeMap<&'a str, &'a wxr::Item>,
    gallery: convert::Attachments,
    people: People<'a>,
    /// Where each slug went, and the item that took it.
    slugs: BTreeMap<PathBuf, String>,
    authors_used: BTreeSet<String>,
    terms_used: BTreeSet<(String, String)>,
}

impl<'a> Planner<'a> {
    /// One item's document, or none (left out or failed, as the report says).
    fn item(&mut self, item: &wxr::Item, report: &mut Report) -> Option<Doc> {
        let from = format!("{:?} (line {} of the export)", item.title, item.line);
        let kind = kind_of(item, &from, report)?;
        let draft = status(item, &from, report)?;
        // WordPress keeps non-Latin slugs percent-encoded.
        let wp_slug = percent_encoding::percent_decode_str(&item.slug).decode_utf8_lossy();
        let slug = if wp_slug.is_empty() {
            slugify(&item.title)
        } else {
            slugify(&wp_slug)
        };
        if slug.is_empty() {
            report.failed(&from, "no slug and no title to make one from");
            return None;
        }
        let converted = convert::convert(&item.content, &item.title, &self.gallery);
        report.kept(&from, &converted.kept);
        let mut files = converted.uploads.clone();
        let hero = self.hero(item);
        if let Some((path, _)) = &hero {
            let name = files.get(path).cloned().unwrap_or_else(|| file_name(path));
            files.insert(path.clone(), name);
        }
        if self.opts.uploads.is_none() && !files.is_empty() {
            report.note(
                &from,
                &format!(
                    "{} media files left at the old site's addresses (give --uploads to copy them)",
                    files.len()
                ),
            );
        }
        let bundle = self.opts.uploads.is_some() && !files.is_empty();
        let path = match (kind, bundle) {
            ("brief", true) => PathBuf::from(format!("content/briefs/{slug}/index.md")),
            ("brief", false) => PathBuf::from(format!("content/briefs/{slug}.md")),
            (_, true) => PathBuf::from(format!("content/{slug}/index.md")),
            _ => PathBuf::from(format!("content/{slug}.md")),
        };
        let key = path.parent().map(|p| p.join(&slug)).unwrap_or_default();
        if let Some(first) = self.slugs.get(&key) {
            report.failed(&from, &format!("its slug `{slug}` is also {first}'s; give one of them another slug in WordPress and export again"));
            return None;
        }
        self.slugs.insert(key, from.clone());
        let mut front = Front::default();
        front.text("title", &item.title);
        front.raw("date", &date(self.config, item));
        self.language(item, &mut front);
        if kind == "brief" {
            self.brief_fields(item, &mut front);
            if let Some((upload, a)) = &hero {
                hero_fields(
                    &mut front,
                    a,
                    if bundle {
                        &files[upload]
                    } else {
                        &a.attachment_url
                    },
                );
            }
        }
        if draft {
            front.raw("draft", "true");
        }
        self.alias(item, &slug, kind, &from, &mut front, report);
        front.raw("extra", &format!("{{wordpress_id: {}}}", json(&item.id)));
        let markdown = if bundle {
            converted.markdown.clone()
        } else {
            // Without the files, point the body back at the old site's copies.
            relink(
                &converted.markdown,
                &converted.uploads,
                &self.export.site_url,
            )
        };
        Some(Doc {
            kind,
            from,
            path,
            text: format!("{}{}", front.finish(), markdown),
            files: if bundle { files } else { BTreeMap::new() },
        })
    }

    /// The featured image: its upload path and attachment.
    fn hero(&self, item: &wxr::Item) -> Option<(String, &'a wxr::Item)> {
        let a = self
            .attachments
            .get(item.meta.get("_thumbnail_id")?.as_str())?;
        Some((upload_path(&a.attachment_url)?, *a))
    }

    /// Polylang records an item's language as a term.
    fn language(&self, item: &wxr::Item, front: &mut Front) {
        let primary = crate::config::languages::primary;
        let language = item
            .categories
            .iter()
            .find(|c| c.0 == "language")
            .map(|c| c.1.clone());
        if let Some(l) = language.filter(|l| primary(l) != primary(&self.config.language)) {
            front.text("language", &l);
        }
    }

    /// A brief's authors, terms and summary.
    fn brief_fields(&mut self, item: &wxr::Item, front: &mut Front) {
        let authors = self.people.of(item);
        self.authors_used.extend(authors.iter().cloned());
        if !authors.is_empty() {
            front.list(
                "authors",
                &authors.iter().map(|a| slugify(a)).collect::<Vec<_>>(),
            );
        }
        let mut by_tax: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (wp, term_slug, name) in &item.categories {
            let Some(ours) = self.map.get(wp).filter(|o| *o != "none") else {
                continue;
            };
            if name.is_empty() || (wp == "category" && term_slug == "uncategorized") {
                continue;
            }
            by_tax.entry(ours.as_str()).or_default().push(name.clone());
            self.terms_used.insert((wp.clone(), term_slug.clone()));
        }
        for t in ["topics", "regions"] {
            if let Some(names) = by_tax.remove(t) {
                front.list(t, &names);
            }
        }
        if !by_tax.is_empty() {
            front.map_of_lists("taxonomies", &by_tax);
        }
        let excerpt = item.excerpt.trim();
        if !excerpt.is_empty() {
            front.text("summary", &plain(excerpt));
        }
    }

    /// The old permalink as an alias, when it differs from the new address and can redirect.
    fn alias(
        &self,
        item: &wxr::Item,
        slug: &str,
        kind: &str,
        from: &str,
        front: &mut Front,
        report: &mut Report,
    ) {
        let alias = old_path(&self.export.site_url, &item.link).map(|p| {
            percent_encoding::percent_decode_str(&p)
                .decode_utf8_lossy()
                .into_owned()
        });
        let new_path = match kind {
            "brief" => format!("/briefs/{slug}/"),
            _ => format!("/{slug}/"),
        };
        match alias {
            Some(a) if a.contains('?') => report.note(
                from,
                &format!(
                    "its old address {a} has a query string, which a static site cannot redirect"
                ),
            ),
            Some(a) if a != new_path => front.list("aliases", &[a]),
            _ => {}
        }
    }
}

/// What an item becomes ("brief", "page"), or none when it is left out.
fn kind_of(item: &wxr::Item, from: &str, report: &mut Report) -> Option<&'static str> {
    match item.post_type.as_str() {
        "post" => Some("brief"),
        "page" => Some("page"),
        "attachment"
        | "guest-author"
        | "nav_menu_item"
        | "revision"
        | "custom_css"
        | "customize_changeset"
        | "wp_block"
        | "wp_template"
        | "wp_template_part"
        | "wp_global_styles"
        | "wp_navigation"
        | "oembed_cache"
        | "user_request" => None,
        other => {
            report.skipped(
                from,
                &format!("post type `{other}` has no place in dossier"),
            );
            None
        }
    }
}

/// Whether an item is a draft, or none when its status leaves it out.
fn status(item: &wxr::Item, from: &str, report: &mut Report) -> Option<bool> {
    match item.status.as_str() {
        "publish" | "future" => Some(false),
        "draft" | "pending" => Some(true),
        "private" => {
            report.skipped(from, "private: not published on the old site either");
            None
        }
        other => {
            report.skipped(from, &format!("status `{other}`"));
            None
        }
    }
}

/// The hero's fields from its attachment: `image` (the bundle copy, or the old address),
/// `image_alt`, `image_caption`.
fn hero_fields(front: &mut Front, a: &wxr::Item, image: &str) {
    front.text("image", image);
    let alt = a
        .meta
        .get("_wp_attachment_image_alt")
        .map(String::as_str)
        .unwrap_or("");
    if !alt.trim().is_empty() {
        front.text("image_alt", alt.trim());
    }
    if !a.excerpt.trim().is_empty() {
        front.text("image_caption", &plain(&a.excerpt));
    }
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// The upload path of an attachment URL ("2024/05/dam.jpg").
fn upload_path(url: &str) -> Option<String> {
    let i = url.find("/wp-content/uploads/")?;
    let p = &url[i + "/wp-content/uploads/".len()..];
    let p = p.split(['?', '#']).next().unwrap_or(p);
    (!p.is_empty() && !p.split('/').any(|s| s == ".." || s.is_empty())).then(|| p.to_string())
}

/// Bundle file names back to the old site's upload URLs, for a brief written without them.
fn relink(md: &str, uploads: &BTreeMap<String, String>, site_url: &str) -> String {
    let mut out = md.to_string();
    for (path, name) in uploads {
        let url = format!(
            "{}/wp-content/uploads/{path}",
            site_url.trim_end_matches('/')
        );
        out = out.replace(&format!("({name})"), &format!("({url})"));
        out = out.replace(&format!("src=\"{name}\""), &format!("src=\"{url}\""));
    }
    out
}

/// The path of an old permalink on the old site ("/2024/05/hello/"), if it is one of its.
fn old_path(site_url: &str, link: &str) -> Option<String> {
    let base = url::Url::parse(site_url).ok()?;
    let u = url::Url::parse(link).ok()?;
    if u.host_str() != base.host_str() {
        return None;
    }
    let base_path = base.path().trim_end_matches('/');
    let path = u.path().strip_prefix(base_path).unwrap_or(u.path());
    let mut p = path.to_string();
    if let Some(q) = u.query() {
        p.push('?');
        p.push_str(q);
    }
    (p != "/" && !p.is_empty()).then_some(p)
}

/// An item's date in the site's time zone, RFC 3339: the GMT date, else the local one (drafts
/// have no GMT date).
fn date(config: &Config, item: &wxr::Item) -> String {
    let parse = |s: &str| jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", s.trim()).ok();
    let tz = &config.timezone;
    let zoned = match parse(&item.date_gmt).filter(|d| d.year() > 1) {
        Some(dt) => dt
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().to_zoned_datetime(tz.clone())),
        None => match parse(&item.date_local).filter(|d| d.year() > 1) {
            Some(dt) => dt.to_zoned_datetime(tz.clone()),
            // A draft never saved with a date: today.
            None => Ok(crate::clock()
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
                .to_zoned_datetime(tz.clone())),
        },
    };
    zoned.map_or_else(
        |_| "1970-01-01".into(),
        |z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    )
}

/// A JSON string: also a YAML double-quoted string.
fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}
