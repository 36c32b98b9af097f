//! Property tests (issue 6): any input either parses or yields errors that name the file, and
//! nothing panics — front matter splitting and parsing, and the Markdown pipeline.

use std::path::PathBuf;

use dossier::config::Config;
use dossier::content::{Role, Source, frontmatter, parse_one};
use dossier::markdown::{MarkdownOptions, RawHtml, render};
use proptest::prelude::*;

fn config() -> Config {
    Config::parse("title = \"T\"\nbase_url = \"https://t.example/\"\n").expect("valid config")
}

/// Text made of the pieces front matter and Markdown are built from, so that the generator
/// reaches deep into the parsers rather than producing only noise.
fn fragments() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("+++\n".to_string()),
        Just("title: ".to_string()),
        Just("date: 2024-01-01\n".to_string()),
        Just("date: 2024-02-30\n".to_string()),
        Just("authors: [a, b]\n".to_string()),
        Just("topics: 5\n".to_string()),
        Just("title = \"x\"\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r\n".to_string()),
        Just("\0".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: note\n".to_string()),
        Just("```rust\n".to_string()),
        Just("<script>".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{%".to_string()),
        Just("%}".to_string()),
        Just("{% note(kind=\"x\") %}\n".to_string()),
        Just("{% end %}\n".to_string()),
        Just("[x](javascript:y)".to_string()),
        Just("[x](@/briefs/a.md)".to_string()),
        Just("# ".to_string()),
        Just("|a|b|\n|-|-|\n".to_string()),
        ".{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn issue_6_front_matter_and_briefs_never_panic_and_errors_name_the_file(text in fragments()) {
        let source = Source { rel: PathBuf::from("content/briefs/p.md"), role: Role::Brief { slug: "p".into(), collection: "briefs".into() }, text };
        match parse_one(&source, &config(), &dossier::biblio::Library::default(), &dossier::images::Catalog::off()) {
            Ok(_) => {}
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                for d in diags {
                    prop_assert_eq!(d.file.as_deref(), Some(std::path::Path::new("content/briefs/p.md")));
                    if let Some(line) = d.line {
                        prop_assert!(line >= 1 && line <= source.text.lines().count().max(1) + 1, "line {} of {:?}", line, source.text);
                    }
                }
            }
        }
    }

    #[test]
    fn issue_6_splitter_never_panics(text in any::<String>()) {
        let n = frontmatter::normalise(&text);
        if let Ok(s) = frontmatter::split(&n) {
            prop_assert!(s.body_line >= 2);
        }
    }

    #[test]
    fn issue_6_markdown_never_panics_and_never_emits_javascript_links(text in fragments(), sanitize in any::<bool>()) {
        let raw_html = if sanitize { RawHtml::Sanitize } else { RawHtml::Allow };
        let out = render(&text, &MarkdownOptions { raw_html, ..Default::default() });
        prop_assert!(!out.html.contains('\0'));
        prop_assert!(!out.html.to_lowercase().contains("href=\"javascript:"));
    }

    #[test]
    fn issue_6_arbitrary_unicode_markdown_never_panics(text in any::<String>()) {
        let _ = render(&text, &MarkdownOptions::default());
    }
}
