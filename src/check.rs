//! `dossier check` (issue 6): build in memory, write nothing, and report what an editor must fix
//! before publishing, grouped by file with line numbers.
//!
//! Errors: broken internal links and images (in Markdown, front matter and templates), missing
//! bundle files. Warnings: authors without profiles and hero images without alt text (from the
//! build), briefs without a summary, term names that differ only in case or punctuation,
//! duplicate titles, footnote references without definitions and definitions never used.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::{Build, BuildOptions};

/// Options of `dossier check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How to build.
    pub build: BuildOptions,
    /// Also check external links over the network.
    pub external: bool,
    /// External link checking settings.
    pub external_options: crate::external::ExternalOptions,
}

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every problem, sorted by file.
    pub diagnostics: Diagnostics,
    /// External link counts, with `--external`.
    pub external: Option<crate::external::ExternalSummary>,
    /// Number of pages checked.
    pub pages: usize,
}

/// Run every check. Build errors come back as they are.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let mut build_opts = opts.build.clone();
    build_opts.verify_links = false; // reported below, with fragments and template links
    let build = match crate::build(&build_opts) {
        Ok(b) => b,
        Err(d) => {
            return CheckReport {
                diagnostics: d,
                ..Default::default()
            };
        }
    };
    let mut diags = build.diagnostics.clone();
    diags.extend(internal_links(&build));
    diags.extend(content_checks(&build.site));
    diags.extend(citation_checks(&build.site));
    let external = opts.external.then(|| {
        let (d, summary) = crate::external::check_external(&build, &opts.external_options);
        diags.extend(d);
        summary
    });
    diags.sort_dedup();
    CheckReport {
        diagnostics: diags,
        external,
        pages: build.output.html_pages(),
    }
}

use crate::references::target_file;
use crate::urls::is_external;

/// Every `id` in an HTML page.
fn ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// Broken internal links and images: first those written in Markdown (reported at their line),
/// then any other broken link in the rendered pages (from templates or front matter).
fn internal_links(build: &Build) -> Vec<Diagnostic> {
    let site = &build.site;
    let out = &build.output;
    let base = site.config.base_path.as_str();
    let mut diags = Vec::new();
    let mut id_cache: HashMap<String, HashSet<String>> = HashMap::new();
    let mut page_ids = |file: &str| -> HashSet<String> {
        id_cache
            .entry(file.to_string())
            .or_insert_with(|| {
                out.bytes(file)
                    .map(|b| ids(&String::from_utf8_lossy(&b)))
                    .unwrap_or_default()
            })
            .clone()
    };
    // What content writes: Markdown links and images, front matter references.
    let mut explained: HashSet<(String, String)> = HashSet::new();
    let mut reported: HashSet<String> = HashSet::new();
    for b in crate::references::broken(site, out) {
        explained.insert((b.page, b.written));
        reported.insert(b.url);
        diags.push(b.diagnostic);
    }
    // Fragments of Markdown links that reach a page: the element must exist there.
    for (source, path, body) in crate::references::documents(site) {
        for link in &body.links {
            let dest = link.dest.as_str();
            let Some((_, frag)) = dest.split_once('#') else {
                continue;
            };
            if is_external(dest) || dest.starts_with("@/") || frag.is_empty() {
                continue;
            }
            let url = if dest.starts_with('#') {
                format!("{base}{path}{dest}")
            } else {
                crate::urls::resolve(site, path, dest)
            };
            let Some(file) = target_file(out, base, &url) else {
                continue;
            };
            if file.ends_with(".html") && !page_ids(&file).contains(frag) {
                let what = if link.image { "image" } else { "link" };
                explained.insert((crate::urls::output_file(path), dest.to_string()));
                diags.push(
                    Diagnostic::error(format!(
                        "broken {what} `{dest}`: no element with id `{frag}` on {url}"
                    ))
                    .in_file(source)
                    .at(link.line, 1),
                );
            }
        }
    }
    // Everything else in the pages comes from templates: report each broken URL once.
    let mut template_broken: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for file in out.paths().filter(|p| p.ends_with(".html")) {
        let Some(bytes) = out.bytes(file) else {
            continue;
        };
        let html = String::from_utf8_lossy(&bytes);
        for href in attr_values(&html) {
            if is_external(&href)
                || href.starts_with('#')
                || explained.contains(&(file.to_string(), href.clone()))
            {
                continue;
            }
            let page_url = format!("{base}{}", file.trim_end_matches("index.html"));
            let url = if href.starts_with('/') {
                href.clone()
            } else {
                format!("{page_url}{href}")
            };
            if reported.contains(&url) || target_file(out, base, &url).is_some() {
                continue;
            }
            template_broken.entry(url).or_insert((page_url, 0)).1 += 1;
        }
    }
    for (url, (first_page, count)) in template_broken {
        let more = if count > 1 {
            format!(" and {} other pages", count - 1)
        } else {
            String::new()
        };
        diags.push(
            Diagnostic::error(format!("broken link `{url}` on {first_page}{more}"))
                .with_hint("it comes from a template: check templates/ and the theme"),
        );
    }
    diags
}

/// Values of href and src attributes in an HTML page, and every URL of a srcset.
fn attr_values(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " srcset=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                let value = rest[..end].replace("&amp;", "&");
                if attr == " srcset=\"" {
                    // "a-480w.jpg 480w, a.jpg 2400w": each candidate's URL.
                    out.extend(
                        value
                            .split(',')
                            .filter_map(|c| c.split_whitespace().next())
                            .map(str::to_string),
                    );
                } else {
                    out.push(value);
                }
                rest = &rest[end..];
            }
        }
    }
    out
}

/// A subtitle that is really a standfirst: it ends with a full stop, or runs past fifteen
/// words.
fn reads_like_a_sentence(s: &str) -> bool {
    let s = s.trim();
    (s.ends_with('.') && !s.ends_with("..")) || s.split_whitespace().count() > 15
}

/// Normalise a name for "differs only in case or punctuation" ("U.S. Foreign Policy" →
/// "usforeignpolicy").
fn loose(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Citations: `@name` in the text that no bibliography has (shown as written), and
/// bibliography entries no published brief cites.
fn citation_checks(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let lib = &site.bibliographies;
    let mut used: HashSet<(PathBuf, String)> = HashSet::new();
    for b in &site.briefs {
        let d = &b.doc;
        for (line, col, m) in &d.body.cite_warnings {
            diags.push(
                Diagnostic::warning(m.clone())
                    .in_file(&d.source)
                    .at(*line, *col)
                    .with_hint(
                        "write `\\@` for a literal at-sign, or add the entry to a bibliography",
                    ),
            );
        }
        let scope = lib.scope(&d.bibliography);
        for key in &d.body.cited {
            if let Some(f) = scope.iter().find(|f| f.entries.get(key).is_some()) {
                used.insert((f.rel.clone(), key.clone()));
            }
        }
    }
    for f in lib.files() {
        for e in f.entries.iter() {
            let key = e.key().to_string();
            if used.contains(&(f.rel.clone(), key.clone())) {
                continue;
            }
            let mut w = Diagnostic::warning(format!(
                "bibliography entry `{key}` is not cited by any published brief"
            ))
            .in_file(&f.rel);
            if let Some(line) = f.lines.get(&key) {
                w = w.at(*line, 1);
            }
            diags.push(w);
        }
    }
    diags
}

fn content_checks(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for b in &site.briefs {
        let d = &b.doc;
        if d.image.is_some()
            && d.image_credit
                .as_deref()
                .is_none_or(|c| c.trim().is_empty())
        {
            diags.push(
                Diagnostic::warning("the hero `image` has no `image_credit`: readers and rights holders expect to see who made it")
                    .in_file(&d.source)
                    .at_opt(d.key_positions.get("image").copied())
                    .with_hint("add `image_credit:` (\"DVIDS\", \"Photo: A. Name\", \"Chart by the institute\"), and `image_credit_url:` to link it"),
            );
        }
        if d.summary.is_none() && d.dek.is_none() {
            diags.push(
                Diagnostic::warning("no `summary` or `dek`: listings, feeds and search results show the first paragraph instead")
                    .in_file(&d.source)
                    .at_opt(d.key_positions.get("title").copied())
                    .with_hint("add `dek:` (a standfirst sentence under the title) or `summary:`"),
            );
        }
        if let Some(sub) = &d.subtitle
            && reads_like_a_sentence(sub)
        {
            diags.push(
                Diagnostic::warning("`subtitle` reads like a sentence, and citations print it as part of the title (\"Title: Subtitle\")")
                    .in_file(&d.source)
                    .at_opt(d.key_positions.get("subtitle").copied())
                    .with_hint("a standfirst sentence belongs in `dek:`, which is shown under the title and never cited"),
            );
        }
    }
    for (source, _, body) in crate::references::documents(site) {
        for (label, line) in &body.undefined_notes {
            diags.push(
                Diagnostic::warning(format!(
                    "footnote reference `[^{label}]` has no definition; it shows as plain text"
                ))
                .in_file(source)
                .at(*line, 1)
                .with_hint(format!("add a line `[^{label}]: …` with the note")),
            );
        }
        for (label, line) in &body.unused_notes {
            diags.push(
                Diagnostic::warning(format!(
                    "footnote `[^{label}]` is defined but never referenced, so it is not shown"
                ))
                .in_file(source)
                .at(*line, 1),
            );
        }
    }
    // Terms whose names differ only in case or punctuation.
    for t in &site.taxonomies {
        let mut groups: BTreeMap<String, Vec<&crate::site::Term>> = BTreeMap::new();
        for term in &t.terms {
            groups.entry(loose(&term.name)).or_default().push(term);
        }
        for terms in groups.values().filter(|g| g.len() > 1) {
            let names: Vec<String> = terms.iter().map(|x| format!("{:?}", x.name)).collect();
            let first_brief = terms
                .iter()
                .find_map(|x| x.briefs.first())
                .map(|id| site.brief(*id).doc.source.clone());
            let mut d = Diagnostic::warning(format!(
                "{} {} differ only in case or punctuation and have separate pages",
                t.def.title.to_lowercase(),
                names.join(" and ")
            ))
            .with_hint("use one spelling everywhere");
            if let Some(f) = first_brief {
                d = d.in_file(f);
            }
            diags.push(d);
        }
    }
    // Duplicate titles.
    let mut titles: BTreeMap<String, Vec<&Path>> = BTreeMap::new();
    for b in &site.briefs {
        titles
            .entry(b.doc.title.trim().to_lowercase())
            .or_default()
            .push(&b.doc.source);
    }
    for files in titles.values().filter(|f| f.len() > 1) {
        for (i, f) in files.iter().enumerate() {
            let others: Vec<String> = files
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, o)| o.display().to_string())
                .collect();
            diags.push(
                Diagnostic::warning(format!("the same title as {}", others.join(", "))).in_file(f),
            );
        }
    }
    diags
}

/// Print diagnostics grouped by file: a header per file, then `line:col  severity  message`.
pub fn print_grouped(diags: &Diagnostics, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut current: Option<Option<PathBuf>> = None;
    for d in diags.iter() {
        if current.as_ref() != Some(&d.file) {
            current = Some(d.file.clone());
            writeln!(
                w,
                "\n{}",
                d.file
                    .as_ref()
                    .map_or("(site)".to_string(), |f| f.display().to_string())
            )?;
        }
        let pos = match (d.line, d.col) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            (Some(l), None) => l.to_string(),
            _ => "-".to_string(),
        };
        use anstyle::{AnsiColor, Style};
        let (sev, colour) = if d.is_error() {
            ("error", AnsiColor::Red)
        } else {
            ("warning", AnsiColor::Yellow)
        };
        let style = Style::new().bold().fg_color(Some(colour.into()));
        let help = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
        writeln!(w, "  {pos:<8} {style}{sev:<8}{style:#} {}", d.message)?;
        if let Some(h) = &d.hint {
            writeln!(w, "  {:<8} {:<8} {help}help:{help:#} {h}", "", "")?;
        }
    }
    Ok(())
}
