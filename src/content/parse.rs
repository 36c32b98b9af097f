//! The parse stage: each Markdown source → a validated document, in parallel and without I/O
//! (bibliographies were read before, by [`crate::biblio`]). `serve` keeps a [`ParseCache`] so
//! that an unchanged file is not parsed again.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::docs::{self, SectionDoc, TermDoc};
use super::{Parsed, Role, Source, brief, frontmatter};
use crate::biblio::Library;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::images::Catalog;
use crate::markdown::{self, Citer, MarkdownOptions, Rendered};

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

/// The heading above a brief's reference list, in its language.
pub fn references_heading(lang: &str) -> &'static str {
    match lang.split(['-', '_']).next().unwrap_or("") {
        "ar" => "المراجع",
        "fr" => "Références",
        "de" => "Literatur",
        "es" => "Referencias",
        _ => "References",
    }
}

/// Parse every source in parallel. Diagnostics are returned sorted by file.
///
/// Each source's text is freed as soon as it is parsed (its path and role stay): the texts
/// and the documents are never all in memory together. At 100,000 briefs the texts are 1.2 GB.
pub fn parse(
    sources: &mut [Source],
    config: &Config,
    lib: &Library,
    images: &Catalog,
) -> (Vec<Parsed>, Diagnostics) {
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = sources
        .par_iter_mut()
        .map(|s| {
            let parsed = parse_one(s, config, lib, images);
            s.text = String::new();
            parsed
        })
        .collect();
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

fn text_hash(text: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Like [`parse`], reusing the cached result of every file whose text is unchanged and
/// replacing the cache with this build's results.
pub fn parse_cached(
    sources: &[Source],
    config: &Config,
    lib: &Library,
    images: &Catalog,
    cache: &mut ParseCache,
) -> (Vec<Parsed>, Diagnostics) {
    let results: Vec<(u64, Result<Parsed, Vec<Diagnostic>>)> = sources
        .par_iter()
        .map(|s| {
            // A brief's rendering also depends on the bibliographies it may cite.
            // A brief's rendering also depends on the bibliographies it may cite; every
            // document's on its role (a folder that gains an `_index.md` becomes a collection).
            let h = text_hash(&(&s.role, &s.text))
                ^ match s.role {
                    Role::Brief { .. } => lib.fingerprint(),
                    _ => 0,
                }
                ^ images.fingerprint;
            match cache.map.get(&s.rel) {
                Some((old, p)) if *old == h => (h, Ok(p.clone())),
                _ => (h, parse_one(s, config, lib, images)),
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
pub fn parse_one(
    source: &Source,
    config: &Config,
    lib: &Library,
    images: &Catalog,
) -> Result<Parsed, Vec<Diagnostic>> {
    let rel = &source.rel;
    let name_file =
        |ds: Vec<Diagnostic>| ds.into_iter().map(|d| d.in_file(rel)).collect::<Vec<_>>();
    let text = frontmatter::normalise(&source.text);
    let split = frontmatter::split(&text).map_err(|d| name_file(vec![d]))?;
    let pictures = crate::images::markup::DocPictures {
        catalog: images,
        doc: rel,
        base: &config.base_path,
    };
    let pictures = images
        .enabled()
        .then_some(&pictures as &dyn crate::markdown::Pictures);
    let md_with = |lang: Option<&str>, citer: Option<&dyn Citer>| -> Rendered {
        let lang = lang.unwrap_or(&config.language);
        markdown::render(
            split.body,
            &MarkdownOptions {
                notes_heading: notes_heading(lang),
                raw_html: config.raw_html,
                first_line: split.body_line,
                citer,
                pictures,
            },
        )
    };
    let md = |lang: Option<&str>| md_with(lang, None);
    let tz = &config.timezone;
    let parsed = match &source.role {
        Role::Brief { slug, collection } => {
            let raw: brief::RawBrief =
                frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            // An edition `index.ar.md` is in the language its name gives.
            let edition = rel
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(super::edition_language)
                .map(str::to_string);
            let lang = raw_lang(&split).or_else(|| edition.clone());
            if let (Some(e), Some(l)) = (&edition, &lang)
                && crate::config::languages::primary(e) != crate::config::languages::primary(l)
            {
                let at = frontmatter::key_position(split.front, "language", split.front_line);
                return Err(name_file(vec![
                    Diagnostic::error(format!(
                        "`language` is {l:?}, but the file name says this edition is in {e:?}"
                    ))
                    .at_opt(at)
                    .with_hint(format!(
                        "remove `language`, or rename the file index.{l}.md"
                    )),
                ]));
            }
            let own = raw.bibliography_paths(rel);
            let lang_or_site = lang.as_deref().unwrap_or(&config.language);
            let citer = lib.citer(&own, lang_or_site, references_heading(lang_or_site));
            let body = md_with(lang.as_deref(), citer.as_ref().map(|c| c as &dyn Citer));
            let cite_errors: Vec<Diagnostic> = body
                .cite_errors
                .iter()
                .map(|(line, col, m)| {
                    Diagnostic::error(m.clone())
                        .at(*line, *col)
                        .with_hint("add the entry to the bibliography, or fix the key's spelling")
                })
                .collect();
            let mut doc = brief::brief(raw, &split, rel.clone(), (slug, collection), config, body)
                .map_err(|mut ds| {
                    ds.extend(cite_errors.iter().cloned());
                    name_file(ds)
                })?;
            if !cite_errors.is_empty() {
                return Err(name_file(cite_errors));
            }
            if doc.language.is_none() {
                doc.language = edition;
            }
            doc.references = lib.references(&doc.bibliography, &doc.body.cited);
            Parsed::Brief(Box::new(doc))
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
        Role::AuthorEdition { slug, language } => {
            let front: docs::RawAuthorEdition =
                frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            Parsed::AuthorEdition(Box::new(docs::AuthorEdition {
                source: rel.clone(),
                slug: slug.clone(),
                language: language.clone(),
                front,
                bio: md(Some(language.as_str())),
            }))
        }
        Role::Term { taxonomy, slug } => {
            let front: docs::RawTerm =
                frontmatter::parse(&split).map_err(|d| name_file(vec![d]))?;
            let (names, problems) = docs::term_names(&front);
            if !problems.is_empty() {
                let ds = problems
                    .into_iter()
                    .map(|(key, msg)| {
                        let at = frontmatter::key_position(split.front, &key, split.front_line);
                        Diagnostic::error(msg).at_opt(at)
                    })
                    .collect();
                return Err(name_file(ds));
            }
            Parsed::Term(Box::new(TermDoc {
                names,
                source: rel.clone(),
                taxonomy: taxonomy.clone(),
                slug: slug.clone(),
                front,
                description: md(None),
                key_positions: positions(&split, &["parent", "directors"]),
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
                key_positions: positions(&split, &["type"]),
            }))
        }
    };
    let errors = component_errors(&parsed);
    if !errors.is_empty() {
        return Err(name_file(errors));
    }
    Ok(parsed)
}

/// The component syntax errors of a parsed document's Markdown, at their lines.
fn component_errors(parsed: &Parsed) -> Vec<Diagnostic> {
    let body = match parsed {
        Parsed::Brief(b) => &b.body,
        Parsed::Page(p) => &p.body,
        Parsed::Author(a) => &a.bio,
        Parsed::AuthorEdition(e) => &e.bio,
        Parsed::Term(t) => &t.description,
        Parsed::Section(s) => &s.body,
    };
    body.component_errors
        .iter()
        .map(|(line, col, m)| {
            Diagnostic::error(m.clone())
                .at(*line, *col)
                .with_hint("components are written `{{ name(key=\"value\") }}`, or `{% name(…) %}` … `{% end %}` around a Markdown body")
        })
        .collect()
}

/// Where `keys` are written in a front matter block.
fn positions(
    split: &frontmatter::Split<'_>,
    keys: &[&str],
) -> std::collections::BTreeMap<String, (usize, usize)> {
    keys.iter()
        .filter_map(|k| {
            frontmatter::key_position(split.front, k, split.front_line).map(|p| (k.to_string(), p))
        })
        .collect()
}

/// The `language` key of a front matter block, read before the body is rendered so that the
/// endnotes heading is in the right language.
fn raw_lang(split: &frontmatter::Split<'_>) -> Option<String> {
    let (line, _) = frontmatter::key_position(split.front, "language", 1)?;
    let l = split.front.lines().nth(line - 1)?;
    let v = l.split_once([':', '='])?.1.trim().trim_matches(['"', '\'']);
    (!v.is_empty()).then(|| v.to_string())
}
