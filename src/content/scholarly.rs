//! Identifiers of the scholarly record that front matter and `site.toml` may carry: an
//! author's ORCID iD and a licence's SPDX identifier. Each is checked where it is written, so a
//! typo is an error with a position instead of a dead link in Google Scholar.
//!
//! The SPDX licence list comes from the `spdx` crate; the ORCID checksum (ISO 7064 MOD 11-2)
//! is a dozen lines of arithmetic defined by ORCID, with no crate worth a dependency.

/// A validated ORCID iD, stored as `0000-0002-1825-0097`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orcid(String);

impl Orcid {
    /// Parse what an author writes: the 16 characters with or without hyphens, or the
    /// `https://orcid.org/…` URL. The last character is a checksum over the others.
    pub fn parse(written: &str) -> Result<Orcid, String> {
        let s = written.trim();
        let bare = ["https://orcid.org/", "http://orcid.org/", "orcid.org/"]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .unwrap_or(s);
        let chars: Vec<char> = bare.chars().filter(|c| *c != '-').collect();
        let shape = chars.len() == 16
            && chars[..15].iter().all(char::is_ascii_digit)
            && (chars[15].is_ascii_digit() || chars[15] == 'X' || chars[15] == 'x');
        if !shape {
            return Err(format!(
                "{written:?} is not an ORCID iD: write 16 characters such as \"0000-0002-1825-0097\" or the https://orcid.org/ URL"
            ));
        }
        let expected = check_digit(&chars[..15]);
        let given = chars[15].to_ascii_uppercase();
        if given != expected {
            return Err(format!(
                "{written:?} is not a valid ORCID iD: its last character should be {expected:?}, so a digit is probably mistyped"
            ));
        }
        let d: String = chars[..15].iter().chain([&given]).collect();
        Ok(Orcid(format!(
            "{}-{}-{}-{}",
            &d[0..4],
            &d[4..8],
            &d[8..12],
            &d[12..16]
        )))
    }

    /// `0000-0002-1825-0097`.
    pub fn id(&self) -> &str {
        &self.0
    }

    /// `https://orcid.org/0000-0002-1825-0097`, the form ORCID asks sites to display.
    pub fn url(&self) -> String {
        format!("https://orcid.org/{}", self.0)
    }
}

/// ISO 7064 MOD 11-2 over fifteen digits, as ORCID defines it.
fn check_digit(digits: &[char]) -> char {
    let total = digits.iter().fold(0u32, |t, d| {
        (t + d.to_digit(10).expect("checked digits")) * 2
    });
    match (12 - total % 11) % 11 {
        10 => 'X',
        n => char::from_digit(n, 10).expect("below ten"),
    }
}

/// A licence from the SPDX list, with the page that states it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Licence {
    /// SPDX identifier, e.g. `CC-BY-4.0`.
    pub id: &'static str,
    /// Full name, e.g. "Creative Commons Attribution 4.0 International".
    pub name: &'static str,
    /// The licence's deed: creativecommons.org for Creative Commons licences, else
    /// spdx.org's page.
    pub url: String,
}

impl Licence {
    /// Look up an SPDX identifier. Case differences are forgiven ("cc-by-4.0"); anything
    /// else unknown is an error suggesting the closest identifiers.
    pub fn parse(written: &str) -> Result<Licence, String> {
        let s = written.trim();
        let found = spdx::license_id(s).or_else(|| {
            spdx::identifiers::LICENSES
                .iter()
                .find(|l| l.name.eq_ignore_ascii_case(s))
                .and_then(|l| spdx::license_id(l.name))
        });
        let Some(id) = found else {
            return Err(unknown(s));
        };
        Ok(Licence {
            id: id.name,
            name: id.full_name,
            url: deed_url(id.name),
        })
    }
}

fn unknown(s: &str) -> String {
    let wanted = s.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = spdx::identifiers::LICENSES
        .iter()
        .map(|l| {
            (
                strsim::levenshtein(&l.name.to_ascii_lowercase(), &wanted),
                l.name,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .collect();
    scored.sort();
    let mut close: Vec<&str> = scored.into_iter().take(4).map(|(_, n)| n).collect();
    if close.is_empty() {
        close = vec!["CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-NC-ND-4.0", "CC0-1.0"];
    }
    format!(
        "{s:?} is not an SPDX licence identifier; did you mean {}? (the list is at https://spdx.org/licenses/)",
        close
            .iter()
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Creative Commons identifiers map onto their deeds (`CC-BY-NC-4.0` →
/// `/licenses/by-nc/4.0/`, `CC-BY-3.0-IGO` → `/licenses/by/3.0/igo/`, `CC0-1.0` → the public
/// domain dedication); every other licence links to its SPDX page.
fn deed_url(id: &str) -> String {
    if let Some(v) = id.strip_prefix("CC0-") {
        return format!("https://creativecommons.org/publicdomain/zero/{v}/");
    }
    if let Some(rest) = id.strip_prefix("CC-") {
        let parts: Vec<&str> = rest.split('-').collect();
        if let Some(at) = parts
            .iter()
            .position(|p| p.chars().next().is_some_and(|c| c.is_ascii_digit()))
        {
            let terms = parts[..at].join("-").to_ascii_lowercase();
            let mut url = format!(
                "https://creativecommons.org/licenses/{terms}/{}/",
                parts[at]
            );
            for p in &parts[at + 1..] {
                url.push_str(&p.to_ascii_lowercase());
                url.push('/');
            }
            return url;
        }
    }
    format!("https://spdx.org/licenses/{id}.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_checksums() {
        // ORCID's own documented example iDs.
        let o = Orcid::parse("0000-0002-1825-0097").unwrap();
        assert_eq!(o.url(), "https://orcid.org/0000-0002-1825-0097");
        assert_eq!(
            Orcid::parse("https://orcid.org/0000-0001-5109-3700")
                .unwrap()
                .id(),
            "0000-0001-5109-3700"
        );
        assert_eq!(
            Orcid::parse("000000021694233x").unwrap().id(),
            "0000-0002-1694-233X"
        );
        let e = Orcid::parse("0000-0002-1825-0098").unwrap_err();
        assert!(e.contains("should be '7'"), "{e}");
        assert!(Orcid::parse("0000-0002-1825").is_err());
        assert!(Orcid::parse("https://example.org/0000-0002-1825-0097").is_err());
    }

    #[test]
    fn licences_resolve_to_deeds() {
        let l = Licence::parse("CC-BY-4.0").unwrap();
        assert_eq!(l.url, "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(l.name, "Creative Commons Attribution 4.0 International");
        assert_eq!(
            Licence::parse("cc-by-nc-nd-4.0").unwrap().url,
            "https://creativecommons.org/licenses/by-nc-nd/4.0/"
        );
        assert_eq!(
            Licence::parse("CC-BY-3.0-IGO").unwrap().url,
            "https://creativecommons.org/licenses/by/3.0/igo/"
        );
        assert_eq!(
            Licence::parse("CC0-1.0").unwrap().url,
            "https://creativecommons.org/publicdomain/zero/1.0/"
        );
        assert_eq!(
            Licence::parse("MIT").unwrap().url,
            "https://spdx.org/licenses/MIT.html"
        );
        let e = Licence::parse("CC-BY-4").unwrap_err();
        assert!(e.contains("\"CC-BY-4.0\""), "{e}");
    }
}
