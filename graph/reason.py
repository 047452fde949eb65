"""OWL 2 RL reasoning, keeping inferred triples apart from asserted ones.

The closure is computed over schema + knowledge; only the new triples that say something
about the project's own terms are kept (types from the class hierarchy, super-properties,
symmetric links). The reasoner's bookkeeping (``owl:sameAs`` to self, ``owl:Thing``/``rdfs:Resource``
types, axioms about the OWL/RDF vocabularies) is dropped.

Two engines give the same kept triples on the project's data (``tests/test_reasoner.py``):

* ``reasonable`` (default): a Rust OWL 2 RL reasoner, ~15× faster than owlrl here. It writes
  plain literals with an explicit ``xsd:string`` datatype (the same RDF 1.1 term, but a different
  rdflib object) and does not emit the schema rules scm-dom1/2, scm-rng1/2 and scm-spo (domains and
  ranges inherited along the class and property hierarchies, transitive sub-properties); both are
  made good here, deterministically, from the closure it returns.
* ``owlrl``: the pure-Python reference implementation.

:func:`rdfs_types` is a cheap RDFS closure (rdfs2, rdfs3, rdfs7, rdfs9) that SHACL validation
uses instead of a full RDFS inference pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal as Choice

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ldnkg.graph.load import INFERRED, KNOWLEDGE, SCHEMA, gc_paused
from ldnkg.namespaces import BASE

__all__ = ["ENGINES", "entailments", "infer", "rdfs_types"]

Triple = tuple
Engine = Choice["reasonable", "owlrl"]
#: The reasoners :func:`infer` can use; the first is the default.
ENGINES: tuple[str, ...] = ("reasonable", "owlrl")

_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.Class, RDFS.Class, OWL.NamedIndividual, RDF.Property}
_NOISE_PREDICATES = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty}
# looked up once: an attribute of rdflib's closed namespaces costs microseconds, paid per triple in the loops
_TYPE, _SUBCLASS, _SUBPROPERTY = RDF.type, RDFS.subClassOf, RDFS.subPropertyOf
_DOMAIN, _RANGE, _STRING = RDFS.domain, RDFS.range, XSD.string
_FUNCTIONAL, _SAME_AS = OWL.FunctionalProperty, OWL.sameAs


def _keep(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, (BNode, Literal)) or isinstance(o, BNode):
        return False
    if not str(s).startswith(BASE) or p in _NOISE_PREDICATES or o in _NOISE_OBJECTS:
        return False
    if p == _TYPE and isinstance(o, URIRef) and not str(o).startswith(BASE):
        # keep standard classes only where the schema maps to them (e.g. prov:Entity)
        return str(o).startswith(("http://www.w3.org/ns/prov#", "https://schema.org/"))
    return not (p in (_SUBCLASS, _SUBPROPERTY) and s == o)


def _closure(edges: Iterable[tuple[URIRef, URIRef]]) -> dict:
    """Reflexive-transitive closure of a relation: node → every node reachable from it (itself included)."""
    step: dict = defaultdict(set)
    for a, b in edges:
        step[a].add(b)
    reach: dict = {}
    for start in list(step):
        seen, todo = {start}, [start]
        while todo:
            for nxt in step.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        reach[start] = seen
    return reach


def _schema_rules(triples: set[Triple]) -> set[Triple]:
    """The OWL 2 RL schema rules reasonable leaves out: scm-spo, scm-dom1/2, scm-rng1/2."""
    schema = [(s, p, o) for s, p, o in triples
              if p in (_SUBCLASS, _SUBPROPERTY, _DOMAIN, _RANGE) and not isinstance(o, Literal)]
    sco = _closure((s, o) for s, p, o in schema if p == _SUBCLASS)
    spo = _closure((s, o) for s, p, o in schema if p == _SUBPROPERTY)
    new: set[Triple] = set()
    for prop, supers in spo.items():
        new.update((prop, _SUBPROPERTY, sup) for sup in supers)
    for kind in (_DOMAIN, _RANGE):
        declared = defaultdict(set)
        for s, p, o in schema:
            if p == kind:
                declared[s].add(o)
        props = set(declared) | {p for p, supers in spo.items() if supers & set(declared)}
        for prop in props:
            for sup in spo.get(prop, {prop}):
                for cls in declared.get(sup, ()):
                    new.update((prop, kind, c) for c in sco.get(cls, {cls}))
    return new - triples


def _plain(term):
    # RDF 1.1: "x"^^xsd:string and "x" are one term; rdflib keeps them apart
    return Literal(str(term)) if isinstance(term, Literal) and term.datatype == _STRING else term


def _reason(triples: Iterable[Triple]) -> list[Triple]:
    import reasonable  # Rust extension, only when reasoning

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(list(triples))  # a list of triples: no rdflib Graph to build or walk
    return reasoner.reason()


def _without_prp_fp(asserted: set[Triple]) -> list[Triple] | None:
    """reasonable's closure without rule prp-fp, if that rule would add nothing but ``y owl:sameAs y``.

    reasonable joins the triples of each functional property with themselves on the property alone
    (one pair per two claims: 83k pairs at 1×, 8.3M at 10×, out of memory at 100×). When no node has
    two values of a functional property and nothing else makes owl:sameAs, prp-fp concludes only
    ``y owl:sameAs y``, which is not kept; then the closure without the declarations is the same.
    None when that does not hold (the caller reasons with everything).
    """
    declared = {t for t in asserted if t[1] == _TYPE and t[2] == _FUNCTIONAL}
    if not declared or any(_FUNCTIONAL in t for t in asserted - declared):
        return None  # no declaration, or axioms about owl:FunctionalProperty other rules may use
    closure = _reason(asserted - declared)
    functional = {s for s, _, _ in declared} | {s for s, p, o in closure if p == _TYPE and o == _FUNCTIONAL}
    values: dict = defaultdict(set)
    for s, p, o in closure:
        if p == _SAME_AS:
            return None
        if p in functional:
            values[s, p].add(o)
            if len(values[s, p]) > 1:
                return None
    return closure


def _reasonable_closure(asserted: set[Triple]) -> set[Triple]:
    raw = _without_prp_fp(asserted)
    closure = {(s, p, _plain(o)) for s, p, o in (_reason(asserted) if raw is None else raw)}
    return closure | _schema_rules(closure | asserted)


def _owlrl_closure(asserted: Iterable[Triple]) -> set[Triple]:
    import owlrl  # heavy import, only when reasoning with the reference engine

    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    return set(closure)


def entailments(asserted: Graph | Iterable[Triple], *, engine: Engine = "reasonable") -> set[Triple]:
    """The OWL 2 RL entailments of ``asserted`` that are kept: new, and about the project's terms.

    Parameters
    ----------
    asserted : rdflib.Graph or iterable of triples
        Schema and knowledge triples.
    engine : {"reasonable", "owlrl"}, keyword-only
        The reasoner; both give the same set on the project's data.

    Examples
    --------
    >>> from ldnkg.graph.load import asserted_graph, load
    >>> from ldnkg.namespaces import LDN, LDNO
    >>> g = asserted_graph(load())
    >>> (LDN.Fibromyalgia, RDF.type, LDNO.Condition) in entailments(g)
    True
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoner {engine!r}; one of {', '.join(ENGINES)}")
    with gc_paused():
        base = set(asserted)  # membership in a set, not a Graph, for every triple of the closure
        closure = _reasonable_closure(base) if engine == "reasonable" else _owlrl_closure(base)
        return {t for t in closure if t not in base and _keep(t)}


def infer(ds: Dataset, *, engine: Engine = "reasonable") -> int:
    """Fill the ``graph:inferred`` named graph with OWL 2 RL entailments; return their count.

    >>> from ldnkg.graph.load import load
    >>> ds = load()
    >>> infer(ds) > 0
    True
    >>> from ldnkg.namespaces import LDN, LDNO
    >>> (LDN.Fibromyalgia, RDF.type, LDNO.Condition) in ds.graph(INFERRED)
    True
    """
    with gc_paused():
        asserted = {triple for name in (SCHEMA, KNOWLEDGE) for triple in ds.graph(name)}
        inferred = ds.graph(INFERRED)
        inferred.remove((None, None, None))
        inferred.addN((s, p, o, inferred) for s, p, o in entailments(asserted, engine=engine))
    return len(inferred)


def rdfs_types(graph: Graph) -> set[Triple]:
    """The ``rdf:type`` triples RDFS entails for ``graph`` that it does not state.

    Rules rdfs2 (domain), rdfs3 (range), rdfs7 (sub-property) and rdfs9 (sub-class), to a fixpoint
    in one pass over closed hierarchies: what SHACL's ``sh:targetClass``/``sh:class`` need, at a
    fraction of a full RDFS inference pass (which also derives ``rdfs:Resource`` types and
    axiomatic triples no shape reads).

    >>> from rdflib import Namespace
    >>> EX = Namespace("http://example.org/")
    >>> g = Graph()
    >>> for t in [(EX.knows, RDFS.domain, EX.Person), (EX.Person, RDFS.subClassOf, EX.Agent),
    ...           (EX.a, EX.knows, EX.b)]:
    ...     _ = g.add(t)
    >>> sorted(str(o) for s, p, o in rdfs_types(g) if s == EX.a)
    ['http://example.org/Agent', 'http://example.org/Person']
    """
    sco = _closure((s, o) for s, o in graph.subject_objects(RDFS.subClassOf) if not isinstance(o, Literal))
    spo = _closure((s, o) for s, o in graph.subject_objects(RDFS.subPropertyOf) if not isinstance(o, Literal))
    domains, ranges = defaultdict(set), defaultdict(set)
    for prop, cls in graph.subject_objects(RDFS.domain):
        domains[prop].add(cls)
    for prop, cls in graph.subject_objects(RDFS.range):
        ranges[prop].add(cls)
    direct: set[Triple] = set()
    for s, p, o in graph:
        if p == _TYPE:
            direct.add((s, o))
        for sup in spo.get(p, (p,)):
            if isinstance(s, Literal):
                continue
            direct.update((s, c) for c in domains.get(sup, ()))
            if not isinstance(o, Literal):
                direct.update((o, c) for c in ranges.get(sup, ()))
            if sup == _TYPE and sup != p:  # a sub-property of rdf:type
                direct.add((s, o))
    out = {(s, _TYPE, c) for s, cls in direct for c in sco.get(cls, (cls,))}
    return {t for t in out if t not in graph}
