import signal
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXED_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds/ folder built once for the whole session."""
    from graph.build import build
    out = tmp_path_factory.mktemp("seed-build")
    report = build([SEEDS], out)
    return out, report


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    from graph.query import load_graph
    return load_graph(seed_build[0] / "graph.ttl")


def extract_text(text, doc_id="t", **meta):
    from graph.extract import extract
    from graph.normalize import make_document
    return extract(make_document(doc_id, text, **meta))


@contextmanager
def finishes_within(seconds):
    """A guard that turns a hang into a failure (not a speed test: bench/ measures speed)."""
    def hang(*_):
        raise TimeoutError(f"did not finish within {seconds} s")
    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
