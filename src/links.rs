//! Internal links that cannot rot (issue 6): `@/briefs/some-brief.md#anchor` (and `@/authors/…`,
//! `@/topics/…`, any content path) written in Markdown resolve at build time to the target's
//! URL. A missing or unpublished target is an error naming the file and line.
//!
//! Owns the table from content paths to URLs and the rewrite of rendered HTML; `assemble`
//! calls it once every document has its URL.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::markdown::Rendered;

/// Content-relative source path ("briefs/a.md") → URL path inside the site ("briefs/a/"), or
/// None for a document that exists but is not published (draft or scheduled).
#[derive(Debug, Default, Clone)]
pub struct LinkTable {
    targets: HashMap<String, Option<String>>,
}

impl LinkTable {
    /// Record a document: `source` is relative to the site root (`content/briefs/a.md`).
    pub fn add(&mut self, source: &Path, url_path: Option<String>) {
        let rel = source
            .strip_prefix("content")
            .unwrap_or(source)
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(dir) = rel.strip_suffix("/index.md") {
            self.targets.insert(dir.to_string(), url_path.clone());
            self.targets.insert(format!("{dir}/"), url_path.clone());
        }
        self.targets.insert(rel, url_path);
    }

    /// Record a generated page that has no file of its own (an author named only in bylines).
    pub fn add_path(&mut self, rel: String, url_path: String) {
        self.targets.entry(rel).or_insert(Some(url_path));
    }

    /// Rewrite every `@/…` link of a rendered document; returns errors with file and line.
    pub fn resolve(&self, body: &mut Rendered, source: &Path, base_path: &str) -> Vec<Diagnostic> {
        if !body.html.contains("\"@/") {
            return Vec::new();
        }
        let mut errors = Vec::new();
        let mut out = String::with_capacity(body.html.len());
        let mut rest = body.html.as_str();
        while let Some(i) = rest.find("\"@/") {
            out.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
            let end = rest.find('"').unwrap_or(rest.len());
            let written = rest[..end].replace("&amp;", "&");
            let (path, fragment) = match written[2..].split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (written[2..].to_string(), None),
            };
            let line = body
                .links
                .iter()
                .find(|l| l.dest == written)
                .map(|l| l.line);
            match self
                .targets
                .get(path.trim_end_matches('/'))
                .or_else(|| self.targets.get(&path))
            {
                Some(Some(url)) => {
                    out.push_str(base_path);
                    out.push_str(url);
                    if let Some(f) = fragment {
                        out.push('#');
                        out.push_str(&crate::escape::html(&f));
                    }
                }
                found => {
                    let why = if found.is_some() {
                        "is a draft or scheduled, so it is not published"
                    } else {
                        "does not exist"
                    };
                    errors.push(
                        Diagnostic::error(format!("broken internal link `{written}`: content/{path} {why}"))
                            .in_file(source)
                            .at_opt(line.map(|l| (l, 1)))
                            .with_hint("@/ links name a file under content/, e.g. @/briefs/my-brief.md or @/authors/jane-doe.md"),
                    );
                    out.push('#');
                }
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        body.html = out;
        errors
    }
}
