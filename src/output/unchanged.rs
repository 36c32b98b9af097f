//! Unchanged files keep their identity: before the staging folder gets a file, it is compared
//! with the same path in the output being replaced, and when the bytes are equal the old file
//! is hard-linked into the staging folder instead of written. Its modification time (and inode)
//! survive the swap, so `rsync`, `make`, backup tools and `dossier deploy` to a folder see
//! only the files whose content changed, and an unchanged rebuild writes almost nothing.
//!
//! The old output is read the way the site is ([`crate::fsx::open`]: no symbolic link is
//! followed, at any depth), and only when its size already matches. Anything unusual (a
//! different file system, a link that fails, a file that cannot be read) falls back to
//! writing the new bytes: keeping an mtime is an optimisation, never a reason to fail.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::fsx::{SiteFile, file_id};
use crate::images::cache::Entry;

/// The output folder a build replaces, and counts of what was kept and written.
#[derive(Debug, Default)]
pub struct Previous {
    /// The current output folder, when it holds a previous build.
    dir: Option<PathBuf>,
    kept: AtomicUsize,
    written: AtomicUsize,
}

/// How many files a build kept from the previous output and how many it wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placed {
    /// Files whose bytes were unchanged (hard-linked from the previous output).
    pub kept: usize,
    /// Files written (new or changed).
    pub written: usize,
}

impl Previous {
    /// The previous output at `out`, used only when it carries dossier's marker.
    pub fn at(out: &Path) -> Self {
        let ours = std::fs::symlink_metadata(out.join(super::MARKER)).is_ok_and(|m| m.is_file());
        Self {
            dir: ours.then(|| out.to_path_buf()),
            ..Self::default()
        }
    }

    /// The previous output, when there is one of dossier's.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Count `n` files as kept (carried over without being placed one by one).
    pub fn count_kept(&self, n: usize) {
        self.kept.fetch_add(n, Ordering::Relaxed);
    }

    /// What was kept and written so far.
    pub fn placed(&self) -> Placed {
        Placed {
            kept: self.kept.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
        }
    }

    /// Put `bytes` at `dest` (the staging folder's copy of `rel`), creating its folder.
    pub fn place_bytes(&self, rel: &str, dest: &Path, bytes: &[u8]) -> io::Result<()> {
        if self.keep(rel, dest, bytes.len() as u64, |old| same_as(old, bytes)) {
            return Ok(());
        }
        io::Write::write_all(&mut fresh_file(dest)?, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Copy the site's file `src` (read without following links) to `dest` (the staging
    /// folder's copy of `rel`), creating its folder.
    pub fn place_copy(&self, rel: &str, dest: &Path, src: &SiteFile) -> io::Result<()> {
        let mut from = src.open()?;
        let len = from.metadata()?.len();
        if self.keep(rel, dest, len, |old| same(old, &mut from)) {
            return Ok(());
        }
        from.rewind()?; // the comparison may have read some of it
        io::copy(&mut from, &mut fresh_file(dest)?)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Put the image cache's entry `src` (a file that never changes once written) at `dest`
    /// as a hard link, so that no byte is copied and its modification time is the entry's.
    /// When the previous output's file is that very entry it counts as kept; where links are
    /// impossible (another file system) it is copied like a site file.
    ///
    /// A cached build places every cleaned original and drawn share card this way (the
    /// variants folder is carried over whole: [`super::carry`]), so this is one link and one
    /// `lstat` of the previous output's file. The cache vouches
    /// for the entry: it is a regular file, by its listing's file type or its own `lstat`
    /// ([`crate::images::cache::Cache::get`]), and a link is never linked to (a hard link to a
    /// symbolic link would copy the link). Nothing is read or written through what is looked
    /// at.
    pub fn place_cached(&self, rel: &str, dest: &Path, src: &Entry) -> io::Result<()> {
        let from = src.file.path();
        let previous = self
            .dir
            .as_ref()
            .zip(src.id)
            .and_then(|(dir, id)| Some((std::fs::symlink_metadata(dir.join(rel)).ok()?, id)));
        let linked = in_folder(dest, || std::fs::hard_link(&from, dest));
        match linked {
            Ok(()) if previous.is_some_and(|(p, id)| file_id(&p) == Some(id)) => {
                self.kept.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err(_) => self.place_copy(rel, dest, &src.file),
        }
    }

    /// Hard-link the previous output's `rel` to `dest` when it is a regular file of `len`
    /// bytes that `equal` finds equal to the new content (creating `dest`'s folder if need be).
    fn keep(
        &self,
        rel: &str,
        dest: &Path,
        len: u64,
        equal: impl FnOnce(&mut File) -> bool,
    ) -> bool {
        let Some(dir) = &self.dir else { return false };
        let Ok(mut old) = crate::fsx::open(dir, Path::new(rel)) else {
            return false;
        };
        let same_len = old.metadata().is_ok_and(|m| m.len() == len);
        if !same_len || !equal(&mut old) {
            return false;
        }
        let from = dir.join(rel);
        if in_folder(dest, || std::fs::hard_link(&from, dest)).is_err() {
            return false;
        }
        self.kept.fetch_add(1, Ordering::Relaxed);
        true
    }
}

/// A new, empty file at `dest`. A file already there (a second source of one path, which the
/// build reports as an error) is unlinked first, never written into: it may be a link to the
/// previous output's file, which must stay exactly as it was.
fn fresh_file(dest: &Path) -> io::Result<File> {
    let create = || {
        in_folder(dest, || {
            File::options().write(true).create_new(true).open(dest)
        })
    };
    match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(dest)?;
            create()
        }
        r => r,
    }
}

/// Run `make` (which creates `dest`); when `dest`'s folder does not exist yet, create it and
/// run `make` again.
fn in_folder<T>(dest: &Path, make: impl Fn() -> io::Result<T>) -> io::Result<T> {
    match make() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(d) = dest.parent() {
                std::fs::create_dir_all(d)?;
            }
            make()
        }
        r => r,
    }
}

/// Whether `old` holds exactly `bytes`.
fn same_as(old: &mut File, bytes: &[u8]) -> bool {
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    old.take(bytes.len() as u64 + 1)
        .read_to_end(&mut buf)
        .is_ok()
        && buf == bytes
}

/// Whether two readers yield the same bytes (read in blocks; stops at the first difference).
fn same(a: &mut impl Read, b: &mut impl Read) -> bool {
    let (mut x, mut y) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let Ok(n) = read_full(a, &mut x) else {
            return false;
        };
        let Ok(m) = read_full(b, &mut y) else {
            return false;
        };
        if n != m || x[..n] != y[..m] {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

/// Fill `buf` as far as the reader allows; the count read (short only at the end).
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
