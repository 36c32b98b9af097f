//! A WordPress post's HTML as dossier Markdown: paragraphs restored where the classic editor
//! stored bare lines, Gutenberg block comments dropped, `[caption]`, `[embed]`, `[youtube]`,
//! `[vimeo]` and `[gallery]` shortcodes, embed blocks and YouTube, Vimeo, Datawrapper and
//! Flourish frames made into dossier components (`figure`, `video`, `chart`), footnotes from
//! the common plugins (`[efn_note]`, `[mfn]`, `[footnote]`, `((…))`) made into Markdown
//! footnotes, and links to `wp-content/uploads/` pointed at the copies in the brief's bundle.
//! The HTML-to-Markdown step itself is htmd's. What cannot be converted (an unknown shortcode,
//! a frame from another site, a form, a script) is kept as written and listed.
//!
//! Components and footnote markers pass through htmd as plain-letter tokens and are put back
//! after it, so its escaping never touches them.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::embeds::{component_for, host};

/// What converting one post gave.
#[derive(Debug, Default)]
pub struct Converted {
    /// The Markdown body.
    pub markdown: String,
    /// Upload paths the body links to (relative to `wp-content/uploads/`), each with the file
    /// name it has in the bundle.
    pub uploads: BTreeMap<String, String>,
    /// What was kept as written, for the report: "shortcode [foo]", "<iframe> from x.org".
    pub kept: Vec<String>,
}

/// Attachments by id, for `[gallery]`: (upload path, alt text, caption).
pub type Attachments = BTreeMap<String, (String, String, String)>;

/// Convert a post body titled `title` (the accessible name of embeds without their own);
/// `attachments` are the export's images, for `[gallery]`.
pub fn convert(html: &str, title: &str, attachments: &Attachments) -> Converted {
    let mut c = Ctx {
        tokens: Vec::new(),
        notes: Vec::new(),
        out: Converted::default(),
    };
    let html = autop(html);
    let html = c.embed_blocks(&html);
    let html = GUTENBERG.replace_all(&html, "").into_owned();
    let html = c.shortcodes(&html, title, attachments);
    let html = c.double_paren_notes(&html);
    let html = c.frames(&html, title);
    let html = c.uploads(&html);
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "noscript"])
        .options(htmd::options::Options {
            br_style: htmd::options::BrStyle::Backslash,
            code_block_style: htmd::options::CodeBlockStyle::Fenced,
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Default::default()
        })
        .build();
    let mut md = converter.convert(&html).unwrap_or_else(|_| html.clone());
    for (i, text) in c.tokens.iter().enumerate().rev() {
        md = md.replace(&token(i), text);
    }
    if !c.notes.is_empty() {
        md.push_str("\n\n");
        for (i, note) in c.notes.iter().enumerate() {
            md.push_str(&format!("[^{}]: {}\n", i + 1, note));
        }
    }
    c.out.markdown = tidy(&md);
    c.out
}

/// Conversion state: the tokens put in the HTML, the footnotes found.
struct Ctx {
    tokens: Vec<String>,
    notes: Vec<String>,
    out: Converted,
}

fn token(i: usize) -> String {
    format!("DOSSIERTOKEN{i}X")
}

static GUTENBERG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<!--\s*/?wp:[^>]*?-->\n?").expect("a regex"));
static EMBED_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<figure class="wp-block-embed[^"]*"[^>]*>\s*<div class="wp-block-embed__wrapper">\s*(\S+?)\s*</div>(?:\s*<figcaption[^>]*>(.*?)</figcaption>)?\s*</figure>"#).expect("a regex")
});
static TWEET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)<blockquote class="(?:twitter-tweet|bluesky-embed)[^"]*"[^>]*>(.*?)</blockquote>"#,
    )
    .expect("a regex")
});
static IFRAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)<iframe\b([^>]*)>.*?</iframe>"#).expect("a regex"));
static FLOURISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<div class="flourish-embed[^"]*"[^>]*data-src="visualisation/(\d+)"[^>]*>.*?</div>"#).expect("a regex")
});
static KEPT_TAGS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    ["object", "video", "audio", "form", "svg"]
        .into_iter()
        .map(|t| {
            (
                t,
                Regex::new(&format!(r"(?is)<{t}\b.*?</{t}>")).expect("a regex"),
            )
        })
        .collect()
});
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>\]]+))"#).expect("a regex")
});
static UPLOAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:https?:)?//[^\s"'<>()]+?/wp-content/uploads/([^\s"'<>()?#]+)"#)
        .expect("a regex")
});
static IMG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)<img\b[^>]*>"#).expect("a regex"));

impl Ctx {
    /// A component or other Markdown to put back after htmd, as a block of its own.
    fn block(&mut self, markdown: String) -> String {
        self.tokens.push(markdown);
        format!("\n<p>{}</p>\n", token(self.tokens.len() - 1))
    }

    /// A footnote reference, inline.
    fn note(&mut self, text: &str) -> String {
        let text = strip_tags(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.notes.push(text);
        self.tokens.push(format!("[^{}]", self.notes.len()));
        token(self.tokens.len() - 1)
    }

    /// Gutenberg embed blocks (`wp-block-embed`): the URL inside, as a component.
    fn embed_blocks(&mut self, html: &str) -> String {
        EMBED_BLOCK
            .replace_all(html, |c: &regex::Captures<'_>| {
                let title = c.get(2).map_or(String::new(), |m| strip_tags(m.as_str()));
                self.url_embed(&c[1], &title)
            })
            .into_owned()
    }

    /// A URL that WordPress would embed: a component, or a link when dossier has none for it.
    fn url_embed(&mut self, url: &str, title: &str) -> String {
        let title = if title.trim().is_empty() {
            "Embedded content"
        } else {
            title.trim()
        };
        match component_for(url, title) {
            Some(md) => self.block(md),
            None => {
                self.out
                    .kept
                    .push(format!("embed of {} (a link now)", host(url)));
                format!("\n<p><a href=\"{url}\">{url}</a></p>\n")
            }
        }
    }

    /// WordPress shortcodes.
    fn shortcodes(&mut self, html: &str, title: &str, attachments: &Attachments) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(start) = rest.find('[') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let Some(end) = after.find(']') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let tag = &after[..end];
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if name.is_empty() || tag.starts_with('/') || tag.starts_with('^') {
                out.push('[');
                rest = after;
                continue;
            }
            let attrs = &tag[name.len()..];
            let closing = format!("[/{name}]");
            let body_start = start + 1 + end + 1;
            let (inner, consumed) = match rest[body_start..].find(&closing) {
                Some(j) if enclosing(&name) => (
                    Some(&rest[body_start..body_start + j]),
                    body_start + j + closing.len(),
                ),
                _ => (None, body_start),
            };
            match self.shortcode(&name, attrs, inner, title, attachments) {
                Some(replacement) => {
                    out.push_str(&replacement);
                    rest = &rest[consumed..];
                }
                None => {
                    if known_shortcode_shape(&name, attrs) {
                        self.out
                            .kept
                            .push(format!("shortcode [{name}] (kept as written)"));
                    }
                    out.push('[');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn shortcode(
        &mut self,
        name: &str,
        attrs: &str,
        inner: Option<&str>,
        title: &str,
        attachments: &Attachments,
    ) -> Option<String> {
        let a = parse_attrs(attrs);
        match name {
            "caption" | "wp_caption" => {
                let inner = inner?;
                let img = IMG.find(inner)?;
                let ia = parse_attrs(img.as_str());
                let caption = strip_tags(&IMG.replace(inner, "")).trim().to_string();
                let caption = if caption.is_empty() {
                    a.get("caption").cloned().unwrap_or_default()
                } else {
                    caption
                };
                let src = ia.get("src").cloned().unwrap_or_default();
                let alt = ia.get("alt").cloned().unwrap_or_default();
                Some(self.figure(&src, &alt, &caption))
            }
            "embed" => {
                let url = inner?.trim().to_string();
                Some(self.url_embed(&url, title))
            }
            "youtube" | "vimeo" => {
                let arg = a
                    .get("0")
                    .or_else(|| a.get("id"))
                    .or_else(|| a.get("url"))
                    .cloned()
                    .unwrap_or_default();
                let url = if arg.contains('/') || arg.contains("youtube") || arg.contains("vimeo") {
                    arg
                } else if name == "vimeo" {
                    format!("https://vimeo.com/{arg}")
                } else {
                    format!("https://www.youtube.com/watch?v={arg}")
                };
                Some(self.url_embed(&url, title))
            }
            "gallery" => {
                let ids = a.get("ids")?;
                let mut md = String::new();
                for id in ids.split(',').map(str::trim) {
                    match attachments.get(id) {
                        Some((path, alt, caption)) => {
                            let name = self.upload_path(path);
                            md.push_str(&self.figure(&name, alt, caption));
                        }
                        None => self.out.kept.push(format!(
                            "[gallery] image {id}: no such attachment in the export"
                        )),
                    }
                }
                Some(md)
            }
            "efn_note" | "mfn" | "footnote" | "ref" => Some(self.note(inner?)),
            _ => None,
        }
    }

    /// A `figure` component for an image (its upload copied into the bundle).
    fn figure(&mut self, src: &str, alt: &str, caption: &str) -> String {
        let src = self.upload_name(src).unwrap_or_else(|| src.to_string());
        let mut md = format!("{{{{ figure(src={}, alt={}", quote(&src), quote(alt));
        if !caption.is_empty() {
            md.push_str(&format!(", caption={}", quote(caption)));
        }
        md.push_str(") }}");
        self.block(md)
    }

    /// The "footnotes" plugin's `((note))`.
    fn double_paren_notes(&mut self, html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find("((") {
            let Some(j) = rest[i + 2..].find("))") else {
                break;
            };
            out.push_str(&rest[..i]);
            let text = rest[i + 2..i + 2 + j].to_string();
            out.push_str(&self.note(&text));
            rest = &rest[i + 2 + j + 2..];
        }
        out.push_str(rest);
        out
    }

    /// Frames and other embedded elements: known players become components; the rest stays.
    fn frames(&mut self, html: &str, title: &str) -> String {
        let html = TWEET
            .replace_all(html, |c: &regex::Captures<'_>| self.social(&c[1]))
            .into_owned();
        let html = FLOURISH
            .replace_all(&html, |c: &regex::Captures<'_>| {
                self.block(format!(
                    "{{{{ chart(provider=\"flourish\", id={}, title={}) }}}}",
                    quote(&c[1]),
                    quote(title)
                ))
            })
            .into_owned();
        let html = IFRAME
            .replace_all(&html, |c: &regex::Captures<'_>| {
                let a = parse_attrs(&c[1]);
                let src = a.get("src").cloned().unwrap_or_default();
                let frame_title = a.get("title").cloned().unwrap_or_else(|| title.to_string());
                match component_for(&src, &frame_title) {
                    Some(md) => self.block(md),
                    None => {
                        self.out
                            .kept
                            .push(format!("<iframe> from {} (kept as HTML)", host(&src)));
                        self.block(c[0].to_string())
                    }
                }
            })
            .into_owned();
        let mut html = html;
        for (tag, re) in KEPT_TAGS.iter() {
            html = re
                .replace_all(&html, |c: &regex::Captures<'_>| {
                    self.out.kept.push(format!("<{tag}> (kept as HTML)"));
                    self.block(c[0].to_string())
                })
                .into_owned();
        }
        html
    }

    /// A pasted post (X's or Bluesky's embed code) as a `social` component: its text, author
    /// and address, without the platform's script.
    fn social(&mut self, inner: &str) -> String {
        static P: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?is)<p[^>]*>(.*?)</p>").expect("a regex"));
        static LINK: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?is)href="([^"]+/(?:status|post)/[^"]+)""#).expect("a regex")
        });
        let Some(url) = LINK.captures_iter(inner).last().map(|c| c[1].to_string()) else {
            self.out
                .kept
                .push("a pasted social media post without its address (kept as a quote)".into());
            return inner.to_string();
        };
        let text = P
            .captures(inner)
            .map(|c| strip_tags(&c[1]))
            .unwrap_or_default();
        let after = strip_tags(&P.replace(inner, ""));
        let author = after
            .trim()
            .trim_start_matches(['—', '-', ' '])
            .split(" (")
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let mut md = format!("{{{{ social(url={}, text={}", quote(&url), quote(&text));
        if !author.is_empty() && author.len() < 80 {
            md.push_str(&format!(", author={}", quote(&author)));
        }
        md.push_str(") }}");
        self.block(md)
    }

    /// Links and images into `wp-content/uploads/`, pointed at the bundle's copies.
    fn uploads(&mut self, html: &str) -> String {
        UPLOAD
            .replace_all(html, |c: &regex::Captures<'_>| {
                self.upload_name(&c[0]).unwrap_or_else(|| c[0].to_string())
            })
            .into_owned()
    }

    /// The bundle file name of an upload URL (recorded for copying), if it is one.
    fn upload_name(&mut self, url: &str) -> Option<String> {
        let path = UPLOAD.captures(url)?.get(1)?.as_str().to_string();
        Some(self.upload_path(&path))
    }

    /// The bundle file name of an upload path under `wp-content/uploads/`, recorded.
    fn upload_path(&mut self, path: &str) -> String {
        let name = bundle_name(path, &self.out.uploads);
        self.out.uploads.insert(path.to_string(), name.clone());
        name
    }
}

/// The file name an upload gets in a bundle: its own, or with its folders when two uploads
/// share a name ("2023-04-chart.png").
fn bundle_name(path: &str, taken: &BTreeMap<String, String>) -> String {
    if let Some(n) = taken.get(path) {
        return n.clone();
    }
    let base = path.rsplit('/').next().unwrap_or(path).to_string();
    if taken.values().any(|n| *n == base) {
        path.replace('/', "-")
    } else {
        base
    }
}

/// Shortcodes that wrap content (`[caption]…[/caption]`).
fn enclosing(name: &str) -> bool {
    matches!(
        name,
        "caption" | "wp_caption" | "embed" | "efn_note" | "mfn" | "footnote" | "ref"
    )
}

/// True for text that looks like a shortcode someone meant (not "[1]" or "[sic]").
fn known_shortcode_shape(name: &str, attrs: &str) -> bool {
    name.chars().any(|c| c.is_ascii_alphabetic())
        && (attrs.contains('=') || name.contains('_') || name.contains('-') || name.len() > 3)
}

/// A string argument for a component: double-quoted, with `"` and `\` escaped.
pub(super) fn quote(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Attributes of a tag or shortcode; a bare value is "0", "1", ….
fn parse_attrs(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for c in ATTR.captures_iter(s) {
        let v = c
            .get(2)
            .or(c.get(3))
            .or(c.get(4))
            .map_or("", |m| m.as_str());
        out.insert(
            c[1].to_ascii_lowercase(),
            html_escape::decode_html_entities(v).into_owned(),
        );
    }
    let bare = ATTR.replace_all(s, "");
    for (i, w) in bare
        .split_whitespace()
        .filter(|w| !w.starts_with('<') && !w.starts_with('/'))
        .enumerate()
    {
        out.entry(i.to_string())
            .or_insert_with(|| w.trim_matches(['"', '\'']).to_string());
    }
    out
}

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("a regex"));

/// Text without its tags, entities decoded.
fn strip_tags(s: &str) -> String {
    html_escape::decode_html_entities(&TAG.replace_all(s, "")).into_owned()
}

/// Text without tags or entities, on one line (each tag a word break).
pub(super) fn plain(html: &str) -> String {
    let t = html_escape::decode_html_entities(&TAG.replace_all(html, " ")).into_owned();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// WordPress's classic editor stores paragraphs as blank-line-separated text and adds `<p>`
/// when it shows them (`wpautop`); do the same for bodies that are not the block editor's,
/// leaving chunks that already start with a block tag as they are.
fn autop(html: &str) -> String {
    // Block-editor content carries its own markup; the classic editor's always gets paragraphs.
    if html.contains("<!-- wp:") {
        return html.to_string();
    }
    const BLOCK: &[&str] = &[
        "<p>",
        "<p ",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<blockquote",
        "<table",
        "<figure",
        "<div",
        "<pre",
        "<hr",
        "[caption",
        "[gallery",
        "[embed",
        "<iframe",
    ];
    html.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            if BLOCK.iter().any(|b| p.starts_with(b)) {
                p.to_string()
            } else if is_bare_url(p) {
                format!("[embed]{p}[/embed]")
            } else {
                format!("<p>{}</p>", p.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A paragraph that is only a URL: WordPress embeds it.
fn is_bare_url(p: &str) -> bool {
    (p.starts_with("https://") || p.starts_with("http://")) && !p.contains(char::is_whitespace)
}

/// Collapse runs of blank lines and trim.
fn tidy(md: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in md.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_embeds_and_footnotes_become_dossier_markdown() {
        let html = "<!-- wp:paragraph -->\n<p>Rivers matter.[efn_note]Since 2019.[/efn_note] More ((A plain note.)).</p>\n<!-- /wp:paragraph -->\n\n[caption id=\"a1\" width=\"300\"]<img src=\"https://old.example.org/wp-content/uploads/2024/05/dam-300x200.jpg\" alt=\"A dam\"> The Mosul dam.[/caption]\n\n<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=abc_123\"} -->\n<figure class=\"wp-block-embed is-type-video\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc_123\n</div><figcaption>Launch event</figcaption></figure>\n<!-- /wp:embed -->\n\n<p><iframe title=\"Flows\" src=\"https://datawrapper.dwcdn.net/Ab1Cd/2/\" height=\"400\"></iframe></p>\n\n<p>[unknown_widget foo=\"bar\"]</p>";
        let c = convert(html, "Post", &Attachments::new());
        let md = &c.markdown;
        assert!(md.contains("Rivers matter.[^1] More [^2]."), "{md}");
        assert!(md.contains("[^1]: Since 2019."), "{md}");
        assert!(md.contains("[^2]: A plain note."), "{md}");
        assert!(
            md.contains(
                "{{ figure(src=\"dam-300x200.jpg\", alt=\"A dam\", caption=\"The Mosul dam.\") }}"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "{{ video(provider=\"youtube\", id=\"abc_123\", title=\"Launch event\") }}"
            ),
            "{md}"
        );
        assert!(
            md.contains("{{ chart(provider=\"datawrapper\", id=\"Ab1Cd\", title=\"Flows\") }}"),
            "{md}"
        );
        assert!(!md.contains("wp:") && !md.contains("DOSSIERTOKEN"), "{md}");
        assert_eq!(
            c.uploads.get("2024/05/dam-300x200.jpg").map(String::as_str),
            Some("dam-300x200.jpg")
        );
        assert!(
            c.kept.iter().any(|k| k.contains("[unknown_widget]")),
            "{:?}",
            c.kept
        );
    }

    #[test]
    fn classic_bodies_get_paragraphs_and_bare_urls_embed() {
        let c = convert(
            "First line\nsecond line.\n\nhttps://youtu.be/XyZ\n\nLast.",
            "T",
            &Attachments::new(),
        );
        assert!(c.markdown.starts_with("First line"), "{}", c.markdown);
        assert!(
            c.markdown
                .contains("{{ video(provider=\"youtube\", id=\"XyZ\", title=\"T\") }}"),
            "{}",
            c.markdown
        );
        assert!(c.markdown.trim_end().ends_with("Last."), "{}", c.markdown);
    }
}
