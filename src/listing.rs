//! Two-level folder listings remembered between builds (issue 26).
//!
//! The image cache (`images/<2 hex>/<key>.<ext>`) and the output's variants folder
//! (`_img/<2 hex>/<name>`) hold a file per variant: 100,000 at 10,000 heroes. A cached build
//! needs to know what both hold, and listing 100,000 entries took 80–160 ms per folder, most
//! of what a cached build spends on images. But a folder's modification time changes whenever
//! an entry is added to it, removed from it or renamed in it, so a shard folder whose inode
//! and modification time are what they were holds what it held. [`list`] therefore reads a
//! memo of the last listing and lists again only the shards that changed: one `lstat` per
//! shard instead of a `readdir` of its entries. The folder itself (a few hundred shard names)
//! is always listed.
//!
//! A shard modified less than [`SETTLE`] before it was listed is not remembered: file systems
//! stamp modification times coarsely (a kernel tick), so an entry added in the same tick just
//! after the listing would leave the time unchanged (the "racy" case Git's index guards
//! against too). A file whose bytes are changed in place keeps its inode and its folder's
//! time, so a memo sees no more and no less than a fresh listing, which names the same inode:
//! callers compare inodes, never trust a name alone. The memo is an optimisation only: when
//! it is missing, unreadable, malformed or of another version, the folder is listed; when it
//! cannot be written, the next build lists again. Nothing here follows a symbolic link: types
//! come from the listing, and a shard is a real folder (`lstat`).

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::fsx::{entry_inode, file_id};

/// How long before its listing a shard must have last changed to be remembered.
pub const SETTLE: Duration = Duration::from_secs(2);

/// First line of a memo; another first line means another format, ignored.
const HEADER: &str = "dossier folder listing 1";

/// What a folder holds, two levels deep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Names of the entries directly in the folder that are not folders (files, links).
    pub loose: Vec<String>,
    /// The folders directly in it (never links), with what each holds.
    pub shards: Vec<Shard>,
    /// True when some name was not UTF-8 (such entries are left out: dossier writes none).
    pub foreign: bool,
    /// True when some shard was listed rather than read from the memo (the memo is then
    /// worth saving again).
    pub relisted: bool,
}

/// One folder inside the listed folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// Its name.
    pub name: String,
    /// What it holds.
    pub entries: Vec<Entry>,
    /// What identified it when listed, if it may be remembered (not modified within
    /// [`SETTLE`] of its listing, and names a memo can hold).
    stamp: Option<Stamp>,
}

/// One entry of a shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name.
    pub name: String,
    /// Its inode when it is a regular file (0 where the platform has no inodes); `None`
    /// for anything else (a folder, a link).
    pub file: Option<u64>,
}

/// A folder's identity and modification time (nanoseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    ino: u64,
    mtime: i128,
}

impl Stamp {
    /// The stamp of the real folder `dir` now, with whether it settled before `listed`.
    fn of(dir: &Path, listed: SystemTime) -> Option<(Stamp, bool)> {
        let meta = std::fs::symlink_metadata(dir).ok()?;
        if !meta.is_dir() {
            return None;
        }
        let (_, ino) = file_id(&meta)?;
        let modified = meta.modified().ok()?;
        let mtime = match modified.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        let settled = modified + SETTLE <= listed;
        Some((Stamp { ino, mtime }, settled))
    }
}

/// List `dir` two levels deep, reading unchanged shards from the memo at `memo` (when given),
/// listing the changed shards on rayon's threads when `parallel`. Not from inside a
/// `OnceLock` initializer that rayon's workers may race for (the image cache's): a worker
/// waiting for its shards may steal a task that asks the same cell, and re-entering an
/// initializer deadlocks.
pub fn list(dir: &Path, memo: Option<&Path>, parallel: bool) -> io::Result<Listing> {
    let listed = SystemTime::now();
    let mut remembered = memo.map(read_memo).unwrap_or_default();
    let mut listing = Listing::default();
    let mut names = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let Ok(name) = e.file_name().into_string() else {
            listing.foreign = true;
            continue;
        };
        if e.file_type()?.is_dir() {
            let memo = remembered.remove(&name);
            names.push((name, memo));
        } else {
            listing.loose.push(name);
        }
    }
    let one = |(name, memo): (String, _)| list_shard(&dir.join(&name), name, memo, listed);
    let shards: Vec<(Shard, bool, bool)> = if parallel {
        names.into_par_iter().map(one).collect::<io::Result<_>>()?
    } else {
        names.into_iter().map(one).collect::<io::Result<_>>()?
    };
    for (shard, relisted, foreign) in shards {
        listing.relisted |= relisted;
        listing.foreign |= foreign;
        listing.shards.push(shard);
    }
    Ok(listing)
}

/// One shard: from `memo` when its stamp is unchanged, else listed. Returns it with whether
/// it was listed and whether some name was not UTF-8.
fn list_shard(
    path: &Path,
    name: String,
    memo: Option<(Stamp, Vec<Entry>)>,
    listed: SystemTime,
) -> io::Result<(Shard, bool, bool)> {
    let now = Stamp::of(path, listed);
    if let (Some((stamp, _)), Some((was, entries))) = (now, memo)
        && stamp == was
    {
        let shard = Shard {
            name,
            entries,
            stamp: Some(stamp),
        };
        return Ok((shard, false, false));
    }
    let mut entries = Vec::new();
    let mut foreign = false;
    for e in std::fs::read_dir(path)? {
        let e = e?;
        let Ok(entry) = e.file_name().into_string() else {
            foreign = true;
            continue;
        };
        let file = e
            .file_type()?
            .is_file()
            .then(|| entry_inode(&e).unwrap_or(0));
        entries.push(Entry { name: entry, file });
    }
    let memorable = |n: &str| !n.contains(['\n', '\r']);
    let stamp = now
        .filter(|(_, settled)| *settled && !foreign && memorable(&name))
        .filter(|_| entries.iter().all(|e| memorable(&e.name)))
        .map(|(s, _)| s);
    let shard = Shard {
        name,
        entries,
        stamp,
    };
    Ok((shard, true, foreign))
}

/// Save what of `listing` may be remembered to `memo`, atomically (a temporary file renamed
/// into place). When no shard may be remembered nothing is written (a memo left from before
/// names shards whose times have changed since, so it is not believed for them).
pub fn save(listing: &Listing, memo: &Path) -> io::Result<()> {
    use std::fmt::Write as _;
    if listing.shards.iter().all(|s| s.stamp.is_none()) {
        return Ok(());
    }
    let mut text = String::with_capacity(64 * 1024);
    text.push_str(HEADER);
    text.push('\n');
    for shard in &listing.shards {
        let Some(s) = shard.stamp else { continue };
        let _ = writeln!(text, "=\t{}\t{}\t{}", s.ino, s.mtime, shard.name);
        for e in &shard.entries {
            match e.file {
                Some(ino) => {
                    let _ = writeln!(text, "{ino}\t{}", e.name);
                }
                None => {
                    let _ = writeln!(text, "-\t{}", e.name);
                }
            }
        }
    }
    let folder = memo.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
    io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(memo).map_err(|e| e.error)?;
    Ok(())
}

/// The shards a memo remembers, by name; empty when it is missing or malformed. Read
/// without following a link.
fn read_memo(memo: &Path) -> HashMap<String, (Stamp, Vec<Entry>)> {
    let parse = || -> Option<HashMap<String, (Stamp, Vec<Entry>)>> {
        let meta = std::fs::symlink_metadata(memo).ok()?;
        if !meta.is_file() {
            return None;
        }
        let text = std::fs::read_to_string(memo).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut shards: Vec<(String, (Stamp, Vec<Entry>))> = Vec::new();
        for line in lines {
            if let Some(head) = line.strip_prefix("=\t") {
                let mut f = head.splitn(3, '\t');
                let ino = f.next()?.parse().ok()?;
                let mtime = f.next()?.parse().ok()?;
                let name = f.next()?.to_string();
                shards.push((name, (Stamp { ino, mtime }, Vec::new())));
                continue;
            }
            let (ino, name) = line.split_once('\t')?;
            let file = match ino {
                "-" => None,
                n => Some(n.parse().ok()?),
            };
            let (_, (_, entries)) = shards.last_mut()?;
            entries.push(Entry {
                name: name.to_string(),
                file,
            });
        }
        Some(shards.into_iter().collect())
    };
    parse().unwrap_or_default()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A folder with shards `ab` (files `x`, `y`) and `cd` (file `z`, folder `sub`), a loose
    /// file, all dated `age` ago.
    fn folder(age: Duration) -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("top");
        for d in ["ab", "cd/sub"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        for f in ["ab/x", "ab/y", "cd/z", "loose"] {
            std::fs::write(dir.join(f), f).unwrap();
        }
        let then = SystemTime::now() - age;
        for d in ["ab", "cd", "cd/sub"] {
            std::fs::File::open(dir.join(d))
                .unwrap()
                .set_modified(then)
                .unwrap();
        }
        (tmp, dir)
    }

    /// Shard name → sorted (name, is a file).
    fn contents(l: &Listing) -> Vec<(String, Vec<(String, bool)>)> {
        let mut out: Vec<_> = l
            .shards
            .iter()
            .map(|s| {
                let mut e: Vec<_> = s
                    .entries
                    .iter()
                    .map(|e| (e.name.clone(), e.file.is_some()))
                    .collect();
                e.sort();
                (s.name.clone(), e)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_unchanged_shard_is_read_from_the_memo_and_a_changed_one_listed() {
        let (tmp, dir) = folder(Duration::from_secs(60));
        let memo = tmp.path().join("memo");
        let first = list(&dir, Some(&memo), true).unwrap();
        assert!(first.relisted, "no memo yet");
        assert_eq!(first.loose, ["loose"]);
        let want = vec![
            (
                "ab".to_string(),
                vec![("x".into(), true), ("y".into(), true)],
            ),
            (
                "cd".to_string(),
                vec![("sub".into(), false), ("z".into(), true)],
            ),
        ];
        assert_eq!(contents(&first), want);
        save(&first, &memo).unwrap();
        let second = list(&dir, Some(&memo), true).unwrap();
        assert!(!second.relisted, "both shards come from the memo");
        assert_eq!(contents(&second), want);
        // The memo is believed only while the folder is unchanged: a file added to `ab`
        // changes its time, so `ab` is listed again.
        std::fs::write(dir.join("ab/new"), b"n").unwrap();
        let third = list(&dir, Some(&memo), true).unwrap();
        assert!(third.relisted);
        assert_eq!(contents(&third)[0].1.len(), 3, "{:?}", contents(&third));
        // Inodes are what a listing gives.
        let ino =
            std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(dir.join("ab/x")).unwrap());
        let x = third
            .shards
            .iter()
            .flat_map(|s| &s.entries)
            .find(|e| e.name == "x");
        assert_eq!(x.unwrap().file, Some(ino));
    }

    #[test]
    fn a_shard_changed_just_before_its_listing_is_not_remembered() {
        let (tmp, dir) = folder(Duration::ZERO);
        let memo = tmp.path().join("memo");
        let first = list(&dir, Some(&memo), true).unwrap();
        save(&first, &memo).unwrap();
        assert!(
            !memo.exists(),
            "a shard modified within SETTLE could gain an entry in the same tick"
        );
        assert!(list(&dir, Some(&memo), true).unwrap().relisted);
    }

    #[test]
    fn a_shard_replaced_by_another_folder_is_listed() {
        let (tmp, dir) = folder(Duration::from_secs(60));
        let memo = tmp.path().join("memo");
        save(&list(&dir, Some(&memo), true).unwrap(), &memo).unwrap();
        // Another folder under the same name, even one dated like the old: another inode.
        std::fs::rename(dir.join("ab"), dir.join("old")).unwrap();
        std::fs::create_dir(dir.join("ab")).unwrap();
        let then = std::fs::metadata(dir.join("old"))
            .unwrap()
            .modified()
            .unwrap();
        let ab = std::fs::File::open(dir.join("ab")).unwrap();
        ab.set_modified(then).unwrap();
        let l = list(&dir, Some(&memo), true).unwrap();
        let ab = l.shards.iter().find(|s| s.name == "ab").unwrap();
        assert!(ab.entries.is_empty(), "the new folder is empty: {ab:?}");
    }

    #[test]
    fn a_malformed_or_missing_memo_means_listing() {
        let (tmp, dir) = folder(Duration::from_secs(60));
        let memo = tmp.path().join("memo");
        for text in [
            "",
            "another format\n",
            "dossier folder listing 1\nx\tno header\n",
        ] {
            std::fs::write(&memo, text).unwrap();
            let l = list(&dir, Some(&memo), true).unwrap();
            assert!(l.relisted);
            assert_eq!(contents(&l).len(), 2);
        }
        assert!(list(&dir, None, false).unwrap().relisted);
    }

    #[test]
    fn links_are_entries_never_followed() {
        let (tmp, dir) = folder(Duration::from_secs(60));
        std::os::unix::fs::symlink(dir.join("ab"), dir.join("link")).unwrap();
        std::os::unix::fs::symlink(dir.join("loose"), dir.join("cd/ln")).unwrap();
        let l = list(&dir, Some(&tmp.path().join("memo")), false).unwrap();
        assert!(
            l.loose.contains(&"link".to_string()),
            "a link to a folder is no shard"
        );
        let cd = l.shards.iter().find(|s| s.name == "cd").unwrap();
        let ln = cd.entries.iter().find(|e| e.name == "ln").unwrap();
        assert_eq!(ln.file, None, "a link to a file is not a file");
    }
}
