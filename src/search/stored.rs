//! Page records as the index merge reads them. Every page's head (language, filters, sort
//! values, metadata fields, word count, fragment) stays in memory for the whole merge; its
//! words (entries, positions, metadata positions), most of a record's bytes, are read back from
//! the [`super::spill`] file one page at a time, once per pass over the site
//! ([`super::postings`] makes three), into a buffer each thread reuses.
//!
//! At 100,000 briefs the records are about 1 GB on disk (1.7 GB once decoded), nearly all of
//! it words. Read back all at once they were the search stage's peak, on top of the site;
//! read page by page, the merge holds only the postings it is making. Records that could not
//! be set aside (no temporary file) keep their words in memory and are read in place.

use std::io::Result;
use std::sync::Arc;

use super::record::PageRecord;
use super::spill::{IndexFile, Spill};

/// One page's record: its head in memory, its words in memory or set aside.
#[derive(Debug)]
pub struct StoredRecord {
    /// The record; its word arrays are empty when `words` says where they are.
    pub head: PageRecord,
    /// Where the words were set aside (the bytes after the head that
    /// [`PageRecord::encode`] wrote), or None when `head` holds them.
    words: Option<IndexFile>,
}

/// What a thread reuses from page to page to read records' words.
#[derive(Default)]
pub struct Rereader {
    bytes: Vec<u8>,
    record: PageRecord,
}

impl StoredRecord {
    /// A record held whole in memory.
    pub fn in_memory(record: PageRecord) -> Self {
        Self {
            head: record,
            words: None,
        }
    }

    /// A record set aside as [`PageRecord::encode`] wrote it, `head` bytes of head first: the
    /// head is read back now, the words when a pass asks for them.
    pub fn set_aside(file: IndexFile, head: usize, spill: Option<&Arc<Spill>>) -> Result<Self> {
        let (head_file, words) = file.split_at(head);
        let mut bytes = Vec::new();
        head_file.read_into(&mut bytes).map_err(reread)?;
        Ok(Self {
            head: PageRecord::decode_head(&bytes, spill).map_err(reread)?,
            words: Some(words),
        })
    }

    /// The record with its words: the head itself when it holds them, else its words read into
    /// `scratch` (whose record then has words only: read the rest from [`Self::head`]).
    pub fn words<'a>(&'a self, scratch: &'a mut Rereader) -> Result<&'a PageRecord> {
        let Some(words) = &self.words else {
            return Ok(&self.head);
        };
        words.read_into(&mut scratch.bytes).map_err(reread)?;
        scratch
            .record
            .decode_words(&scratch.bytes)
            .map_err(reread)?;
        Ok(&scratch.record)
    }
}

/// A read from the temporary file that failed, saying what was being read.
fn reread(e: std::io::Error) -> std::io::Error {
    std::io::Error::new(
        e.kind(),
        format!("cannot read a search record back from its temporary file: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Interner, extract};

    #[test]
    fn words_set_aside_are_read_back_page_by_page() {
        let interner = Interner::default();
        let page = |title: &str, body: &str| {
            let html = format!(
                r#"<html lang="en"><body><main><h1>{title}</h1><p>{body}</p></main></body></html>"#
            );
            extract(&interner, "/a/", &html).unwrap()
        };
        let (a, b) = (
            page("Grain reserves", "Held for a dry year."),
            page(
                "Water",
                "The river's reserves, shared between many upstream towns.",
            ),
        );
        let spill = Spill::new().unwrap();
        let stored: Vec<StoredRecord> = [&a, &b]
            .into_iter()
            .map(|r| {
                let mut bytes = Vec::new();
                let head = r.encode(&mut bytes);
                let file = spill.put(&bytes).unwrap();
                StoredRecord::set_aside(file, head, Some(&spill)).unwrap()
            })
            .collect();
        assert!(stored.iter().all(|s| s.head.entries.is_empty()));
        let mut scratch = Rereader::default();
        // In any order, each read replaces the last: the longer page's words do not linger.
        for (s, want) in [(&stored[1], &b), (&stored[0], &a), (&stored[1], &b)] {
            let got = s.words(&mut scratch).unwrap();
            assert_eq!(got.entries().count(), want.entries().count());
            assert_eq!(got.locs, want.locs);
            assert_eq!(got.entries, want.entries);
        }
        let whole = StoredRecord::in_memory(a.clone());
        assert_eq!(whole.words(&mut scratch).unwrap().entries, a.entries);
    }
}
