"""Questions users bring: who signed what, how two names are connected, one neighbourhood.
Names from the command line match canonical labels and aliases, simplified or traditional."""
from __future__ import annotations

import difflib

import networkx as nx

from .errors import ZhituError


class UnknownName(ZhituError):
    """A name that matches no entity; the message offers the closest ones."""


def _simplified(name: str) -> str:
    from .normalize import _converter
    return _converter().convert(name.strip())


def find_nodes(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose label or alias is `name` (traditional input is simplified first)."""
    want = {name.strip(), _simplified(name)}
    hits = [n for n, d in G.nodes(data=True)
            if d.get("label") in want or want & set(d.get("aliases", []))]
    if hits:
        return hits
    names = sorted({d.get("label", "") for _, d in G.nodes(data=True)} |
                   {a for _, d in G.nodes(data=True) for a in d.get("aliases", [])})
    close = difflib.get_close_matches(_simplified(name), names, n=5, cutoff=0.3)
    close += [x for x in names if _simplified(name) in x and x not in close][:5 - len(close)]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownName(f"no entity named {name!r}{hint}")


def _within(date: str, since: str | None, until: str | None) -> bool:
    """ISO dates compare as text; a date without a year (--06-08) passes only unfiltered."""
    if not (since or until):
        return True
    if not date or date.startswith("--"):
        return False
    return (not since or date >= since[: len(date)]) and (not until or date[: len(until)] <= until)


def signings_table(G: nx.MultiDiGraph, *, org=None, person=None, since=None, until=None) -> list[dict]:
    """One row per signing: agreement, date, place, parties, signers (for whom), attendees."""
    wanted = set()
    for name in (org, person):
        if name:
            wanted.add(frozenset(find_nodes(G, name)))
    rows = {}
    for a, b, d in G.edges(data=True):
        if d["kind"] not in ("party", "signer", "attendee"):
            continue
        agreement = b if d["kind"] != "signer" or G.nodes[b].get("type") == "Agreement" else None
        key = d["fact"]
        row = rows.setdefault(key, {"doc": d.get("doc", ""), "agreement": "", "date": d.get("date", ""),
                                    "parties": [], "signers": [], "attendees": [], "_nodes": set()})
        label = G.nodes[a]["label"]
        row["_nodes"].add(a)
        if agreement:
            row["agreement"] = G.nodes[agreement]["label"]
            row["_nodes"].add(agreement)
        if d["kind"] == "party":
            row["parties"].append(label)
        elif d["kind"] == "attendee":
            row["attendees"].append(label)
        else:
            row["_nodes"].add(b)
            row["signers"].append(f"{label}（{G.nodes[b]['label']}）")
    out = []
    for row in rows.values():
        if any(not (group & row["_nodes"]) for group in wanted):
            continue
        if not _within(row["date"], since, until):
            continue
        row.pop("_nodes")
        out.append({k: "、".join(sorted(set(v))) if isinstance(v, list) else v for k, v in row.items()})
    return sorted(out, key=lambda r: (r["doc"], r["agreement"]))


def paths(G: nx.MultiDiGraph, a: str, b: str, limit: int = 5) -> list[list[dict]]:
    """The shortest chains linking two names; each hop with its relation and evidence."""
    U = nx.Graph()
    for x, y, d in G.edges(data=True):
        U.add_edge(x, y, **d)
    sources, targets = find_nodes(G, a), find_nodes(G, b)
    found = []
    for s in sources:
        for t in targets:
            if s in U and t in U and nx.has_path(U, s, t):
                for p in nx.all_shortest_paths(U, s, t):
                    found.append(p)
                    if len(found) >= limit:
                        break
    found.sort(key=len)
    return [[{"from": G.nodes[x]["label"], "to": G.nodes[y]["label"], "relation": U.edges[x, y]["label"],
              "evidence": U.edges[x, y].get("evidence", ""), "doc": U.edges[x, y].get("doc", "")}
             for x, y in zip(p, p[1:])] for p in found[:limit]]


def subgraph(G: nx.MultiDiGraph, *, ego=None, depth=2, types=(), since=None, until=None) -> nx.MultiDiGraph:
    """One neighbourhood, some types, a period: the part of G a page should show."""
    H = G
    if since or until:
        keep = [(a, b, k) for a, b, k, d in H.edges(keys=True, data=True) if _within(d.get("date", ""), since, until)]
        H = H.edge_subgraph(keep).copy()
    if ego:
        centre = find_nodes(G, ego)
        near = set()
        for c in centre:
            if c in H:
                near |= set(nx.ego_graph(H.to_undirected(as_view=True), c, radius=depth))
        H = H.subgraph(near).copy()
    if types:
        H = H.subgraph([n for n, d in H.nodes(data=True) if d.get("type") in types]).copy()
    return H
