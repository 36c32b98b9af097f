//! Records (page by page) → postings (word by word): for each word, the CBOR bytes of
//! `[Δpage, locs, meta_locs]` for every page it is on, in page order, back to back, ready to
//! be copied into an index chunk.
//!
//! A site has millions of (page, word) entries. Encoding word by word straight from the
//! records would jump from record to record for every entry (a cache miss or two each: at
//! 10,000 briefs that was most of the merge). Here the records are read front to back twice:
//! once to size each word's postings, once to write each entry's bytes at its word's cursor.
//!
//! Written forms with diacritics get postings of their own ("buckets" numbered after the
//! words), listed under their word in order of first appearance, as Pagefind lists them.
//!
//! **Common words keep one position per page.** Pagefind's browser code fetches a query
//! word's whole index chunk, and a word's postings hold every position on every page: at
//! 100,000 briefs "the" was a 6.3 MB chunk and "reserves" (on 86 % of pages) 527 KB, so any
//! query with a common word cost megabytes. A word on at least a quarter of a language's pages,
//! and on at least [`COMMON_MIN_PAGES`], keeps only its strongest occurrence per page (the
//! highest weight, then the earliest: [`strongest_location`]). Its page list is whole, so
//! results and counts are exact; what changes is small: Pagefind ranks with BM25, where such a
//! word's IDF is under 1.4 (a rare word's is about 9), and the kept position still says
//! whether it is in a heading; its excerpt highlights that one occurrence; a quoted phrase
//! made of such words matches only where the kept positions are adjacent. The chunks of
//! "the" and "reserves" shrink to 308 and 211 KB (bench/RESULTS.md). Pagefind's own indexer
//! keeps every position, so `tests/search_index.rs` compares with it, cutting its postings
//! the same way, and checks which position is kept.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::cbor;
use super::record::{MAIN, PageRecord, pack_meta, strongest_location};

/// The fewest pages a word must be on (besides a quarter of them) to keep only one position
/// per page: below it a word's postings are small whatever its share.
pub const COMMON_MIN_PAGES: usize = 2_000;

/// Every word's postings, and what chunking and encoding need to know about them.
pub struct Postings {
    /// Per part of the site (a run of pages): its buckets' postings back to back, and where
    /// each bucket's begin (`start[b]..start[b + 1]`). A bucket's postings are its postings
    /// in each part, in part order.
    parts: Vec<(Vec<u8>, Vec<usize>)>,
    /// Postings per bucket.
    count: Vec<u32>,
    /// Per word: how many numbers its postings hold plus one per posting and one per written
    /// form (what Pagefind cuts chunks by).
    units: Vec<usize>,
    /// Words with written forms: (form, bucket), in order of first appearance.
    forms: FxHashMap<u32, Vec<(u32, u32)>>,
}

/// What a run of pages holds for one bucket.
#[derive(Clone, Copy, Default)]
struct Tally {
    /// Bytes of its postings (the first one's page delta counted from page 0).
    size: u32,
    count: u32,
    first: u32,
    last: u32,
    units: u32,
}

/// The bucket of an entry: its word for the plain form, else one per (word, form), numbered
/// after the words in order of first appearance.
struct Buckets {
    n_words: u32,
    of_form: FxHashMap<(u32, u32), u32>,
}

impl Buckets {
    fn get(&self, word: u32, form: u32) -> usize {
        if form == MAIN {
            return word as usize;
        }
        self.of_form[&(word, form)] as usize
    }
    fn len(&self) -> usize {
        self.n_words as usize + self.of_form.len()
    }
}

/// Bytes `cbor::uint(n)` writes.
fn uint_len(n: u32) -> usize {
    match n {
        0..24 => 1,
        24..256 => 2,
        256..65_536 => 3,
        _ => 5,
    }
}

/// An entry's metadata positions with the site's field numbers, CBOR-encoded into `out`.
fn encode_meta(out: &mut Vec<u8>, meta: &[(u16, u32)], field_map: &[u16]) {
    let remapped = meta
        .iter()
        .map(|&(f, pos)| (field_map[f as usize], pos))
        .collect();
    cbor::ints(out, &pack_meta(remapped));
}

fn meta_units(meta: &[(u16, u32)]) -> usize {
    if meta.is_empty() {
        return 0;
    }
    let mut fields: Vec<u16> = meta.iter().map(|m| m.0).collect();
    fields.sort_unstable();
    fields.dedup();
    meta.len() + fields.len()
}

/// Entry `i` of `p` (page `page`) as `[Δpage, locs, meta_locs]`, appended to `out`.
fn posting(out: &mut Vec<u8>, locs: &[u8], meta: &[(u16, u32)], delta: u32, field_map: &[u16]) {
    cbor::array(out, 3);
    cbor::uint(out, delta as u64);
    out.extend_from_slice(locs);
    if meta.is_empty() {
        cbor::array(out, 0);
    } else {
        encode_meta(out, meta, field_map);
    }
}

/// Entry `i`'s locations as its bucket's postings hold them: all of them, or for a common
/// word only the strongest (written into `buf`).
fn locs_for<'a>(
    locs: &'a [u8],
    common: bool,
    buf: &'a mut Vec<u8>,
    scratch: &mut Vec<i32>,
) -> &'a [u8] {
    if !common {
        return locs;
    }
    buf.clear();
    strongest_location(locs, buf, scratch);
    buf
}

/// Per bucket: is it on at least a quarter of the pages, and on [`COMMON_MIN_PAGES`]?
fn common_buckets(runs: &[(usize, &[PageRecord])], buckets: &Buckets, pages: usize) -> Vec<bool> {
    let n = buckets.len();
    let least = COMMON_MIN_PAGES.max(pages.div_ceil(4));
    if pages < least {
        return vec![false; n];
    }
    let counts = runs
        .par_iter()
        .map(|&(_, run)| {
            let mut c = vec![0u32; n];
            for p in run {
                for e in p.entries() {
                    c[buckets.get(e.word, e.form)] += 1;
                }
            }
            c
        })
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        })
        .unwrap_or_default();
    counts.into_iter().map(|c| c as usize >= least).collect()
}

impl Postings {
    /// The postings of `pages` (in page order; `field_maps` renumber each page's metadata
    /// fields), for words numbered below `n_words`.
    pub fn collect(pages: &[PageRecord], field_maps: &[Vec<u16>], n_words: usize) -> Postings {
        // Written forms first (few entries have one): their buckets, in order of appearance.
        let mut buckets = Buckets {
            n_words: n_words as u32,
            of_form: FxHashMap::default(),
        };
        let mut forms: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        for p in pages {
            for &(i, form) in &p.variants {
                let word = p.entries[i as usize].word;
                let next = buckets.len() as u32;
                if let std::collections::hash_map::Entry::Vacant(v) =
                    buckets.of_form.entry((word, form))
                {
                    v.insert(next);
                    forms.entry(word).or_default().push((form, next));
                }
            }
        }
        let n = buckets.len();

        // The site in runs of pages, one per thread: each run's tallies, then its bytes.
        let threads = rayon::current_num_threads().clamp(1, pages.len().max(1));
        let per = pages.len().div_ceil(threads).max(1);
        let runs: Vec<(usize, &[PageRecord])> = pages
            .chunks(per)
            .enumerate()
            .map(|(k, c)| (k * per, c))
            .collect();
        let common = common_buckets(&runs, &buckets, pages.len());
        let mut tallies: Vec<Vec<Tally>> = runs
            .par_iter()
            .map(|&(first, run)| {
                let mut t = vec![Tally::default(); n];
                let mut meta_bytes = Vec::new();
                let (mut buf, mut scratch) = (Vec::new(), Vec::new());
                for (k, p) in run.iter().enumerate() {
                    let page = (first + k) as u32;
                    for e in p.entries() {
                        let b = buckets.get(e.word, e.form);
                        let locs = locs_for(e.locs, common[b], &mut buf, &mut scratch);
                        let meta = e.meta;
                        let meta_len = if meta.is_empty() {
                            1
                        } else {
                            meta_bytes.clear();
                            encode_meta(&mut meta_bytes, meta, &field_maps[page as usize]);
                            meta_bytes.len()
                        };
                        let t = &mut t[b];
                        if t.count == 0 {
                            t.first = page;
                        }
                        t.size += (1 + uint_len(page - t.last) + locs.len() + meta_len) as u32;
                        t.last = page;
                        t.count += 1;
                        t.units += (cbor::array_len(locs) + meta_units(meta) + 1) as u32;
                    }
                }
                t
            })
            .collect();

        // Per bucket, across runs: counts and units; the page each run's first posting is
        // counted from (the last page before the run), which corrects its size.
        let mut count = vec![0u32; n];
        let mut units = vec![0usize; n_words];
        let mut before: Vec<Vec<u32>> = vec![vec![0; n]; runs.len()];
        for b in 0..n {
            let mut last = 0;
            for (k, t) in tallies.iter_mut().enumerate() {
                let t = &mut t[b];
                if t.count == 0 {
                    continue;
                }
                before[k][b] = last;
                t.size = t.size + uint_len(t.first - last) as u32 - uint_len(t.first) as u32;
                last = t.last;
                count[b] += t.count;
                if b < n_words {
                    units[b] += t.units as usize;
                }
            }
        }
        // A written form's postings count towards its word, plus one for the form.
        for (&word, fs) in &forms {
            for &(_, b) in fs {
                units[word as usize] += 1 + tallies
                    .iter()
                    .map(|t| t[b as usize].units as usize)
                    .sum::<usize>();
            }
        }

        let parts = runs
            .par_iter()
            .zip(tallies.par_iter().zip(before.par_iter()))
            .map(|(&(first, run), (t, before))| {
                let mut start = Vec::with_capacity(n + 1);
                let mut total = 0;
                for t in t {
                    start.push(total);
                    total += t.size as usize;
                }
                start.push(total);
                let mut bytes = vec![0u8; total];
                let mut cursor = start.clone();
                let mut last = before.clone();
                let mut one = Vec::with_capacity(256);
                let (mut buf, mut scratch) = (Vec::new(), Vec::new());
                for (k, p) in run.iter().enumerate() {
                    let page = (first + k) as u32;
                    for e in p.entries() {
                        let b = buckets.get(e.word, e.form);
                        let locs = locs_for(e.locs, common[b], &mut buf, &mut scratch);
                        one.clear();
                        let map = &field_maps[page as usize];
                        posting(&mut one, locs, e.meta, page - last[b], map);
                        bytes[cursor[b]..cursor[b] + one.len()].copy_from_slice(&one);
                        cursor[b] += one.len();
                        last[b] = page;
                    }
                }
                debug_assert!((0..n).all(|b| cursor[b] == start[b + 1]));
                (bytes, start)
            })
            .collect();
        Postings {
            parts,
            count,
            units,
            forms,
        }
    }

    /// The words that are on any page.
    pub fn words(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.units.len() as u32).filter(|&w| self.units[w as usize] > 0)
    }

    /// The size Pagefind cuts index chunks by, for word `w`.
    pub fn units(&self, w: u32) -> usize {
        self.units[w as usize]
    }

    /// Bucket `b`'s postings, appended to `out`.
    fn bucket(&self, out: &mut Vec<u8>, b: u32) {
        let b = b as usize;
        for (bytes, start) in &self.parts {
            out.extend_from_slice(&bytes[start[b]..start[b + 1]]);
        }
    }

    /// `[word, [[Δpage, locs, meta_locs]…], [[form, [[Δpage, locs, meta_locs]…]]…]]`
    pub fn encode_word(&self, out: &mut Vec<u8>, w: u32, strings: &[Box<str>]) {
        cbor::array(out, 3);
        cbor::text(out, &strings[w as usize]);
        cbor::array(out, self.count[w as usize] as usize);
        self.bucket(out, w);
        let Some(forms) = self.forms.get(&w) else {
            cbor::array(out, 0);
            return;
        };
        cbor::array(out, forms.len());
        for &(form, b) in forms {
            cbor::array(out, 2);
            cbor::text(out, &strings[form as usize]);
            cbor::array(out, self.count[b as usize] as usize);
            self.bucket(out, b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_lengths() {
        for n in [0u32, 23, 24, 255, 256, 65_535, 65_536, u32::MAX] {
            let mut out = Vec::new();
            cbor::uint(&mut out, n as u64);
            assert_eq!(uint_len(n), out.len(), "{n}");
        }
    }
}
