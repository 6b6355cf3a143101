"""A smoke run of the scale benchmark (issue 6): the runner works end to end and reports every
figure. The figures themselves are recorded in bench/RESULTS.md, not asserted here."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from graph.resources import presets


@pytest.mark.slow
def test_the_benchmark_runner_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--triples", "1500", "--quick",
                    "--json", str(out)], check=True, capture_output=True, cwd=tmp_path, timeout=300)
    size = json.loads(out.read_text(encoding="utf-8"))["sizes"][0]
    for workers in ("build_1", "build_2"):
        assert size[workers]["triples"] > 1000 and size[workers]["docs_per_s"] > 0
        assert size[workers]["peak_mb"] > 0
    assert size["build_1"]["triples"] == size["build_2"]["triples"]
    assert size["posseg"]["build_ratio"] > 0 and size["posseg"]["speedup_2_workers"] > 0
    assert set(size["store"]["queries"]) == set(presets())
    assert all(q["rows"] > 0 for q in size["store"]["queries"].values())


def test_generated_articles_are_fresh_and_reproducible():
    sys.path.insert(0, str(ROOT / "bench"))
    from make_corpus import articles
    first, again = list(articles(300, seed=3)), list(articles(300, seed=3))
    assert first == again and len({a["id"] for a in first}) == 300
    assert len({a["text"] for a in first}) == 300
