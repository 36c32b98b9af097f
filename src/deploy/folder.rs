//! A folder target: a web server's document root or a mounted share. Files are written to a
//! temporary name beside their destination and renamed, so a reader never sees half a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Meta, Remote, md5_hex};

/// A folder target.
pub struct Folder {
    dir: PathBuf,
}

impl Folder {
    /// Refuses the site itself, its content folders, its ancestors and the build output.
    pub fn new(root: &Path, out: &Path, dir: &Path) -> Result<Self, String> {
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let (r, o) = (canon(root), canon(out));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let d = canon(dir);
        if d == o {
            return Err(format!(
                "the deploy folder {} is the build output itself",
                dir.display()
            ));
        }
        if r.starts_with(&d)
            || ["content", "templates", "static", "themes"]
                .iter()
                .any(|s| d.starts_with(r.join(s)))
            || d == r
        {
            return Err(format!(
                "refusing to deploy into {}: it holds the site's own files",
                dir.display()
            ));
        }
        Ok(Self { dir: d })
    }
}

impl Remote for Folder {
    fn label(&self) -> String {
        self.dir.display().to_string()
    }

    fn list(&self) -> Result<HashMap<String, String>, String> {
        let mut out = HashMap::new();
        for e in walkdir::WalkDir::new(&self.dir).follow_links(false) {
            let e = e.map_err(|e| format!("reading {}: {e}", self.dir.display()))?;
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
            let bytes =
                std::fs::read(e.path()).map_err(|err| format!("{}: {err}", e.path().display()))?;
            out.insert(rel, md5_hex(&bytes));
        }
        Ok(out)
    }

    fn put(&self, path: &str, bytes: &[u8], _meta: &Meta) -> Result<(), String> {
        let dest = self.dir.join(path);
        let parent = dest.parent().expect("has a parent");
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        let tmp = parent.join(format!(".dossier-tmp-{}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &dest).map_err(|e| format!("{}: {e}", dest.display()))
    }

    fn delete(&self, path: &str) -> Result<(), String> {
        let p = self.dir.join(path);
        std::fs::remove_file(&p).map_err(|e| format!("{}: {e}", p.display()))?;
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
