"""Comparing SPARQL answers across engines and servers, value by value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

NUMERIC = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.float),
           str(XSD.nonNegativeInteger), str(XSD.int), str(XSD.long)}


def norm_value(value: str, datatype: str | None) -> Any:
    if datatype in NUMERIC:
        try:
            return Decimal(value).normalize()
        except InvalidOperation:
            return value
    return value


def norm(term: Any) -> Any:
    """A comparable value: IRIs as ('iri', text), literals by value (numbers numerically)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        return norm_value(str(term), str(term.datatype) if term.datatype else None)
    return ("bnode", str(term))


def norm_json_binding(binding: dict[str, str] | None) -> Any:
    """The same comparable value from a SPARQL JSON results binding."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return ("iri", binding["value"])
    if binding["type"] == "bnode":
        return ("bnode", binding["value"])
    return norm_value(binding["value"], binding.get("datatype"))


def rows_of(result: Any) -> list[tuple[Any, ...]]:
    """Sorted normalised rows of a QueryResult (SELECT)."""
    return sorted((tuple(norm(t) for t in row) for row in result.rows), key=repr)


def json_rows(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Sorted normalised rows of a SPARQL JSON results document."""
    names = doc["head"]["vars"]
    return sorted((tuple(norm_json_binding(b.get(v)) for v in names)
                   for b in doc["results"]["bindings"]), key=repr)
