"""Document -> Extraction: find mentions, resolve them inside the document, read facts."""
from __future__ import annotations

from .mentions import COMPANY_REFS, find_all, main_places
from .model import Document, Extraction, Investment, Position, Signing
from .numbers import publication_date
from .relations import Context, gov_name, investments, positions, signings
from .resolve import _DROPPABLE, clean_label, org_groups, project_groups


def extract(doc: Document, min_confidence: float = 0.0) -> Extraction:
    scan, mentions = find_all(doc.text)
    places = main_places(scan)
    canon = org_groups(scan, mentions, places)
    year = doc.date if doc.date and doc.date[:4].isdigit() else publication_date(doc.text)
    ctx = Context(scan, mentions, canon, places, year)
    pos = positions(ctx)
    sig = signings(ctx, pos)
    inv = investments(ctx, sig)
    projects = project_groups({clean_label(m.text) for m in mentions if m.type == "Project"})
    facts = [f for f in (*pos, *sig, *inv) if f.confidence >= min_confidence]
    facts = [_canonical(f, projects) for f in facts]
    names = _names(doc, mentions, canon, projects, facts, places)
    rules = tuple((t, label, a, alias_rule(a, label, scan.alias_rules, places))
                  for t, label, aliases in names for a in aliases)
    return Extraction(doc, tuple(mentions), tuple(names), tuple(facts), rules)


def alias_rule(alias: str, label: str, declared: dict[str, str], places) -> str:
    """Why `alias` names the same thing as `label` (recorded with every merge)."""
    if alias in declared:
        return declared[alias]
    if (label.startswith(alias) and label[len(alias):] in _DROPPABLE) or \
            (alias.startswith(label) and alias[len(label):] in _DROPPABLE):
        return "suffix-dropped"
    if gov_name(alias, places) == label or label.startswith(alias):
        return "government" if label.endswith(("人民政府", "委", "政协", "人大常委会")) else "short-form"
    if "·" in label and label.endswith(alias):
        return "family-name"
    if label.endswith(alias):
        return "shorter-name"
    return "surface-form"


def _canonical(fact, projects):
    if isinstance(fact, Investment) and fact.target:
        t = clean_label(fact.target)
        return Investment(fact.investor, fact.amount, fact.currency, projects.get(t, t),
                          fact.evidence, fact.rule, fact.confidence)
    return fact


def _names(doc, mentions, canon, projects, facts, places):
    """(type, canonical label, surface forms) for every entity of the document."""
    groups: dict[tuple[str, str], set[str]] = {}

    def add(type_, label, surface):
        groups.setdefault((type_, label), set()).add(surface)

    for m in mentions:
        if m.type == "Organization" and m.text in COMPANY_REFS:
            continue  # 本公司 is a reference, not a name of the company
        if m.type == "Organization":
            add("Organization", canon.get(m.text, m.text), m.text)
        elif m.type == "Person":
            add("Person", m.text, doc.text[m.start:m.end])
        elif m.type == "Project":
            label = clean_label(m.text)
            add("Project", projects.get(label, label), label)
        elif m.type == "Place":
            add("Place", m.text, m.text)
    for f in facts:
        if isinstance(f, Position):
            add("Organization", f.org, f.org)
        elif isinstance(f, Signing):
            for p in f.parties:
                add("Organization", p, p)
            if f.place:
                add("Place", f.place, f.place)
        elif isinstance(f, Investment):
            add("Organization", f.investor, f.investor)
    # a government is also called by its place: 安平市 -> 安平市人民政府
    for (type_, label), surfaces in list(groups.items()):
        if type_ == "Place":
            gov = gov_name(label, places)
            if gov and ("Organization", gov) in groups:
                groups[("Organization", gov)].add(label)
    return [(t, label, tuple(sorted(s - {label}))) for (t, label), s in sorted(groups.items())]
