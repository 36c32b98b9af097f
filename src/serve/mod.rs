//! `dossier serve`: a local preview with incremental rebuilds and live reload (issue 5).
//!
//! Three threads of work: the HTTP acceptor ([`http`], one short-lived thread per connection
//! and one per open event stream), the file watcher (notify), and the rebuild loop here, which
//! debounces file events, applies them to the [`session::Session`], publishes the new
//! snapshot and tells open pages what changed. A search index, when the site has one, is
//! rebuilt on a background thread after each change and swapped in when ready.
//!
//! Nothing is written to disk: the site is served from memory.

pub mod http;
pub mod session;

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify::Watcher as _;

use crate::cli::ServeOptions;
use crate::diag::{Diagnostics, count};
use session::{Files, Session, Update};

/// Default port.
pub const DEFAULT_PORT: u16 = 1111;
/// Quiet time after the last file event before rebuilding (one rebuild per save, even when
/// an editor writes a temporary file, renames it and touches the folder).
const QUIET: Duration = Duration::from_millis(30);
/// Longest wait for quiet while events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(1000);

enum Msg {
    Fs(Vec<PathBuf>),
    Index(u64, anyhow::Result<Vec<(String, Vec<u8>)>>),
    Stop,
}

/// Run the preview until Ctrl-C. Errors are for the terminal.
pub fn run(args: &ServeOptions) -> anyhow::Result<()> {
    let given = &args.build.root;
    let root = given
        .canonicalize()
        .with_context(|| format!("cannot open the site root {}", given.display()))?;
    if args.build.config.files.is_empty() && !root.join("site.toml").is_file() {
        anyhow::bail!(
            "{}: no site.toml here: run `dossier serve` in a site folder or pass --root DIR (or create a site with `dossier init DIR`)",
            root.display()
        );
    }
    let (server, port) = bind(args.bind, args.port)?;
    let loopback = args.bind.is_loopback();
    let shown_host = if loopback {
        match args.bind {
            IpAddr::V6(_) => "[::1]".to_string(),
            IpAddr::V4(a) => a.to_string(),
        }
    } else {
        "127.0.0.1".to_string()
    };
    let url = format!("http://{shown_host}:{port}/");
    let mut hosts = http::loopback_hosts(port);
    if loopback {
        hosts.push(format!("{shown_host}:{port}"));
    } else {
        hosts.clear(); // reachable under any name the network gives it
    }
    let shared = Arc::new(http::Shared::new(&root, hosts));
    let mut opts = args.build.clone();
    opts.root = root.clone();
    opts.output = None;
    opts.base_url = Some(url.clone());
    let mut session = Session::new(opts);
    let (tx, rx) = mpsc::channel::<Msg>();

    // Initial build.
    let start = Instant::now();
    match session.full() {
        Ok(u) => {
            print_warnings(&u.warnings);
            shared.publish(session.files());
            println!(
                "Built {} in {} ms.",
                count(u.rendered, "page", "pages"),
                start.elapsed().as_millis()
            );
        }
        Err(d) => report_error(&shared, &d),
    }
    let indexer = spawn_indexer(tx.clone());
    let mut generation = 0u64;
    request_index(&session, &indexer, generation);

    // HTTP: a thread per connection, one request per connection (see `http::handle`).
    {
        let shared = shared.clone();
        std::thread::spawn(move || {
            for stream in server.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || http::handle(shared, stream));
            }
        });
    }

    // Watching.
    let fs_tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            let _ = fs_tx.send(Msg::Fs(ev.paths));
        }
    })
    .context("cannot watch files")?;
    let mut watching = BTreeSet::new();
    watch_dirs(&mut watcher, &root, &mut watching)?;

    let stop_tx = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(Msg::Stop);
    })
    .context("cannot handle Ctrl-C")?;

    if !loopback {
        eprintln!(
            "warning: listening on {}: the preview (drafts included, if --drafts) is reachable from the network",
            args.bind
        );
    }
    println!(
        "Serving {} at {url}\nWatching site.toml, content/, templates/, static/ and themes/ for changes. Press Ctrl-C to stop.",
        root.display()
    );
    if args.open {
        open_browser(&url);
    }

    loop {
        let first = match rx.recv() {
            Ok(m) => m,
            Err(_) => return Ok(()),
        };
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        let mut stop = false;
        let mut handle_msg = |m: Msg, paths: &mut BTreeSet<PathBuf>, session: &mut Session| match m
        {
            Msg::Fs(ps) => {
                for p in ps {
                    let rel = p.strip_prefix(&root).unwrap_or(&p).to_path_buf();
                    if session::watched(&rel) {
                        paths.insert(p);
                    }
                }
            }
            Msg::Index(g, r) => {
                if g == generation {
                    match r {
                        Ok(files) => {
                            session.set_search_index(files);
                            shared.publish(session.files());
                        }
                        Err(e) => eprintln!(
                            "warning: search index not updated: {}",
                            crate::diag::anyhow_chain(&e)
                        ),
                    }
                }
            }
            Msg::Stop => stop = true,
        };
        handle_msg(first, &mut paths, &mut session);
        if !paths.is_empty() {
            let began = Instant::now();
            let mut last = Instant::now();
            while last.elapsed() < QUIET && began.elapsed() < MAX_WAIT {
                match rx.recv_timeout(QUIET.saturating_sub(last.elapsed())) {
                    Ok(m) => {
                        let before = paths.len();
                        handle_msg(m, &mut paths, &mut session);
                        if paths.len() != before {
                            last = Instant::now();
                        }
                    }
                    Err(_) => break,
                }
            }
        }
        if stop {
            println!("\nStopped.");
            return Ok(());
        }
        if paths.is_empty() {
            continue;
        }
        // A folder created after start (templates/, static/) gets watched too.
        let _ = watch_dirs(&mut watcher, &root, &mut watching);
        let changed: Vec<PathBuf> = paths.into_iter().collect();
        let names = shown(&root, &changed);
        let was_error = shared.error.read().expect("lock").is_some();
        match session.update(&changed) {
            Ok(u) if u.changed.is_empty() && u.rendered == 0 && !was_error => {}
            Ok(u) => {
                shared.publish_changes(session.files(), &u.changed);
                *shared.error.write().expect("lock") = None;
                print_warnings(&u.warnings);
                summary(&u, &names);
                if !u.changed.is_empty() || was_error {
                    shared.broadcast(&http::reload_event(&u.changed));
                }
                generation += 1;
                if u.changed.iter().any(|p| p.ends_with(".html")) {
                    request_index(&session, &indexer, generation);
                }
            }
            Err(d) => report_error(&shared, &d),
        }
    }
}

fn summary(u: &Update, names: &str) {
    let what = match u.kind {
        session::Kind::Briefs => format!("{} rendered", count(u.rendered, "page", "pages")),
        session::Kind::Static => "static files".to_string(),
        session::Kind::Full => format!("full rebuild of {}", count(u.rendered, "page", "pages")),
    };
    println!(
        "Rebuilt in {} ms ({what}; {} changed): {names}",
        u.elapsed.as_millis(),
        count(u.changed.len(), "file", "files")
    );
}

fn shown(root: &Path, paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    if paths.len() > 3 {
        names.push(format!("and {} more", paths.len() - 3));
    }
    names.join(", ")
}

fn print_warnings(d: &Diagnostics) {
    for w in d.iter() {
        eprintln!("{w}");
    }
}

fn report_error(shared: &http::Shared, d: &Diagnostics) {
    for x in d.iter() {
        eprintln!("{x}");
    }
    let n = d.error_count();
    let serving = if shared.files.read().expect("lock").is_empty() {
        "The preview shows this error until the site builds"
    } else {
        "Still serving the last good version"
    };
    eprintln!(
        "Build failed: {}. {serving}; fix the file and save.",
        count(n, "error", "errors")
    );
    let text = d
        .iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    // The state first, then the event: a page connecting in between learns it from `hello`.
    *shared.error.write().expect("lock") = Some(text.clone());
    shared.broadcast(&serde_json::json!({"type": "error", "message": text}).to_string());
}

fn bind(ip: IpAddr, port: Option<u16>) -> anyhow::Result<(std::net::TcpListener, u16)> {
    let ports: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + 100).collect(),
    };
    let mut last = String::new();
    for p in ports {
        match std::net::TcpListener::bind((ip, p)) {
            Ok(l) => {
                let actual = l.local_addr().map(|a| a.port()).unwrap_or(p);
                return Ok((l, actual));
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(anyhow::anyhow!(match port {
        Some(p) => format!(
            "cannot listen on {ip}:{p}: {last} (choose another with --port, or --port 0 for any free port)"
        ),
        None => format!(
            "cannot listen on {ip}, ports {DEFAULT_PORT}–{}: {last}",
            DEFAULT_PORT + 99
        ),
    }))
}

fn watch_dirs(
    w: &mut notify::RecommendedWatcher,
    root: &Path,
    watching: &mut BTreeSet<PathBuf>,
) -> anyhow::Result<()> {
    if watching.insert(root.to_path_buf()) {
        w.watch(root, notify::RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
    }
    for d in ["content", "templates", "static", "themes"] {
        let p = root.join(d);
        if p.is_dir() && !watching.contains(&p) {
            w.watch(&p, notify::RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", p.display()))?;
            watching.insert(p);
        }
    }
    Ok(())
}

type IndexJob = (u64, Arc<Files>, Vec<(String, String)>);

/// The search indexer: takes the newest request, builds the index, reports back.
fn spawn_indexer(tx: mpsc::Sender<Msg>) -> mpsc::Sender<IndexJob> {
    let (jtx, jrx) = mpsc::channel::<IndexJob>();
    std::thread::spawn(move || {
        while let Ok(mut job) = jrx.recv() {
            while let Ok(newer) = jrx.try_recv() {
                job = newer;
            }
            let (generation, files, pages) = job;
            let pages = pages
                .into_iter()
                .filter_map(|(url, file)| match files.get(&file) {
                    Some(session::Served::Bytes(b)) => Some(crate::search::SearchPage {
                        url,
                        html: String::from_utf8_lossy(b).into_owned(),
                    }),
                    _ => None,
                })
                .collect();
            let r = crate::search::build_index(pages);
            if tx.send(Msg::Index(generation, r)).is_err() {
                return;
            }
        }
    });
    jtx
}

fn request_index(session: &Session, indexer: &mpsc::Sender<IndexJob>, generation: u64) {
    let pages = session.search_pages();
    if !pages.is_empty() {
        let _ = indexer.send((generation, session.files(), pages));
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({cmd}: {e}); open {url} yourself");
    }
}
