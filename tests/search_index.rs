//! dossier writes the search index itself, in Pagefind 1.6's format (src/search). These tests
//! index the same pages with Pagefind's own indexer (its Rust API) and with dossier's, decode
//! both, and compare everything Pagefind's browser code reads: languages, pages and their
//! fragments (content, metadata, filters, anchors, word counts), every word with its pages,
//! positions, weights and metadata positions, every written form with diacritics, the chunk
//! ranges, filters, sort orders and metadata fields.

use crate::support;

use std::collections::BTreeMap;
use std::io::Read;

use dossier::search::cbor::{self, Value};
use dossier::search::postings::COMMON_MIN_PAGES;
use serde_json::Value as Json;

type Files = BTreeMap<String, Vec<u8>>;

fn ours(pages: &[(String, String)]) -> Files {
    let pages = pages
        .iter()
        .map(|(url, html)| dossier::search::SearchPage {
            url: url.clone(),
            html: html.clone(),
        })
        .collect();
    dossier::search::build_index(pages)
        .expect("dossier indexes")
        .into_iter()
        .map(|(p, b)| (p.trim_start_matches("pagefind/").to_string(), b))
        .collect()
}

fn pagefinds(pages: &[(String, String)]) -> Files {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).unwrap();
        for (url, html) in pages {
            index
                .add_html_file(None, Some(url.clone()), html.clone())
                .await
                .unwrap();
        }
        index
            .get_files()
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .collect()
    })
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    assert_eq!(&out[..12], b"pagefind_dcd", "signature");
    out.split_off(12)
}

fn cbor_file(files: &Files, name: &str) -> Value {
    let bytes = files
        .get(name)
        .unwrap_or_else(|| panic!("{name} is missing"));
    cbor::decode(&gunzip(bytes)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (page, locs, meta_locs) with absolute page numbers.
type Postings = Vec<(i64, Vec<i64>, Vec<i64>)>;

fn postings(v: &Value) -> Postings {
    let mut page = 0;
    v.array()
        .iter()
        .map(|p| {
            let p = p.array();
            page += p[0].int();
            let ints = |v: &Value| v.array().iter().map(Value::int).collect();
            (page, ints(&p[1]), ints(&p[2]))
        })
        .collect()
}

/// `[text, [int…]]` (a filter value and its pages, a sort and its order).
fn text_and_ints(v: &Value) -> (String, Vec<i64>) {
    let v = v.array();
    (
        v[0].text().to_string(),
        v[1].array().iter().map(Value::int).collect(),
    )
}

/// Everything the browser reads, decoded, with file names replaced by what they hold.
#[derive(Debug, PartialEq)]
struct Decoded {
    language: String,
    page_count: i64,
    has_wasm: bool,
    version: String,
    /// (word count, fragment JSON) per page.
    pages: Vec<(i64, Json)>,
    /// (from, to) of each chunk.
    chunks: Vec<(String, String)>,
    /// The words each chunk holds.
    chunk_words: Vec<Vec<String>>,
    words: BTreeMap<String, (Postings, Vec<(String, Postings)>)>,
    filters: BTreeMap<String, Vec<(String, Vec<i64>)>>,
    sorts: Vec<(String, Vec<i64>)>,
    meta_fields: Vec<String>,
}

fn decode(files: &Files) -> Vec<Decoded> {
    let entry: Json = serde_json::from_slice(&files["pagefind-entry.json"]).unwrap();
    assert_eq!(entry["version"], "1.6.0");
    let mut out = Vec::new();
    for (language, l) in entry["languages"].as_object().unwrap() {
        let meta = cbor_file(
            files,
            &format!("pagefind.{}.pf_meta", l["hash"].as_str().unwrap()),
        );
        let m = meta.array();
        let pages = m[1]
            .array()
            .iter()
            .map(|p| {
                let p = p.array();
                assert_eq!(p[2].text(), "", "no fragment groups");
                let name = format!("fragment/{}.pf_fragment", p[0].text());
                let json: Json = serde_json::from_slice(&gunzip(&files[&name])).unwrap();
                (p[1].int(), json)
            })
            .collect();
        let mut chunks = Vec::new();
        let mut chunk_words = Vec::new();
        let mut words = BTreeMap::new();
        for c in m[2].array() {
            let c = c.array();
            chunks.push((c[0].text().to_string(), c[1].text().to_string()));
            let index = cbor_file(files, &format!("index/{}.pf_index", c[2].text()));
            chunk_words.push(Vec::new());
            for w in index.array()[0].array() {
                let w = w.array();
                chunk_words
                    .last_mut()
                    .unwrap()
                    .push(w[0].text().to_string());
                let variants = w[2]
                    .array()
                    .iter()
                    .map(|v| (v.array()[0].text().to_string(), postings(&v.array()[1])))
                    .collect();
                words.insert(w[0].text().to_string(), (postings(&w[1]), variants));
            }
        }
        let mut filters = BTreeMap::new();
        for f in m[3].array() {
            let f = f.array();
            let file = cbor_file(files, &format!("filter/{}.pf_filter", f[1].text()));
            assert_eq!(file.array()[0].text(), f[0].text());
            let values = file.array()[1].array().iter().map(text_and_ints).collect();
            filters.insert(f[0].text().to_string(), values);
        }
        let sorts = m[4].array().iter().map(text_and_ints).collect();
        let meta_fields = m[5].array().iter().map(|f| f.text().to_string()).collect();
        let wasm = format!("wasm.{language}.pagefind");
        assert_eq!(
            !l["wasm"].is_null(),
            files.contains_key(&wasm),
            "entry names the WebAssembly exactly when it is there"
        );
        out.push(Decoded {
            language: language.clone(),
            page_count: l["page_count"].as_i64().unwrap(),
            has_wasm: files.contains_key(&wasm),
            version: m[0].text().to_string(),
            pages,
            chunks,
            chunk_words,
            words,
            filters,
            sorts,
            meta_fields,
        });
    }
    out
}

/// A common word's postings: every page still listed, with its metadata positions, and no
/// locations.
fn without_locations(p: &Postings) -> Postings {
    p.iter()
        .map(|(page, _, meta)| (*page, vec![], meta.clone()))
        .collect()
}

/// Chunks start where Pagefind's start (unless a common word's cut postings moved them), and
/// their ranges leave no gaps: every word of the pages, as a reader types it, picks a chunk
/// the way Pagefind's browser code does (the first whose range holds it), and every indexed
/// word picks the chunk that holds it.
fn assert_chunk_ranges(a: &Decoded, b: &Decoded, cut_any: bool) {
    let from = |d: &Decoded| d.chunks.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
    if !cut_any {
        assert_eq!(from(a), from(b), "{}: chunk starts", a.language);
    }
    let pick = |w: &str| {
        a.chunks
            .iter()
            .position(|(f, t)| f.as_str() <= w && w <= t.as_str())
    };
    for (i, words) in a.chunk_words.iter().enumerate() {
        for w in words {
            assert_eq!(pick(w), Some(i), "{}: the chunk of {w:?}", a.language);
        }
    }
    let first = a.chunks.first().map_or("", |c| c.0.as_str());
    for (_, json) in &a.pages {
        let content = json["content"].as_str().unwrap_or("").to_lowercase();
        for typed in content.split(|c: char| !c.is_alphanumeric()) {
            if typed >= first {
                assert!(
                    pick(typed).is_some(),
                    "{}: {typed:?} picks no chunk",
                    a.language
                );
            }
        }
    }
}

/// Compare piece by piece, so a failure says what differs.
fn assert_same(pages: &[(String, String)]) -> Vec<Decoded> {
    let theirs = decode(&pagefinds(pages));
    let ours_files = ours(pages);
    let mine = decode(&ours_files);
    assert_eq!(mine.len(), theirs.len(), "languages");
    for (a, b) in mine.iter().zip(&theirs) {
        assert_eq!(a.language, b.language);
        assert_eq!(a.page_count, b.page_count, "{}: page count", a.language);
        assert_eq!(a.version, b.version);
        assert_eq!(a.has_wasm, b.has_wasm);
        for (i, (x, y)) in a.pages.iter().zip(&b.pages).enumerate() {
            assert_eq!(x, y, "{}: page {i}", a.language);
        }
        assert_eq!(a.pages.len(), b.pages.len());
        // A word on a quarter of the pages, and on COMMON_MIN_PAGES, keeps no locations, only
        // its pages and metadata positions (src/search/postings.rs); Pagefind's indexer keeps
        // them all.
        let common = COMMON_MIN_PAGES.max(a.pages.len().div_ceil(4));
        let cut_any = b.words.values().any(|(main, _)| main.len() >= common);
        for (w, x) in &a.words {
            let theirs = b.words.get(w).map(|(main, forms)| {
                let cut = |p: &Postings| {
                    if p.len() >= common {
                        without_locations(p)
                    } else {
                        p.clone()
                    }
                };
                (
                    cut(main),
                    forms.iter().map(|(f, p)| (f.clone(), cut(p))).collect(),
                )
            });
            assert_eq!(Some(x), theirs.as_ref(), "{}: word {w:?}", a.language);
        }
        for w in b.words.keys() {
            assert!(
                a.words.contains_key(w),
                "{}: word {w:?} missing",
                a.language
            );
        }
        assert_chunk_ranges(a, b, cut_any);
        assert_eq!(a.filters, b.filters, "{}: filters", a.language);
        assert_eq!(a.sorts, b.sorts, "{}: sorts", a.language);
        assert_eq!(
            a.meta_fields, b.meta_fields,
            "{}: metadata fields",
            a.language
        );
    }
    // The browser files are Pagefind's own.
    for name in [
        "pagefind.js",
        "pagefind-ui.js",
        "pagefind-worker.js",
        "wasm.unknown.pagefind",
    ] {
        assert!(ours_files.contains_key(name), "{name}");
    }
    mine
}

/// Every HTML page of a built site, with its URL.
fn html_pages(out: &std::path::Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().parent().unwrap().strip_prefix(out).unwrap();
            let url = format!("/{}/", rel.to_string_lossy()).replace("//", "/");
            (url, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn the_demo_site_indexes_as_pagefind_indexes_it() {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    support::run_in(
        std::path::Path::new(root),
        &["build", "--output", out.path().to_str().unwrap(), "--quiet"],
    )
    .ok();
    let pages = html_pages(out.path());
    assert!(pages.len() > 30, "the demo has pages");
    let decoded = assert_same(&pages);
    // What the comparison covered: briefs, author and term pages; filters; the Arabic and
    // French sections' own indexes (issue 27), the Arabic one holding Arabic words.
    let index = |lang: &str| decoded.iter().find(|d| d.language == lang).unwrap();
    assert_eq!(
        decoded
            .iter()
            .map(|d| d.language.as_str())
            .collect::<Vec<_>>(),
        ["ar", "en", "fr"]
    );
    let en = index("en");
    assert!(en.pages.len() > 20);
    assert!(en.filters.contains_key("author") && en.filters.contains_key("topic"));
    assert!(
        index("ar")
            .words
            .keys()
            .any(|w| w.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)))
    );
    // Heading permalinks ("#"), footnote numbers and footnote back-links are not indexed, so
    // excerpts read as prose ("Risks and trade-offs#" and "fell 2. ↩" before).
    let mut notes = 0;
    for (_, f) in &en.pages {
        let content = f["content"].as_str().unwrap();
        assert!(!content.contains('↩'), "a back-link in {}", f["url"]);
        assert!(
            content
                .split_whitespace()
                .all(|w| !w.trim_end_matches('.').ends_with('#')),
            "a heading permalink in {}",
            f["url"]
        );
        for a in f["anchors"].as_array().unwrap() {
            let id = a["id"].as_str().unwrap();
            assert!(
                !id.starts_with("fnref-"),
                "a footnote number in {}",
                f["url"]
            );
            notes += usize::from(id.starts_with("fn-"));
        }
    }
    assert!(notes > 0, "the demo's footnotes are indexed");
}

#[test]
fn edge_cases_index_as_pagefind_indexes_them() {
    let page = |lang: &str, body: &str| {
        format!(
            "<!doctype html><html{lang}><head><title>Page &amp; title</title>\
             <script>var x = '<p>not text</p>';</script></head><body>{body}</body></html>"
        )
    };
    let pages: Vec<(String, String)> = vec![
        (
            "/a/".into(),
            page(
                " lang=\"en\"",
                "<nav>Skip the menu</nav><main data-pagefind-body>\
                 <h1 id=\"top\" data-pagefind-meta=\"title\">Café crème &amp; cross-border «trade»</h1>\
                 <p class=\"dek\" data-pagefind-meta=\"dek\">Naïve résumé of U.S.-led e-commerce, v2.0 and sysconfig.is_python_build</p>\
                 <img src=\"/hero.jpg\" alt=\"A hero\">\
                 <section id=\"s1\" data-pagefind-title=\"Section one\"><h2>Résumé</h2><p>Body <em>text</em> with a <a href=\"#\">link</a>.<br>Next line</p></section>\
                 <div data-pagefind-ignore><span data-pagefind-filter=\"topic\">Trade</span> hidden words</div>\
                 <div data-pagefind-ignore=\"all\"><span data-pagefind-filter=\"topic\">Never</span></div>\
                 <p data-pagefind-weight=\"3\">Weighty <strong>words</strong> here</p>\
                 <p data-pagefind-weight=\"0\">Zero weight</p>\
                 <span data-pagefind-filter=\"topic, region:Middle East\">Energy</span>\
                 <span data-pagefind-filter=\"topic\">Energy</span>\
                 <span data-pagefind-sort=\"rank:10\"></span><span data-pagefind-sort=\"date:2024-05-01\"></span>\
                 <abbr title=\"International Monetary Fund\" data-pagefind-index-attrs=\"title\">IMF</abbr>\
                 <p>ThreeAntelopes 😀 ハンバーガー ____ 123-456 x</p>\
                 <footer>Footer text</footer></main>",
            ),
        ),
        (
            "/b/".into(),
            page(
                " lang=\"en\"",
                "<main data-pagefind-body><h1>Grain reserves</h1><p>Reserves fell; café prices rose.</p>\
                 <span data-pagefind-meta=\"image[data-src]\" data-src=\"/b.png\"></span>\
                 <span data-pagefind-sort=\"rank:9\"></span>\
                 <span data-pagefind-filter=\"topic\">Food</span></main>",
            ),
        ),
        (
            "/c/".into(),
            page(
                "",
                "<main data-pagefind-body><h1>No language</h1><p>Joins the main language.</p></main>",
            ),
        ),
        (
            "/d/".into(),
            page(
                " lang=\"en\"",
                "<p>No body marker: not indexed when others have one.</p>",
            ),
        ),
        (
            // Text that is read although the element around it is not indexed: a body inside
            // an ignored element, an anchor on a removed element with text in an inline
            // child, metadata and filters inside ignored and removed elements, the first h1
            // inside an ignored block; an attribute named in upper case.
            "/f/".into(),
            page(
                " lang=\"en\"",
                "<nav id=\"menu\"><a href=\"/\">Home</a> <span>Menu text</span></nav>\
                 <div data-pagefind-ignore><h1>Ignored heading</h1><p>skipped words</p>\
                 <aside data-pagefind-meta=\"note\">A <b>bold</b> note</aside>\
                 <div data-pagefind-body><h2 id=\"inner\">Inner heading</h2><p>Body inside ignored</p>\
                 <span data-pagefind-meta=\"pic[DATA-SRC]\" data-src=\"/f.png\"></span></div>\
                 <p>after the body</p></div>\
                 <footer><span data-pagefind-filter=\"topic\">Footer topic</span> footer words</footer>\
                 <section data-pagefind-body><p>Second body</p></section>",
            ),
        ),
        (
            "/e/".into(),
            page(
                " lang=\"ar\"",
                "<main data-pagefind-body><h1>الأمن الغذائي</h1><p>احتياطيات الحبوب في المنطقة</p></main>",
            ),
        ),
    ];
    let decoded = assert_same(&pages);
    assert_eq!(decoded.len(), 2, "ar and en");
    // The fixture reaches the corners it is meant to.
    let en = decoded.iter().find(|d| d.language == "en").unwrap();
    assert_eq!(
        en.pages.len(),
        4,
        "a, b, c (no lang) and f; not d (no body marker)"
    );
    assert!(
        en.words.values().any(|(_, variants)| !variants.is_empty()),
        "diacritic forms"
    );
    assert!(
        en.words
            .values()
            .any(|(p, _)| p.iter().any(|x| !x.2.is_empty())),
        "metadata positions"
    );
    assert!(
        en.words
            .values()
            .any(|(p, _)| p.iter().any(|x| x.1.contains(&-73))),
        "weight 3"
    );
    assert_eq!(en.sorts.len(), 2, "rank (numeric) and date");
    assert_eq!(
        en.filters["topic"].len(),
        4,
        "Energy, Food, Trade, and Footer topic (inside a removed element)"
    );
    assert!(en.pages[0].1["anchors"].as_array().unwrap().len() >= 2);
}

/// A site past COMMON_MIN_PAGES: "reserves" is on every page (several times, in a heading on
/// some), "grain" on under half of them; "reserves" keeps every page and no locations,
/// "grain" keeps all of its; the comparison with Pagefind checks the rest, metadata
/// positions included (what it saves in bytes is measured in bench/RESULTS.md).
#[test]
fn common_words_keep_their_pages_without_locations() {
    let n = COMMON_MIN_PAGES + 100;
    let pages: Vec<(String, String)> = (0..n)
        .map(|i| {
            let heading = if i % 3 == 0 {
                "Grain reserves"
            } else {
                "Harvest notes"
            };
            let grain = if i % 5 == 0 { "grain" } else { "rice" };
            // Positions that vary from page to page, as in prose.
            let (before, between) = ("stock ".repeat(i % 11), "the ".repeat(i % 7));
            let html = format!(
                "<html lang=\"en\"><body><main data-pagefind-body><h1>Note {i}</h1>\
                 <h2>{heading}</h2><p>The {before}reserves of {grain} rose; {between}reserves \
                 fell at port {i}, and reserves held in silo {}.</p></main></body></html>",
                i % 97
            );
            (format!("/briefs/{i}/"), html)
        })
        .collect();
    let en = assert_same(&pages).remove(0);
    let (reserves, _) = &en.words["reserv"];
    assert_eq!(reserves.len(), n, "every page is still listed");
    for (page, locs, _) in reserves {
        assert_eq!(locs, &Vec::<i64>::new(), "page {page}: no locations");
    }
    let (grain, _) = &en.words["grain"];
    let on = (0..n).filter(|i| i % 3 == 0 || i % 5 == 0).count();
    assert!(on < n / 2);
    assert_eq!(grain.len(), on);
    assert!(
        grain.iter().any(|(_, locs, _)| locs.len() > 2),
        "all of grain's positions"
    );
}

#[test]
fn a_site_without_search_pages_gets_an_empty_index() {
    let files = ours(&[]);
    let entry: Json = serde_json::from_slice(&files["pagefind-entry.json"]).unwrap();
    assert!(entry["languages"].as_object().unwrap().is_empty());
    assert!(
        files.contains_key("pagefind.js"),
        "the search library is still there"
    );
}

/// The comparison on any built site, for changes to the indexer:
/// `DOSSIER_COMPARE_SITE=public cargo test --release --test it search_index:: -- --ignored`
/// (a 1,000-brief corpus from `bench/run` takes a few seconds in release).
#[test]
#[ignore = "needs DOSSIER_COMPARE_SITE, a built site's output folder"]
fn a_built_site_indexes_as_pagefind_indexes_it() {
    let dir = std::env::var("DOSSIER_COMPARE_SITE").expect("DOSSIER_COMPARE_SITE is set");
    let pages: Vec<(String, String)> = html_pages(std::path::Path::new(&dir))
        .into_iter()
        .filter(|(url, _)| {
            url.starts_with("/briefs/")
                || (url.matches('/').count() == 3
                    && ["/authors/", "/topics/", "/regions/"]
                        .iter()
                        .any(|p| url.starts_with(p)))
        })
        .collect();
    assert!(!pages.is_empty(), "{dir} has briefs");
    let decoded = assert_same(&pages);
    eprintln!(
        "{} pages, {} words: the same",
        decoded.iter().map(|d| d.pages.len()).sum::<usize>(),
        decoded.iter().map(|d| d.words.len()).sum::<usize>()
    );
}
