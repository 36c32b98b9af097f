//! S3-compatible object storage (AWS S3, Cloudflare R2, MinIO, Google Cloud Storage's XML API,
//! Backblaze B2) through the AWS SDK for Rust (`aws-sdk-s3`): credentials, retries and
//! timeouts as [`super::aws`] sets them up.
//!
//! Every file is streamed from disk (`ByteStream` reads it in chunks, and re-opens it for a
//! retry), so memory stays flat whatever the size of the site. Files of
//! [`MULTIPART_THRESHOLD`] and more go up in [`PART_SIZE`] parts, [`PART_WORKERS`] at a time,
//! each part its own retried request with a timeout scaled to its size; an upload that fails
//! is aborted so no parts are left billed. Each object carries `x-amz-meta-dossier-version`,
//! the hash of its bytes and headers (see [`super::plan`]), because an ETag is the MD5 of the
//! bytes only for single-part uploads without SSE-KMS. The deploy state (the ETag and version
//! of every object the last deploy left) is one gzipped object, [`STATE_KEY`], under the
//! prefix; it is never listed as part of the site. Deletions go 1,000 keys per request.
//!
//! Newer SDKs add CRC checksums to every upload by default; R2, MinIO and GCS reject or
//! mishandle some of them, so checksums are sent only where S3 requires them.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context as _, anyhow, bail};
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{RequestChecksumCalculation, ResponseChecksumValidation};
use aws_sdk_s3::primitives::{ByteStream, Length};
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use aws_smithy_types::timeout::TimeoutConfig;

use super::aws::{Aws, attempt_timeout, describe};
use super::{Listed, Remote, Upload};

/// Files this size and larger are sent in parts.
pub const MULTIPART_THRESHOLD: u64 = 32 << 20;
/// The size of each part but the last (S3's minimum is 5 MiB, its maximum 10,000 parts).
pub const PART_SIZE: u64 = 16 << 20;
/// Parts of one file in flight at once.
pub const PART_WORKERS: usize = 4;
/// The deploy state's key under the prefix.
pub const STATE_KEY: &str = ".dossier-deploy-state.json.gz";
/// The metadata key (`x-amz-meta-dossier-version`) holding an object's version hash.
pub const VERSION_META: &str = "dossier-version";

/// A bucket and prefix.
pub struct S3 {
    aws: Arc<Aws>,
    client: Client,
    bucket: String,
    prefix: String,
    label: String,
    request_timeout: std::time::Duration,
}

/// Settings from `[deploy.targets.NAME]`.
pub struct Settings<'a> {
    /// Bucket.
    pub bucket: &'a str,
    /// Endpoint URL (R2, MinIO, GCS…); None: AWS.
    pub endpoint: Option<&'a str>,
    /// Key prefix.
    pub prefix: &'a str,
    /// Path-style URLs (default: yes with a custom endpoint, no for AWS).
    pub path_style: Option<bool>,
}

impl S3 {
    /// A client for the bucket (nothing is sent until the first call).
    pub fn new(aws: Arc<Aws>, s: &Settings<'_>) -> anyhow::Result<Self> {
        let mut conf = aws_sdk_s3::config::Builder::from(&aws.sdk)
            .force_path_style(s.path_style.unwrap_or(s.endpoint.is_some()))
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(e) = s.endpoint {
            url::Url::parse(e).with_context(|| format!("endpoint {e:?} is not a URL"))?;
            conf = conf.endpoint_url(e);
        }
        let mut prefix = s.prefix.trim_matches('/').to_string();
        if !prefix.is_empty() {
            prefix.push('/');
        }
        let request_timeout = aws
            .sdk
            .timeout_config()
            .and_then(|t| t.operation_attempt_timeout())
            .unwrap_or(std::time::Duration::from_secs(20));
        Ok(Self {
            client: Client::from_conf(conf.build()),
            aws,
            label: format!("s3://{}/{prefix}", s.bucket),
            bucket: s.bucket.to_string(),
            prefix,
            request_timeout,
        })
    }

    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// A per-request override giving an upload of `bytes` its scaled timeout.
    fn sized(&self, bytes: u64) -> aws_sdk_s3::config::Builder {
        aws_sdk_s3::config::Builder::new().timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(attempt_timeout(self.request_timeout, bytes))
                .build(),
        )
    }

    async fn put_whole(&self, up: &Upload<'_>) -> anyhow::Result<Option<String>> {
        let body = ByteStream::from_path(up.file)
            .await
            .with_context(|| format!("reading {}", up.file.display()))?;
        let out = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(self.key(up.path))
            .body(body)
            .content_length(up.size as i64)
            .content_type(&up.meta.content_type)
            .cache_control(&up.meta.cache_control)
            .set_website_redirect_location(up.meta.redirect.clone())
            .metadata(VERSION_META, up.version)
            .customize()
            .config_override(self.sized(up.size))
            .send()
            .await
            .map_err(|e| anyhow!("uploading {}: {}", self.key(up.path), describe(&e)))?;
        Ok(out.e_tag().map(str::to_string))
    }

    async fn put_parts(&self, up: &Upload<'_>) -> anyhow::Result<Option<String>> {
        let key = self.key(up.path);
        let created = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(&key)
            .content_type(&up.meta.content_type)
            .cache_control(&up.meta.cache_control)
            .set_website_redirect_location(up.meta.redirect.clone())
            .metadata(VERSION_META, up.version)
            .send()
            .await
            .map_err(|e| anyhow!("starting the upload of {key}: {}", describe(&e)))?;
        let id = created
            .upload_id()
            .ok_or_else(|| anyhow!("starting the upload of {key}: no upload id"))?
            .to_string();
        match self.send_parts(up, &key, &id).await {
            Ok(parts) => {
                let done = self
                    .client
                    .complete_multipart_upload()
                    .bucket(&self.bucket)
                    .key(&key)
                    .upload_id(&id)
                    .multipart_upload(
                        CompletedMultipartUpload::builder()
                            .set_parts(Some(parts))
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|e| anyhow!("finishing the upload of {key}: {}", describe(&e)))?;
                Ok(done.e_tag().map(str::to_string))
            }
            Err(e) => {
                // Leave no billed parts behind; the error that matters is the first.
                let _ = self
                    .client
                    .abort_multipart_upload()
                    .bucket(&self.bucket)
                    .key(&key)
                    .upload_id(&id)
                    .send()
                    .await;
                Err(e)
            }
        }
    }

    async fn send_parts(
        &self,
        up: &Upload<'_>,
        key: &str,
        id: &str,
    ) -> anyhow::Result<Vec<CompletedPart>> {
        let count = up.size.div_ceil(PART_SIZE).max(1);
        let mut set = tokio::task::JoinSet::new();
        let mut parts = Vec::with_capacity(count as usize);
        for n in 0..count {
            if set.len() >= PART_WORKERS
                && let Some(done) = set.join_next().await
            {
                parts.push(done.context("a part's task failed")??);
            }
            let offset = n * PART_SIZE;
            let len = PART_SIZE.min(up.size - offset);
            let (client, bucket, key, id) = (
                self.client.clone(),
                self.bucket.clone(),
                key.to_string(),
                id.to_string(),
            );
            let file = up.file.to_path_buf();
            let sized = self.sized(len);
            set.spawn(async move {
                let body = ByteStream::read_from()
                    .path(&file)
                    .offset(offset)
                    .length(Length::Exact(len))
                    .build()
                    .await
                    .with_context(|| format!("reading {}", file.display()))?;
                let part = (n + 1) as i32;
                let out = client
                    .upload_part()
                    .bucket(bucket)
                    .key(&key)
                    .upload_id(id)
                    .part_number(part)
                    .content_length(len as i64)
                    .body(body)
                    .customize()
                    .config_override(sized)
                    .send()
                    .await
                    .map_err(|e| anyhow!("uploading part {part} of {key}: {}", describe(&e)))?;
                Ok::<_, anyhow::Error>(
                    CompletedPart::builder()
                        .part_number(part)
                        .set_e_tag(out.e_tag().map(str::to_string))
                        .build(),
                )
            });
        }
        while let Some(done) = set.join_next().await {
            parts.push(done.context("a part's task failed")??);
        }
        parts.sort_by_key(|p| p.part_number());
        Ok(parts)
    }
}

impl Remote for S3 {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn list(&self) -> anyhow::Result<HashMap<String, Listed>> {
        self.aws.rt.block_on(async {
            let mut out = HashMap::new();
            let mut pages = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&self.prefix)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| anyhow!("listing {}: {}", self.label, describe(&e)))?;
                for o in page.contents() {
                    let Some(key) = o.key() else { continue };
                    let path = key.strip_prefix(&self.prefix).unwrap_or(key);
                    if path == STATE_KEY {
                        continue;
                    }
                    let etag = o.e_tag().unwrap_or("").trim_matches('"').to_lowercase();
                    let size = o.size().unwrap_or(0).max(0) as u64;
                    out.insert(path.to_string(), Listed { size, etag });
                }
            }
            Ok(out)
        })
    }

    fn stored_version(&self, path: &str) -> anyhow::Result<Option<String>> {
        let key = self.key(path);
        self.aws.rt.block_on(async {
            match self
                .client
                .head_object()
                .bucket(&self.bucket)
                .key(&key)
                .send()
                .await
            {
                Ok(h) => Ok(h
                    .metadata()
                    .and_then(|m| m.get(VERSION_META))
                    .map(|v| v.to_string())),
                Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
                Err(e) => Err(anyhow!("reading {key}'s metadata: {}", describe(&e))),
            }
        })
    }

    fn put(&self, up: &Upload<'_>) -> anyhow::Result<Option<String>> {
        let etag = self.aws.rt.block_on(async {
            if up.size >= MULTIPART_THRESHOLD {
                self.put_parts(up).await
            } else {
                self.put_whole(up).await
            }
        })?;
        Ok(etag.map(|e| e.trim_matches('"').to_lowercase()))
    }

    fn delete_batch(&self) -> usize {
        1000
    }

    fn delete(&self, paths: &[String]) -> anyhow::Result<()> {
        let ids = paths
            .iter()
            .map(|p| ObjectIdentifier::builder().key(self.key(p)).build())
            .collect::<Result<Vec<_>, _>>()?;
        let batch = Delete::builder()
            .set_objects(Some(ids))
            .quiet(true)
            .build()?;
        self.aws.rt.block_on(async {
            let out = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(batch)
                .send()
                .await
                .map_err(|e| anyhow!("deleting from {}: {}", self.label, describe(&e)))?;
            if let Some(e) = out.errors().first() {
                bail!(
                    "deleting {}: {} {}",
                    e.key().unwrap_or("?"),
                    e.code().unwrap_or(""),
                    e.message().unwrap_or("")
                );
            }
            Ok(())
        })
    }

    fn load_state(&self) -> anyhow::Result<Option<Vec<u8>>> {
        let key = self.key(STATE_KEY);
        self.aws.rt.block_on(async {
            match self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(&key)
                .send()
                .await
            {
                Ok(o) => {
                    let body = o
                        .body
                        .collect()
                        .await
                        .with_context(|| format!("reading {key}"))?;
                    Ok(Some(body.into_bytes().to_vec()))
                }
                Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
                Err(e) => Err(anyhow!("reading {key}: {}", describe(&e))),
            }
        })
    }

    fn save_state(&self, bytes: &[u8]) -> anyhow::Result<()> {
        let key = self.key(STATE_KEY);
        self.aws.rt.block_on(async {
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(&key)
                .body(ByteStream::from(bytes.to_vec()))
                .content_type("application/gzip")
                .cache_control("no-store")
                .send()
                .await
                .map_err(|e| anyhow!("writing {key}: {}", describe(&e)))?;
            Ok(())
        })
    }
}
