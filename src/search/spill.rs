//! Search records and fragments set aside on disk while a build renders. A page's record (its
//! words and positions, [`super::record::PageRecord::encode`]) is needed only once every page
//! is in, and its fragment (the result data Pagefind's browser code loads) is final as soon as
//! the page is indexed but is written last, because its name depends on the pages before it.
//! At 100,000 briefs the records took 1.7 GB of memory and the fragments 330 MB, waiting
//! beside the site; on disk they are 1.3 GB (about 13 KB per page) in `TMPDIR`.
//!
//! A [`Spill`] is one unnamed temporary file (`tempfile::tempfile`: removed by the system when
//! closed, so nothing is left behind even when the build is killed). Pages append under a
//! lock. When the index is made, each record's head is read back once and its words once per
//! pass over the site, one page at a time ([`super::stored`]). Index chunks are appended too, as
//! each is compressed; chunks and fragments are read back one at a time just before each is
//! handed to the output. When no temporary file can be made, or a write to it fails,
//! what could not be set aside stays in memory.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// The contents of one index file: in memory, or set aside in a [`Spill`].
#[derive(Debug, Clone)]
pub enum IndexFile {
    /// The bytes themselves.
    Bytes(Vec<u8>),
    /// Where the bytes are in a spill file.
    Spilled {
        /// The spill file.
        spill: Arc<Spill>,
        /// Offset of the first byte.
        at: u64,
        /// Length in bytes.
        len: usize,
    },
}

impl Default for IndexFile {
    fn default() -> Self {
        Self::Bytes(Vec::new())
    }
}

impl From<Vec<u8>> for IndexFile {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Bytes(bytes)
    }
}

impl IndexFile {
    /// The bytes, read back from the spill file when they were set aside.
    pub fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Bytes(b) => Ok(b),
            Self::Spilled { spill, at, len } => spill.read(at, len),
        }
    }

    /// The first `n` bytes and the rest, each still where it is (`n` at most the length).
    pub fn split_at(self, n: usize) -> (IndexFile, IndexFile) {
        match self {
            Self::Bytes(mut b) => {
                let rest = b.split_off(n);
                (Self::Bytes(b), Self::Bytes(rest))
            }
            Self::Spilled { spill, at, len } => {
                assert!(n <= len, "split inside the file");
                let rest = Self::Spilled {
                    spill: spill.clone(),
                    at: at + n as u64,
                    len: len - n,
                };
                (Self::Spilled { spill, at, len: n }, rest)
            }
        }
    }

    /// The bytes, into `buf` (replacing what it held; its memory is reused).
    pub fn read_into(&self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        buf.clear();
        match self {
            Self::Bytes(b) => buf.extend_from_slice(b),
            Self::Spilled { spill, at, len } => {
                buf.resize(*len, 0);
                spill.read_at(*at, buf)?;
            }
        }
        Ok(())
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Self::Bytes(b) => b.len(),
            Self::Spilled { len, .. } => *len,
        }
    }

    /// True when the file has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An unnamed temporary file that index files are appended to.
#[derive(Debug)]
pub struct Spill {
    /// The file and its length so far.
    file: Mutex<(File, u64)>,
    /// The same file, read at offsets without the lock (reading moves no cursor).
    #[cfg(unix)]
    reader: File,
}

impl Spill {
    /// A new, empty spill file in the system's temporary folder.
    pub fn new() -> std::io::Result<Arc<Self>> {
        let file = tempfile::tempfile()?;
        Ok(Arc::new(Self {
            #[cfg(unix)]
            reader: file.try_clone()?,
            file: Mutex::new((file, 0)),
        }))
    }

    /// Append `bytes`; the handle reads them back.
    pub fn put(self: &Arc<Self>, bytes: &[u8]) -> std::io::Result<IndexFile> {
        let mut guard = self.file.lock().map_err(|_| poisoned())?;
        let (file, end) = &mut *guard;
        file.seek(SeekFrom::Start(*end))?;
        file.write_all(bytes)?;
        let at = *end;
        *end += bytes.len() as u64;
        Ok(IndexFile::Spilled {
            spill: self.clone(),
            at,
            len: bytes.len(),
        })
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        self.read_at(at, &mut bytes)?;
        Ok(bytes)
    }

    /// Fill `buf` from offset `at`. On Unix threads read side by side (`pread`); elsewhere
    /// one at a time, under the lock.
    fn read_at(&self, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.reader.read_exact_at(buf, at)
        }
        #[cfg(not(unix))]
        {
            use std::io::Read;
            let mut guard = self.file.lock().map_err(|_| poisoned())?;
            let (file, _) = &mut *guard;
            file.seek(SeekFrom::Start(at))?;
            file.read_exact(buf)
        }
    }
}

fn poisoned() -> std::io::Error {
    std::io::Error::other("a thread failed while writing the search index's spill file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_put_aside_come_back_in_any_order() {
        let spill = Spill::new().unwrap();
        let a = spill.put(b"first fragment").unwrap();
        let b = spill.put(b"").unwrap();
        let c = spill.put(&[7u8; 10_000]).unwrap();
        assert_eq!(c.len(), 10_000);
        assert!(b.is_empty());
        assert_eq!(c.into_bytes().unwrap(), vec![7u8; 10_000]);
        assert_eq!(a.into_bytes().unwrap(), b"first fragment");
        assert_eq!(b.into_bytes().unwrap(), b"");
    }

    #[test]
    fn a_file_split_in_two_reads_as_its_parts() {
        let spill = Spill::new().unwrap();
        spill.put(b"before").unwrap();
        let in_file = spill.put(b"headwords").unwrap();
        let in_memory = IndexFile::from(b"headwords".to_vec());
        for f in [in_file, in_memory] {
            let (head, words) = f.split_at(4);
            let mut buf = b"left over".to_vec();
            words.read_into(&mut buf).unwrap();
            assert_eq!(buf, b"words");
            head.read_into(&mut buf).unwrap();
            assert_eq!(buf, b"head");
        }
    }

    #[test]
    fn bytes_in_memory_are_returned_as_they_are() {
        let f = IndexFile::from(b"kept".to_vec());
        assert_eq!(f.len(), 4);
        assert_eq!(f.into_bytes().unwrap(), b"kept");
    }
}
