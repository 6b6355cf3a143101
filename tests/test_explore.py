"""kg signings, analyze, path, render on the seed and the development corpus."""
import json
import re

import pytest
from click.testing import CliRunner

from conftest import ROOT
from graph.analyze import analyze, to_networkx
from graph.build import build
from graph.cli import main
from graph.explore import find_nodes, paths, signings_table, subgraph
from graph.query import load_graph

DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="module")
def dev_graph(tmp_path_factory):
    if not DEV.is_dir():
        pytest.skip("the development corpus is not beside the repo")
    out = tmp_path_factory.mktemp("dev")
    build([DEV], out, render_page=False)
    return out


def test_names_match_labels_aliases_and_traditional_script(seed_graph):
    G = to_networkx(seed_graph)
    assert find_nodes(G, "中國聯通") == find_nodes(G, "联通") == find_nodes(G, "中国联通")


def test_unknown_name_offers_the_closest(seed_build):
    res = CliRunner().invoke(main, ["path", str(seed_build[0] / "graph.ttl"), "王晓", "青岛市委"])
    assert res.exit_code == 1 and "closest: 王晓初" in res.output


def test_signings_table_on_the_seed(seed_build):
    res = CliRunner().invoke(main, ["signings", str(seed_build[0] / "graph.ttl"), "--format", "json"])
    [row] = json.loads(res.output)
    assert row["date"] == "--11-02"
    assert row["signers"] == "姜正新（中国联通）、张德平（青岛市人民政府）"
    assert set(row["attendees"].split("、")) == {"王晓初", "陆益民", "李群", "张新起"}


def test_signings_filters_by_org_person_and_period(dev_graph):
    G = to_networkx(load_graph(dev_graph))
    everything = signings_table(G)
    assert len(everything) > 30
    one_org = signings_table(G, org="华信云")
    assert {r["doc"] for r in one_org} == {"d01"}
    assert all("罗思源" in r["signers"] for r in signings_table(G, person="罗思源"))
    dated = signings_table(G, since="2023-01-01", until="2023-12-31")
    assert dated and all(r["date"].startswith("2023") for r in dated)


def test_analyze_measures_and_is_repeatable(dev_graph):
    G = to_networkx(load_graph(dev_graph))
    first, again = analyze(G, top=5, seed=3), analyze(G, top=5, seed=3)
    assert first == again
    assert first["nodes"] == G.number_of_nodes() and first["communities"]
    assert set(first["top_by_type"]) >= {"Person", "Organization", "Agreement"}
    assert all(r["pagerank"] > 0 for r in first["top"])


def test_analyze_samples_betweenness_above_a_size(monkeypatch, dev_graph):
    import graph.analyze as A
    monkeypatch.setattr(A, "EXACT_BETWEENNESS_LIMIT", 10)
    G = to_networkx(load_graph(dev_graph))
    assert analyze(G, seed=1, samples=20)["betweenness_sampled"]
    assert analyze(G, seed=1, samples=20) == analyze(G, seed=1, samples=20)


def test_path_hops_carry_relation_and_evidence(seed_build):
    G = to_networkx(load_graph(seed_build[0]))
    [chain, *_] = paths(G, "李群", "姜正新")
    assert chain[0]["from"] == "李群" and chain[-1]["to"] == "姜正新"
    assert all(hop["relation"] and hop["evidence"] for hop in chain)
    res = CliRunner().invoke(main, ["path", str(seed_build[0] / "graph.ttl"), "李群", "姜正新"])
    assert res.exit_code == 0 and "chain 1" in res.output


def test_render_ego_types_and_period(seed_build, tmp_path):
    G = to_networkx(load_graph(seed_build[0]))
    ego = subgraph(G, ego="张德平", depth=1)
    assert {d["label"] for _, d in ego.nodes(data=True)} >= {"张德平", "青岛市人民政府"}
    people = subgraph(G, types=("Person",))
    assert {d["type"] for _, d in people.nodes(data=True)} == {"Person"}
    res = CliRunner().invoke(main, ["render", str(seed_build[0] / "graph.ttl"), "--out", str(tmp_path / "p.html"),
                                    "--ego", "中国联通", "--depth", "1"])
    assert res.exit_code == 0 and re.search(r"\(\d+ nodes", res.output)
    assert "中国联通" in (tmp_path / "p.html").read_text(encoding="utf-8")


def test_big_pages_are_laid_out_in_python_without_physics():
    import networkx as nx
    from graph.render import html
    G = nx.MultiDiGraph()
    for i in range(1200):
        G.add_node(f"n{i}", label=f"节点{i}", type="Person", aliases=[])
        if i:
            G.add_edge(f"n{i}", f"n{i // 2}", kind="position", label="任职", evidence="", fact="f", date="")
    page = html(G)
    assert '"physics": {"enabled": false' in page and '"x": ' in page
