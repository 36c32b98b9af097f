//! Site search (issue 8): a Pagefind index built in process from the rendered HTML of the
//! pages readers should find, returned as files for the output (nothing is written here).
//!
//! Which pages are indexed is decided by the caller (`render`): briefs that are published
//! (never drafts or scheduled briefs, even with `--drafts`/`--future`), author pages and term
//! pages; never the home page, paginated listings or 404. Filters (author, topic, region, year)
//! and result metadata come from `data-pagefind-*` attributes in the theme's templates.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// One page to index: its URL (with base path) and HTML.
pub struct SearchPage {
    /// URL with the base path, e.g. "/briefs/a/".
    pub url: String,
    /// The rendered HTML.
    pub html: String,
}

/// Folder of the index inside the output.
pub const DIR: &str = "pagefind";

/// Build the index; returns (path inside the output, bytes) for every index and UI file.
pub fn build_index(pages: Vec<SearchPage>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the indexer: {e}"))?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for p in pages {
            index
                .add_html_file(None, Some(p.url.clone()), p.html)
                .await
                .map_err(|e| format!("cannot index {}: {e}", p.url))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        Ok(files
            .into_iter()
            .map(|f| {
                (
                    format!("{DIR}/{}", f.filename.to_string_lossy().replace('\\', "/")),
                    f.contents,
                )
            })
            .collect())
    })
}
