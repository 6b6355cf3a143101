"""The main job: inputs -> extractions -> RDF -> Turtle + HTML, written atomically."""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from . import cache
from .analyze import centrality, to_networkx
from .errors import ValidationError
from .store import NAME as STORE, write_store
from .validate import validate
from .extract import extract
from .model import Extraction
from .rdf import to_graph
from .render import html
from .sources import Skipped, input_files, read_inputs


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


def extract_all(inputs, problems: list[Skipped], *, min_confidence: float = 0.0,
                progress=None, workers: int = 1) -> list[Extraction]:
    """Extract every document of `inputs`, in `workers` processes; the result is in input
    order and the same whatever the number of workers."""
    docs = read_inputs(inputs, problems)
    out = []
    if workers > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(workers) as pool:
            results = pool.imap(_extract_one, ((d, min_confidence) for d in docs), chunksize=4)
            for doc, ex in results:
                _collect(doc, ex, out, problems, progress)
    else:
        for doc in docs:
            _collect(doc, _extract_one((doc, min_confidence))[1], out, problems, progress)
    return out


def _extract_one(job):
    doc, min_confidence = job
    try:
        return doc, extract(doc, min_confidence)
    except RecursionError:
        return doc, None


def _collect(doc, ex, out, problems, progress) -> None:
    if ex is None:
        problems.append(Skipped(doc.source or doc.id, None, "text too deeply nested to read"))
    else:
        out.append(ex)
    if progress:
        progress(doc)


def build(inputs, out_dir, *, min_confidence: float = 0.0, progress=None,
          render_page: bool = True, update: bool = False, check: bool = True,
          workers: int = 1) -> BuildReport:
    """Extract `inputs` and write the graph to `out_dir`. With `update`, the documents are
    merged into what the folder already holds (a document read again replaces its facts)."""
    started = time.perf_counter()
    report = BuildReport()
    out = Path(out_dir)
    fresh = extract_all(inputs, report.skipped, min_confidence=min_confidence, progress=progress,
                        workers=workers)
    extractions = merge(cache.read(out), fresh) if update else fresh
    g = to_graph(extractions)
    if check:
        conforms, problems = validate(g)
        if not conforms:
            raise ValidationError("the graph does not conform to ontology/shapes.ttl; nothing written:\n  "
                                  + "\n  ".join(problems[:20]))
    report.documents = len(fresh)
    _count(report, g, extractions)
    G = to_networkx(g)
    report.top = centrality(G)["top"]
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(out / "graph.ttl") as fh:
        fh.write(g.serialize(format="turtle"))
    write_store(g, out / STORE)
    if render_page:
        with atomic_write(out / "graph.html") as fh:
            fh.write(html(G))
    # the extractions are written last: an update killed before this point leaves the
    # previous extractions, from which the next run rebuilds a consistent graph
    with atomic_write(out / cache.FILE) as fh:
        for ex in extractions:
            fh.write(cache.dump(ex) + "\n")
    with atomic_write(out / "skipped.jsonl") as fh:
        for s in report.skipped:
            fh.write(json.dumps({"file": s.file, "line": s.line, "reason": s.reason,
                                 "action": s.action}, ensure_ascii=False) + "\n")
    report.outputs = [out / "graph.ttl", out / STORE] + ([out / "graph.html"] if render_page else []) + \
        [out / cache.FILE, out / "skipped.jsonl"]
    report.seconds = time.perf_counter() - started
    return report


def merge(old: list[Extraction], new: list[Extraction]) -> list[Extraction]:
    """Old extractions with those of re-read documents replaced, then the new ones."""
    replaced = {ex.doc.id: ex for ex in new}
    kept = [replaced.pop(ex.doc.id, ex) for ex in old]
    return kept + [ex for ex in new if ex.doc.id in replaced]


def _count(report: BuildReport, g: Graph, extractions) -> None:
    seen = set()
    for ex in extractions:
        for type_, label, _ in ex.names:
            if (type_, label) not in seen:
                seen.add((type_, label))
                report.entities[type_] += 1
        for f in ex.facts:
            report.relations[type(f).__name__] += 1
    report.triples = len(g)


@contextmanager
def atomic_write(path: Path):
    """Write to a temporary file beside `path`, then rename: a crash leaves the old file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; outputs are ordinary files
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def count_inputs(inputs) -> int:
    return len(input_files(inputs))
