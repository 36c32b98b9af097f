//! The image cache: a folder of processed images named by what they were made from (the
//! source's content hash, the operation, the quality and [`VERSION`]), so that a file once
//! made is never made again and never changes. Keep the folder between CI runs
//! (`[images] cache_dir`, default `.dossier-cache/` under the site root, or
//! `DOSSIER_CACHE_DIR`) and an unchanged image is never decoded.
//!
//! Files are written to a temporary name and renamed into place, so a killed build leaves no
//! half-written entry, and two builds sharing the folder agree. dossier never deletes from
//! the cache: removing the folder is always safe (the next build re-encodes). The folder is
//! opened like the site's own files: no symbolic link is followed below it.
//!
//! A cached build asks for every variant of every image (ten per hero): at 10,000 heroes,
//! 100,000 `lstat`s of deep paths were a tenth of the build. So the first question lists the
//! entry folders once (whose entries carry their type: a link is never taken for an entry),
//! through a memo of the last build's listing ([`LISTING`], [`crate::listing`]: only the
//! folders changed since are read again), and later questions are answered from that
//! listing. A key the listing lacks is still looked up on disk, so an entry another build made
//! meanwhile is found. The listing also gives each entry's inode, so the output can tell an
//! entry the previous output already held without asking the disk again ([`Entry::id`]).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use crate::fsx::{SiteFile, file_id};

/// Bumped whenever encoding changes, so old entries are not reused.
pub const VERSION: u32 = 1;

/// The memo of the entry folders' listing, in the cache folder ([`crate::listing`]).
const LISTING: &str = "images-listing";

/// The cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Arc<PathBuf>,
    /// The device the folder is on, when the platform says.
    dev: Option<u64>,
    /// The entries found by listing the folder, on first use: (key, extension) to inode.
    listed: Arc<OnceLock<FxHashMap<(u128, Ext), u64>>>,
}

/// A cache entry as found or made: its file and, when known, its identity on disk (device
/// and inode), which tells whether the previous output holds this very file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file (a regular file inside the cache folder).
    pub file: SiteFile,
    /// Device and inode, when the entry was found rather than made by this build (a file
    /// made now cannot be in the previous output).
    pub id: Option<(u64, u64)>,
}

impl PartialEq for Cache {
    fn eq(&self, other: &Self) -> bool {
        self.dir == other.dir
    }
}

impl Eq for Cache {}

/// The extensions of cache entries (the encodings dossier writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ext {
    Jpg,
    Png,
    Webp,
}

impl Ext {
    fn of(ext: &str) -> Option<Ext> {
        match ext {
            "jpg" => Some(Ext::Jpg),
            "png" => Some(Ext::Png),
            "webp" => Some(Ext::Webp),
            _ => None,
        }
    }
}

impl Cache {
    /// Use (creating it if needed) the folder `dir`. It must be a real folder, not a link.
    pub fn open(dir: &Path) -> io::Result<Cache> {
        std::fs::create_dir_all(dir)?;
        let meta = std::fs::symlink_metadata(dir)?;
        if !meta.is_dir() {
            return Err(io::Error::other(format!(
                "{} is not a folder (dossier does not follow symbolic links)",
                dir.display()
            )));
        }
        Ok(Cache {
            dir: Arc::new(dir.to_path_buf()),
            dev: file_id(&meta).map(|(dev, _)| dev),
            listed: Arc::default(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `key` with extension `ext`, if it has been made: a regular file, not a
    /// link (it is opened without following links when it is read). Answered from the
    /// folder's listing, else by one `lstat`.
    pub fn get(&self, key: u128, ext: &str) -> Option<Entry> {
        let file = self.file(key, ext);
        let listed = self
            .listed
            .get_or_init(|| list(&self.dir.join("images"), &self.dir.join(LISTING)));
        if let Some(ino) = Ext::of(ext).and_then(|e| listed.get(&(key, e))) {
            let id = self.dev.map(|dev| (dev, *ino));
            return Some(Entry { file, id });
        }
        let meta = std::fs::symlink_metadata(file.path()).ok()?;
        meta.is_file().then(|| Entry {
            id: file_id(&meta),
            file,
        })
    }

    /// Store `bytes` as the entry for `key`.
    pub fn put(&self, key: u128, ext: &str, bytes: &[u8]) -> io::Result<Entry> {
        let file = self.file(key, ext);
        self.write_atomic(&file.rel, bytes)?;
        Ok(Entry { file, id: None })
    }

    /// A small text file of the cache (the probe memo), if readable.
    pub fn get_text(&self, rel: &str) -> Option<String> {
        let bytes = crate::fsx::read(&self.dir, Path::new(rel)).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Replace a small text file of the cache.
    pub fn put_text(&self, rel: &str, text: &str) -> io::Result<()> {
        self.write_atomic(Path::new(rel), text.as_bytes())
    }

    fn file(&self, key: u128, ext: &str) -> SiteFile {
        // One allocation: a cached build asks for every variant of every image.
        let (high, low) = (key >> 120, key & ((1 << 120) - 1));
        SiteFile {
            root: self.dir.clone(),
            rel: PathBuf::from(format!("images/{high:02x}/{low:030x}.{ext}")),
        }
    }

    fn write_atomic(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dir.join(rel);
        let folder = dest.parent().expect("cache entries are inside a folder");
        std::fs::create_dir_all(folder)?;
        if std::fs::symlink_metadata(folder)?.file_type().is_symlink() {
            return Err(io::Error::other(format!(
                "{} is a symbolic link, which dossier never follows",
                folder.display()
            )));
        }
        let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
        tmp.write_all(bytes)?;
        // Published as they are (hard links): readable like any file dossier writes.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        tmp.persist(&dest).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The regular files in `images`' two-digit folders named like entries, by key and
/// extension, read through the memo `memo` ([`crate::listing`]: only the folders that changed
/// since the last build are listed), which is saved again when some were. Folders and files
/// that are links, or named otherwise, are left out; an unreadable folder lists nothing (its
/// entries are then looked up one by one).
fn list(images: &Path, memo: &Path) -> FxHashMap<(u128, Ext), u64> {
    let mut found = FxHashMap::default();
    // On this thread: this runs in a `OnceLock` initializer (see `crate::listing::list`).
    let Ok(listing) = crate::listing::list(images, Some(memo), false) else {
        return found;
    };
    if listing.relisted {
        let _ = crate::listing::save(&listing, memo);
    }
    for shard in &listing.shards {
        let Some(high) = hex(&shard.name, 2) else {
            continue;
        };
        for e in &shard.entries {
            let Some((low, ext)) = e.name.split_once('.') else {
                continue;
            };
            let (Some(low), Some(ext), Some(ino)) = (hex(low, 30), Ext::of(ext), e.file) else {
                continue;
            };
            found.insert(((high << 120) | low, ext), ino);
        }
    }
    found
}

/// `s` read as exactly `digits` hexadecimal digits.
fn hex(s: &str, digits: usize) -> Option<u128> {
    (s.len() == digits && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| u128::from_str_radix(s, 16).ok())
        .flatten()
}

/// The key of `op` on the source with content hash `source`, at `quality`.
pub fn key(source: u128, op: super::Op, quality: u8) -> u128 {
    use std::hash::Hash;
    let mut h = siphasher::sip128::SipHasher13::new_with_keys(VERSION.into(), 0x696d_6167);
    source.hash(&mut h);
    op.hash(&mut h);
    quality.hash(&mut h);
    siphasher::sip128::Hasher128::finish128(&h).as_u128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_listing_and_by_lookup() {
        let dir = tempfile::tempdir().unwrap();
        let first = Cache::open(dir.path()).unwrap();
        let (a, b) = (
            key(1, super::super::Op::Clean, 80),
            key(2, super::super::Op::Clean, 80),
        );
        first.put(a, "jpg", b"a").unwrap();
        // A new build's cache lists the folder on its first question.
        let second = Cache::open(dir.path()).unwrap();
        let got = second.get(a, "jpg").expect("listed");
        assert_eq!(got.file.read().unwrap(), b"a");
        let on_disk = std::fs::symlink_metadata(got.file.path()).unwrap();
        assert_eq!(got.id, file_id(&on_disk), "the listing's inode");
        assert!(
            second.get(a, "webp").is_none(),
            "another extension is another entry"
        );
        // Made after the listing (by another build): found on disk.
        first.put(b, "png", b"b").unwrap();
        assert_eq!(second.get(b, "png").unwrap().file.read().unwrap(), b"b");
        assert!(
            second
                .get(key(3, super::super::Op::Clean, 80), "png")
                .is_none()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_named_like_an_entry_is_not_an_entry() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.jpg");
        std::fs::write(&outside, b"secret").unwrap();
        let cache = Cache::open(&dir.path().join("cache")).unwrap();
        let k = key(7, super::super::Op::Clean, 80);
        let made = cache.put(k, "jpg", b"x").unwrap();
        std::fs::remove_file(made.file.path()).unwrap();
        std::os::unix::fs::symlink(&outside, made.file.path()).unwrap();
        // Neither the listing (a fresh cache) nor the lookup takes the link.
        assert!(Cache::open(cache.dir()).unwrap().get(k, "jpg").is_none());
        assert!(cache.get(k, "jpg").is_none());
    }

    #[test]
    fn names_that_are_not_keys_are_skipped() {
        assert_eq!(hex("ab", 2), Some(0xab));
        assert_eq!(hex("+b", 2), None);
        assert_eq!(hex("abc", 2), None);
        assert_eq!(hex(&"f".repeat(30), 30), Some(u128::MAX >> 8));
    }
}
