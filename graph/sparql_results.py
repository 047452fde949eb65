"""Query results in the standard formats, written by the libraries' own serializers.

SELECT/ASK: SPARQL 1.1 Query Results JSON, XML and CSV by rdflib's result writers, TSV by
pyoxigraph's (rdflib has no TSV writer); typed literals keep their datatype. ASK has no CSV or
TSV form in the standard, so none is made. CONSTRUCT/DESCRIBE: Turtle, RDF/XML and JSON-LD by
rdflib, N-Triples, N-Quads and TriG by pyoxigraph (lines sorted: the same result gives the same
bytes). ``table`` is for people.

>>> from rdflib import Literal, XSD
>>> from ldnkg.graph.sparql import QueryResult
>>> r = QueryResult("select", ["n"], [(Literal("57", datatype=XSD.decimal),)])
>>> serialize(r, "tsv")
'?n\\n"57"^^<http://www.w3.org/2001/XMLSchema#decimal>\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef, Variable
from rdflib.term import Node

from ldnkg.errors import QueryError
from ldnkg.namespaces import PREFIXES, XREF_PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from ldnkg.graph.sparql import QueryResult

__all__ = ["FORMATS", "GRAPH_FORMATS", "SOLUTION_FORMATS", "serialize", "short"]

#: SELECT/ASK formats (``table`` for people) and CONSTRUCT/DESCRIBE formats (``xml`` is RDF/XML).
SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("table", "ttl", "nt", "jsonld", "xml", "nq", "trig")
FORMATS = tuple(dict.fromkeys(SOLUTION_FORMATS + GRAPH_FORMATS))
_ALL_PREFIXES: dict[str, str] = {**PREFIXES, **XREF_PREFIXES}


def _rdflib_result(result: QueryResult) -> Any:
    from rdflib.query import Result

    if result.kind == "ask":
        out = Result("ASK")
        out.askAnswer = bool(result.boolean)
        return out
    out = Result("SELECT")
    names = [Variable(v) for v in result.variables]
    out.vars = names
    out.bindings = [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in result.rows]
    return out


def _solutions(result: QueryResult, fmt: str) -> str:
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        raise QueryError("an ASK result has no CSV or TSV form in SPARQL 1.1; use json or xml")
    as_json = _rdflib_result(result).serialize(format="json")
    if fmt == "json":
        return as_json.decode("utf-8") + "\n"
    if fmt == "tsv":
        parsed = ox.parse_query_results(as_json, format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    return _rdflib_result(result).serialize(format=fmt).decode("utf-8") + ("\n" if fmt == "xml" else "")


def _ox(term: Node) -> Any:
    from ldnkg.graph.sparql_engines import to_ox

    return to_ox(term)


def _graph(graph: Graph, fmt: str) -> str:
    if fmt in ("nt", "nq", "trig"):
        triples = sorted(graph, key=lambda t: tuple(x.n3() for x in t))
        quads = [ox.Quad(_ox(s), _ox(p), _ox(o)) for s, p, o in triples]
        form = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]
        if fmt == "nt":
            return ox.serialize([q.triple for q in quads], format=form).decode("utf-8")
        prefixes = _ALL_PREFIXES if fmt == "trig" else None
        return ox.serialize(quads, format=form, prefixes=prefixes).decode("utf-8")
    g = bind_prefixes(Graph())
    for t in graph:
        g.add(t)
    if fmt == "jsonld":
        return g.serialize(format="json-ld", indent=2)
    if fmt == "xml":
        return g.serialize(format="pretty-xml")
    if fmt == "table":
        rows = sorted((short(s), short(p), short(o)) for s, p, o in g)
        return _table(["subject", "predicate", "object"], rows)
    return g.serialize(format="turtle")


def serialize(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as text in ``fmt`` (one of :data:`FORMATS`; see the module docstring)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"format {fmt} is for SELECT/ASK results; use one of "
                             f"{', '.join(GRAPH_FORMATS)} for CONSTRUCT/DESCRIBE")
        return _graph(result.graph if result.graph is not None else Graph(), fmt)
    if fmt not in SOLUTION_FORMATS:
        raise QueryError(f"format {fmt} is for CONSTRUCT/DESCRIBE results; use one of "
                         f"{', '.join(SOLUTION_FORMATS)}")
    if fmt == "table":
        if result.kind == "ask":
            return "yes\n" if result.boolean else "no\n"
        cells = [[short(v).replace("\n", " ") for v in row] for row in result.rows]
        return _table(result.variables, cells)
    return _solutions(result, fmt)


def short(term: Node | None) -> str:
    """An IRI as a CURIE where a project prefix fits; other terms as their text.

    >>> short(URIRef("https://w3id.org/ldnkg/entity/LDN"))
    'ldn:LDN'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for prefix, ns in _ALL_PREFIXES.items():
            if s.startswith(ns) and re.fullmatch(r"[\w./-]*", s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(header: list[str], cells: Iterable[Iterable[str]]) -> str:
    import textwrap

    rows = [list(r) for r in cells]
    # long text wraps onto continuation lines of its column (nothing is cut off)
    widths = [max([len(h)] + [min(len(r[i]), 60) for r in rows]) for i, h in enumerate(header)]

    def line(values: Iterable[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    def physical(values: list[str]) -> list[str]:
        cols = [textwrap.wrap(v, w, break_on_hyphens=False) or [""] if len(v) > w else [v]
                for v, w in zip(values, widths, strict=True)]
        return [line(c[i] if i < len(c) else "" for c in cols) for i in range(max(map(len, cols)))]

    out = [line(header), line("-" * w for w in widths)]
    out += [text for r in rows for text in physical(r)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
