"""Run work whose cost the user's input decides (a SPARQL query) in a child process, and
stream what it yields back.

Oxigraph evaluates a query in Rust without returning to Python, so neither a signal nor a
thread can stop it: a cartesian COUNT(*) ignores Ctrl-C. A child process can always be
killed. The parent waits on a pipe with a deadline, so Ctrl-C and the time limit stop any
query at once; the child has a memory ceiling, and hands rows over in batches as they are
produced, so a huge result is never held whole by either process.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import time
import warnings
from typing import Callable, Iterator

from . import errors
from .errors import QueryLimit, ZhituError

BATCH = 500  # items a message carries
_HEAD = struct.Struct("!Q")


def default_memory() -> int:
    """Half the machine's memory, at least 1 GB: room for any sensible query, and a runaway
    one fails in the child instead of taking the machine."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 8 << 30
    return max(1 << 30, total // 2)


def stream(fn: Callable[..., Iterator], args: tuple, *, timeout: float, memory: int | None = None) -> Iterator:
    """Yield what the generator `fn(*args)` yields, computed in a child process. Raises
    QueryLimit when the deadline passes or the child runs out of memory, the child's own
    ZhituError when it raises one, and KeyboardInterrupt (after killing the child) on Ctrl-C.

    A single-threaded process forks (a few milliseconds); one that runs other threads, such
    as RocksDB's after a store was opened, starts a fresh interpreter instead, because a
    fork copies only the calling thread and a store opened in the copy waits forever for
    threads that are not there. `fn` must be a module-level function."""
    memory = memory or default_memory()
    child = _Forked(fn, args, memory) if _single_threaded() else _Spawned(fn, args, memory)
    deadline = time.monotonic() + timeout
    done = False
    try:
        for kind, payload in _messages(child.fd, deadline, timeout):
            if kind == "items":
                yield from payload
            elif kind == "end":
                done = True
                return
            else:
                raise _error(kind, payload)
        raise _died(child.wait())
    finally:
        child.close(kill=not done)


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class _Forked:
    def __init__(self, fn, args, memory: int):
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():  # Python 3.12 warns about fork beside threads; there are none
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, whose exit status the parent reads
            os.close(read_end)
            _child(fn, args, write_end, memory)
        os.close(write_end)
        self.pid, self.fd = pid, read_end

    def wait(self) -> int:
        return os.waitpid(self.pid, 0)[1]

    def close(self, kill: bool) -> None:
        os.close(self.fd)
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class _Spawned:
    def __init__(self, fn, args, memory: int):
        import subprocess
        import sys
        job = pickle.dumps((fn.__module__, fn.__qualname__, args, memory), protocol=pickle.HIGHEST_PROTOCOL)
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([package, os.environ.get("PYTHONPATH", "")]))
        self.proc = subprocess.Popen([sys.executable, "-c", f"import {__name__} as s; s._spawned()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env)
        self.proc.stdin.write(job)
        self.proc.stdin.close()
        self.fd = self.proc.stdout.fileno()

    def wait(self) -> int:
        self.proc.wait()
        code = self.proc.returncode
        return (-code & 0x7f) if code < 0 else code << 8  # as os.waitpid reports it

    def close(self, kill: bool) -> None:
        if kill:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


def _spawned() -> None:  # pragma: no cover - the entry point of a spawned child
    import importlib
    import sys
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    module, name, args, memory = pickle.loads(sys.stdin.buffer.read())
    fn = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    _child(fn, args, sys.stdout.fileno(), memory)


def _child(fn, args, fd: int, memory: int) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        batch = []
        for item in fn(*args):
            batch.append(item)
            if len(batch) >= BATCH:
                _send(fd, ("items", batch))
                batch = []
        _send(fd, ("items", batch))
        _send(fd, ("end", None))
    except MemoryError:
        _send_quietly(fd, ("memory", memory))
    except ZhituError as err:
        _send_quietly(fd, (type(err).__name__, str(err)))
    except BrokenPipeError:
        code = 1
    except BaseException as err:  # noqa: BLE001 - reported to the parent as one line
        _send_quietly(fd, ("crash", f"{type(err).__name__}: {err}"))
    finally:
        os._exit(code)


def _send(fd: int, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEAD.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _send_quietly(fd: int, message) -> None:
    try:
        _send(fd, message)
    except OSError:
        pass


def _messages(fd: int, deadline: float, timeout: float) -> Iterator[tuple[str, object]]:
    buf = bytearray()
    while True:
        while len(buf) < _HEAD.size or len(buf) < _HEAD.size + _HEAD.unpack_from(buf)[0]:
            chunk = _read(fd, deadline, timeout)
            if not chunk:
                return
            buf += chunk
        size = _HEAD.unpack_from(buf)[0]
        message = pickle.loads(bytes(buf[_HEAD.size:_HEAD.size + size]))
        del buf[:_HEAD.size + size]
        yield message


def _read(fd: int, deadline: float, timeout: float) -> bytes:
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
        raise QueryLimit(f"the query did not finish within {timeout:g} s (--timeout sets the limit)")
    return os.read(fd, 1 << 20)


def _error(kind: str, payload) -> Exception:
    if kind == "memory":
        return QueryLimit(f"the query needed more than {payload >> 20:,} MB of memory")
    if kind == "crash":
        return ZhituError(f"the query failed: {payload}")
    cls = getattr(errors, kind, None)
    if isinstance(cls, type) and issubclass(cls, ZhituError):
        try:
            return cls(payload)
        except TypeError:  # an error whose constructor takes more than a message
            pass
    return ZhituError(payload)


def _died(status: int) -> Exception:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return QueryLimit(f"the query process was ended by signal {sig} "
                          f"({signal.Signals(sig).name}; out of memory?)")
    return ZhituError(f"the query process ended early (exit status {os.WEXITSTATUS(status)})")
