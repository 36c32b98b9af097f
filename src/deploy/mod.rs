//! `dossier deploy` (issue 9): publish the built output to a target by content hash.
//!
//! The local side is the output folder (built first unless `--no-build`); the remote side is
//! listed with a content hash per file (S3 ETags, which are MD5 for single-part uploads; MD5
//! of the files for folders). The plan uploads new and changed files — assets before pages, so
//! no page links to a file not yet uploaded — then deletes files that are no longer built,
//! bounded by `--max-deletes`. Each upload replaces one whole object, so an interrupted deploy
//! leaves a mix of old and new files and re-running it completes it.

pub mod folder;
pub mod s3;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use md5::{Digest, Md5};

use crate::config::{CacheRule, Config, DeployTarget};

/// Headers stored with each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// Content-Type.
    pub content_type: String,
    /// Cache-Control.
    pub cache_control: String,
    /// For alias pages on S3: the website redirect location.
    pub redirect: Option<String>,
}

/// A place to deploy to. Tests wrap one to inject failures (see `tests/deploy.rs`).
pub trait Remote: Sync {
    /// "s3://bucket/prefix/" or the folder.
    fn label(&self) -> String;
    /// Every file there: path → lowercase hex MD5 of its bytes.
    fn list(&self) -> anyhow::Result<HashMap<String, String>>;
    /// Upload (replace) one file.
    fn put(&self, path: &str, bytes: &[u8], meta: &Meta) -> anyhow::Result<()>;
    /// Delete one file.
    fn delete(&self, path: &str) -> anyhow::Result<()>;
    /// Called once before the first change (never on a dry run): claim the target.
    fn begin(&self) -> anyhow::Result<()> {
        Ok(())
    }
}

/// What `deploy` will do.
#[derive(Debug, Default)]
pub struct Plan {
    /// New files.
    pub uploads: Vec<String>,
    /// Changed files.
    pub updates: Vec<String>,
    /// Files to delete.
    pub deletes: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Bytes to send.
    pub bytes: u64,
}

/// Options of one deploy.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Target name; None: `default_target` or the only one.
    pub target: Option<String>,
    /// Print the plan only.
    pub dry_run: bool,
    /// Most deletions without `confirm`.
    pub max_deletes: usize,
    /// Allow more deletions.
    pub confirm: bool,
    /// Upload every file, even unchanged ones (after changing cache rules).
    pub force: bool,
    /// Where to report files uploaded and deleted.
    pub progress: crate::progress::Progress,
}

/// The files of a built output folder: path → absolute file (the marker left out).
pub fn local_files(out: &Path) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    if !out.join(crate::output::MARKER).is_file() {
        bail!(
            "{} is not a dossier output folder (no {} marker): run `dossier build` first",
            out.display(),
            crate::output::MARKER
        );
    }
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(out).follow_links(false) {
        let e = e.with_context(|| format!("reading {}", out.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == crate::output::MARKER {
            continue;
        }
        files.insert(rel, e.path().to_path_buf());
    }
    Ok(files)
}

/// Lowercase hex MD5.
pub fn md5_hex(bytes: &[u8]) -> String {
    let d = Md5::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Match a glob (`*` within a segment, `**` across segments) against a path.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = if p.get(2) == Some(&b'/') {
                    &p[3..]
                } else {
                    &p[2..]
                };
                (0..=s.len()).any(|i| go(rest, &s[i..]))
            }
            Some(b'*') => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| go(&p[1..], &s[i..])),
            Some(c) => s.first() == Some(c) && go(&p[1..], &s[1..]),
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
}

/// A name with a content hash in it ("app.3f9a1c2b.css", Pagefind's index files, named
/// "en_3a2b6c1.pf_fragment" by a hash of as few digits as keep them unique): safe to cache for
/// ever.
fn fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.starts_with("pf_"))
    {
        return true;
    }
    name.split(['.', '_', '-']).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    })
}

/// Cache-Control for a path: the first matching `[[deploy.cache_control]]` rule, else the
/// defaults: pages, feeds and data 5 minutes; fingerprinted files a year, immutable; other
/// assets a day, except Pagefind's runtime (`pagefind/pagefind.js`, its worker, WebAssembly
/// and UI files), which lives as long as the index entry it reads (5 minutes): a reader whose
/// browser kept last month's runtime for a day would otherwise pair it with a new index and
/// see "Pagefind JS version doesn't match".
pub fn cache_control(rules: &[CacheRule], path: &str) -> String {
    if let Some(r) = rules.iter().find(|r| glob_match(&r.pattern, path)) {
        return r.value.clone();
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if fingerprinted(path) {
        "public, max-age=31536000, immutable".into()
    } else if matches!(ext, "html" | "xml" | "json" | "txt" | "bib" | "ris")
        || path
            .split_once('/')
            .is_some_and(|(top, _)| top == crate::search::DIR)
        || path == "_redirects"
        || !path.contains('.')
    {
        "public, max-age=300, must-revalidate".into()
    } else {
        "public, max-age=86400".into()
    }
}

/// Alias pages → where they redirect, from the output's `_redirects` file (for S3 website
/// redirect metadata).
fn redirects(files: &BTreeMap<String, PathBuf>, base_path: &str) -> HashMap<String, String> {
    let Some(p) = files.get("_redirects") else {
        return HashMap::new();
    };
    let text = std::fs::read_to_string(p).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let (from, to) = (it.next()?, it.next()?);
            let rel = from
                .strip_prefix(base_path)
                .unwrap_or(from.trim_start_matches('/'));
            Some((crate::urls::alias_file(rel), to.to_string()))
        })
        .collect()
}

/// Open the target named by the options.
pub fn open_target(
    config: &Config,
    root: &Path,
    out: &Path,
    name: Option<&str>,
    force: bool,
) -> anyhow::Result<(String, Box<dyn Remote>)> {
    let targets = &config.deploy.targets;
    let names = || targets.keys().cloned().collect::<Vec<_>>().join(", ");
    let name = match name.or(config.deploy.default_target.as_deref()) {
        Some(n) => n.to_string(),
        None if targets.len() == 1 => targets.keys().next().expect("one").clone(),
        None if targets.is_empty() => {
            bail!(
                "site.toml has no deploy targets: add one, e.g.\n\n[deploy.targets.production]\ntype = \"s3\"\nbucket = \"my-site\"\nregion = \"eu-west-2\"\n\nor type = \"folder\" with path = \"/var/www/site\""
            )
        }
        None => bail!(
            "site.toml has several deploy targets ({}): choose one with --target NAME or set [deploy] default_target",
            names()
        ),
    };
    let Some(t) = targets.get(&name) else {
        bail!(
            "no deploy target `{name}` in site.toml (targets: {})",
            names()
        );
    };
    let remote: Box<dyn Remote> = match t {
        DeployTarget::S3 {
            bucket,
            endpoint,
            region,
            prefix,
            path_style,
            profile,
        } => Box::new(s3::S3::new(&s3::Settings {
            bucket,
            endpoint: endpoint.as_deref(),
            region: region.as_deref(),
            prefix,
            path_style: *path_style,
            profile: profile.as_deref(),
            keys: None,
        })?),
        DeployTarget::Folder { path } => {
            Box::new(folder::Folder::new(root, out, &root.join(path), force)?)
        }
    };
    Ok((name, remote))
}

/// Compare the output with the target.
pub fn plan(
    local: &BTreeMap<String, PathBuf>,
    remote: &HashMap<String, String>,
    force: bool,
) -> anyhow::Result<(Plan, HashMap<String, Vec<u8>>)> {
    use rayon::prelude::*;
    let hashed: Vec<(String, Vec<u8>, String)> = local
        .par_iter()
        .map(|(p, f)| {
            let b = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
            let h = md5_hex(&b);
            Ok((p.clone(), b, h))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut plan = Plan::default();
    let mut bodies = HashMap::new();
    for (p, b, h) in hashed {
        match remote.get(&p) {
            Some(r) if *r == h && !force => plan.unchanged += 1,
            Some(_) => {
                plan.bytes += b.len() as u64;
                plan.updates.push(p.clone());
                bodies.insert(p, b);
            }
            None => {
                plan.bytes += b.len() as u64;
                plan.uploads.push(p.clone());
                bodies.insert(p, b);
            }
        }
    }
    plan.deletes = remote
        .keys()
        .filter(|k| !local.contains_key(*k))
        .cloned()
        .collect();
    plan.deletes.sort();
    Ok((plan, bodies))
}

/// Run a deploy of the output folder `out` to the target the options name. Prints the plan
/// and progress to `log`.
pub fn deploy(
    config: &Config,
    root: &Path,
    out: &Path,
    opts: &DeployOptions,
    log: &mut dyn std::io::Write,
) -> anyhow::Result<Plan> {
    let (name, remote) = open_target(config, root, out, opts.target.as_deref(), opts.force)?;
    deploy_to(config, out, &name, remote.as_ref(), opts, log)
}

/// Deploy the output folder `out` to `remote` (named `name` in messages).
pub fn deploy_to(
    config: &Config,
    out: &Path,
    name: &str,
    remote: &dyn Remote,
    opts: &DeployOptions,
    log: &mut dyn std::io::Write,
) -> anyhow::Result<Plan> {
    let local = local_files(out)?;
    let listed = remote.list()?;
    let (plan, bodies) = plan(&local, &listed, opts.force)?;
    print_plan(log, name, remote, &plan);
    if plan.deletes.len() > opts.max_deletes && !opts.confirm {
        bail!(
            "refusing to delete {} files (more than --max-deletes {}); nothing was changed. Check the target and prefix, then re-run with --confirm (or a higher --max-deletes)",
            plan.deletes.len(),
            opts.max_deletes
        );
    }
    if opts.dry_run {
        let _ = writeln!(log, "Dry run: nothing was changed.");
        return Ok(plan);
    }
    remote.begin()?;
    let redirects = redirects(&local, &config.base_path);
    let steps = plan.uploads.len() + plan.updates.len() + plan.deletes.len();
    opts.progress.phase("Deploying", steps as u64);
    for p in upload_order(&plan) {
        let meta = Meta {
            content_type: crate::mime::content_type(p).into_owned(),
            cache_control: cache_control(&config.deploy.cache_control, p),
            redirect: redirects.get(p.as_str()).cloned(),
        };
        let body = bodies
            .get(p.as_str())
            .ok_or_else(|| anyhow!("{p} was planned without its bytes"))?;
        remote.put(p, body, &meta)?;
        opts.progress.advance(1);
    }
    for p in &plan.deletes {
        remote.delete(p)?;
        opts.progress.advance(1);
    }
    opts.progress.finish();
    let _ = writeln!(
        log,
        "Deployed: {} uploaded, {} deleted.",
        plan.uploads.len() + plan.updates.len(),
        plan.deletes.len()
    );
    Ok(plan)
}

fn print_plan(log: &mut dyn std::io::Write, name: &str, remote: &dyn Remote, plan: &Plan) {
    let _ = writeln!(
        log,
        "Deploy to `{name}` ({}): {} new, {} changed, {} to delete, {} unchanged; {} to upload.",
        remote.label(),
        plan.uploads.len(),
        plan.updates.len(),
        plan.deletes.len(),
        plan.unchanged,
        human_bytes(plan.bytes)
    );
    for p in &plan.uploads {
        let _ = writeln!(log, "  + {p}");
    }
    for p in &plan.updates {
        let _ = writeln!(log, "  ~ {p}");
    }
    for p in &plan.deletes {
        let _ = writeln!(log, "  - {p}");
    }
}

/// Assets first, then pages, feeds last: a page never links to a file not yet uploaded.
fn upload_order(plan: &Plan) -> Vec<&String> {
    let mut order: Vec<&String> = plan.uploads.iter().chain(&plan.updates).collect();
    let rank = |p: &str| -> u8 {
        if p.ends_with(".html") {
            1
        } else if p.ends_with(".xml") || p.ends_with(".json") || p == "_redirects" {
            2
        } else {
            0
        }
    };
    order.sort_by_key(|p| (rank(p), (*p).clone()));
    order
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn default_lifetimes_keep_the_pagefind_runtime_with_its_entry() {
        let cc = |p| cache_control(&[], p);
        let short = "public, max-age=300, must-revalidate";
        let forever = "public, max-age=31536000, immutable";
        assert_eq!(cc("briefs/a/index.html"), short);
        assert_eq!(cc("feed.xml"), short);
        assert_eq!(cc("pagefind/pagefind-entry.json"), short);
        assert_eq!(cc("pagefind/pagefind.js"), short);
        assert_eq!(cc("pagefind/pagefind-worker.js"), short);
        assert_eq!(cc("pagefind/wasm.en.pagefind"), short);
        assert_eq!(cc("pagefind/pagefind-ui.css"), short);
        assert_eq!(cc("pagefind/fragment/en_003a6ca.pf_fragment"), forever);
        assert_eq!(cc("pagefind/index/en_1f2e3d4.pf_index"), forever);
        assert_eq!(cc("pagefind/pagefind.en_e75b364427.pf_meta"), forever);
        assert_eq!(cc("pagefind/dossier.en_1d3bed2a03.pf_facets"), forever);
        assert_eq!(cc("style.3f9a1c2b.css"), forever);
        assert_eq!(cc("images/hero.jpg"), "public, max-age=86400");
        // A folder merely named like it is not Pagefind's.
        assert_eq!(cc("pagefinder/x.js"), "public, max-age=86400");
    }
}
