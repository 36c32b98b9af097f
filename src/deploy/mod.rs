//! `dossier deploy` (issues 9 and 29): publish the built output to a target, sending only what
//! changed.
//!
//! The stages, each in its own module: the output folder is hashed and given its headers
//! ([`plan::hash_local`]); the target is listed and its deploy state read; [`plan::plan`]
//! decides what is new, changed, unchanged or gone without trusting ETags to be MD5s (reading
//! stored versions by HEAD only where nothing else settles it); [`run::each`] uploads each
//! phase — assets, pages, then feeds — and then deletes, with `--workers` requests in flight,
//! retries and a deadline; the new state is saved; [`cdn`] invalidates the changed URLs.
//! Deletions are bounded by `--max-deletes`. Each upload replaces one whole object, so an
//! interrupted deploy leaves a mix of old and new files and re-running it completes it.
//!
//! Targets: [`s3`] (any S3-compatible store, through the AWS SDK; [`aws`] holds the
//! credentials chain, retries and timeouts) and [`folder`].

pub mod aws;
pub mod cdn;
pub mod folder;
pub mod plan;
mod report;
pub mod run;
pub mod s3;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::config::{CacheRule, Config, DeployTarget};
pub use plan::{Plan, md5_hex};

/// Headers stored with each file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Meta {
    /// Content-Type.
    pub content_type: String,
    /// Cache-Control.
    pub cache_control: String,
    /// For alias pages on S3: the website redirect location.
    pub redirect: Option<String>,
}

/// One object as the target lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Size in bytes.
    pub size: u64,
    /// Lowercase ETag without quotes (folders: the MD5 of the file).
    pub etag: String,
}

/// One file to send.
#[derive(Debug)]
pub struct Upload<'a> {
    /// Its path in the output (and on the target, under the prefix).
    pub path: &'a str,
    /// The file, streamed from disk.
    pub file: &'a Path,
    /// Its size.
    pub size: u64,
    /// Its version (see [`plan`]), stored with it.
    pub version: &'a str,
    /// Its headers.
    pub meta: &'a Meta,
}

/// A place to deploy to. Every method may be called from several threads at once. Tests wrap
/// one to inject failures (see `tests/deploy.rs`).
pub trait Remote: Sync {
    /// "s3://bucket/prefix/" or the folder.
    fn label(&self) -> String;
    /// Every object there, by path under the prefix (the deploy state left out).
    fn list(&self) -> anyhow::Result<HashMap<String, Listed>>;
    /// The version stored with an object by the deploy that wrote it, if any.
    fn stored_version(&self, _path: &str) -> anyhow::Result<Option<String>> {
        Ok(None)
    }
    /// Upload (replace) one file; returns the object's new ETag, if the target gives one.
    fn put(&self, up: &Upload<'_>) -> anyhow::Result<Option<String>>;
    /// Delete up to [`Remote::delete_batch`] files.
    fn delete(&self, paths: &[String]) -> anyhow::Result<()>;
    /// How many paths one [`Remote::delete`] call takes.
    fn delete_batch(&self) -> usize {
        1
    }
    /// Called once before the first change (never on a dry run): claim the target.
    fn begin(&self) -> anyhow::Result<()> {
        Ok(())
    }
    /// The state the last deploy saved (see [`plan::State`]), if the target keeps one.
    fn load_state(&self) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(None)
    }
    /// Save the state for the next deploy.
    fn save_state(&self, _bytes: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }
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
    /// Requests in flight at once.
    pub workers: usize,
    /// The longest wait for a small request's answer (larger uploads get more).
    pub request_timeout: Duration,
    /// The whole deploy's deadline.
    pub timeout: Duration,
    /// Print the plan and the result as one JSON object instead of text.
    pub json: bool,
    /// Where to report files and bytes sent.
    pub progress: crate::progress::Progress,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            target: None,
            dry_run: false,
            max_deletes: 256,
            confirm: false,
            force: false,
            workers: 10,
            request_timeout: Duration::from_secs(30),
            timeout: Duration::from_secs(6 * 3600),
            json: false,
            progress: crate::progress::Progress::none(),
        }
    }
}

/// A target opened from site.toml: where files go and which CDNs to tell.
pub struct Target {
    /// Its name in site.toml.
    pub name: String,
    /// Where files go.
    pub remote: Box<dyn Remote>,
    /// CDNs in front of it.
    pub cdn: Vec<cdn::Cdn>,
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
        if crate::output::is_bookkeeping(&rel) {
            continue;
        }
        if rel == s3::STATE_KEY {
            bail!(
                "{} holds {rel}, the name dossier keeps its deploy state under; rename it",
                out.display()
            );
        }
        files.insert(rel, e.path().to_path_buf());
    }
    Ok(files)
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
/// "en_3a2b6c1.pf_fragment" by a hash of as few digits as keep them unique, every processed
/// image in the variants folder): safe to cache for ever.
fn fingerprinted(path: &str) -> bool {
    if crate::images::in_variants_folder(path) {
        return true;
    }
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
    opts: &DeployOptions,
) -> anyhow::Result<Target> {
    let targets = &config.deploy.targets;
    let names = || targets.keys().cloned().collect::<Vec<_>>().join(", ");
    let name = match opts
        .target
        .as_deref()
        .or(config.deploy.default_target.as_deref())
    {
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
    let mut cdn = Vec::new();
    let remote: Box<dyn Remote> = match t {
        DeployTarget::S3 {
            bucket,
            endpoint,
            region,
            prefix,
            path_style,
            profile,
            cloudfront_distribution_id,
            purge_url,
        } => {
            let aws = Arc::new(aws::Aws::connect(&aws::Access {
                region: region.as_deref(),
                profile: profile.as_deref(),
                keys: None,
                request_timeout: opts.request_timeout,
            })?);
            if let Some(d) = cloudfront_distribution_id {
                cdn.push(cdn::Cdn::CloudFront {
                    aws: aws.clone(),
                    distribution: d.clone(),
                });
            }
            push_purge(&mut cdn, purge_url.as_deref())?;
            Box::new(s3::S3::new(
                aws,
                &s3::Settings {
                    bucket,
                    endpoint: endpoint.as_deref(),
                    prefix,
                    path_style: *path_style,
                },
            )?)
        }
        DeployTarget::Folder { path, purge_url } => {
            push_purge(&mut cdn, purge_url.as_deref())?;
            Box::new(folder::Folder::new(
                root,
                out,
                &root.join(path),
                opts.force,
            )?)
        }
    };
    Ok(Target { name, remote, cdn })
}

fn push_purge(cdn: &mut Vec<cdn::Cdn>, url: Option<&str>) -> anyhow::Result<()> {
    if let Some(u) = url {
        cdn::check_purge_url(u)?;
        cdn.push(cdn::Cdn::Purge { url: u.to_string() });
    }
    Ok(())
}

/// Run a deploy of the output folder `out` to the target the options name. Prints the plan
/// and the result to `log`.
pub fn deploy(
    config: &Config,
    root: &Path,
    out: &Path,
    opts: &DeployOptions,
    log: &mut dyn std::io::Write,
) -> anyhow::Result<Plan> {
    let t = open_target(config, root, out, opts)?;
    deploy_to(config, out, &t.name, t.remote.as_ref(), &t.cdn, opts, log)
}

/// Deploy the output folder `out` to `remote` (named `name` in messages), then tell `cdns`.
pub fn deploy_to(
    config: &Config,
    out: &Path,
    name: &str,
    remote: &dyn Remote,
    cdns: &[cdn::Cdn],
    opts: &DeployOptions,
    log: &mut dyn std::io::Write,
) -> anyhow::Result<Plan> {
    let started = Instant::now();
    let limits = run::Limits {
        workers: opts.workers.max(1),
        deadline: started + opts.timeout,
        timeout: opts.timeout,
    };
    let Compared {
        local,
        listed,
        mut plan,
    } = compare(config, out, remote, opts.force, &limits)?;
    if !cdns.is_empty() {
        plan.invalidate = cdn::paths(&config.base_path, &plan);
    }
    if !opts.json {
        report::print_plan(log, name, remote, cdns, &plan);
    }
    if plan.deletes.len() > opts.max_deletes && !opts.confirm {
        bail!(
            "refusing to delete {} files (more than --max-deletes {}); nothing was changed. Check the target and prefix, then re-run with --confirm (or a higher --max-deletes)",
            plan.deletes.len(),
            opts.max_deletes
        );
    }
    let mut told = Vec::new();
    if !opts.dry_run {
        remote.begin()?;
        send(remote, &local, &listed, &plan, &limits, opts)?;
        for c in cdns.iter().filter(|_| !plan.invalidate.is_empty()) {
            opts.progress.step(&format!("Telling {}", c.label()));
            told.push(c.purge(&config.base_url, &plan.invalidate).with_context(|| {
                "the files were deployed, but the CDN was not told: run the deploy again with --force, or invalidate the paths above by hand"
            })?);
        }
        opts.progress.finish();
    }
    let done = report::Done {
        target: name,
        location: remote.label(),
        dry_run: opts.dry_run,
        plan: &plan,
        cdn: told,
        seconds: started.elapsed().as_secs_f64(),
    };
    report::print_result(log, &done, opts.json)?;
    Ok(plan)
}

/// The two sides and the verdict.
struct Compared {
    /// The output, hashed.
    local: BTreeMap<String, plan::LocalFile>,
    /// The target's listing.
    listed: HashMap<String, Listed>,
    /// What to do.
    plan: Plan,
}

/// Hash the output, list the target, read its state and decide (reading stored versions
/// with the workers where needed).
fn compare(
    config: &Config,
    out: &Path,
    remote: &dyn Remote,
    force: bool,
    limits: &run::Limits,
) -> anyhow::Result<Compared> {
    let files = local_files(out)?;
    let redirects = redirects(&files, &config.base_path);
    let local = plan::hash_local(&files, |p| Meta {
        content_type: crate::mime::content_type(p).into_owned(),
        cache_control: cache_control(&config.deploy.cache_control, p),
        redirect: redirects.get(p).cloned(),
    })?;
    let listed = remote.list()?;
    let state = plan::State::decode(remote.load_state()?);
    let plan = plan::plan(&local, &listed, &state, force, |paths| {
        let found = Mutex::new(HashMap::new());
        run::each(paths, limits, |p| {
            let v = remote.stored_version(p)?;
            found
                .lock()
                .expect("no panics while holding the lock")
                .insert(p.clone(), v);
            Ok(())
        })?;
        Ok(found
            .into_inner()
            .expect("no panics while holding the lock"))
    })?;
    Ok(Compared {
        local,
        listed,
        plan,
    })
}

/// Upload the phases in order, then delete, then save the state (also after a failure, so
/// the next deploy knows what this one sent).
fn send(
    remote: &dyn Remote,
    local: &BTreeMap<String, plan::LocalFile>,
    listed: &HashMap<String, Listed>,
    plan: &Plan,
    limits: &run::Limits,
    opts: &DeployOptions,
) -> anyhow::Result<()> {
    let uploaded = Mutex::new(HashMap::new());
    let total = plan.uploads.len() + plan.updates.len() + plan.deletes.len();
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let tick = |n: usize, bytes: u64| {
        let k = sent.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
        opts.progress
            .message(&format!("Deploying: {k}/{total} files"));
        opts.progress.advance(bytes);
    };
    opts.progress.transfer("Deploying", plan.bytes);
    let mut result = Ok(());
    for phase in plan::phases(plan) {
        result = run::each(&phase, limits, |p| {
            let l = &local[p];
            let etag = remote.put(&Upload {
                path: p,
                file: &l.file,
                size: l.size,
                version: &l.version,
                meta: &l.meta,
            })?;
            uploaded
                .lock()
                .expect("no panics while holding the lock")
                .insert(p.clone(), etag);
            tick(1, l.size);
            Ok(())
        });
        if result.is_err() {
            break;
        }
    }
    if result.is_ok() {
        let batches: Vec<&[String]> = plan.deletes.chunks(remote.delete_batch().max(1)).collect();
        result = run::each(&batches, limits, |b| {
            remote.delete(b)?;
            tick(b.len(), 0);
            Ok(())
        });
    }
    let uploaded = uploaded
        .into_inner()
        .expect("no panics while holding the lock");
    let saved = remote.save_state(&plan::next_state(local, listed, plan, &uploaded).encode());
    result?;
    saved
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
        assert_eq!(cc("_img/3f/abcdefabcdefabcdef-hero-800w.webp"), forever);
        assert_eq!(cc("_imgs/hero.jpg"), "public, max-age=86400");
        // A folder merely named like it is not Pagefind's.
        assert_eq!(cc("pagefinder/x.js"), "public, max-age=86400");
    }
}
