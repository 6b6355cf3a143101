"""Issue 11: inputs and outputs a hostile tester tries. Only regular files are read, odd names
and text are reported rather than fatal, unwritable outputs and full disks are one line, and
values that cannot be true are not stored."""
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, extract_text, finishes_within
from graph.build import build
from graph.cli import main
from graph.model import Investment, Signing
from graph.query import load_graph, run_on, run_preset
from graph.validate import validate

BAD = ROOT / "tests" / "data" / "bad"
GOOD = (BAD / "good.txt").read_text(encoding="utf-8")


def _skipped(out):
    return [json.loads(line) for line in (out / "skipped.jsonl").read_text(encoding="utf-8").splitlines()]


def _docs(out):
    return {r[0] for r in run_preset(load_graph(out), "entities")[1]}


# 12 ------------------------------------------------------------------------------------------
def test_a_fifo_named_as_input_is_reported_not_waited_for(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    with finishes_within(60):
        res = CliRunner().invoke(main, ["build", str(fifo), str(BAD / "good.txt"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert any("a FIFO, not a file" in s["reason"] for s in _skipped(tmp_path / "o"))


def test_a_device_is_reported_not_read_forever(tmp_path):
    with finishes_within(60):
        res = CliRunner().invoke(main, ["build", "/dev/zero", str(BAD / "good.txt"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0 and "a character device, not a file" in res.output


def test_odd_entries_in_a_folder_each_get_a_line(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("nowhere.txt", folder / "broken.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(folder, folder / "again")  # a link to a folder already being read
    real_scandir = os.scandir

    def scandir(path):  # root reads any folder, so an unreadable one is simulated
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    with finishes_within(120):
        report = build([folder], tmp_path / "o")
    reasons = {Path(s.file).name: s.reason for s in report.skipped}
    assert reasons["pipe.txt"].startswith("a FIFO")
    assert reasons["loop.txt"] == "a symbolic link loop"
    assert reasons["broken.txt"] == "a broken symbolic link"
    assert reasons["zero.txt"].startswith("a character device")
    assert reasons["again"].startswith("a link to a folder already read")
    assert reasons["locked"].startswith("cannot read the folder")
    assert _docs(tmp_path / "o") == {"a"}


def test_a_huge_file_is_refused_without_being_read(tmp_path, monkeypatch):
    import graph.sources as sources
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.txt").write_text(GOOD * 20, encoding="utf-8")
    (tmp_path / "small.txt").write_text(GOOD, encoding="utf-8")
    report = build([tmp_path / "big.txt", tmp_path / "small.txt"], tmp_path / "o")
    assert any("are not read" in s.reason for s in report.skipped) and report.documents == 1


def test_an_overlong_jsonl_line_is_skipped_and_the_next_read(tmp_path, monkeypatch):
    import graph.sources as sources
    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 2000)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "long", "text": GOOD * 20}, ensure_ascii=False) + "\n" +
                      json.dumps({"id": "short", "text": GOOD}, ensure_ascii=False) + "\n", encoding="utf-8")
    report = build([corpus], tmp_path / "o")
    assert [(s.line, s.reason) for s in report.skipped] == [(1, "line longer than 0 MB; not read")]
    assert _docs(tmp_path / "o") == {"short"}


# 13 ------------------------------------------------------------------------------------------
def test_a_gbk_file_name_is_read_and_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), "签约新闻".encode("gbk") + b".txt")
    with open(name, "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    res = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert _docs(tmp_path / "o") == {"签约新闻"}
    assert any("file name is not UTF-8" in s["reason"] for s in _skipped(tmp_path / "o"))


def test_lone_surrogates_in_jsonl_are_repaired_not_fatal(tmp_path):
    corpus = tmp_path / "c.jsonl"
    first = json.dumps({"id": "a", "text": GOOD}).replace('"a"', '"a\\ud800"', 1).replace('"}', '\\udfff"}')
    corpus.write_text(first + "\n" + json.dumps({"id": "b", "text": GOOD}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert _docs(tmp_path / "o") == {"a\ufffd", "b"}
    assert sum("lone surrogate" in s["reason"] for s in _skipped(tmp_path / "o")) == 2


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_out_that_cannot_be_a_folder_is_one_line(tmp_path, where):
    f = tmp_path / "f"
    f.write_text("x", encoding="utf-8")
    out = f if where == "a file" else f / "sub"
    res = CliRunner().invoke(main, ["build", str(BAD / "good.txt"), "--out", str(out)])
    assert res.exit_code == 2 and len(res.output.splitlines()) == 1 and "Traceback" not in res.output
    assert f.read_text(encoding="utf-8") == "x"


def _mount(tmp_path, name, options):
    """A small tmpfs (where the machine allows mounting: root in a container), else None."""
    point = tmp_path / name
    point.mkdir()
    if os.geteuid() != 0:
        return None
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                      capture_output=True).returncode:
        return None
    return point


def _unmount(point):
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_read_only_out_is_one_line(tmp_path):
    point = _mount(tmp_path, "ro", "ro,size=1m")
    if point is None:
        point = tmp_path / "ro"
        point.chmod(0o555)
        if os.access(point, os.W_OK):
            pytest.skip("cannot make a folder read-only here")
    try:
        res = CliRunner().invoke(main, ["build", str(BAD / "good.txt"), "--out", str(point / "out")])
        assert res.exit_code == 2 and "cannot write" in res.output and len(res.output.splitlines()) == 1
    finally:
        _unmount(point)


@pytest.mark.parametrize("command", [["render"], ["export", "--format", "graphml"]])
def test_an_existing_folder_as_a_file_output_is_one_line(seed_build, tmp_path, command):
    folder = tmp_path / "existing"
    folder.mkdir()
    res = CliRunner().invoke(main, [command[0], str(seed_build[0]), *command[1:], "--out", str(folder)])
    assert res.exit_code == 2 and "is a folder" in res.output and len(res.output.splitlines()) == 1
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*tmp"))


def test_a_full_disk_leaves_the_previous_build_and_no_temporary_files(tmp_path, monkeypatch):
    point = _mount(tmp_path, "small", "size=4m")
    try:
        out = (point or tmp_path) / "out"
        build([BAD / "good.txt"], out)
        before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
        if point is not None:  # fill the disk, then build more than fits
            fd = os.open(point / "filler", os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
        else:  # no tmpfs here: a writer that meets a full disk
            import graph.build as b
            real = b.write_turtle

            def full(*args):
                real(*args)
                raise OSError(errno.ENOSPC, "No space left on device", str(out / "graph.ttl"))
            monkeypatch.setattr(b, "write_turtle", full)
        res = CliRunner().invoke(main, ["build", str(BAD), "--out", str(out)])
        assert res.exit_code == 3 and "no space left" in res.output and len(res.output.splitlines()) == 1
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")} == before
        assert not [p for p in out.iterdir() if p.name.endswith(".zhitu-tmp")]
    finally:
        if point is not None:
            _unmount(point)


# 14 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, date", [
    ("2023年2月30日，甲公司与乙公司签署合作协议。", None),
    ("二〇二三年十三月五日，甲公司与乙公司签署合作协议。", None),
    ("二〇二三年十月廿三日，甲公司与乙公司签署合作协议。", "2023-10-23"),
    ("2024年2月29日，甲公司与乙公司签署合作协议。", "2024-02-29"),
])
def test_only_dates_that_exist_are_dates(text, date):
    text = text.replace("甲公司", "长林科技有限公司").replace("乙公司", "北岭电子有限公司")
    [signing] = [f for f in extract_text(text).facts if isinstance(f, Signing)]
    assert signing.date == date


@pytest.mark.parametrize("amount", ["-5亿元", "负5亿元", "1" + "0" * 30 + "亿元"])
def test_negative_and_absurd_amounts_are_not_investments(amount):
    facts = extract_text(f"长林科技有限公司宣布投资{amount}建设北岭智能制造基地。").facts
    assert not [f for f in facts if isinstance(f, Investment)]


def test_a_jsonl_date_that_is_not_a_date_is_reported_and_dropped(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": GOOD, "date": "last tuesday"}) + "\n" +
                      json.dumps({"id": "b", "text": GOOD, "date": "2023-02-30"}) + "\n" +
                      json.dumps({"id": "c", "text": GOOD, "date": "2023-06-01T08:00:00+08:00"}) + "\n",
                      encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    reasons = [s["reason"] for s in _skipped(tmp_path / "o")]
    assert sum("is not an ISO 8601 date" in r for r in reasons) == 2
    dates = run_on(tmp_path / "o", "SELECT ?id ?d WHERE { ?doc zt:docId ?id ; dcterms:date ?d }")[1]
    assert dates == [["c", "2023-06-01"]]
    res = CliRunner().invoke(main, ["validate", str(tmp_path / "o")])
    assert res.exit_code == 0 and "Failed to convert" not in res.output


def test_the_shapes_reject_a_date_that_does_not_exist(seed_graph):
    from rdflib import Literal
    from rdflib.namespace import XSD

    from graph.rdf import ZT
    g = seed_graph.__class__()
    for t in seed_graph:
        g.add(t)
    signing = next(g.subjects(ZT.date, None))
    g.set((signing, ZT.date, Literal("2023-02-30", datatype=XSD.date)))
    conforms, problems = validate(g)
    assert not conforms and any("date that exists" in p for p in problems)
