//! The built-in names that follow the site's language: publication types ("Policy brief",
//! "ورقة سياسات"), the topics and regions taxonomies and the briefs collection. site.toml can
//! name each itself (`[[types]] title`, `[[taxonomies]] title`, `_index.md` title); what it
//! leaves unnamed is taken from the translation files ([`crate::i18n`]) once they load, so an
//! Arabic site's navigation, listings and citations say "أوراق السياسات", not "Policy briefs".

use super::Config;
use crate::i18n::Labels;

impl Config {
    /// Name what site.toml leaves unnamed in the words of `labels` (the site's language).
    pub fn localise(&mut self, labels: &Labels) {
        for t in self.types.iter_mut().filter(|t| !t.named_by_site) {
            let Some((title, plural)) = labels.type_names(&t.name) else {
                continue;
            };
            if t.label.is_some() {
                t.label = Some(title.to_string());
            }
            t.title = title.to_string();
            t.plural = plural.to_string();
        }
        for t in self.taxonomies.iter_mut().filter(|t| !t.named_by_site) {
            let Some((title, singular)) = t.built_in_keys() else {
                continue;
            };
            t.title = labels.get(title).to_string();
            t.singular = labels.get(singular).to_string();
        }
        self.briefs_title = labels.get("briefs").to_string();
    }

    /// A collection's title when its `_index.md` gives none: "Briefs" for the briefs, the plural
    /// of the publication type it is named after ("reports" → "Reports", "التقارير"), else its
    /// folder name, capitalised.
    pub fn collection_title(&self, name: &str) -> String {
        if name == crate::urls::BRIEFS_DIR {
            return self.briefs_title.clone();
        }
        let of_type = self
            .types
            .iter()
            .find(|t| name == t.name || name.strip_suffix('s') == Some(t.name.as_str()));
        match of_type {
            Some(t) => t.plural.clone(),
            None => super::capitalise_first(&name.replace('-', " ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Catalog;

    fn config(toml: &str) -> super::Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), toml).unwrap();
        super::Config::load(dir.path()).unwrap()
    }

    #[test]
    fn issue_27_unnamed_built_ins_follow_the_site_language() {
        let mut c = config(
            "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"ar\"\n\
             [[types]]\nname = \"report\"\ntitle = \"Study\"\nplural = \"Studies\"\n\
             [[taxonomies]]\nname = \"regions\"\ntitle = \"Places\"\nsingular = \"Place\"\n",
        );
        c.localise(&Catalog::built_in("ar").labels("ar"));
        let ty = |n: &str| c.types.iter().find(|t| t.name == n).unwrap();
        assert_eq!(ty("brief").plural, "أوراق السياسات");
        assert_eq!(ty("brief").label.as_deref(), Some("ورقة سياسات"));
        assert_eq!(ty("report").title, "Study", "named in site.toml, so kept");
        assert_eq!(c.taxonomies[0].title, "المواضيع");
        assert_eq!(c.taxonomies[1].title, "Places");
        assert_eq!(c.collection_title("briefs"), "الأوراق");
        assert_eq!(c.collection_title("events"), "الفعاليات");
        assert_eq!(c.collection_title("reports"), "Studies");
        assert_eq!(c.collection_title("field-notes"), "Field notes");
    }
}
