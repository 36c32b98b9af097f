//! Headline-style capitalisation of English titles, as the Chicago Manual of Style (18th ed.,
//! 8.160) and MLA 9 (1.2) define it, for the Chicago and MLA citations of a brief.
//!
//! hayagriva's title case was measured against these rules and differs where it matters to
//! publishers (issue 23): it capitalises a minor word after a comma ("Water, Power And Peace"),
//! after an abbreviation's full stop ("the U.S. And EU"), lowercases the inside of words
//! ("Iphone", "Mckinsey") and leaves a minor last word lowercase. So dossier applies the rules
//! itself:
//! - capitalise the first and last word, and the first word after a colon, question mark or
//!   exclamation mark (a subtitle or a new sentence);
//! - lowercase articles, the conjunctions *and, but, for, or, nor*, the prepositions (whatever
//!   their length), *to* and *as*, elsewhere;
//! - capitalise every other word's first letter and never touch the rest of a word, so
//!   "iPhone", "McKinsey", "COVID-19", "U.S." and "eBay" keep the author's spelling;
//! - in a hyphenated compound, capitalise each part ("Cost-Effective", "Follow-Up", "Run-In")
//!   except articles, conjunctions and *of, to, as* inside it ("State-of-the-Art").

/// Words lowercased inside a title (compared in lower case).
const MINOR: &[&str] = &[
    // Articles.
    "a",
    "an",
    "the", // Coordinating conjunctions (CMOS: and, but, for, or, nor).
    "and",
    "but",
    "for",
    "or",
    "nor", // Prepositions, whatever their length.
    "about",
    "above",
    "across",
    "after",
    "against",
    "along",
    "amid",
    "among",
    "around",
    "at",
    "before",
    "behind",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "by",
    "despite",
    "down",
    "during",
    "except",
    "from",
    "in",
    "inside",
    "into",
    "like",
    "near",
    "of",
    "off",
    "on",
    "onto",
    "out",
    "outside",
    "over",
    "past",
    "per",
    "since",
    "than",
    "through",
    "throughout",
    "till",
    "toward",
    "towards",
    "under",
    "underneath",
    "unlike",
    "until",
    "up",
    "upon",
    "versus",
    "via",
    "vs",
    "with",
    "within",
    "without", // "to" and "as".
    "to",
    "as",
];

/// Minor words that stay lower case inside a hyphenated compound (where "up" or "in" are
/// adverbs, capitalised: "Follow-Up", "Run-In").
const MINOR_IN_COMPOUND: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "of", "to", "as",
];

/// True when the word (letters only, any case) is a minor word.
fn is_minor(word: &str) -> bool {
    let lower = word.to_lowercase();
    MINOR.contains(&lower.as_str())
}

/// Capitalise the first letter of `word`, leaving the rest as written.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The letters of a token (quotes and punctuation around it removed), to decide its class.
fn core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

/// A word written with capitals after its first letter ("iPhone", "McKinsey", "EU",
/// "COVID-19"): kept exactly as written.
fn keep_as_written(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next();
    chars.any(|c| c.is_uppercase())
}

/// Transform one token (a word with the punctuation attached to it).
fn case_token(token: &str, force_capital: bool) -> String {
    let word = core(token);
    if word.is_empty() || keep_as_written(word) {
        return token.to_string();
    }
    // Hyphenated compounds: each part is a word; minor words inside stay lower case.
    let mut out = String::with_capacity(token.len());
    let mut first_part = true;
    for (i, part) in token.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        let w = core(part);
        let lead = part.len()
            - part
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let (before, rest) = part.split_at(lead);
        out.push_str(before);
        if w.is_empty() {
            out.push_str(rest);
        } else if (force_capital && first_part)
            || (i == 0 && !is_minor(w))
            || (i > 0 && !MINOR_IN_COMPOUND.contains(&w.to_lowercase().as_str()))
        {
            out.push_str(&capitalize(rest));
        } else {
            out.push_str(&rest.to_lowercase());
        }
        first_part = false;
    }
    out
}

/// True when `token` ends a clause after which the next word is capitalised.
fn opens_clause(token: &str) -> bool {
    let t = token.trim_end_matches(['"', '\'', '’', '”', ')']);
    t.ends_with([':', '?', '!'])
}

/// A title in headline style (see the module doc). Whitespace is kept as written.
pub fn title_case(title: &str) -> String {
    let tokens: Vec<&str> = title.split_whitespace().collect();
    let mut out = String::with_capacity(title.len());
    let mut capital_next = true;
    let last = tokens
        .iter()
        .rposition(|t| !core(t).is_empty())
        .unwrap_or(0);
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // The first and last word of a title or subtitle ("Stay On? A Winter Outlook").
        let force = capital_next || i == last || opens_clause(token);
        out.push_str(&case_token(token, force));
        if !core(token).is_empty() {
            capital_next = opens_clause(token);
        } else if opens_clause(token) {
            capital_next = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::title_case;

    #[test]
    fn issue_23_headline_style_by_the_rules() {
        for (given, want) in [
            ("water, power and peace", "Water, Power and Peace"),
            (
                "the iPhone and McKinsey in the U.S. and EU",
                "The iPhone and McKinsey in the U.S. and EU",
            ),
            (
                "storage before generation: why hours matter",
                "Storage before Generation: Why Hours Matter",
            ),
            ("what the grid is for", "What the Grid Is For"),
            ("a \"hard\" case", "A \"Hard\" Case"),
            ("cost-effective follow-up", "Cost-Effective Follow-Up"),
            ("state-of-the-art sensors", "State-of-the-Art Sensors"),
            ("COVID-19 and the state", "COVID-19 and the State"),
            ("covid-19 and the state", "Covid-19 and the State"),
            (
                "will the lights stay on? a winter outlook",
                "Will the Lights Stay On? A Winter Outlook",
            ),
            (
                "from Baghdad to Basra — and back",
                "From Baghdad to Basra — and Back",
            ),
            ("tariffs (and their limits)", "Tariffs (and Their Limits)"),
            ("a plan to build", "A Plan to Build"),
        ] {
            assert_eq!(title_case(given), want, "{given}");
        }
    }
}
