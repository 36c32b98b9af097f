//! Reading the settings files: `site.toml`, or the files `--config` names, then
//! `site.<env>.toml` for `--env NAME`. Each file is parsed on its own, so every error names
//! its file, line and column, then they are overlaid in order: a later file's tables merge into
//! an earlier one's key by key; any other value (a string, a number, an array such as
//! `[[taxonomies]]` or `[[menu]]`) replaces the earlier one.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, line_col};

/// Which settings files a command reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// Files to read instead of `<root>/site.toml`, in order (`--config`); relative paths are
    /// relative to the current folder.
    pub files: Vec<PathBuf>,
    /// An environment (`--env production`): `<root>/site.<env>.toml` is overlaid last.
    pub env: Option<String>,
}

/// One settings file as read.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The file as messages name it: relative to the site root when inside it.
    pub shown: PathBuf,
    /// Where it is.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// The settings files of a site, in overlay order.
#[derive(Debug, Clone)]
pub struct Layers {
    /// First the base file, then each overlay.
    pub layers: Vec<Layer>,
}

impl Layers {
    /// Read the files `sources` names for the site at `root`.
    pub fn read(root: &Path, sources: &Sources) -> Result<Layers, Vec<Diagnostic>> {
        let mut paths: Vec<(PathBuf, bool)> = if sources.files.is_empty() {
            vec![(root.join("site.toml"), true)]
        } else {
            sources.files.iter().map(|f| (f.clone(), false)).collect()
        };
        if let Some(env) = &sources.env {
            if env.is_empty()
                || !env
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(vec![Diagnostic::error(format!(
                    "--env {env:?} is not an environment name (letters, digits, `-` and `_`)"
                ))]);
            }
            paths.push((root.join(format!("site.{env}.toml")), false));
        }
        let mut layers = Vec::new();
        let mut errors = Vec::new();
        for (i, (path, is_default)) in paths.into_iter().enumerate() {
            match read_one(root, &path, is_default && i == 0) {
                Ok(l) => layers.push(l),
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(Layers { layers })
        } else {
            Err(errors)
        }
    }

    /// A single file's text, named `site.toml` (tests, and `Config::parse`).
    pub fn single(text: &str) -> Layers {
        Layers {
            layers: vec![Layer {
                shown: PathBuf::from("site.toml"),
                path: PathBuf::from("site.toml"),
                text: text.to_string(),
            }],
        }
    }

    /// The first file: where missing required settings are reported.
    pub fn base(&self) -> &Path {
        &self.layers[0].shown
    }

    /// Where the effective value of a top-level or section key is written: the last file that
    /// sets it, with the line and column of the value.
    pub fn position(&self, key: &str) -> (PathBuf, Option<(usize, usize)>) {
        for l in self.layers.iter().rev() {
            if let Some(pos) = crate::diag::key_position(&l.text, key, 1) {
                return (l.shown.clone(), Some(pos));
            }
        }
        (self.base().to_path_buf(), None)
    }

    /// Every file's text, for telling whether the settings changed.
    pub fn fingerprint(&self) -> String {
        let mut s = String::new();
        for l in &self.layers {
            s.push_str(&l.path.to_string_lossy());
            s.push('\0');
            s.push_str(&l.text);
            s.push('\0');
        }
        s
    }

    /// Parse every file on its own as `T` (so unknown keys and wrong types are reported in the
    /// file that has them), then overlay them and deserialise the result.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut merged = toml::Table::new();
        for l in &self.layers {
            let located = |e: toml::de::Error| {
                let pos = e.span().map(|s| line_col(&l.text, s.start));
                Diagnostic::error(e.message().trim().to_string())
                    .in_file(&l.shown)
                    .at_opt(pos)
            };
            match toml::from_str::<toml::Table>(&l.text) {
                Ok(table) => {
                    if let Err(e) = toml::from_str::<T>(&l.text) {
                        errors.push(located(e));
                    }
                    overlay(&mut merged, table);
                }
                Err(e) => errors.push(located(e)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| {
                vec![Diagnostic::error(e.message().trim().to_string()).in_file(self.base())]
            })
    }
}

/// Merge `top` into `base`: tables key by key, anything else replaced.
fn overlay(base: &mut toml::Table, top: toml::Table) {
    for (k, v) in top {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(t)) => overlay(b, t),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn read_one(root: &Path, path: &Path, is_default: bool) -> Result<Layer, Diagnostic> {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && is_default => {
            return Err(
                Diagnostic::error(format!("no site.toml in {}", root.display())).with_hint(
                    "run dossier inside a site folder, pass --root DIR, or create one with `dossier init DIR`",
                ),
            );
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Diagnostic::error(format!(
                "settings file {} does not exist",
                path.display()
            ))
            .with_hint("--config names files relative to the current folder; --env NAME reads site.NAME.toml in the site root"));
        }
        Err(e) => {
            return Err(Diagnostic::error(format!("cannot read: {e}")).in_file(&shown));
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        Diagnostic::error("not valid UTF-8")
            .in_file(&shown)
            .at(line, col)
    })?;
    Ok(Layer {
        shown,
        path: path.to_path_buf(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_merges_tables_and_replaces_the_rest() {
        let mut base: toml::Table = toml::from_str(
            "title = \"A\"\n[metadata]\npublisher = \"P\"\ntwitter = \"@a\"\n[[menu]]\nname = \"x\"\nurl = \"/x/\"\n",
        )
        .unwrap();
        let top: toml::Table = toml::from_str(
            "title = \"B\"\n[metadata]\ntwitter = \"@b\"\n[[menu]]\nname = \"y\"\nurl = \"/y/\"\n",
        )
        .unwrap();
        overlay(&mut base, top);
        assert_eq!(base["title"].as_str(), Some("B"));
        assert_eq!(base["metadata"]["publisher"].as_str(), Some("P"));
        assert_eq!(base["metadata"]["twitter"].as_str(), Some("@b"));
        let menu = base["menu"].as_array().unwrap();
        assert_eq!(menu.len(), 1);
        assert_eq!(menu[0]["name"].as_str(), Some("y"));
    }
}
