//! A page record as bytes, so that a build can set records aside on disk while it renders
//! (see [`crate::search::spill`]) and read them back, in one allocation each, when every page
//! is in. Only dossier reads these bytes, in the same process that wrote them: the layout is
//! fixed-width little-endian numbers and length-prefixed arrays, with no versioning.
//!
//! Held in memory, 100,000 records took 1.7 GB of a build's peak: their many small arrays
//! were scattered between the pages' freed HTML, so the allocator could return little of it.
//!
//! A record is written in two parts: its head (URL, language, filters, sort values, metadata
//! fields, word count, fragment), which the index keeps for every page, then its words
//! (entries, positions, metadata positions), which the index reads one page at a time, once
//! per pass over the site ([`crate::search::stored`]).

use std::collections::BTreeMap;
use std::io::{Error, ErrorKind, Result};
use std::sync::Arc;

use super::{Entry, PageRecord};
use crate::search::spill::{IndexFile, Spill};

impl PageRecord {
    /// Append this record's bytes to `out`: its head, then its words. A fragment set aside in
    /// a spill file is written as its place there; one in memory, as its bytes. Returns the
    /// head's length: the words are the bytes after it.
    pub fn encode(&self, out: &mut Vec<u8>) -> usize {
        let start = out.len();
        self.encode_head(out);
        let head = out.len() - start;
        self.encode_words(out);
        head
    }

    fn encode_head(&self, out: &mut Vec<u8>) {
        text(out, &self.url);
        text(out, &self.language);
        out.push(u8::from(self.has_custom_body));
        num(out, self.word_count);
        len(out, self.filters.len());
        for (name, values) in &self.filters {
            text(out, name);
            len(out, values.len());
            values.iter().for_each(|v| text(out, v));
        }
        len(out, self.sort.len());
        for (key, value) in &self.sort {
            text(out, key);
            text(out, value);
        }
        len(out, self.meta_fields.len());
        self.meta_fields.iter().for_each(|f| text(out, f));
        text(out, &self.fragment_hash);
        match &self.fragment {
            IndexFile::Bytes(b) => {
                out.push(0);
                len(out, b.len());
                out.extend_from_slice(b);
            }
            IndexFile::Spilled { at, len: n, .. } => {
                out.push(1);
                out.extend_from_slice(&at.to_le_bytes());
                len(out, *n);
            }
        }
    }

    fn encode_words(&self, out: &mut Vec<u8>) {
        len(out, self.entries.len());
        for e in &self.entries {
            num(out, e.word);
            num(out, e.locs_end);
        }
        pairs(out, &self.variants);
        len(out, self.locs.len());
        out.extend_from_slice(&self.locs);
        len(out, self.meta.len());
        for &(field, position) in &self.meta {
            out.extend_from_slice(&field.to_le_bytes());
            num(out, position);
        }
        pairs(out, &self.meta_ends);
    }

    /// The record `encode` wrote; a fragment set aside is read from `spill`. A build reads
    /// heads and words apart ([`Self::decode_head`], [`Self::decode_words`]); whole records are
    /// read back only by the tests.
    #[cfg(test)]
    pub fn decode(bytes: &[u8], spill: Option<&Arc<Spill>>) -> Result<Self> {
        let mut r = Reader { bytes, at: 0 };
        let mut record = Self::head(&mut r, spill)?;
        record.words(&mut r)?;
        r.end()?;
        Ok(record)
    }

    /// The record whose head `encode` wrote as these bytes (the bytes before the length it
    /// returned), with no words.
    pub fn decode_head(bytes: &[u8], spill: Option<&Arc<Spill>>) -> Result<Self> {
        let mut r = Reader { bytes, at: 0 };
        let record = Self::head(&mut r, spill)?;
        r.end()?;
        Ok(record)
    }

    /// Replace this record's words with those `encode` wrote as these bytes (the bytes after
    /// its head), reusing the arrays' memory.
    pub fn decode_words(&mut self, bytes: &[u8]) -> Result<()> {
        let mut r = Reader { bytes, at: 0 };
        self.words(&mut r)?;
        r.end()
    }

    fn head(r: &mut Reader, spill: Option<&Arc<Spill>>) -> Result<Self> {
        let url = r.text()?;
        let language = r.text()?;
        let has_custom_body = r.take(1)?[0] == 1;
        let word_count = r.num()?;
        let mut filters = BTreeMap::new();
        for _ in 0..r.num()? {
            let name = r.text()?;
            let values = (0..r.num()?).map(|_| r.text()).collect::<Result<_>>()?;
            filters.insert(name, values);
        }
        let mut sort = BTreeMap::new();
        for _ in 0..r.num()? {
            let key = r.text()?;
            sort.insert(key, r.text()?);
        }
        let meta_fields = (0..r.num()?).map(|_| r.text()).collect::<Result<_>>()?;
        let fragment_hash = r.text()?;
        let fragment = match (r.take(1)?[0], spill) {
            (0, _) => {
                let n = r.num()? as usize;
                IndexFile::Bytes(r.take(n)?.to_vec())
            }
            (1, Some(spill)) => {
                let at = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
                IndexFile::Spilled {
                    spill: spill.clone(),
                    at,
                    len: r.num()? as usize,
                }
            }
            _ => return Err(invalid()),
        };
        Ok(Self {
            url,
            language,
            has_custom_body,
            word_count,
            filters,
            sort,
            meta_fields,
            fragment_hash,
            fragment,
            ..Self::default()
        })
    }

    fn words(&mut self, r: &mut Reader) -> Result<()> {
        self.entries.clear();
        for _ in 0..r.num()? {
            let word = r.num()?;
            let locs_end = r.num()?;
            self.entries.push(Entry { word, locs_end });
        }
        r.pairs_into(&mut self.variants)?;
        let n = r.num()? as usize;
        self.locs.clear();
        self.locs.extend_from_slice(r.take(n)?);
        self.meta.clear();
        for _ in 0..r.num()? {
            let field = u16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            self.meta.push((field, r.num()?));
        }
        r.pairs_into(&mut self.meta_ends)
    }
}

fn num(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn len(out: &mut Vec<u8>, n: usize) {
    num(
        out,
        u32::try_from(n).expect("a page's arrays are under 4 GB"),
    );
}

fn text(out: &mut Vec<u8>, s: &str) {
    len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn pairs(out: &mut Vec<u8>, v: &[(u32, u32)]) {
    len(out, v.len());
    for &(a, b) in v {
        num(out, a);
        num(out, b);
    }
}

fn invalid() -> Error {
    Error::new(
        ErrorKind::InvalidData,
        "a search record set aside in the temporary file was damaged",
    )
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(n).ok_or_else(invalid)?;
        let s = self.bytes.get(self.at..end).ok_or_else(invalid)?;
        self.at = end;
        Ok(s)
    }

    fn num(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn text(&mut self) -> Result<String> {
        let n = self.num()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| invalid())
    }

    fn pairs_into(&mut self, out: &mut Vec<(u32, u32)>) -> Result<()> {
        out.clear();
        for _ in 0..self.num()? {
            out.push((self.num()?, self.num()?));
        }
        Ok(())
    }

    /// Every byte was read: anything after is damage.
    fn end(&self) -> Result<()> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(invalid())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Interner, extract};

    const PAGE: &str = r#"<html lang="en"><body><main data-pagefind-body>
        <h1>Grain reserves</h1><p data-pagefind-filter="topic">Food</p>
        <p data-pagefind-meta="date:2026-01-02">Reserves of grain, and réserves.</p>
        <p data-pagefind-sort="date:2026-01-02">Held for a bad year.</p></main></body></html>"#;

    fn record() -> PageRecord {
        extract(&Interner::default(), "/briefs/a/", PAGE).expect("a page with words")
    }

    fn same(a: &PageRecord, b: &PageRecord) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn a_record_comes_back_whole() {
        let r = record();
        assert!(!r.filters.is_empty() && !r.meta.is_empty() && !r.entries.is_empty());
        let mut bytes = Vec::new();
        r.encode(&mut bytes);
        same(&PageRecord::decode(&bytes, None).unwrap(), &r);
    }

    #[test]
    fn head_and_words_come_back_apart() {
        let r = record();
        let mut bytes = Vec::new();
        let head = r.encode(&mut bytes);
        let mut back = PageRecord::decode_head(&bytes[..head], None).unwrap();
        assert!(back.entries.is_empty() && back.locs.is_empty() && back.meta.is_empty());
        assert_eq!(back.filters, r.filters);
        assert!(
            PageRecord::decode_head(&bytes, None).is_err(),
            "words are not a head"
        );
        // Words read into a record that held another page's replace them.
        back.decode_words(&bytes[head..]).unwrap();
        back.decode_words(&bytes[head..]).unwrap();
        same(&back, &r);
    }

    #[test]
    fn a_spilled_fragment_comes_back_from_its_file() {
        let mut r = record();
        let spill = Spill::new().unwrap();
        let fragment = std::mem::take(&mut r.fragment).into_bytes().unwrap();
        r.fragment = spill.put(&fragment).unwrap();
        let mut bytes = Vec::new();
        r.encode(&mut bytes);
        let back = PageRecord::decode(&bytes, Some(&spill)).unwrap();
        assert_eq!(back.fragment.into_bytes().unwrap(), fragment);
        assert!(PageRecord::decode(&bytes, None).is_err());
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut bytes = Vec::new();
        record().encode(&mut bytes);
        for cut in [0, 1, 5, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                PageRecord::decode(&bytes[..cut], None).is_err(),
                "cut at {cut}"
            );
        }
    }
}
