//! `dossier init` and `dossier new brief` (issue 2).

use crate::support::*;

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
fn issue_24_new_report_event_page_and_author_pass_their_own_strict_check() {
    let t = TestSite::empty();
    run_in(t.root(), &["init", "s"]).ok();
    let s = t.path("s");
    run_in(
        &s,
        &[
            "new",
            "report",
            "Annual Review",
            "--author",
            "sample-author",
        ],
    )
    .ok();
    let r = run_in(
        &s,
        &[
            "new",
            "event",
            "Launch Night",
            "--start",
            "2026-12-10 18:30",
            "--location",
            "Fenwick Hall",
        ],
    );
    r.ok();
    assert!(
        r.stdout.contains("content/events/_index.md"),
        "{}",
        r.stdout
    );
    run_in(&s, &["new", "page", "Contact us"]).ok();
    run_in(
        &s,
        &["new", "author", "Rania Saleh", "--role", "Senior Fellow"],
    )
    .ok();
    run_in(&s, &["new", "brief", "Water and Power"]).ok();
    let event = std::fs::read_to_string(s.join("content/events/launch-night.md")).unwrap();
    assert!(event.contains("start: \"2026-12-10 18:30\""), "{event}");
    // What `new` writes trips none of `check`'s warnings, drafts included.
    let c = run_in(&s, &["check", "--strict", "--drafts"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    run_in(&s, &["build", "--drafts"]).ok();
    for page in [
        "reports/annual-review/index.html",
        "events/launch-night/index.html",
        "contact-us/index.html",
        "authors/rania-saleh/index.html",
        "events/index.html",
        "reports/index.html",
    ] {
        assert!(s.join("public").join(page).exists(), "{page}");
    }
    assert!(s.join("public/events/launch-night/event.ics").exists());
    // The report is a report; the collection index is not overwritten by a second one.
    let report =
        std::fs::read_to_string(s.join("public/reports/annual-review/index.html")).unwrap();
    assert!(report.contains(">Report</a>"), "type from the collection");
    run_in(&s, &["new", "report", "Second Review"])
        .ok()
        .does_not_say("error");
}

#[test]
fn issue_2_usage_errors_exit_2() {
    let t = TestSite::empty();
    let r = run_in(t.root(), &["build", "--no-such-flag"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--no-such-flag"));
}

#[test]
fn issue_21_the_site_root_is_found_from_any_folder_inside_it() {
    let t = TestSite::empty();
    run_in(t.root(), &["init", "s"]).ok();
    let deep = t.path("s/content/briefs");
    let r = run_in(&deep, &["build", "-q"]);
    r.ok();
    assert!(t.path("s/public/index.html").exists(), "built at the root");
    // Outside any site: a clear error naming the folder, exit 1.
    let r = run_in(t.root(), &["build"]);
    assert_eq!(r.code, 1);
    r.says("no site.toml in").says("or any folder above it");
    assert!(!r.stderr.contains("Build failed"), "{}", r.stderr);
}

#[test]
fn issue_21_config_files_and_environments_overlay_site_toml() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\nBody.\n",
    )]);
    s.write(
        "site.production.toml",
        "base_url = \"https://www.example.org/research/\"\n[metadata]\ntwitter = \"@prod\"\n",
    );
    s.build(&["--env", "production"]).ok();
    let home = s.read("index.html");
    assert!(
        home.contains("https://www.example.org/research/"),
        "the overlay's base_url is used"
    );
    assert!(home.contains("Test Institute"), "site.toml's title stays");
    assert!(home.contains("@prod"), "tables merge key by key");
    // DOSSIER_ENV does the same; a missing environment file is an error.
    let r = s.run(&["build", "--env", "staging"]);
    assert_eq!(r.code, 1);
    r.says("site.staging.toml does not exist");
    // Errors point into the file that has them.
    s.write("site.production.toml", "paginate = 0\n");
    s.build(&["--env", "production"])
        .failed()
        .says("site.production.toml:1:12: error: paginate must be at least 1");
    s.write("site.production.toml", "titel = \"x\"\n");
    s.build(&["--env", "production"])
        .failed()
        .says("site.production.toml:1:1: error: unknown field `titel`");
    // --config replaces site.toml.
    s.write(
        "other.toml",
        "title = \"Other Institute\"\nbase_url = \"https://other.example/\"\n",
    );
    s.build(&["--config", "other.toml"]).ok();
    assert!(s.read("index.html").contains("Other Institute"));
}

#[test]
fn issue_21_messages_say_what_to_do() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        "---\ntitle: Gas: the bridge fuel\ndate: 2024-01-01\n---\nx\n",
    )]);
    let r = s.build(&[]);
    r.failed()
        .says("content/briefs/a.md:2:")
        .says("is not quoted")
        .says("title: \"Gas: the bridge fuel\"");
    s.write(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\nx\n",
    );
    let r = s.build(&[]);
    r.failed().says("`title` is written twice");
    assert!(!r.stderr.contains("DuplicateKeyPolicy"), "{}", r.stderr);
    s.write(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: last week\n---\nx\n",
    );
    let r = s.build(&[]);
    for form in [
        "2024-05-01 (",
        "2024-05-01 09:30",
        "2024-05-01T09:30:00+03:00",
        "2024-05-01T09:30:00Z",
    ] {
        r.says(form);
    }
    // Commands that are not builds do not talk about build output.
    std::fs::write(s.path("x.txt"), "x").unwrap();
    let r = s.run(&["init", "."]);
    r.failed().says("is not empty");
    assert!(!r.stderr.contains("Build failed"), "{}", r.stderr);
    assert!(!r.stderr.contains("previous output"), "{}", r.stderr);
}

#[test]
fn issue_21_colour_follows_the_terminal_and_no_color() {
    let s = TestSite::new(&[("content/briefs/a.md", "---\ntitle: A\n---\nx\n")]);
    let plain = s.build(&[]);
    assert!(!plain.stderr.contains('\u{1b}'), "no colour in a pipe");
    let forced = s.run(&["build", "--color", "always"]);
    assert!(forced.stderr.contains("\u{1b}[31m") || forced.stderr.contains("\u{1b}[1m\u{1b}[31m"));
    assert!(forced.stderr.contains("missing field `date`"));
}

#[test]
fn issue_21_completions_and_man_pages() {
    let t = TestSite::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run_in(t.root(), &["completions", shell]);
        r.ok();
        assert!(r.stdout.contains("dossier"), "{shell}");
        assert!(r.stdout.contains("deploy"), "{shell} completes subcommands");
    }
    let r = run_in(t.root(), &["man"]);
    r.ok();
    assert!(r.stdout.starts_with(".ie") || r.stdout.contains(".TH dossier 1"));
    run_in(t.root(), &["man", "--dir", "man"]).ok();
    for page in [
        "dossier.1",
        "dossier-build.1",
        "dossier-serve.1",
        "dossier-deploy.1",
    ] {
        let text = std::fs::read_to_string(t.path("man").join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
}
