//! Every integration test, in one test binary: `cargo test --test it` runs them all, and
//! `cargo test --test it images::` the tests of `tests/images.rs`.
//!
//! One binary instead of one per file: each links the whole crate with its dependencies
//! (about 145 MB apiece in a debug build), and thirty of them filled a CI machine's disk
//! and spent most of a clean test run linking. Each file below is a module; what they
//! share is in [`support`]. Nothing here keeps process-wide state (no environment variables
//! set, no working directory changed), so the modules' tests run side by side safely.

mod support;

mod build;
mod check;
mod cli;
mod collections;
mod components;
mod demo_site;
mod deploy;
mod deploy_s3;
mod deploy_scale;
mod editions;
mod errors;
mod escaping;
mod i18n;
mod images;
mod import_wordpress;
mod language_sections;
mod links;
mod metadata;
mod output_hash;
mod properties;
mod rebuild;
mod references;
mod rtl_site;
mod scholarly;
mod search_facets;
mod search_index;
mod section_people;
mod serve;
mod serve_edges;
mod snapshots;
mod taxonomy_tree;

/// With one binary, Cargo no longer finds test files by itself: a file added to `tests/` runs
/// only once declared above. This fails, naming the file, when one is not.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = std::fs::read_to_string(dir.join("it.rs")).unwrap();
    let mut missing = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if let Some(m) = name.strip_suffix(".rs")
            && m != "it"
            && !root.contains(&format!("\nmod {m};\n"))
        {
            missing.push(format!("tests/{name} (add `mod {m};` to tests/it.rs)"));
        }
    }
    assert!(missing.is_empty(), "test files that never run: {missing:?}");
}
