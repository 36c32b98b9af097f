//! The rebuild loop of `dossier serve`: debounce file events, apply them to the
//! [`Session`], publish the new snapshot, tell open pages what changed, and keep the search
//! index in step in the background.
//!
//! Two rules that keep the preview honest (issue 22):
//! - **Errors belong to the site, not to the last rebuild.** The paths of a failed rebuild
//!   are retried with every later change until the site builds again, so an unrelated edit
//!   that succeeds cannot clear the error while a broken file is still broken.
//! - **Scheduled briefs appear on time.** The loop wakes at the next publication time (from
//!   the clock, unless `DOSSIER_NOW` pins it) and rebuilds, with no file change needed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::http::{self, Shared};
use super::session::{self, Files, Session, Update};
use super::watch::Watching;
use crate::diag::{Diagnostics, count};

/// Quiet time after the last file event before rebuilding (one rebuild per save, even when
/// an editor writes a temporary file, renames it and touches the folder).
const QUIET: Duration = Duration::from_millis(30);
/// Longest wait for quiet while events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(1000);
/// Longest sleep before looking at the clock again (a machine may sleep and wake).
const LONGEST_NAP: Duration = Duration::from_secs(3600);

/// What the loop hears about.
pub enum Msg {
    /// Files changed.
    Fs(Vec<PathBuf>),
    /// The search index of a generation is ready.
    Index(u64, anyhow::Result<Vec<(String, Vec<u8>)>>),
    /// Ctrl-C.
    Stop,
}

type IndexJob = (u64, Arc<Files>, Vec<(String, String)>);

/// The loop's state.
pub struct Preview {
    /// The site root.
    pub root: PathBuf,
    /// The live build.
    pub session: Session,
    /// What the server reads.
    pub shared: Arc<Shared>,
    /// The file watcher and what it watches.
    pub watcher: notify::RecommendedWatcher,
    /// The folders watched.
    pub watching: Watching,
    indexer: mpsc::Sender<IndexJob>,
    generation: u64,
    /// Paths of the last failed rebuild: retried with the next change.
    pending: BTreeSet<PathBuf>,
}

impl Preview {
    /// A loop over a session that has had its first build.
    pub fn new(
        root: PathBuf,
        session: Session,
        shared: Arc<Shared>,
        watcher: notify::RecommendedWatcher,
        tx: mpsc::Sender<Msg>,
    ) -> Self {
        let watching = Watching::new(&root);
        let mut p = Preview {
            root,
            session,
            shared,
            watcher,
            watching,
            indexer: spawn_indexer(tx),
            generation: 0,
            pending: BTreeSet::new(),
        };
        for line in p.watching.refresh(&mut p.watcher) {
            eprintln!("{line}");
        }
        p.request_index();
        p
    }

    /// Run until Ctrl-C.
    pub fn run(&mut self, rx: &mpsc::Receiver<Msg>) {
        loop {
            let first = match self.until_next_publication() {
                Some(wait) => match rx.recv_timeout(wait) {
                    Ok(m) => m,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.publish_scheduled();
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                },
                None => match rx.recv() {
                    Ok(m) => m,
                    Err(_) => return,
                },
            };
            let (paths, stop) = self.collect(first, rx);
            if stop {
                println!("\nStopped.");
                return;
            }
            if !paths.is_empty() {
                self.rebuild(paths);
            }
        }
    }

    /// How long until the next scheduled brief is due, when there is one and the clock runs.
    fn until_next_publication(&self) -> Option<Duration> {
        if std::env::var_os("DOSSIER_NOW").is_some() {
            return None; // a pinned clock never reaches it
        }
        let next = self.session.next_publication()?;
        let wait = next.duration_since(jiff::Timestamp::now());
        let wait = Duration::try_from(wait).unwrap_or(Duration::ZERO);
        Some((wait + Duration::from_millis(200)).min(LONGEST_NAP))
    }

    /// Rebuild now that the clock has passed a publication time.
    fn publish_scheduled(&mut self) {
        let due = self.session.next_publication();
        if due.is_some_and(|t| t > jiff::Timestamp::now()) {
            return; // woke early (a long wait is cut into naps)
        }
        let paths: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let result = if paths.is_empty() {
            self.session.full()
        } else {
            self.session.update(&paths)
        };
        self.apply(result, "a scheduled brief is due");
    }

    /// Handle `first` and whatever follows within the quiet time: the site paths that
    /// changed, and whether to stop.
    fn collect(&mut self, first: Msg, rx: &mpsc::Receiver<Msg>) -> (BTreeSet<PathBuf>, bool) {
        let mut paths = BTreeSet::new();
        let mut stop = self.handle(first, &mut paths);
        if !paths.is_empty() {
            let began = Instant::now();
            let mut last = Instant::now();
            while last.elapsed() < QUIET && began.elapsed() < MAX_WAIT {
                match rx.recv_timeout(QUIET.saturating_sub(last.elapsed())) {
                    Ok(m) => {
                        let before = paths.len();
                        stop |= self.handle(m, &mut paths);
                        if paths.len() != before {
                            last = Instant::now();
                        }
                    }
                    Err(_) => break,
                }
            }
        }
        (paths, stop)
    }

    /// One message; true for Stop.
    fn handle(&mut self, m: Msg, paths: &mut BTreeSet<PathBuf>) -> bool {
        match m {
            Msg::Fs(ps) => {
                for p in ps {
                    let rel = p.strip_prefix(&self.root).unwrap_or(&p).to_path_buf();
                    if session::watched(&rel) {
                        paths.insert(p);
                    }
                }
            }
            Msg::Index(g, r) if g == self.generation => match r {
                Ok(files) => {
                    self.session.set_search_index(files);
                    self.shared.publish(self.session.files());
                }
                Err(e) => eprintln!(
                    "warning: search index not updated: {}",
                    crate::diag::anyhow_chain(&e)
                ),
            },
            Msg::Index(..) => {}
            Msg::Stop => return true,
        }
        false
    }

    /// Apply changed paths (with those of a failed rebuild before).
    fn rebuild(&mut self, paths: BTreeSet<PathBuf>) {
        // A folder created or recreated since (templates/, content/ after a branch switch).
        for line in self.watching.refresh(&mut self.watcher) {
            eprintln!("{line}");
        }
        let names = shown(&self.root, &paths.iter().cloned().collect::<Vec<_>>());
        let mut all = paths;
        all.extend(self.pending.iter().cloned());
        let changed: Vec<PathBuf> = all.iter().cloned().collect();
        let result = self.session.update(&changed);
        if result.is_err() {
            self.pending = all;
        }
        self.apply(result, &names);
    }

    /// Publish a rebuild's result, or show its errors.
    fn apply(&mut self, result: Result<Update, Diagnostics>, what: &str) {
        let was_error = self.shared.error.read().expect("lock").is_some();
        match result {
            Ok(u) if u.changed.is_empty() && u.rendered == 0 && !was_error => {}
            Ok(u) => {
                self.pending.clear();
                self.shared
                    .publish_changes(self.session.files(), &u.changed);
                *self.shared.error.write().expect("lock") = None;
                print_warnings(&u.warnings);
                summary(&u, what);
                if !u.changed.is_empty() || was_error {
                    self.shared.broadcast(&http::reload_event(&u.changed));
                }
                self.generation += 1;
                if u.changed.iter().any(|p| p.ends_with(".html")) {
                    self.request_index();
                }
            }
            Err(d) => report_error(&self.shared, &d),
        }
    }

    fn request_index(&self) {
        let pages = self.session.search_pages();
        if !pages.is_empty() {
            let _ = self
                .indexer
                .send((self.generation, self.session.files(), pages));
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

/// Print warnings.
pub fn print_warnings(d: &Diagnostics) {
    for w in d.iter() {
        eprintln!("{w}");
    }
}

/// Print a failed build's errors and show them on open pages; the last good version stays
/// served.
pub fn report_error(shared: &Shared, d: &Diagnostics) {
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
