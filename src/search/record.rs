//! One page → one index record: its words with positions and weights, its metadata words,
//! and its fragment (the JSON Pagefind's browser code loads to show a result), compressed.
//! Runs in the render workers, one page at a time, so the whole site is never re-read.

use std::collections::BTreeMap;

use serde::Serialize;

use super::html::{Parsed, normalize_content};
use rustc_hash::FxHashMap;

use super::words::{Cache, Interner, indexable_words};

/// Pagefind's weight unit: a weight of 1.0 is stored as 24.
const WEIGHT_UNIT: f32 = 24.0;
const WEIGHT_MAX: f32 = 10.0;

/// `Entry::form` of occurrences written without diacritics.
pub const MAIN: u32 = u32::MAX;

/// One word (or one written form of it) on a page: ranges into the record's arrays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// Interned word.
    pub word: u32,
    /// Interned written form with diacritics, or [`MAIN`].
    pub form: u32,
    /// Packed locations, as the CBOR array the index holds: `PageRecord::locs[locs.0..locs.1]`.
    pub locs: (u32, u32),
    /// How many numbers that array has (chunks are cut by it).
    pub n_locs: u32,
    /// Metadata positions: `PageRecord::meta[meta.0..meta.1]`.
    pub meta: (u32, u32),
}

/// Everything the index needs from one page, in a few flat arrays (a site has many pages).
#[derive(Debug, Clone)]
pub struct PageRecord {
    pub url: String,
    pub language: String,
    pub has_custom_body: bool,
    pub word_count: u32,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
    /// Metadata keys, sorted (the page's field numbering).
    pub meta_fields: Vec<String>,
    /// Per word: its main entry (if any) first, then its written forms.
    pub entries: Vec<Entry>,
    /// CBOR arrays of packed locations, one per entry, back to back.
    pub locs: Vec<u8>,
    /// (metadata field, word position in it).
    pub meta: Vec<(u16, u32)>,
    /// Hex digest of the fragment JSON (names the fragment file).
    pub fragment_hash: String,
    /// The fragment file's bytes (gzip of "pagefind_dcd" + JSON).
    pub fragment: Vec<u8>,
}

impl PageRecord {
    /// The entry's locations, CBOR-encoded.
    pub fn locs_of(&self, e: &Entry) -> &[u8] {
        &self.locs[e.locs.0 as usize..e.locs.1 as usize]
    }
    pub fn meta_of(&self, e: &Entry) -> &[(u16, u32)] {
        &self.meta[e.meta.0 as usize..e.meta.1 as usize]
    }
}

#[derive(Serialize)]
struct Anchor {
    element: String,
    id: String,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    location: u32,
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: Vec<Anchor>,
}

struct Occurrence {
    position: u32,
    weight: u8,
    form: u32,
}

/// Turn a parsed page into its record; None when it has no words (Pagefind drops those).
pub fn record(interner: &Interner, url: &str, parsed: Parsed) -> Option<PageRecord> {
    thread_local! {
        static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::new());
    }
    CACHE.with_borrow_mut(|cache| record_with(cache, interner, url, parsed))
}

fn record_with(
    cache: &mut Cache,
    interner: &Interner,
    url: &str,
    parsed: Parsed,
) -> Option<PageRecord> {
    let mut content = String::with_capacity(parsed.digest.len());
    let mut anchors = Vec::new();
    // (word, occurrence) for every word written; grouped by sorting afterwards.
    let mut occurrences: Vec<(u32, Occurrence)> = Vec::with_capacity(parsed.digest.len() / 5);
    let mut form_text: FxHashMap<u32, Box<str>> = Default::default();
    let mut weights: Vec<u8> = vec![WEIGHT_UNIT as u8];
    let mut index: u32 = 0;
    let mut max_index: u32 = 0;

    for word in parsed.digest.split_whitespace() {
        if word.starts_with('_') {
            if let Some(rest) = word.strip_prefix("___PAGEFIND_ANCHOR___") {
                if let Some((element, anchor)) = rest.split_once(':') {
                    let text = parsed
                        .anchor_content
                        .get(anchor)
                        .map(|t| normalize_content(t))
                        .unwrap_or_default();
                    if let Some((_, id)) = anchor.split_once(':') {
                        anchors.push(Anchor {
                            element: element.to_string(),
                            id: id.to_string(),
                            text: normalize_content(&text),
                            title: parsed.anchor_titles.get(anchor).cloned(),
                            location: index,
                        });
                    }
                }
                continue;
            }
            if let Some(w) = word.strip_prefix("___PAGEFIND_WEIGHT___") {
                let w = w.parse::<f32>().unwrap_or(1.0);
                weights.push(if w <= 0.0 {
                    0
                } else {
                    ((w.clamp(0.0, WEIGHT_MAX) * WEIGHT_UNIT) as u8).max(1)
                });
                continue;
            }
            if let Some(w) = word.strip_prefix("___PAGEFIND_AUTO_WEIGHT___") {
                // Headings weigh more, unless inside an explicitly weighted element.
                let inherited = *weights.last().unwrap_or(&0);
                weights.push(if weights.len() == 1 {
                    let w = w.parse::<f32>().unwrap_or(1.0);
                    (w.clamp(0.0, WEIGHT_MAX) * WEIGHT_UNIT) as u8
                } else {
                    inherited
                });
                continue;
            }
            if word.starts_with("___END_PAGEFIND_WEIGHT___") {
                weights.pop();
                continue;
            }
        }
        let base: std::borrow::Cow<str> = if word.contains('\u{200B}') {
            word.replace('\u{200B}', "").into()
        } else {
            word.into()
        };
        if base.is_empty() {
            continue;
        }
        content.push_str(&base);
        content.push(' ');
        let weight = *weights.last().unwrap_or(&1);
        let words = cache.get(interner, &parsed.language, &base);
        let parts = words.iter().filter(|w| w.compound).count();
        let part_weight = if parts > 0 && weight > 0 {
            (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1)
        } else {
            0
        };
        for w in words {
            if let Some(text) = &w.form_text {
                form_text.entry(w.form).or_insert_with(|| text.clone());
            }
            occurrences.push((
                w.stem,
                Occurrence {
                    position: index,
                    weight: if w.compound { part_weight } else { weight },
                    form: w.form,
                },
            ));
        }
        max_index = index;
        index += 1;
    }
    if content.ends_with(' ') {
        content.pop();
    }
    if occurrences.is_empty() {
        return None;
    }
    // By word, then as the packed locations list them: weight (25 first), position.
    occurrences.sort_unstable_by_key(|(w, o)| (*w, weight_key(o.weight), o.position));
    let word_count = max_index + 1;

    // Words of the metadata (title, dek…), by field: (field, position, form).
    let meta_fields: Vec<String> = parsed.meta.keys().cloned().collect();
    let mut meta_map: FxHashMap<u32, Vec<(u16, u32, u32)>> = Default::default();
    for (field, key) in meta_fields.iter().enumerate() {
        for (position, word) in parsed.meta[key].split_whitespace().enumerate() {
            for w in indexable_words(word, cache.stemmer()) {
                let form = match w.original {
                    Some(o) => {
                        let id = interner.intern(&o);
                        form_text.entry(id).or_insert_with(|| o.into_boxed_str());
                        id
                    }
                    None => MAIN,
                };
                meta_map
                    .entry(interner.intern(&w.stemmed))
                    .or_default()
                    .push((field as u16, position as u32, form));
            }
        }
    }

    // Entries: per word, the main one (body or metadata), then the written forms with
    // diacritics (in the body, by text; then those only in the metadata, by text).
    let mut entries = Vec::with_capacity(occurrences.len() / 2);
    let mut locs = Vec::with_capacity(index as usize * 2);
    let mut packed: Vec<i32> = Vec::new();
    let mut meta = Vec::new();
    let mut push = |word: u32, form: u32, group: &[(u32, Occurrence)], m: &[(u16, u32, u32)]| {
        let l0 = locs.len() as u32;
        packed.clear();
        pack_locations(&mut packed, group.iter().map(|(_, o)| o));
        super::cbor::ints(&mut locs, &packed);
        let m0 = meta.len() as u32;
        meta.extend(m.iter().filter(|x| x.2 == form).map(|x| (x.0, x.1)));
        entries.push(Entry {
            word,
            form,
            locs: (l0, locs.len() as u32),
            n_locs: packed.len() as u32,
            meta: (m0, meta.len() as u32),
        });
    };
    let text = |f: &u32| form_text.get(f).map_or("", |t| &**t);
    let mut groups: Vec<(u32, &mut [(u32, Occurrence)])> = Vec::new();
    let mut rest = &mut occurrences[..];
    while !rest.is_empty() {
        let word = rest[0].0;
        let n = rest.iter().take_while(|(w, _)| *w == word).count();
        let (group, tail) = rest.split_at_mut(n);
        groups.push((word, group));
        rest = tail;
    }
    let only_meta: Vec<u32> = {
        let mut v: Vec<u32> = meta_map
            .keys()
            .filter(|k| groups.binary_search_by_key(*k, |g| g.0).is_err())
            .copied()
            .collect();
        v.sort_unstable();
        v
    };
    for (word, body) in groups
        .into_iter()
        .chain(only_meta.into_iter().map(|w| (w, &mut [][..])))
    {
        let m = meta_map.remove(&word).unwrap_or_default();
        let has_variants =
            body.iter().any(|(_, o)| o.form != MAIN) || m.iter().any(|x| x.2 != MAIN);
        if !has_variants {
            push(word, MAIN, body, &m);
            continue;
        }
        // Group by form: main first, then forms by text (stable: locations stay in order).
        body.sort_by(|(_, a), (_, b)| {
            (a.form != MAIN, text(&a.form), a.form).cmp(&(b.form != MAIN, text(&b.form), b.form))
        });
        let mut forms: Vec<u32> = Vec::new();
        let mut start = 0;
        while start < body.len() {
            let form = body[start].1.form;
            let end = start
                + body[start..]
                    .iter()
                    .take_while(|(_, o)| o.form == form)
                    .count();
            forms.push(form);
            push(word, form, &body[start..end], &m);
            start = end;
        }
        if !forms.contains(&MAIN) && m.iter().any(|x| x.2 == MAIN) {
            push(word, MAIN, &[], &m);
        }
        let mut meta_only: Vec<u32> = m
            .iter()
            .map(|x| x.2)
            .filter(|f| *f != MAIN && !forms.contains(f))
            .collect();
        meta_only.sort_by(|a, b| text(a).cmp(text(b)).then(a.cmp(b)));
        meta_only.dedup();
        for form in meta_only {
            push(word, form, &[], &m);
        }
    }

    let json = serde_json::to_string(&Fragment {
        url,
        content: &content,
        word_count: word_count as usize,
        filters: &parsed.filters,
        meta: &parsed.meta,
        anchors,
    })
    .expect("fragments serialise");
    let fragment_hash = crate::deploy::md5_hex(json.as_bytes());
    let fragment = super::write::compress(json.as_bytes(), super::write::Level::Fragment);
    Some(PageRecord {
        url: url.to_string(),
        language: parsed.language,
        has_custom_body: parsed.has_custom_body,
        word_count,
        filters: parsed.filters,
        sort: parsed.sort,
        meta_fields,
        entries,
        locs,
        meta,
        fragment_hash,
        fragment,
    })
}

/// Positions (sorted by weight, with 25 first, then position); each weight change is written as `-(weight + 1)`
/// and an absolute position, other positions as deltas. Pagefind starts from weight 25,
/// so the first position always carries its weight.
fn pack_locations<'a>(out: &mut Vec<i32>, sorted: impl Iterator<Item = &'a Occurrence>) {
    let mut current = 25u8;
    let mut last = 0u32;
    for o in sorted {
        if o.weight != current {
            out.push(-(o.weight as i32) - 1);
            out.push(o.position as i32);
            current = o.weight;
        } else {
            out.push((o.position - last) as i32);
        }
        last = o.position;
    }
}

/// Pagefind lists weight 25 first, then the others by weight.
fn weight_key(w: u8) -> u8 {
    if w == 25 { 0 } else { w }
}

/// Metadata positions sorted by (field, position); `-(field + 1)` starts each field, then
/// delta-encoded positions.
pub fn pack_meta(mut ps: Vec<(u16, u32)>) -> Vec<i32> {
    if ps.is_empty() {
        return Vec::new();
    }
    ps.sort_unstable();
    let mut out = Vec::with_capacity(ps.len() + 4);
    let mut field = None;
    let mut last = 0u32;
    for (f, p) in ps {
        if field != Some(f) {
            out.push(-(f as i32) - 1);
            field = Some(f);
            last = 0;
        }
        out.push((p - last) as i32);
        last = p;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_matches_the_documented_layout() {
        let o = |position, weight| Occurrence {
            position,
            weight,
            form: MAIN,
        };
        let mut os = [o(5, 24), o(2, 24), o(9, 168)];
        os.sort_by_key(|o| (weight_key(o.weight), o.position));
        let mut out = Vec::new();
        pack_locations(&mut out, os.iter());
        assert_eq!(out, vec![-25, 2, 3, -169, 9]);
        assert_eq!(
            pack_meta(vec![(3, 2), (0, 5), (0, 0)]),
            vec![-1, 0, 5, -4, 2]
        );
    }

    #[test]
    fn words_positions_and_fragment() {
        let parsed = super::super::html::parse(
            "<html lang=\"en\"><body><main data-pagefind-body><h1 data-pagefind-meta=\"title\">Grain reserves</h1>\
             <p>Reserves fell.</p></main></body></html>",
        );
        let interner = Interner::default();
        let r = record(&interner, "/a/", parsed).unwrap();
        assert_eq!(r.word_count, 4);
        let id = interner.intern("reserv");
        let e = r.entries.iter().find(|e| e.word == id).unwrap();
        assert_eq!(e.form, MAIN);
        // "reserves" in the heading (weight 7 × 24) and in the paragraph (24).
        let locs = super::super::cbor::decode(r.locs_of(e)).unwrap();
        let locs: Vec<i64> = locs.array().iter().map(|v| v.int()).collect();
        assert_eq!(locs, [-25, 2, -169, 1]);
        assert_eq!(e.n_locs, 4);
        assert_eq!(r.meta_of(e), [(0, 1)]);
    }
}
