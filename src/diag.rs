//! Diagnostics: every problem a build finds, with the file, line and column it was found at.
//!
//! Owns the `Diagnostic` value and how it is printed. Stages collect diagnostics instead of
//! stopping at the first one (a build reports every broken file at once, then fails); nothing
//! here decides whether a build fails — the caller does, from `Diagnostics::has_errors`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Errors fail the build; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce correct output.
    Error,
    /// Worth a look; the output is still written.
    Warning,
}

/// One problem, pinned to a source position when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root when it is inside it.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column in `file`.
    pub col: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when we can say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with no position yet.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: None,
            line: None,
            col: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning with no position yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    /// Attach the file the problem is in.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Attach a 1-based line and column.
    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }

    /// Attach a line (and column) when known.
    pub fn at_opt(mut self, pos: Option<(usize, usize)>) -> Self {
        if let Some((line, col)) = pos {
            self.line = Some(line);
            self.col = Some(col);
        }
        self
    }

    /// Attach a hint on how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The diagnostic as [`Display`](fmt::Display) prints it, with ANSI styles: the position
    /// bold, `error` red, `warning` yellow, the hint's `help` cyan. Print it through
    /// `anstream`, which drops the styles when colour is off (not a terminal, `NO_COLOR`).
    pub fn styled(&self) -> String {
        use anstyle::{AnsiColor, Style};
        let bold = Style::new().bold();
        let (label, colour) = match self.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
        };
        let label_style = Style::new().bold().fg_color(Some(colour.into()));
        let help = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
        let mut out = String::new();
        if let Some(file) = &self.file {
            let mut pos = file.display().to_string();
            if let Some(line) = self.line {
                pos.push_str(&format!(":{line}"));
                if let Some(col) = self.col {
                    pos.push_str(&format!(":{col}"));
                }
            }
            out.push_str(&format!("{bold}{pos}:{bold:#} "));
        }
        out.push_str(&format!(
            "{label_style}{label}:{label_style:#} {}",
            self.message
        ));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  {help}= help:{help:#} {hint}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message` (the shape editors and CI annotators parse), then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.col {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// The diagnostics of one build, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Add one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Add many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sort by file, then position, then message, and drop exact repeats (one template error
    /// hit by 500 pages is reported once).
    pub fn sort_dedup(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        self.0.dedup();
    }

    /// Iterate in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// "1 page", "2 pages": a count with the noun in the right number (English).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Print an error's whole `source()` chain: Tera and I/O errors hide the cause there.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = e.source();
    }
    out
}

/// An `anyhow` error and every cause behind it, `: `-separated (see [`error_chain`]).
pub fn anyhow_chain(err: &anyhow::Error) -> String {
    error_chain(err.as_ref())
}

/// Where a top-level `key` is written in YAML (`key:`) or TOML (`key =`) text that starts at
/// file line `first_line`: the line and the column of its value. Used for errors found after parsing
/// (an impossible date, an empty title) so they point at the line the user must fix.
pub fn key_position(front: &str, key: &str, first_line: usize) -> Option<(usize, usize)> {
    for (i, line) in front.lines().enumerate() {
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        let after = rest.trim_start();
        if after.starts_with(':') || after.starts_with('=') {
            let value_col = key.chars().count() + (rest.len() - after.len()) + 2;
            let value_col = value_col + (after[1..].len() - after[1..].trim_start().len());
            return Some((first_line + i, value_col));
        }
    }
    None
}

/// Convert a byte offset in `text` to a 1-based (line, column), column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
