//! Scholarly and social metadata (issue 4): what Google Scholar (Highwire Press tags), search
//! engines (schema.org JSON-LD), social cards (Open Graph, Twitter) and reference managers
//! (cite.bib, cite.ris, JSON Feed) read. Built from the same resolved `Site` as the pages.
//!
//! JSON is made with serde_json and made safe for `<script>` in `escape::json_for_script`;
//! templates print the tags, so a site can change them.

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::cite::{self, Citations, CiteName, Work, WorkKind};
use crate::escape::json_for_script;
use crate::site::{Author, Brief, BriefId, Site};
use crate::urls::{self, absolute};

/// A brief's citation files, kept for the whole build (its page shows the BibTeX too). The
/// formatted styles are not kept: see [`brief_styles`].
pub struct BriefCitation {
    /// BibTeX entry (cite.bib).
    pub bibtex: String,
    /// RIS record (cite.ris).
    pub ris: String,
}

/// `page.scholar`: the Highwire Press values Google Scholar reads.
#[derive(Serialize)]
pub struct ScholarView {
    /// `citation_title`.
    pub title: String,
    /// One per author in byline order: `name` for `citation_author` ("Family, Given"),
    /// `institution` for `citation_author_institution`, `orcid` (the iD's URL) for
    /// `citation_author_orcid`.
    pub authors: Vec<ScholarAuthor>,
    /// True for reports, working papers and briefs (`citation_technical_report_*` tags);
    /// false for types cited as articles (commentary).
    pub technical_report: bool,
    /// `citation_publication_date`, YYYY/MM/DD.
    pub publication_date: String,
    /// `citation_publisher` (and `citation_technical_report_institution`).
    pub publisher: String,
    /// `citation_language`.
    pub language: String,
    /// `citation_pdf_url` (absolute), when a PDF is attached.
    pub pdf_url: Option<String>,
    /// `citation_doi`.
    pub doi: Option<String>,
    /// `citation_technical_report_number`, from `publisher_series`.
    pub report_number: Option<String>,
    /// `citation_abstract_html_url`.
    pub abstract_html_url: String,
    /// `citation_keywords`.
    pub keywords: Vec<String>,
    /// `citation_reference`, one per work the brief cites: `citation_title=…;
    /// citation_author=…; citation_publication_date=…; …`.
    pub references: Vec<String>,
}

/// An author in the Highwire tags.
#[derive(Serialize)]
pub struct ScholarAuthor {
    /// "Family, Given".
    pub name: String,
    /// The profile's `affiliation`.
    pub institution: Option<String>,
    /// `https://orcid.org/…`.
    pub orcid: Option<String>,
}

/// `page.citation`: "Cite this brief".
#[derive(Serialize)]
pub struct CitationView<'a> {
    /// APA 7 (`text`, `html`).
    pub apa: &'a cite::Formatted,
    /// Chicago notes-bibliography.
    pub chicago: &'a cite::Formatted,
    /// MLA 9.
    pub mla: &'a cite::Formatted,
    /// The language of the citations' words: the brief's when CSL translates it ("ar", with
    /// "و" and Arabic month names), else "en". The theme marks the citations with it.
    pub language: &'a str,
    /// Its direction: "rtl" or "ltr".
    pub dir: &'static str,
    /// The BibTeX entry.
    pub bibtex: &'a str,
    /// URL of cite.bib.
    pub bib_url: String,
    /// URL of cite.ris.
    pub ris_url: String,
}

/// The citation name of an author: profile `citation_name`, else split from the name.
pub fn author_cite_name(a: &Author) -> CiteName {
    let cn = a
        .profile
        .as_ref()
        .and_then(|p| p.front.citation_name.as_deref());
    cite::cite_name(&a.name, cn)
}

/// What citations treat a brief as, from its publication type. A built-in type's label is
/// the type's name in the brief's language when the translation files have it ("ورقة
/// سياسات"); a label site.toml sets is used as written.
fn kind<'a>(site: &'a Site, b: &Brief, language: &str) -> WorkKind<'a> {
    let t = site.config.publication_type(&b.doc.kind);
    match t.map(|t| t.cite_as) {
        Some(crate::config::CiteAs::Article) => WorkKind::Article,
        _ => WorkKind::Report {
            label: t.and_then(|t| {
                let label = t.label.as_deref()?;
                let built_in = !t.named_by_site && label == t.title;
                let translated = (built_in && language != site.config.language)
                    .then(|| {
                        let labels = site.i18n.labels(language);
                        labels
                            .type_names(&t.name)
                            .map(|(title, _)| title.to_string())
                    })
                    .flatten();
                Some(translated.map_or(label.into(), Into::into))
            }),
        },
    }
}

/// What a brief's citations are made from: the title and subtitle (never the dek).
fn work<'a>(site: &'a Site, b: &'a Brief) -> Work<'a> {
    let first_family = b
        .authors
        .first()
        .map(|a| crate::slug::slugify(&author_cite_name(site.author(*a)).family));
    let first_word = crate::slug::slugify(&b.doc.title)
        .split('-')
        .find(|w| w.len() > 3)
        .unwrap_or("brief")
        .to_string();
    let language = b.doc.language.as_deref().unwrap_or(&site.config.language);
    Work {
        key: format!(
            "{}{}{}",
            first_family.unwrap_or_default().replace('-', ""),
            b.doc.date.year(),
            first_word
        ),
        title: &b.doc.title,
        subtitle: b.doc.subtitle.as_deref(),
        kind: kind(site, b, language),
        authors: b
            .authors
            .iter()
            .map(|a| author_cite_name(site.author(*a)))
            .collect(),
        date: b.doc.date.date(),
        publisher: site.config.publisher(),
        series: b.doc.publisher_series.as_deref(),
        url: &b.permalink,
        doi: b.doc.doi.as_deref(),
        language,
        terms: cite::terms::Terms::for_language(language),
        abstract_: &b.summary,
        keywords: site.topic_names(b),
    }
}

/// The citation files of one brief.
pub fn brief_citation(site: &Site, b: &Brief) -> BriefCitation {
    let w = work(site, b);
    BriefCitation {
        bibtex: cite::bibtex(&w),
        ris: cite::ris(&w),
    }
}

/// One brief's APA, Chicago and MLA citations, made as its page is rendered and dropped with
/// it: only that page shows them, and held for every brief they took about 0.35 GB at
/// 100,000 briefs, beside the site, until every page was rendered (bench/RESULTS.md).
pub fn brief_styles(site: &Site, b: &Brief) -> Citations {
    cite::citations(&work(site, b))
}

/// The title as citations and Google Scholar take it: "Title: Subtitle".
pub fn citation_title(site: &Site, b: &Brief) -> String {
    work(site, b).full_title()
}

/// The Highwire values of a brief.
pub fn scholar_view(site: &Site, b: &Brief) -> ScholarView {
    ScholarView {
        title: citation_title(site, b),
        authors: b
            .authors
            .iter()
            .map(|a| {
                let a = site.author(*a);
                let p = a.profile.as_ref();
                ScholarAuthor {
                    name: author_cite_name(a).inverted(),
                    institution: p.and_then(|p| p.front.affiliation.clone()),
                    orcid: p.and_then(|p| p.orcid.as_ref()).map(|o| o.url()),
                }
            })
            .collect(),
        technical_report: matches!(
            kind(site, b, &site.config.language),
            WorkKind::Report { .. }
        ),
        publication_date: b.doc.date.strftime("%Y/%m/%d").to_string(),
        publisher: site.config.publisher().to_string(),
        language: b
            .doc
            .language
            .clone()
            .unwrap_or_else(|| site.config.language.clone()),
        // Google Scholar takes a PDF only from the same site as the page.
        pdf_url: pdf_url(site, b)
            .filter(|u| !urls::is_external(u))
            .map(|u| absolute(site, &u)),
        doi: b.doc.doi.clone(),
        report_number: b
            .doc
            .publisher_series
            .as_deref()
            .map(|s| cite::split_series(s).1.unwrap_or(s).to_string()),
        abstract_html_url: b.permalink.clone(),
        keywords: site
            .topic_names(b)
            .into_iter()
            .map(str::to_string)
            .collect(),
        references: b.doc.references.iter().map(highwire_reference).collect(),
    }
}

/// A cited work as Highwire's `citation_reference` value: `key=value` pairs joined by "; "
/// (a `;` inside a value would end it, so it becomes a comma).
fn highwire_reference(r: &crate::biblio::Reference) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    if let Some(t) = &r.title {
        parts.push(("citation_title", t.clone()));
    }
    for a in &r.authors {
        parts.push(("citation_author", a.clone()));
    }
    if let Some(d) = &r.date {
        parts.push(("citation_publication_date", d.replace('-', "/")));
    }
    let container_key = match r.schema_type {
        "ScholarlyArticle" | "NewsArticle" => "citation_journal_title",
        "Chapter" => "citation_inbook_title",
        _ => "citation_series_title",
    };
    let fields = [
        (container_key, r.container.clone()),
        ("citation_volume", r.volume.clone()),
        ("citation_issue", r.issue.clone()),
        ("citation_firstpage", r.pages.as_ref().map(|p| p.0.clone())),
        (
            "citation_lastpage",
            r.pages.as_ref().and_then(|p| p.1.clone()),
        ),
        ("citation_publisher", r.publisher.clone()),
        ("citation_technical_report_number", r.number.clone()),
        ("citation_doi", r.doi.clone()),
        ("citation_public_url", r.url.clone()),
    ];
    parts.extend(fields.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    parts
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(';', ",")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A cited work as a schema.org object for the `citation` property.
fn reference_json(r: &crate::biblio::Reference) -> Json {
    let mut j = json!({ "@type": r.schema_type });
    if let Some(t) = &r.title {
        j["name"] = t.clone().into();
    }
    if !r.authors.is_empty() {
        j["author"] = r
            .authors
            .iter()
            .map(|a| match a.split_once(", ") {
                Some((family, given)) => json!({ "@type": "Person", "name": format!("{given} {family}"), "familyName": family, "givenName": given }),
                None => json!({ "@type": "Organization", "name": a }),
            })
            .collect();
    }
    if let Some(d) = &r.date {
        j["datePublished"] = d.clone().into();
    }
    if let Some(c) = &r.container {
        j["isPartOf"] = json!({ "@type": "CreativeWork", "name": c });
    }
    if let Some(p) = &r.publisher {
        j["publisher"] = json!({ "@type": "Organization", "name": p });
    }
    if let Some(doi) = &r.doi {
        j["identifier"] = json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": doi });
        j["url"] = format!("https://doi.org/{doi}").into();
    } else if let Some(u) = &r.url {
        j["url"] = u.clone().into();
    }
    j
}

/// A brief's licence: its own `license`, else the site's.
pub fn licence<'a>(site: &'a Site, b: &'a Brief) -> Option<&'a crate::content::scholarly::Licence> {
    b.doc.licence.as_ref().or(site.config.licence.as_ref())
}

/// URL (with base path) of a brief's PDF.
pub fn pdf_url(site: &Site, b: &Brief) -> Option<String> {
    b.doc
        .pdf
        .as_deref()
        .map(|p| urls::resolve(site, &b.path, p))
}

fn logo(site: &Site) -> Option<String> {
    site.config
        .metadata
        .logo
        .as_deref()
        .map(|l| absolute(site, &urls::resolve(site, "", l.trim_start_matches('/'))))
}

fn publisher_json(site: &Site) -> Json {
    let mut p = json!({ "@type": "Organization", "name": site.config.publisher(), "url": site.config.base_url });
    if let Some(l) = logo(site) {
        p["logo"] = json!({ "@type": "ImageObject", "url": l });
    }
    p
}

fn person_json(site: &Site, a: &Author) -> Json {
    let mut p = json!({ "@type": "Person", "name": a.name, "url": site.permalink(&a.path) });
    if let Some(prof) = &a.profile {
        if let Some(r) = &prof.front.role {
            p["jobTitle"] = r.clone().into();
        }
        if let Some(aff) = &prof.front.affiliation {
            p["affiliation"] = json!({ "@type": "Organization", "name": aff });
            if let Some(u) = &prof.front.affiliation_url {
                p["affiliation"]["url"] = u.clone().into();
            }
        }
        if let Some(photo) = urls::photo(site, a) {
            p["image"] = absolute(site, &photo).into();
        }
        let same: Vec<String> = prof
            .orcid
            .as_ref()
            .map(|o| o.url())
            .into_iter()
            .chain(
                prof.front
                    .links
                    .values()
                    .filter(|u| u.contains("://"))
                    .cloned(),
            )
            .collect();
        if !same.is_empty() {
            p["sameAs"] = json!(same);
        }
    }
    p
}

/// JSON-LD of a brief: `Article` (or `[metadata] schema_type`), safe inside `<script>`.
pub fn brief_json_ld(site: &Site, b: &Brief) -> String {
    if let Some(e) = &b.doc.event {
        return script_json(&event_json(site, b, e));
    }
    let d = &b.doc;
    let mut j = json!({
        "@context": "https://schema.org",
        "@type": site.config.metadata.schema_type.as_deref().unwrap_or("Article"),
        "headline": d.title,
        "datePublished": d.date.timestamp().to_string(),
        "dateModified": b.last_modified().timestamp().to_string(),
        "author": b.authors.iter().map(|a| person_json(site, site.author(*a))).collect::<Vec<_>>(),
        "publisher": publisher_json(site),
        "mainEntityOfPage": { "@type": "WebPage", "@id": b.permalink },
        "url": b.permalink,
        "inLanguage": d.language.as_deref().unwrap_or(&site.config.language),
        "description": b.summary,
        "wordCount": d.body.words,
    });
    if let Some(s) = &d.subtitle {
        j["alternativeHeadline"] = s.clone().into();
    }
    if let Some(img) = urls::hero(site, b) {
        j["image"] = absolute(site, &img).into();
    }
    let kw = site.topic_names(b);
    if !kw.is_empty() {
        j["keywords"] = json!(kw);
    }
    if let Some(doi) = &d.doi {
        j["identifier"] = json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": doi });
        j["sameAs"] = format!("https://doi.org/{doi}").into();
    }
    if let Some(series) = &d.publisher_series {
        j["isPartOf"] = json!({ "@type": "PublicationIssue", "name": series });
    }
    if let Some(l) = licence(site, b) {
        j["license"] = l.url.clone().into();
    }
    if !b.doc.references.is_empty() {
        j["citation"] = b.doc.references.iter().map(reference_json).collect();
    }
    super::editions::json_ld(site, b, &mut j);
    script_json(&j)
}

/// JSON-LD `Event` of an event: name, times, place (a `VirtualLocation` when the location is
/// a URL or says "Online"), organiser, speakers (the byline) and the registration offer.
fn event_json(site: &Site, b: &Brief, e: &crate::content::brief::Event) -> Json {
    let d = &b.doc;
    let mut j = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": d.title,
        "startDate": e.start.timestamp().to_string(),
        "eventStatus": "https://schema.org/EventScheduled",
        "url": b.permalink,
        "description": b.summary,
        "inLanguage": d.language.as_deref().unwrap_or(&site.config.language),
        "organizer": publisher_json(site),
    });
    if let Some(end) = &e.end {
        j["endDate"] = end.timestamp().to_string().into();
    }
    let online = |l: &str| l.eq_ignore_ascii_case("online") || urls::is_external(l);
    match e.location.as_deref() {
        Some(l) if online(l) => {
            j["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode".into();
            let url = if urls::is_external(l) {
                l
            } else {
                b.permalink.as_str()
            };
            j["location"] = json!({ "@type": "VirtualLocation", "url": url });
        }
        Some(l) => {
            j["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode".into();
            j["location"] = json!({ "@type": "Place", "name": l, "address": l });
        }
        None => {}
    }
    if !b.authors.is_empty() {
        j["performer"] = b
            .authors
            .iter()
            .map(|a| person_json(site, site.author(*a)))
            .collect();
    }
    if let Some(r) = &e.registration_url {
        j["offers"] = json!({ "@type": "Offer", "url": r });
    }
    if let Some(img) = urls::hero(site, b) {
        j["image"] = absolute(site, &img).into();
    }
    j
}

/// JSON-LD of an author page: a `ProfilePage` whose main entity is the `Person`, described by
/// the first paragraph of the bio.
pub fn author_json_ld(site: &Site, a: &Author) -> String {
    let mut person = person_json(site, a);
    if let Some(p) = &a.profile
        && !p.bio.first_paragraph.is_empty()
    {
        person["description"] = p.bio.first_paragraph.clone().into();
    }
    let j = json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": site.permalink(&a.path),
        "mainEntity": person,
    });
    script_json(&j)
}

/// JSON-LD of the home page: the `WebSite` and its publishing `Organization`.
pub fn home_json_ld(site: &Site) -> String {
    let mut org = publisher_json(site);
    org["@id"] = format!("{}#organization", site.config.base_url).into();
    let j = json!({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": format!("{}#website", site.config.base_url),
                "url": site.config.base_url,
                "name": site.config.title,
                "description": site.config.description,
                "inLanguage": site.config.language,
                "publisher": { "@id": format!("{}#organization", site.config.base_url) },
            },
            org,
        ],
    });
    script_json(&j)
}

fn script_json(j: &Json) -> String {
    json_for_script(&serde_json::to_string(j).expect("JSON values serialise"))
}

/// JSON Feed 1.1 of the newest briefs: `title`, the feed's own path, the page it mirrors and
/// its language (each item names its own too).
pub fn json_feed(
    site: &Site,
    (title, self_path, home_path, lang): (&str, &str, &str, &str),
    briefs: &[BriefId],
    limit: usize,
    bodies: &super::feeds::FeedBodies,
) -> String {
    let items: Vec<Json> = briefs
        .iter()
        .take(limit)
        .map(|id| {
            let b = site.brief(*id);
            let mut item = json!({
                "id": b.permalink,
                "url": b.permalink,
                "title": b.doc.title,
                "summary": b.summary,
                "content_text": b.summary,
                "date_published": b.doc.date.timestamp().to_string(),
                "date_modified": b.last_modified().timestamp().to_string(),
                "authors": b.authors.iter().take(crate::site::BYLINE_IN_LISTINGS).map(|a| {
                    let a = site.author(*a);
                    json!({ "name": a.name, "url": site.permalink(&a.path) })
                }).collect::<Vec<_>>(),
                "tags": site.topic_names(b),
                "language": b.doc.language.as_deref().unwrap_or(&site.config.language),
            });
            if let Some(img) = urls::hero(site, b) {
                item["image"] = absolute(site, &img).into();
            }
            if let Some(html) = bodies.html(*id) {
                item["content_html"] = html.into();
            }
            let mut ext = serde_json::Map::new();
            if let Some(s) = &b.doc.subtitle {
                ext.insert("subtitle".into(), s.clone().into());
            }
            if let Some(d) = &b.doc.dek {
                ext.insert("dek".into(), d.clone().into());
            }
            if let Some(l) = licence(site, b) {
                ext.insert(
                    "license".into(),
                    json!({ "id": l.id, "name": l.name, "url": l.url }),
                );
            }
            if !ext.is_empty() {
                item["_dossier"] = Json::Object(ext);
            }
            item
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": site.permalink(home_path),
        "feed_url": site.permalink(self_path),
        "description": site.config.description,
        "language": lang,
        "items": items,
    });
    let mut s = serde_json::to_string_pretty(&feed).expect("JSON values serialise");
    s.push('\n');
    s
}
