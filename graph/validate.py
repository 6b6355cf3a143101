"""SHACL validation of a graph against ontology/shapes.ttl (pySHACL, the reference
implementation for Python)."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from .resources import ontology_dir

SH = Namespace("http://www.w3.org/ns/shacl#")


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def validate(g: Graph) -> tuple[bool, list[str]]:
    """(conforms, one readable line per violation naming the offending node)."""
    import pyshacl
    conforms, results, _ = pyshacl.validate(g, shacl_graph=shapes(), inference="none",
                                            advanced=False, allow_warnings=True)
    problems = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        label = g.value(node, Namespace("http://www.w3.org/2000/01/rdf-schema#").label)
        name = f"{node}" + (f" ({label})" if label else "")
        problems.append(f"{name}: {_short(path)}: {msg}")
    return bool(conforms), sorted(problems)


def _short(path) -> str:
    text = str(path) if path is not None else "-"
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
