//! Internal references written in content must name something the site publishes (issue 22):
//! Markdown links and images, a brief's hero `image` and `pdf`, an author's `photo`, the
//! `[metadata] logo`. `build` reports each broken one at the file and line that wrote it, as
//! an error unless `[build] broken_links = "warning"` (as Zola does); `check` reports them the
//! same way and also checks `#fragments` and the links templates write (it has the HTML).
//!
//! Only the set of output paths is needed, so this costs a few map lookups per link, also when
//! pages were streamed to disk and are not held in memory.

use crate::diag::Diagnostic;
use crate::output::Output;
use crate::site::Site;
use crate::urls::{self, is_external};

/// One broken reference.
pub struct Broken {
    /// The error, at the place the reference is written.
    pub diagnostic: Diagnostic,
    /// The output file of the page that shows it ("briefs/a/index.html").
    pub page: String,
    /// The reference as written.
    pub written: String,
    /// The URL it resolves to.
    pub url: String,
}

/// The output file a site URL points at, if the output has it.
pub fn target_file(output: &Output, base_path: &str, url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let inside = path.strip_prefix(base_path)?;
    let inside = percent_decode(inside);
    let candidates = if inside.is_empty() || inside.ends_with('/') {
        vec![format!("{inside}index.html")]
    } else {
        vec![inside.clone(), format!("{inside}/index.html")]
    };
    candidates.into_iter().find(|c| output.get(c).is_some())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).expect("checked hex digit") as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// Each page's source file, its path and its rendered Markdown.
pub fn documents(site: &Site) -> Vec<(&std::path::Path, &str, &crate::markdown::Rendered)> {
    let mut docs = Vec::new();
    for b in &site.briefs {
        docs.push((b.doc.source.as_path(), b.path.as_str(), &b.doc.body));
    }
    for p in &site.pages {
        docs.push((p.source.as_path(), p.path.as_str(), &p.body));
    }
    for a in &site.authors {
        if let Some(p) = &a.profile {
            docs.push((p.source.as_path(), a.path.as_str(), &p.bio));
        }
    }
    for t in &site.taxonomies {
        for term in &t.terms {
            if let Some(p) = &term.profile {
                docs.push((p.source.as_path(), term.path.as_str(), &p.description));
            }
        }
    }
    docs
}

/// Every broken internal reference, in document order.
pub fn broken(site: &Site, out: &Output) -> Vec<Broken> {
    let mut found = markdown_links(site, out);
    found.extend(front_matter(site, out));
    found
}

fn markdown_links(site: &Site, out: &Output) -> Vec<Broken> {
    let base = site.config.base_path.as_str();
    let mut found = Vec::new();
    for (source, path, body) in documents(site) {
        for link in &body.links {
            let dest = link.dest.as_str();
            if is_external(dest)
                || dest.starts_with("@/")
                || dest.is_empty()
                || dest.starts_with('#')
            {
                continue;
            }
            let url = urls::resolve(site, path, dest);
            if target_file(out, base, &url).is_some() {
                continue;
            }
            let what = if link.image { "image" } else { "link" };
            let hint = if dest.starts_with('/') {
                "site paths start at the output root (static/ and content/ files are copied there)"
            } else {
                "relative links resolve from the page's URL; bundle files sit beside index.md"
            };
            found.push(Broken {
                diagnostic: Diagnostic::error(format!(
                    "broken {what} `{dest}`: nothing is published at {url}"
                ))
                .in_file(source)
                .at(link.line, 1)
                .with_hint(hint),
                page: urls::output_file(path),
                written: dest.to_string(),
                url,
            });
        }
    }
    found
}

fn front_matter(site: &Site, out: &Output) -> Vec<Broken> {
    let base = site.config.base_path.as_str();
    let mut found = Vec::new();
    let mut missing = |written: &str, page: &str, url: String, d: Diagnostic| {
        if target_file(out, base, &url).is_none() {
            found.push(Broken {
                diagnostic: d,
                page: urls::output_file(page),
                written: written.to_string(),
                url,
            });
        }
    };
    for b in &site.briefs {
        let at = |key: &str| b.doc.key_positions.get(key).copied();
        if let Some(img) = b.doc.image.as_deref().filter(|i| !is_external(i)) {
            let url = urls::hero(site, b).unwrap_or_default();
            let d = Diagnostic::error(format!(
                "hero `image` {img:?} is missing: nothing is published at {url}"
            ))
            .in_file(&b.doc.source)
            .at_opt(at("image"))
            .with_hint("put the image beside index.md in the brief's bundle, or give a site path such as /images/x.jpg");
            missing(img, &b.path, url, d);
        }
        if let Some(pdf) = b.doc.pdf.as_deref().filter(|p| p.starts_with('/')) {
            let url = urls::resolve(site, &b.path, pdf);
            let d = Diagnostic::error(format!(
                "`pdf` {pdf:?} is missing: nothing is published at {url}"
            ))
            .in_file(&b.doc.source)
            .at_opt(at("pdf"))
            .with_hint("site paths start at the output root: put the file under static/");
            missing(pdf, &b.path, url, d);
        }
    }
    for a in &site.authors {
        let (Some(p), Some(url)) = (&a.profile, urls::photo(site, a)) else {
            continue;
        };
        if is_external(&url) {
            continue;
        }
        let photo = p.front.photo.clone().unwrap_or_default();
        let d = Diagnostic::error(format!("`photo` is missing: nothing is published at {url}"))
            .in_file(&p.source)
            .at_opt(p.key_positions.get("photo").copied())
            .with_hint(
                "put the photo under static/ (e.g. static/images/authors/) and give its site path",
            );
        missing(&photo, &a.path, url, d);
    }
    if let Some(logo) = site
        .config
        .metadata
        .logo
        .as_deref()
        .filter(|l| !is_external(l))
    {
        let url = urls::resolve(site, "", logo.trim_start_matches('/'));
        let d = Diagnostic::error(format!(
            "`[metadata] logo` {logo:?} is missing: nothing is published at {url}"
        ))
        .in_file("site.toml")
        .with_hint("put the logo under static/ and give its site path, e.g. /logo.svg");
        missing(logo, "", url, d);
    }
    found
}
