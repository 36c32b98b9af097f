//! Bibliographies and the citation style: what `[@key]` in a brief is resolved against.
//!
//! `load` is an I/O stage between scanning and parsing: it reads the site's bibliographies
//! (`[citations] bibliography` in site.toml) and every file a brief names in its front matter
//! (`bibliography: refs.bib`, relative to the brief's folder), each once, through
//! [`crate::fsx`] (no symbolic link is followed), and the CSL style: one hayagriva ships, or a
//! `.csl` file of the site. BibTeX/BibLaTeX and hayagriva YAML are read by hayagriva; CSL-JSON
//! is rewritten into hayagriva's model first (see [`csljson`]). Errors name the file, line and
//! column. A site without bibliographies loads nothing and pays nothing.
//!
//! The loaded [`Library`] is immutable and shared by the parallel parse stage, where each
//! brief's Markdown gets a [`BriefCiter`] (see [`render`]): its own bibliographies first,
//! then the site's.

mod csljson;
mod fixups;
mod meta;
mod read;
mod render;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hayagriva::citationberg::{IndependentStyle, Locale, StyleClass};

use crate::config::Config;
use crate::content::Source;
use crate::diag::Diagnostic;

pub use meta::Reference;
pub use render::BriefCiter;

/// One bibliography file, parsed.
#[derive(Debug)]
pub struct BibFile {
    /// Path relative to the site root.
    pub rel: PathBuf,
    /// Its entries by key.
    pub entries: hayagriva::Library,
    /// The line where each key is written, for messages.
    pub lines: BTreeMap<String, usize>,
}

/// The CSL style every brief's citations are rendered in.
#[derive(Debug)]
pub struct CiteStyle {
    /// The style.
    pub csl: IndependentStyle,
    /// Locales parsed so far, by primary language subtag (parsed on first use: parsing all
    /// of hayagriva's locales costs ~40 ms, most sites need one or two).
    locales: Mutex<HashMap<String, Arc<Vec<Locale>>>>,
}

impl CiteStyle {
    /// A style whose locales are parsed as languages ask for them.
    pub fn new(csl: IndependentStyle) -> Self {
        Self {
            csl,
            locales: Mutex::default(),
        }
    }

    /// The locales a brief in `language` may need: English (every style falls back to it)
    /// and that language.
    pub fn locales(&self, language: &str) -> Arc<Vec<Locale>> {
        let primary = crate::cite::csl::primary_language(language);
        let mut cache = self.locales.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(primary)
            .or_insert_with_key(|p| Arc::new(crate::cite::csl::locales(p)))
            .clone()
    }

    /// A note style (Chicago notes…): citations become notes.
    pub fn is_note(&self) -> bool {
        self.csl.settings.class == StyleClass::Note
    }
}

/// Every bibliography of the site and the style; empty for a site without references.
#[derive(Debug, Default)]
pub struct Library {
    files: BTreeMap<PathBuf, Arc<BibFile>>,
    site: Vec<PathBuf>,
    style: Option<Arc<CiteStyle>>,
    fingerprint: u64,
}

impl Library {
    /// Read the bibliographies `config` and the briefs in `sources` name, and the style.
    pub fn load(root: &Path, config: &Config, sources: &[Source]) -> (Library, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let wanted = read::wanted(config, sources);
        if wanted.is_empty() {
            return (Library::default(), diags);
        }
        let style = match read::style(root, config) {
            Ok(s) => Some(Arc::new(s)),
            Err(d) => {
                diags.push(d);
                None
            }
        };
        let (files, file_diags, fingerprint) = read::files(root, &wanted);
        diags.extend(file_diags);
        let lib = Library {
            files,
            site: config.citations.bibliography.clone(),
            style,
            fingerprint,
        };
        (lib, diags)
    }

    /// True when the site has no bibliography at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A hash of every bibliography's text and the style: when it changes, briefs that cite
    /// must be rendered again.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Whether this path was read as a bibliography (such files are not published).
    pub fn is_bibliography(&self, rel: &Path) -> bool {
        self.files.contains_key(rel)
    }

    /// The files a brief with these `own` bibliographies searches, in order: its own, then
    /// the site's.
    pub fn scope<'a>(&'a self, own: &'a [PathBuf]) -> Vec<&'a BibFile> {
        let mut seen = Vec::new();
        for p in own.iter().chain(&self.site) {
            if let Some(f) = self.files.get(p)
                && !seen.iter().any(|s: &&BibFile| s.rel == f.rel)
            {
                seen.push(f.as_ref());
            }
        }
        seen
    }

    /// The citer for a brief, or none when no bibliography applies to it.
    pub fn citer<'a>(
        &'a self,
        own: &'a [PathBuf],
        language: &str,
        heading: &'a str,
    ) -> Option<BriefCiter<'a>> {
        let scope = self.scope(own);
        if scope.is_empty() {
            return None;
        }
        let style = self.style.as_deref()?;
        Some(BriefCiter::new(scope, style, language, heading))
    }

    /// Every bibliography file.
    pub fn files(&self) -> impl Iterator<Item = &BibFile> {
        self.files.values().map(|f| f.as_ref())
    }

    /// The site-wide bibliographies.
    pub fn site_files(&self) -> Vec<&BibFile> {
        self.scope(&[])
    }

    /// The metadata of the works a brief cites (for JSON-LD and Highwire tags), in order.
    pub fn references(&self, own: &[PathBuf], keys: &[String]) -> Vec<Reference> {
        let scope = self.scope(own);
        keys.iter()
            .filter_map(|k| scope.iter().find_map(|f| f.entries.get(k)))
            .map(meta::reference)
            .collect()
    }
}
