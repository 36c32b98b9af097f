//! Link safety for Markdown output (issues 6, 22): link targets outside the one scheme
//! allow-list (`urls::allowed`: `javascript:`, `vbscript:`, `data:text/html`… in any case or
//! entity-encoded spelling) are replaced in every raw-HTML mode, and `raw_html = "sanitize"`
//! cleans author HTML with ammonia.
//!
//! Owns only these decisions; escaping of front matter is `escape.rs`'s.

use std::collections::HashSet;

/// True when a URL must not be published: anything [`crate::urls::allowed`] refuses (one
/// scheme allow-list for Markdown, front matter and site.toml).
pub fn is_dangerous_url(url: &str) -> bool {
    !crate::urls::allowed(url)
}

/// Attributes whose values are URLs.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcdoc",
];

/// In raw HTML, replace dangerous URL attribute values with `#` (allow mode keeps everything
/// else as written). A small scanner, not a parser: it looks at `name=value` pairs inside tags.
pub fn neutralise_raw_html(html: &str) -> std::borrow::Cow<'_, str> {
    let lower = html.to_ascii_lowercase();
    if !URL_ATTRS.iter().any(|a| lower.contains(a)) {
        return std::borrow::Cow::Borrowed(html);
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    let mut in_tag = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'<' {
            in_tag = true;
        } else if c == b'>' {
            in_tag = false;
        }
        if in_tag
            && (c.is_ascii_alphabetic())
            && i > 0
            && (bytes[i - 1].is_ascii_whitespace()
                || bytes[i - 1] == b'"'
                || bytes[i - 1] == b'\''
                || bytes[i - 1] == b'/')
        {
            // An attribute name starts here.
            let name_end = i + bytes[i..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
                .unwrap_or(bytes.len() - i);
            let name = lower[i..name_end].to_string();
            let mut j = name_end;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'=' && URL_ATTRS.contains(&name.as_str()) {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let (value_start, value_end, after) = match bytes.get(j) {
                    Some(q @ (b'"' | b'\'')) => {
                        let close = bytes[j + 1..]
                            .iter()
                            .position(|b| b == q)
                            .map_or(bytes.len(), |p| j + 1 + p);
                        (j + 1, close, (close + 1).min(bytes.len()))
                    }
                    _ => {
                        let end = j + bytes[j..]
                            .iter()
                            .position(|b| b.is_ascii_whitespace() || *b == b'>')
                            .unwrap_or(bytes.len() - j);
                        (j, end, end)
                    }
                };
                let value = &html[value_start..value_end];
                out.push_str(&html[i..value_start]);
                if is_dangerous_url(value) || name == "srcdoc" {
                    out.push('#');
                } else {
                    out.push_str(value);
                }
                out.push_str(&html[value_end..after]);
                i = after;
                continue;
            }
            out.push_str(&html[i..name_end]);
            i = name_end;
            continue;
        }
        let ch_len = html[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&html[i..i + ch_len]);
        i += ch_len;
    }
    std::borrow::Cow::Owned(out)
}

/// Clean a rendered body with ammonia, keeping what dossier's own Markdown passes produce
/// (heading ids and anchors, endnotes, highlighted code, tables, task lists).
pub fn sanitize(html: &str) -> String {
    let generic: HashSet<&str> = [
        "class",
        "id",
        "role",
        "aria-hidden",
        "aria-label",
        "aria-labelledby",
        "tabindex",
        "title",
        "lang",
        "dir",
        "data-lang",
    ]
    .into();
    ammonia::Builder::default()
        .add_tags([
            "section",
            "figure",
            "figcaption",
            "input",
            "del",
            "mark",
            "details",
            "summary",
            "picture",
            "source",
        ])
        .add_generic_attributes(generic)
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("ol", ["start"])
        // Responsive images made by dossier (issue 26); srcset URLs are dossier's own.
        .add_tag_attributes("source", ["srcset", "sizes", "type", "width", "height"])
        .add_tag_attributes(
            "img",
            ["srcset", "sizes", "width", "height", "loading", "decoding"],
        )
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(None)
        .id_prefix(None)
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_6_dangerous_urls_in_any_spelling() {
        for u in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript&colon;alert(1)",
            "javascript&#58;alert(1)",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
            "DATA:TEXT/HTML,<script>",
        ] {
            assert!(is_dangerous_url(u), "{u}");
        }
        for u in [
            "https://example.org/",
            "/briefs/a/",
            "#fn-1",
            "mailto:a@b.c",
            "data:image/png;base64,AAAA",
            "javascript-guide.html",
        ] {
            assert!(!is_dangerous_url(u), "{u}");
        }
    }

    #[test]
    fn issue_6_raw_html_attributes_are_neutralised() {
        let out = neutralise_raw_html(
            "<a HREF = \"&#106;avascript:x\" class=\"c\">a</a><img src=javascript:y alt=z><iframe srcdoc=\"<script>\"></iframe><a href=\"/ok/\">ok</a>",
        );
        assert_eq!(
            out,
            "<a HREF = \"#\" class=\"c\">a</a><img src=# alt=z><iframe srcdoc=\"#\"></iframe><a href=\"/ok/\">ok</a>"
        );
    }

    #[test]
    fn issue_6_sanitize_keeps_dossier_markup_and_drops_scripts() {
        let html = "<h2 id=\"a\">A<a class=\"heading-anchor\" href=\"#a\" aria-hidden=\"true\">#</a></h2><script>x</script><p onclick=\"x()\">t<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1</a></sup></p><iframe src=\"https://evil\"></iframe>";
        let out = sanitize(html);
        assert!(out.contains("<h2 id=\"a\">"), "{out}");
        assert!(out.contains("role=\"doc-noteref\""), "{out}");
        assert!(
            !out.contains("script") && !out.contains("onclick") && !out.contains("iframe"),
            "{out}"
        );
    }
}
