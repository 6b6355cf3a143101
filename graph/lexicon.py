"""Lexicons are data files in graph/lexicons (one entry a line, or TSV); loaded once."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("graph").joinpath("lexicons", name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """Entries of a one-per-line lexicon, longest first (for longest-match scans)."""
    return tuple(sorted({ln.strip() for ln in _lines(name)}, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, str]:
    """A two-column TSV lexicon as a dict."""
    out = {}
    for ln in _lines(name):
        key, _, value = ln.partition("\t")
        out[key.strip()] = value.strip()
    return out


def longest_at(text: str, i: int, entries: tuple[str, ...]) -> str | None:
    """The longest entry that starts at text[i], if any (entries sorted longest first)."""
    if i >= len(text):
        return None
    for w in _by_first_char(entries).get(text[i], ()):
        if text.startswith(w, i):
            return w
    return None


_INDEXES: dict[int, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {}


def _by_first_char(entries: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The entries by first character, cached by the tuple's identity: hashing a tuple of
    thousands of names on every call cost more than the lookup it served."""
    cached = _INDEXES.get(id(entries))
    if cached is not None and cached[0] is entries:
        return cached[1]
    index: dict[str, list[str]] = {}
    for w in entries:  # keeps the longest-first order within each first character
        if w:
            index.setdefault(w[0], []).append(w)
    built = {k: tuple(v) for k, v in index.items()}
    if len(_INDEXES) > 256:
        _INDEXES.clear()
    _INDEXES[id(entries)] = (entries, built)
    return built


@lru_cache(maxsize=None)
def surnames() -> tuple[str, ...]:
    return words("surnames.txt")


@lru_cache(maxsize=None)
def titles() -> dict[str, str]:
    return table("titles.tsv")


@lru_cache(maxsize=None)
def title_words() -> tuple[str, ...]:
    return tuple(sorted(titles(), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def currencies() -> dict[str, str]:
    return table("currencies.tsv")


@lru_cache(maxsize=None)
def places() -> dict[str, str]:
    """Place name -> its level (省, 市, 县, 州, or - for a country): the curated places.tsv,
    and the cities, counties and prefectures jieba's own dictionary tags as places (ns),
    both with their level (鹤原市) and without it (鹤原) where the bare name is not also
    an everyday word (大同, 长治)."""
    out = dict(gazetteer())
    out.update(table("places.tsv"))
    return out


@lru_cache(maxsize=None)
def gazetteer() -> dict[str, str]:
    from .segment import pos_tokenizer
    tagger = pos_tokenizer()
    freq, tags = tagger.tokenizer.FREQ, tagger.word_tag_tab
    out: dict[str, str] = {}
    for word, tag in tags.items():
        if tag != "ns" or len(word) < 3 or word[-1] not in "市县州省":
            continue
        out.setdefault(word, word[-1])
        stem = word[:-1]
        if len(stem) >= 2 and (tags.get(stem) == "ns" or not freq.get(stem)):
            out.setdefault(stem, word[-1])
    return out


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    """A one-per-line lexicon as a set, for membership tests."""
    return frozenset(words(name))
