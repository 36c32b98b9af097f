//! The AWS side shared by S3 targets and CloudFront invalidation: one tokio runtime and one
//! `aws-config` configuration per deploy.
//!
//! Credentials come from the AWS SDK's default chain (`aws-config`), so everything the AWS CLI
//! accepts works: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, profiles in
//! `~/.aws/config` and `~/.aws/credentials` (the target's `profile`, else `AWS_PROFILE`),
//! `credential_process`, IAM Identity Center (SSO) sessions, `role_arn` with `source_profile`
//! (assume-role), web identity tokens (`AWS_WEB_IDENTITY_TOKEN_FILE`, as GitHub Actions' OIDC
//! gives), ECS task roles and EC2 instance roles. Retries with exponential backoff (standard
//! mode: 5xx, throttling such as 503 SlowDown, timeouts, dropped connections), a connect
//! timeout and a per-attempt timeout come from the SDK too. TLS is rustls on `ring`, the
//! provider the rest of the tree already uses.

use std::time::Duration;

use anyhow::{Context as _, bail};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials as _;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

/// Attempts per request (the first and four retries).
const ATTEMPTS: u32 = 5;

/// How one deploy reaches AWS.
pub struct Aws {
    /// Runs the SDK's futures; workers block on it from their own threads.
    pub rt: tokio::runtime::Runtime,
    /// Region, credentials chain, retries, timeouts and HTTP client.
    pub sdk: SdkConfig,
}

/// What a target says about reaching AWS.
pub struct Access<'a> {
    /// The target's region, if set.
    pub region: Option<&'a str>,
    /// The target's profile, if set.
    pub profile: Option<&'a str>,
    /// Keys to use instead of the chain (for programs embedding dossier, and tests).
    pub keys: Option<(&'a str, &'a str)>,
    /// Longest wait for one small request's answer; larger uploads get more (see
    /// [`attempt_timeout`]).
    pub request_timeout: Duration,
}

impl Aws {
    /// Load the configuration and resolve credentials once, so a missing or broken credential
    /// source is reported before anything is listed.
    pub fn connect(access: &Access<'_>) -> anyhow::Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("dossier-deploy")
            .enable_all()
            .build()
            .context("starting the deploy's I/O runtime")?;
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(ATTEMPTS)
                    .with_initial_backoff(Duration::from_millis(200))
                    .with_max_backoff(Duration::from_secs(10)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .operation_attempt_timeout(access.request_timeout)
                    .build(),
            );
        if let Some(p) = access.profile {
            loader = loader.profile_name(p);
        }
        if let Some((id, secret)) = access.keys {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                id, secret, None, None, "dossier",
            ));
        }
        if let Some(r) = access.region {
            loader = loader.region(Region::new(r.to_string()));
        }
        // Without a region anywhere in the chain (environment, profile, instance metadata),
        // us-east-1, where S3 answers for every bucket with a redirect.
        let mut sdk = rt.block_on(loader.load());
        if sdk.region().is_none() {
            sdk = sdk
                .into_builder()
                .region(Region::from_static("us-east-1"))
                .build();
        }
        let Some(creds) = sdk.credentials_provider() else {
            bail!("no AWS credentials provider could be configured");
        };
        if let Err(e) = rt.block_on(creds.provide_credentials()) {
            let profile = access
                .profile
                .map(str::to_string)
                .or_else(|| std::env::var("AWS_PROFILE").ok())
                .map(|p| format!(" (profile `{p}`)"))
                .unwrap_or_default();
            bail!(
                "no S3 credentials{profile}: {}\n(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE or the target's `profile` naming a profile in ~/.aws/config; credentials are never read from site.toml)",
                chain(&e)
            );
        }
        Ok(Self { rt, sdk })
    }
}

/// The per-attempt timeout for sending `bytes`: the base timeout plus one second per 256 KiB
/// (a link slower than that is treated as stalled), so a frozen endpoint costs seconds, not
/// minutes, while a large file on a slow link still has time to arrive.
pub fn attempt_timeout(base: Duration, bytes: u64) -> Duration {
    base + Duration::from_secs(bytes / (256 * 1024))
}

/// An SDK error on one line: the service's code, message and HTTP status when it answered,
/// else the chain of causes ("dispatch failure: io error: connection refused").
pub fn describe<E>(
    e: &aws_sdk_s3::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_sdk_s3::error::SdkError;
    if let SdkError::ServiceError(s) = e {
        let err = s.err();
        let status = s.raw().status().as_u16();
        match (err.code(), err.message()) {
            (Some(c), Some(m)) => return format!("HTTP {status} {c}: {m}"),
            (Some(c), None) => return format!("HTTP {status} {c}"),
            // An answer the SDK could not read: say why, below.
            _ => {}
        }
    }
    chain(e)
}

/// An error and its causes, on one line, each said once.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !parts.last().is_some_and(|l| l.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::attempt_timeout;
    use std::time::Duration;

    #[test]
    fn timeouts_grow_with_the_body() {
        let base = Duration::from_secs(20);
        assert_eq!(attempt_timeout(base, 10_000), base);
        assert_eq!(
            attempt_timeout(base, 16 << 20),
            base + Duration::from_secs(64)
        );
    }
}
