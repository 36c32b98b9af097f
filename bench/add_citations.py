#!/usr/bin/env python3
"""Turn a dossier benchmark corpus into one whose briefs cite references (issue 23's cost).

Writes references.bib (ENTRIES fictional entries: reports, articles, books), names it in
site.toml's [citations], and appends to every brief a paragraph with CITES bracketed
citations (one with a page locator) and one in-text citation, keys chosen by a seeded RNG.

Usage: bench/add_citations.py CORPUS_DIR [--entries 300] [--cites 5] [--style chicago-author-date]
"""
import argparse
import pathlib
import random

p = argparse.ArgumentParser()
p.add_argument("corpus")
p.add_argument("--entries", type=int, default=300)
p.add_argument("--cites", type=int, default=5)
p.add_argument("--style", default="chicago-author-date")
a = p.parse_args()
root = pathlib.Path(a.corpus)
rng = random.Random(23)
family = ["Okoro", "Lindqvist", "Haddad", "Marsh", "Reyes", "Benali", "Costa", "Nordahl", "Faraj", "Ahn"]
given = ["Chidi", "Maja", "Layla", "Eleanor", "Tomás", "Samir", "Rui", "Ingeborg", "Nadia", "Ji-woo"]
words = ["Grid", "Water", "Trade", "Ports", "Payrolls", "Storage", "Tariffs", "Borders", "Markets", "Cities"]
bib = []
for i in range(a.entries):
    f, g = rng.choice(family), rng.choice(given)
    title = f"{rng.choice(words)} and {rng.choice(words)} in Question {i}"
    year = rng.randint(1995, 2025)
    kind = i % 3
    if kind == 0:
        bib.append(f"@report{{ref{i},\n  author = {{{f}, {g}}},\n  title = {{{title}}},\n  institution = {{Institute {i % 17}}},\n  number = {{{i}}},\n  year = {{{year}}},\n}}\n")
    elif kind == 1:
        bib.append(f"@article{{ref{i},\n  author = {{{f}, {g} and {rng.choice(family)}, {rng.choice(given)}}},\n  title = {{{title}}},\n  journaltitle = {{Journal of {rng.choice(words)}}},\n  volume = {{{i % 40}}},\n  pages = {{{i}--{i + 20}}},\n  year = {{{year}}},\n  doi = {{10.5555/bench.{i}}},\n}}\n")
    else:
        bib.append(f"@book{{ref{i},\n  author = {{{f}, {g}}},\n  title = {{{title}}},\n  publisher = {{{rng.choice(words)} Press}},\n  year = {{{year}}},\n}}\n")
(root / "references.bib").write_text("\n".join(bib))
toml = (root / "site.toml").read_text()
if "[citations]" not in toml:
    toml += f'\n[citations]\nstyle = "{a.style}"\nbibliography = ["references.bib"]\n'
    (root / "site.toml").write_text(toml)
for md in sorted((root / "content" / "briefs").rglob("*.md")):
    if md.name == "_index.md":
        continue
    keys = [f"ref{rng.randrange(a.entries)}" for _ in range(a.cites + 1)]
    cites = " ".join(f"[@{k}]" if j else f"[see @{k}, p. {rng.randint(2, 300)}]" for j, k in enumerate(keys[1:]))
    text = md.read_text().rstrip("\n")
    md.write_text(f"{text}\n\nAs @{keys[0]} argue, the evidence is mixed {cites}.\n")
