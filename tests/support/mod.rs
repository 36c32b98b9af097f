//! Test support: a tiny site builder (`TestSite`), a runner for the real `dossier` binary, and
//! HTML helpers that parse pages instead of grepping them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub mod s3;
pub mod serve;

/// A throwaway site in a temporary folder.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

/// A minimal valid site.toml.
pub const SITE_TOML: &str = "title = \"Test Institute\"\nbase_url = \"https://test.example/\"\n";

impl TestSite {
    /// An empty folder.
    pub fn empty() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A site with a site.toml and the given files.
    pub fn new(files: &[(&str, &str)]) -> Self {
        let s = Self::empty();
        s.write("site.toml", SITE_TOML);
        for (p, t) in files {
            s.write(p, t);
        }
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Write a file. The placeholder texts `"png"` and `"jpeg"` in a `.png` or `.jpg` file
    /// write a real 64×48 image instead, since dossier decodes the images it publishes
    /// (issue 26); tests about damaged images write their bytes with `write_bytes`.
    pub fn write(&self, rel: &str, text: &str) {
        match (text, rel.rsplit('.').next()) {
            ("png", Some("png")) => self.write_bytes(rel, &tiny_image(image::ImageFormat::Png)),
            ("jpeg", Some("jpg" | "jpeg")) => {
                self.write_bytes(rel, &tiny_image(image::ImageFormat::Jpeg))
            }
            _ => self.write_bytes(rel, text.as_bytes()),
        }
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Run `dossier <args>` in the site root with a fixed clock.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// `dossier build` plus extra args.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Read an output file of the default output folder.
    pub fn read(&self, rel: &str) -> String {
        let p = self.path("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// The site's settings file as written.
    pub fn read_site_toml(&self) -> String {
        std::fs::read_to_string(self.path("site.toml")).expect("site.toml")
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// Every file under the output folder with its bytes, for byte-for-byte comparisons.
    pub fn snapshot(&self, out: &str) -> BTreeMap<String, Vec<u8>> {
        snapshot_dir(&self.path(out))
    }
}

pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    if !dir.exists() {
        return m;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            m.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    m
}

/// A real 64×48 image in `format`.
pub fn tiny_image(format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), format)
        .expect("encoding an image in memory");
    out
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn failed(&self) -> &Self {
        assert_ne!(
            self.code, 0,
            "expected failure\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Assert stderr contains `needle`.
    pub fn says(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn does_not_say(&self, needle: &str) -> &Self {
        assert!(
            !self.stderr.contains(needle),
            "stderr has {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dossier")
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("DOSSIER_NOW", "2026-11-25T12:00:00Z")
        .env_remove("DOSSIER_ENV")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run dossier");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// Text of every element matching `selector`, whitespace-collapsed.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The `content` of every `<meta name=…>` or `<meta property=…>` called `name`.
#[allow(dead_code)]
pub fn metas(doc: &Html, name: &str) -> Vec<String> {
    attrs(
        doc,
        &format!("meta[name='{name}'], meta[property='{name}']"),
        "content",
    )
}

/// Whether Python can import `module` (a real client a test checks output with). Without it the
/// test is skipped with a message, unless `DOSSIER_REQUIRE_PY_CLIENTS` is set (CI), which makes
/// its absence a failure.
#[allow(dead_code)]
pub fn python_module(module: &str) -> bool {
    let probe = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    if probe.is_ok_and(|o| o.status.success()) {
        return true;
    }
    assert!(
        std::env::var_os("DOSSIER_REQUIRE_PY_CLIENTS").is_none(),
        "Python's {module} is required (pip install {module})"
    );
    eprintln!("skipped: Python's {module} is not installed");
    false
}

/// Run a Python client (`-c` and a script, or a script file) with `args`, require success, and
/// parse what it prints as JSON.
#[allow(dead_code)]
pub fn python_json(script: &[&str], args: &[&Path]) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .args(script)
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client prints JSON")
}

/// An attribute of every element matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// A brief with the given front matter lines and body.
pub fn brief(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

/// Follow every internal `href`/`src` in every HTML file of `out` (a site built with
/// `base_path`), and return the ones that do not resolve to a file — or, with a `#fragment`,
/// to an element with that id. External links are not followed.
pub fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let files = snapshot_dir(out);
    let mut ids_cache: BTreeMap<String, std::collections::HashSet<String>> = BTreeMap::new();
    let mut ids_of = |file: &str| -> std::collections::HashSet<String> {
        ids_cache
            .entry(file.to_string())
            .or_insert_with(|| {
                let doc = Html::parse_document(&String::from_utf8_lossy(&files[file]));
                attrs(&doc, "[id]", "id").into_iter().collect()
            })
            .clone()
    };
    let mut broken = Vec::new();
    for (file, bytes) in &files {
        if !file.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        let mut refs = attrs(&doc, "a[href]", "href");
        refs.extend(attrs(&doc, "link[href]", "href"));
        refs.extend(attrs(&doc, "img[src]", "src"));
        refs.extend(attrs(&doc, "script[src]", "src"));
        for r in refs {
            if r.contains("://") || r.starts_with("mailto:") || r.starts_with("//") {
                continue;
            }
            let (path, frag) = match r.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (r.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                let Some(inside) = path.strip_prefix(base_path) else {
                    broken.push(format!("{file}: {r} (outside base path {base_path})"));
                    continue;
                };
                let inside = inside.split('?').next().unwrap_or("");
                if inside.is_empty() || inside.ends_with('/') {
                    format!("{inside}index.html")
                } else {
                    inside.to_string()
                }
            };
            if !files.contains_key(&target) {
                broken.push(format!("{file}: {r} (no {target})"));
                continue;
            }
            if let Some(f) = frag
                && target.ends_with(".html")
                && !f.is_empty()
                && !ids_of(&target).contains(&f)
            {
                broken.push(format!("{file}: {r} (no id {f:?} in {target})"));
            }
        }
    }
    broken
}

/// A copy of the repository's demo site (site.toml, references.bib, content/, templates/,
/// static/) in a temporary folder, for tests that edit it.
pub fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "templates", "static", "data"] {
        for e in walkdir::WalkDir::new(root.join(sub)) {
            let e = e.unwrap();
            let dest = dir.path().join(e.path().strip_prefix(root).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
    for f in ["site.toml", "references.bib"] {
        std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
    }
    dir
}
