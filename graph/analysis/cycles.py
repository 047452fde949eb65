"""Cycles in the graph, above all the article's virtuous cycle among LDN's three roles."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ldnkg.graph.analysis.views import LDNO, ROLES, knowledge_view

__all__ = ["cycles", "role_cycle"]


def _rotate(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


def cycles(
    graph: nx.MultiDiGraph,
    *,
    predicates: Iterable[str] | None = None,
    length_bound: int | None = None,
) -> list[tuple[str, ...]]:
    """Every directed simple cycle of the knowledge view, as node tuples.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    predicates : iterable of str, optional
        Only follow edges with these predicate IRIs (default: every predicate).
    length_bound : int, optional
        Longest cycle to report.

    Returns
    -------
    list of tuple of str
        Each cycle starts at its smallest node; the list is sorted (shortest first).
        Self-loops are cycles of length one.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("b", "causes", "c"), ("c", "causes", "a"), ("a", "causes", "b"),
    ...                ("a", "causes", "d")])
    >>> cycles(G)
    [('a', 'b', 'c')]
    """
    view = knowledge_view(graph)
    allowed = None if predicates is None else frozenset(predicates)
    simple = nx.DiGraph()
    simple.add_nodes_from(view)
    simple.add_edges_from(
        (u, v) for u, v, p in view.edges(data="predicate") if allowed is None or p in allowed)
    found = {_rotate(c) for c in nx.simple_cycles(simple, length_bound=length_bound)}
    return sorted(found, key=lambda c: (len(c), c))


def role_cycle(
    graph: nx.MultiDiGraph, *, roles: Iterable[str] = ROLES, predicate: str = LDNO + "reinforces"
) -> tuple[str, ...] | None:
    """The cycle through all the roles along ``predicate``, or ``None`` if there is none.

    The cycle is returned starting at the first role, in the direction of the edges.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("r1", "reinforces", "r2"), ("r2", "reinforces", "r3"),
    ...                ("r3", "reinforces", "r1")])
    >>> role_cycle(G, roles=["r1", "r2", "r3"])
    ('r1', 'r2', 'r3')
    >>> role_cycle(G, roles=["r1", "r2", "x"]) is None
    True
    """
    wanted = list(roles)
    if not all(r in graph for r in wanted):
        return None
    sub = graph.subgraph(wanted)
    for cycle in cycles(sub, predicates=[predicate]):
        if set(cycle) == set(wanted):
            start = cycle.index(wanted[0])
            return cycle[start:] + cycle[:start]
    return None
