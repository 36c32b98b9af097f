//! A folder target: a web server's document root or a mounted share. Files are written to a
//! temporary name beside their destination and renamed, so a reader never sees half a file.
//!
//! Deploying deletes what the build no longer has, so a folder target is only used when it is
//! dossier's own (issue 22): it must be empty or hold the `.dossier-output` marker a previous
//! deploy wrote (`--force` takes over a folder without one), and the root folder and the
//! user's home folder are refused outright. The marker is locked while a deploy runs, and
//! temporary files a killed deploy left are removed by the next one. Files are listed with the
//! MD5 of their bytes as their ETag, so the plan never needs a stored version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{Listed, Remote, Upload};

/// Tells apart the temporary files of uploads running at once.
static NEXT_TMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A folder target.
pub struct Folder {
    dir: PathBuf,
    /// The marker, locked from [`Remote::begin`] to the end of the deploy.
    lock: std::sync::Mutex<Option<std::fs::File>>,
}

const MARKER: &str = crate::output::MARKER;
const TMP_PREFIX: &str = ".dossier-tmp-";

impl Folder {
    /// Refuses `/`, the home folder, the site itself, its content folders and ancestors, the
    /// build output, and (without `force`) a non-empty folder dossier did not write.
    pub fn new(root: &Path, out: &Path, dir: &Path, force: bool) -> anyhow::Result<Self> {
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let (r, o) = (canon(root), canon(out));
        let d = canon(dir);
        let home = std::env::var_os("HOME").map(|h| canon(Path::new(&h)));
        if d.parent().is_none() || home.as_deref() == Some(d.as_path()) {
            bail!(
                "refusing to deploy into {}: it is the root or home folder, and deploying deletes every file the build does not have",
                dir.display()
            );
        }
        if d == o {
            bail!(
                "the deploy folder {} is the build output itself",
                dir.display()
            );
        }
        if r.starts_with(&d)
            || ["content", "templates", "static", "themes"]
                .iter()
                .any(|s| d.starts_with(r.join(s)))
            || d == r
        {
            bail!(
                "refusing to deploy into {}: it holds the site's own files",
                dir.display()
            );
        }
        let foreign = std::fs::read_dir(&d).is_ok_and(|mut e| e.next().is_some())
            && !std::fs::symlink_metadata(d.join(MARKER)).is_ok_and(|m| m.is_file());
        if foreign && !force {
            bail!(
                "refusing to deploy into {}: it is not empty and dossier did not write it (no {MARKER} marker), so deploying would delete its files; deploy into an empty folder, or pass --force to take it over (every file in it that the build does not have is deleted)",
                dir.display()
            );
        }
        Ok(Self {
            dir: d,
            lock: std::sync::Mutex::new(None),
        })
    }
}

impl Remote for Folder {
    fn label(&self) -> String {
        self.dir.display().to_string()
    }

    fn begin(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let marker = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(MARKER))
            .with_context(|| format!("writing {}", self.dir.join(MARKER).display()))?;
        if marker.try_lock().is_err() {
            bail!(
                "another deploy into {} is running; try again when it has finished",
                self.dir.display()
            );
        }
        std::fs::write(
            self.dir.join(MARKER),
            "This folder is deployed by dossier: files the build does not have are deleted.\n",
        )?;
        // What a killed deploy left: its temporary files (ours by name, in our folder).
        for e in walkdir::WalkDir::new(&self.dir).follow_links(false) {
            let Ok(e) = e else { continue };
            if e.file_type().is_file() && e.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                std::fs::remove_file(e.path())
                    .with_context(|| format!("removing {}", e.path().display()))?;
            }
        }
        *self.lock.lock().expect("no panics while holding the lock") = Some(marker);
        Ok(())
    }

    fn list(&self) -> anyhow::Result<HashMap<String, Listed>> {
        let mut out = HashMap::new();
        if !self.dir.exists() {
            return Ok(out);
        }
        for e in walkdir::WalkDir::new(&self.dir).follow_links(false) {
            let e = e.with_context(|| format!("reading {}", self.dir.display()))?;
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(&self.dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            if crate::output::is_bookkeeping(&rel)
                || rel
                    .rsplit('/')
                    .next()
                    .is_some_and(|n| n.starts_with(TMP_PREFIX))
            {
                continue;
            }
            let (size, etag) = super::plan::md5_file(e.path())?;
            out.insert(rel, Listed { size, etag });
        }
        Ok(out)
    }

    fn put(&self, up: &Upload<'_>) -> anyhow::Result<Option<String>> {
        let dest = self.dir.join(up.path);
        let parent = dest.parent().expect("has a parent");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let n = NEXT_TMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = parent.join(format!("{TMP_PREFIX}{}-{n}", std::process::id()));
        std::fs::copy(up.file, &tmp).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &dest).with_context(|| format!("replacing {}", dest.display()))?;
        Ok(None)
    }

    fn delete_batch(&self) -> usize {
        64
    }

    fn delete(&self, paths: &[String]) -> anyhow::Result<()> {
        for p in paths {
            self.delete_one(p)?;
        }
        Ok(())
    }
}

impl Folder {
    fn delete_one(&self, path: &str) -> anyhow::Result<()> {
        let p = self.dir.join(path);
        std::fs::remove_file(&p).with_context(|| format!("deleting {}", p.display()))?;
        // Remove folders left empty, up to the target folder.
        let mut d = p.parent();
        while let Some(dir) = d {
            if dir == self.dir || std::fs::remove_dir(dir).is_err() {
                break;
            }
            d = dir.parent();
        }
        Ok(())
    }
}
