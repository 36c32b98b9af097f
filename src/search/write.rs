//! Records → Pagefind 1.6's index files, per language:
//! - `pagefind.<lang>_<hash>.pf_meta`: pages (fragment name, word count), the word range of
//!   each index chunk, the filter files, sort orders and metadata field names;
//! - `index/<lang>_<hash>.pf_index`: words in byte order, each with the pages it is on and its
//!   packed positions there (chunks of about 20,000 postings, fetched by the range they cover);
//! - `filter/<lang>_<hash>.pf_filter`: each value of one filter with its pages;
//! - `fragment/<lang>_<hash>.pf_fragment`: one page's result data (made in [`super::record`]);
//! - `dossier.<lang>_<hash>.pf_facets`: the same filters in dossier's form for the theme's search
//!   page ([`super::facets`]).
//!
//! Every file is CBOR (JSON for fragments) behind the "pagefind_dcd" signature, gzip'ed, and
//! named by a digest of its contents, so hosts may cache them forever. Pages are numbered in
//! the order the records come in; page lists are delta-encoded.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::cbor;
use super::postings::Postings;
use super::spill::{IndexFile, Spill};
use super::stored::StoredRecord;

/// Postings per index chunk (Pagefind's default).
const CHUNK_SIZE: usize = 20_000;

/// An index chunk this large before compression is compressed harder ([`Level`]).
const BIG_CHUNK: usize = 64 * 1024;

/// The Pagefind version whose runtime reads these files.
pub const VERSION: &str = "1.6.0";

/// How hard to compress (libdeflate levels). Index chunks and fragments are most of the
/// bytes and are compressed at every build, so they get level 1: on the 10,000-brief
/// benchmark, level 6 made chunks 6 % smaller (and a query's download 6 % smaller) but took
/// twice as long, a tenth of the indexing time. The metadata and filter files are small and
/// fetched once per visit, so they get level 6, as do chunks of [`BIG_CHUNK`] or more: those
/// hold the common words, so they are what most queries download (at 100,000 briefs, level 6
/// made "reserves" 225 → 211 KB for 10 ms; levels 10–12 would save 8 % more at 15 times the
/// time).
#[derive(Clone, Copy, PartialEq)]
pub enum Level {
    /// Index chunks and fragments.
    Fast,
    /// The metadata and filter files.
    Small,
}

/// What every index file starts with, before compression (Pagefind's browser code checks it).
pub const SIGNATURE: &[u8] = b"pagefind_dcd";

/// An empty file body: the signature, then room for `capacity` bytes.
pub fn file_body(capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNATURE.len() + capacity);
    out.extend_from_slice(SIGNATURE);
    out
}

/// gzip of a file body (which starts with [`SIGNATURE`]: see [`file_body`]), by libdeflate.
/// Each thread keeps its compressors.
pub fn compress(body: &[u8], level: Level) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    debug_assert!(body.starts_with(SIGNATURE));
    struct State {
        fast: Compressor,
        small: Compressor,
        /// Room for the output: the bound is about the input's size, three times what a
        /// fragment compresses to, so files are copied out at their size.
        out: Vec<u8>,
    }
    thread_local! {
        static STATE: std::cell::RefCell<State> = std::cell::RefCell::new(State {
            fast: Compressor::new(CompressionLvl::new(1).expect("a valid level")),
            small: Compressor::new(CompressionLvl::new(6).expect("a valid level")),
            out: Vec::new(),
        });
    }
    STATE.with_borrow_mut(|st| {
        let c = match level {
            Level::Fast => &mut st.fast,
            Level::Small => &mut st.small,
        };
        let bound = c.gzip_compress_bound(body.len());
        if st.out.len() < bound {
            st.out.resize(bound, 0);
        }
        let n = c
            .gzip_compress(body, &mut st.out)
            .expect("the bound is enough");
        st.out[..n].to_vec()
    })
}

/// The name a file's bytes give it: 128-bit SipHash-1-3 (fixed keys), in hex. Files are
/// named by what they hold so hosts may cache them forever; a cryptographic digest buys
/// nothing here and MD5 cost a few percent of the indexing time.
pub fn file_hash(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(bytes);
    format!(
        "{:032x}",
        siphasher::sip128::Hasher128::finish128(&h).as_u128()
    )
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
    /// `<lang>_<hash>`: names the facet file (see [`super::facets`]).
    pub facets_name: String,
    pub page_count: usize,
    /// (path inside the index folder, bytes).
    pub files: Vec<(String, IndexFile)>,
}

/// Split records by language: pages without `lang` join the language most pages have.
pub fn by_language(records: Vec<StoredRecord>) -> Vec<(String, Vec<StoredRecord>)> {
    let custom_body = records.iter().any(|r| r.head.has_custom_body);
    let mut langs: BTreeMap<String, Vec<StoredRecord>> = BTreeMap::new();
    for r in records {
        // With a `data-pagefind-body` anywhere, pages without one are not indexed.
        if custom_body && !r.head.has_custom_body {
            continue;
        }
        langs.entry(r.head.language.clone()).or_default().push(r);
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

/// Build one language's files from its records (in page order). Index chunks are set aside in
/// `spill`, when there is one, as they are compressed: at 100,000 briefs they are 130 MB that
/// would otherwise wait beside the postings. Fails only when records set aside cannot be read
/// back.
pub fn build_language(
    language: &str,
    mut pages: Vec<StoredRecord>,
    strings: &[Box<str>],
    spill: Option<&std::sync::Arc<Spill>>,
) -> std::io::Result<LanguageIndex> {
    let mut timer = crate::timings::Timer::nested(2);
    let mut lap = |what: &str| timer.done(what);
    // Sort orders: numeric when every value is a number, else by string.
    let mut sort_keys: Vec<&String> = pages.iter().flat_map(|p| p.head.sort.keys()).collect();
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
            .filter_map(|(i, p)| p.head.sort.get(key).map(|v| (v.as_str(), i)))
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
    let mut fields: Vec<&String> = pages
        .iter()
        .flat_map(|p| p.head.meta_fields.iter())
        .collect();
    fields.sort_unstable();
    fields.dedup();
    let field_maps: Vec<Vec<u16>> = pages
        .iter()
        .map(|p| {
            p.head
                .meta_fields
                .iter()
                .map(|f| fields.binary_search(&f).expect("collected above") as u16)
                .collect()
        })
        .collect();
    let meta_fields: Vec<String> = fields.into_iter().cloned().collect();

    lap("sorts and fields");
    // Every word's postings, word by word.
    let postings = Postings::collect(&pages, &field_maps, strings.len())?;
    lap("postings");
    // In byte order: by the first 8 bytes as a number, then (rarely) by the whole word.
    let prefix = |w: u32| {
        let b = strings[w as usize].as_bytes();
        let mut k = [0u8; 8];
        let n = b.len().min(8);
        k[..n].copy_from_slice(&b[..n]);
        u64::from_be_bytes(k)
    };
    let mut keyed: Vec<(u64, u32)> = postings.words().map(|w| (prefix(w), w)).collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| strings[a.1 as usize].cmp(&strings[b.1 as usize]))
    });
    let order: Vec<u32> = keyed.into_iter().map(|(_, w)| w).collect();
    lap("words merged");

    // Chunks of about CHUNK_SIZE postings.
    let mut chunks: Vec<&[u32]> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, &w) in order.iter().enumerate() {
        size += postings.units(w);
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

    let encoded: Vec<(IndexFile, String)> = chunks
        .par_iter()
        .map(|chunk| {
            let mut out = file_body(128 * 1024);
            cbor::array(&mut out, 1);
            cbor::array(&mut out, chunk.len());
            for &w in chunk.iter() {
                postings.encode_word(&mut out, w, strings);
            }
            let level = if out.len() >= BIG_CHUNK {
                Level::Small
            } else {
                Level::Fast
            };
            let bytes = compress(&out, level);
            let hash = file_hash(&bytes);
            // Kept in memory when the spill file cannot take it.
            let file = spill
                .and_then(|s| s.put(&bytes).ok())
                .unwrap_or(IndexFile::Bytes(bytes));
            (file, hash)
        })
        .collect();
    drop(postings);
    lap("encoded");
    // Filters: value → pages, values and filters in byte order.
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (page, p) in pages.iter().enumerate() {
        for (f, values) in &p.head.filters {
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

    let mut files = Vec::with_capacity(pages.len() + encoded.len() + filters.len() + 2);
    let (facets_file, facets_bytes, facets_name) =
        super::facets::facet_file(language, pages.len(), &filters);
    lap("facet file");
    let mut taken = std::collections::HashSet::new();
    let mut meta = file_body(pages.len() * 24 + 1024);
    cbor::array(&mut meta, 6);
    cbor::text(&mut meta, VERSION);
    // Pages and their fragments.
    cbor::array(&mut meta, pages.len());
    let page_count = pages.len();
    for p in pages.iter().map(|p| &p.head) {
        let name = short_name(language, &p.fragment_hash, &mut taken);
        cbor::array(&mut meta, 3);
        cbor::text(&mut meta, &name);
        cbor::uint(&mut meta, p.word_count as u64);
        cbor::text(&mut meta, "");
        files.push((format!("fragment/{name}.pf_fragment"), IndexFile::default()));
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
        let mut out = file_body(1024);
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
        let bytes = compress(&out, Level::Small);
        let name = short_name(language, &file_hash(&bytes), &mut taken_filter);
        cbor::array(&mut meta, 2);
        cbor::text(&mut meta, filter);
        cbor::text(&mut meta, &name);
        files.push((format!("filter/{name}.pf_filter"), bytes.into()));
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
    let bytes = compress(&meta, Level::Small);
    let meta_name = format!("{language}_{}", &file_hash(&bytes)[..10]);
    files.push((format!("pagefind.{meta_name}.pf_meta"), bytes.into()));
    files.push((facets_file, facets_bytes.into()));

    // Fragments: moved in last, in page order, to the slots named above.
    for (slot, p) in files.iter_mut().zip(pages.iter_mut()) {
        slot.1 = std::mem::take(&mut p.head.fragment);
    }
    // The records are many small arrays: freed on another thread.
    std::thread::spawn(move || drop(pages));
    lap("done");
    Ok(LanguageIndex {
        language: language.to_string(),
        meta_name,
        facets_name,
        page_count,
        files,
    })
}

/// The word range each chunk answers for. Each chunk starts where Pagefind starts it (its
/// first word, shortened to the prefix that tells it from the previous chunk's last word), but
/// ends just before the next chunk starts, and the last one ends at the top of Unicode.
///
/// Pagefind's browser code picks a query word's chunk by the word *as typed*, while the index
/// holds stems: with Pagefind's own ranges (each ending at its last word), "reserves" falls
/// between the chunk ending in "reserv" and the next, so it picks none and then loads the
/// first chunk that shares a prefix with it (at 100,000 briefs, 179 KB of the word "r"), and
/// still finds nothing. With ranges that leave no gaps, a word picks the chunk holding the
/// nearest indexed word at or before it: the chunk of its stem (a stem is a prefix of the word,
/// or sorts before it as Snowball's "polici" does), or, for a word not in the index, one
/// chunk that proves it absent.
fn chunk_ranges(chunks: &[&[u32]], strings: &[Box<str>]) -> Vec<(String, String)> {
    let word = |w: Option<&u32>| w.map_or(String::new(), |&w| strings[w as usize].to_string());
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|c| (word(c.first()), word(c.last())))
        .collect();
    for i in 1..ranges.len() {
        let b = prefix_after(&ranges[i - 1].1, &ranges[i].0);
        let below = just_below(&b);
        if below >= ranges[i - 1].1 {
            ranges[i - 1].1 = below;
        }
        ranges[i].0 = b;
    }
    if let Some(last) = ranges.last_mut() {
        last.1 = char::MAX.to_string();
    }
    ranges
}

/// The greatest string below `s` for any word that does not contain `char::MAX` (a
/// noncharacter): `s` with its last character lowered by one and `char::MAX` appended, or
/// without its last character when that is the lowest. "resi" → "resh\u{10FFFF}".
fn just_below(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let Some(last) = chars.pop() else {
        return String::new();
    };
    let lower = (0..last as u32).rev().find_map(char::from_u32);
    let mut out: String = chars.into_iter().collect();
    if let Some(c) = lower {
        out.push(c);
        out.push(char::MAX);
    }
    out
}

/// The shortest prefix of `b` that sorts after `a` (one character past what they share).
fn prefix_after(a: &str, b: &str) -> String {
    let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    b.chars().take(common + 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_gzip_with_the_signature() {
        use std::io::Read;
        let text = "grain reserves ".repeat(2000);
        for (input, level) in [&b""[..], b"x", text.as_bytes()]
            .into_iter()
            .flat_map(|i| [(i, Level::Fast), (i, Level::Small)])
        {
            let mut body = file_body(input.len());
            body.extend_from_slice(input);
            let gz = compress(&body, level);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(&back[..12], b"pagefind_dcd");
            assert_eq!(&back[12..], input);
        }
    }

    #[test]
    fn strings_just_below() {
        assert_eq!(just_below("resi"), "resh\u{10FFFF}");
        assert_eq!(just_below("a"), "`\u{10FFFF}");
        assert_eq!(just_below("r\0"), "r");
        assert_eq!(just_below("\u{E000}"), "\u{D7FF}\u{10FFFF}");
        assert_eq!(just_below(""), "");
        for s in ["resi", "a", "r\0", "\u{E000}", "مصر"] {
            let below = just_below(s);
            assert!(below.as_str() < s, "{s:?}");
            // Everything between them starts with `below` minus its last character and has
            // char::MAX next: no word.
            for w in ["resh", "reshaping", "resh\u{10FFFE}", "r", "`zzz"] {
                assert!(
                    !(below.as_str() < w && w < s),
                    "{w:?} between {below:?} and {s:?}"
                );
            }
        }
    }

    #[test]
    fn ranges_leave_no_gaps() {
        let strings: Vec<Box<str>> = ["polic", "polici", "reserv", "resid", "zone"]
            .into_iter()
            .map(Box::from)
            .collect();
        let chunks: [&[u32]; 3] = [&[0, 1], &[2], &[3, 4]];
        let ranges = chunk_ranges(&chunks, &strings);
        assert_eq!(ranges[0], ("polic".into(), "q\u{10FFFF}".into()));
        assert_eq!(ranges[1], ("r".into(), "resh\u{10FFFF}".into()));
        assert_eq!(ranges[2], ("resi".into(), "\u{10FFFF}".into()));
        // Pagefind's lookup: the first chunk whose range holds the word as typed.
        let pick = |w: &str| {
            ranges
                .iter()
                .position(|(a, b)| a.as_str() <= w && w <= b.as_str())
        };
        assert_eq!(pick("policy"), Some(0));
        assert_eq!(pick("reserves"), Some(1));
        assert_eq!(pick("reservoir"), Some(1));
        assert_eq!(pick("residents"), Some(2));
        assert_eq!(pick("zones"), Some(2));
        assert_eq!(pick("quarry"), Some(0));
    }

    #[test]
    fn chunk_prefixes() {
        assert_eq!(prefix_after("apple", "apricot"), "apr");
        assert_eq!(prefix_after("cath", "cathartic"), "catha");
    }

    #[test]
    fn names_grow_on_collision() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(short_name("en", "abcdef0123", &mut taken), "en_abcdef0");
        assert_eq!(short_name("en", "abcdef0199", &mut taken), "en_abcdef01");
    }
}
