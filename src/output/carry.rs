//! The variants folder carried from one build to the next (issue 26).
//!
//! A site with 10,000 heroes publishes 100,000 resized files. Placing each one again on every
//! build (a hard link into the staging folder, and an unlink when the old output is removed)
//! costs more than rendering the site. But their names carry their cache key
//! ([`crate::images::variant_path`]), so a name in the previous output's variants folder that
//! is still wanted means the very same bytes. So when the staging folder is complete, the
//! previous output's folder is renamed into it (one rename), only the variants it lacks are
//! linked in, and after the swap the ones no longer wanted are removed.
//!
//! It is carried only when every wanted name it already holds is the very cache entry (same
//! device and inode, read from its listing: a name is never trusted alone). Anything else (a
//! file changed by hand, a cache folder removed and rebuilt, a link, a folder where a file
//! belongs) places every variant afresh, as without this module. A failure before the swap
//! puts the folder back where it was, without the files added, so a failed build still leaves
//! the previous output as it was. A build killed between the rename and the swap leaves the
//! previous output without its variants until the next build (which rebuilds them from the
//! cache); the window is one rename and the missing links.
//!
//! The folder is listed through a memo kept at the output's root, [`MEMO`]
//! ([`crate::listing`]): only the shard folders changed since the last build are listed again.
//! `deploy` does not publish it.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use rustc_hash::FxHashMap;

use super::unchanged::Previous;
use crate::images::FOLDER;
use crate::images::cache::Entry;

/// The memo of the variants folder's listing, at the output's root.
pub const MEMO: &str = ".dossier-variants";

/// What the previous output's variants folder holds, by shard folder and name (`""` for an
/// entry directly in it), borrowed from its listing: the inode of a regular file, or `None`
/// for anything else (a link, a folder).
type Listing<'l> = FxHashMap<(&'l str, &'l str), Option<u64>>;

/// The variants folder, moved into the staging folder.
#[derive(Debug)]
pub(super) struct Carried {
    /// Where it was (the previous output's folder).
    from: PathBuf,
    /// Where it is now (inside the staging folder).
    to: PathBuf,
    /// The files linked into it by this build, relative to the output.
    added: Vec<String>,
    /// What it holds that this build does not want, relative to the output.
    stale: Vec<String>,
    /// Its listing, to be remembered in the new output.
    listing: crate::listing::Listing,
}

/// Carry the previous output's variants folder into `stage` and link the `wanted` files it
/// lacks. `None` when there is nothing to carry or it cannot be trusted: the caller then
/// places every wanted file itself.
pub(super) fn carry(
    previous: &Previous,
    stage: &Path,
    wanted: &[(&str, &Entry)],
) -> io::Result<Option<Carried>> {
    let Some(out) = previous.dir().filter(|_| !wanted.is_empty()) else {
        return Ok(None); // no variants wanted: the old folder goes with the old output
    };
    let from = out.join(FOLDER);
    let Some(dev) = folder_device(&from) else {
        return Ok(None);
    };
    let listed = match crate::listing::list(&from, Some(&out.join(MEMO)), true) {
        Ok(l) if !l.foreign => l,
        _ => return Ok(None), // unreadable, or holding names dossier did not write
    };
    let mut listing: Listing = by_place(&listed);
    let mut missing = Vec::new();
    for &(rel, entry) in wanted {
        match listing.remove(&place(rel)) {
            None => missing.push((rel, entry)),
            Some(Some(ino)) if entry.id == Some((dev, ino)) => {}
            Some(_) => return Ok(None),
        }
    }
    let to = stage.join(FOLDER);
    if std::fs::rename(&from, &to).is_err() {
        return Ok(None);
    }
    previous.count_kept(wanted.len() - missing.len());
    let stale = listing.into_keys().map(path).collect();
    let carried = Carried {
        from,
        to,
        added: missing.iter().map(|(rel, _)| rel.to_string()).collect(),
        stale,
        listing: listed,
    };
    let linked = missing
        .par_iter()
        .try_for_each(|(rel, entry)| previous.place_cached(rel, &stage.join(rel), entry));
    if let Err(e) = linked {
        carried.undo(stage);
        return Err(e);
    }
    Ok(Some(carried))
}

impl Carried {
    /// Put the folder back where it was, without the files this build added (the swap, or
    /// linking them, failed). `stage` is the staging folder.
    pub(super) fn undo(self, stage: &Path) {
        for rel in &self.added {
            let _ = std::fs::remove_file(stage.join(rel));
        }
        let _ = std::fs::rename(&self.to, &self.from);
    }

    /// After the swap (the folder is now the output's, at `out`): remove what no page wants
    /// any more, and remember the listing in the output's [`MEMO`] (the shards this build
    /// changed have new times, so the next build lists them again). A failure leaves a stale
    /// file, which the next build's listing finds again.
    pub(super) fn finish(self, out: &Path) {
        let _ = crate::listing::save(&self.listing, &out.join(MEMO));
        self.stale.par_iter().for_each(|rel| {
            let path = out.join(rel);
            let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
            let _ = if is_dir {
                std::fs::remove_dir_all(&path) // removes links inside, never follows them
            } else {
                std::fs::remove_file(&path)
            };
        });
    }
}

/// The device of `dir` when it is a real folder (not a link to one).
fn folder_device(dir: &Path) -> Option<u64> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    if !meta.is_dir() {
        return None;
    }
    crate::fsx::file_id(&meta).map(|(dev, _)| dev)
}

/// The listing by place: a regular file's inode, or `None` for anything else (loose entries
/// are never variants).
fn by_place(listed: &crate::listing::Listing) -> Listing<'_> {
    let loose = listed.loose.iter().map(|n| (("", n.as_str()), None));
    let inner = listed.shards.iter().flat_map(|s| {
        s.entries
            .iter()
            .map(move |e| ((s.name.as_str(), e.name.as_str()), e.file))
    });
    loose.chain(inner).collect()
}

/// Where a path relative to the output ("_img/ab/name") sits in the variants folder: shard
/// and name, or `""` and the name for one directly in it.
fn place(rel: &str) -> (&str, &str) {
    let inside = rel
        .strip_prefix(FOLDER)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(rel);
    inside.split_once('/').unwrap_or(("", inside))
}

/// The path relative to the output of a place in the variants folder ([`place`] undone).
fn path((shard, name): (&str, &str)) -> String {
    match shard {
        "" => format!("{FOLDER}/{name}"),
        _ => format!("{FOLDER}/{shard}/{name}"),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::fsx::SiteFile;
    use std::os::unix::fs::MetadataExt;

    /// A cache entry at `dir/name` with `bytes`, identified by its inode.
    fn entry(dir: &Path, name: &str, bytes: &[u8]) -> Entry {
        std::fs::write(dir.join(name), bytes).unwrap();
        let m = std::fs::metadata(dir.join(name)).unwrap();
        Entry {
            file: SiteFile {
                root: std::sync::Arc::new(dir.to_path_buf()),
                rel: name.into(),
            },
            id: Some((m.dev(), m.ino())),
        }
    }

    /// A previous output holding `_img/ab/kept.jpg` as a link to `cache/kept`, and an empty
    /// staging folder.
    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, Entry) {
        let tmp = tempfile::tempdir().unwrap();
        let (cache, out, stage) = (
            tmp.path().join("cache"),
            tmp.path().join("out"),
            tmp.path().join("stage"),
        );
        for d in [&cache, &out.join("_img/ab"), &stage] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(out.join(super::super::MARKER), "").unwrap();
        let kept = entry(&cache, "kept", b"kept");
        std::fs::hard_link(kept.file.path(), out.join("_img/ab/kept.jpg")).unwrap();
        std::fs::write(out.join("_img/ab/old.jpg"), b"old").unwrap();
        (tmp, out, stage, kept)
    }

    /// [`setup`], then the folder carried for `kept` and a new entry `_img/cd/new.jpg`.
    fn carried_with_a_new_entry() -> (tempfile::TempDir, PathBuf, PathBuf, Previous, Carried) {
        let (tmp, out, stage, kept) = setup();
        let new = entry(&tmp.path().join("cache"), "new", b"new");
        let previous = Previous::at(&out);
        let wanted = [("_img/ab/kept.jpg", &kept), ("_img/cd/new.jpg", &new)];
        let carried = carry(&previous, &stage, &wanted).unwrap().expect("carried");
        (tmp, out, stage, previous, carried)
    }

    #[test]
    fn the_folder_moves_and_only_what_it_lacks_is_linked() {
        let (tmp, out, stage, previous, carried) = carried_with_a_new_entry();
        assert!(!out.join("_img").exists());
        assert_eq!(
            std::fs::read(stage.join("_img/cd/new.jpg")).unwrap(),
            b"new"
        );
        let placed = previous.placed();
        assert_eq!((placed.kept, placed.written), (1, 1));
        // As if swapped: the staging folder is the output; the unwanted file goes.
        std::fs::rename(&stage, tmp.path().join("swapped")).unwrap();
        carried.finish(&tmp.path().join("swapped"));
        assert!(!tmp.path().join("swapped/_img/ab/old.jpg").exists());
        assert!(tmp.path().join("swapped/_img/ab/kept.jpg").exists());
    }

    #[test]
    fn a_failure_puts_the_folder_back_as_it_was() {
        let (_tmp, out, stage, kept) = setup();
        let gone = Entry {
            file: SiteFile {
                root: kept.file.root.clone(),
                rel: "never-made".into(),
            },
            id: None,
        };
        let fine = entry(&kept.file.root, "fine", b"fine");
        let previous = Previous::at(&out);
        let wanted = [
            ("_img/ab/kept.jpg", &kept),
            ("_img/cd/fine.jpg", &fine),
            ("_img/ef/gone.jpg", &gone),
        ];
        assert!(carry(&previous, &stage, &wanted).is_err());
        let mut left: Vec<String> = walkdir::WalkDir::new(out.join("_img"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["kept.jpg", "old.jpg"], "nothing added, nothing lost");
        assert!(!stage.join("_img").exists());
    }

    #[test]
    fn a_failed_swap_puts_the_folder_back_without_what_was_added() {
        let (_tmp, out, stage, _, carried) = carried_with_a_new_entry();
        carried.undo(&stage);
        assert!(out.join("_img/ab/kept.jpg").exists());
        assert!(out.join("_img/ab/old.jpg").exists());
        assert!(
            !out.join("_img/cd/new.jpg").exists(),
            "the added file is removed"
        );
        assert!(!stage.join("_img").exists());
    }

    #[test]
    fn a_name_that_is_not_the_entry_is_not_carried() {
        let (_tmp, out, stage, kept) = setup();
        let other = entry(&kept.file.root, "other", b"other");
        let previous = Previous::at(&out);
        // The output's file has the wanted name but is another file.
        let wanted = [("_img/ab/old.jpg", &other)];
        assert!(carry(&previous, &stage, &wanted).unwrap().is_none());
        assert!(
            out.join("_img/ab/old.jpg").exists(),
            "left for the caller to replace"
        );
        assert!(!stage.join("_img").exists());
    }
}
