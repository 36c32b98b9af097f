//! The preview server at its edges (issue 22): HTTP a browser expects (keep-alive, Range,
//! ETag, gzip, redirects that stay on the host), and bounded work under abuse: slow heads,
//! thousands of connections, a low file-descriptor limit, slow readers of a large file.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::serve::{get, header, start};

/// A small site with a static file of `len` bytes at /files/big.bin.
fn site_with_file(len: usize) -> support::TestSite {
    let s = support::TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\nBody of the brief, long enough to be worth compressing. Body of the brief, long enough to be worth compressing.\n",
    )]);
    let mut f = std::fs::File::create({
        std::fs::create_dir_all(s.path("static/files")).unwrap();
        s.path("static/files/big.bin")
    })
    .unwrap();
    let block: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        f.write_all(&block[..n]).unwrap();
        left -= n;
    }
    s
}

fn raw(port: u16, request: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

#[test]
fn issue_22_redirects_range_etag_gzip_keep_alive_and_head() {
    let site = site_with_file(300_000);
    let server = start(site.root(), &[]);
    let port = server.port;
    // A folder without its slash redirects on this host, never to `//briefs/` (another host).
    for target in ["/briefs", "//briefs"] {
        let (st, head, _) = get(port, target, &[]);
        assert_eq!(st, 301, "{target}");
        assert_eq!(header(&head, "location"), Some("/briefs/"), "{target}");
    }
    // Range: one range gets 206 and exactly those bytes; a range past the end gets 416.
    let (st, head, body) = get(port, "/files/big.bin", &[("Range", "bytes=1000-1999")]);
    assert_eq!(st, 206);
    assert_eq!(
        header(&head, "content-range"),
        Some("bytes 1000-1999/300000")
    );
    let want: Vec<u8> = (1000..2000).map(|i| (i % 256) as u8).collect();
    assert_eq!(body, want);
    let (st, head, _) = get(port, "/files/big.bin", &[("Range", "bytes=400000-")]);
    assert_eq!(st, 416);
    assert_eq!(header(&head, "content-range"), Some("bytes */300000"));
    // ETag and If-None-Match: 304 without a body, for pages and files.
    for path in ["/briefs/a/", "/files/big.bin"] {
        let (st, head, _) = get(port, path, &[]);
        assert_eq!(st, 200);
        let etag = header(&head, "etag").expect("an ETag").to_string();
        let (st, _, body) = get(port, path, &[("If-None-Match", &etag)]);
        assert_eq!(st, 304, "{path}");
        assert!(body.is_empty());
    }
    // gzip for text when asked for, and the body decompresses to the page.
    let (_, _, plain_body) = get(port, "/briefs/a/", &[]);
    let (st, head, gz) = get(port, "/briefs/a/", &[("Accept-Encoding", "gzip")]);
    assert_eq!(st, 200);
    assert_eq!(header(&head, "content-encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain_body);
    // Keep-alive: two requests on one connection.
    let two = raw(
        port,
        &format!(
            "GET /briefs/a/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\nGET /style.css HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(
        String::from_utf8_lossy(&two)
            .matches("HTTP/1.1 200 OK")
            .count(),
        2
    );
    // HEAD: the length, no body.
    let head_only = raw(
        port,
        &format!(
            "HEAD /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    let text = String::from_utf8_lossy(&head_only);
    assert!(text.contains("content-length: 300000"), "{text}");
    assert!(text.ends_with("\r\n\r\n"), "no body after the head");
    // A request ended with bare LFs is answered at once.
    let started = Instant::now();
    let lf = raw(
        port,
        &format!("GET / HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n\n"),
    );
    assert!(String::from_utf8_lossy(&lf).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// Raise this process's soft limit of open files to `want` (or the hard limit); children
/// inherit it.
#[cfg(target_os = "linux")]
fn raise_open_files(want: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time of a process so far, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
}

#[cfg(target_os = "linux")]
#[test]
fn issue_22_slow_readers_of_a_200_mb_file_do_not_fill_memory() {
    let site = site_with_file(200 << 20);
    let server = start(site.root(), &[]);
    let port = server.port;
    let pid = server.child.id();
    let before = rss_kib(pid);
    // Ten clients ask for the file and read a little of it, then stop reading.
    let mut clients = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(
            format!("GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
        )
        .unwrap();
        let mut buf = vec![0u8; 256 * 1024];
        s.read_exact(&mut buf).unwrap();
        clients.push(s);
    }
    std::thread::sleep(Duration::from_secs(2));
    let during = rss_kib(pid);
    assert!(
        during < before + 100 * 1024,
        "RSS grew from {before} KiB to {during} KiB with 10 slow readers"
    );
    // Everyone else is still answered.
    let (st, _, _) = get(port, "/briefs/a/", &[]);
    assert_eq!(st, 200);
    drop(clients);
}

#[cfg(target_os = "linux")]
#[test]
fn issue_22_two_thousand_slow_heads_do_not_shut_out_other_requests() {
    raise_open_files(8192); // for this test's 2,000 sockets and the server it starts
    let site = site_with_file(10);
    let server = start(site.root(), &[]);
    let port = server.port;
    let mut slow = Vec::new();
    for _ in 0..2000 {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(mut s) => {
                let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0");
                slow.push(s);
            }
            Err(e) => panic!("connection {} refused: {e}", slow.len()),
        }
    }
    let started = Instant::now();
    for _ in 0..20 {
        let (st, _, _) = get(port, "/", &[]);
        assert_eq!(st, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered in {:?} beside 2,000 slow heads",
        started.elapsed()
    );
    // A client that trickles its head a byte at a time is cut off after the head timeout.
    let mut trickle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    trickle
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let started = Instant::now();
    let mut closed = false;
    for b in b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        .iter()
        .cycle()
    {
        if trickle.write_all(&[*b]).is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 64];
        match trickle.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => {
                closed = true; // a 408 or similar answer, then close
                break;
            }
            Err(_) => {}
        }
        if started.elapsed() > Duration::from_secs(25) {
            break;
        }
    }
    assert!(closed, "a trickling head is cut off");
    assert!(started.elapsed() < Duration::from_secs(20));
    drop(slow);
}

#[cfg(target_os = "linux")]
#[test]
fn issue_22_running_out_of_file_descriptors_does_not_kill_the_port_or_spin() {
    let site = site_with_file(10);
    // The preview under a limit of 64 open files, as a shell would start it.
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec {} serve --port 0 --root {}",
            support::bin(),
            site.root().display()
        ))
        .env("DOSSIER_NOW", "2026-11-25T12:00:00Z")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(out));
    let port: u16 = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let pid = child.id();
    // More connections than the process may open files: accepts fail for a while.
    let hogs: Vec<TcpStream> = (0..120)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    let t0 = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let spent = cpu_ticks(pid) - t0;
    assert!(
        spent < 50,
        "{spent} ticks of CPU in 2 s: the accept loop spins"
    );
    drop(hogs);
    // Once they are gone, the preview answers again.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ok = std::panic::catch_unwind(|| get(port, "/", &[]).0 == 200).unwrap_or(false);
        if ok {
            break;
        }
        assert!(Instant::now() < deadline, "the port never answered again");
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn issue_22_a_brief_swapped_for_a_link_outside_the_site_is_not_served() {
    let site = support::demo_copy();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: SECRET OUTSIDE\ndate: 2024-01-01\n---\nSECRET BODY\n",
    )
    .unwrap();
    let mut s = dossier::serve::session::Session::new({
        let mut o = dossier::BuildOptions::new(root);
        o.base_url = Some("http://127.0.0.1:1111/".into());
        o.now = Some("2026-11-25T12:00:00Z".parse().unwrap());
        o
    });
    s.full().unwrap();
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    std::fs::remove_file(&brief).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.md"), &brief).unwrap();
    let u = s.update(std::slice::from_ref(&brief)).unwrap();
    assert!(
        u.warnings
            .iter()
            .any(|w| w.message.contains("symbolic link not followed")),
        "{:?}",
        u.warnings
    );
    let files = s.files();
    for (path, f) in files.iter() {
        if let dossier::serve::session::Served::Bytes(b) = f {
            assert!(
                !String::from_utf8_lossy(b).contains("SECRET"),
                "{path} shows the linked file"
            );
        }
    }
    assert!(!Path::new(&root.join("public")).exists());
}
