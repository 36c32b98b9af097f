//! `dossier deploy` at real hosting (issue 29), against moto on loopback behind a proxy that
//! injects faults and rewrites ETags: retries converge to an exact mirror, ETags that are not
//! MD5s (SSE-KMS, multipart) cause no re-uploads, a 100 MB file goes up in parts, credentials
//! come from `~/.aws/config` profiles and `credential_process`, and CloudFront and a purge
//! hook are told exactly the changed paths. The 20,000-file run is `tests/deploy_scale.rs`.

use crate::support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use crate::support::s3::{Store, append, assert_mirrors, deploy, edit_one_brief, moto, proxy};
use dossier::deploy::s3::STATE_KEY;

const BRIEF: &str = "---\ntitle: Grid storage\ndate: 2026-03-01\n---\nText.\n";

fn target(root: &Path, bucket: &str, port: u16, extra: &str) {
    append(
        &root.join("site.toml"),
        &format!(
            "\n[deploy.targets.live]\ntype = \"s3\"\nbucket = \"{bucket}\"\nendpoint = \"http://127.0.0.1:{port}\"\nregion = \"us-east-1\"\n{extra}"
        ),
    );
}

#[test]
fn faults_and_kms_etags_still_converge_without_reuploads() {
    let Some(m) = moto() else { return };
    let store = Store::new(m.port, "fault-site");
    let px = proxy(m.port);
    let site = support::demo_copy();
    let root = site.path();
    target(root, "fault-site", px.port, "");
    px.stats.faults.store(true, Ordering::SeqCst);
    px.stats.kms.store(true, Ordering::SeqCst);
    let (code, out, err) = deploy(root, &["--request-timeout", "2", "--workers", "4"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_mirrors(&store, &root.join("public"), "");
    let injected = px.stats.injected.lock().unwrap().clone();
    for kind in ["500 InternalError", "503 SlowDown", "reset", "stall"] {
        assert!(
            injected.get(kind).copied().unwrap_or(0) > 0,
            "{kind}: {injected:?}"
        );
    }

    // Every ETag dossier sees is a KMS-style one, yet nothing is uploaded again and no
    // object's metadata is read: the saved state settles them all.
    px.stats.faults.store(false, Ordering::SeqCst);
    px.stats.reset();
    let (code, out, err) = deploy(root, &["--no-build"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(" 0 new, 0 changed, 0 to delete"), "{out}");
    let puts: Vec<_> = px
        .stats
        .requests
        .lock()
        .unwrap()
        .iter()
        .filter(|(m, _)| m == "PUT")
        .cloned()
        .collect();
    assert!(puts.iter().all(|(_, p)| p.contains(STATE_KEY)), "{puts:?}");
    assert_eq!(px.stats.count("HEAD", "/"), 0);

    // Without the state (a deploy by an older dossier, or the state lost): each object's
    // stored version settles it, one HEAD each, still nothing uploaded.
    store.delete(STATE_KEY);
    px.stats.reset();
    let (code, out, err) = deploy(root, &["--no-build"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(" 0 new, 0 changed, 0 to delete"), "{out}");
    assert!(out.contains("checked by their stored version"), "{out}");
    let files = support::snapshot_dir(&root.join("public")).len() - 1;
    assert_eq!(px.stats.count("HEAD", "/"), files);
    let puts = px.stats.count("PUT", "/");
    assert_eq!(puts, 1, "only the state is written");
}

/// 100 MiB of bytes that do not compress.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

#[test]
fn a_100_mb_file_goes_up_in_parts_and_is_not_sent_again() {
    let Some(m) = moto() else { return };
    let store = Store::new(m.port, "big-files");
    let px = proxy(m.port);
    let site = support::TestSite::new(&[("content/briefs/a.md", BRIEF)]);
    let root = site.dir.path();
    let pdf = noise(100 << 20);
    std::fs::create_dir_all(root.join("static/reports")).unwrap();
    std::fs::write(root.join("static/reports/annual.pdf"), &pdf).unwrap();
    target(root, "big-files", px.port, "");
    let (code, out, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    // 100 MiB in 16 MiB parts: 7 parts, one upload started and completed.
    assert_eq!(px.stats.count("PUT", "partNumber="), 7);
    assert_eq!(px.stats.count("POST", "uploads"), 1);
    let (got, headers) = store.get("reports/annual.pdf");
    assert!(got == pdf, "the object's bytes are the file's");
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(
        headers["etag"].trim_matches('"').ends_with("-7"),
        "{headers:?}"
    );
    // A multipart ETag is not an MD5, and still nothing is sent again.
    px.stats.reset();
    let (code, out, err) = deploy(root, &["--no-build"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(" 0 new, 0 changed, 0 to delete"), "{out}");
    assert_eq!(px.stats.count("PUT", "partNumber="), 0);
}

#[test]
fn credentials_come_from_aws_config_profiles_and_credential_process() {
    let Some(m) = moto() else { return };
    let _store = Store::new(m.port, "cred-site");
    let px = proxy(m.port);
    let site = support::TestSite::new(&[("content/briefs/a.md", BRIEF)]);
    let root = site.dir.path();
    std::fs::create_dir_all(root.join(".aws")).unwrap();
    std::fs::write(
        root.join(".aws/config"),
        "[profile publish]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"AKIDPROCESS\",\"SecretAccessKey\":\"s\"}'\n\n[profile keys]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n",
    )
    .unwrap();
    let no_env = [("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "")];
    target(root, "cred-site", px.port, "profile = \"publish\"\n");
    let (code, out, err) = deploy(root, &[], &no_env);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(px.stats.signing_keys(), ["AKIDPROCESS"]);
    // AWS_PROFILE picks a profile when the target names none.
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        toml.replace("profile = \"publish\"\n", ""),
    )
    .unwrap();
    px.stats.reset();
    let env = [no_env[0], no_env[1], ("AWS_PROFILE", "keys")];
    let (code, out, err) = deploy(root, &["--force"], &env);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(px.stats.signing_keys(), ["AKIDCONFIG"]);
    // A profile that does not exist: a clear error before anything is sent.
    px.stats.reset();
    let env = [
        no_env[0],
        no_env[1],
        ("AWS_PROFILE", "nobody"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let (code, _, err) = deploy(root, &["--no-build"], &env);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no S3 credentials"), "{err}");
    assert!(px.stats.requests.lock().unwrap().is_empty());
}

/// What a purge endpoint received: (body, Authorization header) per call.
type Calls = Arc<Mutex<Vec<(String, String)>>>;

/// A purge endpoint on loopback.
fn purge_server() -> (u16, Calls) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let (mut len, mut auth) = (0usize, String::new());
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let l = line.trim_end().to_lowercase();
                if l.is_empty() {
                    break;
                }
                if let Some(v) = l.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
                if l.starts_with("authorization:") {
                    auth = line.trim_end()["authorization:".len()..].trim().to_string();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            seen.lock()
                .unwrap()
                .push((String::from_utf8(body).unwrap(), auth));
            let _ = conn.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
        }
    });
    (port, got)
}

/// A CloudFront distribution in moto.
fn distribution(
    aws: &dossier::deploy::aws::Aws,
    endpoint: &str,
) -> (aws_sdk_cloudfront::Client, String) {
    use aws_sdk_cloudfront::types::*;
    let conf = aws_sdk_cloudfront::config::Builder::from(&aws.sdk)
        .endpoint_url(endpoint)
        .build();
    let client = aws_sdk_cloudfront::Client::from_conf(conf);
    let origin = Origin::builder()
        .id("bucket")
        .domain_name("cdn-site.s3.amazonaws.com")
        .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
        .build()
        .unwrap();
    let config = DistributionConfig::builder()
        .caller_reference("dossier-test")
        .comment("test")
        .enabled(true)
        .origins(
            Origins::builder()
                .quantity(1)
                .items(origin)
                .build()
                .unwrap(),
        )
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("bucket")
                .viewer_protocol_policy(ViewerProtocolPolicy::AllowAll)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let made = aws
        .rt
        .block_on(
            client
                .create_distribution()
                .distribution_config(config)
                .send(),
        )
        .unwrap();
    let id = made.distribution().unwrap().id().to_string();
    (client, id)
}

/// Paths of every invalidation of the distribution.
fn invalidated(
    aws: &dossier::deploy::aws::Aws,
    client: &aws_sdk_cloudfront::Client,
    id: &str,
) -> Vec<Vec<String>> {
    aws.rt.block_on(async {
        let list = client
            .list_invalidations()
            .distribution_id(id)
            .send()
            .await
            .unwrap();
        let mut out = Vec::new();
        for s in list
            .invalidation_list()
            .map(|l| l.items())
            .unwrap_or_default()
        {
            let inv = client
                .get_invalidation()
                .distribution_id(id)
                .id(s.id())
                .send()
                .await
                .unwrap();
            let mut paths = inv
                .invalidation()
                .unwrap()
                .invalidation_batch()
                .unwrap()
                .paths()
                .unwrap()
                .items()
                .to_vec();
            paths.sort();
            out.push(paths);
        }
        out
    })
}

#[test]
fn cloudfront_and_a_purge_hook_are_told_exactly_the_changed_paths() {
    let Some(m) = moto() else { return };
    let store = Store::new(m.port, "cdn-site");
    let endpoint = format!("http://127.0.0.1:{}", m.port);
    let aws = dossier::deploy::aws::Aws::connect(&dossier::deploy::aws::Access {
        region: Some("us-east-1"),
        profile: None,
        keys: Some(("testing", "testing")),
        request_timeout: std::time::Duration::from_secs(30),
    })
    .unwrap();
    let (client, id) = distribution(&aws, &endpoint);
    let (hook, calls) = purge_server();
    let site = support::demo_copy();
    let root = site.path();
    target(
        root,
        "cdn-site",
        m.port,
        &format!(
            "cloudfront_distribution_id = \"{id}\"\npurge_url = \"http://127.0.0.1:{hook}/purge\"\n"
        ),
    );
    let env = [
        ("AWS_ENDPOINT_URL_CLOUDFRONT", endpoint.as_str()),
        ("DOSSIER_PURGE_TOKEN", "s3cret"),
    ];
    // First deploy: every file is new; nothing was cached, nothing to invalidate.
    let (code, out, err) = deploy(root, &[], &env);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains(&format!("CloudFront distribution {id} and purge hook http://127.0.0.1:{hook}/purge: nothing to invalidate.")),
        "{out}"
    );
    assert!(invalidated(&aws, &client, &id).is_empty());
    assert!(calls.lock().unwrap().is_empty());
    assert_mirrors(&store, &root.join("public"), "");

    // Edit one brief: the dry run lists the paths and tells nobody.
    edit_one_brief(root);
    let (code, out, err) = deploy(root, &["--dry-run"], &env);
    assert_eq!(code, Some(0), "{out}{err}");
    let mut planned: Vec<String> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  ! "))
        .map(str::to_string)
        .collect();
    planned.sort();
    assert!(
        planned.contains(&"/briefs/carbon-border-adjustment/".to_string()),
        "{out}"
    );
    assert!(planned.contains(&"/briefs/carbon-border-adjustment/index.html".to_string()));
    assert!(
        invalidated(&aws, &client, &id).is_empty(),
        "a dry run invalidates nothing"
    );
    assert!(calls.lock().unwrap().is_empty());
    // The deploy: exactly those paths, once to CloudFront and once to the hook.
    let (code, out, err) = deploy(root, &["--no-build", "--json"], &env);
    assert_eq!(code, Some(0), "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["plan"]["invalidate"], serde_json::json!(planned));
    assert_eq!(report["cdn"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(invalidated(&aws, &client, &id), vec![planned.clone()]);
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].1, "Bearer s3cret");
    let body: serde_json::Value = serde_json::from_str(&calls[0].0).unwrap();
    assert_eq!(body["paths"], serde_json::json!(planned));
    let base = dossier::config::Config::load(root).unwrap().base_url;
    let origin = base.trim_end_matches('/');
    assert!(
        body["urls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u.as_str().unwrap().starts_with(origin)),
        "{body}"
    );
}
