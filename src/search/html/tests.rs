use super::*;

fn page(body: &str) -> Parsed {
    parse(&format!(
        "<html lang=\"EN\"><head><title>T</title></head><body>{body}</body></html>"
    ))
}

#[test]
fn body_ignore_weights_and_sentences() {
    let p = page(
        "<nav>Menu</nav><main data-pagefind-body><h1>Grain</h1><p>Reserves matter</p>\
         <aside data-pagefind-ignore>Skip <span data-pagefind-filter=\"topic\">Food</span></aside>\
         <p data-pagefind-weight=\"2\">Heavy words</p></main><footer>Foot</footer>",
    );
    assert_eq!(
        p.digest(),
        "___PAGEFIND_AUTO_WEIGHT___7 Grain. ___END_PAGEFIND_WEIGHT___ Reserves matter. \
         ___PAGEFIND_WEIGHT___2 Heavy words. ___END_PAGEFIND_WEIGHT___"
    );
    assert!(p.has_custom_body);
    assert_eq!(p.filters["topic"], vec!["Food"]);
    assert_eq!(p.meta["title"], "Grain");
    assert_eq!(p.language, "en");
}

#[test]
fn attribute_names_in_any_case() {
    let lower = "<main data-pagefind-body><h2 id=\"a\" data-pagefind-title=\"T\">Grain</h2>\
         <p data-pagefind-weight=\"3\" data-pagefind-filter=\"topic:Food\">Heavy</p>\
         <span data-pagefind-ignore>Skip</span><i data-pagefind-meta=\"m\" \
         data-pagefind-sort=\"s:1\" data-pagefind-default-meta=\"d:x\">Meta</i>\
         <b data-pagefind-index-attrs=\"title\" title=\"Attr\"></b></main>";
    let upper = lower
        .replace("data-pagefind-", "DATA-PageFind-")
        .replace(" id=", " ID=")
        .replace("-title=", "-TITLE=");
    assert_ne!(lower, upper);
    let (a, b) = (page(lower), page(&upper));
    assert_eq!(a, b);
    assert!(a.has_custom_body && a.anchors[0].title.as_deref() == Some("T"));
    assert!(a.digest().contains("___PAGEFIND_WEIGHT___3 Heavy.") && !a.digest().contains("Skip"));
    assert_eq!(
        (a.filters["topic"][0].as_str(), a.sort["s"].as_str()),
        ("Food", "1")
    );
    assert_eq!((a.meta["m"].as_str(), a.meta["d"].as_str()), ("Meta", "x"));
    assert!(a.digest().contains("Attr."));
}

#[test]
fn meta_forms_and_entities() {
    let p = page(
        "<div data-pagefind-meta=\"dek:US &amp; EU, a\"></div>\
         <img src=\"/x.png\" alt=\"A\" data-pagefind-meta=\"pic[src]\">\
         <h1 id=\"top\">Title &amp; more</h1><img src=\"/hero.jpg\" alt=\"Hero\">",
    );
    assert_eq!(p.meta["dek"], "US & EU, a");
    assert_eq!(p.meta["pic"], "/x.png");
    assert_eq!(p.meta["title"], "Title & more");
    assert_eq!(p.meta["image"], "/hero.jpg");
    assert_eq!(p.meta["image_alt"], "Hero");
    assert!(p.digest().contains("___PAGEFIND_ANCHOR___h1:0:top"));
    assert_eq!(p.anchor("0:top").unwrap().text, "Title &amp; more");
    assert!(p.anchor("00:top").is_none() && p.anchor("0:other").is_none());
    assert!(!p.has_custom_body);
}

#[test]
fn excluded_subtrees_keep_nothing() {
    let p = page(
        "<div data-pagefind-ignore=\"all\"><span data-pagefind-filter=\"x\">y</span>z</div><p>kept</p>",
    );
    assert!(p.filters.is_empty());
    assert_eq!(p.digest(), "kept.");
}

#[test]
fn only_language_tags_name_the_index() {
    let lang =
        |l: &str| parse(&format!("<html lang=\"{l}\"><body><p>x</p></body></html>")).language;
    assert_eq!(lang("pt-BR"), "pt-br");
    assert_eq!(lang("../../etc/x"), "unknown");
    assert_eq!(lang("en/../x"), "unknown");
    assert_eq!(lang(""), "unknown");
}

#[test]
fn content_normalisation() {
    assert_eq!(
        normalize_content("\n  Hello  Wor\n ld? \n \n"),
        "Hello Wor ld?"
    );
    assert_eq!(normalize_content("a\n\nb"), "a b");
    assert_eq!(
        normalize_content("a\rb\tc\u{a0}d\r\ne  f"),
        "a\rb\tc\u{a0}d e f"
    );
    assert_eq!(
        strip_markers("x ___PAGEFIND_ANCHOR___h1:0:a y").as_deref(),
        Some("x y")
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
    #[test]
    fn words_are_those_of_the_normalised_text(parts in proptest::collection::vec(
        proptest::sample::select(vec![
            "a", "B", " ", "\n", "\t", "\r\n", "\u{a0}", "\u{2003}", "é", "&", ";", "#", "amp",
            "#32", "#x41", "&amp;", "&nbsp;", "&#10;", "&#x2003;", "&lt;", "&#0;", "&#",
            // Longer runs, for the eight-bytes-at-a-time scan, and bytes next to its
            // thresholds (control characters and `!` around the space, DEL).
            "reserves", "international", "\x01", "\x1f", "!", "~", "\x7f",
        ]),
        0..32,
    )) {
        let text = parts.concat();
        let mut words = Vec::new();
        for_each_word(&text, |w| words.push(w.to_string()));
        let expected: Vec<String> =
            normalize_content(&text).split_whitespace().map(str::to_string).collect();
        proptest::prop_assert_eq!(words, expected);
    }

    #[test]
    fn normalising_ascii_as_before(parts in proptest::collection::vec(
        proptest::sample::select(vec!["a", " ", "  ", "\n", "\t", "\r", "\x0b", "\x0c", "&amp;", "x"]),
        0..16,
    )) {
        // The ASCII fast path against the general one (the same text with one non-ASCII
        // character after it, removed again).
        let text = parts.concat();
        let general = normalize_content(&format!("{text}é"));
        let general = general.strip_suffix('é').unwrap_or(&general).trim_end_matches(char::is_whitespace);
        proptest::prop_assert_eq!(normalize_content(&text), general);
    }
}

#[test]
fn element_kinds_are_the_lists() {
    let names = "a abbr acronym b bdo big br button cite code dfn em i img input kbd label map \
                 object output q samp script select small span strong sub sup textarea time tt \
                 var head style noscript form svg footer nav iframe template area base col \
                 embed hr link meta param source track wbr h1 h2 h3 h4 h5 h6 p td div ul li \
                 article section main html body title aside figure x";
    for t in names.split_whitespace() {
        let k = Kind::of(t);
        assert_eq!(k.void(), is_void(t), "{t}");
        assert_eq!(k.inline(), is_inline(t), "{t}");
        assert_eq!(k.removed(), is_removed(t), "{t}");
        assert_eq!(k.sentence(), is_sentence(t), "{t}");
        let level = t
            .strip_prefix('h')
            .and_then(|n| n.parse::<u16>().ok())
            .unwrap_or(0);
        assert_eq!(k.heading(), level, "{t}");
    }
}
