//! A language section's lists and people (issue 27): `/ar/topics/` lists the terms that have
//! Arabic briefs, named and ordered in Arabic; `/ar/authors/` and `/ar/authors/<slug>/` list the
//! authors of Arabic briefs and their Arabic work, in the words of their profile's Arabic edition
//! (`content/authors/<slug>.ar.md`) where there is one; bylines and "About the author" on an
//! Arabic brief use them and link inside the section.

use crate::support::*;

fn site() -> TestSite {
    let s = TestSite::new(&[
        (
            "content/briefs/wells.md",
            &brief(
                "title: الآبار الجوفية\ndate: 2026-04-01\nlanguage: ar\nauthors: [Jane Doe, Sam Roe]\ntopics: [Water, Farming]",
                "الآبار الجوفية في البصرة.",
            ),
        ),
        (
            "content/briefs/dams.md",
            &brief(
                "title: السدود\ndate: 2026-03-01\nlanguage: ar\nauthors: Jane Doe\ntopics: [Water]",
                "السدود.",
            ),
        ),
        (
            "content/briefs/grid.md",
            &brief(
                "title: Grid Storage\ndate: 2026-02-01\nauthors: Jane Doe\ntopics: [Energy]",
                "Batteries first.",
            ),
        ),
        (
            "content/briefs/jordan.md",
            &brief(
                "title: הירדן\ndate: 2026-01-01\nlanguage: he\nauthors: Jane Doe\ntopics: [Water]",
                "מים משותפים.",
            ),
        ),
        (
            "content/authors/jane-doe.md",
            "---\nname: Jane Doe\nrole: Senior Fellow\naffiliation: Test Institute\n---\nJane studies rivers.\n",
        ),
        (
            "content/authors/jane-doe.ar.md",
            "---\nname: جين دو\nrole: زميلة أولى\n---\nتدرس جين الأنهار.\n",
        ),
        (
            "content/topics/water.md",
            "---\nname: Water\nname_ar: المياه\n---\n",
        ),
        (
            "content/topics/farming.md",
            "---\nname: Farming\nname_ar: الزراعة\n---\n",
        ),
    ]);
    s.build(&[]).ok();
    s
}

#[test]
fn a_section_lists_its_terms_in_its_language() {
    let s = site();
    let list = s.html("ar/topics/index.html");
    assert_eq!(attrs(&list, "html", "lang"), ["ar"]);
    assert_eq!(texts(&list, "h1"), ["المواضيع"]);
    // Only terms with Arabic briefs, in Arabic alphabetical order (ز before م).
    let links = attrs(&list, "main a[href*='/topics/']", "href");
    assert_eq!(links, ["/ar/topics/farming/", "/ar/topics/water/"]);
    let names = texts(&list, "main a[href*='/topics/']");
    assert!(
        names[0].contains("الزراعة") && names[1].contains("المياه"),
        "{names:?}"
    );
    // A term page's taxonomy link leads back to the section's list.
    let water = s.html("ar/topics/water/index.html");
    assert!(attrs(&water, "a", "href").contains(&"/ar/topics/".to_string()));
    assert!(!s.exists("ar/topics/energy/index.html"));
    // The sitemap has the list.
    assert!(
        s.read("sitemap.xml")
            .contains("<loc>https://test.example/ar/topics/</loc>")
    );
}

#[test]
fn a_section_lists_its_authors_in_their_words_in_its_language() {
    let s = site();
    let list = s.html("ar/authors/index.html");
    assert_eq!(texts(&list, "h1"), ["الخبراء"]);
    assert_eq!(
        texts(&list, ".person-name"),
        ["جين دو", "Sam Roe"],
        "the Arabic edition's name; an author without one keeps theirs"
    );
    assert_eq!(
        attrs(&list, ".person-name", "href"),
        ["/ar/authors/jane-doe/", "/ar/authors/sam-roe/"]
    );
    assert_eq!(texts(&list, ".person-role"), ["زميلة أولى"]);
    // Her page in the section: Arabic work only, the Arabic bio marked as Arabic.
    let page = s.html("ar/authors/jane-doe/index.html");
    assert_eq!(texts(&page, "h1"), ["جين دو"]);
    let titles: Vec<String> = texts(&page, ".card-title");
    assert_eq!(titles, ["الآبار الجوفية", "السدود"]);
    assert_eq!(texts(&page, ".profile-bio"), ["تدرس جين الأنهار."]);
    assert_eq!(attrs(&page, ".profile-bio", "lang"), ["ar"]);
    assert_eq!(attrs(&page, ".profile-bio", "dir"), ["rtl"]);
    // The section's menu leads to its list of authors.
    assert!(attrs(&page, "header nav a", "href").contains(&"/ar/authors/".to_string()));
    // Her main page is unchanged: English words, every brief.
    let main = s.html("authors/jane-doe/index.html");
    assert_eq!(texts(&main, "h1"), ["Jane Doe"]);
    assert_eq!(texts(&main, ".card-title").len(), 4);
    assert_eq!(attrs(&main, ".profile-bio", "lang"), ["en"]);
}

#[test]
fn an_arabic_brief_names_its_authors_in_arabic_and_links_inside_its_section() {
    let s = site();
    let brief = s.html("ar/briefs/wells/index.html");
    assert_eq!(
        attrs(&brief, ".byline-author", "href"),
        ["/ar/authors/jane-doe/", "/ar/authors/sam-roe/"]
    );
    assert_eq!(texts(&brief, ".byline-author"), ["جين دو", "Sam Roe"]);
    assert_eq!(texts(&brief, ".author-bio"), ["تدرس جين الأنهار."]);
    assert_eq!(attrs(&brief, ".author-bio", "lang"), ["ar"]);
    // An English brief keeps the profile as written.
    let grid = s.html("briefs/grid/index.html");
    assert_eq!(texts(&grid, ".byline-author"), ["Jane Doe"]);
    assert_eq!(
        attrs(&grid, ".byline-author", "href"),
        ["/authors/jane-doe/"]
    );
    assert_eq!(attrs(&grid, ".author-bio", "lang"), ["en"]);
    // In a language without an edition, the English bio says it is English.
    let he = s.html("he/authors/jane-doe/index.html");
    assert_eq!(texts(&he, "h1"), ["Jane Doe"]);
    assert_eq!(attrs(&he, ".profile-bio", "lang"), ["en"]);
    assert_eq!(attrs(&he, ".profile-bio", "dir"), ["ltr"]);
}

#[test]
fn a_profile_edition_needs_its_profile_and_another_language() {
    let s = TestSite::new(&[
        (
            "content/briefs/a.md",
            &brief("title: A\ndate: 2026-01-01\nauthors: Jane Doe", "Text."),
        ),
        ("content/authors/nobody.ar.md", "---\nname: لا أحد\n---\n"),
    ]);
    let run = s.build(&[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("content/authors/nobody.ar.md")
            && run
                .stderr
                .contains("content/authors/nobody.md, which does not exist"),
        "{}",
        run.stderr
    );
    let s = TestSite::new(&[
        (
            "content/briefs/a.md",
            &brief("title: A\ndate: 2026-01-01\nauthors: Jane Doe", "Text."),
        ),
        ("content/authors/jane-doe.md", "---\nname: Jane Doe\n---\n"),
        ("content/authors/jane-doe.en.md", "---\nname: Jane\n---\n"),
    ]);
    let run = s.build(&[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("is in the site's language"),
        "{}",
        run.stderr
    );
    // An unknown key is an error at its line.
    let s = TestSite::new(&[
        ("content/authors/jane-doe.md", "---\nname: Jane Doe\n---\n"),
        (
            "content/authors/jane-doe.ar.md",
            "---\nname: جين\nphoto: x.jpg\n---\n",
        ),
    ]);
    let run = s.build(&[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("jane-doe.ar.md:3") && run.stderr.contains("photo"),
        "{}",
        run.stderr
    );
}
