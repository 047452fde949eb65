"""Mechanism chains: every path from LDN (or any entity) to a condition, scored by its weakest link.

A chain follows the causal and mechanistic predicates of
:data:`~ldnkg.graph.analysis.views.MECHANISTIC_PREDICATES` through the
:func:`~ldnkg.graph.analysis.views.knowledge_view` (no studies, people or negated claims).
With ``via_subtypes=True`` a chain may also step from a condition to one of its subtypes
("autoimmune disease *includes* lupus"), so what is said of a class reaches its members.

Each link is as strong as its best claim; a chain is as strong as its weakest link. Strength is
the pair (evidence rank, certainty rank), lower is firmer: the evidence level of
:mod:`ldnkg.graph.weight` (1 published clinical trial … 7 the author's hypothesis) first, then how
firmly the text words it (1 established … 4 hypothesised).

:func:`chain_graph` follows the mechanistic predicates by default; ``predicates=None`` follows
every kind of claim and ``context=True`` keeps studies, people and places, so that
``ldnkg explain`` can show Berkson's work or a study. ``backwards=True`` adds each claim also in
reverse (a link with ``reversed=True`` whose verb starts with ``←``: "A ←conducted by— B" is the
claim "B conducted by A"), for entities no claim points away from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx

from ldnkg.graph.analysis.views import (
    LDN,
    LDNO,
    MECHANISTIC_PREDICATES,
    conditions,
    knowledge_view,
    label,
)

__all__ = [
    "Chain",
    "Link",
    "chain_graph",
    "chains_to_conditions",
    "claim_strength",
    "conditions_reached_through",
    "mechanism_chains",
]

SUBTYPE_OF = LDNO + "subtypeOf"


#: Evidence rank of a claim dict without ``evidence_rank`` (e.g. a toy graph), by its asserter.
_RANK_BY_ASSERTER = {"published research": 4, "clinical experience": 5, "scientific background": 6,
                     "author hypothesis": 7}


def claim_strength(claim: dict[str, Any]) -> tuple[int, int]:
    """(evidence rank, certainty rank) of a claim dict; lower is firmer.

    >>> claim_strength({"evidence_rank": 1, "certainty_rank": 2})
    (1, 2)
    >>> claim_strength({"certainty_rank": 2, "asserter": "clinical experience"})
    (5, 2)
    """
    rank = claim.get("evidence_rank") or _RANK_BY_ASSERTER.get(claim.get("asserter", ""), 7)
    return int(rank), int(claim.get("certainty_rank", 4))


@dataclass(frozen=True)
class Link:
    """One step of a chain: ``source`` to ``target`` by one or more predicates.

    ``reversed`` is true for a subtype step (the claim says target *is a kind of* source).
    """

    source: str
    target: str
    predicate_labels: tuple[str, ...]
    claims: tuple[dict[str, Any], ...]
    reversed: bool = False

    @property
    def strength(self) -> tuple[int, int]:
        """The firmest claim's (evidence rank, certainty rank)."""
        return min(claim_strength(c) for c in self.claims)

    @property
    def best_claim(self) -> dict[str, Any]:
        """The claim that gives the link its strength."""
        return min(self.claims, key=lambda c: (claim_strength(c), c["claim"]))

    @property
    def verb(self) -> str:
        """The predicate label(s) as a phrase, e.g. ``'acts through'``."""
        return " / ".join(self.predicate_labels)


@dataclass(frozen=True)
class Chain:
    """A simple path of links from ``nodes[0]`` to ``nodes[-1]``."""

    nodes: tuple[str, ...]
    links: tuple[Link, ...]

    @property
    def strength(self) -> tuple[int, int]:
        """The weakest link's strength: (evidence rank, certainty rank), lower is firmer."""
        return max(link.strength for link in self.links)

    @property
    def weakest(self) -> Link:
        """The weakest link (the first one, if several are equally weak)."""
        return max(self.links, key=lambda link: link.strength)

    def __len__(self) -> int:
        return len(self.links)


def chain_graph(
    graph: nx.MultiDiGraph,
    *,
    predicates: Iterable[str] | None = MECHANISTIC_PREDICATES,
    via_subtypes: bool = True,
    context: bool = False,
    backwards: bool = False,
) -> nx.DiGraph:
    """The directed graph a chain may follow; each edge holds its :class:`Link`.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    predicates : iterable of str or None, optional
        Predicate IRIs to follow (None: every predicate).
    via_subtypes : bool, optional
        Add a reversed ``includes`` edge for every ``subtypeOf`` claim.
    context : bool, optional
        Keep studies, people, organisations and places (default: the knowledge view).
    backwards : bool, optional
        Also add every claim reversed (``Link.reversed``), where no forward link exists.

    Returns
    -------
    networkx.DiGraph
        Same nodes as the knowledge view; edge attribute ``link``.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4"), ("lupus", "subtypeOf", "autoimmune")])
    >>> sorted(chain_graph(G).edges())
    [('LDN', 'TLR4'), ('autoimmune', 'lupus')]
    >>> chain_graph(G).edges["autoimmune", "lupus"]["link"].verb
    'includes'
    """
    allowed = None if predicates is None else frozenset(predicates)
    view = knowledge_view(graph) if not context else nx.subgraph_view(
        graph, filter_edge=lambda u, v, k: not graph.edges[u, v, k].get("negated"))
    parts: dict[tuple[str, str, bool], list[tuple[str, list[dict[str, Any]]]]] = {}
    for u, v, data in view.edges(data=True):
        if u == v:
            continue
        if via_subtypes and data.get("predicate") == SUBTYPE_OF:
            parts.setdefault((v, u, True), []).append(("includes", data["claims"]))
            if allowed is None:
                parts.setdefault((u, v, False), []).append((data["predicate_label"], data["claims"]))
        elif allowed is None or data.get("predicate") in allowed:
            parts.setdefault((u, v, False), []).append((data["predicate_label"], data["claims"]))
            if backwards:
                parts.setdefault((v, u, True), []).append(
                    ("←" + data["predicate_label"], data["claims"]))
    out = nx.DiGraph()
    out.add_nodes_from(view.nodes(data=True))
    for (u, v, rev), items in sorted(parts.items()):  # direct links sort before subtype steps
        if rev and out.has_edge(u, v):
            continue
        items.sort(key=lambda item: item[0])
        out.add_edge(u, v, link=Link(u, v, tuple(lbl for lbl, _ in items),
                                     tuple(c for _, claims in items for c in claims), rev))
    return out


def _sort_key(chain: Chain, graph: nx.Graph) -> tuple[Any, ...]:
    return chain.strength, len(chain), tuple(label(graph, n) for n in chain.nodes)


def mechanism_chains(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    cutoff: int = 6,
    predicates: Iterable[str] = MECHANISTIC_PREDICATES,
    via_subtypes: bool = True,
) -> list[Chain]:
    """Every simple chain from ``source`` to ``target``, strongest first, then shortest.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    source, target : str
        Node IRIs.
    cutoff : int, optional
        Longest chain, in links.
    predicates : iterable of str, optional
        Predicate IRIs to follow.
    via_subtypes : bool, optional
        Let a chain step from a condition to its subtypes.

    Returns
    -------
    list of Chain
        Empty if either node is missing or nothing connects them.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4"), ("TLR4", "causes", "pain"),
    ...                ("LDN", "ameliorates", "pain", {"asserter": "author hypothesis",
    ...                                                 "evidence_rank": 7, "certainty_rank": 4})])
    >>> [c.nodes for c in mechanism_chains(G, "LDN", "pain")]
    [('LDN', 'TLR4', 'pain'), ('LDN', 'pain')]
    >>> mechanism_chains(G, "LDN", "pain")[1].strength
    (7, 4)
    """
    chains_g = chain_graph(graph, predicates=predicates, via_subtypes=via_subtypes)
    return _chains_between(chains_g, graph, source, target, cutoff)


def _chains_between(chains_g: nx.DiGraph, graph: nx.MultiDiGraph, source: str, target: str, cutoff: int,
                    ahead: set[str] | None = None) -> list[Chain]:
    if source not in chains_g or target not in chains_g or source == target:
        return []
    # a simple path from source to target only visits nodes that source reaches and that reach target:
    # searching just those gives the same paths without walking every branch off a hub
    if ahead is None:
        ahead = nx.descendants(chains_g, source)
    between = chains_g.subgraph((ahead & nx.ancestors(chains_g, target)) | {source, target})
    found = []
    for path in nx.all_simple_paths(between, source, target, cutoff=cutoff):
        links = tuple(between.edges[u, v]["link"] for u, v in pairwise(path))
        found.append(Chain(tuple(path), links))
    return sorted(found, key=lambda c: _sort_key(c, graph))


def chains_to_conditions(
    graph: nx.MultiDiGraph, *, source: str = LDN, cutoff: int = 6, via_subtypes: bool = True
) -> dict[str, list[Chain]]:
    """Mechanism chains from ``source`` to every condition, keyed by condition (sorted).

    Conditions no chain reaches map to an empty list.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu"), ("cold", "causes", "LDN")],
    ...               kinds={"flu": "Condition", "cold": "Condition"})
    >>> {c: len(v) for c, v in chains_to_conditions(G, source="LDN").items()}
    {'cold': 0, 'flu': 1}
    """
    chains_g = chain_graph(graph, predicates=MECHANISTIC_PREDICATES, via_subtypes=via_subtypes)  # once
    ahead = nx.descendants(chains_g, source) if source in chains_g else set()
    return {c: _chains_between(chains_g, graph, source, c, cutoff, ahead) for c in conditions(graph)}


def conditions_reached_through(
    graph: nx.MultiDiGraph, via: str, *, source: str = LDN, cutoff: int = 6
) -> list[str]:
    """Conditions that some chain from ``source`` reaches through the node ``via``.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4"), ("TLR4", "contributesTo", "pain"),
    ...                ("LDN", "ameliorates", "flu")], kinds={"pain": "Condition",
    ...                                                       "flu": "Condition"})
    >>> conditions_reached_through(G, "TLR4", source="LDN")
    ['pain']
    """
    reached = chains_to_conditions(graph, source=source, cutoff=cutoff)
    return sorted(c for c, chains in reached.items() if any(via in ch.nodes for ch in chains))
