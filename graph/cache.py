"""Extractions as JSON lines, so that `kg build --update` rebuilds the graph from every
document's facts without reading the old articles again. The graph is always made from the
full set of extractions, which is what makes an update equal to a full build."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from .errors import GraphError
from .model import Document, Extraction, Investment, Position, Signer, Signing, Span
from .normalize import normalize_text

FILE = "extractions.jsonl"


def _span(s: Span) -> list:
    return [s.start, s.end, s.text]


def dump(ex: Extraction) -> str:
    d = ex.doc
    facts = []
    for f in ex.facts:
        if isinstance(f, Position):
            facts.append({"kind": "position", "person": f.person, "title": f.title, "org": f.org,
                          "evidence": _span(f.evidence), "rule": f.rule, "confidence": f.confidence})
        elif isinstance(f, Signing):
            facts.append({"kind": "signing", "agreement": f.agreement, "date": f.date, "place": f.place,
                          "parties": list(f.parties), "signers": [[s.person, s.party] for s in f.signers],
                          "attendees": list(f.attendees), "evidence": _span(f.evidence),
                          "rule": f.rule, "confidence": f.confidence})
        elif isinstance(f, Investment):
            facts.append({"kind": "investment", "investor": f.investor, "amount": str(f.amount),
                          "currency": f.currency, "target": f.target, "evidence": _span(f.evidence),
                          "rule": f.rule, "confidence": f.confidence})
    return json.dumps({"doc": {"id": d.id, "original": d.original, "title": d.title, "date": d.date,
                               "url": d.url, "source": d.source},
                       "names": [[t, label, list(al)] for t, label, al in ex.names],
                       "alias_rules": [list(r) for r in ex.alias_rules],
                       "facts": facts}, ensure_ascii=False)


def load(line: str) -> Extraction:
    rec = json.loads(line)
    d = rec["doc"]
    text, offsets = normalize_text(d["original"])
    doc = Document(d["id"], d["original"], text, tuple(offsets), d.get("title"), d.get("date"),
                   d.get("url"), d.get("source"))
    facts = []
    for f in rec["facts"]:
        ev = Span(*f["evidence"])
        if f["kind"] == "position":
            facts.append(Position(f["person"], f["title"], f["org"], ev, f["rule"], f["confidence"]))
        elif f["kind"] == "signing":
            facts.append(Signing(f["agreement"], f["date"], f["place"], tuple(f["parties"]),
                                 tuple(Signer(p, q) for p, q in f["signers"]), tuple(f["attendees"]),
                                 ev, f["rule"], f["confidence"]))
        else:
            facts.append(Investment(f["investor"], Decimal(f["amount"]), f["currency"], f["target"],
                                    ev, f["rule"], f["confidence"]))
    return Extraction(doc, (), tuple((t, label, tuple(al)) for t, label, al in rec["names"]),
                      tuple(facts), tuple(tuple(r) for r in rec.get("alias_rules", [])))


def existing(folder) -> Path:
    """The extractions.jsonl an update starts from; a GraphError when there is none."""
    path = Path(folder) / FILE
    if not path.is_file():
        raise GraphError(f"{path}: no extractions to update (build the folder without --update first)")
    return path


def read(folder) -> list[Extraction]:
    return [load(line) for _, line in records(existing(folder))]


def records(path):
    """(document id, line) of each record of an extractions.jsonl, streamed; a corrupt line is
    a GraphError naming the file and line."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                doc_id = rec["doc"]["id"]
                rec["doc"]["original"], rec["facts"], rec["names"]
            except (ValueError, KeyError, TypeError) as err:
                raise GraphError(f"{path}:{n}: corrupt extraction record ({err})") from None
            yield doc_id, line.rstrip("\n")
