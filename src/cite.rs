//! Citations: the same metadata of a brief rendered as APA 7, Chicago (notes and bibliography)
//! and MLA through hayagriva's CSL processor, and written as BibTeX and RIS (issue 4).
//!
//! Owns how display names become citation names (particles such as "al-" and "van der",
//! organisations, profile `citation_name`). It formats; it does not decide where citations go.

use std::fmt::Write as _;
use std::sync::OnceLock;

use anyhow::Context as _;
use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, Entry,
};

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

/// What a citation is made from.
#[derive(Debug, Clone)]
pub struct Work<'a> {
    /// A key for BibTeX ("okafor-laurent2026storage").
    pub key: String,
    /// Title (and subtitle, joined with a colon).
    pub title: String,
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
    /// Summary.
    pub abstract_: &'a str,
    /// Keywords (topics).
    pub keywords: Vec<&'a str>,
    /// Date the URL was accessed, for styles that want one: the build's date.
    pub accessed: Option<jiff::civil::Date>,
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
}

/// One style's output.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Formatted {
    /// Plain text (for copying).
    pub text: String,
    /// HTML with italics (escaped).
    pub html: String,
}

struct Styles {
    apa: IndependentStyle,
    chicago: IndependentStyle,
    mla: IndependentStyle,
    locales: Vec<Locale>,
}

fn styles() -> &'static Styles {
    static S: OnceLock<Styles> = OnceLock::new();
    S.get_or_init(|| {
        let get = |s: hayagriva::archive::ArchivedStyle| match s.get() {
            Style::Independent(i) => i,
            Style::Dependent(_) => {
                unreachable!("the archived APA, Chicago and MLA styles are independent")
            }
        };
        use hayagriva::archive::ArchivedStyle as A;
        Styles {
            apa: get(A::AmericanPsychologicalAssociation),
            // CMOS 18 notes-bibliography: the shortened-notes variant has the same
            // bibliography entries (pinned by tests/metadata.rs) and formats them in 40% of the
            // time of the full-notes style, whose unused note rules hayagriva evaluates anyway.
            chicago: get(A::ChicagoShortenedNotes),
            mla: get(A::ModernLanguageAssociation),
            // Only the locales the styles can ask for: searching all ~60 for every citation
            // dominated the cost of formatting (issue 7).
            locales: hayagriva::archive::locales()
                .into_iter()
                .filter(|l| l.lang.as_ref().is_some_and(|c| c.0.starts_with("en")))
                .collect(),
        }
    })
}

fn yaml_entry(work: &Work<'_>) -> anyhow::Result<Entry> {
    let authors: Vec<serde_json::Value> = work
        .authors
        .iter()
        .map(|a| {
            // Particles stay part of the family name ("van der Berg, I."), as English-language
            // styles print Dutch, German and Arabic names.
            let family = match &a.particle {
                Some(p) => format!("{p} {}", a.family),
                None => a.family.clone(),
            };
            let mut m = serde_json::Map::new();
            m.insert("name".into(), family.into());
            if let Some(g) = &a.given {
                m.insert("given-name".into(), g.clone().into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let mut entry = serde_json::json!({
        "type": "report",
        "title": work.title,
        "author": authors,
        "date": work.date.to_string(),
        "publisher": work.publisher,
        "url": { "value": work.url },
        "language": work.language,
    });
    if let Some(acc) = work.accessed {
        entry["url"]["date"] = acc.to_string().into();
    }
    let mut serial = serde_json::Map::new();
    if let Some(doi) = work.doi {
        serial.insert("doi".into(), doi.into());
    }
    if let Some(s) = work.series {
        let (genre, number) = split_series(s);
        entry["genre"] = genre.into();
        if let Some(n) = number {
            serial.insert("serial".into(), n.into());
        }
    }
    if !serial.is_empty() {
        entry["serial-number"] = serde_json::Value::Object(serial);
    }
    let lib = serde_json::json!({ "brief": entry });
    let text = serde_json::to_string(&lib).expect("JSON values serialise");
    let library = hayagriva::io::from_yaml_str(&text)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("hayagriva refused the brief's metadata")?;
    library
        .get("brief")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("hayagriva returned no entry for the brief"))
}

fn render(entry: &Entry, style: &IndependentStyle, locales: &[Locale]) -> Formatted {
    let mut driver = BibliographyDriver::new();
    // Hidden ("nocite"): only the bibliography entry is wanted; rendering the note of a note
    // style such as Chicago was most of the cost otherwise.
    let item = CitationItem::new(entry, None, None, true, None);
    driver.citation(CitationRequest::from_items(vec![item], style, locales));
    let result = driver.finish(BibliographyRequest {
        style,
        locale: None,
        locale_files: locales,
    });
    let mut text = String::new();
    let mut html = String::new();
    if let Some(item) = result.bibliography.as_ref().and_then(|b| b.items.first()) {
        let _ = item.content.write_buf(&mut text, BufWriteFormat::Plain);
        // hayagriva's own HTML writer does not escape text, so a title such as
        // `</script><script>…` would become markup: walk the tree and escape every text.
        write_html(&item.content, &mut html);
    }
    Formatted {
        text: text.trim().to_string(),
        html: html.trim().to_string(),
    }
}

/// HTML of a rendered citation: every text escaped, italics as `<i>`, links as `<a>`.
fn write_html(children: &hayagriva::ElemChildren, out: &mut String) {
    use hayagriva::ElemChild;
    // An explicit stack instead of recursion: (children, next index, italic span to close).
    let mut stack: Vec<(&[ElemChild], usize)> = vec![(&children.0, 0)];
    while let Some((list, i)) = stack.pop() {
        let Some(child) = list.get(i) else { continue };
        stack.push((list, i + 1));
        match child {
            ElemChild::Text(f) => push_formatted(f, out),
            ElemChild::Markup(m) => out.push_str(&crate::escape::html(m)),
            ElemChild::Link { text, url } => {
                let _ = write!(out, "<a href=\"{}\">", crate::escape::html(url));
                push_formatted(text, out);
                out.push_str("</a>");
            }
            ElemChild::Elem(e) => stack.push((&e.children.0, 0)),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn push_formatted(f: &hayagriva::Formatted, out: &mut String) {
    let italic = f.formatting.font_style == hayagriva::citationberg::FontStyle::Italic;
    if italic {
        out.push_str("<i>");
    }
    out.push_str(&crate::escape::html(&f.text));
    if italic {
        out.push_str("</i>");
    }
}

/// Format a work in APA, Chicago and MLA.
pub fn citations(work: &Work<'_>) -> anyhow::Result<Citations> {
    let entry = yaml_entry(work)?;
    let s = styles();
    Ok(Citations {
        apa: render(&entry, &s.apa, &s.locales),
        chicago: render(&entry, &s.chicago, &s.locales),
        mla: render(&entry, &s.mla, &s.locales),
    })
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

/// A BibTeX `@techreport` entry.
pub fn bibtex(work: &Work<'_>) -> String {
    let mut s = format!("@techreport{{{},\n", work.key);
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
    field("author", &authors.join(" and "));
    field("title", &format!("{{{}}}", tex(&work.title)));
    field("institution", &tex(work.publisher));
    field("year", &work.date.year().to_string());
    field("month", &work.date.month().to_string());
    field("date", &work.date.to_string());
    if let Some(series) = work.series {
        let (name, number) = split_series(series);
        field("type", &tex(name));
        if let Some(n) = number {
            field("number", &tex(n));
        }
    }
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

/// An RIS record (CRLF line ends, as the format specifies).
pub fn ris(work: &Work<'_>) -> String {
    let one_line = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut lines = vec!["TY  - RPRT".to_string()];
    for a in &work.authors {
        lines.push(format!("AU  - {}", one_line(&a.inverted())));
    }
    lines.push(format!("TI  - {}", one_line(&work.title)));
    lines.push(format!("PY  - {}", work.date.year()));
    lines.push(format!("DA  - {}", work.date.strftime("%Y/%m/%d")));
    lines.push(format!("PB  - {}", one_line(work.publisher)));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn work(authors: Vec<CiteName>) -> Work<'static> {
        Work {
            key: "k".into(),
            title: "Storage Before Generation: Why hours matter".into(),
            authors,
            date: jiff::civil::date(2026, 10, 14),
            publisher: "Meridian Institute",
            series: Some("Policy Notes 152"),
            url: "https://meridian.example.org/briefs/storage/",
            doi: Some("10.5555/mer.152"),
            language: "en",
            abstract_: "Summary.",
            keywords: vec!["Energy"],
            accessed: None,
        }
    }

    #[test]
    fn names_as_people_write_them() {
        assert_eq!(
            cite_name("Ingrid van der Berg", None).inverted(),
            "van der Berg, Ingrid"
        );
        assert_eq!(
            cite_name("Tariq al-Hashimi", None).inverted(),
            "al-Hashimi, Tariq"
        );
        assert_eq!(
            cite_name("Renée Okafor-Laurent", None).inverted(),
            "Okafor-Laurent, Renée"
        );
        assert_eq!(
            cite_name("Siobhán O’Connor", None).inverted(),
            "O’Connor, Siobhán"
        );
        assert_eq!(
            cite_name("X", Some("Okafor-Laurent, Renée")).family,
            "Okafor-Laurent"
        );
        assert_eq!(
            cite_name("Meridian Institute", Some("Meridian Institute")).inverted(),
            "Meridian Institute"
        );
        assert_eq!(cite_name("Mei-Lin Zhou", None).inverted(), "Zhou, Mei-Lin");
    }

    #[test]
    fn prints_styles() {
        let c = citations(&work(vec![
            cite_name("Renée Okafor-Laurent", None),
            cite_name("Ingrid van der Berg", None),
            cite_name("Meridian Institute", Some("Meridian Institute")),
        ]))
        .unwrap();
        println!(
            "APA: {}\nCHI: {}\nMLA: {}\nHTML: {}",
            c.apa.text, c.chicago.text, c.mla.text, c.apa.html
        );
        println!(
            "{}",
            bibtex(&work(vec![cite_name("Ingrid van der Berg", None)]))
        );
    }
}
