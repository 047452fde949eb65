"""SPARQL over the LDN graph: named competency queries, two engines, standard result formats.

The default engine is pyoxigraph (a Rust SPARQL 1.1 engine, one to two orders of magnitude faster
than rdflib's at a million triples); ``engine="rdflib"`` uses rdflib's own evaluator. Both see the
same data: every named graph of the dataset is kept, and — unless the query names its own dataset
with ``FROM``/``FROM NAMED`` — the *default graph is the union* of them, so plain triple patterns
see schema, knowledge and inferred triples alike while ``GRAPH`` clauses still reach each named
graph.

Named queries live in ``ontology/queries/*.rq`` (the catalogue: :mod:`ldnkg.graph.queries`). Each
starts with a comment header::

    # name: mechanisms-for-condition
    # description: By which mechanisms does LDN reach a given condition?
    # param: condition — the condition to reach (default ldn:Fibromyalgia)

A parameter ``$condition`` in the query body is replaced by the bound RDF term before the query
is parsed (so every engine, Virtuoso included, sees an ordinary query). An undeclared ``?name``
given a value is bound with a trailing ``VALUES`` clause.

Queries are read-only and stay inside this graph: the final text is parsed by a real SPARQL
parser and updates and ``SERVICE`` are refused on its algebra (:mod:`ldnkg.graph.sparql_guard`);
``FROM`` never fetches anything (:mod:`ldnkg.graph.sparql_engines`). The command line and the
server also run queries where no socket can be opened (:mod:`ldnkg.graph.sparql_sandbox`).

Examples
--------
>>> import ldnkg
>>> from ldnkg.graph.sparql import run
>>> result = run(ldnkg.load(), "SELECT ?role WHERE { ldn:LDN ldno:hasRole ?role } ORDER BY ?role")
>>> [r[0].split("/")[-1] for r in result.rows][:3]  # facts only: the adaptogen role is a hypothesis
['AdjunctiveTherapy', 'AntiNeuroinflammation', 'ImmuneModulation']
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ldnkg.errors import QueryError
from ldnkg.graph.queries import ALL_PREFIXES, NamedQuery, Param, named_queries, parse_header
from ldnkg.graph.sparql_engines import (
    ResultLimitError,
    from_ox,
    load_store,
    run_oxigraph,
    run_rdflib,
    to_ox,
    to_store,
)
from ldnkg.graph.sparql_guard import CheckedQuery, RefusedQueryError, check_query
from ldnkg.graph.sparql_results import FORMATS
from ldnkg.graph.sparql_results import serialize as serialize_result

__all__ = [
    "ENGINES",
    "FORMATS",
    "NamedQuery",
    "Param",
    "QueryResult",
    "RefusedQueryError",
    "ResultLimitError",
    "bind_params",
    "check_read_only",
    "execute",
    "from_ox",
    "load_data",
    "load_store",
    "named_queries",
    "parse_term",
    "prepare",
    "query",
    "resolve_query",
    "run",
    "to_ox",
    "to_store",
]

ENGINES = ("oxigraph", "rdflib")
def resolve_query(spec: str, *, root: Path | None = None,
                  allow_files: bool = True) -> tuple[str, NamedQuery | None]:
    """Turn a query name, a ``.rq`` file path or SPARQL text into (text, NamedQuery or None).

    >>> text, nq = resolve_query("negative-statements")
    >>> nq.name
    'negative-statements'
    >>> resolve_query("SELECT * WHERE { ?s ?p ?o }")[1] is None
    True
    """
    spec_s = spec.strip()
    if re.fullmatch(r"[\w.-]+", spec_s):
        for nq in named_queries(root):
            if nq.name == spec_s:
                return nq.text, nq
    if allow_files and spec_s.endswith(".rq") and "\n" not in spec_s:
        path = Path(spec_s)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        text = path.read_text(encoding="utf-8")
        nq = parse_header(text, path)
        return text, (nq if nq.params or nq.description else None)
    if re.fullmatch(r"[\w.-]+", spec_s):
        names = ", ".join(q.name for q in named_queries(root))
        raise QueryError(f"no named query {spec_s!r} (known: {names})")
    return spec, None


# ---------------------------------------------------------------------------------------------
# Parameters and query text
# ---------------------------------------------------------------------------------------------

# Things inside which variables and keywords must not be looked for.
_SKIP = "|".join([
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",          # long strings
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',
    r"'(?:[^'\\\n]|\\.)*'",                   # short strings
    r'"(?:[^"\\\n]|\\.)*"',
    r'<[^<>"{}|^`\\\s]*>',                       # IRIs
    r"\#[^\n]*",                                # comments
])
_TOKENS = re.compile(rf"(?P<skip>{_SKIP})|(?P<var>[?$]\w+)"
                     r"|(?P<word>(?<![:\w-])[A-Za-z_]\w*\b(?![:-]))")



def check_read_only(text: str) -> CheckedQuery:
    """Refuse SPARQL updates and ``SERVICE``, deciding on the parsed query (see
    :func:`ldnkg.graph.sparql_guard.check_query`, which this calls).

    >>> check_read_only("SELECT * WHERE { ?s ?p 'INSERT' }").kind
    'select'
    >>> check_read_only("INSERT DATA { <a:b> <a:c> <a:d> }")
    Traceback (most recent call last):
    ...
    ldnkg.graph.sparql_guard.RefusedQueryError: updates are not allowed: this endpoint is read-only
    """
    return check_query(text)


def parse_term(value: str | Node, *, default_prefix: str | None = None) -> Node:
    """An RDF term from a parameter value.

    ``<iri>``, a CURIE with a known prefix (``ldn:TLR4Blockade``), an ``http(s)://`` IRI, an
    integer or decimal; a bare name when ``default_prefix`` is given (``TLR4Blockade``);
    anything else is a plain string literal.

    >>> parse_term("ldn:TLR4Blockade")
    rdflib.term.URIRef('https://w3id.org/ldnkg/entity/TLR4Blockade')
    >>> parse_term("Migraine", default_prefix="ldn")
    rdflib.term.URIRef('https://w3id.org/ldnkg/entity/Migraine')
    >>> parse_term("1999")
    rdflib.term.Literal('1999', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(value, Node):
        return value
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return URIRef(v[1:-1])
    if re.match(r"^https?://\S+$", v):
        return URIRef(v)
    m = re.fullmatch(r"([A-Za-z][\w-]*):([\w.-]*)", v)
    if m and m.group(1) in ALL_PREFIXES:
        return URIRef(ALL_PREFIXES[m.group(1)] + m.group(2))
    if re.fullmatch(r"[+-]?\d+", v):
        return Literal(v, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?\d*\.\d+", v):
        return Literal(v, datatype=XSD.decimal)
    if default_prefix and re.fullmatch(r"[A-Za-z_][\w-]*", v):
        return URIRef(ALL_PREFIXES[default_prefix] + v)
    return Literal(v)


def _n3(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return json.dumps(str(term), ensure_ascii=False)
    return term.n3()


def bind_params(text: str, params: Mapping[str, str | Node] | None = None,
                named: NamedQuery | None = None) -> str:
    """Replace ``$name`` placeholders by RDF terms (declared defaults filled in).

    A value given for an undeclared variable ``?name`` (or ``$name``) that is not a placeholder
    is bound with a trailing ``VALUES`` clause instead.

    >>> bind_params("SELECT ?x WHERE { $c ?p ?x }", {"c": "ldn:Migraine"})
    'SELECT ?x WHERE { <https://w3id.org/ldnkg/entity/Migraine> ?p ?x }'
    >>> bind_params("SELECT ?x WHERE { ?x ?p ?o }", {"x": "ldn:Migraine"}).splitlines()[-1]
    'VALUES ?x { <https://w3id.org/ldnkg/entity/Migraine> }'
    """
    given = dict(params or {})
    declared = {p.name: p for p in (named.params if named else ())}
    unknown = [k for k in given if named is not None and k not in declared]
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"query {named.name!r} has no parameter {unknown[0]!r} "  # type: ignore[union-attr]
                         f"(parameters: {known})")
    values: dict[str, Node] = {}
    for name, p in declared.items():
        raw = given.get(name, p.default)
        if raw is None:
            raise QueryError(f"query {named.name!r} needs --param {name}=VALUE")  # type: ignore[union-attr]
        prefix = "ldn" if p.default and ":" in p.default else None
        values[name] = parse_term(raw, default_prefix=prefix)
    for name, raw in given.items():
        if name not in values:
            values[name] = parse_term(raw)
    placeholders: set[str] = set()

    def substitute(m: re.Match[str]) -> str:
        var = m.group("var")
        if var and var.startswith("$") and var[1:] in values:
            placeholders.add(var[1:])
            return _n3(values[var[1:]])
        return m.group(0)

    out = _TOKENS.sub(substitute, text)
    trailing = [n for n in values if n not in placeholders]
    for name in trailing:
        out = out.rstrip() + f"\nVALUES ?{name} {{ {_n3(values[name])} }}"
    return out


_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([\w-]*):")


def with_prefixes(text: str) -> tuple[str, int]:
    """Declare the project's prefixes the query uses but does not declare, on one first line.

    Returns the text and the number of lines added (0 or 1), to correct error positions.

    >>> with_prefixes("SELECT * WHERE { ldn:LDN ?p ?o }")[0].split(">")[0]
    'PREFIX ldn: <https://w3id.org/ldnkg/entity/'
    """
    declared = set(_PREFIX_DECL.findall(text))
    used = {m.group(1) for m in re.finditer(r"(?<![\w<?$])([A-Za-z][\w-]*):(?!//)", text)}
    missing = [p for p in ALL_PREFIXES if p in used and p not in declared]
    if not missing:
        return text, 0
    head = " ".join(f"PREFIX {p}: <{ALL_PREFIXES[p]}>" for p in missing)
    return f"{head}\n{text}", 1



def prepare(spec: str, params: Mapping[str, str | Node] | None = None, *,
            root: Path | None = None, allow_files: bool = True) -> tuple[str, NamedQuery | None]:
    """Resolve ``spec``, bind parameters and declare prefixes: the text any engine can run.

    The result has been checked (:func:`check_read_only`): it is a read-only query that stays
    in this graph.

    >>> text, nq = prepare("conditions-via-tlr4")
    >>> "<https://w3id.org/ldnkg/entity/TLR4Blockade>" in text
    True
    """
    text, named = resolve_query(spec, root=root, allow_files=allow_files)
    bound = bind_params(text, params, named)
    final, offset = with_prefixes(bound)
    check_query(final, line_offset=offset)
    return final, named


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class QueryResult:
    """The answer of one query: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.graph or ())
        return len(self.rows) if self.kind == "select" else 1

    def dicts(self) -> list[dict[str, Node | None]]:
        """Rows as dictionaries keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def named_iris(self, ds: Any) -> list[str]:
        """The IRIs the result names (in rows, or subjects/objects of its triples), sorted;
        a claim IRI also names its subject and object (looked up in ``ds``), so that a query
        returning claims draws their edges. ASK names nothing.

        >>> from ldnkg.graph.load import load
        >>> ds = load()
        >>> res = run(ds, "SELECT ?x WHERE { ldn:LDN ldno:actsThrough ?x }")
        >>> "https://w3id.org/ldnkg/entity/TLR4Blockade" in res.named_iris(ds)
        True
        """
        from rdflib import URIRef
        from rdflib.namespace import RDF

        terms: set[URIRef] = set()
        if self.kind == "graph":
            for s, _, o in self.graph or ():
                terms.update(x for x in (s, o) if isinstance(x, URIRef))
        elif self.kind == "select":
            terms.update(x for row in self.rows for x in row if isinstance(x, URIRef))
        for term in list(terms):
            for end in (RDF.subject, RDF.object):
                value = ds.value(term, end)
                if isinstance(value, URIRef):
                    terms.add(value)
        return sorted(str(t) for t in terms)

    def to_frame(self) -> Any:
        """A pandas DataFrame (IRIs and literals as Python values; pandas required)."""
        import pandas as pd

        if self.kind == "graph":
            data = [tuple(_py(t) for t in triple) for triple in sorted(self.graph or ())]
            return pd.DataFrame(data, columns=["subject", "predicate", "object"])
        if self.kind == "ask":
            return pd.DataFrame({"boolean": [self.boolean]})
        return pd.DataFrame([[_py(v) for v in row] for row in self.rows], columns=self.variables)

    def serialize(self, fmt: str = "table") -> str:
        """The result in one of :data:`FORMATS`, written by the libraries' own serializers
        (see :mod:`ldnkg.graph.sparql_results`)."""
        return serialize_result(self, fmt)



def _py(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)



def execute(data: Dataset | Graph | ox.Store, text: str, *, engine: str = "oxigraph",
            limit: int | None = None, default_graph: list[str] | None = None,
            named_graphs: list[str] | None = None, line_offset: int = 0, union: bool = False) -> QueryResult:
    """Run SPARQL ``text`` exactly as given (no name or file is resolved), after checking it.

    >>> import ldnkg
    >>> execute(ldnkg.load(), "PREFIX ldn: <https://w3id.org/ldnkg/entity/> ASK { ldn:LDN ?p ?o }").boolean
    True
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    checked = check_query(text, line_offset=line_offset)
    runner = run_oxigraph if engine == "oxigraph" else run_rdflib
    return runner(data, checked, text, limit, default_graph, named_graphs, union=union)


def run(data: Dataset | Graph | ox.Store, query_text: str, *, engine: str = "oxigraph",
        params: Mapping[str, str | Node] | None = None, limit: int | None = None,
        default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
        root: Path | None = None, allow_files: bool = True) -> QueryResult:
    """Run a named query, a ``.rq`` file or SPARQL text over ``data``.

    Parameters
    ----------
    data : rdflib.Dataset, rdflib.Graph or pyoxigraph.Store
        The graph; a Dataset's named graphs are kept and their union is the default graph.
    query_text : str
        A named query (``conditions-per-role``), a path to a ``.rq`` file, or SPARQL text. The
        project's prefixes (``ldn:``, ``ldno:``, ``rdfs:`` …) need not be declared.
    engine : {"oxigraph", "rdflib"}, keyword-only
    params : mapping, keyword-only
        Parameter values (``{"condition": "ldn:Migraine"}``); see :func:`bind_params`.
    limit : int, keyword-only
        Raise :class:`ResultLimitError` when the result has more rows (or triples).
    default_graph, named_graphs : list of IRIs, keyword-only
        The SPARQL dataset (``default-graph-uri``/``named-graph-uri``); it takes precedence over
        the query's ``FROM``/``FROM NAMED``.
    allow_files : bool, keyword-only
        Whether ``query_text`` may name a ``.rq`` file.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        Malformed query (with line and column), unknown name or parameter, or evaluation error.
    RefusedQueryError
        An update or a ``SERVICE`` clause (decided on the parsed query).

    Examples
    --------
    >>> import ldnkg
    >>> r = run(ldnkg.load(), "role-cycle")
    >>> len(r.rows)
    3
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    text, named = resolve_query(query_text, root=root, allow_files=allow_files)
    bound = bind_params(text, params, named)
    final, offset = with_prefixes(bound)
    # a named query traverses every graph and shows each claim's level; ad hoc text reads facts only
    return execute(data, final, engine=engine, limit=limit, default_graph=default_graph,
                   named_graphs=named_graphs, line_offset=offset, union=named is not None)



_DEFAULT_DATA: list[Dataset] = []


def load_data(data: Dataset | Graph | ox.Store | Path | str | None = None) -> Dataset | Graph | ox.Store:
    """The graph to query: ``data`` itself, an RDF file loaded into pyoxigraph, or (None) the
    packaged ontology loaded once per process."""
    if data is None:
        if not _DEFAULT_DATA:
            from ldnkg.graph.load import load

            _DEFAULT_DATA.append(load())
        return _DEFAULT_DATA[0]
    if isinstance(data, str | Path):
        return load_store(data)
    return data


def query(spec: str, *, data: Dataset | Graph | ox.Store | Path | str | None = None,
          params: Mapping[str, str | Node] | None = None, engine: str = "oxigraph",
          as_frame: bool = False, **param_values: str) -> Any:
    """Run a named query or SPARQL text and return plain rows (or a pandas DataFrame).

    Parameters
    ----------
    spec : str
        A named query, a ``.rq`` path or SPARQL text.
    data : Dataset, Graph, pyoxigraph.Store or path, keyword-only
        What to query; the packaged graph by default.
    params : mapping, keyword-only
        Parameter values; extra keyword arguments are parameters too.
    engine : {"oxigraph", "rdflib"}, keyword-only
    as_frame : bool, keyword-only
        Return a pandas DataFrame instead of a list of dicts.

    Returns
    -------
    list of dict or pandas.DataFrame or bool or rdflib.Graph
        SELECT: one dict per row (variable → Python value: IRIs as str, literals converted);
        ASK: a bool; CONSTRUCT/DESCRIBE: an rdflib Graph.

    Examples
    --------
    >>> import ldnkg
    >>> rows = ldnkg.query("co-therapies")
    >>> {"cromolyn sodium", "ketotifen"} <= {r["therapyLabel"] for r in rows}
    True
    >>> ldnkg.query("mechanisms-for-condition", condition="ldn:Migraine", as_frame=True).shape[1]
    4
    """
    result = run(load_data(data), spec, engine=engine, params={**(params or {}), **param_values})
    if as_frame:
        return result.to_frame()
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return result.graph
    return [{k: _py(v) for k, v in zip(result.variables, row, strict=True)} for row in result.rows]
