"""The Oxigraph store a build writes beside graph.ttl (issue 6, first part)."""
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from conftest import SEEDS
from graph.build import build
from graph.cli import main
from graph.query import load_graph, run, run_on
from graph.resources import presets
from graph.store import is_store, load, write_store


def by_value(g: Graph) -> Graph:
    """Decimals as values: Oxigraph writes 3000000000 where Turtle has 3000000000.0."""
    out = Graph()
    for s_, p_, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s_, p_, o))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("store-build")
    build([SEEDS], out)
    return out


def test_build_writes_a_store_that_round_trips(built):
    assert is_store(built / "store")
    assert isomorphic(by_value(load(built / "store")), by_value(load_graph(built / "graph.ttl")))


@pytest.mark.parametrize("name", sorted(presets()))
def test_every_preset_answers_the_same_from_store_and_turtle(built, name):
    text = presets()[name].read_text(encoding="utf-8")
    from_store = run_on(built / "store", text)
    from_turtle = run(load_graph(built / "graph.ttl"), text)
    assert from_store[0] == from_turtle[0]
    assert sorted(from_store[1]) == sorted(from_turtle[1])


def test_commands_accept_the_store_folder(built):
    res = CliRunner().invoke(main, ["query", str(built / "store"), "--preset", "signings", "--format", "csv"])
    assert res.exit_code == 0 and "姜正新" in res.output
    res = CliRunner().invoke(main, ["signings", str(built / "store"), "--format", "csv"])
    assert res.exit_code == 0 and "姜正新" in res.output
    res = CliRunner().invoke(main, ["query", str(built / "store"), "SELECT ?x WHERE {"])
    assert res.exit_code == 2 and "malformed SPARQL" in res.output


def test_a_rewrite_replaces_the_store_whole(built, tmp_path):
    g = load_graph(built / "graph.ttl")
    folder = tmp_path / "store"
    write_store(g, folder)
    write_store(g, folder)
    assert isomorphic(by_value(load(folder)), by_value(g))
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # nothing left aside
