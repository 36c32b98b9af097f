//! The preview's HTTP server: hyper 1 on a tokio runtime of its own (issue 22).
//!
//! What it guarantees at the edges:
//! - **Bounded work.** At most [`MAX_CONNECTIONS`] connections are served at once; a request
//!   head must arrive whole within [`HEADER_TIMEOUT`] (a client trickling a byte every few
//!   seconds is cut off) and be at most 16 KiB (431); a client that stops reading for
//!   [`WRITE_TIMEOUT`] loses its connection. Request bodies are never read.
//! - **The port stays open.** An accept that fails (out of file descriptors, say) is retried
//!   after a pause instead of spinning or stopping; each connection is a task, not a thread.
//! - **Files are streamed.** Site files copied as they are (videos, PDFs) are read from disk
//!   in 64 KiB chunks as the client takes them, so memory stays flat; HEAD never reads them.
//! - **HTTP a browser expects.** Keep-alive, `Range` (one range; Safari needs it for video),
//!   `ETag` with `If-None-Match` (304), gzip for text when the client accepts it.
//!
//! What a request gets is decided in `http.rs`; this module only speaks HTTP.

use std::convert::Infallible;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::http::{self, Found, Shared};

/// Connections served at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 4096;
/// Time allowed for a whole request head.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a client may leave a response unread before its connection is closed.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request head.
const MAX_HEAD: usize = 16 * 1024;
/// Chunks in which files are streamed.
const CHUNK: usize = 64 * 1024;
/// Bodies smaller than this are not worth compressing.
const MIN_GZIP: usize = 1024;

type Body = BoxBody<Bytes, std::io::Error>;

/// Serve `listener` on a runtime of its own, on a background thread, until the process ends.
pub fn spawn(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dossier-http")
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("dossier-accept".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => accept_loop(l, shared).await,
                    Err(e) => eprintln!("error: the preview cannot listen: {e}"),
                }
            });
        })?;
    Ok(())
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut warned = false;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                warned = false;
                let shared = shared.clone();
                tokio::spawn(async move {
                    connection(stream, shared).await;
                    drop(slot);
                });
            }
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait
                // for connections to close rather than spinning, and keep the port open.
                if !warned {
                    eprintln!("warning: the preview cannot accept a connection ({e}); retrying");
                    warned = true;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut io = tokio_io_timeout::TimeoutStream::new(stream);
    io.set_write_timeout(Some(WRITE_TIMEOUT));
    let io = hyper_util::rt::TokioIo::new(Box::pin(io));
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(respond(&shared, req)) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEAD.max(8192))
        .max_header_size(MAX_HEAD)
        .keep_alive(true)
        .serve_connection(io, service)
        .await;
}

fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).map_err(|never| match never {}).boxed()
}

fn plain(status: u16, message: &'static str) -> Response<Body> {
    let mut r = Response::new(full(message));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    common_headers(r.headers_mut());
    r
}

fn common_headers(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Answer one request.
fn respond(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !shared.host_ok(host) {
        return plain(
            403,
            "Forbidden: this preview only answers requests addressed to it.\n",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(405, "Method not allowed.\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = req.method() == Method::HEAD;
    let path = req.uri().path();
    if path == http::EVENTS_PATH {
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok());
        let same_origin = match origin {
            None => true,
            Some(o) => host.is_some_and(|h| o.eq_ignore_ascii_case(&format!("http://{h}"))),
        };
        if !same_origin {
            return plain(403, "Forbidden: cross-origin.\n");
        }
        return events(shared, req.uri().query());
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let response = if path == http::LIVE_JS_PATH {
        bytes_response(
            req.headers(),
            200,
            "text/javascript; charset=utf-8",
            Bytes::from_static(http::LIVE_JS.as_bytes()),
        )
    } else {
        match http::find(shared, &target) {
            Found::Bytes {
                status,
                content_type,
                body,
            } => bytes_response(req.headers(), status, &content_type, body),
            Found::File { content_type, file } => {
                file_response(shared, req.headers(), &content_type, &file, head)
            }
            Found::Redirect(to) => {
                let mut r = plain(301, "Moved.\n");
                if let Ok(v) = HeaderValue::from_str(&to) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                r
            }
            Found::Plain { status, message } => plain(status, message),
        }
    };
    if head { strip_body(response) } else { response }
}

/// A HEAD answer: the GET's headers, no body.
fn strip_body(r: Response<Body>) -> Response<Body> {
    let (parts, _) = r.into_parts();
    Response::from_parts(parts, full(Bytes::new()))
}

/// True when the request accepts gzip (and does not refuse it with `q=0`).
fn accepts_gzip(h: &HeaderMap) -> bool {
    h.get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let q_zero = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !q_zero
        })
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/xml")
        || content_type.starts_with("application/atom+xml")
        || content_type.starts_with("image/svg+xml")
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(body).ok()?;
    e.finish().ok()
}

/// A strong validator for bytes: a SipHash of them.
fn etag_of(body: &[u8], suffix: &str) -> String {
    use siphasher::sip128::Hasher128 as _;
    use std::hash::Hasher as _;
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(body);
    format!("\"{:032x}{suffix}\"", h.finish128().as_u128())
}

/// True when `If-None-Match` names `etag` (or `*`).
fn not_modified(h: &HeaderMap, etag: &str) -> bool {
    h.get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == etag.trim_start_matches("W/")
            })
        })
}

/// A single `bytes=` range of a body of `len` bytes: `Ok(None)` when there is no usable
/// Range header (absent, several ranges, not bytes), `Err(())` when unsatisfiable.
fn range(h: &HeaderMap, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(v) = h.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(spec) = v.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (start, end) = spec.split_once('-').ok_or(())?;
    let (start, end) = (start.trim(), end.trim());
    let r = if start.is_empty() {
        let n: u64 = end.parse().map_err(|_| ())?;
        if n == 0 || len == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let s: u64 = start.parse().map_err(|_| ())?;
        let e: u64 = if end.is_empty() {
            len.saturating_sub(1)
        } else {
            end.parse::<u64>()
                .map_err(|_| ())?
                .min(len.saturating_sub(1))
        };
        if s >= len || e < s {
            return Err(());
        }
        (s, e)
    };
    Ok(Some(r))
}

fn unsatisfiable(len: u64) -> Response<Body> {
    let mut r = plain(416, "Range not satisfiable.\n");
    if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
        r.headers_mut().insert(header::CONTENT_RANGE, v);
    }
    r
}

fn set(h: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

/// Bytes from the snapshot, with ETag, Range and gzip.
fn bytes_response(req: &HeaderMap, status: u16, content_type: &str, body: Bytes) -> Response<Body> {
    let len = body.len() as u64;
    let ranged = if status == 200 {
        range(req, len)
    } else {
        Ok(None)
    };
    let part = match ranged {
        Err(()) => return unsatisfiable(len),
        Ok(p) => p,
    };
    let gz =
        part.is_none() && body.len() >= MIN_GZIP && compressible(content_type) && accepts_gzip(req);
    let encoded = if gz { gzip(&body) } else { None };
    let etag = etag_of(&body, if encoded.is_some() { "-gz" } else { "" });
    let mut h = HeaderMap::new();
    common_headers(&mut h);
    set(&mut h, header::CONTENT_TYPE, content_type);
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    set(&mut h, header::ETAG, &etag);
    let mut status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if status == StatusCode::OK && not_modified(req, &etag) {
        return with(StatusCode::NOT_MODIFIED, h, Bytes::new());
    }
    let body = match (encoded, part) {
        (Some(gz), _) => {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            Bytes::from(gz)
        }
        (None, Some((s, e))) => {
            set(
                &mut h,
                header::CONTENT_RANGE,
                &format!("bytes {s}-{e}/{len}"),
            );
            status = StatusCode::PARTIAL_CONTENT;
            body.slice(s as usize..=e as usize)
        }
        (None, None) => body,
    };
    set(&mut h, header::CONTENT_LENGTH, &body.len().to_string());
    with(status, h, body)
}

fn with(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = status;
    *r.headers_mut() = headers;
    r
}

/// A site file, opened without following links and streamed in chunks; the site's 404 page
/// when it can no longer be opened (deleted, or swapped for a link since the build).
fn file_response(
    shared: &Shared,
    req: &HeaderMap,
    content_type: &str,
    file: &crate::fsx::SiteFile,
    head: bool,
) -> Response<Body> {
    let opened = file.open().and_then(|f| {
        let meta = f.metadata()?;
        Ok((f, meta))
    });
    let Ok((f, meta)) = opened else {
        let files = shared.files.read().expect("lock").clone();
        return match http::not_found(&files, shared.version()) {
            Found::Bytes { body, .. } => {
                bytes_response(&HeaderMap::new(), 404, "text/html; charset=utf-8", body)
            }
            _ => plain(404, "Not found.\n"),
        };
    };
    let len = meta.len();
    let part = match range(req, len) {
        Err(()) => return unsatisfiable(len),
        Ok(p) => p,
    };
    let etag = file_etag(&meta);
    let mut h = HeaderMap::new();
    common_headers(&mut h);
    set(&mut h, header::CONTENT_TYPE, content_type);
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    set(&mut h, header::ETAG, &etag);
    if not_modified(req, &etag) {
        return with(StatusCode::NOT_MODIFIED, h, Bytes::new());
    }
    let (status, start, count) = match part {
        Some((s, e)) => {
            set(
                &mut h,
                header::CONTENT_RANGE,
                &format!("bytes {s}-{e}/{len}"),
            );
            (StatusCode::PARTIAL_CONTENT, s, e - s + 1)
        }
        None => (StatusCode::OK, 0, len),
    };
    set(&mut h, header::CONTENT_LENGTH, &count.to_string());
    // HEAD never reads the file.
    let body = if head {
        full(Bytes::new())
    } else {
        stream_file(f, start, count)
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    *r.headers_mut() = h;
    r
}

/// A weak validator for a file on disk: its size, modification time and inode.
fn file_etag(meta: &std::fs::Metadata) -> String {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let ino = 0u64;
    format!("W/\"{:x}-{mtime:x}-{ino:x}\"", meta.len())
}

/// `count` bytes of `f` from `start`, read as the client takes them.
fn stream_file(f: std::fs::File, start: u64, count: u64) -> Body {
    use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(2);
    tokio::spawn(async move {
        let mut f = tokio::fs::File::from_std(f);
        if start > 0
            && let Err(e) = f.seek(std::io::SeekFrom::Start(start)).await
        {
            let _ = tx.send(Err(e)).await;
            return;
        }
        let mut left = count;
        let mut buf = vec![0u8; CHUNK];
        while left > 0 {
            let want = (left as usize).min(CHUNK);
            match f.read(&mut buf[..want]).await {
                Ok(0) => return,
                Ok(n) => {
                    left -= n as u64;
                    let frame = Frame::data(Bytes::copy_from_slice(&buf[..n]));
                    // Waits while the client does not read: at most two chunks are in flight.
                    if tx.send(Ok(frame)).await.is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            }
        }
    });
    StreamBody::new(tokio_stream::wrappers::ReceiverStream::new(rx)).boxed()
}

/// The Server-Sent Events stream: a greeting with the current error state (and whether the
/// page that opened it is out of date), then one event per rebuild, and a comment every 15 s
/// so that dead connections are noticed.
fn events(shared: &Shared, query: Option<&str>) -> Response<Body> {
    let hello = http::hello(shared, query);
    let mut rx = shared.subscribe();
    let (tx, out) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(16);
    tokio::spawn(async move {
        let first = format!("retry: 1000\ndata: {hello}\n\n");
        if tx.send(Ok(Frame::data(Bytes::from(first)))).await.is_err() {
            return;
        }
        loop {
            let text = tokio::select! {
                m = rx.recv() => match m {
                    Some(m) => format!("data: {m}\n\n"),
                    None => return,
                },
                () = tokio::time::sleep(Duration::from_secs(15)) => ": ping\n\n".to_string(),
            };
            if tx.send(Ok(Frame::data(Bytes::from(text)))).await.is_err() {
                return;
            }
        }
    });
    let body = StreamBody::new(tokio_stream::wrappers::ReceiverStream::new(out)).boxed();
    let mut r = Response::new(body);
    let h = r.headers_mut();
    common_headers(h);
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn ranges() {
        let h = |v: &str| headers(&[("range", v)]);
        assert_eq!(range(&h("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(range(&h("bytes=90-"), 100), Ok(Some((90, 99))));
        assert_eq!(range(&h("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(range(&h("bytes=50-500"), 100), Ok(Some((50, 99))));
        assert_eq!(range(&h("bytes=100-"), 100), Err(()));
        assert_eq!(range(&h("bytes=0-1,5-6"), 100), Ok(None));
        assert_eq!(range(&h("items=0-1"), 100), Ok(None));
        assert_eq!(range(&HeaderMap::new(), 100), Ok(None));
    }

    #[test]
    fn gzip_only_when_accepted() {
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "gzip, deflate, br"
        )])));
        assert!(!accepts_gzip(&headers(&[(
            "accept-encoding",
            "gzip;q=0, br"
        )])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "identity")])));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
