"""SPARQL over a built graph: load it, run a query or a preset, format the rows."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery

from .errors import GraphError, QueryError
from .resources import preset


def load_graph(path) -> Graph:
    """A graph from a graph.ttl (or other RDF file), an Oxigraph store folder, or a build folder."""
    from . import store
    path = Path(path)
    if store.is_store(path):
        return canonical_decimals(store.load(path))
    if path.is_dir() and store.is_store(path / store.NAME) and not (path / "graph.ttl").is_file():
        return canonical_decimals(store.load(path / store.NAME))
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file (run `kg build` first)")
    g = Graph()
    fmt = {".nt": "nt", ".jsonld": "json-ld", ".trig": "trig"}.get(path.suffix, "turtle")
    try:
        g.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many kinds for a corrupt file
        raise GraphError(f"{path}: not a readable {fmt} graph ({_one_line(err)})") from None
    return canonical_decimals(g)


def canonical_decimals(g: Graph) -> Graph:
    """Decimals in one lexical form. Oxigraph writes 3000000000 where rdflib's Turtle writer
    turns that into 3000000000.0, a different literal; rdf.canonical_decimal is the form
    every graph the project writes or reads agrees on."""
    from .rdf import canonical_decimal
    for s, p, o in list(g.triples((None, None, None))):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            fixed = canonical_decimal(Decimal(str(o)))
            if fixed != str(o):
                g.remove((s, p, o))
                g.add((s, p, Literal(fixed, datatype=XSD.decimal)))
    return g


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:200]


def check_query(sparql: str, allow_update: bool = False) -> None:
    """Raise QueryError, with line and column, for a malformed or unwanted query."""
    try:
        parseQuery(sparql)
    except Exception as err:
        if not allow_update and _looks_like_update(sparql):
            raise QueryError("update queries are refused (pass --allow-update to run one)") from None
        line, col = getattr(err, "lineno", None), getattr(err, "col", None)
        where = f" at line {line}, column {col}" if line else ""
        raise QueryError(f"malformed SPARQL{where}: {_one_line(err).split('(at char')[0]}") from None


def _looks_like_update(sparql: str) -> bool:
    words = {w.upper() for w in sparql.replace("{", " ").split()}
    return bool(words & {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD"})


def store_folder(path) -> Path | None:
    """The Oxigraph store a path names: the store itself, or the one in a build folder."""
    from . import store
    path = Path(path)
    for folder in (path, path / store.NAME):
        if store.is_store(folder):
            return folder
    return None


def open_graph(path):
    """What the graph commands read: the store, opened read-only, when there is one (no
    parsing, and a million triples need no memory), else an rdflib graph of the file."""
    folder = store_folder(path)
    if folder is None:
        return load_graph(path)
    import pyoxigraph as ox
    try:
        return ox.Store.read_only(str(folder))
    except OSError as err:
        raise GraphError(f"{folder}: not a readable Oxigraph store ({_one_line(err)})") from None


def run_on(path, sparql: str, allow_update: bool = False):
    """Run a query on a graph file or an Oxigraph store (answered by Oxigraph directly)."""
    from . import store
    folder = store_folder(path)
    if folder is not None and not _looks_like_update(sparql):
        check_query(sparql)
        return store.query(folder, sparql)
    return run(load_graph(path), sparql, allow_update=allow_update)


def run(g: Graph, sparql: str, allow_update: bool = False):
    """(columns, rows) for SELECT; (['ask'], [[bool]]) for ASK."""
    if _looks_like_update(sparql) and not _is_query(sparql):
        if not allow_update:
            raise QueryError("update queries are refused (pass --allow-update to run one)")
        g.update(sparql)
        return ["updated"], [[True]]
    check_query(sparql, allow_update)
    result = g.query(sparql)
    if result.type == "ASK":
        return ["ask"], [[bool(result.askAnswer)]]
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported")
    cols = [str(v) for v in result.vars]
    rows = [["" if v is None else str(v) for v in row] for row in result]
    return cols, rows


def _is_query(sparql: str) -> bool:
    try:
        parseQuery(sparql)
        return True
    except Exception:
        return False


def run_preset(g: Graph, name: str):
    return run(g, preset(name))


def format_rows(cols, rows, fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=1) + "\n"
    return table(cols, rows)


def _width(s: str) -> int:
    return sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in s)


def table(cols, rows) -> str:
    widths = [max([_width(c)] + [_width(str(r[i])) for r in rows]) for i, c in enumerate(cols)]

    def line(values):
        return "  ".join(str(v) + " " * (w - _width(str(v))) for v, w in zip(values, widths)).rstrip()

    out = [line(cols), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
