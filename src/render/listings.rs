//! The listing pages of issue 24, one small function each: a collection's listing and its
//! year archives, the publication types and their listings, the series and their landing
//! pages. Like `pages.rs`, each builds the views its template reads and names the template.

use tera::Value;

use super::fill::{collection_view, type_view};
use super::pages::{Page, PageCtx, sort_key};
use super::views::ListEntry;
use crate::site::{CollectionId, SeriesId, TypeId};
use crate::urls;

impl PageCtx<'_> {
    /// A collection's listing: `<name>_list.html`, else `section.html`.
    pub(super) fn collection(&self, path: &str, c: CollectionId, n: usize) -> Page {
        let site = self.site;
        let col = site.collection(c);
        let (title, desc) = self.section_text(&col.name, &col.title);
        let mut meta = self.meta(Some(title), path, desc, None);
        meta.feed_url = site.url(&urls::feed(&col.path));
        let mut ctx = self.base_context("section", meta);
        ctx.insert("paginator", &self.paginator_of(&col.items, &col.path, n));
        ctx.insert_value("section", self.section_value(&col.name));
        ctx.insert("collection", &collection_view(site, col, None));
        ctx.insert("title", title);
        Page {
            template: self.pick(&format!("{}_list.html", col.name), "section.html"),
            context: ctx,
        }
    }

    /// A year of a collection: the collection's listing template, with `archive` set to the
    /// year.
    pub(super) fn year(&self, path: &str, c: CollectionId, y: usize, n: usize) -> Page {
        let site = self.site;
        let col = site.collection(c);
        let year = &col.years[y];
        let title = format!("{}, {}", col.title, year.year);
        let desc = format!("{} published in {}.", col.title, year.year);
        let mut meta = self.meta(Some(&title), path, &desc, None);
        meta.feed_url = site.url(&urls::feed(&col.path));
        let mut ctx = self.base_context("archive", meta);
        ctx.insert("paginator", &self.paginator_of(&year.items, &year.path, n));
        ctx.insert_value("section", Value::none());
        ctx.insert("collection", &collection_view(site, col, Some(year.year)));
        ctx.insert("archive", &year.year);
        ctx.insert("title", &title);
        Page {
            template: self.pick(&format!("{}_list.html", col.name), "section.html"),
            context: ctx,
        }
    }

    /// The list of publication types that have items: `list.html` with `entries`.
    pub(super) fn types(&self, path: &str) -> Page {
        let site = self.site;
        let entries: Vec<ListEntry> = site
            .types
            .iter()
            .map(|t| ListEntry {
                name: type_view(site, &t.name).plural.to_string(),
                url: site.url(&t.path),
                count: t.items.len(),
                current: false,
            })
            .collect();
        self.list(path, "types", self.words.get("publication_types"), entries)
    }

    /// A publication type's listing: `section.html` with `type` set.
    pub(super) fn publication_type(&self, path: &str, t: TypeId, n: usize) -> Page {
        let site = self.site;
        let listing = site.type_listing(t);
        let view = type_view(site, &listing.name);
        let title = view.plural.to_string();
        let mut ctx = self.base_context("type", self.meta(Some(&title), path, "", None));
        ctx.insert(
            "paginator",
            &self.paginator_of(&listing.items, &listing.path, n),
        );
        ctx.insert_value("section", Value::none());
        ctx.insert("type", &view);
        ctx.insert("title", &title);
        Page {
            template: self.pick("type.html", "section.html"),
            context: ctx,
        }
    }

    /// The list of series: `list.html` with `entries` by name.
    pub(super) fn series_index(&self, path: &str) -> Page {
        let site = self.site;
        let mut entries: Vec<ListEntry> = site
            .series
            .iter()
            .map(|s| ListEntry {
                name: s.name.clone(),
                url: site.url(&s.path),
                count: s.items.len(),
                current: false,
            })
            .collect();
        entries.sort_by_cached_key(|e| sort_key(&e.name));
        self.list(
            path,
            "series-index",
            self.words.get("series_index"),
            entries,
        )
    }

    /// A series' landing page, in reading order: `series.html`, else `section.html`.
    pub(super) fn series(&self, path: &str, s: SeriesId, n: usize) -> Page {
        let site = self.site;
        let series = site.series(s);
        let title = series.name.as_str();
        let desc = self
            .words
            .fill("series_description", &[("name", &series.name)]);
        let mut ctx = self.base_context("series", self.meta(Some(title), path, &desc, None));
        ctx.insert(
            "paginator",
            &self.paginator_of(&series.items, &series.path, n),
        );
        ctx.insert_value("section", Value::none());
        ctx.insert("series", &series.name);
        ctx.insert("title", title);
        Page {
            template: self.pick("series.html", "section.html"),
            context: ctx,
        }
    }

    /// A page listing links with counts (`list.html`: `title`, `entries`).
    fn list(&self, path: &str, kind: &str, title: &str, entries: Vec<ListEntry>) -> Page {
        let mut ctx = self.base_context(kind, self.meta(Some(title), path, "", None));
        ctx.insert("title", title);
        ctx.insert("entries", &entries);
        Page {
            template: "list.html".into(),
            context: ctx,
        }
    }
}
