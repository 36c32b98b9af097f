//! Terms in a hierarchy and the people of a term (issue 24): a term profile's `parent` (a
//! region inside a region, a centre inside a programme) and `directors`, and the experts who
//! write in it.
//!
//! A parent's page lists its descendants' briefs too, so `Term::briefs` becomes the union
//! (each brief once, newest first); the brief itself keeps only the terms it names. An unknown
//! parent, a cycle and an unknown director are errors at their key in the term's profile.

use std::collections::{HashMap, HashSet};

use super::{Author, AuthorId, BriefId, EXPERTS_SHOWN, Taxonomy, TermId};
use crate::diag::Diagnostic;
use crate::slug::slugify;

/// Resolve parents, children, directors and experts of every taxonomy's terms.
pub(super) fn resolve(
    taxonomies: &mut [Taxonomy],
    authors: &[Author],
    brief_authors: &[Vec<AuthorId>],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let by_author_slug: HashMap<&str, AuthorId> = authors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.profile.is_some())
        .map(|(i, a)| (a.slug.as_str(), AuthorId(i as u32)))
        .collect();
    for tax in taxonomies.iter_mut() {
        diags.extend(parents(tax));
        diags.extend(directors(tax, &by_author_slug));
        descendants_briefs(tax);
        for term in tax.terms.iter_mut() {
            term.experts = experts(&term.briefs, brief_authors);
        }
    }
    diags
}

fn at(
    tax: &Taxonomy,
    id: TermId,
    key: &str,
) -> Option<(std::path::PathBuf, Option<(usize, usize)>)> {
    let p = tax.term(id).profile.as_ref()?;
    Some((p.source.clone(), p.key_positions.get(key).copied()))
}

/// Set `parent` and `children` from the profiles; errors for unknown parents and cycles (a
/// term in a cycle loses its parent, so the site still has a tree).
fn parents(tax: &mut Taxonomy) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let by_slug: HashMap<String, TermId> = tax
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.clone(), TermId(i as u32)))
        .collect();
    let kind = tax.def.singular.to_lowercase();
    for i in 0..tax.terms.len() {
        let id = TermId(i as u32);
        let Some(written) = tax.terms[i]
            .profile
            .as_ref()
            .and_then(|p| p.front.parent.clone())
        else {
            continue;
        };
        let (file, pos) = at(tax, id, "parent").unwrap_or_default();
        match by_slug.get(&slugify(&written)) {
            Some(&p) if p == id => diags.push(
                Diagnostic::error(format!(
                    "{kind} `{}` names itself as its `parent`",
                    tax.terms[i].slug
                ))
                .in_file(&file)
                .at_opt(pos),
            ),
            Some(&p) => tax.terms[i].parent = Some(p),
            None => diags.push(
                Diagnostic::error(format!("`parent` {written:?} is no {kind} of this site"))
                    .in_file(&file)
                    .at_opt(pos)
                    .with_hint(format!(
                        "create content/{}/{}.md, or name an existing {kind}'s slug",
                        tax.def.name,
                        slugify(&written)
                    )),
            ),
        }
    }
    // Cycles: walk up from each term; a walk that comes back to a term on it is a cycle.
    let mut reported: HashSet<TermId> = HashSet::new();
    for i in 0..tax.terms.len() {
        let start = TermId(i as u32);
        let mut path = vec![start];
        let mut cur = tax.terms[i].parent;
        while let Some(p) = cur {
            if let Some(k) = path.iter().position(|x| *x == p) {
                let cycle = &path[k..];
                if cycle.iter().all(|t| !reported.contains(t)) {
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(std::iter::once(&p))
                        .map(|t| tax.term(*t).slug.as_str())
                        .collect();
                    let (file, pos) = at(tax, p, "parent").unwrap_or_default();
                    diags.push(
                        Diagnostic::error(format!(
                            "{kind} parents form a cycle: {}",
                            names.join(" → ")
                        ))
                        .in_file(&file)
                        .at_opt(pos)
                        .with_hint("a term's `parent` chain must end at a term without one"),
                    );
                }
                reported.extend(cycle.iter().copied());
                break;
            }
            path.push(p);
            cur = tax.term(p).parent;
        }
    }
    for t in &reported {
        tax.terms[t.0 as usize].parent = None;
    }
    for i in 0..tax.terms.len() {
        if let Some(p) = tax.terms[i].parent {
            tax.terms[p.0 as usize].children.push(TermId(i as u32));
        }
    }
    let names: Vec<String> = tax
        .terms
        .iter()
        .map(|t| deunicode::deunicode(&t.name).to_lowercase())
        .collect();
    for t in tax.terms.iter_mut() {
        t.children
            .sort_by(|a, b| names[a.0 as usize].cmp(&names[b.0 as usize]));
    }
    diags
}

/// Every term's briefs become its own and its descendants', each once, newest first.
fn descendants_briefs(tax: &mut Taxonomy) {
    if tax.terms.iter().all(|t| t.parent.is_none()) {
        return;
    }
    let own: Vec<Vec<BriefId>> = tax.terms.iter().map(|t| t.briefs.clone()).collect();
    for i in 0..tax.terms.len() {
        let mut stack = tax.terms[i].children.clone();
        if stack.is_empty() {
            continue;
        }
        let mut all = own[i].clone();
        while let Some(c) = stack.pop() {
            all.extend(&own[c.0 as usize]);
            stack.extend(&tax.terms[c.0 as usize].children);
        }
        all.sort_unstable();
        all.dedup();
        tax.terms[i].briefs = all;
    }
}

/// Directors from the profiles' `directors` (author profile slugs).
fn directors(tax: &mut Taxonomy, authors: &HashMap<&str, AuthorId>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for i in 0..tax.terms.len() {
        let Some(p) = tax.terms[i].profile.as_ref() else {
            continue;
        };
        let mut ids = Vec::new();
        for d in &p.front.directors.0 {
            match authors.get(slugify(d).as_str()) {
                Some(a) if !ids.contains(a) => ids.push(*a),
                Some(_) => {}
                None => diags.push(
                    Diagnostic::error(format!("director {d:?} has no author profile"))
                        .in_file(&p.source)
                        .at_opt(p.key_positions.get("directors").copied())
                        .with_hint(format!(
                            "name the slug of a file in content/authors/, or create content/authors/{}.md",
                            slugify(d)
                        )),
                ),
            }
        }
        tax.terms[i].directors = ids;
    }
    diags
}

/// The authors of `briefs`, most briefs first (then in first-seen order, which is newest
/// first), at most [`EXPERTS_SHOWN`].
fn experts(briefs: &[BriefId], brief_authors: &[Vec<AuthorId>]) -> Vec<AuthorId> {
    let mut count: HashMap<AuthorId, (usize, usize)> = HashMap::new();
    for (order, id) in briefs.iter().enumerate() {
        for a in &brief_authors[id.0 as usize] {
            count.entry(*a).or_insert((0, order)).0 += 1;
        }
    }
    let mut list: Vec<(AuthorId, (usize, usize))> = count.into_iter().collect();
    list.sort_by(|a, b| {
        b.1.0
            .cmp(&a.1.0)
            .then(a.1.1.cmp(&b.1.1))
            .then(a.0.cmp(&b.0))
    });
    list.into_iter()
        .take(EXPERTS_SHOWN)
        .map(|(a, _)| a)
        .collect()
}
