//! `dossier serve`: a local preview with incremental rebuilds and live reload (issues 5, 22).
//!
//! Three kinds of work: the HTTP server ([`server`], hyper on its own tokio runtime, answering
//! from [`http`]'s view of the in-memory site), the file watcher (notify, kept in step with
//! the disk by [`watch`]), and the rebuild loop ([`preview`]), which debounces file events,
//! applies them to the [`session::Session`], publishes the new snapshot and tells open pages
//! what changed. A search index, when the site has one, is rebuilt on a background thread
//! after each change and swapped in when ready.
//!
//! Nothing is written to disk: the site is served from memory.

pub mod http;
pub mod preview;
pub mod server;
pub mod session;
pub mod watch;

use std::net::IpAddr;
use std::sync::{Arc, mpsc};
use std::time::Instant;

use anyhow::Context as _;

use crate::cli::ServeOptions;
use crate::diag::count;
use preview::{Msg, Preview, print_warnings, report_error};
use session::Session;

/// Default port.
pub const DEFAULT_PORT: u16 = 1111;

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
    let (listener, port) = bind(args.bind, args.port)?;
    let loopback = args.bind.is_loopback();
    let shown_host = match (loopback, args.bind) {
        (true, IpAddr::V6(_)) => "[::1]".to_string(),
        (true, IpAddr::V4(a)) => a.to_string(),
        (false, _) => "127.0.0.1".to_string(),
    };
    let url = format!("http://{shown_host}:{port}/");
    let mut hosts = http::loopback_hosts(port);
    if loopback {
        hosts.push(format!("{shown_host}:{port}"));
    } else {
        hosts.clear(); // reachable under any name the network gives it
    }
    let shared = Arc::new(http::Shared::new(hosts));
    let mut opts = args.build.clone();
    opts.root = root.clone();
    opts.output = None;
    opts.base_url = Some(url.clone());
    let mut session = Session::new(opts);
    let (tx, rx) = mpsc::channel::<Msg>();

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
    server::spawn(listener, shared.clone()).context("cannot start the preview's server")?;
    let fs_tx = tx.clone();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            let _ = fs_tx.send(Msg::Fs(ev.paths));
        }
    })
    .context("cannot watch files")?;
    let mut preview = Preview::new(root.clone(), session, shared, watcher, tx.clone());
    let stop_tx = tx;
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
    let folders: Vec<String> = crate::fsx::SOURCE_FOLDERS
        .iter()
        .map(|f| format!("{f}/"))
        .collect();
    println!(
        "Serving {} at {url}\nWatching the settings, {} for changes. Press Ctrl-C to stop.",
        root.display(),
        folders.join(", ")
    );
    if args.open {
        open_browser(&url);
    }
    preview.run(&rx);
    Ok(())
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
