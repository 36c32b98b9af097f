//! Records → Pagefind 1.6's index files, per language:
//! - `pagefind.<lang>_<hash>.pf_meta`: pages (fragment name, word count), the word range of
//!   each index chunk, the filter files, sort orders and metadata field names;
//! - `index/<lang>_<hash>.pf_index`: words in byte order, each with the pages it is on and its
//!   packed positions there (chunks of about 20,000 postings, fetched by the range they cover);
//! - `filter/<lang>_<hash>.pf_filter`: each value of one filter with its pages;
//! - `fragment/<lang>_<hash>.pf_fragment`: one page's result data (made in [`super::record`]).
//!
//! Every file is CBOR (JSON for fragments) behind the "pagefind_dcd" signature, gzip'ed, and
//! named by a digest of its contents, so hosts may cache them forever. Pages are numbered in
//! the order the records come in; page lists are delta-encoded.

use std::collections::BTreeMap;

use crate::deploy::md5_hex;
use rayon::prelude::*;

use super::cbor;
use super::record::{Entry, MAIN, PageRecord, pack_meta};

/// Postings per index chunk (Pagefind's default).
const CHUNK_SIZE: usize = 20_000;

/// The Pagefind version whose runtime reads these files.
pub const VERSION: &str = "1.6.0";

/// How hard to compress: index chunks, filters and metadata are fetched for every query, so
/// they get libdeflate's level 6; a fragment is fetched per result shown and is compressed
/// once per page, so it gets level 1 (4-5 % larger, twice as fast).
#[derive(Clone, Copy, PartialEq)]
pub enum Level {
    Index = 6,
    Fragment = 1,
}

/// gzip of "pagefind_dcd" + bytes, by libdeflate. Each thread keeps its compressors and
/// input buffer.
pub fn compress(bytes: &[u8], level: Level) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    const SIGNATURE: &[u8] = b"pagefind_dcd";
    struct State {
        index: Compressor,
        fragment: Compressor,
        input: Vec<u8>,
    }
    thread_local! {
        static STATE: std::cell::RefCell<State> = std::cell::RefCell::new(State {
            index: Compressor::new(CompressionLvl::new(Level::Index as i32).expect("valid")),
            fragment: Compressor::new(CompressionLvl::new(Level::Fragment as i32).expect("valid")),
            input: Vec::new(),
        });
    }
    STATE.with_borrow_mut(|st| {
        st.input.clear();
        st.input.extend_from_slice(SIGNATURE);
        st.input.extend_from_slice(bytes);
        let c = match level {
            Level::Index => &mut st.index,
            Level::Fragment => &mut st.fragment,
        };
        let mut out = vec![0; c.gzip_compress_bound(st.input.len())];
        let n = c
            .gzip_compress(&st.input, &mut out)
            .expect("the bound is enough");
        out.truncate(n);
        out
    })
}

/// The shortest `<lang>_<7+ hex>` name not yet taken.
fn short_name(lang: &str, hash: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let mut len = 7;
    loop {
        let name = format!("{lang}_{}", &hash[..len.min(hash.len())]);
        if len >= hash.len() || !taken.contains(&name) {
            taken.insert(name.clone());
            return name;
        }
        len += 1;
    }
}

/// One language's index.
pub struct LanguageIndex {
    pub language: String,
    /// `<lang>_<hash>`: names the pf_meta file.
    pub meta_name: String,
    pub page_count: usize,
    /// (path inside the index folder, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Split records by language: pages without `lang` join the language most pages have.
pub fn by_language(records: Vec<PageRecord>) -> Vec<(String, Vec<PageRecord>)> {
    let custom_body = records.iter().any(|r| r.has_custom_body);
    let mut langs: BTreeMap<String, Vec<PageRecord>> = BTreeMap::new();
    for r in records {
        // With a `data-pagefind-body` anywhere, pages without one are not indexed.
        if custom_body && !r.has_custom_body {
            continue;
        }
        langs.entry(r.language.clone()).or_default().push(r);
    }
    let primary = langs
        .iter()
        .filter(|(l, _)| l.as_str() != "unknown")
        .max_by(|(la, a), (lb, b)| a.len().cmp(&b.len()).then_with(|| lb.cmp(la)))
        .map(|(l, _)| l.clone())
        .unwrap_or_else(|| "unknown".into());
    if let Some(mut unknown) = langs.remove("unknown") {
        langs.entry(primary).or_default().append(&mut unknown);
    }
    langs.into_iter().collect()
}

/// Build one language's files from its records (in page order).
pub fn build_language(
    language: &str,
    mut pages: Vec<PageRecord>,
    strings: &[Box<str>],
) -> LanguageIndex {
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if std::env::var_os("DOSSIER_TIMINGS").is_some() {
            eprintln!(
                "timing:     {what} {:.1} ms",
                t0.elapsed().as_secs_f64() * 1000.0
            );
        }
    };
    // Sort orders: numeric when every value is a number, else by string.
    let mut sort_keys: Vec<&String> = pages.iter().flat_map(|p| p.sort.keys()).collect();
    sort_keys.sort_unstable();
    sort_keys.dedup();
    let number = |v: &str| {
        v.parse::<i32>()
            .map(|n| n as f32)
            .or_else(|_| v.parse::<f32>())
    };
    let mut sorts: Vec<(String, Vec<usize>)> = Vec::new();
    for key in sort_keys {
        let mut values: Vec<(&str, usize)> = pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.sort.get(key).map(|v| (v.as_str(), i)))
            .collect();
        if values.iter().all(|(v, _)| number(v).is_ok()) {
            values.sort_by(|a, b| {
                let (x, y) = (
                    number(a.0).unwrap_or_default(),
                    number(b.0).unwrap_or_default(),
                );
                x.total_cmp(&y)
            });
        } else {
            values.sort_by_key(|v| v.0);
        }
        sorts.push((key.clone(), values.into_iter().map(|v| v.1).collect()));
    }

    // Metadata fields, numbered site-wide; each page's numbering maps onto it.
    let mut fields: Vec<&String> = pages.iter().flat_map(|p| p.meta_fields.iter()).collect();
    fields.sort_unstable();
    fields.dedup();
    let field_maps: Vec<Vec<u16>> = pages
        .iter()
        .map(|p| {
            p.meta_fields
                .iter()
                .map(|f| fields.binary_search(&f).expect("collected above") as u16)
                .collect()
        })
        .collect();
    let meta_fields: Vec<String> = fields.into_iter().cloned().collect();

    // Words → the pages they are on (in page order): (page, entry).
    // A counting sort by word: one flat array, each word's entries in page order.
    let mut starts = vec![0u32; strings.len() + 1];
    for p in &pages {
        for e in &p.entries {
            starts[e.word as usize + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut flat: Vec<(u32, Entry)> = Vec::with_capacity(starts[strings.len()] as usize);
    // Every slot is written once below, each word's in page order.
    flat.resize(
        starts[strings.len()] as usize,
        (
            0,
            Entry {
                word: 0,
                form: 0,
                locs: (0, 0),
                n_locs: 0,
                meta: (0, 0),
            },
        ),
    );
    let mut cursor = starts.clone();
    for (page, p) in pages.iter().enumerate() {
        for e in &p.entries {
            let c = &mut cursor[e.word as usize];
            flat[*c as usize] = (page as u32, *e);
            *c += 1;
        }
    }
    let on = |w: u32| &flat[starts[w as usize] as usize..starts[w as usize + 1] as usize];
    let mut order: Vec<u32> = (0..strings.len() as u32)
        .filter(|&w| starts[w as usize] < starts[w as usize + 1])
        .collect();
    order.par_sort_unstable_by(|&a, &b| strings[a as usize].cmp(&strings[b as usize]));
    lap("words merged");

    // Chunks of about CHUNK_SIZE postings.
    let sizes: Vec<usize> = order
        .par_iter()
        .map(|&w| {
            let mut forms: Vec<u32> = Vec::new();
            let mut size = 0;
            for (page, e) in on(w) {
                let meta = match e.meta.1 - e.meta.0 {
                    0 => 0,
                    _ => meta_len(pages[*page as usize].meta_of(e)),
                };
                size += e.n_locs as usize + meta + 1;
                if e.form != MAIN && !forms.contains(&e.form) {
                    forms.push(e.form);
                }
            }
            size + forms.len()
        })
        .collect();
    let mut chunks: Vec<&[u32]> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, s) in sizes.iter().enumerate() {
        size += s;
        if size >= CHUNK_SIZE {
            chunks.push(&order[start..=i]);
            start = i + 1;
            size = 0;
        }
    }
    if start < order.len() {
        chunks.push(&order[start..]);
    }
    let ranges = chunk_ranges(&chunks, strings);
    lap("chunked");

    let encoded: Vec<(Vec<u8>, String)> = chunks
        .par_iter()
        .map(|chunk| {
            let mut out = Vec::with_capacity(128 * 1024);
            cbor::array(&mut out, 1);
            cbor::array(&mut out, chunk.len());
            for &w in chunk.iter() {
                let word = Word {
                    word: &strings[w as usize],
                    on: on(w),
                };
                word.encode(&mut out, &pages, &field_maps, strings);
            }
            let hash = md5_hex(&out);
            (compress(&out, Level::Index), hash)
        })
        .collect();
    lap("encoded");
    // Filters: value → pages, values and filters in byte order.
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (page, p) in pages.iter().enumerate() {
        for (f, values) in &p.filters {
            for v in values {
                filters
                    .entry(f)
                    .or_default()
                    .entry(v)
                    .or_default()
                    .push(page);
            }
        }
    }

    let mut files = Vec::with_capacity(pages.len() + encoded.len() + filters.len() + 1);
    let mut taken = std::collections::HashSet::new();
    let mut meta = Vec::with_capacity(pages.len() * 24 + 1024);
    cbor::array(&mut meta, 6);
    cbor::text(&mut meta, VERSION);
    // Pages and their fragments.
    cbor::array(&mut meta, pages.len());
    let page_count = pages.len();
    for p in pages.iter() {
        let name = short_name(language, &p.fragment_hash, &mut taken);
        cbor::array(&mut meta, 3);
        cbor::text(&mut meta, &name);
        cbor::uint(&mut meta, p.word_count as u64);
        cbor::text(&mut meta, "");
        files.push((format!("fragment/{name}.pf_fragment"), Vec::new()));
    }
    // Index chunks.
    cbor::array(&mut meta, encoded.len());
    let mut taken_index = std::collections::HashSet::new();
    for ((bytes, hash), (from, to)) in encoded.into_iter().zip(ranges) {
        let name = short_name(language, &hash, &mut taken_index);
        cbor::array(&mut meta, 3);
        cbor::text(&mut meta, &from);
        cbor::text(&mut meta, &to);
        cbor::text(&mut meta, &name);
        files.push((format!("index/{name}.pf_index"), bytes));
    }
    // Filters.
    cbor::array(&mut meta, filters.len());
    let mut taken_filter = std::collections::HashSet::new();
    for (filter, values) in filters {
        let mut out = Vec::new();
        cbor::array(&mut out, 2);
        cbor::text(&mut out, filter);
        cbor::array(&mut out, values.len());
        for (value, on) in values {
            cbor::array(&mut out, 2);
            cbor::text(&mut out, value);
            cbor::array(&mut out, on.len());
            for page in on {
                cbor::uint(&mut out, page as u64);
            }
        }
        let name = short_name(language, &md5_hex(&out), &mut taken_filter);
        cbor::array(&mut meta, 2);
        cbor::text(&mut meta, filter);
        cbor::text(&mut meta, &name);
        files.push((
            format!("filter/{name}.pf_filter"),
            compress(&out, Level::Index),
        ));
    }
    // Sorts and metadata fields.
    cbor::array(&mut meta, sorts.len());
    for (key, order) in &sorts {
        cbor::array(&mut meta, 2);
        cbor::text(&mut meta, key);
        cbor::array(&mut meta, order.len());
        for &page in order {
            cbor::uint(&mut meta, page as u64);
        }
    }
    cbor::array(&mut meta, meta_fields.len());
    for f in &meta_fields {
        cbor::text(&mut meta, f);
    }
    let meta_name = format!("{language}_{}", &md5_hex(&meta)[..10]);
    files.push((
        format!("pagefind.{meta_name}.pf_meta"),
        compress(&meta, Level::Index),
    ));

    // Fragments: moved in last, in page order, to the slots named above.
    for (slot, p) in files.iter_mut().zip(pages.iter_mut()) {
        slot.1 = std::mem::take(&mut p.fragment);
    }
    // The records are many small arrays: freed on another thread.
    std::thread::spawn(move || drop(pages));
    lap("done");
    LanguageIndex {
        language: language.to_string(),
        meta_name,
        page_count,
        files,
    }
}

fn meta_len(meta: &[(u16, u32)]) -> usize {
    if meta.is_empty() {
        return 0;
    }
    let mut fields: Vec<u16> = meta.iter().map(|m| m.0).collect();
    fields.sort_unstable();
    fields.dedup();
    meta.len() + fields.len()
}

/// One word and where it is: (page, entry) in page order.
struct Word<'a> {
    word: &'a str,
    on: &'a [(u32, Entry)],
}

impl Word<'_> {
    /// `[word, [[Δpage, locs, meta_locs]…], [[form, [[Δpage, locs, meta_locs]…]]…]]`
    fn encode(
        &self,
        out: &mut Vec<u8>,
        pages: &[PageRecord],
        field_maps: &[Vec<u16>],
        strings: &[Box<str>],
    ) {
        cbor::array(out, 3);
        cbor::text(out, self.word);
        let mut main = 0;
        let mut forms = false;
        for (_, e) in self.on {
            if e.form == MAIN {
                main += 1;
            } else {
                forms = true;
            }
        }
        let of = |form: u32| self.on.iter().filter(move |(_, e)| e.form == form);
        cbor::array(out, main);
        postings(out, of(MAIN), pages, field_maps);
        if !forms {
            cbor::array(out, 0);
            return;
        }
        // Written forms with diacritics, in order of first appearance.
        let mut forms: Vec<u32> = Vec::new();
        for (_, e) in self.on {
            if e.form != MAIN && !forms.contains(&e.form) {
                forms.push(e.form);
            }
        }
        cbor::array(out, forms.len());
        for form in forms {
            cbor::array(out, 2);
            cbor::text(out, &strings[form as usize]);
            cbor::array(out, of(form).count());
            postings(out, of(form), pages, field_maps);
        }
    }
}

/// `[[Δpage, locs, meta_locs]…]` without the array head.
fn postings<'a>(
    out: &mut Vec<u8>,
    list: impl Iterator<Item = &'a (u32, Entry)>,
    pages: &[PageRecord],
    field_maps: &[Vec<u16>],
) {
    let mut last = 0;
    for (page, e) in list {
        let p = &pages[*page as usize];
        cbor::array(out, 3);
        cbor::uint(out, (page - last) as u64);
        last = *page;
        out.extend_from_slice(p.locs_of(e));
        let meta = p.meta_of(e);
        if meta.is_empty() {
            cbor::array(out, 0);
        } else {
            let map = &field_maps[*page as usize];
            let remapped = meta
                .iter()
                .map(|&(f, pos)| (map[f as usize], pos))
                .collect();
            cbor::ints(out, &pack_meta(remapped));
        }
    }
}

/// The word range each chunk answers for, shortened to the prefixes that tell neighbouring
/// chunks apart (a query prefix picks its chunks by these).
fn chunk_ranges(chunks: &[&[u32]], strings: &[Box<str>]) -> Vec<(String, String)> {
    let word = |w: Option<&u32>| w.map_or(String::new(), |&w| strings[w as usize].to_string());
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|c| (word(c.first()), word(c.last())))
        .collect();
    for i in 1..ranges.len() {
        let (a, b) = prefixes(&ranges[i - 1].1, &ranges[i].0);
        if a >= ranges[i - 1].0 {
            ranges[i - 1].1 = a;
        }
        ranges[i].0 = b;
    }
    ranges
}

/// The shortest prefixes of `a` and `b` (one character past what they share).
fn prefixes(a: &str, b: &str) -> (String, String) {
    let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    (
        a.chars().take(common + 1).collect(),
        b.chars().take(common + 1).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_gzip_with_the_signature() {
        use std::io::Read;
        let text = "grain reserves ".repeat(2000);
        for input in [&b""[..], b"x", text.as_bytes()] {
            let gz = compress(input, Level::Index);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(&back[..12], b"pagefind_dcd");
            assert_eq!(&back[12..], input);
        }
    }

    #[test]
    fn chunk_prefixes() {
        assert_eq!(prefixes("apple", "apricot"), ("app".into(), "apr".into()));
        assert_eq!(
            prefixes("cath", "cathartic"),
            ("cath".into(), "catha".into())
        );
    }

    #[test]
    fn names_grow_on_collision() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(short_name("en", "abcdef0123", &mut taken), "en_abcdef0");
        assert_eq!(short_name("en", "abcdef0199", &mut taken), "en_abcdef01");
    }
}
