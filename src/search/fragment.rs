//! A page's fragment: the JSON Pagefind's browser code loads to show a result (URL, the
//! page's indexed text for excerpts, word count, filters, metadata and sub-result anchors).
//!
//! Written by hand rather than by serde_json: the text of every indexed page passes through
//! here, and serde_json's escaping cost about 10 instructions a byte. The output is exactly
//! serde_json's compact form (the tests compare the two).

use std::collections::BTreeMap;

/// An element with an `id` in the page: a place a result can link to.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Anchor {
    pub element: String,
    pub id: String,
    pub text: String,
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub title: Option<String>,
    pub location: u32,
}

#[cfg_attr(test, derive(serde::Serialize))]
pub struct Fragment<'a> {
    pub url: &'a str,
    pub content: &'a str,
    pub word_count: usize,
    pub filters: &'a BTreeMap<String, Vec<String>>,
    pub meta: &'a BTreeMap<String, String>,
    pub anchors: Vec<Anchor>,
}

impl Fragment<'_> {
    /// The fragment as compact JSON, appended to `out`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"url\":");
        string(out, self.url);
        out.extend_from_slice(b",\"content\":");
        string(out, self.content);
        out.extend_from_slice(b",\"word_count\":");
        number(out, self.word_count as u64);
        out.extend_from_slice(b",\"filters\":");
        list(out, b'{', b'}', self.filters, |out, (k, values)| {
            string(out, k);
            out.push(b':');
            list(out, b'[', b']', values, |out, v| string(out, v));
        });
        out.extend_from_slice(b",\"meta\":");
        list(out, b'{', b'}', self.meta, |out, (k, v)| {
            string(out, k);
            out.push(b':');
            string(out, v);
        });
        out.extend_from_slice(b",\"anchors\":");
        list(out, b'[', b']', &self.anchors, |out, a| {
            out.extend_from_slice(b"{\"element\":");
            string(out, &a.element);
            out.extend_from_slice(b",\"id\":");
            string(out, &a.id);
            out.extend_from_slice(b",\"text\":");
            string(out, &a.text);
            if let Some(title) = &a.title {
                out.extend_from_slice(b",\"title\":");
                string(out, title);
            }
            out.extend_from_slice(b",\"location\":");
            number(out, a.location as u64);
            out.push(b'}');
        });
        out.push(b'}');
    }
}

/// `open`, each item written by `write` with commas between, `close`.
fn list<T>(
    out: &mut Vec<u8>,
    open: u8,
    close: u8,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(open);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(close);
}

fn number(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, control characters as `\b`,
/// `\t`, `\n`, `\f`, `\r` or `\u00xx`, everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Whether any of the eight bytes is below 0x20, a '"' or a '\'.
    let special = |x: u64| {
        let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
        (x.wrapping_sub(LO * 0x20) & !x & HI)
            | zero(x ^ (LO * b'"' as u64))
            | zero(x ^ (LO * b'\\' as u64))
            != 0
    };
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if i + 8 <= b.len() {
            let x = u64::from_le_bytes(b[i..i + 8].try_into().expect("eight bytes"));
            if !special(x) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0..0x20 => b"",
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&b[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(c >> 4) as usize],
                HEX[(c & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(escape);
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "a",
                "Grain ",
                "\"",
                "\\",
                "\n",
                "\t",
                "\r",
                "\u{8}",
                "\u{c}",
                "\u{1}",
                "\u{1f}",
                "\u{7f}",
                "é",
                "الغذائي",
                "😀",
                "</script>",
                "12345678",
                " ",
            ]),
            0..20,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_json_is_serde_jsons(
            url in text(),
            content in text(),
            word_count in 0usize..100_000_000,
            filters in proptest::collection::btree_map(text(), proptest::collection::vec(text(), 0..3), 0..3),
            meta in proptest::collection::btree_map(text(), text(), 0..3),
            anchors in proptest::collection::vec((text(), text(), text(), proptest::option::of(text()), any::<u32>()), 0..3),
        ) {
            let f = Fragment {
                url: &url,
                content: &content,
                word_count,
                filters: &filters,
                meta: &meta,
                anchors: anchors
                    .into_iter()
                    .map(|(element, id, text, title, location)| Anchor { element, id, text, title, location })
                    .collect(),
            };
            let mut ours = Vec::new();
            f.write_json(&mut ours);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&f).unwrap());
        }
    }
}
