//! `dossier build` feature by feature, each on a tiny inline site (issue 2).

use crate::support::*;

const AUTHOR: &str = "---\nname: Renée Okafor-Laurent\nrole: Senior Fellow\naffiliation: Test Institute\nphoto: /img/renee.jpg\n---\nRenée writes about **grids**.\n";

fn one_brief_site(front: &str, body: &str) -> TestSite {
    TestSite::new(&[
        ("content/authors/renee-okafor-laurent.md", AUTHOR),
        ("static/img/renee.jpg", "jpeg"),
        ("content/briefs/a-brief.md", &brief(front, body)),
    ])
}

#[test]
fn issue_2_brief_page_has_the_whole_content_model() {
    let s = TestSite::new(&[
        ("content/authors/renee-okafor-laurent.md", AUTHOR),
        ("static/img/renee.jpg", "jpeg"),
        (
            "content/briefs/grid/index.md",
            &brief(
                "title: Storage & <Grids>\nsubtitle: Hours, not gigawatts\ndek: Batteries decide the next decade of the grid.\ndate: 2024-05-02\nupdated: 2024-06-01\nauthors: [renee-okafor-laurent, Jane Doe]\ntopics: [Energy Transition]\nregions: [Europe]\nimage: hero.png\nimage_alt: A chart\nimage_caption: Demand curve\nimage_credit: Photo by Test",
                "Body with a note.[^1]\n\n## One\n\n## Two\n\n## Three\n\n[^1]: The note.",
            ),
        ),
        ("content/briefs/grid/hero.png", "png"),
        (
            "content/briefs/older.md",
            &brief(
                "title: Older brief\ndate: 2024-01-01\nauthors: Jane Doe",
                "Old.",
            ),
        ),
    ]);
    let run = s.build(&[]);
    run.ok().says("author \"Jane Doe\" has no profile");
    let doc = s.html("briefs/grid/index.html");
    assert_eq!(texts(&doc, "h1"), ["Storage & <Grids>"]);
    assert_eq!(
        texts(&doc, "hgroup .brief-subtitle"),
        ["Hours, not gigawatts"]
    );
    assert_eq!(
        texts(&doc, ".brief-dek"),
        ["Batteries decide the next decade of the grid."]
    );
    assert_eq!(
        attrs(&doc, ".byline a", "href"),
        ["/authors/renee-okafor-laurent/", "/authors/jane-doe/"]
    );
    assert_eq!(
        texts(&doc, ".byline a"),
        ["Renée Okafor-Laurent", "Jane Doe"]
    );
    assert_eq!(
        attrs(&doc, "time.dt-published", "datetime")[0],
        "2024-05-02T00:00:00Z"
    );
    assert!(texts(&doc, ".brief-meta")[0].contains("Updated 1 June 2024"));
    assert_eq!(attrs(&doc, ".hero img", "src"), ["/briefs/grid/hero.png"]);
    assert_eq!(attrs(&doc, ".hero img", "alt"), ["A chart"]);
    assert_eq!(
        texts(&doc, ".hero figcaption"),
        ["Demand curve Image: Photo by Test"]
    );
    assert_eq!(
        attrs(&doc, ".tags a", "href"),
        ["/topics/energy-transition/", "/regions/europe/"]
    );
    assert_eq!(
        texts(&doc, ".author-name a"),
        ["Renée Okafor-Laurent", "Jane Doe"]
    );
    assert!(texts(&doc, ".author-bio")[0].contains("Renée writes about grids."));
    assert_eq!(attrs(&doc, ".author-photo", "src"), ["/img/renee.jpg"]);
    assert_eq!(attrs(&doc, ".brief-nav .older", "href"), ["/briefs/older/"]);
    assert_eq!(texts(&doc, ".toc a"), ["One", "Two", "Three"]);
    assert_eq!(attrs(&doc, ".footnote-ref a", "href"), ["#fn-1"]);
    assert_eq!(attrs(&doc, ".footnote-back", "href"), ["#fnref-1"]);
    // The bundle's file is copied beside the page; every internal link resolves.
    assert!(s.exists("briefs/grid/hero.png"));
    assert!(
        broken_links(&s.path("public"), "/").is_empty(),
        "{:?}",
        broken_links(&s.path("public"), "/")
    );
    // Front matter is escaped, never interpreted.
    assert!(
        s.read("briefs/grid/index.html")
            .contains("Storage &amp; &lt;Grids&gt;")
    );
}

#[test]
fn issue_2_link_checker_finds_broken_links() {
    let s = one_brief_site(
        "title: T\ndate: 2024-01-01",
        "[gone](/nowhere/) and [bad anchor](#missing)",
    );
    std::fs::remove_file(s.path("static/img/renee.jpg")).unwrap();
    // Broken internal links and images are build errors by default (issue 22)…
    s.build(&[])
        .failed()
        .says("content/briefs/a-brief.md:5:1: error: broken link `/nowhere/`")
        .says("content/authors/renee-okafor-laurent.md:5:8: error: `photo` is missing")
        .says("broken_links = \"warning\"");
    // …and warnings when the site says so; then the pages show them.
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[build]\nbroken_links = \"warning\"\n"),
    );
    s.build(&[])
        .ok()
        .says("content/briefs/a-brief.md:5:1: warning: broken link `/nowhere/`");
    let broken = broken_links(&s.path("public"), "/");
    assert!(
        broken
            .iter()
            .any(|b| b.starts_with("briefs/a-brief/index.html: /nowhere/")),
        "{broken:?}"
    );
    assert!(
        broken.iter().any(|b| b.contains("no id \"missing\"")),
        "{broken:?}"
    );
    assert!(
        broken.iter().any(|b| b.contains("/img/renee.jpg")),
        "the profile photo is missing too: {broken:?}"
    );
}

#[test]
fn issue_2_authors_resolve_by_slug_or_name_to_one_page() {
    let s = TestSite::new(&[
        ("content/authors/renee-okafor-laurent.md", AUTHOR),
        ("static/img/renee.jpg", "jpeg"),
        (
            "content/briefs/a.md",
            &brief(
                "title: A\ndate: 2024-01-01\nauthors: [renee-okafor-laurent]",
                "x",
            ),
        ),
        (
            "content/briefs/b.md",
            &brief(
                "title: B\ndate: 2024-01-02\nauthors: [Renée Okafor-Laurent]",
                "x",
            ),
        ),
    ]);
    s.build(&[]).ok().does_not_say("warning");
    let doc = s.html("authors/renee-okafor-laurent/index.html");
    assert_eq!(texts(&doc, ".card-title"), ["B", "A"], "newest first");
    assert!(texts(&doc, ".profile-bio")[0].contains("grids"));
    let list = s.html("authors/index.html");
    assert_eq!(texts(&list, ".person-name"), ["Renée Okafor-Laurent"]);
    assert_eq!(texts(&list, ".person-count"), ["2 briefs"]);
}

#[test]
fn issue_2_slug_collisions_warn_naming_both_spellings() {
    let s = TestSite::new(&[
        (
            "content/briefs/a.md",
            &brief("title: A\ndate: 2024-01-01\ntopics: [U.S. Policy]", "x"),
        ),
        (
            "content/briefs/b.md",
            &brief("title: B\ndate: 2024-01-02\ntopics: [u-s policy]", "x"),
        ),
    ]);
    let run = s.build(&[]);
    run.ok()
        .says("\"U.S. Policy\"")
        .says("\"u-s policy\"")
        .says("share one page");
    let doc = s.html("topics/u-s-policy/index.html");
    assert_eq!(texts(&doc, ".card-title").len(), 2);
}

#[test]
fn issue_2_transliterated_slugs() {
    let s = TestSite::new(&[(
        "content/briefs/Katai’b Hezbollah.md",
        &brief(
            "title: K\ndate: 2024-01-01\ntopics: [Katai’b Hezbollah]\nauthors: [Renée Okafor-Laurent]",
            "x",
        ),
    )]);
    s.build(&[]).ok();
    assert!(s.exists("briefs/kataib-hezbollah/index.html"));
    assert!(s.exists("topics/kataib-hezbollah/index.html"));
    assert!(s.exists("authors/renee-okafor-laurent/index.html"));
}

#[test]
fn issue_2_drafts_and_scheduled_briefs() {
    let s = TestSite::new(&[
        (
            "content/briefs/draft.md",
            &brief("title: Draft\ndate: 2024-01-01\ndraft: true", "x"),
        ),
        (
            "content/briefs/future.md",
            &brief("title: Future\ndate: 2026-11-26", "x"),
        ),
        (
            "content/briefs/today.md",
            &brief("title: Today\ndate: 2026-11-25T11:59:00Z", "x"),
        ),
    ]);
    let run = s.build(&[]);
    run.ok();
    assert!(
        run.stdout
            .contains("1 brief (2 drafts or scheduled briefs left out)"),
        "{}",
        run.stdout
    );
    assert!(!s.exists("briefs/draft/index.html"));
    assert!(!s.exists("briefs/future/index.html"));
    assert!(s.exists("briefs/today/index.html"));
    assert!(!s.read("feed.xml").contains("Draft"));
    s.build(&["--drafts", "--future"]).ok();
    assert!(s.exists("briefs/draft/index.html"));
    assert!(s.exists("briefs/future/index.html"));
}

#[test]
fn issue_2_future_cut_off_uses_the_site_time_zone() {
    // 2026-11-26 00:00 in Auckland (UTC+13) is 2026-11-25 11:00 UTC: already published at noon UTC.
    let s = TestSite::new(&[(
        "content/briefs/nz.md",
        &brief("title: NZ\ndate: 2026-11-26", "x"),
    )]);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}timezone = \"Pacific/Auckland\"\n"),
    );
    s.build(&[]).ok();
    assert!(s.exists("briefs/nz/index.html"));
    s.write(
        "site.toml",
        &format!("{SITE_TOML}timezone = \"America/New_York\"\n"),
    );
    s.build(&[]).ok();
    assert!(!s.exists("briefs/nz/index.html"));
}

#[test]
fn issue_2_pagination_of_home_and_terms() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("content/briefs/b{i}.md"),
                brief(
                    &format!("title: Brief {i}\ndate: 2024-01-0{i}\ntopics: [T]"),
                    "x",
                ),
            )
        })
        .collect();
    files.push(("site.toml".into(), format!("{SITE_TOML}paginate = 2\n")));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = TestSite::new(&refs);
    s.write("site.toml", &format!("{SITE_TOML}paginate = 2\n"));
    s.build(&[]).ok();
    assert_eq!(
        texts(&s.html("index.html"), ".card-title"),
        ["Brief 5", "Brief 4"]
    );
    assert_eq!(
        texts(&s.html("page/3/index.html"), ".card-title"),
        ["Brief 1"]
    );
    assert_eq!(
        attrs(&s.html("page/2/index.html"), "a[rel=next]", "href"),
        ["/page/3/"]
    );
    assert_eq!(
        texts(&s.html("topics/t/page/2/index.html"), ".card-title"),
        ["Brief 3", "Brief 2"]
    );
    assert!(!s.exists("page/4/index.html"));
}

#[test]
fn issue_2_toml_front_matter_sections_pages_and_declared_taxonomies() {
    let s = TestSite::new(&[
        (
            "content/briefs/t.md",
            "+++\ntitle = \"Toml brief\"\ndate = 2024-03-04\ntopics = [\"Trade\"]\n[taxonomies]\nprogrammes = [\"Energy\"]\n+++\nBody.\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\ndescription: Home desc\n---\nWelcome *text*.\n",
        ),
        ("content/about.md", "---\ntitle: About us\n---\nWe exist.\n"),
        (
            "content/programmes/energy.md",
            "---\nname: Energy & Climate\n---\nThe energy programme.\n",
        ),
    ]);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[[taxonomies]]\nname = \"programmes\"\ntitle = \"Programmes\"\n"),
    );
    s.build(&[]).ok();
    assert_eq!(texts(&s.html("briefs/t/index.html"), "h1"), ["Toml brief"]);
    assert!(s.read("index.html").contains("Welcome <em>text</em>."));
    assert_eq!(texts(&s.html("about/index.html"), "h1"), ["About us"]);
    let term = s.html("programmes/energy/index.html");
    assert_eq!(texts(&term, "h1"), ["Energy & Climate"]);
    assert!(texts(&term, ".intro")[0].contains("The energy programme."));
    assert!(s.exists("programmes/energy/feed.xml"));
}

#[test]
fn issue_2_markdown_features() {
    let body = "He said \"yes\" -- and ‘meant’ it.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n```rust\nfn main() {}\n```\n\n<div class=\"chart\">raw html</div>\n";
    let s = one_brief_site("title: T\ndate: 2024-01-01", body);
    s.build(&[]).ok();
    let html = s.read("briefs/a-brief/index.html");
    assert!(
        html.contains("“yes” – and ‘meant’ it"),
        "smart punctuation keeps curly quotes"
    );
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>gone</del>"));
    assert!(html.contains("class=\"hl-"), "highlighted with classes");
    assert!(html.contains("<div class=\"chart\">raw html</div>"));
    assert!(s.read("syntax.css").contains(".hl-"));
}

#[test]
fn issue_2_site_templates_override_and_extend_the_theme() {
    let s = one_brief_site("title: T\ndate: 2024-01-01", "x");
    s.write("templates/brief.html", "{% extends \"theme/brief.html\" %}{% block toc %}<p class=\"custom\">{{ page.title }} by override</p>{% endblock toc %}");
    s.write(
        "templates/partials/footer.html",
        "<footer class=\"mine\">{{ site.title }}</footer>",
    );
    s.build(&[]).ok();
    let doc = s.html("briefs/a-brief/index.html");
    assert_eq!(texts(&doc, ".custom"), ["T by override"]);
    assert_eq!(texts(&doc, "footer.mine"), ["Test Institute"]);
    assert_eq!(
        texts(&doc, "h1"),
        ["T"],
        "the rest of the theme's brief page is kept"
    );
}

#[test]
fn issue_2_static_files_404_and_robots() {
    let s = one_brief_site("title: T\ndate: 2024-01-01", "x");
    s.write("static/style.css", "/* mine */");
    s.write("static/docs/report.pdf", "%PDF");
    s.build(&[]).ok();
    assert_eq!(
        s.read("style.css"),
        "/* mine */",
        "site static/ replaces the theme's file"
    );
    assert!(s.exists("docs/report.pdf"));
    assert!(s.exists("favicon.svg"), "theme static files are copied");
    assert_eq!(texts(&s.html("404.html"), "h1"), ["Page not found"]);
    assert!(
        s.read("robots.txt")
            .contains("Sitemap: https://test.example/sitemap.xml")
    );
}

#[test]
fn issue_2_output_is_byte_identical_between_runs() {
    let s = one_brief_site(
        "title: T\ndate: 2024-01-01\ntopics: [A, B]",
        "x[^1]\n\n[^1]: n",
    );
    s.build(&[]).ok();
    // dossier's bookkeeping (a listing memo names inodes) is not the site.
    let site = |s: &TestSite| {
        let mut files = s.snapshot("public");
        files.retain(|rel, _| rel == ".dossier-output" || !dossier::output::is_bookkeeping(rel));
        files
    };
    let first = site(&s);
    s.build(&[]).ok();
    assert_eq!(first, site(&s));
}

#[test]
fn issue_2_summary_line_and_help() {
    let s = one_brief_site("title: T\ndate: 2024-01-01\ntopics: [A]", "x");
    let run = s.build(&[]);
    run.ok();
    let line = run.stdout.trim();
    assert!(
        line.starts_with("Built ")
            && line.contains(": 1 brief, 1 author, 1 topic in ")
            && line.contains(" ms"),
        "{line}"
    );
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["init", "--help"],
        vec!["new", "brief", "--help"],
    ] {
        let r = s.run(&args);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("Usage:"), "{}", r.stdout);
    }
    assert!(s.run(&["build", "--help"]).stdout.contains("--drafts"));
}

#[test]
fn issue_3_hero_image_without_alt_warns_with_position() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief("title: T\ndate: 2024-01-01\nimage: /x.png", "x"),
    )]);
    s.write("static/x.png", "png");
    s.build(&[])
        .ok()
        .says("content/briefs/a.md:4:8: warning: the hero `image` has no `image_alt`");
}

#[test]
fn issue_3_a_theme_folder_needs_only_the_templates_it_changes() {
    let s = one_brief_site("title: T\ndate: 2024-01-01", "x");
    s.write("site.toml", &format!("{SITE_TOML}theme = \"plain\"\n"));
    s.write(
        "themes/plain/templates/partials/header.html",
        "<header class=\"plain-header\">{{ site.title }}</header>",
    );
    s.write("themes/plain/static/plain.css", "/* plain */");
    s.build(&[]).ok();
    let doc = s.html("briefs/a-brief/index.html");
    assert_eq!(texts(&doc, "header.plain-header"), ["Test Institute"]);
    assert_eq!(
        texts(&doc, "h1"),
        ["T"],
        "the rest comes from the built-in theme"
    );
    assert!(s.exists("plain.css") && s.exists("style.css"));
    s.write("site.toml", &format!("{SITE_TOML}theme = \"missing\"\n"));
    s.build(&[]).failed().says("theme `missing` not found");
}

#[test]
fn issue_3_related_briefs_series_and_roles() {
    let s = TestSite::new(&[
        ("content/authors/renee-okafor-laurent.md", AUTHOR),
        ("static/img/renee.jpg", "jpeg"),
        (
            "content/briefs/main.md",
            &brief(
                "title: Main\ndate: 2024-06-01\ntopics: [A, B, C]\nseries: Grid Notes\nauthors: [renee-okafor-laurent]",
                "x",
            ),
        ),
        (
            "content/briefs/two-shared-old.md",
            &brief(
                "title: Two old\ndate: 2024-01-01\ntopics: [A, B]\nseries: Grid Notes",
                "x",
            ),
        ),
        (
            "content/briefs/two-shared-new.md",
            &brief("title: Two new\ndate: 2024-03-01\ntopics: [B, C]", "x"),
        ),
        (
            "content/briefs/three-shared.md",
            &brief("title: Three\ndate: 2023-01-01\ntopics: [A, B, C]", "x"),
        ),
        (
            "content/briefs/one-shared.md",
            &brief(
                "title: One\ndate: 2024-05-01\ntopics: [A]\nseries: Grid Notes",
                "x",
            ),
        ),
        (
            "content/briefs/none-shared.md",
            &brief("title: None\ndate: 2024-05-02\ntopics: [Z]", "x"),
        ),
    ]);
    s.build(&[]).ok();
    let doc = s.html("briefs/main/index.html");
    assert_eq!(
        texts(&doc, ".related a"),
        ["Three", "Two new", "Two old"],
        "most shared first, newest first on ties"
    );
    assert_eq!(
        texts(&doc, ".series li"),
        ["Two old", "One", "Main"],
        "series in reading order"
    );
    assert_eq!(texts(&doc, ".series [aria-current]"), ["Main"]);
    assert_eq!(
        texts(&doc, ".brief-header .byline-role"),
        [", Senior Fellow"]
    );
    assert!(texts(&doc, ".series-kicker")[0].contains("3/3"));
}

#[test]
fn issue_8_search_index_and_page_are_built_and_can_be_turned_off() {
    let s = one_brief_site(
        "title: Searchable\ndate: 2024-01-01\nauthors: [renee-okafor-laurent]\ntopics: [Water]",
        "Findable words.",
    );
    s.build(&[]).ok();
    assert!(s.exists("pagefind/pagefind.js"));
    assert!(s.exists("pagefind/pagefind-entry.json"));
    assert!(s.exists("search/index.html"));
    let doc = s.html("briefs/a-brief/index.html");
    assert_eq!(
        attrs(&doc, "[data-pagefind-filter=author]", "href"),
        ["/authors/renee-okafor-laurent/"]
    );
    assert_eq!(
        attrs(&doc, "[data-pagefind-filter=\"topic:Water\"]", "href"),
        ["/topics/water/"]
    );
    assert_eq!(
        attrs(&doc, "time[data-pagefind-filter]", "data-pagefind-filter"),
        ["year:2024"]
    );
    assert_eq!(attrs(&doc, "form.header-search", "action"), ["/search/"]);
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[search]\nenabled = false\n"),
    );
    s.build(&[]).ok();
    assert!(!s.exists("pagefind/pagefind.js"));
    assert!(!s.exists("search/index.html"));
}

#[test]
fn issue_21_counts_agree_with_their_nouns() {
    let s = TestSite::new(&[(
        "content/briefs/only.md",
        "---\ntitle: Only\ndate: 2024-01-01\nauthors: [Ann Lee]\ntopics: [Water]\n---\nBody.\n",
    )]);
    let run = s.build(&[]);
    run.ok();
    assert!(
        run.stdout.contains("1 brief, 1 author, 1 topic"),
        "{}",
        run.stdout
    );
    let search = s.html("search/index.html");
    assert_eq!(texts(&search, "label[for=search-q]"), ["Search 1 brief"]);
    let term = s.html("topics/water/index.html");
    assert_eq!(
        texts(&term, ".listing-meta")[0].split(" ·").next(),
        Some("1 brief")
    );
}

#[test]
fn issue_22_previews_of_drafts_and_scheduled_briefs_say_so_and_stay_out_of_feeds() {
    let s = TestSite::new(&[
        (
            "content/briefs/out.md",
            &brief(
                "title: Out\ndate: 2026-01-01\nauthors: [Ann Lee]",
                "Published.",
            ),
        ),
        (
            "content/briefs/draft.md",
            &brief(
                "title: Draft one\ndate: 2026-02-01\nauthors: [Ann Lee]\ndraft: true",
                "Not yet.",
            ),
        ),
        (
            "content/briefs/later.md",
            &brief(
                "title: Later one\ndate: 2026-12-24T17:30:00Z\nauthors: [Ann Lee]",
                "Embargoed.",
            ),
        ),
        (
            "content/notes.md",
            "---\ntitle: Notes\ndraft: true\n---\nA draft page.\n",
        ),
    ]);
    s.build(&["--drafts", "--future"]).ok();
    let draft = s.html("briefs/draft/index.html");
    assert_eq!(
        attrs(&draft, "meta[name=robots]", "content"),
        ["noindex, follow"]
    );
    assert!(texts(&draft, ".status-banner")[0].starts_with("Draft: not published"));
    let later = s.html("briefs/later/index.html");
    assert_eq!(
        attrs(&later, "meta[name=robots]", "content"),
        ["noindex, follow"]
    );
    assert!(
        texts(&later, ".status-banner")[0]
            .starts_with("Scheduled: publishes 24 December 2026 at 17:30 (UTC)"),
        "{:?}",
        texts(&later, ".status-banner")
    );
    let notes = s.html("notes/index.html");
    assert_eq!(texts(&notes, ".status-banner").len(), 1);
    let out = s.html("briefs/out/index.html");
    assert!(attrs(&out, "meta[name=robots]", "content").is_empty());
    assert!(texts(&out, ".status-banner").is_empty());
    // Listings show them, marked; feeds and the sitemap do not.
    let home = s.html("index.html");
    assert!(texts(&home, ".card-meta strong").contains(&"Draft".to_string()));
    assert!(texts(&home, ".card-meta strong").contains(&"Scheduled".to_string()));
    for feed in ["feed.xml", "authors/ann-lee/feed.xml"] {
        let xml = s.read(feed);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
            .filter_map(|t| t.text())
            .collect();
        assert_eq!(titles, ["Out"], "{feed}");
    }
    let json: serde_json::Value = serde_json::from_str(&s.read("feed.json")).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 1);
    let sitemap = s.read("sitemap.xml");
    assert!(sitemap.contains("/briefs/out/"));
    for hidden in ["/briefs/draft/", "/briefs/later/", "/notes/", "/search/"] {
        assert!(!sitemap.contains(hidden), "{hidden} in the sitemap");
    }
}

#[test]
fn issue_22_a_byline_of_ten_thousand_authors_keeps_the_output_linear() {
    let authors: Vec<String> = (0..3000).map(|i| format!("Author {i}")).collect();
    let s = TestSite::new(&[(
        "content/briefs/big.md",
        &brief(
            &format!(
                "title: Big\ndate: 2026-01-01\nauthors: [{}]",
                authors.join(", ")
            ),
            "Body.",
        ),
    )]);
    let run = s.build(&[]);
    run.ok()
        .says("this brief lists 3000 authors: listings and feeds name the first 10");
    // The brief names everyone; listings and feeds name ten and count the rest.
    let page = s.html("briefs/big/index.html");
    assert_eq!(texts(&page, ".brief-header .byline-author").len(), 3000);
    let author_page = s.read("authors/author-1234/index.html");
    assert!(
        author_page.contains("and 2,990 others"),
        "listing byline is cut"
    );
    let feed = s.read("authors/author-1234/feed.xml");
    assert_eq!(feed.matches("<author>").count(), 10);
    // The whole output stays small: no page or feed repeats the whole byline.
    let total: usize = s.snapshot("public").values().map(Vec::len).sum();
    assert!(total < 60 << 20, "{total} bytes for one brief");
}
