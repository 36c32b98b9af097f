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
    let a = match lang.split('-').next().unwrap_or_default() {
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
    };
    Some(Stemmer::create(a))
}

/// Words (and written forms) as numbers, shared by the render workers: records hold numbers,
/// and merging a site's records is then bucketing rather than hashing strings.
pub struct Interner {
    shards: Vec<std::sync::Mutex<rustc_hash::FxHashMap<Box<str>, u32>>>,
    next: std::sync::atomic::AtomicU32,
    /// Tells the per-thread caches of numbers from different interners apart.
    generation: u64,
}

impl Default for Interner {
    fn default() -> Self {
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Interner {
            shards: (0..64).map(|_| Default::default()).collect(),
            next: Default::default(),
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

impl Interner {
    pub fn intern(&self, s: &str) -> u32 {
        use std::hash::BuildHasher;
        let h = rustc_hash::FxBuildHasher.hash_one(s);
        let shard = &self.shards[(h >> 58) as usize % self.shards.len()];
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = map.get(s) {
            return id;
        }
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        map.insert(s.into(), id);
        id
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
/// most written words are looked up rather than stemmed again.
pub struct Cache {
    generation: u64,
    language: String,
    stemmer: Option<Stemmer>,
    /// Written word → its range in `store`.
    words: rustc_hash::FxHashMap<Box<str>, (u32, u32)>,
    store: Vec<CachedWord>,
}

/// Entries kept before the cache starts over (bounds memory on very large vocabularies).
const CACHE_LIMIT: usize = 200_000;

impl Cache {
    pub fn new() -> Cache {
        Cache {
            generation: u64::MAX,
            language: String::new(),
            stemmer: None,
            words: Default::default(),
            store: Vec::new(),
        }
    }

    /// The words to index for `raw` on a page in `language` (with dotted tails).
    pub fn get(&mut self, interner: &Interner, language: &str, raw: &str) -> &[CachedWord] {
        if self.language != language || self.generation != interner.generation {
            if self.language != language {
                self.language = language.to_string();
                self.stemmer = stemmer(language);
            }
            self.generation = interner.generation;
            self.words.clear();
            self.store.clear();
        }
        if let Some(&(a, b)) = self.words.get(raw) {
            return &self.store[a as usize..b as usize];
        }
        if self.words.len() >= CACHE_LIMIT {
            self.words.clear();
            self.store.clear();
        }
        let stemmer = self.stemmer.as_ref();
        let mut words = indexable_words(raw, stemmer);
        let tails = dotted_tails(raw, stemmer, &words);
        words.extend(tails);
        let a = self.store.len();
        self.store.extend(words.into_iter().map(|w| {
            CachedWord {
                stem: interner.intern(&w.stemmed),
                form: w
                    .original
                    .as_deref()
                    .map_or(crate::search::record::MAIN, |o| interner.intern(o)),
                form_text: w.original.map(String::into_boxed_str),
                compound: w.is_compound_part,
            }
        }));
        let b = self.store.len();
        self.words.insert(raw.into(), (a as u32, b as u32));
        &self.store[a..b]
    }

    /// The stemmer for the current language.
    pub fn stemmer(&self) -> Option<&Stemmer> {
        self.stemmer.as_ref()
    }
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new()
    }
}

/// Every word to index for one written word (the first is the word itself, if it has any
/// letters or digits).
pub fn indexable_words(raw: &str, stemmer: Option<&Stemmer>) -> Vec<IndexableWord> {
    let mut out = Vec::with_capacity(1);
    let normalized = normalize_word(raw);
    if !normalized.is_empty() {
        out.push(stem_word(&normalized, stemmer, false));
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
            let stemmed = match stemmer {
                Some(s) => s.stem(base).into_owned(),
                None => base.to_string(),
            };
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
pub fn dotted_tails(
    raw: &str,
    stemmer: Option<&Stemmer>,
    existing: &[IndexableWord],
) -> Vec<IndexableWord> {
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
        let word = stem_word(&normalized, stemmer, true);
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

fn stem_word(normalized: &str, stemmer: Option<&Stemmer>, is_compound_part: bool) -> IndexableWord {
    let folded = fold_diacritics(normalized);
    let base = folded.as_deref().unwrap_or(normalized);
    let stemmed = match stemmer {
        Some(s) => s.stem(base).into_owned(),
        None => base.to_string(),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(raw: &str, lang: &str) -> Vec<(String, bool)> {
        indexable_words(raw, stemmer(lang).as_ref())
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
    fn diacritics_fold_and_keep_the_original() {
        let w = indexable_words("café-crème", stemmer("fr").as_ref());
        assert_eq!(w[0].stemmed, "cafecrem");
        assert_eq!(w[0].original.as_deref(), Some("cafécrème"));
        assert_eq!(w[1].stemmed, "caf");
        assert_eq!(w[2].stemmed, "crem");
    }

    #[test]
    fn arabic_words_survive_an_english_stemmer() {
        // The hamza is a diacritic (ئ decomposes to ي + U+0654): folded, the written form kept.
        let w = indexable_words("الغذائي", stemmer("en").as_ref());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].stemmed, "الغذايي");
        assert_eq!(w[0].original.as_deref(), Some("الغذائي"));
        assert_eq!(stems("غذاء", "en"), vec![("غذاء".to_string(), false)]);
    }
}
