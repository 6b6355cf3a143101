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


@dataclass(frozen=True)
class Miss:
    """A fact found but not in the gold (+) or in the gold but not found (-)."""
    doc: str
    field: str
    sign: str  # "+" or "-"
    text: str
    names: tuple[str, ...] = ()  # the names in it, to find the sentence it comes from


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list = field(default_factory=list)

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
    """Greedy one-to-one matching; `show(fact)` gives (text, names) for a miss."""
    left = list(gold)
    for p in predicted:
        hit = next((g for g in left if same(g, p)), None)
        if hit is None:
            tally.fp += 1
            tally.misses.append(("+", *show(p)))
        else:
            left.remove(hit)
            tally.tp += 1
    tally.fn += len(left)
    tally.misses += [("-", *show(g)) for g in left]


def score_document(gold: Gold, rows: dict, tallies: dict, doc: str = "") -> None:
    """Add one article's facts to the tallies; each miss is a Miss naming the article."""
    local = {f: Tally() for f in tallies}
    _score(gold, rows, local)
    for name, t in local.items():
        total = tallies[name]
        total.tp, total.fp, total.fn = total.tp + t.tp, total.fp + t.fp, total.fn + t.fn
        total.misses += [Miss(doc, name, sign, text, tuple(names)) for sign, text, names in t.misses]


def _score(gold: Gold, rows: dict, tallies: dict) -> None:
    _entities(gold, rows["entities"], tallies["entities"])
    k, lab = gold.key, gold.label

    def one(key):
        return lab(next(iter(key))) if isinstance(key, (set, frozenset)) else lab(key)

    pos_gold = [(k(p["person"]), {norm(t) for t in p["title"]}, {k(o) for o in p["org"]})
                for p in gold.data.get("positions", [])]
    pos_pred = sorted({(k(r["person"]), norm(r["title"]), k(r["org"])) for r in rows["positions"]}, key=str)
    _match(pos_gold, pos_pred, lambda g, p: g[0] == p[0] and p[1] in g[1] and p[2] in g[2], tallies["positions"],
           lambda x: (f"({lab(x[0])}, {x[1] if isinstance(x[1], str) else '/'.join(sorted(x[1]))}, {one(x[2])})",
                      (lab(x[0]), one(x[2]))))
    signings = gold.data.get("signings", [])
    parties = sorted({frozenset(k(n) for n in p) for s in signings for p in s.get("parties", [])}, key=str)
    _match(parties, sorted({k(r["party"]) for r in rows["signings"] if r["party"].strip()}, key=str),
           lambda g, p: p in g, tallies["parties"], lambda x: (one(x), (one(x),)))
    signers = sorted({(k(s["person"]), frozenset(k(n) for n in s["for"]))
                      for a in signings for s in a.get("signers", [])}, key=str)
    pred = sorted({(k(r["signer"]), k(r["party"])) for r in rows["signings"] if r["signer"].strip()}, key=str)
    _match(signers, pred, lambda g, p: g[0] == p[0] and p[1] in g[1], tallies["signers"],
           lambda x: (f"{lab(x[0])} for {one(x[1])}", (lab(x[0]), one(x[1]))))
    att_gold = {k(p) for a in signings for p in a.get("attendees", [])}
    att_pred = {k(r["person"]) for r in rows["attendees"] if r["person"].strip()}
    t = tallies["attendees"]
    t.tp += len(att_gold & att_pred)
    t.fp += len(att_pred - att_gold)
    t.fn += len(att_gold - att_pred)
    t.misses += [("+", lab(x), (lab(x),)) for x in sorted(att_pred - att_gold, key=str)] + \
                [("-", lab(x), (lab(x),)) for x in sorted(att_gold - att_pred, key=str)]
    inv_gold = [({k(n) for n in i["investor"]}, float(i["amount"]), i["currency"].upper())
                for i in gold.data.get("investments", [])]
    inv_pred = sorted({(k(r["investor"]), _float(r["amount"]), r["currency"].strip().upper())
                       for r in rows["investments"]}, key=str)
    _match(inv_gold, inv_pred,
           lambda g, p: p[0] in g[0] and abs(p[1] - g[1]) <= 0.005 * g[1] and p[2] == g[2],
           tallies["investments"], lambda x: (f"{one(x[0])} {x[1]:.0f} {x[2]}", (one(x[0]),)))


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _entities(gold: Gold, rows, tally: Tally) -> None:
    for etype in SCORED_TYPES:
        names = {norm(r["name"]) for r in rows if r["type"] == etype}
        found = set()
        for n in sorted(names):
            g = gold.group(n, etype)
            if g is None:
                tally.fp += 1
                tally.misses.append(("+", f"{etype}:{n}", (n,)))
            elif not gold.groups[g][2]:
                found.add(g)
        wanted = {i for i, (t, _, opt) in enumerate(gold.groups) if t == etype and not opt}
        tally.tp += len(found)
        tally.fn += len(wanted - found)
        tally.misses += [("-", f"{etype}:{sorted(gold.groups[i][1])[0]}", tuple(sorted(gold.groups[i][1])))
                         for i in sorted(wanted - found)]


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
        score_document(gold, {p: [r for r in rs if r["doc"] == name] for p, rs in rows.items()}, tallies, name)
    overall = sum(t.prf()[2] for t in tallies.values()) / len(tallies)
    texts = {n: _sentences(corpus / f"{n}.txt") for n in golds}
    return {"documents": len(golds), "fields": tallies, "overall": overall, "texts": texts}


def _sentences(path: Path) -> list[str]:
    from .normalize import decode, normalize_text
    try:
        text, _ = decode(path.read_bytes(), str(path))
    except (OSError, ZhituError):
        return []
    return [s.strip() for s in re.split(r"(?<=[。!?;\n])", normalize_text(text)[0]) if s.strip()]


def evidence(sentences: list[str], names: tuple[str, ...], width: int = 60) -> str:
    """The article's sentence that holds most of a miss's names, cut to `width` with …: where
    a found fact was read, or where a missed one stands."""
    best, score = "", 0
    for s in sentences:
        n = sum(1 for name in names if name and name in norm(s))
        if n > score:
            best, score = s, n
    best = " ".join(best.split())
    return best if len(best) <= width else best[:width - 1] + "…"


def report(result: dict, show: int = 10, colour: bool = False) -> str:
    """The table of scores, then the misses article by article (at most `show` an article),
    each with the sentence it comes from; the overall line last."""
    lines = [f"{'field':<13}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, t in result["fields"].items():
        p, r, f = t.prf()
        lines.append(f"{name:<13}{p:7.3f}{r:7.3f}{f:7.3f}{t.tp:6}{t.fp:6}{t.fn:6}")
    if show:
        by_doc: dict[str, list[Miss]] = {}
        for t in result["fields"].values():
            for m in t.misses:
                by_doc.setdefault(m.doc, []).append(m)
        if by_doc:
            lines += ["", "misses by article (+ extra: found, not in the gold · - missing: in the gold, not found)"]
        for doc in sorted(by_doc):
            lines.append(doc)
            for m in by_doc[doc][:show]:
                word = "+ extra  " if m.sign == "+" else "- missing"
                if colour:
                    import click
                    word = click.style(word, fg="green" if m.sign == "+" else "red")
                lines.append(f"  {word} {m.field:<12} {m.text}")
                where = evidence(result.get("texts", {}).get(doc, []), m.names)
                if where:
                    lines.append(f"  {'':9} {'':<12} │ {where}")
    summary = " · ".join(f"{n} {t.prf()[2]:.2f}" for n, t in result["fields"].items())
    lines.append(f"overall F1 {result['overall']:.3f} ({summary}) on {result['documents']} documents")
    return "\n".join(lines) + "\n"
