//! Records (page by page) → postings (word by word): for each word, the CBOR bytes of
//! `[Δpage, locs, meta_locs]` for every page it is on, in page order, back to back, ready to
//! be copied into an index chunk.
//!
//! A site has millions of (page, word) entries. Encoding word by word straight from the
//! records would jump from record to record for every entry (a cache miss or two each: at
//! 10,000 briefs that was most of the merge). Here the records are read front to back three
//! times, each thread its own run of pages: once to find the written forms and count each
//! word's pages, once to size each word's postings, once to write each entry's bytes at its
//! word's cursor. Each pass reads a page's words from where they were set aside
//! ([`super::stored`]), so only one page's words per thread are in memory at a time.
//!
//! Written forms with diacritics get postings of their own ("buckets" numbered after the
//! words), listed under their word in order of first appearance, as Pagefind lists them.
//!
//! **Common words keep their pages, not their places.** Pagefind's browser code fetches a
//! query word's whole index chunk, and a word's postings hold every position on every page: at
//! 100,000 briefs "the" was a 6.3 MB chunk and "reserves" (on 86 % of pages) 527 KB, so any
//! query with a common word cost megabytes. A word on at least a quarter of a language's pages,
//! and on at least [`COMMON_MIN_PAGES`], keeps per page its page number and its metadata
//! positions (title, dek, byline), and no locations in the body ([`NO_LOCATIONS`]). Page
//! numbers are written as differences, so a run of such entries compresses to almost nothing;
//! keeping one position per page (the cut before this one) left about 10 bits each, 200–300 KB
//! per such word at 100,000 briefs and over 500 KB for a query of three of them
//! (bench/RESULTS.md). Its page list is whole, so results and counts are exact. What changes
//! is small: Pagefind ranks with BM25, where such a word's IDF is under 1.4 (a rare word's is
//! about 9), and a brief with it in its title or dek still ranks first; the search page cuts
//! the excerpt of a result without locations from its text (`search.js`); a quoted phrase with
//! such a word finds only briefs where it is in the title, dek or byline. Pagefind's own
//! indexer keeps every position, so `tests/search_index.rs` compares with it, cutting its
//! postings the same way.

use std::io::Result;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::cbor;
use super::record::{MAIN, pack_meta};
use super::stored::{Rereader, StoredRecord};

/// The fewest pages a word must be on (besides a quarter of them) to keep no body positions
/// per page: below it a word's postings are small whatever its share.
pub const COMMON_MIN_PAGES: usize = 2_000;

/// Every word's postings, and what chunking and encoding need to know about them.
pub struct Postings {
    /// Per part of the site (a run of pages): its buckets' postings back to back, and where
    /// each bucket's end (`end[b - 1]..end[b]`, from 0 for the first). A bucket's postings
    /// are its postings in each part, in part order. Offsets are 32-bit: a site has millions
    /// of buckets (most words are on one page), and at 100,000 briefs 64-bit offsets and a
    /// second array of them took 0.2 GB more.
    parts: Vec<(Vec<u8>, Vec<u32>)>,
    /// Postings per bucket.
    count: Vec<u32>,
    /// Per word: how many numbers its postings hold plus one per posting and one per written
    /// form (what Pagefind cuts chunks by).
    units: Vec<usize>,
    /// Words with written forms: (form, bucket), in order of first appearance.
    forms: Forms,
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

/// A part's postings past 32-bit offsets (an index of several GB, uncompressed).
fn too_big() -> std::io::Error {
    std::io::Error::other(
        "the search index is too large: one thread's share of its postings is over 4 GB",
    )
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

/// What a common word's entry holds for its locations: an empty CBOR array (see the module
/// doc). Its page is still listed, with its metadata positions.
const NO_LOCATIONS: &[u8] = &[0x80];

/// Entry locations as a bucket's postings hold them: all of them, or none for a common word.
fn locs_for(locs: &[u8], common: bool) -> &[u8] {
    if common { NO_LOCATIONS } else { locs }
}

/// Per word with written forms: (form, bucket) for each, in order of first appearance.
type Forms = FxHashMap<u32, Vec<(u32, u32)>>;

/// What the first pass finds in one run of pages.
#[derive(Default)]
struct Seen {
    /// (word, form) of written forms, in order of first appearance, each once.
    forms: Vec<(u32, u32)>,
    /// Per written form: pages it is on.
    form_pages: FxHashMap<(u32, u32), u32>,
    /// Per word: pages its plain form is on (empty when no word can be common).
    word_pages: Vec<u32>,
}

/// The first pass: each run's written forms, and when some word could be common (`count`),
/// how many pages each plain word and each written form is on.
fn first_pass(runs: &[(usize, &[StoredRecord])], n_words: usize, count: bool) -> Result<Vec<Seen>> {
    runs.par_iter()
        .map(|&(_, run)| {
            let mut seen = Seen {
                word_pages: if count { vec![0; n_words] } else { Vec::new() },
                ..Seen::default()
            };
            let mut scratch = Rereader::default();
            for p in run {
                for e in p.words(&mut scratch)?.entries() {
                    if e.form == MAIN {
                        if count {
                            seen.word_pages[e.word as usize] += 1;
                        }
                        continue;
                    }
                    let pages = seen.form_pages.entry((e.word, e.form)).or_insert_with(|| {
                        seen.forms.push((e.word, e.form));
                        0
                    });
                    *pages += 1;
                }
            }
            Ok(seen)
        })
        .collect()
}

/// Buckets for every written form (numbered in order of first appearance across the site),
/// the forms of each word, and per bucket whether it is on at least a quarter of the pages
/// and on [`COMMON_MIN_PAGES`].
fn buckets_and_common(
    runs: &[(usize, &[StoredRecord])],
    n_words: usize,
    pages: usize,
) -> Result<(Buckets, Forms, Vec<bool>)> {
    let least = COMMON_MIN_PAGES.max(pages.div_ceil(4));
    let count = pages >= least;
    let seen = first_pass(runs, n_words, count)?;
    let mut buckets = Buckets {
        n_words: n_words as u32,
        of_form: FxHashMap::default(),
    };
    let mut forms = Forms::default();
    for &(word, form) in seen.iter().flat_map(|s| &s.forms) {
        let next = buckets.len() as u32;
        if let std::collections::hash_map::Entry::Vacant(v) = buckets.of_form.entry((word, form)) {
            v.insert(next);
            forms.entry(word).or_default().push((form, next));
        }
    }
    let mut common = vec![false; buckets.len()];
    if count {
        let mut on = vec![0u32; buckets.len()];
        for s in &seen {
            on.iter_mut().zip(&s.word_pages).for_each(|(x, y)| *x += y);
            for (&(word, form), &n) in &s.form_pages {
                on[buckets.get(word, form)] += n;
            }
        }
        common = on.into_iter().map(|c| c as usize >= least).collect();
    }
    Ok((buckets, forms, common))
}

impl Postings {
    /// The postings of `pages` (in page order; `field_maps` renumber each page's metadata
    /// fields), for words numbered below `n_words`. Fails only when words set aside cannot be
    /// read back.
    pub fn collect(
        pages: &[StoredRecord],
        field_maps: &[Vec<u16>],
        n_words: usize,
    ) -> Result<Postings> {
        // The site in runs of pages, one per thread.
        let threads = rayon::current_num_threads().clamp(1, pages.len().max(1));
        let per = pages.len().div_ceil(threads).max(1);
        let runs: Vec<(usize, &[StoredRecord])> = pages
            .chunks(per)
            .enumerate()
            .map(|(k, c)| (k * per, c))
            .collect();
        let (buckets, forms, common) = buckets_and_common(&runs, n_words, pages.len())?;
        let n = buckets.len();

        // Each run's tallies, then its bytes.
        let mut tallies: Vec<Vec<Tally>> = runs
            .par_iter()
            .map(|&(first, run)| {
                let mut t = vec![Tally::default(); n];
                let mut meta_bytes = Vec::new();
                let mut rereader = Rereader::default();
                for (k, p) in run.iter().enumerate() {
                    let page = (first + k) as u32;
                    for e in p.words(&mut rereader)?.entries() {
                        let b = buckets.get(e.word, e.form);
                        let locs = locs_for(e.locs, common[b]);
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
                Ok(t)
            })
            .collect::<Result<_>>()?;

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
        // Where each bucket starts in each part; the tallies are freed before the bytes are
        // made.
        let starts = tallies
            .into_iter()
            .map(|t| {
                let mut total = 0u32;
                let mut start = Vec::with_capacity(n);
                for t in t {
                    start.push(total);
                    total = total.checked_add(t.size).ok_or_else(too_big)?;
                }
                Ok((start, total))
            })
            .collect::<Result<Vec<(Vec<u32>, u32)>>>()?;

        let parts = runs
            .par_iter()
            .zip(starts.into_par_iter().zip(before.into_par_iter()))
            .map(|(&(first, run), ((mut cursor, total), mut last))| {
                let mut bytes = vec![0u8; total as usize];
                let mut one = Vec::with_capacity(256);
                let mut rereader = Rereader::default();
                for (k, p) in run.iter().enumerate() {
                    let page = (first + k) as u32;
                    for e in p.words(&mut rereader)?.entries() {
                        let b = buckets.get(e.word, e.form);
                        let locs = locs_for(e.locs, common[b]);
                        one.clear();
                        let map = &field_maps[page as usize];
                        posting(&mut one, locs, e.meta, page - last[b], map);
                        let at = cursor[b] as usize;
                        bytes[at..at + one.len()].copy_from_slice(&one);
                        cursor[b] += one.len() as u32;
                        last[b] = page;
                    }
                }
                // Each cursor has reached the next bucket's start: it is now its bucket's end.
                debug_assert_eq!(cursor.last().copied().unwrap_or(0), total);
                Ok((bytes, cursor))
            })
            .collect::<Result<_>>()?;
        Ok(Postings {
            parts,
            count,
            units,
            forms,
        })
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
        for (bytes, end) in &self.parts {
            let start = b.checked_sub(1).map_or(0, |p| end[p]);
            out.extend_from_slice(&bytes[start as usize..end[b] as usize]);
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
