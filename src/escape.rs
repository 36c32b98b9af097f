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
    const STOPS: [bool; 256] = stops(b"&<>\"'\xef", true);
    replace_runs(s, &STOPS, |rest| match rest[0] {
        b'&' => ("&amp;", 1),
        b'<' => ("&lt;", 1),
        b'>' => ("&gt;", 1),
        b'"' => ("&quot;", 1),
        b'\'' => ("&apos;", 1),
        // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are dropped; other EF.. characters kept.
        0xef if rest.starts_with(&[0xef, 0xbf, 0xbe]) || rest.starts_with(&[0xef, 0xbf, 0xbf]) => {
            ("", 3)
        }
        0xef => ("", 0), // len 0: keep the byte
        _ => ("", 1),    // C0 controls
    })
}

/// Make serialised JSON safe inside an HTML `<script>` element: `<`, `>` and `&` become
/// `\u003c` etc. (so `</script` can never appear), and U+2028/U+2029 are escaped.
pub fn json_for_script(json: &str) -> String {
    const STOPS: [bool; 256] = stops(b"<>&\xe2", false);
    replace_runs(json, &STOPS, |rest| match rest[0] {
        b'<' => ("\\u003c", 1),
        b'>' => ("\\u003e", 1),
        b'&' => ("\\u0026", 1),
        // U+2028 and U+2029: E2 80 A8, E2 80 A9; other E2.. characters kept.
        _ if rest.starts_with(&[0xe2, 0x80, 0xa8]) => ("\\u2028", 3),
        _ if rest.starts_with(&[0xe2, 0x80, 0xa9]) => ("\\u2029", 3),
        _ => ("", 0),
    })
}

/// A table of the bytes where [`replace_runs`] stops to look: `bytes`, and with `controls` the
/// C0 control characters other than tab, newline and carriage return.
const fn stops(bytes: &[u8], controls: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    if controls {
        let mut c = 0;
        while c < 0x20 {
            t[c] = !matches!(c as u8, b'\t' | b'\n' | b'\r');
            c += 1;
        }
    }
    t
}

/// Copy `s`, replacing at the bytes `stops` marks what `replace` says: given the text from
/// that byte, the replacement and how many bytes it replaces (0: none, keep the byte). Only
/// ASCII bytes and UTF-8 lead bytes may be stops, so every cut falls on a character boundary.
/// The text between stops is copied a run at a time after a table scan (escaping char by
/// char cost a tenth of the time of writing full-text feeds).
fn replace_runs(
    s: &str,
    stops: &[bool; 256],
    replace: impl Fn(&[u8]) -> (&'static str, usize),
) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 32 + 8);
    let (mut start, mut i) = (0, 0);
    loop {
        while i < bytes.len() && !stops[bytes[i] as usize] {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        match replace(&bytes[i..]) {
            (_, 0) => i += 1,
            (with, len) => {
                out.push_str(&s[start..i]);
                out.push_str(with);
                i += len;
                start = i;
            }
        }
    }
    out.push_str(&s[start..]);
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
        assert_eq!(
            super::xml("é\u{fffe}ï¿\u{ffff}\u{fffd}'\"\t"),
            "éï¿\u{fffd}&apos;&quot;\t"
        );
        assert_eq!(
            super::json_for_script("\"</script>&\u{2028}\u{2029}\u{2027}é\""),
            "\"\\u003c/script\\u003e\\u0026\\u2028\\u2029\u{2027}é\""
        );
    }
}
