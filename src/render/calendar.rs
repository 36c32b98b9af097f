//! iCalendar (RFC 5545) files for events (issue 24): one `event.ics` beside each event's page
//! ("Add to calendar") and a `calendar.ics` per collection holding its events, to subscribe
//! to. The `icalendar` crate writes them (escaping TEXT values, folding long lines, CRLF);
//! times are written in UTC, so no VTIMEZONE is needed and every client agrees on them.
//!
//! Output is a pure function of the site: DTSTAMP is the item's last modification, never the
//! build's clock, so an unchanged event yields the same bytes.

use icalendar::{Calendar, Component, Event, EventLike};

use crate::site::{Brief, BriefId, Site};

/// A jiff instant as the UTC time `icalendar` takes.
fn utc(z: &jiff::ZonedDateTime) -> chrono::DateTime<chrono::Utc> {
    let t = z.timestamp();
    chrono::DateTime::from_timestamp(t.as_second(), t.subsec_nanosecond() as u32)
        .unwrap_or_default()
}

/// The VEVENT of an item, if it is an event.
fn vevent(b: &Brief) -> Option<Event> {
    let e = b.doc.event.as_ref()?;
    let mut ev = Event::new();
    ev.uid(&b.permalink)
        .timestamp(utc(b.last_modified()))
        .summary(&b.doc.title)
        .starts(utc(&e.start))
        .url(&b.permalink);
    // Without an end, RFC 5545 makes a timed event last no time: say an hour instead.
    let end = match &e.end {
        Some(end) => utc(end),
        None => utc(&e.start) + chrono::Duration::hours(1),
    };
    ev.ends(end);
    if let Some(l) = &e.location {
        ev.location(l);
    }
    let mut description = b.summary.clone();
    if let Some(r) = &e.registration_url {
        description.push_str(&format!("\n\nRegister: {r}"));
    }
    description.push_str(&format!("\n\n{}", b.permalink));
    ev.description(&description);
    if let Some(lang) = &b.doc.language {
        ev.add_property("X-DOSSIER-LANGUAGE", lang);
    }
    Some(ev.done())
}

fn calendar(site: &Site, name: &str) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property((
        "PRODID",
        format!("-//dossier//{}//EN", env!("CARGO_PKG_VERSION")).as_str(),
    ));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.name(name);
    cal.append_property(("X-WR-TIMEZONE", site.config.timezone_name.as_str()));
    cal
}

/// The `event.ics` of one event.
pub fn event_ics(site: &Site, b: &Brief) -> Option<String> {
    let ev = vevent(b)?;
    let mut cal = calendar(site, &b.doc.title);
    cal.push(ev);
    Some(cal.to_string())
}

/// A collection's `calendar.ics`: every published event of `items`.
pub fn collection_ics(site: &Site, title: &str, items: &[BriefId]) -> Option<String> {
    let events: Vec<Event> = items
        .iter()
        .filter(|id| site.is_published(**id))
        .filter_map(|id| vevent(site.brief(*id)))
        .collect();
    if events.is_empty() {
        return None;
    }
    let mut cal = calendar(site, &format!("{title} — {}", site.config.title));
    for e in events {
        cal.push(e);
    }
    Some(cal.to_string())
}
