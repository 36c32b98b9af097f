//! Files inside the site, never through a symbolic link (issue 22).
//!
//! A site's folders come from git repositories and pull requests, which can hold symbolic
//! links: `static -> /etc` would otherwise publish the build machine's files. So every file
//! dossier reads from the site is found by [`walk`], which follows no link (the walked folder
//! itself included) and returns one warning naming each link it skipped, and is opened by
//! [`open`], which follows no link either: on Unix each folder below the site root is opened
//! relative to the one above with `O_NOFOLLOW | O_DIRECTORY` and the file with `O_NOFOLLOW`
//! (`openat`, through rustix), so a link swapped in after the walk, at any depth, makes the
//! open fail instead of leaving the site. What is read is read from that handle.
//!
//! The site root itself is the user's choice and may be reached through a link.

use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;

/// The folders of a site root that hold its sources: what `serve` watches, what an edit there
/// rebuilds, and what the output folder may never be.
pub const SOURCE_FOLDERS: [&str; 6] = ["content", "templates", "static", "themes", "i18n", "data"];

/// A regular file of the site: the site root and the path below it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteFile {
    /// The site root (shared by every file of a walk).
    pub root: Arc<PathBuf>,
    /// The path relative to the root, e.g. `static/images/a.png`.
    pub rel: PathBuf,
}

impl SiteFile {
    /// Open the file for reading, following no link (see [`open`]).
    pub fn open(&self) -> io::Result<File> {
        open(&self.root, &self.rel)
    }

    /// Read the whole file, following no link.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        read(&self.root, &self.rel)
    }

    /// The path for messages and for tools that take paths (root joined with rel).
    pub fn path(&self) -> PathBuf {
        self.root.join(&self.rel)
    }
}

/// The error for a link that is not followed.
fn link_error(rel: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is (or is inside) a symbolic link, which dossier never follows",
            rel.display()
        ),
    )
}

/// Only plain names below the root: no `..`, no absolute paths.
fn plain_components(rel: &Path) -> io::Result<Vec<&std::ffi::OsStr>> {
    rel.components()
        .map(|c| match c {
            Component::Normal(n) => Ok(n),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} leaves the site", rel.display()),
            )),
        })
        .collect()
}

/// Open `root/rel` for reading without following a symbolic link anywhere below `root`.
/// Anything but a regular file (a folder, a FIFO, a device) is refused too.
#[cfg(unix)]
pub fn open(root: &Path, rel: &Path) -> io::Result<File> {
    use rustix::fs::{CWD, Mode, OFlags, openat};
    let names = plain_components(rel)?;
    let Some((last, dirs)) = names.split_last() else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "an empty path"));
    };
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut dir = openat(CWD, root, dir_flags, Mode::empty())?;
    let refuse = |e: rustix::io::Errno| {
        if e == rustix::io::Errno::LOOP || e == rustix::io::Errno::NOTDIR {
            link_error(rel)
        } else {
            io::Error::from(e)
        }
    };
    for d in dirs {
        dir = openat(&dir, *d, dir_flags | OFlags::NOFOLLOW, Mode::empty()).map_err(refuse)?;
    }
    // Non-blocking, so that a FIFO cannot hang the open; regular files ignore the flag.
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
    let fd = openat(&dir, *last, flags, Mode::empty()).map_err(refuse)?;
    let file = File::from(fd);
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", rel.display()),
        ));
    }
    Ok(file)
}

/// Open `root/rel` for reading, refusing links (checked before opening: elsewhere than Unix
/// there is no `O_NOFOLLOW`, so this is not race-free there).
#[cfg(not(unix))]
pub fn open(root: &Path, rel: &Path) -> io::Result<File> {
    let names = plain_components(rel)?;
    let mut p = root.to_path_buf();
    for n in names {
        p.push(n);
        if std::fs::symlink_metadata(&p)?.file_type().is_symlink() {
            return Err(link_error(rel));
        }
    }
    let file = File::open(&p)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", rel.display()),
        ));
    }
    Ok(file)
}

/// Read `root/rel`, following no link.
pub fn read(root: &Path, rel: &Path) -> io::Result<Vec<u8>> {
    let mut f = open(root, rel)?;
    let mut out = Vec::new();
    io::Read::read_to_end(&mut f, &mut out)?;
    Ok(out)
}

/// The device and inode of a file, where the platform has them: what tells one file (and
/// its hard links) from another with the same bytes.
#[cfg(unix)]
pub fn file_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

/// See the unix version: elsewhere nothing is identified, so nothing is taken for the same.
#[cfg(not(unix))]
pub fn file_id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The inode a folder listing's entry names, read from the listing itself (no `lstat`),
/// where the platform has inodes.
#[cfg(unix)]
pub fn entry_inode(e: &std::fs::DirEntry) -> Option<u64> {
    Some(std::os::unix::fs::DirEntryExt::ino(e))
}

/// See the unix version.
#[cfg(not(unix))]
pub fn entry_inode(_: &std::fs::DirEntry) -> Option<u64> {
    None
}

/// True when `root/rel` is itself a symbolic link (a folder the walk must not enter).
pub fn is_link(root: &Path, rel: &Path) -> bool {
    std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.file_type().is_symlink())
}

/// What [`walk`] found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files, sorted by path.
    pub files: Vec<SiteFile>,
    /// One warning per symbolic link skipped, and per entry that could not be read.
    pub warnings: Vec<Diagnostic>,
}

/// Every regular file under `root/sub`, sorted, skipping what `skip` says (given a file or
/// folder name); no symbolic link is followed, `sub` itself included, and each one skipped
/// gets a warning naming it. A missing `sub` is an empty walk.
pub fn walk(root: &Path, sub: &Path, skip: impl Fn(&str) -> bool) -> Walk {
    let mut out = Walk::default();
    let top = root.join(sub);
    let shared = Arc::new(root.to_path_buf());
    let warn_link = |rel: &Path| {
        Diagnostic::warning(
            "symbolic link not followed: dossier only reads real files and folders inside the site",
        )
        .in_file(rel)
        .with_hint("replace the link with the files themselves, or remove it")
    };
    match std::fs::symlink_metadata(&top) {
        Err(_) => return out,
        Ok(m) if m.file_type().is_symlink() => {
            out.warnings.push(warn_link(sub));
            return out;
        }
        Ok(m) if !m.is_dir() => return out,
        Ok(_) => {}
    }
    let walker = walkdir::WalkDir::new(&top)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| sub.to_path_buf(), |p| rel_to(root, p));
                let cause = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                out.warnings
                    .push(Diagnostic::error(format!("cannot read: {cause}")).in_file(path));
                continue;
            }
        };
        let rel = rel_to(root, entry.path());
        let ft = entry.file_type();
        if ft.is_symlink() {
            out.warnings.push(warn_link(&rel));
        } else if ft.is_file() {
            out.files.push(SiteFile {
                root: shared.clone(),
                rel,
            });
        }
    }
    out
}

fn rel_to(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn issue_22_no_link_is_followed_at_any_depth() {
        let d = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "SECRET").unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("static/a")).unwrap();
        std::fs::write(root.join("static/a/secret"), "mine").unwrap();
        assert_eq!(read(root, Path::new("static/a/secret")).unwrap(), b"mine");
        // The folder swapped for a link after it was walked: refused, not read.
        std::fs::remove_dir_all(root.join("static/a")).unwrap();
        symlink(outside.path(), root.join("static/a")).unwrap();
        let e = read(root, Path::new("static/a/secret")).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        // The file swapped for a link.
        std::fs::remove_file(root.join("static/a")).unwrap();
        std::fs::create_dir(root.join("static/a")).unwrap();
        symlink(outside.path().join("secret"), root.join("static/a/secret")).unwrap();
        assert!(read(root, Path::new("static/a/secret")).is_err());
        // `..` never leaves.
        assert!(read(root, Path::new("static/../../x")).is_err());
    }

    #[test]
    fn issue_22_a_linked_folder_is_not_walked_and_is_named() {
        let d = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("passwd"), "root:x").unwrap();
        let root = d.path();
        symlink(outside.path(), root.join("static")).unwrap();
        let w = walk(root, Path::new("static"), |_| false);
        assert!(w.files.is_empty());
        assert_eq!(w.warnings.len(), 1);
        assert_eq!(w.warnings[0].file.as_deref(), Some(Path::new("static")));
        // Inside a real folder: files kept, links named and skipped.
        std::fs::remove_file(root.join("static")).unwrap();
        std::fs::create_dir_all(root.join("static/img")).unwrap();
        std::fs::write(root.join("static/img/a.png"), "png").unwrap();
        symlink(outside.path(), root.join("static/img/etc")).unwrap();
        symlink(outside.path().join("passwd"), root.join("static/p")).unwrap();
        let w = walk(root, Path::new("static"), |_| false);
        let files: Vec<_> = w.files.iter().map(|f| f.rel.clone()).collect();
        assert_eq!(files, [PathBuf::from("static/img/a.png")]);
        let named: Vec<_> = w.warnings.iter().map(|d| d.file.clone().unwrap()).collect();
        assert_eq!(
            named,
            [PathBuf::from("static/img/etc"), PathBuf::from("static/p")]
        );
    }
}
