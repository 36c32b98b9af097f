//! The deploy plan: which files are new, changed, unchanged or gone, decided without trusting
//! an ETag to be an MD5.
//!
//! Each built file gets a *version*: the MD5 of its bytes' MD5 and the headers it is stored
//! with (Content-Type, Cache-Control, redirect), so a changed cache rule re-uploads exactly the
//! files it affects. Uploads store the version on the object (`x-amz-meta-dossier-version`)
//! and the target keeps a *state*: for each object, the ETag it had when this deploy left it
//! and its version. A listed object is then judged, cheapest first:
//!
//! 1. its ETag is the one the state recorded → the recorded version is the object's;
//! 2. its ETag is the MD5 of the local bytes (a single-part upload without SSE-KMS, or a folder
//!    target) → unchanged;
//! 3. its size differs → changed;
//! 4. otherwise its stored version is read (one HEAD request, concurrently) and compared.
//!
//! So a bucket with SSE-KMS or multipart ETags costs no re-uploads, and only objects written
//! outside a finished deploy (an interrupted one, another tool) cost a HEAD.
//!
//! Ordering lives here too: assets, then pages, then feeds and `_redirects`, then deletions,
//! each phase finished before the next starts, so no page is online before the files it links
//! to.

use std::collections::{BTreeMap, HashMap};
use std::io::Read as _;
use std::path::PathBuf;

use anyhow::Context as _;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use super::{Listed, Meta};

/// One built file, hashed.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// Where it is on disk.
    pub file: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Lowercase hex MD5 of its bytes.
    pub md5: String,
    /// The MD5 of `md5` and its headers.
    pub version: String,
    /// The headers it is stored with.
    pub meta: Meta,
}

/// What the last deploy left on the target: path → (ETag, version).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Format version (1).
    pub format: u32,
    /// path → [ETag, version].
    pub objects: BTreeMap<String, (String, String)>,
}

impl State {
    /// Read a state the target kept; an unreadable one counts as none (every object is then
    /// judged by ETag or metadata, as on a first deploy).
    pub fn decode(bytes: Option<Vec<u8>>) -> Self {
        let Some(bytes) = bytes else {
            return Self::default();
        };
        let mut text = Vec::new();
        if flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut text)
            .is_err()
        {
            return Self::default();
        }
        serde_json::from_slice(&text).unwrap_or_default()
    }

    /// Gzipped JSON.
    pub fn encode(&self) -> Vec<u8> {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let json = serde_json::to_vec(self).expect("a state serialises");
        gz.write_all(&json).expect("writing to memory");
        gz.finish().expect("writing to memory")
    }
}

/// What `deploy` will do.
#[derive(Debug, Default, Serialize)]
pub struct Plan {
    /// New files.
    pub uploads: Vec<String>,
    /// Changed files.
    pub updates: Vec<String>,
    /// Files to delete.
    pub deletes: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Bytes to send.
    pub bytes: u64,
    /// Objects whose stored version had to be read (HEAD requests).
    pub checked: usize,
    /// URL paths a CDN must forget (changed and deleted files).
    pub invalidate: Vec<String>,
}

/// Lowercase hex MD5.
pub fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hash a file in 64 KiB chunks (memory stays flat for a 5 GB PDF).
pub fn md5_file(path: &std::path::Path) -> anyhow::Result<(u64, String)> {
    let mut f = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut h = Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            return Ok((size, hex(&h.finalize())));
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
}

/// The version of a file stored with `meta`.
pub fn version(md5: &str, meta: &Meta) -> String {
    md5_hex(
        format!(
            "{md5}\n{}\n{}\n{}",
            meta.content_type,
            meta.cache_control,
            meta.redirect.as_deref().unwrap_or("")
        )
        .as_bytes(),
    )
}

/// Hash every built file in parallel.
pub fn hash_local(
    files: &BTreeMap<String, PathBuf>,
    meta: impl Fn(&str) -> Meta + Sync,
) -> anyhow::Result<BTreeMap<String, LocalFile>> {
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|(p, f)| {
            let (size, md5) = md5_file(f)?;
            let meta = meta(p);
            let version = version(&md5, &meta);
            Ok((
                p.clone(),
                LocalFile {
                    file: f.clone(),
                    size,
                    md5,
                    version,
                    meta,
                },
            ))
        })
        .collect()
}

/// A listed object's verdict before any HEAD request.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Same,
    Changed,
    New,
    /// Read its stored version.
    Ask,
}

fn verdict(l: &LocalFile, remote: Option<&Listed>, known: Option<&(String, String)>) -> Verdict {
    let Some(r) = remote else {
        return Verdict::New;
    };
    match known {
        Some((etag, version)) if *etag == r.etag && !etag.is_empty() => {
            return if *version == l.version {
                Verdict::Same
            } else {
                Verdict::Changed
            };
        }
        _ => {}
    }
    if r.etag == l.md5 {
        Verdict::Same
    } else if r.size != l.size {
        Verdict::Changed
    } else {
        Verdict::Ask
    }
}

/// Compare the output with the target. `ask` reads stored versions (concurrently, by the
/// caller's workers) for the objects neither the state nor the ETag settles.
pub fn plan(
    local: &BTreeMap<String, LocalFile>,
    remote: &HashMap<String, Listed>,
    state: &State,
    force: bool,
    ask: impl FnOnce(&[String]) -> anyhow::Result<HashMap<String, Option<String>>>,
) -> anyhow::Result<Plan> {
    let mut p = Plan::default();
    let mut unsure = Vec::new();
    for (path, l) in local {
        let v = verdict(l, remote.get(path), state.objects.get(path));
        match v {
            Verdict::New => p.uploads.push(path.clone()),
            _ if force => p.updates.push(path.clone()),
            Verdict::Same => p.unchanged += 1,
            Verdict::Changed => p.updates.push(path.clone()),
            Verdict::Ask => unsure.push(path.clone()),
        }
    }
    if !unsure.is_empty() {
        p.checked = unsure.len();
        let stored = ask(&unsure)?;
        for path in unsure {
            let same = stored
                .get(&path)
                .and_then(Option::as_deref)
                .is_some_and(|v| v == local[&path].version);
            if same {
                p.unchanged += 1;
            } else {
                p.updates.push(path);
            }
        }
        p.updates.sort();
    }
    p.bytes = p
        .uploads
        .iter()
        .chain(&p.updates)
        .map(|k| local[k].size)
        .sum();
    p.deletes = remote
        .keys()
        .filter(|k| !local.contains_key(*k))
        .cloned()
        .collect();
    p.deletes.sort();
    Ok(p)
}

/// The state after a deploy: every local file the target now holds (unchanged ones with the
/// listed ETag, uploaded ones with the ETag their upload returned).
pub fn next_state(
    local: &BTreeMap<String, LocalFile>,
    remote: &HashMap<String, Listed>,
    plan: &Plan,
    uploaded: &HashMap<String, Option<String>>,
) -> State {
    let mut sent: std::collections::HashSet<&str> =
        plan.uploads.iter().map(String::as_str).collect();
    sent.extend(plan.updates.iter().map(String::as_str));
    let objects = local
        .iter()
        .filter_map(|(path, l)| {
            let etag = if sent.contains(path.as_str()) {
                uploaded.get(path).cloned().flatten()?
            } else {
                remote.get(path)?.etag.clone()
            };
            Some((path.clone(), (etag, l.version.clone())))
        })
        .collect();
    State { format: 1, objects }
}

/// The upload phases in order: assets, pages, then feeds, data and `_redirects`.
pub fn phases(plan: &Plan) -> [Vec<String>; 3] {
    let mut out: [Vec<String>; 3] = Default::default();
    for p in plan.uploads.iter().chain(&plan.updates) {
        let rank = if p.ends_with(".html") {
            1
        } else if p.ends_with(".xml") || p.ends_with(".json") || p == "_redirects" {
            2
        } else {
            0
        };
        out[rank].push(p.clone());
    }
    for phase in &mut out {
        phase.sort();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> LocalFile {
        let md5 = md5_hex(bytes);
        let meta = Meta {
            content_type: "text/html".into(),
            cache_control: "public, max-age=300".into(),
            redirect: None,
        };
        LocalFile {
            file: PathBuf::new(),
            size: bytes.len() as u64,
            version: version(&md5, &meta),
            md5,
            meta,
        }
    }

    #[test]
    fn etags_that_are_not_md5s_are_settled_by_the_state_or_the_stored_version() {
        let a = file(b"aaaa");
        let kms = |s: &str| Listed {
            size: 4,
            etag: format!("{s}ffffffffffffffffffffffffffffff"),
        };
        // Recorded by the last deploy: no request, no upload.
        let known = Some(&(
            "01".to_string() + "ffffffffffffffffffffffffffffff",
            a.version.clone(),
        ));
        assert_eq!(verdict(&a, Some(&kms("01")), known), Verdict::Same);
        // Recorded with another version (a cache rule changed): changed.
        let other = Some(&(
            "01".to_string() + "ffffffffffffffffffffffffffffff",
            "x".into(),
        ));
        assert_eq!(verdict(&a, Some(&kms("01")), other), Verdict::Changed);
        // Written since (another ETag), same size: ask; other size: changed.
        assert_eq!(verdict(&a, Some(&kms("02")), known), Verdict::Ask);
        let bigger = Listed {
            size: 5,
            etag: "x".into(),
        };
        assert_eq!(verdict(&a, Some(&bigger), None), Verdict::Changed);
        // A plain MD5 ETag of the same bytes: unchanged without asking.
        let plain = Listed {
            size: 4,
            etag: a.md5.clone(),
        };
        assert_eq!(verdict(&a, Some(&plain), None), Verdict::Same);
        assert_eq!(verdict(&a, None, None), Verdict::New);
    }

    #[test]
    fn a_header_change_is_a_new_version() {
        let a = file(b"aaaa");
        let mut meta = a.meta.clone();
        meta.cache_control = "public, max-age=60".into();
        assert_ne!(version(&a.md5, &meta), a.version);
    }

    #[test]
    fn the_state_survives_a_round_trip_and_garbage_is_no_state() {
        let mut s = State {
            format: 1,
            ..State::default()
        };
        s.objects.insert("a.html".into(), ("e".into(), "v".into()));
        let back = State::decode(Some(s.encode()));
        assert_eq!(back.objects, s.objects);
        assert!(State::decode(Some(b"not gzip".to_vec())).objects.is_empty());
    }
}
