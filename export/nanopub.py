"""Every claim as a nanopublication (``ldn.nanopubs.trig``): head, assertion, provenance, pubinfo.

A consumer that loads only the assertion graphs must never read a hypothesis, an observation or a
negation as a fact, so what the assertion holds depends on the claim's standing:

* ``asserted`` — the claim's plain triple ``subject predicate object`` (what ``graph:knowledge``
  holds too);
* ``observation``, ``hypothesis``, ``negated`` — the claim node instead: ``claim a ldno:Claim`` with
  ``rdf:subject``/``rdf:predicate``/``rdf:object``, its ``ldno:standing`` and ``ldno:negated``. The
  assertion then says that the source makes this claim with this standing, which is true, and
  not that the triple holds.

The provenance graph is about the assertion (``prov:wasDerivedFrom`` the source document and the
claim) and gives the claim's evidence kind (ECO), assertion basis, certainty, evidence level,
standing, supporting study and its text locator (section, paragraph, offsets, SHA-256, and the
verbatim quote when built with ``--source``). The pubinfo graph is about the nanopublication: its
licence, label and the claim it publishes. Nanopublication IRIs are ``https://w3id.org/ldnkg/np/…``
after the claim's path, with ``#Head``, ``#assertion``, ``#provenance`` and ``#pubinfo``; they are
not signed and carry no trusty URI (no time stamp either, so rebuilds are byte-identical).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from ldnkg.graph.load import KNOWLEDGE
from ldnkg.graph.terms import to_oxigraph
from ldnkg.namespaces import BASE, CLAIM, LDNO, OA, PREFIXES

__all__ = ["NP", "NP_BASE", "nanopub_iri", "nanopub_quads", "write_nanopubs"]

NP = Namespace("http://www.nanopub.org/nschema#")
NP_BASE = BASE + "np/"
LICENSE = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
_LOCATOR_PROPERTIES = (LDNO.section, LDNO.paragraph, OA.start, OA.end, LDNO.spanSha256, LDNO.quote, LDNO.inDocument)
_CLAIM_PROVENANCE = (LDNO.evidence, LDNO.asserter, LDNO.certainty, LDNO.evidenceLevel, LDNO.standing,
                     LDNO.supportedBy, LDNO.inContextOf, LDNO.studyDesign)


def nanopub_iri(claim: URIRef | str) -> URIRef:
    """The nanopublication IRI of a claim.

    >>> str(nanopub_iri("https://w3id.org/ldnkg/claim/three-roles-of-ldn/p05-cost"))
    'https://w3id.org/ldnkg/np/three-roles-of-ldn/p05-cost'
    """
    text = str(claim)
    if not text.startswith(str(CLAIM)):
        raise ValueError(f"not a claim IRI: {text}")
    return URIRef(NP_BASE + text[len(str(CLAIM)):])


def _graph(name: URIRef, triples: list[tuple[Node, Node, Node]]) -> list[ox.Quad]:
    graph = ox.NamedNode(str(name))
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph) for s, p, o in set(triples)]
    return sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def _one(ds: Dataset, claim: URIRef) -> list[ox.Quad]:
    kg = ds.graph(KNOWLEDGE)
    np_iri = nanopub_iri(claim)
    head, assertion, provenance, pubinfo = (URIRef(f"{np_iri}#{part}")
                                            for part in ("Head", "assertion", "provenance", "pubinfo"))
    s, p, o = (kg.value(claim, x) for x in (RDF.subject, RDF.predicate, RDF.object))
    standing = kg.value(claim, LDNO.standing)
    if standing == LDNO.AssertedStanding:
        said = [(s, p, o)]
    else:  # the claim, never the bare triple: a hypothesis or negation must not read as a fact
        said = [(claim, RDF.type, LDNO.Claim), (claim, RDF.subject, s), (claim, RDF.predicate, p),
                (claim, RDF.object, o), (claim, LDNO.standing, standing),
                (claim, LDNO.negated, Literal(kg.value(claim, LDNO.negated) == Literal(True)))]
    source = kg.value(claim, PROV.wasDerivedFrom)
    prov = [(assertion, PROV.wasDerivedFrom, claim)]
    if source is not None:
        prov += [(assertion, PROV.wasDerivedFrom, source), (claim, PROV.wasDerivedFrom, source)]
    prov += [(claim, prop, value) for prop in _CLAIM_PROVENANCE for value in kg.objects(claim, prop)]
    locator = kg.value(claim, LDNO.locator)
    if locator is not None:
        prov += [(claim, LDNO.locator, locator), (locator, RDF.type, LDNO.TextLocator)]
        prov += [(locator, prop, value) for prop in _LOCATOR_PROPERTIES for value in kg.objects(locator, prop)]
    info = [(np_iri, DCTERMS.license, LICENSE), (np_iri, DCTERMS.subject, claim)]
    paraphrase = kg.value(claim, LDNO.paraphrase)
    if paraphrase is not None:
        info.append((np_iri, RDFS.label, paraphrase))
    header = [(np_iri, RDF.type, NP.Nanopublication), (np_iri, NP.hasAssertion, assertion),
              (np_iri, NP.hasProvenance, provenance), (np_iri, NP.hasPublicationInfo, pubinfo)]
    return (_graph(head, header) + _graph(assertion, said) + _graph(provenance, prov)
            + _graph(pubinfo, info))


def nanopub_quads(ds: Dataset) -> Iterator[ox.Quad]:
    """The quads of every claim's nanopublication, claim by claim in IRI order."""
    kg = ds.graph(KNOWLEDGE)
    for claim in sorted(set(kg.subjects(RDF.type, LDNO.Claim))):
        yield from _one(ds, claim)


def write_nanopubs(ds: Dataset, path: Path) -> None:
    """``ldn.nanopubs.trig``: one nanopublication per claim (pyoxigraph's TriG writer)."""
    prefixes = {**PREFIXES, "np": str(NP)}
    ox.serialize(list(nanopub_quads(ds)), path, format=ox.RdfFormat.TRIG, prefixes=prefixes)
