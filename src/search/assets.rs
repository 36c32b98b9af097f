//! Pagefind's browser side: its search library (`pagefind.js`, the worker and the WebAssembly
//! that reads the index, one per stemming language) and its UI bundles. These come from the
//! Pagefind crate itself, through its API, so they always match the version whose index format
//! [`super::write`] writes. They depend only on the set of languages, so they are made once per
//! process for each set (`serve` rebuilds the index often).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context as _, anyhow};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

type Files = Arc<Vec<(String, Vec<u8>)>>;

/// The runtime files for these languages: (path inside the index folder, bytes).
pub fn runtime_files(languages: &[String]) -> anyhow::Result<Files> {
    static CACHE: OnceLock<Mutex<HashMap<Vec<String>, Files>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let poisoned = |_| anyhow!("the cache of Pagefind's browser files is poisoned");
    if let Some(f) = cache.lock().map_err(poisoned)?.get(languages) {
        return Ok(f.clone());
    }
    let files = Arc::new(make(languages)?);
    cache
        .lock()
        .map_err(poisoned)?
        .insert(languages.to_vec(), files.clone());
    Ok(files)
}

fn make(languages: &[String]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("cannot start Pagefind")?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = PagefindIndex::new(Some(options))
            .map_err(|e| anyhow!("{e}"))
            .context("cannot start Pagefind's indexer")?;
        // One tiny record per language makes Pagefind emit that language's WebAssembly.
        for lang in languages {
            index
                .add_custom_record(
                    format!("/{lang}/"),
                    "dossier".into(),
                    lang.clone(),
                    None,
                    None,
                    None,
                )
                .await
                .map_err(|e| anyhow!("{e}"))
                .with_context(|| format!("Pagefind refused the language {lang:?}"))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| anyhow!("{e}"))
            .context("Pagefind could not make its browser files")?;
        Ok(files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .filter(|(name, _)| {
                name != "pagefind-entry.json"
                    && !name.starts_with("fragment/")
                    && !name.starts_with("index/")
                    && !name.starts_with("filter/")
                    && !name.ends_with(".pf_meta")
            })
            .collect())
    })
}
