//! `dossier import wordpress` (issue 28) on a realistic export written for the tests
//! (`tests/fixtures/wordpress/export.xml`: three authors and a Co-Authors Plus guest, both
//! editors, categories, tags, a custom taxonomy, Polylang's language, drafts, a scheduled post,
//! a private post, pages in a tree, attachments, shortcodes, Gutenberg embeds, a Datawrapper
//! frame, footnote plugins, an Arabic post, a duplicate slug and a missing upload). The imported
//! site builds, passes `dossier check`, and every old permalink of what it publishes redirects
//! to the new page. A second run writes nothing; a malformed export writes nothing.

use std::path::{Path, PathBuf};

use crate::support::*;

fn export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress/export.xml")
}

/// A site with a programmes taxonomy, and a copy of wp-content/uploads beside it (without the
/// crane photo the export also links to).
fn site() -> (TestSite, PathBuf) {
    let s = TestSite::new(&[(
        "site.toml",
        &format!("{SITE_TOML}\n[[taxonomies]]\nname = \"programmes\"\n"),
    )]);
    let up = s.path("old-uploads");
    s.write_bytes(
        "old-uploads/2025/03/pump-station.jpg",
        &tiny_image(image::ImageFormat::Jpeg),
    );
    s.write_bytes(
        "old-uploads/2024/11/reservoir.png",
        &tiny_image(image::ImageFormat::Png),
    );
    s.write(
        "old-uploads/2025/03/pumping-data.csv",
        "district,cost\nHilla,12\n",
    );
    (s, up)
}

fn import(s: &TestSite, uploads: &Path) -> Run {
    let export = export();
    s.run(&[
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--uploads",
        uploads.to_str().unwrap(),
        "--map",
        "post_tag=regions",
    ])
}

fn read(s: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(s.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn an_export_becomes_a_site_that_builds_checks_and_redirects_every_old_address() {
    let (s, uploads) = site();
    let run = import(&s, &uploads);
    // Two items could not be imported: the command says which, and exits 1.
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("briefs: 7 (6 written"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("media files: 5 copied"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("old addresses that redirect (aliases): 5 written"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\"Ports and power\" (line 179 of the export): its slug `ports-and-power`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "\"Harbour cranes\" (line 191 of the export): the upload 2023/09/crane-missing.jpg"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"Board minutes\"") && run.stdout.contains("private"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("shortcode [contact-form-7]"),
        "{}",
        run.stdout
    );
    // Nothing of the failed item, and no half-written folder.
    assert!(
        !s.path("content/briefs/harbour-cranes").exists()
            && !s.path("content/briefs/harbour-cranes.md").exists()
    );
    let leftovers: Vec<_> = walkdir::WalkDir::new(s.path("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("import-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The post: a bundle with its media, mapped terms, co-authors, hero, alias, components.
    let post = read(&s, "content/briefs/pumping-the-tigris/index.md");
    for line in [
        "title: \"Pumping the Tigris: who pays for the lift\"",
        "date: 2025-03-11T08:30:00+00:00",
        "authors: [\"leyla-karimi\", \"samir-haddad\"]",
        "topics: [\"Water\", \"Energy\"]",
        "regions: [\"Iraq\"]",
        "  programmes: [\"Climate and Security\"]",
        "image: \"pump-station.jpg\"",
        "image_alt: \"A pumping station on a canal bank\"",
        "aliases: [\"/2025/03/pumping-the-tigris/\"]",
        "{{ video(provider=\"youtube\", id=\"Q9x_7aLm2Ks\", title=\"Panel: the price of lifting water\") }}",
        "{{ chart(provider=\"datawrapper\", id=\"Xk29a\", title=\"Pumping costs by district\") }}",
        "[^1]: Pumping records from three districts, 2015–2024.",
        "See the [district data](pumping-data.csv).",
    ] {
        assert!(
            post.lines().any(|l| l == line),
            "missing {line:?} in\n{post}"
        );
    }
    assert!(!post.contains("wp:") && !post.contains("<iframe"), "{post}");
    for f in [
        "pump-station.jpg",
        "pump-station-1024x683.jpg",
        "pumping-data.csv",
    ] {
        assert!(
            s.path("content/briefs/pumping-the-tigris")
                .join(f)
                .is_file(),
            "{f}"
        );
    }
    // The guest author's bio; the user without a display name by first and last name.
    assert!(read(&s, "content/authors/samir-haddad.md").contains("advises canal districts"));
    assert!(read(&s, "content/authors/tunde-okafor.md").contains("name: \"Tunde Okafor\""));
    assert!(read(&s, "content/topics/water.md").contains("Rivers, aquifers"));
    // Draft, scheduled, classic editor, Arabic (Polylang), pages.
    assert!(read(&s, "content/briefs/desalination-notes-draft.md").contains("\ndraft: true\n"));
    assert!(
        read(&s, "content/briefs/winter-demand-outlook.md")
            .contains("date: 2031-01-15T09:00:00+00:00")
    );
    let classic = read(&s, "content/briefs/reservoirs-we-forget/index.md");
    assert!(
        classic.contains("\n\nMaintenance budgets are the first to go.\\\n"),
        "{classic}"
    );
    assert!(
        classic.contains("[^1]: Sediment surveys are rare"),
        "{classic}"
    );
    assert!(classic.contains("{{ social(url=\"https://twitter.com/canalwatch/status/1800000000000000001\", text=\"Dredging budgets fell again this year.\", author=\"Canal Watch\") }}"), "{classic}");
    assert!(!classic.contains("widgets.js"), "{classic}");
    assert!(classic.contains("{{ figure(src=\"reservoir.png\", alt=\"A half-empty reservoir behind a small dam\", caption=\"A silted reservoir.\") }}"), "{classic}");
    assert!(read(&s, "content/briefs/irrigation-pricing-ar.md").contains("language: \"ar\""));
    assert!(read(&s, "content/team.md").contains("aliases: [\"/about/team/\"]"));

    // The site builds and checks.
    s.build(&[]).ok();
    let check = s.run(&["check"]);
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    let page = s.html("briefs/pumping-the-tigris/index.html");
    assert_eq!(
        texts(&page, ".byline-author"),
        ["Leyla Karimi", "Samir Haddad"]
    );
    assert_eq!(page.select(&sel("figure.embed-video")).count(), 1);
    assert_eq!(page.select(&sel("figure.embed-chart")).count(), 1);
    assert_eq!(
        page.select(&sel(".brief-body figure.figure img")).count(),
        1
    );
    // The bundle's image, processed: a responsive set with its size (no layout shift).
    assert_eq!(
        attrs(&page, ".brief-body figure.figure img", "width"),
        ["64"]
    );
    assert!(!attrs(&page, ".brief-body figure.figure img", "srcset")[0].is_empty());
    assert_eq!(
        attrs(
            &s.html("ar/briefs/irrigation-pricing-ar/index.html"),
            "html",
            "lang"
        ),
        ["ar"]
    );

    // Every old address of what is published redirects to a page that exists.
    let xml = std::fs::read_to_string(export()).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut checked = 0;
    for item in doc.descendants().filter(|n| n.has_tag_name("item")) {
        let text = |name: &str| {
            item.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .unwrap_or("")
                .to_string()
        };
        let (status, kind, link) = (text("status"), text("post_type"), text("link"));
        let gone = [
            "board-minutes",
            "harbour-cranes",
            "2023/07/ports-and-power-2",
        ];
        if status != "publish"
            || !["post", "page"].contains(&kind.as_str())
            || gone.iter().any(|g| link.contains(g))
        {
            continue;
        }
        let path = link.trim_start_matches("https://old.harbour-forum.example/");
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .unwrap()
            .into_owned();
        let file = format!("{path}index.html");
        assert!(s.exists(&file), "the old address /{path} has no page");
        let html = s.read(&file);
        if let Some(to) = html.split("url=").nth(1).and_then(|r| r.split('"').next()) {
            let target = to.trim_start_matches("https://test.example/");
            assert!(
                s.exists(&format!("{target}index.html")),
                "/{path} redirects to a missing {to}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 6, "every published post and page");
}

#[test]
fn a_second_run_writes_nothing() {
    let (s, uploads) = site();
    import(&s, &uploads);
    let stamp = |rel: &str| std::fs::metadata(s.path(rel)).unwrap().modified().unwrap();
    let before = stamp("content/briefs/pumping-the-tigris/index.md");
    let run = import(&s, &uploads);
    assert!(
        run.stdout.contains("briefs: 7 (0 written, 6 unchanged"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("media files: 0 copied"),
        "{}",
        run.stdout
    );
    assert_eq!(stamp("content/briefs/pumping-the-tigris/index.md"), before);
    // A file someone edited since is left as it is, and said to be.
    s.write("content/team.md", "---\ntitle: Our people\n---\nEdited.\n");
    let run = import(&s, &uploads);
    assert!(
        run.stdout
            .contains("content/team.md: exists with other text; not overwritten"),
        "{}",
        run.stdout
    );
    assert_eq!(
        read(&s, "content/team.md"),
        "---\ntitle: Our people\n---\nEdited.\n"
    );
}

#[test]
fn a_malformed_export_or_mapping_writes_nothing() {
    let (s, uploads) = site();
    let xml = std::fs::read_to_string(export()).unwrap();
    // Cut off inside a post's body, as an interrupted download would be.
    let cut = &xml[..xml.find("Small reservoirs").unwrap()];
    s.write("broken.xml", cut);
    let run = s.run(&[
        "import",
        "wordpress",
        "broken.xml",
        "--uploads",
        uploads.to_str().unwrap(),
    ]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("broken.xml:") && run.stderr.contains("not valid XML"),
        "{}",
        run.stderr
    );
    assert!(!s.path("content/briefs").exists(), "nothing written");
    let run = s.run(&[
        "import",
        "wordpress",
        export().to_str().unwrap(),
        "--map",
        "post_tag=places",
    ]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("the site has no taxonomy `places`"),
        "{}",
        run.stderr
    );
    assert!(!s.path("content/briefs").exists(), "nothing written");
}
