//! A folder target: a web server's document root or a mounted share. Files are written to a
//! temporary name beside their destination and renamed, so a reader never sees half a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{Meta, Remote, md5_hex};

/// A folder target.
pub struct Folder {
    dir: PathBuf,
}

impl Folder {
    /// Refuses the site itself, its content folders, its ancestors and the build output.
    pub fn new(root: &Path, out: &Path, dir: &Path) -> anyhow::Result<Self> {
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let (r, o) = (canon(root), canon(out));
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let d = canon(dir);
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
        Ok(Self { dir: d })
    }
}

impl Remote for Folder {
    fn label(&self) -> String {
        self.dir.display().to_string()
    }

    fn list(&self) -> anyhow::Result<HashMap<String, String>> {
        let mut out = HashMap::new();
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
            if rel
                .rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with(".dossier-tmp-"))
            {
                continue;
            }
            let bytes = std::fs::read(e.path())
                .with_context(|| format!("reading {}", e.path().display()))?;
            out.insert(rel, md5_hex(&bytes));
        }
        Ok(out)
    }

    fn put(&self, path: &str, bytes: &[u8], _meta: &Meta) -> anyhow::Result<()> {
        let dest = self.dir.join(path);
        let parent = dest.parent().expect("has a parent");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let tmp = parent.join(format!(".dossier-tmp-{}", std::process::id()));
        std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &dest).with_context(|| format!("replacing {}", dest.display()))
    }

    fn delete(&self, path: &str) -> anyhow::Result<()> {
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
