"""An on-disk Oxigraph store beside graph.ttl: it loads a million triples in seconds and
answers SPARQL in milliseconds, where rdflib's in-memory graph takes tens of seconds to parse.
Turtle stays the export; rdflib stays the API for building and checking the graph."""
from __future__ import annotations

import os
import shutil
from contextlib import nullcontext
from pathlib import Path

from rdflib import Graph

from .errors import GraphError
from .outputs import discard, is_build, publish, reading, temp_dir

NAME = "store"
# the prefixes every query may use without declaring them (kg query, kg serve)
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "zt": "https://zhitu.dev/ontology#",
    "id": "https://zhitu.dev/id/",
}


def is_store(path) -> bool:
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def write_store(g: Graph, folder) -> Path:
    """Write `g` to an Oxigraph store at `folder`, built aside and swapped in whole."""
    folder = Path(folder)
    ready: list = []
    try:
        with StoreBuilder(folder) as sb:
            sb.load(g.serialize(format="nt", encoding="utf-8"))
            ready.append(sb.finish())
        publish(folder.parent, ready)
    finally:
        discard(ready)
    return folder


class StoreBuilder:
    """A new store built beside `folder` from N-Triples chunks (or from a copy of an existing
    store), handed over by finish() as (temporary folder, final folder) for `publish`;
    leaving the block without finish() removes it."""

    def __init__(self, folder, copy_of=None):
        import pyoxigraph as ox
        self.folder = Path(folder)
        self.tmp = temp_dir(self.folder)
        if copy_of is not None:
            _link_copy(Path(copy_of), self.tmp)
        self.store = ox.Store(str(self.tmp))

    def __enter__(self):
        return self

    def load(self, ntriples: bytes) -> None:
        import pyoxigraph as ox
        self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)

    def finish(self) -> tuple[Path, Path]:
        self.store.flush()
        self.store = None  # closes it before it is renamed
        done, self.tmp = self.tmp, None
        return done, self.folder

    def __exit__(self, *exc):
        if self.tmp is not None:
            self.store = None
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False


def _link_copy(source: Path, target: Path) -> None:
    """A copy of a RocksDB folder that costs no space: table files never change once
    written, so they are hard-linked; the manifest and logs, which grow, are copied."""
    for entry in os.scandir(source):
        if entry.name == "LOCK" or not entry.is_file(follow_symlinks=False):
            continue
        dest = target / entry.name
        if entry.name.endswith((".sst", ".blob")):
            try:
                os.link(entry.path, dest)
                continue
            except OSError:
                pass  # another file system, or no hard links: copy
        shutil.copy2(entry.path, dest)


def in_memory(source):
    """An in-memory Oxigraph store of an rdflib graph or of N-Triples bytes: the fast way to
    run SPARQL over a graph already in memory."""
    import pyoxigraph as ox
    data = source.serialize(format="nt", encoding="utf-8") if isinstance(source, Graph) else source
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def open_read_only(folder):
    """The store at `folder`, opened read-only; inside a build folder, holding its swap lock
    while opening, so a build replacing the store is never seen half way."""
    import pyoxigraph as ox
    folder = Path(folder)
    parent = folder.parent
    lock = reading(parent) if is_build(parent) else nullcontext()
    with lock:
        try:
            return ox.Store.read_only(str(folder))
        except OSError as err:
            raise GraphError(f"{folder}: not a readable Oxigraph store ({' '.join(str(err).split())[:200]})") \
                from None


def load(folder) -> Graph:
    """The store as an rdflib graph, for the commands that walk the graph in Python."""
    import pyoxigraph as ox
    data = open_read_only(folder).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")
