//! Publication types (issues 23, 24): what a piece is (a policy brief, a report, a working
//! paper, testimony, commentary, or a type the site declares), how it is named on cards and
//! pages, and what kind of work citations treat it as.
//!
//! The built-in types always exist; `[[types]]` in site.toml adds types or renames built-in
//! ones (a site that calls its briefs "Policy memos" keeps the `brief` name in front matter).

use serde::Deserialize;

use crate::slug::slugify;

/// How citations treat a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteAs {
    /// A report (APA's "[Policy brief]" description, BibTeX `@techreport`, RIS `RPRT`).
    Report,
    /// An article on the publisher's site (BibTeX `@article`, RIS `JOUR`).
    Article,
}

/// A publication type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// Front matter value and URL segment, e.g. "working-paper".
    pub name: String,
    /// Display name of one, e.g. "Working paper".
    pub title: String,
    /// Display name of several, e.g. "Working papers".
    pub plural: String,
    /// What citations treat it as.
    pub cite_as: CiteAs,
    /// The description APA puts in brackets after the title when there is no series
    /// ("[Policy brief]"); none for a plain report.
    pub label: Option<String>,
    /// Whether site.toml names it (`title` or `plural`); a built-in type otherwise takes its
    /// names from the site language's translation file (`type_<name>`, `type_<name>_plural`).
    pub named_by_site: bool,
}

/// `[[types]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawType {
    name: String,
    title: Option<String>,
    plural: Option<String>,
    cite_as: Option<String>,
    label: Option<String>,
}

fn builtin(name: &str, title: &str, plural: &str, cite_as: CiteAs, label: bool) -> TypeDef {
    TypeDef {
        name: name.into(),
        title: title.into(),
        plural: plural.into(),
        cite_as,
        label: label.then(|| title.to_string()),
        named_by_site: false,
    }
}

/// The types every site has, in this order.
pub fn builtins() -> Vec<TypeDef> {
    use CiteAs::*;
    vec![
        builtin("brief", "Policy brief", "Policy briefs", Report, true),
        builtin("report", "Report", "Reports", Report, false),
        builtin(
            "working-paper",
            "Working paper",
            "Working papers",
            Report,
            true,
        ),
        builtin("testimony", "Testimony", "Testimony", Report, true),
        builtin("commentary", "Commentary", "Commentary", Article, false),
        builtin("event", "Event", "Events", Article, false),
    ]
}

/// The built-in types with the site's `[[types]]` applied. Errors are messages for the
/// `types` key.
pub fn resolve(raw: Vec<RawType>) -> Result<Vec<TypeDef>, Vec<String>> {
    let mut types = builtins();
    let mut errors = Vec::new();
    for t in raw {
        if slugify(&t.name) != t.name {
            errors.push(format!(
                "type name `{}` must be a slug (lower-case letters, digits, hyphens)",
                t.name
            ));
            continue;
        }
        let cite_as = match t.cite_as.as_deref() {
            None => None,
            Some("report") => Some(CiteAs::Report),
            Some("article") => Some(CiteAs::Article),
            Some(other) => {
                errors.push(format!(
                    "`cite_as` of type `{}` must be \"report\" or \"article\", not {other:?}",
                    t.name
                ));
                continue;
            }
        };
        match types.iter_mut().find(|x| x.name == t.name) {
            Some(existing) => {
                existing.named_by_site |= t.title.is_some() || t.plural.is_some();
                if let Some(title) = t.title {
                    existing.title = title;
                }
                if let Some(p) = t.plural {
                    existing.plural = p;
                }
                if let Some(c) = cite_as {
                    existing.cite_as = c;
                }
                if let Some(l) = t.label {
                    existing.label = Some(l).filter(|l| !l.is_empty());
                }
            }
            None => {
                let title = t.title.unwrap_or_else(|| t.name.replace('-', " "));
                let title = crate::config::capitalise_first(&title);
                types.push(TypeDef {
                    plural: t.plural.unwrap_or_else(|| format!("{title}s")),
                    cite_as: cite_as.unwrap_or(CiteAs::Report),
                    label: Some(t.label.unwrap_or_else(|| title.clone())).filter(|l| !l.is_empty()),
                    title,
                    name: t.name,
                    named_by_site: true,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(types)
    } else {
        Err(errors)
    }
}
