"""Issue 4: ontology, provenance, identity across documents, validation, exports, updates."""
import csv
import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from conftest import ROOT, SEEDS
from graph.build import build
from graph.cli import main
from graph.export import FORMATS, export
from graph.query import load_graph, run_preset
from graph.rdf import SCHEMA, ZT
from graph.validate import validate

PRESETS = ("entities", "positions", "signings", "attendees", "investments", "evidence", "aliases")
A = "3月1日，安平市人民政府与长林科技有限公司签署战略合作协议。长林科技有限公司总经理王军、安平市副市长郑和平代表双方签约。"
B = "5月2日，北岭电子有限公司与安平大学签署合作协议。北岭电子有限公司总经理王军、安平大学副校长谢远代表双方签约。"
C = "6月3日，长林科技有限公司与北岭电子有限公司签署采购合同。长林科技有限公司总经理王军、北岭电子有限公司副总经理石磊代表双方签约。"


def _corpus(tmp_path, **articles):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _rows(graph_dir):
    g = load_graph(graph_dir)
    out = {}
    for p in PRESETS:
        cols, rows = run_preset(g, p)
        out[p] = sorted(map(tuple, rows)) if p != "evidence" else sorted((r[0], r[2], r[3], r[4]) for r in rows)
    return out


# -- ontology -----------------------------------------------------------------------------------
def test_every_class_and_property_has_labels_in_two_languages_and_a_comment():
    from rdflib.namespace import OWL
    onto = Graph().parse(ROOT / "ontology" / "zhitu.ttl")
    terms = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    assert len(terms) > 20
    for t in terms:
        langs = {l.language for l in onto.objects(t, RDFS.label)}
        assert {"zh", "en"} <= langs, t
        assert onto.value(t, RDFS.comment) is not None, t


def test_every_term_the_graph_uses_is_declared(seed_graph):
    onto = Graph().parse(ROOT / "ontology" / "zhitu.ttl")
    declared = set(onto.subjects())
    used = {p for p in seed_graph.predicates() if str(p).startswith(str(ZT))} | \
        {o for o in seed_graph.objects(None, RDF.type) if str(o).startswith(str(ZT))}
    assert used <= declared, used - declared


# -- provenance ---------------------------------------------------------------------------------
def test_evidence_text_matches_the_original_article_at_its_offsets(seed_build):
    original = (SEEDS / "unicom-qingdao-smart-city.txt").read_text(encoding="utf-8")
    cols, rows = run_preset(load_graph(seed_build[0]), "evidence")
    assert cols == ["doc", "fact", "start", "end", "text"] and rows
    for doc, fact, start, end, text in rows:
        assert original[int(start):int(end)] == text


def test_documents_carry_title_url_and_date(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"id": "n1", "title": "签约", "url": "https://example.org/n1", "date": "2020-01-02",
                                "text": A}, ensure_ascii=False), encoding="utf-8")
    build([path], tmp_path / "out")
    g = load_graph(tmp_path / "out")
    doc = next(g.subjects(ZT.docId, Literal("n1")))
    assert {str(o) for _, o in g.predicate_objects(doc)} >= {"签约", "https://example.org/n1", "2020-01-02"}


def test_a_build_is_a_prov_activity_with_version_and_time(seed_graph):
    from rdflib.namespace import PROV
    [act] = seed_graph.subjects(RDF.type, ZT.Build)
    assert seed_graph.value(act, PROV.startedAtTime) is not None
    assert "zhitu" in str(seed_graph.value(act, SCHEMA.softwareVersion))


# -- identity --------------------------------------------------------------------------------------
def test_two_people_of_one_name_at_different_companies_stay_two(tmp_path):
    build([_corpus(tmp_path, a=A, b=B)], tmp_path / "out")
    g = load_graph(tmp_path / "out")
    wang = [p for p in g.subjects(RDF.type, SCHEMA.Person) if str(g.value(p, RDFS.label)) == "王军"]
    assert len(wang) == 2


def test_one_person_in_two_articles_with_a_common_company_is_one(tmp_path):
    build([_corpus(tmp_path, a=A, c=C)], tmp_path / "out")
    g = load_graph(tmp_path / "out")
    wang = [p for p in g.subjects(RDF.type, SCHEMA.Person) if str(g.value(p, RDFS.label)) == "王军"]
    assert len(wang) == 1


def test_organisations_named_alike_meet_in_one_node_with_a_kind(tmp_path):
    build([_corpus(tmp_path, a=A, c=C)], tmp_path / "out")
    g = load_graph(tmp_path / "out")
    [org] = [o for o in g.subjects(RDFS.label, Literal("长林科技有限公司", lang="zh"))]
    assert (org, RDF.type, SCHEMA.Corporation) in g


def test_aliases_preset_records_the_rule(tmp_path):
    text = "北岭新材料股份有限公司（以下简称“北岭新材”）与安平市人民政府签署合作协议。北岭新材将投资5亿元。"
    build([_corpus(tmp_path, x=text)], tmp_path / "out")
    cols, rows = run_preset(load_graph(tmp_path / "out"), "aliases")
    assert cols == ["name", "alias", "rule"]
    assert ["北岭新材料股份有限公司", "北岭新材", "declared"] in rows


# -- validation --------------------------------------------------------------------------------------
def test_seed_graph_conforms(seed_graph):
    assert validate(seed_graph) == (True, [])


def test_a_broken_graph_fails_naming_the_node(seed_build, tmp_path):
    g = load_graph(seed_build[0])
    amount = next(g.subjects(RDF.type, SCHEMA.MonetaryAmount))
    g.set((amount, SCHEMA.currency, Literal("yuan")))
    person = next(g.subjects(RDF.type, SCHEMA.Person))
    g.add((person, RDFS.label, Literal("second label", lang="en")))
    broken = tmp_path / "broken.ttl"
    broken.write_text(g.serialize(format="turtle"), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(broken)])
    assert res.exit_code == 1
    assert str(amount) in res.output and "ISO 4217" in res.output
    assert str(person) in res.output
    assert CliRunner().invoke(main, ["validate", str(seed_build[0] / "graph.ttl")]).exit_code == 0


# -- exports ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_rdf_exports_round_trip(seed_build, tmp_path, fmt):
    g = load_graph(seed_build[0])
    out = export(g, fmt, tmp_path / f"g.{fmt}")
    back = Graph().parse(out, format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert isomorphic(back, g)


def test_trig_has_a_named_graph_per_document(tmp_path):
    build([_corpus(tmp_path, a=A, b=B)], tmp_path / "out")
    g = load_graph(tmp_path / "out")
    ds = Dataset().parse(export(g, "trig", tmp_path / "g.trig"), format="trig")
    names = {str(c.identifier) for c in ds.graphs() if len(c)}
    assert {"https://zhitu.dev/id/doc/a", "https://zhitu.dev/id/doc/b"} <= names
    assert sum(len(c) for c in ds.graphs()) == len(g)


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_exports_carry_labels_and_types(seed_build, tmp_path, fmt, reader):
    G = reader(export(load_graph(seed_build[0]), fmt, tmp_path / f"g.{fmt}"))
    labels = {d.get("label") for _, d in G.nodes(data=True)}
    assert "中国联通" in labels and {d.get("type") for _, d in G.nodes(data=True)} >= {"Person", "Organization"}


def test_csv_export_in_neo4j_import_layout(seed_build, tmp_path):
    folder = export(load_graph(seed_build[0]), "csv", tmp_path / "neo")
    nodes = list(csv.reader(io.StringIO((folder / "nodes.csv").read_text(encoding="utf-8"))))
    rels = list(csv.reader(io.StringIO((folder / "relationships.csv").read_text(encoding="utf-8"))))
    assert nodes[0][0] == "id:ID" and ":LABEL" in nodes[0]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = {n[0] for n in nodes[1:]}
    assert all(r[0] in ids and r[1] in ids for r in rels[1:])
    assert "SIGNED_FOR" in {r[2] for r in rels[1:]}


def test_export_command_lists_every_format():
    res = CliRunner().invoke(main, ["export", "--help"])
    assert all(f in res.output for f in FORMATS)


# -- incremental builds --------------------------------------------------------------------------------
def test_update_equals_full_build_and_is_idempotent(tmp_path):
    first = _corpus(tmp_path, a=A, b=B)
    full = build([first, _corpus(tmp_path, c=C)], tmp_path / "full")
    (tmp_path / "in2").mkdir()
    (tmp_path / "in" / "c.txt").rename(tmp_path / "in2" / "c.txt")
    build([tmp_path / "in"], tmp_path / "inc")
    build([tmp_path / "in2"], tmp_path / "inc", update=True)
    assert _rows(tmp_path / "inc") == _rows(tmp_path / "full")
    build([tmp_path / "in2"], tmp_path / "inc", update=True)  # the same document again
    assert _rows(tmp_path / "inc") == _rows(tmp_path / "full")
    assert full.documents == 3


def test_rebuilding_a_document_replaces_its_facts(tmp_path):
    folder = _corpus(tmp_path, a=A)
    build([folder], tmp_path / "out")
    (folder / "a.txt").write_text(A.replace("郑和平", "郑和美"), encoding="utf-8")
    build([folder], tmp_path / "out", update=True)
    people = {r[2] for r in run_preset(load_graph(tmp_path / "out"), "entities")[1] if r[1] == "Person"}
    assert "郑和美" in people and "郑和平" not in people


def test_update_without_a_previous_build_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(main, ["build", str(_corpus(tmp_path, a=A)), "--out", str(tmp_path / "x"), "--update"])
    assert res.exit_code == 2 and "no extractions to update" in res.output
    assert not (tmp_path / "x").exists()  # nothing made for a mistaken update


def test_a_merge_across_documents_records_its_rule(tmp_path):
    build([_corpus(tmp_path, a=A, c=C)], tmp_path / "out")
    g = load_graph(tmp_path / "out")
    [wang] = [p for p in g.subjects(RDF.type, SCHEMA.Person) if str(g.value(p, RDFS.label)) == "王军"]
    assert str(g.value(wang, ZT.identityRule)) == "same-name-and-organisation"


DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.mark.skipif(not DEV.is_dir(), reason="the development corpus is not beside the repo")
def test_development_corpus_graph_conforms(tmp_path):
    build([DEV], tmp_path / "out", check=False)
    conforms, problems = validate(load_graph(tmp_path / "out"))
    assert conforms, problems[:10]
