"""jieba, owned: a private Tokenizer so the global one (which tags 华为 as a person) is
never mutated, with the project's title and organisation words added."""
from __future__ import annotations

import logging
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
    tagger = _SharedTagPOSTokenizer(jieba, tok)
    for title in lexicon.titles():
        tok.add_word(title, freq=50000, tag="title")
    for company in lexicon.words("companies.txt"):
        tok.add_word(company, freq=50000, tag="nt")
    for word in lexicon.words("org_words_extra.txt"):
        tok.add_word(word, freq=50000, tag="n")
    for place in lexicon.places():
        tok.add_word(place, freq=50000, tag="ns")
    return tagger


def _SharedTagPOSTokenizer(jieba, tok):
    """A POSTokenizer over our own Tokenizer that reuses the word-tag table jieba.posseg
    already loaded for its default tokenizer, instead of reading it a second time."""
    class Shared(jieba.posseg.POSTokenizer):
        def __init__(self, tokenizer):
            self.tokenizer = tokenizer
            self.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    return Shared(tok)


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
