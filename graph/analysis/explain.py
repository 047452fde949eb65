"""Plain-text explanation of how one entity leads to another: the chains and their evidence."""

from __future__ import annotations

import textwrap
from typing import Any

import networkx as nx

from ldnkg.graph.analysis.paths import Chain, claim_strength, mechanism_chains
from ldnkg.graph.analysis.resolve import resolve_entity
from ldnkg.graph.analysis.views import label, local_name

__all__ = ["explain", "format_chain", "format_claim", "format_explanation"]


def explain(
    graph: nx.MultiDiGraph, a: str, b: str, *, cutoff: int = 6
) -> tuple[str, str, list[Chain]]:
    """Resolve two names (:func:`~ldnkg.graph.analysis.resolve.resolve_entity`) and chain them.

    Returns
    -------
    tuple
        ``(source IRI, target IRI, chains)``, chains strongest first.

    Raises
    ------
    EntityLookupError
        If a name is unknown or ambiguous.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4"), ("TLR4", "contributesTo", "pain")])
    >>> _, _, chains = explain(G, "ldn", "Pain")
    >>> chains[0].nodes
    ('LDN', 'TLR4', 'pain')
    """
    source, target = resolve_entity(graph, a), resolve_entity(graph, b)
    return source, target, mechanism_chains(graph, source, target, cutoff=cutoff)


def format_claim(claim: dict[str, Any], *, indent: str = "      ") -> str:
    """Evidence, asserter, certainty, locator (and quote, when present) of one claim.

    >>> print(format_claim({"claim": "https://x/c1", "evidence": "ECO:1", "evidence_label": "e",
    ...                     "asserter": "a", "certainty": "c", "section": "Intro",
    ...                     "paragraph": 3, "quote": None, "study_label": None}, indent=""))
    claim c1: ECO:1 e; asserter: a; certainty: c
    locator: Intro, paragraph 3
    """
    lines = [f"claim {local_name(claim['claim'])}: {claim['evidence']} {claim['evidence_label']}; "
             f"asserter: {claim['asserter']}; certainty: {claim['certainty']}"]
    where = f"locator: {claim['section']}, paragraph {claim['paragraph']}"
    if claim.get("study_label"):
        where += f"; study: {claim['study_label']}"
    lines.append(where)
    if claim.get("quote"):
        lines += textwrap.wrap(f'quote: "{claim["quote"]}"', width=96 - len(indent),
                               subsequent_indent="  ")
    return "\n".join(indent + line for line in lines)


def format_chain(graph: nx.Graph, chain: Chain, *, number: int | None = None) -> str:
    """A chain as its path line, weakest link, then each link with its claims.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> from ldnkg.graph.analysis.paths import mechanism_chains
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> print(format_chain(G, mechanism_chains(G, "LDN", "TLR4")[0]))  # doctest: +ELLIPSIS
    LDN → TLR4
       weakest link: established, published research (LDN blocks TLR4)
       - LDN —blocks→ TLR4
          claim toy:LDN-blocks-TLR4: ECO:0000204 ...
    """
    head = f"{number}. " if number is not None else ""
    weak = chain.weakest
    best = weak.best_claim
    lines = [
        head + " → ".join(label(graph, n) for n in chain.nodes),
        f"   weakest link: {best['certainty']}, {best['asserter']} "
        f"({label(graph, weak.source)} {weak.verb} {label(graph, weak.target)})",
    ]
    for link in chain.links:
        lines.append(f"   - {label(graph, link.source)} —{link.verb}→ {label(graph, link.target)}")
        for claim in sorted(link.claims, key=lambda c: (claim_strength(c), c["claim"])):
            lines.append(format_claim(claim, indent="      "))
    return "\n".join(lines)


def format_explanation(
    graph: nx.Graph, source: str, target: str, chains: list[Chain], *, limit: int | None = None
) -> str:
    """The whole explanation: a header line and the (first ``limit``) chains.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> print(format_explanation(G, "TLR4", "LDN", []))
    No mechanism chain leads from TLR4 to LDN.
    """
    if not chains:
        return f"No mechanism chain leads from {label(graph, source)} to {label(graph, target)}."
    shown = chains if limit is None else chains[:limit]
    more = f", showing the first {len(shown)}" if len(shown) < len(chains) else ""
    head = (f"{len(chains)} mechanism chain(s) from {label(graph, source)} to "
            f"{label(graph, target)}, strongest first{more}:")
    return "\n\n".join([head, *(format_chain(graph, c, number=i)
                                for i, c in enumerate(shown, start=1))])
