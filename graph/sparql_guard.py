"""What a query may do, decided on its parsed algebra (rdflib's SPARQL 1.1 parser), never on text.

Every query any engine runs first goes through :func:`check_query`. It parses the exact text the
engine will run (after parameters and prefixes are filled in) and refuses:

* updates (``INSERT``, ``LOAD`` …): this graph is read-only;
* ``SERVICE`` anywhere in the algebra — in a subquery, ``OPTIONAL``, ``FILTER EXISTS``, ``MINUS``,
  with ``SILENT`` or a variable IRI — because it makes the engine connect to a URL;
* text rdflib's parser does not accept, even if another engine would (a query one parser reads
  differently from another must not run);
* nesting deeper than the parser can follow (instead of a ``RecursionError`` or a segfault);
* queries longer than :data:`MAX_QUERY_CHARS`.

The parser expands ``\\u``/``\\U`` escapes over the whole text first, as SPARQL 1.1 (§19.2) and
Oxigraph do. ``FROM``/``FROM NAMED`` are allowed: they name graphs of *this* dataset and no engine
is let fetch them (see :mod:`ldnkg.graph.sparql_engines`).

This is the first wall. The second, for the command line and the server, is that queries run in a
process that cannot open a socket (:mod:`ldnkg.graph.sparql_sandbox`).

Examples
--------
>>> check_query("SELECT * WHERE { ?s ?p ?o }").kind
'select'
>>> check_query("SELECT * WHERE { BIND(<urn:x> AS ?z) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
ldnkg.graph.sparql_guard.RefusedQueryError: SERVICE (federated query) is not allowed: queries never leave this graph
"""

from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ldnkg.errors import QueryError

__all__ = ["MAX_QUERY_CHARS", "CheckedQuery", "RefusedQueryError", "check_query"]

#: Longest query text accepted (characters).
MAX_QUERY_CHARS = 100_000

# rdflib's parser recurses once per bracket level through many Python frames; it runs in a
# thread with a large stack and a raised recursion limit so that ordinary nesting parses.
_PARSE_STACK = 64 * 1024 * 1024
_PARSE_RECURSION = 20_000
_PARSE_LOCK = threading.Lock()

_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}
_SERVICE = {"ServiceGraphPattern", "Service"}


class RefusedQueryError(QueryError):
    """The query is valid SPARQL but not allowed here (an update, or ``SERVICE``)."""


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed :func:`check_query`: its kind and its own dataset (FROM/FROM NAMED)."""

    kind: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    parsed: Any  # rdflib.plugins.sparql.sparql.Query (its algebra)

    @property
    def has_dataset(self) -> bool:
        """Whether the query names its own dataset (then the union default graph is not used)."""
        return bool(self.default_graphs or self.named_graphs)


def _in_big_stack(fn: Any, *args: Any) -> Any:
    """Call ``fn(*args)`` in a thread with a large stack and a high recursion limit."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as err:  # handed back to the caller below
            box["error"] = err

    with _PARSE_LOCK:
        old_stack, old_limit = threading.stack_size(), sys.getrecursionlimit()
        threading.stack_size(_PARSE_STACK)
        try:
            thread = threading.Thread(target=target, name="ldnkg-sparql-parse")
            sys.setrecursionlimit(max(old_limit, _PARSE_RECURSION))
            thread.start()
            thread.join()
        finally:
            threading.stack_size(old_stack)
            sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _tidy(message: str) -> str:
    text = re.sub(r"\s+", " ", message)
    text = re.sub(r"(?:,\s*)?\[[^\[\]]*\]", "", text).strip().rstrip(",")
    return text if len(text) <= 200 else text[:199] + "…"


def _parse(text: str) -> Any:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(text))


def _is_update(text: str) -> bool:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        _in_big_stack(parseUpdate, text)
    except (ParseException, RecursionError, ValueError):
        return False
    return True


def _walk(node: Any, seen: set[int]) -> bool:
    """Whether a SERVICE node is anywhere below ``node`` (CompValues, lists, dicts)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if getattr(item, "name", None) in _SERVICE:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


_CACHE: OrderedDict[tuple[str, int], CheckedQuery] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def check_query(text: str, *, line_offset: int = 0) -> CheckedQuery:
    """Parse ``text`` with a real SPARQL parser and refuse what this graph does not allow.

    Parameters
    ----------
    text : str
        The exact query an engine will run.
    line_offset : int, keyword-only
        Lines added in front of the user's text (prefix declarations), taken off error positions.

    Returns
    -------
    CheckedQuery

    Raises
    ------
    RefusedQueryError
        An update or ``SERVICE``.
    QueryError
        Malformed (with line and column), too long, or nested too deeply.

    Examples
    --------
    >>> check_query("SELECT * FROM <https://w3id.org/ldnkg/graph/schema> WHERE { ?s ?p ?o }").default_graphs
    ('https://w3id.org/ldnkg/graph/schema',)
    >>> check_query("SELECT * WHERE { ?s ?p ?o . FILTER EXISTS { SERVICE ?x { ?a ?b ?c } } }")
    Traceback (most recent call last):
    ...
    ldnkg.graph.sparql_guard.RefusedQueryError: SERVICE (federated query) is not allowed: queries never leave this graph
    """
    from pyparsing import ParseException

    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text)} characters long, more than the limit of {MAX_QUERY_CHARS}")
    key = (text, line_offset)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    try:
        parsed = _in_big_stack(_parse, text)
    except RecursionError:
        raise QueryError("the query nests brackets too deeply for the SPARQL parser; flatten it") from None
    except ParseException as err:
        if _is_update(text):
            raise RefusedQueryError("updates are not allowed: this endpoint is read-only") from None
        line = max(err.lineno - line_offset, 1)
        raise QueryError(f"malformed query at line {line}, column {err.col}: {_tidy(err.msg)}") from None
    except Exception as err:  # rdflib's algebra translation raises plain exceptions
        raise QueryError(f"malformed query: {_tidy(str(err))}") from None
    algebra = parsed.algebra
    if _walk(algebra, set()):
        raise RefusedQueryError("SERVICE (federated query) is not allowed: queries never leave this graph")
    clauses = algebra.get("datasetClause") or []
    checked = CheckedQuery(
        kind=_KINDS.get(algebra.name, "select"),
        default_graphs=tuple(str(c["default"]) for c in clauses if "default" in c),
        named_graphs=tuple(str(c["named"]) for c in clauses if "named" in c),
        parsed=parsed,
    )
    with _CACHE_LOCK:
        _CACHE[key] = checked
        while len(_CACHE) > 256:
            _CACHE.popitem(last=False)
    return checked
