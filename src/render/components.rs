//! Components drawn (issue 28): each component an author wrote in Markdown, found and left as
//! a marker by `markdown/components.rs`, is checked against its definition and drawn by its
//! Tera component, once the templates are loaded and before anything reads a document's HTML
//! (cards, feeds, pages and the search index all see the drawn result).
//!
//! Definitions are Tera 2 components: a file in a theme's or site's `templates/components/`
//! holds `{% component callout(title: string = "", kind: string = "note", @lang) %}…{%
//! endcomponent callout %}`. A call is checked before it is drawn, so every mistake is reported
//! at its line and column in the Markdown file: an unknown component (the known ones named), an
//! argument the component does not take or of the wrong type, a required one missing. Values
//! are escaped by the template as HTML; a body is the document's own Markdown, rendered (and
//! cleaned when `raw_html = "sanitize"`) with it, and handed over as `body`. The implicit
//! arguments a component may declare are `@lang` and `@dir` (the document's language and
//! direction, for components that print words) and `@path` (its page's site path,
//! "briefs/x/", for files beside it in a bundle).
//!
//! Components are the theme's and site's trusted templates, so their markup is kept even where
//! an author's raw HTML is cleaned.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use tera::{ComponentArgType, ComponentInfo, Context, Tera};

use super::labels::direction;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::markdown::components::{Invocation, Piece, pieces};
use crate::site::Site;

/// Draw the components of every document of the site: briefs, pages, author bios (and their
/// editions), term descriptions and section introductions. Errors name the file and position.
pub fn expand_site(site: &mut Site, tera: &Tera) -> Vec<Diagnostic> {
    let defs = Definitions::of(tera);
    let lang = site.config.language.clone();
    let mut diags: Vec<Diagnostic> = site
        .briefs
        .par_iter_mut()
        .flat_map_iter(|b| {
            let l = b.doc.language.clone().unwrap_or_else(|| lang.clone());
            expand_in(&defs, &mut b.doc.body, (&l, &b.path), &b.doc.source)
        })
        .collect();
    for p in &mut site.pages {
        let l = p.language.clone().unwrap_or_else(|| lang.clone());
        diags.extend(expand_in(&defs, &mut p.body, (&l, &p.path), &p.source));
    }
    for a in &mut site.authors {
        let Some(p) = a.profile.as_mut() else {
            continue;
        };
        diags.extend(expand_in(&defs, &mut p.bio, (&lang, &a.path), &p.source));
        for e in &mut p.editions {
            diags.extend(expand_in(
                &defs,
                &mut e.bio,
                (&e.language, &a.path),
                &e.source,
            ));
        }
    }
    for t in site.taxonomies.iter_mut().flat_map(|t| &mut t.terms) {
        if let Some(p) = &mut t.profile {
            diags.extend(expand_in(
                &defs,
                &mut p.description,
                (&lang, &t.path),
                &p.source,
            ));
        }
    }
    for (dir, s) in site.sections.iter_mut() {
        let path = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        diags.extend(expand_in(&defs, &mut s.body, (&lang, &path), &s.source));
    }
    diags
}

/// Draw the components of one document, in `lang`, on the page at site path `path`
/// ("briefs/x/"), replacing their markers in its HTML.
pub fn expand(tera: &Tera, body: &mut Rendered, at: (&str, &str), file: &Path) -> Vec<Diagnostic> {
    if body.components.is_empty() {
        return Vec::new();
    }
    expand_in(&Definitions::of(tera), body, at, file)
}

/// The component definitions of a set of templates, read once per build: each one's
/// arguments and its metadata (as JSON, for [`check_values`]).
struct Definitions<'a> {
    tera: &'a Tera,
    defs: HashMap<String, (ComponentInfo, serde_json::Value)>,
}

impl<'a> Definitions<'a> {
    fn of(tera: &'a Tera) -> Self {
        let defs = tera
            .get_component_names()
            .filter_map(|n| {
                let info = tera.get_component_definition(n)?;
                let meta = serde_json::to_value(info.metadata()).unwrap_or_default();
                Some((n.to_string(), (info, meta)))
            })
            .collect();
        Definitions { tera, defs }
    }
}

/// [`expand`] with the definitions already read.
fn expand_in(
    defs: &Definitions<'_>,
    body: &mut Rendered,
    (lang, path): (&str, &str),
    file: &Path,
) -> Vec<Diagnostic> {
    if body.components.is_empty() {
        return Vec::new();
    }
    let tera = defs.tera;
    let errors: Vec<Diagnostic> = body
        .components
        .iter()
        .flat_map(|c| check(defs, c))
        .map(|d| d.in_file(file))
        .collect();
    if !errors.is_empty() {
        return errors;
    }
    let draw = Draw {
        tera,
        calls: &body.components,
        lang,
        path,
        file,
    };
    let all = pieces(&body.html);
    match draw.fill(&all) {
        Ok(html) => {
            body.html = html;
            Vec::new()
        }
        Err(d) => vec![d],
    }
}

/// One document's components being drawn.
struct Draw<'a> {
    tera: &'a Tera,
    calls: &'a [Invocation],
    lang: &'a str,
    path: &'a str,
    file: &'a Path,
}

impl Draw<'_> {
    /// The HTML of `pieces` with every marker drawn; a body is drawn before its component.
    fn fill(&self, pieces: &[Piece<'_>]) -> Result<String, Diagnostic> {
        let mut out = String::new();
        let mut i = 0;
        while i < pieces.len() {
            match pieces[i] {
                Piece::Text(t) => out.push_str(t),
                Piece::Marker("component", n) => out.push_str(&self.draw(n, None)?),
                Piece::Marker("open", n) => {
                    let close = pieces[i + 1..]
                        .iter()
                        .position(|p| *p == Piece::Marker("close", n))
                        .map(|j| i + 1 + j);
                    let Some(close) = close else {
                        return Err(self.at(n, "the end of this component's body was lost: write its `{% end %}` at the same level (not inside a list or quote)".into()));
                    };
                    let body = self.fill(&pieces[i + 1..close])?;
                    out.push_str(&self.draw(n, Some(body.trim()))?);
                    i = close;
                }
                Piece::Marker(_, n) => {
                    return Err(self.at(n, "this component's body has no start at the same level: keep `{% name(…) %}` and `{% end %}` outside lists and quotes".into()));
                }
            }
            i += 1;
        }
        Ok(out)
    }

    /// Component `n`, with its body's HTML.
    fn draw(&self, n: usize, body: Option<&str>) -> Result<String, Diagnostic> {
        let Some(call) = self.calls.get(n) else {
            return Err(
                Diagnostic::error(format!("a component marker names no component ({n})"))
                    .in_file(self.file),
            );
        };
        let mut args = Context::new();
        for (k, v, _) in &call.args {
            args.insert(k.clone(), v);
        }
        let mut implicits = Context::new();
        implicits.insert("lang", self.lang);
        implicits.insert("dir", direction(self.lang));
        implicits.insert("path", self.path);
        self.tera
            .render_component_with_implicits(&call.name, &args, &implicits, body, true)
            .map_err(|e| {
                self.at(
                    n,
                    format!(
                        "component `{}` failed: {}",
                        call.name,
                        crate::diag::error_chain(&e)
                    ),
                )
            })
    }

    fn at(&self, n: usize, message: String) -> Diagnostic {
        let at = self.calls.get(n).map(|c| c.at);
        Diagnostic::error(message).in_file(self.file).at_opt(at)
    }
}

/// A call's mistakes against its definition, at their positions.
fn check(defs: &Definitions<'_>, call: &Invocation) -> Vec<Diagnostic> {
    let (line, col) = call.at;
    let Some((def, meta)) = defs.defs.get(&call.name) else {
        let mut known: Vec<&str> = defs.defs.keys().map(String::as_str).collect();
        known.sort_unstable();
        return vec![
            Diagnostic::error(format!("unknown component `{}`", call.name))
                .at(line, col)
                .with_hint(format!(
                    "the components are {}; a site adds one in templates/components/<name>.html",
                    known.join(", ")
                )),
        ];
    };
    let mut out = Vec::new();
    for (key, value, (l, c)) in &call.args {
        let declared = def.args().iter().find(|a| a.name() == key);
        match declared {
            Some(a) if a.is_implicit() => {
                out.push(
                    Diagnostic::error(format!("`{key}` is set by dossier, not written")).at(*l, *c),
                );
            }
            Some(a) => {
                if let Some(t) = a.arg_type().filter(|t| !fits(*t, value)) {
                    out.push(
                        Diagnostic::error(format!(
                            "`{key}` of `{}` takes {}, not {}",
                            call.name,
                            a_type(t),
                            describe(value)
                        ))
                        .at(*l, *c),
                    );
                }
            }
            None if def.rest_param().is_some() => {}
            None => out.push(
                Diagnostic::error(format!(
                    "component `{}` takes no argument `{key}`",
                    call.name
                ))
                .at(*l, *c)
                .with_hint(format!("it takes {}", takes(def))),
            ),
        }
    }
    out.extend(check_values(call, meta));
    for a in def.args().iter().filter(|a| a.is_required()) {
        if !call.args.iter().any(|(k, _, _)| k == a.name()) {
            out.push(
                Diagnostic::error(format!("component `{}` needs `{}`", call.name, a.name()))
                    .at(line, col)
                    .with_hint(format!("it takes {}", takes(def))),
            );
        }
    }
    out
}

/// What a component's metadata asks of its values: `"choices": {"kind": ["note", …]}` (one of
/// those), `"urls": ["href"]` (an address the scheme allow-list accepts: a site path, http(s),
/// mailto…), `"tokens": ["id"]` (letters, digits, `-` and `_` only, safe inside a URL).
fn check_values(call: &Invocation, meta: &serde_json::Value) -> Vec<Diagnostic> {
    let listed = |key: &str, arg: &str| {
        meta.get(key)
            .and_then(|v| v.as_array())
            .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(arg)))
    };
    let mut out = Vec::new();
    for (key, value, (l, c)) in &call.args {
        let Some(text) = value.as_str() else { continue };
        let choices = meta
            .get("choices")
            .and_then(|m| m.get(key.as_str()))
            .and_then(|v| v.as_array());
        if let Some(choices) = choices {
            let names: Vec<&str> = choices.iter().filter_map(|v| v.as_str()).collect();
            if !names.contains(&text) {
                out.push(
                    Diagnostic::error(format!(
                        "`{key}` of `{}` is one of {}, not {text:?}",
                        call.name,
                        names.join(", ")
                    ))
                    .at(*l, *c),
                );
            }
        }
        if listed("urls", key)
            && let Some(why) = crate::urls::refused(text)
        {
            out.push(Diagnostic::error(format!("`{key}`: {why}")).at(*l, *c));
        }
        let token = |ch: char| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_';
        if listed("tokens", key) && (text.is_empty() || !text.chars().all(token)) {
            out.push(
                Diagnostic::error(format!(
                    "`{key}` may hold only letters, digits, `-` and `_`: {text:?}"
                ))
                .at(*l, *c)
                .with_hint("give the video's or chart's id, not its whole address"),
            );
        }
    }
    out
}

/// The arguments a component takes, for hints: "title (string), kind (string, optional)".
fn takes(def: &ComponentInfo) -> String {
    let list: Vec<String> = def
        .args()
        .iter()
        .filter(|a| !a.is_implicit())
        .map(|a| {
            let t = a.arg_type().map_or("any".to_string(), |t| t.to_string());
            if a.is_required() {
                format!("{} ({t})", a.name())
            } else {
                format!("{} ({t}, optional)", a.name())
            }
        })
        .collect();
    if list.is_empty() {
        "no arguments".into()
    } else {
        list.join(", ")
    }
}

/// Whether a written value is of a declared type.
fn fits(t: ComponentArgType, v: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match t {
        ComponentArgType::String => v.is_string(),
        ComponentArgType::Bool => v.is_boolean(),
        ComponentArgType::Integer => v.is_i64() || v.is_u64(),
        ComponentArgType::Float | ComponentArgType::Number => v.is_number(),
        ComponentArgType::Array => matches!(v, J::Array(_)),
        _ => false,
    }
}

/// A type as a sentence says it: "a string", "an integer".
fn a_type(t: ComponentArgType) -> &'static str {
    match t {
        ComponentArgType::String => "a string",
        ComponentArgType::Bool => "true or false",
        ComponentArgType::Integer => "an integer",
        ComponentArgType::Float | ComponentArgType::Number => "a number",
        ComponentArgType::Array => "a list",
        ComponentArgType::Map => "a map",
        _ => "a value of another kind",
    }
}

/// "a string", "the number 3", for messages.
fn describe(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => format!("the string {s:?}"),
        serde_json::Value::Bool(b) => format!("`{b}`"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::Array(_) => "a list".into(),
        _ => "that".into(),
    }
}
