"""The scale benchmark (issue 6), in one run:

    python bench/run.py                      # 100,000 and 1,000,000 triples (about 8 minutes)
    python bench/run.py --triples 3000 --quick   # the smoke run the tests use

For each size it generates a corpus (bench/make_corpus.py) and builds it in a fresh process
with 1 and with 2 workers, reporting documents and characters per second, triples and peak
memory (the build process and, separately, its largest worker); runs the same text through
bare `jieba.posseg` in a fresh process and gives the ratio of the two throughputs (both
including their start-up); times loading graph.ttl into a new Oxigraph store and each preset
query on the built store.
Targets (issue 6) are printed beside the figures; nothing here is part of the test suite
except a smoke run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TRIPLES_PER_ARTICLE = 98  # measured on make_corpus.py's articles; sizes are approximate

BUILD = """
import json, resource, sys, time
from graph.build import build
started = time.perf_counter()
report = build([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), render_page=True)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "documents": report.documents, "triples": report.triples,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

POSSEG = """
import json, sys, time, logging
started = time.perf_counter()
import jieba, jieba.posseg
jieba.setLogLevel(logging.ERROR)
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
jieba.initialize()
ready = time.perf_counter()
for text in texts:
    list(jieba.posseg.cut(text))
done = time.perf_counter()
print(json.dumps({"seconds": done - started, "cut_seconds": done - ready}))
"""


def run_python(code: str, *args) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_corpus(n: int, path: Path) -> tuple[int, int]:
    from make_corpus import articles
    chars = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in articles(n):
            chars += len(rec["text"])
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return n, chars


def store_figures(build_dir: Path, repeat: int) -> dict:
    import pyoxigraph as ox

    from graph.resources import preset, presets
    with tempfile.TemporaryDirectory(dir=build_dir) as tmp:
        started = time.perf_counter()
        fresh = ox.Store(tmp)
        fresh.bulk_load(path=str(build_dir / "graph.ttl"), format=ox.RdfFormat.TURTLE)
        fresh.flush()
        load = time.perf_counter() - started
        del fresh
    store = ox.Store.read_only(str(build_dir / "store"))
    queries = {}
    for name in presets():
        text = preset(name)
        times, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = sum(1 for _ in store.query(text))
            times.append(time.perf_counter() - started)
        paged = text[:text.rindex("ORDER BY")] + "LIMIT 100" if "ORDER BY" in text else text + " LIMIT 100"
        started = time.perf_counter()
        sum(1 for _ in store.query(paged))
        queries[name] = {"rows": rows, "ms": 1000 * statistics.median(times),
                         "first_100_ms": 1000 * (time.perf_counter() - started)}
    return {"load_seconds": load, "queries": queries}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Zhitu scale benchmark")
    ap.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000],
                    help="graph sizes to build (approximate)")
    ap.add_argument("--quick", action="store_true", help="one repetition per query (smoke run)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    figures = {"machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}"
                          f" · {platform.platform()}", "sizes": []}
    print(figures["machine"])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for i, target in enumerate(sorted(args.triples)):
            n = max(10, target // TRIPLES_PER_ARTICLE)
            corpus = tmp / f"corpus-{n}.jsonl"
            docs, chars = make_corpus(n, corpus)
            size = {"articles": docs, "characters": chars}
            workers = (1, 2)
            for w in workers:
                b = run_python(BUILD, corpus, tmp / f"out-{n}-{w}", w)
                size[f"build_{w}"] = {**b, "docs_per_s": docs / b["seconds"], "chars_per_s": chars / b["seconds"]}
                print(f"{docs} articles, {chars:,} chars, {w} worker(s): {b['seconds']:.1f} s, "
                      f"{docs / b['seconds']:.0f} docs/s, {chars / b['seconds']:,.0f} chars/s, "
                      f"{b['triples']:,} triples, peak {b['peak_mb']:.0f} MB (largest worker {b['worker_peak_mb']:.0f} MB)")
            p = run_python(POSSEG, corpus)
            ratio = p["seconds"] / size["build_1"]["seconds"]
            speedup = size["build_1"]["seconds"] / size["build_2"]["seconds"]
            size["posseg"] = {**p, "chars_per_s": chars / p["seconds"], "build_ratio": ratio,
                              "speedup_2_workers": speedup}
            print(f"bare jieba.posseg: {p['seconds']:.1f} s ({chars / p['seconds']:,.0f} chars/s, "
                  f"{p['cut_seconds']:.1f} s cutting) · build/posseg throughput {ratio:.2f} (target >= 0.5)"
                  f" · 2 workers {speedup:.2f}x one (target >= 1.7)")
            s = store_figures(tmp / f"out-{n}-{workers[-1]}", 1 if args.quick else 5)
            size["store"] = s
            print(f"graph.ttl into a new store: {s['load_seconds']:.1f} s; presets (all rows, median ms / "
                  f"first 100 rows ms; target <= 100 ms at 1,000,000 triples):")
            for name, q in s["queries"].items():
                print(f"  {name:<12} {q['rows']:>8} rows  {q['ms']:8.1f} ms  {q['first_100_ms']:7.1f} ms")
            figures["sizes"].append(size)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
