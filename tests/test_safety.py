"""Issue 11: never lose a user's data. Outputs touch only what the tool wrote, one writer at a
time, readers see one whole build, an empty corpus replaces nothing, updates are written.

Data-loss tests check that the user's files are still there byte for byte."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from conftest import ROOT
from graph.build import build
from graph.cli import main
from graph.outputs import JOURNAL, MANIFEST, read_manifest
from graph.query import load_graph, run_on, run_preset

BAD = ROOT / "tests" / "data" / "bad"
KG = [sys.executable, "-c", "from graph.cli import main; main()"]


def _docs(out):
    return {r[0] for r in run_preset(load_graph(out), "entities")[1]}


def _user_files(folder):
    """A folder a user made: a document, a sub-folder, a file named like one of ours."""
    (folder / "sub").mkdir(parents=True)
    (folder / "report.docx").write_bytes(b"PK\x03\x04 the user's report")
    (folder / "sub" / "notes.txt").write_text("my notes", encoding="utf-8")
    return _snapshot(folder)


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _one_article(folder, name, text=None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text or (BAD / "good.txt").read_text(encoding="utf-8")
                                        .replace("长林", name[:2]), encoding="utf-8")
    return folder


# 1 -------------------------------------------------------------------------------------------
def test_csv_export_refuses_a_folder_holding_the_users_files(seed_build, tmp_path):
    mydocs = tmp_path / "mydocs"
    before = _user_files(mydocs)
    res = CliRunner().invoke(main, ["export", str(seed_build[0]), "--format", "csv", "--out", str(mydocs)])
    assert res.exit_code == 2 and "zhitu did not write" in res.output and len(res.output.splitlines()) == 1
    assert _snapshot(mydocs) == before


def test_csv_export_replaces_only_its_own_files(seed_build, tmp_path):
    out = tmp_path / "neo4j"
    assert CliRunner().invoke(main, ["export", str(seed_build[0]), "--format", "csv", "--out", str(out)]).exit_code == 0
    assert read_manifest(out)["files"] == ["nodes.csv", "relationships.csv"]
    (out / "import.sh").write_text("neo4j-admin ...", encoding="utf-8")  # the user adds a script
    res = CliRunner().invoke(main, ["export", str(seed_build[0]), "--format", "csv", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "import.sh").read_text(encoding="utf-8") == "neo4j-admin ..."
    assert (out / "nodes.csv").read_text(encoding="utf-8").startswith("id:ID,name")


# 2 -------------------------------------------------------------------------------------------
def test_build_refuses_a_folder_that_is_not_a_build(tmp_path):
    userdir = tmp_path / "userdir"
    (userdir / "store").mkdir(parents=True)
    (userdir / "store" / "thesis.docx").write_bytes(b"chapter one")
    (userdir / "graph.html").write_text("<html>my page</html>", encoding="utf-8")
    before = _snapshot(userdir)
    res = CliRunner().invoke(main, ["build", str(BAD / "good.txt"), "--out", str(userdir)])
    assert res.exit_code == 2 and "zhitu did not write" in res.output
    assert _snapshot(userdir) == before
    assert sorted(os.listdir(userdir)) == ["graph.html", "store"]  # not even a lock file


def test_a_file_a_user_adds_to_a_build_folder_is_left_alone(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    (out / "notes.md").write_text("what I found", encoding="utf-8")
    build([BAD / "gbk.txt"], out)
    assert (out / "notes.md").read_text(encoding="utf-8") == "what I found"
    assert "notes.md" not in read_manifest(out)["files"]


def test_a_page_the_user_put_where_the_build_writes_one_is_not_replaced(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out, render_page=False)
    (out / "graph.html").write_text("<html>mine</html>", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(BAD / "good.txt"), "--out", str(out)])
    assert res.exit_code == 2 and "graph.html" in res.output
    assert (out / "graph.html").read_text(encoding="utf-8") == "<html>mine</html>"


def test_a_build_of_an_older_version_without_manifest_is_still_ours(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    (out / MANIFEST).unlink()
    build([BAD / "gbk.txt"], out, update=True)
    assert _docs(out) == {"good", "gbk"} and read_manifest(out)["kind"] == "build"


@pytest.mark.parametrize("command", [["render"], ["export", "--format", "turtle"]])
def test_single_file_outputs_replace_only_their_own_files(seed_build, tmp_path, command):
    target = tmp_path / "mine.out"
    target.write_text("the user's own file", encoding="utf-8")
    args = [command[0], str(seed_build[0]), *command[1:], "--out", str(target)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2 and "--force" in res.output
    assert target.read_text(encoding="utf-8") == "the user's own file"
    assert CliRunner().invoke(main, args + ["--force"]).exit_code == 0
    assert CliRunner().invoke(main, args).exit_code == 0  # now it is ours to replace


# 3 -------------------------------------------------------------------------------------------
def test_two_updates_at_once_never_lose_one(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    news = [_one_article(tmp_path / n, n) for n in ("北岭", "南港")]
    procs = [subprocess.Popen(KG + ["build", str(f), "--out", str(out), "--update"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in news]
    results = [(p.returncode, p.communicate(timeout=300)[1]) for p in procs]
    results = [(p.returncode, err) for p, (_, err) in zip(procs, results)]
    docs = _docs(out)
    for (code, err), name in zip(results, ("北岭", "南港")):
        assert code in (0, 3), err
        if code == 0:
            assert name in docs, "an update that exited 0 was lost"
        else:
            assert "another kg command" in err and name not in docs
    assert "good" in docs


def test_with_wait_both_updates_are_kept(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    news = [_one_article(tmp_path / n, n) for n in ("北岭", "南港")]
    procs = [subprocess.Popen(KG + ["build", str(f), "--out", str(out), "--update", "--wait", "300"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for f in news]
    assert [p.wait(timeout=400) for p in procs] == [0, 0]
    assert _docs(out) == {"good", "北岭", "南港"}


# 4 -------------------------------------------------------------------------------------------
def _corpus(tmp_path, copies, name="many"):
    folder = tmp_path / name
    folder.mkdir()
    text = (BAD / "good.txt").read_text(encoding="utf-8")
    for n in range(copies):
        (folder / f"a{n:04d}.txt").write_text(text.replace("何明", f"何明{n % 7}"), encoding="utf-8")
    return folder


def _wait_for_lock_holder(out, proc, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        lock = out / ".zhitu.lock"
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        time.sleep(0.05)
    pytest.fail("the first build never held the folder")


def test_a_second_writer_is_refused_and_readers_agree_afterwards(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = subprocess.Popen(KG + ["build", str(_corpus(tmp_path, 150)), "--out", str(out), "--workers", "1"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_lock_holder(out, first)
    res = CliRunner().invoke(main, ["build", str(BAD / "gbk.txt"), "--out", str(out)])
    assert res.exit_code == 3 and "another kg command" in res.output
    assert first.wait(timeout=300) == 0
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a zt:Document }"
    assert run_on(out, count)[1] == run_on(out / "graph.ttl", count)[1] == [["150"]]


# 5 -------------------------------------------------------------------------------------------
def test_an_empty_corpus_does_not_replace_a_graph(tmp_path):
    out = tmp_path / "previous-build"
    build([BAD / "good.txt"], out)
    before = _snapshot(out)
    (tmp_path / "emptydir").mkdir()
    for inputs in ([tmp_path / "emptydir"], [BAD / "binary.txt", BAD / "english.txt"]):
        res = CliRunner().invoke(main, ["build", *map(str, inputs), "--out", str(out)])
        assert res.exit_code == 2 and "--allow-empty" in res.output and "nothing written" in res.output
        assert {k: v for k, v in _snapshot(out).items() if not k.startswith(".")} == \
            {k: v for k, v in before.items() if not k.startswith(".")}
    res = CliRunner().invoke(main, ["build", str(tmp_path / "emptydir"), "--out", str(out), "--allow-empty"])
    assert res.exit_code == 0 and _docs(out) == set()


# 6 -------------------------------------------------------------------------------------------
def test_allow_update_writes_the_store_the_turtle_and_says_what_changed(tmp_path):
    out = tmp_path / "b"
    build([BAD / "good.txt"], out)
    q = 'INSERT DATA { <urn:x:a> <urn:x:b> "一条新事实" }'
    res = CliRunner().invoke(main, ["query", str(out), q, "--allow-update"])
    assert res.exit_code == 0 and "triples before" in res.output
    before, after = [int(n.replace(",", "")) for n in
                     __import__("re").findall(r"([\d,]+) triples before, ([\d,]+) after", res.output)[0]]
    assert after == before + 1
    ask = 'ASK { <urn:x:a> <urn:x:b> "一条新事实" }'
    assert run_on(out, ask)[1] == [[True]] and run_on(out / "graph.ttl", ask)[1] == [[True]]
    assert read_manifest(out)["edited"] is True and read_manifest(out)["triples"] == after
    res = CliRunner().invoke(main, ["query", str(out), "DROP ALL", "--allow-update"])
    assert res.exit_code == 0 and ", 0 after" in res.output
    assert run_on(out, "SELECT * WHERE { ?s ?p ?o }")[1] == []


def test_allow_update_on_a_turtle_file_rewrites_that_file(tmp_path):
    out = tmp_path / "b"
    build([BAD / "good.txt"], out)
    ttl = tmp_path / "copy.ttl"
    ttl.write_bytes((out / "graph.ttl").read_bytes())
    res = CliRunner().invoke(main, ["query", str(ttl), "DELETE WHERE { ?p a schema:Person ; ?x ?y }",
                                    "--allow-update"])
    assert res.exit_code == 0, res.output
    assert run_on(ttl, "ASK { ?p a schema:Person }")[1] == [[False]]
    assert run_on(out, "ASK { ?p a schema:Person }")[1] == [[True]]  # the build is untouched


# 7 -------------------------------------------------------------------------------------------
def test_an_output_inside_the_input_folder_is_not_read_as_articles(tmp_path):
    corpus = _one_article(tmp_path / "corpus", "good")
    for _ in range(2):
        res = CliRunner().invoke(main, ["build", str(corpus), "--out", str(corpus / "out")])
        assert res.exit_code == 0, res.output
    assert _docs(corpus / "out") == {"good"}
    assert (corpus / "out" / "skipped.jsonl").read_text(encoding="utf-8") == ""


# a kill in each phase ------------------------------------------------------------------------
PHASES = {  # what to replace with a SIGKILL of the build's own process, and when
    "extracting": "graph.build._extract_one",
    "loading the store": "graph.store.StoreBuilder.load",
    "writing turtle": "graph.build.write_turtle",
    "rendering the page": "graph.build.write_page",
    "publishing": "graph.outputs._sync_folder",
}


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_a_kill_in_any_phase_leaves_one_whole_build(tmp_path, phase):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    before = {k: v for k, v in _snapshot(out).items() if k.startswith(("graph.", "extractions", "skipped"))}
    module, name = PHASES[phase].rsplit(".", 1)
    script = (f"import os, signal, importlib\n"
              f"target = '{module}'.split('.')\n"
              f"try:\n    owner = importlib.import_module('{module}')\n"
              f"except ImportError:\n    owner = getattr(importlib.import_module('.'.join(target[:-1])), target[-1])\n"
              f"def kill(*a, **k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
              f"setattr(owner, '{name}', kill)\n"
              f"from graph.cli import main\nmain()")
    proc = subprocess.run([sys.executable, "-c", script, "build", str(BAD / "gbk.txt"), "--out", str(out),
                           "--workers", "1"], cwd=ROOT, capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL
    docs = _docs(out)
    assert docs in ({"good"}, {"gbk"})  # the old build or the new one, whole
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert run_on(out, count)[1] == run_on(out / "graph.ttl", count)[1]
    if docs == {"good"}:
        after = {k: v for k, v in _snapshot(out).items() if k.startswith(("graph.", "extractions", "skipped"))}
        assert after == before
    assert not (out / JOURNAL).exists()
    build([BAD / "big5.txt"], out, update=True)  # and the next writer finds a sound folder
    assert not [n for n in os.listdir(out) if n.endswith(".zhitu-tmp")]


# readers during a swap -----------------------------------------------------------------------
def test_queries_while_a_build_replaces_the_store_never_fail(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    script = ("from graph.build import build\nimport sys\n"
              "for n in range(6):\n    build([sys.argv[1] if n % 2 else sys.argv[2]], sys.argv[3])\n")
    writer = subprocess.Popen([sys.executable, "-c", script, str(BAD / "gbk.txt"), str(BAD / "good.txt"), str(out)],
                              cwd=ROOT)
    answered = 0
    while writer.poll() is None:
        cols, rows = run_on(out, "SELECT (COUNT(*) AS ?n) WHERE { ?s a zt:Document }")
        assert rows == [["1"]]
        answered += 1
    assert writer.returncode == 0 and answered > 0


def test_manifest_names_the_tool_and_what_it_wrote(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool"] == "zhitu" and manifest["kind"] == "build" and manifest["documents"] == 1
    assert set(manifest["files"]) == {"graph.ttl", "store", "graph.html", "extractions.jsonl", "skipped.jsonl"}


def test_ctrl_c_in_a_build_with_workers_is_one_line(tmp_path):
    out = tmp_path / "out"
    build([BAD / "good.txt"], out)
    before = {k: v for k, v in _snapshot(out).items() if not k.startswith(".")}
    proc = subprocess.Popen(KG + ["build", str(_corpus(tmp_path, 3000)), "--out", str(out), "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    _wait_for_lock_holder(out, proc)
    time.sleep(1.0)  # the workers are extracting: 3,000 articles take far longer
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches every process of the group
    err = proc.communicate(timeout=60)[1]
    code = proc.returncode
    assert code == 130 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert {k: v for k, v in _snapshot(out).items() if not k.startswith(".")} == before


def test_the_quick_start_builds_into_the_projects_exports_folder(tmp_path):
    """`kg build seeds/ --out exports/`: the folder holds only its README, which names the
    project's IRIs; the build writes beside it and leaves it as it was."""
    exports = tmp_path / "exports"
    exports.mkdir()
    readme = (ROOT / "exports" / "README.md").read_bytes()
    (exports / "README.md").write_bytes(readme)
    res = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), "--out", str(exports)])
    assert res.exit_code == 0, res.output
    assert (exports / "README.md").read_bytes() == readme and (exports / "graph.ttl").is_file()
