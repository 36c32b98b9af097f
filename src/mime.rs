//! Content types of output files, for `serve` and `deploy`: `mime_guess`'s table, with a UTF-8
//! charset on text, and the types of dossier's own files that the table does not know or gets
//! wrong for a website (Atom feeds, BibTeX, RIS, JavaScript modules).

use std::borrow::Cow;

/// The `Content-Type` of an output file, from its path.
pub fn content_type(path: &str) -> Cow<'static, str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let fixed = match ext.as_str() {
        "html" | "htm" => Some("text/html; charset=utf-8"),
        "js" | "mjs" => Some("text/javascript; charset=utf-8"),
        "json" => Some("application/json"),
        "xml" if name == crate::urls::FEED => Some("application/atom+xml; charset=utf-8"),
        "xml" => Some("application/xml; charset=utf-8"),
        "bib" => Some("application/x-bibtex; charset=utf-8"),
        "ris" => Some("application/x-research-info-systems; charset=utf-8"),
        "ics" => Some("text/calendar; charset=utf-8"),
        _ => None,
    };
    if let Some(t) = fixed {
        return Cow::Borrowed(t);
    }
    match mime_guess::from_ext(&ext).first() {
        Some(m) if m.type_() == mime_guess::mime::TEXT => Cow::Owned(format!("{m}; charset=utf-8")),
        Some(m) => Cow::Owned(m.to_string()),
        None => Cow::Borrowed("application/octet-stream"),
    }
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn types_of_site_files() {
        for (path, want) in [
            ("briefs/a/index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("dossier.js", "text/javascript; charset=utf-8"),
            ("feed.xml", "application/atom+xml; charset=utf-8"),
            ("authors/a/feed.xml", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("feed.json", "application/json"),
            ("briefs/a/cite.bib", "application/x-bibtex; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("images/x.JPG", "image/jpeg"),
            ("favicon.svg", "image/svg+xml"),
            ("video/launch.mp4", "video/mp4"),
            ("audio/ep1.mp3", "audio/mpeg"),
            ("data/budget.csv", "text/csv; charset=utf-8"),
            ("reports/r.pdf", "application/pdf"),
            (
                "data/t.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("pagefind/wasm.en.pagefind", "application/octet-stream"),
            ("_redirects", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), want, "{path}");
        }
    }
}
