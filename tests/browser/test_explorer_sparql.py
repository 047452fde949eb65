"""The explorer's SPARQL console and publication panel in a real, offline Chromium.

The page is built from the same dataset ``ldnkg query`` loads, so every named query must give in
the page exactly the answer of ``ldnkg query NAME --format json`` (the same Python code path:
``run(ds, NAME).serialize("json")``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ldnkg.export.explorer import write_explorer
from ldnkg.export.wasm import WasmUnavailable, oxigraph_bundle
from ldnkg.graph.load import load
from ldnkg.graph.project import claim_records, entity_records, to_networkx
from ldnkg.graph.sparql import named_queries, run
from ldnkg.namespaces import LDN

pytestmark = pytest.mark.browser

TLR4 = str(LDN.TLR4)
XSS = "<img src=x onerror=alert(1)>"


def _bundle_or_skip() -> None:
    """The console needs the oxigraph npm package: skip without it, but fail under CI."""
    try:
        oxigraph_bundle()
    except WasmUnavailable as why:
        if os.environ.get("CI"):
            pytest.fail(f"the oxigraph npm package is not available: {why} (required when CI is set)")
        pytest.skip(f"the oxigraph npm package is not available: {why}")


@pytest.fixture(scope="module")
def ds() -> Any:
    return load()


@pytest.fixture(scope="module")
def graph(ds: Any) -> nx.MultiDiGraph:
    return to_networkx(ds)


@pytest.fixture(scope="module")
def console_page(ds: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _bundle_or_skip()
    path = tmp_path_factory.mktemp("sparql") / "explorer.html"
    write_explorer(ds, path)
    return path


@pytest.fixture
def page(console_page: Path, open_page: Any) -> Any:
    opened = open_page(console_page)
    assert opened.js("ldnkg.sparql.ready()") is True
    return opened


def _norm_bindings(bindings: list[dict]) -> Counter:
    return Counter(json.dumps(b, sort_keys=True) for b in bindings)


def _term_dict(term: Any) -> dict:
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _clean(page: Any) -> None:
    assert page.blocked == [] and page.errors == [] and page.dialogs == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in page.requested)


def test_every_named_query_gives_the_rows_of_ldnkg_query(page: Any, ds: Any):
    mismatches = []
    for nq in named_queries():
        got = page.js("(n) => ldnkg.sparql.run(n)", nq.name)
        assert got["ok"], f"{nq.name}: {got.get('error')}"
        expected = run(ds, nq.name)
        if expected.kind == "graph":
            assert got["kind"] == "graph"
            want = Counter(json.dumps([_term_dict(t) for t in triple], sort_keys=True)
                           for triple in expected.graph)
            have = Counter(json.dumps(t, sort_keys=True) for t in got["triples"])
        else:
            doc = json.loads(expected.serialize("json"))
            assert got["kind"] == "select" and got["head"] == doc["head"]["vars"], nq.name
            want, have = _norm_bindings(doc["results"]["bindings"]), _norm_bindings(got["bindings"])
        if want != have or not want:
            mismatches.append(nq.name)
    assert mismatches == []
    _clean(page)


def test_text_typed_in_the_console_reads_no_hypothesis_as_fact(page: Any, ds: Any):
    """As in ``ldnkg query``: SPARQL text that names no dataset reads only what may be read as fact."""
    triple = ("<https://w3id.org/ldnkg/entity/CIRS> <https://w3id.org/ldnkg/ontology#subtypeOf> "
              "<https://w3id.org/ldnkg/entity/ImmuneDerangementSyndrome>")
    plain = page.js("(q) => ldnkg.sparql.run(q)", f"ASK {{ {triple} }}")
    assert plain["ok"] and plain["boolean"] is False
    hyp = "<https://w3id.org/ldnkg/graph/hypotheses>"
    named = page.js("(q) => ldnkg.sparql.run(q)", f"ASK {{ GRAPH {hyp} {{ {triple} }} }}")
    assert named["ok"] and named["boolean"] is True
    assert run(ds, f"ASK {{ {triple} }}").boolean is False  # the same answer as the command
    _clean(page)


def test_parameters_from_the_form_are_substituted_like_the_cli(page: Any, ds: Any):
    page.page.click("#ldnkg-sparql > summary")
    page.page.select_option("#ldnkg-q-name", "mechanisms-for-condition")
    assert page.page.text_content("#ldnkg-q-desc") == next(
        q.description for q in named_queries() if q.name == "mechanisms-for-condition")
    page.page.fill("#ldnkg-q-params input[data-param=condition]", "ldn:Migraine")
    page.page.click("#ldnkg-q-run")
    page.page.wait_for_function("document.querySelector('#ldnkg-q-summary').textContent !== ''")
    expected = run(ds, "mechanisms-for-condition", params={"condition": "ldn:Migraine"})
    assert page.page.locator("#ldnkg-q-results tbody tr").count() == len(expected.rows) > 0
    # a bare name is taken in the ldn: namespace, as on the command line
    bare = page.js("ldnkg.sparql.run('mechanisms-for-condition', {condition: 'Migraine'})")
    assert len(bare["bindings"]) == len(expected.rows)
    _clean(page)


def test_an_iri_in_the_results_selects_and_focuses_its_node(page: Any):
    page.page.click("#ldnkg-sparql > summary")
    page.page.select_option("#ldnkg-q-name", "conditions-via-tlr4")
    page.page.click("#ldnkg-q-run")
    link = page.page.locator("#ldnkg-q-results a.ldnkg-iri").first
    link.wait_for()
    iri = link.evaluate("a => a.parentElement.dataset.iri")
    link.click()
    assert page.js("network.getSelectedNodes()") == [iri]
    assert page.page.get_attribute("#ldnkg-details", "data-node") == iri
    _clean(page)


def test_highlight_selects_exactly_the_result_iris_drawn(page: Any, ds: Any,
                                                        graph: nx.MultiDiGraph):
    page.page.click("#ldnkg-sparql > summary")
    page.page.select_option("#ldnkg-q-name", "conditions-per-role")
    page.page.click("#ldnkg-q-run")
    page.page.wait_for_function("!document.querySelector('#ldnkg-q-highlight').disabled")
    page.page.click("#ldnkg-q-highlight")
    named = {str(t) for row in run(ds, "conditions-per-role").rows for t in row if t is not None}
    expected = named & set(graph.nodes)
    assert expected and set(page.js("network.getSelectedNodes()")) == expected
    dimmed = page.js("network.body.data.nodes.get().filter(n => n.opacity < 1).map(n => n.id)")
    assert set(dimmed) == set(graph.nodes) - expected
    _clean(page)


def test_a_construct_result_is_drawn_as_a_subgraph(page: Any, ds: Any, graph: nx.MultiDiGraph):
    got = page.js("ldnkg.sparql.run('neighbourhood').then(r => ldnkg.sparql.show(r))")
    assert got["kind"] == "graph"
    triples = run(ds, "neighbourhood").graph
    ends = {str(x) for s, _, o in triples for x in (s, o)} & set(graph.nodes)
    highlight = page.js("ldnkg.state.highlight")
    assert set(highlight["nodes"]) == ends and str(LDN.TLR4Blockade) in ends
    expected_edges = page.js("""(ids) => network.body.data.edges.get()
        .filter(e => ids.some(t => t[0] === e.from && t[2] === e.to && t[1].endsWith('#' + e.pred)))
        .map(e => e.id)""", [[str(s), str(p), str(o)] for s, p, o in triples])
    assert set(highlight["edges"]) == set(expected_edges) and expected_edges
    _clean(page)


#: Holds the graph back: its data element is renamed as the parser inserts it, before
#: explorer-fill.js (the next script) reads it, so the network stays empty until released.
HOLD_GRAPH = """new MutationObserver(function (records) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.id === 'ldnkg-graph') { n.id = 'ldnkg-graph-held'; } }); });
}).observe(document, { childList: true, subtree: true });"""

RELEASE_GRAPH = """() => { const data = document.getElementById('ldnkg-graph-held'); data.id = 'ldnkg-graph';
  const fill = document.createElement('script'); fill.textContent = data.nextElementSibling.textContent;
  document.body.appendChild(fill); }"""


def test_the_console_answers_before_the_graph_is_drawn(console_page: Path, open_page: Any, graph: nx.MultiDiGraph):
    """The console comes before the graph and does not wait for it (a big graph takes seconds to
    build): with the graph held back, a query typed into the console is answered, its IRIs as plain
    text; once the graph is in, the same result links its IRIs to their nodes."""
    page = open_page(console_page, ready=False, init=HOLD_GRAPH)
    page.page.wait_for_function("window.ldnkg !== undefined && window.ldnkg.sparql !== undefined")
    rows = page.js("""(q) => { document.getElementById('ldnkg-q-text').value = q;
        return ldnkg.sparql.runForm().then(r => r.bindings.length); }""",
                   "SELECT ?x WHERE { ldn:LDN ldno:actsThrough ?x }")
    assert rows > 0
    assert page.js("document.querySelectorAll('#ldnkg-q-results tbody tr').length") == rows
    assert page.js("document.querySelectorAll('#ldnkg-q-results a.ldnkg-iri').length") == 0
    assert page.js("[network.body.data.nodes.length, window.ldnkg.ready === true]") == [0, False]
    page.js(RELEASE_GRAPH)
    page.page.wait_for_function("window.ldnkg.ready === true")
    assert page.js("network.body.data.nodes.length") == graph.number_of_nodes()
    assert page.js("document.querySelectorAll('#ldnkg-q-results a.ldnkg-iri').length") == rows
    # the one error is the fill that found no data while it was held
    assert len(page.errors) == 1 and "textContent" in page.errors[0]
    assert page.blocked == [] and page.dialogs == []


def test_a_malformed_query_shows_the_parsers_message(page: Any):
    page.page.click("#ldnkg-sparql > summary")
    page.page.fill("#ldnkg-q-text", "SELECT ?x WHERE {\n  ?x ldno:hasRole \n")
    page.page.click("#ldnkg-q-run")
    page.page.wait_for_function("document.querySelector('#ldnkg-q-error').textContent !== ''")
    message = page.page.text_content("#ldnkg-q-error")
    assert message.startswith("malformed query at line ") and "column" in message
    assert page.page.is_visible("#ldnkg-q-error")
    assert page.page.locator("#ldnkg-q-results *").count() == 0
    _clean(page)


def test_a_long_query_can_be_cancelled_and_the_console_still_works(page: Any):
    page.page.click("#ldnkg-sparql > summary")
    page.page.fill("#ldnkg-q-text", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    page.page.click("#ldnkg-q-run")
    page.page.wait_for_function("!document.querySelector('#ldnkg-q-cancel').disabled")
    page.page.wait_for_timeout(300)
    page.page.click("#ldnkg-q-cancel")
    page.page.wait_for_function("document.querySelector('#ldnkg-q-error').textContent !== ''")
    assert "cancelled" in page.page.text_content("#ldnkg-q-error")
    again = page.js("ldnkg.sparql.run('role-cycle')")
    assert again["ok"] and len(again["bindings"]) == 3
    _clean(page)


def test_query_this_entity_lists_its_claims_and_neighbours(page: Any, ds: Any):
    page.js(f"ldnkg.select('{TLR4}')")
    page.page.click("#ldnkg-details .ldnkg-query-entity")
    page.page.wait_for_function("document.querySelector('#ldnkg-q-summary').textContent !== ''")
    claims = [c for c in claim_records(ds) if TLR4 in (c["subject"], c["object"])]
    assert page.page.locator("#ldnkg-q-results tbody tr").count() == len(claims) > 0
    neighbours = {c["subject"] for c in claims} | {c["object"] for c in claims
                                                  if not c["object_is_literal"]}
    assert set(page.js("ldnkg.state.highlight.nodes")) == neighbours
    _clean(page)


# --------------------------------------------------------------------------- markup in the data


@pytest.fixture
def xss_page(ontology_copy: Path, tmp_path: Path) -> Path:
    _bundle_or_skip()
    probe = ontology_copy / "knowledge" / "three-roles-of-ldn" / "zz-xss-probe.ttl"
    probe.write_text(f'''@prefix ldn:  <https://w3id.org/ldnkg/entity/> .
@prefix ldno: <https://w3id.org/ldnkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ldn:XssProbe a ldno:Symptom ; rdfs:label "{XSS}" ;
    skos:definition "</script><script>alert(2)</script><!-- <script>"@en .
''', encoding="utf-8")
    out = tmp_path / "xss.html"
    write_explorer(load(ontology_copy), out)
    return out


def test_markup_in_literals_cannot_break_out_of_the_embedded_data(xss_page: Path, open_page: Any):
    page = open_page(xss_page)
    assert page.js("ldnkg.sparql.ready()") is True
    got = page.js("(q) => ldnkg.sparql.run(q).then(r => ldnkg.sparql.show(r))",
                  "SELECT ?l ?d WHERE { ldn:XssProbe rdfs:label ?l ; skos:definition ?d }")
    assert [b["l"]["value"] for b in got["bindings"]] == [XSS]
    assert got["bindings"][0]["d"]["value"] == "</script><script>alert(2)</script><!-- <script>"
    cells = page.page.locator("#ldnkg-q-results td").all_text_contents()
    assert XSS in cells
    assert page.js("document.querySelectorAll('img').length") == 0
    scripts = page.js("Array.from(document.scripts).map(s => s.type || 'js')")
    assert scripts.count("js") == page.js("document.querySelectorAll('script:not([type])').length")
    assert page.js("document.getElementById('ldnkg-nquads').nextElementSibling.id") == \
        "ldnkg-queries"
    _clean(page)


# --------------------------------------------------------------------------- publications (#7)


def test_a_study_shows_its_candidate_publication_with_grade_and_links(page: Any, ds: Any):
    study = str(LDN.Study1999Animal)
    record = entity_records(ds)[study]
    page.js(f"ldnkg.showNode('{study}')")
    box = page.page.locator("#ldnkg-details .ldnkg-citation").first
    assert box.get_attribute("data-grade") == record["best_match_grade"] == "exact"
    text = box.text_content()
    cit = record["citations"][0]
    assert "Sacerdote" in text and cit["label"] in text and cit["title"] in text
    hrefs = box.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs == cit["links"] and all(h.startswith("https://") for h in hrefs)
    _clean(page)


def test_a_claim_backed_by_a_study_shows_the_publication(page: Any):
    eid, claim = page.js("""(() => { const D = ldnkg.data;
        const e = network.body.data.edges.get().find(x => x.claims.some(ci =>
            D.claims[ci].grade === 'exact'));
        return [e.id, D.claims[e.claims.find(ci => D.claims[ci].grade === 'exact')]]; })()""")
    page.js(f"ldnkg.showEdge('{eid}')")
    grades = page.page.locator("#ldnkg-details .ldnkg-citation").evaluate_all(
        "bs => bs.map(b => b.dataset.grade)")
    assert "exact" in grades and claim["citations"]
    _clean(page)


def _visible_edges_pass(graph: nx.MultiDiGraph, keep) -> tuple[set, int]:
    kept = {(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
            if any(keep(c) for c in d["claims"])}
    hidden = {n for n in graph if graph.degree(n) > 0 and not any(
        (u, v, k) in kept for u, v, k in [*graph.in_edges(n, keys=True),
                                         *graph.out_edges(n, keys=True)])}
    return set(graph) - hidden, len(kept)


@pytest.mark.parametrize(("option", "keep"), [
    ("exact", lambda c: c.get("best_match_grade") == "exact"),
    ("linked", lambda c: any(x.get("publication") for x in c.get("citations") or [])),
])
def test_the_publication_filter_keeps_only_matching_claims(page: Any, graph: nx.MultiDiGraph,
                                                           option: str, keep: Any):
    page.page.click("#ldnkg-filters > summary")  # the filters start folded
    page.page.select_option("#ldnkg-publication", option)
    nodes, n_edges = _visible_edges_pass(graph, keep)
    assert 0 < n_edges < graph.number_of_edges()
    assert set(page.js("network.body.nodeIndices")) == nodes
    assert len(page.js("network.body.edgeIndices")) == n_edges
    page.page.click("#ldnkg-reset")
    assert len(page.js("network.body.edgeIndices")) == graph.number_of_edges()
    _clean(page)
