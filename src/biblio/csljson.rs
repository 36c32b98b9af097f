//! CSL-JSON (what Zotero, Mendeley and Pandoc export as `.json`) → hayagriva entries.
//!
//! hayagriva reads CSL-JSON only as its own `citationberg::json::Item`, a second entry type that
//! cannot share a citation with entries from BibTeX or YAML (its `EntryLike` trait is private),
//! and whose date handling panics on date ranges. So each item is rewritten here into
//! hayagriva's own data model (the YAML format's fields and parents), and hayagriva's
//! deserialiser builds the entry: names, dates and numbers are still parsed by hayagriva.

use serde_json::{Map, Value, json};

/// Parse a CSL-JSON file (an array of items, or one item) into a hayagriva library.
/// Errors name the item (by `id` or position) and what is wrong with it.
pub fn parse(text: &str) -> Result<hayagriva::Library, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let items = match v {
        Value::Array(a) => a,
        Value::Object(_) => vec![v],
        _ => return Err("a CSL-JSON file holds an array of items".into()),
    };
    let mut library = Map::new();
    for (i, item) in items.iter().enumerate() {
        let Some(obj) = item.as_object() else {
            return Err(format!("item {} is not an object", i + 1));
        };
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(format!("item {} has no \"id\" (its citation key)", i + 1)),
        };
        if library.contains_key(&id) {
            return Err(format!("the id {id:?} is used by two items"));
        }
        library.insert(id, entry(obj));
    }
    serde_json::from_value(Value::Object(library)).map_err(|e| format!("{e}"))
}

/// The hayagriva type and, for works published inside another, the parent's type.
fn types(csl_type: &str, has_container: bool) -> (&'static str, Option<&'static str>) {
    let parent = |p| has_container.then_some(p);
    match csl_type {
        "article-journal" | "review" | "review-book" => ("article", Some("periodical")),
        "article-magazine" => ("article", Some("periodical")),
        "article-newspaper" => ("article", Some("newspaper")),
        "paper-conference" => ("article", Some("proceedings")),
        "article" => ("article", parent("periodical")),
        "book" | "classic" => ("book", None),
        "collection" => ("anthology", None),
        "periodical" => ("periodical", None),
        "chapter" => ("chapter", Some("book")),
        "entry" | "entry-dictionary" | "entry-encyclopedia" => ("entry", Some("reference")),
        "report" | "standard" => ("report", None),
        "thesis" => ("thesis", None),
        "webpage" => ("web", parent("web")),
        "post" => ("post", parent("web")),
        "post-weblog" => ("post", Some("blog")),
        "software" => ("repository", None),
        "dataset" => ("misc", None),
        "legislation" | "bill" | "regulation" | "treaty" => ("legislation", None),
        "legal_case" => ("case", None),
        "patent" => ("patent", None),
        "manuscript" => ("manuscript", None),
        "motion_picture" | "broadcast" => ("video", None),
        "song" => ("audio", None),
        "graphic" => ("artwork", None),
        _ => ("misc", parent("misc")),
    }
}

/// Fields that describe the container (journal, book, website) when there is one.
const PARENT_FIELDS: &[&str] = &["volume", "issue", "ISSN"];

fn entry(item: &Map<String, Value>) -> Value {
    let s = |k: &str| item.get(k).and_then(text);
    let container = s("container-title");
    let (kind, parent_kind) = types(s("type").as_deref().unwrap_or(""), container.is_some());
    let mut e = Map::new();
    e.insert("type".into(), kind.into());
    if s("type").as_deref() == Some("dataset") && s("genre").is_none() {
        e.insert("genre".into(), "Dataset".into());
    }
    for (csl, ours) in [
        ("title", "title"),
        ("genre", "genre"),
        ("abstract", "abstract"),
        ("language", "language"),
        ("note", "note"),
        ("edition", "edition"),
        ("archive", "archive"),
        ("archive_location", "archive-location"),
        ("authority", "organization"),
        ("page", "page-range"),
        ("number-of-pages", "page-total"),
        ("call-number", "call-number"),
    ] {
        if let Some(v) = s(csl) {
            e.insert(ours.into(), v.into());
        }
    }
    if let Some(l) = e.get("language").and_then(Value::as_str)
        && l.parse::<icu_locale::LanguageIdentifier>().is_err()
    {
        e.remove("language"); // free text ("English") that hayagriva would reject
    }
    for (csl, ours) in [("author", "author"), ("editor", "editor")] {
        if let Some(names) = item.get(csl).map(names).filter(|n| !n.is_empty()) {
            e.insert(ours.into(), Value::Array(names));
        }
    }
    if let Some(t) = item.get("translator").map(names).filter(|n| !n.is_empty()) {
        e.insert(
            "affiliated".into(),
            json!([{ "role": "translator", "names": t }]),
        );
    }
    if let Some(d) = item.get("issued").and_then(date) {
        e.insert("date".into(), d.into());
    }
    publisher(item, &mut e);
    if let Some(u) = s("URL") {
        match item.get("accessed").and_then(date) {
            Some(d) => e.insert("url".into(), json!({ "value": u, "date": d })),
            None => e.insert("url".into(), u.into()),
        };
    }
    let mut serial = Map::new();
    for (csl, ours) in [
        ("DOI", "doi"),
        ("ISBN", "isbn"),
        ("PMID", "pmid"),
        ("PMCID", "pmcid"),
        ("number", "serial"),
    ] {
        if let Some(v) = s(csl) {
            let v = if ours == "doi" { strip_doi(&v) } else { v };
            serial.insert(ours.into(), v.into());
        }
    }
    let mut parent = Map::new();
    for f in PARENT_FIELDS {
        if let Some(v) = s(f) {
            if parent_kind.is_some() {
                let key = if *f == "ISSN" { "serial-number" } else { f };
                let v = if *f == "ISSN" {
                    json!({ "issn": v })
                } else {
                    v.into()
                };
                parent.insert(key.into(), v);
            } else if *f == "ISSN" {
                serial.insert("issn".into(), v.into());
            } else {
                e.insert((*f).into(), v.into());
            }
        }
    }
    if !serial.is_empty() {
        e.insert("serial-number".into(), Value::Object(serial));
    }
    if let Some(p) = parent_kind {
        parent.insert("type".into(), p.into());
        if let Some(c) = container {
            parent.insert("title".into(), c.into());
        }
        if let Some(ev) = s("event-title").or_else(|| s("event")) {
            parent.entry("title").or_insert(ev.into());
        }
        e.insert("parent".into(), Value::Object(parent));
    }
    Value::Object(e)
}

fn publisher(item: &Map<String, Value>, e: &mut Map<String, Value>) {
    let name = item.get("publisher").and_then(text);
    let place = item.get("publisher-place").and_then(text);
    match (name, place) {
        (Some(n), Some(p)) => {
            e.insert("publisher".into(), json!({ "name": n, "location": p }));
        }
        (Some(n), None) => {
            e.insert("publisher".into(), n.into());
        }
        (None, Some(p)) => {
            e.insert("location".into(), p.into());
        }
        (None, None) => {}
    }
}

/// "https://doi.org/10.1/x" → "10.1/x".
fn strip_doi(d: &str) -> String {
    let d = d.trim();
    [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|p| d.strip_prefix(p))
    .unwrap_or(d)
    .to_string()
}

/// A string or number as text; empty strings are absent.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// CSL names → hayagriva persons: `{family, given, non-dropping-particle, suffix}` or
/// `{literal}` (an organisation, never split).
fn names(v: &Value) -> Vec<Value> {
    let list = match v {
        Value::Array(a) => a.as_slice(),
        _ => return Vec::new(),
    };
    list.iter()
        .filter_map(|n| {
            let o = n.as_object()?;
            let f = |k: &str| o.get(k).and_then(text);
            if let Some(l) = f("literal") {
                return Some(json!({ "name": l }));
            }
            let family = f("family")?;
            let mut p = Map::new();
            p.insert("name".into(), family.into());
            if let Some(g) = f("given") {
                p.insert("given-name".into(), g.into());
            }
            let particle = [f("dropping-particle"), f("non-dropping-particle")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if !particle.is_empty() {
                p.insert("prefix".into(), particle.into());
            }
            if let Some(s) = f("suffix") {
                p.insert("suffix".into(), s.into());
            }
            Some(Value::Object(p))
        })
        .collect()
}

/// A CSL date → `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: `date-parts` (the start of a range),
/// else `raw` or `literal` when they begin with a year.
fn date(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    if let Some(parts) = o
        .get("date-parts")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_array)
    {
        let nums: Vec<i64> = parts
            .iter()
            .filter_map(|p| match p {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .collect();
        return match nums.as_slice() {
            [y] => Some(format!("{y:04}")),
            [y, m] if (1..=12).contains(m) => Some(format!("{y:04}-{m:02}")),
            [y, m, d, ..] if (1..=12).contains(m) && (1..=31).contains(d) => {
                Some(format!("{y:04}-{m:02}-{d:02}"))
            }
            [y, ..] => Some(format!("{y:04}")),
            [] => None,
        };
    }
    let raw = o.get("raw").or_else(|| o.get("literal")).and_then(text)?;
    let head: String = raw.chars().take(10).collect();
    let valid = |s: &str| jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok();
    if head.len() == 10 && valid(&head) {
        return Some(head);
    }
    let year: String = raw.chars().take_while(char::is_ascii_digit).collect();
    (year.len() == 4).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zotero_export_becomes_hayagriva_entries() {
        let lib = parse(
            r#"[
            {"id": "iea2024", "type": "report", "title": "Batteries and Secure Energy Transitions",
             "author": [{"literal": "International Energy Agency"}], "publisher": "IEA",
             "publisher-place": "Paris", "issued": {"date-parts": [[2024, 4]]},
             "URL": "https://example.org/batteries", "number": "7"},
            {"id": "vanrijn", "type": "article-journal", "title": "Storage and Scarcity",
             "author": [{"family": "Rijn", "given": "Anna", "non-dropping-particle": "van"}],
             "container-title": "Journal of Grid Studies", "volume": 12, "issue": "3",
             "page": "45-67", "DOI": "https://doi.org/10.5555/jgs.2021.3",
             "issued": {"date-parts": [["2021", "3", "15"], [2021, 4, 1]]}},
            {"id": "law", "type": "legislation", "title": "Electricity Act", "issued": {"raw": "2019-07-01"}}
            ]"#,
        )
        .unwrap();
        let iea = lib.get("iea2024").unwrap();
        assert_eq!(iea.entry_type(), &hayagriva::types::EntryType::Report);
        assert_eq!(
            iea.authors().unwrap()[0].name,
            "International Energy Agency"
        );
        assert_eq!(iea.date().unwrap().year, 2024);
        assert_eq!(
            iea.date().unwrap().month,
            Some(3),
            "hayagriva counts months from 0"
        );
        let art = lib.get("vanrijn").unwrap();
        assert_eq!(art.authors().unwrap()[0].prefix.as_deref(), Some("van"));
        assert_eq!(art.doi(), Some("10.5555/jgs.2021.3"));
        assert_eq!(
            art.date().unwrap().day,
            Some(14),
            "the start of a range, days from 0"
        );
        let journal = &art.parents()[0];
        assert_eq!(
            journal.entry_type(),
            &hayagriva::types::EntryType::Periodical
        );
        assert_eq!(
            journal.title().unwrap().value.to_string(),
            "Journal of Grid Studies"
        );
        assert_eq!(lib.get("law").unwrap().date().unwrap().year, 2019);
        let e = parse(r#"[{"type": "book", "title": "No id"}]"#).unwrap_err();
        assert!(e.contains("no \"id\""), "{e}");
        let e = parse("[{").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
