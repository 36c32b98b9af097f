//! `dossier init` and `dossier new brief` (issue 2).

mod support;

use support::*;

#[test]
fn issue_2_init_creates_a_site_that_builds_and_refuses_non_empty_dirs() {
    let t = TestSite::empty();
    run_in(t.root(), &["init", "mysite"]).ok();
    let site = t.path("mysite");
    let run = run_in(&site, &["build"]);
    run.ok();
    assert!(
        run.stdout.contains(": 1 brief, 1 author, 1 topic in "),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.is_empty(),
        "a new site builds without warnings: {}",
        run.stderr
    );
    let html = std::fs::read_to_string(site.join("public/briefs/welcome/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(texts(&doc, ".byline a"), ["Sample Author"]);
    // Refuses a non-empty folder and changes nothing in it.
    std::fs::write(t.path("taken.txt"), "x").unwrap();
    let before = snapshot_dir(t.root());
    let r = run_in(t.root(), &["init", "."]);
    r.failed().says("is not empty");
    assert_eq!(before, snapshot_dir(t.root()));
}

#[test]
fn issue_2_init_works_without_the_repository() {
    // The theme is built into the binary: a site with no themes/ folder builds.
    let t = TestSite::empty();
    run_in(t.root(), &["init", "s"]).ok();
    assert!(!t.path("s/themes").exists());
    run_in(&t.path("s"), &["build"]).ok();
    assert!(t.path("s/public/style.css").exists());
}

#[test]
fn issue_2_new_brief_writes_front_matter_and_never_overwrites() {
    let t = TestSite::empty();
    run_in(t.root(), &["init", "s"]).ok();
    let s = t.path("s");
    let r = run_in(
        &s,
        &[
            "new",
            "brief",
            "Water & Power: \"A\" Test",
            "--author",
            "sample-author",
            "--topic",
            "Water",
            "--topic",
            "Energy",
            "--region",
            "Global",
        ],
    );
    r.ok();
    let path = s.join("content/briefs/water-power-a-test.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title: \"Water & Power: \\\"A\\\" Test\""),
        "{text}"
    );
    assert!(text.contains("topics: [\"Water\", \"Energy\"]"), "{text}");
    assert!(text.contains("draft: true"));
    // It parses: building with --drafts shows it.
    run_in(&s, &["build", "--drafts"]).ok();
    assert!(
        s.join("public/briefs/water-power-a-test/index.html")
            .exists()
    );
    // Never overwrites.
    std::fs::write(&path, "mine").unwrap();
    run_in(&s, &["new", "brief", "Water & Power: \"A\" Test"])
        .failed()
        .says("already exists");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn issue_2_usage_errors_exit_2() {
    let t = TestSite::empty();
    let r = run_in(t.root(), &["build", "--no-such-flag"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--no-such-flag"));
}
