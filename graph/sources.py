"""Inputs -> Documents: .txt files, .jsonl corpora and folders of both.

Bad input never stops a corpus: each problem becomes a `Skipped` record and the
reader goes on."""
from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .model import Document
from .normalize import decode, make_document
from .numbers import iso_date
from .outputs import is_build

MAX_CHARS = 100_000  # above this a document is split into parts at paragraph boundaries
MAX_FILE_BYTES = 256 << 20  # a larger .txt article is refused, not read into memory
MAX_LINE_BYTES = 64 << 20  # a longer JSONL line is refused
SUFFIXES = (".txt", ".jsonl")
KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True)
class Skipped:
    file: str
    line: int | None
    reason: str
    action: str = "skipped"  # or "repaired"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.action}: {self.reason}"


def shown(path) -> str:
    """A path as text that can always be printed and written as UTF-8 (a file name in GBK
    holds undecodable bytes, which Python keeps as lone surrogates)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def input_files(paths, problems: list[Skipped] | None = None, exclude=()) -> list[Path]:
    """The .txt and .jsonl files named or found in folders (recursively, following links to
    folders once). Anything that cannot be read as a file — a FIFO, a device, a broken link,
    a link loop, an unreadable folder — becomes a line in `problems`. Build folders (and
    `exclude`) are not read: their extractions are not articles."""
    problems = [] if problems is None else problems
    excluded = {_identity(Path(p)) for p in exclude} - {None}
    files: list[Path] = []
    for p in map(Path, paths):
        if not os.path.lexists(p):
            raise InputError(shown(p), "no such file or folder")
        info = _stat(p, problems)
        if info is None:
            continue
        if stat.S_ISDIR(info.st_mode):
            files += _walk(p, problems, excluded | {(info.st_dev, info.st_ino)}, excluded)
        elif _regular(p, info, problems):
            files.append(p)
    return files


def _walk(folder: Path, problems: list[Skipped], seen: set, excluded: set) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        problems.append(Skipped(shown(folder), None, f"cannot read the folder ({err.strerror or err})"))
        return []
    out = []
    for entry in entries:
        path = Path(entry.path)
        info = _stat(path, problems)
        if info is None:
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in excluded or is_build(path):
                continue
            if key in seen:
                problems.append(Skipped(shown(path), None, "a link to a folder already read (a loop)"))
                continue
            out += _walk(path, problems, seen | {key}, excluded)
        elif path.suffix.lower() in SUFFIXES or not stat.S_ISREG(info.st_mode):
            if _regular(path, info, problems):
                out.append(path)
    return out


def _stat(path: Path, problems: list[Skipped]):
    try:
        return os.stat(path)
    except OSError as err:
        if os.path.islink(path):
            reason = "a symbolic link loop" if err.errno == errno.ELOOP else "a broken symbolic link"
        else:
            reason = err.strerror or str(err)
        problems.append(Skipped(shown(path), None, reason))
        return None


def _regular(path: Path, info, problems: list[Skipped]) -> bool:
    if stat.S_ISREG(info.st_mode):
        return True
    kind = next((name for test, name in KINDS if test(info.st_mode)), "not a regular file")
    problems.append(Skipped(shown(path), None, f"{kind}, not a file; only regular files are read"))
    return False


def _identity(path: Path):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def read_inputs(paths, problems: list[Skipped], exclude=()) -> Iterator[Document]:
    seen: set[str] = set()
    for f in input_files(paths, problems, exclude):
        reader = _read_jsonl if f.suffix.lower() == ".jsonl" else _read_txt
        for doc in reader(f, problems):
            if doc.id in seen:
                problems.append(Skipped(shown(f), None, f"duplicate document id {doc.id!r}"))
                continue
            seen.add(doc.id)
            yield doc


@contextmanager
def open_regular(path: Path):
    """A file opened for reading only if it is a regular file: a FIFO would block the
    build, a device never end. Non-blocking open, then a check of what was opened."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in KINDS if test(info.st_mode)), "not a regular file")
            raise InputError(shown(path), f"{kind}, not a file; only regular files are read")
        os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh, info.st_size


def _read_txt(path: Path, problems: list[Skipped]) -> Iterator[Document]:
    where = shown(path)
    try:
        with open_regular(path) as (fh, size):
            if size > MAX_FILE_BYTES:
                raise InputError(where, f"{size / (1 << 20):,.0f} MB; articles above "
                                        f"{MAX_FILE_BYTES >> 20} MB are not read")
            data = fh.read(MAX_FILE_BYTES + 1)
        text, repairs = decode(data[:MAX_FILE_BYTES], where)
    except InputError as err:
        problems.append(Skipped(where, None, err.problem))
        return
    except OSError as err:
        problems.append(Skipped(where, None, err.strerror or str(err)))
        return
    for r in repairs:
        problems.append(Skipped(where, None, r, "repaired"))
    doc_id = _file_id(path, problems)
    yield from _documents(doc_id, text, where, problems, {})


def _file_id(path: Path, problems: list[Skipped]) -> str:
    """A document's id is its file name without .txt; a name that is not UTF-8 (a GBK name
    copied from another system) is read as GB18030 where it can be, and reported."""
    raw = os.fsencode(path.stem)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        name, how = raw.decode("gb18030"), "read as GB18030"
    except UnicodeDecodeError:
        name, how = raw.decode("utf-8", "backslashreplace"), "undecodable bytes kept as \\x escapes"
    problems.append(Skipped(shown(path), None, f"file name is not UTF-8 ({how}): id {name!r}", "repaired"))
    return name


def _read_jsonl(path: Path, problems: list[Skipped]) -> Iterator[Document]:
    """Documents of a JSONL corpus, read a line at a time so that a corpus of any size streams."""
    where = shown(path)
    try:
        for n, line in _jsonl_lines(path, problems):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(Skipped(where, n, f"not JSON: {err.msg} (column {err.colno})"))
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                problems.append(Skipped(where, n, "no 'text' field"))
                continue
            rec = _repaired(rec, where, n, problems)
            doc_id = str(rec.get("id") or f"{path.stem}-{n}")
            meta = _metadata(rec, where, n, problems)
            yield from _documents(doc_id, rec["text"], f"{where}:{n}", problems, meta)
    except (InputError, OSError) as err:
        problems.append(Skipped(where, None, getattr(err, "problem", None) or err.strerror or str(err)))


def _repaired(rec: dict, where: str, n: int, problems: list[Skipped]) -> dict:
    """Lone surrogates (\\ud800) are legal in JSON but not in Unicode text: replaced and reported."""
    out = dict(rec)
    for key in ("id", "text", "title", "date", "url"):
        value = rec.get(key)
        if isinstance(value, str) and SURROGATE.search(value):
            out[key] = SURROGATE.sub("\ufffd", value)
            problems.append(Skipped(where, n, f"lone surrogate in {key!r} replaced", "repaired"))
    return out


def _metadata(rec: dict, where: str, n: int, problems: list[Skipped]) -> dict:
    meta = {k: rec[k] for k in ("title", "date", "url") if isinstance(rec.get(k), str) and rec[k].strip()}
    if "date" in meta:
        day = iso_date(meta["date"])
        if day is None:
            problems.append(Skipped(where, n, f"date {meta['date'][:40]!r} is not an ISO 8601 date; ignored",
                                    "repaired"))
            del meta["date"]
        else:
            meta["date"] = day
    if "url" in meta and not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", meta["url"]):
        problems.append(Skipped(where, n, f"url {meta['url'][:40]!r} is not a URL; ignored", "repaired"))
        del meta["url"]
    return meta


SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_lines(path: Path, problems: list[Skipped]) -> Iterator[tuple[int, str]]:
    where = shown(path)
    with open_regular(path) as (fh, size):
        head = fh.read(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            # UTF-16 (or binary, which decode() names): read whole, within the size bound
            if size > MAX_FILE_BYTES:
                raise InputError(where, f"a UTF-16 corpus above {MAX_FILE_BYTES >> 20} MB is not read")
            text, repairs = decode(head + fh.read(MAX_FILE_BYTES), where)
            problems.extend(Skipped(where, None, r, "repaired") for r in repairs)
            yield from enumerate(text.splitlines(), 1)
            return
        fh.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
        n = 0
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            n += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, a bounded piece at a time
                    raw = fh.readline(1 << 20)
                problems.append(Skipped(where, n, f"line longer than {MAX_LINE_BYTES >> 20} MB; not read"))
                continue
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError:  # a line in GBK or Big5, or with a few bad bytes
                try:
                    text, repairs = decode(raw, f"{where}:{n}")
                except InputError as err:
                    problems.append(Skipped(where, n, err.problem))
                    continue
                problems.extend(Skipped(where, n, r, "repaired") for r in repairs)
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
