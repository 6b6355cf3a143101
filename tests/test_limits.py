"""Issue 11: queries and pushes are bounded. No request to an address a query names, a time
limit, Ctrl-C that stops any query, rows streamed; a push that reads bounded answers within
a deadline and never shows credentials."""
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from graph.cli import main
from graph.errors import QueryLimit, Unfinished
from graph.push import push
from graph.query import stream_on

KG = [sys.executable, "-c", "from graph.cli import main; main()"]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Recorder(http.server.BaseHTTPRequestHandler):
    """A local server that counts the requests it gets; `behaviour` says how it answers."""
    requests: list = []
    behaviour = "ok"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        type(self).requests.append(("HEAD", self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        type(self).requests.append(("GET", self.path))
        self._answer()

    do_POST = do_PUT = do_GET

    def _answer(self):
        length = int(self.headers.get("Content-Length", 0) or 0)
        if length:
            self.rfile.read(length)
        if self.behaviour == "slow":  # a status line, then a byte a second, forever
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.wfile.flush()
            try:
                while True:
                    time.sleep(1)
                    self.wfile.write(b"X")
                    self.wfile.flush()
            except OSError:
                return
        if self.behaviour == "huge":  # an error with a 6 GB body
            self.send_response(500)
            self.send_header("Content-Length", str(6 << 30))
            self.end_headers()
            chunk = b"e" * (1 << 16)
            try:
                for _ in range((6 << 30) // len(chunk)):
                    self.wfile.write(chunk)
                    type(self).sent += len(chunk)
            except OSError:
                return
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server():
    class Handler(Recorder):
        requests: list = []
        sent = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, Handler
    httpd.shutdown()
    httpd.server_close()


# 8 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
    "select * where { service silent <{url}/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused_and_no_request_is_sent(seed_build, server, query):
    httpd, handler = server
    url = f"http://127.0.0.1:{httpd.server_port}"
    res = CliRunner().invoke(main, ["query", str(seed_build[0]), query.replace("{url}", url)])
    assert res.exit_code == 2 and "--allow-network" in res.output
    assert handler.requests == []


def test_load_is_refused_even_with_allow_update(seed_build, server, tmp_path):
    httpd, handler = server
    url = f"http://127.0.0.1:{httpd.server_port}/data.ttl"
    res = CliRunner().invoke(main, ["query", str(seed_build[0]), f"LOAD <{url}>", "--allow-update"])
    assert res.exit_code == 2 and "LOAD" in res.output and handler.requests == []


def test_a_service_keyword_inside_a_string_or_name_is_not_refused(seed_build):
    q = 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(?l != "SERVICE <http://x>") } LIMIT 1'
    assert CliRunner().invoke(main, ["query", str(seed_build[0]), q]).exit_code == 0


# 9 -------------------------------------------------------------------------------------------
def test_a_query_over_its_time_limit_is_stopped(seed_build):
    started = time.monotonic()
    res = CliRunner().invoke(main, ["query", str(seed_build[0]), CARTESIAN, "--timeout", "1"])
    assert res.exit_code == 3 and "did not finish within 1 s" in res.output
    assert time.monotonic() - started < 15


def test_ctrl_c_stops_a_running_query(seed_build):
    proc = subprocess.Popen(KG + ["query", str(seed_build[0]), CARTESIAN], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(2.5)
    assert proc.poll() is None, "the query finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err


def test_rows_stream_so_a_huge_result_is_never_collected(seed_build):
    """640,000 rows piped to `head`: the first arrive at once and the query ends with the pipe."""
    cmd = " ".join(KG[:2]) + f" '{KG[2]}' query {seed_build[0]} 'SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }}' | head -3"
    started = time.monotonic()
    proc = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.splitlines()[0] == "a,b,c,d,e,f" and len(proc.stdout.splitlines()) == 3
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - started < 30


def test_a_query_over_its_memory_ceiling_fails_alone(seed_build):
    q = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
    with pytest.raises(QueryLimit):
        list(stream_on(seed_build[0], q, timeout=120, memory=300 << 20).rows)


# 10, 11 --------------------------------------------------------------------------------------
def test_a_server_answering_a_byte_a_second_meets_the_deadline(seed_build, server):
    httpd, handler = server
    handler.behaviour = "slow"
    started = time.monotonic()
    with pytest.raises(Unfinished, match="no answer within 2 s"):
        push(seed_build[0], f"http://127.0.0.1:{httpd.server_port}/store", timeout=2)
    assert time.monotonic() - started < 10


def test_a_huge_error_body_is_read_only_in_part(seed_build, server):
    httpd, handler = server
    handler.behaviour = "huge"
    with pytest.raises(Unfinished, match="HTTP 500"):
        push(seed_build[0], f"http://127.0.0.1:{httpd.server_port}/store", timeout=60)
    time.sleep(0.5)
    assert handler.sent < 64 << 20  # the connection was closed long before 6 GB


@pytest.mark.parametrize("endpoint, words", [
    ("ftp://admin:s3cret@127.0.0.1/x", ["credentials"]),
    ("http://admin:s3cret@127.0.0.1:9/x", ["credentials"]),
    ("http://127.0.0.1:99999/x", ["port"]),
    ("gopher://127.0.0.1/x", ["not an http(s) endpoint"]),
])
def test_bad_endpoints_are_one_line_without_credentials(seed_build, endpoint, words):
    res = CliRunner().invoke(main, ["push", str(seed_build[0]), "--endpoint", endpoint])
    assert res.exit_code == 2 and len(res.output.splitlines()) == 1
    assert "s3cret" not in res.output and all(w in res.output for w in words)


# 13 (queries) -------------------------------------------------------------------------------
def test_a_binary_query_file_is_one_line(seed_build, tmp_path):
    f = tmp_path / "q.rq"
    f.write_bytes(b"\x00\xff\xfe\x81binary")
    res = CliRunner().invoke(main, ["query", str(seed_build[0]), "--file", str(f)])
    assert res.exit_code == 2 and "not a UTF-8 text file" in res.output and len(res.output.splitlines()) == 1


def test_an_unknown_prefix_reads_as_one_sentence(seed_build):
    res = CliRunner().invoke(main, ["query", str(seed_build[0]), "SELECT ?x WHERE { ?x a foo:Bar }"])
    assert res.exit_code == 2 and "line 1, column" in res.output and "not declared" in res.output
    assert len(res.output.splitlines()) == 1


def test_the_usual_prefixes_need_no_declaration(seed_build):
    q = "SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }"
    for graph in (seed_build[0], seed_build[0] / "graph.ttl"):
        res = CliRunner().invoke(main, ["query", str(graph), q, "--format", "csv"])
        assert res.exit_code == 0 and "姜正新" in res.output


# 15 ------------------------------------------------------------------------------------------
def test_a_trig_export_is_queried_as_a_whole_dataset(seed_build, tmp_path):
    trig = tmp_path / "export.trig"
    assert CliRunner().invoke(main, ["export", str(seed_build[0]), "--format", "trig", "--out", str(trig)]).exit_code == 0
    for preset in ("signings", "positions", "entities"):
        from_trig = CliRunner().invoke(main, ["query", str(trig), "--preset", preset, "--format", "csv"]).output
        from_build = CliRunner().invoke(main, ["query", str(seed_build[0]), "--preset", preset, "--format", "csv"]).output
        assert sorted(from_trig.splitlines()) == sorted(from_build.splitlines()) and len(from_trig.splitlines()) > 1


# 16 ------------------------------------------------------------------------------------------
def test_control_characters_reach_a_terminal_escaped(tmp_path):
    import pty
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "\\u001b[31mred\\u001b]0;title\\u0007", "text": "安平市人民政府与长林科技有限公司签署战略合作协议。"}\n',
                      encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(corpus), "--out", str(out)]).exit_code == 0
    for command in (["query", str(out), "--preset", "signings"], ["signings", str(out)]):
        leader, follower = pty.openpty()
        proc = subprocess.Popen(KG + command, cwd=ROOT, stdout=follower, stderr=follower)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=60)
        os.close(leader)
        assert b"\x1b[31m" not in seen and b"\x07" not in seen
        assert b"\\x1b[31mred" in seen


# 17 ------------------------------------------------------------------------------------------
def test_jiebas_cache_lives_in_the_users_own_folder(tmp_path):
    shared_tmp = tmp_path / "shared-tmp"
    shared_tmp.mkdir()
    planted = shared_tmp / "jieba.cache"
    planted.write_bytes(b"planted by another user")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), TMPDIR=str(shared_tmp))
    proc = subprocess.run(KG + ["build", str(ROOT / "seeds"), "--out", str(tmp_path / "out")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr and "cache" not in proc.stderr.lower()
    cache = tmp_path / "cache" / "zhitu"
    assert [p.name for p in cache.iterdir()] and oct(cache.stat().st_mode & 0o777) == "0o700"
    assert planted.read_bytes() == b"planted by another user"


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    from graph.segment import cache_dir
    shared = tmp_path / "zhitu"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Path(cache_dir()) != shared
