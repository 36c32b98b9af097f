//! Fuzz target: splitting and parsing front matter, as a brief (issue 6). Any input must
//! either parse or produce diagnostics that name the file; never panic.
#![no_main]

use std::path::PathBuf;

use dossier::config::Config;
use dossier::content::{Role, Source, parse_one};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = Config::parse("title = \"T\"\nbase_url = \"https://t.example/\"\n").expect("valid config");
    let source = Source { rel: PathBuf::from("content/briefs/f.md"), role: Role::Brief { slug: "f".into(), collection: "briefs".into() }, text: text.to_string() };
    if let Err(diags) = parse_one(&source, &config) {
        assert!(!diags.is_empty());
        assert!(diags.iter().all(|d| d.file.as_deref() == Some(std::path::Path::new("content/briefs/f.md"))));
    }
});
