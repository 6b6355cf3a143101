"""Inputs -> Documents: .txt files, .jsonl corpora and folders of both.

Bad input never stops a corpus: each problem becomes a `Skipped` record and the
reader goes on."""
from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .model import Document
from .normalize import decode, make_document

MAX_CHARS = 100_000  # above this a document is split into parts at paragraph boundaries


@dataclass(frozen=True)
class Skipped:
    file: str
    line: int | None
    reason: str
    action: str = "skipped"  # or "repaired"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.action}: {self.reason}"


def input_files(paths) -> list[Path]:
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in (".txt", ".jsonl"))
        elif p.exists():
            files.append(p)
        else:
            raise InputError(str(p), "no such file or folder")
    return files


def read_inputs(paths, problems: list[Skipped]) -> Iterator[Document]:
    seen: set[str] = set()
    for f in input_files(paths):
        reader = _read_jsonl if f.suffix.lower() == ".jsonl" else _read_txt
        for doc in reader(f, problems):
            if doc.id in seen:
                problems.append(Skipped(str(f), None, f"duplicate document id {doc.id!r}"))
                continue
            seen.add(doc.id)
            yield doc


def _read_txt(path: Path, problems: list[Skipped]) -> Iterator[Document]:
    try:
        text, repairs = decode(path.read_bytes(), str(path))
    except InputError as err:
        problems.append(Skipped(str(path), None, err.problem))
        return
    except OSError as err:
        problems.append(Skipped(str(path), None, err.strerror or str(err)))
        return
    for r in repairs:
        problems.append(Skipped(str(path), None, r, "repaired"))
    doc_id = path.stem
    yield from _documents(doc_id, text, str(path), problems, {})


def _read_jsonl(path: Path, problems: list[Skipped]) -> Iterator[Document]:
    """Documents of a JSONL corpus, read a line at a time so that a corpus of any size streams."""
    try:
        for n, line in _jsonl_lines(path, problems):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(Skipped(str(path), n, f"not JSON: {err.msg} (column {err.colno})"))
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                problems.append(Skipped(str(path), n, "no 'text' field"))
                continue
            doc_id = str(rec.get("id") or f"{path.stem}-{n}")
            meta = {k: rec[k] for k in ("title", "date", "url") if isinstance(rec.get(k), str)}
            yield from _documents(doc_id, rec["text"], f"{path}:{n}", problems, meta)
    except (InputError, OSError) as err:
        problems.append(Skipped(str(path), None, getattr(err, "problem", None) or str(err)))


def _jsonl_lines(path: Path, problems: list[Skipped]) -> Iterator[tuple[int, str]]:
    with path.open("rb") as fh:
        head = fh.read(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            # UTF-16 (or binary, which decode() names): such files are small; read whole
            text, repairs = decode(head + fh.read(), str(path))
            problems.extend(Skipped(str(path), None, r, "repaired") for r in repairs)
            yield from enumerate(text.splitlines(), 1)
            return
        fh.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
        for n, raw in enumerate(fh, 1):
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError:  # a line in GBK or Big5, or with a few bad bytes
                text, repairs = decode(raw, f"{path}:{n}")
                problems.extend(Skipped(str(path), n, r, "repaired") for r in repairs)
                yield n, text


def _documents(doc_id, text, source, problems, meta) -> Iterator[Document]:
    if not text.strip():
        problems.append(Skipped(source, None, "empty document"))
        return
    if len(text) > MAX_CHARS:
        parts = split_text(text, MAX_CHARS)
        problems.append(Skipped(source, None, f"{len(text):,} characters: split into {len(parts)} parts",
                                "split"))
        empty = 0
        for n, part in enumerate(parts, 1):
            if _has_chinese(part):
                yield make_document(f"{doc_id}-part{n}", part, source=source, **meta)
            else:
                empty += 1
        if empty:
            problems.append(Skipped(source, None, f"{empty} of {len(parts)} parts hold no Chinese text"))
        return
    doc = make_document(doc_id, text, source=source, **meta)
    if not _has_chinese(doc.text):
        problems.append(Skipped(source, None, "no Chinese text"))
        return
    yield doc


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text[:20000]) or \
        bool(re.search("[\u4e00-\u9fff]", text))


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` characters, cut between paragraphs, else after a sentence,
    else anywhere."""
    parts, current = [], ""
    for para in text.split("\n"):
        pieces = [para] if len(para) <= limit else _cut(para, limit)
        for piece in pieces:
            if current and len(current) + len(piece) + 1 > limit:
                parts.append(current)
                current = ""
            current = f"{current}\n{piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def _cut(para: str, limit: int) -> list[str]:
    out = []
    while len(para) > limit:
        cut = para.rfind("。", 0, limit) + 1 or limit
        out.append(para[:cut])
        para = para[cut:]
    return out + ([para] if para else [])
