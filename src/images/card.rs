//! Share cards for briefs without a hero image: 1200×630 PNGs drawn from the title, byline
//! and site name, so that every brief has a raster `og:image` (no social network renders
//! SVG). The card is written as SVG (every string XML-escaped), drawn by resvg with fonts
//! embedded in the binary (Noto Sans and Noto Sans Arabic, SIL Open Font License, see
//! `assets/fonts/OFL.txt`): the same bytes on every machine, no system font looked up.
//! Right-to-left titles are set from the right edge; resvg shapes Arabic (rustybuzz) and
//! orders mixed-direction text (Unicode bidi).
//!
//! Lines are broken by measuring each word with the font's advance widths (ttf-parser), so
//! a long title wraps instead of running off the card; past the line limit it ends in "…".

use std::sync::{Arc, LazyLock};

use crate::escape::xml;
use resvg::usvg;

/// Share card width and height, the size Open Graph and X (Twitter) recommend.
pub const SIZE: (u32, u32) = (1200, 630);

const FONTS: [&[u8]; 4] = [
    include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
];

/// The embedded fonts, loaded once (immutable).
static FONT_DB: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    for f in FONTS {
        db.load_font_data(f.to_vec());
    }
    Arc::new(db)
});

/// What a card shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Card<'a> {
    /// The brief's title.
    pub title: &'a str,
    /// "Brief · 18 May 2026" or similar, above the title.
    pub kicker: &'a str,
    /// Authors' names.
    pub byline: &'a str,
    /// The site's name.
    pub site: &'a str,
    /// True for right-to-left languages.
    pub rtl: bool,
}

/// The card as SVG.
pub fn svg(card: &Card<'_>) -> String {
    let (w, h) = SIZE;
    let margin = 80.0;
    let width = f64::from(w) - 2.0 * margin;
    let (x, anchor, dir) = if card.rtl {
        (f64::from(w) - margin, "end", "rtl")
    } else {
        (margin, "start", "ltr")
    };
    let family = "Noto Sans, Noto Sans Arabic";
    let mut size = 64.0;
    let mut lines = wrap(card.title, size, width, 4);
    if lines.len() > 3 {
        size = 52.0;
        lines = wrap(card.title, size, width, 4);
    }
    let line_height = size * 1.22;
    let top = 265.0 - (lines.len() as f64 - 1.0) * line_height / 2.0;
    let mut title = String::new();
    for (i, line) in lines.iter().enumerate() {
        title.push_str(&format!(
            "<tspan x=\"{x}\" y=\"{:.1}\">{}</tspan>",
            top + i as f64 * line_height,
            xml(line)
        ));
    }
    let byline = truncate(card.byline, 30.0, width);
    let site = truncate(card.site, 28.0, width);
    let kicker = truncate(card.kicker, 26.0, width);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">
<rect width="{w}" height="{h}" fill="#14213d"/>
<rect y="{band}" width="{w}" height="14" fill="#e0a526"/>
<g font-family="{family}" direction="{dir}" text-anchor="{anchor}">
<text x="{x}" y="110" font-size="26" font-weight="700" fill="#e0a526" letter-spacing="1">{kicker}</text>
<text font-size="{size}" font-weight="700" fill="#ffffff">{title}</text>
<text x="{x}" y="520" font-size="30" fill="#dfe6f2">{byline}</text>
<text x="{x}" y="575" font-size="28" font-weight="700" fill="#ffffff">{site}</text>
</g>
</svg>"##,
        band = h - 14,
        kicker = xml(&kicker),
        byline = xml(&byline),
        site = xml(&site),
    )
}

/// Draw `svg` (made by [`svg`]) as a PNG.
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let opts = usvg::Options {
        fontdb: FONT_DB.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| format!("share card: {e}"))?;
    let (w, h) = SIZE;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or("share card: no pixmap")?;
    resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
    let img = super::process::from_rgba(w, h, pixmap.take()).ok_or("share card: bad pixmap")?;
    let rgb = image::DynamicImage::ImageRgb8(img.to_rgb8());
    super::process::encode(&rgb, super::Format::Png, super::Format::Png, 100)
}

/// The width of `text` at `size` px in the embedded fonts (bold Latin, else Arabic), from
/// advance widths; close enough to break lines (shaping changes Arabic widths a little).
fn measure(text: &str, size: f64) -> f64 {
    static FACES: LazyLock<Vec<ttf_parser::Face<'static>>> = LazyLock::new(|| {
        [FONTS[0], FONTS[2]]
            .into_iter()
            .filter_map(|f| ttf_parser::Face::parse(f, 0).ok())
            .collect()
    });
    let mut units = 0.0;
    for c in text.chars() {
        let found = FACES.iter().find_map(|f| {
            let g = f.glyph_index(c)?;
            Some(f64::from(f.glyph_hor_advance(g)?) / f64::from(f.units_per_em()))
        });
        units += found.unwrap_or(0.6);
    }
    units * size
}

/// Break `text` into at most `max` lines of at most `width` px at `size`; the last line
/// ends in "…" when text is left over.
fn wrap(text: &str, size: f64, width: f64, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let candidate = if line.is_empty() {
            (*word).to_string()
        } else {
            format!("{line} {word}")
        };
        if measure(&candidate, size) <= width || line.is_empty() {
            line = candidate;
            continue;
        }
        lines.push(std::mem::take(&mut line));
        if lines.len() == max {
            let rest = words[i..].join(" ");
            let last = lines.pop().unwrap_or_default();
            lines.push(truncate(&format!("{last} {rest}"), size, width));
            return lines;
        }
        line = (*word).to_string();
    }
    if !line.is_empty() {
        lines.push(truncate(&line, size, width));
    }
    lines
}

/// `text` cut to fit `width` px at `size`, ending in "…" when cut.
fn truncate(text: &str, size: f64, width: f64) -> String {
    if measure(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if measure(&format!("{out}{c}…"), size) > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_within_the_card_and_end_in_an_ellipsis() {
        let title = "word ".repeat(80);
        let lines = wrap(&title, 64.0, 1040.0, 4);
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| measure(l, 64.0) <= 1040.0));
        assert!(lines[3].ends_with('…'));
    }

    #[test]
    fn markup_in_a_title_is_text_on_the_card() {
        let s = svg(&Card {
            title: "<script>&\"x\"",
            kicker: "Brief",
            byline: "A & B",
            site: "Site",
            rtl: false,
        });
        assert!(s.contains("&lt;script&gt;&amp;&quot;x&quot;"), "{s}");
        assert!(usvg::Tree::from_str(&s, &usvg::Options::default()).is_ok());
    }
}
