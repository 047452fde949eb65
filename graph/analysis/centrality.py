"""Importance of entities: degree, betweenness and PageRank, and which mechanisms are hubs.

Centrality is computed on the undirected :func:`~ldnkg.graph.analysis.views.undirected_view`
of the :func:`~ldnkg.graph.analysis.views.knowledge_view`: a claim's direction is grammar
(subject and object), not a flow of importance, so direction is ignored. Mechanism hubs are
ranked on the *directed* chain graph instead, where betweenness counts the mechanism chains
that pass through a node.
"""

from __future__ import annotations

from typing import Any, Literal

import networkx as nx

from ldnkg.graph.analysis.paths import chain_graph
from ldnkg.graph.analysis.views import label, undirected_knowledge

__all__ = ["IGRAPH_FROM", "betweenness", "centrality_table", "mechanism_hubs", "most_central"]

Measure = Literal["degree", "betweenness", "pagerank"]

#: From this many nodes betweenness is computed by igraph; below, networkx is as fast as
#: importing igraph (half a second) and gives the same values.
IGRAPH_FROM = 400


def betweenness(graph: nx.Graph) -> dict[Any, float]:
    """Normalised betweenness of every node, as ``networkx.betweenness_centrality`` gives it;
    from :data:`IGRAPH_FROM` nodes computed exactly by igraph (C), the same Brandes algorithm,
    fast enough for a 100× graph (networkx took 20 s at 10×). ``tests/analysis/test_centrality.py``
    checks the two agree.

    >>> import networkx as nx
    >>> round(betweenness(nx.path_graph(3))[1], 3)
    1.0
    """
    nodes = list(graph)
    n = len(nodes)
    if n < IGRAPH_FROM:
        return nx.betweenness_centrality(graph)
    import igraph

    index = {v: i for i, v in enumerate(nodes)}
    directed = graph.is_directed()
    g = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in graph.edges() if u != v], directed=directed)
    # networkx counts each unordered pair twice on an undirected graph, igraph once
    scale = (1.0 if directed else 2.0) / ((n - 1) * (n - 2))
    return {v: raw * scale for v, raw in zip(nodes, g.betweenness(directed=directed), strict=True)}


def centrality_table(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Degree, betweenness and PageRank of every entity, most central (PageRank) first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph (:func:`ldnkg.graph.project.to_networkx`).

    Returns
    -------
    list of dict
        One row per node of the knowledge view: ``node``, ``label``, ``kind``, ``degree``
        (number of distinct neighbours), ``betweenness`` (normalised) and ``pagerank``
        (claim-weighted). Ties are broken by label, so the order is stable.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("hub", "causes", "a"), ("hub", "causes", "b"), ("hub", "causes", "c"),
    ...                ("a", "causes", "d")])
    >>> [(r["label"], r["degree"]) for r in centrality_table(G)][:2]
    [('hub', 3), ('a', 2)]
    """
    simple = undirected_knowledge(graph)
    if simple.number_of_nodes() == 0:
        return []
    degree = dict(simple.degree())
    between = betweenness(simple)
    pagerank = nx.pagerank(simple, weight="weight")
    rows = [
        {"node": n, "label": label(graph, n), "kind": graph.nodes[n].get("kind", ""),
         "degree": degree[n], "betweenness": between[n], "pagerank": pagerank[n]}
        for n in simple
    ]
    return sorted(rows, key=lambda r: (-round(r["pagerank"], 12), -r["degree"], r["label"]))


def most_central(graph: nx.MultiDiGraph, *, by: Measure = "pagerank", n: int = 10) -> list[str]:
    """The ``n`` most central nodes by one measure, most central first.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("hub", "causes", "a"), ("hub", "causes", "b"), ("hub", "causes", "c")])
    >>> most_central(G, by="betweenness", n=1)
    ['hub']
    """
    rows = centrality_table(graph)
    rows.sort(key=lambda r: (-round(r[by], 12), r["label"]))
    return [r["node"] for r in rows[:n]]


def mechanism_hubs(
    graph: nx.MultiDiGraph, *, kinds: frozenset[str] = frozenset({"Mechanism"}), n: int = 5
) -> list[dict[str, Any]]:
    """Mechanisms that most chains pass through: betweenness on the directed chain graph.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    kinds : frozenset of str, optional
        Node kinds that count as mechanisms.
    n : int, optional
        How many to return.

    Returns
    -------
    list of dict
        ``node``, ``label``, ``betweenness``, ``out_degree`` (what it acts on) and
        ``in_degree`` (what acts through it), highest betweenness first.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "actsThrough", "m"), ("m", "causes", "x"),
    ...                ("LDN", "actsThrough", "q")], kinds={"m": "Mechanism", "q": "Mechanism"})
    >>> [h["label"] for h in mechanism_hubs(G)]
    ['m', 'q']
    """
    chains = chain_graph(graph, via_subtypes=False)
    between = betweenness(chains)
    rows = [
        {"node": m, "label": label(graph, m), "betweenness": between[m],
         "out_degree": chains.out_degree(m), "in_degree": chains.in_degree(m)}
        for m in chains if graph.nodes[m].get("kind") in kinds
    ]
    rows.sort(key=lambda r: (-round(r["betweenness"], 12), -r["out_degree"], r["label"]))
    return rows[:n]
