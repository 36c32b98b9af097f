//! `[images]`: how hero images, author photos and Markdown images are processed (issue 26).
//!
//! Only the settings live here; [`crate::images`] does the work. Every key is optional and the
//! defaults suit the default theme: a 38rem text column (heroes included), up to 1,600 px wide
//! for 2× screens, WebP beside the original format.

use std::path::PathBuf;

use serde::Deserialize;

/// `[images]` as written and as used.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Images {
    /// Process raster images (JPEG, PNG, WebP) at all (default true). When false they are
    /// copied as they are and emitted as plain `<img>`.
    #[serde(default = "yes")]
    pub process: bool,
    /// Widths of the resized variants, in pixels (default 480, 800, 1200, 1600). Widths at
    /// or above an image's own width are skipped; the image's own width is always offered.
    #[serde(default = "widths")]
    pub widths: Vec<u32>,
    /// Also encode each variant as WebP (default true).
    #[serde(default = "yes")]
    pub webp: bool,
    /// Quality of lossy encodings, 1–100 (default 80). PNG sources stay lossless.
    #[serde(default = "quality")]
    pub quality: u8,
    /// The largest image accepted, in pixels (width × height; default 100,000,000). Larger
    /// ones are refused before they are decoded: a decompression bomb must not take the
    /// build machine's memory.
    #[serde(default = "max_pixels")]
    pub max_pixels: u64,
    /// The `sizes` attribute of images in the text (default: the theme's text column).
    #[serde(default = "sizes")]
    pub sizes: String,
    /// The `sizes` attribute of hero images.
    #[serde(default = "hero_sizes")]
    pub hero_sizes: String,
    /// Where processed images are kept between builds (default `.dossier-cache` under the
    /// site root; relative paths are relative to the site root). Keep it between CI runs and
    /// no unchanged image is encoded twice. `DOSSIER_CACHE_DIR` replaces it.
    pub cache_dir: Option<PathBuf>,
    /// Give every brief a 1200×630 share image for `og:image` (default true): its hero
    /// cropped to `image_focus`, or a card drawn from its title and byline.
    #[serde(default = "yes")]
    pub share_cards: bool,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            process: true,
            widths: widths(),
            webp: true,
            quality: quality(),
            max_pixels: max_pixels(),
            sizes: sizes(),
            hero_sizes: hero_sizes(),
            cache_dir: None,
            share_cards: true,
        }
    }
}

impl Images {
    /// What is wrong with these settings, as (message, key).
    pub fn problems(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        if self.widths.is_empty() || self.widths.iter().any(|w| !(16..=8192).contains(w)) {
            out.push((
                format!(
                    "`widths` must list widths from 16 to 8192 pixels, not {:?}",
                    self.widths
                ),
                "widths",
            ));
        }
        if !(1..=100).contains(&self.quality) {
            out.push((
                format!("`quality` must be from 1 to 100, not {}", self.quality),
                "quality",
            ));
        }
        if self.max_pixels < 1_000_000 {
            out.push((
                format!(
                    "`max_pixels` must be at least 1000000, not {}",
                    self.max_pixels
                ),
                "max_pixels",
            ));
        }
        for (v, key) in [(&self.sizes, "sizes"), (&self.hero_sizes, "hero_sizes")] {
            if v.trim().is_empty() || v.contains(['"', '<', '>', '&']) {
                out.push((format!("`{key}` is not a sizes attribute: {v:?}"), key));
            }
        }
        out
    }

    /// The widths, sorted, without duplicates.
    pub fn sorted_widths(&self) -> Vec<u32> {
        let mut w = self.widths.clone();
        w.sort_unstable();
        w.dedup();
        w
    }
}

fn yes() -> bool {
    true
}

fn widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}

fn quality() -> u8 {
    80
}

fn max_pixels() -> u64 {
    100_000_000
}

/// The default theme's text column: 38rem, less 1.25rem of padding each side on narrow screens.
fn sizes() -> String {
    "(max-width: 40.5rem) calc(100vw - 2.5rem), 38rem".into()
}

/// The default theme sets the hero in the text column too.
fn hero_sizes() -> String {
    sizes()
}
