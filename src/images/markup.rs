//! Markup for processed images: the responsive set of a source (what templates get from the
//! `image()` function and `page.hero`) and the `<picture>` element dossier writes for
//! Markdown images and heroes. Everything written into attributes is escaped here. The
//! fallback `src` is the author's own reference (a relative reference stays relative); the
//! resized files are site paths in the variants folder ([`super::variant_path`]).

use serde::Serialize;

use super::{Format, Op, Source, Variant};
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

/// The responsive set of `src`, referred to as `url`, on a site whose base path is `base`.
/// The first one made for a source is kept ([`Source::set`]) and given again when asked for
/// with the same URL, base path and settings.
pub fn responsive(url: &str, base: &str, src: &Source, settings: &Settings) -> Responsive {
    if let Some((u, b, r)) = src.set.get()
        && u == url
        && b == base
        && r.sizes == settings.sizes
        && src.variants_made_for(settings)
    {
        return r.clone();
    }
    let r = make(url, base, src, settings);
    let _ = src.set.set((url.to_string(), base.to_string(), r.clone()));
    r
}

/// [`responsive`], made.
fn make(url: &str, base: &str, src: &Source, settings: &Settings) -> Responsive {
    let variants: Vec<Variant> = src
        .variants(settings)
        .iter()
        .map(|(op, path)| {
            let (width, height) = op.size(src);
            Variant {
                url: match op {
                    Op::Clean => url.to_string(),
                    _ => format!("{base}{path}"),
                },
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
        src: url.to_string(),
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
    /// The site's base path ("/" or "/research/").
    pub base: &'a str,
}

impl crate::markdown::Pictures for DocPictures<'_> {
    fn picture(&self, dest: &str, alt: &str, title: &str) -> Option<String> {
        let (_, found) = self.catalog.find(self.doc, dest)?;
        let src = found.ok()?;
        let settings = &self.catalog.settings;
        let r = responsive(dest, self.base, src, settings);
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
            paths: Default::default(),
            set: Default::default(),
        }
    }

    #[test]
    fn a_wide_photo_gets_every_smaller_width_in_both_formats() {
        let hero = source(2400, 1600, Format::Jpeg);
        let r = responsive("hero.jpg", "/research/", &hero, &Settings::default());
        // Resized files are site paths in the variants folder, named by key and by size.
        let widths: Vec<String> = r.srcset.split(", ").map(str::to_string).collect();
        assert_eq!(widths.len(), 5, "{}", r.srcset);
        for (entry, w) in widths.iter().zip(["480", "800", "1200", "1600"]) {
            assert!(entry.starts_with("/research/_img/"), "{entry}");
            assert!(entry.ends_with(&format!("-hero-{w}w.jpg {w}w")), "{entry}");
        }
        assert_eq!(
            widths[4], "hero.jpg 2400w",
            "the cleaned original keeps its reference"
        );
        let webp = r.webp_srcset.as_deref().unwrap();
        assert_eq!(webp.matches("/research/_img/").count(), 5, "{webp}");
        assert!(webp.ends_with("-hero-2400w.webp 2400w"), "{webp}");
        let v = r.variants.iter().find(|v| v.width == 800).unwrap();
        assert_eq!(v.height, 533);
        // Another quality is other bytes, so another name (the same source, whose paths
        // were kept for the first settings, works them out again).
        let q = Settings {
            quality: 60,
            ..Settings::default()
        };
        let other = responsive("hero.jpg", "/research/", &hero, &q);
        assert_ne!(other.variants[0].url, r.variants[0].url);
        let fresh = responsive(
            "hero.jpg",
            "/research/",
            &source(2400, 1600, Format::Jpeg),
            &q,
        );
        assert_eq!(other, fresh);
        // Asked again with the first settings: the kept paths.
        assert_eq!(
            responsive("hero.jpg", "/research/", &hero, &Settings::default()),
            r
        );
    }

    #[test]
    fn a_small_image_is_offered_at_its_own_width_only() {
        let r = responsive(
            "/img/a b,c.png",
            "/",
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
