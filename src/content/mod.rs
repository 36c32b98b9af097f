//! Content: find the site's source files (`scan`, the only I/O here) and turn each into a
//! validated document (`parse`, pure and parallel).
//!
//! Layout rules (the contract in the README): `content/briefs/**.md` are briefs;
//! `content/authors/<slug>.md` author profiles; `content/<taxonomy>/<slug>.md` term profiles;
//! `_index.md` section metadata; other Markdown files are pages; a folder holding `index.md` is
//! a bundle whose other files are copied beside the page. Symlinks are never followed.

pub mod docs;
pub mod fields;
pub mod frontmatter;

use std::collections::BTreeSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, line_col};
use crate::fsx::SiteFile;
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::slug::slugify;
pub use docs::{AuthorDoc, BriefDoc, PageDoc, SectionDoc, TermDoc};

/// What a Markdown file is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Under content/briefs/.
    Brief {
        /// Slug from the file name (or bundle folder name).
        slug: String,
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
    /// The file's text, UTF-8 checked.
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
            (name == "index.md").then(|| dir.to_string())
        })
        .collect();
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
            if name != "index.md" && bundle_of(&rel).is_some() {
                scan.diagnostics.push(
                    Diagnostic::warning("Markdown file inside a page bundle is ignored: only the bundle's index.md is a page")
                        .in_file(&file.rel),
                );
                return None;
            }
            let role = classify(&rel, config).transpose()?;
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
fn classify(rel: &str, config: &Config) -> Result<Option<Role>, Diagnostic> {
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
    let is_bundle = name == "index.md";
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
        Some("briefs") => Role::Brief { slug },
        Some("authors") if dir.len() == 1 && !is_bundle => Role::Author { slug },
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

/// The heading above endnotes, in the document's language.
pub fn notes_heading(lang: &str) -> &'static str {
    match lang.split(['-', '_']).next().unwrap_or("") {
        "ar" => "الهوامش",
        "fa" => "یادداشت‌ها",
        "he" => "הערות",
        "ur" => "حواشی",
        "fr" => "Notes",
        "de" => "Anmerkungen",
        "es" => "Notas",
        _ => "Notes",
    }
}

/// Parse every source in parallel. Diagnostics are returned sorted by file.
pub fn parse(sources: &[Source], config: &Config) -> (Vec<Parsed>, Diagnostics) {
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> =
        sources.par_iter().map(|s| parse_one(s, config)).collect();
    let mut out = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    for r in results {
        match r {
            Ok(p) => out.push(p),
            Err(ds) => diags.extend(ds),
        }
    }
    (out, diags)
}

/// Parse one source; every diagnostic names the file.
/// Parsed documents kept between builds by `serve`, keyed by source path and a hash of the
/// text: an unchanged file is not parsed again.
#[derive(Debug, Default)]
pub struct ParseCache {
    map: HashMap<PathBuf, (u64, Parsed)>,
}

impl ParseCache {
    /// Forget everything (the configuration changed, so every file parses differently).
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Forget some files (they were parsed outside the cache).
    pub fn forget(&mut self, rels: &[PathBuf]) {
        for r in rels {
            self.map.remove(r);
        }
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Like [`parse`], reusing the cached result of every file whose text is unchanged and
/// replacing the cache with this build's results.
pub fn parse_cached(
    sources: &[Source],
    config: &Config,
    cache: &mut ParseCache,
) -> (Vec<Parsed>, Diagnostics) {
    let results: Vec<(u64, Result<Parsed, Vec<Diagnostic>>)> = sources
        .par_iter()
        .map(|s| {
            let h = text_hash(&s.text);
            match cache.map.get(&s.rel) {
                Some((old, p)) if *old == h => (h, Ok(p.clone())),
                _ => (h, parse_one(s, config)),
            }
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    let mut map = HashMap::with_capacity(results.len());
    for (s, (h, r)) in sources.iter().zip(results) {
        match r {
            Ok(p) => {
                map.insert(s.rel.clone(), (h, p.clone()));
                out.push(p);
            }
            Err(ds) => diags.extend(ds),
        }
    }
    cache.map = map;
    (out, diags)
}

/// Parse one Markdown file.
pub fn parse_one(source: &Source, config: &Config) -> Result<Parsed, Vec<Diagnostic>> {
    let rel = &source.rel;
    let name_file =
        |ds: Vec<Diagnostic>| ds.into_iter().map(|d| d.in_file(rel)).collect::<Vec<_>>();
    let text = frontmatter::normalise(&source.text);
    let split = frontmatter::split(&text).map_err(|d| name_file(vec![d]))?;
    let md = |lang: Option<&str>| -> Rendered {
        let lang = lang.unwrap_or(&config.language);
        markdown::render(
            split.body,
            &MarkdownOptions {
                notes_heading: notes_heading(lang),
                raw_html: config.raw_html,
                first_line: split.body_line,
            },
        )
    };
    let tz = &config.timezone;
    let parsed = match &source.role {
        Role::Brief { slug } => {
            let raw: docs::RawBrief = frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            let lang = raw_lang(&split);
            let body = md(lang.as_deref());
            Parsed::Brief(Box::new(
                docs::brief(raw, &split, rel.clone(), slug, config, body).map_err(name_file)?,
            ))
        }
        Role::Page { dir_path, slug } => {
            let raw: docs::RawPage = frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            let lang = raw_lang(&split);
            let body = md(lang.as_deref());
            Parsed::Page(Box::new(
                docs::page(raw, &split, rel.clone(), dir_path, slug, tz, body)
                    .map_err(name_file)?,
            ))
        }
        Role::Author { slug } => {
            let front: docs::RawAuthor =
                frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            let doc = docs::author(front, &split, rel.clone(), slug, md(None));
            Parsed::Author(Box::new(doc.map_err(name_file)?))
        }
        Role::Term { taxonomy, slug } => {
            let front: docs::RawTerm =
                frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            Parsed::Term(Box::new(TermDoc {
                source: rel.clone(),
                taxonomy: taxonomy.clone(),
                slug: slug.clone(),
                front,
                description: md(None),
            }))
        }
        Role::Section { dir } => {
            let front: docs::RawSection =
                frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            Parsed::Section(Box::new(SectionDoc {
                source: rel.clone(),
                dir: dir.clone(),
                front,
                body: md(None),
            }))
        }
    };
    Ok(parsed)
}

/// The `language` key of a front matter block, read before the body is rendered so that the
/// endnotes heading is in the right language.
fn raw_lang(split: &frontmatter::Split<'_>) -> Option<String> {
    let (line, _) = frontmatter::key_position(split.front, "language", 1)?;
    let l = split.front.lines().nth(line - 1)?;
    let v = l.split_once([':', '='])?.1.trim().trim_matches(['"', '\'']);
    (!v.is_empty()).then(|| v.to_string())
}
