//! Template lookup: the site's `templates/` → the theme's `templates/` → the default theme
//! built into the binary, so that a new site always builds.
//!
//! Every theme template is also registered as `theme/<name>`, so a site template can override
//! `brief.html` and still `{% extends "theme/brief.html" %}`. Owns the Tera instance and the
//! filters dossier adds; maps Tera's errors to diagnostics naming the template file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Kwargs, State, Tera};

use crate::diag::{Diagnostic, error_chain};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Files of the built-in default theme: (path inside the theme folder, bytes).
pub fn builtin_theme() -> &'static [(&'static str, &'static [u8])] {
    embedded::THEME_FILES
}

/// Where a theme's files come from.
#[derive(Debug, Clone)]
pub enum ThemeSource {
    /// A folder on disk (`themes/<name>/`).
    Dir(PathBuf),
    /// The default theme inside the binary.
    Builtin,
}

/// Resolve the theme: `themes/<name>/` when it is a real folder, the built-in one for
/// "default". A theme name must be one folder name (no `/`, `..`); a theme folder that is a
/// symbolic link is never followed.
pub fn theme_source(root: &Path, name: &str) -> Result<ThemeSource, Diagnostic> {
    let bad_name = name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', '\0'])
        || name.starts_with('.');
    if bad_name {
        return Err(Diagnostic::error(format!(
            "theme {name:?} is not a folder name under themes/"
        ))
        .in_file("site.toml")
        .with_hint("write the name of a folder in themes/, such as \"default\""));
    }
    let dir = root.join("themes").join(name);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => return Ok(ThemeSource::Dir(dir)),
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Diagnostic::error(format!(
                "themes/{name} is a symbolic link, which dossier never follows"
            ))
            .in_file("site.toml")
            .with_hint("make the theme a real folder inside themes/"));
        }
        _ => {}
    }
    if name == "default" {
        Ok(ThemeSource::Builtin)
    } else {
        Err(Diagnostic::error(format!(
            "theme `{name}` not found: there is no themes/{name}/ folder"
        ))
        .in_file("site.toml")
        .with_hint("remove `theme` to use the built-in default theme"))
    }
}

/// A template file as read: (name, file for messages, text).
type TemplateFile = (String, PathBuf, anyhow::Result<String>);

/// The loaded templates, and which file each name came from (for error messages).
pub struct Templates {
    /// The Tera instance.
    pub tera: Tera,
    files: BTreeMap<String, PathBuf>,
    /// Symbolic links skipped in template folders (reported with the build's warnings).
    pub warnings: Vec<Diagnostic>,
}

impl Templates {
    /// Load the lookup chain. `root` is the site root; every error names its file.
    pub fn load(root: &Path, theme: &ThemeSource) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut errors = Vec::new();
        // Theme templates, registered twice: "x.html" and "theme/x.html".
        // The built-in theme is always the bottom layer, so a theme folder needs only the
        // templates it changes; a theme folder's own files replace it.
        let mut theme_files: Vec<TemplateFile> = builtin_theme()
            .iter()
            .filter_map(|(p, bytes)| {
                let name = p.strip_prefix("templates/")?;
                Some((
                    name.to_string(),
                    PathBuf::from(format!("<built-in theme>/templates/{name}")),
                    String::from_utf8(bytes.to_vec()).map_err(anyhow::Error::from),
                ))
            })
            .collect();
        let mut warnings = Vec::new();
        if let ThemeSource::Dir(dir) = theme {
            let rel = dir.strip_prefix(root).unwrap_or(dir).join("templates");
            let (files, w) = read_dir_templates(root, &rel);
            theme_files.extend(files);
            warnings.extend(w);
        }
        for (name, path, text) in theme_files {
            match text {
                // A component is defined once: a second copy under "theme/" would define its
                // name twice. A site's file of the same name replaces it.
                Ok(t) if name.starts_with("components/") => {
                    sources.insert(name, (path, t));
                }
                Ok(t) => {
                    sources.insert(format!("theme/{name}"), (path.clone(), t.clone()));
                    sources.insert(name, (path, t));
                }
                Err(e) => errors.push(
                    Diagnostic::error(format!(
                        "cannot read template: {}",
                        crate::diag::anyhow_chain(&e)
                    ))
                    .in_file(path),
                ),
            }
        }
        let (site_files, w) = read_dir_templates(root, Path::new("templates"));
        warnings.extend(w);
        for (name, path, text) in site_files {
            match text {
                Ok(t) => {
                    sources.insert(name, (path, t));
                }
                Err(e) => errors.push(
                    Diagnostic::error(format!(
                        "cannot read template: {}",
                        crate::diag::anyhow_chain(&e)
                    ))
                    .in_file(path),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        tera.set_escape_fn(crate::escape::tera_html);
        register_filters(&mut tera);
        // Replaced with the site's images once it is assembled (lib.rs `prepare`).
        super::image_fns::register(
            &mut tera,
            std::sync::Arc::new(crate::images::Catalog::off()),
            ("", "/"),
        );
        // Replaced with the site's data files once they load (lib.rs `prepare`).
        crate::data::register(&mut tera, std::sync::Arc::new(crate::data::Data::default()));
        // Replaced with the site's translation files once they load (lib.rs `prepare`).
        super::words_fn::register(
            &mut tera,
            std::sync::Arc::new(crate::i18n::Catalog::default()),
            "en",
        );
        let files: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(n, (p, _))| (n.clone(), p.clone()))
            .collect();
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            return Err(vec![to_diag(&files, &e, None)]);
        }
        Ok(Templates {
            tera,
            files,
            warnings,
        })
    }

    /// True when a template of this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Turn a Tera error into a diagnostic naming the template file, line and column.
    pub fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        to_diag(&self.files, err, rendering)
    }
}

/// The templates under `root/dir`, following no symbolic link: (name, file, text), and a
/// warning per link skipped.
fn read_dir_templates(root: &Path, dir: &Path) -> (Vec<TemplateFile>, Vec<Diagnostic>) {
    let walk = crate::fsx::walk(root, dir, |n| n.starts_with('.'));
    let files =
        walk.files
            .into_iter()
            .map(|f| {
                let name = f
                    .rel
                    .strip_prefix(dir)
                    .expect("walk stays inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = f.read().map_err(anyhow::Error::from).and_then(|b| {
                    String::from_utf8(b).map_err(|_| anyhow::anyhow!("not valid UTF-8"))
                });
                (name, f.rel, text)
            })
            .collect();
    (files, walk.warnings)
}

fn to_diag(
    files: &BTreeMap<String, PathBuf>,
    err: &tera::Error,
    rendering: Option<&str>,
) -> Diagnostic {
    let report = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut d = match report {
        Some(r) => {
            let file = files
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(r.filename()));
            let kind = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            Diagnostic::error(format!("{kind} in `{}`: {}", r.filename(), r.message()))
                .in_file(file)
                .at(r.span().start_line, r.span().start_col + 1)
        }
        None => Diagnostic::error(format!("template error: {}", error_chain(err))),
    };
    if let Some(page) = rendering {
        d = d.with_hint(format!("while rendering {page}"));
    }
    d
}

/// Filters dossier adds to Tera's built-ins.
fn register_filters(tera: &mut Tera) {
    // `{{ page.date | date(format="%e %B %Y") }}` on an ISO date or RFC 3339 string.
    tera.register_filter(
        "date",
        |val: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or("%-d %B %Y");
            format_date(val, format).ok_or_else(|| {
                tera::Error::message(format!("`date` filter: `{val}` is not a date"))
            })
        },
    );
    // `{{ value | json }}`: JSON safe to embed in <script> (no `</`, no U+2028/2029).
    tera.register_filter(
        "json",
        |val: tera::Value, _: Kwargs, _: &State| -> tera::TeraResult<tera::Value> {
            let s = serde_json::to_string(&val).map_err(|e| tera::Error::message(e.to_string()))?;
            Ok(tera::Value::safe_string(&crate::escape::json_for_script(
                &s,
            )))
        },
    );
}

/// Format an ISO date or RFC 3339 timestamp with a strftime-style format.
pub fn format_date(val: &str, format: &str) -> Option<String> {
    if let Ok(z) = val.parse::<jiff::ZonedDateTime>() {
        return Some(z.strftime(format).to_string());
    }
    if let Ok(ts) = val.parse::<jiff::Timestamp>() {
        return Some(ts.strftime(format).to_string());
    }
    let d = val
        .get(..10)
        .unwrap_or(val)
        .parse::<jiff::civil::Date>()
        .ok()?;
    Some(d.strftime(format).to_string())
}
