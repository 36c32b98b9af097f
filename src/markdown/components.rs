//! Components written in Markdown (issue 28): where they are, with what arguments, found before
//! the Markdown is parsed and left in its place as a marker that the rest of the pipeline
//! carries untouched. The templates that draw them are the renderer's (`render/components.rs`
//! fills the markers in once the templates are loaded).
//!
//! Two forms, as in Zola:
//!
//! - inline, anywhere in the text: `{{ pullquote(text="Data before treaties.", by="A. Rahman") }}`;
//! - with a Markdown body, the opening and closing tags each on a line of their own:
//!
//!   ```text
//!   {% callout(title="Key takeaways") %}
//!   - Publish gauge data daily.
//!   {% end %}
//!   ```
//!
//! Nothing inside code (a code span or block) is a component, so documentation about components
//! shows them as written. Arguments are `name=value` pairs: a string in double or single quotes
//! (`\"`, `\'` and `\\` escaped), an integer, a decimal number, `true`/`false`, or a list of
//! those in brackets. The syntax is dossier's own, so its small parser is too.
//!
//! Each component becomes an HTML comment, `<!--dossier-component:N-->` (a body's opening and
//! closing tags `<!--dossier-open:N-->` and `<!--dossier-close:N-->`), with the newlines of what
//! it replaces kept inside it: CommonMark passes a comment through as raw HTML, a comment alone
//! on a line is a block of its own that ends on that line (so a body's first and last
//! paragraphs stay separate from the tags), and every later line keeps its number for
//! positioned errors. The body's Markdown is part of the document, so its footnotes, headings
//! and links count like any others.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A component written in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// Its name: `callout`.
    pub name: String,
    /// Arguments in the order written, each with its (line, column).
    pub args: Vec<(String, serde_json::Value, (usize, usize))>,
    /// Where it starts in the file: (line, column), from 1.
    pub at: (usize, usize),
    /// True when it has a Markdown body (`{% … %}` … `{% end %}`).
    pub block: bool,
}

/// The source with every component replaced by its marker, the components by marker number,
/// and the problems found at (line, column).
pub struct Extracted {
    /// The Markdown to parse.
    pub src: String,
    /// Components, numbered by their place in this list.
    pub invocations: Vec<Invocation>,
    /// Syntax errors: (line, column, message).
    pub errors: Vec<(usize, usize, String)>,
}

/// The marker of an inline component.
pub fn inline_marker(n: usize) -> String {
    format!("<!--dossier-component:{n}-->")
}

/// The markers around a body.
pub fn block_markers(n: usize) -> (String, String) {
    (
        format!("<!--dossier-open:{n}-->"),
        format!("<!--dossier-close:{n}-->"),
    )
}

/// True when a document may hold components (a cheap test before [`extract`]).
pub fn may_have_components(src: &str) -> bool {
    src.contains("{{") || src.contains("{%")
}

/// Find the components of `src`, whose first line is line `first_line` of its file.
pub fn extract(src: &str, first_line: usize) -> Extracted {
    let code = code_ranges(src);
    let mut out = Extracted {
        src: String::with_capacity(src.len()),
        invocations: Vec::new(),
        errors: Vec::new(),
    };
    let pos = |offset: usize| position(src, offset, first_line);
    // Open bodies: (marker number, where the tag starts).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = src[i..].find(['{']) {
        let start = i + found;
        i = start + 1;
        let rest = &src[start..];
        let in_code = code.iter().any(|r| r.contains(&start));
        if in_code || !(rest.starts_with("{{") || rest.starts_with("{%")) {
            continue;
        }
        let block = rest.starts_with("{%");
        let close = if block { "%}" } else { "}}" };
        // The closer is looked for after the opener, so `{%}` is not read as opened and closed.
        let Some(len) = rest[2..].find(close).map(|p| p + 2) else {
            let (l, c) = pos(start);
            out.errors.push((
                l,
                c,
                format!("`{}` is not closed with `{close}`", &rest[..2]),
            ));
            break;
        };
        let inner = &rest[2..len];
        let end = start + len + 2;
        let at = pos(start);
        if block && !alone_on_line(src, start, end) {
            out.errors.push((
                at.0,
                at.1,
                "a component with a body starts and ends on lines of its own: `{% name(…) %}` … `{% end %}`".into(),
            ));
            i = end;
            continue;
        }
        out.src.push_str(&src[copied..start]);
        copied = end;
        i = end;
        let newlines = "\n".repeat(src[start..end].matches('\n').count());
        if block && inner.trim() == "end" {
            match open.pop() {
                Some((n, _)) => {
                    let (_, close) = block_markers(n);
                    out.src.push_str(&close);
                }
                None => out
                    .errors
                    .push((at.0, at.1, "`{% end %}` closes no component".into())),
            }
            continue;
        }
        let n = out.invocations.len();
        match call(inner, src, start + 2, first_line) {
            Ok((name, args)) => out.invocations.push(Invocation {
                name,
                args,
                at,
                block,
            }),
            Err((offset, message)) => {
                let (l, c) = pos(offset);
                out.errors.push((l, c, message));
                out.invocations.push(Invocation {
                    name: String::new(),
                    args: Vec::new(),
                    at,
                    block,
                });
            }
        }
        let marker = if block {
            open.push((n, start));
            block_markers(n).0
        } else {
            inline_marker(n)
        };
        // The newlines it replaces go inside the comment, before its `-->`.
        out.src.push_str(&marker[..marker.len() - 3]);
        out.src.push_str(&newlines);
        out.src.push_str("-->");
    }
    out.src.push_str(&src[copied..]);
    for (n, start) in open {
        let (l, c) = pos(start);
        let name = &out.invocations[n].name;
        out.errors.push((
            l,
            c,
            format!("`{{% {name} %}}` is never closed: end its body with `{{% end %}}` on a line of its own"),
        ));
    }
    out
}

/// Byte ranges of code spans and code blocks, where `{{` is text.
fn code_ranges(src: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (ev, range) in Parser::new_ext(src, super::parser_options()).into_offset_iter() {
        match ev {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(s) = block_start.take() {
                    ranges.push(s..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// True when only spaces surround `start..end` on its lines.
fn alone_on_line(src: &str, start: usize, end: usize) -> bool {
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[end..].find('\n').map_or(src.len(), |i| end + i);
    src[line_start..start].trim().is_empty() && src[end..line_end].trim().is_empty()
}

/// (line, column) of a byte offset: lines from `first_line`, columns in characters from 1.
fn position(src: &str, offset: usize, first_line: usize) -> (usize, usize) {
    let before = &src[..offset];
    let line = first_line + before.matches('\n').count();
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

type Args = Vec<(String, serde_json::Value, (usize, usize))>;

/// `name(key=value, …)` between the braces; `base` is its offset in `src`. An error carries
/// the offset it is about.
fn call(
    inner: &str,
    src: &str,
    base: usize,
    first_line: usize,
) -> Result<(String, Args), (usize, String)> {
    let mut p = Cursor {
        s: inner,
        i: 0,
        base,
    };
    p.space();
    let name = p.ident().ok_or((
        p.at(),
        "expected a component's name, as in `{{ pullquote(text=\"…\") }}`".to_string(),
    ))?;
    p.space();
    if !p.eat('(') {
        return Err((
            p.at(),
            format!("expected `(` after `{name}`: write `{name}()` when it takes no arguments"),
        ));
    }
    let mut args = Vec::new();
    loop {
        p.space();
        if p.eat(')') {
            break;
        }
        if !args.is_empty() {
            if !p.eat(',') {
                return Err((p.at(), "expected `,` or `)` between arguments".into()));
            }
            p.space();
            if p.eat(')') {
                break;
            }
        }
        let at = p.at();
        let key = p.ident().ok_or((
            at,
            "expected an argument's name, as in `title=\"…\"`".to_string(),
        ))?;
        if args.iter().any(|(k, _, _)| k == &key) {
            return Err((at, format!("argument `{key}` is given twice")));
        }
        p.space();
        if !p.eat('=') {
            return Err((p.at(), format!("expected `=` after `{key}`")));
        }
        p.space();
        let value = p.value()?;
        args.push((key, value, position(src, at, first_line)));
    }
    p.space();
    if p.i < inner.len() {
        return Err((p.at(), "unexpected text after the arguments".into()));
    }
    Ok((name, args))
}

/// A reading position in a component's text.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
    base: usize,
}

impl Cursor<'_> {
    fn at(&self) -> usize {
        self.base + self.i
    }

    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += self.peek().map_or(1, char::len_utf8);
        }
    }

    fn ident(&mut self) -> Option<String> {
        let rest = &self.s[self.i..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let id = &rest[..len];
        if id.is_empty() || !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        self.i += len;
        Some(id.to_string())
    }

    fn value(&mut self) -> Result<serde_json::Value, (usize, String)> {
        let at = self.at();
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.i += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err((at, "this string is not closed".into())),
                        Some('\\') => {
                            self.i += 1;
                            match self.peek() {
                                Some(c @ ('"' | '\'' | '\\')) => {
                                    text.push(c);
                                    self.i += 1;
                                }
                                _ => return Err((self.at(), "only `\\\"`, `\\'` and `\\\\` are escapes in a component's string".into())),
                            }
                        }
                        Some(c) if c == q => {
                            self.i += 1;
                            return Ok(text.into());
                        }
                        Some(c) => {
                            text.push(c);
                            self.i += c.len_utf8();
                        }
                    }
                }
            }
            Some('[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.space();
                    if self.eat(']') {
                        return Ok(items.into());
                    }
                    if !items.is_empty() {
                        if !self.eat(',') {
                            return Err((self.at(), "expected `,` or `]` in a list".into()));
                        }
                        self.space();
                        if self.eat(']') {
                            return Ok(items.into());
                        }
                    }
                    items.push(self.value()?);
                }
            }
            _ => {
                let rest = &self.s[self.i..];
                let len = rest
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+')
                    })
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                let value = match word {
                    "true" => Some(true.into()),
                    "false" => Some(false.into()),
                    _ => word.parse::<i64>().map(Into::into).ok().or_else(|| {
                        word.parse::<f64>()
                            .ok()
                            .and_then(|f| serde_json::Number::from_f64(f).map(Into::into))
                    }),
                };
                match value {
                    Some(v) => {
                        self.i += len;
                        Ok(v)
                    }
                    None => Err((
                        at,
                        "expected a value: a \"string\", a number, true, false or a [list]".into(),
                    )),
                }
            }
        }
    }
}

/// Markers as text that HTML cleaning keeps (private-use characters around the marker's
/// words), for documents whose raw HTML is sanitised.
pub fn protect(html: &str) -> String {
    rewrite_markers(html, |kind, n| format!("\u{e000}{kind}:{n}\u{e001}"))
}

/// Markers back from [`protect`]'s text. Private-use characters a document wrote itself were
/// replaced before parsing, so only markers come back.
pub fn unprotect(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('\u{e000}') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '\u{e000}'.len_utf8()..];
        match after.find('\u{e001}') {
            Some(j) => {
                let _ = std::fmt::Write::write_fmt(
                    &mut out,
                    format_args!("<!--dossier-{}-->", &after[..j]),
                );
                rest = &after[j + '\u{e001}'.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A piece of rendered HTML: text, or a marker (kind: "component", "open" or "close"; number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// HTML as it is.
    Text(&'a str),
    /// A component's marker.
    Marker(&'a str, usize),
}

/// `html` cut at its markers.
pub fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut text_start = 0;
    let mut offset = 0;
    while let Some(i) = rest.find("<!--dossier-") {
        let after = &rest[i + "<!--dossier-".len()..];
        let parsed = after.find("-->").and_then(|end| {
            let (kind, n) = after[..end].split_once(':')?;
            let kind = ["component", "open", "close"]
                .into_iter()
                .find(|k| *k == kind)?;
            Some((kind, n.trim().parse().ok()?, end))
        });
        let skip = match parsed {
            Some((kind, n, end)) => {
                out.push(Piece::Text(&html[text_start..offset + i]));
                out.push(Piece::Marker(kind, n));
                let len = i + "<!--dossier-".len() + end + 3;
                text_start = offset + len;
                len
            }
            None => i + "<!--dossier-".len(),
        };
        rest = &rest[skip..];
        offset += skip;
    }
    out.push(Piece::Text(&html[text_start..]));
    out.retain(|p| *p != Piece::Text(""));
    out
}

/// Each marker in `html`, as (kind, number), through `f`; everything else as it is.
pub fn rewrite_markers(html: &str, mut f: impl FnMut(&str, usize) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    for p in pieces(html) {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Marker(kind, n) => out.push_str(&f(kind, n)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_block_components_become_markers_and_keep_line_numbers() {
        let src = "Intro {{ pullquote(text=\"Data, \\\"first\\\".\", n=3, on=true, tags=['a', \"b\"]) }} end.\n\n{% callout(title='Key') %}\nBody.\n{% end %}\n\nLast.\n";
        let x = extract(src, 10);
        assert!(x.errors.is_empty(), "{:?}", x.errors);
        assert_eq!(x.invocations.len(), 2);
        let p = &x.invocations[0];
        assert_eq!(p.name, "pullquote");
        assert_eq!(p.at, (10, 7));
        assert_eq!(p.args[0].1, serde_json::json!("Data, \"first\"."));
        assert_eq!(p.args[1].1, serde_json::json!(3));
        assert_eq!(p.args[2].1, serde_json::json!(true));
        assert_eq!(p.args[3].1, serde_json::json!(["a", "b"]));
        assert!(x.invocations[1].block);
        assert_eq!(x.invocations[1].at, (12, 1));
        assert_eq!(
            x.src,
            "Intro <!--dossier-component:0--> end.\n\n<!--dossier-open:1-->\nBody.\n<!--dossier-close:1-->\n\nLast.\n"
        );
        assert_eq!(x.src.lines().count(), src.lines().count());
    }

    #[test]
    fn code_keeps_components_as_written() {
        let src = "`{{ x() }}`\n\n```\n{% y() %}\n```\n";
        let x = extract(src, 1);
        assert!(x.invocations.is_empty() && x.errors.is_empty());
        assert_eq!(x.src, src);
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let cases = [
            ("a {{ x(title=) }}", (1, 14), "expected a value"),
            ("{% box() %}\ntext\n", (1, 1), "never closed"),
            ("{% end %}\n", (1, 1), "closes no component"),
            ("a {% box() %} b\n{% end %}\n", (1, 3), "lines of its own"),
            ("{{ x(a=1, a=2) }}", (1, 11), "given twice"),
            ("{{ x(a='open) }}", (1, 8), "not closed"),
            ("{{ 9x() }}", (1, 4), "component's name"),
            ("<script>{%}", (1, 9), "not closed with `%}`"),
            ("a {{}", (1, 3), "not closed with `}}`"),
        ];
        for (src, at, message) in cases {
            let x = extract(src, 1);
            let found = x
                .errors
                .iter()
                .any(|(l, c, m)| (*l, *c) == at && m.contains(message));
            assert!(found, "{src:?}: {:?}", x.errors);
        }
    }
}
