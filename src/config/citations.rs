//! `[citations]` in `site.toml`: how references cited inside briefs (`[@key]`) are rendered,
//! and the bibliographies every brief may cite from; and the site's default licence
//! (`[metadata] license`).
//!
//! Only names and paths are checked here; the files are read by [`crate::biblio`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::content::fields::StringList;
use crate::content::scholarly::Licence;

/// The style used when a site names none: the author-date form of the Chicago Manual of
/// Style, common in policy research.
pub const DEFAULT_STYLE: &str = "chicago-author-date";

/// `[citations]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCitations {
    style: Option<String>,
    #[serde(default)]
    bibliography: StringList,
}

/// Which CSL style renders citations in briefs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StyleRef {
    /// A style hayagriva ships, by its CSL name (`apa`, `chicago-notes`…).
    Archived(String),
    /// A `.csl` file, relative to the site root.
    File(PathBuf),
}

/// A settings file and the line and column of a value in it.
pub type WrittenAt = (PathBuf, Option<(usize, usize)>);

/// Validated `[citations]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationSettings {
    /// The style.
    pub style: StyleRef,
    /// Site-wide bibliography files, relative to the site root.
    pub bibliography: Vec<PathBuf>,
    /// Where `style` and `bibliography` are written (settings file, line and column), for
    /// errors found when the files are read.
    pub written_at: BTreeMap<&'static str, WrittenAt>,
}

impl Default for CitationSettings {
    fn default() -> Self {
        Self {
            style: StyleRef::Archived(DEFAULT_STYLE.into()),
            bibliography: Vec::new(),
            written_at: BTreeMap::new(),
        }
    }
}

impl CitationSettings {
    /// An error about the value of `key` (`style` or `bibliography`), placed where it is
    /// written.
    pub fn error_at(&self, key: &str, message: String) -> crate::diag::Diagnostic {
        let d = crate::diag::Diagnostic::error(message);
        match self.written_at.get(key) {
            Some((file, pos)) => d.in_file(file).at_opt(*pos),
            None => d.in_file("site.toml"),
        }
    }
}

/// Check `[citations]`: a style name hayagriva knows or a `.csl` path inside the site, and
/// bibliography paths inside the site. Errors are messages with the key they belong to.
pub(super) fn resolve(raw: RawCitations) -> Result<CitationSettings, Vec<(String, &'static str)>> {
    let mut errors = Vec::new();
    let style = match raw.style.as_deref().map(str::trim) {
        None => StyleRef::Archived(DEFAULT_STYLE.into()),
        Some(s) if s.ends_with(".csl") => match inside_site(s) {
            Ok(p) => StyleRef::File(p),
            Err(m) => {
                errors.push((format!("`style`: {m}"), "style"));
                StyleRef::Archived(DEFAULT_STYLE.into())
            }
        },
        Some(s) => match crate::cite::csl::archived_style(s) {
            Ok(_) => StyleRef::Archived(s.to_string()),
            Err(m) => {
                errors.push((m, "style"));
                StyleRef::Archived(DEFAULT_STYLE.into())
            }
        },
    };
    let mut bibliography = Vec::new();
    for b in &raw.bibliography.0 {
        match inside_site(b).and_then(|p| check_extension(&p).map(|()| p)) {
            Ok(p) => bibliography.push(p),
            Err(m) => errors.push((format!("`bibliography`: {m}"), "bibliography")),
        }
    }
    if errors.is_empty() {
        Ok(CitationSettings {
            style,
            bibliography,
            written_at: BTreeMap::new(),
        })
    } else {
        Err(errors)
    }
}

/// The formats a bibliography file may be in, by extension.
pub const BIBLIOGRAPHY_FORMATS: &str =
    "BibTeX/BibLaTeX (.bib), CSL-JSON (.json) or hayagriva YAML (.yaml, .yml)";

/// A bibliography path must name one of the formats hayagriva reads.
pub fn check_extension(p: &std::path::Path) -> Result<(), String> {
    match p.extension().and_then(|e| e.to_str()) {
        Some("bib" | "json" | "yaml" | "yml") => Ok(()),
        _ => Err(format!(
            "{} is not a bibliography file: use {BIBLIOGRAPHY_FORMATS}",
            p.display()
        )),
    }
}

/// A relative path without `..`, so that it names a file of the site.
pub fn inside_site(written: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(written.trim());
    let ok = !written.trim().is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(format!(
            "{written:?} must be a path inside the site, relative to its root, without `..`"
        ))
    }
}

/// `[metadata] license`: an SPDX identifier.
pub(super) fn licence(written: Option<&str>) -> Result<Option<Licence>, String> {
    written.map(Licence::parse).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(style: Option<&str>, bib: &[&str]) -> RawCitations {
        RawCitations {
            style: style.map(str::to_string),
            bibliography: StringList(bib.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn styles_and_paths() {
        let s = resolve(raw(None, &[])).unwrap();
        assert_eq!(s.style, StyleRef::Archived("chicago-author-date".into()));
        let s = resolve(raw(Some("styles/house.csl"), &["refs.bib"])).unwrap();
        assert_eq!(s.style, StyleRef::File("styles/house.csl".into()));
        assert_eq!(s.bibliography, vec![PathBuf::from("refs.bib")]);
        let e = resolve(raw(Some("chicago-author-dates"), &["../x.bib", "refs.txt"])).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].0.contains("chicago-author-date"), "{e:?}");
        assert!(e[1].0.contains("without `..`"), "{e:?}");
        assert!(e[2].0.contains("not a bibliography file"), "{e:?}");
    }
}
