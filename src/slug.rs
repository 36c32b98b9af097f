//! Slugs: the only place in dossier where a name becomes a URL segment.
//!
//! A slug is lower-case ASCII letters, digits and single hyphens, transliterated from Unicode
//! (`Renée Okafor-Laurent` → `renee-okafor-laurent`), with apostrophes dropped rather than
//! turned into hyphens (`Katai’b Hezbollah` → `kataib-hezbollah`). Because a slug can never
//! contain `/`, `.` or `\`, no slug can point outside the output folder (issue 2).

/// Characters people use as apostrophes; they join words instead of splitting them.
const APOSTROPHES: &[char] = &['\'', '’', '‘', 'ʼ', 'ʻ', '`', '´', 'ʹ', '′'];

/// Make a slug; may return an empty string for input without letters or digits in any script.
pub fn slugify(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| !APOSTROPHES.contains(c)).collect();
    slug::slugify(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_2_slug_examples() {
        assert_eq!(slugify("Katai’b Hezbollah"), "kataib-hezbollah");
        assert_eq!(slugify("Renée Okafor-Laurent"), "renee-okafor-laurent");
        assert_eq!(slugify("U.S. Foreign Policy"), "u-s-foreign-policy");
        assert_eq!(slugify("  Energy & Climate  "), "energy-climate");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Ŝŭdŏ Ĉĥēŧ"), "sudo-chet");
        assert!(!slugify("الشرق الأوسط").is_empty());
        assert_eq!(slugify("!!!"), "");
    }
}
