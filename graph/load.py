"""Load the ontology folder into an rdflib Dataset, one named graph per kind of content.

Named graphs
------------
``graph:schema``     the OWL schema (``schema.ttl``);
``graph:knowledge``  the curated knowledge (``knowledge/**/*.ttl``) plus what the build
                     materialises from it: each claim's evidence level and standing, the plain
                     triple of every *asserted* claim, the study design on claims backed by a
                     study, ``oboInOwl:hasDbXref`` CURIEs for cross-references, and (with
                     ``--source``) verbatim quotes;
``graph:observations``  the plain triples of claims that rest on the author's observations or on
                     individual cases (standing "observation", see :mod:`ldnkg.graph.weight`);
``graph:hypotheses`` the plain triples of the author's hypotheses and hedged claims;
``graph:inferred``   OWL 2 RL entailments of schema + knowledge not already asserted (see
                     :mod:`ldnkg.graph.reason`): hypotheses and observations never feed the reasoner.

Negated claims have no plain triple in any graph.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ldnkg.errors import OntologyError, RdfSyntaxError
from ldnkg.namespaces import CONVERTER, GRAPH, LDNO, OIO, bind_prefixes
from ldnkg.ontology import ONTOLOGY_DIR, knowledge_files, schema_file

__all__ = [
    "DATASET_GRAPHS",
    "HYPOTHESES",
    "INFERRED",
    "KNOWLEDGE",
    "OBSERVATIONS",
    "SCHEMA",
    "asserted_graph",
    "load",
    "materialise",
    "ontology_root",
    "parse_turtle",
]

SCHEMA = GRAPH.schema
KNOWLEDGE = GRAPH.knowledge
INFERRED = GRAPH.inferred
OBSERVATIONS = GRAPH.observations
HYPOTHESES = GRAPH.hypotheses
#: Every named graph of a built dataset, in the order the TriG and N-Quads exports write them.
DATASET_GRAPHS = (SCHEMA, KNOWLEDGE, OBSERVATIONS, HYPOTHESES, INFERRED)

#: The largest curated Turtle file accepted (the largest today, claims.ttl, is 0.2 MB; rdflib needs
#: about 10 s per 30 MB, so a runaway file is refused at once instead).
MAX_TURTLE_BYTES = 16 * 1024 * 1024

# only mappings that name the same thing become database cross-references (not broad/related ones)
_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch)


def parse_turtle(path: Path, into: Graph) -> Graph:
    """Parse one Turtle file into ``into``; a syntax error names the file and line.

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = bad.write_text("@prefix a: <http://x/> .\\na:b a:c .\\n")
    >>> parse_turtle(bad, Graph())
    Traceback (most recent call last):
    ...
    ldnkg.errors.RdfSyntaxError: ...bad.ttl:2: malformed RDF: objectList expected
    """
    try:
        size = Path(path).stat().st_size
    except OSError as err:  # missing schema/shapes, dangling symlink, symlink loop
        raise OntologyError(f"{path}: {err.strerror.lower()}") from None
    if not Path(path).is_file():
        raise OntologyError(f"{path}: not a regular file")
    if size > MAX_TURTLE_BYTES:  # rdflib's parser would take minutes and gigabytes first
        raise RdfSyntaxError(str(path), None,
                             f"{size} bytes, more than the {MAX_TURTLE_BYTES} a curated file may hold")
    parsed = _parse_oxigraph(Path(path))
    if parsed is None:  # refused by pyoxigraph: rdflib's parser reads it, or says where and why it cannot
        parsed = _parse_rdflib(Path(path))
    triples, prefixes = parsed
    for prefix, namespace in prefixes:
        into.bind(prefix, namespace, override=False)
    into.addN((s, p, o, into) for s, p, o in triples)
    return into


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Parsed = tuple[list[tuple[Node, Node, Node]], list[tuple[str, URIRef]]]


def _parse_oxigraph(path: Path) -> Parsed | None:
    """The triples and prefixes of a Turtle file, read by pyoxigraph (20 times as fast as rdflib's
    parser) as the rdflib terms rdflib's parser makes; None if pyoxigraph refuses the file.

    A plain literal and one typed ``xsd:string`` are one RDF 1.1 term: both come back plain.
    Blank node labels are scoped to the file, as rdflib scopes them.
    """
    import pyoxigraph as ox

    bnodes: dict[str, BNode] = {}
    terms: dict[object, Node] = {}

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        done = terms.get(t)
        if done is not None:
            return done
        if isinstance(t, ox.NamedNode):
            done = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            done = bnodes.setdefault(t.value, BNode())
        elif isinstance(t, ox.Literal) and not getattr(t, "direction", None):
            if t.language:
                done = Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:
                done = Literal(t.value)
            else:
                done = Literal(t.value, datatype=URIRef(t.datatype.value))
        else:  # an RDF 1.2 triple term or base direction: rdflib has no such term
            raise _NotForRdflib
        terms[t] = done
        return done

    try:
        parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in parser]
    except (SyntaxError, ValueError, OSError, _NotForRdflib):
        return None
    if bnodes and _nesting(triples) > MAX_NESTING:
        return None  # rdflib's parser decides, as it did before (it refuses what it nests too deep to read)
    return triples, [(prefix, URIRef(namespace)) for prefix, namespace in parser.prefixes.items()]


#: Deeper chains of blank nodes (``[ … [ … ] ]``, long lists) are left to rdflib's parser, whose recursion
#: limit refused them before pyoxigraph read the curated files (and rdflib's writers recurse as deep).
MAX_NESTING = 50


def _nesting(triples: list[tuple[Node, Node, Node]]) -> int:
    """How many blank nodes the longest chain holds, each the object of the one before (a cycle ends a chain)."""
    parent = {o: s for s, _, o in triples if isinstance(o, BNode) and isinstance(s, BNode)}
    depth: dict[Node, int] = {}
    for start in parent:
        chain, node = [], start
        while node in parent and node not in depth:
            chain.append(node)
            node = parent[node]
            if len(chain) > len(parent):
                return len(chain)  # a cycle
        base = depth.get(node, 1)  # the top of a chain is one level
        for i, n in enumerate(reversed(chain), 1):
            depth[n] = base + i
    return max(depth.values(), default=0)


class _NotForRdflib(Exception):
    pass


def _parse_rdflib(path: Path) -> Parsed:
    # parsed into a scratch graph first, so that every literal can be checked before it joins `into`
    fresh = Graph()
    try:
        fresh.parse(path, format="turtle")
    except BadSyntax as err:
        raise RdfSyntaxError(str(path), err.lines + 1, err._why) from None
    except (ValueError, SyntaxError) as err:  # e.g. an undefined prefix or a bad literal
        raise RdfSyntaxError(str(path), None, str(err)) from None
    except RecursionError:  # e.g. 20 000 nested [ ] or ( )
        raise RdfSyntaxError(str(path), None, "nesting too deep to parse") from None
    except OSError as err:
        raise OntologyError(f"{path}: {err.strerror.lower() if err.strerror else err}") from None
    for s, _p, o in fresh:
        for term in (s, o):
            try:
                str(term).encode("utf-8")
            except UnicodeEncodeError:  # "\uD800": a lone surrogate is no Unicode text, no writer can encode it
                raise RdfSyntaxError(str(path), None, f"a term of {s} holds a lone surrogate "
                                     f"({str(term).encode('utf-8', 'backslashreplace').decode()[:60]!r}); "
                                     "RDF text must be valid Unicode") from None
    return list(fresh), list(fresh.namespaces())


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a step that makes tens of thousands of rdflib terms.

    Such steps make no garbage cycles worth collecting, but every automatic collection walks the
    whole heap, which grows with the graph: at 10× the article that made loading, SHACL and
    reasoning grow faster than the graph. Collection resumes afterwards (nesting is fine).

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(root: Path | str = ONTOLOGY_DIR, *, materialised: bool = True) -> Dataset:
    """Load the schema and all curated knowledge under ``root`` into a Dataset.

    Parameters
    ----------
    root : path
        An ontology folder (``schema.ttl``, ``shapes.ttl``, ``knowledge/``); the packaged
        one by default.
    materialised : bool, keyword-only
        Add the triples the build derives from the claims (see :func:`materialise`).

    Returns
    -------
    rdflib.Dataset
        With ``default_union`` on, so queries see all named graphs.

    Examples
    --------
    >>> ds = load()
    >>> from ldnkg.namespaces import LDN, LDNO
    >>> (LDN.LDN, LDNO.hasRole, LDN.ImmuneModulation) in ds.graph(KNOWLEDGE)
    True
    """
    root = Path(root)
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    with gc_paused():
        parse_turtle(schema_file(root), ds.graph(SCHEMA))
        knowledge = ds.graph(KNOWLEDGE)
        for path in knowledge_files(root):
            parse_turtle(path, knowledge)
        if materialised:
            materialise(ds)
    # which folder this came from, so that what travels with the data (the named queries the
    # explorer's console embeds) comes from the same folder: see ontology_root()
    ds.ldnkg_ontology_root = root  # type: ignore[attr-defined]
    return ds


def ontology_root(ds: Dataset) -> Path:
    """The ontology folder ``ds`` was loaded from (the packaged one if it was not loaded by :func:`load`).

    >>> ontology_root(load()) == ONTOLOGY_DIR
    True
    """
    return getattr(ds, "ldnkg_ontology_root", ONTOLOGY_DIR)


def materialise(ds: Dataset) -> Dataset:
    """Add to the dataset what follows directly from the curated claims.

    * ``ldno:evidenceLevel`` and ``ldno:standing`` on every claim (:mod:`ldnkg.graph.weight`);
    * the plain triple ``subject predicate object`` of every claim that is not negated, in the
      graph its standing names — ``graph:knowledge`` only for asserted claims, so that simple
      SPARQL over the plain exports never reads a hypothesis or a single case as a fact;
    * ``ldno:studyDesign`` on each claim from the study that supports it;
    * an ``oboInOwl:hasDbXref`` CURIE for every exact or close SKOS mapping to a known namespace.
    """
    from ldnkg.graph.weight import STANDING_IRIS, evidence_level, standing

    kg = ds.graph(KNOWLEDGE)
    plain = {"asserted": kg, "observation": ds.graph(OBSERVATIONS), "hypothesis": ds.graph(HYPOTHESES)}
    for claim in sorted(set(kg.subjects(RDF.type, LDNO.Claim))):
        negated = kg.value(claim, LDNO.negated) == Literal(True)
        study = kg.value(claim, LDNO.supportedBy)
        design = kg.value(study, LDNO.studyDesign) if study is not None else None
        basis, certainty = kg.value(claim, LDNO.asserter), kg.value(claim, LDNO.certainty)
        if design is not None:
            kg.add((claim, LDNO.studyDesign, design))
        if basis is None or certainty is None:
            continue  # incomplete: SHACL reports it by name
        try:
            level = evidence_level(basis, design=design)
        except ValueError:
            continue  # unknown basis: SHACL reports it by name
        where = standing(basis=basis, certainty=certainty, design=design, negated=negated)
        kg.add((claim, LDNO.evidenceLevel, level.iri))
        kg.add((claim, LDNO.standing, STANDING_IRIS[where]))
        s, p, o = (kg.value(claim, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if where in plain and s is not None and p is not None and o is not None:
            plain[where].add((s, p, o))
    for mapping in _MAPPINGS:
        for s, o in list(kg.subject_objects(mapping)):
            curie = CONVERTER.compress(str(o))
            if curie is not None:
                kg.add((s, OIO.hasDbXref, Literal(curie)))
    return ds


def asserted_graph(ds: Dataset, *, include_inferred: bool = False) -> Graph:
    """One Graph with the schema and knowledge (and optionally the inferred) triples."""
    names: Iterable[URIRef] = (SCHEMA, KNOWLEDGE, INFERRED) if include_inferred else (SCHEMA, KNOWLEDGE)
    out = bind_prefixes(Graph())
    for name in names:
        for triple in ds.graph(name):
            out.add(triple)
    return out


def is_property(graph: Graph, term: URIRef) -> bool:
    """True if ``term`` is declared as an OWL object or datatype property in ``graph``."""
    return any((term, RDF.type, kind) in graph for kind in (OWL.ObjectProperty, OWL.DatatypeProperty))
