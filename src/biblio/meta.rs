//! What machines read about the works a brief cites: a flat record per entry, from which
//! the JSON-LD `citation` property and the Highwire `citation_reference` tags are written.

use hayagriva::Entry;
use hayagriva::types::EntryType;

/// One cited work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Bibliography key.
    pub key: String,
    /// schema.org type: `ScholarlyArticle`, `Report`, `Book`, `Chapter`, `Legislation`,
    /// `Dataset`, `WebPage`, `NewsArticle`, `Thesis` or `CreativeWork`.
    pub schema_type: &'static str,
    /// Title.
    pub title: Option<String>,
    /// Authors (or editors) as "Family, Given", organisations as written.
    pub authors: Vec<String>,
    /// Date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Journal, book or website it appears in.
    pub container: Option<String>,
    /// Volume (of the work or its container).
    pub volume: Option<String>,
    /// Issue.
    pub issue: Option<String>,
    /// First and last page.
    pub pages: Option<(String, Option<String>)>,
    /// Publisher.
    pub publisher: Option<String>,
    /// DOI.
    pub doi: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Report or series number.
    pub number: Option<String>,
}

pub(super) fn reference(e: &Entry) -> Reference {
    let parent = e.parents().first();
    let both = |f: &dyn Fn(&Entry) -> Option<String>| f(e).or_else(|| parent.and_then(f));
    let date = e.date().or_else(|| parent.and_then(|p| p.date())).map(|d| {
        let mut s = format!("{:04}", d.year);
        if let Some(m) = d.month {
            s.push_str(&format!("-{:02}", m + 1));
            if let Some(day) = d.day {
                s.push_str(&format!("-{:02}", day + 1));
            }
        }
        s
    });
    let pages = e.page_range().map(|p| {
        let s = p.to_string();
        match s.split_once(['-', '–']) {
            Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
            None => (s.trim().to_string(), None),
        }
    });
    let persons = e.authors().or_else(|| e.editors()).unwrap_or_default();
    Reference {
        key: e.key().to_string(),
        schema_type: schema_type(e),
        title: e.title().map(|t| t.value.to_string()),
        authors: persons
            .iter()
            .map(|p| match &p.given_name {
                Some(g) => format!("{}, {g}", full_family(p)),
                None => full_family(p),
            })
            .collect(),
        date,
        container: parent.and_then(|p| p.title()).map(|t| t.value.to_string()),
        volume: both(&|x: &Entry| x.volume().map(|v| v.to_string())),
        issue: both(&|x: &Entry| x.issue().map(|v| v.to_string())),
        pages,
        publisher: both(&|x: &Entry| {
            x.publisher()
                .and_then(|p| p.name())
                .map(|n| n.value.to_string())
        }),
        doi: e.doi().map(str::to_string),
        url: e.url().map(|u| u.value.to_string()),
        number: e.serial_number().and_then(|s| s.0.get("serial").cloned()),
    }
}

fn full_family(p: &hayagriva::types::Person) -> String {
    match &p.prefix {
        Some(pre) => format!("{pre} {}", p.name),
        None => p.name.clone(),
    }
}

fn schema_type(e: &Entry) -> &'static str {
    let parent = e.parents().first().map(|p| p.entry_type());
    match (e.entry_type(), parent) {
        (EntryType::Article, Some(EntryType::Newspaper)) => "NewsArticle",
        (EntryType::Article, _) => "ScholarlyArticle",
        (EntryType::Report, _) => "Report",
        (EntryType::Book | EntryType::Anthology, _) => "Book",
        (EntryType::Chapter | EntryType::Anthos, _) => "Chapter",
        (EntryType::Legislation, _) => "Legislation",
        (EntryType::Repository, _) => "Dataset",
        (EntryType::Web | EntryType::Post | EntryType::Blog, _) => "WebPage",
        (EntryType::Thesis, _) => "Thesis",
        _ => "CreativeWork",
    }
}
