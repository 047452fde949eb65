"""``ldnkg explain A B``: how the article connects one entity to another, over every kind of claim.

Chains follow every claim (mechanisms, outcomes, co-therapies, studies, people, the role cycle),
not only mechanistic predicates; negated claims are never followed. When no chain runs in the
direction the claims state, claims are also followed backwards (``A ←conducted by— B``), so
that ``explain LDN Berkson`` finds Berkson's study.

Ranking: by the weakest link's evidence level (:mod:`ldnkg.graph.weight`), then its certainty,
then fewer backward steps, then length. Chains that visit the same entities in another order are
*folded* into the strongest one (``folded`` counts the others). Between two of LDN's roles the
answer starts with the role cycle.

Each step prints its strongest claim: the statement, evidence level and certainty, the
paraphrase, the locator (section, paragraph) and — when the data was built with ``--source`` —
the verbatim quote.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from ldnkg.graph.analysis.cycles import role_cycle
from ldnkg.graph.analysis.paths import Chain, Link, chain_graph, claim_strength
from ldnkg.graph.analysis.resolve import name_index
from ldnkg.graph.analysis.views import ROLES, label, local_name

__all__ = ["Explanation", "explain", "format_chain", "format_claim", "format_explanation", "ranked_chains"]

#: Most simple paths looked at before ranking (a bound on the work, far above what is shown).
MAX_PATHS = 20_000


@dataclass(frozen=True)
class Explanation:
    """The answer: resolved ends, ranked chains (with how many were folded into each), the cycle."""

    source: str
    target: str
    chains: list[tuple[Chain, int]]
    cycle: tuple[str, ...] | None = None
    backwards: bool = False


def _backward_steps(chain: Chain) -> int:
    return sum(link.verb.startswith("←") for link in chain.links)


def ranked_chains(graph: nx.MultiDiGraph, source: str, target: str, *, cutoff: int = 6,
                  backwards: bool = False) -> list[tuple[Chain, int]]:
    """Every chain over every kind of claim, permutations folded, strongest first.

    Returns
    -------
    list of (Chain, int)
        Each chain with the number of other orderings of the same entities folded into it.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("a", "causes", "b"), ("b", "causes", "c"), ("a", "causes", "c"),
    ...                ("c", "causes", "d"), ("a", "usedWith", "d")])
    >>> [(c.nodes, n) for c, n in ranked_chains(G, "a", "d")]
    [(('a', 'd'), 0), (('a', 'c', 'd'), 0), (('a', 'b', 'c', 'd'), 0)]
    """
    g = chain_graph(graph, predicates=None, context=True, backwards=backwards)
    if source not in g or target not in g or source == target:
        return []
    found: dict[frozenset[str], list[Chain]] = {}
    for path in islice(nx.all_simple_paths(g, source, target, cutoff=cutoff), MAX_PATHS):
        links = tuple(g.edges[u, v]["link"] for u, v in pairwise(path))
        found.setdefault(frozenset(path), []).append(Chain(tuple(path), links))

    def key(chain: Chain) -> tuple[Any, ...]:
        return (chain.strength, _backward_steps(chain), len(chain), tuple(label(graph, n) for n in chain.nodes))

    folded = []
    for group in found.values():
        group.sort(key=key)
        folded.append((group[0], len(group) - 1))
    return sorted(folded, key=lambda item: key(item[0]))


def explain(graph: nx.MultiDiGraph, a: str, b: str, *, cutoff: int = 6) -> Explanation:
    """Resolve two names (:mod:`~ldnkg.graph.analysis.resolve`) and connect them.

    Raises
    ------
    EntityLookupError
        If a name is unknown or ambiguous.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4"), ("TLR4", "contributesTo", "pain")])
    >>> explain(G, "ldn", "Pain").chains[0][0].nodes
    ('LDN', 'TLR4', 'pain')
    >>> explain(G, "pain", "ldn").backwards
    True
    """
    index = name_index(graph)
    source, target = index.resolve(a), index.resolve(b)
    chains = ranked_chains(graph, source, target, cutoff=cutoff)
    backwards = False
    if not chains:  # nothing in the claims' direction: read them both ways, shorter
        chains = ranked_chains(graph, source, target, cutoff=min(cutoff, 4), backwards=True)
        backwards = bool(chains)
    cycle = None
    if source in ROLES and target in ROLES:
        cycle = role_cycle(graph)
    return Explanation(source, target, chains, cycle, backwards)


def format_claim(claim: dict[str, Any], *, indent: str = "      ", width: int = 100) -> str:
    """Evidence level, certainty, paraphrase, locator (and quote, when present) of one claim.

    >>> print(format_claim({"claim": "https://x/c1", "evidence_level": "trial", "evidence_rank": 1,
    ...                     "certainty": "reported", "paraphrase": "It helps.", "section": "Intro",
    ...                     "paragraph": 3, "quote": None}, indent=""))
    [1 trial; reported] It helps.
    c1, Intro ¶3
    """
    rank = claim_strength(claim)[0]
    lines = textwrap.wrap(f"[{rank} {claim.get('evidence_level') or claim.get('asserter')}; "
                          f"{claim['certainty']}] {claim.get('paraphrase', '')}".rstrip(),
                          width=width - len(indent), subsequent_indent="  ")
    where = f"{local_name(claim['claim'])}, {claim['section']} ¶{claim['paragraph']}"
    if claim.get("study_label"):
        where += f"; study: {claim['study_label']}"
    lines += textwrap.wrap(where, width=width - len(indent), subsequent_indent="  ")
    if claim.get("quote"):
        lines += textwrap.wrap(f'quote: "{claim["quote"]}"', width=width - len(indent), subsequent_indent="  ")
    return "\n".join(indent + line for line in lines)


def _step(graph: nx.Graph, link: Link) -> str:
    a, b = label(graph, link.source), label(graph, link.target)
    if link.verb.startswith("←"):
        return f"{a} ←{link.verb[1:].replace(' / ←', ' / ')}— {b}"
    return f"{a} —{link.verb}→ {b}"


def format_chain(graph: nx.Graph, chain: Chain, *, number: int | None = None, folded: int = 0) -> str:
    """A chain as its path line, weakest link, then each step with its strongest claim.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> print(format_chain(G, ranked_chains(G, "LDN", "TLR4")[0][0]))  # doctest: +ELLIPSIS
    LDN → TLR4
       weakest link: 4 published research, design not stated; established
       - LDN —blocks→ TLR4
          [4 published research, design not stated; established]
          toy:LDN-blocks-TLR4, Toy ¶0
    """
    head = f"{number}. " if number is not None else ""
    weak = chain.weakest.best_claim
    more = f" (+{folded} other ordering{'s' if folded > 1 else ''} of the same steps)" if folded else ""
    lines = [head + " → ".join(label(graph, n) for n in chain.nodes) + more,
             f"   weakest link: {claim_strength(weak)[0]} "
             f"{weak.get('evidence_level') or weak.get('asserter')}; {weak['certainty']}"]
    for link in chain.links:
        lines.append(f"   - {_step(graph, link)}")
        lines.append(format_claim(link.best_claim, indent="      "))
        if len(link.claims) > 1:
            lines.append(f"      (+{len(link.claims) - 1} more claim(s) for this step)")
    return "\n".join(lines)


def format_explanation(graph: nx.Graph, answer: Explanation, *, limit: int | None = 5) -> str:
    """The whole explanation: the cycle (between roles), a header and the first ``limit`` chains.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> print(format_explanation(G, Explanation("TLR4", "zz", [])))
    No claim connects TLR4 to zz, in either direction.
    """
    src, dst = label(graph, answer.source), label(graph, answer.target)
    parts = []
    if answer.cycle:
        steps = " → ".join(label(graph, n) for n in (*answer.cycle, answer.cycle[0]))
        parts.append(f"The roles form a cycle: {steps}.")
    if not answer.chains:
        return "\n\n".join([*parts, f"No claim connects {src} to {dst}, in either direction."])
    shown = answer.chains if limit is None else answer.chains[:limit]
    more = f"; showing the first {len(shown)} (--limit N for more)" if len(shown) < len(answer.chains) else ""
    how = " (following claims in both directions: none runs the whole way forward)" if answer.backwards else ""
    parts.append(f"{len(answer.chains)} chain(s) from {src} to {dst}{how}, by weakest link's "
                 f"evidence level{more}:")
    parts += [format_chain(graph, c, number=i, folded=n) for i, (c, n) in enumerate(shown, start=1)]
    return "\n\n".join(parts)
