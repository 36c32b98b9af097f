//! S3-compatible object storage through `rusty-s3` (request signing) and `ureq` (HTTP).
//! Credentials come from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`) or the standard credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else
//! `~/.aws/credentials`, profile `AWS_PROFILE` or the target's `profile`, else "default").

use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

use super::{Meta, Remote};

const SIGN_FOR: Duration = Duration::from_secs(3600);

/// A bucket and prefix with credentials.
pub struct S3 {
    bucket: Bucket,
    creds: Credentials,
    prefix: String,
    agent: ureq::Agent,
    label: String,
}

/// Settings from `[deploy.targets.NAME]`.
pub struct Settings<'a> {
    /// Bucket.
    pub bucket: &'a str,
    /// Endpoint URL.
    pub endpoint: Option<&'a str>,
    /// Region.
    pub region: Option<&'a str>,
    /// Prefix.
    pub prefix: &'a str,
    /// Path-style URLs.
    pub path_style: Option<bool>,
    /// Credentials profile.
    pub profile: Option<&'a str>,
    /// An access key id and secret to use instead of the environment and credentials file
    /// (for programs embedding dossier, and tests).
    pub keys: Option<(&'a str, &'a str)>,
}

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

/// Credentials from the environment, else the credentials file.
fn credentials(profile: Option<&str>) -> anyhow::Result<Credentials> {
    if let (Some(k), Some(s)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        return Ok(match env("AWS_SESSION_TOKEN") {
            Some(t) => Credentials::new_with_token(k, s, t),
            None => Credentials::new(k, s),
        });
    }
    let file = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(std::path::PathBuf::from)
        .or_else(|| env("HOME").map(|h| std::path::Path::new(&h).join(".aws/credentials")));
    let profile = profile
        .map(str::to_string)
        .or_else(|| env("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let missing = || {
        format!(
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add profile [{profile}] to ~/.aws/credentials (credentials are never read from site.toml)"
        )
    };
    let Some(file) = file else {
        bail!(missing());
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        bail!(missing());
    };
    let mut section = String::new();
    let mut values: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().trim_start_matches("profile ").to_string();
        } else if section == profile
            && let Some((k, v)) = line.split_once('=')
        {
            values.insert(k.trim().to_lowercase(), v.trim().to_string());
        }
    }
    match (
        values.get("aws_access_key_id"),
        values.get("aws_secret_access_key"),
    ) {
        (Some(k), Some(s)) => Ok(match values.get("aws_session_token") {
            Some(t) => Credentials::new_with_token(k, s, t),
            None => Credentials::new(k, s),
        }),
        _ => Err(anyhow!(missing())),
    }
}

impl S3 {
    /// Connect (nothing is sent until the first call).
    pub fn new(s: &Settings<'_>) -> anyhow::Result<Self> {
        let region = s
            .region
            .map(str::to_string)
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        let endpoint = s
            .endpoint
            .map(str::to_string)
            .unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        let url = url::Url::parse(&endpoint).with_context(|| format!("endpoint {endpoint:?}"))?;
        let style = if s.path_style.unwrap_or(s.endpoint.is_some()) {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let bucket = Bucket::new(url, style, s.bucket.to_string(), region)
            .with_context(|| format!("bucket {:?} at {endpoint}", s.bucket))?;
        let mut prefix = s.prefix.trim_matches('/').to_string();
        if !prefix.is_empty() {
            prefix.push('/');
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(120)))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(Self {
            label: format!("s3://{}/{prefix}", s.bucket),
            bucket,
            creds: match s.keys {
                Some((id, secret)) => Credentials::new(id, secret),
                None => credentials(s.profile)?,
            },
            prefix,
            agent,
        })
    }

    fn check(resp: ureq::http::Response<ureq::Body>, what: &str) -> anyhow::Result<String> {
        let status = resp.status().as_u16();
        let mut body = String::new();
        let _ = resp.into_body().into_reader().read_to_string(&mut body);
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            let code = body
                .split("<Code>")
                .nth(1)
                .and_then(|r| r.split("</Code>").next())
                .unwrap_or("");
            Err(anyhow!("{what}: HTTP {status} {code}"))
        }
    }
}

impl Remote for S3 {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn list(&self) -> anyhow::Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.creds));
            if !self.prefix.is_empty() {
                action.with_prefix(self.prefix.as_str());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.as_str());
            }
            let url = action.sign(SIGN_FOR);
            let resp = self
                .agent
                .get(url.as_str())
                .call()
                .with_context(|| format!("listing {}", self.label))?;
            let body = Self::check(resp, &format!("listing {}", self.label))?;
            let parsed = rusty_s3::actions::ListObjectsV2::parse_response(&body)
                .with_context(|| format!("listing {}: unreadable answer", self.label))?;
            for c in parsed.contents {
                let key = c
                    .key
                    .strip_prefix(&self.prefix)
                    .unwrap_or(&c.key)
                    .to_string();
                let etag = c.etag.unwrap_or_default().trim_matches('"').to_lowercase();
                out.insert(key, etag);
            }
            match parsed.next_continuation_token {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    fn put(&self, path: &str, bytes: &[u8], meta: &Meta) -> anyhow::Result<()> {
        let key = format!("{}{path}", self.prefix);
        let mut action = self.bucket.put_object(Some(&self.creds), &key);
        action
            .headers_mut()
            .insert("content-type", meta.content_type.clone());
        action
            .headers_mut()
            .insert("cache-control", meta.cache_control.clone());
        if let Some(r) = &meta.redirect {
            action
                .headers_mut()
                .insert("x-amz-website-redirect-location", r.clone());
        }
        let url = action.sign(SIGN_FOR);
        let mut req = self
            .agent
            .put(url.as_str())
            .header("content-type", &meta.content_type)
            .header("cache-control", &meta.cache_control);
        if let Some(r) = &meta.redirect {
            req = req.header("x-amz-website-redirect-location", r);
        }
        let resp = req
            .send(bytes)
            .with_context(|| format!("uploading {key}"))?;
        Self::check(resp, &format!("uploading {key}")).map(|_| ())
    }

    fn delete(&self, path: &str) -> anyhow::Result<()> {
        let key = format!("{}{path}", self.prefix);
        let url = self
            .bucket
            .delete_object(Some(&self.creds), &key)
            .sign(SIGN_FOR);
        let resp = self
            .agent
            .delete(url.as_str())
            .call()
            .with_context(|| format!("deleting {key}"))?;
        Self::check(resp, &format!("deleting {key}")).map(|_| ())
    }
}
