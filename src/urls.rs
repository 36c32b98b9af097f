//! Site paths and URLs, made in one place.
//!
//! A *path* is where a page or file sits inside the site, without the base path and without a
//! leading slash: `briefs/a/`, `authors/jane-doe/feed.xml`. [`crate::site::Site::url`] prefixes
//! the base path (`/research/briefs/a/`), [`crate::site::Site::permalink`] the base URL. Every
//! generated page's path comes from a function here, so that `grep 'authors/'` finds one place;
//! every "is this link external?" decision is [`is_external`].

use crate::site::Site;

/// Characters percent-encoded in a URL path made from an output path (controls, space and the
/// delimiters a path cannot hold as they are); everything outside ASCII is encoded too.
pub const PATH_ESCAPES: percent_encoding::AsciiSet = percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The briefs listing.
pub const BRIEFS: &str = "briefs/";
/// The folder of the default collection, under content/.
pub const BRIEFS_DIR: &str = "briefs";
/// The list of publication types.
pub const TYPES: &str = "types/";
/// The list of series.
pub const SERIES: &str = "series/";
/// The list of authors.
pub const AUTHORS: &str = "authors/";
/// The search page.
pub const SEARCH: &str = "search/";
/// The 404 page (a file, not a folder).
pub const NOT_FOUND: &str = "404.html";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The site-wide Atom feed.
pub const FEED: &str = "feed.xml";
/// The site-wide JSON Feed.
pub const JSON_FEED: &str = "feed.json";

/// A brief's page: `briefs/<slug>/`.
pub fn brief(slug: &str) -> String {
    item(BRIEFS_DIR, slug)
}

/// An item's page: `<collection>/<slug>/`, under its language's section when it is written
/// in another language than the site's (`ar/briefs/<slug>/`; see [`crate::config::Languages`]).
pub fn item_page(
    config: &crate::config::Config,
    language: Option<&str>,
    collection_name: &str,
    slug: &str,
) -> String {
    match config.section_of(language) {
        Some(section) => format!(
            "{}{}",
            config.languages.section_path(&section),
            item(collection_name, slug)
        ),
        None => item(collection_name, slug),
    }
}

/// Something inside a language section: `in_section("ar/", "topics/water/")` →
/// `ar/topics/water/`.
pub fn in_section(section_path: &str, path: &str) -> String {
    format!("{section_path}{path}")
}

/// A collection's listing: `<collection>/` (the folder's name as a slug).
pub fn collection(name: &str) -> String {
    format!("{}/", crate::slug::slugify(name))
}

/// An item of a collection: `<collection>/<slug>/`.
pub fn item(collection_name: &str, slug: &str) -> String {
    format!("{}{slug}/", collection(collection_name))
}

/// A collection's year archive: `<collection>/<year>/`.
pub fn year(collection_path: &str, year: i16) -> String {
    format!("{collection_path}{year}/")
}

/// A publication type's listing: `types/<type>/`.
pub fn publication_type(name: &str) -> String {
    format!("{TYPES}{}/", crate::slug::slugify(name))
}

/// A series' landing page: `series/<slug of its name>/`.
pub fn series(slug: &str) -> String {
    format!("{SERIES}{slug}/")
}

/// The iCalendar file of an event: `<item path>event.ics`.
pub fn event_ics(item_path: &str) -> String {
    format!("{item_path}event.ics")
}

/// The iCalendar file of a collection's events: `<collection path>calendar.ics`.
pub fn calendar_ics(collection_path: &str) -> String {
    format!("{collection_path}calendar.ics")
}

/// An author's page: `authors/<slug>/`.
pub fn author(slug: &str) -> String {
    format!("authors/{slug}/")
}

/// The content file that would hold an author's profile, relative to `content/`, for `@/`
/// links to authors named only in bylines.
pub fn author_source(slug: &str) -> String {
    format!("authors/{slug}.md")
}

/// A taxonomy's list of terms: `<taxonomy>/`.
pub fn taxonomy(name: &str) -> String {
    format!("{name}/")
}

/// A term's page: `<taxonomy>/<slug>/`.
pub fn term(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}/{slug}/")
}

/// The content file of a term's profile, relative to `content/`.
pub fn term_source(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}/{slug}.md")
}

/// Page `n` (from 1) of a listing at `base`: `base` itself, then `base/page/<n>/`.
pub fn paged(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The Atom feed of a page (`""` for the site's).
pub fn feed(base: &str) -> String {
    format!("{base}{FEED}")
}

/// The JSON Feed of a page (`""` for the site's).
pub fn json_feed(base: &str) -> String {
    format!("{base}{JSON_FEED}")
}

/// The BibTeX file of a brief.
pub fn cite_bib(brief_path: &str) -> String {
    format!("{brief_path}cite.bib")
}

/// The RIS file of a brief.
pub fn cite_ris(brief_path: &str) -> String {
    format!("{brief_path}cite.ris")
}

/// The output file of a page path: `briefs/a/` → `briefs/a/index.html`; a path naming a file
/// (`404.html`, an alias such as `old.php`) stays as it is.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The URL path ("/briefs/a/") at which an output file is served.
pub fn served_at(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{file}"),
    }
}

/// True for a reference that leaves the site: it has a URL scheme (`https:`, `mailto:`,
/// `data:`…, per RFC 3986) or is protocol-relative (`//host/`).
pub fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    let Some((scheme, _)) = href.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The URL schemes dossier publishes links with (issue 22). Everything else (`javascript:`,
/// `vbscript:`, `data:` but raster images, `file:`, unknown schemes) is refused wherever the URL
/// comes from: Markdown, front matter or site.toml.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Raster image types allowed in `data:` URLs (SVG can carry scripts, so it is not).
const DATA_IMAGES: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/jpg",
    "data:image/gif",
    "data:image/webp",
    "data:image/avif",
];

/// True when a URL may be published: a relative reference or site path, or a URL with one of
/// [`ALLOWED_SCHEMES`] (or a raster `data:image/…`). The URL is read as a browser reads an
/// attribute: character references decoded, whitespace and control characters inside the
/// scheme ignored, any case.
pub fn allowed(url: &str) -> bool {
    let decoded = html_escape::decode_html_entities(url);
    let compact: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{feff}')
        .flat_map(char::to_lowercase)
        .collect();
    let Some((scheme, _)) = compact.split_once(':') else {
        return true;
    };
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme
        || compact.starts_with('/')
        || compact.starts_with('#')
        || compact.starts_with('?')
    {
        // "1:2.html", "/a:b", "#x:y": a path, not a scheme.
        return true;
    }
    ALLOWED_SCHEMES.contains(&scheme) || DATA_IMAGES.iter().any(|d| compact.starts_with(d))
}

/// Why a URL from front matter or site.toml is refused, or `None` when it is allowed.
pub fn refused(url: &str) -> Option<String> {
    (!allowed(url)).then(|| {
        format!(
            "{url:?} is not a link dossier publishes: only {} URLs, site paths and relative paths are allowed",
            ALLOWED_SCHEMES.join(", ")
        )
    })
}

/// Resolve an image or file reference written in front matter or Markdown to a URL: external
/// references stay as written, `/x` is inside the site, anything else is relative to the page
/// at `page_path`.
pub fn resolve(site: &Site, page_path: &str, href: &str) -> String {
    if is_external(href) {
        href.to_string()
    } else if let Some(rest) = href.strip_prefix('/') {
        site.url(rest)
    } else {
        site.url(&format!("{page_path}{}", href.trim_start_matches("./")))
    }
}

/// The URL of a brief's hero `image`: where the image catalog publishes it when dossier
/// processes it (one place, whichever edition of a bundle names it), else resolved against the
/// brief's page like any link.
pub fn hero(site: &Site, b: &crate::site::Brief) -> Option<String> {
    let href = b.doc.image.as_deref()?;
    if !is_external(href)
        && let Some((rel, Ok(_))) = site.images.find(&b.doc.source, href)
        && let Some(out) = site.images.out_of(&rel)
    {
        return Some(site.url(out));
    }
    Some(resolve(site, &b.path, href))
}

/// Make an absolute URL from a URL made by [`resolve`] or [`Site::url`].
pub fn absolute(site: &Site, url: &str) -> String {
    if is_external(url) {
        return url.to_string();
    }
    let origin_end = site.config.base_url.len() - site.config.base_path.len();
    format!("{}{}", &site.config.base_url[..origin_end], url)
}

/// An author's photo URL: a site path (with or without the leading slash) or a full URL.
pub fn photo(site: &Site, a: &crate::site::Author) -> Option<String> {
    let p = a.profile.as_ref()?.front.photo.as_deref()?;
    Some(if is_external(p) {
        p.to_string()
    } else {
        resolve(site, "", p.trim_start_matches('/'))
    })
}

/// A menu or config link: a full URL stays, anything else is a site path.
pub fn site_link(site: &Site, url: &str) -> String {
    if is_external(url) {
        url.to_string()
    } else {
        site.url(url.trim_start_matches('/'))
    }
}

/// The output file of an alias: `old/` → `old/index.html`, `old.php` stays.
pub fn alias_file(alias: &str) -> String {
    output_file(alias)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_means_a_scheme_or_protocol_relative() {
        for e in [
            "https://a.org/",
            "http://a",
            "mailto:a@b.c",
            "tel:+1",
            "data:image/png;base64,AA",
            "//cdn.example/x.js",
            "svn+ssh://x",
        ] {
            assert!(is_external(e), "{e}");
        }
        for i in [
            "/briefs/a/",
            "chart.png",
            "./x.pdf",
            "#fn-1",
            "",
            "1:2.html",
            "a b:c",
        ] {
            assert!(!is_external(i), "{i}");
        }
    }

    #[test]
    fn issue_22_one_scheme_allow_list() {
        for ok in [
            "https://a.org/x",
            "http://a",
            "mailto:a@b.c",
            "tel:+44",
            "/briefs/a/",
            "chart.png",
            "#fn-1",
            "?q=1",
            "javascript-guide.html",
            "1:2.html",
            "data:image/png;base64,AAAA",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>",
            "data:image/svg+xml,<svg onload=x>",
            "file:///etc/passwd",
            "ftp://x/",
        ] {
            assert!(!allowed(bad), "{bad}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(paged("briefs/", 1), "briefs/");
        assert_eq!(paged("briefs/", 3), "briefs/page/3/");
        assert_eq!(paged("", 2), "page/2/");
        assert_eq!(output_file("briefs/a/"), "briefs/a/index.html");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("404.html"), "404.html");
        assert_eq!(served_at("briefs/a/index.html"), "/briefs/a/");
        assert_eq!(served_at("feed.xml"), "/feed.xml");
    }
}
