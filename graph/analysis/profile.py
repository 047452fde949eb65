"""What the article says about one entity, strongest evidence first: ``ldnkg evidence NAME``.

:func:`evidence` answers "what does LDN do for X, through which mechanism, and how strong is the
evidence?" for a condition, symptom, mechanism, study, person or role, as an
:class:`EvidenceProfile` with ``to_dict()``, ``to_frame()`` (pandas), ``to_text()`` and
``to_markdown()``.

The dictionary (``to_dict()``, stable, JSON-serialisable; the explorer embeds it)
---------------------------------------------------------------------------------
``name``       what was asked; ``iri``, ``label``, ``kind`` (ldno class local name),
               ``definition``;
``roles``      LDN's roles for the entity: those the article links to it (or a parent) directly,
               else those on its chains: ``[{"iri", "label"}]`` in the article's order;
``parents``    the conditions it is a kind of (what it inherits from): ``[{"iri", "label", "claim",
               "standing"}]``, nearest first;
``chains``     mechanism chains from LDN, strongest weakest-link first: ``[{"nodes": [labels],
               "iris": [...], "evidence_level", "evidence_rank", "certainty", "links": [link]}]``;
               a *link* is a claim record (below) plus ``source``, ``source_label``, ``target``,
               ``target_label``, ``verb``;
``direct``     every claim about the entity (as subject, object, context, supporting study, or a
               study the person conducted), strongest first, except caveats, hypotheses and
               co-therapies (their own parts) and, for anything but a study or person, "study S
               investigates X" (shown as the study's publications): ``[claim record]``;
``publications``  the papers matched to those claims: ``[{"publication", "label", "title",
               "year", "journal", "grade", "pmid", "doi", "nct", "links", "claims": [ids]}]``,
               best match grade first;
``caveats``    the author's concessions about the strength of the evidence that concern the
               entity (rule below): ``[claim record]``;
``hypotheses`` claims about it with standing "hypothesis" (only hypothesised): ``[claim record]``;
``co_therapies``  ``[{"therapy", "label", "purposes": [labels], "context", "context_label",
               "inherited_from" (a parent's label or None), **claim record}]``;
``response_rates``  ``[{"rate", "label", "min_percent", "max_percent", "population",
               "population_label", "inherited_from", **claim record}]``;
``response_categories``  ``[{"category", "label", "inherited_from", **claim record}]``;
``cycle``      for one of LDN's roles: the role cycle starting at it, ``[{"iri", "label"}]`` (empty
               otherwise; its steps are among ``hypotheses``).

A *claim record* is ``{"claim" (local id), "iri", "subject", "subject_label", "predicate_label",
"object", "object_label", "paraphrase", "evidence_level", "evidence_rank", "certainty",
"asserter", "standing", "section", "paragraph", "study", "match_grade"}`` plus ``"quote"`` when
the data was built with ``--source``. Claims sort by evidence rank (1 published clinical trial …
7 the author's hypothesis), then certainty rank, then id.

Rules
-----
* **Inheritance**: what the article says of a condition's parent (``subtypeOf`` claims, followed
  transitively, negated ones never) applies to it: MCAS and long COVID inherit the co-therapies
  and response categories stated of immune derangement; ``inherited_from`` says from which parent.
* **Caveats**: a claim is a caveat when it is about the evidence rather than the biology — its
  predicate is one of :data:`CAVEAT_PREDICATES` (``ldno:hasCaveat``) or its object's kind is one
  of :data:`CAVEAT_KINDS` (``ldno:EvidenceCaveat``: "clinical evidence still early", "anecdotes,
  not trial proof"), or it is a negated claim whose subject is
  itself evidence (a study or case series). It concerns the entity when the entity, a condition it
  is a kind of, a role the article links to it directly or the study behind one of its claims is
  the caveat's subject, object or context.

Examples
--------
>>> p = evidence("MCAS")
>>> p.label, [c["label"] for c in p.co_therapies][:2]
('mast cell activation syndrome', ['cromolyn sodium', 'ketotifen'])
>>> {c["inherited_from"] for c in p.co_therapies}
{'immune derangement syndrome'}
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ldnkg.graph.analysis.paths import Chain, chain_graph, claim_strength, mechanism_chains
from ldnkg.graph.analysis.resolve import NameIndex, name_index
from ldnkg.graph.analysis.views import LDN, LDNO, ROLES, label, local_name

__all__ = ["CAVEAT_KINDS", "CAVEAT_PREDICATES", "EvidenceProfile", "evidence", "profile"]

#: Predicates that state a limitation of evidence ("these cases are anecdotes, not trial proof").
CAVEAT_PREDICATES = frozenset({LDNO + "hasCaveat"})
#: Kinds (most specific ldno class) of entities that are a limitation of the evidence.
CAVEAT_KINDS = frozenset({"EvidenceCaveat"})
#: Kinds that are evidence themselves (a negated claim about one is a caveat).
EVIDENCE_KINDS = frozenset({"Study", "ClinicalPractice"})

SUBTYPE_OF = LDNO + "subtypeOf"
USED_WITH = LDNO + "usedWith"
HAS_PURPOSE = LDNO + "hasPurpose"
RESPONSE_RATE = LDNO + "hasResponseRate"
RESPONSE_CATEGORY = LDNO + "hasResponseCategory"
POPULATION = LDNO + "population"
CONDUCTED_BY = LDNO + "conductedBy"
INVESTIGATES = LDNO + "investigates"


def _strength_key(claim: dict[str, Any]) -> tuple[Any, ...]:
    return (*claim_strength(claim), claim["claim"])


@dataclass
class _Context:
    """What every profile of one dataset shares (built once per dataset)."""

    graph: nx.MultiDiGraph
    claims: list[dict[str, Any]]
    index: NameIndex
    chains: nx.DiGraph
    rates: dict[str, tuple[float | None, float | None]]


_CONTEXTS: dict[int, _Context] = {}


def _context(ds: Any) -> _Context:
    key = id(ds)
    if key not in _CONTEXTS:
        from rdflib import URIRef

        from ldnkg.graph.project import claim_records, to_networkx
        from ldnkg.namespaces import LDNO as NS

        graph = to_networkx(ds)
        rates = {}
        for node, kind in graph.nodes(data="kind"):
            if kind == "ResponseRate":
                lo, hi = (ds.value(URIRef(node), NS[p]) for p in ("minPercent", "maxPercent"))
                rates[node] = (float(lo) if lo is not None else None, float(hi) if hi is not None else None)
        _CONTEXTS[key] = _Context(graph, claim_records(ds), name_index(graph), chain_graph(graph), rates)
        weakref.finalize(ds, _CONTEXTS.pop, key, None)
    return _CONTEXTS[key]


def _label_of(graph: nx.Graph, node: str | None, literal: bool = False) -> str | None:
    if node is None:
        return None
    return node if literal or node not in graph else label(graph, node)


def claim_record(graph: nx.Graph, claim: dict[str, Any]) -> dict[str, Any]:
    """The JSON-serialisable summary of one claim dict (see the module docstring).

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> rec = claim_record(G, G.edges["LDN", "TLR4", LDNO + "blocks"]["claims"][0])
    >>> rec["claim"], rec["object_label"], "quote" in rec
    ('toy:LDN-blocks-TLR4', 'TLR4', False)
    """
    rec = {
        "claim": local_name(claim["claim"]),
        "iri": claim["claim"],
        "subject": claim["subject"],
        "subject_label": _label_of(graph, claim["subject"]),
        "predicate_label": claim.get("predicate_label"),
        "object": claim["object"],
        "object_label": _label_of(graph, claim["object"], claim.get("object_is_literal", False)),
        "paraphrase": claim.get("paraphrase", ""),
        "evidence_level": claim.get("evidence_level"),
        "evidence_rank": claim_strength(claim)[0],
        "certainty": claim.get("certainty"),
        "asserter": claim.get("asserter"),
        "standing": claim.get("standing"),
        "section": claim.get("section"),
        "paragraph": claim.get("paragraph"),
        "study": claim.get("study_label"),
        "match_grade": claim.get("best_match_grade"),
    }
    if claim.get("quote"):
        rec["quote"] = claim["quote"]
    return rec


def _link_record(graph: nx.Graph, link: Any) -> dict[str, Any]:
    best = link.best_claim
    return {"source": link.source, "source_label": label(graph, link.source), "target": link.target,
            "target_label": label(graph, link.target), "verb": link.verb, **claim_record(graph, best)}


def _chain_record(graph: nx.Graph, chain: Chain) -> dict[str, Any]:
    weak = chain.weakest.best_claim
    return {"nodes": [label(graph, n) for n in chain.nodes], "iris": list(chain.nodes),
            "evidence_level": weak.get("evidence_level"), "evidence_rank": chain.strength[0],
            "certainty": weak.get("certainty"),
            "links": [_link_record(graph, link) for link in chain.links]}


def _parents(ctx: _Context, node: str) -> list[dict[str, Any]]:
    """Conditions ``node`` is a kind of, nearest first (breadth-first over subtypeOf claims)."""
    out, seen, frontier = [], {node}, [node]
    while frontier:
        nxt = []
        for n in frontier:
            for claim in sorted((c for c in ctx.claims if c["subject"] == n and
                                 c["predicate"] == SUBTYPE_OF and not c["negated"]), key=_strength_key):
                parent = claim["object"]
                if parent in seen or parent not in ctx.graph:
                    continue
                seen.add(parent)
                nxt.append(parent)
                out.append({"iri": parent, "label": label(ctx.graph, parent),
                            "claim": local_name(claim["claim"]), "standing": claim["standing"]})
        frontier = nxt
    return out


def _publications(claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    order = ["exact", "plausible", "uncertain"]
    pubs: dict[str, dict[str, Any]] = {}
    for claim in claims:
        for match in claim.get("citations") or ():
            iri = match.get("publication")
            if not iri:
                continue
            ids = {i.split(":", 1)[0].lower(): i.split(":", 1)[1] for i in match.get("identifiers", ())
                   if ":" in i}
            rec = pubs.setdefault(iri, {
                "publication": iri, "label": match.get("label"), "title": match.get("title"),
                "year": match.get("year"), "journal": match.get("journal"), "grade": match["grade"],
                "pmid": ids.get("pubmed") or ids.get("pmid"), "doi": ids.get("doi"),
                "nct": ids.get("nct") or ids.get("clinicaltrials"), "links": match.get("links", []),
                "claims": []})
            if local_name(claim["claim"]) not in rec["claims"]:
                rec["claims"].append(local_name(claim["claim"]))
    rank = {g: i for i, g in enumerate(order)}
    return sorted(pubs.values(), key=lambda p: (rank.get(p["grade"], 9), p["label"] or ""))


def _is_caveat(ctx: _Context, claim: dict[str, Any]) -> bool:
    kind = ctx.graph.nodes[claim["object"]].get("kind") if claim["object"] in ctx.graph else None
    subject_kind = ctx.graph.nodes[claim["subject"]].get("kind") if claim["subject"] in ctx.graph else None
    return (claim["predicate"] in CAVEAT_PREDICATES or kind in CAVEAT_KINDS
            or (claim["negated"] and subject_kind in EVIDENCE_KINDS))


@dataclass
class EvidenceProfile:
    """Everything :func:`evidence` found; see the module docstring for the fields."""

    name: str
    iri: str
    label: str
    kind: str
    definition: str = ""
    roles: list[dict[str, Any]] = field(default_factory=list)
    parents: list[dict[str, Any]] = field(default_factory=list)
    chains: list[dict[str, Any]] = field(default_factory=list)
    direct: list[dict[str, Any]] = field(default_factory=list)
    publications: list[dict[str, Any]] = field(default_factory=list)
    caveats: list[dict[str, Any]] = field(default_factory=list)
    hypotheses: list[dict[str, Any]] = field(default_factory=list)
    co_therapies: list[dict[str, Any]] = field(default_factory=list)
    response_rates: list[dict[str, Any]] = field(default_factory=list)
    response_categories: list[dict[str, Any]] = field(default_factory=list)
    cycle: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The profile as plain JSON-serialisable data (keys in the module docstring)."""
        from dataclasses import asdict

        return asdict(self)

    def to_frame(self) -> Any:
        """One row per claim shown, with the part of the profile it belongs to (pandas)."""
        import pandas as pd

        rows = []
        for part in ("direct", "caveats", "hypotheses", "co_therapies", "response_rates",
                     "response_categories"):
            rows += [{"part": part, **{k: v for k, v in rec.items() if k != "claims"}}
                     for rec in getattr(self, part)]
        for i, chain in enumerate(self.chains, start=1):
            rows += [{"part": f"chain {i}", **link} for link in chain["links"]]
        return pd.DataFrame(rows)

    def to_text(self, *, width: int = 100, limit: int = 5) -> str:
        """One screen of plain text (at most ``limit`` items per part, saying what is left out)."""
        from ldnkg.graph.analysis.profile_format import format_text

        return format_text(self, width=width, limit=limit)

    def to_markdown(self, *, limit: int = 5) -> str:
        """The same as Markdown."""
        from ldnkg.graph.analysis.profile_format import format_markdown

        return format_markdown(self, limit=limit)


def profile(ds: Any, node: str, *, name: str | None = None, cutoff: int = 6) -> EvidenceProfile:
    """The evidence profile of the entity ``node`` (an IRI) of dataset ``ds``.

    >>> import ldnkg
    >>> p = profile(ldnkg.load(), "https://w3id.org/ldnkg/entity/Fibromyalgia")
    >>> p.direct[0]["evidence_level"], p.roles[0]["label"]
    ('published clinical trial', 'anti-neuroinflammatory agent')
    """
    ctx = _context(ds)
    G = ctx.graph
    data = G.nodes[node]
    kind = str(data.get("kind") or "Entity")
    parents = _parents(ctx, node) if kind not in EVIDENCE_KINDS | {"Person"} else []
    scope = {node} | {p["iri"] for p in parents}
    inherited = {p["iri"]: p["label"] for p in parents}

    chains = [] if node == LDN else mechanism_chains(G, LDN, node, cutoff=cutoff)
    chain_nodes = {n for c in chains for n in c.nodes}
    # the roles the article links to the entity (or a parent) directly, else those on its chains
    roles = [r for r in ROLES if r == node or any(G.has_edge(r, s) for s in scope)]
    linked_roles = set(roles)  # only these bring their caveats along
    if not roles:
        roles = [r for r in ROLES if r in chain_nodes]
    if node == LDN:
        roles = [r for r in ROLES if G.has_edge(LDN, r)]
    elif kind == "LdnRole":
        roles = [node]

    studies = {node} if kind in EVIDENCE_KINDS else set()
    if kind == "Person":  # the person's studies
        studies |= {c["subject"] for c in ctx.claims if c["object"] == node and c["predicate"] == CONDUCTED_BY}
    about = [c for c in ctx.claims if node in (c["subject"], c["object"], c["context"])
             or (studies and (c["study"] in studies or c["subject"] in studies))]
    about.sort(key=_strength_key)
    # co-therapies have their own part; "study X investigates Y" is shown as the study's publication
    hidden = {USED_WITH} | ({INVESTIGATES} if kind not in EVIDENCE_KINDS | {"Person"} else set())
    direct = [claim_record(G, c) for c in about if c["predicate"] not in hidden
              and c["standing"] != "hypothesis" and not _is_caveat(ctx, c)]

    chain_claims = [c for ch in chains for link in ch.links for c in link.claims]
    cited = about + chain_claims if kind not in ("LdnRole", "Drug") else about
    concern = scope | linked_roles | {c["study"] for c in about if c["study"]}
    caveats = sorted((c for c in ctx.claims if _is_caveat(ctx, c) and
                      concern & {c["subject"], c["object"], c["context"], c["study"]}), key=_strength_key)
    hypotheses = [claim_record(G, c) for c in about if c["standing"] == "hypothesis"]

    def where(c: dict[str, Any]) -> str | None:
        ctx_node = c["context"] if c["context"] in scope else None
        return inherited.get(ctx_node) if ctx_node else None

    purposes: dict[str, list[str]] = {}
    for c in ctx.claims:
        if c["predicate"] == HAS_PURPOSE and not c["negated"] and c["object"] in G:
            purposes.setdefault(c["subject"], []).append(label(G, c["object"]))
    co = [c for c in ctx.claims if c["predicate"] == USED_WITH and not c["negated"]
          and (c["context"] in scope or (node == LDN and c["subject"] == LDN))]
    co_therapies = [{"therapy": c["object"], "label": label(G, c["object"]),
                     "purposes": sorted(set(purposes.get(c["object"], []))), "context": c["context"],
                     "context_label": c["context_label"], "inherited_from": where(c),
                     **claim_record(G, c)}
                    for c in sorted(co, key=lambda c: (label(G, c["object"]), c["claim"]))]

    population = {c["subject"]: c["object"] for c in ctx.claims if c["predicate"] == POPULATION}
    rates = []
    for c in sorted((c for c in ctx.claims if c["predicate"] == RESPONSE_RATE and not c["negated"]),
                    key=_strength_key):
        pop = population.get(c["object"])
        if node != LDN and pop not in scope and c["context"] not in scope:
            continue
        lo, hi = ctx.rates.get(c["object"], (None, None))
        rates.append({"rate": c["object"], "label": label(G, c["object"]), "min_percent": lo,
                      "max_percent": hi, "population": pop, "population_label": _label_of(G, pop),
                      "inherited_from": inherited.get(pop) or where(c), **claim_record(G, c)})
    categories = [{"category": c["object"], "label": label(G, c["object"]), "inherited_from": where(c),
                   **claim_record(G, c)}
                  for c in sorted(ctx.claims, key=_strength_key)
                  if c["predicate"] == RESPONSE_CATEGORY and not c["negated"]
                  and (c["context"] in scope or (node == LDN and c["context"] is None))]

    cycle: list[str] = []
    if kind == "LdnRole":
        from ldnkg.graph.analysis.cycles import role_cycle

        found = role_cycle(G)
        if found and node in found:
            i = found.index(node)
            cycle = [*found[i:], *found[:i]]
    return EvidenceProfile(
        name=name or node, iri=node, label=label(G, node), kind=kind,
        definition=str(data.get("definition") or ""),
        roles=[{"iri": r, "label": label(G, r)} for r in roles],
        parents=parents,
        chains=[_chain_record(G, c) for c in chains],
        direct=direct,
        publications=_publications(cited),
        caveats=[claim_record(G, c) for c in caveats],
        hypotheses=hypotheses,
        co_therapies=co_therapies,
        response_rates=rates,
        response_categories=categories,
        cycle=[{"iri": r, "label": label(G, r)} for r in cycle],
    )


_DEFAULT: list[Any] = []


def evidence(name: str, *, data: Any = None, cutoff: int = 6) -> EvidenceProfile:
    """What the article says about ``name`` and how strong the evidence is.

    Parameters
    ----------
    name : str
        A label, synonym, surname, CURIE or IRI (:mod:`ldnkg.graph.analysis.resolve`).
    data : rdflib.Dataset, path or None, keyword-only
        The graph: a Dataset, a build folder or RDF file (:func:`ldnkg.data.choose`), or None for
        the packaged ontology (no quotes; ``data="build"`` gives what ``make run`` built).
    cutoff : int, keyword-only
        Longest mechanism chain, in links.

    Returns
    -------
    EvidenceProfile

    Raises
    ------
    EntityLookupError
        If the name is unknown (with suggestions) or ambiguous (with the candidates).

    Examples
    --------
    >>> p = evidence("berkson")
    >>> p.kind, p.publications[0]["grade"]
    ('Person', 'exact')
    """
    if data is None:
        if not _DEFAULT:
            from ldnkg.graph.load import load

            _DEFAULT.append(load())
        ds = _DEFAULT[0]
    elif isinstance(data, str) or hasattr(data, "__fspath__"):
        from ldnkg.data import choose

        ds = choose(data).dataset()
    else:
        ds = data
    node = _context(ds).index.resolve(name)
    return profile(ds, node, name=name, cutoff=cutoff)
