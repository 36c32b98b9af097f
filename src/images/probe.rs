//! The probe stage: which raster images the site has, how large each is and a hash of its
//! bytes, before Markdown is rendered (a `<picture>` needs widths and heights).
//!
//! Reading and hashing 10,000 heroes on every build would cost more than the build, so the
//! results are memoised in the cache folder by (path, length, modification time), the way
//! git's index trusts a file whose stat is unchanged: an unchanged image is not even opened.
//! A file the probe cannot read or decode, or one over `[images] max_pixels`, is recorded
//! with the reason, which is reported where the image is used (the front matter key or
//! Markdown image), or as a warning on the file when nothing uses it.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cache::Cache;
use super::{Format, Source};
use crate::config::Images as Settings;
use crate::diag::Diagnostic;
use crate::fsx::SiteFile;

/// The memo's file name inside the cache folder.
const MEMO: &str = "images/probe.tsv";

/// Every raster image under content/ and static/, by root-relative path.
#[derive(Debug, Default)]
pub struct Catalog {
    /// `[images]`.
    pub settings: Settings,
    sources: HashMap<PathBuf, Result<Source, String>>,
    /// Where processed images are kept (None when processing is off).
    pub cache: Option<Cache>,
    /// Changes whenever any image changes (for `serve`'s parse cache).
    pub fingerprint: u64,
    /// Output path of each source (set by [`Catalog::publish`] once the site is assembled).
    outs: HashMap<PathBuf, String>,
    /// Source of each output path.
    by_out: HashMap<String, PathBuf>,
    /// Variants templates asked for while rendering.
    pub requests: super::Requests,
}

/// A memo line: what a file with this stat was found to be.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Memo {
    len: u64,
    mtime_ns: i128,
    width: u32,
    height: u32,
    format: Format,
    hash: u128,
}

impl Catalog {
    /// Probe `files` (root-relative site files; only JPEG, PNG and WebP are looked at) with
    /// the memo in `cache`. Errors only when the cache folder cannot be used.
    pub fn probe(
        settings: &Settings,
        files: impl IntoIterator<Item = SiteFile>,
        cache: Option<Cache>,
    ) -> Result<Catalog, Diagnostic> {
        let mut catalog = Catalog {
            settings: settings.clone(),
            cache,
            ..Catalog::default()
        };
        if !settings.process {
            return Ok(catalog);
        }
        let Some(cache) = catalog.cache.clone() else {
            return Ok(catalog);
        };
        let memo = read_memo(&cache);
        let files: Vec<(SiteFile, Format)> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.rel.file_name()?.to_str()?;
                Some((f.clone(), Format::from_name(name)?))
            })
            .collect();
        let probed: Vec<(PathBuf, Result<Source, String>, Option<Memo>)> = files
            .into_par_iter()
            .map(|(f, format)| {
                let (r, m) = probe_one(&f, format, settings, (&cache, &memo));
                (f.rel, r, m)
            })
            .collect();
        let mut fresh = Vec::new();
        let mut fp = 0u64;
        for (rel, r, m) in probed {
            if let Ok(s) = &r {
                fp = fp.rotate_left(5) ^ (s.hash as u64);
            }
            if let Some(m) = m {
                fresh.push((rel.clone(), m));
            }
            catalog.sources.insert(rel, r);
        }
        catalog.fingerprint = fp;
        if fresh.len() != memo.len() || fresh.iter().any(|(r, m)| memo.get(r) != Some(m)) {
            fresh.sort_by(|a, b| a.0.cmp(&b.0));
            cache
                .put_text(MEMO, &memo_text(&fresh))
                .map_err(|e| Diagnostic::error(format!("cannot write the image cache: {e}")))?;
        }
        Ok(catalog)
    }

    /// Record where each source is published: content files as assembled (`assets`: source,
    /// output path), the site's `static/x` at `x`.
    pub fn publish<'a>(&mut self, assets: impl IntoIterator<Item = (&'a Path, &'a str)>) {
        let mut outs: HashMap<PathBuf, String> = HashMap::new();
        for (rel, out) in assets {
            if self.sources.contains_key(rel) {
                outs.insert(rel.to_path_buf(), out.to_string());
            }
        }
        for rel in self.sources.keys() {
            if let Ok(out) = rel.strip_prefix("static")
                && let Some(out) = out.to_str()
            {
                outs.insert(rel.clone(), out.replace('\\', "/"));
            }
        }
        self.by_out = outs.iter().map(|(r, o)| (o.clone(), r.clone())).collect();
        self.outs = outs;
    }

    /// Where the source `rel` is published (output path), if it is.
    pub fn out_of(&self, rel: &Path) -> Option<&str> {
        self.outs.get(rel).map(String::as_str)
    }

    /// The source published at output path `out`.
    pub fn source_at(&self, out: &str) -> Option<(&Path, Result<&Source, &str>)> {
        let rel = self.by_out.get(out)?;
        Some((rel.as_path(), self.get(rel)?))
    }

    /// Every published source that could be read, with its output path, sorted by path.
    pub fn published(&self) -> Vec<(&str, &Source)> {
        let mut v: Vec<(&str, &Source)> = self
            .outs
            .iter()
            .filter_map(|(rel, out)| Some((out.as_str(), self.get(rel)?.ok()?)))
            .collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// A catalog that processes nothing (for commands that render no page).
    pub fn off() -> Catalog {
        let mut c = Catalog::default();
        c.settings.process = false;
        c
    }

    /// The image at root-relative `rel`: None when it is not a processed image, an error
    /// message when it could not be probed.
    pub fn get(&self, rel: &Path) -> Option<Result<&Source, &str>> {
        self.sources
            .get(rel)
            .map(|r| r.as_ref().map_err(String::as_str))
    }

    /// The image `href` names, written in the document at root-relative `doc` (relative to
    /// its folder, or `/x` for `content/x` or `static/x`). None for external URLs and files
    /// that are not processed images.
    pub fn find(&self, doc: &Path, href: &str) -> Option<(PathBuf, Result<&Source, &str>)> {
        if crate::urls::is_external(href) || href.contains(['?', '#']) {
            return None;
        }
        let href = percent_encoding::percent_decode_str(href)
            .decode_utf8()
            .ok()?;
        let candidates: Vec<PathBuf> = match href.strip_prefix('/') {
            Some(rest) => vec![
                Path::new("content").join(rest),
                Path::new("static").join(rest),
            ],
            None => vec![normalise(doc.parent()?, &href)?],
        };
        candidates
            .into_iter()
            .find_map(|c| self.get(&c).map(|r| (c, r)))
    }

    /// Every probed source that could be read, and every one that could not.
    pub fn all(&self) -> impl Iterator<Item = (&Path, Result<&Source, &str>)> {
        self.sources
            .iter()
            .map(|(p, r)| (p.as_path(), r.as_ref().map_err(String::as_str)))
    }

    /// True when images are processed.
    pub fn enabled(&self) -> bool {
        self.settings.process
    }
}

/// `dir` joined with a relative `href`, `.` and `..` resolved, never above the site root.
fn normalise(dir: &Path, href: &str) -> Option<PathBuf> {
    let mut parts: Vec<&str> = dir.to_str()?.split('/').filter(|p| !p.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.iter().collect())
}

/// Probe one file, or take it from the memo when its stat is unchanged. A file seen for the
/// first time (or changed) is decoded and its responsive variants made into the cache now:
/// that is what proves it is not damaged, so that a damaged image is reported where it is
/// used, and the memo only ever vouches for images that were processed.
fn probe_one(
    f: &SiteFile,
    format: Format,
    settings: &Settings,
    (cache, memo): (&Cache, &HashMap<PathBuf, Memo>),
) -> (Result<Source, String>, Option<Memo>) {
    // One lstat per image: the walk found a regular file; a link swapped in since fails
    // here, and anything read below is read without following links.
    let stat = match std::fs::symlink_metadata(f.path()) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return (Err("it is not a regular file".into()), None),
        Err(e) => return (Err(format!("cannot read it: {e}")), None),
    };
    let mtime_ns = mtime_ns(&stat);
    if let Some(m) = memo.get(&f.rel)
        && m.len == stat.len()
        && m.mtime_ns == mtime_ns
        && m.format == format
        && u64::from(m.width) * u64::from(m.height) <= settings.max_pixels
    {
        let src = Source {
            file: f.clone(),
            width: m.width,
            height: m.height,
            format,
            hash: m.hash,
            paths: Default::default(),
            set: Default::default(),
        };
        return (Ok(src), Some(m.clone()));
    }
    let bytes = match f.read() {
        Ok(b) => b,
        Err(e) => return (Err(format!("cannot read it: {e}")), None),
    };
    match header(&bytes, format, settings.max_pixels) {
        Ok((width, height)) => {
            let hash = content_hash(&bytes);
            let m = Memo {
                len: bytes.len() as u64,
                mtime_ns,
                width,
                height,
                format,
                hash,
            };
            let src = Source {
                file: f.clone(),
                width,
                height,
                format,
                hash,
                paths: Default::default(),
                set: Default::default(),
            };
            let ops = super::responsive_ops(&src, settings);
            match super::jobs::ensure(&src, Some(&bytes), &ops, cache, settings) {
                Ok(_) => (Ok(src), Some(m)),
                Err(e) => (Err(e), None),
            }
        }
        Err(e) => (Err(e), None),
    }
}

/// Width and height as displayed (EXIF orientation applied), from the header only.
pub fn header(bytes: &[u8], format: Format, max_pixels: u64) -> Result<(u32, u32), String> {
    use image::ImageDecoder;
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read it: {e}"))?;
    let found = match reader.format() {
        Some(image::ImageFormat::Jpeg) => Format::Jpeg,
        Some(image::ImageFormat::Png) => Format::Png,
        Some(image::ImageFormat::WebP) => Format::Webp,
        Some(other) => {
            return Err(format!(
                "it is named .{} but holds a {other:?} image, which dossier does not process",
                format.ext()
            ));
        }
        None => return Err(format!("it is not a {} image", format.ext().to_uppercase())),
    };
    if found != format {
        return Err(format!(
            "it is named .{} but holds a {} image",
            format.ext(),
            found.ext().to_uppercase()
        ));
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("it is damaged or truncated: {e}"))?;
    let (w, h) = decoder.dimensions();
    check_pixels(w, h, max_pixels)?;
    let turned = matches!(
        decoder.orientation(),
        Ok(o) if matches!(
            o,
            image::metadata::Orientation::Rotate90
                | image::metadata::Orientation::Rotate270
                | image::metadata::Orientation::Rotate90FlipH
                | image::metadata::Orientation::Rotate270FlipH
        )
    );
    Ok(if turned { (h, w) } else { (w, h) })
}

/// Refuse images over the pixel limit before decoding them.
pub fn check_pixels(w: u32, h: u32, max_pixels: u64) -> Result<(), String> {
    let px = u64::from(w) * u64::from(h);
    if w == 0 || h == 0 {
        return Err("it has no pixels".into());
    }
    if px > max_pixels {
        return Err(format!(
            "it is {w}×{h} pixels ({:.0} megapixels), over the limit of {:.0} megapixels ([images] max_pixels): shrink it before publishing, or raise the limit if it is genuine",
            px as f64 / 1e6,
            max_pixels as f64 / 1e6
        ));
    }
    Ok(())
}

/// A 128-bit hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    use std::hash::Hasher;
    let mut h = siphasher::sip128::SipHasher13::new_with_keys(0x646f_7373, 0x0069_6572);
    h.write(bytes);
    siphasher::sip128::Hasher128::finish128(&h).as_u128()
}

fn mtime_ns(m: &std::fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

fn read_memo(cache: &Cache) -> HashMap<PathBuf, Memo> {
    let Some(text) = cache.get_text(MEMO) else {
        return HashMap::new();
    };
    text.lines().filter_map(memo_line).collect()
}

fn memo_line(line: &str) -> Option<(PathBuf, Memo)> {
    let f: Vec<&str> = line.split('\t').collect();
    let [rel, len, mtime, w, h, fmt, hash] = f[..] else {
        return None;
    };
    Some((
        PathBuf::from(rel),
        Memo {
            len: len.parse().ok()?,
            mtime_ns: mtime.parse().ok()?,
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            format: Format::from_name(&format!("x.{fmt}"))?,
            hash: u128::from_str_radix(hash, 16).ok()?,
        },
    ))
}

fn memo_text(entries: &[(PathBuf, Memo)]) -> String {
    let mut s = String::new();
    for (rel, m) in entries {
        let Some(rel) = rel.to_str().filter(|r| !r.contains(['\t', '\n'])) else {
            continue;
        };
        s.push_str(&format!(
            "{rel}\t{}\t{}\t{}\t{}\t{}\t{:032x}\n",
            m.len,
            m.mtime_ns,
            m.width,
            m.height,
            m.format.ext(),
            m.hash
        ));
    }
    s
}

/// The site's own `static/` files (not the theme's) that may be images.
pub fn static_files(root: &Path) -> Vec<SiteFile> {
    let walk = crate::fsx::walk(root, Path::new("static"), |_| false);
    walk.files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_resolve_inside_the_site_only() {
        let doc = Path::new("content/briefs/a/index.md");
        assert_eq!(
            normalise(doc.parent().unwrap(), "./img/../hero.jpg"),
            Some(PathBuf::from("content/briefs/a/hero.jpg"))
        );
        assert_eq!(normalise(Path::new("content"), "../../x.jpg"), None);
    }

    #[test]
    fn memo_lines_round_trip() {
        let m = Memo {
            len: 10,
            mtime_ns: -5,
            width: 3,
            height: 4,
            format: Format::Png,
            hash: 0xabc,
        };
        let text = memo_text(&[(PathBuf::from("content/a b.png"), m.clone())]);
        let back = memo_line(text.trim_end()).unwrap();
        assert_eq!(back, (PathBuf::from("content/a b.png"), m));
    }
}
