"""SPARQL over a built graph: open it, run a query or a preset, format the rows.

Every query a user writes runs under limits (`sandbox`): a time limit, a memory ceiling,
rows streamed rather than collected, and no request to any address the query names
(SERVICE and LOAD are refused unless the user allows the network). Updates, where allowed,
are written back: to the build's store and graph.ttl, or to the file named."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery

from . import sandbox
from .errors import GraphError, QueryError
from .outputs import JOURNAL, is_build, output_error, publish, recover, temp_dir, temp_file, writing
from .resources import preset
from .store import NAME as STORE, PREFIXES, is_store, open_read_only

TIMEOUT = 300.0  # seconds a query may run unless the user says otherwise
DATASETS = (".trig", ".nq")  # formats with named graphs: read whole, every graph in the default one
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
           ".nq": "nquads", ".rdf": "xml", ".owl": "xml", ".n3": "n3"}


# -- reading graphs -------------------------------------------------------------------------

def store_folder(path) -> Path | None:
    """The Oxigraph store a path names: the store itself, or the one in a build folder."""
    path = Path(path)
    for folder in (path, path / STORE):
        if is_store(folder):
            return folder
    return None


def graph_file(path) -> Path:
    """The RDF file a path names: the file itself, or a build folder's graph.ttl."""
    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if (path.parent / JOURNAL).exists():
        recover(path.parent)  # a build killed while putting its outputs in place: finish it
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file (run `kg build` first)")
    return path


def load_graph(path) -> Graph:
    """An rdflib graph from an RDF file (every named graph of a TriG or N-Quads file in the
    default graph), an Oxigraph store folder, or a build folder."""
    from . import store
    folder = store_folder(path)
    if folder is not None and not (Path(path) / "graph.ttl").is_file():
        return canonical_decimals(store.load(folder))
    path = graph_file(path)
    fmt = FORMATS.get(path.suffix.lower(), "turtle")
    try:
        if path.suffix.lower() in DATASETS:
            ds = Dataset()
            ds.parse(path, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g = Graph().parse(path, format=fmt)
    except Exception as err:  # rdflib raises many kinds for a corrupt file
        raise GraphError(f"{path}: not a readable {fmt} graph ({_one_line(err)})") from None
    return canonical_decimals(g)


def open_graph(path):
    """What the graph commands read, as a pyoxigraph store: the build's store opened
    read-only (no parsing, and a million triples need no memory), or an RDF file parsed by
    Oxigraph into memory (every named graph of a dataset in the default graph)."""
    folder = store_folder(path)
    if folder is not None:
        return open_read_only(folder)
    return read_file(graph_file(path))


def read_file(path: Path):
    import pyoxigraph as ox
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) or ox.RdfFormat.TURTLE
    store = ox.Store()
    try:
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                         for q in ox.parse(path=str(path), format=fmt))
        else:
            store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        raise GraphError(f"{path}: not a readable {fmt.name} graph ({_one_line(err)})") from None
    return store


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


# -- checking queries -----------------------------------------------------------------------

_LEX = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[A-Za-z_][\w.-]*(?::[\w.:-]*)?|:[\w.:-]*)
  | (?P<other>.)
''', re.S | re.X)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH")
NETWORK_WORDS = ("SERVICE", "LOAD")


def keywords(sparql: str) -> list[str]:
    """The bare words of a query, upper-cased, outside comments, strings and IRIs (a
    prefixed name such as ex:service or a variable ?load is not a keyword)."""
    return [m.group("word").upper() for m in _LEX.finditer(sparql)
            if m.lastgroup == "word" and ":" not in m.group("word")]


def form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE: the first keyword after the prologue."""
    for word in keywords(sparql):
        if word in ("PREFIX", "BASE"):
            continue
        return word if word in QUERY_FORMS else "UPDATE"
    return "SELECT"  # empty: let the parser say what is wrong


def check_query(sparql: str, allow_update: bool = False, allow_network: bool = False) -> str:
    """The query's form; QueryError for one that is not allowed: an update (unless
    `allow_update`), or one that would make the store fetch from an address (SERVICE, LOAD)
    unless `allow_network`. Syntax is left to the engine, which names line and column."""
    kind = form(sparql)
    if kind == "UPDATE" and not allow_update:
        raise QueryError("update queries are refused (pass --allow-update to change the graph)")
    remote = sorted(set(keywords(sparql)) & set(NETWORK_WORDS))
    if remote and not allow_network:
        raise QueryError(f"{' and '.join(remote)} would send requests to the addresses the query names; "
                         "refused (pass --allow-network to allow it)")
    return kind


def syntax_error(err: Exception) -> QueryError:
    """Oxigraph's parser message as one sentence with line and column."""
    text = " ".join(str(err).split())
    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", text)
    if not m:
        return QueryError(f"malformed SPARQL: {text[:160]}")
    line, col, what = m.groups()
    prefix = re.search(r"[Pp]refix not found|unknown prefix", what)
    if prefix:
        what = "a prefix that is not declared (declare it with PREFIX)"
    else:
        what = re.sub(r"expected one of (.{60}).*", r"expected one of \1…", what)
    return QueryError(f"malformed SPARQL at line {line}, column {col}: {what}")


# -- running queries ------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """A query's columns and its rows, as they come (`rows` is an iterator)."""
    form: str
    columns: list[str]
    rows: Iterator[list]


def stream_on(path, sparql: str, *, allow_network: bool = False, timeout: float = TIMEOUT,
              memory: int | None = None) -> Answer:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query on a build folder, store or RDF file,
    answered by Oxigraph in a child process under a time limit and a memory ceiling."""
    kind = check_query(sparql, allow_network=allow_network)
    folder = store_folder(path)
    source = ("store", str(folder)) if folder is not None else ("file", str(graph_file(path)))
    items = sandbox.stream(_answer, (source, sparql, kind), timeout=timeout, memory=memory)
    columns = next(items)
    return Answer(kind, columns, items)


def run_on(path, sparql: str, allow_update: bool = False, **limits):
    """(columns, rows) of a query; an update, where allowed, is written back."""
    if form(sparql) == "UPDATE":
        check_query(sparql, allow_update, limits.get("allow_network", False))
        return ["updated"], [[update_on(path, sparql, **limits).summary()]]
    answer = stream_on(path, sparql, **limits)
    return answer.columns, list(answer.rows)


def _answer(source, sparql: str, kind: str):
    """In the child: the columns, then each row (lists of text)."""
    import pyoxigraph as ox
    store = open_read_only(source[1]) if source[0] == "store" else read_file(Path(source[1]))
    try:
        result = store.query(sparql, prefixes=PREFIXES)
    except SyntaxError as err:
        raise syntax_error(err) from None
    if isinstance(result, ox.QueryBoolean):
        yield ["ask"]
        yield [bool(result)]
    elif isinstance(result, ox.QuerySolutions):
        yield [v.value for v in result.variables]
        for row in result:
            yield ["" if t is None else t.value for t in row]
    else:
        yield ["subject", "predicate", "object"]
        for t in result:
            yield [t.subject.value, t.predicate.value, t.object.value]


# -- updates --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Updated:
    target: Path
    before: int
    after: int

    def summary(self) -> str:
        return f"updated {self.target}: {self.before:,} triples before, {self.after:,} after"


def update_on(path, sparql: str, *, allow_network: bool = False, timeout: float = TIMEOUT,
              memory: int | None = None, wait: float = 0.0) -> Updated:
    """Apply a SPARQL update and write the result back, atomically: to a build folder's
    store, graph.ttl and page (holding the folder's writer lock), or to the RDF file named."""
    check_query(sparql, allow_update=True, allow_network=allow_network)
    folder = store_folder(path)
    if folder is None:
        return _update_file(graph_file(path), sparql, timeout, memory)
    build = folder.parent if is_build(folder.parent) else None
    with writing(build or folder.parent, wait):
        copy, ready = temp_dir(folder), []
        try:
            from .store import _link_copy
            _link_copy(folder, copy)
            before, after = next(sandbox.stream(_apply, (str(copy), sparql), timeout=timeout, memory=memory))
            ready.append((copy, folder))
            if build is not None:
                _rewrite_outputs(build, copy, ready)
            publish(folder.parent, ready, _edited_manifest(build, after) if build else None)
        except OSError as err:
            raise output_error(err, folder) from None
        finally:
            for tmp, _ in ready:
                shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)
            shutil.rmtree(copy, ignore_errors=True)
    return Updated(build or folder, before, after)


def _apply(store_path: str, sparql: str):
    """In the child: open the copy read-write, update it, report the triple counts."""
    import pyoxigraph as ox
    store = ox.Store(store_path)
    before = len(store)
    try:
        store.update(sparql, prefixes=PREFIXES)
    except SyntaxError as err:
        raise syntax_error(err) from None
    except OSError as err:
        raise QueryError(f"the update failed: {_one_line(err)}") from None
    store.flush()
    yield before, len(store)


def _rewrite_outputs(build: Path, copy: Path, ready: list) -> None:
    """graph.ttl (and the page, where the build has one) made again from the updated store."""
    import pyoxigraph as ox

    from .build import write_page, write_turtle
    from .outputs import read_manifest
    store = ox.Store(str(copy))
    try:
        write_turtle(store, build / "graph.ttl", ready)
        if "graph.html" in (read_manifest(build) or {}).get("files", ()):
            write_page(store, build / "graph.html", ready)
    finally:
        del store


def _edited_manifest(build: Path, triples: int):
    from .outputs import manifest_entry, read_manifest
    old = read_manifest(build) or {}
    facts = {k: v for k, v in old.items() if k not in ("tool", "version", "kind", "files", "written")}
    return manifest_entry("build", old.get("files", ()), **{**facts, "triples": triples, "edited": True})


def _update_file(path: Path, sparql: str, timeout: float, memory: int | None) -> Updated:
    ready: list = []
    try:
        tmp = temp_file(path, ready)
        before, after = next(sandbox.stream(_apply_to_file, (str(path), str(tmp), sparql),
                                            timeout=timeout, memory=memory))
        publish(path.parent, ready)
    except OSError as err:
        raise output_error(err, path) from None
    finally:
        for tmp_path, _ in ready:
            tmp_path.unlink(missing_ok=True)
    return Updated(path, before, after)


def _apply_to_file(path: str, tmp: str, sparql: str):
    import pyoxigraph as ox
    store = read_file(Path(path))
    before = len(store)
    try:
        store.update(sparql, prefixes=PREFIXES)
    except SyntaxError as err:
        raise syntax_error(err) from None
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".").lower()) or ox.RdfFormat.TURTLE
    with open(tmp, "wb") as fh:
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            store.dump(fh, format=fmt)
        else:
            store.dump(fh, format=fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES
                       if fmt == ox.RdfFormat.TURTLE else None)
    yield before, len(store)


# -- rdflib graphs in memory (tests, `kg eval`) ---------------------------------------------

def run(g: Graph, sparql: str, allow_update: bool = False):
    """(columns, rows) for SELECT; (['ask'], [[bool]]) for ASK, on an rdflib graph."""
    kind = check_query(sparql, allow_update)
    if kind == "UPDATE":
        g.update(sparql, initNs=PREFIXES)
        return ["updated"], [[True]]
    try:
        parseQuery(sparql)
    except Exception as err:
        line, col = getattr(err, "lineno", None), getattr(err, "col", None)
        where = f" at line {line}, column {col}" if line else ""
        raise QueryError(f"malformed SPARQL{where}: {_one_line(err).split('(at char')[0]}") from None
    result = g.query(sparql, initNs=PREFIXES)
    if result.type == "ASK":
        return ["ask"], [[bool(result.askAnswer)]]
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    cols = [str(v) for v in result.vars]
    rows = [["" if v is None else str(v) for v in row] for row in result]
    return cols, rows


def run_preset(g: Graph, name: str):
    return run(g, preset(name))


# -- output ---------------------------------------------------------------------------------

def format_rows(cols, rows, fmt: str) -> str:
    buf = io.StringIO()
    write_rows(buf, cols, iter(rows), fmt, width=0)
    return buf.getvalue()


def write_rows(out, cols, rows, fmt: str, width: int = 0, terminal: bool = False) -> int:
    """Write rows as they come: csv, json (an array of objects) or an aligned table (its
    column widths from the first rows, cells cut with … to fit `width` when it is > 0).
    Control characters are escaped where the output is a terminal. Returns the row count."""
    clean = safe_text if terminal else (lambda s: s)
    n = 0
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow([clean(c) for c in cols])
        for r in rows:
            w.writerow([clean(str(v)) for v in r])
            n += 1
    elif fmt == "json":
        out.write("[")
        for r in rows:
            out.write(("\n " if n == 0 else ",\n ") + json.dumps(dict(zip(cols, r)), ensure_ascii=False))
            n += 1
        out.write("\n]\n" if n else "]\n")
    else:
        n = _table(out, cols, rows, width, clean)
    return n


def safe_text(s) -> str:
    """Text that cannot drive a terminal: control characters (an escape sequence in a
    document id, a carriage return) shown as \\x1b, \\r ... instead."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(s))


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _width(s: str) -> int:
    return sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in s)


def _cut(s: str, width: int) -> str:
    if _width(s) <= width:
        return s
    out, used = [], 0
    for c in s:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


HEAD_ROWS = 1000  # rows a table reads before it fixes its column widths


def _table(out, cols, rows, width: int, clean) -> int:
    head = []
    for r in rows:
        head.append([clean(str(v)).replace("\n", " ") for v in r])
        if len(head) >= HEAD_ROWS:
            break
    widths = [max([_width(c)] + [_width(r[i]) for r in head]) for i, c in enumerate(cols)]
    widths = _fit(widths, width)

    def line(values):
        cells = [_cut(v, w) for v, w in zip(values, widths)]
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip() + "\n"

    out.write(line([clean(c) for c in cols]))
    out.write("  ".join("-" * w for w in widths) + "\n")
    n = 0
    for r in head:
        out.write(line(r))
        n += 1
    for r in rows:
        out.write(line([clean(str(v)).replace("\n", " ") for v in r]))
        n += 1
    out.write(f"({n} row{'s' if n != 1 else ''})\n")
    return n


def _fit(widths: list[int], total: int) -> list[int]:
    """Narrow the widest columns until the table fits `total` characters (0: no limit)."""
    if total <= 0 or not widths:
        return widths
    widths = list(widths)
    budget = total - 2 * (len(widths) - 1)
    while sum(widths) > budget and max(widths) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    return widths


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 0
