//! Which folders the preview watches, kept in step with the disk: `content/` or `static/`
//! deleted and created again (a branch switch) is a new folder with no watch on it, so each
//! folder is remembered with its identity (device and inode) and watched again when that
//! changes (issue 22). A watch that cannot be set is reported once, not silently lost.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use notify::Watcher as _;

/// A folder's identity: a recreated folder has a new one.
fn identity(p: &Path) -> Option<(u64, u64)> {
    let m = std::fs::symlink_metadata(p).ok()?;
    if !m.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    Some((0, 0))
}

/// The watches in place.
pub struct Watching {
    root: PathBuf,
    watched: BTreeMap<PathBuf, (u64, u64)>,
    failed: BTreeMap<PathBuf, String>,
}

impl Watching {
    /// Nothing watched yet.
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            watched: BTreeMap::new(),
            failed: BTreeMap::new(),
        }
    }

    /// Watch the root and every site folder that exists, again when one was recreated; stop
    /// watching folders that are gone. Returns what to tell the user (folders watched again,
    /// watches that failed), each once.
    pub fn refresh(&mut self, w: &mut notify::RecommendedWatcher) -> Vec<String> {
        let mut said = Vec::new();
        let root = self.root.clone();
        let mut wanted = vec![(root.clone(), notify::RecursiveMode::NonRecursive)];
        // The site's source folders recursively; the root itself non-recursively.
        for d in crate::fsx::SOURCE_FOLDERS {
            wanted.push((root.join(d), notify::RecursiveMode::Recursive));
        }
        for (path, mode) in wanted {
            let Some(id) = identity(&path) else {
                if self.watched.remove(&path).is_some() {
                    let _ = w.unwatch(&path);
                }
                continue;
            };
            match self.watched.get(&path) {
                Some(old) if *old == id => continue,
                Some(_) => {
                    let _ = w.unwatch(&path);
                    said.push(format!(
                        "{} was replaced; watching it again",
                        shown(&root, &path)
                    ));
                }
                None => {}
            }
            match w.watch(&path, mode) {
                Ok(()) => {
                    self.watched.insert(path.clone(), id);
                    self.failed.remove(&path);
                }
                Err(e) => {
                    let why = e.to_string();
                    if self.failed.insert(path.clone(), why.clone()).as_ref() != Some(&why) {
                        said.push(format!(
                            "warning: cannot watch {} ({why}); changes there are not seen until `serve` is restarted",
                            shown(&root, &path)
                        ));
                    }
                }
            }
        }
        said
    }
}

fn shown(root: &Path, p: &Path) -> String {
    match p.strip_prefix(root) {
        Ok(r) if r.as_os_str().is_empty() => "the site folder".to_string(),
        Ok(r) => format!("{}/", r.display()),
        Err(_) => p.display().to_string(),
    }
}
