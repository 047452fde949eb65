"""Which nodes and edges an analysis looks at: conditions, roles, and filtered views.

The analyses take the **entity graph** of :func:`ldnkg.graph.project.to_networkx` (a
``MultiDiGraph``: one node per entity with a ``kind``, one edge per subject–predicate–object
carrying its ``claims``) and narrow it with the views below:

* :func:`knowledge_view` drops the bibliographic context (studies, people, organisations,
  places) and negated edges: what the article says about biology and medicine.
* :func:`mechanistic_view` keeps only causal and mechanistic predicates
  (:data:`MECHANISTIC_PREDICATES`): the edges a mechanism chain may follow.
* :func:`undirected_view` collapses a view to a simple undirected ``Graph`` whose edge
  ``weight`` is the number of claims; centrality and communities use it.

:func:`toy_graph` builds a tiny graph with the same contract, for examples and tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

from ldnkg.graph.project import summarise_edges

__all__ = [
    "ASSERTER_RANK",
    "CONDITION_KINDS",
    "CONTEXT_KINDS",
    "ENTITY",
    "LDN",
    "LDNO",
    "MECHANISTIC_PREDICATES",
    "ROLES",
    "conditions",
    "is_condition",
    "knowledge_edges",
    "knowledge_view",
    "label",
    "local_name",
    "mechanistic_view",
    "roles",
    "toy_graph",
    "undirected_knowledge",
    "undirected_view",
]

LDNO = "https://w3id.org/ldnkg/ontology#"
ENTITY = "https://w3id.org/ldnkg/entity/"
#: The drug itself.
LDN = ENTITY + "LDN"
#: The article's three roles, in the article's order.
ROLES = (ENTITY + "ImmuneModulation", ENTITY + "AntiNeuroinflammation", ENTITY + "Neuroprotection")

#: Node kinds (most specific ldno class) that are conditions a patient can have.
CONDITION_KINDS = frozenset({
    "Condition", "AutoimmuneCondition", "CancerCondition", "ImmuneDerangementCondition",
    "NeuroinflammatoryCondition", "NeurodegenerativeCondition",
})
#: Node kinds that are context of the claims (who, where, which study), not biology.
CONTEXT_KINDS = frozenset({
    "Study", "Person", "Organisation", "Place", "ClinicalPractice", "SourceDocument",
})
#: Predicates a mechanism chain may follow: what a thing does, causes or acts on.
MECHANISTIC_PREDICATES = frozenset(LDNO + p for p in (
    "hasRole", "actsThrough", "blocks", "causes", "increases", "decreases", "regulates",
    "triggers", "contributesTo", "predisposesTo", "addresses", "ameliorates", "prevents",
))
#: How directly an asserter speaks for a claim (1 = most direct), for ranking evidence.
ASSERTER_RANK: Mapping[str, int] = {
    "published research": 1,
    "scientific background": 2,
    "clinical experience": 3,
    "author hypothesis": 4,
}


def local_name(iri: str) -> str:
    """The last segment of an IRI.

    >>> local_name("https://w3id.org/ldnkg/ontology#causes")
    'causes'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def label(graph: nx.Graph, node: str) -> str:
    """A node's ``label`` attribute, or its local name.

    >>> G = toy_graph([("a", "causes", "b")])
    >>> label(G, "a"), label(G, "https://w3id.org/ldnkg/entity/zz")
    ('a', 'zz')
    """
    data = graph.nodes[node] if node in graph else {}
    return str(data.get("label") or local_name(node))


def is_condition(graph: nx.Graph, node: str) -> bool:
    """Whether a node's kind is one of :data:`CONDITION_KINDS`.

    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> is_condition(G, "flu"), is_condition(G, "LDN")
    (True, False)
    """
    return graph.nodes[node].get("kind") in CONDITION_KINDS


def conditions(graph: nx.Graph) -> list[str]:
    """Every condition node, sorted.

    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> conditions(G)
    ['flu']
    """
    return sorted(n for n in graph if is_condition(graph, n))


def roles(graph: nx.Graph) -> list[str]:
    """Every node of kind ``LdnRole``, in :data:`ROLES` order first, then sorted.

    >>> G = toy_graph([("LDN", "hasRole", "r")], kinds={"r": "LdnRole"})
    >>> roles(G)
    ['r']
    """
    found = {n for n, kind in graph.nodes(data="kind") if kind == "LdnRole"}
    return [r for r in ROLES if r in found] + sorted(found - set(ROLES))


def knowledge_view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The entity graph without context nodes (studies, people, places) and negated edges.

    A view, not a copy. Literals are never nodes of the projection to begin with.

    >>> G = toy_graph([("LDN", "ameliorates", "flu"), ("s1", "investigates", "LDN")],
    ...               kinds={"s1": "Study"})
    >>> sorted(knowledge_view(G))
    ['LDN', 'flu']
    """
    keep = [n for n, kind in graph.nodes(data="kind") if kind not in CONTEXT_KINDS]
    sub = graph.subgraph(keep)
    # looked up once: reading each edge's data through the nested views was most of the report at 10×
    negated = {(u, v, k) for u, v, k, flag in graph.edges(keys=True, data="negated") if flag}
    return nx.subgraph_view(sub, filter_edge=lambda u, v, k: (u, v, k) not in negated)


def knowledge_edges(graph: nx.MultiDiGraph, data: str = "predicate") -> Iterator[tuple[str, str, Any]]:
    """``knowledge_view(graph).edges(data=data)``, in the same order, read straight from the graph
    (an edge read through the nested views cost 16 µs: most of the report's time at 10×).

    >>> G = toy_graph([("LDN", "ameliorates", "flu"), ("s1", "investigates", "LDN")],
    ...               kinds={"s1": "Study"})
    >>> list(knowledge_edges(G)) == list(knowledge_view(G).edges(data="predicate"))
    True
    """
    keep = {n for n, kind in graph.nodes(data="kind") if kind not in CONTEXT_KINDS}
    for u, neighbours in graph.adjacency():
        if u not in keep:
            continue
        for v, keyed in neighbours.items():
            if v not in keep:
                continue
            for attrs in keyed.values():
                if not attrs.get("negated"):
                    yield u, v, attrs.get(data)


def undirected_knowledge(graph: nx.MultiDiGraph) -> nx.Graph:
    """``undirected_view(knowledge_view(graph))``, the same graph built without the nested views.

    >>> G = toy_graph([("a", "causes", "b"), ("b", "regulates", "a"), ("s", "investigates", "a")],
    ...               kinds={"s": "Study"})
    >>> U = undirected_knowledge(G)
    >>> nx.utils.graphs_equal(U, undirected_view(knowledge_view(G)))
    True
    """
    out = nx.Graph()
    out.add_nodes_from((n, attrs) for n, attrs in graph.nodes(data=True) if attrs.get("kind") not in CONTEXT_KINDS)
    for u, v, weight in knowledge_edges(graph, "weight"):
        if u == v:
            continue
        weight = int(1 if weight is None else weight)
        if out.has_edge(u, v):
            out[u][v]["weight"] += weight
        else:
            out.add_edge(u, v, weight=weight)
    return out


def mechanistic_view(
    graph: nx.MultiDiGraph, *, predicates: Iterable[str] = MECHANISTIC_PREDICATES
) -> nx.MultiDiGraph:
    """:func:`knowledge_view` restricted to edges whose predicate is in ``predicates``.

    >>> G = toy_graph([("a", "causes", "b"), ("a", "combinedWith", "c")])
    >>> sorted(mechanistic_view(G).edges())
    [('a', 'b')]
    """
    allowed = frozenset(predicates)
    base = knowledge_view(graph)
    return nx.subgraph_view(
        base, filter_edge=lambda u, v, k: base.edges[u, v, k].get("predicate") in allowed)


def undirected_view(graph: nx.MultiDiGraph) -> nx.Graph:
    """Collapse a multigraph to a simple undirected graph; ``weight`` sums the claims.

    Self-loops are dropped. Node attributes are copied.

    >>> G = toy_graph([("a", "causes", "b"), ("b", "regulates", "a"), ("a", "blocks", "c")])
    >>> U = undirected_view(G)
    >>> U["a"]["b"]["weight"], U.number_of_edges()
    (2, 2)
    """
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = int(data.get("weight", 1))
        if out.has_edge(u, v):
            out[u][v]["weight"] += weight
        else:
            out.add_edge(u, v, weight=weight)
    return out


_DEFAULT_CLAIM: dict[str, Any] = {
    "evidence": "ECO:0000204",
    "evidence_label": "author statement supported by traceable reference",
    "asserter": "published research", "certainty": "established", "certainty_rank": 1,
    "negated": False, "section": "Toy", "paragraph": 0, "quote": None, "paraphrase": "",
    "study": None, "study_label": None,
    "evidence_level": "published research, design not stated", "evidence_level_key": "published-unspecified",
    "evidence_rank": 4, "standing": "asserted",
}


def toy_graph(
    edges: Iterable[tuple[str, str, str] | tuple[str, str, str, Mapping[str, Any]]],
    *,
    kinds: Mapping[str, str] | None = None,
) -> nx.MultiDiGraph:
    """A tiny entity graph with the contract of :func:`ldnkg.graph.project.to_networkx`.

    Parameters
    ----------
    edges : iterable of tuples
        ``(subject, predicate, object)`` or ``(subject, predicate, object, claim_fields)``;
        the predicate is an ``ldno:`` local name; ``claim_fields`` override the one claim's
        defaults (published research, established, rank 1; evidence level 4, "published research,
        design not stated"; standing "asserted").
    kinds : mapping, optional
        Node kind by node name (default ``"Entity"``).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``label`` and ``kind``; edges ``predicate``, ``predicate_label``,
        ``negated``, ``claims``, ``weight``, ``asserters``, ``evidence``, ``best_rank``.

    Examples
    --------
    >>> G = toy_graph([("LDN", "blocks", "TLR4", {"asserter": "author hypothesis"})])
    >>> G.edges["LDN", "TLR4", LDNO + "blocks"]["asserters"]
    ['author hypothesis']
    """
    kinds = kinds or {}
    graph = nx.MultiDiGraph()
    for edge in edges:
        u, pred, v = edge[:3]
        fields = {**_DEFAULT_CLAIM, **(edge[3] if len(edge) > 3 else {})}  # type: ignore[misc]
        for node in (u, v):
            if node not in graph:
                graph.add_node(node, label=local_name(node), kind=kinds.get(node, "Entity"))
        key = LDNO + pred + ("#not" if fields["negated"] else "")
        claim = {**fields, "claim": f"toy:{u}-{pred}-{v}", "subject": u, "object": v,
                 "predicate": LDNO + pred, "predicate_label": pred}
        if graph.has_edge(u, v, key):
            graph.edges[u, v, key]["claims"].append(claim)
        else:
            graph.add_edge(u, v, key=key, predicate=LDNO + pred, predicate_label=pred,
                           negated=fields["negated"], claims=[claim])
    return summarise_edges(graph)
