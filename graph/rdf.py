"""Extractions -> rdflib graph. The only module that mints IRIs."""
from __future__ import annotations

import hashlib
import io
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.nt import NTSerializer

from . import __version__
from .model import Extraction, Investment, Position, Signing

ZT = Namespace("https://zhitu.dev/ontology#")
ID = Namespace("https://zhitu.dev/id/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

CLASSES = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "Project": ZT.Project,
    "Place": SCHEMA.Place,
    "Agreement": ZT.Agreement,
}


def bind(g: Graph) -> Graph:
    for prefix, ns in (("zt", ZT), ("id", ID), ("schema", SCHEMA), ("org", ORG), ("prov", PROV),
                       ("skos", SKOS), ("dcterms", DCTERMS), ("owl", OWL)):
        g.bind(prefix, ns, override=True)
    return g


def entity_iri(type_: str, label: str) -> URIRef:
    return ID[f"{type_.lower()}/{quote(label, safe='')}"]


def doc_iri(doc_id: str) -> URIRef:
    return ID[f"doc/{quote(doc_id, safe='')}"]


def fact_iri(doc_id: str, kind: str, *parts) -> URIRef:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]
    return ID[f"{kind}/{quote(doc_id, safe='')}/{digest}"]


def date_literal(value: str) -> Literal:
    if value.startswith("---"):
        return Literal(value, datatype=XSD.gDay)
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.date)


def build_activity(g: Graph, started: datetime | None = None) -> URIRef:
    started = started or datetime.now(timezone.utc)
    act = ID[f"build/{started.strftime('%Y%m%dT%H%M%S%fZ')}"]
    g.add((act, RDF.type, ZT.Build))
    g.add((act, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((act, SCHEMA.softwareVersion, Literal(f"zhitu {__version__}")))
    return act


ORG_KINDS = (
    (("人民政府", "政府", "委", "局", "厅", "部", "管委会", "委员会", "人大常委会", "政协", "党工委", "办公室"),
     SCHEMA.GovernmentOrganization),
    (("大学", "学院", "学校"), SCHEMA.EducationalOrganization),
    (("研究院", "研究所", "实验室", "科学院", "工程院"), SCHEMA.ResearchOrganization),
    (("公司", "集团", "会社", "银行", "控股", "资本", "创投", "(有限合伙)"), SCHEMA.Corporation),
)


def org_kind(label: str) -> URIRef | None:
    for ends, cls in ORG_KINDS:
        if label.endswith(ends):
            return cls
    return None


def person_summary(ex: Extraction):
    """(doc id, name, organisations the person holds posts in), for each person of `ex`."""
    orgs: dict[str, set[str]] = {}
    for t, label, _ in ex.names:
        if t == "Person":
            orgs.setdefault(label, set())
    for f in ex.facts:
        if isinstance(f, Position):
            orgs.setdefault(f.person, set()).add(f.org)
    return [(ex.doc.id, name, frozenset(held)) for name, held in orgs.items()]


def person_identities(extractions) -> dict[tuple[str, str], URIRef]:
    return identities(row for ex in extractions for row in person_summary(ex))


def identities(summaries) -> dict[tuple[str, str], URIRef]:
    """(doc id, name) -> person IRI, from (doc id, name, organisations) rows. One name in
    several documents is one person only where the evidence agrees: they hold posts in a
    common organisation. Otherwise each stays apart, so two 王军 at two companies are two."""
    by_name: dict[str, list[tuple[str, frozenset]]] = {}
    for doc_id, name, held in sorted(summaries, key=lambda r: (r[0], r[1])):
        by_name.setdefault(name, []).append((doc_id, held))
    out = {}
    for name, mentions in by_name.items():
        clusters: list[tuple[list[str], set[str]]] = []
        for doc_id, held in mentions:
            home = next((c for c in clusters if c[1] & held), None)
            if home is None:
                clusters.append(([doc_id], set(held)))
            else:
                home[0].append(doc_id)
                home[1].update(held)
        for docs, held in clusters:
            if len(clusters) == 1:
                iri = entity_iri("Person", name)
            else:  # told apart by where they work, or by the article that names them
                iri = ID[f"person/{quote(name, safe='')}~{quote(min(held) if held else docs[0], safe='')}"]
            for doc_id in docs:
                out[(doc_id, name)] = iri
    return out


def identity_rules(people: dict[tuple[str, str], URIRef]):
    """The triples recording why one person stands for mentions in several articles."""
    seen: dict[URIRef, int] = {}
    for iri in people.values():
        seen[iri] = seen.get(iri, 0) + 1
    return [(iri, ZT.identityRule, Literal("same-name-and-organisation")) for iri, n in seen.items() if n > 1]


def add_extraction(g: Graph, ex: Extraction, activity: URIRef | None = None,
                   people: dict[tuple[str, str], URIRef] | None = None) -> None:
    doc = ex.doc
    people = people or {}
    d = doc_iri(doc.id)
    g.add((d, RDF.type, ZT.Document))
    g.add((d, ZT.docId, Literal(doc.id)))
    if doc.title:
        g.add((d, DCTERMS.title, Literal(doc.title, lang="zh")))
    if doc.url:
        g.add((d, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.date:
        g.add((d, DCTERMS.date, date_literal(doc.date)))
    labels = {}
    for type_, label, aliases in ex.names:
        e = people.get((doc.id, label)) if type_ == "Person" else None
        e = e or entity_iri(type_, label)
        labels[(type_, label)] = e
        g.add((e, RDF.type, CLASSES[type_]))
        if type_ == "Organization" and org_kind(label) is not None:
            g.add((e, RDF.type, org_kind(label)))
        g.set((e, RDFS.label, Literal(label, lang="zh")))
        for a in aliases:
            g.add((e, SKOS.altLabel, Literal(a, lang="zh")))
        g.add((e, ZT.mentionedIn, d))

    for type_, label, alias, rule in ex.alias_rules:
        node = fact_iri(doc.id, "alias", type_, label, alias)
        g.add((labels.get((type_, label)) or entity_iri(type_, label), ZT.alias, node))
        g.add((node, RDF.type, ZT.Alias))
        g.add((node, ZT.aliasText, Literal(alias, lang="zh")))
        g.add((node, ZT.rule, Literal(rule)))
        g.add((node, PROV.wasDerivedFrom, d))

    def ent(type_, label):
        e = labels.get((type_, label))
        if e is None:
            e = (people.get((doc.id, label)) if type_ == "Person" else None) or entity_iri(type_, label)
            g.add((e, RDF.type, CLASSES[type_]))
            g.set((e, RDFS.label, Literal(label, lang="zh")))
            g.add((e, ZT.mentionedIn, d))
            labels[(type_, label)] = e
        return e

    for fact in ex.facts:
        if isinstance(fact, Position):
            f = fact_iri(doc.id, "position", fact.person, fact.title, fact.org)
            g.add((f, RDF.type, ZT.Position))
            g.add((f, ORG.member, ent("Person", fact.person)))
            g.add((f, ORG.organization, ent("Organization", fact.org)))
            g.add((f, ZT.title, Literal(fact.title, lang="zh")))
        elif isinstance(fact, Signing):
            f, agreement = _signing(g, doc.id, fact, ent)
            _provenance(g, agreement, d, doc, fact, activity)
        elif isinstance(fact, Investment):
            f = fact_iri(doc.id, "investment", fact.investor, fact.amount, fact.currency, fact.target)
            g.add((f, RDF.type, ZT.Investment))
            g.add((f, ZT.investor, ent("Organization", fact.investor)))
            money = fact_iri(doc.id, "amount", fact.investor, fact.amount, fact.currency, fact.target)
            g.add((f, ZT.amount, money))
            g.add((money, RDF.type, SCHEMA.MonetaryAmount))
            g.add((money, SCHEMA.value, Literal(canonical_decimal(fact.amount), datatype=XSD.decimal)))
            g.add((money, SCHEMA.currency, Literal(fact.currency)))
            if fact.target:
                kind = next((t for t in ("Organization", "Place", "Agreement") if (t, fact.target) in labels),
                            "Project")
                g.add((f, ZT.target, ent(kind, fact.target)))
        else:
            continue
        _provenance(g, f, d, doc, fact, activity)


def _signing(g, doc_id, fact: Signing, ent) -> URIRef:
    # two agreements of one name in one article (两份投资协议) stay apart by where they are read
    key = (fact.agreement, fact.evidence.start)
    a = fact_iri(doc_id, "agreement", *key)
    g.add((a, RDF.type, ZT.Agreement))
    g.add((a, ZT.mentionedIn, doc_iri(doc_id)))
    g.set((a, RDFS.label, Literal(fact.agreement, lang="zh")))
    for p in fact.parties:
        g.add((a, ZT.party, ent("Organization", p)))
    s = fact_iri(doc_id, "signing", *key)
    g.add((s, RDF.type, ZT.Signing))
    g.add((s, ZT.agreement, a))
    if fact.date:
        g.add((s, ZT.date, date_literal(fact.date)))
    if fact.place:
        g.add((s, ZT.place, ent("Place", fact.place)))
    for sig in fact.signers:
        node = fact_iri(doc_id, "signature", *key, sig.person, sig.party)
        g.add((s, ZT.signature, node))
        g.add((node, RDF.type, ZT.Signature))
        g.add((node, ZT.signer, ent("Person", sig.person)))
        if sig.party:
            g.add((node, ZT.onBehalfOf, ent("Organization", sig.party)))
    for person in fact.attendees:
        g.add((s, ZT.attendee, ent("Person", person)))
    return s, a


def _provenance(g, f, d, doc, fact, activity) -> None:
    g.add((f, PROV.wasDerivedFrom, d))
    start, end = doc.original_span(fact.evidence.start, fact.evidence.end)
    g.add((f, ZT.evidenceText, Literal(doc.original[start:end], lang="zh")))
    g.add((f, ZT.evidenceStart, Literal(start, datatype=XSD.integer)))
    g.add((f, ZT.evidenceEnd, Literal(end, datatype=XSD.integer)))
    g.add((f, ZT.rule, Literal(fact.rule)))
    g.add((f, ZT.confidence, Literal(Decimal(str(round(fact.confidence, 3))), datatype=XSD.decimal)))
    if activity is not None:
        g.add((f, PROV.wasGeneratedBy, activity))


def canonical_decimal(amount: Decimal) -> str:
    """The canonical xsd:decimal form (3.0E+9 -> '3000000000.0', 1.25 -> '1.25'), so that
    Turtle, N-Triples and the store all write the same literal."""
    text = format(amount.normalize(), "f")
    return text if "." in text else text + ".0"


def to_graph(extractions, activity_time: datetime | None = None) -> Graph:
    extractions = list(extractions)
    g = bind(Graph())
    act = build_activity(g, activity_time)
    people = person_identities(extractions)
    for ex in extractions:
        add_extraction(g, ex, act, people)
    for triple in identity_rules(people):
        g.add(triple)
    return g


def document_triples(ex: Extraction, activity_time: datetime) -> bytes:
    """One document's part of the graph as N-Triples, with people under their plain IRIs (a
    build that streams documents tells namesakes apart afterwards, see `identities`)."""
    g = Triples()
    add_extraction(g, ex, build_activity(g, activity_time))
    return g.ntriples()


class Triples:
    """The part of rdflib.Graph that add_extraction writes with (add and set), kept as a plain
    dict: a worker only serialises a document's triples, and rdflib's indexed store cost
    more than the serialising."""

    def __init__(self):
        self._triples: dict = {}  # insertion-ordered, values unused
        self._single: dict = {}  # (subject, predicate) -> the triple set() wrote

    def add(self, triple) -> None:
        self._triples[triple] = None

    def set(self, triple) -> None:
        old = self._single.pop(triple[:2], None)
        if old is not None:
            self._triples.pop(old, None)
        self._single[triple[:2]] = triple
        self._triples[triple] = None

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self):
        return iter(self._triples)

    def ntriples(self) -> bytes:
        buf = io.BytesIO()
        NTSerializer(self).serialize(buf)  # it only iterates what it is given
        return buf.getvalue()
