//! Issue 25: rebuilding a site rewrites only the output files whose bytes changed; the others
//! keep their modification time (so rsync and folder deploys see real changes only), and no
//! link planted in the previous output is followed or carried over.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::support::{TestSite, brief};

const LONG_AGO: Duration = Duration::from_secs(978_307_200); // 2001-01-01

fn site() -> TestSite {
    TestSite::new(&[
        (
            "content/briefs/water.md",
            &brief(
                "title: Water\ndate: 2026-01-05\ntopics: [Water]",
                "Rivers cross borders.",
            ),
        ),
        (
            "content/briefs/grain.md",
            &brief(
                "title: Grain\ndate: 2026-01-06\ntopics: [Food]",
                "Stocks fell.",
            ),
        ),
        ("static/data/table.csv", "year,tonnes\n2025,10\n"),
    ])
}

/// Every output file but dossier's bookkeeping (its marker, the variants folder's listing
/// memo), with its modification time set long ago.
fn age_all(out: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(out).unwrap().to_string_lossy();
        if !e.file_type().is_file() || dossier::output::is_bookkeeping(&rel) {
            continue;
        }
        let f = std::fs::File::options().write(true).open(e.path()).unwrap();
        f.set_modified(SystemTime::UNIX_EPOCH + LONG_AGO).unwrap();
        files.push(e.path().strip_prefix(out).unwrap().display().to_string());
    }
    files.sort();
    files
}

fn is_old(out: &Path, rel: &str) -> bool {
    let m = std::fs::metadata(out.join(rel))
        .unwrap()
        .modified()
        .unwrap();
    m == SystemTime::UNIX_EPOCH + LONG_AGO
}

#[test]
fn issue_25_an_unchanged_rebuild_keeps_every_file_and_its_mtime() {
    let s = site();
    s.build(&[]).ok();
    let out = s.path("public");
    let files = age_all(&out);
    assert!(files.len() > 20, "{files:?}");
    let before = s.snapshot("public");
    let run = s.build(&[]);
    run.ok();
    let summary = format!("0 files written, {} files unchanged", files.len());
    assert!(run.stdout.contains(&summary), "{}", run.stdout);
    let still_old: Vec<&String> = files.iter().filter(|f| !is_old(&out, f)).collect();
    assert!(still_old.is_empty(), "rewritten: {still_old:?}");
    assert_eq!(before, s.snapshot("public"));
}

#[test]
fn issue_25_an_edit_rewrites_exactly_the_files_whose_bytes_changed() {
    let s = site();
    s.build(&[]).ok();
    let out = s.path("public");
    let files = age_all(&out);
    let before = s.snapshot("public");
    s.write(
        "content/briefs/water.md",
        &brief(
            "title: Water\ndate: 2026-01-05\ntopics: [Water]",
            "Rivers cross borders, and so do their floods.",
        ),
    );
    s.build(&[]).ok();
    let after = s.snapshot("public");
    for f in files.iter().filter(|f| after.contains_key(*f)) {
        let changed = before.get(f) != after.get(f);
        assert_eq!(
            !is_old(&out, f),
            changed,
            "{f}: rewritten iff its bytes changed"
        );
    }
    assert!(!is_old(&out, "briefs/water/index.html"));
    assert!(is_old(&out, "briefs/grain/index.html"));
    assert!(is_old(&out, "data/table.csv"));
    // The result is what a build into an empty folder makes.
    s.build(&["-o", "fresh"]).ok();
    assert_eq!(after, s.snapshot("fresh"));
}

#[cfg(unix)]
#[test]
fn issue_25_a_link_planted_in_the_old_output_is_neither_followed_nor_kept() {
    let s = site();
    s.build(&[]).ok();
    let out = s.path("public");
    // Someone replaces an output file with a link to an outside file of the same bytes.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("table.csv");
    std::fs::copy(out.join("data/table.csv"), &secret).unwrap();
    std::fs::remove_file(out.join("data/table.csv")).unwrap();
    std::os::unix::fs::symlink(&secret, out.join("data/table.csv")).unwrap();
    // And a folder of the output with a link to an outside folder.
    let page = out.join("briefs/grain");
    let moved = outside.path().join("grain");
    std::fs::rename(&page, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &page).unwrap();
    s.build(&[]).ok();
    for rel in ["data/table.csv", "briefs/grain", "briefs/grain/index.html"] {
        let m = std::fs::symlink_metadata(out.join(rel)).unwrap();
        assert!(!m.file_type().is_symlink(), "{rel} is a link");
    }
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(&secret).unwrap().nlink(), 1);
    assert_eq!(
        std::fs::metadata(moved.join("index.html")).unwrap().nlink(),
        1,
        "the outside file was not linked into the output"
    );
    assert_eq!(s.read("data/table.csv"), "year,tonnes\n2025,10\n");
}
