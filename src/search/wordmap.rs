//! The word cache's table: written word → a range of the cache's store. Looked up once for
//! every word of every indexed page, so it is built for that: open addressing, and words of
//! up to 16 bytes (nearly all) held inside their slot as two integers, so a lookup visits one
//! slot and compares two numbers, instead of following a pointer to the key and calling
//! `memcmp` (with a `HashMap<Box<str>, _>` that was a tenth of the indexing time). Longer
//! words live in an arena.

/// A written word's key: its first 16 bytes as two little-endian integers, and its length.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    a: u64,
    b: u64,
    len: u32,
}

/// 32 bytes, two to a cache line: a lookup of a word not used lately (most of a page's
/// distinct words) waits for memory once.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    /// 32 bits of the word's hash with the low bit set; 0 when the slot is empty.
    tag: u32,
    len: u32,
    /// The word's first 8 bytes.
    a: u64,
    /// Its next 8 (words of up to 16 bytes); for longer words, where the word is in the arena.
    b: u64,
    value: (u32, u32),
}

const EMPTY: Slot = Slot {
    tag: 0,
    len: 0,
    a: 0,
    b: 0,
    value: (0, 0),
};

/// Written word → (u32, u32).
pub struct WordMap {
    slots: Vec<Slot>,
    len: usize,
    arena: Vec<u8>,
}

/// Up to 8 bytes as a little-endian integer (bytes past the end are zero).
#[inline]
fn read(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        let lo = u32::from_le_bytes(b[..4].try_into().expect("4 bytes")) as u64;
        let hi = u32::from_le_bytes(b[n - 4..].try_into().expect("4 bytes")) as u64;
        // The two reads overlap when n < 8; overlapping bytes are the same.
        lo | hi << ((n - 4) * 8)
    } else if n > 0 {
        let lo = b[0] as u64;
        let mid = b[n / 2] as u64;
        let hi = b[n - 1] as u64;
        lo | mid << ((n / 2) * 8) | hi << ((n - 1) * 8)
    } else {
        0
    }
}

#[inline]
fn key(word: &[u8]) -> Key {
    let n = word.len();
    let (a, b) = if n <= 8 {
        (read(word), 0)
    } else {
        let a = u64::from_le_bytes(word[..8].try_into().expect("8 bytes"));
        (a, read(&word[8..n.min(16)]))
    };
    Key {
        a,
        b,
        len: n as u32,
    }
}

#[inline]
fn hash(k: &Key, word: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (k.a ^ (k.len as u64).rotate_left(32)).wrapping_mul(K);
    h = (h.rotate_left(29) ^ k.b).wrapping_mul(K);
    if word.len() > 16 {
        for chunk in word[16..].chunks(8) {
            h = (h.rotate_left(29) ^ read(chunk)).wrapping_mul(K);
        }
    }
    h ^ (h >> 31)
}

/// The tag a hash gives a word (never 0).
#[inline]
fn tag(h: u64) -> u32 {
    (h >> 32) as u32 | 1
}

/// The slot a word's probe starts at (from its tag, so the table can grow without the words).
#[inline]
fn home(tag: u32, mask: usize) -> usize {
    (tag >> 1) as usize & mask
}

impl Default for WordMap {
    fn default() -> Self {
        WordMap {
            slots: vec![EMPTY; 1024],
            len: 0,
            arena: Vec::new(),
        }
    }
}

impl WordMap {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    fn find(&self, word: &[u8], k: &Key, h: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let tag = tag(h);
        let mut i = home(tag, mask);
        loop {
            let s = &self.slots[i];
            if s.tag == 0 {
                return Err(i);
            }
            if s.tag == tag
                && s.len == k.len
                && s.a == k.a
                && if word.len() <= 16 {
                    s.b == k.b
                } else {
                    self.arena[s.b as usize..s.b as usize + word.len()] == *word
                }
            {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `word`, if it is in the map.
    #[inline]
    pub fn get(&self, word: &str) -> Option<(u32, u32)> {
        let w = word.as_bytes();
        let k = key(w);
        let h = hash(&k, w);
        self.find(w, &k, h).ok().map(|i| self.slots[i].value)
    }

    /// Set the value of `word`.
    pub fn insert(&mut self, word: &str, value: (u32, u32)) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let w = word.as_bytes();
        let k = key(w);
        let h = hash(&k, w);
        match self.find(w, &k, h) {
            Ok(i) => self.slots[i].value = value,
            Err(i) => {
                let b = if w.len() > 16 {
                    self.arena.extend_from_slice(w);
                    (self.arena.len() - w.len()) as u64
                } else {
                    k.b
                };
                self.slots[i] = Slot {
                    tag: tag(h),
                    len: k.len,
                    a: k.a,
                    b,
                    value,
                };
                self.len += 1;
            }
        }
    }

    fn grow(&mut self) {
        let bigger = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.tag != 0) {
            let mut i = home(s.tag, mask);
            while self.slots[i].tag != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    pub fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| *s = EMPTY);
        self.len = 0;
        self.arena.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_tell_words_apart() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefgh",
            "abcdefghi",
            "a\0",
            "\0a",
        ];
        for x in words {
            for y in words {
                assert_eq!(
                    key(x.as_bytes()) == key(y.as_bytes()),
                    x == y,
                    "{x:?} {y:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn behaves_as_a_hash_map(ops in proptest::collection::vec(
            ("[ab\\x00é]{0,20}", any::<u32>()), 0..400,
        )) {
            let mut ours = WordMap::default();
            let mut theirs = std::collections::HashMap::new();
            for (i, (w, v)) in ops.iter().enumerate() {
                if i % 3 == 2 {
                    prop_assert_eq!(ours.get(w), theirs.get(w.as_str()).copied());
                } else {
                    ours.insert(w, (*v, i as u32));
                    theirs.insert(w.clone(), (*v, i as u32));
                }
                if i == 300 {
                    ours.clear();
                    theirs.clear();
                }
            }
            prop_assert_eq!(ours.len(), theirs.len());
            for (w, v) in &theirs {
                prop_assert_eq!(ours.get(w), Some(*v));
            }
        }
    }
}
