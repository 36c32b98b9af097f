//! The template functions for images (issue 26), registered once the site is assembled:
//!
//! - `image(path=…)`: the responsive set of a processed image (`src`, `width`, `height`,
//!   `srcset`, `webp_srcset`, `sizes`, `type`, `variants`), for `<picture>` markup in a theme;
//!   with `required=false`, none for a path that is not a processed image.
//! - `resize_image(path=…, width=…, height=…, op="fit"|"fill", format=…, focus=…)`: one
//!   variant (`url`, `width`, `height`, `type`), made after the pages render: a card thumbnail,
//!   an art-directed crop (`op="fill"` keeps `focus`, e.g. `page.image_focus`, in view).
//!
//! `path` is what views give (`page.image`, `author.photo`: a site URL, with or without the
//! base path or the base URL) or an output path such as `briefs/x/hero.jpg`.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::images::markup::responsive;
use crate::images::{Catalog, Format, Job, Op, Source, variant_path};

/// Register `image` and `resize_image` for `catalog`, on a site at `base_url`/`base_path`.
pub fn register(tera: &mut Tera, catalog: Arc<Catalog>, base: (&str, &str)) {
    let (base_url, base_path) = (base.0.to_string(), base.1.to_string());
    let find = {
        let catalog = catalog.clone();
        move |path: &str| -> tera::TeraResult<(String, std::path::PathBuf)> {
            let out = output_path(path, &base_url, &base_path);
            match catalog.source_at(&out) {
                Some((rel, Ok(_))) => Ok((out, rel.to_path_buf())),
                Some((_, Err(e))) => Err(tera::Error::message(format!("{path:?}: {e}"))),
                None => Err(tera::Error::message(format!(
                    "{path:?} is not an image dossier processes (a JPEG, PNG or WebP file under content/ or static/{})",
                    if catalog.enabled() {
                        ""
                    } else {
                        "; `[images] process` is off"
                    }
                ))),
            }
        }
    };
    let base_path = base.1.to_string();
    let (c, f, bp) = (catalog.clone(), find.clone(), base_path.clone());
    tera.register_function(
        "image",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            // `required=false`: none for what is not a processed image (an SVG, a URL), so a
            // template can fall back to a plain `<img>`.
            let required = kwargs.get::<bool>("required")?.unwrap_or(true);
            let (out, rel) = match f(path) {
                Ok(found) => found,
                Err(_) if !required => return Ok(Value::none()),
                Err(e) => return Err(e),
            };
            let src = source(&c, &rel)?;
            Ok(Value::from_serializable(&responsive(
                &format!("{bp}{out}"),
                &bp,
                src,
                &c.settings,
            )))
        },
    );
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let (out, rel) = find(path)?;
            let src = source(&catalog, &rel)?;
            let op = resize_op(&kwargs, src)?;
            let file = variant_path(&out, src, op, catalog.settings.quality);
            let (width, height) = op.size(src);
            catalog.requests.add(Job {
                out: file.clone(),
                source: rel,
                op,
            });
            let mut v = serde_json::Map::new();
            v.insert("url".into(), format!("{base_path}{file}").into());
            v.insert("width".into(), width.into());
            v.insert("height".into(), height.into());
            v.insert("type".into(), op.format(src).mime().into());
            Ok(Value::from_serializable(&v))
        },
    );
}

fn source<'c>(c: &'c Catalog, rel: &std::path::Path) -> tera::TeraResult<&'c Source> {
    match c.get(rel) {
        Some(Ok(s)) => Ok(s),
        _ => Err(tera::Error::message(format!(
            "{} could not be processed",
            rel.display()
        ))),
    }
}

/// The operation `resize_image`'s arguments ask for.
fn resize_op(kwargs: &Kwargs, src: &Source) -> tera::TeraResult<Op> {
    let width: Option<u32> = kwargs.get("width")?;
    let height: Option<u32> = kwargs.get("height")?;
    let format = match kwargs.get::<&str>("format")? {
        None | Some("auto") => src.format,
        Some("webp") => Format::Webp,
        Some("jpg" | "jpeg") => Format::Jpeg,
        Some("png") => Format::Png,
        Some(other) => {
            return Err(tera::Error::message(format!(
                "resize_image: `format` must be \"auto\", \"webp\", \"jpeg\" or \"png\", not {other:?}"
            )));
        }
    };
    let op: &str = kwargs.get("op")?.unwrap_or("fit");
    let too_big = |n: u32| n == 0 || n > 8192;
    if width.is_some_and(too_big) || height.is_some_and(too_big) {
        return Err(tera::Error::message(
            "resize_image: `width` and `height` must be from 1 to 8192",
        ));
    }
    match op {
        "fit" => {
            let (w, h) = (f64::from(src.width), f64::from(src.height));
            let by_w = width.map_or(w, f64::from).min(w);
            let by_h = height.map_or(w, |hh| f64::from(hh) * w / h).min(w);
            let width = by_w.min(by_h).round().max(1.0) as u32;
            Ok(Op::Resize { width, format })
        }
        "fill" => {
            let (Some(width), Some(height)) = (width, height) else {
                return Err(tera::Error::message(
                    "resize_image: op=\"fill\" needs both `width` and `height`",
                ));
            };
            let focus = match kwargs.get::<&str>("focus")? {
                Some(f) => crate::content::brief::parse_focus(f)
                    .map_err(|e| tera::Error::message(format!("resize_image: `focus`: {e}")))?,
                None => (500, 500),
            };
            Ok(Op::Fill {
                width,
                height,
                focus,
                format,
            })
        }
        other => Err(tera::Error::message(format!(
            "resize_image: `op` must be \"fit\" or \"fill\", not {other:?}"
        ))),
    }
}

/// A URL or path as the views give it → the output path.
fn output_path(path: &str, base_url: &str, base_path: &str) -> String {
    let p = path.strip_prefix(base_url).unwrap_or(path);
    let p = if p.len() < path.len() {
        p
    } else {
        path.strip_prefix(base_path).unwrap_or(path)
    };
    percent_encoding::percent_decode_str(p.trim_start_matches('/'))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_or_without_the_base_become_output_paths() {
        let (u, p) = ("https://x.org/research/", "/research/");
        for path in [
            "https://x.org/research/briefs/a/hero.jpg",
            "/research/briefs/a/hero.jpg",
            "briefs/a/hero.jpg",
        ] {
            assert_eq!(output_path(path, u, p), "briefs/a/hero.jpg");
        }
        assert_eq!(
            output_path("/img/a%20b.png", "https://x.org/", "/"),
            "img/a b.png"
        );
    }
}
