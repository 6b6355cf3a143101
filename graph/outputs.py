"""Where the tool writes, and how: only into folders it owns, one writer at a time, every
file made aside and renamed into place.

- A folder the tool writes (a build, a CSV export) carries a manifest, `zhitu.json`, naming
  the tool, its version and the files it wrote. The tool writes into a folder only when it
  is new, empty or its own, and replaces only files its manifest lists: a user's files are
  never touched.
- One writer at a time: `writing()` holds an advisory lock (`.zhitu.lock`) for a whole
  build or update, so a second writer fails or waits, never interleaves.
- Readers see one whole build: the writer renames its outputs into place holding
  `.zhitu-swap.lock` exclusively, and readers open the store holding it shared.
- Temporary files end in `.zhitu-tmp`; a run that was killed leaves some, and the next
  writer of the folder removes them.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .errors import Busy, GraphError, OutputError, Unfinished

MANIFEST = "zhitu.json"
WRITE_LOCK = ".zhitu.lock"
SWAP_LOCK = ".zhitu-swap.lock"
TMP = ".zhitu-tmp"
OWN = (MANIFEST, WRITE_LOCK, SWAP_LOCK)
BUILD_FILES = ("graph.ttl", "store", "graph.html", "extractions.jsonl", "skipped.jsonl")
SNIFF = 65536  # bytes of a file read to tell whether the tool wrote it
MARKS = (b"https://zhitu.dev/", b'name="generator" content="zhitu')


# -- ownership ---------------------------------------------------------------------------

def claim(folder, kind: str, outputs=()) -> dict | None:
    """Make sure `folder` is the tool's to write `outputs` into (creating it if need be):
    new, empty, or written by the tool as a `kind` folder, with none of `outputs` made by
    someone else. Returns the folder's manifest, if it has one. Raises OutputError."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries = {e for e in os.listdir(folder) if not _temporary(e)}
    except OSError as err:
        raise output_error(err, folder) from None
    manifest = read_manifest(folder)
    if manifest is None:
        # files zhitu wrote (an export, the documentation of an outputs folder) are no one else's
        others = {e for e in entries - set(OWN) if not ((folder / e).is_file() and written_by_tool(folder / e))}
        if not others:
            return None
        if kind == "build" and _legacy_build(folder, others):
            return {"tool": "zhitu", "kind": "build", "files": sorted(others)}
        raise OutputError(f"{folder}: holds files zhitu did not write ({_few(others)}); "
                          "give a new or empty folder")
    if manifest.get("kind") != kind:
        raise OutputError(f"{folder}: a zhitu {manifest.get('kind')} folder, not a {kind} folder")
    foreign = sorted(n for n in outputs if n in entries and n not in manifest.get("files", ()))
    if foreign:
        raise OutputError(f"{folder}: {_few(foreign)} not written by zhitu; it will not be replaced")
    return manifest


def read_manifest(folder) -> dict | None:
    path = Path(folder) / MANIFEST
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(SNIFF).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "zhitu" else None


def manifest_entry(kind: str, files, **facts) -> tuple[str, bytes]:
    """The manifest's file name and content, for `publish`."""
    record = {"tool": "zhitu", "version": __version__, "kind": kind, "files": sorted(set(files)),
              "written": datetime.now(timezone.utc).isoformat(timespec="seconds"), **facts}
    return MANIFEST, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def is_build(folder) -> bool:
    """A folder holding a build (the tool's manifest, or the outputs of an older version)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is not None:
        return manifest.get("kind") == "build"
    try:
        entries = {e for e in os.listdir(folder) if not _temporary(e)} - set(OWN)
    except OSError:
        return False
    return bool(entries) and _legacy_build(folder, entries)


def _legacy_build(folder: Path, entries: set[str]) -> bool:
    """Outputs of a version that wrote no manifest: only the build's file names, with a real
    store or extractions file among them (a user's folder named `store` is not enough)."""
    if not entries <= set(BUILD_FILES):
        return False
    if (folder / "store" / "CURRENT").is_file():
        return True
    try:
        with open(folder / "extractions.jsonl", "rb") as fh:
            return b'"doc"' in fh.readline(SNIFF)
    except OSError:
        return False


def check_file(path, force: bool = False) -> Path:
    """A single output file may be written: not a folder, and new, written by the tool, or
    named with --force."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the path of a file to write")
    if path.exists() and not force and not written_by_tool(path):
        raise OutputError(f"{path}: exists and was not written by zhitu; pass --force to replace it")
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(f"{path.parent}: is not a folder")
    return path


def written_by_tool(path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF)
    except OSError:
        return False
    return any(mark in head for mark in MARKS)


def _few(names) -> str:
    names = sorted(names)
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


# -- locks -------------------------------------------------------------------------------

@contextmanager
def writing(folder, wait: float = 0.0):
    """Hold the folder's writer lock; another holder makes this wait up to `wait` seconds,
    then raise Busy. Stale temporary files of a killed run are removed once it is held."""
    folder = Path(folder)
    try:
        fd = os.open(folder / WRITE_LOCK, os.O_RDWR | os.O_CREAT, file_mode())
        os.close(os.open(folder / SWAP_LOCK, os.O_RDWR | os.O_CREAT, file_mode()))  # for readers to find
    except OSError as err:
        raise output_error(err, folder) from None
    try:
        if not _lock(fd, fcntl.LOCK_EX, wait):
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise Busy(f"{folder}: another kg command{f' (process {holder})' if holder else ''} is "
                       f"writing this folder; run again when it has finished, or pass --wait SECONDS")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        recover(folder)
        _remove_stale(folder)
        yield folder
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def reading(folder, wait: float = 60.0):
    """Hold the folder's swap lock shared while opening what it holds, so that a writer
    renaming its outputs into place is never seen half way. A folder the reader cannot
    lock (read-only, no lock file) is read without it."""
    path = Path(folder) / SWAP_LOCK
    try:
        fd = os.open(path, os.O_RDONLY)  # made by the writer; a reader creates nothing
    except OSError:
        yield
        return
    try:
        if (Path(folder) / JOURNAL).exists():
            recover(folder)
        if not _lock(fd, fcntl.LOCK_SH, wait):
            raise Busy(f"{folder}: a build is replacing this graph and has not finished within {wait:.0f} s")
        if (Path(folder) / JOURNAL).exists():  # a writer was killed while we waited
            fcntl.flock(fd, fcntl.LOCK_UN)
            recover(folder)
            _lock(fd, fcntl.LOCK_SH, wait)
        yield
    finally:
        os.close(fd)


def _lock(fd: int, kind: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


def _temporary(name: str) -> bool:
    return name.endswith(TMP) or name.startswith(".") and name.endswith(".tmp")


def _remove_stale(folder: Path) -> None:
    for name in os.listdir(folder):
        if _temporary(name) or name.startswith(".store."):  # older versions' names too
            _remove(folder / name)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


# -- staged files ------------------------------------------------------------------------

def temp_dir(final: Path) -> Path:
    """An empty folder beside `final`, to be renamed into its place (with the permissions
    of an ordinary folder, not mkdtemp's private ones)."""
    try:
        path = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=TMP))
    except OSError as err:
        raise output_error(err, final) from None
    os.chmod(path, 0o777 & ~_umask())
    return path


def temp_file(final: Path, ready: list) -> Path:
    """An empty file beside `final` for another process to fill, listed in `ready`."""
    final = Path(final)
    try:
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=TMP)
    except OSError as err:
        raise output_error(err, final) from None
    os.close(fd)
    os.chmod(tmp, file_mode())
    ready.append((Path(tmp), final))
    return Path(tmp)


@contextmanager
def staged(path, ready: list, binary: bool = False):
    """Write a temporary file beside `path`, synced, and append (temporary, path) to `ready`
    for `publish` to rename; on an error the temporary file is removed."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP)
    except OSError as err:
        raise output_error(err, path) from None
    os.chmod(tmp, file_mode())  # mkstemp makes files private; outputs are ordinary files
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _remove(Path(tmp))
        raise
    ready.append((Path(tmp), path))


@contextmanager
def atomic_write(path, binary: bool = False):
    """Write to a temporary file beside `path`, then rename: a crash leaves the old file."""
    ready: list[tuple[Path, Path]] = []
    try:
        with staged(path, ready, binary) as fh:
            yield fh
        os.replace(*ready[0])
    except OSError as err:
        discard(ready)
        raise output_error(err, path) from None


def publish(folder: Path, ready: list[tuple[Path, Path]], manifest: tuple[str, bytes] | None = None) -> None:
    """Rename staged files and folders into place, the manifest last, holding the swap lock
    so that a reader sees the old outputs or the new ones, never a mix. The renames are
    written to a journal first: a process killed half way through leaves it, and the next
    reader or writer of the folder finishes the renames (`recover`)."""
    folder = Path(folder)
    if manifest is not None:
        with staged(folder / manifest[0], ready, binary=True) as fh:
            fh.write(manifest[1])
    pairs = [(tmp.name, final.name) for tmp, final in ready]
    path = folder / SWAP_LOCK
    # readers of a folder the tool owns take the lock; elsewhere (a lone file) there are none
    fd = os.open(path, os.O_RDWR | os.O_CREAT, file_mode()) if manifest or path.exists() else None
    try:
        if fd is not None:
            _lock(fd, fcntl.LOCK_EX, float("inf"))
        journal = folder / JOURNAL
        if len(pairs) > 1:
            with atomic_write(journal, binary=True) as fh:
                fh.write(json.dumps(pairs).encode("utf-8"))
            _sync_folder(folder)
        _roll_forward(folder, pairs)
        if len(pairs) > 1:
            journal.unlink()
        ready.clear()
    finally:
        if fd is not None:
            os.close(fd)


JOURNAL = ".zhitu-publish.json"


def _roll_forward(folder: Path, pairs) -> None:
    for tmp_name, final_name in pairs:
        tmp, final = folder / tmp_name, folder / final_name
        if not os.path.lexists(tmp):
            continue  # renamed before the process that began this was killed
        if final.is_dir() and not final.is_symlink():
            old = Path(tempfile.mkdtemp(dir=folder, prefix=f".{final.name}.old.", suffix=TMP))
            os.replace(final, old / final.name)
        os.replace(tmp, final)
    _sync_folder(folder)
    for name in os.listdir(folder):
        if ".old." in name and name.endswith(TMP):
            shutil.rmtree(folder / name, ignore_errors=True)


def recover(folder) -> None:
    """Finish the renames of a publish whose process was killed (its journal is left), so
    the folder holds one whole build again. Takes the swap lock itself."""
    folder = Path(folder)
    journal = folder / JOURNAL
    if not journal.exists():
        return
    try:
        fd = os.open(folder / SWAP_LOCK, os.O_RDWR | os.O_CREAT, file_mode())
    except OSError:
        raise GraphError(f"{folder}: a build was interrupted while putting its outputs in place, and "
                         "the folder is not writable to finish it; run kg build again") from None
    try:
        _lock(fd, fcntl.LOCK_EX, float("inf"))
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return  # another process finished it
        except ValueError:
            pairs = []
        _roll_forward(folder, [(a, b) for a, b in pairs])
        journal.unlink(missing_ok=True)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make renames in `folder` durable before the next step relies on them."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def discard(ready: list[tuple[Path, Path]]) -> None:
    for tmp, _ in ready:
        _remove(Path(tmp))
    ready.clear()


def output_error(err: OSError, path) -> Exception:
    """An OSError met while writing, as one line: a full disk cannot finish (exit 3), a path
    that cannot be written is the user's to fix (exit 2)."""
    where = err.filename or path
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return Unfinished(f"{where}: no space left on the device; the previous outputs are unchanged")
    return OutputError(f"{where}: cannot write ({err.strerror or err})")


def file_mode() -> int:
    return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
