//! Where rendered pages go: rendering hands each batch of pages to a [`PageSink`] and keeps
//! only what the sink gives back. The build's staging writer (`output::Staging`), the search
//! indexer (`search::Indexer`) and the in-memory store used by `check` and `serve`
//! ([`InMemory`]) are sinks; `lib.rs` composes them, so rendering has no mode switches and
//! knows nothing of search.

use crate::diag::Diagnostic;
use crate::output::Body;

/// A page just rendered.
pub struct RenderedPage {
    /// Its position in the plan (sinks that collect keep plan order with it).
    pub index: usize,
    /// Its URL with the base path ("/research/briefs/a/").
    pub url: String,
    /// Its output file ("briefs/a/index.html").
    pub file: String,
    /// Its HTML.
    pub html: String,
    /// Whether the search index should hold it.
    pub searchable: bool,
}

/// Takes rendered pages, a batch at a time (in plan order within a batch; batches arrive from
/// several threads). Returns, for each page, the body the build's `Output` keeps for it.
pub trait PageSink: Sync {
    /// Take a batch.
    fn take(&self, batch: Vec<RenderedPage>) -> Vec<Result<Body, Diagnostic>>;

    /// Take a generated file that is not a page (a feed, a citation file, the search index),
    /// as soon as it is made: the staging writer writes it at once, so a build never holds
    /// every feed in memory; the default keeps the bytes.
    fn file(&self, path: &str, bytes: Vec<u8>) -> Result<Body, Diagnostic> {
        let _ = path;
        Ok(Body::Bytes(bytes))
    }
}

/// Keeps every page in memory as bytes (`check`, `serve`, tests).
pub struct InMemory;

impl PageSink for InMemory {
    fn take(&self, batch: Vec<RenderedPage>) -> Vec<Result<Body, Diagnostic>> {
        batch
            .into_iter()
            .map(|p| Ok(Body::Bytes(p.html.into_bytes())))
            .collect()
    }
}
