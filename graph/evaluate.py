"""`kg eval`: measure extraction on a folder of NAME.txt + NAME.gold.json.

The gold format is documented in docs/gold-format.md. Names are compared after NFKC
folding with quotes, brackets and white space dropped; a predicted name counts when it falls
in a gold alias group. Entities, positions, signing parties, signers-for-party, attendees and
investments are scored as sets of facts per document (greedy one-to-one matching); the
overall F1 is the mean of those six."""
from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ZhituError

FIELDS = ("entities", "positions", "parties", "signers", "attendees", "investments")
SCORED_TYPES = ("Person", "Organization", "Project")
_DROP = re.compile(r"[\s“”‘’「」『』《》〈〉\"'\u3000]")


def norm(name: str | None) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (0.0 if self.fn else 1.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Gold:
    """One article's gold facts, every name resolved to its alias group."""

    def __init__(self, data: dict):
        self.data = data
        self.groups = []  # (type, names, optional)
        for optional, key in ((False, "entities"), (True, "optional")):
            for etype, groups in data.get(key, {}).items():
                for names in groups:
                    self.groups.append((etype, frozenset(map(norm, names)), optional))

    def group(self, name, etype=None):
        n = norm(name)
        return next((i for i, (t, names, _) in enumerate(self.groups)
                     if n in names and (etype is None or t == etype)), None)

    def key(self, name):
        g = self.group(name)
        return ("g", g) if g is not None else ("n", norm(name))

    def label(self, key):
        return sorted(self.groups[key[1]][1])[0] if key[0] == "g" else key[1]


def _match(gold, predicted, same, tally: Tally, show) -> None:
    left = list(gold)
    for p in predicted:
        hit = next((g for g in left if same(g, p)), None)
        if hit is None:
            tally.fp += 1
            tally.misses.append("+" + show(p))
        else:
            left.remove(hit)
            tally.tp += 1
    tally.fn += len(left)
    tally.misses += ["-" + show(g) for g in left]


def score_document(gold: Gold, rows: dict, tallies: dict) -> None:
    _entities(gold, rows["entities"], tallies["entities"])
    k, lab = gold.key, gold.label
    pos_gold = [(k(p["person"]), {norm(t) for t in p["title"]}, {k(o) for o in p["org"]})
                for p in gold.data.get("positions", [])]
    pos_pred = sorted({(k(r["person"]), norm(r["title"]), k(r["org"])) for r in rows["positions"]}, key=str)
    _match(pos_gold, pos_pred, lambda g, p: g[0] == p[0] and p[1] in g[1] and p[2] in g[2],
           tallies["positions"], lambda x: f"({lab(x[0])}, {x[1] if isinstance(x[1], str) else '/'.join(sorted(x[1]))})")
    signings = gold.data.get("signings", [])
    parties = sorted({frozenset(k(n) for n in p) for s in signings for p in s.get("parties", [])}, key=str)
    _match(parties, sorted({k(r["party"]) for r in rows["signings"] if r["party"].strip()}, key=str),
           lambda g, p: p in g, tallies["parties"], lambda x: lab(next(iter(x))) if isinstance(x, frozenset) else lab(x))
    signers = sorted({(k(s["person"]), frozenset(k(n) for n in s["for"]))
                      for a in signings for s in a.get("signers", [])}, key=str)
    pred = sorted({(k(r["signer"]), k(r["party"])) for r in rows["signings"] if r["signer"].strip()}, key=str)
    _match(signers, pred, lambda g, p: g[0] == p[0] and p[1] in g[1], tallies["signers"],
           lambda x: lab(x[0]))
    att_gold = {k(p) for a in signings for p in a.get("attendees", [])}
    att_pred = {k(r["person"]) for r in rows["attendees"] if r["person"].strip()}
    t = tallies["attendees"]
    t.tp += len(att_gold & att_pred)
    t.fp += len(att_pred - att_gold)
    t.fn += len(att_gold - att_pred)
    t.misses += [f"+{lab(x)}" for x in att_pred - att_gold] + [f"-{lab(x)}" for x in att_gold - att_pred]
    inv_gold = [({k(n) for n in i["investor"]}, float(i["amount"]), i["currency"].upper())
                for i in gold.data.get("investments", [])]
    inv_pred = sorted({(k(r["investor"]), _float(r["amount"]), r["currency"].strip().upper())
                       for r in rows["investments"]}, key=str)
    _match(inv_gold, inv_pred,
           lambda g, p: p[0] in g[0] and abs(p[1] - g[1]) <= 0.005 * g[1] and p[2] == g[2],
           tallies["investments"], lambda x: f"{x[1]:.0f} {x[2]}")


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _entities(gold: Gold, rows, tally: Tally) -> None:
    for etype in SCORED_TYPES:
        names = {norm(r["name"]) for r in rows if r["type"] == etype}
        found = set()
        for n in names:
            g = gold.group(n, etype)
            if g is None:
                tally.fp += 1
                tally.misses.append(f"+{etype}:{n}")
            elif not gold.groups[g][2]:
                found.add(g)
        wanted = {i for i, (t, _, opt) in enumerate(gold.groups) if t == etype and not opt}
        tally.tp += len(found)
        tally.fn += len(wanted - found)
        tally.misses += [f"-{etype}:{sorted(gold.groups[i][1])[0]}" for i in wanted - found]


def evaluate(corpus, *, min_confidence: float = 0.0) -> dict:
    """Build the corpus's articles and score them; returns {'fields': {name: Tally}, 'overall': f1}."""
    from .build import build
    from .query import load_graph, run_preset
    corpus = Path(corpus)
    golds = {p.name[: -len(".gold.json")]: Gold(json.loads(p.read_text(encoding="utf-8")))
             for p in sorted(corpus.glob("*.gold.json"))}
    if not golds:
        raise ZhituError(f"{corpus}: no NAME.gold.json files (see docs/gold-format.md)")
    missing = [n for n in golds if not (corpus / f"{n}.txt").is_file()]
    if missing:
        raise ZhituError(f"{corpus}: gold files without an article: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as out:
        build([corpus / f"{n}.txt" for n in golds], out, min_confidence=min_confidence, render_page=False)
        g = load_graph(Path(out) / "graph.ttl")
        rows = {}
        for preset in ("entities", "positions", "signings", "attendees", "investments"):
            cols, found = run_preset(g, preset)
            rows[preset] = [dict(zip(cols, r)) for r in found]
    tallies = {f: Tally() for f in FIELDS}
    for name, gold in golds.items():
        score_document(gold, {p: [r for r in rs if r["doc"] == name] for p, rs in rows.items()}, tallies)
    overall = sum(t.prf()[2] for t in tallies.values()) / len(tallies)
    return {"documents": len(golds), "fields": tallies, "overall": overall}


def report(result: dict, show: int = 10) -> str:
    lines = [f"{'field':<13}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, t in result["fields"].items():
        p, r, f = t.prf()
        lines.append(f"{name:<13}{p:7.3f}{r:7.3f}{f:7.3f}{t.tp:6}{t.fp:6}{t.fn:6}")
        lines += [f"    {m}" for m in t.misses[:show]]
    summary = " · ".join(f"{n} {t.prf()[2]:.2f}" for n, t in result["fields"].items())
    lines.append(f"overall F1 {result['overall']:.3f} ({summary}) on {result['documents']} documents")
    return "\n".join(lines) + "\n"
