//! Content: find the site's source files (`scan`, the only I/O here) and turn each into a
//! validated document (`parse`, pure and parallel).
//!
//! Layout rules (the contract in the README): `content/briefs/**.md` are briefs, and every
//! other top-level folder with an `_index.md` (`content/reports/`, `content/events/`) is a
//! collection whose Markdown files are items like briefs; `content/authors/<slug>.md` author
//! profiles; `content/<taxonomy>/<slug>.md` term profiles; `_index.md` section metadata; other
//! Markdown files are pages; a folder holding `index.md` is a bundle whose other files are
//! copied beside the page. Symlinks are never followed.

pub mod brief;
pub mod docs;
pub mod fields;
pub mod frontmatter;
mod parse;
pub mod scholarly;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, line_col};
use crate::fsx::SiteFile;
use crate::slug::slugify;
pub use brief::BriefDoc;
pub use docs::{AuthorDoc, AuthorEdition, PageDoc, SectionDoc, TermDoc};
pub use parse::{ParseCache, notes_heading, parse, parse_cached, parse_one, references_heading};

/// What a Markdown file is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// An item of a collection: under content/briefs/, or under a top-level folder with an
    /// `_index.md`.
    Brief {
        /// Slug from the file name (or bundle folder name).
        slug: String,
        /// The collection: the top-level folder ("briefs", "reports", "events").
        collection: String,
    },
    /// Any other Markdown page.
    Page {
        /// URL path of the folder, "" or "programmes/".
        dir_path: String,
        /// Slug from the file name (or bundle folder name).
        slug: String,
    },
    /// content/authors/<slug>.md
    Author {
        /// Slug from the file name.
        slug: String,
    },
    /// content/authors/<slug>.<lang>.md: the profile in another language (issue 27).
    AuthorEdition {
        /// The profile's slug.
        slug: String,
        /// The language tag from the file name, in lower case.
        language: String,
    },
    /// content/<taxonomy>/<slug>.md
    Term {
        /// Taxonomy name.
        taxonomy: String,
        /// Slug from the file name.
        slug: String,
    },
    /// content/<dir>/_index.md
    Section {
        /// Folder under content/, "" for content/_index.md.
        dir: String,
    },
}

/// A Markdown file and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, e.g. `content/briefs/a.md`.
    pub rel: PathBuf,
    /// What it is.
    pub role: Role,
    /// The file's text, UTF-8 checked (empty once a build has parsed it: [`parse()`]).
    pub text: String,
}

/// A non-Markdown file under content/, copied to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The file.
    pub src: SiteFile,
    /// Path relative to the site root (for messages).
    pub rel: PathBuf,
    /// The bundle folder it belongs to (relative to content/, '/'-separated), if any.
    pub bundle: Option<String>,
    /// Its path relative to the bundle folder, or to content/ when not in a bundle.
    pub within: String,
}

/// What `scan` found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Markdown files, sorted by path.
    pub sources: Vec<Source>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
    /// Unreadable files, invalid UTF-8, symlinks skipped…
    pub diagnostics: Diagnostics,
}

/// A parsed document.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A brief.
    Brief(Box<BriefDoc>),
    /// A page.
    Page(Box<PageDoc>),
    /// An author profile.
    Author(Box<AuthorDoc>),
    /// An author profile's edition in another language.
    AuthorEdition(Box<docs::AuthorEdition>),
    /// A term profile.
    Term(Box<TermDoc>),
    /// Section metadata.
    Section(Box<SectionDoc>),
}

pub fn is_editor_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Walk `root/content` (following no symbolic link, see [`crate::fsx`]) and read every
/// Markdown file. A site without a `content/` folder is an error: building it would replace
/// the previous output with an empty site.
pub fn scan(root: &Path, config: &Config) -> Scan {
    let mut scan = Scan::default();
    if let Err(d) = content_folder(root) {
        scan.diagnostics.push(d);
        return scan;
    }
    let walk = crate::fsx::walk(root, Path::new("content"), is_editor_junk);
    scan.diagnostics.extend(walk.warnings);
    let mut md: Vec<(SiteFile, String)> = Vec::new(); // (file, content-relative)
    let mut others: Vec<(SiteFile, String)> = Vec::new();
    for f in walk.files {
        let Ok(within) = f.rel.strip_prefix("content") else {
            continue;
        };
        let rel_content = within.to_string_lossy().replace('\\', "/");
        if rel_content.ends_with(".md") {
            md.push((f, rel_content));
        } else {
            others.push((f, rel_content));
        }
    }
    let bundles: BTreeSet<String> = md
        .iter()
        .filter_map(|(_, r)| {
            let (dir, name) = r.rsplit_once('/')?;
            is_bundle_index(name).then(|| dir.to_string())
        })
        .collect();
    let collections = collection_dirs(md.iter().map(|(_, r)| r.as_str()), config);
    let bundle_of = |rel: &str| -> Option<String> {
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if bundles.contains(parent) {
                return Some(parent.to_string());
            }
            dir = parent;
        }
        None
    };
    for (file, rel) in others {
        let bundle = bundle_of(&rel);
        let within = match &bundle {
            Some(b) => rel[b.len() + 1..].to_string(),
            None => rel.clone(),
        };
        scan.assets.push(Asset {
            rel: file.rel.clone(),
            src: file,
            bundle,
            within,
        });
    }
    let classified: Vec<(SiteFile, Result<Role, Diagnostic>)> = md
        .into_iter()
        .filter_map(|(file, rel)| {
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            if !is_bundle_index(name) && bundle_of(&rel).is_some() {
                scan.diagnostics.push(
                    Diagnostic::warning("Markdown file inside a page bundle is ignored: only the bundle's index.md (and its editions, index.<language>.md) is a page")
                        .in_file(&file.rel),
                );
                return None;
            }
            let role = classify(&rel, config, &collections).transpose()?;
            Some((file, role))
        })
        .collect();
    let read: Vec<Result<Source, Diagnostic>> = classified
        .into_par_iter()
        .map(|(file, role)| {
            let role = role.map_err(|d| d.in_file(&file.rel))?;
            let text = read_text(&file)?;
            Ok(Source {
                rel: file.rel,
                role,
                text,
            })
        })
        .collect();
    for r in read {
        match r {
            Ok(s) => scan.sources.push(s),
            Err(d) => scan.diagnostics.push(d),
        }
    }
    scan
}

/// Read a content file as UTF-8, following no symbolic link. A file that vanished, became
/// unreadable or was swapped for a link since the walk is an error naming it, like invalid
/// UTF-8.
pub fn read_text(file: &SiteFile) -> Result<String, Diagnostic> {
    let rel = &file.rel;
    let bytes = file
        .read()
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).in_file(rel))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, col) = line_col(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        Diagnostic::error("not valid UTF-8 text (is this a binary file?)")
            .in_file(rel)
            .at(line, col)
            .with_hint("save the file as UTF-8; content files must be Markdown text")
    })
}

/// `content/` must be a real folder.
fn content_folder(root: &Path) -> Result<(), Diagnostic> {
    let shown = Path::new("content");
    match std::fs::symlink_metadata(root.join("content")) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(Diagnostic::error(
            "content/ is a symbolic link, which dossier never follows",
        )
        .in_file(shown)
        .with_hint("make content/ a real folder inside the site")),
        Ok(_) => Err(Diagnostic::error("content/ is a file, not a folder").in_file(shown)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Diagnostic::error(
            "the site has no content/ folder, so there is nothing to build",
        )
        .with_hint(
            "write briefs under content/briefs/ (`dossier new brief \"Title\"` makes one), or pass --root with the site's folder",
        )),
        Err(e) => Err(Diagnostic::error(format!("cannot read content/: {e}")).in_file(shown)),
    }
}

/// Decide a Markdown file's role from its path relative to content/; `None` for a file that is
/// not a page and is skipped silently (`_draft-notes.md`).
fn classify(
    rel: &str,
    config: &Config,
    collections: &BTreeSet<String>,
) -> Result<Option<Role>, Diagnostic> {
    let parts: Vec<&str> = rel.split('/').collect();
    let name = *parts.last().expect("split yields at least one part");
    let stem = name.trim_end_matches(".md");
    let dir = &parts[..parts.len() - 1];
    if name == "_index.md" {
        return Ok(Some(Role::Section { dir: dir.join("/") }));
    }
    if name.starts_with('_') {
        return Ok(None);
    }
    let is_bundle = is_bundle_index(name);
    if is_bundle && name != "index.md" && !collections.contains(dir.first().copied().unwrap_or(""))
    {
        return Err(Diagnostic::error(
            "only items of a collection (briefs, reports…) can have editions in other languages",
        )
        .with_hint("rename the file, or give the page's translation its own file with `language` in its front matter"));
    }
    let own_name = if is_bundle {
        match dir.last() {
            Some(d) => *d,
            None => {
                return Err(
                    Diagnostic::error("content/index.md would replace the home page").with_hint(
                        "put the home page's title and introduction in content/_index.md",
                    ),
                );
            }
        }
    } else {
        stem
    };
    let slug = {
        let s = slugify(own_name);
        if s.is_empty() {
            format!("page-{:08x}", fnv(rel))
        } else {
            s
        }
    };
    let role = match dir.first().copied() {
        Some(c) if collections.contains(c) => Role::Brief {
            slug,
            collection: c.to_string(),
        },
        Some("authors") if dir.len() == 1 && !is_bundle => match profile_edition(stem) {
            Some((profile, language)) => Role::AuthorEdition {
                slug: slugify(profile),
                language: language.to_ascii_lowercase(),
            },
            None => Role::Author { slug },
        },
        Some(t) if dir.len() == 1 && !is_bundle && config.taxonomy(t).is_some() => Role::Term {
            taxonomy: t.to_string(),
            slug,
        },
        _ => {
            let parent_parts = if is_bundle {
                &dir[..dir.len() - 1]
            } else {
                dir
            };
            let dir_path: String = parent_parts
                .iter()
                .map(|p| format!("{}/", slugify(p)))
                .collect();
            Role::Page { dir_path, slug }
        }
    };
    Ok(Some(role))
}

/// The language of a bundle's edition from its file name: `index.ar.md` → "ar" (issue 27).
/// The tag's language subtag must have two or three letters, so `index.notes.md` is not an
/// edition.
pub fn edition_language(file_name: &str) -> Option<&str> {
    let tag = file_name.strip_prefix("index.")?.strip_suffix(".md")?;
    is_edition_tag(tag).then_some(tag)
}

/// An author profile's edition from its file stem: `tariq-al-hashimi.ar` → ("tariq-al-hashimi",
/// "ar"); `jane.doe` is a profile whose name has a dot, not an edition.
pub fn profile_edition(stem: &str) -> Option<(&str, &str)> {
    let (profile, tag) = stem.rsplit_once('.')?;
    (!profile.is_empty() && is_edition_tag(tag)).then_some((profile, tag))
}

/// A language tag that can name an edition in a file name: its language subtag has two or
/// three letters.
fn is_edition_tag(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && fields::check_language(tag).is_ok()
}

/// True for the file that makes a folder a bundle: `index.md`, or an edition `index.ar.md`.
pub fn is_bundle_index(file_name: &str) -> bool {
    file_name == "index.md" || edition_language(file_name).is_some()
}

/// The collections of a site, from the content-relative paths of its Markdown files:
/// `briefs`, and every other top-level folder holding an `_index.md` that is not the authors'
/// or a taxonomy's folder.
pub fn collection_dirs<'a>(md: impl Iterator<Item = &'a str>, config: &Config) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = md
        .filter_map(|r| r.strip_suffix("/_index.md"))
        .filter(|d| !d.contains('/') && *d != "authors" && config.taxonomy(d).is_none())
        .map(str::to_string)
        .collect();
    out.insert(crate::urls::BRIEFS_DIR.to_string());
    out
}

/// A small stable hash for fallback slugs.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x01000193)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn issue_6_a_file_deleted_mid_build_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let rel = std::path::Path::new("content/briefs/gone.md");
        std::fs::create_dir_all(dir.path().join("content/briefs")).unwrap();
        std::fs::write(dir.path().join(rel), "---\ntitle: T\n---\n").unwrap();
        let file = crate::fsx::SiteFile {
            root: std::sync::Arc::new(dir.path().to_path_buf()),
            rel: rel.to_path_buf(),
        };
        std::fs::remove_file(dir.path().join(rel)).unwrap(); // between the walk and the read
        let d = super::read_text(&file).unwrap_err();
        assert_eq!(
            d.to_string()
                .lines()
                .next()
                .unwrap()
                .split(": error: ")
                .collect::<Vec<_>>()[0],
            "content/briefs/gone.md"
        );
        assert!(d.message.starts_with("cannot read:"), "{d}");
    }
}
