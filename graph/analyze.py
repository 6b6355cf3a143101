"""The graph as networkx sees it, and the measures users ask for first."""
from __future__ import annotations

import networkx as nx
from rdflib import Graph

from .rdf import CLASSES
from .store import in_memory

TYPE_OF = {v: k for k, v in CLASSES.items()}
EDGE_LABELS = {"position": "任职", "party": "签署", "signer": "代表", "attendee": "出席",
               "investor": "投资", "target": "投向"}


PREFIXES = """PREFIX zt: <https://zhitu.dev/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""
NODES = PREFIXES + "SELECT ?n ?label WHERE { ?n a <%s> . OPTIONAL { ?n rdfs:label ?label } }"
ALIASES = PREFIXES + "SELECT ?n ?alt WHERE { ?n skos:altLabel ?alt }"
DOCUMENTS = PREFIXES + """SELECT ?d ?doc ?title ?url ?doc_date WHERE { ?d a zt:Document ; zt:docId ?doc .
  OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d schema:url ?url } OPTIONAL { ?d dcterms:date ?doc_date } }"""
# Joins are few and ORDER BY is left out: Oxigraph on disk answers the plain patterns three
# times faster, and the rows are sorted in Python for a deterministic graph.
SOURCE = "OPTIONAL { ?fact zt:evidenceText ?evidence } OPTIONAL { ?fact prov:wasDerivedFrom ?d }"
# one query per kind of edge: (kind, query binding ?a ?b ?fact and optionally ?extra ?date)
EDGES = (
    ("position", """?fact a zt:Position ; org:member ?a ; org:organization ?b .
        OPTIONAL { ?fact zt:title ?extra }"""),
    ("party", "?fact a zt:Signing ; zt:agreement ?b . ?b zt:party ?a . OPTIONAL { ?fact zt:date ?date }"),
    ("signer", """?fact a zt:Signing ; zt:agreement ?ag ; zt:signature ?sig . ?sig zt:signer ?a .
        OPTIONAL { ?sig zt:onBehalfOf ?org } BIND(COALESCE(?org, ?ag) AS ?b) OPTIONAL { ?fact zt:date ?date }"""),
    ("attendee", "?fact a zt:Signing ; zt:agreement ?b ; zt:attendee ?a . OPTIONAL { ?fact zt:date ?date }"),
    ("investor", "?fact a zt:Investment ; zt:investor ?a ; zt:target ?b ."),
)


def select(source, sparql: str) -> list[dict[str, str]]:
    """Rows of a SELECT on a pyoxigraph store as {variable: text}."""
    result = source.query(sparql)
    names = [v.value for v in result.variables]
    return [{k: t.value for k, t in zip(names, row) if t is not None} for row in result]


def to_networkx(source) -> nx.MultiDiGraph:
    """Entities and agreements as nodes; positions, signings and investments as edges, each
    with its evidence sentence, the document's id, title, url and date, and a date where known.
    `source` is an rdflib graph or a pyoxigraph store."""
    if isinstance(source, Graph):  # Oxigraph answers these joins ten times faster than rdflib
        source = in_memory(source)
    G = nx.MultiDiGraph()
    for cls, type_ in TYPE_OF.items():
        for row in sorted(select(source, NODES % cls), key=lambda r: r["n"]):
            if row["n"] not in G:
                G.add_node(row["n"], label=row.get("label", row["n"]), type=type_, aliases=[])
    for row in select(source, ALIASES):
        if row["n"] in G:
            G.nodes[row["n"]]["aliases"].append(row["alt"])
    docs = {row.pop("d"): row for row in select(source, DOCUMENTS)}
    for kind, pattern in EDGES:
        rows = select(source, f"{PREFIXES}SELECT * WHERE {{ {pattern}\n  {SOURCE} }}")
        seen = set()
        for row in sorted(rows, key=lambda r: (r["fact"], r["a"], r["b"], r.get("extra", ""), r.get("date", ""))):
            if (row["fact"], row["a"], row["b"]) not in seen:  # a second title or date is not a second edge
                seen.add((row["fact"], row["a"], row["b"]))
                _edge(G, kind, {**docs.get(row.get("d"), {}), **row})
    for n in G:
        G.nodes[n]["aliases"] = sorted(set(G.nodes[n]["aliases"]))
    return G


def _edge(G: nx.MultiDiGraph, kind: str, row: dict) -> None:
    for n in (row["a"], row["b"]):
        if n not in G:
            G.add_node(n, label=n, type="Other", aliases=[])
    meta = {k: row[k] for k in ("doc", "title", "url", "doc_date") if k in row}
    extra = f"·{row['extra']}" if "extra" in row else ""
    G.add_edge(row["a"], row["b"], kind=kind, label=EDGE_LABELS[kind] + extra,
               evidence=row.get("evidence", ""), fact=row["fact"],
               date=row.get("date") or row.get("doc_date", ""), **meta)


EXACT_BETWEENNESS_LIMIT = 5_000  # above this many nodes betweenness is sampled


def _igraph(G: nx.MultiDiGraph):
    """The undirected simple view of G in igraph (its C core is what keeps 100,000 nodes fast)."""
    import igraph as ig
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in G.edges() if a != b}
    return ig.Graph(n=len(nodes), edges=sorted(edges)), nodes


def analyze(G: nx.MultiDiGraph, top: int = 10, seed: int = 0, samples: int = 200) -> dict:
    """Degree, PageRank, betweenness (sampled from `samples` sources above a size) and Leiden
    communities, with the top entities overall and per type. `seed` fixes every random choice."""
    import random

    import igraph as ig
    H, nodes = _igraph(G)
    n = len(nodes)
    if n == 0:
        return {"nodes": 0, "edges": 0, "top": [], "top_by_type": {}, "communities": [],
                "betweenness_sampled": False}
    degree = H.degree()
    pagerank = H.pagerank()
    sampled = n > EXACT_BETWEENNESS_LIMIT
    if sampled:
        sources = random.Random(seed).sample(range(n), min(samples, n))
        scale = n / len(sources)
        betweenness = [b * scale for b in H.betweenness(sources=sources, directed=False)]
    else:
        betweenness = H.betweenness(directed=False)
    # igraph's own Leiden (C): the same modularity as leidenalg's on 100,000 nodes in a
    # twentieth of the time; its random choices come from a generator seeded here
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = H.community_leiden(objective_function="modularity", n_iterations=2)
    finally:
        ig.set_random_number_generator(random)
    community = partition.membership

    def row(i):
        data = G.nodes[nodes[i]]
        return {"name": data.get("label", nodes[i]), "type": data.get("type", "Other"),
                "degree": degree[i], "pagerank": round(pagerank[i], 5),
                "betweenness": round(betweenness[i], 2), "community": community[i]}

    ranked = sorted(range(n), key=lambda i: (-pagerank[i], G.nodes[nodes[i]].get("label", "")))
    by_type: dict[str, list] = {}
    for i in ranked:
        t = G.nodes[nodes[i]].get("type", "Other")
        if len(by_type.setdefault(t, [])) < top:
            by_type[t].append(row(i))
    sizes = sorted(((len(c), k) for k, c in enumerate(partition)), reverse=True)[:top]
    communities = [{"community": k, "size": size,
                    "members": [G.nodes[nodes[i]].get("label") for i in sorted(
                        partition[k], key=lambda i: -pagerank[i])[:5]]} for size, k in sizes]
    return {"nodes": n, "edges": G.number_of_edges(), "top": [row(i) for i in ranked[:top]],
            "top_by_type": by_type, "communities": communities, "modularity": round(partition.modularity, 4),
            "betweenness_sampled": sampled}


def centrality(G: nx.MultiDiGraph, top: int = 10) -> dict:
    """Degree and PageRank, with the top entities overall and per type."""
    if G.number_of_nodes() == 0:
        return {"nodes": 0, "edges": 0, "degree": {}, "pagerank": {}, "top": [], "top_by_type": {}}
    simple = nx.Graph()  # not G.to_undirected(), which copies every edge's attributes
    simple.add_nodes_from(G)
    simple.add_edges_from(G.edges())
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
