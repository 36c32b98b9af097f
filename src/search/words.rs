//! One written word → the words the index holds for it, as Pagefind 1.6 derives them (its
//! browser code derives the query's words the same way, so both sides must agree):
//! lower-cased alphanumerics (plus `_` and the other connector punctuation), diacritics
//! folded ("café" is held as "cafe", with "café" kept as a variant for ranking), stemmed with
//! the page language's Snowball stemmer (`pagefind_stem`, the crate Pagefind itself uses), and
//! for compound words ("cross-border", "ThreeAntelopes", "U.S.-led") the parts as well, at a
//! fraction of the weight. Katakana runs also index their suffixes; emoji index themselves.

use std::sync::LazyLock;

use convert_case::{Case, Casing};
use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::wordmap::WordMap;

/// Characters that count as part of a word (Unicode "Punctuation, Connector").
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

const MAX_KATAKANA_SUFFIX_CHARS: usize = 16;
const MAX_DOTTED_TAIL_CHARS: usize = 64;

static EMOJI: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new("\\p{Emoji}").expect("valid regex"));

#[derive(Debug, Clone, PartialEq)]
pub struct IndexableWord {
    /// The form the index holds (normalised, folded, stemmed).
    pub stemmed: String,
    /// A part of a compound word (weighted down).
    pub is_compound_part: bool,
    /// The word before diacritics were folded, if that changed it.
    pub original: Option<String>,
}

/// The Snowball stemmer for a language code ("en", "ar", "pt-br"), if there is one.
pub fn stemmer(lang: &str) -> Option<Stemmer> {
    algorithm(lang).map(Stemmer::create)
}

/// The Snowball algorithm for a language code, if there is one.
fn algorithm(lang: &str) -> Option<Algorithm> {
    Some(match lang.split('-').next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    })
}

/// A language's stemmer, remembering what it stemmed: the parts of compound words repeat
/// across a site ("https", "doi" and "org" in every link), and stemming a word costs a few
/// thousand instructions.
pub struct Stem {
    stemmer: Option<Stemmer>,
    /// The stemmer leaves a word that ends in an ASCII digit as it is (English).
    keeps_digit_endings: bool,
    memo: rustc_hash::FxHashMap<Box<str>, Box<str>>,
}

impl Stem {
    /// The stemmer for a language code (none for languages without one: words stay as
    /// they are).
    pub fn new(lang: &str) -> Stem {
        Stem {
            stemmer: stemmer(lang),
            keeps_digit_endings: keeps_digit_endings(lang),
            memo: Default::default(),
        }
    }

    pub fn stem(&mut self, word: &str) -> String {
        let Some(stemmer) = &self.stemmer else {
            return word.to_owned();
        };
        // Numbers are most of a site's one-off words, and no stemmer changes one (a test
        // below checks every language).
        if word.bytes().all(|b| b.is_ascii_digit())
            || (self.keeps_digit_endings
                && word.ends_with(|c: char| c.is_ascii_digit())
                && !word.contains('\''))
        {
            return word.to_owned();
        }
        if let Some(s) = self.memo.get(word) {
            return (**s).to_owned();
        }
        let s = stemmer.stem(word).into_owned();
        if self.memo.len() >= CACHE_LIMIT {
            self.memo.clear();
        }
        self.memo.insert(word.into(), s.as_str().into());
        s
    }
}

/// Whether the language's stemmer leaves every word that ends in an ASCII digit as it is, so
/// such words (links, identifiers, "covid19") need not be stemmed or remembered. True for
/// English: Porter2 only removes or replaces endings that are letters ("'s", "-ed", "-ing",
/// "-y", "-e", "-l" …) and its exceptional forms are whole words of letters; its prelude and
/// postlude mark and restore "y" and drop a leading apostrophe, so words with an apostrophe
/// are stemmed anyway (normalised words have none). A test below checks many such words.
fn keeps_digit_endings(lang: &str) -> bool {
    matches!(algorithm(lang), Some(Algorithm::English))
}

/// Written word (with its language and where it was written) → its words to index.
type KnownWords = rustc_hash::FxHashMap<Box<str>, Box<[CachedWord]>>;

/// Words (and written forms) as numbers, shared by the render workers: records hold numbers,
/// and merging a site's records is then bucketing rather than hashing strings.
pub struct Interner {
    shards: Vec<std::sync::Mutex<rustc_hash::FxHashMap<Box<str>, u32>>>,
    /// The words to index for each written word any worker has split, by
    /// "language \0 t|m \0 word" (t: page text, m: metadata): each worker keeps its own
    /// [`Cache`], and without this every worker would split and stem the whole vocabulary.
    known: Vec<std::sync::Mutex<KnownWords>>,
    next: std::sync::atomic::AtomicU32,
    /// Tells the per-thread caches of numbers from different interners apart.
    generation: u64,
}

impl Default for Interner {
    fn default() -> Self {
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Interner {
            shards: (0..64).map(|_| Default::default()).collect(),
            known: (0..16).map(|_| Default::default()).collect(),
            next: Default::default(),
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// One of `shards` for a key with hash `h` (an interner shard, a filter bit), from bits of its
/// own: hashbrown tags a key with the top 7 bits of its hash (and finds its bucket by the low
/// ones), so a shard picked by top bits leaves its keys only a few tags, and a lookup compares
/// the key with every entry whose tag matches (about half of them, with 64 shards).
fn shard_of(h: u64, shards: usize) -> usize {
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize % shards
}

impl Interner {
    pub fn intern(&self, s: &str) -> u32 {
        use std::hash::BuildHasher;
        let h = rustc_hash::FxBuildHasher.hash_one(s);
        let shard = &self.shards[shard_of(h, self.shards.len())];
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = map.get(s) {
            return id;
        }
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        map.insert(s.into(), id);
        id
    }

    /// The words to index for a written word, made by `split` unless another worker has
    /// already split that word (in that language, in the text or in the metadata).
    fn known_words(
        &self,
        language: &str,
        meta: bool,
        raw: &str,
        split: impl FnOnce() -> Vec<CachedWord>,
    ) -> Vec<CachedWord> {
        use std::hash::BuildHasher;
        let mut key = String::with_capacity(language.len() + raw.len() + 3);
        key.push_str(language);
        key.push_str(if meta { "\0m\0" } else { "\0t\0" });
        key.push_str(raw);
        let h = rustc_hash::FxBuildHasher.hash_one(&key);
        let shard = &self.known[shard_of(h, self.known.len())];
        if let Some(words) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(&*key) {
            return words.to_vec();
        }
        let words = split();
        let mut known = shard.lock().unwrap_or_else(|e| e.into_inner());
        if known.len() >= CACHE_LIMIT / self.known.len() {
            // Bounds memory on very large vocabularies (as each worker's cache does).
            known.clear();
        }
        known
            .entry(key.into_boxed_str())
            .or_insert_with(|| words.clone().into_boxed_slice());
        words
    }

    /// The strings, indexed by their numbers.
    pub fn into_strings(self) -> Vec<Box<str>> {
        let n = self.next.into_inner() as usize;
        let mut out: Vec<Box<str>> = vec![Box::from(""); n];
        for shard in self.shards {
            for (s, id) in shard.into_inner().unwrap_or_else(|e| e.into_inner()) {
                out[id as usize] = s;
            }
        }
        out
    }
}

/// One word to index for a written word, as numbers.
#[derive(Debug, Clone)]
pub struct CachedWord {
    /// The interned form the index holds.
    pub stem: u32,
    /// The interned written form with diacritics, or `record::MAIN`.
    pub form: u32,
    /// That written form's text (to order forms as Pagefind does).
    pub form_text: Option<Box<str>>,
    /// A part of a compound word (weighted down).
    pub compound: bool,
}

/// Words already split, stemmed and interned, per thread: a site's vocabulary repeats, so
/// most written words are looked up rather than stemmed again. A word new to the thread is
/// looked for in the [`Interner`]'s shared table before it is split and stemmed.
pub struct Cache {
    generation: u64,
    language: String,
    stem: Stem,
    /// Written word in the text → its range in `store`.
    words: WordMap,
    /// Written word in the metadata (no dotted tails there) → its range in `store`.
    meta_words: WordMap,
    store: Vec<CachedWord>,
    /// The range the last lookup returned, or ([`PLAIN`], stem) for a plain word.
    last: (u32, u32),
    /// What a lookup of a plain word returns (its stem is set on each lookup).
    plain: [CachedWord; 1],
    /// The words of the last word looked up that the cache did not keep.
    once: Vec<CachedWord>,
    /// Written words seen once: a word is kept on its second sighting (see [`Doorkeeper`]).
    seen: Doorkeeper,
}

/// Which written words a worker has met (a one-bit Bloom filter, with false positives only):
/// a site's text has few words that repeat and many that never do (links, identifiers,
/// numbers: 55,000 of the 60,000 distinct words of the 10,000-brief benchmark occur once).
/// Caching only words met before keeps the cache small enough to stay in the processor's
/// cache; a word met once is looked up in the shared [`Interner`] instead.
struct Doorkeeper {
    bits: Vec<u64>,
    set: usize,
}

impl Doorkeeper {
    /// Bits in the filter (64 KiB); it starts over when an eighth of them are set.
    const BITS: usize = 1 << 19;

    fn new() -> Self {
        Doorkeeper {
            bits: Vec::new(),
            set: 0,
        }
    }

    /// Whether `word` was (probably) seen before; remembers it.
    fn check_and_set(&mut self, word: &str) -> bool {
        use std::hash::BuildHasher;
        if self.bits.is_empty() || self.set >= Self::BITS / 8 {
            self.bits = vec![0; Self::BITS / 64];
            self.set = 0;
        }
        let bit = shard_of(rustc_hash::FxBuildHasher.hash_one(word), Self::BITS);
        let (w, m) = (bit / 64, 1u64 << (bit % 64));
        let seen = self.bits[w] & m != 0;
        if !seen {
            self.bits[w] |= m;
            self.set += 1;
        }
        seen
    }
}

/// A map value (or `Cache::last`) whose first number is this holds a plain word (one word
/// to index, itself, without diacritics or parts: most words) as its second: the lookup
/// then needs nothing from `store`.
const PLAIN: u32 = u32::MAX;

/// A `Cache::last` whose first number is this: the words are in `Cache::once`.
const ONCE: u32 = u32::MAX - 1;

/// Entries kept before the cache starts over (bounds memory on very large vocabularies).
const CACHE_LIMIT: usize = 200_000;

impl Cache {
    pub fn new() -> Cache {
        Cache {
            generation: u64::MAX,
            language: String::new(),
            stem: Stem::new(""),
            words: Default::default(),
            meta_words: Default::default(),
            store: Vec::new(),
            last: (0, 0),
            plain: [CachedWord {
                stem: 0,
                form: crate::search::record::MAIN,
                form_text: None,
                compound: false,
            }],
            once: Vec::new(),
            seen: Doorkeeper::new(),
        }
    }

    /// Get ready for a page in `language` whose words `interner` numbers.
    pub fn start_page(&mut self, interner: &Interner, language: &str) {
        if self.language != language || self.generation != interner.generation {
            if self.language != language {
                self.language = language.to_string();
                self.stem = Stem::new(language);
            }
            self.generation = interner.generation;
            self.clear();
        }
    }

    /// The words to index for `raw` in the text of the page (with dotted tails).
    pub fn get(&mut self, interner: &Interner, raw: &str) -> &[CachedWord] {
        self.lookup(interner, raw, false)
    }

    /// The words to index for `raw` in the page's metadata.
    pub fn get_meta(&mut self, interner: &Interner, raw: &str) -> &[CachedWord] {
        self.lookup(interner, raw, true)
    }

    /// What the last [`Cache::get`] or [`Cache::get_meta`] returned.
    pub fn last(&self) -> &[CachedWord] {
        if self.last.0 == PLAIN {
            return &self.plain;
        }
        if self.last.0 == ONCE {
            return &self.once;
        }
        let (start, end) = self.last;
        &self.store[start as usize..end as usize]
    }

    fn lookup(&mut self, interner: &Interner, raw: &str, meta: bool) -> &[CachedWord] {
        debug_assert_eq!(self.generation, interner.generation, "start_page first");
        let map = if meta { &self.meta_words } else { &self.words };
        if let Some(value) = map.get(raw) {
            return self.set_last(value);
        }
        if self.words.len() + self.meta_words.len() >= CACHE_LIMIT {
            self.clear();
        }
        let stem = &mut self.stem;
        let words = interner.known_words(&self.language, meta, raw, || {
            let mut words = indexable_words(raw, stem);
            if !meta {
                let tails = dotted_tails(raw, stem, &words);
                words.extend(tails);
            }
            words
                .into_iter()
                .map(|w| CachedWord {
                    stem: interner.intern(&w.stemmed),
                    form: w
                        .original
                        .as_deref()
                        .map_or(crate::search::record::MAIN, |o| interner.intern(o)),
                    form_text: w.original.map(String::into_boxed_str),
                    compound: w.is_compound_part,
                })
                .collect()
        });
        let keep = self.seen.check_and_set(raw);
        let value = match &words[..] {
            [w] if !w.compound && w.form == crate::search::record::MAIN => (PLAIN, w.stem),
            _ if !keep => {
                self.once = words;
                (ONCE, 0)
            }
            _ => {
                let a = self.store.len();
                self.store.extend(words);
                (a as u32, self.store.len() as u32)
            }
        };
        if keep {
            let map = if meta {
                &mut self.meta_words
            } else {
                &mut self.words
            };
            map.insert(raw, value);
        }
        self.set_last(value)
    }

    /// Remember a map value as the last lookup's, and return its words.
    fn set_last(&mut self, value: (u32, u32)) -> &[CachedWord] {
        if value.0 == PLAIN {
            self.plain[0].stem = value.1;
        }
        self.last = value;
        self.last()
    }

    fn clear(&mut self) {
        self.words.clear();
        self.meta_words.clear();
        self.store.clear();
    }
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new()
    }
}

/// Every word to index for one written word (the first is the word itself, if it has any
/// letters or digits).
pub fn indexable_words(raw: &str, stem: &mut Stem) -> Vec<IndexableWord> {
    let mut out = Vec::with_capacity(1);
    let normalized = normalize_word(raw);
    if !normalized.is_empty() {
        out.push(stem_word(&normalized, stem, false));
    }
    for suffix in katakana_suffixes(raw) {
        let folded = fold_diacritics(suffix);
        out.push(IndexableWord {
            stemmed: folded.clone().unwrap_or_else(|| suffix.to_string()),
            original: folded.map(|_| suffix.to_string()),
            is_compound_part: true,
        });
    }
    let possibly_compound =
        raw.chars().any(|c| !c.is_alphanumeric()) || raw.chars().skip(1).any(char::is_uppercase);
    if !possibly_compound {
        return out;
    }
    let (parts, extras) = discrete_words(raw);
    if !normalized.is_empty()
        && (parts.contains(char::is_whitespace) || !normalized.starts_with(&parts))
    {
        for part in parts.split_whitespace().filter(|w| w.len() > 1) {
            let folded = fold_diacritics(part);
            let base = folded.as_deref().unwrap_or(part);
            let stemmed = stem.stem(base);
            out.push(IndexableWord {
                stemmed,
                original: folded.map(|_| part.to_string()),
                is_compound_part: true,
            });
        }
    }
    for extra in extras.into_iter().flatten() {
        out.push(IndexableWord {
            stemmed: extra,
            original: None,
            is_compound_part: false,
        });
    }
    out
}

/// For dotted words (`sysconfig.is_python_build`), the compound tails after each dot that the
/// parts above do not already cover.
pub fn dotted_tails(raw: &str, stem: &mut Stem, existing: &[IndexableWord]) -> Vec<IndexableWord> {
    let mut tails: Vec<IndexableWord> = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = match rest.char_indices().nth(MAX_DOTTED_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric())
            || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = normalize_word(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let word = stem_word(&normalized, stem, true);
        if !existing.iter().any(|w| w.stemmed == word.stemmed)
            && !tails.iter().any(|w| w.stemmed == word.stemmed)
        {
            tails.push(word);
        }
    }
    tails
}

/// Letters, digits and connector punctuation, lower-cased.
pub fn normalize_word(raw: &str) -> String {
    if raw.is_ascii() {
        // `_` is the only ASCII connector; ASCII is alphanumeric exactly when `char` says so.
        let mut out = String::with_capacity(raw.len());
        for b in raw.bytes() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                out.push(b.to_ascii_lowercase() as char);
            }
        }
        return out;
    }
    let mut out = String::with_capacity(raw.len());
    for mut c in raw.chars() {
        if c.is_alphanumeric() || WORD_SYMBOLS.contains(&c) {
            c.make_ascii_lowercase();
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn stem_word(normalized: &str, stem: &mut Stem, is_compound_part: bool) -> IndexableWord {
    let folded = fold_diacritics(normalized);
    let base = folded.as_deref().unwrap_or(normalized);
    let stemmed = stem.stem(base);
    IndexableWord {
        stemmed,
        original: folded.map(|_| normalized.to_string()),
        is_compound_part,
    }
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Every suffix (2 to 16 characters) of an all-katakana word of three or more characters, so
/// that prefix matching finds words inside it.
fn katakana_suffixes(word: &str) -> Vec<&str> {
    if word.chars().count() < 3 || !word.chars().all(is_katakana) {
        return Vec::new();
    }
    let mut out: Vec<&str> = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(MAX_KATAKANA_SUFFIX_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && !out.contains(&suffix) {
            out.push(suffix);
        }
    }
    out
}

/// The word without diacritics, if it had any (kana sound marks are kept: they change words).
pub fn fold_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !has_decomposition(word) {
        return None;
    }
    let stripped: String = word
        .nfd()
        .filter(|c| {
            !unicode_normalization::char::is_combining_mark(*c)
                || matches!(*c, '\u{3099}' | '\u{309A}')
        })
        .collect();
    let folded = if stripped
        .chars()
        .any(|c| matches!(c, '\u{3099}' | '\u{309A}'))
    {
        stripped.nfc().collect::<String>()
    } else {
        stripped
    };
    (folded != word).then_some(folded)
}

fn has_decomposition(word: &str) -> bool {
    word.chars().any(|c| {
        unicode_normalization::char::is_combining_mark(c) || {
            let mut decomposes = false;
            unicode_normalization::char::decompose_canonical(c, |part| {
                decomposes = decomposes || part != c;
            });
            decomposes
        }
    })
}

/// The parts of a compound word, lower-cased and space-separated, and any emoji in it.
fn discrete_words(s: &str) -> (String, Option<Vec<String>>) {
    if s.is_ascii() {
        // No ASCII character is an emoji on its own (keycaps need U+20E3), and ASCII words
        // split here as convert_case splits them (both checked by the tests below).
        return (ascii_parts(s), None);
    }
    general_parts(s)
}

fn general_parts(s: &str) -> (String, Option<Vec<String>>) {
    let words = s
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let extras = EMOJI.is_match(s).then(|| {
        s.graphemes(true)
            .filter(|g| emojis::get(g).is_some())
            .map(str::to_string)
            .collect()
    });
    (words, extras)
}

/// [`general_parts`]' words for an ASCII word, without convert_case (a cache miss costs
/// tens of thousands of instructions there): punctuation and whitespace separate parts, and
/// convert_case's default boundaries end one between a lower-case letter and a capital or a
/// digit, between a capital and a digit, between a digit and a letter, and before the last
/// capital of a run that a lower-case letter follows ("HTMLParser" → "html parser").
fn ascii_parts(s: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum K {
        Upper,
        Lower,
        Digit,
        Gap,
        Other,
    }
    let kind = |c: u8| match c {
        b'A'..=b'Z' => K::Upper,
        b'a'..=b'z' => K::Lower,
        b'0'..=b'9' => K::Digit,
        b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => K::Gap,
        _ if c.is_ascii_punctuation() => K::Gap,
        _ => K::Other,
    };
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 4);
    for i in 0..b.len() {
        let k = kind(b[i]);
        if k == K::Gap {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        out.push(b[i].to_ascii_lowercase() as char);
        let next = b.get(i + 1).map(|&c| kind(c));
        let ends = match (k, next) {
            (K::Lower, Some(K::Upper | K::Digit)) => true,
            (K::Upper, Some(K::Digit)) => true,
            (K::Digit, Some(K::Lower | K::Upper)) => true,
            (K::Upper, Some(K::Upper)) => b.get(i + 2).map(|&c| kind(c)) == Some(K::Lower),
            _ => false,
        };
        if ends {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(raw: &str, lang: &str) -> Vec<(String, bool)> {
        indexable_words(raw, &mut Stem::new(lang))
            .into_iter()
            .map(|w| (w.stemmed, w.is_compound_part))
            .collect()
    }

    #[test]
    fn compounds_split_into_stemmed_parts() {
        let expected = vec![
            ("threeantelop".to_string(), false),
            ("three".to_string(), true),
            ("antelop".to_string(), true),
        ];
        assert_eq!(stems("ThreeAntelopes", "en"), expected);
        assert_eq!(stems("three-antelopes", "en"), expected);
        // `_` is a word character (as in Pagefind's default `include_characters`).
        assert_eq!(stems("three_antelopes", "en")[0].0, "three_antelop");
        assert_eq!(stems("three_antelopes", "en")[1..], expected[1..]);
        assert_eq!(
            stems("reserves.", "en"),
            vec![("reserv".to_string(), false)]
        );
    }

    #[test]
    fn the_cache_keeps_words_met_twice_and_answers_alike_either_way() {
        let interner = Interner::default();
        let mut cache = Cache::new();
        cache.start_page(&interner, "fr");
        let summary = |w: &[CachedWord]| -> Vec<(u32, u32, bool)> {
            w.iter().map(|w| (w.stem, w.form, w.compound)).collect()
        };
        // A plain word, a compound, a word with diacritics and a one-off identifier.
        for raw in ["réserves", "café-crème", "grain", "doi.example.org/10.1/2"] {
            let first = summary(cache.get(&interner, raw));
            assert_eq!(summary(cache.last()), first, "{raw}");
            assert!(cache.words.get(raw).is_none(), "{raw} kept on first sight");
            let second = summary(cache.get(&interner, raw));
            assert!(
                cache.words.get(raw).is_some(),
                "{raw} not kept on second sight"
            );
            let third = summary(cache.get(&interner, raw));
            assert_eq!((&first, &second), (&third, &third), "{raw}");
            assert!(!first.is_empty(), "{raw}");
        }
        // Metadata words are cached apart (no dotted tails there).
        let meta = summary(cache.get_meta(&interner, "doi.example.org/10.1/2"));
        let text = summary(cache.get(&interner, "doi.example.org/10.1/2"));
        assert!(meta.len() < text.len());
    }

    #[test]
    fn diacritics_fold_and_keep_the_original() {
        let w = indexable_words("café-crème", &mut Stem::new("fr"));
        assert_eq!(w[0].stemmed, "cafecrem");
        assert_eq!(w[0].original.as_deref(), Some("cafécrème"));
        assert_eq!(w[1].stemmed, "caf");
        assert_eq!(w[2].stemmed, "crem");
    }

    #[test]
    fn arabic_words_survive_an_english_stemmer() {
        // The hamza is a diacritic (ئ decomposes to ي + U+0654): folded, the written form kept.
        let w = indexable_words("الغذائي", &mut Stem::new("en"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].stemmed, "الغذايي");
        assert_eq!(w[0].original.as_deref(), Some("الغذائي"));
        assert_eq!(stems("غذاء", "en"), vec![("غذاء".to_string(), false)]);
    }

    #[test]
    fn no_stemmer_changes_a_number() {
        let languages = [
            "ar", "hy", "eu", "ca", "da", "nl", "en", "eo", "et", "fi", "fr", "de", "el", "hi",
            "hu", "id", "ga", "it", "lt", "no", "ne", "pt", "ro", "ru", "sr", "pl", "es", "sv",
            "ta", "tr", "yi",
        ];
        let mut numbers: Vec<String> = (0..=1200).map(|n| n.to_string()).collect();
        numbers.extend(
            [
                "00",
                "007",
                "2024",
                "19450508",
                "31415926535",
                "000000000001",
            ]
            .map(String::from),
        );
        for lang in languages {
            let stemmer = stemmer(lang).unwrap_or_else(|| panic!("a stemmer for {lang}"));
            for n in &numbers {
                assert_eq!(stemmer.stem(n), n.as_str(), "{lang} stems {n}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn english_leaves_words_ending_in_a_digit(
            w in "[a-z]{0,3}(y|ies|ied|ing|ed|s|e|l|ly|ness|ational|ization|eed|sses|')?[a-zàé'y]{0,12}(s|y|e|ing|ed)?[0-9]{1,3}"
        ) {
            let en = stemmer("en").expect("English");
            if !w.contains('\'') {
                proptest::prop_assert_eq!(en.stem(&w), w.as_str());
            }
            proptest::prop_assert_eq!(Stem::new("en").stem(&w), en.stem(&w).into_owned());
        }
    }

    #[test]
    fn only_english_skips_words_ending_in_a_digit() {
        assert!(keeps_digit_endings("en") && keeps_digit_endings("en-us"));
        assert!(!keeps_digit_endings("ar") && !keeps_digit_endings("fr"));
        // The skip gives the stemmer's own answer.
        let mut stem = Stem::new("en");
        for w in [
            "covid19",
            "g20",
            "httpsdoiorg1022047",
            "reserves2024",
            "y2k9",
            "'s1",
            "a's2",
        ] {
            assert_eq!(stem.stem(w), stemmer("en").unwrap().stem(w), "{w}");
        }
    }

    #[test]
    fn no_ascii_character_is_an_emoji() {
        for c in 0u8..128 {
            assert!(emojis::get(&(c as char).to_string()).is_none(), "{c}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn ascii_parts_match_convert_case(s in "[aAbBzZ09_ .:/()\\-\x01\x0b]{0,12}") {
            let (words, extras) = general_parts(&s);
            proptest::prop_assert_eq!(ascii_parts(&s), words);
            proptest::prop_assert!(extras.unwrap_or_default().is_empty());
        }
    }
}
