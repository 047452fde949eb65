"""``ldnkg serve`` with real clients (SPARQLWrapper, rdflib SPARQLStore, urllib): protocol,
content negotiation, refusals, limits, the query page, and a bounded concurrent load."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import Graph, URIRef

from ldnkg.graph.load import DATASET_GRAPHS
from ldnkg.graph.sparql import named_queries, prepare, run
from tests.sparql.helpers import json_rows, rows_of

pytestmark = pytest.mark.server

E = "https://w3id.org/ldnkg/entity/"
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def request(url: str, *, data: bytes | None = None, headers: dict | None = None,
            method: str | None = None) -> tuple[int, str, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode()


def get(server, query: str, accept: str = "application/sparql-results+json", **extra):
    args = urllib.parse.urlencode({"query": query, **extra}, doseq=True)
    return request(f"{server.endpoint}?{args}", headers={"Accept": accept})


def test_sparqlwrapper_select_every_named_query(server, ds):
    from SPARQLWrapper import JSON, SPARQLWrapper

    for q in named_queries():
        text, _ = prepare(q.name)
        embedded = run(ds, q.name)
        if embedded.kind != "select":
            continue
        client = SPARQLWrapper(server.endpoint)
        # a named query reads every graph; sent as text, the client names them (default-graph-uri)
        for name in DATASET_GRAPHS:
            client.addDefaultGraph(str(name))
        client.setQuery(text)
        client.setReturnFormat(JSON)
        assert json_rows(client.query().convert()) == rows_of(embedded), q.name


def test_sparqlwrapper_post_and_construct(server):
    from SPARQLWrapper import POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setMethod(POST)
    client.setQuery(prepare("neighbourhood")[0])
    client.setReturnFormat(TURTLE)
    g = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(E + "LDN"), None, URIRef(E + "TLR4Blockade")) in g


def test_rdflib_sparqlstore(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.endpoint, returnFormat="json")
    g = Graph(store=store)
    text = ("SELECT ?roleLabel WHERE { <https://w3id.org/ldnkg/entity/LDN> "
            "<https://w3id.org/ldnkg/ontology#hasRole> ?r . "
            "?r <http://www.w3.org/2000/01/rdf-schema#label> ?roleLabel }")
    result = g.query(text)
    assert not isinstance(result, tuple), result  # SPARQLStore returns a tuple on HTTP errors
    assert {str(r.roleLabel) for r in result} == {str(r["roleLabel"]) for r in __import__("ldnkg").query(text)}
    assert "immune modulation" in {str(r.roleLabel) for r in result}
    assert g.query("ASK { <https://w3id.org/ldnkg/entity/LDN> ?p ?o }").askAnswer is True


@pytest.mark.parametrize(("accept", "ctype", "check"), [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda body: json.loads(body)["results"]["bindings"]),
    ("application/sparql-results+xml", "application/sparql-results+xml",
     lambda body: "<results>" in body),
    ("text/csv", "text/csv", lambda body: body.startswith("trigger,triggerLabel")),
    ("text/tab-separated-values", "text/tab-separated-values",
     lambda body: body.startswith("?trigger\t")),
])
def test_select_content_negotiation(server, accept, ctype, check):
    status, got, body = get(server, prepare("triggers")[0], accept)
    assert status == 200 and got.startswith(ctype) and check(body)


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"),
                                             ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld"),
                                             ("application/rdf+xml", "xml"),
                                             ("application/n-quads", "nquads"),
                                             ("application/trig", "trig")])
def test_graph_content_negotiation(server, accept, fmt):
    status, got, body = get(server, prepare("neighbourhood")[0], accept)
    assert status == 200 and got.startswith(accept)
    from rdflib import Dataset

    assert len((Dataset() if fmt in ("nquads", "trig") else Graph()).parse(data=body, format=fmt)) > 5


def test_post_form_and_sparql_query_body(server):
    text = "ASK { ldn:LDN ldno:hasRole ldn:ImmuneModulation }"
    status, _, body = request(server.endpoint, data=urllib.parse.urlencode({"query": text}).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = request(server.endpoint, data=text.encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_default_and_named_graph_uri(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = int(json.loads(get(server, count)[2])["results"]["bindings"][0]["n"]["value"])
    status, _, body = get(server, count, **{"default-graph-uri": "https://w3id.org/ldnkg/graph/schema"})
    schema = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert status == 200 and 0 < schema < whole
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    _, _, body = get(server, named, **{"named-graph-uri": "https://w3id.org/ldnkg/graph/knowledge"})
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert graphs == ["https://w3id.org/ldnkg/graph/knowledge"]


def test_updates_are_refused(server):
    status, _, body = request(server.endpoint, data=urllib.parse.urlencode(
        {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode())
    assert status == 403 and "read-only" in body
    status, _, _ = request(server.endpoint, data=b"DROP ALL",
                           headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, body = get(server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert status == 403
    # nothing was written
    _, _, body = get(server, "ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(body)["boolean"] is False


def test_service_is_refused(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> "
                                  "{ ?s ?p ?o } }")
    assert status == 400 and "SERVICE" in body


def test_malformed_query_gives_400_with_position(server):
    status, _, body = get(server, "SELECT ?x\nWHERE { ?x ?y }")
    assert status == 400 and "line 2, column" in body


def test_time_limit_cancels_and_server_recovers(server):
    status, _, body = get(server, SLOW)
    assert status == 503 and "time limit of 3 s" in body
    # the killed worker is replaced: the endpoint keeps answering, twice in a row
    for _ in range(2):
        status, _, body = get(server, "ASK { ldn:LDN ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True


def test_row_limit(server):
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and f"more than {server.max_rows} rows" in body


def test_query_page_is_offline_and_lists_queries(server):
    status, ctype, body = request(server.base + "/")
    assert status == 200 and ctype.startswith("text/html")
    import re

    # no external scripts, styles, fonts or images: works offline
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", body)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", body)
    for q in named_queries():
        assert f'"name": "{q.name}"' in body
    status, _, body = request(server.base + "/queries")
    assert {q["name"] for q in json.loads(body)} == {q.name for q in named_queries()}


def test_explorer_link_opens_the_result_subgraph(server):
    status, ctype, body = request(server.base + "/explorer?query=role-cycle")
    assert status == 200 and ctype.startswith("text/html")
    assert "Neuroprotection" in body and "role-cycle" in body
    # a query parameter narrows the subgraph
    status, _, body = request(server.base + "/explorer?" + urllib.parse.urlencode(
        {"query": "co-therapies", "param.condition": "ldn:PancreaticCancer"}))
    assert status == 200 and "AlphaLipoicAcid" in body and "Ketotifen" not in body


def test_concurrent_load_8_clients_200_queries(server):
    texts = [prepare(q.name)[0] for q in named_queries() if q.name not in
             ("claims-with-locators", "evidence-gaps", "causal-chain")]

    def client(i: int) -> list[int]:
        # eight clients, eight addresses: the scheduler shares workers per address (one address
        # never holds every worker), so eight threads from one address would be one client
        import http.client

        accept = "application/sparql-results+json, text/turtle;q=0.5"
        split = urllib.parse.urlsplit(server.endpoint)
        conn = http.client.HTTPConnection(split.hostname, split.port, timeout=30,
                                          source_address=(f"127.0.0.{i + 2}", 0))
        statuses = []
        for k in range(200):
            conn.request("GET", f"{split.path}?{urllib.parse.urlencode({'query': texts[(i + k) % len(texts)]})}",
                         headers={"Accept": accept})
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
        return statuses

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for batch in pool.map(client, range(8)) for s in batch]
    assert len(statuses) == 1600 and set(statuses) == {200}
