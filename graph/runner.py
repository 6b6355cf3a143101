"""Where extraction runs: in this process, in local worker processes, or on a Dask cluster.

Every runner maps a function over batches *in order* with a bounded number in flight, so a
corpus streams through: memory holds a few batches, never the corpus, however large it is.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Iterator

from .errors import ZhituError


class Serial:
    """One process: no start-up cost, the right choice for a handful of articles."""

    def __init__(self):
        self.workers = 1

    def map(self, fn: Callable, jobs: Iterable) -> Iterator:
        for job in jobs:
            yield fn(job)

    def close(self) -> None:
        pass


class Local:
    """Forked worker processes. multiprocessing.Pool.imap reads its whole input ahead, which
    would hold the corpus in memory; here at most 2 batches per worker are in flight."""

    def __init__(self, workers: int):
        import multiprocessing as mp
        self.workers = workers
        # Ctrl-C reaches every process of the terminal's group: the workers leave it to the
        # main process, which stops them, instead of each printing a traceback
        self._pool = mp.get_context("fork").Pool(workers, initializer=_ignore_interrupts)
        self._closed = False

    def map(self, fn: Callable, jobs: Iterable) -> Iterator:
        return _windowed((lambda job: self._pool.apply_async(fn, (job,))), lambda f: f.get(),
                         jobs, 2 * self.workers)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.terminate()
            self._pool.join()


def _ignore_interrupts() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Dask:
    """Batches sent to a dask.distributed scheduler (`tcp://host:8786`, or a Client). The
    workers need zhitu installed; they load jieba once each and keep it."""

    def __init__(self, address):
        try:
            from distributed import Client
        except ImportError:
            raise ZhituError("--dask needs dask.distributed: pip install 'zhitu[dask]'") from None
        if isinstance(address, Client):
            self._client, self._own = address, False
        else:
            try:
                self._client, self._own = Client(address, timeout="5s"), True
            except (OSError, TimeoutError) as err:
                raise ZhituError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map(self, fn: Callable, jobs: Iterable) -> Iterator:
        return _windowed(lambda job: self._client.submit(fn, job, pure=False), lambda f: f.result(),
                         jobs, 2 * self.workers)

    def close(self) -> None:
        if self._own:
            self._client.close()


def _windowed(submit, result, jobs, window: int) -> Iterator:
    pending: deque = deque()
    for job in jobs:
        pending.append(submit(job))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def runner(workers: int = 1, dask=None):
    if dask is not None:
        return Dask(dask)
    return Local(workers) if workers > 1 else Serial()
