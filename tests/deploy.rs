//! `dossier deploy` (issue 9) against a real S3-compatible server (moto in server mode, which
//! `.ci/run` installs) and a folder target; brief aliases as redirects.
//!
//! Without `moto_server` on PATH the S3 test says so and passes, unless DOSSIER_REQUIRE_MOTO
//! is set (CI sets it), so `cargo test` works on a fresh machine.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dossier::deploy::{Meta, Remote};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto() -> Option<Moto> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = match Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            if std::env::var_os("DOSSIER_REQUIRE_MOTO").is_some() {
                panic!("moto_server is required (pip install 'moto[server]'): {e}");
            }
            eprintln!(
                "SKIPPED: moto_server not installed (pip install 'moto[server]'); .ci/run installs it"
            );
            return None;
        }
    };
    let m = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(m)
}

struct Store {
    bucket: Bucket,
    creds: Credentials,
}

impl Store {
    fn new(port: u16, name: &str) -> Self {
        let url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        let bucket = Bucket::new(url, UrlStyle::Path, name.to_string(), "us-east-1").unwrap();
        let creds = Credentials::new("testing", "testing");
        let s = Store { bucket, creds };
        let u = s
            .bucket
            .create_bucket(&s.creds)
            .sign(Duration::from_secs(60));
        ureq::put(u.as_str()).send_empty().unwrap();
        s
    }

    /// key → ETag
    fn list(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut a = self.bucket.list_objects_v2(Some(&self.creds));
            if let Some(t) = &token {
                a.with_continuation_token(t.clone());
            }
            let body = ureq::get(a.sign(Duration::from_secs(60)).as_str())
                .call()
                .unwrap()
                .into_body()
                .read_to_string()
                .unwrap();
            let r = rusty_s3::actions::ListObjectsV2::parse_response(&body).unwrap();
            for c in r.contents {
                out.insert(c.key, c.etag.unwrap_or_default());
            }
            match r.next_continuation_token {
                Some(t) => token = Some(t),
                None => return out,
            }
        }
    }

    /// (bytes, headers)
    fn get(&self, key: &str) -> (Vec<u8>, BTreeMap<String, String>) {
        let u = self
            .bucket
            .get_object(Some(&self.creds), key)
            .sign(Duration::from_secs(60));
        let resp = ureq::get(u.as_str()).call().unwrap();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_lowercase(),
                    v.to_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        (resp.into_body().read_to_vec().unwrap(), headers)
    }
}

fn deploy(root: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut c = Command::new(support::bin());
    c.arg("deploy").arg("--root").arg(root).args(args);
    c.env("DOSSIER_NOW", "2026-11-25T12:00:00Z")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("HOME", root); // no ~/.aws of the machine running the tests
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Paths the plan printed as uploaded (+ new, ~ changed) and deleted.
fn planned(stdout: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut up = BTreeSet::new();
    let mut del = BTreeSet::new();
    for l in stdout.lines() {
        if let Some(p) = l.strip_prefix("  + ").or_else(|| l.strip_prefix("  ~ ")) {
            up.insert(p.to_string());
        } else if let Some(p) = l.strip_prefix("  - ") {
            del.insert(p.to_string());
        }
    }
    (up, del)
}

fn local(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = support::snapshot_dir(&root.join("public"));
    m.remove(".dossier-output");
    m
}

/// The bucket holds exactly the output, byte for byte, with the right headers.
fn assert_mirrors(store: &Store, root: &Path, prefix: &str) {
    let files = local(root);
    let listed = store.list();
    let keys: BTreeSet<String> = listed
        .keys()
        .filter_map(|k| k.strip_prefix(prefix))
        .map(str::to_string)
        .collect();
    assert_eq!(
        keys,
        files.keys().cloned().collect::<BTreeSet<_>>(),
        "bucket lists exactly the output"
    );
    for (path, bytes) in &files {
        let (got, headers) = store.get(&format!("{prefix}{path}"));
        assert!(got == *bytes, "{path}: bytes");
        assert_eq!(
            headers.get("content-type").map(String::as_str),
            Some(dossier::mime::content_type(path).as_ref()),
            "{path}: Content-Type"
        );
        let cc = headers.get("cache-control").cloned().unwrap_or_default();
        // Pagefind's runtime lives as long as the index entry it reads (issue 25); its
        // content-hashed index files for ever.
        let runtime = path.starts_with("pagefind/") && !path.contains(".pf_");
        if path.ends_with(".html") || path.ends_with(".xml") || runtime {
            assert!(
                cc.contains("max-age=300"),
                "{path}: short cache, got {cc:?}"
            );
        } else if path.starts_with("pagefind/") {
            assert!(cc.contains("immutable"), "{path}: long cache, got {cc:?}");
        }
    }
}

#[test]
fn deploy_to_s3_uploads_only_changes_deletes_bounded_and_resumes() {
    let Some(m) = moto() else { return };
    let store = Store::new(m.port, "briefs-site");
    let site = support::demo_copy();
    let root = site.path();
    append(
        &root.join("site.toml"),
        &format!(
            "\n[deploy.targets.staging]\ntype = \"s3\"\nbucket = \"briefs-site\"\nendpoint = \"http://127.0.0.1:{}\"\nregion = \"us-east-1\"\nprefix = \"research\"\n\n[[deploy.cache_control]]\npattern = \"images/**\"\nvalue = \"public, max-age=604800\"\n",
            m.port
        ),
    );
    let prefix = "research/";

    // Dry run: a plan, nothing uploaded.
    let (code, out, err) = deploy(root, &["--dry-run"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("Dry run: nothing was changed."));
    assert!(store.list().is_empty());

    // First deploy: everything, with types, cache rules and the alias's redirect metadata.
    let (code, out, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_mirrors(&store, root, prefix);
    let (_, h) = store.get("research/2026/04/border-carbon-bill/index.html");
    assert_eq!(
        h.get("x-amz-website-redirect-location").map(String::as_str),
        Some("/briefs/carbon-border-adjustment/")
    );
    let img = local(root)
        .keys()
        .find(|k| k.starts_with("images/"))
        .cloned()
        .unwrap();
    assert_eq!(
        store.get(&format!("{prefix}{img}")).1["cache-control"],
        "public, max-age=604800"
    );

    // Nothing changed: nothing uploaded.
    let (code, out, _) = deploy(root, &[], &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains(" 0 new, 0 changed, 0 to delete"), "{out}");

    // Edit one brief: exactly the files whose bytes changed are uploaded.
    let before = local(root);
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(
        &brief,
        text.replace("phasing in.", "phasing in, product by product."),
    )
    .unwrap();
    let (code, out, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    let after = local(root);
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    let (up, del) = planned(&out);
    assert_eq!(up, changed, "only new and changed files are uploaded");
    let gone: BTreeSet<String> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    assert_eq!(
        del, gone,
        "only files no longer built are deleted (old search-index fragments)"
    );
    assert!(up.contains("briefs/carbon-border-adjustment/index.html"));
    assert!(
        up.len() < after.len() / 4,
        "{} of {} files uploaded",
        up.len(),
        after.len()
    );
    assert_mirrors(&store, root, prefix);

    // Remove a brief: its objects are deleted.
    std::fs::remove_dir_all(root.join("content/briefs/heat-resilient-cities")).unwrap();
    let (code, out, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (_, del) = planned(&out);
    assert!(
        del.contains("briefs/heat-resilient-cities/index.html"),
        "{del:?}"
    );
    assert!(
        !store
            .list()
            .keys()
            .any(|k| k.contains("heat-resilient-cities/"))
    );
    assert_mirrors(&store, root, prefix);

    // Too many deletions: refused, nothing changed at all.
    let listed = store.list();
    std::fs::remove_file(root.join("content/briefs/gulf-labour-mobility.md")).unwrap();
    let (code, _, err) = deploy(root, &["--max-deletes", "1"], &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("refusing to delete") && err.contains("--confirm"),
        "{err}"
    );
    assert_eq!(store.list(), listed, "nothing uploaded or deleted");

    // The connection fails after 3 uploads, then the deploy is run again: the target ends
    // complete.
    let status = Command::new(support::bin())
        .args(["build", "--root"])
        .arg(root)
        .env("DOSSIER_NOW", "2026-11-25T12:00:00Z")
        .status()
        .unwrap();
    assert!(status.success());
    let endpoint = format!("http://127.0.0.1:{}", m.port);
    let s3 = dossier::deploy::s3::S3::new(&dossier::deploy::s3::Settings {
        bucket: "briefs-site",
        endpoint: Some(&endpoint),
        region: Some("us-east-1"),
        prefix: "research",
        path_style: None,
        profile: None,
        keys: Some(("testing", "testing")),
    })
    .unwrap();
    let failing = FailAfter {
        inner: &s3,
        left: std::sync::atomic::AtomicUsize::new(3),
    };
    let config = dossier::config::Config::load(root).unwrap();
    let opts = dossier::deploy::DeployOptions {
        target: None,
        dry_run: false,
        max_deletes: 256,
        confirm: true,
        force: false,
        progress: dossier::progress::Progress::none(),
    };
    let err = dossier::deploy::deploy_to(
        &config,
        &root.join("public"),
        "staging",
        &failing,
        &opts,
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("connection reset"), "{err:#}");
    assert_ne!(store.list(), listed, "it got part of the way");
    let (code, out, err) = deploy(root, &["--confirm", "--no-build"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_mirrors(&store, root, prefix);
}

/// A remote whose connection fails after `left` uploads.
struct FailAfter<'a> {
    inner: &'a dyn Remote,
    left: std::sync::atomic::AtomicUsize,
}

impl Remote for FailAfter<'_> {
    fn label(&self) -> String {
        self.inner.label()
    }
    fn list(&self) -> anyhow::Result<std::collections::HashMap<String, String>> {
        self.inner.list()
    }
    fn put(&self, path: &str, bytes: &[u8], meta: &Meta) -> anyhow::Result<()> {
        use std::sync::atomic::Ordering;
        if self
            .left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_err()
        {
            anyhow::bail!("uploading {path}: connection reset by peer");
        }
        self.inner.put(path, bytes, meta)
    }
    fn delete(&self, path: &str) -> anyhow::Result<()> {
        self.inner.delete(path)
    }
}

#[test]
fn deploy_to_a_folder_mirrors_the_output() {
    let site = support::demo_copy();
    let root = site.path();
    let target = tempfile::tempdir().unwrap();
    append(
        &root.join("site.toml"),
        &format!(
            "\n[deploy.targets.web]\ntype = \"folder\"\npath = {:?}\n",
            target.path().join("www")
        ),
    );
    std::fs::create_dir_all(target.path().join("www/old")).unwrap();
    std::fs::write(target.path().join("www/old/stale.html"), "stale").unwrap();
    // A folder dossier did not write is refused (issue 22): nothing in it is touched.
    let before = support::snapshot_dir(&target.path().join("www"));
    let (code, _, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("dossier did not write it") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(support::snapshot_dir(&target.path().join("www")), before);
    // --force takes it over.
    let (code, out, err) = deploy(root, &["--force"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    let mut deployed = support::snapshot_dir(&target.path().join("www"));
    assert!(
        deployed.remove(".dossier-output").is_some(),
        "marked as ours"
    );
    assert_eq!(deployed, local(root), "the folder holds exactly the output");
    assert!(
        !target.path().join("www/old").exists(),
        "emptied folders are removed"
    );
    // From then on it is ours; what a killed deploy left is cleaned up.
    std::fs::write(target.path().join("www/briefs/.dossier-tmp-4242"), "half").unwrap();
    let (code, out, _) = deploy(root, &["--no-build"], &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("0 new, 0 changed, 0 to delete"), "{out}");
    assert!(!target.path().join("www/briefs/.dossier-tmp-4242").exists());
}

#[test]
fn issue_22_home_and_root_folders_are_never_deploy_targets() {
    let site = support::demo_copy();
    let root = site.path();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
    std::fs::write(home.path().join(".ssh/id_ed25519"), "KEY").unwrap();
    std::fs::write(home.path().join(".dossier-output"), "").unwrap();
    for target in [home.path().to_path_buf(), std::path::PathBuf::from("/")] {
        let mut text = std::fs::read_to_string(root.join("site.toml")).unwrap();
        if let Some(i) = text.find("\n[deploy.targets.web]") {
            text.truncate(i);
        }
        text.push_str(&format!(
            "\n[deploy.targets.web]\ntype = \"folder\"\npath = {target:?}\n"
        ));
        std::fs::write(root.join("site.toml"), text).unwrap();
        let mut c = Command::new(support::bin());
        c.args(["deploy", "--force", "--confirm", "--root"])
            .arg(root)
            .env("DOSSIER_NOW", "2026-11-25T12:00:00Z")
            .env("HOME", home.path());
        let out = c.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", target.display());
        assert!(err.contains("root or home folder"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(home.path().join(".ssh/id_ed25519")).unwrap(),
        "KEY"
    );
}

#[test]
fn deploy_refuses_unsafe_or_unknown_targets_and_credentials_in_site_toml() {
    let site = support::demo_copy();
    let root = site.path();
    let (code, _, err) = deploy(root, &["--no-build", "--dry-run"], &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("run `dossier build` first") || err.contains("no deploy targets"),
        "{err}"
    );
    append(
        &root.join("site.toml"),
        "\n[deploy.targets.self]\ntype = \"folder\"\npath = \"content\"\n",
    );
    let (code, _, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("holds the site's own files"), "{err}");
    let (code, _, err) = deploy(root, &["--target", "nope"], &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no deploy target `nope`"), "{err}");

    let site = support::demo_copy();
    let root = site.path();
    append(
        &root.join("site.toml"),
        "\n[deploy.targets.s3]\ntype = \"s3\"\nbucket = \"b\"\naccess_key_id = \"AKIA…\"\n",
    );
    let (code, _, err) = deploy(root, &[], &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("site.toml:") && err.contains("access_key_id"),
        "{err}"
    );
}

#[test]
fn aliases_become_redirect_pages_and_a_redirects_file() {
    let site = support::demo_copy();
    let root = site.path();
    let run = support::run_in(
        root,
        &["build", "--base-url", "https://example.org/research/"],
    );
    run.ok();
    let page =
        std::fs::read_to_string(root.join("public/2026/04/border-carbon-bill/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let target = "https://example.org/research/briefs/carbon-border-adjustment/";
    assert_eq!(
        support::attrs(&doc, "link[rel=canonical]", "href"),
        vec![target]
    );
    assert_eq!(
        support::attrs(&doc, "meta[http-equiv=refresh]", "content"),
        vec![format!("0; url={target}")]
    );
    assert_eq!(support::attrs(&doc, "a", "href"), vec![target]);
    let redirects = std::fs::read_to_string(root.join("public/_redirects")).unwrap();
    assert!(
        redirects.lines().any(|l| l == "/research/2026/04/border-carbon-bill/ /research/briefs/carbon-border-adjustment/ 301"),
        "{redirects}"
    );
    // A standalone page's alias too (issue 28: every imported page keeps its old address).
    let page = std::fs::read_to_string(root.join("public/who-we-are/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(
        support::attrs(&doc, "link[rel=canonical]", "href"),
        vec!["https://example.org/research/about/"]
    );
    assert!(
        redirects
            .lines()
            .any(|l| l == "/research/who-we-are/ /research/about/ 301"),
        "{redirects}"
    );
    // A bad alias is an error at its line.
    let brief = root.join("content/briefs/carbon-border-adjustment.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(
        &brief,
        text.replace(
            "aliases: [\"/2026/04/border-carbon-bill/\"]",
            "aliases: [\"https://old.example/x\"]",
        ),
    )
    .unwrap();
    let run = support::run_in(root, &["build"]);
    run.failed()
        .says("content/briefs/carbon-border-adjustment.md:10:")
        .says("is a URL");
    // Two briefs claiming one old path: both named.
    std::fs::write(
        &brief,
        text.replace(
            "aliases: [\"/2026/04/border-carbon-bill/\"]",
            "aliases: [\"/briefs/heat-resilient-cities/\"]",
        ),
    )
    .unwrap();
    support::run_in(root, &["build"])
        .failed()
        .says("two sources write `briefs/heat-resilient-cities/index.html`");
}
