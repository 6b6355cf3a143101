"""The shapes compiled to SPARQL find exactly what pySHACL, the reference engine, finds."""
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.rdf import ORG, SCHEMA, ZT
from graph.validate import SH, shapes, validate, violations


def _first(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def _currency(g):
    g.set((_first(g, SCHEMA.MonetaryAmount), SCHEMA.currency, Literal("yuan")))


def _second_label(g):
    g.add((_first(g, SCHEMA.Person), RDFS.label, Literal("second", lang="en")))


def _no_member(g):
    g.remove((_first(g, ZT.Position), ORG.member, None))


def _member_is_an_org(g):
    g.set((_first(g, ZT.Position), ORG.member, _first(g, SCHEMA.Organization)))


def _confidence(g):
    g.set((_first(g, ZT.Position), ZT.confidence, Literal(Decimal("1.5"))))


def _date_as_text(g):
    g.set((_first(g, ZT.Signing), ZT.date, Literal("昨天")))


def _no_evidence(g):
    g.remove((_first(g, ZT.Investment), ZT.evidenceText, None))


def _url_as_text(g):
    g.set((_first(g, ZT.Document), SCHEMA.url, Literal("http://example.org/x")))


def _target_is_a_person(g):
    g.set((_first(g, ZT.Investment), ZT.target, _first(g, SCHEMA.Person)))


def _two_agreements(g):
    g.add((_first(g, ZT.Signing), ZT.agreement, URIRef("https://zhitu.dev/id/agreement/other")))


def _untyped_party(g):
    g.add((_first(g, ZT.Agreement), ZT.party, Literal("not a node")))


MUTATIONS = [_currency, _second_label, _no_member, _member_is_an_org, _confidence, _date_as_text,
             _no_evidence, _url_as_text, _target_is_a_person, _two_agreements, _untyped_party]


def _reference(g: Graph) -> set:
    import pyshacl
    _, results, _ = pyshacl.validate(g, shacl_graph=shapes(), inference="none", advanced=False)
    return {(str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)))
            for r in results.subjects(RDF.type, SH.ValidationResult)}


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda f: f.__name__.strip("_"))
def test_compiled_shapes_agree_with_pyshacl(seed_graph, mutate):
    g = Graph()
    for t in seed_graph:
        g.add(t)
    mutate(g)
    ours = {(node, path) for node, _, path, _ in violations(g)}
    assert ours == _reference(g) and ours


def test_the_seed_graph_conforms_for_both(seed_graph):
    assert validate(seed_graph) == (True, []) and _reference(seed_graph) == set()


def test_a_datatype_check_sees_the_literal_type(seed_graph):
    g = Graph()
    for t in seed_graph:
        g.add(t)
    amount = _first(g, SCHEMA.MonetaryAmount)
    g.set((amount, SCHEMA.value, Literal("3", datatype=XSD.string)))
    conforms, lines = validate(g)
    assert not conforms and any(str(amount) in line and ": value:" in line for line in lines)
