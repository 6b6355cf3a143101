"""The main job: inputs -> extractions -> RDF -> Turtle, store + HTML, written atomically.

Documents stream through. Each batch is extracted, turned into triples and validated on a
worker (a local process or a Dask worker); the main process keeps only the batch's triples
(in a temporary file) and a few facts about its people, so memory holds the graph's store,
not the corpus. Namesakes are told apart once every document is in (`rdf.identities`)."""
from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from . import cache
from .analyze import centrality, to_networkx
from .errors import ValidationError
from .extract import extract
from .model import Extraction
from .rdf import bind, document_triples, entity_iri, identities, identity_rules, person_summary
from .render import html
from .runner import runner
from .sources import Skipped, input_files, read_inputs
from .store import NAME as STORE, StoreBuilder
from .validate import validate_ntriples

BATCH = 16  # documents a worker takes at a time: enough to amortise validation, few enough to stream
CHUNK_BYTES = 8 << 20  # N-Triples handed to the store at a time
PAGE_NODES = 5000  # the most central nodes on the build's page: 5,000 load in under 3 s (bench/)
PREFIXES = {"zt", "schema", "org", "prov", "skos", "dcterms", "owl", "rdf", "rdfs", "xsd"}


@dataclass
class BuildReport:
    documents: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    triples: int = 0
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)
    top: list = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        ents = ", ".join(f"{k} {v}" for k, v in sorted(self.entities.items()))
        rels = ", ".join(f"{k} {v}" for k, v in sorted(self.relations.items()))
        lines = [f"documents read: {self.documents}",
                 f"entities: {ents or 'none'}",
                 f"relations: {rels or 'none'}",
                 f"triples: {self.triples}",
                 f"seconds: {self.seconds:.2f}"]
        if self.top:
            lines.append("most central: " + ", ".join(f"{label} ({t})" for label, t, _ in self.top[:5]))
        if self.skipped:
            lines.append(f"skipped or repaired: {len(self.skipped)} (see skipped.jsonl)")
            lines += [f"  {s}" for s in self.skipped[:10]]
        return "\n".join(lines)


def build(inputs, out_dir, *, min_confidence: float = 0.0, progress=None,
          render_page: bool = True, update: bool = False, check: bool = True,
          workers: int = 1, dask=None) -> BuildReport:
    """Extract `inputs` and write the graph to `out_dir`. With `update`, the documents are
    merged into what the folder already holds (a document read again replaces its facts)."""
    started = time.perf_counter()
    report = BuildReport()
    out = Path(out_dir)
    previous = cache.existing(out) if update else None
    out.mkdir(parents=True, exist_ok=True)
    when = datetime.now(timezone.utc)
    run = runner(workers, dask)
    stage = Stage(out, report)
    try:
        fresh = _stream(run, read_inputs(inputs, report.skipped), (min_confidence, when, check), stage, progress)
        report.documents = len(fresh)
        if update:
            kept = (line for doc_id, line in cache.records(previous) if doc_id not in fresh)
            _stream(run, kept, (min_confidence, when, check), stage, None)
        run.close()
        report.skipped.sort(key=lambda s: (s.file, s.line or 0))  # the same whatever ran the batches
        _write(stage, out, report, render_page)
    except BaseException:
        run.close()
        stage.discard()
        raise
    report.seconds = time.perf_counter() - started
    return report


def _stream(run, items, settings, stage, progress) -> set[str]:
    ids = set()
    for done, skipped, problems in run.map(pieces, _batches(items, *settings)):
        if problems:
            raise ValidationError("the graph does not conform to ontology/shapes.ttl; nothing written:\n  "
                                  + "\n  ".join(problems[:20]))
        stage.report.skipped.extend(skipped)
        for piece in done:
            stage.add(piece)
            ids.add(piece.doc_id)
            if progress:
                progress(piece)
    return ids


def _batches(items, *args, size: int = BATCH):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield (tuple(batch), *args)
            batch = []
    if batch:
        yield (tuple(batch), *args)


@dataclass(frozen=True)
class Piece:
    """What one document becomes on a worker: all the main process keeps or writes of it."""
    doc_id: str
    source: str | None
    record: str  # its line of extractions.jsonl
    triples: bytes  # its part of the graph as N-Triples, people under their plain IRIs
    people: tuple  # (doc id, name, organisations) rows, to tell namesakes apart afterwards
    names: tuple  # (type, label) of every entity it names
    facts: tuple  # the kind of every fact


def pieces(job) -> tuple[list[Piece], list[Skipped], list[str]]:
    """A batch of documents (or of extractions.jsonl lines to reuse) -> pieces, skipped
    documents and SHACL violations. Runs on a worker, so it is plain data in and out.

    Each document's triples name every entity they use with its type and label, so a batch
    is checked against the shapes on its own, and the check runs in parallel."""
    items, min_confidence, activity_time, check = job
    out, skipped = [], []
    for item in items:
        if isinstance(item, str):
            ex = cache.load(item)
        else:
            ex = _extract_one(item, min_confidence)
            if ex is None:
                skipped.append(Skipped(item.source or item.id, None, "text too deeply nested to read"))
                continue
        out.append(Piece(ex.doc.id, ex.doc.source, item if isinstance(item, str) else cache.dump(ex),
                         document_triples(ex, activity_time), tuple(person_summary(ex)),
                         tuple((t, label) for t, label, _ in ex.names),
                         tuple(type(f).__name__ for f in ex.facts)))
    problems = validate_ntriples(b"".join(p.triples for p in out))[1] if check and out else []
    return out, skipped, problems


def _extract_one(doc, min_confidence):
    try:
        return extract(doc, min_confidence)
    except RecursionError:
        return None


class Stage:
    """Temporary files beside the outputs, filled as pieces arrive: the new extractions.jsonl,
    every document's triples, and what telling namesakes apart needs."""

    def __init__(self, out: Path, report: BuildReport):
        self.out, self.report = out, report
        self.records = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out, prefix=".extractions.",
                                                   suffix=".tmp", delete=False)
        self.triples = tempfile.TemporaryFile(dir=out)
        self.index: list[tuple[str, int, int]] = []  # (doc id, offset, length) in self.triples
        self.people: list[tuple] = []
        self.names: set[tuple[str, str]] = set()

    def add(self, piece: Piece) -> None:
        self.records.write(piece.record + "\n")
        self.index.append((piece.doc_id, self.triples.tell(), len(piece.triples)))
        self.triples.write(piece.triples)
        self.people.extend(piece.people)
        for name in piece.names:
            if name not in self.names:
                self.names.add(name)
                self.report.entities[name[0]] += 1
        self.report.relations.update(piece.facts)

    def documents(self, people: dict):
        """Each document's N-Triples, with namesakes told apart under their own IRIs."""
        renamed: dict[str, list[tuple[bytes, bytes]]] = {}
        for (doc_id, name), iri in people.items():
            plain = entity_iri("Person", name)
            if iri != plain:
                renamed.setdefault(doc_id, []).append((f"<{plain}>".encode(), f"<{iri}>".encode()))
        for doc_id, offset, length in self.index:
            self.triples.seek(offset)
            data = self.triples.read(length)
            for old, new in renamed.get(doc_id, ()):
                data = data.replace(old, new)
            yield data

    def close_records(self) -> str:
        self.records.flush()
        os.fsync(self.records.fileno())
        self.records.close()
        os.chmod(self.records.name, _file_mode())
        return self.records.name

    def discard(self) -> None:
        self.records.close()
        Path(self.records.name).unlink(missing_ok=True)
        self.triples.close()


def _write(stage: Stage, out: Path, report: BuildReport, render_page: bool) -> None:
    """Every output is made aside first and then renamed into place in one quick sequence,
    so a build killed at any point before it leaves the previous outputs as they were."""
    people = identities(stage.people)
    ready: list[tuple[Path, Path]] = []  # (temporary, final)
    try:
        with StoreBuilder(out / STORE) as store:
            _load(store, stage, people)
            report.triples = len(store.store)
            # Oxigraph writes the Turtle without the GIL, beside the page being made
            turtle = _Background(_write_turtle, store, out / "graph.ttl", ready)
            try:
                G = to_networkx(store.store)
                stats = centrality(G)
                report.top = stats["top"]
                if render_page:
                    with staged(out / "graph.html", ready) as fh:
                        fh.write(html(G, max_nodes=PAGE_NODES, stats=stats))
            finally:
                turtle.join()
            with staged(out / "skipped.jsonl", ready) as fh:
                for s in report.skipped:
                    fh.write(json.dumps({"file": s.file, "line": s.line, "reason": s.reason,
                                         "action": s.action}, ensure_ascii=False) + "\n")
            ready.append((stage.close_records(), out / cache.FILE))
            for tmp, final in ready:
                os.replace(tmp, final)
            ready.clear()
            store.commit()
    finally:
        for tmp, _ in ready:
            Path(tmp).unlink(missing_ok=True)
        stage.triples.close()
    report.outputs = [out / "graph.ttl", out / STORE] + ([out / "graph.html"] if render_page else []) + \
        [out / cache.FILE, out / "skipped.jsonl"]


def _write_turtle(store: StoreBuilder, path: Path, ready: list) -> None:
    with staged(path, ready, binary=True) as fh:
        store.dump_turtle(fh, {p: str(ns) for p, ns in bind(Graph()).namespaces() if p in PREFIXES})


class _Background(threading.Thread):
    """A function run in a thread whose exception join() raises in the caller."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self._call, self._error = (fn, args), None
        self.start()

    def run(self) -> None:
        try:
            self._call[0](*self._call[1])
        except BaseException as err:  # handed to the caller of join()
            self._error = err

    def join(self, timeout=None) -> None:
        super().join(timeout)
        if self._error is not None:
            raise self._error


def _load(store: StoreBuilder, stage: Stage, people: dict) -> None:
    chunk, size = [], 0
    for data in stage.documents(people):
        chunk.append(data)
        size += len(data)
        if size > CHUNK_BYTES:
            store.load(b"".join(chunk))
            chunk, size = [], 0
    rules = Graph()
    for triple in identity_rules(people):
        rules.add(triple)
    store.load(b"".join(chunk) + rules.serialize(format="nt", encoding="utf-8"))


def extract_all(inputs, problems: list[Skipped], *, min_confidence: float = 0.0,
                progress=None, workers: int = 1, dask=None) -> list[Extraction]:
    """Every document of `inputs` extracted, in input order, whatever runs the extraction
    (for tests and tools that want the extractions themselves, not a graph on disk)."""
    run = runner(workers, dask)
    out = []
    try:
        for batch in run.map(_extract_batch, _batches(read_inputs(inputs, problems), min_confidence)):
            for doc, ex in batch:
                if ex is None:
                    problems.append(Skipped(doc.source or doc.id, None, "text too deeply nested to read"))
                else:
                    out.append(ex)
                if progress:
                    progress(doc)
    finally:
        run.close()
    return out


def _extract_batch(job):
    docs, min_confidence = job
    return [(doc, _extract_one(doc, min_confidence)) for doc in docs]


@contextmanager
def atomic_write(path: Path, binary: bool = False):
    """Write to a temporary file beside `path`, then rename: a crash leaves the old file."""
    ready: list[tuple[Path, Path]] = []
    with staged(path, ready, binary) as fh:
        yield fh
    os.replace(*ready[0])


@contextmanager
def staged(path: Path, ready: list, binary: bool = False):
    """Write a temporary file beside `path`, synced, and append (temporary, path) to `ready`
    for the caller to rename; on an error the temporary file is removed."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, _file_mode())  # mkstemp makes files private; outputs are ordinary files
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    ready.append((Path(tmp), path))


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def count_inputs(inputs) -> int:
    """Articles in `inputs`: one per .txt file, one per non-empty line of a .jsonl file (read
    as bytes, so a large corpus is counted in a moment)."""
    total = 0
    for f in input_files(inputs):
        if f.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with f.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        except OSError:
            pass  # the reader reports it
    return total
