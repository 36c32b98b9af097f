//! Readable snapshots (insta) of a tiny site's pages, beside the demo's MD5 tripwire
//! (`output_hash.rs`): a change to the theme or the template contract shows here as a diff
//! a person can read. After an intended change: `cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test it snapshots::`, then commit the `.snap` files.

use std::path::Path;

fn build() -> dossier::Build {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot");
    let mut opts = dossier::BuildOptions::new(root);
    opts.now = Some("2026-01-01T00:00:00Z".parse().unwrap());
    dossier::build(&opts).unwrap_or_else(|d| panic!("{d:?}"))
}

fn file(b: &dossier::Build, path: &str) -> String {
    let bytes = b
        .output
        .bytes(path)
        .unwrap_or_else(|| panic!("{path} is not in the output"));
    String::from_utf8(bytes.into_owned()).unwrap()
}

#[test]
fn issue_21_page_snapshots() {
    let b = build();
    insta::assert_snapshot!("brief", file(&b, "briefs/shore-power/index.html"));
    insta::assert_snapshot!("author", file(&b, "authors/ines-barros/index.html"));
    insta::assert_snapshot!("term", file(&b, "topics/shipping/index.html"));
    insta::assert_snapshot!("feed", file(&b, "feed.xml"));
}
