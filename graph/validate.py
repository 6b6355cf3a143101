"""SHACL validation of a graph against ontology/shapes.ttl.

The shapes use a small part of SHACL Core (target classes; property shapes on a single
predicate with min/max count, datatype, class, languageIn, min/max inclusive, pattern and
sh:or of those). Each constraint compiles to one SPARQL query that Oxigraph answers over
the store, so a million-triple graph is checked in seconds, where pySHACL over rdflib takes
minutes and gigabytes. pySHACL, the reference implementation, stays in the tests, which
check that both find the same violations. A shape using anything else is refused, not
silently skipped.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from .errors import ZhituError
from .resources import ontology_dir
from .store import in_memory

SH = Namespace("http://www.w3.org/ns/shacl#")
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
VALUE_KEYS = {SH.datatype, SH["class"], SH.languageIn, SH.minInclusive, SH.maxInclusive, SH.pattern, SH["or"]}
KNOWN = VALUE_KEYS | {SH.path, SH.minCount, SH.maxCount, SH.message, RDF.type, SH.name, SH.description}


@dataclass(frozen=True)
class Check:
    path: str
    message: str
    sparql: str  # selects ?focus (and ?v) for each violation


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    return tuple(compile_shapes(shapes()))


def compile_shapes(sg: Graph) -> list[Check]:
    out = []
    for shape in sorted(set(sg.subjects(SH.targetClass, None)), key=str):
        targets = sorted(sg.objects(shape, SH.targetClass), key=str)
        focus = "VALUES ?cls { %s } ?focus a ?cls ." % " ".join(f"<{t}>" for t in targets)
        for prop in sorted(sg.objects(shape, SH.property), key=str):
            out += _property_checks(sg, prop, focus)
    return out


def _property_checks(sg: Graph, prop, focus: str) -> list[Check]:
    unknown = {p for p in sg.predicates(prop, None)} - KNOWN
    if unknown:
        raise ZhituError(f"shapes.ttl: unsupported SHACL in {prop}: {', '.join(sorted(map(str, unknown)))}")
    path = sg.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise ZhituError(f"shapes.ttl: only single-predicate paths are supported ({prop})")
    message = sg.value(prop, SH.message)
    out = []
    for key, op in ((SH.minCount, "<"), (SH.maxCount, ">")):
        n = sg.value(prop, key)
        if n is not None:
            text = message or f"{'fewer' if op == '<' else 'more'} than {n} value(s)"
            out.append(Check(str(path), str(text), f"""SELECT ?focus WHERE {{
  {{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?focus <{path}> ?v }} }}
    GROUP BY ?focus }} FILTER(?n {op} {int(n)}) }}"""))
    conditions = [_condition(sg, prop, key) for key in sorted(VALUE_KEYS, key=str)
                  if sg.value(prop, key) is not None]
    if conditions:
        text = message or "value does not satisfy " + ", ".join(
            _short(k) for k in sorted(VALUE_KEYS, key=str) if sg.value(prop, k) is not None)
        out.append(Check(str(path), str(text), f"""SELECT ?focus ?v WHERE {{ {focus} ?focus <{path}> ?v .
  FILTER(!({" && ".join(conditions)})) }}"""))
    return out


def _condition(sg: Graph, node, key) -> str:
    value = sg.value(node, key)
    if key == SH.datatype:  # SHACL: an ill-formed literal (2023-02-30 as xsd:date) does not conform
        return f"(isLiteral(?v) && datatype(?v) = <{value}> && <{WELL_FORMED}>(?v))"
    if key == SH["class"]:
        return f"EXISTS {{ ?v a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{value}> }}"
    if key == SH.languageIn:
        langs = [str(x) for x in Collection(sg, value)]
        return "(" + " || ".join(f'langMatches(lang(?v), "{lang}")' for lang in langs) + ")"
    if key in (SH.minInclusive, SH.maxInclusive):
        op = ">=" if key == SH.minInclusive else "<="
        return f"(isLiteral(?v) && ?v {op} {Literal(value).n3()})"
    if key == SH.pattern:
        return f'(!isBlank(?v) && regex(str(?v), {Literal(str(value)).n3()}))'
    if key == SH["or"]:
        members = []
        for member in Collection(sg, value):
            keys = [k for k in VALUE_KEYS if sg.value(member, k) is not None]
            if not isinstance(member, BNode) or len(keys) != 1 or keys[0] == SH["or"]:
                raise ZhituError(f"shapes.ttl: sh:or members must each hold one constraint ({node})")
            members.append(_condition(sg, member, keys[0]))
        return "(" + " || ".join(members) + ")"
    raise ZhituError(f"shapes.ttl: unsupported constraint {key}")


WELL_FORMED = "urn:zhitu:well-formed"
_LEXICAL = {
    "integer": re.compile(r"[+-]?\d+"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?"),
    "gMonthDay": re.compile(r"--(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?"),
    "gDay": re.compile(r"---(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2})?"),
    "date": re.compile(r"(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?"),
}


def well_formed(term):
    """The custom SPARQL function behind sh:datatype: whether a literal's text is a value of
    its XSD datatype (a date that exists, a number that is a number)."""
    import pyoxigraph as ox
    kind = term.datatype.value.rsplit("#", 1)[-1] if isinstance(term, ox.Literal) else None
    pattern = _LEXICAL.get(kind)
    ok = True
    if pattern is not None:
        m = pattern.fullmatch(term.value)
        ok = m is not None
        if ok and kind in ("date", "gMonthDay"):
            year = int(m.group(1)) if kind == "date" else 2000  # --02-29 exists
            month, day = (int(m.group(2)), int(m.group(3))) if kind == "date" else (int(m.group(1)), int(m.group(2)))
            ok = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    return ox.Literal(ok)


def validate(source) -> tuple[bool, list[str]]:
    """(conforms, one readable line per violation naming the offending node). `source` is an
    rdflib graph or a pyoxigraph store."""
    lines = sorted({f"{node}{f' ({label})' if label else ''}: {_short(path)}: {message}"
                    for node, label, path, message in violations(source)})
    return not lines, lines


def validate_ntriples(data: bytes) -> tuple[bool, list[str]]:
    return validate(in_memory(data))


def violations(source):
    """(focus node, its label or None, path, message) for every violation."""
    import pyoxigraph as ox
    store = in_memory(source) if isinstance(source, Graph) else source
    label = ox.NamedNode(RDFS_LABEL)
    functions = {ox.NamedNode(WELL_FORMED): well_formed}
    for check in checks():
        for row in store.query(check.sparql, custom_functions=functions):
            node = row["focus"]
            labels = list(store.quads_for_pattern(node, label, None, None))
            yield node.value, labels[0].object.value if labels else None, check.path, check.message


def _short(path) -> str:
    text = str(path) if path is not None else "-"
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
