//! Citations of a brief (issues 4, 23): the same metadata as APA 7, Chicago and MLA
//! ([`styles`], with headline capitalisation from [`title_case`]), and as BibTeX and RIS.
//! References cited inside briefs are formatted by hayagriva's CSL processor ([`csl`]).
//!
//! Owns how display names become citation names (particles such as "al-" and "van der",
//! organisations, profile `citation_name`), and what kind of work each publication type is
//! cited as. It formats; it does not decide where citations go.

pub mod csl;
pub mod styles;
pub mod terms;
#[cfg(test)]
mod tests;
pub mod title_case;

use std::fmt::Write as _;

/// A person or organisation as a citation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteName {
    /// Family name ("Okafor-Laurent", "al-Hashimi"), or the organisation's whole name.
    pub family: String,
    /// Given names, none for organisations.
    pub given: Option<String>,
    /// Lower-case particle before the family name ("van der", "de").
    pub particle: Option<String>,
}

impl CiteName {
    /// "Family, Given" with the particle kept before the family name, as BibTeX and RIS want.
    pub fn inverted(&self) -> String {
        let family = match &self.particle {
            Some(p) => format!("{p} {}", self.family),
            None => self.family.clone(),
        };
        match &self.given {
            Some(g) => format!("{family}, {g}"),
            None => family,
        }
    }
}

/// Lower-case words that belong to the family name when they precede it.
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "la", "le", "ter",
    "ten", "dos", "das", "bin", "ibn", "bint", "ben", "al", "el", "y",
];

/// Split a name as people write it. `citation_name` (from the author's profile) wins:
/// "Okafor-Laurent, Renée" is split at the comma; a `citation_name` without a comma is an
/// organisation and is never split. Otherwise the display name is split before its last word,
/// keeping lower-case particles ("van der Berg") with the family name.
pub fn cite_name(display: &str, citation_name: Option<&str>) -> CiteName {
    if let Some(c) = citation_name.map(str::trim).filter(|c| !c.is_empty()) {
        return match c.split_once(',') {
            Some((family, given)) => {
                let (particle, family) = split_particle(family.trim());
                CiteName {
                    family,
                    given: Some(given.trim().to_string()),
                    particle,
                }
            }
            None => CiteName {
                family: c.to_string(),
                given: None,
                particle: None,
            },
        };
    }
    let words: Vec<&str> = display.split_whitespace().collect();
    if words.len() < 2 {
        return CiteName {
            family: display.trim().to_string(),
            given: None,
            particle: None,
        };
    }
    let mut family_start = words.len() - 1;
    while family_start > 1 && PARTICLES.contains(&words[family_start - 1]) {
        family_start -= 1;
    }
    let particle =
        (family_start < words.len() - 1).then(|| words[family_start..words.len() - 1].join(" "));
    CiteName {
        family: words[words.len() - 1].to_string(),
        given: Some(words[..family_start].join(" ")),
        particle,
    }
}

fn split_particle(family: &str) -> (Option<String>, String) {
    let words: Vec<&str> = family.split_whitespace().collect();
    let n = words
        .iter()
        .take_while(|w| PARTICLES.contains(w))
        .count()
        .min(words.len().saturating_sub(1));
    if n == 0 {
        (None, family.to_string())
    } else {
        (Some(words[..n].join(" ")), words[n..].join(" "))
    }
}

/// What kind of work a publication is cited as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkKind<'a> {
    /// A report: policy brief, report, working paper, testimony (BibTeX `@techreport`, RIS
    /// `RPRT`). `label` describes it when it has no series ("Policy brief").
    Report {
        /// "Policy brief", "Working paper", "Testimony"; none for a plain report.
        label: Option<std::borrow::Cow<'a, str>>,
    },
    /// An article on the publisher's site: commentary (BibTeX `@article`, RIS `JOUR`).
    Article,
}

/// What a citation is made from.
#[derive(Debug, Clone)]
pub struct Work<'a> {
    /// A key for BibTeX ("okafor-laurent2026storage").
    pub key: String,
    /// Title.
    pub title: &'a str,
    /// Subtitle: part of the title in citations ("Title: Subtitle"). Never the dek.
    pub subtitle: Option<&'a str>,
    /// What it is cited as.
    pub kind: WorkKind<'a>,
    /// Authors in byline order.
    pub authors: Vec<CiteName>,
    /// Publication date.
    pub date: jiff::civil::Date,
    /// Publisher (the institute).
    pub publisher: &'a str,
    /// Series and number ("Policy Notes 152").
    pub series: Option<&'a str>,
    /// Absolute URL.
    pub url: &'a str,
    /// DOI without resolver ("10.1234/abcd").
    pub doi: Option<&'a str>,
    /// BCP 47 language.
    pub language: &'a str,
    /// The citation's own words ("and", months) in the work's language: [`terms::Terms::for_language`].
    pub terms: &'static terms::Terms,
    /// Summary.
    pub abstract_: &'a str,
    /// Keywords (topics).
    pub keywords: Vec<&'a str>,
}

impl Work<'_> {
    /// The title as citations print it: "Title: Subtitle", or "Title? Subtitle" after a
    /// question or exclamation mark.
    pub fn full_title(&self) -> String {
        let title = self.title.trim();
        match self.subtitle.map(str::trim).filter(|s| !s.is_empty()) {
            None => title.to_string(),
            Some(sub) if title.ends_with(['?', '!']) => format!("{title} {sub}"),
            Some(sub) => format!("{}: {sub}", title.trim_end_matches([':', '.'])),
        }
    }
}

/// Formatted citations of one work: plain text and HTML for each style.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Citations {
    /// APA 7.
    pub apa: Formatted,
    /// Chicago notes-bibliography (the bibliography entry).
    pub chicago: Formatted,
    /// MLA 9.
    pub mla: Formatted,
    /// The language of the citations' own words ("en", "ar"): [`terms::Terms::language`].
    pub language: &'static str,
}

/// One style's output.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Formatted {
    /// Plain text (for copying).
    pub text: String,
    /// HTML with italics (escaped).
    pub html: String,
}

/// Format a work in APA, Chicago and MLA.
pub fn citations(work: &Work<'_>) -> Citations {
    Citations {
        language: &work.terms.language,
        apa: styles::apa(work),
        chicago: styles::chicago(work),
        mla: styles::mla(work),
    }
}

/// "Policy Notes 152" → ("Policy Notes", Some("152")); a series without a trailing number is
/// kept whole.
pub fn split_series(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    match s.rsplit_once(' ') {
        Some((name, num)) if num.chars().any(|c| c.is_ascii_digit()) && !name.trim().is_empty() => {
            (
                name.trim()
                    .trim_end_matches([',', '.', ' '])
                    .trim_end_matches(" No")
                    .trim_end_matches(" no"),
                Some(num),
            )
        }
        _ => (s, None),
    }
}

/// Escape a BibTeX field value (kept in UTF-8, for biblatex/biber).
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '\\' => {}
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// BibTeX's month macros.
const BIBTEX_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A BibTeX entry: `@techreport` for reports (with `institution`, and `type` and `number`
/// for a series), `@article` for commentary (the publisher as `journal`).
pub fn bibtex(work: &Work<'_>) -> String {
    let kind = match work.kind {
        WorkKind::Report { .. } => "techreport",
        WorkKind::Article => "article",
    };
    let mut s = format!("@{kind}{{{},\n", work.key);
    let authors: Vec<String> = work
        .authors
        .iter()
        .map(|a| {
            if a.given.is_none() {
                format!("{{{}}}", tex(&a.family))
            } else {
                tex(&a.inverted())
            }
        })
        .collect();
    let mut field = |k: &str, v: &str| {
        let _ = writeln!(s, "  {k:<11} = {{{v}}},");
    };
    if !authors.is_empty() {
        field("author", &authors.join(" and "));
    }
    field("title", &format!("{{{}}}", tex(&work.full_title())));
    match &work.kind {
        WorkKind::Report { label } => {
            field("institution", &tex(work.publisher));
            match work.series.map(split_series) {
                Some((name, number)) => {
                    field("type", &tex(name));
                    if let Some(n) = number {
                        field("number", &tex(n));
                    }
                }
                None => {
                    if let Some(l) = label {
                        field("type", &tex(l));
                    }
                }
            }
        }
        WorkKind::Article => field("journal", &tex(work.publisher)),
    }
    field("year", &work.date.year().to_string());
    let month = BIBTEX_MONTHS[work.date.month() as usize - 1];
    let _ = writeln!(s, "  {:<11} = {month},", "month");
    let mut field = |k: &str, v: &str| {
        let _ = writeln!(s, "  {k:<11} = {{{v}}},");
    };
    field("date", &work.date.to_string());
    field("url", work.url);
    if let Some(doi) = work.doi {
        field("doi", &tex(doi));
    }
    field("language", &tex(work.language));
    if !work.keywords.is_empty() {
        field("keywords", &tex(&work.keywords.join(", ")));
    }
    s.push_str("}\n");
    s
}

/// An RIS record (CRLF line ends, as the format specifies): `RPRT` for reports, `JOUR` for
/// commentary.
pub fn ris(work: &Work<'_>) -> String {
    let one_line = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
    let ty = match work.kind {
        WorkKind::Report { .. } => "RPRT",
        WorkKind::Article => "JOUR",
    };
    let mut lines = vec![format!("TY  - {ty}")];
    for a in &work.authors {
        lines.push(format!("AU  - {}", one_line(&a.inverted())));
    }
    lines.push(format!("TI  - {}", one_line(&work.full_title())));
    lines.push(format!("PY  - {}", work.date.year()));
    lines.push(format!("DA  - {}", work.date.strftime("%Y/%m/%d")));
    match work.kind {
        WorkKind::Report { .. } => lines.push(format!("PB  - {}", one_line(work.publisher))),
        WorkKind::Article => lines.push(format!("T2  - {}", one_line(work.publisher))),
    }
    if let Some(series) = work.series {
        let (name, number) = split_series(series);
        lines.push(format!("T3  - {}", one_line(name)));
        if let Some(n) = number {
            lines.push(format!("SN  - {}", one_line(n)));
        }
    }
    lines.push(format!("UR  - {}", work.url));
    if let Some(doi) = work.doi {
        lines.push(format!("DO  - {}", one_line(doi)));
    }
    lines.push(format!("LA  - {}", one_line(work.language)));
    for k in &work.keywords {
        lines.push(format!("KW  - {}", one_line(k)));
    }
    if !work.abstract_.is_empty() {
        lines.push(format!("AB  - {}", one_line(work.abstract_)));
    }
    lines.push("ER  - ".to_string());
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}
