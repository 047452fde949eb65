"""N× copies of the article's graph, for the benchmarks (``scale_bench.py``, ``sparql_bench.py``).

Copy 0 is the original; copies 1..N-1 rename EVERY node the knowledge owns — entities,
publications, studies, claims, locators, citation matches, the source document — with a ``-cK``
suffix, so that per-copy counts (publications, traceability, studies) are N times the article's,
not inflated by shared nodes. Only ``ldn:LDN`` stays shared: it is the hub every copy's claims are
about (as in a real LDN graph), which is what the scale is meant to stress. External identifiers
(MONDO, ECO, …), the ontology's own terms and named-graph names are shared; blank nodes are fresh
in every copy.

>>> owned("https://w3id.org/ldnkg/entity/Migraine"), owned("https://w3id.org/ldnkg/entity/LDN")
(True, False)
>>> rename = renaming(3)
>>> str(rename(URIRef("https://w3id.org/ldnkg/claim/x"))), str(rename(URIRef(BASE + "ontology#Claim")))
('https://w3id.org/ldnkg/claim/x-c3', 'https://w3id.org/ldnkg/ontology#Claim')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rdflib import BNode, URIRef

BASE = "https://w3id.org/ldnkg/"
HUB = BASE + "entity/LDN"


def owned(iri: str) -> bool:
    """Whether a copy renames this IRI (the project's nodes, not its ontology nor the hub)."""
    return iri.startswith(BASE) and not iri.startswith(BASE + "ontology#") and iri != HUB


def renaming(k: int) -> Callable[[Any], Any]:
    """The rdflib term map of copy ``k`` (copy 0 keeps every IRI)."""
    bnodes: dict[BNode, BNode] = {}

    def rename(term: Any) -> Any:
        if isinstance(term, BNode):
            return bnodes.setdefault(term, BNode(f"{term}c{k}"))
        return URIRef(f"{term}-c{k}") if k and isinstance(term, URIRef) and owned(str(term)) else term

    return rename


def write_nquads_copies(quads: Iterable[Any], path: Path, copies: int) -> int:
    """Write ``copies`` copies of pyoxigraph ``quads`` as N-Quads (pyoxigraph's serializer);
    subjects and objects are renamed, graph names kept; return the number of distinct quads.

    A quad no copy renames (the schema, shared facts) is written once.
    """
    import pyoxigraph as ox

    base = list(quads)

    def term(t: Any, k: int) -> Any:
        if isinstance(t, ox.NamedNode) and owned(t.value):
            return ox.NamedNode(f"{t.value}-c{k}")
        if isinstance(t, ox.BlankNode):
            return ox.BlankNode(f"{t.value}c{k}")
        return t

    def changes(t: Any) -> bool:
        return isinstance(t, ox.BlankNode) or (isinstance(t, ox.NamedNode) and owned(t.value))

    varying = [q for q in base if changes(q.subject) or changes(q.object)]

    def every() -> Iterable[Any]:
        yield from base
        for k in range(1, copies):
            for q in varying:
                yield ox.Quad(term(q.subject, k), q.predicate, term(q.object, k), q.graph_name)

    with path.open("wb") as out:
        ox.serialize(every(), out, ox.RdfFormat.N_QUADS)
    return len(base) + (copies - 1) * len(varying)
