"""End to end on seeds/: the golden graph, the presets, the page, the CLI."""
import csv
import io
import re

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from conftest import FIXED_TIME, ROOT, SEEDS
from graph.cli import main
from graph.query import run_preset

PRESET_COLUMNS = {
    "entities": ["doc", "type", "name"],
    "positions": ["doc", "person", "title", "org"],
    "signings": ["doc", "agreement", "date", "place", "party", "signer"],
    "attendees": ["doc", "agreement", "person"],
    "investments": ["doc", "investor", "amount", "currency", "target"],
}


def test_golden_graph_of_seeds():
    from graph.build import extract_all
    from graph.rdf import to_graph
    built = to_graph(extract_all([SEEDS], []), activity_time=FIXED_TIME)
    got = Graph().parse(data=built.serialize(format="turtle"), format="turtle")  # as written
    want = Graph().parse(ROOT / "tests" / "golden" / "seeds.ttl")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        pytest.fail("graph differs from tests/golden/seeds.ttl\nonly in build:\n"
                    + "\n".join(sorted(map(str, only_got)))[:3000]
                    + "\nonly in golden:\n" + "\n".join(sorted(map(str, only_want)))[:3000])


@pytest.mark.parametrize("name, columns", PRESET_COLUMNS.items())
def test_each_preset_gives_its_columns(seed_graph, name, columns):
    cols, rows = run_preset(seed_graph, name)
    assert cols == columns
    assert rows, f"preset {name} found nothing in the seed article"


def test_seed_facts(seed_graph):
    _, rows = run_preset(seed_graph, "signings")
    signers = {(r[4], r[5]) for r in rows}
    assert ("中国联通", "姜正新") in signers and ("青岛市人民政府", "张德平") in signers
    _, rows = run_preset(seed_graph, "investments")
    assert ["unicom-qingdao-smart-city", "中国联通", "3000000000", "CNY", "山东联通大数据中心"] in rows
    _, rows = run_preset(seed_graph, "positions")
    assert ["unicom-qingdao-smart-city", "王晓初", "董事长", "中国联通"] in rows


def test_every_label_is_simplified_and_tagged_zh(seed_graph):
    from rdflib.namespace import RDFS
    labels = list(seed_graph.objects(None, RDFS.label))
    assert labels and all(l.language == "zh" for l in labels)
    assert not any(c in str(l) for l in labels for c in "聯國島")


def test_html_loads_nothing_from_the_network(seed_build):
    page = (seed_build[0] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "new vis.Network" in page and "中国联通" in page


def test_build_summary_and_query_via_cli(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "documents read: 1" in res.output and "triples:" in res.output
    res = runner.invoke(main, ["query", str(tmp_path / "graph.ttl"), "--preset", "attendees",
                               "--format", "csv"])
    rows = list(csv.reader(io.StringIO(res.output)))
    assert rows[0] == PRESET_COLUMNS["attendees"]
    assert {r[2] for r in rows[1:]} == {"王晓初", "陆益民", "李群", "张新起"}


def test_ask_query(tmp_path, seed_build):
    res = CliRunner().invoke(main, ["query", str(seed_build[0] / "graph.ttl"),
                                    "ASK { ?s a <https://zhitu.dev/ontology#Signing> }", "--format", "csv"])
    assert res.output.splitlines() == ["ask", "True"]


def test_missing_graph_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(main, ["query", str(tmp_path / "nope.ttl"), "--preset", "entities"])
    assert res.exit_code == 2 and "no such graph file" in res.output


def test_malformed_query_exits_2(seed_build):
    res = CliRunner().invoke(main, ["query", str(seed_build[0] / "graph.ttl"), "SELECT ?x WHERE {"])
    assert res.exit_code == 2 and "malformed SPARQL" in res.output


def test_every_command_has_help():
    for cmd in ("build", "query", "presets"):
        res = CliRunner().invoke(main, [cmd, "--help"])
        assert res.exit_code == 0 and "Usage" in res.output
