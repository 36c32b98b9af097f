//! Images (issue 26): responsive variants decoded and measured, srcset URLs followed, EXIF
//! removed, share cards, the cache across builds, template functions, and bad images reported
//! where they are used.

use std::io::Cursor;
use std::path::Path;

use crate::support::{TestSite, metas, sel};

const TOML: &str = "title = \"Test Institute\"\nbase_url = \"https://test.example/\"\n\n[images]\nwidths = [200, 400]\n";

/// A photograph-like JPEG (gradients and grain) of `w`×`h`.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let g = ((x * 7 + y * 13) % 23) as u8;
        image::Rgb([(x * 255 / w) as u8 ^ g, (y * 255 / h) as u8, 120 + g])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// `jpeg` with an EXIF block: orientation 6 (turn 90° clockwise to display) and a GPS
/// latitude, as a phone writes them.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
    // IFD0: Orientation = 6, GPS IFD at offset 38.
    tiff.extend([2, 0]);
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    // GPS IFD: GPSLatitudeRef = "N".
    tiff.extend([1, 0]);
    tiff.extend([1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let len = (app1.len() + 2) as u16;
    let plain = jpeg(w, h);
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([0, (x % 256) as u8, 200, 255]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG whose header claims `w`×`h` (a decompression bomb: tiny file, huge image).
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut c = flate2::Crc::new();
        c.update(kind);
        c.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(c.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0, 0, 0, 0, 1]);
    chunk(b"IEND", &[]);
    out
}

fn brief(extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: Rivers and Ridges\ndate: 2026-05-18\nauthors: [Ana Lima]\n{extra}---\n{body}\n"
    )
}

/// Every URL of every `srcset` and `src` in `doc` under `scope`, as (url, width descriptor).
fn candidates(doc: &scraper::Html, scope: &str) -> Vec<(String, Option<u32>)> {
    let mut out = Vec::new();
    for el in doc.select(&sel(&format!("{scope} source, {scope} img"))) {
        if let Some(set) = el.value().attr("srcset") {
            for c in set.split(',') {
                let mut parts = c.split_whitespace();
                let url = parts.next().unwrap().to_string();
                let w = parts
                    .next()
                    .map(|d| d.trim_end_matches('w').parse().unwrap());
                out.push((url, w));
            }
        }
        if let Some(src) = el.value().attr("src") {
            out.push((src.to_string(), None));
        }
    }
    out
}

/// The output path (under public/) of the candidate of `width` px and `ext` in `scope`'s
/// srcsets on `page`.
fn variant(s: &TestSite, page: &str, scope: &str, width: u32, ext: &str) -> std::path::PathBuf {
    let doc = s.html(page);
    let found = candidates(&doc, scope)
        .into_iter()
        .find(|(u, w)| *w == Some(width) && u.ends_with(&format!(".{ext}")))
        .unwrap_or_else(|| panic!("no {width}w .{ext} candidate in {scope} on {page}"));
    s.path("public").join(found.0.trim_start_matches('/'))
}

fn decode(path: &Path) -> (image::ImageFormat, image::DynamicImage) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = image::guess_format(&bytes).unwrap();
    (format, image::load_from_memory(&bytes).unwrap())
}

#[test]
fn issue_26_hero_variants_decode_at_their_widths_without_exif() {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/rivers/index.md",
        &brief(
            "image: hero.jpg\nimage_alt: A river valley\nimage_credit: DVIDS\nimage_credit_url: https://example.org/dvids\n",
            "Text.",
        ),
    );
    // Stored 600×300 on its side: displayed 300×600 after EXIF orientation 6.
    s.write_bytes("content/briefs/rivers/hero.jpg", &jpeg_with_exif(600, 300));
    s.build(&[]).ok();
    let doc = s.html("briefs/rivers/index.html");
    let img = doc
        .select(&sel("figure.hero picture img"))
        .next()
        .expect("a <picture> hero");
    assert_eq!(img.value().attr("width"), Some("300"));
    assert_eq!(img.value().attr("height"), Some("600"));
    assert_eq!(img.value().attr("fetchpriority"), Some("high"));
    assert_eq!(img.value().attr("alt"), Some("A river valley"));
    let webp = doc
        .select(&sel("figure.hero picture source"))
        .next()
        .unwrap();
    assert_eq!(webp.value().attr("type"), Some("image/webp"));
    let all = candidates(&doc, "figure.hero");
    // 200 px in both formats, 300 px (its own width) in both, and the `src`.
    assert_eq!(all.len(), 5, "{all:?}");
    for (url, w) in &all {
        let path = s.path("public").join(url.trim_start_matches('/'));
        let (format, img) = decode(&path);
        let expect = if url.ends_with(".webp") {
            image::ImageFormat::WebP
        } else {
            image::ImageFormat::Jpeg
        };
        assert_eq!(format, expect, "{url}");
        if let Some(w) = w {
            assert_eq!(img.width(), *w, "{url}");
        }
        // Portrait, as displayed: every variant keeps the 1:2 shape.
        assert_eq!(img.height(), img.width() * 2, "{url}");
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(4).any(|b| b == b"Exif"),
            "{url} still carries EXIF"
        );
    }
    let widths: Vec<u32> = all.iter().filter_map(|(_, w)| *w).collect();
    assert!(widths.contains(&200) && widths.contains(&300) && !widths.contains(&400));
    // The credit is a labelled, linked credit.
    let credit = doc.select(&sel("figcaption .credit")).next().unwrap();
    let text: String = credit.text().collect();
    assert_eq!(text.trim(), "Image: DVIDS");
    let link = doc.select(&sel("figcaption .credit a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("https://example.org/dvids"));
}

#[test]
fn issue_26_markdown_images_become_lazy_pictures_and_pngs_stay_lossless() {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/chart/index.md",
        &brief("", "Before.\n\n![Water & power, 2020–2025](chart.png \"Source: ministry\")\n\n![Logo](/img/logo.png)\n"),
    );
    s.write_bytes("content/briefs/chart/chart.png", &png(500, 250));
    s.write_bytes("static/img/logo.png", &png(120, 40));
    s.build(&[]).ok();
    let doc = s.html("briefs/chart/index.html");
    let imgs: Vec<_> = doc.select(&sel(".brief-body picture img")).collect();
    assert_eq!(imgs.len(), 2);
    let chart = imgs[0].value();
    assert_eq!(chart.attr("alt"), Some("Water & power, 2020–2025"));
    assert_eq!(chart.attr("title"), Some("Source: ministry"));
    assert_eq!(chart.attr("loading"), Some("lazy"));
    assert_eq!(chart.attr("decoding"), Some("async"));
    assert_eq!(
        (chart.attr("width"), chart.attr("height")),
        (Some("500"), Some("250"))
    );
    assert_eq!(imgs[1].value().attr("src"), Some("/img/logo.png"));
    for (url, w) in candidates(&doc, ".brief-body") {
        let rel = if url.starts_with('/') {
            url.trim_start_matches('/').to_string()
        } else {
            format!("briefs/chart/{url}")
        };
        let path = s.path("public").join(&rel);
        let (_, img) = decode(&path);
        if let Some(w) = w {
            assert_eq!(img.width(), w, "{url}");
        }
        if url.ends_with(".webp") {
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(&bytes[12..16], b"VP8L", "{url} should be lossless WebP");
        }
    }
    let webp = variant(&s, "briefs/chart/index.html", ".brief-body", 400, "webp");
    assert!(
        webp.to_string_lossy().ends_with("-chart-400w.webp"),
        "{webp:?}"
    );
    let (_, full) = decode(&webp);
    assert_eq!(full.width(), 400);
    // Feeds carry the text away from the site: every srcset candidate is absolute there.
    let feed: serde_json::Value = serde_json::from_str(&s.read("feed.json")).unwrap();
    let html = feed["items"][0]["content_html"].as_str().unwrap();
    let doc = scraper::Html::parse_fragment(html);
    let sets = candidates(&doc, "picture");
    assert!(!sets.is_empty(), "{html}");
    for (url, _) in sets {
        assert!(url.starts_with("https://test.example/"), "{url} in {html}");
    }
}

#[test]
fn issue_26_share_cards_for_every_brief_and_square_portraits() {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/with-hero/index.md",
        &brief(
            "image: hero.jpg\nimage_alt: Valley\nimage_credit: Staff\nimage_focus: \"80% 20%\"\n",
            "Text.",
        ),
    );
    s.write_bytes("content/briefs/with-hero/hero.jpg", &jpeg(1600, 1000));
    s.write("content/briefs/no-hero.md", &brief("", "Text."));
    s.write(
        "content/authors/ana-lima.md",
        "---\nname: Ana Lima\nphoto: /people/ana.jpg\n---\nBio.\n",
    );
    s.write_bytes("static/people/ana.jpg", &jpeg(500, 800));
    s.build(&[]).ok();
    for (page, expect_png) in [
        ("briefs/with-hero/index.html", false),
        ("briefs/no-hero/index.html", true),
    ] {
        let doc = s.html(page);
        let og = metas(&doc, "og:image");
        assert_eq!(og.len(), 1, "{page}");
        let rel = og[0].strip_prefix("https://test.example/").unwrap();
        let (format, img) = decode(&s.path("public").join(rel));
        assert_eq!((img.width(), img.height()), (1200, 630), "{page}");
        assert_eq!(format == image::ImageFormat::Png, expect_png, "{page}");
        assert_eq!(metas(&doc, "og:image:width"), ["1200"]);
        assert_eq!(metas(&doc, "twitter:card"), ["summary_large_image"]);
    }
    let doc = s.html("authors/ana-lima/index.html");
    let og = metas(&doc, "og:image");
    let rel = og[0].strip_prefix("https://test.example/").unwrap();
    let (_, img) = decode(&s.path("public").join(rel));
    assert_eq!((img.width(), img.height()), (500, 500));
    assert_eq!(metas(&doc, "twitter:card"), ["summary"]);
}

#[test]
fn issue_26_second_build_encodes_nothing_and_keeps_image_files() {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/a/index.md",
        &brief("image: hero.jpg\nimage_alt: A\n", "Text."),
    );
    s.write_bytes("content/briefs/a/hero.jpg", &jpeg(900, 600));
    s.build(&[]).ok();
    let cache = |s: &TestSite| -> Vec<(String, std::time::SystemTime)> {
        walkdir::WalkDir::new(s.path(".dossier-cache"))
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .filter(|e| !e.path().ends_with("probe.tsv") && !e.path().ends_with("images-listing"))
            .map(|e| {
                (
                    e.path().display().to_string(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = cache(&s);
    assert!(before.len() >= 6, "{before:?}");
    let hero = variant(&s, "briefs/a/index.html", "figure.hero", 400, "webp");
    let hero_time = std::fs::metadata(&hero).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = s.build(&[]);
    run.ok();
    assert!(run.stdout.contains("0 files written"), "{}", run.stdout);
    assert_eq!(cache(&s), before, "nothing re-encoded");
    let again = std::fs::metadata(&hero).unwrap().modified().unwrap();
    assert_eq!(hero_time, again);
    // A new image is encoded under new names; the old entries stay in the cache, and the
    // output keeps only the files its pages use.
    s.write_bytes("content/briefs/a/hero.jpg", &jpeg(800, 600));
    s.build(&[]).ok();
    let (_, img) = decode(&s.path("public/briefs/a/hero.jpg"));
    assert_eq!(img.width(), 800);
    assert!(cache(&s).len() > before.len());
    let new = variant(&s, "briefs/a/index.html", "figure.hero", 400, "webp");
    assert_ne!(new, hero, "other bytes, another name");
    assert!(!hero.exists(), "the old variant is removed from the output");
    assert_eq!(decode(&new).1.width(), 400);
}

/// Every file under public/_img, relative to it, with its modification time.
fn variants_folder(s: &TestSite) -> Vec<(String, std::time::SystemTime)> {
    walkdir::WalkDir::new(s.path("public/_img"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(s.path("public/_img")).unwrap();
            let time = std::fs::symlink_metadata(e.path())
                .unwrap()
                .modified()
                .unwrap();
            (rel.display().to_string(), time)
        })
        .collect()
}

/// A site with two briefs, each a bundle with a JPEG hero (900 and 700 px wide), built once.
fn two_heroes_built() -> TestSite {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    for (slug, w) in [("a", 900), ("b", 700)] {
        s.write(
            &format!("content/briefs/{slug}/index.md"),
            &brief("image: hero.jpg\nimage_alt: A\n", "Text."),
        );
        s.write_bytes(&format!("content/briefs/{slug}/hero.jpg"), &jpeg(w, 600));
    }
    s.build(&[]).ok();
    s
}

#[test]
fn issue_26_the_variants_folder_is_carried_over_and_never_trusted_by_name() {
    let s = two_heroes_built();
    let first = variants_folder(&s);
    // Two heroes: 200/400 px and full width in WebP, 200/400 px JPEG, a share crop each.
    assert_eq!(first.len(), 12, "{first:?}");
    // A variant changed by hand and a link planted at a wanted name are replaced, not kept
    // (and the link's target is not touched).
    let a400 = variant(&s, "briefs/a/index.html", "figure.hero", 400, "webp");
    let b400 = variant(&s, "briefs/b/index.html", "figure.hero", 400, "jpg");
    std::fs::remove_file(&a400).unwrap();
    std::fs::write(&a400, b"not an image").unwrap();
    let outside = s.path("outside.txt");
    std::fs::write(&outside, b"keep me").unwrap();
    std::fs::remove_file(&b400).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, &b400).unwrap();
    s.build(&[]).ok();
    assert_eq!(decode(&a400).1.width(), 400);
    assert!(std::fs::symlink_metadata(&b400).unwrap().is_file());
    assert_eq!(decode(&b400).1.width(), 400);
    assert_eq!(std::fs::read(&outside).unwrap(), b"keep me");
    // Unchanged: carried over whole (the folder itself moves into the new output), every
    // file kept with its time.
    let kept = variants_folder(&s);
    let folder = || std::fs::metadata(s.path("public/_img")).unwrap();
    #[cfg(unix)]
    let id = std::os::unix::fs::MetadataExt::ino(&folder());
    let run = s.build(&[]);
    run.ok();
    assert!(run.stdout.contains("0 files written"), "{}", run.stdout);
    assert_eq!(variants_folder(&s), kept);
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::MetadataExt::ino(&folder()),
        id,
        "carried, not rebuilt"
    );
    // A brief removed: its variants leave the output, the other's stay as they were.
    std::fs::remove_dir_all(s.path("content/briefs/b")).unwrap();
    s.build(&[]).ok();
    let after = variants_folder(&s);
    assert_eq!(after.len(), 6, "{after:?}");
    assert!(after.iter().all(|f| kept.contains(f)));
    // The folder is dossier's: a site file there is refused, naming it.
    s.write("static/_img/notes.txt", "mine");
    s.build(&[])
        .failed()
        .says("_img/notes.txt")
        .says("processed images");
    assert_eq!(
        variants_folder(&s),
        after,
        "the failed build changed nothing"
    );
}

/// Date every folder under `dir` (not `dir` itself) a minute back, as if the last build was
/// long ago: folder listings are only remembered for folders that settled.
#[cfg(unix)]
fn settle(dir: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.unwrap();
        if e.file_type().is_dir() {
            let f = std::fs::File::open(e.path()).unwrap();
            f.set_modified(then).unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn issue_26_folder_listings_are_remembered_only_while_the_folders_are_unchanged() {
    let s = two_heroes_built();
    s.build(&[]).ok();
    settle(&s.path("public/_img"));
    settle(&s.path(".dossier-cache/images"));
    // This build lists both folders and remembers them; the next believes the memos.
    s.build(&[]).ok();
    let memo = std::fs::read_to_string(s.path("public/.dossier-variants")).unwrap();
    assert!(
        memo.lines().filter(|l| l.starts_with("=\t")).count() >= 10,
        "{memo}"
    );
    let listing = std::fs::read_to_string(s.path(".dossier-cache/images-listing")).unwrap();
    assert!(listing.lines().count() > 12, "{listing}");
    let kept = variants_folder(&s);
    let run = s.build(&[]);
    run.ok();
    assert!(run.stdout.contains("0 files written"), "{}", run.stdout);
    assert_eq!(variants_folder(&s), kept);
    // A variant replaced by hand changes its folder's time: listed again, and replaced.
    let a400 = variant(&s, "briefs/a/index.html", "figure.hero", 400, "webp");
    std::fs::remove_file(&a400).unwrap();
    std::fs::write(&a400, b"not an image").unwrap();
    s.build(&[]).ok();
    assert_eq!(decode(&a400).1.width(), 400);
    // A cache entry removed by hand: made again, and the output follows.
    settle(&s.path(".dossier-cache/images"));
    s.build(&[]).ok();
    let b400 = variant(&s, "briefs/b/index.html", "figure.hero", 400, "jpg");
    let ino = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&b400).unwrap());
    let entry = walkdir::WalkDir::new(s.path(".dossier-cache/images"))
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| walkdir::DirEntryExt::ino(e) == ino && e.file_type().is_file())
        .expect("the output's variant is a cache entry");
    std::fs::remove_file(entry.path()).unwrap();
    s.build(&[]).ok();
    assert_eq!(decode(&b400).1.width(), 400);
    assert!(entry.path().is_file(), "made again");
    let now = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&b400).unwrap());
    assert_eq!(
        now,
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(entry.path()).unwrap()),
        "the output holds the new entry"
    );
    // The memo is dossier's bookkeeping, not the site's: a folder deploy leaves it out.
    let target = s.path("www");
    let toml = format!("{TOML}\n[deploy.targets.www]\ntype = \"folder\"\npath = {target:?}\n");
    s.write("site.toml", &toml);
    settle(&s.path("public/_img"));
    s.build(&[]).ok();
    assert!(s.path("public/.dossier-variants").exists());
    s.run(&["deploy", "--target", "www", "--confirm", "--no-build"])
        .ok();
    assert!(target.join("_img").is_dir());
    assert!(!target.join(".dossier-variants").exists());
}

#[test]
fn issue_26_bad_images_are_errors_where_they_are_used() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "hero.jpg",
            jpeg(400, 300)[..600].to_vec(),
            "damaged or truncated",
        ),
        (
            "hero.jpg",
            {
                let j = jpeg(400, 300);
                j[..j.len() * 2 / 3].to_vec()
            },
            "damaged or truncated",
        ),
        (
            "hero.png",
            png_claiming(20_000, 20_000),
            "20000×20000 pixels",
        ),
        (
            "hero.png",
            b"GIF89a\x01\0\x01\0\0\0\0;".to_vec(),
            "holds a Gif image",
        ),
        (
            "hero.jpg",
            b"not an image at all".to_vec(),
            "not a JPG image",
        ),
    ];
    for (name, bytes, says) in cases {
        let s = TestSite::new(&[]);
        s.write("site.toml", TOML);
        s.write(
            "content/briefs/a/index.md",
            &brief(&format!("image: {name}\nimage_alt: A\n"), "Text."),
        );
        s.write(
            &format!("content/briefs/a/{name}"),
            if name.ends_with("png") { "png" } else { "jpeg" },
        );
        s.build(&[]).ok();
        let before = s.snapshot("public");
        s.write_bytes(&format!("content/briefs/a/{name}"), &bytes);
        s.build(&[])
            .failed()
            .says("content/briefs/a/index.md:5:")
            .says(says);
        assert!(
            before == s.snapshot("public"),
            "{name}: the previous output changed"
        );
    }
    // In Markdown, at the image's line.
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/b/index.md",
        &brief("", "One.\n\nTwo.\n\n![Chart](c.png)\n"),
    );
    s.write_bytes("content/briefs/b/c.png", &png_claiming(30_000, 20_000));
    s.build(&[])
        .failed()
        .says("content/briefs/b/index.md:10:")
        .says("megapixels");
    // Outside the site: not an image of the site, so a broken image, never read.
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/c/index.md",
        &brief("image: ../../../../outside.jpg\nimage_alt: A\n", "Text."),
    );
    s.build(&[]).failed().says("content/briefs/c/index.md");
}

#[test]
fn issue_26_templates_resize_and_crop_images() {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/a/index.md",
        &brief("image: hero.jpg\nimage_alt: A\n", "Text."),
    );
    s.write_bytes("content/briefs/a/hero.jpg", &jpeg(1000, 500));
    s.write(
        "templates/brief.html",
        "{% extends \"theme/brief.html\" %}{% block toc %}{% set t = resize_image(path=page.image, width=120, height=120, op=\"fill\", format=\"webp\") %}<img id=\"thumb\" src=\"{{ t.url }}\" width=\"{{ t.width }}\" height=\"{{ t.height }}\" alt=\"\">{% set f = resize_image(path=page.image, width=5000) %}<img id=\"fit\" src=\"{{ f.url }}\" width=\"{{ f.width }}\" alt=\"\">{% set set = image(path=page.image) %}<p id=\"set\">{{ set.srcset }}</p>{% endblock toc %}",
    );
    s.build(&[]).ok();
    let doc = s.html("briefs/a/index.html");
    let thumb = doc.select(&sel("#thumb")).next().unwrap();
    let url = thumb.value().attr("src").unwrap();
    let (format, img) = decode(&s.path("public").join(url.trim_start_matches('/')));
    assert_eq!(format, image::ImageFormat::WebP);
    assert_eq!((img.width(), img.height()), (120, 120));
    let fit = doc.select(&sel("#fit")).next().unwrap();
    assert_eq!(fit.value().attr("width"), Some("1000"), "never enlarged");
    let set: String = doc.select(&sel("#set")).next().unwrap().text().collect();
    assert!(set.contains("-hero-400w.jpg 400w"), "{set}");
    assert!(set.starts_with("/_img/"), "{set}");
    // An image the site does not have is an error naming the template.
    s.write(
        "templates/brief.html",
        "{% extends \"theme/brief.html\" %}{% block toc %}{% set t = resize_image(path=\"/nope.jpg\", width=10) %}{% endblock toc %}",
    );
    s.build(&[])
        .failed()
        .says("nope.jpg")
        .says("templates/brief.html");
}

#[test]
fn issue_26_check_warns_about_heroes_without_credit_and_settings_are_validated() {
    let s = TestSite::new(&[]);
    s.write("site.toml", TOML);
    s.write(
        "content/briefs/a/index.md",
        &brief("image: hero.jpg\nimage_alt: A\n", "Text."),
    );
    s.write_bytes("content/briefs/a/hero.jpg", &jpeg(300, 200));
    let run = s.run(&["check"]);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("no `image_credit`"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    s.write("site.toml", &TOML.replace("[200, 400]", "[0, 400]"));
    s.build(&[]).failed().says("site.toml:5").says("`widths`");
    // Processing off: the image is copied as it is and shown as a plain <img>.
    s.write("site.toml", TOML);
    s.build(&[]).ok();
    assert!(s.path("public/_img").exists());
    // Processing turned off: the variants folder goes with the previous output.
    s.write("site.toml", &format!("{TOML}process = false\n"));
    s.build(&[]).ok();
    assert_eq!(
        std::fs::read(s.path("public/briefs/a/hero.jpg")).unwrap(),
        std::fs::read(s.path("content/briefs/a/hero.jpg")).unwrap()
    );
    let doc = s.html("briefs/a/index.html");
    assert!(doc.select(&sel("figure.hero picture")).next().is_none());
    assert!(!s.path("public/_img").exists());
}
