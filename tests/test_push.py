"""kg push (issue 6): a built graph loaded into a real Virtuoso over the SPARQL 1.1 Graph Store
Protocol answers every preset as the local store does. Virtuoso is Debian's
virtuoso-opensource, which .ci/run installs; the fixture starts a private server on 127.0.0.1."""
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.push import PASSWORD_VAR, USER_VAR, ntriples_chunks, push
from graph.resources import preset, presets
from graph.query import run_on as query
from graph.store import NAME

VIRTUOSO = shutil.which("virtuoso-t")
GRAPH = "https://zhitu.dev/graph/test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not VIRTUOSO:
        if os.environ.get("CI"):
            pytest.fail("virtuoso-t is missing: .ci/run installs Debian's virtuoso-opensource")
        pytest.skip("virtuoso-t not installed (apt install virtuoso-opensource)")
    db = tmp_path_factory.mktemp("virtuoso")
    sql, http = _free_port(), _free_port()
    (db / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
MaxClientConnections = 4
ServerThreads = 4
""", encoding="utf-8")
    proc = subprocess.Popen([VIRTUOSO, "-c", str(db / "virtuoso.ini"), "+foreground"], cwd=db,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"Virtuoso did not start: {(db / 'virtuoso.log').read_text()[-500:]}")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _ask(base, sparql, graph=GRAPH):
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": sparql, "default-graph-uri": graph})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as res:
        data = json.load(res)
    cols = data["head"]["vars"]
    return cols, sorted([b.get(c, {}).get("value", "") for c in cols] for b in data["results"]["bindings"])


DBA = {USER_VAR: "dba", PASSWORD_VAR: "dba"}  # a fresh Virtuoso's administrator


def test_a_pushed_graph_answers_the_presets_from_virtuoso(virtuoso, seed_build, monkeypatch):
    monkeypatch.setenv(USER_VAR, "dba")
    monkeypatch.setenv(PASSWORD_VAR, "dba")
    res = CliRunner().invoke(main, ["push", str(seed_build[0]), "--endpoint",
                                    f"{virtuoso}/sparql-graph-crud-auth", "--graph", GRAPH])
    assert res.exit_code == 0, res.output
    triples = int(query(seed_build[0] / NAME, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1][0][0])
    assert f"pushed {triples} triples" in res.output
    assert "dba" not in res.output
    for name in presets():
        cols, rows = query(seed_build[0] / NAME, preset(name))
        assert rows, name
        assert _ask(virtuoso, preset(name)) == (cols, sorted(rows)), name


def test_pushing_again_replaces_the_graph_and_chunks_append(virtuoso, seed_build):
    url = f"{virtuoso}/sparql-graph-crud-auth"
    target = GRAPH + "/chunks"
    push(seed_build[0], url, target, env=DBA)
    triples = int(query(seed_build[0] / NAME, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1][0][0])
    chunks = list(ntriples_chunks(seed_build[0], size=50))
    assert len(chunks) == -(-triples // 50) and sum(c.count(b"\n") for c in chunks) == triples
    report = push(seed_build[0], url, target, env=DBA, chunk=50)
    assert report.requests == len(chunks) > 1
    _, rows = _ask(virtuoso, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", target)
    assert rows == [[str(triples)]]  # replaced by the first request, not doubled


def test_without_credentials_the_server_refuses_with_a_clear_error(virtuoso, seed_build, monkeypatch):
    monkeypatch.delenv(USER_VAR, raising=False)
    monkeypatch.delenv(PASSWORD_VAR, raising=False)
    res = CliRunner().invoke(main, ["push", str(seed_build[0]), "--endpoint",
                                    f"{virtuoso}/sparql-graph-crud-auth", "--graph", GRAPH])
    assert res.exit_code == 3
    assert "HTTP 401" in res.output and USER_VAR in res.output and len(res.output.splitlines()) == 1


def test_a_wrong_password_is_refused_and_not_shown(virtuoso, seed_build, monkeypatch):
    monkeypatch.setenv(USER_VAR, "dba")
    monkeypatch.setenv(PASSWORD_VAR, "s3cret-wrong")
    res = CliRunner().invoke(main, ["push", str(seed_build[0]), "--endpoint",
                                    f"{virtuoso}/sparql-graph-crud-auth", "--graph", GRAPH])
    assert res.exit_code == 3 and "401" in res.output and "s3cret" not in res.output


def test_credentials_in_the_url_are_refused(seed_build):
    res = CliRunner().invoke(main, ["push", str(seed_build[0]), "--endpoint", "http://dba:dba@127.0.0.1:9/x"])
    assert res.exit_code == 2 and "do not belong in the endpoint URL" in res.output and "dba:dba" not in res.output


def test_an_unreachable_endpoint_is_one_line(seed_build):
    res = CliRunner().invoke(main, ["push", str(seed_build[0]), "--endpoint", f"http://127.0.0.1:{_free_port()}/x"])
    assert res.exit_code == 3 and "cannot connect" in res.output and len(res.output.splitlines()) == 1
