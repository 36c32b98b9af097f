//! Reading bibliographies and the style from the site: which files are wanted and by whom,
//! reading each once (in parallel, never through a symbolic link), parsing by extension, and
//! errors placed in the file that names the missing one or in the bibliography itself.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use super::{BibFile, CiteStyle};
use crate::config::{Config, StyleRef};
use crate::content::fields::StringList;
use crate::content::{Role, Source, frontmatter};
use crate::diag::{Diagnostic, line_col};

/// Who names a bibliography: a file and where in it.
#[derive(Debug, Clone)]
pub(super) struct Wanter {
    file: PathBuf,
    pos: Option<(usize, usize)>,
}

/// Only the `bibliography` key of a brief's front matter (every other key is ignored here;
/// the parse stage checks them).
#[derive(Deserialize)]
struct OnlyBibliography {
    #[serde(default)]
    bibliography: StringList,
}

/// Every bibliography the site and its briefs name, with who names it.
pub(super) fn wanted(config: &Config, sources: &[Source]) -> BTreeMap<PathBuf, Vec<Wanter>> {
    let mut out: BTreeMap<PathBuf, Vec<Wanter>> = BTreeMap::new();
    let (site_file, site_pos) = config
        .citations
        .written_at
        .get("bibliography")
        .cloned()
        .unwrap_or_else(|| (PathBuf::from("site.toml"), None));
    for p in &config.citations.bibliography {
        out.entry(p.clone()).or_default().push(Wanter {
            file: site_file.clone(),
            pos: site_pos,
        });
    }
    for s in sources {
        if !matches!(s.role, Role::Brief { .. }) || !s.text.contains("bibliography") {
            continue;
        }
        let text = frontmatter::normalise(&s.text);
        let Ok(split) = frontmatter::split(&text) else {
            continue;
        };
        let Ok(only) = frontmatter::parse::<OnlyBibliography>(&split) else {
            continue;
        };
        let pos = frontmatter::key_position(split.front, "bibliography", split.front_line);
        for b in &only.bibliography.0 {
            // Invalid paths are reported by the parse stage, at the same key.
            if let Ok(p) = crate::content::brief::bibliography_path(&s.rel, b) {
                out.entry(p).or_default().push(Wanter {
                    file: s.rel.clone(),
                    pos,
                });
            }
        }
    }
    out
}

/// The configured style: from hayagriva's archive, or a `.csl` file of the site.
pub(super) fn style(root: &Path, config: &Config) -> Result<CiteStyle, Diagnostic> {
    let c = &config.citations;
    let csl = match &c.style {
        StyleRef::Archived(name) => crate::cite::csl::archived_style(name),
        StyleRef::File(rel) => match crate::fsx::read(root, rel) {
            Ok(bytes) => crate::cite::csl::style_from_xml(&String::from_utf8_lossy(&bytes))
                .map_err(|m| format!("{}: {m}", rel.display())),
            Err(e) => Err(format!("cannot read {}: {e}", rel.display())),
        },
    }
    .map_err(|m| c.error_at("style", format!("`style`: {m}")))?;
    Ok(CiteStyle::new(csl))
}

/// Read and parse every wanted file. Returns the files that parsed, the errors, and a hash
/// of every text read (and the style setting).
pub(super) fn files(
    root: &Path,
    wanted: &BTreeMap<PathBuf, Vec<Wanter>>,
) -> (BTreeMap<PathBuf, Arc<BibFile>>, Vec<Diagnostic>, u64) {
    type Read = Result<(BibFile, String), Vec<Diagnostic>>;
    let results: Vec<(PathBuf, Read)> = wanted
        .par_iter()
        .map(|(rel, by)| (rel.clone(), read_one(root, rel, by)))
        .collect();
    let mut files = BTreeMap::new();
    let mut diags = Vec::new();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (rel, r) in results {
        rel.hash(&mut h);
        match r {
            Ok((f, text)) => {
                text.hash(&mut h);
                files.insert(rel, Arc::new(f));
            }
            Err(ds) => diags.extend(ds),
        }
    }
    (files, diags, h.finish())
}

fn read_one(root: &Path, rel: &Path, by: &[Wanter]) -> Result<(BibFile, String), Vec<Diagnostic>> {
    let bytes = crate::fsx::read(root, rel).map_err(|e| {
        by.iter()
            .map(|w| {
                Diagnostic::error(format!(
                    "`bibliography`: cannot read {}: {e}",
                    rel.display()
                ))
                .in_file(&w.file)
                .at_opt(w.pos)
            })
            .collect::<Vec<_>>()
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![Diagnostic::error("not valid UTF-8 text; save the bibliography as UTF-8").in_file(rel)]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    let entries = match ext {
        "bib" => bibtex(&text)
            .map_err(|ds| ds.into_iter().map(|d| d.in_file(rel)).collect::<Vec<_>>())?,
        "json" => super::csljson::parse(&text)
            .map_err(|m| vec![Diagnostic::error(format!("CSL-JSON: {m}")).in_file(rel)])?,
        _ => hayagriva::io::from_yaml_str(&text).map_err(|e| {
            let d = Diagnostic::error(format!("hayagriva YAML: {e}")).in_file(rel);
            vec![match e.location() {
                Some(l) => d.at(l.line(), l.column()),
                None => d,
            }]
        })?,
    };
    let entries = super::fixups::normalise(entries);
    let lines = key_lines(&text, &entries, ext);
    Ok((
        BibFile {
            rel: rel.to_path_buf(),
            entries,
            lines,
        },
        text,
    ))
}

/// BibTeX/BibLaTeX through hayagriva, errors at their line and column.
fn bibtex(text: &str) -> Result<hayagriva::Library, Vec<Diagnostic>> {
    hayagriva::io::from_biblatex_str(text).map_err(|errs| {
        errs.into_iter()
            .map(|e| {
                let (span, what) = match &e {
                    hayagriva::io::BibLaTeXError::Parse(p) => (p.span.clone(), p.kind.to_string()),
                    hayagriva::io::BibLaTeXError::Type(t) => (t.span.clone(), t.kind.to_string()),
                };
                let (line, col) = line_col(text, span.start.min(text.len()));
                Diagnostic::error(format!("BibTeX: {what}")).at(line, col)
            })
            .collect()
    })
}

/// Where each key is written: `@type{key,` in BibTeX, `"id": "key"` in CSL-JSON, `key:` at
/// the start of a line in YAML.
fn key_lines(text: &str, entries: &hayagriva::Library, ext: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for e in entries.iter() {
        let k = e.key();
        let found = match ext {
            "bib" => text.find(&format!("{{{k},")),
            "json" => text
                .find(&format!("\"id\": \"{k}\""))
                .or_else(|| text.find(&format!("\"id\":\"{k}\""))),
            _ => text
                .match_indices(&format!("{k}:"))
                .find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')
                .map(|(i, _)| i),
        };
        if let Some(i) = found {
            out.insert(k.to_string(), line_col(text, i).0);
        }
    }
    out
}
