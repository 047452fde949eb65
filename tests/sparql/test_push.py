"""``ldnkg push`` is all or nothing, bounded in time and strict about its inputs (issue 11, finding 3).

A small in-process Graph Store + SPARQL server stands in for Virtuoso (which test_virtuoso.py
uses for real) so that failures can be injected at any step.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from ldnkg.cli import main
from ldnkg.errors import LdnkgError
from ldnkg.export.push import push

TARGET = "https://example.org/graph/target"
OLD = ["<urn:old:s> <urn:old:p> \"old\" ."]


class FakeStore(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.graphs: dict[str, set[str]] = {TARGET: set(OLD)}
        self.requests: list[str] = []
        self.fail_post_number: int | None = None
        self.posts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: FakeStore

    def log_message(self, *args) -> None:
        pass

    def _reply(self, code: int, body: bytes = b"", ctype: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> str:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()

    def _graph(self) -> str:
        return parse_qs(urlsplit(self.path).query)["graph"][0]

    def do_PUT(self) -> None:
        self.server.requests.append("PUT")
        self.server.graphs[self._graph()] = {line for line in self._body().splitlines() if line}
        self._reply(201)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/gsp":
            self.server.posts += 1
            self.server.requests.append("POST")
            body = self._body()
            if self.server.posts == self.server.fail_post_number:
                self._reply(500, b"disk full")
                return
            self.server.graphs.setdefault(self._graph(), set()).update(line for line in body.splitlines() if line)
            self._reply(204)
            return
        from rdflib.plugins.sparql.algebra import translateUpdate
        from rdflib.plugins.sparql.parser import parseUpdate

        update = parse_qs(self._body())["update"][0]
        self.server.requests.append("UPDATE")
        move = translateUpdate(parseUpdate(update)).algebra[0]
        assert move.name == "Move", update
        source, target = (str(iri) for iri in move["graph"])
        self.server.graphs[target] = self.server.graphs.pop(source)
        self._reply(204)

    def do_DELETE(self) -> None:
        self.server.requests.append("DELETE")
        self.server.graphs.pop(self._graph(), None)
        self._reply(204)

    def do_GET(self) -> None:
        args = parse_qs(urlsplit(self.path).query)
        n = len(self.server.graphs.get(args["default-graph-uri"][0], ()))
        doc = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": str(n)}}]}}
        self._reply(200, json.dumps(doc).encode(), "application/sparql-results+json")


@pytest.fixture
def store() -> Iterator[FakeStore]:
    server = FakeStore()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def data(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"urn:new:s{i}"), URIRef("urn:new:p"), Literal(i)))
    return g


def _push(store: FakeStore, graph: Graph, **kw):
    return push(graph, endpoint=f"{store.base}/gsp", graph=TARGET, query_endpoint=f"{store.base}/sparql",
                update_endpoint=f"{store.base}/update", chunk_size=10, **kw)


def test_push_replaces_the_graph_whole(store):
    assert _push(store, data(35)) == 35
    assert len(store.graphs[TARGET]) == 35 and not any("old" in t for t in store.graphs[TARGET])
    assert list(store.graphs) == [TARGET]  # no temporary graph left
    assert store.requests[0] == "PUT" and "UPDATE" in store.requests


def test_a_failure_after_the_first_chunk_leaves_the_old_graph(store):
    store.fail_post_number = 2
    with pytest.raises(LdnkgError, match=f"<{TARGET}> is unchanged .the partial upload was deleted"):
        _push(store, data(35))
    assert store.graphs == {TARGET: set(OLD)}


def test_a_trickling_server_cannot_hold_push():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    stop = threading.Event()

    def trickle() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"x")
                except OSError:
                    break
                time.sleep(0.5)
            conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    started = time.monotonic()
    try:
        with pytest.raises(LdnkgError, match="time limit of 2 s"):
            push(data(3), endpoint=f"{base}/gsp", graph=TARGET, timeout=2)
        assert time.monotonic() - started < 6
    finally:
        stop.set()
        sock.close()


@pytest.mark.parametrize("graph", ["x> } ; DROP ALL ; <y", "not an iri", "<urn:x>"])
def test_graph_must_be_an_iri_and_nothing_is_sent(store, graph):
    with pytest.raises(LdnkgError, match="--graph must be an absolute IRI"):
        push(data(3), endpoint=f"{store.base}/gsp", graph=graph)
    assert store.requests == []


@pytest.mark.parametrize("endpoint", ["not a url", "file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_only_http_endpoints(endpoint):
    result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", TARGET])
    assert result.exit_code == 1 and "must be an http:// or https:// URL" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
