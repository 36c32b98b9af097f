//! Data files (issue 28): `data/*.csv`, `.json`, `.yaml`/`.yml` and `.toml` in the site, read
//! once per build, checked (a mistake is an error at its file, line and column, and the build
//! stops with the previous output untouched), and given to templates and components by the
//! `load_data` function:
//!
//! - `load_data(path="flows.csv")` (or `"data/flows.csv"`): a CSV file is `{headers: [...],
//!   rows: [[...], ...]}`, every cell a string as written (the first record is the header; every
//!   row must have as many cells as it);
//! - a JSON, YAML or TOML file is its value.
//!
//! Data files are read, never published. Reading follows no symbolic link (see [`crate::fsx`]);
//! the parsers are the `csv`, `serde_json`, `serde-saphyr` and `toml` crates.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::diag::{Diagnostic, line_col};

/// The folder data files live in, beside `content/`.
pub const DIR: &str = "data";

/// Every data file of a site, by its name under `data/` ("flows.csv", "people/staff.yaml").
#[derive(Debug, Default)]
pub struct Data {
    files: BTreeMap<String, serde_json::Value>,
}

impl Data {
    /// Read and check every data file under `root/data/`; the errors name file and position.
    pub fn load(root: &Path) -> (Data, Vec<Diagnostic>) {
        let mut data = Data::default();
        if !root.join(DIR).is_dir() {
            return (data, Vec::new());
        }
        let walk = crate::fsx::walk(root, Path::new(DIR), |n| n.starts_with('.'));
        let mut diags = walk.warnings;
        for f in walk.files {
            let name = f
                .rel
                .strip_prefix(DIR)
                .unwrap_or(&f.rel)
                .to_string_lossy()
                .replace('\\', "/");
            let Some(kind) = Kind::of(&name) else {
                diags.push(
                    Diagnostic::warning(
                        "not a data file dossier reads (csv, json, yaml, toml): ignored",
                    )
                    .in_file(&f.rel),
                );
                continue;
            };
            let text = match crate::content::read_text(&f) {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            match kind.parse(&text) {
                Ok(v) => {
                    data.files.insert(name, v);
                }
                Err(d) => diags.push(d.in_file(&f.rel)),
            }
        }
        (data, diags)
    }

    /// A data file by its name under `data/`, with or without the `data/` prefix.
    pub fn get(&self, path: &str) -> Option<&serde_json::Value> {
        let p = path.trim_start_matches('/');
        let p = p.strip_prefix("data/").unwrap_or(p);
        self.files.get(p)
    }

    /// The names of the data files, for messages.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// The formats of data files.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Csv,
    Json,
    Yaml,
    Toml,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Kind::Csv),
            "json" => Some(Kind::Json),
            "yaml" | "yml" => Some(Kind::Yaml),
            "toml" => Some(Kind::Toml),
            _ => None,
        }
    }

    fn parse(self, text: &str) -> Result<serde_json::Value, Diagnostic> {
        match self {
            Kind::Csv => csv_value(text),
            Kind::Json => serde_json::from_str(text).map_err(|e| {
                Diagnostic::error(format!("not valid JSON: {e}")).at(e.line(), e.column())
            }),
            Kind::Yaml => serde_saphyr::from_str(text).map_err(|e| {
                let inner = e.without_snippet();
                let at = inner
                    .location()
                    .map(|l| (l.line() as usize, l.column() as usize));
                Diagnostic::error(format!(
                    "not valid YAML: {}",
                    first_line(&inner.to_string())
                ))
                .at_opt(at)
            }),
            Kind::Toml => toml::from_str(text).map_err(|e| {
                let at = e.span().map(|s| line_col(text, s.start));
                Diagnostic::error(format!("not valid TOML: {}", first_line(e.message()))).at_opt(at)
            }),
        }
    }
}

fn first_line(s: &str) -> &str {
    let s = s.lines().next().unwrap_or(s);
    s.find(" at line ").map_or(s, |i| &s[..i])
}

/// A CSV file as `{headers, rows}`; a row whose length differs from the header's is an error
/// at its line.
fn csv_value(text: &str) -> Result<serde_json::Value, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line() as usize);
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("this row has {len} cells, the header {expected_len}"),
            _ => e.to_string(),
        };
        Diagnostic::error(format!("CSV: {message}")).at_opt(line.map(|l| (l, 1)))
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Diagnostic::error("CSV: the first line must name the columns").at(1, 1));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        rows.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    Ok(serde_json::json!({ "headers": headers, "rows": rows }))
}

/// Register `load_data` for a site's data files.
pub fn register(tera: &mut Tera, data: Arc<Data>) {
    tera.register_function(
        "load_data",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            match data.get(path) {
                Some(v) => Ok(Value::from_serializable(v)),
                None => {
                    let names: Vec<&str> = data.names().collect();
                    Err(tera::Error::message(format!(
                        "load_data: no data file {path:?} in data/ ({})",
                        if names.is_empty() {
                            "the site has none".to_string()
                        } else {
                            format!("it has {}", names.join(", "))
                        }
                    )))
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_read_and_mistakes_have_positions() {
        let csv = Kind::Csv
            .parse("year,flow\n2024,31\n2025,\"2,9\"\n")
            .unwrap();
        assert_eq!(csv["headers"], serde_json::json!(["year", "flow"]));
        assert_eq!(csv["rows"][1], serde_json::json!(["2025", "2,9"]));
        let d = Kind::Csv.parse("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(
            (d.line, d.message.contains("1 cells")),
            (Some(3), true),
            "{d:?}"
        );
        let d = Kind::Json.parse("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(d.line, Some(3));
        let d = Kind::Yaml.parse("a: 1\nb: [\n").unwrap_err();
        assert!(d.line.is_some(), "{d:?}");
        let d = Kind::Toml.parse("a = 1\nb = \n").unwrap_err();
        assert_eq!(d.line, Some(2));
        assert_eq!(Kind::Toml.parse("a = 1").unwrap()["a"], 1);
    }
}
