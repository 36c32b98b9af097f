//! Embeds the default theme (`themes/default/`) in the binary, so that `dossier init` and
//! builds work anywhere, without the repository (issue 2).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it is compiled: cargo may reuse a compiled build
    // script for another checkout sharing the target folder, and `env!` would then point at
    // the first checkout's theme.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("themes").join("default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    // A binary without its theme would fail every build it runs; fail here instead.
    for needed in ["templates/base.html", "templates/brief.html"] {
        assert!(
            files.iter().any(|(rel, _)| rel == needed),
            "the built-in theme is incomplete: {} has no {needed}",
            root.display()
        );
    }
    let mut out = String::from(
        "/// Files of the built-in theme: (path inside the theme, bytes).\npub static THEME_FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("theme_files.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read the built-in theme at {}: {e}", dir.display()));
    for e in entries {
        let e = e.unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(root, &p, out);
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p.to_string_lossy().to_string()));
        }
    }
}
