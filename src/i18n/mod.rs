//! The theme's words in every language: translation files, plural forms and locale formats
//! (issue 27).
//!
//! Interface strings come from TOML files named by language tag, `i18n/<lang>.toml`: the
//! built-in theme's (en, ar, fr, fa, es, tr, de, compiled in), then a theme folder's, then the
//! site's own, each overriding the one before key by key, so a site can correct one word or add
//! a language. A language missing a key takes it from the site's language, then from English, so
//! a partial translation still renders. Keys are the ones in [`TEXT_KEYS`] (one string each) and
//! [`PLURAL_KEYS`] (a table of CLDR plural forms: `one`, `few`, … and `other`, with `{n}` for the
//! number); anything else is an error at its line and column.
//!
//! [`format`] formats dates, numbers and plural categories by ICU4X, so templates get "١٨ مايو
//! 2026"-style dates and the right plural ("دقيقتان") instead of hand-written tables.

pub mod format;
mod keys;

pub use keys::{PLURAL_KEYS, TEXT_KEYS};

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, RwLock};

use serde::Serialize;

use crate::diag::{Diagnostic, line_col};

/// CLDR's plural categories, in the order a table lists them.
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// The built-in theme's files: (language, TOML).
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/default/i18n/en.toml")),
    ("ar", include_str!("../../themes/default/i18n/ar.toml")),
    ("fr", include_str!("../../themes/default/i18n/fr.toml")),
    ("fa", include_str!("../../themes/default/i18n/fa.toml")),
    ("es", include_str!("../../themes/default/i18n/es.toml")),
    ("tr", include_str!("../../themes/default/i18n/tr.toml")),
    ("de", include_str!("../../themes/default/i18n/de.toml")),
];

/// One file's entries: key → a string, or plural category → string.
#[derive(Clone, Default)]
struct Entries {
    text: HashMap<String, String>,
    plural: HashMap<String, BTreeMap<String, String>>,
}

/// The words of one language, every key filled (`page.labels` in templates).
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    /// The language tag these are for.
    #[serde(skip)]
    pub lang: String,
    /// `by`, `and`, … (see [`TEXT_KEYS`]).
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
    /// Plural tables (see [`PLURAL_KEYS`]), for [`Labels::count`]; `plurals.<key>.<category>`
    /// in templates, for a script that picks the form itself (`Intl.PluralRules`).
    #[serde(rename = "plurals")]
    pub plural: HashMap<String, BTreeMap<String, String>>,
}

impl Labels {
    /// A text key ("" if a theme asks for one that does not exist).
    pub fn get(&self, key: &str) -> &str {
        self.text.get(key).map_or("", String::as_str)
    }

    /// A text key with its `{name}` placeholders filled: `fill("within", &[("name", "Energy")])`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A built-in publication type's title and plural in this language (`type_<name>` and
    /// `type_<name>_plural`, hyphens as underscores), when the files give both.
    pub fn type_names(&self, name: &str) -> Option<(&str, &str)> {
        let key = format!("type_{}", name.replace('-', "_"));
        let (title, plural) = (self.get(&key), self.get(&format!("{key}_plural")));
        (!title.is_empty() && !plural.is_empty()).then_some((title, plural))
    }

    /// A number as this language writes it (digits and grouping by ICU4X).
    pub fn number(&self, n: u64) -> String {
        format::number(&self.lang, n)
    }

    /// A count in words: `count("min_read", 2)` → "2 min read", "دقيقتان للقراءة". The form is
    /// the count's CLDR plural category in this language, else `other`.
    pub fn count(&self, key: &str, n: u64) -> String {
        let forms = self.plural.get(key);
        let cat = format::plural(&self.lang, n);
        let form = forms
            .and_then(|f| f.get(cat).or_else(|| f.get("other")))
            .map_or("{n}", String::as_str);
        form.replace("{n}", &format::number(&self.lang, n))
    }
}

/// Every language's words for one site: the built-in files, a theme's and the site's.
pub struct Catalog {
    /// Layers from the built-in theme up to the site, each a language → entries map.
    layers: Vec<HashMap<String, Entries>>,
    /// The site's language (the first fallback).
    site_language: String,
    resolved: RwLock<HashMap<String, Arc<Labels>>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("site_language", &self.site_language)
            .finish_non_exhaustive()
    }
}

impl Default for Catalog {
    /// The built-in files only, for an English site.
    fn default() -> Self {
        Catalog::built_in("en")
    }
}

impl Catalog {
    /// The built-in theme's files.
    pub fn built_in(site_language: &str) -> Self {
        let mut layer = HashMap::new();
        for (lang, text) in BUILT_IN {
            let entries = parse(text).expect("the built-in translation files are valid");
            layer.insert(lang.to_string(), entries);
        }
        Catalog {
            layers: vec![layer],
            site_language: site_language.to_string(),
            resolved: RwLock::default(),
        }
    }

    /// The built-in files, then `theme_dir/i18n/*.toml` (a theme folder's), then the site's
    /// `root/i18n/*.toml`. Every problem is reported, with its file, line and column.
    pub fn load(
        root: &Path,
        theme_dir: Option<&Path>,
        site_language: &str,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut catalog = Catalog::built_in(site_language);
        let mut errors = Vec::new();
        let folders = theme_dir
            .map(|t| t.join("i18n"))
            .into_iter()
            .chain([root.join("i18n")]);
        for folder in folders {
            match read_folder(root, &folder) {
                Ok(layer) if !layer.is_empty() => catalog.layers.push(layer),
                Ok(_) => {}
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(errors)
        }
    }

    /// A language's name in itself ("العربية"): its own files' `language_name`, never a
    /// fallback language's.
    pub fn autonym(&self, lang: &str) -> Option<String> {
        let tag = lang.to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_string();
        [tag, primary].iter().find_map(|t| {
            self.layers
                .iter()
                .rev()
                .find_map(|l| l.get(t).and_then(|e| e.text.get("language_name")).cloned())
        })
    }

    /// The keys no translation file of `lang` itself sets (its whole tag or its primary
    /// subtag, in any layer), in key order: empty for a complete translation. Pages in a
    /// language with missing keys use the site's language for their chrome (issue 27).
    pub fn missing(&self, lang: &str) -> Vec<&'static str> {
        let tag = lang.to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_string();
        let own: Vec<&Entries> = self
            .layers
            .iter()
            .flat_map(|l| [l.get(&tag), l.get(&primary)])
            .flatten()
            .collect();
        let text = TEXT_KEYS
            .iter()
            .filter(|k| !own.iter().any(|e| e.text.contains_key(**k)));
        let plural = PLURAL_KEYS
            .iter()
            .filter(|k| !own.iter().any(|e| e.plural.contains_key(**k)));
        text.chain(plural).copied().collect()
    }

    /// The words for a language tag, every key filled.
    pub fn labels(&self, lang: &str) -> Arc<Labels> {
        if let Some(l) = self.resolved.read().ok().and_then(|r| r.get(lang).cloned()) {
            return l;
        }
        let made = Arc::new(self.resolve(lang));
        if let Ok(mut r) = self.resolved.write() {
            r.insert(lang.to_string(), made.clone());
        }
        made
    }

    /// English, then the site's language, then the page's (its primary subtag, then the whole
    /// tag), each from every layer in order.
    fn resolve(&self, lang: &str) -> Labels {
        let primary = |t: &str| {
            t.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        // Later entries win; a tag named again moves to its later place, so an English brief
        // on an Arabic site gets English words, not the site's.
        let mut chain = vec!["en".to_string()];
        for tag in [self.site_language.as_str(), lang] {
            for t in [primary(tag), tag.to_ascii_lowercase()] {
                chain.retain(|c| *c != t);
                chain.push(t);
            }
        }
        let mut labels = Labels {
            lang: lang.to_string(),
            text: BTreeMap::new(),
            plural: HashMap::new(),
        };
        for tag in &chain {
            for layer in &self.layers {
                let Some(e) = layer.get(tag) else { continue };
                labels
                    .text
                    .extend(e.text.iter().map(|(k, v)| (k.clone(), v.clone())));
                for (k, forms) in &e.plural {
                    labels.plural.insert(k.clone(), forms.clone());
                }
            }
        }
        labels
    }
}

/// Every `<lang>.toml` in a folder (none if it does not exist). Symbolic links are refused.
fn read_folder(root: &Path, folder: &Path) -> Result<HashMap<String, Entries>, Vec<Diagnostic>> {
    let mut layer = HashMap::new();
    let Ok(listing) = std::fs::read_dir(folder) else {
        return Ok(layer);
    };
    let mut errors = Vec::new();
    let mut paths: Vec<_> = listing.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if crate::content::fields::check_language(stem).is_err() {
            errors.push(
                Diagnostic::error(format!("{stem:?} is not a language tag"))
                    .in_file(&shown)
                    .with_hint("name translation files by language: i18n/ar.toml, i18n/pt-BR.toml"),
            );
            continue;
        }
        let meta = std::fs::symlink_metadata(&path);
        if meta.as_ref().map_or(true, |m| !m.is_file()) {
            errors.push(
                Diagnostic::error("not a regular file (dossier never follows symbolic links)")
                    .in_file(&shown),
            );
            continue;
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(Diagnostic::error(format!("cannot read: {e}")).in_file(&shown));
                continue;
            }
        };
        match parse(&text) {
            Ok(entries) => {
                layer.insert(stem.to_ascii_lowercase(), entries);
            }
            Err(es) => errors.extend(es.into_iter().map(|(msg, at)| {
                let d = Diagnostic::error(msg).in_file(&shown);
                match at {
                    Some(offset) => {
                        let (line, col) = line_col(&text, offset);
                        d.at(line, col)
                    }
                    None => d,
                }
            })),
        }
    }
    if errors.is_empty() {
        Ok(layer)
    } else {
        Err(errors)
    }
}

type Problems = Vec<(String, Option<usize>)>;

/// One translation file: (message, byte offset) for each problem.
fn parse(text: &str) -> Result<Entries, Problems> {
    use toml::Spanned;
    type Table = BTreeMap<Spanned<String>, Spanned<toml::Value>>;
    let table: Table = toml::from_str(text)
        .map_err(|e| vec![(e.message().to_string(), e.span().map(|s| s.start))])?;
    let mut entries = Entries::default();
    let mut problems = Vec::new();
    for (key, value) in table {
        let at = Some(key.span().start);
        let name = key.get_ref().as_str();
        match value.get_ref() {
            toml::Value::String(s) if TEXT_KEYS.contains(&name) => {
                entries.text.insert(name.to_string(), s.clone());
            }
            toml::Value::Table(forms) if PLURAL_KEYS.contains(&name) => {
                match plural_forms(name, forms) {
                    Ok(f) => {
                        entries.plural.insert(name.to_string(), f);
                    }
                    Err(m) => problems.push((m, at)),
                }
            }
            _ if TEXT_KEYS.contains(&name) => {
                problems.push((format!("`{name}` must be a string"), at));
            }
            _ if PLURAL_KEYS.contains(&name) => problems.push((
                format!("`{name}` must be a table of plural forms, e.g. {name} = {{ one = \"{{n}} …\", other = \"{{n}} …\" }}"),
                at,
            )),
            _ => problems.push((
                format!(
                    "unknown key `{name}`; the keys are {} and (plural) {}",
                    TEXT_KEYS.join(", "),
                    PLURAL_KEYS.join(", ")
                ),
                at,
            )),
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

fn plural_forms(name: &str, forms: &toml::Table) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (cat, v) in forms {
        if !CATEGORIES.contains(&cat.as_str()) {
            return Err(format!(
                "`{name}.{cat}` is not a CLDR plural category ({})",
                CATEGORIES.join(", ")
            ));
        }
        let Some(s) = v.as_str() else {
            return Err(format!("`{name}.{cat}` must be a string"));
        };
        out.insert(cat.clone(), s.to_string());
    }
    if !out.contains_key("other") {
        return Err(format!(
            "`{name}` needs an `other` form (the one every language has)"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;

/// True when `text` has a letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana,
/// N'Ko… and their presentation forms), so markup around it should isolate it.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
    })
}
