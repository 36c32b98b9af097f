//! The people and terms of an export as profiles (`content/authors/<slug>.md`,
//! `content/topics/<slug>.md`), and the front matter every imported file starts with.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{Doc, convert, json, plain, wxr};
use crate::slug::slugify;

/// Front matter being written: every value a JSON string, which YAML reads as written.
#[derive(Default)]
pub(super) struct Front(String);

impl Front {
    pub(super) fn text(&mut self, key: &str, value: &str) {
        self.0.push_str(&format!("{key}: {}\n", json(value)));
    }
    pub(super) fn raw(&mut self, key: &str, value: &str) {
        self.0.push_str(&format!("{key}: {value}\n"));
    }
    pub(super) fn list(&mut self, key: &str, values: &[String]) {
        let items: Vec<String> = values.iter().map(|v| json(v)).collect();
        self.0.push_str(&format!("{key}: [{}]\n", items.join(", ")));
    }
    pub(super) fn map_of_lists(&mut self, key: &str, map: &BTreeMap<&str, Vec<String>>) {
        self.0.push_str(&format!("{key}:\n"));
        for (k, v) in map {
            let items: Vec<String> = v.iter().map(|x| json(x)).collect();
            self.0.push_str(&format!("  {k}: [{}]\n", items.join(", ")));
        }
    }
    pub(super) fn finish(self) -> String {
        format!("---\n{}---\n", self.0)
    }
}

/// The people of an export: users by login, Co-Authors Plus guest authors by their term slug.
pub(super) struct People<'a> {
    users: &'a BTreeMap<String, wxr::User>,
    /// cap-slug → (display name, bio).
    guests: BTreeMap<String, (String, String)>,
}

impl<'a> People<'a> {
    pub(super) fn new(export: &'a wxr::Export) -> Self {
        let guests = export
            .items
            .iter()
            .filter(|i| i.post_type == "guest-author")
            .map(|i| {
                let name = i
                    .meta
                    .get("cap-display_name")
                    .cloned()
                    .unwrap_or_else(|| i.title.clone());
                let bio = i.meta.get("cap-description").cloned().unwrap_or_default();
                (i.slug.clone(), (name, bio))
            })
            .collect();
        People {
            users: &export.users,
            guests,
        }
    }

    /// An item's authors, as display names: Co-Authors Plus terms when it has them, else its
    /// creator.
    pub(super) fn of(&self, item: &wxr::Item) -> Vec<String> {
        let co: Vec<String> = item
            .categories
            .iter()
            .filter(|(tax, _, _)| tax == "author")
            .map(|(_, slug, name)| self.name_of_term(slug, name))
            .collect();
        if !co.is_empty() {
            return co;
        }
        self.users
            .get(&item.creator)
            .map(display)
            .or_else(|| (!item.creator.is_empty()).then(|| item.creator.clone()))
            .into_iter()
            .collect()
    }

    fn name_of_term(&self, slug: &str, name: &str) -> String {
        if let Some((n, _)) = self.guests.get(slug) {
            return n.clone();
        }
        let login = slug.strip_prefix("cap-").unwrap_or(slug);
        self.users
            .get(login)
            .map(display)
            .unwrap_or_else(|| name.to_string())
    }

    /// A profile per author used, with the guest author's bio when there is one.
    pub(super) fn profiles(&self, used: &BTreeSet<String>) -> Vec<Doc> {
        used.iter()
            .map(|name| {
                let bio = self
                    .guests
                    .values()
                    .find(|(n, _)| n == name)
                    .map(|(_, b)| convert::convert(b, name, &Default::default()).markdown)
                    .unwrap_or_default();
                let mut front = Front::default();
                front.text("name", name);
                Doc {
                    kind: "author",
                    from: format!("author {name:?}"),
                    path: PathBuf::from(format!("content/authors/{}.md", slugify(name))),
                    text: format!("{}{}", front.finish(), bio),
                    files: BTreeMap::new(),
                }
            })
            .collect()
    }
}

/// A user's name as shown: the display name, else first and last name, else the login.
fn display(u: &wxr::User) -> String {
    let name = if u.display_name.trim().is_empty() {
        format!("{} {}", u.first_name.trim(), u.last_name.trim())
    } else {
        u.display_name.replace('\u{a0}', " ")
    };
    let name = name.trim();
    if name.is_empty() {
        u.login.clone()
    } else {
        name.to_string()
    }
}

/// Profiles for terms with a description or a parent (`content/topics/water.md`).
pub(super) fn term_profiles(
    export: &wxr::Export,
    map: &BTreeMap<String, String>,
    used: &BTreeSet<(String, String)>,
) -> Vec<Doc> {
    export
        .terms
        .iter()
        .filter(|t| used.contains(&(t.taxonomy.clone(), t.slug.clone())))
        .filter(|t| !t.description.trim().is_empty() || !t.parent.is_empty())
        .filter_map(|t| {
            let ours = map.get(&t.taxonomy).filter(|o| *o != "none")?;
            let mut front = Front::default();
            front.text("name", &t.name);
            if !t.parent.is_empty() {
                front.text("parent", &slugify(&t.parent));
            }
            Some(Doc {
                kind: "term",
                from: format!("term {:?}", t.name),
                path: PathBuf::from(format!("content/{ours}/{}.md", slugify(&t.slug))),
                text: format!("{}{}\n", front.finish(), plain(&t.description)),
                files: BTreeMap::new(),
            })
        })
        .collect()
}
