"""Parallel extraction (issue 6, first part): --workers N gives what --workers 1 gives."""
from rdflib.compare import isomorphic

from conftest import FIXED_TIME, ROOT
from graph.build import extract_all
from graph.rdf import to_graph

BAD = ROOT / "tests" / "data" / "bad"


def test_two_workers_give_the_serial_graph(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        (folder / f"a{n:02d}.txt").write_text((BAD / "good.txt").read_text(encoding="utf-8")
                                              .replace("何明", f"何明{n}"), encoding="utf-8")
    serial_problems, parallel_problems = [], []
    serial = extract_all([folder, BAD], serial_problems, workers=1)
    parallel = extract_all([folder, BAD], parallel_problems, workers=2)
    assert [e.doc.id for e in serial] == [e.doc.id for e in parallel]
    assert serial_problems == parallel_problems
    assert isomorphic(to_graph(serial, FIXED_TIME), to_graph(parallel, FIXED_TIME))
