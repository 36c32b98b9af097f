//! Terms in a hierarchy, programmes as first-class pages, case-variant terms and the home page
//! (issue 24).

use crate::support::*;

fn site() -> TestSite {
    let s = TestSite::new(&[
        (
            "content/authors/ann.md",
            "---\nname: Ann Lee\nrole: Director, Energy Programme\n---\nAnn leads the energy work.\n",
        ),
        (
            "content/authors/bo.md",
            "---\nname: Bo Chen\nrole: Fellow\n---\nBo writes on grids.\n",
        ),
        (
            "content/regions/middle-east.md",
            "---\nname: Middle East\n---\nThe region.\n",
        ),
        (
            "content/regions/gulf.md",
            "---\nname: Gulf\nparent: middle-east\n---\nThe Gulf states.\n",
        ),
        (
            "content/regions/qatar.md",
            "---\nname: Qatar\nparent: gulf\n---\n",
        ),
        (
            "content/programmes/energy.md",
            "---\nname: Energy Programme\ndirectors: [ann]\n---\nThe programme on energy and climate.\n",
        ),
        (
            "content/briefs/doha.md",
            &brief(
                "title: Doha Grid\ndate: 2025-03-01\nauthors: [bo]\nregions: [Qatar]\ntopics: [Energy, energy]\ntaxonomies:\n  programmes: [Energy Programme]\nfeatured: true\nimage: /hero.png\nimage_alt: A substation",
                "Doha.",
            ),
        ),
        (
            "content/briefs/gulf.md",
            &brief(
                "title: Gulf Trade\ndate: 2025-02-01\nauthors: [ann, bo]\nregions: [Gulf]\ntopics: [energy]\ntaxonomies:\n  programmes: [Energy Programme]",
                "Gulf.",
            ),
        ),
        (
            "content/briefs/levant.md",
            &brief(
                "title: Levant Water\ndate: 2025-01-01\nauthors: [bo]\nregions: [Middle East]\ntopics: [ENERGY]",
                "Levant.",
            ),
        ),
        (
            "content/briefs/other.md",
            &brief(
                "title: Other\ndate: 2024-12-01\nauthors: [ann]\ntopics: [Energy]\ntype: commentary",
                "Other.",
            ),
        ),
        (
            "content/reports/_index.md",
            "---\ntitle: Reports\ntype: report\n---\n",
        ),
        (
            "content/reports/annual.md",
            &brief(
                "title: Annual Report\ndate: 2024-11-01\nauthors: [ann]",
                "Annual.",
            ),
        ),
    ]);
    s.write("static/hero.png", "png");
    s.write_bytes(
        "static/logo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.write(
        "site.toml",
        &format!("{SITE_TOML}paginate = 2\n[[taxonomies]]\nname = \"programmes\"\ntitle = \"Programmes\"\nsingular = \"Programme\"\n[metadata]\nlogo = \"/logo.svg\"\n[home]\nlatest_types = [\"report\", \"commentary\"]\n"),
    );
    s.build(&[]).ok();
    s
}

#[test]
fn issue_24_a_parent_term_lists_its_descendants_work_with_breadcrumbs() {
    let s = site();
    let me = s.html("regions/middle-east/index.html");
    assert_eq!(
        texts(&me, ".listing-meta")[0].split(" ·").next(),
        Some("3 items")
    );
    assert_eq!(texts(&me, ".subterms a"), ["Gulf"]);
    assert_eq!(
        texts(&s.html("regions/gulf/index.html"), ".card-title"),
        ["Doha Grid", "Gulf Trade"]
    );
    let qatar = s.html("regions/qatar/index.html");
    assert_eq!(
        texts(&qatar, ".breadcrumbs a"),
        ["Regions", "Middle East", "Gulf"]
    );
    assert_eq!(texts(&qatar, ".card-title"), ["Doha Grid"]);
    // A brief keeps only the region it names.
    let doha = s.html("briefs/doha/index.html");
    assert_eq!(
        texts(&doha, "a[data-pagefind-filter^=\"region:\"]"),
        ["Qatar"]
    );
}

#[test]
fn issue_24_terms_differing_only_in_case_list_a_brief_once() {
    let s = site();
    let energy = s.html("topics/energy/index.html");
    assert_eq!(
        texts(&energy, ".listing-meta")[0].split(" ·").next(),
        Some("4 items")
    );
    assert_eq!(texts(&energy, ".card-title"), ["Doha Grid", "Gulf Trade"]);
    assert!(s.exists("topics/energy/page/2/index.html"));
    assert!(
        !s.exists("topics/energy/page/3/index.html"),
        "two pages for four briefs"
    );
    let doha = s.html("briefs/doha/index.html");
    assert_eq!(
        texts(&doha, "a[data-pagefind-filter^=\"topic:\"]"),
        ["Energy"]
    );
}

#[test]
fn issue_24_a_programme_page_has_directors_experts_and_latest_work() {
    let s = site();
    let p = s.html("programmes/energy/index.html");
    assert_eq!(texts(&p, "h1"), ["Energy Programme"]);
    assert!(texts(&p, ".intro")[0].contains("energy and climate"));
    let lists = texts(&p, ".people-list");
    assert_eq!(
        lists[0], "Ann Lee, Director, Energy Programme",
        "the director"
    );
    // Experts: most briefs first.
    assert_eq!(
        texts(&p, ".people-list li a"),
        ["Ann Lee", "Bo Chen", "Ann Lee"]
    );
    assert_eq!(texts(&p, ".card-title"), ["Doha Grid", "Gulf Trade"]);
    // Declared taxonomies show on the brief page.
    let doha = s.html("briefs/doha/index.html");
    assert_eq!(
        texts(&doha, "a[data-pagefind-filter^=\"programme:\"]"),
        ["Energy Programme"]
    );
}

#[test]
fn issue_24_the_home_page_features_latest_by_type_and_programmes() {
    let s = site();
    let home = s.html("index.html");
    assert_eq!(texts(&home, ".featured .feature-title"), ["Doha Grid"]);
    assert_eq!(attrs(&home, ".featured img", "src"), ["/hero.png"]);
    assert_eq!(
        texts(&home, ".latest-row h2.section-label"),
        ["Reports", "Commentary"]
    );
    assert_eq!(
        texts(&home, ".latest-row .card-title"),
        ["Annual Report", "Other"]
    );
    assert_eq!(texts(&home, ".strip a"), ["Programmes", "Energy Programme"]);
    assert_eq!(attrs(&home, ".masthead img.logo", "src"), ["/logo.svg"]);
    // `[home] featured` names an item; one that names nothing is an error at its line.
    let toml = s.read_site_toml();
    s.write(
        "site.toml",
        &toml.replace("[home]\n", "[home]\nfeatured = [\"reports/annual.md\"]\n"),
    );
    s.build(&[]).ok();
    assert_eq!(
        texts(&s.html("index.html"), ".featured .feature-title"),
        ["Annual Report"]
    );
    s.write(
        "site.toml",
        &toml.replace("[home]\n", "[home]\nfeatured = [\"briefs/nope.md\"]\n"),
    );
    s.build(&[])
        .failed()
        .says("site.toml:11:12: error: `[home] featured` names \"briefs/nope.md\"");
}

#[test]
fn issue_24_parent_cycles_unknown_parents_and_directors_are_errors_at_their_line() {
    let s = site();
    s.write(
        "content/regions/middle-east.md",
        "---\nname: Middle East\nparent: qatar\n---\n",
    );
    s.write(
        "content/regions/levant.md",
        "---\nname: Levant\nparent: mashriq\n---\n",
    );
    s.write(
        "content/programmes/energy.md",
        "---\nname: Energy Programme\ndirectors: [ann, zed]\n---\n",
    );
    s.build(&[])
        .failed()
        .says("error: region parents form a cycle: ")
        .says(
            "content/regions/levant.md:3:9: error: `parent` \"mashriq\" is no region of this site",
        )
        .says("content/programmes/energy.md:3:12: error: director \"zed\" has no author profile");
}
