//! The facet file the default theme's search page filters, counts and sorts with (issue 30):
//! built from the demo site, decoded as `search.js` decodes it, and checked against Pagefind's
//! own files in the same output (its filter files, its page list and every page's fragment).

use crate::support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use dossier::search::cbor::{self, Value};
use serde_json::Value as Json;

fn gunzip(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .expect("gzip");
    assert_eq!(
        &out[..12],
        b"pagefind_dcd",
        "signature of {}",
        path.display()
    );
    out.split_off(12)
}

/// filter → value → pages, from the facet file's header and varints.
type Facets = BTreeMap<String, BTreeMap<String, Vec<i64>>>;

fn decode_facets(body: &[u8]) -> (i64, Facets) {
    let size = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
    let head: Json = serde_json::from_slice(&body[4..4 + size]).expect("a JSON header");
    assert_eq!(head["version"], 2);
    let mut at = 4 + size;
    let mut varint = || {
        let (mut n, mut shift) = (0i64, 0);
        loop {
            let b = body[at];
            at += 1;
            n |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return n;
            }
        }
    };
    let mut facets = Facets::new();
    for f in head["facets"].as_array().unwrap() {
        let values = facets
            .entry(f[0].as_str().unwrap().to_string())
            .or_default();
        for v in f[1].as_array().unwrap() {
            let count = varint();
            let mut page = 0;
            let pages = (0..count)
                .map(|_| {
                    page += varint();
                    page
                })
                .collect();
            values.insert(v.as_str().unwrap().to_string(), pages);
        }
    }
    assert_eq!(at, body.len(), "nothing after the last value");
    (head["pages"].as_i64().unwrap(), facets)
}

#[test]
fn the_facet_file_holds_pagefinds_filters_and_numbers_briefs_newest_first() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    support::run_in(
        root,
        &["build", "--output", out.path().to_str().unwrap(), "--quiet"],
    )
    .ok();
    let dir = out.path().join("pagefind");
    let entry: Json =
        serde_json::from_slice(&std::fs::read(dir.join("pagefind-entry.json")).unwrap()).unwrap();
    let en = &entry["languages"]["en"];
    let facets_id = en["dossier_facets"]
        .as_str()
        .expect("the entry names the facet file");
    let (pages, facets) =
        decode_facets(&gunzip(&dir.join(format!("dossier.{facets_id}.pf_facets"))));

    let meta = cbor::decode(&gunzip(
        &dir.join(format!("pagefind.{}.pf_meta", en["hash"].as_str().unwrap())),
    ))
    .unwrap();
    let m = meta.array();
    assert_eq!(
        pages as usize,
        m[1].array().len(),
        "one row per Pagefind page"
    );
    assert!(
        m[4].array().is_empty(),
        "no sort file: the rows are the order"
    );

    // The same values and pages as Pagefind's filter files.
    let mut pagefind = Facets::new();
    for f in m[3].array() {
        let f = f.array();
        let file = cbor::decode(&gunzip(
            &dir.join(format!("filter/{}.pf_filter", f[1].text())),
        ))
        .unwrap();
        let values = pagefind.entry(f[0].text().to_string()).or_default();
        for v in file.array()[1].array() {
            let v = v.array();
            values.insert(
                v[0].text().to_string(),
                v[1].array().iter().map(Value::int).collect(),
            );
        }
    }
    assert_eq!(facets, pagefind);
    for facet in ["type", "topic", "region", "programme", "author", "year"] {
        assert!(facets.contains_key(facet), "{facet} in {:?}", facets.keys());
    }

    // Each row's values are what its fragment says, and the dated rows run newest first.
    let mut dates = Vec::new();
    for (row, p) in m[1].array().iter().enumerate() {
        let hash = p.array()[0].text();
        let fragment: Json =
            serde_json::from_slice(&gunzip(&dir.join(format!("fragment/{hash}.pf_fragment"))))
                .unwrap();
        for (facet, values) in &facets {
            let mine: Vec<&str> = values
                .iter()
                .filter(|(_, rows)| rows.contains(&(row as i64)))
                .map(|(v, _)| v.as_str())
                .collect();
            let mut theirs: Vec<&str> = fragment["filters"][facet]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
                .unwrap_or_default();
            theirs.sort();
            assert_eq!(mine, theirs, "{facet} of {}", fragment["url"]);
        }
        if fragment["meta"]["date"].is_string() {
            // The shown date is in the brief's language; the page's <time> says it exactly.
            let url = fragment["url"].as_str().unwrap();
            let page =
                std::fs::read_to_string(out.path().join(&url[1..]).join("index.html")).unwrap();
            let doc = scraper::Html::parse_document(&page);
            let time = doc
                .select(&support::sel("time.dt-published"))
                .next()
                .and_then(|t| t.value().attr("datetime"))
                .unwrap_or_else(|| panic!("{url} has a published time"))
                .to_string();
            dates.push((row, time, url.to_string()));
        }
    }
    assert!(dates.len() > 10, "the demo's briefs are dated");
    assert!(
        dates.windows(2).all(|w| w[0].1 >= w[1].1),
        "briefs newest first: {dates:?}"
    );
    // And before every undated page (experts, topics).
    let last_dated = dates.last().unwrap().0;
    assert_eq!(last_dated + 1, dates.len(), "dated rows come first");
}
