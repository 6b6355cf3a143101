"""Hand the graph to other tools: RDF serialisations, TriG with a named graph per document,
GraphML and GEXF for Gephi, and CSV folders in the layout `neo4j-admin database import` reads."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .analyze import to_networkx
from .errors import ZhituError
from .outputs import atomic_write, check_file, claim, discard, manifest_entry, output_error, publish, staged
from .rdf import ID, ZT
from .resources import ontology_dir

FORMATS = ("turtle", "nt", "jsonld", "trig", "graphml", "gexf", "csv")
# fact-like nodes carry their document in their IRI: id/{kind}/{doc}/{hash}
_PER_DOC = re.compile(re.escape(str(ID)) + r"(position|signing|agreement|signature|investment|amount|alias)/([^/]+)/")
NEO4J_TYPES = {"position": "HOLDS_POSITION", "party": "PARTY_TO", "signer": "SIGNED_FOR",
               "attendee": "ATTENDED", "investor": "INVESTED_IN", "target": "INVESTED_IN"}


def export(g: Graph, fmt: str, out, force: bool = False) -> Path:
    """Write `g` as `fmt` to `out`: a file (replacing only a file the tool wrote, unless
    `force`), or for csv a folder that is new, empty or an earlier CSV export."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ZhituError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "csv":
        return _neo4j_csv(g, out)
    check_file(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise output_error(err, out.parent) from None
    with atomic_write(out) as fh:
        if fmt in ("turtle", "nt"):
            fh.write(g.serialize(format=fmt))
        elif fmt == "jsonld":
            context = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
            fh.write(g.serialize(format="json-ld", context=context["@context"], indent=1))
        elif fmt == "trig":
            fh.write(per_document(g).serialize(format="trig"))
        else:
            G = _flat(to_networkx(g))
            lines = nx.generate_graphml(G) if fmt == "graphml" else nx.generate_gexf(G)
            for line in lines:
                fh.write(line + "\n")
    return out


def per_document(g: Graph) -> Dataset:
    """One named graph per document (named by the document's IRI); entities and the build
    record stay in the default graph."""
    ds = Dataset()
    for prefix, ns in g.namespaces():
        ds.bind(prefix, ns)
    docs = set(g.subjects(RDF.type, ZT.Document))
    default = ds.default_graph
    for s, p, o in g:
        doc = _document_of(g, s, docs)
        (ds.graph(doc) if doc is not None else default).add((s, p, o))
    return ds


def _document_of(g: Graph, node, docs) -> URIRef | None:
    if node in docs:
        return node
    m = _PER_DOC.match(str(node))
    if m:
        return ID[f"doc/{m.group(2)}"]
    return None


def _flat(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF want plain string attributes."""
    H = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        H.add_node(n, label=str(data.get("label", "")), type=str(data.get("type", "")))
    for a, b, data in G.edges(data=True):
        H.add_edge(a, b, kind=data.get("kind", ""), label=data.get("label", ""),
                   evidence=data.get("evidence", ""))
    return H


CSV_FILES = ("nodes.csv", "relationships.csv")


def _neo4j_csv(g: Graph, folder: Path) -> Path:
    """nodes.csv and relationships.csv with neo4j-admin import headers, in a folder that is
    new, empty or an earlier export (its manifest says so); each file is written aside and
    renamed, so a failure leaves the previous export whole, and nothing else in the folder
    is touched."""
    G = to_networkx(g)
    claim(folder, "csv", CSV_FILES)
    ready: list = []
    try:
        with staged(folder / "nodes.csv", ready) as fh:
            w = csv.writer(fh)
            w.writerow(["id:ID", "name", "type", ":LABEL"])
            for n, data in G.nodes(data=True):
                t = data.get("type", "Other")
                w.writerow([n, data.get("label", ""), t, t])
        with staged(folder / "relationships.csv", ready) as fh:
            w = csv.writer(fh)
            w.writerow([":START_ID", ":END_ID", ":TYPE", "label", "evidence", "fact"])
            for a, b, data in G.edges(data=True):
                w.writerow([a, b, NEO4J_TYPES.get(data.get("kind"), "RELATED_TO"), data.get("label", ""),
                            data.get("evidence", ""), data.get("fact", "")])
        publish(folder, ready, manifest_entry("csv", CSV_FILES, format="neo4j-admin import"))
    except OSError as err:
        raise output_error(err, folder) from None
    finally:
        discard(ready)
    return folder
