//! A WordPress export (WXR 1.1/1.2, what Tools → Export writes), read with a real XML parser
//! (roxmltree) into plain values: the site, its users, its terms and its items (posts, pages,
//! attachments, Co-Authors Plus guest authors). Nothing here decides what becomes of them.

use std::collections::BTreeMap;

/// The namespaces WXR uses. The version in the `wp` URI varies (1.0–1.2), so elements are
/// matched by the namespace's stem.
const WP: &str = "http://wordpress.org/export/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const EXCERPT: &str = "http://wordpress.org/export/1.";
const DC: &str = "http://purl.org/dc/elements/1.1/";

/// A whole export.
#[derive(Debug, Default)]
pub struct Export {
    /// `<link>` of the channel: the old site's address.
    pub site_url: String,
    /// `wp:wxr_version`.
    pub version: String,
    /// Users by login.
    pub users: BTreeMap<String, User>,
    /// Category, tag and custom-taxonomy terms, with their taxonomy.
    pub terms: Vec<WpTerm>,
    /// Every `<item>`, in file order.
    pub items: Vec<Item>,
}

/// A WordPress user (`wp:author`).
#[derive(Debug, Default, Clone)]
pub struct User {
    /// Login.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// First and last name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}

/// A term (`wp:category`, `wp:tag`, `wp:term`).
#[derive(Debug, Default, Clone)]
pub struct WpTerm {
    /// Taxonomy: `category`, `post_tag`, or a custom one (`region`).
    pub taxonomy: String,
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Parent's slug.
    pub parent: String,
    /// Description.
    pub description: String,
}

/// An `<item>`.
#[derive(Debug, Default, Clone)]
pub struct Item {
    /// Line of the `<item>` in the export, for messages.
    pub line: u32,
    /// `wp:post_id`.
    pub id: String,
    /// Title.
    pub title: String,
    /// `<link>`: the old permalink.
    pub link: String,
    /// `dc:creator`: the author's login.
    pub creator: String,
    /// `content:encoded`: the body as HTML.
    pub content: String,
    /// `excerpt:encoded`.
    pub excerpt: String,
    /// `wp:post_date_gmt` ("2024-05-06 10:00:00"; "0000-00-00 00:00:00" for drafts).
    pub date_gmt: String,
    /// `wp:post_date` in the old site's zone.
    pub date_local: String,
    /// `wp:post_name`.
    pub slug: String,
    /// `wp:status`: publish, draft, pending, future, private, trash, inherit.
    pub status: String,
    /// `wp:post_type`: post, page, attachment, guest-author, …
    pub post_type: String,
    /// `wp:post_parent`.
    pub parent: String,
    /// `wp:attachment_url`, for attachments.
    pub attachment_url: String,
    /// `<category domain=… nicename=…>name</category>`: (taxonomy, slug, name).
    pub categories: Vec<(String, String, String)>,
    /// `wp:postmeta`: key → value.
    pub meta: BTreeMap<String, String>,
}

/// Read an export. An error is the XML parser's, with its line and column.
pub fn parse(text: &str) -> Result<Export, (u32, u32, String)> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let p = e.pos();
        (p.row, p.col, e.to_string())
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "rss" {
        return Err((
            1,
            1,
            format!(
                "not a WordPress export: the root element is <{}>, not <rss>",
                root.tag_name().name()
            ),
        ));
    }
    let Some(channel) = child(root, None, "channel") else {
        return Err((1, 1, "not a WordPress export: no <channel>".into()));
    };
    let mut out = Export {
        site_url: text_of(channel, None, "link"),
        version: text_of(channel, Some(WP), "wxr_version"),
        ..Default::default()
    };
    if out.version.is_empty() {
        return Err((
            1,
            1,
            "not a WordPress export: no <wp:wxr_version> (export from Tools → Export)".into(),
        ));
    }
    for n in channel.children().filter(roxmltree::Node::is_element) {
        let ns = n.tag_name().namespace().unwrap_or("");
        match (ns.starts_with(WP), n.tag_name().name()) {
            (true, "author") => {
                let u = User {
                    login: text_of(n, Some(WP), "author_login"),
                    display_name: text_of(n, Some(WP), "author_display_name"),
                    first_name: text_of(n, Some(WP), "author_first_name"),
                    last_name: text_of(n, Some(WP), "author_last_name"),
                };
                out.users.insert(u.login.clone(), u);
            }
            (true, "category") => out.terms.push(WpTerm {
                taxonomy: "category".into(),
                slug: text_of(n, Some(WP), "category_nicename"),
                name: text_of(n, Some(WP), "cat_name"),
                parent: text_of(n, Some(WP), "category_parent"),
                description: text_of(n, Some(WP), "category_description"),
            }),
            (true, "tag") => out.terms.push(WpTerm {
                taxonomy: "post_tag".into(),
                slug: text_of(n, Some(WP), "tag_slug"),
                name: text_of(n, Some(WP), "tag_name"),
                parent: String::new(),
                description: text_of(n, Some(WP), "tag_description"),
            }),
            (true, "term") => out.terms.push(WpTerm {
                taxonomy: text_of(n, Some(WP), "term_taxonomy"),
                slug: text_of(n, Some(WP), "term_slug"),
                name: text_of(n, Some(WP), "term_name"),
                parent: text_of(n, Some(WP), "term_parent"),
                description: text_of(n, Some(WP), "term_description"),
            }),
            (false, "item") => out.items.push(item(&doc, n)),
            _ => {}
        }
    }
    Ok(out)
}

fn item(doc: &roxmltree::Document<'_>, n: roxmltree::Node<'_, '_>) -> Item {
    let mut it = Item {
        line: doc.text_pos_at(n.range().start).row,
        id: text_of(n, Some(WP), "post_id"),
        title: text_of(n, None, "title"),
        link: text_of(n, None, "link"),
        creator: text_of(n, Some(DC), "creator"),
        content: text_of(n, Some(CONTENT), "encoded"),
        excerpt: n
            .children()
            .find(|c| {
                c.tag_name().name() == "encoded"
                    && c.tag_name()
                        .namespace()
                        .is_some_and(|ns| ns.starts_with(EXCERPT) && ns.ends_with("/excerpt/"))
            })
            .map(|c| all_text(c))
            .unwrap_or_default(),
        date_gmt: text_of(n, Some(WP), "post_date_gmt"),
        date_local: text_of(n, Some(WP), "post_date"),
        slug: text_of(n, Some(WP), "post_name"),
        status: text_of(n, Some(WP), "status"),
        post_type: text_of(n, Some(WP), "post_type"),
        parent: text_of(n, Some(WP), "post_parent"),
        attachment_url: text_of(n, Some(WP), "attachment_url"),
        ..Default::default()
    };
    for c in n.children().filter(roxmltree::Node::is_element) {
        let ns = c.tag_name().namespace().unwrap_or("");
        match (c.tag_name().name(), ns) {
            ("category", "") => it.categories.push((
                c.attribute("domain").unwrap_or("category").to_string(),
                c.attribute("nicename").unwrap_or("").to_string(),
                all_text(c).trim().to_string(),
            )),
            ("postmeta", ns) if ns.starts_with(WP) => {
                let key = text_of(c, Some(WP), "meta_key");
                let value = text_of(c, Some(WP), "meta_value");
                it.meta.insert(key, value);
            }
            _ => {}
        }
    }
    it
}

/// The first child element named `name` in a namespace starting with `ns` (none: no namespace).
fn child<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    ns: Option<&str>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| {
        c.is_element()
            && c.tag_name().name() == name
            && match (ns, c.tag_name().namespace()) {
                (None, None) => true,
                (Some(want), Some(got)) => got.starts_with(want),
                _ => false,
            }
    })
}

/// The text of a child element (CDATA included), trimmed of surrounding space only for
/// single-line values.
fn text_of(n: roxmltree::Node<'_, '_>, ns: Option<&str>, name: &str) -> String {
    child(n, ns, name)
        .map(all_text)
        .map(|t| {
            if t.contains('\n') {
                t
            } else {
                t.trim().to_string()
            }
        })
        .unwrap_or_default()
}

fn all_text(n: roxmltree::Node<'_, '_>) -> String {
    n.children().filter_map(|c| c.text()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_export_is_read() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old</title><link>https://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[jdoe]]></wp:author_login><wp:author_display_name><![CDATA[Jane Doe]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>energy</wp:category_nicename><wp:cat_name><![CDATA[Energy]]></wp:cat_name></wp:category>
<item>
<title>Hello</title><link>https://old.example.org/2024/05/hello/</link>
<dc:creator><![CDATA[jdoe]]></dc:creator>
<content:encoded><![CDATA[<p>Body & more</p>]]></content:encoded>
<excerpt:encoded><![CDATA[Short.]]></excerpt:encoded>
<wp:post_id>12</wp:post_id><wp:post_name><![CDATA[hello]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="energy"><![CDATA[Energy]]></category>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[40]]></wp:meta_value></wp:postmeta>
</item>
</channel></rss>"#;
        let e = parse(xml).unwrap();
        assert_eq!(e.users["jdoe"].display_name, "Jane Doe");
        assert_eq!(e.terms[0].name, "Energy");
        let it = &e.items[0];
        assert_eq!(
            (it.id.as_str(), it.slug.as_str(), it.excerpt.as_str()),
            ("12", "hello", "Short.")
        );
        assert_eq!(it.content, "<p>Body & more</p>");
        assert_eq!(
            it.categories,
            [("category".into(), "energy".into(), "Energy".into())]
        );
        assert_eq!(it.meta["_thumbnail_id"], "40");
        assert_eq!(it.line, 8);
        let err = parse("<rss><channel><item></channel></rss>").unwrap_err();
        assert_eq!(err.0, 1);
    }
}
