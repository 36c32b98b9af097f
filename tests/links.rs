//! `@/` internal links (issue 6): resolved at build time; broken ones are errors with file:line.

use crate::support::*;

#[test]
fn issue_6_internal_links_resolve_to_urls() {
    let s = TestSite::new(&[
        (
            "content/briefs/a.md",
            &brief(
                "title: A\ndate: 2024-01-02\nauthors: [Jane Doe]\ntopics: [Water & Power]",
                "See [B](@/briefs/b.md#findings), [the bundle](@/briefs/c/index.md), [C again](@/briefs/c),\n[Jane](@/authors/jane-doe.md), [water](@/topics/water-power.md) and [about](@/about.md).",
            ),
        ),
        (
            "content/briefs/b.md",
            &brief("title: B\ndate: 2024-01-01\nslug: bee", "## Findings\n\nx"),
        ),
        (
            "content/briefs/c/index.md",
            &brief("title: C\ndate: 2024-01-01", "c"),
        ),
        (
            "content/about.md",
            "---\ntitle: About\n---\nBack to [A](@/briefs/a.md).\n",
        ),
    ]);
    s.build(&[]).ok();
    let doc = s.html("briefs/a/index.html");
    assert_eq!(
        attrs(&doc, ".brief-body a", "href"),
        [
            "/briefs/bee/#findings",
            "/briefs/c/",
            "/briefs/c/",
            "/authors/jane-doe/",
            "/topics/water-power/",
            "/about/"
        ]
    );
    assert_eq!(
        attrs(&s.html("about/index.html"), ".brief-body a", "href"),
        ["/briefs/a/"]
    );
    assert!(
        broken_links(&s.path("public"), "/").is_empty(),
        "{:?}",
        broken_links(&s.path("public"), "/")
    );
    // From a sub-path too.
    s.build(&["--base-url", "https://x.example/research/"]).ok();
    assert_eq!(
        attrs(&s.html("briefs/a/index.html"), ".brief-body a", "href")[0],
        "/research/briefs/bee/#findings"
    );
}

#[test]
fn issue_6_broken_internal_links_are_errors_with_file_and_line() {
    let s = TestSite::new(&[
        (
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2024-01-01\n---\nFirst line.\n\nSee [gone](@/briefs/nope.md)\nand [draft](@/briefs/d.md).\n",
        ),
        (
            "content/briefs/d.md",
            &brief("title: D\ndate: 2024-01-01\ndraft: true", "d"),
        ),
    ]);
    let run = s.build(&[]);
    run.failed()
        .says("content/briefs/a.md:7:1: error: broken internal link `@/briefs/nope.md`: content/briefs/nope.md does not exist")
        .says("content/briefs/a.md:8:1: error: broken internal link `@/briefs/d.md`")
        .says("draft or scheduled");
    // With --drafts the draft is published and the link resolves; the other stays broken.
    s.write(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n[draft](@/briefs/d.md)\n",
    );
    s.build(&["--drafts"]).ok();
    assert_eq!(
        attrs(&s.html("briefs/a/index.html"), ".brief-body a", "href"),
        ["/briefs/d/"]
    );
}
