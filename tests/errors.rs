//! Bad input: a clear error naming the file and line, a non-zero exit, and nothing lost
//! (issue 2). Every case first builds a good site, then breaks it, and checks the previous
//! output is byte-for-byte intact.

use crate::support::*;

const GOOD: &str = "---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n";

/// Build a good site, apply `breakage`, build again: must fail with exit 1, print every
/// `needles`, and leave the output untouched.
fn fails_cleanly(files: &[(&str, &str)], needles: &[&str]) -> Run {
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.build(&[]).ok();
    let before = s.snapshot("public");
    assert!(!before.is_empty());
    for (p, t) in files {
        s.write(p, t);
    }
    let run = s.build(&[]);
    assert_eq!(run.code, 1, "exit code\n{}", run.stderr);
    for n in needles {
        run.says(n);
    }
    run.says("the previous output is unchanged");
    assert_eq!(before, s.snapshot("public"), "previous output changed");
    // Pages rendered before the error went to a staging folder; it must be gone.
    let left: Vec<String> = std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(left.is_empty(), "staging folders left behind: {left:?}");
    run
}

#[test]
fn issue_2_yaml_syntax_error_names_file_line_and_column() {
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: Bad\ndate: 2024-01-01\ntopics: [a, b\n---\nx\n",
        )],
        &["content/briefs/bad.md:"],
    );
    let run = fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: Bad: colon\ndate: 2024-01-01\n---\n",
        )],
        &[],
    );
    run.says("content/briefs/bad.md:2:");
}

#[test]
fn issue_2_unknown_key_is_an_error_naming_the_key() {
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: T\ndate: 2024-01-01\ntitel: typo\n---\n",
        )],
        &["content/briefs/bad.md:4:1: error:", "titel"],
    );
}

#[test]
fn issue_2_missing_and_mistyped_fields() {
    fails_cleanly(
        &[("content/briefs/bad.md", "---\ndate: 2024-01-01\n---\n")],
        &["content/briefs/bad.md", "missing field `title`"],
    );
    fails_cleanly(
        &[("content/briefs/bad.md", "---\ntitle: T\n---\n")],
        &["content/briefs/bad.md", "missing field `date`"],
    );
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: T\ndate: 2024-01-01\nauthors: 5\n---\n",
        )],
        &["content/briefs/bad.md:4:"],
    );
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: T\ndate: 2024-01-01\ndraft: maybe\n---\n",
        )],
        &["content/briefs/bad.md:4:"],
    );
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "+++\ntitle = \"T\"\ndate = 2024-01-01\ntopics = 7\n+++\n",
        )],
        &["content/briefs/bad.md:4:"],
    );
}

#[test]
fn issue_2_impossible_and_non_dates() {
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: T\ndate: 2024-02-30\n---\n",
        )],
        &[
            "content/briefs/bad.md:3:7: error: invalid `date`",
            "not a real date",
        ],
    );
    fails_cleanly(
        &[("content/briefs/bad.md", "---\ntitle: T\ndate: yes\n---\n")],
        &["content/briefs/bad.md:3:", "expected a date"],
    );
    fails_cleanly(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: T\ndate: 2024-01-01\nupdated: 2024-13-01\n---\n",
        )],
        &["content/briefs/bad.md:4:10: error: invalid `updated`"],
    );
}

#[test]
fn issue_2_invalid_utf8_names_the_position() {
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.build(&[]).ok();
    let before = s.snapshot("public");
    s.write_bytes(
        "content/briefs/bin.md",
        b"---\ntitle: T\ndate: 2024-01-01\n---\nok \xff\xfe bad\n",
    );
    let run = s.build(&[]);
    run.failed()
        .says("content/briefs/bin.md:5:4: error: not valid UTF-8");
    assert_eq!(before, s.snapshot("public"));
}

#[test]
fn issue_2_front_matter_missing_or_unclosed() {
    fails_cleanly(
        &[("content/briefs/bad.md", "# No front matter\n")],
        &["content/briefs/bad.md:1:1: error: missing front matter"],
    );
    fails_cleanly(
        &[("content/briefs/bad.md", "---\ntitle: T\n")],
        &["content/briefs/bad.md:1:1: error: front matter is not closed"],
    );
    fails_cleanly(
        &[("content/briefs/bad.md", "---\n- a\n- b\n---\n")],
        &["content/briefs/bad.md"],
    );
}

#[test]
fn issue_2_all_errors_of_a_build_are_reported_together() {
    let run = fails_cleanly(
        &[
            (
                "content/briefs/one.md",
                "---\ntitle: T\ndate: 2024-02-30\n---\n",
            ),
            (
                "content/briefs/two.md",
                "---\ntitle: T\ndate: 2024-01-01\nbogus: 1\n---\n",
            ),
            ("content/authors/x.md", "---\nrole: no name\n---\n"),
            ("templates/page.html", "{% if %}"),
        ],
        &[
            "content/briefs/one.md:3",
            "content/briefs/two.md:4",
            "content/authors/x.md",
            "templates/page.html:1",
        ],
    );
    run.says("4 errors");
}

#[test]
fn issue_2_template_syntax_error_names_template_file_and_line() {
    fails_cleanly(
        &[(
            "templates/brief.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n",
        )],
        &["templates/brief.html:4:1: error: template syntax error in `brief.html`"],
    );
}

#[test]
fn issue_2_template_render_error_names_template_and_page() {
    fails_cleanly(
        &[(
            "templates/brief.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ page.no_such_field.deeper }}\n{% endblock content %}\n",
        )],
        &[
            "templates/brief.html:3:",
            "template error in `brief.html`",
            "while rendering content/briefs/good.md",
        ],
    );
}

#[test]
fn issue_2_missing_template_named_by_front_matter() {
    fails_cleanly(
        &[(
            "content/briefs/t.md",
            "---\ntitle: T\ndate: 2024-01-01\ntemplate: special.html\n---\n",
        )],
        &["content/briefs/t.md:4:11: error: template `special.html` not found"],
    );
}

#[test]
fn issue_2_two_pages_on_one_url_name_both_sources() {
    fails_cleanly(
        &[(
            "content/briefs/other.md",
            "---\ntitle: T\ndate: 2024-01-01\nslug: good\n---\n",
        )],
        &[
            "content/briefs/good.md",
            "content/briefs/other.md",
            "briefs/good/index.html",
        ],
    );
    fails_cleanly(
        &[("content/authors.md", "---\ntitle: Authors page\n---\n")],
        &["content/authors.md", "the generated authors list"],
    );
}

#[test]
fn issue_2_bad_site_toml() {
    fails_cleanly(
        &[(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.example/\"\npaginate = \"ten\"\n",
        )],
        &["site.toml:3:"],
    );
    fails_cleanly(
        &[("site.toml", "title = \"T\"\nbase_url = \"not a url\"\n")],
        &["site.toml:2:", "base_url"],
    );
    fails_cleanly(
        &[(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.example/\"\ntimezone = \"Mars/Base\"\n",
        )],
        &["site.toml:3:", "unknown time zone"],
    );
    let s = TestSite::empty();
    s.run(&["build"])
        .failed()
        .says("no site.toml")
        .says("dossier init");
}

#[test]
fn issue_2_unknown_taxonomy_in_front_matter() {
    fails_cleanly(
        &[(
            "content/briefs/t.md",
            "---\ntitle: T\ndate: 2024-01-01\ntaxonomies:\n  programmes: [Energy]\n---\n",
        )],
        &[
            "content/briefs/t.md",
            "unknown taxonomy `programmes`",
            "[[taxonomies]]",
        ],
    );
}

#[test]
fn issue_2_output_folder_safety() {
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.write("notes/keep.txt", "precious");
    let before = snapshot_dir(s.root());
    for out in [
        ".",
        "content",
        "content/briefs",
        "templates",
        "static",
        "data",
        "i18n",
        "..",
        "/",
    ] {
        let run = s.build(&["--output", out]);
        run.failed()
            .says("refusing to use")
            .says("nothing was deleted");
        assert_eq!(
            before,
            snapshot_dir(s.root()),
            "--output {out} changed the site"
        );
    }
    // A non-empty folder dossier did not write is not replaced.
    let run = s.build(&["--output", "notes"]);
    run.failed()
        .says("not empty and was not written by dossier");
    assert_eq!(
        s.snapshot("notes").get("keep.txt").map(|b| b.as_slice()),
        Some(&b"precious"[..])
    );
    // An empty or dossier-written folder is fine.
    s.build(&["--output", "site-out"]).ok();
    s.build(&["--output", "site-out"]).ok();
    assert!(s.path("site-out/briefs/good/index.html").exists());
}

#[test]
fn issue_2_bom_and_crlf_files_build() {
    let s = TestSite::new(&[(
        "content/briefs/win.md",
        "\u{feff}---\r\ntitle: Windows\r\ndate: 2024-01-01\r\n---\r\nLine one\r\n\r\n## Heading\r\n",
    )]);
    s.build(&[]).ok();
    assert_eq!(texts(&s.html("briefs/win/index.html"), "h1"), ["Windows"]);
    assert_eq!(
        attrs(&s.html("briefs/win/index.html"), ".brief-body h2", "id"),
        ["heading"]
    );
    assert!(!s.read("briefs/win/index.html").contains('\r'));
}

#[test]
fn issue_2_symlinks_in_content_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2024-01-01\n---\nsecret\n",
    )
    .unwrap();
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        s.path("content/briefs/secret.md"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        let run = s.build(&[]);
        run.ok()
            .says("content/briefs/secret.md: warning: symbolic link not followed");
        assert!(!s.exists("briefs/secret/index.html"));
    }
}

#[test]
fn issue_2_slug_with_dots_cannot_escape_the_output() {
    let s = TestSite::new(&[(
        "content/briefs/x.md",
        "---\ntitle: T\ndate: 2024-01-01\nslug: ../../../escaped\n---\n",
    )]);
    s.build(&[]).ok();
    assert!(s.exists("briefs/escaped/index.html"));
    assert!(!s.root().parent().unwrap().join("escaped").exists());
}

#[test]
fn issue_6_duplicate_keys_are_errors_with_position() {
    fails_cleanly(
        &[(
            "content/briefs/dup.md",
            "---\ntitle: One\ndate: 2024-01-01\ntitle: Two\n---\n",
        )],
        &[
            "content/briefs/dup.md:4:",
            "`title` is written twice",
            "keep one `title:` line",
        ],
    );
    fails_cleanly(
        &[(
            "content/briefs/dup.md",
            "+++\ntitle = \"One\"\ndate = 2024-01-01\ntitle = \"Two\"\n+++\n",
        )],
        &["content/briefs/dup.md:4:"],
    );
}

#[test]
fn issue_6_dates_with_time_zones() {
    let s = TestSite::new(&[
        (
            "content/briefs/beirut.md",
            &brief("title: Beirut\ndate: 2024-05-01T09:30:00+03:00", "x"),
        ),
        (
            "content/briefs/toml.md",
            "+++\ntitle = \"Toml\"\ndate = 2024-05-01T23:30:00-05:00\n+++\nx\n",
        ),
        (
            "content/briefs/z.md",
            &brief("title: Zulu\ndate: 2024-05-01T06:00:00Z", "x"),
        ),
    ]);
    s.build(&[]).ok();
    assert_eq!(
        attrs(
            &s.html("briefs/beirut/index.html"),
            "time.dt-published",
            "datetime"
        ),
        ["2024-05-01T06:30:00Z"]
    );
    assert_eq!(
        attrs(
            &s.html("briefs/toml/index.html"),
            "time.dt-published",
            "datetime"
        ),
        ["2024-05-02T04:30:00Z"]
    );
    // Newest first by instant, not by the digits written.
    assert_eq!(
        texts(&s.html("index.html"), ".card-title"),
        ["Toml", "Beirut", "Zulu"]
    );
}

/// Also pins issue 2: "Markdown of any shape (deep nesting, huge files) never crashes or hangs".
#[test]
fn issue_6_hundred_thousand_deep_nesting_and_a_50_mb_brief() {
    let deep_quotes = ">".repeat(100_000) + " deep\n";
    let deep_lists: String = (0..5_000)
        .map(|i| format!("{}- item\n", " ".repeat(i * 2)))
        .collect();
    let brackets = "[".repeat(100_000) + &"]".repeat(100_000) + &"*".repeat(100_000);
    let paragraph = "A long paragraph of ordinary analysis that repeats itself.[^1] ".repeat(20);
    let mut big = String::with_capacity(51 << 20);
    while big.len() < 50 << 20 {
        big.push_str(&paragraph);
        big.push_str("\n\n## A heading\n\n");
    }
    big.push_str("[^1]: The note.\n");
    let s = TestSite::new(&[
        (
            "content/briefs/quotes.md",
            &brief("title: Q\ndate: 2024-01-01", &deep_quotes),
        ),
        (
            "content/briefs/lists.md",
            &brief("title: L\ndate: 2024-01-01", &deep_lists),
        ),
        (
            "content/briefs/brackets.md",
            &brief("title: B\ndate: 2024-01-01", &brackets),
        ),
        (
            "content/briefs/big.md",
            &brief("title: Big\ndate: 2024-01-01", &big),
        ),
    ]);
    // This test is about Markdown; indexing 50 MB for search in a debug build would dominate it.
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[search]\nenabled = false\n"),
    );
    s.build(&[]).ok();
    assert!(
        s.exists("briefs/quotes/index.html")
            && s.exists("briefs/lists/index.html")
            && s.exists("briefs/brackets/index.html")
    );
    assert!(
        std::fs::metadata(s.path("public/briefs/big/index.html"))
            .unwrap()
            .len()
            > 50 << 20
    );
}

#[test]
fn issue_6_dot_dot_in_image_does_not_read_or_write_outside() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "secret").unwrap();
    let s = TestSite::new(&[(
        "content/briefs/x/index.md",
        &brief(
            "title: T\ndate: 2024-01-01\nimage: ../../../../secret.png\nimage_alt: x",
            "x",
        ),
    )]);
    // A missing image is a build error (issue 22) that names the line; nothing is written.
    s.build(&[]).failed().says(
        "content/briefs/x/index.md:4:8: error: hero `image` \"../../../../secret.png\" is missing",
    );
    assert!(!s.path("public").exists());
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[build]\nbroken_links = \"warning\"\n"),
    );
    s.build(&[]).ok();
    let html = s.read("briefs/x/index.html");
    assert!(!html.contains("secret\""), "no file content is inlined");
    // Nothing outside the output folder was written, nothing from outside was copied in.
    assert!(
        !snapshot_dir(&s.path("public"))
            .values()
            .any(|b| b == b"secret")
    );
    // check reports the missing image at its line.
    let run = s.run(&["check"]);
    assert!(
        run.stdout
            .contains("\n  4:8      error    hero `image` \"../../../../secret.png\" is missing"),
        "{}",
        run.stdout
    );
}

#[test]
fn issue_6_unreadable_file_is_an_error_naming_it() {
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.build(&[]).ok();
    let before = s.snapshot("public");
    // A directory where a Markdown file is expected cannot be read as one.
    std::fs::create_dir_all(s.path("content/briefs/locked.md")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        s.write("content/briefs/secret.md", GOOD);
        std::fs::set_permissions(
            s.path("content/briefs/secret.md"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        let root = std::fs::read(s.path("content/briefs/secret.md")).is_ok(); // root reads anything
        let run = s.build(&[]);
        if !root {
            run.failed()
                .says("content/briefs/secret.md: error: cannot read");
            assert_eq!(before, s.snapshot("public"));
        }
        std::fs::set_permissions(
            s.path("content/briefs/secret.md"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
}

#[test]
fn issue_22_what_killed_builds_left_is_removed_by_the_next_one_and_only_that() {
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.build(&[]).ok();
    let parent = s.root();
    // A staging folder and an old output a killed build left (both carry the marker)…
    for left in [".public.staging-AbC123", ".public.old-XyZ789"] {
        std::fs::create_dir_all(parent.join(left).join("briefs/x")).unwrap();
        std::fs::write(parent.join(left).join(".dossier-output"), "").unwrap();
        std::fs::write(parent.join(left).join("briefs/x/index.html"), "half").unwrap();
    }
    // …a folder with our name pattern but no marker, and one a running build holds.
    std::fs::create_dir_all(parent.join(".public.staging-notours")).unwrap();
    std::fs::write(parent.join(".public.staging-notours/thesis.tex"), "mine").unwrap();
    std::fs::create_dir_all(parent.join(".public.staging-running")).unwrap();
    let held =
        std::fs::File::create(parent.join(".public.staging-running/.dossier-output")).unwrap();
    held.lock().unwrap();
    s.build(&[]).ok();
    assert!(!parent.join(".public.staging-AbC123").exists());
    assert!(!parent.join(".public.old-XyZ789").exists());
    assert_eq!(
        std::fs::read_to_string(parent.join(".public.staging-notours/thesis.tex")).unwrap(),
        "mine"
    );
    assert!(parent.join(".public.staging-running").exists());
    drop(held);
    // init ignores them in git.
    let t = TestSite::empty();
    run_in(t.root(), &["init", "s"]).ok();
    let ignore = std::fs::read_to_string(t.path("s/.gitignore")).unwrap();
    assert!(ignore.contains("/.public.staging-*/") && ignore.contains("/.public.old-*/"));
}

#[test]
fn issue_22_a_missing_content_folder_is_an_error_and_keeps_the_output() {
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.build(&[]).ok();
    let before = s.snapshot("public");
    std::fs::remove_dir_all(s.path("content")).unwrap();
    s.build(&[])
        .failed()
        .says("the site has no content/ folder");
    assert_eq!(before, s.snapshot("public"));
    s.write("content", "not a folder");
    s.build(&[])
        .failed()
        .says("content/ is a file, not a folder");
    assert_eq!(before, s.snapshot("public"));
}

#[cfg(unix)]
#[test]
fn issue_22_no_symbolic_link_is_followed_static_templates_themes_content() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    std::fs::create_dir_all(outside.path().join("tpl")).unwrap();
    std::fs::write(outside.path().join("tpl/base.html"), "STOLEN TEMPLATE").unwrap();
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    // static/ is a link to a folder outside the site.
    symlink(outside.path(), s.path("static")).unwrap();
    let run = s.build(&[]);
    run.ok().says("static: warning: symbolic link not followed");
    assert!(!s.exists("passwd"), "nothing from outside is published");
    std::fs::remove_file(s.path("static")).unwrap();
    // A link inside a real static/ folder, and templates/ as a link.
    s.write("static/real.txt", "real");
    symlink(outside.path().join("passwd"), s.path("static/passwd")).unwrap();
    symlink(outside.path().join("tpl"), s.path("templates")).unwrap();
    let run = s.build(&[]);
    run.ok()
        .says("static/passwd: warning: symbolic link not followed")
        .says("templates: warning: symbolic link not followed");
    assert!(s.exists("real.txt") && !s.exists("passwd"));
    assert!(!s.read("index.html").contains("STOLEN"));
    // A theme folder that is a link is an error naming it.
    std::fs::create_dir_all(s.path("themes")).unwrap();
    symlink(outside.path().join("tpl"), s.path("themes/plain")).unwrap();
    s.write("site.toml", &format!("{SITE_TOML}theme = \"plain\"\n"));
    s.build(&[])
        .failed()
        .says("themes/plain is a symbolic link, which dossier never follows");
    s.write("site.toml", &format!("{SITE_TOML}theme = \"../..\"\n"));
    s.build(&[])
        .failed()
        .says("site.toml:3:9: error: theme \"../..\" is not a folder name under themes/");
    s.write("site.toml", SITE_TOML);
    // content/ as a link is an error, and the previous output stays.
    let before = s.snapshot("public");
    let real = s.path("content-real");
    std::fs::rename(s.path("content"), &real).unwrap();
    symlink(&real, s.path("content")).unwrap();
    s.build(&[])
        .failed()
        .says("content: error: content/ is a symbolic link");
    assert_eq!(before, s.snapshot("public"));
}

#[test]
fn issue_22_urls_from_front_matter_and_site_toml_pass_the_scheme_allow_list() {
    let s = TestSite::new(&[
        ("content/briefs/good.md", GOOD),
        (
            "content/authors/a.md",
            "---\nname: A\nlinks:\n  site: \"javascript:alert(1)\"\n  data: \"data:text/html,<script>x</script>\"\n---\nBio.\n",
        ),
    ]);
    s.build(&[])
        .failed()
        .says("content/authors/a.md:")
        .says("link \"site\": \"javascript:alert(1)\" is not a link dossier publishes")
        .says("link \"data\": \"data:text/html,<script>x</script>\" is not a link");
    std::fs::remove_file(s.path("content/authors/a.md")).unwrap();
    s.write(
        "content/briefs/img.md",
        "---\ntitle: I\ndate: 2024-01-01\nimage: \"jav&#x61;script:alert(1)\"\nimage_alt: x\n---\nx\n",
    );
    s.build(&[])
        .failed()
        .says("content/briefs/img.md:4:8: error: `image`:");
    std::fs::remove_file(s.path("content/briefs/img.md")).unwrap();
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[[menu]]\nname = \"Evil\"\nurl = \"vbscript:msgbox\"\n"),
    );
    s.build(&[])
        .failed()
        .says("site.toml:5:7: error: menu item \"Evil\"");
}

#[test]
fn issue_22_encoded_dot_dot_in_an_alias_is_refused() {
    fails_cleanly(
        &[(
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2024-01-01\naliases: [\"/%2e%2e/%2e%2e/escaped/\"]\n---\nx\n",
        )],
        &["content/briefs/a.md:4:", "has `.` or `..` segments"],
    );
    fails_cleanly(
        &[(
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2024-01-01\naliases: [\"/%252e%252e/x/\"]\n---\nx\n",
        )],
        &["content/briefs/a.md:4:", "percent-encoded twice"],
    );
}

#[cfg(unix)]
#[test]
fn issue_22_a_file_swapped_for_a_link_during_a_build_is_not_copied() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    let s = TestSite::new(&[("content/briefs/good.md", GOOD)]);
    s.write("static/files/notes.txt", "notes");
    let mut opts = dossier::BuildOptions::new(s.root());
    opts.now = Some("2026-11-25T12:00:00Z".parse().unwrap());
    let built = dossier::build(&opts).unwrap();
    // Between the walk (the build above) and the copy, the folder becomes a link.
    std::fs::remove_dir_all(s.path("static/files")).unwrap();
    std::os::unix::fs::symlink(outside.path(), s.path("static/files")).unwrap();
    std::fs::rename(
        outside.path().join("passwd"),
        outside.path().join("notes.txt"),
    )
    .unwrap();
    let out = s.path("public");
    let stage = dossier::output::Staging::new(&out).unwrap();
    let err = stage.finish(&built.output).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(!out.exists(), "nothing was published");
}

#[test]
fn issue_22_collisions_name_both_source_files_with_their_lines() {
    // Two briefs on one slug: every file both write (page, citations) names both sources,
    // at the `slug:` line of the one that set it.
    let run = fails_cleanly(
        &[
            (
                "content/briefs/first.md",
                "---\ntitle: First\ndate: 2024-01-02\n---\nx\n",
            ),
            (
                "content/briefs/second.md",
                "---\ntitle: Second\ndate: 2024-01-01\nslug: first\n---\nx\n",
            ),
        ],
        &[
            "content/briefs/second.md:4:7: error: two sources write `briefs/first/cite.bib`: content/briefs/first.md (its citation files) and content/briefs/second.md:4 (its citation files)",
            "two sources write `briefs/first/index.html`: content/briefs/first.md and content/briefs/second.md:4 (its `slug`)",
        ],
    );
    assert!(!run.stderr.contains("a generated feed"), "{}", run.stderr);
    // An alias equal to another page's URL, at the `aliases:` line.
    fails_cleanly(
        &[(
            "content/briefs/moved.md",
            "---\ntitle: Moved\ndate: 2024-01-01\naliases: [/briefs/good/]\n---\nx\n",
        )],
        &[
            "content/briefs/moved.md:4:10: error: two sources write `briefs/good/index.html`: content/briefs/good.md and content/briefs/moved.md:4 (the alias \"/briefs/good/\")",
        ],
    );
    // An invalid language, at its line.
    fails_cleanly(
        &[(
            "content/briefs/l.md",
            "---\ntitle: L\ndate: 2024-01-01\nlanguage: en_GB\n---\nx\n",
        )],
        &[
            "content/briefs/l.md:4:11: error: `language`: \"en_GB\" is not a language tag",
            "\"en-GB\"",
        ],
    );
}
