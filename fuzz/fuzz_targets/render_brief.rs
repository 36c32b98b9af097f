//! Fuzz target: rendering one brief's Markdown body in both raw-HTML modes (issue 6): never
//! panic, never emit NUL or a `javascript:` link.
#![no_main]

use dossier::markdown::{MarkdownOptions, RawHtml, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for raw_html in [RawHtml::Allow, RawHtml::Sanitize] {
        let out = render(text, &MarkdownOptions { raw_html, ..Default::default() });
        assert!(!out.html.contains('\0'));
        assert!(!out.html.to_ascii_lowercase().contains("href=\"javascript:"));
    }
});
