"""No query, by any route or engine, makes ldnkg connect anywhere (issue 11, finding 4).

A local listener records every connection and answers like a SPARQL endpoint (so a leak would
show in the answer). Each encoding below is sent through every route — the Python API and
``ldnkg query`` with both engines, and the server's GET, POST form, POST sparql-query and
``/explorer?sparql=`` — and the listener must see zero connections. The first three are the
issue's: a prefixed name ending in ``\\#`` or ``\\'`` and ``1SERVICE`` hid ``SERVICE`` from the
old regular-expression check.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldnkg.cli import main
from ldnkg.errors import LdnkgError
from ldnkg.graph.sparql import run
from tests.sparql.test_server import request

MARKER = "LEAKED-BY-THE-LISTENER"
ANSWER = json.dumps({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [
    {v: {"type": "literal", "value": MARKER} for v in ("s", "p", "o")}]}}).encode()

# URL is replaced by the listener's address; U by the same URL with '1' as \u0031 (escaped IRI)
ENCODINGS = [
    r"SELECT * WHERE { BIND(ldn:x\# AS ?z) SERVICE <URL> { ?s ?p ?o } }",
    r"SELECT * WHERE { BIND(ldn:x\' AS ?z) SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b 1SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "select * where { service <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "SELECT * WHERE { ?x ?y ?z FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?x ?y ?z FILTER NOT EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?x ?y ?z MINUS { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { { ?x ?y ?z } UNION { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { GRAPH ?g { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { BIND(<URL> AS ?svc) SERVICE ?svc { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?svc { <URL> } SERVICE ?svc { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053ERVICE <URL> { ?s ?p ?o } }",
    r"SELECT * WHERE { \U00000053ERVICE <URL> { ?s ?p ?o } }",
    r"SELECT * WHERE { ?x ?y ?z } # \u000A SERVICE <URL> { ?s ?p ?o }",
    "SELECT * WHERE { ?x ?y ?z . # a comment\nSERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { #}\nSERVICE <URL> { ?s ?p ?o } }",
    "PREFIX r: <URL> SELECT * WHERE { SERVICE r: { ?s ?p ?o } }",
    "BASE <URL> SELECT * WHERE { SERVICE <> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(\"} SERVICE\" AS ?q) SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND('''a\\''' AS ?q) SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <U> { ?s ?p ?o } }",
    "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * FROM <URL> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <URL> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?x ?y ?z\tSERVICE\n<URL>\n{ ?s ?p ?o } }",
]


class Listener:
    """A loopback TCP server that records each connection and answers like a SPARQL endpoint."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(ANSWER), ANSWER))
                except OSError:
                    pass

    def close(self) -> None:
        self._stop = True
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    spy = Listener()
    yield spy
    spy.close()


def _texts(url: str) -> list[str]:
    escaped = url.replace("1", "\\u0031")
    return [e.replace("<U>", f"<{escaped}>").replace("URL", url) for e in ENCODINGS]


@pytest.fixture(scope="module")
def nq(tmp_path_factory: pytest.TempPathFactory, ds) -> Path:
    from ldnkg.export.rdf import write_nquads

    path = tmp_path_factory.mktemp("ssrf") / "ldn.nq"
    write_nquads(ds, path)
    return path


def test_at_least_twenty_encodings():
    assert len(ENCODINGS) >= 20


def test_the_listener_records_a_connection(listener):
    """The test can fail: a plain connection is seen (and then not counted against the others)."""
    before = listener.connections
    with socket.create_connection(("127.0.0.1", int(listener.url.split(":")[2].split("/")[0])), timeout=2) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert MARKER.encode() in s.recv(65536)
    assert listener.connections == before + 1
    listener.connections = before


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_python_api(listener, ds, engine):
    for text in _texts(listener.url):
        try:
            result = run(ds, text, engine=engine)
        except LdnkgError:
            continue
        assert MARKER not in repr(result.rows) and "root:" not in repr(result.rows), text
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ldnkg_query(listener, nq, engine):
    runner = CliRunner()
    for text in _texts(listener.url):
        result = runner.invoke(main, ["query", text, "--engine", engine, "--data", str(nq), "-f", "csv"])
        assert "Traceback" not in result.output and MARKER not in result.output, (text, result.output)
        assert "root:" not in result.output
    assert listener.connections == 0


@pytest.mark.server
def test_every_server_route(listener, server):
    for text in _texts(listener.url):
        bodies = [
            request(f"{server.endpoint}?{urllib.parse.urlencode({'query': text})}"),
            request(server.endpoint, data=urllib.parse.urlencode({"query": text}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}),
            request(server.endpoint, data=text.encode(), headers={"Content-Type": "application/sparql-query"}),
            request(f"{server.base}/explorer?{urllib.parse.urlencode({'sparql': text})}"),
        ]
        for status, _, body in bodies:
            assert MARKER not in body and "root:x:" not in body, (text, status, body[:200])
            assert status < 500, (text, status, body[:200])
    assert listener.connections == 0
    assert "Traceback" not in server.log.read_text()


def _raw_service(url: str) -> str:
    """What a parser bug would let through: pyoxigraph asked for SERVICE directly, no guard."""
    import pyoxigraph as ox

    try:
        return repr(list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")))
    except OSError as err:
        return f"refused: {err}"


def _raw_socket(url: str) -> str:
    host, port = url.split("/")[2].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError as err:
        return f"refused: {err}"
    return "connected"


def test_second_wall_the_sandbox_alone_stops_connections(listener):
    from ldnkg.graph.sparql_sandbox import call_isolated

    assert call_isolated(_raw_socket, listener.url).startswith("refused")
    assert MARKER not in call_isolated(_raw_service, listener.url)
    assert listener.connections == 0
    # and outside the sandbox the same function does connect: the wall is what stops it
    assert _raw_socket(listener.url) == "connected"
    listener.connections = 0
