//! Machine-readable outputs written without templates, so that escaping is decided here, per
//! output kind: Atom 1.0 feeds, the XML sitemap and robots.txt. XML-illegal characters from
//! front matter are dropped (see `escape::xml`), so every file stays well-formed.

use std::fmt::Write as _;

use crate::escape::xml;
use crate::site::{BriefId, Site};

/// Entries per feed.
pub const FEED_ENTRIES: usize = 20;

/// The full text of every brief some feed shows (`[feeds] full_content`), made once per build:
/// a brief is in the site's, its collection's, its authors' and its terms' feeds, and making
/// its links absolute once instead of in each feed saves most of the feeds' extra cost (the
/// XML escape stays per feed: keeping an escaped copy too cost more memory than time saved).
/// When the feeds show more than [`PACK_FEED_TEXTS_ABOVE`] briefs, each text is held
/// LZ4-compressed, as brief bodies are (`site/bodies.rs`): with an author feed each, a site's
/// feeds can show nearly every brief, and at 100,000 briefs (5,000 authors) the texts took
/// 0.7 GB as they were. Below it, packing would cost time (about 0.1 s at 10,000 briefs) to
/// save memory that does not matter.
#[derive(Default)]
pub struct FeedBodies(std::collections::HashMap<BriefId, FeedText>);

/// Feeds showing more briefs than this hold their texts compressed ([`FeedBodies`]).
pub const PACK_FEED_TEXTS_ABOVE: usize = 20_000;

/// One brief's text with absolute links.
enum FeedText {
    Plain(String),
    /// `lz4_flex::compress_prepend_size` of the text.
    Packed(Box<[u8]>),
}

impl FeedBodies {
    /// The bodies of `ids` (empty when feeds carry summaries only).
    pub fn new(site: &Site, ids: std::collections::HashSet<BriefId>) -> Self {
        Self::packing_above(site, ids, PACK_FEED_TEXTS_ABOVE)
    }

    /// [`FeedBodies::new`], packing the texts when there are more than `above`.
    pub fn packing_above(
        site: &Site,
        ids: std::collections::HashSet<BriefId>,
        above: usize,
    ) -> Self {
        use rayon::prelude::*;
        if !site.config.feeds.full_content {
            return Self::default();
        }
        let pack = ids.len() > above;
        let ids: Vec<BriefId> = ids.into_iter().collect();
        FeedBodies(
            ids.into_par_iter()
                .map(|id| {
                    let b = site.brief(id);
                    let html = absolute_html(site, &b.body_html(), &b.permalink);
                    let text = if pack {
                        FeedText::Packed(lz4_flex::compress_prepend_size(html.as_bytes()).into())
                    } else {
                        FeedText::Plain(html)
                    };
                    (id, text)
                })
                .collect(),
        )
    }

    /// A brief's text with absolute links, as HTML.
    pub fn html(&self, id: BriefId) -> Option<std::borrow::Cow<'_, str>> {
        Some(match self.0.get(&id)? {
            FeedText::Plain(s) => std::borrow::Cow::Borrowed(s.as_str()),
            FeedText::Packed(packed) => {
                let bytes = lz4_flex::decompress_size_prepended(packed)
                    .expect("a text packed by this build unpacks");
                String::from_utf8(bytes)
                    .expect("a text packed from a string is UTF-8")
                    .into()
            }
        })
    }
}

/// An Atom feed of `briefs` (newest first) in language `lang`. `self_path` is the feed's own
/// path, `alternate` the HTML page it mirrors. An entry in another language says so with its
/// own `xml:lang`, so a reader sets its title and text in the right direction (issue 27).
pub fn atom(
    site: &Site,
    (title, lang): (&str, &str),
    self_path: &str,
    alternate: &str,
    briefs: &[BriefId],
    bodies: &FeedBodies,
) -> String {
    let ids: Vec<BriefId> = briefs.iter().take(FEED_ENTRIES).copied().collect();
    let entries: Vec<_> = ids.iter().map(|id| site.brief(*id)).collect();
    let updated = entries
        .iter()
        .map(|b| b.last_modified().timestamp())
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut s = String::with_capacity(1024 + entries.len() * 1024);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        s,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml(lang)
    );
    let _ = writeln!(s, "  <title>{}</title>", xml(title));
    if !site.config.description.is_empty() {
        let _ = writeln!(
            s,
            "  <subtitle>{}</subtitle>",
            xml(&site.config.description)
        );
    }
    let _ = writeln!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml(&site.permalink(self_path))
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&site.permalink(alternate))
    );
    let _ = writeln!(s, "  <id>{}</id>", xml(&site.permalink(self_path)));
    let _ = writeln!(s, "  <updated>{}</updated>", updated);
    if let Some(l) = &site.config.licence {
        let _ = writeln!(s, "  <rights>{}</rights>", xml(&rights(l)));
    }
    let _ = writeln!(
        s,
        "  <generator version=\"{}\">dossier</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for (id, b) in ids.iter().zip(entries) {
        let link = site.permalink(&b.path);
        match b.doc.language.as_deref() {
            Some(l) if !l.eq_ignore_ascii_case(lang) => {
                let _ = writeln!(s, "  <entry xml:lang=\"{}\">", xml(l));
            }
            _ => s.push_str("  <entry>\n"),
        }
        let _ = writeln!(s, "    <title>{}</title>", xml(&b.doc.title));
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(&link)
        );
        let _ = writeln!(s, "    <id>{}</id>", xml(&link));
        let _ = writeln!(s, "    <published>{}</published>", b.doc.date.timestamp());
        let _ = writeln!(
            s,
            "    <updated>{}</updated>",
            b.last_modified().timestamp()
        );
        for a in b.authors.iter().take(crate::site::BYLINE_IN_LISTINGS) {
            let a = site.author(*a);
            let _ = writeln!(
                s,
                "    <author><name>{}</name><uri>{}</uri></author>",
                xml(&a.name),
                xml(&site.permalink(&a.path))
            );
        }
        for (t, tax) in site.taxonomies_with_ids() {
            for id in b.terms_of(t) {
                let term = tax.term(*id);
                let _ = writeln!(
                    s,
                    "    <category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                    xml(&term.slug),
                    xml(&term.name),
                    xml(&site.permalink(&tax.path))
                );
            }
        }
        if let Some(l) = super::metadata::licence(site, b) {
            // RFC 4946's licence link, and Atom's human-readable statement.
            let _ = writeln!(
                s,
                "    <link rel=\"license\" type=\"text/html\" href=\"{}\"/>",
                xml(&l.url)
            );
            let _ = writeln!(s, "    <rights>{}</rights>", xml(&rights(l)));
        }
        let _ = writeln!(
            s,
            "    <summary type=\"text\">{}</summary>",
            xml(&b.summary)
        );
        if let Some(text) = bodies.html(*id) {
            let _ = writeln!(
                s,
                "    <content type=\"html\" xml:base=\"{}\">{}</content>",
                xml(&link),
                xml(&text)
            );
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// A brief's body for a feed: links and images made absolute, since a feed reader shows the
/// text away from the site. Only the double-quoted `href`/`src`/`srcset` attributes the
/// Markdown renderer writes are rewritten (a scan, not an HTML parser: the body is dossier's
/// own output, and this runs for every entry of every feed); Atom entries also carry
/// `xml:base` for raw HTML written otherwise.
pub fn absolute_html(site: &Site, html: &str, item_permalink: &str) -> String {
    let base = &site.config.base_url;
    let origin = &base[..base.len() - site.config.base_path.len()];
    // The prefix that makes `url` absolute ("" when it already is, or is a fragment).
    let prefix = |url: &str| -> &str {
        if url.starts_with('/') && !url.starts_with("//") {
            origin
        } else if url.is_empty() || url.starts_with('#') || crate::urls::is_external(url) {
            ""
        } else {
            item_permalink
        }
    };
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = rest.find("=\"") {
        let attr_start = rest[..i]
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |p| p + 1);
        let attr = &rest[attr_start..i];
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        let value = &rest[..rest.find('"').unwrap_or(rest.len())];
        match attr {
            "href" | "src" => out.push_str(prefix(value)),
            // "a-480w.jpg 480w, a.jpg 2400w": each candidate's URL (issue 26).
            "srcset" => {
                let candidates: Vec<String> = value
                    .split(", ")
                    .map(|c| format!("{}{}", prefix(c), c))
                    .collect();
                out.push_str(&candidates.join(", "));
                rest = &rest[value.len()..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// "Creative Commons Attribution 4.0 International (CC-BY-4.0): https://…".
fn rights(l: &crate::content::scholarly::Licence) -> String {
    format!("{} ({}): {}", l.name, l.id, l.url)
}

/// One `<url>` of the sitemap.
pub struct SitemapEntry {
    /// Path inside the site.
    pub path: String,
    /// Last modification, when known.
    pub lastmod: Option<jiff::Timestamp>,
    /// The page's editions in other languages (`xhtml:link` alternates; see `editions.rs`).
    pub alternates: Vec<super::editions::Alternate>,
}

/// The sitemap of every HTML page (absolute URLs).
pub fn sitemap(site: &Site, entries: &[SitemapEntry]) -> String {
    let mut s = String::with_capacity(128 + entries.len() * 120);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if entries.iter().any(|e| !e.alternates.is_empty()) {
        s.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    s.push_str(">\n");
    for e in entries {
        let _ = write!(s, "  <url><loc>{}</loc>", xml(&site.permalink(&e.path)));
        if let Some(t) = e.lastmod {
            let _ = write!(s, "<lastmod>{}</lastmod>", t.strftime("%Y-%m-%dT%H:%M:%SZ"));
        }
        for a in &e.alternates {
            let _ = write!(
                s,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml(&a.hreflang),
                xml(&a.href)
            );
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// robots.txt allowing everything and naming the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink(crate::urls::SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_feed_texts_read_back_as_plain_ones() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::BuildOptions::new(root);
        let config = crate::load_config(&opts).expect("the demo's config loads");
        let site = crate::prepare(&opts, config, None)
            .expect("the demo builds")
            .site;
        let ids: std::collections::HashSet<BriefId> = site.brief_ids().into_iter().collect();
        let plain = FeedBodies::packing_above(&site, ids.clone(), usize::MAX);
        let packed = FeedBodies::packing_above(&site, ids.clone(), 0);
        assert!(plain.0.values().all(|t| matches!(t, FeedText::Plain(_))));
        assert!(packed.0.values().all(|t| matches!(t, FeedText::Packed(_))));
        for id in ids {
            let text = plain.html(id).expect("every brief shown has its text");
            assert!(text.contains("<p>"), "{}", site.brief(id).doc.slug);
            assert_eq!(packed.html(id), Some(text));
        }
    }
}
