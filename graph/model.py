"""The frozen records passed from stage to stage.

Document -> Mention -> Fact (Position, Signing, Investment) -> Entity -> rdflib graph.
Offsets in mentions and facts index the *normalised* text; `Document.original_span`
maps them back to the article as it was read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Document:
    id: str
    original: str
    text: str
    offsets: tuple[int, ...]  # offsets[i] = index in `original` of normalised char i
    title: str | None = None
    date: str | None = None  # ISO date the source gives for the whole document
    url: str | None = None
    source: str | None = None  # file (and line) it came from

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Character span in `original` covering normalised text[start:end]."""
        if not self.offsets or start >= end:
            return (0, 0)
        first = self.offsets[start]
        last = self.offsets[end - 1]
        # a normalised char may stand for several original ones (none here today,
        # but pinyin removal drops chars *between* two kept ones, never inside)
        return (first, last + 1)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    type: str  # Person, Organization, Project, Place, Title, Money, Date, Agreement
    text: str
    rule: str = ""


@dataclass(frozen=True)
class Position:
    person: str
    title: str
    org: str
    evidence: Span
    rule: str
    confidence: float


@dataclass(frozen=True)
class Signer:
    person: str
    party: str | None


@dataclass(frozen=True)
class Signing:
    agreement: str
    date: str | None
    place: str | None
    parties: tuple[str, ...]
    signers: tuple[Signer, ...]
    attendees: tuple[str, ...]
    evidence: Span
    rule: str
    confidence: float


@dataclass(frozen=True)
class Investment:
    investor: str
    amount: Decimal
    currency: str
    target: str | None
    evidence: Span
    rule: str
    confidence: float


Fact = Position | Signing | Investment


@dataclass(frozen=True)
class Extraction:
    """What one document yields: typed names (with surface forms) and facts."""
    doc: Document
    mentions: tuple[Mention, ...]
    names: tuple[tuple[str, str, tuple[str, ...]], ...]  # (type, canonical, aliases)
    facts: tuple[Fact, ...]
    alias_rules: tuple[tuple[str, str, str, str], ...] = ()  # (type, label, alias, rule)


@dataclass(frozen=True)
class Entity:
    iri: str
    type: str
    label: str
    aliases: frozenset[str] = field(default_factory=frozenset)
