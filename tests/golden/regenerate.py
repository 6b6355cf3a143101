"""Rewrite tests/golden/seeds.ttl after a deliberate change; review `git diff` before committing.

    python tests/golden/regenerate.py
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import FIXED_TIME, SEEDS  # noqa: E402
from graph.build import extract_all  # noqa: E402
from graph.rdf import to_graph  # noqa: E402

graph = to_graph(extract_all([SEEDS], []), activity_time=FIXED_TIME)
(ROOT / "tests" / "golden" / "seeds.ttl").write_text(graph.serialize(format="turtle"), encoding="utf-8")
