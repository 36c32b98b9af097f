//! S3 test support: moto on loopback (`.ci/run` installs it), a checking client that talks to
//! moto directly (rusty-s3 signing, ureq), and a fault-injecting proxy on loopback that
//! stands between dossier and moto: it counts requests in flight, records which access key
//! signed them, injects resets, 500s, 503 SlowDown and stalls, and can rewrite every ETag the
//! way SSE-KMS does (not the MD5 of the bytes).
//!
//! Without `moto_server` on PATH [`moto`] says so and returns None, unless DOSSIER_REQUIRE_MOTO
//! is set (CI sets it), so `cargo test` works on a fresh machine.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

/// A moto server, killed when dropped.
pub struct Moto {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start moto, or None (with a note) when it is not installed and not required.
pub fn moto() -> Option<Moto> {
    let port = free_port();
    let child = match Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            if std::env::var_os("DOSSIER_REQUIRE_MOTO").is_some() {
                panic!("moto_server is required (pip install 'moto[server]'): {e}");
            }
            eprintln!(
                "SKIPPED: moto_server not installed (pip install 'moto[server]'); .ci/run installs it"
            );
            return None;
        }
    };
    let m = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(m)
}

/// A bucket in moto, read directly (not through dossier or the proxy).
pub struct Store {
    bucket: Bucket,
    creds: Credentials,
}

impl Store {
    /// Create the bucket.
    pub fn new(port: u16, name: &str) -> Self {
        let url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        let bucket = Bucket::new(url, UrlStyle::Path, name.to_string(), "us-east-1").unwrap();
        let creds = Credentials::new("testing", "testing");
        let s = Store { bucket, creds };
        let u = s
            .bucket
            .create_bucket(&s.creds)
            .sign(Duration::from_secs(60));
        ureq::put(u.as_str()).send_empty().unwrap();
        s
    }

    /// key → ETag
    pub fn list(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut a = self.bucket.list_objects_v2(Some(&self.creds));
            if let Some(t) = &token {
                a.with_continuation_token(t.clone());
            }
            let body = ureq::get(a.sign(Duration::from_secs(60)).as_str())
                .call()
                .unwrap()
                .into_body()
                .read_to_string()
                .unwrap();
            let r = rusty_s3::actions::ListObjectsV2::parse_response(&body).unwrap();
            for c in r.contents {
                out.insert(c.key, c.etag.unwrap_or_default());
            }
            match r.next_continuation_token {
                Some(t) => token = Some(t),
                None => return out,
            }
        }
    }

    /// (bytes, headers)
    pub fn get(&self, key: &str) -> (Vec<u8>, BTreeMap<String, String>) {
        let u = self
            .bucket
            .get_object(Some(&self.creds), key)
            .sign(Duration::from_secs(60));
        let resp = ureq::get(u.as_str()).call().unwrap();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_lowercase(),
                    v.to_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let body = resp
            .into_body()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        (body, headers)
    }

    /// Delete one object.
    pub fn delete(&self, key: &str) {
        let u = self
            .bucket
            .delete_object(Some(&self.creds), key)
            .sign(Duration::from_secs(60));
        ureq::delete(u.as_str()).call().unwrap();
    }
}

/// What the proxy saw and does.
#[derive(Default)]
pub struct Stats {
    in_flight: AtomicUsize,
    /// The most requests in flight at once.
    pub most: AtomicUsize,
    counter: AtomicUsize,
    /// Method and path-and-query of every request.
    pub requests: Mutex<Vec<(String, String)>>,
    /// Access key ids that signed requests.
    pub keys: Mutex<BTreeSet<String>>,
    /// Inject faults.
    pub faults: AtomicBool,
    /// Rewrite ETags as SSE-KMS makes them.
    pub kms: AtomicBool,
    /// Faults injected, by kind.
    pub injected: Mutex<BTreeMap<&'static str, usize>>,
}

impl Stats {
    /// Requests with this method whose path-and-query contains `part`.
    pub fn count(&self, method: &str, part: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, p)| m == method && p.contains(part))
            .count()
    }

    /// The access key ids that signed requests, in order.
    pub fn signing_keys(&self) -> Vec<String> {
        self.keys.lock().unwrap().iter().cloned().collect()
    }

    /// Forget what was seen.
    pub fn reset(&self) {
        self.requests.lock().unwrap().clear();
        self.keys.lock().unwrap().clear();
        self.injected.lock().unwrap().clear();
        self.most.store(0, Ordering::SeqCst);
    }
}

/// A proxy on loopback in front of `upstream`.
pub struct Proxy {
    /// Its port.
    pub port: u16,
    /// What it saw.
    pub stats: Arc<Stats>,
    _rt: tokio::runtime::Runtime,
}

/// How long a stalled request is held (longer than the tests' `--request-timeout`).
pub const STALL: Duration = Duration::from_secs(4);

/// Start a proxy to `upstream` on 127.0.0.1.
pub fn proxy(upstream: u16) -> Proxy {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let stats = Arc::new(Stats::default());
    let st = stats.clone();
    rt.spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                continue;
            };
            let st = st.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req| {
                    let st = st.clone();
                    async move { handle(req, upstream, st).await }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(sock), svc)
                    .await;
            });
        }
    });
    Proxy {
        port,
        stats,
        _rt: rt,
    }
}

type Body = http_body_util::Full<bytes::Bytes>;

fn error_response(status: u16, code: &str) -> hyper::Response<Body> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected by the test proxy</Message></Error>"
    );
    hyper::Response::builder()
        .status(status)
        .header("content-type", "application/xml")
        .body(Body::new(xml.into()))
        .unwrap()
}

/// The fault for request number `n`, when faults are on: about one request in three fails
/// once, in rotation.
fn fault(n: usize) -> Option<&'static str> {
    match n % 12 {
        2 => Some("500 InternalError"),
        5 => Some("503 SlowDown"),
        8 => Some("reset"),
        11 if n % 24 == 11 => Some("stall"),
        _ => None,
    }
}

/// The ETag SSE-KMS would give: 32 hex digits that are not the bytes' MD5.
pub fn kms_etag(etag: &str) -> String {
    dossier::deploy::md5_hex(format!("kms:{etag}").as_bytes())
}

async fn handle(
    req: hyper::Request<hyper::body::Incoming>,
    upstream: u16,
    st: Arc<Stats>,
) -> Result<hyper::Response<Body>, std::io::Error> {
    use http_body_util::BodyExt as _;
    let n = st.counter.fetch_add(1, Ordering::SeqCst);
    let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    st.most.fetch_max(now, Ordering::SeqCst);
    let done = Guard(&st.in_flight);
    let (parts, body) = req.into_parts();
    let pq = parts
        .uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    st.requests
        .lock()
        .unwrap()
        .push((parts.method.to_string(), pq.clone()));
    if let Some(auth) = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        && let Some(key) = auth
            .split("Credential=")
            .nth(1)
            .and_then(|r| r.split('/').next())
    {
        st.keys.lock().unwrap().insert(key.to_string());
    }
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    let injected = if st.faults.load(Ordering::SeqCst) {
        fault(n)
    } else {
        None
    };
    if let Some(kind) = injected {
        *st.injected.lock().unwrap().entry(kind).or_default() += 1;
        match kind {
            "reset" => return Err(std::io::Error::other("injected reset")),
            "stall" => tokio::time::sleep(STALL).await,
            _ => {
                let (status, code) = kind.split_once(' ').unwrap();
                return Ok(error_response(status.parse().unwrap(), code));
            }
        }
    }
    let sock = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await?;
    let (mut send, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(sock))
            .await
            .map_err(std::io::Error::other)?;
    tokio::spawn(conn);
    let mut fwd = hyper::Request::from_parts(parts.clone(), Body::new(body));
    *fwd.uri_mut() = pq.parse().unwrap();
    let resp = send
        .send_request(fwd)
        .await
        .map_err(std::io::Error::other)?;
    let (mut rparts, rbody) = resp.into_parts();
    let mut rbody = rbody
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    if st.kms.load(Ordering::SeqCst) {
        if let Some(e) = rparts.headers.get("etag").and_then(|v| v.to_str().ok()) {
            let fake = format!("\"{}\"", kms_etag(e.trim_matches('"')));
            rparts.headers.insert("etag", fake.parse().unwrap());
        }
        if parts.method != hyper::Method::HEAD {
            let text = String::from_utf8_lossy(&rbody);
            if text.contains("<ETag>") {
                let re = regex::Regex::new(
                    r"<ETag>(&quot;|&#34;|\x22)?([0-9a-fA-F-]+)(&quot;|&#34;|\x22)?</ETag>",
                )
                .unwrap();
                let out = re.replace_all(&text, |c: &regex::Captures| {
                    format!("<ETag>\"{}\"</ETag>", kms_etag(&c[2]))
                });
                rbody = bytes::Bytes::from(out.into_owned());
                rparts.headers.remove("content-length");
            }
        }
    }
    drop(done);
    Ok(hyper::Response::from_parts(rparts, Body::new(rbody)))
}

struct Guard<'a>(&'a AtomicUsize);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The bucket holds exactly the output folder `out`, byte for byte, with the right headers
/// (and the deploy state beside it).
pub fn assert_mirrors(store: &Store, out: &std::path::Path, prefix: &str) {
    let mut files = super::snapshot_dir(out);
    files.retain(|rel, _| !dossier::output::is_bookkeeping(rel));
    let listed = store.list();
    let keys: BTreeSet<String> = listed
        .keys()
        .filter_map(|k| k.strip_prefix(prefix))
        .filter(|k| *k != dossier::deploy::s3::STATE_KEY)
        .map(str::to_string)
        .collect();
    assert_eq!(
        keys,
        files.keys().cloned().collect::<BTreeSet<_>>(),
        "bucket lists exactly the output"
    );
    assert!(
        listed.contains_key(&format!("{prefix}{}", dossier::deploy::s3::STATE_KEY)),
        "the deploy state is kept"
    );
    for (path, bytes) in &files {
        let (got, headers) = store.get(&format!("{prefix}{path}"));
        assert!(got == *bytes, "{path}: bytes");
        assert_eq!(
            headers.get("content-type").map(String::as_str),
            Some(dossier::mime::content_type(path).as_ref()),
            "{path}: Content-Type"
        );
        let cc = headers.get("cache-control").cloned().unwrap_or_default();
        // Pagefind's runtime lives as long as the index entry it reads (issue 25); its
        // content-hashed index files for ever.
        let runtime = path.starts_with("pagefind/") && !path.contains(".pf_");
        if path.ends_with(".html") || path.ends_with(".xml") || runtime {
            assert!(
                cc.contains("max-age=300"),
                "{path}: short cache, got {cc:?}"
            );
        } else if path.starts_with("pagefind/") {
            assert!(cc.contains("immutable"), "{path}: long cache, got {cc:?}");
        }
    }
}

/// Append `text` to a file.
pub fn append(path: &std::path::Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

/// Run `dossier deploy --root ROOT ARGS` with test keys and ROOT as HOME: (exit code, stdout, stderr).
pub fn deploy(
    root: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let mut c = std::process::Command::new(super::bin());
    c.arg("deploy").arg("--root").arg(root).args(args);
    c.env("DOSSIER_NOW", "2026-11-25T12:00:00Z")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("HOME", root); // no ~/.aws of the machine running the tests
    for (k, v) in env {
        if v.is_empty() {
            c.env_remove(k);
        } else {
            c.env(k, v);
        }
    }
    let out = c.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Paths the plan printed as uploaded (+ new, ~ changed) and deleted.
pub fn planned(stdout: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut up = BTreeSet::new();
    let mut del = BTreeSet::new();
    for l in stdout.lines() {
        if let Some(p) = l.strip_prefix("  + ").or_else(|| l.strip_prefix("  ~ ")) {
            up.insert(p.to_string());
        } else if let Some(p) = l.strip_prefix("  - ") {
            del.insert(p.to_string());
        }
    }
    (up, del)
}

/// Edit the demo's carbon-border brief (one sentence longer).
pub fn edit_one_brief(root: &std::path::Path) {
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(
        &brief,
        text.replace("phasing in.", "phasing in, product by product."),
    )
    .unwrap();
}
