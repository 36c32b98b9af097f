//! `dossier check` (issue 6): every problem an editor must fix, grouped by file with lines.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;

fn problem_site() -> TestSite {
    TestSite::new(&[
        (
            "content/authors/known.md",
            "---\nname: Known Author\nphoto: /img/missing.jpg\n---\nBio.\n",
        ),
        (
            "content/briefs/a/index.md",
            "---\ntitle: Same Title\ndate: 2024-01-02\nauthors: [known, Unknown Person]\ntopics: [U.S. Foreign Policy]\nimage: hero.png\nsummary: Has one.\n---\nIntro with a [broken link](../nowhere/) and ![chart](chart.png).\n\nA [site path](/reports/x.pdf) and a [bad anchor](#nope).\n\nText[^1] and [^ghost].\n\n[^1]: Used.\n[^unused]: Never referenced.\n",
        ),
        (
            "content/briefs/b.md",
            "---\ntitle: Same title\ndate: 2024-01-01\ntopics: [US foreign policy]\n---\n## Real heading\n",
        ),
    ])
}

#[test]
fn issue_6_check_reports_every_problem_grouped_by_file() {
    let s = problem_site();
    let run = s.run(&["check"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let out = &run.stdout;
    let section = |file: &str| -> String {
        let start = out
            .find(&format!("\n{file}\n"))
            .unwrap_or_else(|| panic!("no section for {file}:\n{out}"));
        let rest = &out[start + file.len() + 2..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
    };
    let a = section("content/briefs/a/index.md");
    for expected in [
        "9:1      error    broken link `../nowhere/`",
        "9:1      error    broken image `chart.png`",
        "11:1     error    broken link `/reports/x.pdf`",
        "11:1     error    broken link `#nope`: no element with id `nope`",
        "6:8      error    hero `image` \"hero.png\" is missing",
        "warning  author \"Unknown Person\" has no profile",
        "warning  the hero `image` has no `image_alt`",
        "13:1     warning  footnote reference `[^ghost]` has no definition",
        "16:1     warning  footnote `[^unused]` is defined but never referenced",
        "warning  the same title as content/briefs/b.md",
        "warning  topics \"U.S. Foreign Policy\" and \"US foreign policy\" differ only in case or punctuation",
    ] {
        assert!(a.contains(expected), "missing {expected:?} in:\n{out}");
    }
    let b = section("content/briefs/b.md");
    assert!(b.contains("warning  no `summary`"), "{b}");
    let known = section("content/authors/known.md");
    assert!(
        known.contains(
            "3:8      error    `photo` is missing: nothing is published at /img/missing.jpg"
        ),
        "{known}"
    );
    assert!(
        !out.contains("on /authors/"),
        "the photo is reported once, at its key:\n{out}"
    );
    assert!(out.contains("Checked "), "{out}");
    assert!(!s.path("public").exists(), "check writes nothing");
}

#[test]
fn issue_6_warnings_exit_zero_unless_strict() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: T\ndate: 2024-01-01\n---\nNo summary.\n",
    )]);
    let run = s.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 errors, 1 warning"), "{}", run.stdout);
    assert_eq!(s.run(&["check", "--strict"]).code, 1);
    assert!(!s.path("public").exists());
}

#[test]
fn issue_6_check_reports_build_errors_too() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: T\ndate: 2024-02-30\n---\n",
    )]);
    let run = s.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("content/briefs/a.md\n  3:7      error    invalid `date`"),
        "{}",
        run.stdout
    );
}

/// A loopback HTTP server with scripted answers; records the most requests in flight at once.
fn link_server() -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_seen = Arc::new(AtomicUsize::new(0));
    let log = Arc::new(Mutex::new(Vec::new()));
    let busy_hits = Arc::new(AtomicUsize::new(0));
    let (mx, lg) = (max_seen.clone(), log.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            let (in_flight, max_seen, log, busy_hits) =
                (in_flight.clone(), mx.clone(), lg.clone(), busy_hits.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap_or(0);
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .to_string();
                log.lock().unwrap().push(request_line.trim().to_string());
                if path.starts_with("/slow") {
                    // The client gives up after its timeout and moves on: this request must not
                    // count as in flight once abandoned, so it is not counted at all.
                    std::thread::sleep(Duration::from_secs(4));
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    return;
                }
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                max_seen.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(100));
                let (status, extra) = match path.as_str() {
                    p if p.starts_with("/ok") => ("200 OK", ""),
                    "/gone" => ("404 Not Found", ""),
                    "/busy" if busy_hits.fetch_add(1, Ordering::SeqCst) == 0 => {
                        ("429 Too Many Requests", "Retry-After: 1\r\n")
                    }
                    "/busy" => ("200 OK", ""),
                    "/down" => ("503 Service Unavailable", "Retry-After: 0\r\n"),
                    "/loop" => ("302 Found", "Location: /loop-back\r\n"),
                    "/loop-back" => ("302 Found", "Location: /loop\r\n"),
                    _ => ("404 Not Found", ""),
                };
                in_flight.fetch_sub(1, Ordering::SeqCst);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    (base, max_seen, log)
}

#[test]
fn issue_6_external_links_checked_concurrently_with_limits_and_retries() {
    let (base, max_seen, log) = link_server();
    let body = format!(
        "[a]({base}/ok1) [b]({base}/ok2) [c]({base}/ok3) [d]({base}/ok4)\n\n[gone]({base}/gone)\n\n[busy]({base}/busy)\n\n[down]({base}/down)\n\n[slow]({base}/slow)\n"
    );
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief("title: T\ndate: 2024-01-01\nsummary: S.", &body),
    )]);
    let run = s.run(&["check", "--external", "--per-host", "2", "--timeout", "1"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains(&format!(
            "8:1      error    external link {base}/gone answers HTTP 404"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("external link {base}/down answers HTTP 503")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "warning  external link {base}/slow could not be reached"
        )),
        "{out}"
    );
    assert!(
        !out.contains(&format!("{base}/busy")),
        "429 then 200 after a retry is fine:\n{out}"
    );
    assert!(!out.contains("/ok1"), "{out}");
    assert!(
        out.contains("External links: 8 checked on 1 host: 5 ok, 2 broken, 1 unreachable."),
        "{out}"
    );
    let requests = log.lock().unwrap().clone();
    assert_eq!(
        requests.iter().filter(|r| r.contains("/busy")).count(),
        2,
        "one retry after 429: {requests:?}"
    );
    assert_eq!(
        requests.iter().filter(|r| r.contains("/down")).count(),
        3,
        "two retries after 503: {requests:?}"
    );
    let max = max_seen.load(Ordering::SeqCst);
    assert!(
        max <= 2,
        "at most 2 requests in flight to one host, saw {max}"
    );
    assert!(max >= 2, "requests ran concurrently, saw {max}");
}

#[test]
fn issue_22_redirect_loops_are_errors_and_a_deadline_bounds_the_whole_check() {
    let (base, _, _) = link_server();
    let body = format!(
        "[loop]({base}/loop)\n\n[s1]({base}/slow?1) [s2]({base}/slow?2) [s3]({base}/slow?3) [s4]({base}/slow?4)\n"
    );
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief("title: T\ndate: 2024-01-01\nsummary: S.", &body),
    )]);
    let started = std::time::Instant::now();
    let run = s.run(&[
        "check",
        "--external",
        "--per-host",
        "1",
        "--timeout",
        "10",
        // Long enough for the redirect loop (ten hops) on a loaded machine; the slow links
        // (4 s each, one at a time) still run past it.
        "--deadline",
        "5",
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "error    external link {base}/loop redirects in a loop"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("not checked before the deadline"),
        "{}",
        run.stdout
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "the deadline bounds the check: {:?}",
        started.elapsed()
    );
}
