//! The demo site's output, file by file, against a committed manifest of content hashes
//! (issue 7: optimisations must keep the output byte-identical).
//!
//! When a change to the output is intended (a template, the demo content, a new feature), run
//! `DOSSIER_BLESS=1 cargo test --test it output_hash::` and commit `tests/snapshots/demo-output.md5`
//! with the change; its diff shows which files changed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;
use md5::{Digest, Md5};

const MANIFEST: &str = "tests/snapshots/demo-output.md5";

fn manifest_of(files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut text = String::new();
    for (path, bytes) in files {
        let hash: String = Md5::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        text.push_str(&format!("{hash}  {path}\n"));
    }
    text
}

fn parse(text: &str) -> BTreeMap<&str, &str> {
    text.lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p, h))
        .collect()
}

#[test]
fn demo_output_matches_the_committed_manifest() {
    let site = demo_copy();
    let out = site.path().join("out");
    run_in(
        site.path(),
        &["build", "--quiet", "-o", out.to_str().unwrap()],
    )
    .ok();
    let actual = manifest_of(&snapshot_dir(&out));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(MANIFEST);
    if std::env::var_os("DOSSIER_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {MANIFEST}: {e}; run with DOSSIER_BLESS=1"));
    if actual == expected {
        return;
    }
    let (a, e) = (parse(&actual), parse(&expected));
    let mut report = Vec::new();
    for (p, h) in &a {
        match e.get(p) {
            None => report.push(format!("  new      {p}")),
            Some(old) if old != h => report.push(format!("  changed  {p}")),
            _ => {}
        }
    }
    for p in e.keys().filter(|p| !a.contains_key(*p)) {
        report.push(format!("  gone     {p}"));
    }
    panic!(
        "the demo site's output differs from {MANIFEST}:\n{}\nIf this is intended, run \
         `DOSSIER_BLESS=1 cargo test --test it output_hash::` and commit the manifest.",
        report.join("\n")
    );
}

#[test]
fn two_builds_of_the_demo_are_identical() {
    // The manifest is only useful if a build is reproducible: no clocks, no hash-map order.
    let site = demo_copy();
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    run_in(
        site.path(),
        &["build", "--quiet", "-o", a.to_str().unwrap()],
    )
    .ok();
    run_in(
        site.path(),
        &["build", "--quiet", "-o", b.to_str().unwrap()],
    )
    .ok();
    assert_eq!(
        manifest_of(&snapshot_dir(&a)),
        manifest_of(&snapshot_dir(&b))
    );
}
