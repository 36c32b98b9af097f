//! Brief bodies held compressed between the components stage and the end of the build.
//!
//! A brief's HTML is read twice after its components are drawn: by its own page and by the
//! full-text feeds that list it. Until then it sat in memory as text: at 100,000 briefs about
//! 1.2 GB, the largest single part of the site a build holds. [`Site::pack_bodies`] compresses
//! each with LZ4 (`lz4_flex`, the format's pure-Rust implementation; HTML packs to about a
//! third) right after the components stage, and [`Brief::body_html`] unpacks it where it is
//! read. Unpacking runs at several GB/s, so a page or feed entry pays microseconds; the cost
//! and the memory saved at 10,000 and 100,000 briefs are in bench/RESULTS.md.
//!
//! A document `serve` puts in place after an edit is not packed ([`Brief::packed_body`] is
//! cleared with it), so [`Brief::body_html`] reads whichever form the brief has.

use std::borrow::Cow;

use rayon::prelude::*;

use super::{Brief, Site};

impl Site {
    /// Compress every brief's body HTML (in parallel), leaving `doc.body.html` empty: from
    /// here on it is read through [`Brief::body_html`]. Bodies already packed stay as they are.
    pub fn pack_bodies(&mut self) {
        self.briefs.par_iter_mut().for_each(|b| {
            if b.packed_body.is_some() {
                return;
            }
            let html = std::mem::take(&mut b.doc.body.html);
            b.packed_body = Some(lz4_flex::compress_prepend_size(html.as_bytes()).into());
        });
    }
}

impl Brief {
    /// The body's HTML, with its components drawn and its links resolved.
    pub fn body_html(&self) -> Cow<'_, str> {
        let Some(packed) = &self.packed_body else {
            return Cow::Borrowed(&self.doc.body.html);
        };
        let bytes = lz4_flex::decompress_size_prepended(packed)
            .expect("a body packed by this build unpacks");
        Cow::Owned(String::from_utf8(bytes).expect("a body packed from a string is UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use crate::BuildOptions;

    #[test]
    fn packed_bodies_read_back_as_written() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = BuildOptions::new(root);
        let config = crate::load_config(&opts).expect("the demo's config loads");
        let mut site = crate::prepare(&opts, config, None)
            .expect("the demo builds")
            .site;
        // Packed by the build, and read back whole.
        let read: Vec<String> = site.briefs.iter().map(|b| b.body_html().into()).collect();
        for (b, html) in site.briefs.iter().zip(&read) {
            assert!(b.packed_body.is_some() && b.doc.body.html.is_empty());
            assert!(
                html.contains("<p>") && html.ends_with('\n'),
                "{}",
                b.doc.slug
            );
        }
        // Unpacked (as `serve` leaves an edited brief), read as it is; packing again is safe.
        for (b, html) in site.briefs.iter_mut().zip(&read) {
            b.packed_body = None;
            b.doc.body.html = html.clone();
        }
        site.pack_bodies();
        site.pack_bodies();
        for (b, html) in site.briefs.iter().zip(&read) {
            assert_eq!(&b.body_html(), html, "{}", b.doc.slug);
        }
    }
}
