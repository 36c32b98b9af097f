//! What the preview answers, independent of the network: the state shared with the rebuild
//! loop ([`Shared`]), how a request target becomes a file of the in-memory site ([`find`]),
//! the live-reload script injected into HTML, and the events sent to open pages. The HTTP
//! server itself is `server.rs`.
//!
//! Safety rules: the request path is percent-decoded once and refused (400) when it holds `..`
//! or `.` segments, backslashes, NUL, control characters or an encoded slash; lookups go to the
//! in-memory file map, never to the file system, except for site files copied as they are,
//! which are opened without following any symbolic link (`fsx`). On loopback, the Host header
//! must name the preview (DNS-rebinding defence); the event stream also checks Origin, so other
//! sites open in the browser cannot subscribe.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, RwLock};

use bytes::Bytes;

use super::session::{Files, Served};
use crate::fsx::SiteFile;

/// Path of the live-reload script.
pub const LIVE_JS_PATH: &str = "/__dossier/live.js";
/// Path of the event stream.
pub const EVENTS_PATH: &str = "/__dossier/events";
/// The live-reload script.
pub const LIVE_JS: &str = include_str!("live.js");

/// State shared by request tasks and the rebuild loop.
pub struct Shared {
    /// The current snapshot.
    pub files: RwLock<Arc<Files>>,
    /// The current build error, shown as an overlay; None while the site builds.
    pub error: RwLock<Option<String>>,
    subscribers: Mutex<Vec<tokio::sync::mpsc::UnboundedSender<String>>>,
    versions: RwLock<Versions>,
    /// Host header values accepted ("127.0.0.1:1111", "localhost:1111", …); empty = any.
    hosts: Vec<String>,
}

impl Shared {
    /// State for a preview answering to `hosts` (empty: accept any Host).
    pub fn new(hosts: Vec<String>) -> Self {
        Self {
            files: RwLock::new(Arc::new(Files::new())),
            error: RwLock::new(None),
            subscribers: Mutex::new(Vec::new()),
            versions: RwLock::new(Versions::default()),
            hosts,
        }
    }

    /// Replace the snapshot.
    pub fn publish(&self, files: Arc<Files>) {
        *self.files.write().expect("lock") = files;
    }

    /// Replace the snapshot after a rebuild that changed `changed` (output files), and count a
    /// new version: pages carry the version they were served at, so a page whose event stream
    /// connects only after this rebuild still learns that it is out of date.
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
                v.changed_at.insert(crate::urls::served_at(p), now);
            }
        }
    }

    /// The version of the snapshot being published.
    pub fn version(&self) -> u64 {
        self.versions.read().expect("lock").current
    }

    /// True when `page` (a URL path), served at version `seen`, changed since.
    pub fn stale(&self, page: &str, seen: u64) -> bool {
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

    /// Receive every event broadcast from now on.
    pub fn subscribe(&self) -> tokio::sync::mpsc::UnboundedReceiver<String> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        self.subscribers.lock().expect("lock").push(tx);
        rx
    }

    /// Whether a request's Host header names this preview.
    pub fn host_ok(&self, host: Option<&str>) -> bool {
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
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| 400u16)?;
    if !valid_escapes(path) {
        return Err(400);
    }
    if decoded.contains('\\') || decoded.chars().any(char::is_control) {
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

/// Every `%` starts a two-digit hex escape.
fn valid_escapes(path: &str) -> bool {
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok = b
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !ok {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

/// The URL of a file-map key, percent-encoded: "café/" → "/caf%C3%A9/".
pub fn url_of_key(key: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &crate::urls::PATH_ESCAPES;
    let mut out = String::from("/");
    out.push_str(&percent_encoding::utf8_percent_encode(key, SEGMENT).to_string());
    out
}

/// Insert the live-reload script before `</body>` (or at the end), with the page's URL and
/// the snapshot version it is served from.
pub fn inject(html: &[u8], file: &str, version: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{LIVE_JS_PATH}\" data-page=\"{}\" data-version=\"{version}\" defer></script>",
        crate::escape::html(&crate::urls::served_at(file))
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

/// What a GET for a target resolves to.
#[derive(Debug, Clone)]
pub enum Found {
    /// Bytes from the snapshot (HTML already carries the live-reload script).
    Bytes {
        /// 200, 404 (the site's 404 page) or 503 (no good build yet).
        status: u16,
        /// Content-Type.
        content_type: Cow<'static, str>,
        /// The body.
        body: Bytes,
    },
    /// A site file copied as it is: streamed from disk, never through a link.
    File {
        /// Content-Type.
        content_type: Cow<'static, str>,
        /// The file.
        file: SiteFile,
    },
    /// The folder's own URL, for a target without its trailing slash.
    Redirect(String),
    /// A refusal or an unknown file, as plain text.
    Plain {
        /// Status.
        status: u16,
        /// Message.
        message: &'static str,
    },
}

/// Resolve a GET for `target` in the current snapshot.
pub fn find(shared: &Shared, target: &str) -> Found {
    let key = match resolve_path(target) {
        Ok(k) => k,
        Err(status) => {
            return Found::Plain {
                status,
                message: "Bad request: the path is not allowed.\n",
            };
        }
    };
    // The version before the files: a page never claims a newer version than its content.
    let version = shared.version();
    let files = shared.files.read().expect("lock").clone();
    if files.is_empty() {
        return no_build_yet(shared, version);
    }
    let file = crate::urls::output_file(&key);
    if !files.contains_key(&file) && files.contains_key(&format!("{key}/index.html")) {
        return Found::Redirect(url_of_key(&format!("{key}/")));
    }
    match files.get(&file) {
        Some(served) => found(served, &file, 200, version),
        None => not_found(&files, version),
    }
}

/// The site's 404 page (or a plain 404).
pub fn not_found(files: &Files, version: u64) -> Found {
    match files.get(crate::urls::NOT_FOUND) {
        Some(f @ (Served::Bytes(_) | Served::Static(_))) => {
            found(f, crate::urls::NOT_FOUND, 404, version)
        }
        _ => Found::Plain {
            status: 404,
            message: "Not found.\n",
        },
    }
}

fn found(served: &Served, file: &str, status: u16, version: u64) -> Found {
    let content_type = crate::mime::content_type(file);
    let bytes = match served {
        Served::Bytes(b) => b.clone(),
        Served::Static(s) => Bytes::from_static(s),
        Served::File(f) => {
            return Found::File {
                content_type,
                file: f.clone(),
            };
        }
    };
    let body = if content_type.starts_with("text/html") {
        Bytes::from(inject(&bytes, file, version))
    } else {
        bytes
    };
    Found::Bytes {
        status,
        content_type,
        body,
    }
}

/// No good build yet: a page that shows the error and reloads once the site builds.
fn no_build_yet(shared: &Shared, version: u64) -> Found {
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
    Found::Bytes {
        status: 503,
        content_type: Cow::Borrowed("text/html; charset=utf-8"),
        body: Bytes::from(inject(html.as_bytes(), "index.html", version)),
    }
}

/// A whole answer, read into memory: for tests without sockets.
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

/// Answer a GET for `target` from the current snapshot, reading site files whole.
pub fn answer(shared: &Shared, target: &str) -> Reply {
    let reply = |status, content_type: &str, body: Vec<u8>| Reply {
        status,
        content_type: content_type.to_string(),
        location: None,
        body,
    };
    match find(shared, target) {
        Found::Bytes {
            status,
            content_type,
            body,
        } => reply(status, &content_type, body.to_vec()),
        Found::File { content_type, file } => match file.read() {
            Ok(b) => reply(200, &content_type, b),
            Err(_) => {
                let files = shared.files.read().expect("lock").clone();
                match not_found(&files, shared.version()) {
                    Found::Bytes { body, .. } => {
                        reply(404, "text/html; charset=utf-8", body.to_vec())
                    }
                    _ => reply(404, "text/plain; charset=utf-8", b"Not found.\n".to_vec()),
                }
            }
        },
        Found::Redirect(to) => Reply {
            status: 301,
            content_type: "text/plain; charset=utf-8".into(),
            location: Some(to),
            body: Vec::new(),
        },
        Found::Plain { status, message } => reply(
            status,
            "text/plain; charset=utf-8",
            message.as_bytes().to_vec(),
        ),
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
        changed.iter().map(|p| crate::urls::served_at(p)).collect()
    };
    serde_json::json!({"type": "reload", "all": all, "css": css, "paths": paths}).to_string()
}

/// The greeting on a new event stream: the current error, and whether the page that opened
/// it (`?page=/briefs/a/&v=3`) changed after the version it was served at.
pub fn hello(shared: &Shared, query: Option<&str>) -> String {
    let (mut page, mut seen) = (None, None);
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match &*k {
            "page" => page = Some(v.into_owned()),
            "v" => seen = v.parse::<u64>().ok(),
            _ => {}
        }
    }
    let stale = match (&page, seen) {
        (Some(p), Some(v)) => shared.stale(p, v),
        _ => false,
    };
    let err = shared.error.read().expect("lock").clone();
    serde_json::json!({"type": "hello", "error": err, "stale": stale}).to_string()
}
