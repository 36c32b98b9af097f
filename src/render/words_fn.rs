//! The template function `t`: the theme's words in any language, from the site's translation
//! files ([`crate::i18n`]).
//!
//! `t(key="latest")` is the word in the language of the page's chrome (`site.chrome_language`:
//! the site's, or a language section's); `lang=page.language` asks for another.
//! A plural key takes its count, `t(key="briefs_count", n=12)` → "12 briefs", "١٢ ورقة" (the
//! CLDR form of that count in that language); any other argument fills the placeholder of its
//! name, `t(key="within", name=term.name)`, numbers written as the language writes them. The
//! result is escaped like any other value when printed. An unknown key is an error naming it,
//! so a theme's typo fails the build instead of printing nothing.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::i18n::{Catalog, PLURAL_KEYS, TEXT_KEYS};

/// Register `t` for `catalog`, on a site written in `site_language`.
pub fn register(tera: &mut Tera, catalog: Arc<Catalog>, site_language: &str) {
    let site_language = site_language.to_string();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let given: Option<&str> = kwargs.get("lang")?;
            // Only read the page's `site` when no language is given.
            let site = match given {
                Some(_) => None,
                None => state.get::<Value>("site").ok().flatten(),
            };
            let lang = given
                .or_else(|| chrome_language(site.as_ref()))
                .unwrap_or(site_language.as_str());
            let n: Option<u64> = kwargs.get("n")?;
            let labels = catalog.labels(lang);
            let mut text = if PLURAL_KEYS.contains(&key) {
                let n = n.ok_or_else(|| {
                    tera::Error::message(format!("t(key=\"{key}\") is a count: give it n=…"))
                })?;
                labels.count(key, n)
            } else if TEXT_KEYS.contains(&key) {
                labels.get(key).to_string()
            } else {
                return Err(tera::Error::message(format!(
                    "t(): unknown key {key:?}; the keys are listed in the theme's i18n/en.toml"
                )));
            };
            for (name, value) in kwargs.iter() {
                let Some(name) = name.as_str() else { continue };
                if name == "key" || name == "lang" {
                    continue;
                }
                let shown = match value.as_u64() {
                    Some(v) => labels.number(v),
                    None => value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string),
                };
                text = text.replace(&format!("{{{name}}}"), &shown);
            }
            Ok(Value::from(text))
        },
    );
}

/// `site.chrome_language` of the page being rendered, when its context has one.
fn chrome_language(site: Option<&Value>) -> Option<&str> {
    site?
        .as_map()?
        .get(&tera::value::Key::from("chrome_language"))?
        .as_str()
}
