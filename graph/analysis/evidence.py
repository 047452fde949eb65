"""Evidence profiles: what kind of evidence stands behind what the article says of each condition.

Two sets of claims per condition:

* its **mentions**: every claim (except a study's ``investigates``) with the condition as
  subject, object or context;
* its **support**: the non-negated claims that something helps it — the predicates in
  :data:`SUPPORT_PREDICATES` with the condition as object, or an outcome claimed in the
  context of the condition. With ``inherit=True`` (default) what supports a class of
  conditions ("autoimmune disease") also supports its kinds ("lupus").

Counts are by **evidence level** (:mod:`ldnkg.graph.weight`, rank 1 = published clinical trial …
7 = the author's hypothesis) as well as by ECO kind, asserter and certainty.

The **research agenda** lists the conditions whose support rests only on clinical experience
and the author's hypotheses (:data:`WEAK_ASSERTERS`): no published research and no
established science behind them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

import networkx as nx

from ldnkg.graph.analysis.communities import _subtype_graph, _supertypes_in, supertypes
from ldnkg.graph.analysis.views import LDNO, conditions, label

__all__ = [
    "SUPPORT_PREDICATES",
    "WEAK_ASSERTERS",
    "Share",
    "condition_claims",
    "evidence_matrix",
    "evidence_profile",
    "published_share",
    "research_agenda",
    "support_claims",
    "unsupported_conditions",
]

#: Predicates by which a claim says that something helps a condition.
SUPPORT_PREDICATES = frozenset(LDNO + p for p in (
    "ameliorates", "addresses", "prevents", "usedFor", "improves", "cures",
))
#: Asserters whose word alone does not settle a claim.
WEAK_ASSERTERS = frozenset({"clinical experience", "author hypothesis"})
_INVESTIGATES = LDNO + "investigates"


def _all_claims(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for _, _, claims in graph.edges(data="claims"):
        for c in claims or ():
            seen.setdefault(c["claim"], c)
    return [seen[k] for k in sorted(seen)]


def condition_claims(graph: nx.MultiDiGraph, condition: str) -> list[dict[str, Any]]:
    """Claims with ``condition`` as subject, object or context (no ``investigates``).

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu"), ("flu", "causes", "cough"),
    ...                ("LDN", "improves", "sleep", {"context": "flu"}), ("LDN", "blocks", "x")])
    >>> len(condition_claims(G, "flu"))
    3
    """
    return _mentions(_all_claims(graph), condition)


def _mentions(claims: list[dict[str, Any]], condition: str) -> list[dict[str, Any]]:
    return [c for c in claims
            if c["predicate"] != _INVESTIGATES and condition in (c["subject"], c["object"], c.get("context"))]


class _Index:
    """Which claims mention each node and which support it, found in one pass over the claims
    (filtering every claim per condition made the profile quadratic in the graph); each list
    keeps the claims' order, as :func:`_mentions` and :func:`_support_among` give it."""

    def __init__(self, claims: list[dict[str, Any]]) -> None:
        self.claims = claims
        self.mention: dict[str, list[int]] = {}
        self.support: dict[str, list[int]] = {}
        for i, c in enumerate(claims):
            if c["predicate"] != _INVESTIGATES:
                for node in {c["subject"], c["object"], c.get("context")}:
                    self.mention.setdefault(node, []).append(i)
            if not c.get("negated") and c["predicate"] in SUPPORT_PREDICATES:
                for node in {c["object"], c.get("context")}:
                    self.support.setdefault(node, []).append(i)

    def mentions(self, condition: str) -> list[dict[str, Any]]:
        return [self.claims[i] for i in self.mention.get(condition, ())]

    def supporting(self, targets: set[str]) -> list[dict[str, Any]]:
        found = sorted({i for t in targets for i in self.support.get(t, ())})
        return [self.claims[i] for i in found]


def support_claims(
    graph: nx.MultiDiGraph, condition: str, *, inherit: bool = True
) -> list[dict[str, Any]]:
    """Non-negated claims that something helps ``condition`` (see the module docstring).

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "autoimmune"), ("sle", "subtypeOf", "autoimmune"),
    ...                ("LDN", "cures", "sle", {"negated": True})])
    >>> [c["object"] for c in support_claims(G, "sle")]
    ['autoimmune']
    >>> support_claims(G, "sle", inherit=False)
    []
    """
    targets = {condition, *(supertypes(graph, condition) if inherit else ())}
    return _support_among(_all_claims(graph), targets)


def _support_among(claims: list[dict[str, Any]], targets: set[str]) -> list[dict[str, Any]]:
    return [c for c in claims
            if not c.get("negated") and c["predicate"] in SUPPORT_PREDICATES
            and (c["object"] in targets or c.get("context") in targets)]


def evidence_profile(graph: nx.MultiDiGraph, *, inherit: bool = True) -> list[dict[str, Any]]:
    """For each condition, its claims counted by evidence kind, asserter and certainty.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    inherit : bool, optional
        Count support given to a class the condition is a kind of.

    Returns
    -------
    list of dict
        One row per condition, sorted by label: ``condition``, ``label``, ``kind``,
        ``claims`` (mentions), ``by_evidence``, ``by_asserter``, ``by_certainty`` (Counters of
        the mentions; evidence as ``"ECO:… label"``), ``by_level`` (Counter of evidence-level
        labels of the mentions), ``support`` (number of support claims), ``support_asserters``
        and ``support_levels`` (Counters), ``best_support`` (firmest certainty label, or
        ``None``) and ``best_level`` (the strongest evidence level of the support, or ``None``).

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu", {"asserter": "clinical experience"})],
    ...               kinds={"flu": "Condition"})
    >>> row = evidence_profile(G)[0]
    >>> row["label"], row["support"], dict(row["support_asserters"])
    ('flu', 1, {'clinical experience': 1})
    """
    rows = []
    index = _Index(_all_claims(graph))
    sub = _subtype_graph(graph)  # once: per condition it made the profile quadratic in the graph
    for cond in conditions(graph):
        mentions = index.mentions(cond)
        support = index.supporting({cond, *(_supertypes_in(sub, cond) if inherit else ())})
        best = min(support, key=lambda c: c["certainty_rank"], default=None)
        strongest = min(support, key=lambda c: c["evidence_rank"], default=None)
        rows.append({
            "condition": cond,
            "label": label(graph, cond),
            "kind": graph.nodes[cond].get("kind", ""),
            "claims": len(mentions),
            "by_evidence": Counter(f'{c["evidence"]} {c["evidence_label"]}' for c in mentions),
            "by_asserter": Counter(c["asserter"] for c in mentions),
            "by_certainty": Counter(c["certainty"] for c in mentions),
            "by_level": Counter(_level(c) for c in mentions),
            "support": len(support),
            "support_asserters": Counter(c["asserter"] for c in support),
            "support_levels": Counter(_level(c) for c in support),
            "best_support": best["certainty"] if best else None,
            "best_level": _level(strongest) if strongest else None,
        })
    return sorted(rows, key=lambda r: r["label"].lower())


def _level(claim: dict[str, Any]) -> str:
    return f'{claim["evidence_rank"]} {claim["evidence_level"]}'


def _kind(claim: dict[str, Any]) -> str:
    return f'{claim["evidence"]} {claim["evidence_label"]}'


def evidence_matrix(
    graph: nx.MultiDiGraph, *, claims: str = "mentions", by: str = "level"
) -> tuple[list[str], list[str], list[list[int]]]:
    """Condition × evidence level (or ECO evidence kind) counts, for a heat map.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        An entity graph.
    claims : {"mentions", "support"}, optional
        Which claims of each condition to count.
    by : {"level", "kind"}, optional
        Columns: evidence levels as ``"rank label"``, strongest first (default), or ECO kinds
        as ``"CURIE label"`` sorted by CURIE.

    Returns
    -------
    tuple
        ``(condition labels, columns, counts)`` with ``counts[i][j]`` the claims of condition
        ``i`` in column ``j``; rows sorted by label.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> evidence_matrix(G)
    (['flu'], ['4 published research, design not stated'], [[1]])
    >>> evidence_matrix(G, by="kind")[1]
    ['ECO:0000204 author statement supported by traceable reference']
    """
    key = {"level": _level, "kind": _kind}[by]
    conds = sorted(conditions(graph), key=lambda c: label(graph, c).lower())
    index, sub = _Index(_all_claims(graph)), _subtype_graph(graph)  # once, not once per condition
    per = {c: index.mentions(c) if claims == "mentions" else index.supporting({c, *_supertypes_in(sub, c)})
           for c in conds}
    found = {key(c): c for cl in per.values() for c in cl}
    columns = sorted(found, key=(lambda k: (found[k]["evidence_rank"], k)) if by == "level" else None)
    counts = []
    for c in conds:
        tally = Counter(key(x) for x in per[c])
        counts.append([tally[k] for k in columns])
    return [label(graph, c) for c in conds], columns, counts


def research_agenda(graph: nx.MultiDiGraph, *, inherit: bool = True) -> list[dict[str, Any]]:
    """Conditions supported only by clinical experience or the author's hypotheses.

    Returns
    -------
    list of dict
        Rows of :func:`evidence_profile` (with support) whose support asserters all lie in
        :data:`WEAK_ASSERTERS`, sorted by label.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu", {"asserter": "clinical experience"}),
    ...                ("LDN", "ameliorates", "pain")], kinds={"flu": "Condition",
    ...                                                       "pain": "Condition"})
    >>> [r["label"] for r in research_agenda(G)]
    ['flu']
    """
    return [r for r in evidence_profile(graph, inherit=inherit)
            if r["support"] and set(r["support_asserters"]) <= WEAK_ASSERTERS]


def unsupported_conditions(graph: nx.MultiDiGraph, *, inherit: bool = True) -> list[str]:
    """Conditions the graph mentions but no claim says anything helps.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("stress", "causes", "flu")], kinds={"flu": "Condition"})
    >>> unsupported_conditions(G)
    ['flu']
    """
    return [r["condition"] for r in evidence_profile(graph, inherit=inherit) if not r["support"]]


class Share(NamedTuple):
    """``count`` of ``total`` claims, and their ``fraction``."""

    count: int
    total: int
    fraction: float


def published_share(
    claims: Iterable[dict[str, Any]], *, exclude_predicates: Iterable[str] = (_INVESTIGATES,)
) -> Share:
    """The share of claims whose asserter is published research.

    Parameters
    ----------
    claims : iterable of dict
        Claim records (:func:`ldnkg.graph.project.claim_records`).
    exclude_predicates : iterable of str, optional
        Predicates not counted (default: a study's ``investigates``, which describes the study
        rather than making a claim).

    Examples
    --------
    >>> published_share([{"asserter": "published research", "predicate": "p"},
    ...                  {"asserter": "author hypothesis", "predicate": "p"}])
    Share(count=1, total=2, fraction=0.5)
    """
    skip = frozenset(exclude_predicates)
    kept = [c for c in claims if c["predicate"] not in skip]
    count = sum(c["asserter"] == "published research" for c in kept)
    return Share(count, len(kept), count / len(kept) if kept else 0.0)
