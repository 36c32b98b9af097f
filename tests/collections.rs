//! A whole institution's site (issue 24): collections beside the briefs with their listings,
//! feeds and templates; publication types and their listings; year archives; events with
//! iCalendar files (read by Python's icalendar) and JSON-LD `Event` (read by extruct); full
//! content in feeds (read by feedparser); series landing pages; expiry.

use crate::support::*;

/// Items of three collections: briefs over two years, reports sorted by title, events by
/// start.
fn site() -> TestSite {
    let s = TestSite::new(&[
        ("content/about.md", "---\ntitle: About\n---\nAbout us.\n"),
        (
            "content/briefs/a/index.md",
            &brief(
                "title: Alpha Brief\ndate: 2025-03-01\nauthors: [Ann Lee]\ntopics: [Water]\nseries: Water Notes",
                "Alpha body with [a link](/about/) and ![chart](chart.png).",
            ),
        ),
        (
            "content/briefs/b.md",
            &brief(
                "title: Beta Brief\ndate: 2024-06-01\nauthors: [Ann Lee]\ntopics: [Water]\nseries: Water Notes",
                "Beta body.",
            ),
        ),
        (
            "content/briefs/c.md",
            &brief(
                "title: Gamma Brief\ndate: 2024-02-01\nauthors: [Bo Chen]\nseries: Water Notes",
                "Gamma body.",
            ),
        ),
        (
            "content/reports/_index.md",
            "---\ntitle: Research reports\ndescription: Long-form research.\ntype: report\nsort_by: title\n---\nOur reports.\n",
        ),
        (
            "content/reports/zeta.md",
            &brief(
                "title: Zeta Report\ndate: 2025-05-01\nauthors: [Ann Lee]",
                "Zeta body.",
            ),
        ),
        (
            "content/reports/eta.md",
            &brief(
                "title: Eta Report\ndate: 2025-01-01\nauthors: [Bo Chen]",
                "Eta body.",
            ),
        ),
        (
            "content/reports/theta.md",
            &brief(
                "title: Theta Paper\ndate: 2025-02-01\nauthors: [Bo Chen]\ntype: working-paper",
                "Theta body.",
            ),
        ),
        (
            "content/events/_index.md",
            "---\ntitle: Events\ntype: event\nsort_by: start\n---\n",
        ),
        (
            "content/events/launch.md",
            &brief(
                "title: Report Launch; Q&A, Drinks\ndate: 2026-11-01\nstart: 2026-12-10 18:30\nend: 2026-12-10 20:00\nlocation: Fenwick Hall, 14 Fenwick Row; London\nregistration_url: https://tickets.example/launch\nauthors: [Ann Lee]\nsummary: The launch of the annual report.",
                "Join us.",
            ),
        ),
        (
            "content/events/webinar.md",
            &brief(
                "title: Webinar\ndate: 2026-10-01\nstart: 2026-10-20 14:00\nlocation: Online",
                "Online.",
            ),
        ),
        (
            "content/events/old.md",
            &brief(
                "title: Old Roundtable\ndate: 2026-01-01\nstart: 2026-02-01 10:00\nexpires: 2026-03-01",
                "Gone.",
            ),
        ),
    ]);
    s.write("content/briefs/a/chart.png", "png");
    s.write(
        "site.toml",
        &format!("{SITE_TOML}paginate = 2\ntimezone = \"Europe/London\"\n"),
    );
    s.build(&[]).ok();
    s
}

fn card_titles(s: &TestSite, page: &str) -> Vec<String> {
    texts(&s.html(page), ".card-title")
}

#[test]
fn issue_24_every_folder_with_an_index_is_a_collection_with_a_listing() {
    let s = site();
    // The events listing exists, sorted by start (newest first), and the expired one is gone.
    assert_eq!(
        card_titles(&s, "events/index.html"),
        ["Report Launch; Q&A, Drinks", "Webinar"]
    );
    assert!(!s.exists("events/old/index.html"), "expired");
    // Reports by title, two a page, with the section's title, description and introduction.
    let reports = s.html("reports/index.html");
    assert_eq!(texts(&reports, "h1"), ["Research reports"]);
    assert_eq!(texts(&reports, ".listing-dek"), ["Long-form research."]);
    assert_eq!(
        card_titles(&s, "reports/index.html"),
        ["Eta Report", "Theta Paper"]
    );
    assert_eq!(
        card_titles(&s, "reports/page/2/index.html"),
        ["Zeta Report"]
    );
    // Items live under their collection and get the brief machinery (byline, author pages).
    let zeta = s.html("reports/zeta/index.html");
    assert_eq!(
        texts(&zeta, ".brief-type"),
        ["Report"],
        "type from _index.md"
    );
    assert_eq!(
        texts(&s.html("reports/theta/index.html"), ".brief-type"),
        ["Working paper"]
    );
    assert!(card_titles(&s, "authors/ann-lee/index.html").contains(&"Zeta Report".to_string()));
    // Search counts every collection's items, and says so.
    assert_eq!(
        texts(&s.html("search/index.html"), "label[for=search-q]"),
        ["Search 8 publications"]
    );
    // The menu lists the collections.
    let menu = texts(&s.html("index.html"), ".site-nav a");
    assert!(
        menu.starts_with(&["Briefs".into(), "Events".into(), "Research reports".into()]),
        "{menu:?}"
    );
    // Every internal link of the site resolves.
    // (The helper does not follow relative paths; the bundle image is checked by the build.)
    let broken: Vec<String> = broken_links(&s.path("public"), "/")
        .into_iter()
        .filter(|l| l != "briefs/a/index.html: chart.png (outside base path /)")
        .collect();
    assert_eq!(broken, Vec::<String>::new());
}

#[test]
fn issue_24_a_collection_template_comes_before_the_generic_one() {
    let s = site();
    s.write(
        "templates/events.html",
        "{% extends \"brief.html\" %}{% block toc %}<p id=own>event template</p>{% endblock toc %}",
    );
    s.write(
        "templates/events_list.html",
        "<p id=list>{{ collection.title }}: {{ paginator.total_items }}</p>",
    );
    s.build(&[]).ok();
    assert_eq!(
        texts(&s.html("events/webinar/index.html"), "#own"),
        ["event template"]
    );
    assert_eq!(texts(&s.html("events/index.html"), "#list"), ["Events: 2"]);
    assert!(
        s.html("reports/index.html")
            .select(&sel("#list"))
            .next()
            .is_none()
    );
}

#[test]
fn issue_24_types_and_year_archives_are_listed_and_linked() {
    let s = site();
    let types = s.html("types/index.html");
    assert_eq!(
        texts(&types, ".entry-list a"),
        ["Policy briefs", "Reports", "Working papers", "Events"]
    );
    assert_eq!(
        card_titles(&s, "types/report/index.html"),
        ["Zeta Report", "Eta Report"]
    );
    // Cards name the type and link its listing.
    let listing = s.html("briefs/index.html");
    assert_eq!(attrs(&listing, ".card-type", "href")[0], "/types/brief/");
    // Year archives, linked from the listing, newest year first.
    let years: Vec<String> = texts(&listing, ".archive-nav a");
    assert_eq!(years, ["2025", "2024"]);
    assert_eq!(
        attrs(&listing, ".archive-nav a", "href"),
        ["/briefs/2025/", "/briefs/2024/"]
    );
    assert_eq!(
        card_titles(&s, "briefs/2024/index.html"),
        ["Beta Brief", "Gamma Brief"]
    );
    assert_eq!(card_titles(&s, "briefs/2025/index.html"), ["Alpha Brief"]);
    let archive = s.html("briefs/2024/index.html");
    assert_eq!(texts(&archive, ".archive-nav [aria-current]"), ["2024"]);
    let sitemap = s.read("sitemap.xml");
    for url in [
        "/briefs/2024/",
        "/types/report/",
        "/events/",
        "/series/water-notes/",
    ] {
        assert!(
            sitemap.contains(&format!("https://test.example{url}<")),
            "{url}"
        );
    }
}

#[test]
fn issue_24_series_have_a_landing_page_and_previous_next() {
    let s = site();
    assert_eq!(
        card_titles(&s, "series/water-notes/index.html"),
        ["Gamma Brief", "Beta Brief"]
    );
    assert_eq!(
        card_titles(&s, "series/water-notes/page/2/index.html"),
        ["Alpha Brief"]
    );
    let beta = s.html("briefs/b/index.html");
    assert_eq!(
        attrs(&beta, ".series-pager a[rel=prev]", "href"),
        ["/briefs/c/"]
    );
    assert_eq!(
        attrs(&beta, ".series-pager a[rel=next]", "href"),
        ["/briefs/a/"]
    );
    assert_eq!(
        attrs(&beta, ".series-kicker a", "href"),
        ["/series/water-notes/"]
    );
    assert_eq!(
        texts(&s.html("series/index.html"), ".entry-list a"),
        ["Water Notes"]
    );
}

#[test]
fn issue_24_collections_have_atom_and_json_feeds_with_full_content() {
    let s = site();
    let atom = s.read("reports/feed.xml");
    let doc = roxmltree::Document::parse(&atom).expect("XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert_eq!(titles, ["Eta Report", "Theta Paper", "Zeta Report"]);
    let json: serde_json::Value = serde_json::from_str(&s.read("events/feed.json")).unwrap();
    assert_eq!(json["feed_url"], "https://test.example/events/feed.json");
    assert_eq!(json["items"][0]["title"], "Report Launch; Q&A, Drinks");
    // Per-author and per-topic JSON Feeds beside the Atom ones.
    for f in [
        "authors/ann-lee/feed.json",
        "topics/water/feed.json",
        "authors/ann-lee/feed.xml",
    ] {
        assert!(s.exists(f), "{f}");
    }
    // Full content with absolute links and images.
    let alpha =
        serde_json::from_str::<serde_json::Value>(&s.read("topics/water/feed.json")).unwrap();
    let html = alpha["items"][0]["content_html"].as_str().unwrap();
    assert!(
        html.contains("href=\"https://test.example/about/\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"https://test.example/briefs/a/chart.png\""),
        "{html}"
    );
    if python_module("feedparser") {
        let script = "import feedparser, json, sys\nf = feedparser.parse(sys.argv[1])\nprint(json.dumps({'bozo': f.bozo, 'content': [e.content[0].value for e in f.entries]}))";
        let v = python_json(&["-c", script], &[&s.path("public/briefs/feed.xml")]);
        assert_eq!(v["bozo"], false);
        assert!(
            v["content"][0]
                .as_str()
                .unwrap()
                .contains("<a href=\"https://test.example/about/\">a link</a>"),
            "{v}"
        );
    }
    // The switch turns it off.
    s.write(
        "site.toml",
        &format!("{SITE_TOML}[feeds]\nfull_content = false\n"),
    );
    s.build(&[]).ok();
    assert!(!s.read("feed.xml").contains("<content"));
    assert!(!s.read("feed.json").contains("content_html"));
}

#[test]
fn issue_24_events_have_ics_files_a_calendar_and_json_ld() {
    let s = site();
    let launch = s.html("events/launch/index.html");
    assert_eq!(
        texts(&launch, ".event-details dd")[1],
        "Fenwick Hall, 14 Fenwick Row; London"
    );
    assert_eq!(
        attrs(&launch, ".event-actions a.button", "href"),
        ["https://tickets.example/launch"]
    );
    assert_eq!(
        attrs(&launch, ".event-actions a[download]", "href"),
        ["/events/launch/event.ics"]
    );
    let ics = s.read("events/launch/event.ics");
    assert!(ics.contains("\r\n"), "CRLF lines");
    assert!(s.exists("events/calendar.ics"));
    let ld: Vec<serde_json::Value> = s
        .html("events/launch/index.html")
        .select(&sel("script[type='application/ld+json']"))
        .map(|e| serde_json::from_str(&e.inner_html()).unwrap())
        .collect();
    assert_eq!(ld[0]["@type"], "Event");
    assert_eq!(ld[0]["startDate"], "2026-12-10T18:30:00Z");
    assert_eq!(ld[0]["location"]["@type"], "Place");
    let web: Vec<serde_json::Value> = s
        .html("events/webinar/index.html")
        .select(&sel("script[type='application/ld+json']"))
        .map(|e| serde_json::from_str(&e.inner_html()).unwrap())
        .collect();
    assert_eq!(web[0]["location"]["@type"], "VirtualLocation");
    if !python_module("icalendar") {
        return;
    }
    let script = "import icalendar, json, sys\nout = []\nfor p in sys.argv[1:]:\n    cal = icalendar.Calendar.from_ical(open(p, 'rb').read())\n    out.append([{'summary': str(e['SUMMARY']), 'start': e.decoded('DTSTART').isoformat(), 'end': e.decoded('DTEND').isoformat(), 'location': str(e.get('LOCATION', '')), 'uid': str(e['UID']), 'url': str(e.get('URL', ''))} for e in cal.walk('VEVENT')])\nprint(json.dumps(out))";
    let v = python_json(
        &["-c", script],
        &[
            &s.path("public/events/launch/event.ics"),
            &s.path("public/events/calendar.ics"),
        ],
    );
    let e = &v[0][0];
    assert_eq!(e["summary"], "Report Launch; Q&A, Drinks");
    assert_eq!(e["location"], "Fenwick Hall, 14 Fenwick Row; London");
    // 18:30 in London in December is 18:30 UTC.
    assert_eq!(e["start"], "2026-12-10T18:30:00+00:00");
    assert_eq!(e["end"], "2026-12-10T20:00:00+00:00");
    assert_eq!(e["uid"], "https://test.example/events/launch/");
    let summaries: Vec<&str> = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries, ["Report Launch; Q&A, Drinks", "Webinar"]);
}

#[test]
fn issue_24_event_and_collection_errors_have_positions() {
    let s = site();
    s.write("content/events/bad.md", &brief("title: Bad\ndate: 2026-01-01\nstart: 2026-02-01 10:00\nend: 2026-01-31 10:00\nregistration_url: javascript:alert(1)", ""));
    s.write(
        "content/reports/_index.md",
        "---\ntitle: Reports\ntype: memo\n---\n",
    );
    s.write(
        "content/briefs/loc.md",
        &brief("title: Loc\ndate: 2026-01-01\nlocation: Paris", ""),
    );
    let before = s.read("index.html");
    let run = s.build(&[]);
    run.failed()
        .says("content/events/bad.md:5:6: error: `end` (2026-01-31 10:00) is before `start` (2026-02-01 10:00)")
        .says("content/events/bad.md:6:19: error: `registration_url`: \"javascript:alert(1)\" is not a link")
        .says("content/reports/_index.md:3:7: error: unknown `type` \"memo\"")
        .says("content/briefs/loc.md:4:11: error: `location` is for events");
    assert_eq!(
        s.read("index.html"),
        before,
        "the previous output is untouched"
    );
}

#[test]
fn issue_24_expires_and_the_schedule_are_reported() {
    let s = site();
    s.write(
        "content/briefs/later.md",
        &brief("title: Later\ndate: 2026-12-01 09:30", "Soon."),
    );
    let run = s.build(&[]);
    run.ok();
    assert!(
        run.stdout
            .contains("next scheduled: content/briefs/later.md at 2026-12-01 09:30 GMT"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("next expiry"),
        "the only expiry is past: {}",
        run.stdout
    );
    let run = s.run(&["schedule", "--json"]);
    run.ok();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let list: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap().into(),
                c["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        list,
        [("publishes".into(), "content/briefs/later.md".into())]
    );
    // An event expiring after now shows as an expiry.
    s.write(
        "content/events/webinar.md",
        &brief(
            "title: Webinar\ndate: 2026-10-01\nstart: 2026-12-20 14:00\nexpires: 2026-12-21",
            "Online.",
        ),
    );
    let run = s.run(&["schedule"]);
    run.ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "2026-12-01 09:30 GMT  publishes  content/briefs/later.md  (Later)",
            "2026-12-21 00:00 GMT  expires    content/events/webinar.md  (Webinar)"
        ]
    );
    let run = s.build(&[]);
    assert!(
        run.stdout
            .contains("next expiry: content/events/webinar.md at 2026-12-21 00:00 GMT"),
        "{}",
        run.stdout
    );
}
