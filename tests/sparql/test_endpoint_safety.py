"""The endpoint under a careless or hostile client (issue 11, findings 5–10): files, resource
limits, fair scheduling, HTTP parsing, the dataset, nesting, and the protocol details."""

from __future__ import annotations

import http.client
import json
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from tests.sparql.conftest import MAX_BYTES, busy_workers, wait_for
from tests.sparql.test_server import SLOW, get, request

pytestmark = pytest.mark.server

SD = "http://www.w3.org/ns/sparql-service-description#"


def doubling(times: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f'SELECT ?s{times} WHERE {{ BIND("xxxxxxxxxxxxxxxx" AS ?s0) {binds} }}'


def from_ip(server, ip: str, query: str, timeout: float = 30) -> tuple[int, float]:
    """GET a query from a given loopback source address (a distinct client); (status, seconds)."""
    host, port = server.base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(ip, 0))
    started = time.monotonic()
    try:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def raw(server, data: bytes, wait: float = 5) -> bytes:
    host, port = server.base.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def alive(server) -> bool:
    status, _, body = get(server, "ASK { ldn:LDN ?p ?o }")
    return status == 200 and json.loads(body)["boolean"] is True


# -- 5. nothing the client sends names a file ----------------------------------------------------

def test_a_query_file_path_is_not_read_and_reveals_nothing(server, tmp_path: Path):
    existing = tmp_path / "mine.rq"
    existing.write_text("ASK { ldn:LDN ?p ?o }\n", encoding="utf-8")
    answers = [get(server, str(path)) for path in (existing, tmp_path / "missing.rq")]
    assert [a[0] for a in answers] == [400, 400]
    assert answers[0][2] == answers[1][2]  # the same words whether the file exists or not
    assert "malformed query" in answers[0][2]
    status, _, _ = request(f"{server.base}/explorer?" + urllib.parse.urlencode({"query": str(existing)}))
    assert status == 400


# -- 6. resource limits --------------------------------------------------------------------------

def test_memory_bomb_kills_only_its_worker(server):
    status, _, body = get(server, doubling(26))
    assert status == 503 and ("memory limit" in body or "time limit" in body), body
    assert alive(server)


def test_result_size_is_capped_in_bytes(server):
    status, _, body = get(server, doubling(17))  # one row of 2 MiB, under the row limit
    assert status == 413 and f"limit of {MAX_BYTES}" in body
    assert alive(server)


# Order, not time: a probe is answered beside the abusers when no abusive query finished while it
# waited. A server that made it wait for a worker would answer it only after one of them finished
# (they run until the 3 s time limit kills them), however fast or loaded the machine is.

def test_abusive_clients_do_not_take_the_endpoint(server):
    rounds, per_round = 3, 3
    sent, finished = threading.Barrier(3), threading.Semaphore(0)
    done = [0]  # abusive queries answered so far
    lock = threading.Lock()

    def abuse(ip: str) -> None:
        for _ in range(rounds):
            sent.wait(60)  # both abusers start a query together, so both hold a worker meanwhile
            from_ip(server, ip, SLOW)
            with lock:
                done[0] += 1
            finished.release()

    abusers = [threading.Thread(target=abuse, args=(ip,), daemon=True) for ip in ("127.0.1.2", "127.0.1.3")]
    for t in abusers:
        t.start()
    probes = []  # (status, abusive queries answered while the probe waited)
    for _ in range(rounds):
        with lock:
            before_round = done[0]
        sent.wait(60)
        # both abusive queries are running on workers (round 1) or reach them now
        wait_for(lambda b=before_round: busy_workers(server) >= 2 or done[0] > b, "the abusive queries starting")
        for _ in range(per_round):
            with lock:
                before = done[0]
            status, _ = from_ip(server, "127.0.1.4", "ASK {}")
            with lock:
                probes.append((status, done[0] - before))
            time.sleep(0.1)
        for _ in abusers:  # this round's abusive queries end (time limit) before the next starts
            assert finished.acquire(timeout=60)
    for t in abusers:
        t.join(10)
    answered = [p for p in probes if p == (200, 0)]
    assert len(answered) >= len(probes) - 1, str(probes)  # one may lose the race by chance on a loaded machine


def test_one_client_never_holds_every_worker(server):
    order: list[str] = []
    lock = threading.Lock()

    def slow() -> None:
        status, _ = from_ip(server, "127.0.2.2", SLOW)
        with lock:
            order.append(f"slow {status}")

    with_threads = [threading.Thread(target=slow, daemon=True) for _ in range(4)]
    for t in with_threads:
        t.start()
    # the client holds every worker it may (two of three) before the other one asks
    wait_for(lambda: busy_workers(server) >= 2, "two slow queries running")
    status, _ = from_ip(server, "127.0.2.5", "ASK {}")
    with lock:
        order.append(f"probe {status}")
    # answered while the client's queries still ran, not when the time limit freed a worker
    assert order[0] == "probe 200", str(order)
    for t in with_threads:
        t.join(15)


# -- 7. HTTP parsing by h11 ------------------------------------------------------------------------

@pytest.mark.parametrize("length", [b"Content-Length: 6\r\nContent-Length: 7", b"Content-Length: +6",
                                    b"Content-Length: 0_6", b"Content-Length: abc"])
def test_malformed_content_length_is_refused(server, length):
    answer = raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n" + length + b"\r\n\r\nquery=")
    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
    assert alive(server)


def test_chunked_body_is_read_as_chunked(server):
    body = urllib.parse.urlencode({"query": "ASK { ldn:LDN ?p ?o }"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    answer = raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    assert answer.startswith(b"HTTP/1.1 200") and b'"boolean": true' in answer


def test_slow_headers_are_cut_off(server):
    host, port = server.base.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        closed, lines = False, 0
        try:
            while lines < 8 and not closed:  # one header line a second, never finished
                if select.select([s], [], [], 1)[0]:
                    closed = s.recv(100) == b""  # the server hung up (2 s header deadline)
                    continue
                s.sendall(b"X-Slow: 1\r\n")
                lines += 1
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        # cut off while the client was still sending its head, not after it gave up
        assert closed and lines < 8, lines


def test_foreign_host_header_is_refused(server):
    status, _, _ = request(f"{server.endpoint}?query=ASK%7B%7D", headers={"Host": "attacker.example"})
    assert status == 400


# -- 8. the query's own dataset -------------------------------------------------------------------

def test_from_is_honoured(server):
    count = "SELECT (COUNT(*) AS ?n) {0} WHERE {{ ?s ?p ?o }}"
    numbers = []
    for clause in ("", "FROM <https://w3id.org/ldnkg/graph/schema>"):
        _, _, body = get(server, count.format(clause))
        numbers.append(int(json.loads(body)["results"]["bindings"][0]["n"]["value"]))
    assert 0 < numbers[1] < numbers[0]
    _, _, body = get(server, "SELECT DISTINCT ?g FROM NAMED <https://w3id.org/ldnkg/graph/schema> "
                             "WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
        "https://w3id.org/ldnkg/graph/schema"]


# -- 9. deep nesting ------------------------------------------------------------------------------

def test_deep_nesting_is_refused_and_the_server_lives(server):
    status, _, body = get(server, "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000)
    assert status == 400 and "nests" in body, body
    assert alive(server)
    assert "Traceback" not in server.log.read_text()


def test_deep_nesting_in_ldnkg_query_is_one_line():
    from tests.sparql.conftest import ONTOLOGY_DIR

    done = subprocess.run([str(Path(sys.executable).with_name("ldnkg")), "query", "--ontology", str(ONTOLOGY_DIR),
                           "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done
    assert done.stderr.startswith("error:") and len(done.stderr.strip().splitlines()) == 1


# -- 10. the protocol -----------------------------------------------------------------------------

def test_cors_preflight(server):
    status = request(server.endpoint, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-custom"})
    assert status[0] == 200
    req = urllib.request.Request(server.endpoint, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-custom"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert "x-custom" in r.headers["Access-Control-Allow-Headers"].lower()
        assert "Access-Control-Allow-Credentials" not in r.headers


def test_service_description_at_the_endpoint(server):
    status, ctype, body = request(server.endpoint, headers={"Accept": "text/turtle"})
    assert status == 200 and ctype.startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    me = URIRef(server.endpoint)
    assert (me, URIRef(SD + "endpoint"), me) in g
    assert (me, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g


def test_406_when_accept_cannot_be_met(server):
    assert get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png")[0] == 406
    assert get(server, "ASK {}", "text/csv")[0] == 406  # no standard CSV for booleans
    assert get(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv")[0] == 406


def test_tsv_keeps_the_datatype(server):
    status, _, body = get(server, "SELECT ?n WHERE { BIND(57.0 AS ?n) }", "text/tab-separated-values")
    solutions = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV))
    assert status == 200 and solutions[0]["n"].datatype.value.endswith("#decimal")


def test_sparqlwrapper_default_construct_is_a_graph(server):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/ldnkg/entity/LDN> ?p ?o }")
    result = client.query().convert()
    assert isinstance(result, Graph) and len(result) > 3
