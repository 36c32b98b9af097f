//! Site search (issue 8): a Pagefind index, written by dossier in Pagefind's own format and
//! read in the browser by Pagefind's search library and UI.
//!
//! Pagefind's indexer reads every page's HTML again after the build, one page at a time through
//! its Rust API, and compresses at gzip's slowest level: 18× the build time at 1,000 briefs,
//! 24× at 10,000. Here each render worker turns the page it has just rendered into an index
//! record ([`html`] reads it with Pagefind's rules, [`words`] splits and stems with Pagefind's
//! stemmer, caching written words in a [`wordmap`], [`record`] packs positions and the result
//! fragment, whose JSON [`fragment`] writes), and [`write`] merges the records into Pagefind
//! 1.6's files in parallel ([`postings`] turns them word by word; [`cbor`] encodes). Pages are
//! rendered and indexed in batches of 32, so only a batch's HTML is held, and each record waits
//! in a temporary [`spill`] file until every page is in; the merge then keeps each page's head
//! and reads its words back one page at a time ([`stored`]). The time this adds
//! to a build, and why, is in `bench/RESULTS.md`. [`assets`] takes Pagefind's browser files
//! from the Pagefind crate, so they always match the format. `tests/search_index.rs` indexes
//! the demo site both ways and compares every page, word, position, filter and fragment.
//!
//! [`Indexer`] is the page sink that a build puts in front of its writer: it reads each
//! searchable page as it is rendered, then passes the batch on.
//!
//! Which pages are indexed is decided by the plan (`render::plan`): briefs that are published
//! (never drafts or scheduled briefs, even with `--drafts`/`--future`), author pages and term
//! pages; never the home page, paginated listings or 404. Filters (author, topic, region, year)
//! and result metadata come from `data-pagefind-*` attributes in the theme's templates.

pub mod assets;
pub mod cbor;
pub mod facets;
pub mod fragment;
pub mod html;
pub mod postings;
pub mod record;
pub mod spill;
pub mod stored;
pub mod wordmap;
pub mod words;
pub mod write;

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::output::Body;
use crate::render::{PageSink, RenderedPage};

pub use record::PageRecord;
pub use stored::StoredRecord;

/// One page to index: its URL (with base path) and HTML.
pub struct SearchPage {
    /// URL with the base path, e.g. "/briefs/a/".
    pub url: String,
    /// The rendered HTML.
    pub html: String,
}

/// Folder of the index inside the output.
pub const DIR: &str = "pagefind";

pub use words::Interner;

/// One page's index record (None when it has nothing to index); words are numbered by the
/// interner the whole index shares.
pub fn extract(interner: &Interner, url: &str, html: &str) -> Option<PageRecord> {
    record::record(interner, url, html::parse(html))
}

/// Index pages given as HTML (in parallel), in memory; see [`build_from_records`].
pub fn build_index(pages: Vec<SearchPage>) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let interner = Interner::default();
    let records: Vec<StoredRecord> = pages
        .par_iter()
        .filter_map(|p| extract(&interner, &p.url, &p.html))
        .map(StoredRecord::in_memory)
        .collect();
    let files = build_from_records(records, interner, None)?;
    files
        .into_iter()
        .map(|(path, f)| Ok((path, f.into_bytes()?)))
        .collect()
}

/// A page sink that makes the index record of every searchable page, then hands the batch to
/// the sink behind it (the writer, or memory).
pub struct Indexer<'a> {
    inner: &'a dyn PageSink,
    interner: Interner,
    records: Mutex<Vec<(usize, Kept)>>,
    /// Where records and fragments wait until the index is written (None: in memory).
    spill: Option<std::sync::Arc<spill::Spill>>,
}

/// A page's record while the other pages are rendered.
enum Kept {
    /// In memory.
    Record(Box<PageRecord>),
    /// Encoded in the spill file ([`PageRecord::encode`]): its bytes, and its head's length.
    SetAside(spill::IndexFile, usize),
}

impl<'a> Indexer<'a> {
    /// Index pages on their way to `inner`, setting each page's record and fragment aside in
    /// a temporary file until every page is in (in memory when none can be made).
    pub fn new(inner: &'a dyn PageSink) -> Self {
        Self {
            inner,
            interner: Interner::default(),
            records: Mutex::new(Vec::new()),
            spill: spill::Spill::new()
                .inspect_err(|e| {
                    if crate::timings::on() {
                        eprintln!("timing: search records kept in memory: no temporary file: {e}");
                    }
                })
                .ok(),
        }
    }

    /// The index files for every page taken, in plan order (see [`build_from_records`]).
    /// Fragments may be [`spill::IndexFile::Spilled`]: read each back as it is written.
    pub fn finish(self) -> anyhow::Result<Vec<(String, spill::IndexFile)>> {
        let mut timer = crate::timings::Timer::nested(1);
        let mut records = self
            .records
            .into_inner()
            .map_err(|_| anyhow::anyhow!("an indexing thread panicked"))?;
        records.sort_by_key(|(i, _)| *i);
        let spill = self.spill.as_ref();
        let records = records
            .into_par_iter()
            .map(|(_, kept)| match kept {
                Kept::Record(r) => Ok(StoredRecord::in_memory(*r)),
                Kept::SetAside(f, head) => StoredRecord::set_aside(f, head, spill),
            })
            .collect::<std::io::Result<Vec<StoredRecord>>>()?;
        timer.done("record heads");
        build_from_records(records, self.interner, spill)
    }
}

impl PageSink for Indexer<'_> {
    fn take(&self, batch: Vec<RenderedPage>) -> Vec<Result<Body, Diagnostic>> {
        let set_aside = |mut r: PageRecord| {
            let Some(spill) = &self.spill else {
                return Kept::Record(Box::new(r));
            };
            if let spill::IndexFile::Bytes(bytes) = &r.fragment
                && let Ok(spilled) = spill.put(bytes)
            {
                r.fragment = spilled;
            }
            let mut bytes = Vec::new();
            let head = r.encode(&mut bytes);
            match spill.put(&bytes) {
                Ok(f) => Kept::SetAside(f, head),
                Err(_) => Kept::Record(Box::new(r)),
            }
        };
        let records: Vec<(usize, Kept)> = batch
            .iter()
            .filter(|p| p.searchable)
            .filter_map(|p| Some((p.index, extract(&self.interner, &p.url, &p.html)?)))
            .map(|(i, r)| (i, set_aside(r)))
            .collect();
        if !records.is_empty() {
            self.records
                .lock()
                .expect("no indexing thread panics while holding the lock")
                .extend(records);
        }
        self.inner.take(batch)
    }

    fn file(&self, path: &str, bytes: Vec<u8>) -> Result<Body, Diagnostic> {
        self.inner.file(path, bytes)
    }
}

#[derive(Serialize)]
struct Entry<'a> {
    version: &'a str,
    languages: BTreeMap<&'a str, EntryLanguage<'a>>,
    include_characters: &'a [char],
}

#[derive(Serialize)]
struct EntryLanguage<'a> {
    hash: &'a str,
    wasm: Option<&'a str>,
    page_count: usize,
    /// dossier's facet file for this language (`dossier.<this>.pf_facets`; see [`facets`]).
    /// Pagefind's runtime ignores it; the theme's search page reads it.
    dossier_facets: &'a str,
}

/// The index for these records (in page order): (path inside the output, bytes) for every
/// index file, `pagefind-entry.json` and Pagefind's browser files. With a `spill` file, index
/// chunks are set aside in it as they are compressed (read each back as it is written).
pub fn build_from_records(
    records: Vec<StoredRecord>,
    interner: Interner,
    spill: Option<&std::sync::Arc<spill::Spill>>,
) -> anyhow::Result<Vec<(String, spill::IndexFile)>> {
    let strings = interner.into_strings();
    let timings = crate::timings::on();
    let started = std::time::Instant::now();
    let by_language = write::by_language(records);
    let names: Vec<String> = by_language.iter().map(|(l, _)| l.clone()).collect();
    // The browser files (a few milliseconds, on one thread) are made alongside the index.
    let (languages, runtime) = rayon::join(
        || {
            let languages = by_language
                .into_par_iter()
                .map(|(lang, pages)| write::build_language(&lang, pages, &strings, spill))
                .collect::<std::io::Result<Vec<write::LanguageIndex>>>();
            (languages, started.elapsed())
        },
        || {
            let runtime = assets::runtime_files(&names);
            (runtime, started.elapsed())
        },
    );
    let ((languages, index_time), (runtime, runtime_time)) = (languages, runtime);
    let languages = languages?;
    let runtime = runtime?;
    if timings {
        eprintln!(
            "timing:   search index {:.1} ms, Pagefind's browser files done at {:.1} ms",
            index_time.as_secs_f64() * 1000.0,
            runtime_time.as_secs_f64() * 1000.0
        );
    }
    let entry = Entry {
        version: write::VERSION,
        languages: languages
            .iter()
            .map(|l| {
                let wasm = format!("wasm.{}.pagefind", l.language);
                let has_wasm = runtime.iter().any(|(n, _)| *n == wasm);
                (
                    l.language.as_str(),
                    EntryLanguage {
                        hash: &l.meta_name,
                        wasm: has_wasm.then_some(l.language.as_str()),
                        page_count: l.page_count,
                        dossier_facets: &l.facets_name,
                    },
                )
            })
            .collect(),
        include_characters: &words::WORD_SYMBOLS,
    };
    let entry = serde_json::to_vec(&entry)?;
    let mut files: Vec<(String, spill::IndexFile)> = Vec::new();
    files.push((format!("{DIR}/pagefind-entry.json"), entry.into()));
    for (name, bytes) in runtime.iter() {
        files.push((format!("{DIR}/{name}"), bytes.clone().into()));
    }
    for l in languages {
        for (name, bytes) in l.files {
            files.push((format!("{DIR}/{name}"), bytes));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::RenderedPage;

    fn html(lang: &str, title: &str, topic: &str, body: &str) -> String {
        format!(
            r#"<html lang="{lang}"><body><main data-pagefind-body><h1>{title}</h1>
            <p data-pagefind-filter="topic">{topic}</p><p>{body}</p></main></body></html>"#
        )
    }

    fn pages() -> Vec<(String, String)> {
        vec![
            (
                "/briefs/a/".into(),
                html(
                    "en",
                    "Grain reserves",
                    "Food",
                    "Reserves held for a dry year.",
                ),
            ),
            (
                "/briefs/b/".into(),
                html(
                    "en",
                    "Water sharing",
                    "Water",
                    "The river's reserves, shared.",
                ),
            ),
            (
                "/ar/briefs/c/".into(),
                html("ar", "تقاسم المياه", "المياه", "احتياطيات النهر المشتركة."),
            ),
        ]
    }

    #[test]
    fn records_set_aside_on_disk_make_the_index_that_memory_makes() {
        let expected = build_index(
            pages()
                .into_iter()
                .map(|(url, html)| SearchPage { url, html })
                .collect(),
        )
        .unwrap();
        let ix = Indexer::new(&crate::render::InMemory);
        let rendered: Vec<RenderedPage> = pages()
            .into_iter()
            .enumerate()
            .map(|(index, (url, html))| RenderedPage {
                index,
                file: format!("{}index.html", url.trim_start_matches('/')),
                url,
                html,
                searchable: true,
            })
            .collect();
        // Batches arrive out of plan order from several threads.
        let mut rendered = rendered.into_iter();
        let first: Vec<RenderedPage> = rendered.by_ref().take(1).collect();
        ix.take(rendered.collect());
        ix.take(first);
        let kept = ix.records.lock().unwrap();
        assert_eq!(kept.len(), 3);
        assert!(kept.iter().all(|(_, k)| matches!(k, Kept::SetAside(..))));
        drop(kept);
        let files = ix.finish().unwrap();
        let spilled = |folder: &str| {
            files
                .iter()
                .filter(|(path, f)| {
                    path.contains(folder) && matches!(f, spill::IndexFile::Spilled { .. })
                })
                .count()
        };
        assert_eq!(
            spilled("/fragment/"),
            3,
            "each page's fragment is read back from the file"
        );
        let chunks = files.iter().filter(|(p, _)| p.contains("/index/")).count();
        assert!(chunks >= 2, "a chunk per language at least");
        assert_eq!(spilled("/index/"), chunks, "so is each index chunk");
        let got: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(path, f)| (path, f.into_bytes().unwrap()))
            .collect();
        assert_eq!(got.len(), expected.len());
        for ((path, bytes), (want_path, want)) in got.iter().zip(&expected) {
            assert_eq!(path, want_path);
            assert!(bytes == want, "{path} differs");
        }
    }
}
