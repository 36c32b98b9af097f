//! `[languages]`: where a site's other languages live (issue 27).
//!
//! A brief whose `language` is not the site's belongs to that language's *section*: its page
//! moves under the section's path (`/ar/briefs/<slug>/`), and the section has its own front
//! page and listing (`/ar/`), term pages (`/ar/topics/water/`), feeds (`/ar/feed.xml`,
//! `/ar/feed.json`) and search page (`/ar/search/`, which queries that language's index only),
//! all in the language's words and direction. Languages are compared by their primary subtag,
//! so `en-GB` briefs on an `en` site stay in the main site; a section is named by the tag in
//! lower case (`pt-br/`).
//!
//! ```toml
//! [languages]
//! sections = true        # false: every brief stays at its collection's path, no sections
//! path = "{lang}/"       # e.g. "intl/{lang}/"
//! ```

use serde::Deserialize;

/// `[languages]` as written and as used.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Languages {
    /// Give every language other than the site's its own section (default true).
    #[serde(default = "yes")]
    pub sections: bool,
    /// A section's path inside the site, `{lang}` standing for the language tag in lower case
    /// (default "{lang}/").
    #[serde(default = "default_path")]
    pub path: String,
}

fn yes() -> bool {
    true
}

fn default_path() -> String {
    "{lang}/".into()
}

impl Default for Languages {
    fn default() -> Self {
        Languages {
            sections: true,
            path: default_path(),
        }
    }
}

impl Languages {
    /// What is wrong with the settings, with the key to point at.
    pub fn problems(&self) -> Vec<(String, &'static str)> {
        let p = &self.path;
        let segments_ok = p
            .trim_end_matches('/')
            .split('/')
            .all(|s| s == "{lang}" || (!s.is_empty() && crate::slug::slugify(s) == s));
        if p.matches("{lang}").count() != 1 || !p.ends_with('/') || !segments_ok {
            return vec![(
                format!(
                    "`path` must be a folder path naming the language once, such as \"{{lang}}/\" or \"intl/{{lang}}/\", not {p:?}"
                ),
                "path",
            )];
        }
        Vec::new()
    }

    /// The section a document in `language` belongs to on a site written in `site_language`:
    /// its tag in lower case, or None for the site's own language (or with sections off).
    pub fn section_of(&self, site_language: &str, language: Option<&str>) -> Option<String> {
        let lang = language?.trim();
        if !self.sections || lang.is_empty() || primary(lang) == primary(site_language) {
            return None;
        }
        Some(lang.to_ascii_lowercase())
    }

    /// A section's path: "ar/".
    pub fn section_path(&self, section: &str) -> String {
        self.path.replace("{lang}", section)
    }
}

impl super::Config {
    /// The language section of a document written in `language` (see [`Languages::section_of`]).
    pub fn section_of(&self, language: Option<&str>) -> Option<String> {
        self.languages.section_of(&self.language, language)
    }
}

/// A tag's language subtag, in lower case: "pt-BR" → "pt".
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_by_primary_subtag() {
        let l = Languages::default();
        assert_eq!(l.section_of("en", Some("ar")), Some("ar".into()));
        assert_eq!(l.section_of("en", Some("pt-BR")), Some("pt-br".into()));
        assert_eq!(l.section_of("en", Some("en-GB")), None);
        assert_eq!(l.section_of("ar", Some("AR")), None);
        assert_eq!(l.section_of("en", None), None);
        let off = Languages {
            sections: false,
            ..Languages::default()
        };
        assert_eq!(off.section_of("en", Some("ar")), None);
        assert_eq!(l.section_path("ar"), "ar/");
    }

    #[test]
    fn path_must_name_the_language_once() {
        for bad in [
            "",
            "ar/",
            "{lang}",
            "/{lang}/",
            "{lang}/{lang}/",
            "x y/{lang}/",
            "../{lang}/",
        ] {
            let l = Languages {
                path: bad.into(),
                ..Languages::default()
            };
            assert_eq!(l.problems().len(), 1, "{bad:?}");
        }
        let l = Languages {
            path: "intl/{lang}/".into(),
            ..Languages::default()
        };
        assert!(l.problems().is_empty());
        assert_eq!(l.section_path("fr"), "intl/fr/");
    }
}
