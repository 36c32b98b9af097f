//! The preview's HTTP side: resolves request paths inside the in-memory site only, injects the
//! live-reload script into HTML, and streams rebuild events (Server-Sent Events) to pages.
//!
//! Safety rules: only GET and HEAD; the request path is percent-decoded once and refused (400)
//! when it holds `..` or `.` segments, backslashes, NUL or an encoded slash; lookups go to the
//! in-memory file map, never to the file system, except for site files copied as they are,
//! which are read only when they are still regular files inside the site. On loopback, the
//! Host header must name the preview (DNS-rebinding defence); the event stream also checks
//! Origin, so other sites open in the browser cannot subscribe.
//!
//! HTTP/1.1 on the standard library: a thread per connection and one request per connection
//! (`Connection: close`, a Content-Length on every answer), request heads at most 16 KiB and
//! read within 10 s. (tiny_http was used first; its worker pool could leave a new connection
//! queued behind browsers' idle keep-alive connections, so a page load sometimes hung.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::Duration;

use super::session::{Files, Served};

/// Path of the live-reload script.
pub const LIVE_JS_PATH: &str = "/__dossier/live.js";
/// Path of the event stream.
pub const EVENTS_PATH: &str = "/__dossier/events";
const LIVE_JS: &str = include_str!("live.js");

/// State shared by request threads and the rebuild loop.
pub struct Shared {
    /// The current snapshot.
    pub files: RwLock<Arc<Files>>,
    /// The current build error, shown as an overlay; None when the last build succeeded.
    pub error: RwLock<Option<String>>,
    subscribers: Mutex<Vec<mpsc::Sender<String>>>,
    versions: RwLock<Versions>,
    /// Canonical site root: files read from disk must stay inside it.
    root: PathBuf,
    /// Host header values accepted ("127.0.0.1:1111", "localhost:1111", …); empty = any.
    hosts: Vec<String>,
}

impl Shared {
    /// State for a preview of `root` at `hosts` (empty: accept any Host).
    pub fn new(root: &Path, hosts: Vec<String>) -> Self {
        Self {
            files: RwLock::new(Arc::new(Files::new())),
            error: RwLock::new(None),
            subscribers: Mutex::new(Vec::new()),
            versions: RwLock::new(Versions::default()),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            hosts,
        }
    }

    /// Replace the snapshot.
    pub fn publish(&self, files: Arc<Files>) {
        *self.files.write().expect("lock") = files;
    }

    /// Replace the snapshot after a rebuild that changed `changed` (output files), and count a
    /// new version: pages carry the version they were served at, so a page whose event stream
    /// connects only after this rebuild still learns that it is out of date (see [`events`]).
    pub fn publish_changes(&self, files: Arc<Files>, changed: &[String]) {
        // The snapshot first: a request that reads the new version then sees the new files.
        self.publish(files);
        let mut v = self.versions.write().expect("lock");
        v.current += 1;
        let now = v.current;
        if changed.len() > 2000 || changed.iter().any(|p| p.ends_with(".css")) {
            v.all_at = now;
        } else {
            for p in changed {
                v.changed_at.insert(super::session::url_of(p), now);
            }
        }
    }

    /// The version of the snapshot being published.
    fn version(&self) -> u64 {
        self.versions.read().expect("lock").current
    }

    /// True when `page` (a URL path), served at version `seen`, changed since.
    fn stale(&self, page: &str, seen: u64) -> bool {
        let v = self.versions.read().expect("lock");
        v.all_at > seen || v.changed_at.get(page).is_some_and(|&at| at > seen)
    }

    /// Send an event (a JSON object) to every connected page.
    pub fn broadcast(&self, json: &str) {
        self.subscribers
            .lock()
            .expect("lock")
            .retain(|tx| tx.send(json.to_string()).is_ok());
    }

    fn host_ok(&self, host: Option<&str>) -> bool {
        self.hosts.is_empty()
            || host.is_some_and(|h| self.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
    }
}

/// Which rebuild last changed each page (by URL path), and the last one that changed every
/// page (many files, or a stylesheet).
#[derive(Default)]
struct Versions {
    current: u64,
    changed_at: std::collections::HashMap<String, u64>,
    all_at: u64,
}

/// Resolve a request target to a key of the file map: "/briefs/a/?x" → "briefs/a/".
/// Errors are HTTP statuses (400 for anything that tries to leave the tree).
pub fn resolve_path(target: &str) -> Result<String, u16> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(400);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(400);
    }
    let bytes = percent_decode(path).ok_or(400u16)?;
    let decoded = String::from_utf8(bytes).map_err(|_| 400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') || decoded.chars().any(char::is_control) {
        return Err(400);
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(400),
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') && !key.is_empty() {
        key.push('/');
    }
    Ok(key)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn bytes_of(f: &Served) -> Option<Vec<u8>> {
    match f {
        Served::Bytes(b) => Some(b.as_ref().clone()),
        Served::Static(s) => Some(s.to_vec()),
        Served::File(f) => f.read().ok(),
    }
}

/// Insert the live-reload script before `</body>` (or at the end), with the page's URL and
/// the snapshot version it is served from.
pub fn inject(html: &[u8], file: &str, version: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{LIVE_JS_PATH}\" data-page=\"{}\" data-version=\"{version}\" defer></script>",
        crate::escape::html(&super::session::url_of(file))
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// What a request gets: status, headers and body (used by tests without sockets).
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content-Type.
    pub content_type: String,
    /// Redirect target.
    pub location: Option<String>,
    /// Body.
    pub body: Vec<u8>,
}

fn plain(status: u16, msg: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8".into(),
        location: None,
        body: msg.as_bytes().to_vec(),
    }
}

/// Answer a GET for `target` from the current snapshot.
pub fn answer(shared: &Shared, target: &str) -> Reply {
    let key = match resolve_path(target) {
        Ok(k) => k,
        Err(s) => return plain(s, "Bad request: the path is not allowed.\n"),
    };
    // The version before the files: a page never claims a newer version than its content.
    let version = shared.version();
    let files = shared.files.read().expect("lock").clone();
    if files.is_empty() {
        // No good build yet: a page that shows the error and reloads once the site builds.
        let err = shared
            .error
            .read()
            .expect("lock")
            .clone()
            .unwrap_or_default();
        let html = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Build failed</title><body><h1>The site did not build</h1><pre>{}</pre></body></html>",
            crate::escape::html(&err)
        );
        return Reply {
            status: 503,
            content_type: "text/html; charset=utf-8".into(),
            location: None,
            body: inject(html.as_bytes(), "index.html", version),
        };
    }
    let mut file = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.clone()
    };
    if !files.contains_key(&file) && files.contains_key(&format!("{key}/index.html")) {
        let path = target.split(['?', '#']).next().unwrap_or("/");
        return Reply {
            status: 301,
            content_type: "text/plain; charset=utf-8".into(),
            location: Some(format!("{path}/")),
            body: Vec::new(),
        };
    }
    let mut status = 200;
    let found = files.get(&file).and_then(|f| bytes_of(f));
    let body = match found {
        Some(b) => b,
        None => {
            status = 404;
            file = "404.html".into();
            match files.get("404.html").and_then(|f| bytes_of(f)) {
                Some(b) => b,
                None => return plain(404, "Not found.\n"),
            }
        }
    };
    let ct = crate::mime::content_type(&file);
    let body = if ct.starts_with("text/html") {
        inject(&body, &file, version)
    } else {
        body
    };
    Reply {
        status,
        content_type: ct.into(),
        location: None,
        body,
    }
}

/// The most a request head may take; larger heads get 431.
const MAX_HEAD: usize = 16 * 1024;

/// A parsed request head.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Read one request head (request line and headers; GET and HEAD have no body).
fn read_request(stream: &mut TcpStream) -> Result<Request, u16> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return Err(0), // closed or timed out: nothing to answer
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let end = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("found");
    let text = std::str::from_utf8(&head[..end]).map_err(|_| 400u16)?;
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (first.next(), first.next(), first.next(), first.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    let mut headers = Vec::new();
    for l in lines {
        let (k, v) = l.split_once(':').ok_or(400u16)?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

/// Write a whole response and close: every response has a Content-Length and
/// `Connection: close`, so no connection is ever left waiting for a worker.
fn respond(stream: &mut TcpStream, reply: &Reply, head_only: bool, extra: &[(&str, &str)]) {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    if let Some(l) = &reply.location {
        out.push_str(&format!("Location: {l}\r\n"));
    }
    for (k, v) in extra {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    if !head_only {
        let _ = stream.write_all(&reply.body);
    }
    let _ = stream.flush();
}

/// Serve one connection (one request) on its own thread.
pub fn handle(shared: Arc<Shared>, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let req = match read_request(&mut stream) {
        Ok(r) => r,
        Err(0) => return,
        Err(s) => {
            respond(&mut stream, &plain(s, "Bad request.\n"), false, &[]);
            // Close gracefully: read what the client is still sending (a bounded amount) so
            // the close does not reset the connection before it has read the answer.
            let _ = stream.shutdown(std::net::Shutdown::Write);
            let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
            let _ = std::io::copy(&mut (&stream).take(1 << 20), &mut std::io::sink());
            return;
        }
    };
    let host = req.header("Host");
    if !shared.host_ok(host) {
        let msg = "Forbidden: this preview only answers requests addressed to it.\n";
        respond(&mut stream, &plain(403, msg), false, &[]);
        return;
    }
    if req.method != "GET" && req.method != "HEAD" {
        let reply = plain(405, "Method not allowed.\n");
        respond(&mut stream, &reply, false, &[("Allow", "GET, HEAD")]);
        return;
    }
    let head_only = req.method == "HEAD";
    let path = req.target.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        let origin_ok = match req.header("Origin") {
            None => true,
            Some(o) => host.is_some_and(|h| o.eq_ignore_ascii_case(&format!("http://{h}"))),
        };
        if !origin_ok {
            respond(
                &mut stream,
                &plain(403, "Forbidden: cross-origin.\n"),
                false,
                &[],
            );
            return;
        }
        events(&shared, stream, &req.target);
        return;
    }
    if path == LIVE_JS_PATH {
        let reply = Reply {
            status: 200,
            content_type: "text/javascript; charset=utf-8".into(),
            location: None,
            body: LIVE_JS.as_bytes().to_vec(),
        };
        respond(&mut stream, &reply, head_only, &[]);
        return;
    }
    respond(&mut stream, &answer(&shared, &req.target), head_only, &[]);
}

/// The Server-Sent Events stream: a greeting with the current error state, and `stale` when
/// the page named in the query (`?page=/briefs/a/&v=3`) changed after the version it was
/// served at (a rebuild it missed while not yet connected); then one event per rebuild, and a
/// comment every 15 s so dead connections are noticed.
fn events(shared: &Shared, mut w: TcpStream, target: &str) {
    let (tx, rx) = mpsc::channel::<String>();
    let (mut page, mut seen) = (None, None);
    if let Some((_, query)) = target.split_once('?') {
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            match &*k {
                "page" => page = Some(v.into_owned()),
                "v" => seen = v.parse::<u64>().ok(),
                _ => {}
            }
        }
    }
    let stale = match (&page, seen) {
        (Some(p), Some(v)) => shared.stale(p, v),
        _ => false,
    };
    let hello = {
        let err = shared.error.read().expect("lock").clone();
        serde_json::json!({"type": "hello", "error": err, "stale": stale}).to_string()
    };
    shared.subscribers.lock().expect("lock").push(tx);
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n";
    if w.write_all(head.as_bytes()).is_err()
        || w.write_all(format!("retry: 1000\ndata: {hello}\n\n").as_bytes())
            .is_err()
        || w.flush().is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => format!("data: {m}\n\n"),
            Err(mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes()).is_err() || w.flush().is_err() {
            return;
        }
    }
}

/// The Host values a loopback preview on `port` answers to.
pub fn loopback_hosts(port: u16) -> Vec<String> {
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .map(|h| format!("{h}:{port}"))
        .collect()
}

/// A reload event for changed output files.
pub fn reload_event(changed: &[String]) -> String {
    let css = !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css"));
    let all = changed.len() > 2000;
    let paths: Vec<String> = if all {
        Vec::new()
    } else {
        changed.iter().map(|p| super::session::url_of(p)).collect()
    };
    serde_json::json!({"type": "reload", "all": all, "css": css, "paths": paths}).to_string()
}
