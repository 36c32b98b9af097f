//! Making variants: each wanted (source, operation) is looked up in the cache and made only
//! when missing, decoding each source at most once per build, in parallel over sources.
//! Templates ask for variants while pages render (`resize_image()`), so their requests are
//! collected in [`Requests`] (the one lock here, held only to insert) and made afterwards,
//! like every other variant.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use super::cache::{Cache, Entry, key};
use super::{Catalog, Op, Source};

/// One variant to publish.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Job {
    /// Output path.
    pub out: String,
    /// The source, root-relative.
    pub source: PathBuf,
    /// What to make.
    pub op: Op,
}

/// Variants asked for by templates while rendering, by output path.
#[derive(Debug, Default)]
pub struct Requests {
    jobs: Mutex<BTreeMap<String, Job>>,
}

impl Requests {
    /// Ask for `job` (asking twice for one output path is one job).
    pub fn add(&self, job: Job) {
        self.jobs
            .lock()
            .expect("no panic while holding the lock")
            .insert(job.out.clone(), job);
    }

    /// Everything asked for, sorted by output path.
    pub fn take(&self) -> Vec<Job> {
        let mut m = self.jobs.lock().expect("no panic while holding the lock");
        std::mem::take(&mut *m).into_values().collect()
    }
}

/// The cache entries of `ops` on `src`, made (from `bytes` if given, else read) when missing.
pub fn ensure(
    src: &Source,
    bytes: Option<&[u8]>,
    ops: &[Op],
    cache: &Cache,
    catalog_settings: &crate::config::Images,
) -> Result<Vec<Entry>, String> {
    let q = catalog_settings.quality;
    let mut out: Vec<Option<Entry>> = ops
        .iter()
        .map(|op| cache.get(key(src.hash, *op, q), op.format(src).ext()))
        .collect();
    if out.iter().any(Option::is_none) {
        let read;
        let bytes = match bytes {
            Some(b) => b,
            None => {
                read = src
                    .file
                    .read()
                    .map_err(|e| format!("cannot read it: {e}"))?;
                &read[..]
            }
        };
        let decoded = super::process::decode(bytes, catalog_settings.max_pixels)?;
        for (slot, op) in out.iter_mut().zip(ops) {
            if slot.is_none() {
                let made = decoded.make(src, *op, q)?;
                let k = key(src.hash, *op, q);
                let f = cache
                    .put(k, op.format(src).ext(), &made)
                    .map_err(|e| format!("cannot write the image cache: {e}"))?;
                *slot = Some(f);
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|f| f.expect("every slot filled"))
        .collect())
}

/// Make (or find) every job's file. Results are in the order of `jobs`; an error names
/// what went wrong with the source.
pub fn run(catalog: &Catalog, jobs: &[Job]) -> Vec<Result<Entry, String>> {
    let Some(cache) = &catalog.cache else {
        return jobs
            .iter()
            .map(|_| Err("image processing is off".to_string()))
            .collect();
    };
    // Grouped by hashing (a tree compared paths component by component: a tenth of this
    // stage at 100,000 variants); the order of groups does not matter.
    let mut by_source: HashMap<&PathBuf, Vec<usize>> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        by_source.entry(&j.source).or_default().push(i);
    }
    let groups: Vec<(&PathBuf, Vec<usize>)> = by_source.into_iter().collect();
    let made: Vec<Vec<(usize, Result<Entry, String>)>> = groups
        .par_iter()
        .map(|(rel, idx)| {
            let src = match catalog.get(rel) {
                Some(Ok(s)) => s,
                Some(Err(e)) => return idx.iter().map(|i| (*i, Err(e.to_string()))).collect(),
                None => {
                    let e = "it is not an image dossier processes".to_string();
                    return idx.iter().map(|i| (*i, Err(e.clone()))).collect();
                }
            };
            let ops: Vec<Op> = idx.iter().map(|i| jobs[*i].op).collect();
            match ensure(src, None, &ops, cache, &catalog.settings) {
                Ok(files) => idx.iter().copied().zip(files.into_iter().map(Ok)).collect(),
                Err(e) => idx.iter().map(|i| (*i, Err(e.clone()))).collect(),
            }
        })
        .collect();
    let mut out: Vec<Option<Result<Entry, String>>> = vec![None; jobs.len()];
    for (i, r) in made.into_iter().flatten() {
        out[i] = Some(r);
    }
    out.into_iter()
        .map(|r| r.expect("every job belongs to one group"))
        .collect()
}
