"""The built explorer in a real (headless, offline) Chromium: what a user sees and can do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ldnkg.export.explorer import CATEGORIES, MECHANISM_PREDICATES, resolve_entity
from ldnkg.export.explorer_data import claim_rank
from ldnkg.graph.load import load
from ldnkg.graph.project import claim_records, to_networkx
from ldnkg.namespaces import LDN

pytestmark = pytest.mark.browser

FIBRO = str(LDN.Fibromyalgia)
TLR4 = str(LDN.TLR4)
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return to_networkx(load())


@pytest.fixture
def page(built: Path, open_page: Any) -> Any:
    return open_page(built / "explorer.html")


def _visible(page: Any) -> set[str]:
    return set(page.js("network.body.nodeIndices"))


def test_draws_every_node_and_edge_offline_without_errors(page: Any, graph: nx.MultiDiGraph):
    counts = page.js("""[network.body.data.nodes.length, network.body.nodeIndices.length,
                         network.body.data.edges.length, network.body.edgeIndices.length]""")
    assert counts == [graph.number_of_nodes()] * 2 + [graph.number_of_edges()] * 2
    assert set(page.js("network.body.data.nodes.getIds()")) == set(graph.nodes)
    assert page.blocked == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in page.requested)
    assert page.errors == []


def test_search_tlr4_focuses_and_selects_it(page: Any):
    page.page.fill("#ldnkg-search", "TLR4")
    page.page.press("#ldnkg-search", "Enter")
    assert page.js("network.getSelectedNodes()") == [TLR4]
    assert page.page.text_content("#ldnkg-details h2") == "TLR4"
    centre = page.js("network.getViewPosition()")
    where = page.js(f"network.getPositions(['{TLR4}'])['{TLR4}']")
    assert abs(centre["x"] - where["x"]) < 1 and abs(centre["y"] - where["y"]) < 1


def test_search_finds_synonyms(page: Any, graph: nx.MultiDiGraph):
    node, synonym = next((n, d["synonyms"][0]) for n, d in sorted(graph.nodes(data=True))
                         if d["synonyms"] and all(
                             d["synonyms"][0].casefold() != str(e.get("label", "")).casefold()
                             for _, e in graph.nodes(data=True)))
    assert page.js("(q) => ldnkg.search(q)", synonym) == node


def test_clicking_fibromyalgia_shows_its_claims_with_evidence_and_locator(page: Any):
    page.js(f"network.focus('{FIBRO}', {{scale: 1.5, animation: false}})")
    box = page.page.locator("#mynetwork").bounding_box()
    dom = page.js(f"network.canvasToDOM(network.getPositions(['{FIBRO}'])['{FIBRO}'])")
    page.page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])
    assert page.page.text_content("#ldnkg-details h2") == "fibromyalgia"
    expected = [c for c in claim_records(load()) if FIBRO in (c["subject"], c["object"])]
    shown = page.page.locator("#ldnkg-details .ldnkg-claim")
    assert shown.count() == len(expected) > 3
    by_iri = {c["claim"]: c for c in expected}
    for i in range(shown.count()):
        item = shown.nth(i)
        claim = by_iri[item.get_attribute("data-claim")]
        text = item.text_content()
        assert claim["evidence_label"] in text and claim["evidence"] in text
        assert f"{claim['section']}, paragraph {claim['paragraph']}" in text
        assert claim["certainty"] in text and claim["asserter"] in text
    # built with --source: the verbatim quotes are shown
    assert page.page.locator("#ldnkg-details blockquote").count() == len(expected)


def test_clicking_an_edge_shows_its_claims(page: Any, graph: nx.MultiDiGraph):
    edge_id, data = page.js("""(() => { const e = network.body.data.edges.get()
        .find(x => x.claims.length > 1); return [e.id, e]; })()""")
    page.js(f"ldnkg.showEdge('{edge_id}')")
    assert page.page.locator("#ldnkg-details .ldnkg-claim").count() == len(data["claims"])
    u, v = data["from"], data["to"]
    assert sum(len(d["claims"]) for d in graph.get_edge_data(u, v).values()) >= len(data["claims"])


def test_legend_class_filter_hides_exactly_that_class(page: Any, graph: nx.MultiDiGraph):
    page.page.click("#ldnkg-legend > summary")
    page.page.uncheck("#ldnkg-legend input[data-category=study]")
    study_kinds = set(CATEGORIES["study"][3])
    expected = {n for n, d in graph.nodes(data=True) if d["kind"] not in study_kinds}
    assert _visible(page) == expected != set(graph.nodes)
    page.page.check("#ldnkg-legend input[data-category=study]")
    assert _visible(page) == set(graph.nodes)


def test_hiding_hypothesis_only_hides_exactly_what_rests_on_hypotheses(page: Any,
                                                                       graph: nx.MultiDiGraph):
    worst = max(c["certainty_rank"] for *_, d in graph.edges(data=True) for c in d["claims"])
    page.page.click("#ldnkg-filters > summary")
    page.page.select_option("#ldnkg-certainty", str(worst - 1))
    kept_edges = {(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
                  if any(c["certainty_rank"] < worst for c in d["claims"])}
    hidden = {n for n in graph if graph.degree(n) > 0 and not any(
        (u, v, k) in kept_edges for u, v, k in [*graph.in_edges(n, keys=True),
                                               *graph.out_edges(n, keys=True)])}
    assert hidden, "the graph has hypothesis-only entities"
    assert _visible(page) == set(graph) - hidden
    assert len(page.js("network.body.edgeIndices")) == len(kept_edges)


def _best_supported(graph: nx.MultiDiGraph, a: str, b: str, *, mechanisms: bool = False) -> tuple[int, set[str]]:
    """The weakest evidence level the best path needs, and the nodes of the shortest such paths."""
    for level in range(1, 8):
        g = nx.DiGraph((u, v) for u, v, d in graph.edges(data=True) if not d["negated"]
                       and min(claim_rank(c) for c in d["claims"]) <= level
                       and (not mechanisms or d["predicate"].rsplit("#", 1)[-1] in MECHANISM_PREDICATES))
        if a in g and b in g and nx.has_path(g, a, b):
            return level, {n for p in nx.all_shortest_paths(g, a, b) for n in p}
    raise AssertionError("no path")


@pytest.mark.parametrize("target, mechanisms", [("fibromyalgia", False), ("multiple sclerosis", False),
                                                ("fibromyalgia", True)])
def test_path_is_the_best_supported_and_includes_direct_evidence(page: Any, graph: nx.MultiDiGraph,
                                                                 target: str, mechanisms: bool):
    page.page.click("#ldnkg-path-tool > summary")
    assert page.page.is_checked("#ldnkg-mech") is False  # direct evidence counts by default
    if mechanisms:
        page.page.check("#ldnkg-mech")
    page.page.fill("#ldnkg-from", "LDN")
    page.page.fill("#ldnkg-to", target)
    page.page.click("#ldnkg-path-btn")
    end = resolve_entity(graph, target)
    level, expected = _best_supported(graph, str(LDN.LDN), end, mechanisms=mechanisms)
    highlight = page.js("ldnkg.state.highlight")
    assert set(highlight["nodes"]) == expected
    dimmed = page.js("network.body.data.nodes.get().filter(n => n.opacity < 1).map(n => n.id)")
    assert set(dimmed) == set(graph) - expected
    # the panel tells the chain with the evidence of every step, and the level it rests on
    assert page.page.locator("#ldnkg-details h3").count() == len(highlight["edges"])
    assert page.page.get_attribute("#ldnkg-details .ldnkg-summary .ldnkg-scale", "data-level") == str(level)
    assert "Evidence:" in page.page.text_content("#ldnkg-details")
    if target == "fibromyalgia" and not mechanisms:  # the direct clinical-trial edge
        assert level == 1 and len(expected) == 2


def test_neighbourhood_focus_shows_k_hops(page: Any, graph: nx.MultiDiGraph):
    page.js(f"ldnkg.select('{TLR4}')")
    page.page.click("#ldnkg-neighbourhood > summary")
    page.page.select_option("#ldnkg-depth", "1")
    page.page.click("#ldnkg-focus-btn")
    expected = set(nx.single_source_shortest_path_length(graph.to_undirected(), TLR4, cutoff=1))
    assert _visible(page) == expected


def test_physics_can_be_turned_on(page: Any):
    assert page.js("network.physics.options.enabled") is False
    page.page.check("#ldnkg-physics")
    assert page.js("network.physics.options.enabled") is True


@pytest.fixture
def xss_explorer(ontology_copy: Path, tmp_path: Path) -> Path:
    from ldnkg.build import build

    probe = ontology_copy / "knowledge" / "three-roles-of-ldn" / "zz-xss-probe.ttl"
    probe.write_text(f'''@prefix ldn:  <https://w3id.org/ldnkg/entity/> .
@prefix ldno: <https://w3id.org/ldnkg/ontology#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa:   <http://www.w3.org/ns/oa#> .
@prefix src:  <https://w3id.org/ldnkg/source/> .
@prefix claim: <https://w3id.org/ldnkg/claim/three-roles-of-ldn/> .
@prefix ECO:  <http://purl.obolibrary.org/obo/ECO_> .
ldn:XssProbe a ldno:Symptom ; rdfs:label "{XSS}" ;
    skos:definition "</script><script>alert(2)</script>"@en .
claim:zz-xss a ldno:Claim ;
    rdf:subject ldn:LDN ; rdf:predicate ldno:ameliorates ; rdf:object ldn:XssProbe ;
    ldno:paraphrase "<b onmouseover=alert(3)>test-only</b>"@en ;
    ldno:evidence ECO:0000204 ; ldno:asserter ldno:ScientificBackground ; ldno:certainty ldno:Established ;
    prov:wasDerivedFrom src:three-roles-of-ldn ; prov:wasAttributedTo ldn:YoonHangKim ;
    ldno:locator claim:zz-xss-locator .
claim:zz-xss-locator a ldno:TextLocator ;
    ldno:inDocument src:three-roles-of-ldn ; ldno:section "Introduction" ; ldno:paragraph 5 ;
    oa:start 361 ; oa:end 613 ;
    ldno:spanSha256 "b7a70ed8c5b065215dd38e0bb21fa521aa24c59735d2f91db311875a869de594" .
''', encoding="utf-8")
    out = tmp_path / "out"
    build(out, root=ontology_copy, writers=[("explorer.html", _write_explorer)])
    return out / "explorer.html"


def _write_explorer(ds: Any, path: Path) -> None:
    from ldnkg.export.explorer import write_explorer

    write_explorer(ds, path)


def test_markup_in_labels_is_shown_as_text_and_never_runs(xss_explorer: Path, open_page: Any):
    page = open_page(xss_explorer)
    iri = str(LDN.XssProbe)
    assert page.js(f"network.body.data.nodes.get('{iri}').label") == XSS
    assert page.js("(q) => ldnkg.search(q)", XSS) == iri
    assert page.page.text_content("#ldnkg-details h2") == XSS
    details = page.page.text_content("#ldnkg-details")
    assert "</script><script>alert(2)</script>" in details
    assert "<b onmouseover=alert(3)>test-only</b>" in details
    page.page.hover("#ldnkg-details .ldnkg-claim .para")
    assert page.js("document.querySelectorAll('img, b[onmouseover], script:not([type])').length") \
        == page.js("document.querySelectorAll('script:not([type])').length")
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.dialogs == [] and page.errors == [] and page.blocked == []
    assert not any(url.endswith("/x") for url in page.requested)
