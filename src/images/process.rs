//! Pixels: decode a source (with limits, EXIF orientation applied), scale or crop it with
//! `fast_image_resize` (Lanczos3, SIMD), and encode JPEG and PNG with `image`, WebP with
//! libwebp (the `webp` crate; `image`'s own WebP encoder is lossless only, several times
//! larger for photographs). Re-encoding is also what removes EXIF, GPS and XMP metadata: no
//! encoder here writes any.

use std::io::Cursor;

use fast_image_resize::{ResizeOptions, Resizer, images::Image};
use image::{DynamicImage, ImageDecoder, ImageEncoder};

use super::{Format, Op, Source};

/// A decoded source, oriented, as 8-bit RGB or RGBA.
pub struct Decoded {
    img: DynamicImage,
}

/// Decode `bytes` (a source already probed), refusing more than `max_pixels`.
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<Decoded, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read it: {e}"))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("it is not a readable image: {e}"))?;
    let (w, h) = decoder.dimensions();
    super::probe::check_pixels(w, h, max_pixels)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    if bytes.starts_with(&[0xFF, 0xD8]) && !jpeg_complete(bytes) {
        return Err("it is damaged or truncated: the JPEG data stops before its end marker".into());
    }
    let mut img = DynamicImage::from_decoder(decoder)
        .map_err(|e| format!("it is damaged or truncated: {e}"))?;
    img.apply_orientation(orientation);
    let img = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    Ok(Decoded { img })
}

impl Decoded {
    /// Make variant `op` of `src` from this decoded image, encoded.
    pub fn make(&self, src: &Source, op: Op, quality: u8) -> Result<Vec<u8>, String> {
        let (w, h) = op.size(src);
        let format = op.format(src);
        let scaled;
        let img = if (w, h) == (self.img.width(), self.img.height()) {
            &self.img
        } else {
            scaled = self.scale(op, w, h)?;
            &scaled
        };
        encode(img, format, src.format, quality)
    }

    fn scale(&self, op: Op, w: u32, h: u32) -> Result<DynamicImage, String> {
        let pixel = if self.img.color().has_alpha() {
            fast_image_resize::PixelType::U8x4
        } else {
            fast_image_resize::PixelType::U8x3
        };
        let mut dst = Image::new(w, h, pixel);
        let mut options = ResizeOptions::new();
        if let Op::Fill { focus, .. } = op {
            let (l, t, cw, ch) = crop_box(self.img.width(), self.img.height(), w, h, focus);
            options = options.crop(l, t, cw, ch);
        }
        Resizer::new()
            .resize(&self.img, &mut dst, &options)
            .map_err(|e| format!("cannot resize it: {e}"))?;
        let buf = dst.into_vec();
        let img = if pixel == fast_image_resize::PixelType::U8x4 {
            image::RgbaImage::from_raw(w, h, buf).map(DynamicImage::ImageRgba8)
        } else {
            image::RgbImage::from_raw(w, h, buf).map(DynamicImage::ImageRgb8)
        };
        img.ok_or_else(|| "resizing gave a buffer of the wrong size".to_string())
    }
}

/// Whether a JPEG's image data reaches its end-of-image marker. The decoder fills a truncated
/// file's missing rows with grey instead of failing, which would publish a broken picture; the
/// marker cannot occur inside entropy-coded data (0xFF is always followed by 0x00 there), so
/// walking the segments to the first scan and looking for it after is exact.
pub fn jpeg_complete(bytes: &[u8]) -> bool {
    let mut pos = 2;
    while pos + 4 <= bytes.len() {
        if bytes[pos] != 0xFF {
            return false;
        }
        let marker = bytes[pos + 1];
        match marker {
            0xFF => pos += 1, // fill byte
            0x01 | 0xD0..=0xD7 => pos += 2,
            0xD9 => return true,
            0xDA => return bytes[pos + 2..].windows(2).any(|w| w == [0xFF, 0xD9]),
            _ => {
                let len = usize::from(u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]));
                pos += 2 + len;
            }
        }
    }
    false
}

/// The largest box of the aspect ratio `w:h` inside a `sw`×`sh` image, centred on the focal
/// point as far as the edges allow: (left, top, width, height).
pub fn crop_box(sw: u32, sh: u32, w: u32, h: u32, focus: (u16, u16)) -> (f64, f64, f64, f64) {
    let (sw, sh) = (f64::from(sw), f64::from(sh));
    let ratio = f64::from(w) / f64::from(h);
    let (cw, ch) = if sw / sh > ratio {
        (sh * ratio, sh)
    } else {
        (sw, sw / ratio)
    };
    let fx = f64::from(focus.0.min(1000)) / 1000.0 * sw;
    let fy = f64::from(focus.1.min(1000)) / 1000.0 * sh;
    let left = (fx - cw / 2.0).clamp(0.0, sw - cw);
    let top = (fy - ch / 2.0).clamp(0.0, sh - ch);
    (left, top, cw, ch)
}

/// Encode `img` as `format`. WebP is lossy at `quality` for photographs (JPEG and WebP
/// sources) and lossless for PNG sources (charts and screenshots keep sharp text).
pub fn encode(
    img: &DynamicImage,
    format: Format,
    source_format: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h) = (img.width(), img.height());
    let fail = |e: image::ImageError| format!("cannot encode it: {e}");
    match format {
        Format::Jpeg => {
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(rgb.as_raw(), w, h, image::ExtendedColorType::Rgb8)
                .map_err(fail)?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(img.as_bytes(), w, h, img.color().into())
            .map_err(fail)?;
        }
        Format::Webp => {
            let enc = match img {
                DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b.as_raw(), w, h),
                DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b.as_raw(), w, h),
                _ => return Err("unexpected pixel layout".into()),
            };
            let mem = if source_format == Format::Png {
                enc.encode_lossless()
            } else {
                enc.encode(f32::from(quality))
            };
            out.extend_from_slice(&mem);
        }
    }
    Ok(out)
}

/// Wrap raw RGBA pixels (a drawn share card) as an image.
pub fn from_rgba(w: u32, h: u32, data: Vec<u8>) -> Option<DynamicImage> {
    image::RgbaImage::from_raw(w, h, data).map(DynamicImage::ImageRgba8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_cut_anywhere_after_its_header_is_incomplete() {
        let img = image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 3, y as u8, 7]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&img)
            .unwrap();
        assert!(jpeg_complete(&jpeg));
        for cut in [jpeg.len() - 2, jpeg.len() * 3 / 4, jpeg.len() / 2, 40] {
            assert!(!jpeg_complete(&jpeg[..cut]), "cut at {cut}");
        }
    }

    #[test]
    fn crop_box_keeps_the_focal_point_inside_and_the_ratio() {
        // A tall 1000×2000 image cropped to 1200×630 around a face near the top.
        let (l, t, w, h) = crop_box(1000, 2000, 1200, 630, (500, 100));
        assert_eq!((l, w), (0.0, 1000.0));
        assert!((h - 525.0).abs() < 0.01);
        assert_eq!(t, 0.0); // 200 − 262.5 clamps to the top
        // Near the bottom: the box stops at the bottom edge (2000 − 525).
        let (_, t, _, _) = crop_box(1000, 2000, 1200, 630, (500, 900));
        assert!((t - 1475.0).abs() < 0.01);
        let (_, t, _, _) = crop_box(1000, 2000, 1200, 630, (500, 500));
        assert!((t - 737.5).abs() < 0.01);
    }
}
