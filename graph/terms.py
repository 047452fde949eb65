"""RDF terms between rdflib and pyoxigraph: one conversion for every module that needs it."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["to_oxigraph"]


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (same lexical form, datatype and language).

    >>> to_oxigraph(Literal("57", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
    <Literal value=57 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#decimal>>
    >>> to_oxigraph(Literal("douleur", lang="fr")).language
    'fr'
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
