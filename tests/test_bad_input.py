"""Issue 7: bad input never costs the rest of a corpus; faults never leave a broken graph."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from conftest import ROOT, finishes_within
from graph.build import build
from graph.cli import main
from graph.query import load_graph, run_preset

BAD = ROOT / "tests" / "data" / "bad"
BUILT = {"good", "gbk", "big5", "utf16", "broken-utf8", "html", "j1"}


def _docs(out):
    return {r[0] for r in run_preset(load_graph(out), "entities")[1]}


def test_mixed_corpus_builds_every_good_document_and_reports_the_rest(tmp_path):
    res = CliRunner().invoke(main, ["build", str(BAD), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert _docs(tmp_path) == BUILT
    report = [json.loads(l) for l in (tmp_path / "skipped.jsonl").read_text(encoding="utf-8").splitlines()]
    why = {(os.path.basename(r["file"]), r["line"]): (r["action"], r["reason"]) for r in report}
    assert why[("binary.txt", None)][1].startswith("binary data")
    assert why[("empty.txt", None)][1] == "empty document"
    assert why[("english.txt", None)][1] == "no Chinese text"
    assert why[("broken-utf8.txt", None)][0] == "repaired"
    assert why[("corpus.jsonl", 2)][1].startswith("not JSON")
    assert why[("corpus.jsonl", 3)][1] == "no 'text' field"
    assert "duplicate document id 'j1'" in why[("corpus.jsonl", None)][1]
    assert "skipped or repaired: 7" in res.output and "corpus.jsonl:2" in res.output


def test_strict_exits_1_after_building_what_it_could(tmp_path):
    res = CliRunner().invoke(main, ["build", str(BAD), "--out", str(tmp_path), "--strict"])
    assert res.exit_code == 1
    assert _docs(tmp_path) == BUILT


def test_other_encodings_and_markup_are_read_as_text(tmp_path):
    build([BAD], tmp_path)
    _, rows = run_preset(load_graph(tmp_path), "signings")
    parties = {(r[0], r[4]) for r in rows}
    assert ("gbk", "北岭电子有限公司") in parties and ("big5", "南港物流有限公司") in parties
    assert ("utf16", "东岭能源有限公司") in parties and ("html", "中山市人民政府") in parties
    ev = [r[4] for r in run_preset(load_graph(tmp_path), "evidence")[1] if r[0] == "html"]
    assert ev and not any("<" in t for t in ev)


def test_a_20_mb_single_line_is_split_not_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    head = "5月6日，安平市人民政府与长林科技有限公司签署战略合作协议。"
    (folder / "huge.txt").write_text(head + "x" * (20 * 1024 * 1024), encoding="utf-8")
    with finishes_within(300):
        report = build([folder], tmp_path / "out", render_page=False)
    assert any("split into" in s.reason for s in report.skipped)
    assert "huge-part1" in _docs(tmp_path / "out")


@pytest.mark.parametrize("text", [
    "，" * 10_000,
    "、".join(["王小明"] * 5_000) + "出席签约仪式。",
    ("长林科技有限公司与安平市人民政府签署合作协议并投资3亿元建设基地" * 3_000)[:100_000],
])
def test_pathological_text_finishes(text):
    from graph.extract import extract
    from graph.normalize import make_document
    with finishes_within(240):
        extract(make_document("p", text))


# -- faults ------------------------------------------------------------------------------------------
def _corpus(tmp_path, copies):
    folder = tmp_path / "many"
    folder.mkdir()
    text = (BAD / "good.txt").read_text(encoding="utf-8")
    for n in range(copies):
        (folder / f"a{n:04d}.txt").write_text(text.replace("何明", f"何明{n % 7}"), encoding="utf-8")
    return folder


KG = [sys.executable, "-c", "from graph.cli import main; main()"]


@pytest.mark.parametrize("kill_after", [0.5, 3.0, 6.0])
def test_sigkill_mid_build_leaves_the_previous_outputs(tmp_path, kill_after):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    # big enough that the build is still extracting when the kill comes, even on a fast machine
    proc = subprocess.Popen(KG + ["build", str(_corpus(tmp_path, 2000)), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the build finished before it could be killed"
    for name, data in before.items():
        assert (out / name).read_bytes() == data, f"{name} changed although the build never finished"
    assert load_graph(out) is not None


def test_an_interrupted_update_leaves_a_consistent_store(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    proc = subprocess.Popen(KG + ["build", str(_corpus(tmp_path, 400)), "--out", str(out), "--update"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    time.sleep(4.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    load_graph(out)  # the graph is readable
    from graph import cache
    cache.read(out)  # and so are the extractions an update starts from
    build([BAD / "gbk.txt"], out, update=True)
    assert {"good", "gbk"} <= _docs(out)


# -- queries -----------------------------------------------------------------------------------------
def test_update_queries_are_refused_unless_allowed(tmp_path):
    build([BAD / "good.txt"], tmp_path)
    q = 'INSERT DATA { <urn:a> <urn:b> "c" }'
    res = CliRunner().invoke(main, ["query", str(tmp_path / "graph.ttl"), q])
    assert res.exit_code == 2 and "refused" in res.output
    res = CliRunner().invoke(main, ["query", str(tmp_path / "graph.ttl"), q, "--allow-update"])
    assert res.exit_code == 0


def test_malformed_query_names_line_and_column(tmp_path):
    build([BAD / "good.txt"], tmp_path)
    res = CliRunner().invoke(main, ["query", str(tmp_path / "graph.ttl"), "SELECT ?x\nWHERE { ?x ?y }"])
    assert res.exit_code == 2 and "line 2" in res.output and "column" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_corrupt_graph_is_a_clear_message(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("@prefix : <urn:> . :a :b ", encoding="utf-8")
    res = CliRunner().invoke(main, ["query", str(bad), "--preset", "entities"])
    assert res.exit_code == 2 and "not a readable turtle graph" in res.output.lower()
    assert "Traceback" not in res.output
