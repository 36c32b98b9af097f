//! Images (issue 26): what the site's raster images are, which resized and re-encoded
//! variants each gets, and the markup that offers them.
//!
//! The stages, in build order:
//!
//! ```text
//! content/ and static/ files --probe--> Catalog (size, format, content hash)   [I/O, memoised]
//!   Markdown images, heroes, author photos, `image()` in templates
//!     --markup--> <picture> with srcset/sizes/width/height                     [pure]
//!   render::files: every variant --process--> cache folder --> the output      [CPU, cached]
//! ```
//!
//! The cleaned original keeps the source's own path (what authors and old links refer to).
//! Every other variant is named by its cache key, in the output's [`FOLDER`]
//! (`briefs/a/hero.jpg` → `_img/3f/9a1c…-hero-800w.webp`), so that markup can be written from
//! the catalog alone, before anything is encoded, and so that a URL always means the same
//! bytes (safe to cache forever). The bytes live in a content-addressed cache folder
//! ([`cache`]), keyed by the source's content hash, the operation and the quality: an
//! unchanged image is never decoded or encoded again, and its files are hard-linked into the
//! output, so they keep their modification times. Because the folder's names never change
//! meaning, a build carries the previous output's folder over whole instead of linking ten
//! files per hero again ([`crate::output`]).
//!
//! This module owns the *what*; [`process`] owns pixels (decode with limits, orientation,
//! resize with `fast_image_resize`, encode with `image` and libwebp), [`card`] draws share
//! cards with resvg. Nothing here follows a symbolic link: sources are opened through
//! [`crate::fsx`].
//!
//! AVIF is not offered (issue 26 asked to measure it): encoding one 1,600×900 photograph-like
//! image on one core, `ravif` 0.12 at its fastest speed (10) took 0.81 s and at speed 8 4.4 s,
//! against 0.36 s for libwebp at quality 80 (2026-12-06, this project's 2-core machine); rav1e
//! also needs `nasm` to build. That would more than double the first build of an illustrated
//! site for a format every browser that reads AVIF can replace with WebP.

pub mod cache;
pub mod card;

pub mod jobs;
pub mod markup;
pub mod probe;
pub mod process;

use std::path::{Path, PathBuf};

use crate::config::Images as Settings;

pub use jobs::{Job, Requests};
pub use probe::Catalog;

/// The cache folder: `DOSSIER_CACHE_DIR`, else `[images] cache_dir`, else `.dossier-cache`,
/// relative to the site root unless absolute.
pub fn cache_dir(root: &Path, settings: &Settings) -> PathBuf {
    let dir = std::env::var_os("DOSSIER_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| settings.cache_dir.clone())
        .unwrap_or_else(|| PathBuf::from(".dossier-cache"));
    root.join(dir)
}

/// Probe the site's images (content/ files and the site's static/ folder) with the cache.
pub fn catalog(
    root: &Path,
    settings: &Settings,
    assets: &[crate::content::Asset],
) -> Result<Catalog, crate::diag::Diagnostic> {
    if !settings.process {
        return Ok(Catalog::off());
    }
    let dir = cache_dir(root, settings);
    let cache = cache::Cache::open(&dir).map_err(|e| {
        crate::diag::Diagnostic::error(format!(
            "cannot use the image cache folder {}: {}",
            dir.display(),
            crate::diag::error_chain(&e)
        ))
        .with_hint("set `[images] cache_dir` (or DOSSIER_CACHE_DIR) to a writable folder, or `[images] process = false`")
    })?;
    let files = assets
        .iter()
        .map(|a| a.src.clone())
        .chain(probe::static_files(root));
    Catalog::probe(settings, files, Some(cache))
}

/// Encodings dossier reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// JPEG (photographs).
    Jpeg,
    /// PNG (charts, screenshots, logos; kept lossless).
    Png,
    /// WebP (lossy for photographs, lossless for PNG sources).
    Webp,
}

impl Format {
    /// The format of a file name's extension, for the files dossier processes.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// A raster image of the site, as probed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file.
    pub file: crate::fsx::SiteFile,
    /// Width as displayed (after EXIF orientation), in pixels.
    pub width: u32,
    /// Height as displayed.
    pub height: u32,
    /// Its encoding.
    pub format: Format,
    /// Content hash of the file's bytes.
    pub hash: u128,
    /// Its responsive variants' output paths, made once per build ([`Source::variants`]),
    /// with the settings they were made for.
    pub paths: std::sync::OnceLock<(VariantSettings, Vec<(Op, String)>)>,
    /// Its responsive set as first made ([`markup::responsive`]), with the URL and base path
    /// it was made for: a hero's is asked for by its page and every listing card.
    pub set: std::sync::OnceLock<(String, String, markup::Responsive)>,
}

impl Source {
    /// Every variant `settings` gives this source ([`responsive_ops`]) with its output path
    /// in the variants folder ([`variant_path`], named after the source's own file), or an
    /// empty path for [`Op::Clean`], published at the source's own place. Worked out on first
    /// use and kept: a hero's set is asked for by its page, every listing card and the jobs.
    /// Asked with other settings than the first time, it works them out again.
    pub fn variants(&self, settings: &Settings) -> std::borrow::Cow<'_, [(Op, String)]> {
        let make = || {
            let name = self.file.rel.file_name().and_then(|n| n.to_str());
            let name = name.unwrap_or_default();
            let paths = responsive_ops(self, settings)
                .into_iter()
                .map(|op| match op {
                    Op::Clean => (op, String::new()),
                    _ => (op, variant_path(name, self, op, settings.quality)),
                })
                .collect();
            (VariantSettings::of(settings), paths)
        };
        match self.paths.get_or_init(make) {
            (made_for, paths) if made_for.are(settings) => std::borrow::Cow::Borrowed(paths),
            _ => std::borrow::Cow::Owned(make().1),
        }
    }

    /// Whether the kept variants ([`Source::variants`]) were made for `settings`.
    pub fn variants_made_for(&self, settings: &Settings) -> bool {
        self.paths
            .get()
            .is_some_and(|(made_for, _)| made_for.are(settings))
    }
}

/// What of the settings decides a source's variants: widths, WebP and quality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSettings {
    widths: Vec<u32>,
    webp: bool,
    quality: u8,
}

impl VariantSettings {
    fn of(settings: &Settings) -> Self {
        VariantSettings {
            widths: settings.widths.clone(),
            webp: settings.webp,
            quality: settings.quality,
        }
    }

    /// Whether `settings` give the same variants (compared without allocating: this is
    /// asked once per image shown).
    fn are(&self, settings: &Settings) -> bool {
        self.widths == settings.widths
            && self.webp == settings.webp
            && self.quality == settings.quality
    }
}

/// What is made from a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// The whole image, oriented, metadata (EXIF, GPS, XMP) removed, in its own format: what
    /// is published at the source's own path.
    Clean,
    /// Scaled to `width` (height in proportion), in `format`.
    Resize {
        /// Width in pixels (at most the source's).
        width: u32,
        /// Encoding.
        format: Format,
    },
    /// Scaled and cropped to exactly `width` × `height` around the focal point `focus`
    /// (thousandths of the width and height from the top left), in `format`.
    Fill {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Focal point, 0–1000 on each axis.
        focus: (u16, u16),
        /// Encoding.
        format: Format,
    },
}

impl Op {
    /// The file name of this variant of `name` (the source's file name).
    pub fn file_name(self, name: &str) -> String {
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        match self {
            Op::Clean => name.to_string(),
            Op::Resize { width, format } => format!("{stem}-{width}w.{}", format.ext()),
            Op::Fill {
                width,
                height,
                focus: (x, y),
                format,
            } => {
                let at = if (x, y) == (500, 500) {
                    String::new()
                } else {
                    format!("-{x}-{y}")
                };
                format!("{stem}-{width}x{height}{at}.{}", format.ext())
            }
        }
    }

    /// The size of this variant of `src`.
    pub fn size(self, src: &Source) -> (u32, u32) {
        match self {
            Op::Clean => (src.width, src.height),
            Op::Resize { width, .. } => (width, scaled_height(src, width)),
            Op::Fill { width, height, .. } => (width, height),
        }
    }

    /// The encoding of this variant of `src`.
    pub fn format(self, src: &Source) -> Format {
        match self {
            Op::Clean => src.format,
            Op::Resize { format, .. } | Op::Fill { format, .. } => format,
        }
    }
}

/// The height of `src` scaled to `width`, rounded, at least 1.
pub fn scaled_height(src: &Source, width: u32) -> u32 {
    let h = (u64::from(src.height) * u64::from(width) + u64::from(src.width) / 2)
        / u64::from(src.width.max(1));
    (h as u32).max(1)
}

/// One file of a responsive set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variant {
    /// URL (relative or site-absolute, as the source was referred to).
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// MIME type.
    #[serde(rename = "type")]
    pub mime: &'static str,
}

/// Every variant a source gets in a build: its own width (cleaned) and each configured width
/// below it, in its own format and, when enabled, WebP. Sorted narrowest first, fallback
/// format first.
pub fn responsive_ops(src: &Source, settings: &Settings) -> Vec<Op> {
    let mut ops = Vec::new();
    let widths: Vec<u32> = settings
        .sorted_widths()
        .into_iter()
        .filter(|w| *w < src.width)
        .collect();
    for &width in &widths {
        ops.push(Op::Resize {
            width,
            format: src.format,
        });
    }
    ops.push(Op::Clean);
    if settings.webp && src.format != Format::Webp {
        for &width in widths.iter().chain(std::iter::once(&src.width)) {
            ops.push(Op::Resize {
                width,
                format: Format::Webp,
            });
        }
    }
    ops
}

/// The output folder of processed variants (every variant but the cleaned original): its
/// files are named by their cache key, so a name always means the same bytes. dossier owns
/// it: nothing else may be published under it.
pub const FOLDER: &str = "_img";

/// Whether an output path ('/'-separated) is inside the variants folder.
pub fn in_variants_folder(path: &str) -> bool {
    path.strip_prefix(FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The output path of variant `op` of the source `src` published at `out`, at `quality`:
/// `out` itself for the cleaned original, else `_img/<2 hex>/<18 hex>-<name>` (72 bits of the
/// cache key, and the variant's file name for people and image search). A source's whole set,
/// worked out once per build: [`Source::variants`].
pub fn variant_path(out: &str, src: &Source, op: Op, quality: u8) -> String {
    if op == Op::Clean {
        return out.to_string();
    }
    let name = out.rsplit('/').next().unwrap_or(out);
    let k = cache::key(src.hash, op, quality);
    let (high, low) = (k >> 120, (k >> 48) & ((1 << 72) - 1));
    format!("{FOLDER}/{high:02x}/{low:018x}-{}", op.file_name(name))
}
