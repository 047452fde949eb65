"""The two SPARQL engines over one dataset: pyoxigraph (default) and rdflib's evaluator.

Both honour the query's own dataset (``FROM``/``FROM NAMED`` name graphs of the data) and the
protocol's (``default-graph-uri``/``named-graph-uri``, which take precedence). A query with
neither reads as its default graph the union of every graph **except** ``graph:observations`` and
``graph:hypotheses`` (:func:`fact_graphs`): a plain query never reads the author's hypotheses or
single cases as facts; ``GRAPH <…/graph/hypotheses> { … }`` or ``FROM`` reaches them on purpose,
and every claim, whatever its standing, is in ``graph:knowledge``. The project's named queries run
with ``union=True`` (every graph): they traverse every plain triple and show each claim's evidence
level and standing. Neither engine ever fetches a
``FROM`` IRI: rdflib's graph loading is switched off for the whole process
(``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False``).

Both take an already checked query (:func:`ldnkg.graph.sparql_guard.check_query`).
"""

from __future__ import annotations

import re
import threading
import weakref
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from ldnkg.errors import QueryError
from ldnkg.graph.load import HYPOTHESES, OBSERVATIONS
from ldnkg.graph.sparql_guard import CheckedQuery
from ldnkg.graph.terms import to_oxigraph

__all__ = ["ResultLimitError", "fact_graphs", "from_ox", "load_store", "run_oxigraph", "run_rdflib", "to_ox",
           "to_store"]

# named graphs whose plain triples are not facts (ldnkg.graph.weight): kept out of the default graph
_NOT_FACTS = frozenset({str(OBSERVATIONS), str(HYPOTHESES)})


def fact_graphs(store: ox.Store) -> list[Any] | None:
    """The default graph of a query that names no dataset, as a pyoxigraph graph list, or None for
    "the union of all graphs" (a store with no observations or hypotheses graph).

    >>> s = ox.Store()
    >>> s.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.NamedNode("http://x/b"),
    ...               ox.NamedNode("https://w3id.org/ldnkg/graph/hypotheses")))
    >>> fact_graphs(s)
    [<DefaultGraph>]
    >>> fact_graphs(ox.Store()) is None
    True
    """
    names = {g.value: g for g in store.named_graphs()}
    if not _NOT_FACTS & names.keys():
        return None
    return [ox.DefaultGraph(), *(names[n] for n in sorted(names) if n not in _NOT_FACTS)]

# A FROM <http://…> or FROM <file:///etc/passwd> must never make rdflib read anything.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

_XSD_STRING = str(XSD.string)


class ResultLimitError(QueryError):
    """The result has more rows than the configured limit."""


def from_ox(term: Any) -> Node | None:
    """An rdflib term from a pyoxigraph term.

    >>> from_ox(ox.Literal("x", language="en"))
    rdflib.term.Literal('x', lang='en')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt))
    raise QueryError(f"unsupported RDF term in result: {term!r}")


def to_ox(term: Node) -> Any:
    """A pyoxigraph term from an rdflib term (:func:`ldnkg.graph.terms.to_oxigraph`)."""
    try:
        return to_oxigraph(term)
    except TypeError:
        raise QueryError(f"unsupported RDF term: {term!r}") from None


def load_store(path: Path | str) -> ox.Store:
    """A pyoxigraph in-memory store from an RDF file (format from the extension).

    Triples of a triple format go to the default graph; quads keep their named graphs.
    """
    path = Path(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path))
    except (SyntaxError, ValueError, OSError) as err:
        raise QueryError(f"{path}: cannot load RDF: {err}") from None
    return store


_STORES: dict[int, tuple[int, ox.Store]] = {}
_STORES_LOCK = threading.Lock()


def to_store(data: Dataset | Graph | ox.Store) -> ox.Store:
    """The pyoxigraph store holding ``data``'s quads (cached per dataset until it changes size).

    Named graphs stay named; triples of rdflib's default graph, or of a plain Graph, go to the
    store's default graph.
    """
    if isinstance(data, ox.Store):
        return data
    key, size = id(data), len(data)
    with _STORES_LOCK:
        cached = _STORES.get(key)
        if cached and cached[0] == size:
            return cached[1]
    store = ox.Store()
    graphs = list(data.graphs()) if isinstance(data, Dataset) else [data]
    for g in graphs:
        if not len(g):
            continue
        name = g.identifier
        target = (ox.DefaultGraph() if not isinstance(data, Dataset) or name == DATASET_DEFAULT_GRAPH_ID
                  else to_ox(name))
        store.load(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=target)
    with _STORES_LOCK:
        if key not in _STORES:
            weakref.finalize(data, _STORES.pop, key, None)
        _STORES[key] = (size, store)
    return store


_OX_POS = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def _limit_error(limit: int, what: str) -> ResultLimitError:
    return ResultLimitError(f"the result has more than {limit} {what}, the row limit")


def run_oxigraph(data: Any, checked: CheckedQuery, text: str, limit: int | None,
                 default_graph: list[str] | None, named_graphs: list[str] | None, *, union: bool = False) -> Any:
    """Evaluate ``text`` with pyoxigraph; returns a :class:`~ldnkg.graph.sparql.QueryResult`."""
    from ldnkg.graph.sparql import QueryResult

    store = to_store(data)
    kwargs: dict[str, Any] = {}
    if default_graph:
        kwargs["default_graph"] = [ox.NamedNode(n) for n in default_graph]
    elif not checked.has_dataset:
        facts = None if union else fact_graphs(store)
        if facts is None:
            kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = facts
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(n) for n in named_graphs]
    try:
        answer = store.query(text, **kwargs)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            g = Graph()
            for n, t in enumerate(answer):
                if limit is not None and n >= limit:
                    raise _limit_error(limit, "triples")
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return QueryResult("graph", graph=g)
        variables = [v.value for v in answer.variables]
        rows: list[tuple[Node | None, ...]] = []
        for n, solution in enumerate(answer):
            if limit is not None and n >= limit:
                raise _limit_error(limit, "rows")
            rows.append(tuple(from_ox(solution[i]) for i in range(len(variables))))
        return QueryResult("select", variables, rows)
    except SyntaxError as err:
        m = _OX_POS.match(str(err))
        detail = re.sub(r"\s+", " ", m.group(3) if m else str(err))[:200]
        raise QueryError(f"malformed query: {detail}") from None
    except OSError as err:
        raise QueryError(f"query failed: {err}") from None


def _rdflib_data(data: Any) -> Graph:
    if isinstance(data, ox.Store):
        ds = Dataset(default_union=True)
        for q in data:
            g = ds.default_context if isinstance(q.graph_name, ox.DefaultGraph) else ds.graph(from_ox(q.graph_name))
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return ds
    return data


def _protocol_dataset(graph: Graph, default_graph: list[str], named_graphs: list[str]) -> Dataset:
    """A dataset made of ``graph``'s named graphs as the protocol names them (copied, read-only use)."""

    def triples(name: str) -> Any:
        if isinstance(graph, Dataset):
            return ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, URIRef(name))))
        return iter(())

    ds = Dataset(default_union=False)
    for name in default_graph:
        for t in triples(name):
            ds.default_context.add(t)
    for name in named_graphs:
        target = ds.graph(URIRef(name))
        for t in triples(name):
            target.add(t)
    return ds


def run_rdflib(data: Any, checked: CheckedQuery, text: str, limit: int | None,
               default_graph: list[str] | None, named_graphs: list[str] | None, *, union: bool = False) -> Any:
    """Evaluate the checked query with rdflib's own engine (never loading a ``FROM`` IRI)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

    from ldnkg.graph.sparql import QueryResult

    graph = _rdflib_data(data)
    query = checked.parsed
    if not (union or default_graph or named_graphs or checked.has_dataset) and isinstance(graph, Dataset):
        names = {str(g.identifier) for g in graph.graphs() if isinstance(g.identifier, URIRef)}
        if _NOT_FACTS & names:  # the same default graph as pyoxigraph's (fact_graphs)
            default_graph = [str(DATASET_DEFAULT_GRAPH_ID), *sorted(names - _NOT_FACTS)]
            named_graphs = sorted(names - {str(DATASET_DEFAULT_GRAPH_ID)})
    if default_graph or named_graphs:
        graph = _protocol_dataset(graph, default_graph or [], named_graphs or [])
        algebra = CompValue(query.algebra.name, **{k: v for k, v in query.algebra.items() if k != "datasetClause"})
        query = Query(query.prologue, algebra)
    try:
        answer = graph.query(query)
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            for n, t in enumerate(answer.graph or ()):
                if limit is not None and n >= limit:
                    raise _limit_error(limit, "triples")
                g.add(t)
            return QueryResult("graph", graph=g)
        variables = [str(v) for v in answer.vars or ()]
        rows = []
        for n, row in enumerate(answer):
            if limit is not None and n >= limit:
                raise _limit_error(limit, "rows")
            rows.append(tuple(row))  # type: ignore[arg-type]
    except QueryError:
        raise
    except RecursionError:
        raise QueryError("the query nests too deeply for rdflib's evaluator") from None
    except Exception as err:  # rdflib raises many kinds on evaluation errors
        raise QueryError(f"query failed: {type(err).__name__}: {err}") from None
    return QueryResult("select", variables, rows)
