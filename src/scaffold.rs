//! `dossier init` and `dossier new brief`: write starter files, never overwriting anything.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::slug::slugify;

const SITE_TOML: &str = r#"# Site settings: see the README for every option.
title = "My Policy Institute"
base_url = "https://example.org/"
description = "Independent analysis for decision-makers."
language = "en"
timezone = "UTC"
paginate = 10
"#;

const SAMPLE_AUTHOR: &str = r#"---
name: Sample Author
role: Senior Fellow
affiliation: My Policy Institute
---
Sample Author writes about public policy. Replace this bio with a real one.
"#;

const HOME: &str = r#"---
title: My Policy Institute
description: Independent analysis for decision-makers.
---
"#;

fn sample_brief(date: &str) -> String {
    format!(
        r#"---
title: Welcome to your new site
subtitle: How briefs, authors and topics fit together
date: {date}
authors: [sample-author]
topics: [Getting Started]
regions: [Global]
summary: A first brief that shows front matter, footnotes and headings.
---
This is a brief. Its front matter (between the `---` lines) gives the title, date, authors,
topics and regions; the text below is Markdown.[^1]

## Writing

Add briefs under `content/briefs/`, author profiles under `content/authors/`, then run
`dossier build`.

[^1]: Footnotes become numbered endnotes with links both ways.
"#
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", path.display())))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
}

/// Create a working site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!(
                "{} is not empty; refusing to write into it",
                dir.display()
            ))
            .with_hint("choose a new folder name; nothing was changed"));
        }
    }
    // In the new site's time zone (UTC, as its site.toml says), by the clock builds use: a
    // local date ahead of UTC would make the sample brief "scheduled" and leave it out.
    let today = crate::clock()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    write_new(&dir.join("site.toml"), SITE_TOML)?;
    write_new(&dir.join("content/_index.md"), HOME)?;
    write_new(
        &dir.join("content/briefs/welcome.md"),
        &sample_brief(&today),
    )?;
    write_new(&dir.join("content/authors/sample-author.md"), SAMPLE_AUTHOR)?;
    for d in ["templates", "static"] {
        std::fs::create_dir_all(dir.join(d)).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", dir.join(d).display()))
        })?;
    }
    // The output, and what a killed build leaves beside it until the next build removes it.
    write_new(
        &dir.join(".gitignore"),
        "/public/\n/.public.staging-*/\n/.public.old-*/\n/.dossier-cache/\n",
    )?;
    Ok(())
}

fn yaml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| yaml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialise")
}

/// What `dossier new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `content/briefs/<slug>.md`.
    Brief,
    /// `content/reports/<slug>.md` (and the collection's `_index.md` when missing).
    Report,
    /// `content/events/<slug>.md` (and the collection's `_index.md` when missing).
    Event,
    /// `content/<slug>.md`: a standalone page.
    Page,
    /// `content/authors/<slug>.md`: an author profile.
    Author,
}

/// What `dossier new` writes into the front matter.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// What to make.
    pub kind: NewKind,
    /// Title (an author's name).
    pub title: String,
    /// Author slugs or names.
    pub authors: Vec<String>,
    /// Topics.
    pub topics: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
    /// An event's start ("2026-03-05 18:30"); default: a week from today at 18:00.
    pub start: Option<String>,
    /// An event's location.
    pub location: Option<String>,
    /// An author's role.
    pub role: Option<String>,
}

impl NewItem {
    /// A new item of `kind` titled `title`, with nothing else set.
    pub fn new(kind: NewKind, title: &str) -> Self {
        NewItem {
            kind,
            title: title.to_string(),
            authors: Vec::new(),
            topics: Vec::new(),
            regions: Vec::new(),
            start: None,
            location: None,
            role: None,
        }
    }
}

/// The `_index.md` a new collection gets.
fn collection_index(kind: NewKind) -> Option<(&'static str, &'static str)> {
    match kind {
        NewKind::Report => Some((
            "content/reports/_index.md",
            "---\ntitle: Reports\ndescription: Long-form research.\ntype: report\n---\n",
        )),
        NewKind::Event => Some((
            "content/events/_index.md",
            "---\ntitle: Events\ndescription: Briefings, launches and roundtables.\ntype: event\nsort_by: start\n---\n",
        )),
        _ => None,
    }
}

/// Write new content as a draft dated today (by the site's time zone and the build clock),
/// and the `_index.md` of its collection when it has none; never overwrites a file. Returns
/// the files written. What it writes passes `dossier check --strict --drafts`.
pub fn new_content(opts: &crate::BuildOptions, item: &NewItem) -> Result<Vec<PathBuf>, Diagnostic> {
    let root = opts.root.as_path();
    let config =
        crate::config::Config::load_from(root, &opts.config).map_err(|mut ds| ds.remove(0))?;
    let slug = slugify(&item.title);
    if slug.is_empty() {
        return Err(Diagnostic::error(format!(
            "the title {:?} has no letters or digits to make a file name from",
            item.title
        )));
    }
    let dir = match item.kind {
        NewKind::Brief => "content/briefs",
        NewKind::Report => "content/reports",
        NewKind::Event => "content/events",
        NewKind::Page => "content",
        NewKind::Author => "content/authors",
    };
    let path = root.join(dir).join(format!("{slug}.md"));
    if path.exists() {
        return Err(Diagnostic::error(format!(
            "{} already exists; not overwriting it",
            path.display()
        )));
    }
    let now = crate::clock()?.to_zoned_datetime(config.timezone.clone());
    let text = match item.kind {
        NewKind::Author => format!(
            "---\nname: {}\nrole: {}\n---\nA short biography: expertise, previous posts, recent work.\n",
            yaml_str(&item.title),
            yaml_str(item.role.as_deref().unwrap_or("Fellow")),
        ),
        NewKind::Page => format!(
            "---\ntitle: {}\nsummary: {}\ndraft: true\n---\nWrite the page here.\n",
            yaml_str(&item.title),
            yaml_str(&format!("About {}.", item.title)),
        ),
        _ => item_text(item, &now)?,
    };
    let mut written = Vec::new();
    if let Some((index, text)) = collection_index(item.kind)
        && !root.join(index).exists()
    {
        write_new(&root.join(index), text)?;
        written.push(root.join(index));
    }
    write_new(&path, &text)?;
    written.push(path);
    Ok(written)
}

/// The front matter and body of a brief, report or event.
fn item_text(item: &NewItem, now: &jiff::ZonedDateTime) -> Result<String, Diagnostic> {
    let mut front = format!(
        "---\ntitle: {}\ndek: {}\ndate: {}\nauthors: {}\ntopics: {}\nregions: {}\n",
        yaml_str(&item.title),
        yaml_str("One sentence under the title that says what this piece argues."),
        now.date(),
        yaml_list(&item.authors),
        yaml_list(&item.topics),
        yaml_list(&item.regions),
    );
    if item.kind == NewKind::Event {
        let start = match &item.start {
            Some(s) => s.clone(),
            None => {
                let week = now
                    .date()
                    .checked_add(jiff::ToSpan::days(7))
                    .map_err(|e| Diagnostic::error(e.to_string()))?;
                format!("{week} 18:00")
            }
        };
        front.push_str(&format!("start: {}\n", yaml_str(&start)));
        if let Some(l) = &item.location {
            front.push_str(&format!("location: {}\n", yaml_str(l)));
        }
    }
    front.push_str("draft: true\n---\nWrite the text here.\n");
    Ok(front)
}
