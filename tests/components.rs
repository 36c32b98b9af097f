//! Components in Markdown and data files (issue 28): the built-in components drawn where an
//! author writes them, inline and around a Markdown body; a site's own component; arguments
//! checked against the definition with errors at their line and column; embeds that request
//! nothing from their provider until a click; `load_data` and the `table` component; bad data
//! files named at their line; components kept where raw HTML is sanitised.

use crate::support::*;

const BODY: &str = r#"Rivers cross borders; data should too.

{{ pullquote(text="Data before treaties.", by="Jane Doe") }}

{% callout(kind="takeaways") %}
- Publish gauge readings daily.[^1]
- Share them across the border.
{% end %}

Inline code keeps `{{ pullquote(text="x") }}` as written.

{{ video(id="dQw4w9WgXcQ", title="Launch of the river data report", start=30) }}

{{ chart(provider="flourish", id="123456", title="Flow at the border, 2000–2025") }}

{{ table(data="flows.csv", caption="Flow at the border", source="Gauge network") }}

{{ figure(src="https://example.org/dam.jpg", alt="A dam at dusk", caption="The Mosul dam.", credit="Jane Doe") }}

{{ button(label="Read the full report", href="/reports/rivers/") }}

{{ standfirst(text="Our own component & more") }}

{{ social(url="https://x.com/canalwatch/status/42", text="Dredging budgets fell.", author="Canal Watch") }}

[^1]: Every gauge, every day.
"#;

fn site(extra: &[(&str, &str)]) -> TestSite {
    let brief = brief("title: Rivers\ndate: 2026-03-01\nauthors: Jane Doe", BODY);
    let mut files: Vec<(&str, &str)> = vec![
        ("content/briefs/rivers.md", &brief),
        ("data/flows.csv", "year,flow\n2024,31\n2025,29\n"),
        (
            "templates/components/standfirst.html",
            "{% component standfirst(text: string) %}<p class=\"standfirst\">{{ text }}</p>{% endcomponent standfirst %}",
        ),
    ];
    files.extend_from_slice(extra);
    TestSite::new(&files)
}

#[test]
fn built_in_and_site_components_are_drawn_where_written() {
    let s = site(&[]);
    s.build(&[]).ok();
    let doc = s.html("briefs/rivers/index.html");
    let body = sel(".brief-body");
    let body = doc.select(&body).next().expect("a brief body");
    let inner = body.inner_html();
    assert!(!inner.contains("<!--dossier-"), "{inner}");
    // Pull quote.
    assert_eq!(
        texts(&doc, ".pullquote blockquote"),
        ["Data before treaties."]
    );
    assert_eq!(texts(&doc, ".pullquote figcaption"), ["Jane Doe"]);
    // Callout with a Markdown body whose footnote is the document's.
    assert_eq!(
        texts(&doc, ".callout-takeaways .callout-title"),
        ["Key takeaways"]
    );
    assert_eq!(texts(&doc, ".callout-takeaways li").len(), 2);
    assert_eq!(attrs(&doc, ".callout-takeaways sup a", "href"), ["#fn-1"]);
    // Code keeps the syntax.
    assert!(
        texts(&doc, ".brief-body code")
            .iter()
            .any(|c| c.contains("{{ pullquote"))
    );
    // Embeds: a facade naming the provider, a link, no frame.
    assert_eq!(doc.select(&sel(".brief-body iframe")).count(), 0);
    assert_eq!(
        attrs(&doc, "figure.embed-video", "data-embed"),
        ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=30"]
    );
    assert_eq!(
        attrs(&doc, "figure.embed-video .embed-link a", "href"),
        ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
    );
    assert!(texts(&doc, "figure.embed-chart .embed-notice")[0].contains("Flourish"));
    assert_eq!(
        texts(&doc, "figure.embed-chart .embed-title"),
        ["Flow at the border, 2000–2025"]
    );
    // The table from data/flows.csv, with headers and row headers.
    assert_eq!(texts(&doc, ".data-table caption"), ["Flow at the border"]);
    assert_eq!(texts(&doc, ".data-table thead th"), ["year", "flow"]);
    assert_eq!(
        texts(&doc, ".data-table tbody th[scope=row]"),
        ["2024", "2025"]
    );
    assert_eq!(texts(&doc, ".data-table tbody td"), ["31", "29"]);
    assert_eq!(texts(&doc, ".table-source"), ["Source: Gauge network"]);
    // Figure, button and the site's own component (its argument escaped).
    assert_eq!(attrs(&doc, ".figure img", "alt"), ["A dam at dusk"]);
    assert!(texts(&doc, ".figure .credit")[0].contains("Jane Doe"));
    assert_eq!(attrs(&doc, ".button-row a", "href"), ["/reports/rivers/"]);
    assert_eq!(texts(&doc, ".standfirst"), ["Our own component & more"]);
    assert!(inner.contains("Our own component &amp; more"));
    // A social post is quoted and linked, never embedded.
    assert_eq!(
        texts(&doc, ".social-post blockquote"),
        ["Dredging budgets fell."]
    );
    assert_eq!(
        attrs(&doc, ".social-post figcaption a", "href"),
        ["https://x.com/canalwatch/status/42"]
    );
    assert!(texts(&doc, ".social-post figcaption")[0].contains("Open on X"));
    // The data file is not published.
    assert!(!s.exists("data/flows.csv") && !s.exists("flows.csv"));
}

#[test]
fn components_print_their_words_in_the_brief_language() {
    let s = TestSite::new(&[(
        "content/briefs/anhar.md",
        &brief(
            "title: الأنهار\ndate: 2026-03-01\nlanguage: ar\nauthors: Jane Doe",
            "{% callout(kind=\"takeaways\") %}\nنص.\n{% end %}\n\n{{ video(id=\"abc\", title=\"إطلاق التقرير\") }}\n",
        ),
    )]);
    s.build(&[]).ok();
    let doc = s.html("ar/briefs/anhar/index.html");
    assert_eq!(texts(&doc, ".callout-title"), ["أبرز النقاط"]);
    assert_eq!(texts(&doc, ".embed-load"), ["تشغيل الفيديو"]);
}

#[test]
fn mistakes_in_components_are_errors_at_their_position() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "{{ pulquote(text=\"x\") }}",
            ":7:1",
            "unknown component `pulquote`",
        ),
        (
            "{{ pullquote(txt=\"x\") }}",
            ":7:14",
            "takes no argument `txt`",
        ),
        ("{{ video(title=\"x\") }}", ":7:1", "needs `id`"),
        (
            "{{ video(id=\"a\", title=\"x\", start=\"soon\") }}",
            ":7:29",
            "`start` of `video` takes an integer, not the string \"soon\"",
        ),
        (
            "{{ callout(kind=\"aside\") }}",
            ":7:12",
            "one of note, takeaways, warning",
        ),
        (
            "{{ video(id=\"https://youtu.be/x\", title=\"t\") }}",
            ":7:10",
            "only letters, digits",
        ),
        (
            "{{ button(label=\"x\", href=\"javascript:alert(1)\") }}",
            ":7:22",
            "href",
        ),
        (
            "{{ table(data=\"missing.csv\", caption=\"c\") }}",
            ":7:1",
            "no data file \"missing.csv\"",
        ),
        ("{% callout() %}\nnever closed\n", ":7:1", "never closed"),
        ("{{ pullquote(text=) }}", ":7:19", "expected a value"),
    ];
    for (body, at, message) in cases {
        let s = TestSite::new(&[(
            "content/briefs/a.md",
            &brief("title: A\ndate: 2026-03-01", &format!("Intro.\n\n{body}")),
        )]);
        let run = s.build(&[]);
        assert_ne!(run.code, 0, "{body}");
        let expected = format!("content/briefs/a.md{at}");
        assert!(
            run.stderr.contains(&expected) && run.stderr.contains(message),
            "{body}: expected {expected} and {message:?} in\n{}",
            run.stderr
        );
    }
}

#[test]
fn bad_data_files_are_errors_at_their_line_and_nothing_is_lost() {
    let s = site(&[]);
    s.build(&[]).ok();
    let before = s.read("briefs/rivers/index.html");
    s.write("data/flows.csv", "year,flow\n2024,31\n2025\n");
    let run = s.build(&[]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("data/flows.csv:3"), "{}", run.stderr);
    assert_eq!(s.read("briefs/rivers/index.html"), before);
    s.write("data/flows.csv", "year,flow\n2024,31\n");
    s.write("data/people.json", "{\n  \"a\": 1,\n}\n");
    let run = s.build(&[]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("data/people.json:3"), "{}", run.stderr);
}

#[test]
fn sanitised_sites_keep_components_and_escape_their_arguments() {
    let s = TestSite::new(&[(
        "content/briefs/a.md",
        &brief(
            "title: A\ndate: 2026-03-01",
            "<script>alert(1)</script>\n\n{{ pullquote(text=\"<b>bold</b>\") }}\n\n{% callout() %}\n<img src=x onerror=alert(1)> body\n{% end %}\n",
        ),
    )]);
    let toml = s.read_site_toml() + "\n[markdown]\nraw_html = \"sanitize\"\n";
    s.write("site.toml", &toml);
    s.build(&[]).ok();
    let html = s.read("briefs/a/index.html");
    let doc = s.html("briefs/a/index.html");
    assert!(
        !html.contains("<script>alert") && !html.contains("onerror"),
        "{html}"
    );
    assert_eq!(texts(&doc, ".pullquote blockquote"), ["<b>bold</b>"]);
    assert_eq!(doc.select(&sel(".callout")).count(), 1);
}
