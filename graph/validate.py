"""Validate the knowledge: referential integrity and the SHACL shapes (pyshacl-turbo; pyshacl the reference)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from typing import Literal as Choice

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from ldnkg.errors import UndefinedEntityError, ValidationError
from ldnkg.graph.load import KNOWLEDGE, SCHEMA, gc_paused, parse_turtle
from ldnkg.namespaces import LDN, LDNO, bind_prefixes
from ldnkg.ontology import ONTOLOGY_DIR, shapes_file

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["ENGINES", "check_references", "validate"]

Engine = Choice["pyshacl-turbo", "pyshacl"]
#: The SHACL engines :func:`validate` can use; the first is the default, the second the reference.
ENGINES: tuple[str, ...] = ("pyshacl-turbo", "pyshacl")

_REFERENCING = (RDF.subject, RDF.object, LDNO.supportedBy, LDNO.inContextOf, LDNO.investigates)


def check_references(ds: Dataset) -> None:
    """Raise :class:`UndefinedEntityError` if a claim or study names an entity IRI
    (``ldn:…``) or a property that no file defines.

    >>> from ldnkg.graph.load import load
    >>> check_references(load())
    """
    kg, schema = ds.graph(KNOWLEDGE), ds.graph(SCHEMA)
    defined = set(kg.subjects(RDF.type, None)) | set(schema.subjects(RDF.type, None))
    problems = []
    for prop in _REFERENCING:
        for owner, value in kg.subject_objects(prop):
            if isinstance(value, URIRef) and value.startswith(str(LDN)) and value not in defined:
                problems.append(f"{owner} refers to undefined entity {value} (via {kg.qname(prop)})")
    for claim, pred in kg.subject_objects(RDF.predicate):
        if pred not in defined:
            problems.append(f"{claim} uses undefined predicate {pred}")
    if problems:
        problems.sort()
        more = f"; … {len(problems) - 10} more" if len(problems) > 10 else ""
        raise UndefinedEntityError("; ".join(problems[:10]) + more)


class _PreparedQueries(Graph):
    """A Graph that parses each SPARQL text once (pyshacl asks the same query once per focus node)."""

    _prepared: ClassVar[dict[str, Query]] = {}

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        if isinstance(query_object, str):
            if query_object not in self._prepared:
                from rdflib.plugins.sparql import prepareQuery

                self._prepared[query_object] = prepareQuery(query_object)
            query_object = self._prepared[query_object]
        return super().query(query_object, *args, **kwargs)


def validate(ds: Dataset, *, root: Path = ONTOLOGY_DIR, engine: Engine = "pyshacl-turbo") -> int:
    """Check references, then validate schema + knowledge against ``shapes.ttl``.

    Returns the number of claims, studies and locators checked; raises
    :class:`ValidationError` listing every violation, each naming its focus node.
    ``engine`` is one of :data:`ENGINES`: both report the same violations (``tests/test_reasoner.py``).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; one of {', '.join(ENGINES)}")
    check_references(ds)
    from ldnkg.graph.reason import rdfs_types

    with gc_paused():
        data = bind_prefixes(Graph())  # so that paths read ldno:locator, oa:start (not ns1:, ns2:)
        for name in (SCHEMA, KNOWLEDGE):
            data += ds.graph(name)
        checked = len({s for t in (LDNO.Claim, LDNO.TextLocator, LDNO.Study) for s in data.subjects(RDF.type, t)})
        # The shapes need RDFS only for types (sh:targetClass, sh:class); those few are added up front
        # instead of a full inference pass.
        for triple in rdfs_types(data):
            data.add(triple)
        shapes = parse_turtle(shapes_file(root), Graph())
        advanced = any(shapes.triples((None, SH.rule, None))) or any(shapes.triples((None, SH.target, None)))
        report = (_turbo if engine == "pyshacl-turbo" else _pyshacl)(data, shapes, advanced)
        # one shape can report the same focus, path and message several times (once per
        # constraint component or inferred class); a reader needs each violation once
        violations: set[str] = set()
        for result in report.subjects(RDF.type, SH.ValidationResult):
            if report.value(result, SH.resultSeverity) != SH.Violation:
                continue
            focus = report.value(result, SH.focusNode)
            path = report.value(result, SH.resultPath)
            message = report.value(result, SH.resultMessage)
            where = data.qname(path) if isinstance(path, URIRef) else ""
            violations.add(f"{focus}: {where} {message}".replace("  ", " "))
    if violations:
        raise ValidationError(sorted(violations))
    return checked


def _turbo(data: Graph, shapes: Graph, advanced: bool) -> Graph:
    import pyshacl_turbo  # a Rust SHACL engine with pyshacl's interface, ~10x faster on these shapes

    _, report, _ = pyshacl_turbo.validate(
        data, shacl_graph=shapes, inference="none", advanced=advanced, allow_warnings=True
    )
    return report


def _pyshacl(data: Graph, shapes: Graph, advanced: bool) -> Graph:
    import pyshacl  # the reference engine

    # Without SHACL-AF (rules, custom targets) pyshacl validates this graph in place, so its SPARQL
    # constraints are parsed once, not once per focus node.
    target = bind_prefixes(_PreparedQueries())  # messages name nodes with the project's prefixes
    target += data
    _, report, _ = pyshacl.validate(
        target, shacl_graph=shapes, inference="none", advanced=advanced, allow_warnings=True
    )
    return report
