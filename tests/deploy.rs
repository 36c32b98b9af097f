//! `dossier deploy` (issue 9) against a real S3-compatible server (moto in server mode, which
//! `.ci/run` installs) and a folder target; brief aliases as redirects.
//!
//! Without `moto_server` on PATH the S3 test says so and passes, unless DOSSIER_REQUIRE_MOTO
//! is set (CI sets it), so `cargo test` works on a fresh machine.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::s3::{Store, append, deploy, moto, planned};
use dossier::deploy::{Listed, Remote, Upload};

fn local(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = support::snapshot_dir(&root.join("public"));
    m.retain(|rel, _| !dossier::output::is_bookkeeping(rel));
    m
}

fn assert_mirrors(store: &Store, root: &Path, prefix: &str) {
    support::s3::assert_mirrors(store, &root.join("public"), prefix);
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
    support::s3::edit_one_brief(root);
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
    let aws = dossier::deploy::aws::Aws::connect(&dossier::deploy::aws::Access {
        region: Some("us-east-1"),
        profile: None,
        keys: Some(("testing", "testing")),
        request_timeout: Duration::from_secs(30),
    })
    .unwrap();
    let s3 = dossier::deploy::s3::S3::new(
        std::sync::Arc::new(aws),
        &dossier::deploy::s3::Settings {
            bucket: "briefs-site",
            endpoint: Some(&endpoint),
            prefix: "research",
            path_style: None,
        },
    )
    .unwrap();
    let failing = FailAfter {
        inner: &s3,
        left: std::sync::atomic::AtomicUsize::new(3),
    };
    let config = dossier::config::Config::load(root).unwrap();
    let opts = dossier::deploy::DeployOptions {
        confirm: true,
        workers: 1,
        ..Default::default()
    };
    let err = dossier::deploy::deploy_to(
        &config,
        &root.join("public"),
        "staging",
        &failing,
        &[],
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
    fn list(&self) -> anyhow::Result<std::collections::HashMap<String, Listed>> {
        self.inner.list()
    }
    fn put(&self, up: &Upload<'_>) -> anyhow::Result<Option<String>> {
        use std::sync::atomic::Ordering;
        if self
            .left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_err()
        {
            anyhow::bail!("uploading {}: connection reset by peer", up.path);
        }
        self.inner.put(up)
    }
    fn delete(&self, paths: &[String]) -> anyhow::Result<()> {
        self.inner.delete(paths)
    }
    fn load_state(&self) -> anyhow::Result<Option<Vec<u8>>> {
        self.inner.load_state()
    }
    fn save_state(&self, bytes: &[u8]) -> anyhow::Result<()> {
        self.inner.save_state(bytes)
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
