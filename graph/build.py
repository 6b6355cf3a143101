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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from . import cache
from .analyze import centrality, to_networkx
from .errors import InputError, ValidationError
from .extract import extract
from .model import Extraction
from .outputs import (BUILD_FILES, TMP, claim, discard, file_mode, manifest_entry, output_error, publish,
                      staged, writing)
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
          workers: int = 1, dask=None, wait: float = 0.0, allow_empty: bool = False) -> BuildReport:
    """Extract `inputs` and write the graph to `out_dir`. With `update`, the documents are
    merged into what the folder already holds (a document read again replaces its facts).

    The folder must be new, empty or a build's (outputs.claim); the build holds its writer
    lock throughout, and a corpus that yields no document replaces nothing unless
    `allow_empty`."""
    started = time.perf_counter()
    report = BuildReport()
    out = Path(out_dir)
    if update:
        cache.existing(out)  # before anything is made: an update needs a build to update
    claim(out, "build", BUILD_FILES)
    with writing(out, wait):
        manifest = claim(out, "build", BUILD_FILES)  # again: another writer may have been first
        previous = cache.existing(out) if update else None
        when = datetime.now(timezone.utc)
        run, stage = runner(workers, dask), None
        try:
            stage = Stage(out, report)
            docs = read_inputs(inputs, report.skipped, exclude=[out])
            fresh = _stream(run, docs, (min_confidence, when, check), stage, progress)
            report.documents = len(fresh)
            if not fresh and not allow_empty:
                raise EmptyCorpus(inputs, report.skipped)
            if update:
                kept = (line for doc_id, line in cache.records(previous) if doc_id not in fresh)
                _stream(run, kept, (min_confidence, when, check), stage, None)
            run.close()
            report.skipped.sort(key=lambda s: (s.file, s.line or 0))  # the same whatever ran the batches
            _write(stage, out, report, render_page, (manifest or {}).get("files", ()))
        except OSError as err:
            raise output_error(err, out) from None
        finally:
            run.close()
            if stage is not None:
                stage.discard()
    report.seconds = time.perf_counter() - started
    return report


class EmptyCorpus(InputError):
    """No document could be read: a build would replace the graph with an empty one."""

    def __init__(self, inputs, skipped):
        names = ", ".join(map(str, inputs))
        why = f"; {len(skipped)} skipped, first: {skipped[0]}" if skipped else ""
        super().__init__(names, f"no article could be read{why}; nothing written "
                                "(--allow-empty writes an empty graph)")
        self.skipped = skipped


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
                                                   suffix=TMP, delete=False)
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

    def close_records(self) -> Path:
        self.records.flush()
        os.fsync(self.records.fileno())
        self.records.close()
        os.chmod(self.records.name, file_mode())
        return Path(self.records.name)

    def discard(self) -> None:
        """Remove what the stage wrote; an error here (a full disk refusing the last flush)
        must not hide the one that stopped the build."""
        for close in (self.records.close, self.triples.close):
            try:
                close()
            except OSError:
                pass
        Path(self.records.name).unlink(missing_ok=True)


def _write(stage: Stage, out: Path, report: BuildReport, render_page: bool, owned) -> None:
    """Every output is made aside first and then renamed into place together (with the
    manifest last), so a build killed at any point before leaves the previous outputs as
    they were, and a reader sees either build whole."""
    people = identities(stage.people)
    ready: list[tuple[Path, Path]] = []  # (temporary, final)
    try:
        with StoreBuilder(out / STORE) as store:
            _load(store, stage, people)
            report.triples = len(store.store)
            # Oxigraph writes the Turtle without the GIL, beside the page being made
            turtle = _Background(write_turtle, store.store, out / "graph.ttl", ready)
            try:
                report.top = write_page(store.store, out / "graph.html", ready if render_page else None)
            finally:
                turtle.join()
            with staged(out / "skipped.jsonl", ready) as fh:
                for s in report.skipped:
                    fh.write(json.dumps({"file": s.file, "line": s.line, "reason": s.reason,
                                         "action": s.action}, ensure_ascii=False) + "\n")
            ready.append((stage.close_records(), out / cache.FILE))
            ready.append(store.finish())
        written = {final.name for _, final in ready}
        files = written | {f for f in owned if (out / f).exists()}
        publish(out, ready, manifest_entry("build", files, documents=report.documents, triples=report.triples))
    finally:
        discard(ready)
        stage.triples.close()
    report.outputs = [out / "graph.ttl", out / STORE] + ([out / "graph.html"] if render_page else []) + \
        [out / cache.FILE, out / "skipped.jsonl"]


def write_turtle(store, path: Path, ready: list) -> None:
    """graph.ttl from a pyoxigraph store, staged in `ready`."""
    import pyoxigraph as ox
    prefixes = {p: str(ns) for p, ns in bind(Graph()).namespaces() if p in PREFIXES}
    with staged(path, ready, binary=True) as fh:
        store.dump(fh, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def write_page(store, path: Path, ready: list | None) -> list:
    """graph.html from a pyoxigraph store, staged in `ready` (None: no page); returns the
    most central entities, which the build's summary names."""
    G = to_networkx(store)
    stats = centrality(G)
    if ready is not None:
        with staged(path, ready) as fh:
            fh.write(html(G, max_nodes=PAGE_NODES, stats=stats))
    return stats["top"]


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
