//! `dossier deploy` of 20,000 files (issue 29) against moto behind a counting proxy: the
//! requested number of uploads are in flight at once, memory stays flat (the files are
//! streamed from disk, not held), and a second deploy sends nothing. Its own test binary, so
//! the deploy's peak memory is measured alone (`wait4`'s resource usage of that one child).

use crate::support;

use std::sync::atomic::Ordering;

use crate::support::s3::{Store, append, moto, proxy};

const FILES: usize = 20_000;
const SIZE: usize = 8 * 1024;

/// Run `dossier deploy` with the test keys; returns (exit code, stdout, stderr, peak RSS in KB).
/// The child is reaped by `wait4`, which std's `Child` cannot do while reporting its usage.
#[allow(clippy::zombie_processes)]
fn deploy_measured(root: &std::path::Path, args: &[&str]) -> (i32, String, String, i64) {
    use std::os::unix::process::ExitStatusExt as _;
    let child = std::process::Command::new(support::bin())
        .arg("deploy")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("HOME", root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (mut out, mut err) = (child.stdout.unwrap(), child.stderr.unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut out, &mut stdout).unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data, and pid is our own child, waited for once.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = std::process::ExitStatus::from_raw(status)
        .code()
        .unwrap_or(-1);
    (code, stdout, reader.join().unwrap(), usage.ru_maxrss)
}

#[test]
fn twenty_thousand_files_go_up_ten_at_a_time_in_flat_memory() {
    let Some(m) = moto() else { return };
    let store = Store::new(m.port, "scale-site");
    let px = proxy(m.port);
    let site = support::TestSite::new(&[]);
    let root = site.dir.path();
    append(
        &root.join("site.toml"),
        &format!(
            "\n[deploy.targets.live]\ntype = \"s3\"\nbucket = \"scale-site\"\nendpoint = \"http://127.0.0.1:{}\"\nregion = \"us-east-1\"\n",
            px.port
        ),
    );
    // An output folder of 20,000 files, 160 MB in all.
    let out = root.join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(".dossier-output"), "").unwrap();
    for i in 0..FILES {
        let dir = out.join(format!("briefs/{:03}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let mut body = format!("<!doctype html><title>{i}</title>").into_bytes();
        body.resize(SIZE, b' ');
        std::fs::write(dir.join(format!("{i}.html")), body).unwrap();
    }
    let (code, stdout, stderr, rss_kb) = deploy_measured(root, &["--no-build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("{FILES} new")),
        "{}",
        &stdout[..300.min(stdout.len())]
    );
    assert_eq!(
        store.list().len(),
        FILES + 1,
        "every file and the deploy state"
    );
    let most = px.stats.most.load(Ordering::SeqCst);
    assert_eq!(
        most, 10,
        "--workers' default: 10 requests in flight at once"
    );
    // Nothing changed: nothing sent but the state; --workers 3 caps the requests in flight.
    px.stats.reset();
    let (code, stdout, stderr, idle_kb) = deploy_measured(root, &["--no-build", "--workers", "3"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(" 0 new, 0 changed, 0 to delete"),
        "{stdout}"
    );
    assert_eq!(px.stats.count("PUT", "/"), 1);
    assert!(px.stats.most.load(Ordering::SeqCst) <= 3);
    // Sending 156 MB costs little more memory than a deploy that sends nothing but holds the
    // same listing, hashes and plan: the files are streamed, not held.
    let total_mb = (FILES * SIZE) >> 20;
    let (sent_mb, idle_mb) = (rss_kb >> 10, idle_kb >> 10);
    eprintln!(
        "deploy of {FILES} files ({total_mb} MB): peak RSS {sent_mb} MB; sending nothing: {idle_mb} MB"
    );
    assert!(
        sent_mb < idle_mb + 40,
        "peak RSS {sent_mb} MB sending {total_mb} MB vs {idle_mb} MB sending nothing: bodies are held in memory"
    );
}
