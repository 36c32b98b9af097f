//! Making variants: each wanted (source, operation) is looked up in the cache and made only
//! when missing, decoding each source at most once per build, in parallel over sources.
//! What is wanted comes grouped by source ([`Group`]): a site with 10,000 heroes wants
//! 110,000 variants, and grouping them again by path cost more than looking them up.
//! Templates ask for variants while pages render (`resize_image()`), so their requests are
//! collected in [`Requests`] (the one lock here, held only to insert) and made afterwards,
//! like every other variant.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use super::cache::{Cache, Entry, key};
use super::{Catalog, Op, Source};

/// The variants wanted of one source: operations with their output paths.
#[derive(Debug)]
pub struct Group<'c> {
    /// The source.
    pub src: &'c Source,
    /// What to make of it, and where each is published.
    pub wanted: Vec<(Op, String)>,
}

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

/// Make (or find) every group's files, in parallel over groups. Results are in the order of
/// `groups`, each entry in the order of its group's `wanted`; an error names what went wrong
/// with the source.
pub fn run(catalog: &Catalog, groups: &[Group]) -> Vec<Result<Vec<Entry>, String>> {
    let Some(cache) = &catalog.cache else {
        return groups
            .iter()
            .map(|_| Err("image processing is off".to_string()))
            .collect();
    };
    groups
        .par_iter()
        .map(|g| {
            let ops: Vec<Op> = g.wanted.iter().map(|(op, _)| *op).collect();
            ensure(g.src, None, &ops, cache, &catalog.settings)
        })
        .collect()
}
