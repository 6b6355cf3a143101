"""Scale (issue 6): parallel, streamed and distributed builds give the graph a serial build gives."""
import itertools

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV

from conftest import FIXED_TIME, ROOT
from graph.build import build, count_inputs, extract_all
from graph.query import load_graph
from graph.rdf import ID, to_graph
from graph.runner import Local, Serial

BAD = ROOT / "tests" / "data" / "bad"
GOOD = (BAD / "good.txt").read_text(encoding="utf-8")
# the same name at two companies (two people), and at one company in two articles (one person)
NAMESAKES = {
    "n1": "3月1日，东岭科技有限公司董事长王立军出席发布会。",
    "n2": "4月2日，西川化工有限公司总经理王立军会见客户。",
    "n3": "5月3日，东岭科技有限公司董事长王立军与北岭新材料股份有限公司签署战略合作协议。",
}


def _corpus(tmp_path, copies=12):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(copies):
        (folder / f"a{n:02d}.txt").write_text(GOOD.replace("何明", f"何明{n}"), encoding="utf-8")
    for name, text in NAMESAKES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _fixed_build(g: Graph) -> Graph:
    """The graph with its build activity (a timestamped IRI and time) made constant."""
    out = Graph()
    build_iri = URIRef(ID["build/fixed"])
    for s, p, o in g:
        s = build_iri if str(s).startswith(str(ID["build/"])) else s
        o = build_iri if isinstance(o, URIRef) and str(o).startswith(str(ID["build/"])) else o
        o = Literal("fixed") if p == PROV.startedAtTime else o
        out.add((s, p, o))
    return out


def _same(a: Graph, b: Graph) -> bool:
    a, b = _fixed_build(a), _fixed_build(b)
    if isomorphic(a, b):
        return True
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    print("only in first:", *sorted(only_a)[:10], "only in second:", *sorted(only_b)[:10], sep="\n")
    return False


def test_a_streamed_build_equals_the_graph_of_all_extractions(tmp_path):
    folder = _corpus(tmp_path, copies=3)
    build([folder], tmp_path / "out")
    whole = to_graph(extract_all([folder], []), FIXED_TIME)
    assert _same(load_graph(tmp_path / "out" / "graph.ttl"), whole)
    people = {str(s) for s in load_graph(tmp_path / "out").subjects() if "/person/" in str(s) and "王立军" in
              __import__("urllib.parse").parse.unquote(str(s))}
    assert len(people) == 2, people  # the namesake at the other company stays apart


def test_two_workers_build_what_one_builds(tmp_path):
    folder = _corpus(tmp_path)
    one = build([folder, BAD], tmp_path / "one", workers=1)
    two = build([folder, BAD], tmp_path / "two", workers=2)
    assert _same(load_graph(tmp_path / "one"), load_graph(tmp_path / "two"))
    assert (tmp_path / "one" / "extractions.jsonl").read_text(encoding="utf-8") == \
        (tmp_path / "two" / "extractions.jsonl").read_text(encoding="utf-8")
    assert one.skipped == two.skipped and one.skipped and one.documents == two.documents > 15


def test_extract_all_is_the_same_with_two_workers(tmp_path):
    folder = _corpus(tmp_path)
    serial_problems, parallel_problems = [], []
    serial = extract_all([folder, BAD], serial_problems, workers=1)
    parallel = extract_all([folder, BAD], parallel_problems, workers=2)
    assert [e.doc.id for e in serial] == [e.doc.id for e in parallel]
    assert serial_problems == parallel_problems
    assert isomorphic(to_graph(serial, FIXED_TIME), to_graph(parallel, FIXED_TIME))


@pytest.mark.slow
def test_a_dask_cluster_builds_what_one_process_builds(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = _corpus(tmp_path)
    build([folder], tmp_path / "local", workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        report = build([folder], tmp_path / "dask", dask=cluster.scheduler_address)
    assert report.documents == 15
    assert _same(load_graph(tmp_path / "local"), load_graph(tmp_path / "dask"))


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from graph.cli import main
    res = CliRunner().invoke(main, ["build", str(BAD / "good.txt"), "--out", str(tmp_path / "o"),
                                    "--dask", "tcp://127.0.0.1:9"])
    assert res.exit_code == 1 and "cannot reach the Dask scheduler" in res.output
    assert not (tmp_path / "o" / "graph.ttl").exists()


@pytest.mark.parametrize("make", [Serial, lambda: Local(2)], ids=["serial", "local"])
def test_runners_read_their_input_lazily_and_keep_order(make):
    run = make()
    taken = []

    def jobs():
        for n in itertools.count():
            taken.append(n)
            yield n

    try:
        results = run.map(abs, jobs())
        assert [next(results) for _ in range(5)] == [0, 1, 2, 3, 4]
        # a bounded window ahead, not the (endless) input
        assert len(taken) <= 5 + 2 * run.workers
    finally:
        run.close()


def test_inputs_are_counted_by_article(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "甲"}\n\n{"text": "乙"}\n{"text": "丙"}\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("丁", encoding="utf-8")
    assert count_inputs([tmp_path]) == 4
