//! Escaping, decided per output kind in one place: HTML text and attributes, XML (feeds and
//! sitemaps, with XML-illegal characters removed), and JSON embedded in HTML.

/// Escape text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// Tera's escape function for HTML templates: `tera::escape_html`, plus NUL → U+FFFD and the
/// other C0 control characters (which HTML forbids in text, except tab, newline, form feed and
/// carriage return) dropped, so hostile front matter cannot make a page invalid (issue 6).
pub fn tera_html(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    if !input
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) || b == 0x7f)
    {
        return tera::escape_html(input, buf);
    }
    let cleaned: String = input
        .chars()
        .filter_map(|c| match c {
            '\0' => Some('\u{fffd}'),
            '\t' | '\n' | '\r' | '\u{c}' => Some(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => None,
            c => Some(c),
        })
        .collect();
    tera::escape_html(&cleaned, buf)
}

/// Escape text for XML 1.0 content and attributes; characters XML cannot carry at all
/// (NUL, most C0 controls, U+FFFE/U+FFFF) are dropped so the document stays well-formed.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{fffe}' | '\u{ffff}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Make serialised JSON safe inside an HTML `<script>` element: `<`, `>` and `&` become
/// `\u003c` etc. (so `</script` can never appear), and U+2028/U+2029 are escaped.
pub fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(
            super::html("</title><script>\"'&"),
            "&lt;/title&gt;&lt;script&gt;&quot;&#39;&amp;"
        );
        assert_eq!(super::xml("a]]>\u{c}\0b&"), "a]]&gt;b&amp;");
    }
}
