//! Field types shared by front matter structs: dates as written, and "one or many" lists.
//!
//! They accept what users write in both YAML and TOML (`date: 2024-05-01`, TOML's native
//! dates, `authors: Jane Doe` or a list) and reject the rest with serde's positioned errors.

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// Why `tag` is not a BCP 47 language tag ("en", "ar", "fr-CA", "zh-Hant-TW"), if it is not:
/// a primary subtag of 2 or 3 letters, then subtags of 1 to 8 letters or digits, with hyphens.
pub fn check_language(tag: &str) -> Result<(), String> {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        return Ok(());
    }
    let hint = if tag.contains('_') {
        format!(" (use hyphens: {:?})", tag.replace('_', "-"))
    } else {
        String::new()
    };
    Err(format!(
        "{tag:?} is not a language tag such as \"en\", \"ar\" or \"fr-CA\"{hint}"
    ))
}

/// Every form a front matter date may take, for error messages.
pub const ACCEPTED: &str = "write 2024-05-01 (midnight in the site's time zone), 2024-05-01 09:30 or 2024-05-01T09:30:00 (in the site's time zone), or 2024-05-01T09:30:00+03:00 / 2024-05-01T09:30:00Z (that instant)";

/// A date exactly as written in front matter; interpreted by [`DateText::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2024-05-01 or 2024-05-01T09:30:00+03:00")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.trim().to_string()))
            }
            // TOML's native date-times arrive as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                let mut out = None;
                while let Some((_, v)) = map.next_entry::<String, String>()? {
                    out = Some(v.to_string());
                }
                out.map(DateText)
                    .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Map, &self))
            }
        }
        d.deserialize_any(V)
    }
}

impl DateText {
    /// Interpret: `YYYY-MM-DD` is midnight in the site's time zone; a date-time without offset
    /// is in the site's zone; RFC 3339 with an offset is that instant.
    pub fn resolve(&self, tz: &TimeZone) -> Result<ZonedDateTime, String> {
        let s = self.0.as_str();
        if let Ok(ts) = s.parse::<Timestamp>() {
            return Ok(ts.to_zoned_datetime(tz.clone()));
        }
        if let Ok(dt) = s.replace(' ', "T").parse::<DateTime>() {
            return dt
                .to_zoned_datetime(tz.clone())
                .map_err(|e| format!("`{s}` does not exist in the site's time zone: {e}"));
        }
        match s.parse::<Date>() {
            Ok(d) => d
                .to_zoned_datetime(tz.clone())
                .map_err(|e| format!("`{s}`: {e}")),
            Err(e) => Err(if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
                format!("`{s}` is not a real date ({e})")
            } else {
                format!("`{s}` is not a date: {ACCEPTED}")
            }),
        }
    }
}

/// A list of strings that may also be written as one string (`authors: Jane Doe`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of names, or one name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StringList, E> {
                Ok(StringList(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<StringList, E> {
                Ok(StringList(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(StringList(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let tz = TimeZone::get("Asia/Beirut").unwrap();
        let z = DateText("2024-05-01".into()).resolve(&tz).unwrap();
        assert_eq!(z.hour(), 0);
        assert_eq!(z.time_zone(), &tz);
        let z = DateText("2024-05-01T09:30:00Z".into())
            .resolve(&TimeZone::UTC)
            .unwrap();
        assert_eq!(z.hour(), 9);
        assert!(
            DateText("2024-02-30".into())
                .resolve(&tz)
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(
            DateText("yes".into())
                .resolve(&tz)
                .unwrap_err()
                .contains("not a date")
        );
    }
}
