//! `dossier serve` (issue 5): incremental rebuilds give the same bytes as a full build, and
//! the real server answers, reloads, refuses traversal, survives broken edits and never serves
//! a half-built page.

use crate::support;

use crate::support::serve::{get, header, start};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dossier::BuildOptions;
use dossier::serve::http::{Shared, answer, resolve_path};
use dossier::serve::session::{Kind, Served, Session};

fn opts(root: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.base_url = Some("http://127.0.0.1:1111/".into());
    o.now = Some("2026-11-25T12:00:00Z".parse().unwrap());
    o
}

/// A session over `root` that has done its first full build.
fn started(root: &Path) -> Session {
    let mut s = Session::new(opts(root));
    s.full().expect("the demo builds");
    s
}

fn bytes(f: &Served) -> Vec<u8> {
    match f {
        Served::Bytes(b) => b.to_vec(),
        Served::Static(s) => s.to_vec(),
        Served::File(f) => std::fs::read(f.path()).unwrap(),
    }
}

/// The session's snapshot equals a fresh full build, file for file, byte for byte.
fn assert_matches_fresh(session: &Session, root: &Path, what: &str) {
    let fresh = started(root);
    let (a, b) = (session.files(), fresh.files());
    let mut ka: Vec<_> = a.keys().collect();
    let mut kb: Vec<_> = b.keys().collect();
    ka.sort();
    kb.sort();
    assert_eq!(ka, kb, "{what}: the same files as a full build");
    for k in ka {
        assert!(
            bytes(&a[k]) == bytes(&b[k]),
            "{what}: `{k}` differs from a full build"
        );
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} contains {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn brief_edits_rerender_only_what_shows_the_brief_and_match_a_full_build() {
    let site = support::demo_copy();
    let root = site.path();
    let mut s = Session::new(opts(root));
    let first = s.full().unwrap();
    let total = first.rendered;
    let brief = root.join("content/briefs/carbon-border-adjustment.md");

    // A body edit.
    edit(&brief, "phasing in.", "phasing in, sector by sector.");
    let u = s.update(std::slice::from_ref(&brief)).unwrap();
    assert_eq!(u.kind, Kind::Briefs);
    assert!(
        u.rendered < total / 2,
        "{} of {total} pages rendered",
        u.rendered
    );
    assert!(
        u.changed
            .contains(&"briefs/carbon-border-adjustment/index.html".to_string())
    );
    assert_matches_fresh(&s, root, "body edit");

    // A title edit shows on listing pages, author and topic pages, neighbours, feeds, citations.
    edit(
        &brief,
        "title: The Border Carbon Bill Arrives",
        "title: The Carbon Border Bill Comes Due",
    );
    let u = s.update(std::slice::from_ref(&brief)).unwrap();
    assert_eq!(u.kind, Kind::Briefs);
    for must in [
        "authors/ingrid-van-der-berg/index.html",
        "briefs/carbon-border-adjustment/index.html",
        "briefs/carbon-border-adjustment/cite.bib",
        "feed.xml",
        "feed.json",
    ] {
        assert!(
            u.changed.iter().any(|c| c == must),
            "{must} re-rendered: {:?}",
            u.changed
        );
    }
    let home =
        String::from_utf8(bytes(&s.files()["authors/ingrid-van-der-berg/index.html"])).unwrap();
    assert!(home.contains("The Carbon Border Bill Comes Due"));
    assert_matches_fresh(&s, root, "title edit");

    // A summary and a correction (changes the modification date in feeds and the sitemap).
    edit(
        &brief,
        "summary: As the EU",
        "corrections:\n  - date: 2026-05-01\n    note: An earlier version misstated the phase-in year.\nsummary: Now that the EU",
    );
    let u = s.update(std::slice::from_ref(&brief)).unwrap();
    assert_eq!(u.kind, Kind::Briefs);
    assert!(u.changed.contains(&"sitemap.xml".to_string()));
    assert_matches_fresh(&s, root, "summary and correction");

    // Moving the brief in time changes every listing: a full rebuild, still identical.
    edit(&brief, "date: 2026-04-09", "date: 2025-01-15");
    let u = s.update(std::slice::from_ref(&brief)).unwrap();
    assert_eq!(u.kind, Kind::Full);
    assert_matches_fresh(&s, root, "date change");

    // Adding a brief and deleting one.
    let new = root.join("content/briefs/a-new-brief.md");
    std::fs::write(
        &new,
        "---\ntitle: A New Brief\ndate: 2026-06-01\nauthors: [ingrid-van-der-berg]\ntopics: [Trade]\n---\nFresh text.\n",
    )
    .unwrap();
    let u = s.update(std::slice::from_ref(&new)).unwrap();
    assert_eq!(u.kind, Kind::Full);
    assert!(s.files().contains_key("briefs/a-new-brief/index.html"));
    std::fs::remove_file(&new).unwrap();
    s.update(std::slice::from_ref(&new)).unwrap();
    assert!(!s.files().contains_key("briefs/a-new-brief/index.html"));
    assert_matches_fresh(&s, root, "add and delete");

    // A template change re-renders everything.
    let footer = root.join("templates/partials/footer.html");
    let text = std::fs::read_to_string(&footer).unwrap();
    std::fs::write(&footer, format!("{text}<!-- footer edited -->")).unwrap();
    let u = s.update(&[footer]).unwrap();
    assert_eq!(u.kind, Kind::Full);
    let home = String::from_utf8(bytes(&s.files()["index.html"])).unwrap();
    assert!(home.contains("footer edited"));
    assert_matches_fresh(&s, root, "template change");
}

#[test]
fn editor_temp_files_and_folder_events_do_not_rebuild() {
    let site = support::demo_copy();
    let root = site.path();
    let mut s = started(root);
    let before = s.files();
    // A temporary file that was renamed away before the rebuild, and the folder's own event.
    let u = s
        .update(&[
            root.join("content/briefs/sed1a2b3c"),
            root.join("content/briefs/.carbon-border-adjustment.md.swp"),
            root.join("content/briefs"),
        ])
        .unwrap();
    assert!(u.changed.is_empty() && u.rendered == 0);
    assert!(std::sync::Arc::ptr_eq(&before, &s.files()));
}

#[test]
fn a_broken_edit_is_an_error_with_its_position_and_keeps_the_last_good_site() {
    let site = support::demo_copy();
    let root = site.path();
    let mut s = started(root);
    let good = s.files();
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    let original = std::fs::read_to_string(&brief).unwrap();
    edit(&brief, "date: 2026-04-09", "date: 2026-13-45");
    let err = s.update(std::slice::from_ref(&brief)).unwrap_err();
    let text = err
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("content/briefs/carbon-border-adjustment.md:4:"),
        "names file and line: {text}"
    );
    assert!(
        std::sync::Arc::ptr_eq(&good, &s.files()),
        "the last good snapshot is kept"
    );
    std::fs::write(&brief, original).unwrap();
    s.update(&[brief]).unwrap();
    assert_matches_fresh(&s, root, "after the fix");
}

#[test]
fn a_stylesheet_edit_only_reloads_static_files() {
    let site = support::demo_copy();
    let root = site.path();
    let mut s = started(root);
    let css = root.join("static/extra.css");
    std::fs::write(&css, "body { color: #222; }").unwrap();
    let u = s.update(std::slice::from_ref(&css)).unwrap();
    assert_eq!(u.kind, Kind::Static);
    assert!(
        u.changed.iter().all(|p| p.ends_with(".css")),
        "{:?}",
        u.changed
    );
    assert!(s.files().contains_key("extra.css"));
    assert_matches_fresh(&s, root, "static edit");
}

#[test]
fn request_paths_stay_inside_the_site() {
    for bad in [
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E%2Fetc%2Fpasswd",
        "/briefs/..%2f..%2f..%2fetc/passwd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5cetc",
        "/a%00.html",
        "/./index.html",
        "relative",
        "/%zz",
    ] {
        assert_eq!(resolve_path(bad), Err(400), "{bad}");
    }
    assert_eq!(resolve_path("/briefs/a/?q=1").unwrap(), "briefs/a/");
    assert_eq!(resolve_path("//etc/passwd").unwrap(), "etc/passwd");
    assert_eq!(resolve_path("/caf%C3%A9/").unwrap(), "café/");

    // Against a real snapshot: absolute-looking and outside paths are not found, with the
    // site's own 404 page.
    let site = support::demo_copy();
    let root = site.path();
    let s = started(root);
    let shared = Shared::new(Vec::new());
    shared.publish(s.files());
    for p in [
        "//etc/passwd",
        "/etc/passwd",
        "/site.toml",
        "/content/briefs/_index.md",
    ] {
        let r = answer(&shared, p);
        assert_eq!(r.status, 404, "{p}");
        assert!(
            String::from_utf8_lossy(&r.body).contains("Page not found"),
            "{p}: the site's 404 page"
        );
    }
    // A static file swapped for a symlink to outside the site after the build is not read.
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "SECRET OUTSIDE").unwrap();
    let img = std::fs::read_dir(root.join("static/images"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let name = img.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::remove_file(&img).unwrap();
    std::os::unix::fs::symlink(outside.path(), &img).unwrap();
    let r = answer(&shared, &format!("/images/{name}"));
    assert_eq!(r.status, 404);
    assert!(!String::from_utf8_lossy(&r.body).contains("SECRET"));
}

// ---- The real server -------------------------------------------------------------------

/// Opens the event stream; events arrive on the returned channel.
fn events(port: u16) -> mpsc::Receiver<String> {
    events_at(port, "/__dossier/events")
}

fn events_at(port: u16, target: &str) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(d) = line.strip_prefix("data: ")
                && tx.send(d.to_string()).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<String>, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(m) if pred(&m) => return m,
            Ok(_) => {}
            Err(_) => panic!("timed out waiting for {what}"),
        }
    }
}

#[test]
fn the_server_serves_reloads_and_recovers() {
    let site = support::demo_copy();
    let root = site.path();
    let server = start(root, &[]);
    let port = server.port;

    let (st, head, body) = get(port, "/", &[]);
    assert_eq!(st, 200);
    assert_eq!(
        header(&head, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("<script src=\"/__dossier/live.js\""),
        "live reload script injected"
    );
    for (path, ct) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/dossier.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/feed.json", "application/json"),
        ("/favicon.svg", "image/svg+xml"),
        (
            "/briefs/grid-storage-before-generation/",
            "text/html; charset=utf-8",
        ),
    ] {
        let (st, head, _) = get(port, path, &[]);
        assert_eq!(
            (st, header(&head, "content-type")),
            (200, Some(ct)),
            "{path}"
        );
    }
    let pdf = std::fs::read_dir(root.join("content/briefs/grid-storage-before-generation"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap();
    let (st, head, _) = get(
        port,
        &format!(
            "/briefs/grid-storage-before-generation/{}",
            pdf.file_name().to_string_lossy()
        ),
        &[],
    );
    assert_eq!(
        (st, header(&head, "content-type")),
        (200, Some("application/pdf"))
    );

    // Unknown paths: the site's 404 page with status 404; a folder without its slash redirects.
    let (st, _, body) = get(port, "/no/such/page/", &[]);
    assert_eq!(st, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));
    let (st, head, _) = get(port, "/briefs", &[]);
    assert_eq!((st, header(&head, "location")), (301, Some("/briefs/")));

    // Traversal over the wire.
    for bad in [
        "/../site.toml",
        "/..%2fsite.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/x%00",
        "/..\\site.toml",
    ] {
        let (st, _, body) = get(port, bad, &[]);
        assert!(st == 400 || st == 404, "{bad}: {st}");
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("base_url") && !text.contains("root:"),
            "{bad} leaked a file"
        );
    }
    // Other hosts (DNS rebinding) and other origins are refused; only GET and HEAD.
    let (st, _, _) = get(port, "/", &[("Host", "attacker.example")]);
    assert_eq!(st, 403);
    let (st, _, _) = get(
        port,
        "/__dossier/events",
        &[("Origin", "https://attacker.example")],
    );
    assert_eq!(st, 403);

    // An edit: the event names the page, and the page has the new text.
    let ev = events(port);
    wait_for(&ev, "hello", |m| m.contains("\"hello\""));
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    edit(&brief, "phasing in.", "phasing in. LIVE-EDIT-MARKER.");
    wait_for(&ev, "reload naming the brief", |m| {
        m.contains("\"reload\"") && m.contains("/briefs/carbon-border-adjustment/")
    });
    let (_, _, body) = get(port, "/briefs/carbon-border-adjustment/", &[]);
    assert!(String::from_utf8_lossy(&body).contains("LIVE-EDIT-MARKER"));

    // A broken edit: an error event with file and line, the last good page still served.
    let good = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(
        &brief,
        good.replace("title: The Border", "title: [The Border"),
    )
    .unwrap();
    let err = wait_for(&ev, "error event", |m| {
        m.contains("\"error\"") && m.contains("message")
    });
    assert!(
        err.contains("content/briefs/carbon-border-adjustment.md:"),
        "{err}"
    );
    let (st, _, body) = get(port, "/briefs/carbon-border-adjustment/", &[]);
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&body).contains("LIVE-EDIT-MARKER"));
    // A page opened now learns about the error on connecting.
    let ev2 = events(port);
    wait_for(&ev2, "hello with the error", |m| {
        m.contains("\"hello\"") && m.contains("carbon-border-adjustment.md")
    });
    // The fix recovers without a restart.
    std::fs::write(&brief, good.replace("LIVE-EDIT-MARKER", "FIXED-MARKER")).unwrap();
    wait_for(&ev, "reload after the fix", |m| m.contains("\"reload\""));
    let (_, _, body) = get(port, "/briefs/carbon-border-adjustment/", &[]);
    assert!(String::from_utf8_lossy(&body).contains("FIXED-MARKER"));

    // The terminal said what happened.
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(log.iter().any(|l| l.contains("Rebuilt in")), "{log:?}");
    assert!(
        log.iter()
            .any(|l| l.contains("carbon-border-adjustment.md:") && l.contains("error")),
        "{log:?}"
    );
}

/// The snapshot version a served page carries in its live-reload tag.
fn version_of(html: &[u8]) -> u64 {
    let html = String::from_utf8_lossy(html);
    let at = html
        .find("data-version=\"")
        .expect("version in the live tag")
        + 14;
    html[at..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn a_page_whose_event_stream_connects_after_a_rebuild_it_missed_is_told_to_reload() {
    let site = support::demo_copy();
    let root = site.path();
    let server = start(root, &[]);
    let port = server.port;
    let brief = "/briefs/carbon-border-adjustment/";
    let (_, _, old_brief) = get(port, brief, &[]);
    let (_, _, old_authors) = get(port, "/authors/", &[]);
    let seen = version_of(&old_brief);
    let hello = |page: &str, v: u64| {
        let ev = events_at(port, &format!("/__dossier/events?page={page}&v={v}"));
        wait_for(&ev, "hello", |m| m.contains("\"hello\""))
    };
    assert!(hello(brief, seen).contains("\"stale\":false"));

    // The page was loaded; its event stream has not connected yet when the brief is edited.
    let ev = events(port);
    wait_for(&ev, "hello", |m| m.contains("\"hello\""));
    edit(
        &root.join("content/briefs/carbon-border-adjustment.md"),
        "phasing in.",
        "phasing in. LATE-MARKER.",
    );
    wait_for(&ev, "reload", |m| m.contains("\"reload\""));
    assert!(
        hello(brief, seen).contains("\"stale\":true"),
        "missed rebuild"
    );
    // A page the rebuild did not change is not reloaded; a page served after it is current.
    let (_, _, new_authors) = get(port, "/authors/", &[]);
    let authors_changed = strip_live(&old_authors) != strip_live(&new_authors);
    assert!(
        hello("/authors/", seen).contains(&format!("\"stale\":{authors_changed}")),
        "unchanged page"
    );
    let (_, _, new_brief) = get(port, brief, &[]);
    assert!(String::from_utf8_lossy(&new_brief).contains("LATE-MARKER"));
    assert!(version_of(&new_brief) > seen);
    assert!(hello(brief, version_of(&new_brief)).contains("\"stale\":false"));
}

/// A page without its live-reload tag (which carries the version).
fn strip_live(html: &[u8]) -> String {
    let html = String::from_utf8_lossy(html);
    match html.find("<script src=\"/__dossier/live.js\"") {
        Some(at) => {
            let end = html[at..].find("</script>").unwrap() + at;
            format!("{}{}", &html[..at], &html[end..])
        }
        None => html.into_owned(),
    }
}

#[test]
fn concurrent_readers_never_see_a_partial_page_while_a_brief_is_rewritten() {
    let site = support::demo_copy();
    let root = site.path().to_path_buf();
    let server = start(&root, &[]);
    let port = server.port;
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    let original = std::fs::read_to_string(&brief).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pages = [
        "/briefs/carbon-border-adjustment/",
        "/",
        "/authors/ingrid-van-der-berg/",
        "/feed.xml",
    ];
    let mut clients = Vec::new();
    for c in 0..8 {
        let stop = stop.clone();
        clients.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let path = pages[(c + n) % pages.len()];
                let (st, head, body) = get(port, path, &[]);
                assert!(st < 500, "{path}: {st}");
                assert_eq!(st, 200, "{path}");
                let len: usize = header(&head, "content-length").unwrap().parse().unwrap();
                assert_eq!(len, body.len(), "{path}: complete body");
                let text = String::from_utf8(body).unwrap();
                let end = if path.ends_with(".xml") {
                    "</feed>"
                } else {
                    "</html>"
                };
                assert!(text.trim_end().ends_with(end), "{path}: a whole page");
                if path == "/briefs/carbon-border-adjustment/" {
                    // Exactly one version's marker: never a mix.
                    let versions = (0..50)
                        .filter(|i| text.contains(&format!("REV-{i:02}.")))
                        .count();
                    assert!(versions <= 1, "{path}: a mixed page");
                }
                n += 1;
            }
            n
        }));
    }
    for i in 0..50 {
        std::fs::write(
            &brief,
            original.replace("phasing in.", &format!("phasing in. REV-{i:02}.")),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(40));
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let fetched: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert!(fetched > 50, "{fetched} fetches");
    // The last edit's rebuild may still be running on a busy machine: wait for it (bounded).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, _, body) = get(port, "/briefs/carbon-border-adjustment/", &[]);
        if String::from_utf8_lossy(&body).contains("REV-49.") {
            break;
        }
        assert!(Instant::now() < deadline, "the last version is served");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_refuses_a_folder_without_a_site_and_a_taken_port() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(support::bin())
        .args(["serve", "--port", "0", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no site.toml"));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = support::demo_copy();
    let out = Command::new(support::bin())
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&port) && err.contains("--port"), "{err}");
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = support::demo_copy();
    let mut server = start(site.path(), &[]);
    let (st, _, _) = get(server.port, "/", &[]);
    assert_eq!(st, 200);
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "exit status after Ctrl-C");
    let log: Vec<String> = server.log.iter().collect(); // ends when both pipes close
    assert!(log.iter().any(|l| l.contains("Stopped.")), "{log:?}");
    assert!(
        TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "the port is closed"
    );
    // Serving wrote nothing into the site.
    assert!(!site.path().join("public").exists());
}

#[test]
fn idle_connections_and_event_streams_do_not_hold_up_other_requests_and_bad_heads_get_4xx() {
    let site = support::demo_copy();
    let server = start(site.path(), &[]);
    let port = server.port;
    // Browsers keep connections open; half-sent requests and open event streams must not
    // starve anyone else.
    let mut idle = Vec::new();
    for _ in 0..12 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0").unwrap();
        idle.push(s);
    }
    let streams: Vec<_> = (0..6).map(|_| events(port)).collect();
    for ev in &streams {
        wait_for(ev, "hello", |m| m.contains("\"hello\""));
    }
    let started = Instant::now();
    for _ in 0..20 {
        let (st, head, _) = get(port, "/", &[]);
        assert_eq!(st, 200);
        assert_eq!(header(&head, "connection"), Some("close"));
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "answered while others wait"
    );

    // A malformed request line, an unsupported version, and a head that never ends.
    for (raw, want) in [
        ("GARBAGE\r\n\r\n".to_string(), 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n".to_string(), 400),
        (
            format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(40_000)),
            431,
        ),
    ] {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = s.write_all(raw.as_bytes());
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        assert!(
            out.starts_with(&format!("HTTP/1.1 {want} ")),
            "{want}: {out:.60}"
        );
    }
    drop(idle);
}

#[test]
fn issue_22_an_error_stays_until_its_file_is_fixed_and_recreated_folders_are_watched() {
    let site = support::demo_copy();
    let root = site.path();
    let server = start(root, &[]);
    let port = server.port;
    let ev = events(port);
    wait_for(&ev, "hello", |m| m.contains("\"hello\""));
    let broken = root.join("content/briefs/carbon-border-adjustment.md");
    let other = root.join("content/briefs/heat-resilient-cities/index.md");
    let good = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, good.replacen("title: ", "title: [", 1)).unwrap();
    wait_for(&ev, "the error", |m| m.contains("\"error\""));
    // An unrelated edit that builds on its own does not clear the error.
    let text = std::fs::read_to_string(&other).unwrap();
    let mut body = text.clone();
    body.push_str("\nUNRELATED-EDIT\n");
    std::fs::write(&other, body).unwrap();
    let again = wait_for(&ev, "the error again", |m| {
        m.contains("\"error\"") || m.contains("\"reload\"")
    });
    assert!(again.contains("\"error\""), "{again}");
    assert!(again.contains("carbon-border-adjustment.md"), "{again}");
    let ev2 = events(port);
    wait_for(&ev2, "hello still with the error", |m| {
        m.contains("\"hello\"") && m.contains("carbon-border-adjustment.md")
    });
    // The fix clears it, and both edits are served.
    std::fs::write(
        &broken,
        good.replace("phasing in.", "phasing in. FIXED-AT-LAST."),
    )
    .unwrap();
    wait_for(&ev, "reload after the fix", |m| m.contains("\"reload\""));
    let (_, _, page) = get(port, "/briefs/carbon-border-adjustment/", &[]);
    assert!(String::from_utf8_lossy(&page).contains("FIXED-AT-LAST"));
    let (_, _, page) = get(port, "/briefs/heat-resilient-cities/", &[]);
    assert!(String::from_utf8_lossy(&page).contains("UNRELATED-EDIT"));

    // content/ deleted and created again (a branch switch): edits inside are still seen.
    let saved = tempfile::tempdir().unwrap();
    let copy = saved.path().join("content");
    std::fs::rename(root.join("content"), &copy).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(&copy, root.join("content")).unwrap();
    wait_for(&ev, "rebuild after the switch", |m| {
        m.contains("\"reload\"")
    });
    std::thread::sleep(Duration::from_millis(300));
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    edit(&brief, "FIXED-AT-LAST.", "SEEN-AFTER-THE-SWITCH.");
    wait_for(&ev, "reload after an edit in the new folder", |m| {
        m.contains("\"reload\"") && m.contains("/briefs/carbon-border-adjustment/")
    });
    let (_, _, page) = get(port, "/briefs/carbon-border-adjustment/", &[]);
    assert!(String::from_utf8_lossy(&page).contains("SEEN-AFTER-THE-SWITCH"));
}

#[test]
fn issue_22_a_scheduled_brief_appears_when_its_time_comes() {
    let site = support::demo_copy();
    let root = site.path();
    let due = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() + 5).unwrap();
    std::fs::write(
        root.join("content/briefs/embargoed.md"),
        format!(
            "---\ntitle: Embargoed Until Now\ndate: {}\nauthors: [ingrid-van-der-berg]\n---\nReleased on time.\n",
            due.strftime("%Y-%m-%dT%H:%M:%SZ")
        ),
    )
    .unwrap();
    let server = support::serve::start_at(root, &[], None);
    let port = server.port;
    let (st, _, _) = get(port, "/briefs/embargoed/", &[]);
    assert_eq!(st, 404, "not yet published");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (st, _, body) = get(port, "/briefs/embargoed/", &[]);
        if st == 200 {
            assert!(String::from_utf8_lossy(&body).contains("Released on time."));
            break;
        }
        assert!(Instant::now() < deadline, "never published");
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(
        jiff::Timestamp::now() >= due,
        "published no earlier than its time"
    );
}
