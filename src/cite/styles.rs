//! "Cite this brief" in APA 7, Chicago (18th ed., notes-bibliography: the bibliography entry)
//! and MLA 9, for the two shapes a brief takes: a report (policy brief, report, working paper,
//! testimony) and an article (commentary).
//!
//! Why dossier formats these itself instead of asking hayagriva's CSL processor, which it uses
//! for references inside briefs: measured on this machine (issue 25), hayagriva takes about
//! 1.4 ms of CPU per brief for the three styles, almost all of it evaluating the official CSL
//! styles' conditions (allocating and dropping selector trees for every `<if type=…>`);
//! batching briefs into one driver is slower (1.8 ms), CSL-JSON input saves 10 %. The target is
//! 50 µs. These formatters take a few microseconds. They reuse hayagriva where a detail is
//! subtle (APA initials, through `Person::initials`), and `tests.rs` formats thousands of
//! generated works both ways and requires the same text and HTML, so they cannot drift from
//! hayagriva's styles; the intended differences are named there (the title case of
//! `title_case.rs`, a type's own label in headline style in Chicago and MLA ("Policy Brief"),
//! and APA's rule that a publisher equal to the author is not repeated).

use std::fmt::Write as _;

use super::terms::Terms;
use super::title_case::title_case;
use super::{CiteName, Formatted, Work, WorkKind, split_series};

/// A piece of a formatted citation.
enum Span {
    Text(String),
    Italic(String),
    Link(String),
}

/// A citation being written.
#[derive(Default)]
struct Out(Vec<Span>);

impl Out {
    fn text(&mut self, s: &str) {
        if let Some(Span::Text(t)) = self.0.last_mut() {
            t.push_str(s);
        } else {
            self.0.push(Span::Text(s.to_string()));
        }
    }

    fn italic(&mut self, s: &str) {
        self.0.push(Span::Italic(s.to_string()));
    }

    /// An italic title: a full stop that ends it goes outside the italics (the part's own
    /// closing stop), as CSL processors print it.
    fn italic_title(&mut self, s: &str) {
        self.italic(s.strip_suffix('.').unwrap_or(s));
    }

    fn link(&mut self, url: &str) {
        self.0.push(Span::Link(url.to_string()));
    }

    /// The last character written.
    fn last_char(&self) -> Option<char> {
        match self.0.last()? {
            Span::Text(t) | Span::Italic(t) | Span::Link(t) => t.chars().last(),
        }
    }

    /// End a part with `mark`, unless it already ends with a full stop, question mark or
    /// exclamation mark (so a title ending in "?" is not followed by "?.").
    fn close(&mut self, mark: char) {
        if !matches!(self.last_char(), Some('.' | '?' | '!')) {
            let mut b = [0u8; 4];
            self.text(mark.encode_utf8(&mut b));
        }
    }

    fn finish(self) -> Formatted {
        let mut text = String::new();
        let mut html = String::new();
        for span in self.0 {
            match span {
                Span::Text(t) => {
                    text.push_str(&t);
                    html.push_str(&crate::escape::html(&t));
                }
                Span::Italic(t) => {
                    text.push_str(&t);
                    // A right-to-left title is isolated, so the citation around it keeps its
                    // left-to-right order (issue 27).
                    let dir = if crate::i18n::has_rtl(&t) {
                        " dir=\"auto\""
                    } else {
                        ""
                    };
                    let _ = write!(html, "<i{dir}>{}</i>", crate::escape::html(&t));
                }
                Span::Link(u) => {
                    text.push_str(&u);
                    let u = crate::escape::html(&u);
                    // An address reads left to right in a right-to-left citation too.
                    let _ = write!(html, "<a href=\"{u}\" dir=\"ltr\">{u}</a>");
                }
            }
        }
        Formatted {
            text: text.trim().to_string(),
            html: html.trim().to_string(),
        }
    }
}

/// The address a citation ends with: the DOI's resolver URL, else the page.
fn locator(work: &Work<'_>) -> String {
    match work.doi {
        Some(doi) => format!("https://doi.org/{doi}"),
        None => work.url.to_string(),
    }
}

/// Family name with its particle ("van der Berg").
fn family(a: &CiteName) -> String {
    match &a.particle {
        Some(p) => format!("{p} {}", a.family),
        None => a.family.clone(),
    }
}

/// "Family, Given" (or the organisation's name).
fn inverted(a: &CiteName) -> String {
    match &a.given {
        Some(g) => format!("{}, {g}", family(a)),
        None => family(a),
    }
}

/// "Given Family" (or the organisation's name).
fn natural(a: &CiteName) -> String {
    match &a.given {
        Some(g) => format!("{g} {}", family(a)),
        None => family(a),
    }
}

/// APA's form of a name: "Family, I. I." with initials made by hayagriva.
fn apa_name(a: &CiteName) -> String {
    let Some(given) = &a.given else {
        return family(a);
    };
    let person = hayagriva::types::Person {
        name: family(a),
        given_name: Some(given.clone()),
        prefix: None,
        suffix: None,
        comma_suffix: false,
        alias: None,
    };
    let mut initials = String::new();
    let _ = person.initials(&mut initials, Some(". "), true);
    let initials = initials.trim_end();
    let initials = if initials.ends_with('.') || initials.is_empty() {
        initials.to_string()
    } else {
        format!("{initials}.")
    };
    format!("{}, {initials}", family(a))
}

/// "A, B, and C" with the final separator given.
fn join_with_final(names: &[String], final_sep: &str) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 => format!("{}{final_sep}{}", names[0], names[1]),
        n => format!("{}{final_sep}{}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn apa_authors(authors: &[CiteName]) -> String {
    let names: Vec<String> = authors.iter().map(apa_name).collect();
    if names.len() > 20 {
        // APA 7: the first nineteen, an ellipsis, the last.
        return format!("{}, … {}", names[..19].join(", "), names[names.len() - 1]);
    }
    if names.len() == 2 {
        return format!("{}, & {}", names[0], names[1]);
    }
    join_with_final(&names, ", & ")
}

fn chicago_authors(authors: &[CiteName], t: &Terms) -> String {
    let mut names: Vec<String> = authors.iter().map(natural).collect();
    if let (Some(first), Some(a)) = (names.first_mut(), authors.first()) {
        *first = inverted(a);
    }
    if names.len() > 6 {
        // CMOS 18: seven or more authors: the first three, then et al.
        return format!("{}, {}", names[..3].join(", "), t.et_al);
    }
    if names.len() == 2 {
        return format!("{}, {} {}", names[0], t.and, names[1]);
    }
    join_with_final(&names, &format!(", {} ", t.and))
}

fn mla_authors(authors: &[CiteName], t: &Terms) -> String {
    match authors {
        [] => String::new(),
        [a] => inverted(a),
        [a, b] => format!("{}, {} {}", inverted(a), t.and, natural(b)),
        [a, ..] => format!("{}, {}", inverted(a), t.et_al),
    }
}

/// MLA's date: "4 Sept. 2026" (the month abbreviated in the work's language).
fn mla_date(d: jiff::civil::Date, t: &Terms) -> String {
    format!(
        "{} {} {}",
        d.day(),
        t.months_short[d.month() as usize - 1],
        d.year()
    )
}

/// The title in headline style for Chicago and MLA (English titles only).
fn headline(work: &Work<'_>, title: &str) -> String {
    if work.language.starts_with("en") {
        title_case(title)
    } else {
        title.to_string()
    }
}

/// The series name and number, or the report's own kind ("Policy brief"), for the genre
/// slot of a report.
fn genre<'a>(work: &Work<'a>) -> Option<(String, Option<&'a str>, bool)> {
    match (work.series, &work.kind) {
        (Some(s), _) => {
            let (name, number) = split_series(s);
            Some((name.to_string(), number, false))
        }
        (None, WorkKind::Report { label: Some(l) }) => Some((l.to_string(), None, true)),
        _ => None,
    }
}

/// APA 7.
pub fn apa(work: &Work<'_>) -> Formatted {
    let mut o = Out::default();
    let title = work.full_title();
    let authors = apa_authors(&work.authors);
    let no = work.terms.number_capitalised();
    let org_author_is_publisher =
        work.authors.len() == 1 && work.authors[0].given.is_none() && authors == work.publisher;
    let year = match work.kind {
        WorkKind::Article => {
            let d = work.date;
            format!("({}, {} {})", d.year(), work.terms.month(d), d.day())
        }
        WorkKind::Report { .. } => format!("({})", work.date.year()),
    };
    let title_part = |o: &mut Out| match genre(work) {
        // A title that ends its own sentence keeps its stop before the series.
        Some((name, Some(n), _)) => {
            o.italic(&title);
            o.text(&format!(" ({name} {no} {n})"));
        }
        Some((name, None, _)) => {
            o.italic(&title);
            o.text(&format!(" [{name}]"));
        }
        None => o.italic_title(&title),
    };
    if work.authors.is_empty() {
        // The title takes the author's place; a bare description follows the date.
        o.italic_title(&title);
        let described = match genre(work) {
            Some((name, Some(n), _)) => {
                o.text(&format!(" ({name} {no} {n})"));
                None
            }
            Some((name, None, _)) => Some(name),
            None => None,
        };
        o.close('.');
        o.text(&format!(" {year}. "));
        if let Some(name) = described {
            o.text(&format!("[{name}]. "));
        }
    } else {
        o.text(&authors);
        o.close('.');
        o.text(&format!(" {year}. "));
        title_part(&mut o);
        o.close('.');
        o.text(" ");
    }
    if !org_author_is_publisher {
        o.text(work.publisher);
        o.close('.');
        o.text(" ");
    }
    o.link(&locator(work));
    o.finish()
}

/// Chicago (18th ed.), bibliography entry.
pub fn chicago(work: &Work<'_>) -> Formatted {
    let mut o = Out::default();
    let title = headline(work, &work.full_title());
    if !work.authors.is_empty() {
        o.text(&chicago_authors(&work.authors, work.terms));
        o.close('.');
        o.text(" ");
    }
    match work.kind {
        WorkKind::Article => {
            o.text(&format!("{}{title}", work.terms.quotes.0));
            o.close('.');
            o.text(&format!("{} ", work.terms.quotes.1));
            let date = work.terms.text_date(work.date);
            o.text(&format!("{}, {date}. ", work.publisher));
        }
        WorkKind::Report { .. } => {
            o.italic_title(&title);
            o.close('.');
            o.text(" ");
            if let Some((name, number, own)) = genre(work) {
                let name = if own { headline(work, &name) } else { name };
                match number {
                    Some(n) => o.text(&format!("{name} {} {n}", work.terms.number_capitalised())),
                    None => o.text(&name),
                }
                o.close('.');
                o.text(" ");
            }
            o.text(&format!("{}, {}. ", work.publisher, work.date.year()));
        }
    }
    o.link(&locator(work));
    o.close('.');
    o.finish()
}

/// MLA 9.
pub fn mla(work: &Work<'_>) -> Formatted {
    let mut o = Out::default();
    let title = headline(work, &work.full_title());
    if !work.authors.is_empty() {
        o.text(&mla_authors(&work.authors, work.terms));
        o.close('.');
        o.text(" ");
    }
    match work.kind {
        WorkKind::Article => {
            o.text(&format!("{}{title}", work.terms.quotes.0));
            o.close('.');
            o.text(&format!("{} ", work.terms.quotes.1));
            o.italic(work.publisher);
            o.text(", ");
        }
        WorkKind::Report { .. } => {
            o.italic_title(&title);
            o.close('.');
            o.text(" ");
            if let Some((name, number, own)) = genre(work) {
                let name = if own { headline(work, &name) } else { name };
                match number {
                    Some(n) => o.text(&format!("{name} {} {n}, ", work.terms.number)),
                    None => {
                        o.text(&name);
                        o.close('.');
                        o.text(" ");
                    }
                }
            }
            o.text(&format!("{}, ", work.publisher));
        }
    }
    o.text(&format!("{}, ", mla_date(work.date, work.terms)));
    o.link(&locator(work));
    o.close('.');
    o.finish()
}
