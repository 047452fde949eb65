"""Communities of the knowledge graph compared with the article's three roles of LDN.

Communities are found with Louvain modularity on the undirected, claim-weighted
:func:`~ldnkg.graph.analysis.views.undirected_view` of the knowledge view, with a fixed
``seed`` so that the result is reproducible. A condition's roles are the
:data:`~ldnkg.graph.analysis.views.ROLES` that *address* it, directly or through a class it is
a kind of. A community's role is the role node it holds or, failing that, the role addressing
most of its conditions. A condition **sits between roles** when more than one role addresses
it, or when its community's role is not one of its own.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ldnkg.graph.analysis.views import (
    LDNO,
    conditions,
    knowledge_edges,
    label,
    roles,
    undirected_knowledge,
)

__all__ = [
    "communities_vs_roles",
    "community_of",
    "community_roles",
    "condition_roles",
    "conditions_between_roles",
    "detect_communities",
    "supertypes",
]


def detect_communities(
    graph: nx.MultiDiGraph, *, seed: int | None = 0, resolution: float = 1.0
) -> list[frozenset[str]]:
    """Louvain communities of the knowledge view, largest first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    seed : int or None, optional
        Random seed passed to :func:`networkx.community.louvain_communities`; fix it for
        reproducible results.
    resolution : float, optional
        Louvain resolution; above 1 favours smaller communities.

    Returns
    -------
    list of frozenset of str
        Sorted by size (descending), then by smallest member.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("a", "causes", "b"), ("b", "causes", "c"), ("c", "causes", "a"),
    ...                ("x", "causes", "y"), ("y", "causes", "z"), ("z", "causes", "x"),
    ...                ("a", "causes", "x")])
    >>> [sorted(c) for c in detect_communities(G, seed=1)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    simple = undirected_knowledge(graph)
    if simple.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(simple, weight="weight", resolution=resolution,
                                             seed=seed)
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(c)))


def community_of(communities: list[frozenset[str]], node: str) -> int | None:
    """Index of the community holding ``node``, or ``None``.

    >>> community_of([frozenset({"a"}), frozenset({"b"})], "b")
    1
    """
    return next((i for i, c in enumerate(communities) if node in c), None)


def supertypes(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """Every class ``node`` is a kind of, following ``subtypeOf`` transitively (sorted).

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("sle", "subtypeOf", "autoimmune"), ("autoimmune", "subtypeOf", "disease")])
    >>> supertypes(G, "sle")
    ['autoimmune', 'disease']
    """
    return _supertypes_in(_subtype_graph(graph), node)


def _subtype_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    return nx.DiGraph((u, v) for u, v, p in knowledge_edges(graph) if p == LDNO + "subtypeOf")


def _supertypes_in(sub: nx.DiGraph, node: str) -> list[str]:
    return sorted(nx.descendants(sub, node)) if node in sub else []


def condition_roles(graph: nx.MultiDiGraph, *, inherit: bool = True) -> dict[str, tuple[str, ...]]:
    """The roles that address each condition (``addresses`` edges), in role order.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    inherit : bool, optional
        Also count roles addressing a class the condition is a kind of.

    Returns
    -------
    dict
        Every condition (sorted) to a tuple of role IRIs (possibly empty).

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("R1", "addresses", "autoimmune"), ("R2", "addresses", "ms"),
    ...                ("ms", "subtypeOf", "autoimmune")],
    ...               kinds={"R1": "LdnRole", "R2": "LdnRole", "ms": "Condition",
    ...                      "autoimmune": "Condition"})
    >>> condition_roles(G)["ms"]
    ('R1', 'R2')
    """
    role_list = roles(graph)
    role_set = set(role_list)
    addressed: dict[str, set[str]] = {}
    for u, v, p in knowledge_edges(graph):
        if p == LDNO + "addresses" and u in role_set:
            addressed.setdefault(v, set()).add(u)
    out = {}
    sub = _subtype_graph(graph)  # once, not once per condition
    for cond in conditions(graph):
        found = set(addressed.get(cond, ()))
        if inherit:
            for parent in _supertypes_in(sub, cond):
                found |= addressed.get(parent, set())
        out[cond] = tuple(r for r in role_list if r in found)
    return out


def communities_vs_roles(
    graph: nx.MultiDiGraph, communities: list[frozenset[str]] | None = None
) -> list[dict[str, Any]]:
    """One row per community: its size, the roles and the conditions it holds.

    Returns
    -------
    list of dict
        ``community`` (index), ``size``, ``roles`` and ``conditions`` (labels, sorted),
        ``role`` (the community's role, :func:`community_roles`),
        ``condition_roles`` (label of each role addressing any of its conditions, with the
        number of its conditions that role addresses), and ``hub`` (the member with most
        claims).

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("R", "addresses", "flu"), ("R", "causes", "x")],
    ...               kinds={"R": "LdnRole", "flu": "Condition"})
    >>> row = communities_vs_roles(G, [frozenset({"R", "flu", "x"})])[0]
    >>> row["roles"], row["conditions"], row["condition_roles"]
    (['R'], ['flu'], {'R': 1})
    """
    communities = detect_communities(graph) if communities is None else communities
    by_condition = condition_roles(graph)
    role_set = set(roles(graph))
    home_roles = community_roles(graph, communities)
    simple = undirected_knowledge(graph)
    rows = []
    for i, members in enumerate(communities):
        conds = sorted((c for c in members if c in by_condition), key=lambda c: label(graph, c))
        tally: dict[str, int] = {}
        for c in conds:
            for r in by_condition[c]:
                tally[label(graph, r)] = tally.get(label(graph, r), 0) + 1
        hub = max(sorted(members),
                  key=lambda n: simple.degree(n, weight="weight") if n in simple else 0)
        rows.append({
            "community": i,
            "size": len(members),
            "roles": sorted(label(graph, r) for r in members if r in role_set),
            "role": label(graph, home_roles[i]) if home_roles[i] else None,
            "conditions": [label(graph, c) for c in conds],
            "condition_roles": dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))),
            "hub": label(graph, hub),
        })
    return rows


def community_roles(
    graph: nx.MultiDiGraph, communities: list[frozenset[str]]
) -> list[str | None]:
    """The role of each community: the role node it holds, else its conditions' majority role.

    Ties go to the role that comes first in :func:`~ldnkg.graph.analysis.views.roles` order;
    a community with neither gets ``None``.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("R", "addresses", "flu"), ("R", "addresses", "cold")],
    ...               kinds={"R": "LdnRole", "flu": "Condition", "cold": "Condition"})
    >>> community_roles(G, [frozenset({"flu", "cold"}), frozenset({"R"})])
    ['R', 'R']
    """
    role_list = roles(graph)
    by_condition = condition_roles(graph)
    out: list[str | None] = []
    for members in communities:
        held = [r for r in role_list if r in members]
        if held:
            out.append(held[0])
            continue
        tally = {r: sum(r in by_condition.get(c, ()) for c in members) for r in role_list}
        best = max(role_list, key=lambda r: tally[r], default=None)
        out.append(best if best is not None and tally[best] > 0 else None)
    return out


def conditions_between_roles(
    graph: nx.MultiDiGraph, communities: list[frozenset[str]] | None = None
) -> list[dict[str, Any]]:
    """Conditions that sit between roles, with the reason.

    A condition qualifies when two or more roles address it (``"several roles"``), or when
    its community's role (:func:`community_roles`) is not one of its roles
    (``"grouped with <role>"``). Conditions no role addresses are left out.

    Returns
    -------
    list of dict
        ``condition``, ``label``, ``roles`` (labels), ``community`` (index),
        ``community_role`` (label or ``None``) and ``reasons``; sorted by label.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("R1", "addresses", "ms"), ("R2", "addresses", "ms")],
    ...               kinds={"R1": "LdnRole", "R2": "LdnRole", "ms": "Condition"})
    >>> [(r["label"], r["reasons"]) for r in conditions_between_roles(G, [frozenset(G)])]
    [('ms', ['several roles'])]
    """
    communities = detect_communities(graph) if communities is None else communities
    home_roles = community_roles(graph, communities)
    out = []
    for cond, its_roles in condition_roles(graph).items():
        if not its_roles:
            continue
        index = community_of(communities, cond)
        home = home_roles[index] if index is not None else None
        reasons = []
        if len(its_roles) > 1:
            reasons.append("several roles")
        if home is not None and home not in its_roles:
            reasons.append(f"grouped with {label(graph, home)}")
        if reasons:
            out.append({"condition": cond, "label": label(graph, cond),
                        "roles": [label(graph, r) for r in its_roles], "community": index,
                        "community_role": label(graph, home) if home else None,
                        "reasons": reasons})
    return sorted(out, key=lambda r: r["label"].lower())
