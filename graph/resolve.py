"""One entity per real-world thing: group the surface forms of one document into
entities with a canonical (simplified) label and aliases."""
from __future__ import annotations

import re

from . import lexicon
from .mentions import COMPANY_REFS, SELF_REFS, Scan
from .model import Mention
from .relations import gov_name

_DROPPABLE = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "集团", "公司")


def org_groups(scan: Scan, mentions: list[Mention], places: dict[str, str]) -> dict[str, str]:
    """Surface organisation name -> canonical name, for one document."""
    text = scan.text
    surfaces = {m.text for m in mentions if m.type == "Organization"}
    canon: dict[str, str] = {}
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    refs = surfaces & set(COMPANY_REFS)
    surfaces -= refs
    for s in surfaces:
        parent.setdefault(s, s)
    for short, full in scan.aliases.items():
        parent.setdefault(short, short)
        parent.setdefault(full, full)
        union(short, full)
    for a in surfaces:
        for b in surfaces:
            if a != b and b.startswith(a) and b[len(a):] in _DROPPABLE:
                union(a, b)
    groups: dict[str, set[str]] = {}
    for s in parent:
        groups.setdefault(find(s), set()).add(s)
    companies = set(lexicon.words("companies.txt"))
    for members in groups.values():
        govs = {gov_name(m, places) for m in members} - {None}
        if govs and len(govs) == 1:
            label = govs.pop()
        else:
            known = sorted(members & companies, key=lambda m: (len(m), m))
            label = known[0] if known else max(members, key=lambda m: (len(m), m))
        for m in members:
            canon[m] = label
    for s in surfaces:
        if s not in canon:
            canon[s] = gov_name(s, places) or s
        elif gov_name(s, places) and canon[s] == s:
            canon[s] = gov_name(s, places)
    for bare in ("管委会", "党工委"):
        if bare in canon:
            canon[bare] = _zone_body(text, bare, set(canon.values()))
    main = _main_company(mentions, canon)
    for r in refs:
        if main:
            canon[r] = main
    for r in surfaces & set(SELF_REFS):
        own = _own(r, mentions, canon, places)
        if own:
            canon[r] = own
    return canon


_OWN_KINDS = {"院": ("医院", "学院", "研究院", "科学院", "法院"), "校": ("大学", "学院", "学校", "中学", "小学")}


def _own(ref: str, mentions: list[Mention], canon: dict[str, str], places: dict[str, str]) -> str | None:
    """本院 is the hospital (or institute) the article names first; 我县 the government of
    the article's county."""
    kind = ref[-1]
    if kind in _OWN_KINDS:  # a press release names its own institution first
        for m in sorted(mentions, key=lambda m: m.start):
            label = canon.get(m.text, m.text)
            if m.type == "Organization" and m.text not in SELF_REFS and label.endswith(_OWN_KINDS[kind]):
                return label
        return None
    return gov_name(kind + "政府", places)


_ZONE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:经开区|高新区|开发区|经济技术开发区|高新技术产业开发区|新区|园区)")


def _zone_body(text: str, bare: str, known: set[str]) -> str:
    """管委会 alone: the one named in full in the article, else the zone's."""
    full = sorted((k for k in known if k.endswith(bare) and k != bare), key=lambda k: (len(k), k))
    if full:
        return full[0]
    zones = _ZONE.findall(text)
    return (max(set(zones), key=zones.count) + bare) if zones else bare


def _main_company(mentions: list[Mention], canon: dict[str, str]) -> str | None:
    """The company the article is about: the one named most often (本公司 and 该公司 refer
    to it)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.type != "Organization" or m.text in COMPANY_REFS:
            continue
        label = canon.get(m.text, m.text)
        if label.endswith(_DROPPABLE + ("会社",)) or m.text != label:
            counts[label] = counts.get(label, 0) + 1
    companies = {k: v for k, v in counts.items() if k.endswith(_DROPPABLE + ("会社",))}
    return max(companies, key=lambda k: (companies[k], -len(k))) if companies else None


def project_groups(names: set[str]) -> dict[str, str]:
    """光网城市 / 全光网城市: a name that ends another, longer one is the same project."""
    canon = {}
    for n in sorted(names, key=lambda n: (len(n), n)):
        longer = [m for m in names if m != n and m.endswith(n) and len(n) >= 4 and len(m) - len(n) <= 3]
        canon[n] = max(longer, key=lambda m: (len(m), m)) if longer else n
    return canon


def clean_label(name: str) -> str:
    return re.sub(r"[“”\"「」《》『』\s]", "", name)
