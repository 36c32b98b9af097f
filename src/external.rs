//! External link checking for `dossier check --external` (issue 6): every `http(s)` link
//! written in Markdown, checked concurrently with a timeout, at most `per_host` requests to one
//! host at a time, and retries on 429/503 (honouring `Retry-After`, capped).
//!
//! The only module that talks to the network; nothing else in dossier does.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::Build;
use crate::diag::Diagnostic;

/// Settings for external checks.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Time allowed for one request.
    pub timeout: Duration,
    /// Requests in flight to one host at most.
    pub per_host: usize,
    /// Requests in flight overall.
    pub workers: usize,
    /// Extra attempts after a 429 or 503.
    pub retries: u32,
    /// Longest wait honoured from `Retry-After`.
    pub max_retry_wait: Duration,
    /// The whole check's time: links not checked by then are reported as not checked.
    pub deadline: Option<Duration>,
    /// Where to report links checked.
    pub progress: crate::progress::Progress,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            per_host: 2,
            workers: 8,
            retries: 2,
            max_retry_wait: Duration::from_secs(10),
            deadline: None,
            progress: crate::progress::Progress::none(),
        }
    }
}

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Broken(u16),
    /// Redirects that never end (a loop, or more than ten): as broken as a 404.
    RedirectLoop,
    Unreachable(String),
    /// The `--deadline` passed before it was checked.
    NotChecked,
}

struct HostLimit {
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
    max: usize,
}

impl HostLimit {
    fn acquire(&self, host: &str) {
        let mut busy = self.busy.lock().expect("no panics while holding the lock");
        while busy.get(host).copied().unwrap_or(0) >= self.max {
            busy = self
                .freed
                .wait(busy)
                .expect("no panics while holding the lock");
        }
        *busy.entry(host.to_string()).or_insert(0) += 1;
    }

    fn release(&self, host: &str) {
        let mut busy = self.busy.lock().expect("no panics while holding the lock");
        if let Some(n) = busy.get_mut(host) {
            *n -= 1;
        }
        self.freed.notify_all();
    }
}

fn host_of(url: &str) -> String {
    url.split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_lowercase()
}

fn check_one(
    agent: &ureq::Agent,
    url: &str,
    opts: &ExternalOptions,
    stop_at: Option<std::time::Instant>,
) -> Outcome {
    let mut attempt = 0;
    let mut use_get = false;
    loop {
        // Each request gets its timeout, or what is left before the deadline if less.
        let timeout = match stop_at {
            Some(t) => match t.checked_duration_since(std::time::Instant::now()) {
                Some(left) if !left.is_zero() => opts.timeout.min(left),
                _ => return Outcome::NotChecked,
            },
            None => opts.timeout,
        };
        let result = if use_get {
            agent
                .get(url)
                .config()
                .timeout_global(Some(timeout))
                .build()
                .call()
        } else {
            agent
                .head(url)
                .config()
                .timeout_global(Some(timeout))
                .build()
                .call()
        };
        match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if (status == 405 || status == 501) && !use_get {
                    use_get = true;
                    continue;
                }
                if (status == 429 || status == 503) && attempt < opts.retries {
                    attempt += 1;
                    let wait = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs)
                        .unwrap_or(Duration::from_millis(500 * u64::from(attempt)))
                        .min(opts.max_retry_wait);
                    std::thread::sleep(wait);
                    continue;
                }
                return if status < 400 {
                    Outcome::Ok
                } else {
                    Outcome::Broken(status)
                };
            }
            Err(ureq::Error::TooManyRedirects) => return Outcome::RedirectLoop,
            Err(ureq::Error::Timeout(_))
                if stop_at.is_some_and(|t| std::time::Instant::now() >= t) =>
            {
                return Outcome::NotChecked;
            }
            Err(e) => return Outcome::Unreachable(e.to_string()),
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalSummary {
    /// Distinct URLs checked.
    pub checked: usize,
    /// Distinct hosts.
    pub hosts: usize,
    /// Answered with success (after redirects).
    pub ok: usize,
    /// Answered 4xx/5xx.
    pub broken: usize,
    /// No answer (DNS, refused, timeout, TLS).
    pub unreachable: usize,
    /// Not checked before `--deadline`.
    pub not_checked: usize,
}

/// Check every external link written in Markdown; diagnostics point at each place it appears.
pub fn check_external(build: &Build, opts: &ExternalOptions) -> (Vec<Diagnostic>, ExternalSummary) {
    let site = &build.site;
    let mut uses: BTreeMap<String, Vec<(PathBuf, usize)>> = BTreeMap::new();
    let mut add = |source: &std::path::Path, body: &crate::markdown::Rendered| {
        for l in &body.links {
            if l.dest.starts_with("http://") || l.dest.starts_with("https://") {
                uses.entry(l.dest.clone())
                    .or_default()
                    .push((source.to_path_buf(), l.line));
            }
        }
    };
    for b in &site.briefs {
        add(&b.doc.source, &b.doc.body);
    }
    for p in &site.pages {
        add(&p.source, &p.body);
    }
    for a in site.authors.iter().filter_map(|a| a.profile.as_ref()) {
        add(&a.source, &a.bio);
    }
    let urls: Vec<String> = uses.keys().cloned().collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(format!("dossier-link-check/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let limit = HostLimit {
        busy: Mutex::new(HashMap::new()),
        freed: Condvar::new(),
        max: opts.per_host.max(1),
    };
    let next = Mutex::new(0usize);
    let stop_at = opts.deadline.map(|d| std::time::Instant::now() + d);
    opts.progress
        .phase("Checking external links", urls.len() as u64);
    let results: Mutex<HashMap<String, Outcome>> = Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..opts.workers.max(1).min(urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().expect("no panics while holding the lock");
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(url) = urls.get(i) else { break };
                    if stop_at.is_some_and(|t| std::time::Instant::now() >= t) {
                        break;
                    }
                    let host = host_of(url);
                    limit.acquire(&host);
                    let outcome = check_one(&agent, url, opts, stop_at);
                    limit.release(&host);
                    results
                        .lock()
                        .expect("no panics while holding the lock")
                        .insert(url.clone(), outcome);
                    opts.progress.advance(1);
                }
            });
        }
    });
    opts.progress.finish();
    let results = results.into_inner().expect("workers finished");
    let mut summary = ExternalSummary {
        checked: results
            .values()
            .filter(|o| **o != Outcome::NotChecked)
            .count(),
        hosts: urls
            .iter()
            .map(|u| host_of(u))
            .collect::<std::collections::HashSet<_>>()
            .len(),
        ..Default::default()
    };
    let mut diags = Vec::new();
    for (url, places) in &uses {
        let outcome = results.get(url).cloned().unwrap_or(Outcome::NotChecked);
        match &outcome {
            Outcome::Ok => summary.ok += 1,
            Outcome::Broken(_) | Outcome::RedirectLoop => summary.broken += 1,
            Outcome::Unreachable(_) => summary.unreachable += 1,
            Outcome::NotChecked => summary.not_checked += 1,
        }
        for (file, line) in places {
            match &outcome {
                Outcome::Ok => {}
                Outcome::Broken(status) => diags.push(
                    Diagnostic::error(format!("external link {url} answers HTTP {status}"))
                        .in_file(file)
                        .at(*line, 1),
                ),
                Outcome::RedirectLoop => diags.push(
                    Diagnostic::error(format!(
                        "external link {url} redirects in a loop (or more than ten times)"
                    ))
                    .in_file(file)
                    .at(*line, 1),
                ),
                Outcome::NotChecked => {}
                Outcome::Unreachable(why) => diags.push(
                    Diagnostic::warning(format!("external link {url} could not be reached: {why}"))
                        .in_file(file)
                        .at(*line, 1),
                ),
            }
        }
    }
    (diags, summary)
}
