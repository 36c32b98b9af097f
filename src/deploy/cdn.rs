//! Telling a CDN which URLs changed after a deploy: CloudFront invalidations (through
//! `aws-sdk-cloudfront`, with the same credentials as the bucket), or a purge URL any other
//! CDN or cache can be driven by (a small function in front of Fastly, Bunny, Cloudflare's
//! purge API, a Varnish ban endpoint).
//!
//! The paths are those of the files that changed or were deleted, as a reader requests them:
//! the site's base path, the file, and for `…/index.html` also the folder URL `…/` that links
//! use. New files are not invalidated (nothing cached them). Above [`MAX_PATHS`] paths one
//! wildcard under the base path replaces the list (CloudFront allows 3,000 paths in flight
//! and bills each path past the first 1,000 a month; a wildcard counts as one).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use percent_encoding::{AsciiSet, utf8_percent_encode};

use super::aws::{Aws, describe};
use super::plan::Plan;

/// Most paths sent one by one.
pub const MAX_PATHS: usize = 1000;

/// Characters escaped in an invalidation path: the site's path escapes, and the rest of RFC
/// 1738's unsafe characters, which CloudFront asks to be encoded.
const PATH_ESCAPES: &AsciiSet = &crate::urls::PATH_ESCAPES
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'|');

/// A CDN in front of a target.
pub enum Cdn {
    /// An Amazon CloudFront distribution.
    CloudFront {
        /// The runtime and configuration the bucket uses.
        aws: Arc<Aws>,
        /// The distribution's id ("E2QWRUHAPOMQZL").
        distribution: String,
    },
    /// A URL that receives `POST {"paths": […], "urls": […]}`.
    Purge {
        /// Where to post.
        url: String,
    },
}

impl Cdn {
    /// For the plan: "CloudFront distribution E2QW…".
    pub fn label(&self) -> String {
        match self {
            Cdn::CloudFront { distribution, .. } => {
                format!("CloudFront distribution {distribution}")
            }
            Cdn::Purge { url } => format!("purge hook {url}"),
        }
    }

    /// Ask the CDN to forget `paths` (site-absolute URL paths); returns what to report
    /// ("invalidation I2J0… created").
    pub fn purge(&self, base_url: &str, paths: &[String]) -> anyhow::Result<String> {
        match self {
            Cdn::CloudFront { aws, distribution } => cloudfront(aws, distribution, paths),
            Cdn::Purge { url } => hook(url, base_url, paths),
        }
    }
}

/// Check a purge URL from site.toml: http(s) only, plain http only to this machine (the
/// token travels with it).
pub fn check_purge_url(url: &str) -> anyhow::Result<()> {
    if let Some(why) = crate::urls::refused(url) {
        bail!("purge_url: {why}");
    }
    let u = url::Url::parse(url).with_context(|| format!("purge_url {url:?} is not a URL"))?;
    let local = matches!(
        u.host_str(),
        Some("localhost" | "127.0.0.1" | "[::1]" | "::1")
    );
    match u.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        s => bail!(
            "purge_url {url:?}: only https URLs (or http on this machine) are allowed, not {s}:"
        ),
    }
}

/// The URL paths a CDN must forget after `plan`.
pub fn paths(base_path: &str, plan: &Plan) -> Vec<String> {
    let base = if base_path.ends_with('/') {
        base_path.to_string()
    } else {
        format!("{base_path}/")
    };
    let mut out = Vec::new();
    for p in plan.updates.iter().chain(&plan.deletes) {
        let enc = |s: &str| utf8_percent_encode(s, PATH_ESCAPES).to_string();
        out.push(format!("{base}{}", enc(p)));
        if p == "index.html" {
            out.push(base.clone());
        } else if let Some(dir) = p.strip_suffix("/index.html") {
            out.push(format!("{base}{}/", enc(dir)));
        }
    }
    if out.len() > MAX_PATHS {
        return vec![format!("{base}*")];
    }
    out.sort();
    out
}

fn cloudfront(aws: &Aws, distribution: &str, paths: &[String]) -> anyhow::Result<String> {
    use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
    let client = aws_sdk_cloudfront::Client::new(&aws.sdk);
    let reference = format!(
        "dossier-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis()
    );
    let batch = InvalidationBatch::builder()
        .caller_reference(reference)
        .paths(
            Paths::builder()
                .quantity(paths.len() as i32)
                .set_items(Some(paths.to_vec()))
                .build()?,
        )
        .build()?;
    let out = aws.rt.block_on(
        client
            .create_invalidation()
            .distribution_id(distribution)
            .invalidation_batch(batch)
            .send(),
    );
    let out = out.map_err(|e| {
        anyhow!(
            "invalidating CloudFront distribution {distribution}: {}",
            describe(&e)
        )
    })?;
    let id = out
        .invalidation()
        .map(|i| i.id().to_string())
        .unwrap_or_default();
    Ok(format!(
        "CloudFront invalidation {id} of {} created for {distribution}",
        count(paths.len())
    ))
}

fn hook(url: &str, base_url: &str, paths: &[String]) -> anyhow::Result<String> {
    let origin = base_url
        .find("://")
        .and_then(|i| base_url[i + 3..].find('/').map(|j| &base_url[..i + 3 + j]))
        .unwrap_or(base_url.trim_end_matches('/'));
    let body = serde_json::json!({
        "paths": paths,
        "urls": paths.iter().map(|p| format!("{origin}{p}")).collect::<Vec<_>>(),
    });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut req = agent.post(url).header("content-type", "application/json");
    let token = std::env::var("DOSSIER_PURGE_TOKEN")
        .ok()
        .filter(|t| !t.is_empty());
    if let Some(t) = &token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = req
        .send(body.to_string().as_bytes())
        .with_context(|| format!("calling the purge hook {url}"))?;
    let status = resp.status();
    if !status.is_success() {
        bail!("the purge hook {url} answered HTTP {}", status.as_u16());
    }
    Ok(format!(
        "purge hook {url} called for {}",
        count(paths.len())
    ))
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 path".into()
    } else {
        format!("{n} paths")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_and_deleted_files_and_their_folder_urls_are_invalidated() {
        let plan = Plan {
            uploads: vec!["new/index.html".into()],
            updates: vec![
                "index.html".into(),
                "briefs/ماء/index.html".into(),
                "feed.xml".into(),
            ],
            deletes: vec!["old/index.html".into()],
            ..Plan::default()
        };
        let p = paths("/research/", &plan);
        assert!(p.contains(&"/research/".to_string()), "{p:?}");
        assert!(p.contains(&"/research/index.html".to_string()));
        assert!(p.contains(&"/research/feed.xml".to_string()));
        assert!(p.contains(&"/research/old/".to_string()));
        assert!(p.contains(&"/research/briefs/%D9%85%D8%A7%D8%A1/".to_string()));
        assert!(
            !p.iter().any(|x| x.contains("new")),
            "new files are not cached anywhere"
        );
        let many = Plan {
            updates: (0..MAX_PATHS).map(|i| format!("{i}/index.html")).collect(),
            ..Plan::default()
        };
        assert_eq!(paths("/", &many), ["/*"]);
    }

    #[test]
    fn purge_urls_are_https_or_local() {
        assert!(check_purge_url("https://cdn.example/purge").is_ok());
        assert!(check_purge_url("http://127.0.0.1:9/purge").is_ok());
        assert!(check_purge_url("http://cdn.example/purge").is_err());
        assert!(check_purge_url("javascript:alert(1)").is_err());
    }
}
