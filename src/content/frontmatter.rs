//! Front matter: split a Markdown file into its metadata block and body, and deserialise the
//! block with positions relative to the whole file (never to the block).
//!
//! Accepts YAML between `---` lines and TOML between `+++` lines, a UTF-8 byte-order mark, and
//! CRLF line endings. Owns nothing else: what the fields mean is decided by `docs.rs`.

use serde::de::DeserializeOwned;

pub use crate::diag::key_position;
use crate::diag::{Diagnostic, line_col};

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` … `---`
    Yaml,
    /// `+++` … `+++`
    Toml,
}

/// A file split in two. Lines are 1-based lines of the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML or TOML.
    pub format: Format,
    /// The text between the delimiters.
    pub front: &'a str,
    /// Line of the file where `front` starts.
    pub front_line: usize,
    /// Everything after the closing delimiter.
    pub body: &'a str,
    /// Line of the file where `body` starts.
    pub body_line: usize,
}

/// Strip a BOM, normalise CRLF to LF, and replace NUL with U+FFFD (as HTML parsers do) so
/// that every later stage sees one kind of text and no output carries a NUL. Line numbers are
/// unchanged by this.
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains(['\r', '\0']) {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\0', "\u{fffd}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Split normalised text (see [`normalise`]) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_line_end].trim_end();
    let (format, delim) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Err(Diagnostic::error("missing front matter")
                .at(1, 1)
                .with_hint("start the file with a `---` line, then YAML such as `title: …`, then another `---` line (or use `+++` and TOML)"));
        }
    };
    let front_start = (first_line_end + 1).min(text.len());
    let mut pos = front_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == delim {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                format,
                front: &text[front_start..pos],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Diagnostic::error(format!(
        "front matter is not closed: no line `{delim}` after the opening one"
    ))
    .at(1, 1)
    .with_hint(format!(
        "add a line containing only `{delim}` after the last front matter field"
    )))
}

/// Deserialise a front matter block; errors carry the file line and column.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>) -> Result<T, Diagnostic> {
    match split.format {
        Format::Yaml => parse_yaml(split.front, split.front_line),
        Format::Toml => parse_toml(split.front, split.front_line),
    }
}

fn parse_yaml<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        // An empty block is an empty map, so that "missing field `title`" is what the user sees.
        return parse_yaml("{}", first_line);
    }
    serde_saphyr::from_str::<T>(text).map_err(|e| {
        let inner = e.without_snippet();
        let pos = inner
            .location()
            .map(|l| (l.line() as usize + first_line - 1, l.column() as usize));
        explain_yaml(Diagnostic::error(clean_message(&inner.to_string())).at_opt(pos))
    })
}

/// Rewrite the YAML parser's messages for the mistakes people make, in their words.
fn explain_yaml(mut d: Diagnostic) -> Diagnostic {
    if d.message.contains("mapping values are not allowed") {
        d.message = "a value contains `: ` and is not quoted".into();
        d.hint =
            Some("put quotes around the whole value, e.g. title: \"Gas: the bridge fuel\"".into());
    } else if let Some(rest) = d.message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim().to_string();
        d.message = format!("`{key}` is written twice");
        d.hint = Some(format!("keep one `{key}:` line"));
    } else if d
        .message
        .contains("found character that cannot start any token")
        || d.message.contains("found unexpected character")
    {
        d.hint = Some("values starting with `@`, `` ` ``, `%` or `*` must be quoted".into());
    }
    d
}

fn parse_toml<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, Diagnostic> {
    toml::from_str::<T>(text).map_err(|e| {
        let pos = e.span().map(|s| {
            let (l, c) = line_col(text, s.start);
            (l + first_line - 1, c)
        });
        Diagnostic::error(clean_message(e.message())).at_opt(pos)
    })
}

/// Parsers append their own "at line X column Y" (relative to the block): drop it, we print
/// file positions.
fn clean_message(msg: &str) -> String {
    let msg = msg.trim();
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let msg = msg.lines().next().unwrap_or(msg);
    msg.trim_end_matches([',', ':']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        n: u32,
    }

    #[test]
    fn split_yaml_and_toml() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
        let s = split("+++\ntitle = \"A\"\n+++\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.body, "");
    }

    #[test]
    fn issue_2_bom_and_crlf() {
        let text = normalise("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n");
        let s = split(&text).unwrap();
        assert_eq!(s.front, "title: A\n");
        let t: T = parse(&s).unwrap();
        assert_eq!(t.title, "A");
    }

    #[test]
    fn errors_point_at_file_lines() {
        let s = split("---\ntitle: A\nn: [1\n---\n").unwrap();
        let e = parse::<T>(&s).unwrap_err();
        assert!(e.line.unwrap() >= 3, "{e:?}");
        let s = split("---\ntitle: A\ntitel: B\n---\n").unwrap();
        let e = parse::<T>(&s).unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("titel"), "{e}");
        let s = split("+++\ntitle = \"A\"\nn = \"x\"\n+++\n").unwrap();
        let e = parse::<T>(&s).unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
    }

    #[test]
    fn unclosed_and_missing() {
        assert!(
            split("---\ntitle: A\n")
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(
            split("# Just markdown\n")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
    }

    #[test]
    fn key_positions() {
        assert_eq!(
            key_position("title: A\ndate: 2024-13-01\n", "date", 2),
            Some((3, 7))
        );
        assert_eq!(key_position("date = 2024-01-01\n", "date", 2), Some((2, 8)));
        assert_eq!(key_position("  date: x\n", "date", 2), None);
    }
}
