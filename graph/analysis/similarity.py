"""Condition similarity by shared mechanisms: a bipartite projection with Jaccard weights.

A condition's **mechanisms** are the nodes of a mechanism kind (default ``Mechanism``) on any
chain from LDN to it (:func:`~ldnkg.graph.analysis.paths.mechanism_chains`), plus the
mechanisms that a role addressing it *acts through* — a role names how it works even where
the article draws no chain. Two conditions are as similar as the Jaccard index of their
mechanism sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
from networkx.algorithms import bipartite

from ldnkg.graph.analysis.communities import condition_roles
from ldnkg.graph.analysis.paths import chains_to_conditions
from ldnkg.graph.analysis.views import LDN, LDNO, knowledge_edges, label

__all__ = [
    "condition_mechanisms",
    "condition_similarity",
    "mechanism_bipartite",
    "shared_mechanism_not_role",
    "similarity_matrix",
]


def condition_mechanisms(
    graph: nx.MultiDiGraph,
    *,
    source: str = LDN,
    kinds: frozenset[str] = frozenset({"Mechanism"}),
    cutoff: int = 6,
) -> dict[str, frozenset[str]]:
    """Each condition's mechanisms (see the module docstring), keyed by condition (sorted).

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "actsThrough", "m"), ("m", "contributesTo", "flu"),
    ...                ("R", "actsThrough", "q"), ("R", "addresses", "cold")],
    ...               kinds={"m": "Mechanism", "q": "Mechanism", "R": "LdnRole",
    ...                      "flu": "Condition", "cold": "Condition"})
    >>> {c: sorted(m) for c, m in condition_mechanisms(G, source="LDN").items()}
    {'cold': ['q'], 'flu': ['m']}
    """
    acts = {}
    for u, v, p in knowledge_edges(graph):
        if p == LDNO + "actsThrough" and graph.nodes[v].get("kind") in kinds:
            acts.setdefault(u, set()).add(v)
    by_role = condition_roles(graph)
    out = {}
    for cond, chains in chains_to_conditions(graph, source=source, cutoff=cutoff).items():
        found = {n for chain in chains for n in chain.nodes if graph.nodes[n].get("kind") in kinds}
        for role in by_role.get(cond, ()):
            found |= acts.get(role, set())
        out[cond] = frozenset(found)
    return out


def mechanism_bipartite(mechanisms: dict[str, frozenset[str]]) -> nx.Graph:
    """The condition–mechanism bipartite graph (``bipartite`` = 0 conditions, 1 mechanisms).

    >>> B = mechanism_bipartite({"flu": frozenset({"m"}), "cold": frozenset()})
    >>> sorted(B.edges()), B.nodes["cold"]["bipartite"]
    ([('flu', 'm')], 0)
    """
    out = nx.Graph()
    out.add_nodes_from(sorted(mechanisms), bipartite=0)
    out.add_nodes_from(sorted(set().union(*mechanisms.values())), bipartite=1)
    out.add_edges_from((c, m) for c in sorted(mechanisms) for m in sorted(mechanisms[c]))
    return out


def condition_similarity(mechanisms: dict[str, frozenset[str]]) -> nx.Graph:
    """Conditions joined by their Jaccard similarity (edge ``weight``) where it is above 0.

    >>> S = condition_similarity({"a": frozenset({"m", "n"}), "b": frozenset({"m"}),
    ...                           "c": frozenset({"q"})})
    >>> S["a"]["b"]["weight"], S.has_edge("a", "c")
    (0.5, False)
    """
    bip = mechanism_bipartite(mechanisms)
    return bipartite.overlap_weighted_projected_graph(bip, sorted(mechanisms), jaccard=True)


def similarity_matrix(mechanisms: dict[str, frozenset[str]]) -> tuple[list[str], list[list[float]]]:
    """The full Jaccard matrix over conditions with at least one mechanism (1 on the diagonal).

    >>> similarity_matrix({"a": frozenset({"m"}), "b": frozenset({"m", "n"}), "c": frozenset()})
    (['a', 'b'], [[1.0, 0.5], [0.5, 1.0]])
    """
    names = sorted(c for c, m in mechanisms.items() if m)
    return names, [[len(mechanisms[a] & mechanisms[b]) / len(mechanisms[a] | mechanisms[b])
                    for b in names] for a in names]


def shared_mechanism_not_role(
    graph: nx.MultiDiGraph, *, source: str = LDN, cutoff: int = 6,
    mechanisms: Mapping[str, frozenset[str]] | None = None,
) -> list[dict[str, Any]]:
    """Pairs of conditions that share a mechanism but no role addresses both.

    ``mechanisms``: :func:`condition_mechanisms` of ``graph`` when the caller has it already
    (it walks every chain from ``source``: 17 s at 100×).

    Returns
    -------
    list of dict
        ``a``, ``b`` (labels), ``shared`` (mechanism labels), ``jaccard``, ``roles_a``,
        ``roles_b`` (role labels); most similar first. Conditions no role addresses are
        left out.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "actsThrough", "m"), ("m", "contributesTo", "flu"),
    ...                ("m", "contributesTo", "ms"), ("R1", "addresses", "flu"),
    ...                ("R2", "addresses", "ms")],
    ...               kinds={"m": "Mechanism", "R1": "LdnRole", "R2": "LdnRole",
    ...                      "flu": "Condition", "ms": "Condition"})
    >>> [(r["a"], r["b"], r["shared"]) for r in shared_mechanism_not_role(G, source="LDN")]
    [('flu', 'ms', ['m'])]
    """
    mechs = mechanisms if mechanisms is not None else condition_mechanisms(graph, source=source, cutoff=cutoff)
    by_role = condition_roles(graph)
    sim = condition_similarity(mechs)
    rows = []
    for a, b, weight in sim.edges(data="weight"):
        a, b = sorted((a, b), key=lambda n: label(graph, n).lower())
        if by_role[a] and by_role[b] and not set(by_role[a]) & set(by_role[b]):
            rows.append({
                "a": label(graph, a), "b": label(graph, b),
                "shared": sorted(label(graph, m) for m in mechs[a] & mechs[b]),
                "jaccard": weight,
                "roles_a": [label(graph, r) for r in by_role[a]],
                "roles_b": [label(graph, r) for r in by_role[b]],
            })
    return sorted(rows, key=lambda r: (-r["jaccard"], r["a"].lower(), r["b"].lower()))
