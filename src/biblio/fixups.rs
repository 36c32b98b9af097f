//! Corrections to what hayagriva produces, each found by rendering real-world entry shapes
//! (the references fixture) in the Chicago, APA and MLA styles:
//!
//! - BibTeX `@incollection`/`@inbook` become hayagriva's `anthos` in an `anthology`, which the
//!   CSL mapping also treats as a collection: the book title printed twice ("In *The Maritime
//!   State*, edited by …, *The Maritime State*"). A chapter in a book renders correctly.
//! - A BibTeX `@report`'s `institution` becomes an organisation, which report styles do not
//!   print; reports are published by their institution, so it becomes the publisher when there
//!   is none.
//! - Punctuation from two CSL groups can collide: `.”.` after a quoted title with an empty
//!   container, `,.` after a publisher with no place. The rendered HTML is tidied outside tags.

use serde_json::Value;

/// Rewrite the entry shapes above through hayagriva's own serialised form.
pub(super) fn normalise(lib: hayagriva::Library) -> hayagriva::Library {
    let mut out = hayagriva::Library::new();
    for e in lib.iter() {
        match fixed(e) {
            Some(f) => out.push(&f),
            None => out.push(e),
        }
    }
    out
}

fn fixed(e: &hayagriva::Entry) -> Option<hayagriva::Entry> {
    let is_anthos = e.entry_type() == &hayagriva::types::EntryType::Anthos;
    let is_report = e.entry_type() == &hayagriva::types::EntryType::Report;
    let report_needs_publisher = is_report && e.publisher().is_none() && e.organization().is_some();
    if !is_anthos && !report_needs_publisher {
        return None;
    }
    let mut v = serde_json::to_value(e).ok()?;
    let obj = v.as_object_mut()?;
    if is_anthos {
        obj.insert("type".into(), "chapter".into());
        if let Some(parents) = obj.get_mut("parent") {
            for p in one_or_many(parents) {
                if p.get("type").and_then(Value::as_str) == Some("anthology") {
                    p["type"] = "book".into();
                }
            }
        }
    }
    if report_needs_publisher && let Some(org) = obj.remove("organization") {
        obj.insert("publisher".into(), org);
    }
    let mut wrapper = serde_json::Map::new();
    wrapper.insert(e.key().to_string(), v);
    let lib: hayagriva::Library = serde_json::from_value(Value::Object(wrapper)).ok()?;
    lib.iter().next().cloned()
}

fn one_or_many(v: &mut Value) -> Vec<&mut Value> {
    match v {
        Value::Array(a) => a.iter_mut().collect(),
        other => vec![other],
    }
}

/// Collapse doubled punctuation in rendered HTML, outside tags: `.”.` → `.”`, `?”.` → `?”`,
/// `?.` → `?`, `,.` → `.`, and a full stop after a closing tag that follows one
/// (`<i>Title.</i>.`).
pub(super) fn tidy(html: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '.' if !in_tag => match previous_text_char(&out) {
                Some((',', at)) => {
                    out[at] = '.';
                    continue;
                }
                Some(('.', at)) if at + 1 < out.len() => continue,
                Some(('?' | '!', _)) => continue,
                Some(('”' | '’', at))
                    if matches!(previous_text_char(&out[..at]), Some(('.' | '?' | '!', _))) =>
                {
                    continue;
                }
                _ => {}
            },
            _ => {}
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// The last character of `chars` that is text (not inside a tag), and its index.
fn previous_text_char(chars: &[char]) -> Option<(char, usize)> {
    let mut in_tag = false;
    for j in (0..chars.len()).rev() {
        match chars[j] {
            '>' => in_tag = true,
            '<' => in_tag = false,
            c if !in_tag => return Some((c, j)),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn doubled_punctuation() {
        assert_eq!(
            tidy("“Prices.”. <a href=\"x\">x</a>."),
            "“Prices.” <a href=\"x\">x</a>."
        );
        assert_eq!(
            tidy("Harbour Policy Centre,. <a>u</a>"),
            "Harbour Policy Centre. <a>u</a>"
        );
        assert_eq!(tidy("<i>Title.</i>. Next"), "<i>Title.</i> Next");
        assert_eq!(tidy("and so on..."), "and so on...");
        assert_eq!(tidy("2020. Next."), "2020. Next.");
        assert_eq!(tidy("“Does It Pay?.” Journal"), "“Does It Pay?” Journal");
        assert_eq!(tidy("<i>Why Now?</i>. Press"), "<i>Why Now?</i> Press");
        assert_eq!(tidy("<a href=\"a,.b\">a</a>"), "<a href=\"a,.b\">a</a>");
    }
}
