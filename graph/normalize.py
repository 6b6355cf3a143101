"""Bytes -> Document: decode, strip pinyin annotations, simplify, fold full-width forms.

Every step keeps a map from positions in its output back to the decoded original, so
evidence offsets always point at the characters the user actually has.
"""
from __future__ import annotations

import codecs
import html
import re
from functools import lru_cache

from .errors import InputError
from .model import Document

# A pinyin annotation is a bracketed lowercase syllable right after a Han character:
# 聯(lián)通. Tone marks or a tone digit make it pinyin rather than an English aside.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[（(]([a-z%s]{1,7}[1-5]?)[）)]" % _TONED)
_HAS_TONE = re.compile(r"[%s1-5]" % _TONED)
# a toneless syllable (集團(tuan), 吉(ji)林) is pinyin when it is one of the language's syllables
_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
                       r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn|"
                       r"ia|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v|ü|üe)")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[a-zA-Z/!][^<>]{0,500}>", re.S | re.I)


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, list[str]]:
    """Decode Chinese text in UTF-8, UTF-16 (BOM), GB18030/GBK or Big5.

    Returns the text and a list of repairs made (empty when decoding was clean).
    Raises InputError for binary data.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), []
    if b"\x00" in data[:4096]:
        raise InputError(name, "binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        utf8_error = err
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            candidates.append((codec, data.decode(codec)))
        except UnicodeDecodeError:
            pass
    if candidates:
        codec, text = max(candidates, key=lambda c: _plausibility(c[1]))
        return text, []
    # mostly UTF-8 with a few bad bytes: repair rather than drop the article
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(8, len(text) // 100):
        return text, [f"replaced {bad} invalid UTF-8 byte(s) (first at byte {utf8_error.start})"]
    raise InputError(name, "not text in UTF-8, UTF-16, GB18030/GBK or Big5")


def _plausibility(text: str) -> float:
    """Share of characters that are common Chinese characters once simplified."""
    common = _common_chars()
    simplified = _converter().convert(text[:4000])
    han = [c for c in simplified if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(c in common for c in han) / len(han)


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    from .segment import common_characters
    return common_characters()


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")


def strip_markup(text: str) -> str:
    """HTML to its text; a no-op for plain articles."""
    if "<" not in text and "&" not in text:
        return text
    stripped = _TAG.sub("", text)
    return html.unescape(stripped) if "&" in stripped else stripped


def remove_pinyin(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    out, offs, last = [], [], 0
    for m in PINYIN.finditer(text):
        if not _HAS_TONE.search(m.group(1)) and not _SYLLABLE.fullmatch(m.group(1)):
            continue
        out.append(text[last:m.start()])
        offs.extend(offsets[last:m.start()])
        last = m.end()
    out.append(text[last:])
    offs.extend(offsets[last:])
    return "".join(out), offs


def simplify(text: str) -> str:
    """Traditional -> simplified, character for character so offsets stay aligned."""
    conv = _converter()
    pieces = []
    for line in text.split("\n"):
        s = conv.convert(line)
        if len(s) != len(line):  # a phrase rule changed the length: go char by char
            s = "".join(conv.convert(ch) if len(conv.convert(ch)) == 1 else ch for ch in line)
        pieces.append(s)
    return "\n".join(pieces)


def fold_width(text: str) -> str:
    """Full-width ASCII forms and the ideographic space to their half-width forms, and
    variant characters to their standard simplified form (陜 -> 陕), one for one."""
    return text.translate(_fold_table())


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int]:
    from . import lexicon
    table = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    for variant, standard in lexicon.table("variants.tsv").items():
        if len(variant) == 1 and len(standard) == 1:
            table[ord(variant)] = ord(standard)
    return table


def normalize_text(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index in `text`."""
    offsets = list(range(len(text)))
    for _ in range(3):  # 材(cai)(cai): a page may repeat an annotation
        shorter, offsets = remove_pinyin(text, offsets)
        if shorter == text:
            break
        text = shorter
    text = fold_width(simplify(text))
    return text, offsets


def make_document(doc_id: str, original: str, *, title=None, date=None, url=None,
                  source=None) -> Document:
    original = strip_markup(original.replace("\r\n", "\n").replace("\r", "\n"))
    text, offsets = normalize_text(original)
    return Document(id=doc_id, original=original, text=text, offsets=tuple(offsets),
                    title=title, date=date, url=url, source=source)
