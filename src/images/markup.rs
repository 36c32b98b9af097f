//! Markup for processed images: the responsive set of a source (what templates get from the
//! `image()` function and `page.hero`) and the `<picture>` element dossier writes for
//! Markdown images and heroes. Everything written into attributes is escaped here; URLs are
//! the author's own reference with the file name swapped, so a relative reference stays
//! relative and a site path stays a site path.

use serde::Serialize;

use super::{Format, Op, Source, Variant, responsive_ops, variant_url};
use crate::config::Images as Settings;
use crate::escape::html as html_attr;

/// A source's responsive set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Responsive {
    /// URL of the cleaned full-size image (the `src` fallback).
    pub src: String,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// `srcset` in the source's own format.
    pub srcset: String,
    /// `srcset` in WebP, when WebP variants are made.
    pub webp_srcset: Option<String>,
    /// MIME type of the fallback.
    #[serde(rename = "type")]
    pub mime: &'static str,
    /// The `sizes` attribute for where the image is shown (`[images] hero_sizes` for heroes,
    /// `sizes` for images in the text).
    pub sizes: String,
    /// Every file, narrowest first.
    pub variants: Vec<Variant>,
}

/// The responsive set of `src`, referred to as `url`.
pub fn responsive(url: &str, src: &Source, settings: &Settings) -> Responsive {
    let variants: Vec<Variant> = responsive_ops(src, settings)
        .into_iter()
        .map(|op| {
            let (width, height) = op.size(src);
            Variant {
                url: variant_url(url, op),
                width,
                height,
                mime: op.format(src).mime(),
            }
        })
        .collect();
    let set = |mime: &str| -> String {
        let entries: Vec<String> = variants
            .iter()
            .filter(|v| v.mime == mime)
            .map(|v| format!("{} {}w", srcset_url(&v.url), v.width))
            .collect();
        entries.join(", ")
    };
    let webp = (src.format != Format::Webp && variants.iter().any(|v| v.mime == "image/webp"))
        .then(|| set("image/webp"));
    Responsive {
        src: variant_url(url, Op::Clean),
        width: src.width,
        height: src.height,
        srcset: set(src.format.mime()),
        webp_srcset: webp,
        mime: src.format.mime(),
        sizes: settings.sizes.clone(),
        variants,
    }
}

/// The Markdown images of one document, made responsive from the catalog.
#[derive(Debug)]
pub struct DocPictures<'a> {
    /// Every image of the site.
    pub catalog: &'a super::Catalog,
    /// The document, root-relative (references are relative to its folder).
    pub doc: &'a std::path::Path,
}

impl crate::markdown::Pictures for DocPictures<'_> {
    fn picture(&self, dest: &str, alt: &str, title: &str) -> Option<String> {
        let (_, found) = self.catalog.find(self.doc, dest)?;
        let src = found.ok()?;
        let settings = &self.catalog.settings;
        let r = responsive(dest, src, settings);
        Some(picture(&r, alt, Some(title), Placement::Body))
    }
}

/// A URL as a `srcset` candidate: spaces and commas would split it.
fn srcset_url(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

/// Where an image sits, which decides how it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The hero at the top of a page: loaded first (`fetchpriority="high"`).
    Hero,
    /// In the text, below the fold: `loading="lazy"`, `decoding="async"`.
    Body,
}

/// `<picture>` for `r` with alt text `alt` (and an optional `title`).
pub fn picture(r: &Responsive, alt: &str, title: Option<&str>, placement: Placement) -> String {
    let sizes = &r.sizes;
    let mut s = String::with_capacity(256);
    s.push_str("<picture>");
    if let Some(webp) = &r.webp_srcset {
        s.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            html_attr(webp),
            html_attr(sizes)
        ));
    }
    s.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"",
        html_attr(&r.src),
        html_attr(&r.srcset),
        html_attr(sizes),
        r.width,
        r.height,
        html_attr(alt)
    ));
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        s.push_str(&format!(" title=\"{}\"", html_attr(t)));
    }
    s.push_str(match placement {
        Placement::Hero => " fetchpriority=\"high\">",
        Placement::Body => " loading=\"lazy\" decoding=\"async\">",
    });
    s.push_str("</picture>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsx::SiteFile;

    fn source(w: u32, h: u32, format: Format) -> Source {
        Source {
            file: SiteFile {
                root: std::sync::Arc::new("/site".into()),
                rel: "content/a/hero.jpg".into(),
            },
            width: w,
            height: h,
            format,
            hash: 1,
        }
    }

    #[test]
    fn a_wide_photo_gets_every_smaller_width_in_both_formats() {
        let r = responsive(
            "hero.jpg",
            &source(2400, 1600, Format::Jpeg),
            &Settings::default(),
        );
        assert_eq!(
            r.srcset,
            "hero-480w.jpg 480w, hero-800w.jpg 800w, hero-1200w.jpg 1200w, hero-1600w.jpg 1600w, hero.jpg 2400w"
        );
        assert_eq!(
            r.webp_srcset.as_deref(),
            Some(
                "hero-480w.webp 480w, hero-800w.webp 800w, hero-1200w.webp 1200w, hero-1600w.webp 1600w, hero-2400w.webp 2400w"
            )
        );
        let v = r.variants.iter().find(|v| v.width == 800).unwrap();
        assert_eq!(v.height, 533);
    }

    #[test]
    fn a_small_image_is_offered_at_its_own_width_only() {
        let r = responsive(
            "/img/a b,c.png",
            &source(300, 100, Format::Png),
            &Settings::default(),
        );
        assert_eq!(r.srcset, "/img/a%20b%2Cc.png 300w");
        let html = picture(&r, "A \"chart\"", None, Placement::Body);
        assert!(html.contains("alt=\"A &quot;chart&quot;\""), "{html}");
        assert!(html.contains("width=\"300\" height=\"100\""));
        assert!(html.contains("loading=\"lazy\""));
    }
}
