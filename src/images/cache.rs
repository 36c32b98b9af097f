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

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::fsx::SiteFile;

/// Bumped whenever encoding changes, so old entries are not reused.
pub const VERSION: u32 = 1;

/// The cache folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: Arc<PathBuf>,
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
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `key` with extension `ext`, if it has been made. One `lstat` (a cached
    /// build asks for every variant of every image): the entry must be a regular file, not a
    /// link; it is opened without following links when it is read.
    pub fn get(&self, key: u128, ext: &str) -> Option<SiteFile> {
        let f = self.file(key, ext);
        std::fs::symlink_metadata(f.path())
            .is_ok_and(|m| m.is_file())
            .then_some(f)
    }

    /// Store `bytes` as the entry for `key`.
    pub fn put(&self, key: u128, ext: &str, bytes: &[u8]) -> io::Result<SiteFile> {
        let f = self.file(key, ext);
        self.write_atomic(&f.rel, bytes)?;
        Ok(f)
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
        let hex = format!("{key:032x}");
        SiteFile {
            root: self.dir.clone(),
            rel: Path::new("images")
                .join(&hex[..2])
                .join(format!("{}.{ext}", &hex[2..])),
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

/// The key of `op` on the source with content hash `source`, at `quality`.
pub fn key(source: u128, op: super::Op, quality: u8) -> u128 {
    use std::hash::Hash;
    let mut h = siphasher::sip128::SipHasher13::new_with_keys(VERSION.into(), 0x696d_6167);
    source.hash(&mut h);
    op.hash(&mut h);
    quality.hash(&mut h);
    siphasher::sip128::Hasher128::finish128(&h).as_u128()
}
