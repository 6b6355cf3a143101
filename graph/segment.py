"""jieba, owned: a private Tokenizer so the global one (which tags 华为 as a person) is
never mutated, with the project's title and organisation words added."""
from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Token:
    word: str
    flag: str
    start: int
    end: int


def _import_jieba():
    with warnings.catch_warnings():
        # jieba imports setuptools' deprecated pkg_resources
        warnings.simplefilter("ignore")
        import jieba
        import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def pos_tokenizer():
    jieba = _import_jieba()
    from . import lexicon
    tok = jieba.Tokenizer()
    # jieba keeps its prefix dictionary in /tmp/jieba.cache, shared by every user of the
    # machine: another user could plant one (and change how text is split) or own it (and
    # every run logs a traceback). Ours lives in the user's own cache folder.
    tok.tmp_dir = cache_dir()
    tok.cache_file = f"jieba-{jieba.__version__}.cache"
    tagger = _SharedTagPOSTokenizer(jieba, tok)
    for title in lexicon.titles():
        tok.add_word(title, freq=50000, tag="title")
    for company in lexicon.words("companies.txt"):
        tok.add_word(company, freq=50000, tag="nt")
    for word in lexicon.words("org_words_extra.txt"):
        tok.add_word(word, freq=50000, tag="n")
    for place in lexicon.table("places.tsv"):  # the curated ones; jieba knows its own
        tok.add_word(place, freq=50000, tag="ns")
    return tagger


def cache_dir() -> str:
    """$XDG_CACHE_HOME/zhitu (~/.cache/zhitu): made private to the user, and used only if it
    is the user's own and nobody else can write to it; else a private folder for this run."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "zhitu")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
        if info.st_uid == os.getuid() and not info.st_mode & 0o022:
            return path
    except OSError:
        pass
    private = tempfile.mkdtemp(prefix="zhitu-jieba-")
    atexit.register(shutil.rmtree, private, True)
    return private


def _SharedTagPOSTokenizer(jieba, tok):
    """A POSTokenizer over our own Tokenizer that reuses the word-tag table jieba.posseg
    already loaded for its default tokenizer, instead of reading it a second time, and tags
    unknown words with `viterbi` below instead of jieba's own."""
    posseg = jieba.posseg
    model = (posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)

    class Shared(posseg.POSTokenizer):
        def __init__(self, tokenizer):
            self.tokenizer = tokenizer
            self.word_tag_tab = dict(posseg.dt.word_tag_tab)

        def _POSTokenizer__cut(self, sentence):  # jieba's private __cut, with the faster search
            _, pos_list = viterbi(sentence, *model)
            begin, nexti = 0, 0
            for i, char in enumerate(sentence):
                pos = pos_list[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    yield posseg.pair(sentence[begin:i + 1], pos_list[i][1])
                    nexti = i + 1
                elif pos == "S":
                    yield posseg.pair(char, pos_list[i][1])
                    nexti = i + 1
            if nexti < len(sentence):
                yield posseg.pair(sentence[nexti:], pos_list[nexti][1])
    return Shared(tok)


MIN_FLOAT, MIN_INF = -3.14e100, float("-inf")


def viterbi(obs, states, start_p, trans_p, emit_p):
    """jieba.posseg.viterbi, the same path to the last tie, in a third of the time. For each
    state it looks only at the previous states that can move to it (a state has about 20 of
    256), where jieba's scores every pair in a generator of tuples; jieba's tie-break, the
    greater previous state, is kept. Unknown words were over half of all extraction time."""
    incoming = _incoming(trans_p)
    all_states = trans_p.keys()
    first = obs[0]
    scores = {y: start_p[y] + emit_p[y].get(first, MIN_FLOAT) for y in states.get(first, all_states)}
    back = [dict.fromkeys(scores, "")]
    for t in range(1, len(obs)):
        char = obs[t]
        prev = {x for x in back[-1] if trans_p[x]}
        expected = set()
        for x in prev:
            expected.update(trans_p[x])
        now = set(states.get(char, all_states)) & expected or expected or set(all_states)
        new_scores, pointers = {}, {}
        for y in now:
            emit = emit_p[y].get(char, MIN_FLOAT)
            best_p, best_s = MIN_INF, None
            for y0 in incoming[y] & prev:
                p = scores[y0] + trans_p[y0][y] + emit
                if p > best_p or (p == best_p and (best_s is None or y0 > best_s)):
                    best_p, best_s = p, y0
            if best_s is None:  # no way in: jieba scores -inf and keeps the greatest state
                best_p, best_s = MIN_INF, max(prev)
            new_scores[y], pointers[y] = best_p, best_s
        scores = new_scores
        back.append(pointers)
    prob, state = max((scores[y], y) for y in back[-1])
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = back[i][state]
    return prob, route


_INCOMING: dict[int, tuple] = {}


def _incoming(trans_p) -> dict:
    """state -> the states that can move to it, computed once per transition table."""
    cached = _INCOMING.get(id(trans_p))
    if cached is None or cached[0] is not trans_p:
        out: dict = {y: set() for y in trans_p}
        for y0, nexts in trans_p.items():
            for y in nexts:
                out.setdefault(y, set()).add(y0)
        cached = _INCOMING[id(trans_p)] = (trans_p, out)
    return cached[1]


def tokens(text: str) -> list[Token]:
    out, pos = [], 0
    for pair in pos_tokenizer().cut(text):
        out.append(Token(pair.word, pair.flag, pos, pos + len(pair.word)))
        pos += len(pair.word)
    return out


def common_characters(min_freq: int = 2000) -> frozenset[str]:
    """Characters of jieba's frequent words: a cheap model of 'ordinary Chinese text'."""
    jieba = _import_jieba()
    dict_path = resources.files(jieba).joinpath("dict.txt")
    chars = set()
    with dict_path.open(encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split(" ")
            if int(freq) >= min_freq:
                chars.update(word)
    return frozenset(chars)
