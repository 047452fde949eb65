"""OWL 2 RL reasoning with owlrl, keeping inferred triples apart from asserted ones.

The closure is computed over schema + knowledge; only the new triples that say something
about the project's own terms are kept (types from the class hierarchy, super-properties,
symmetric links). owlrl's bookkeeping (``owl:sameAs`` to self, ``owl:Thing``/``rdfs:Resource``
types, axioms about the OWL/RDF vocabularies) is dropped.
"""

from __future__ import annotations

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ldnkg.graph.load import INFERRED, KNOWLEDGE, SCHEMA
from ldnkg.namespaces import BASE

__all__ = ["infer"]

_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.Class, RDFS.Class, OWL.NamedIndividual, RDF.Property}
_NOISE_PREDICATES = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty}


def _keep(triple: tuple) -> bool:
    s, p, o = triple
    if isinstance(s, (BNode, Literal)) or isinstance(o, BNode):
        return False
    if not str(s).startswith(BASE) or p in _NOISE_PREDICATES or o in _NOISE_OBJECTS:
        return False
    if p == RDF.type and isinstance(o, URIRef) and not str(o).startswith(BASE):
        # keep standard classes only where the schema maps to them (e.g. prov:Entity)
        return str(o).startswith(("http://www.w3.org/ns/prov#", "https://schema.org/"))
    return not (p in (RDFS.subClassOf, RDFS.subPropertyOf) and s == o)


def infer(ds: Dataset) -> int:
    """Fill the ``graph:inferred`` named graph with OWL 2 RL entailments; return their count.

    >>> from ldnkg.graph.load import load
    >>> ds = load()
    >>> infer(ds) > 0
    True
    >>> from ldnkg.namespaces import LDN, LDNO
    >>> (LDN.Fibromyalgia, RDF.type, LDNO.Condition) in ds.graph(INFERRED)
    True
    """
    import owlrl  # heavy import, only when reasoning

    asserted = Graph()
    for name in (SCHEMA, KNOWLEDGE):
        for triple in ds.graph(name):
            asserted.add(triple)
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = ds.graph(INFERRED)
    inferred.remove((None, None, None))
    for triple in closure:
        if triple not in asserted and _keep(triple):
            inferred.add(triple)
    return len(inferred)
