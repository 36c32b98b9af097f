//! Writing an import into a site without losing anything: a file that exists is never
//! replaced (the same text is "unchanged", other text is "left as it is"), each document is
//! written whole or not at all (a bundle is assembled in a hidden folder beside its place and
//! renamed into it; a single file is written to a hidden name and renamed), and a missing
//! upload stops only its own document. The report says what happened to every item.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Doc, Options};

/// What became of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written.
    Written,
    /// Already there with the same text.
    Unchanged,
    /// Already there with other text: left as it is.
    Left,
    /// Not written, and why.
    Failed(String),
}

/// Everything an import did, item by item.
#[derive(Debug, Default)]
pub struct Report {
    /// Each document with what became of it: (kind, item, path, outcome).
    pub docs: Vec<(&'static str, String, PathBuf, Outcome)>,
    /// Items left out on purpose: (item, why).
    pub skipped: Vec<(String, String)>,
    /// Items that could not be imported: (item, why).
    pub failures: Vec<(String, String)>,
    /// What was kept as written in a body: (item, what).
    pub kept: Vec<(String, String)>,
    /// Other things to know: (item, what).
    pub notes: Vec<(String, String)>,
    /// Media files copied.
    pub media: usize,
    /// Documents written with an alias (their old address, which will redirect).
    pub aliases: usize,
}

impl Report {
    pub(super) fn skipped(&mut self, item: &str, why: &str) {
        self.skipped.push((item.to_string(), why.to_string()));
    }
    pub(super) fn failed(&mut self, item: &str, why: &str) {
        self.failures.push((item.to_string(), why.to_string()));
    }
    pub(super) fn kept(&mut self, item: &str, what: &[String]) {
        self.kept
            .extend(what.iter().map(|w| (item.to_string(), w.clone())));
    }
    pub(super) fn note(&mut self, item: &str, what: &str) {
        self.notes.push((item.to_string(), what.to_string()));
    }

    /// True when some item could not be imported.
    pub fn has_failures(&self) -> bool {
        !self.failures.is_empty() || self.docs.iter().any(|d| matches!(d.3, Outcome::Failed(_)))
    }

    /// How many documents of `kind` ended `outcome`-like.
    fn count(&self, kind: &str, f: impl Fn(&Outcome) -> bool) -> usize {
        self.docs.iter().filter(|d| d.0 == kind && f(&d.3)).count()
    }

    /// The report as text for the terminal.
    pub fn text(&self, dry_run: bool) -> String {
        let mut s = String::new();
        let verb = if dry_run { "would write" } else { "written" };
        for kind in ["brief", "page", "author", "term"] {
            let total = self.count(kind, |_| true);
            if total == 0 {
                continue;
            }
            let written = self.count(kind, |o| *o == Outcome::Written);
            let same = self.count(kind, |o| *o == Outcome::Unchanged);
            let left = self.count(kind, |o| *o == Outcome::Left);
            s.push_str(&format!(
                "{kind}s: {total} ({written} {verb}, {same} unchanged, {left} left as they were)\n"
            ));
        }
        s.push_str(&format!(
            "media files: {} {}\n",
            self.media,
            if dry_run { "to copy" } else { "copied" }
        ));
        s.push_str(&format!(
            "old addresses that redirect (aliases): {} {}\n",
            self.aliases,
            if dry_run { "to write" } else { "written" }
        ));
        let section = |s: &mut String, title: &str, rows: &[(String, String)]| {
            if rows.is_empty() {
                return;
            }
            s.push_str(&format!("\n{title} ({}):\n", rows.len()));
            for (item, why) in rows {
                s.push_str(&format!("  {item}: {why}\n"));
            }
        };
        let left: Vec<(String, String)> = self
            .docs
            .iter()
            .filter(|d| d.3 == Outcome::Left)
            .map(|d| {
                (
                    d.2.display().to_string(),
                    "exists with other text; not overwritten".into(),
                )
            })
            .collect();
        let failed: Vec<(String, String)> = self
            .failures
            .iter()
            .cloned()
            .chain(self.docs.iter().filter_map(|d| match &d.3 {
                Outcome::Failed(why) => Some((d.1.clone(), why.clone())),
                _ => None,
            }))
            .collect();
        section(&mut s, "not imported, errors", &failed);
        section(&mut s, "left out", &self.skipped);
        section(&mut s, "files left as they were", &left);
        section(&mut s, "kept as written (review these)", &self.kept);
        section(&mut s, "notes", &self.notes);
        s
    }
}

/// Write every document into the site at `root` (or only decide, on a dry run).
pub(super) fn write(root: &Path, docs: &[Doc], opts: &Options, report: &mut Report) {
    for doc in docs {
        let outcome = match existing(root, doc) {
            Some(o) => o,
            None => match check_uploads(doc, opts) {
                Err(why) => Outcome::Failed(why),
                Ok(_) if opts.dry_run => Outcome::Written,
                Ok(sources) => match put(root, doc, &sources) {
                    Ok(()) => Outcome::Written,
                    Err(e) => Outcome::Failed(format!("cannot write {}: {e}", doc.path.display())),
                },
            },
        };
        if outcome == Outcome::Written {
            report.media += doc.files.len();
            report.aliases += usize::from(doc.text.contains("\naliases: "));
        }
        report
            .docs
            .push((doc.kind, doc.from.clone(), doc.path.clone(), outcome));
    }
}

/// What is already at a document's place: its outcome, or None when the place is free.
fn existing(root: &Path, doc: &Doc) -> Option<Outcome> {
    let path = root.join(&doc.path);
    // A brief may exist as a single file or as a bundle: either is "there".
    let other = if doc.path.ends_with("index.md") {
        doc.path.parent().map(|p| root.join(p.with_extension("md")))
    } else {
        Some(root.join(doc.path.with_extension("")).join("index.md"))
    };
    let found = [Some(path.clone()), other]
        .into_iter()
        .flatten()
        .find(|p| std::fs::symlink_metadata(p).is_ok());
    let found = found?;
    match std::fs::read_to_string(&found) {
        Ok(t) if t == doc.text => Some(Outcome::Unchanged),
        _ => Some(Outcome::Left),
    }
}

/// The files of a document's uploads in `--uploads`: each one's source path. A missing one is
/// the document's failure, naming it; a resized copy (`dam-300x200.jpg`) that is missing falls
/// back to its original.
fn check_uploads(doc: &Doc, opts: &Options) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut out = BTreeMap::new();
    let Some(dir) = &opts.uploads else {
        return Ok(out);
    };
    for upload in doc.files.keys() {
        let direct = dir.join(upload);
        let found = if is_file(&direct) {
            Some(direct)
        } else {
            original_of(upload)
                .map(|o| dir.join(o))
                .filter(|p| is_file(p))
        };
        match found {
            Some(p) => {
                out.insert(upload.clone(), p);
            }
            None => {
                return Err(format!(
                    "the upload {upload} is not in {} (nothing was written for this item)",
                    dir.display()
                ));
            }
        }
    }
    Ok(out)
}

fn is_file(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file())
}

/// `2024/05/dam-300x200.jpg` → `2024/05/dam.jpg`.
fn original_of(upload: &str) -> Option<String> {
    let (stem, ext) = upload.rsplit_once('.')?;
    let (base, size) = stem.rsplit_once('-')?;
    let (w, h) = size.split_once('x')?;
    (w.chars().all(|c| c.is_ascii_digit())
        && h.chars().all(|c| c.is_ascii_digit())
        && !w.is_empty()
        && !h.is_empty())
    .then(|| format!("{base}.{ext}"))
}

/// Write one document whole: a bundle in a hidden folder renamed into place, a file under a
/// hidden name renamed into place.
fn put(root: &Path, doc: &Doc, sources: &BTreeMap<String, PathBuf>) -> std::io::Result<()> {
    let path = root.join(&doc.path);
    let parent = path.parent().expect("documents live in folders");
    if doc.files.is_empty() {
        std::fs::create_dir_all(parent)?;
        let tmp = parent.join(format!(".{}.import-tmp", file_name(&path)));
        std::fs::write(&tmp, &doc.text)?;
        return finish(&tmp, &path);
    }
    let holder = parent.parent().expect("a bundle has a parent folder");
    std::fs::create_dir_all(holder)?;
    let tmp = holder.join(format!(".{}.import-tmp", file_name(parent)));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir(&tmp)?;
    let result = (|| {
        std::fs::write(tmp.join("index.md"), &doc.text)?;
        for (upload, name) in &doc.files {
            std::fs::copy(&sources[upload], tmp.join(name))?;
        }
        finish(&tmp, parent)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Rename `tmp` to `dest` unless something appeared there meanwhile.
fn finish(tmp: &Path, dest: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(dest).is_ok() {
        let _ = if tmp.is_dir() {
            std::fs::remove_dir_all(tmp)
        } else {
            std::fs::remove_file(tmp)
        };
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "it appeared while importing",
        ));
    }
    std::fs::rename(tmp, dest)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resized_copies_fall_back_to_their_original() {
        assert_eq!(
            original_of("2024/05/dam-300x200.jpg").as_deref(),
            Some("2024/05/dam.jpg")
        );
        assert_eq!(original_of("2024/05/dam-wall.jpg"), None);
    }
}
