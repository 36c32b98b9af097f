//! One page → one index record: its words with positions and weights, its metadata words,
//! and its fragment (the JSON Pagefind's browser code loads to show a result), compressed.
//! Runs in the render workers, one page at a time, so the whole site is never re-read.

use std::collections::BTreeMap;

use super::fragment::{Anchor, Fragment};
use super::html::{Parsed, for_each_word, normalize_content};
use rustc_hash::FxHashMap;

use super::words::{Cache, Interner};

mod codec;

/// Pagefind's weight unit: a weight of 1.0 is stored as 24.
const WEIGHT_UNIT: f32 = 24.0;
const WEIGHT_MAX: f32 = 10.0;

/// `Entry::form` of occurrences written without diacritics.
pub const MAIN: u32 = u32::MAX;

/// One word (or one written form of it) on a page. Its locations are a range of the record's
/// array that ends where the next entry's begins. A site has millions of entries, held until
/// the index is written, so an entry is 8 bytes: the few that have a written form or metadata
/// positions say so in the record's sparse tables (`variants`, `meta_ends`). At 100,000
/// briefs this is 370 MB less than 16-byte entries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// Interned word.
    pub word: u32,
    /// End of its packed locations in `PageRecord::locs`.
    locs_end: u32,
}

/// An entry as the index reads it ([`PageRecord::entries`]).
#[derive(Debug, Clone, Copy)]
pub struct EntryView<'a> {
    /// Interned word.
    pub word: u32,
    /// Interned written form with diacritics, or [`MAIN`].
    pub form: u32,
    /// Its locations, the CBOR array the index holds.
    pub locs: &'a [u8],
    /// Its (metadata field, word position) pairs.
    pub meta: &'a [(u16, u32)],
}

/// Everything the index needs from one page, in a few flat arrays (a site has many pages).
#[derive(Debug, Clone, Default)]
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
    /// (entry, interned written form) of the entries of forms with diacritics, in entry order
    /// (few pages have any); every other entry is [`MAIN`].
    pub variants: Vec<(u32, u32)>,
    /// CBOR arrays of packed locations, one per entry, back to back.
    pub locs: Vec<u8>,
    /// (metadata field, word position in it), entry by entry.
    pub meta: Vec<(u16, u32)>,
    /// (entry, end of its pairs in `meta`) of the entries that have any, in entry order.
    meta_ends: Vec<(u32, u32)>,
    /// Hex digest of the fragment file (names it).
    pub fragment_hash: String,
    /// The fragment file's bytes (gzip of "pagefind_dcd" + JSON), or where a build set them
    /// aside ([`super::spill`]).
    pub fragment: super::spill::IndexFile,
}

impl PageRecord {
    /// Every entry in order, with its form, locations and metadata positions.
    pub fn entries(&self) -> impl Iterator<Item = EntryView<'_>> + '_ {
        let (mut locs_start, mut meta_start) = (0u32, 0u32);
        let (mut variant, mut with_meta) = (0usize, 0usize);
        self.entries.iter().enumerate().map(move |(i, e)| {
            let form = match self.variants.get(variant) {
                Some(&(at, form)) if at as usize == i => {
                    variant += 1;
                    form
                }
                _ => MAIN,
            };
            let meta = match self.meta_ends.get(with_meta) {
                Some(&(at, end)) if at as usize == i => {
                    with_meta += 1;
                    let start = std::mem::replace(&mut meta_start, end);
                    &self.meta[start as usize..end as usize]
                }
                _ => &[],
            };
            let locs = &self.locs[locs_start as usize..e.locs_end as usize];
            locs_start = e.locs_end;
            EntryView {
                word: e.word,
                form,
                locs,
                meta,
            }
        })
    }

    /// Entry `i`'s written form, or [`MAIN`].
    pub fn form_of(&self, i: usize) -> u32 {
        match self.variants.binary_search_by_key(&(i as u32), |v| v.0) {
            Ok(k) => self.variants[k].1,
            Err(_) => MAIN,
        }
    }

    /// Entry `i`'s locations, as the CBOR array the index holds.
    pub fn locs_of(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |p| self.entries[p].locs_end);
        &self.locs[start as usize..self.entries[i].locs_end as usize]
    }

    /// How many numbers entry `i`'s locations are (index chunks are cut by it).
    pub fn n_locs(&self, i: usize) -> usize {
        super::cbor::array_len(self.locs_of(i))
    }

    /// Entry `i`'s (metadata field, word position) pairs.
    pub fn meta_of(&self, i: usize) -> &[(u16, u32)] {
        let Ok(k) = self.meta_ends.binary_search_by_key(&(i as u32), |m| m.0) else {
            return &[];
        };
        let start = k.checked_sub(1).map_or(0, |p| self.meta_ends[p].1);
        &self.meta[start as usize..self.meta_ends[k].1 as usize]
    }
}

#[derive(Clone, Copy)]
struct Occurrence {
    /// The word's group on this page.
    group: u32,
    position: u32,
    weight: u8,
    form: u32,
}

/// One word on the page being read: its occurrences and metadata positions.
struct Group {
    word: u32,
    body: u32,
}

/// What a render worker reuses from page to page.
#[derive(Default)]
struct Scratch {
    cache: Cache,
    /// By interned word: 1 + its group on the current page, 0 when it is not on it (yet).
    slot: Vec<u32>,
    groups: Vec<Group>,
    occurrences: Vec<Occurrence>,
    sorted: Vec<Occurrence>,
    /// (group, metadata field, position, form).
    meta: Vec<(u32, u16, u32, u32)>,
    /// The fragment's JSON.
    json: Vec<u8>,
}

impl Scratch {
    #[inline]
    fn group(&mut self, word: u32) -> u32 {
        let w = word as usize;
        if w >= self.slot.len() {
            self.slot.resize((w + 1).max(self.slot.len() * 2), 0);
        }
        if self.slot[w] == 0 {
            self.groups.push(Group { word, body: 0 });
            self.slot[w] = self.groups.len() as u32;
        }
        self.slot[w] - 1
    }

    /// One occurrence of `word` in the page's text.
    #[inline]
    fn add(&mut self, word: u32, position: u32, weight: u8, form: u32) {
        let group = self.group(word);
        self.groups[group as usize].body += 1;
        self.occurrences.push(Occurrence {
            group,
            position,
            weight,
            form,
        });
    }

    /// Forget the page (the slots of its words only: the table is as large as the vocabulary).
    fn reset(&mut self) {
        for g in &self.groups {
            self.slot[g.word as usize] = 0;
        }
        self.groups.clear();
        self.occurrences.clear();
        self.sorted.clear();
        self.meta.clear();
    }
}

/// Turn a parsed page into its record; None when it has no words (Pagefind drops those).
pub fn record(interner: &Interner, url: &str, parsed: Parsed) -> Option<PageRecord> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    SCRATCH.with_borrow_mut(|scratch| {
        let r = record_with(scratch, interner, url, parsed);
        scratch.reset();
        r
    })
}

fn record_with(
    scratch: &mut Scratch,
    interner: &Interner,
    url: &str,
    parsed: Parsed,
) -> Option<PageRecord> {
    let mut content = String::with_capacity(parsed.text.len());
    let mut anchors = Vec::new();
    let mut form_text: FxHashMap<u32, Box<str>> = Default::default();
    let mut weights: Vec<u8> = vec![WEIGHT_UNIT as u8];
    let mut index: u32 = 0;
    let mut max_index: u32 = 0;
    scratch.cache.start_page(interner, &parsed.language);

    for_each_word(&parsed.text, |word| {
        if word.starts_with('_') {
            if let Some(rest) = word.strip_prefix("___PAGEFIND_ANCHOR___") {
                if let Some((element, key)) = rest.split_once(':')
                    && let Some((_, id)) = key.split_once(':')
                {
                    let anchor = parsed.anchor(key);
                    let text = anchor
                        .map(|a| normalize_content(&a.text))
                        .unwrap_or_default();
                    anchors.push(Anchor {
                        element: element.to_string(),
                        id: id.to_string(),
                        text: normalize_content(&text),
                        title: anchor.and_then(|a| a.title.clone()),
                        location: index,
                    });
                }
                return;
            }
            if let Some(w) = word.strip_prefix("___PAGEFIND_WEIGHT___") {
                let w = w.parse::<f32>().unwrap_or(1.0);
                weights.push(if w <= 0.0 {
                    0
                } else {
                    ((w.clamp(0.0, WEIGHT_MAX) * WEIGHT_UNIT) as u8).max(1)
                });
                return;
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
                return;
            }
            if word.starts_with("___END_PAGEFIND_WEIGHT___") {
                weights.pop();
                return;
            }
        }
        // Zero-width spaces are dropped (`str::contains` with a char pattern would set up a
        // substring search for every word).
        let zwsp = !word.is_ascii() && word.as_bytes().windows(3).any(|w| w == [0xe2, 0x80, 0x8b]);
        let base: std::borrow::Cow<str> = if zwsp {
            word.replace('\u{200B}', "").into()
        } else {
            word.into()
        };
        if base.is_empty() {
            return;
        }
        content.push_str(&base);
        content.push(' ');
        let weight = *weights.last().unwrap_or(&1);
        let words = scratch.cache.get(interner, &base);
        if let [w] = words
            && !w.compound
            && w.form == MAIN
        {
            // Most words: one plain word to index.
            let stem = w.stem;
            scratch.add(stem, index, weight, MAIN);
        } else {
            let parts = words.iter().filter(|w| w.compound).count();
            let part_weight = if parts > 0 && weight > 0 {
                (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1)
            } else {
                0
            };
            for i in 0..words.len() {
                let w = &scratch.cache.last()[i];
                let (stem, form, compound) = (w.stem, w.form, w.compound);
                if let Some(text) = &w.form_text {
                    form_text.entry(form).or_insert_with(|| text.clone());
                }
                let weight = if compound { part_weight } else { weight };
                scratch.add(stem, index, weight, form);
            }
        }
        max_index = index;
        index += 1;
    });
    if content.ends_with(' ') {
        content.pop();
    }
    if scratch.occurrences.is_empty() {
        return None;
    }
    let word_count = max_index + 1;

    // Words of the metadata (title, dek…), by field: (group, field, position, form).
    let meta_fields: Vec<String> = parsed.meta.keys().cloned().collect();
    for (field, key) in meta_fields.iter().enumerate() {
        for (position, word) in parsed.meta[key].split_whitespace().enumerate() {
            let n = scratch.cache.get_meta(interner, word).len();
            for i in 0..n {
                let w = &scratch.cache.last()[i];
                let (stem, form) = (w.stem, w.form);
                if let Some(text) = &w.form_text {
                    form_text.entry(form).or_insert_with(|| text.clone());
                }
                let group = scratch.group(stem);
                scratch
                    .meta
                    .push((group, field as u16, position as u32, form));
            }
        }
    }
    scratch.meta.sort_unstable_by_key(|m| m.0);

    // Occurrences by group (a counting sort: each group's stay in page order).
    let mut starts: Vec<u32> = Vec::with_capacity(scratch.groups.len() + 1);
    let mut total = 0;
    for g in &scratch.groups {
        starts.push(total);
        total += g.body;
    }
    starts.push(total);
    let mut cursor = starts.clone();
    scratch.sorted.resize(
        scratch.occurrences.len(),
        Occurrence {
            group: 0,
            position: 0,
            weight: 0,
            form: 0,
        },
    );
    for o in &scratch.occurrences {
        let c = &mut cursor[o.group as usize];
        scratch.sorted[*c as usize] = *o;
        *c += 1;
    }

    // Entries: per word, the main one (body or metadata), then the written forms with
    // diacritics (in the body, by text; then those only in the metadata, by text).
    let mut entries = Vec::with_capacity(scratch.groups.len() + 8);
    let mut locs = Vec::with_capacity(index as usize * 2);
    let mut packed: Vec<i32> = Vec::new();
    let mut meta = Vec::new();
    let mut variants = Vec::new();
    let mut meta_ends = Vec::new();
    let mut push = |word: u32, form: u32, group: &[Occurrence], m: &[(u32, u16, u32, u32)]| {
        let at = entries.len() as u32;
        if form != MAIN {
            variants.push((at, form));
        }
        packed.clear();
        pack_locations(&mut packed, group.iter());
        super::cbor::ints(&mut locs, &packed);
        let before = meta.len();
        meta.extend(m.iter().filter(|x| x.3 == form).map(|x| (x.1, x.2)));
        if meta.len() > before {
            meta_ends.push((at, meta.len() as u32));
        }
        entries.push(Entry {
            word,
            locs_end: locs.len() as u32,
        });
    };
    let text = |f: &u32| form_text.get(f).map_or("", |t| &**t);
    let mut m_at = 0;
    for (g, group) in scratch.groups.iter().enumerate() {
        let body = &mut scratch.sorted[starts[g] as usize..starts[g + 1] as usize];
        let m_end = m_at
            + scratch.meta[m_at..]
                .iter()
                .take_while(|x| x.0 == g as u32)
                .count();
        let m = &scratch.meta[m_at..m_end];
        m_at = m_end;
        // As the packed locations list them: weight (25 first), then position.
        if body.windows(2).any(|w| w[0].weight != w[1].weight) {
            body.sort_by_key(|o| weight_key(o.weight));
        }
        let word = group.word;
        let has_variants = body.iter().any(|o| o.form != MAIN) || m.iter().any(|x| x.3 != MAIN);
        if !has_variants {
            push(word, MAIN, body, m);
            continue;
        }
        // Group by form: main first, then forms by text (stable: locations stay in order).
        body.sort_by(|a, b| {
            (a.form != MAIN, text(&a.form), a.form).cmp(&(b.form != MAIN, text(&b.form), b.form))
        });
        let mut forms: Vec<u32> = Vec::new();
        let mut start = 0;
        while start < body.len() {
            let form = body[start].form;
            let end = start + body[start..].iter().take_while(|o| o.form == form).count();
            forms.push(form);
            push(word, form, &body[start..end], m);
            start = end;
        }
        if !forms.contains(&MAIN) && m.iter().any(|x| x.3 == MAIN) {
            push(word, MAIN, &[], m);
        }
        let mut meta_only: Vec<u32> = m
            .iter()
            .map(|x| x.3)
            .filter(|f| *f != MAIN && !forms.contains(f))
            .collect();
        meta_only.sort_by(|a, b| text(a).cmp(text(b)).then(a.cmp(b)));
        meta_only.dedup();
        for form in meta_only {
            push(word, form, &[], m);
        }
    }

    let mut json = std::mem::take(&mut scratch.json);
    json.clear();
    json.extend_from_slice(super::write::SIGNATURE);
    Fragment {
        url,
        content: &content,
        word_count: word_count as usize,
        filters: &parsed.filters,
        meta: &parsed.meta,
        anchors,
    }
    .write_json(&mut json);
    let fragment = super::write::compress(&json, super::write::Level::Fast);
    scratch.json = json;
    let fragment_hash = super::write::file_hash(&fragment);
    Some(PageRecord {
        url: url.to_string(),
        language: parsed.language,
        has_custom_body: parsed.has_custom_body,
        word_count,
        filters: parsed.filters,
        sort: parsed.sort,
        meta_fields,
        entries,
        variants,
        locs,
        meta,
        meta_ends,
        fragment_hash,
        fragment: fragment.into(),
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
            group: 0,
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
        let i = r.entries.iter().position(|e| e.word == id).unwrap();
        assert_eq!(r.form_of(i), MAIN);
        // "reserves" in the heading (weight 7 × 24) and in the paragraph (24).
        let locs = super::super::cbor::decode(r.locs_of(i)).unwrap();
        let locs: Vec<i64> = locs.array().iter().map(|v| v.int()).collect();
        assert_eq!(locs, [-25, 2, -169, 1]);
        assert_eq!(r.n_locs(i), 4);
        assert_eq!(r.meta_of(i), [(0, 1)]);
        // The iterator agrees with the lookups, entry by entry.
        for (k, e) in r.entries().enumerate() {
            assert_eq!((e.word, e.form), (r.entries[k].word, r.form_of(k)));
            assert_eq!((e.locs, e.meta), (r.locs_of(k), r.meta_of(k)));
        }
    }
}
