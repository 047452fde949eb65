"""LDN sits at the hub: the article's central claim, checked three ways."""

from __future__ import annotations

import pytest

from ldnkg.graph.analysis import centrality_table, mechanism_hubs, most_central, toy_graph

E = "https://w3id.org/ldnkg/entity/"


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank"])
def test_ldn_is_the_most_central_entity(graph, measure):
    assert most_central(graph, by=measure, n=1) == [E + "LDN"]


def test_table_leaves_out_studies_and_people(graph):
    kinds = {r["kind"] for r in centrality_table(graph)}
    assert not kinds & {"Study", "Person", "Organisation", "Place"}


def test_tlr4_and_endorphin_pathways_are_mechanism_hubs(graph):
    top = {h["node"] for h in mechanism_hubs(graph, n=4)}
    assert {E + "TLR4Blockade", E + "EndorphinEnkephalinUpregulation"} <= top


def test_hub_of_a_star_wins_on_a_hand_worked_graph():
    star = toy_graph([("hub", "causes", x) for x in "abcd"] + [("a", "causes", "b")])
    rows = {r["node"]: r for r in centrality_table(star)}
    assert rows["hub"]["degree"] == 4 and rows["c"]["degree"] == 1
    # of the 6 pairs of other nodes, all but the adjacent a-b go through the hub
    assert rows["hub"]["betweenness"] == pytest.approx(5 / 6)


def test_igraph_betweenness_equals_networkx_on_a_graph_past_the_threshold(graph, monkeypatch):
    """networkx stays the reference for the igraph path that big graphs take."""
    import networkx as nx

    from ldnkg.graph.analysis import centrality
    from ldnkg.graph.analysis.paths import chain_graph
    from ldnkg.graph.analysis.views import knowledge_view, undirected_view

    monkeypatch.setattr(centrality, "IGRAPH_FROM", 3)
    for g in (undirected_view(knowledge_view(graph)), chain_graph(graph, via_subtypes=False)):
        want = nx.betweenness_centrality(g)
        got = centrality.betweenness(g)
        assert got.keys() == want.keys()
        assert all(got[n] == pytest.approx(want[n], abs=1e-12) for n in want)
        assert any(want.values())  # a graph where betweenness is not all zero
