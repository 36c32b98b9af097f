//! `[home]` and `[feeds]`: what the front page features and what feeds carry (issue 24).
//!
//! `[home]` names content, types and a taxonomy; whether those exist is checked when the site
//! is assembled (the content is not known here), with the position of the key in site.toml.

use serde::Deserialize;

/// `[home]` as written and as used: every key optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    /// Items featured at the top of the home page, in order: content paths
    /// ("briefs/grid-storage.md", "reports/annual-2025/index.md") or item URLs
    /// ("/reports/annual-2025/"). Items with `featured: true` follow, newest first.
    #[serde(default)]
    pub featured: Vec<String>,
    /// How many featured items the home page shows (default 1).
    #[serde(default = "one")]
    pub featured_count: usize,
    /// Publication types given a "Latest" row each, in order (default: every type that has
    /// items, in the order of the type list).
    pub latest_types: Option<Vec<String>>,
    /// Items per "Latest" row (default 3).
    #[serde(default = "three")]
    pub latest_count: usize,
    /// The taxonomy whose terms make the strip under the latest work (default "programmes"
    /// when the site declares it, else none); "" for none.
    pub strip: Option<String>,
}

impl Default for Home {
    fn default() -> Self {
        Home {
            featured: Vec::new(),
            featured_count: one(),
            latest_types: None,
            latest_count: three(),
            strip: None,
        }
    }
}

/// `[feeds]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// Entries carry the whole text (`<content type="html">`, `content_html`) besides the
    /// summary (default true).
    #[serde(default = "yes")]
    pub full_content: bool,
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds { full_content: true }
    }
}

fn one() -> usize {
    1
}

fn three() -> usize {
    3
}

fn yes() -> bool {
    true
}
