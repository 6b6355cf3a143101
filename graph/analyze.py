"""The graph as networkx sees it, and the measures users ask for first."""
from __future__ import annotations

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from .rdf import CLASSES, ORG, ZT

TYPE_OF = {v: k for k, v in CLASSES.items()}
EDGE_LABELS = {"position": "任职", "party": "签署", "signer": "代表", "attendee": "出席",
               "investor": "投资", "target": "投向"}


def _label(g: Graph, node) -> str:
    lab = g.value(node, RDFS.label)
    return str(lab) if lab is not None else str(node)


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Entities and agreements as nodes; positions, signings and investments as edges."""
    G = nx.MultiDiGraph()
    for cls, type_ in TYPE_OF.items():
        for node in g.subjects(RDF.type, cls):
            G.add_node(str(node), label=_label(g, node), type=type_)

    def edge(a, b, kind, fact, extra=""):
        if a is None or b is None:
            return
        for n in (a, b):
            if str(n) not in G:
                G.add_node(str(n), label=_label(g, n), type="Other")
        ev = g.value(fact, ZT.evidenceText)
        G.add_edge(str(a), str(b), kind=kind, label=EDGE_LABELS[kind] + extra,
                   evidence=str(ev) if ev else "", fact=str(fact))

    for f in g.subjects(RDF.type, ZT.Position):
        edge(g.value(f, ORG.member), g.value(f, ORG.organization), "position", f,
             f"·{g.value(f, ZT.title) or ''}")
    for s in g.subjects(RDF.type, ZT.Signing):
        a = g.value(s, ZT.agreement)
        for p in g.objects(a, ZT.party):
            edge(p, a, "party", s)
        for sig in g.objects(s, ZT.signature):
            edge(g.value(sig, ZT.signer), g.value(sig, ZT.onBehalfOf) or a, "signer", s)
        for p in g.objects(s, ZT.attendee):
            edge(p, a, "attendee", s)
    for f in g.subjects(RDF.type, ZT.Investment):
        edge(g.value(f, ZT.investor), g.value(f, ZT.target), "investor", f)
    return G


def centrality(G: nx.MultiDiGraph, top: int = 10) -> dict:
    """Degree and PageRank, with the top entities overall and per type."""
    if G.number_of_nodes() == 0:
        return {"nodes": 0, "edges": 0, "degree": {}, "pagerank": {}, "top": [], "top_by_type": {}}
    simple = nx.Graph(G.to_undirected())
    degree = dict(simple.degree())
    pagerank = nx.pagerank(simple) if simple.number_of_edges() else {n: 1 / len(simple) for n in simple}
    ranked = sorted(G.nodes, key=lambda n: (-pagerank.get(n, 0), G.nodes[n].get("label", n)))
    by_type: dict[str, list] = {}
    for n in ranked:
        t = G.nodes[n].get("type", "Other")
        if len(by_type.setdefault(t, [])) < top:
            by_type[t].append((G.nodes[n]["label"], round(pagerank[n], 4), degree[n]))
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "degree": degree,
            "pagerank": pagerank,
            "top": [(G.nodes[n]["label"], G.nodes[n].get("type"), round(pagerank[n], 4)) for n in ranked[:top]],
            "top_by_type": by_type}
