"""Load a built graph into a SPARQL 1.1 Graph Store Protocol endpoint (Virtuoso, Fuseki,
GraphDB, Oxigraph server ...).

The first request PUTs (replacing the target graph), the rest POST (appending), each with at
most CHUNK triples as N-Triples, so a graph of any size goes up in requests of bounded size.
Credentials come only from the environment (ZHITU_SPARQL_USER, ZHITU_SPARQL_PASSWORD) and
are answered to Basic or Digest challenges; they never appear on the command line, in an
error message or in a log line.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .errors import Unfinished, UsageError

USER_VAR, PASSWORD_VAR = "ZHITU_SPARQL_USER", "ZHITU_SPARQL_PASSWORD"
CHUNK = 10_000  # triples a request (about 2 MB)


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graph: str | None
    triples: int
    requests: int
    seconds: float

    def summary(self) -> str:
        target = f"graph <{self.graph}>" if self.graph else "the default graph"
        return (f"pushed {self.triples} triples to {target} at {self.endpoint} "
                f"in {self.requests} request(s), {self.seconds:.1f} s")


TIMEOUT = 600.0  # seconds the whole push may take unless the user says otherwise
MAX_BODY = 1 << 20  # bytes of a response read: enough for any error message


def push(graph_path, endpoint: str, graph_iri: str | None = None, *, env=None, chunk: int = CHUNK,
         timeout: float = TIMEOUT) -> PushReport:
    env = os.environ if env is None else env
    url = check_endpoint(endpoint)
    deadline = time.monotonic() + timeout
    client = Client(url, env.get(USER_VAR), env.get(PASSWORD_VAR), deadline, timeout)
    target = endpoint + ("&" if "?" in endpoint else "?") + \
        (f"graph={quote(graph_iri, safe='')}" if graph_iri else "default")
    started, triples, requests = time.perf_counter(), 0, 0
    client.send(target, "HEAD")  # learns any challenge before a body is sent
    for n, body in enumerate(ntriples_chunks(graph_path, chunk)):
        _send(client, target, "PUT" if n == 0 else "POST", body)
        triples += body.count(b"\n")
        requests += 1
    return PushReport(client.shown, graph_iri, triples, requests, time.perf_counter() - started)


def check_endpoint(endpoint: str):
    """The endpoint's parts, checked before anything is sent or printed: credentials in the
    URL are refused without repeating the URL; a bad scheme or port is named."""
    parts = urlsplit(endpoint)
    if "@" in parts.netloc:
        raise UsageError(f"credentials do not belong in the endpoint URL; set {USER_VAR} and {PASSWORD_VAR} instead")
    shown = shown_url(parts)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{shown}: not an http(s) endpoint URL")
    try:
        parts.port
    except ValueError:
        raise UsageError(f"{shown}: the port is not a number from 1 to 65535") from None
    return parts


def shown_url(parts) -> str:
    """An endpoint as printed: scheme, host, port and path; never credentials or query."""
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ":?"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def ntriples_chunks(graph_path, size: int = CHUNK):
    """The graph as N-Triples in chunks of at most `size` lines, streamed from the store."""
    import pyoxigraph as ox

    from .query import open_graph
    source = open_graph(graph_path)
    triples = (q.triple for q in source.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    lines = []
    for t in triples:
        lines.append(f"{t} .\n")
        if len(lines) == size:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines or not size:
        yield "".join(lines).encode("utf-8")


class Client:
    """HTTP for the push, on http.client: answers a Basic or Digest challenge (RFC 7616, MD5,
    qop=auth) once, learned from a HEAD request, so that no large body is ever sent to be
    refused. (urllib's handlers re-send every body after its 401 and leak that response.)
    Every request ends by the push's deadline, however slowly a server answers (a watchdog
    closes the connection), and at most MAX_BODY bytes of an answer are read."""

    def __init__(self, parts, user: str | None, password: str | None, deadline: float, timeout: float):
        self.parts, self.shown = parts, shown_url(parts)
        self.user, self.password = user, password or ""
        self.deadline, self.timeout = deadline, timeout
        self.challenge: dict | None = None
        self.count = 0

    def send(self, url: str, method: str, body: bytes | None = None) -> tuple[int, bytes]:
        status, data, headers = self._once(url, method, body)
        if status == 401 and self.user is not None and self.challenge is None:
            self.challenge = _parse_challenge(headers.get("WWW-Authenticate", ""))
            if self.challenge is not None:
                status, data, _ = self._once(url, method, body)
        return status, data

    def _once(self, url: str, method: str, body: bytes | None):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise Unfinished(f"{self.shown}: no answer within {self.timeout:g} s (--timeout)")
        conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_type(parts.hostname, parts.port, timeout=remaining)
        headers = {"Content-Type": "application/n-triples; charset=utf-8"} if body is not None else {}
        if self.challenge is not None:
            headers["Authorization"] = self._authorization(method, path)
        expired = threading.Event()

        def watchdog():
            expired.set()
            if conn.sock is not None:
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        timer = threading.Timer(remaining, watchdog)
        timer.daemon = True
        timer.start()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read(MAX_BODY) if method != "HEAD" else b""
            if expired.is_set():
                raise TimeoutError
            return response.status, data, response.headers
        except (TimeoutError, socket.timeout):
            raise Unfinished(f"{self.shown}: no answer within {self.timeout:g} s (--timeout)") from None
        except (OSError, http.client.HTTPException) as err:
            if expired.is_set():
                raise Unfinished(f"{self.shown}: no answer within {self.timeout:g} s (--timeout)") from None
            why = getattr(err, "strerror", None) or type(err).__name__
            raise Unfinished(f"{self.shown}: cannot connect or read the answer ({why})") from None
        finally:
            timer.cancel()
            conn.close()

    def _authorization(self, method: str, path: str) -> str:
        c = self.challenge
        if c["scheme"] == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode("utf-8")).decode("ascii")
            return f"Basic {token}"
        self.count += 1
        nc, cnonce = f"{self.count:08x}", secrets.token_hex(8)
        ha1 = _md5(f"{self.user}:{c.get('realm', '')}:{self.password}")
        ha2 = _md5(f"{method}:{path}")
        if "auth" in c.get("qop", "").split(","):
            answer = _md5(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            answer, extra = _md5(f"{ha1}:{c['nonce']}:{ha2}"), ""
        opaque = f', opaque="{c["opaque"]}"' if "opaque" in c else ""
        return (f'Digest username="{self.user}", realm="{c.get("realm", "")}", nonce="{c["nonce"]}", '
                f'uri="{path}", response="{answer}", algorithm=MD5{extra}{opaque}')


def _parse_challenge(header: str) -> dict | None:
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() == "basic":
        return {"scheme": "basic"}
    if scheme.lower() != "digest":
        return None
    fields = {k: v for k, v in re.findall(r'(\w+)="?([^",]*)"?', rest)}
    if "nonce" not in fields or fields.get("algorithm", "MD5").upper() != "MD5":
        return None
    return {"scheme": "digest", **fields}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - Digest auth's own hash


def _send(client: Client, url: str, method: str, body: bytes) -> None:
    status, data = client.send(url, method, body)
    if status >= 300:
        hint = f" (set {USER_VAR} and {PASSWORD_VAR})" if status in (401, 403) else ""
        raise Unfinished(f"{client.shown}: {method} refused with HTTP {status}{hint}: {_reason(data, status)}")


def _reason(data: bytes, status: int) -> str:
    """The server's own words, one line, without markup (Virtuoso answers in HTML)."""
    text = data.decode("utf-8", "replace")
    text = re.sub(r"<(title|h1)>.*?</\1>", " ", text, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return text[:200] or http.client.responses.get(status, "")
