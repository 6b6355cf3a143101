"""An on-disk Oxigraph store beside graph.ttl: it loads a million triples in seconds and
answers SPARQL in milliseconds, where rdflib's in-memory graph takes tens of seconds to parse.
Turtle stays the export; rdflib stays the API for building and checking the graph."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Graph

from .errors import GraphError, QueryError

NAME = "store"


def is_store(path) -> bool:
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def write_store(g: Graph, folder) -> Path:
    """Write `g` to an Oxigraph store at `folder`, built aside and swapped in whole."""
    with StoreBuilder(folder) as sb:
        sb.load(g.serialize(format="nt", encoding="utf-8"))
        sb.commit()
    return Path(folder)


class StoreBuilder:
    """A new store built beside `folder` from N-Triples chunks, then swapped in whole by
    commit(); leaving the block without commit() removes it and keeps the old store."""

    def __init__(self, folder):
        import pyoxigraph as ox
        self.folder = Path(folder)
        self.tmp = Path(tempfile.mkdtemp(dir=self.folder.parent, prefix=f".{self.folder.name}."))
        self.store = ox.Store(str(self.tmp))

    def __enter__(self):
        return self

    def load(self, ntriples: bytes) -> None:
        import pyoxigraph as ox
        self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)

    def dump_turtle(self, fh, prefixes: dict[str, str]) -> None:
        import pyoxigraph as ox
        self.store.dump(fh, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def commit(self) -> None:
        self.store.flush()
        del self.store
        folder, tmp = self.folder, self.tmp
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old."))
            os.replace(folder, old / NAME)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
        self.tmp = None

    def __exit__(self, *exc):
        if self.tmp is not None:
            self.store = None
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False


def in_memory(source):
    """An in-memory Oxigraph store of an rdflib graph or of N-Triples bytes: the fast way to
    run SPARQL over a graph already in memory."""
    import pyoxigraph as ox
    data = source.serialize(format="nt", encoding="utf-8") if isinstance(source, Graph) else source
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def _open(folder):
    import pyoxigraph as ox
    try:
        return ox.Store.read_only(str(folder))
    except OSError as err:
        raise GraphError(f"{folder}: not a readable Oxigraph store ({err})") from None


def query(folder, sparql: str):
    """(columns, rows) for SELECT, (['ask'], [[bool]]) for ASK, answered by Oxigraph."""
    import pyoxigraph as ox
    store = _open(folder)
    try:
        result = store.query(sparql)
    except SyntaxError as err:
        raise QueryError(f"malformed SPARQL: {' '.join(str(err).split())[:200]}") from None
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [[bool(result)]]
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries are supported")
    cols = [v.value for v in result.variables]
    rows = [["" if t is None else t.value for t in row] for row in result]
    return cols, rows


def load(folder) -> Graph:
    """The store as an rdflib graph, for the commands that walk the graph in Python."""
    import pyoxigraph as ox
    data = _open(folder).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")
