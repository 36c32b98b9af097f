//! The addresses WordPress embeds (a YouTube or Vimeo video, a Datawrapper or Flourish chart)
//! as the dossier component that shows them behind a click.

use super::convert::quote;

/// The component for a URL WordPress would embed.
pub(super) fn component_for(url: &str, title: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    let host = u.host_str()?.trim_start_matches("www.").to_string();
    let path: Vec<&str> = u
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let video = |provider: &str, id: &str| {
        format!(
            "{{{{ video(provider=\"{provider}\", id={}, title={}) }}}}",
            quote(id),
            quote(title)
        )
    };
    let chart = |provider: &str, id: &str| {
        format!(
            "{{{{ chart(provider=\"{provider}\", id={}, title={}) }}}}",
            quote(id),
            quote(title)
        )
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    match host.as_str() {
        "youtube.com" | "m.youtube.com" | "youtube-nocookie.com" => {
            let id = u
                .query_pairs()
                .find(|(k, _)| k == "v")
                .map(|(_, v)| v.into_owned())
                .or_else(|| match path.as_slice() {
                    ["embed" | "shorts" | "live", id, ..] => Some(id.to_string()),
                    _ => None,
                })?;
            token(&id).then(|| video("youtube", &id))
        }
        "youtu.be" => path
            .first()
            .filter(|id| token(id))
            .map(|id| video("youtube", id)),
        "vimeo.com" | "player.vimeo.com" => {
            let id = path
                .iter()
                .rev()
                .find(|p| p.chars().all(|c| c.is_ascii_digit()))?;
            Some(video("vimeo", id))
        }
        "twitter.com" | "x.com" | "mobile.twitter.com" | "bsky.app"
            if path.contains(&"status") || path.contains(&"post") =>
        {
            Some(format!("{{{{ social(url={}) }}}}", quote(url.trim())))
        }
        "datawrapper.dwcdn.net" => path
            .first()
            .filter(|id| token(id))
            .map(|id| chart("datawrapper", id)),
        "flo.uri.sh" | "public.flourish.studio" => match path.as_slice() {
            ["visualisation", id, ..] if token(id) => Some(chart("flourish", id)),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "an unknown address".into())
}
