"""SPARQL over the LDN graph: named competency queries, two engines, standard result formats.

The default engine is pyoxigraph (a Rust SPARQL 1.1 engine, one to two orders of magnitude faster
than rdflib's at a million triples); ``engine="rdflib"`` uses rdflib's own evaluator. Both see the
same data: every named graph of the dataset is kept, and the *default graph is the union* of them,
so plain triple patterns see schema, knowledge and inferred triples alike while ``GRAPH`` clauses
still reach each named graph.

Named queries live in ``ontology/queries/*.rq``. Each starts with a comment header::

    # name: mechanisms-for-condition
    # description: By which mechanisms does LDN reach a given condition?
    # param: condition — the condition to reach (default ldn:Fibromyalgia)

A parameter ``$condition`` in the query body is replaced by the bound RDF term before the query
is parsed (so every engine, Virtuoso included, sees an ordinary query). An undeclared ``?name``
given a value is bound with a trailing ``VALUES`` clause.

Queries are read-only: updates and ``SERVICE`` are refused (``SERVICE`` would make rdflib
connect to the network).

Examples
--------
>>> import ldnkg
>>> from ldnkg.graph.sparql import run
>>> result = run(ldnkg.load(), "SELECT ?role WHERE { ldn:LDN ldno:hasRole ?role } ORDER BY ?role")
>>> [r[0].split("/")[-1] for r in result.rows][:3]
['Adaptogen', 'AdjunctiveTherapy', 'AntiNeuroinflammation']
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ldnkg.errors import QueryError
from ldnkg.namespaces import PREFIXES, XREF_PREFIXES, bind_prefixes

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
    "load_data",
    "load_store",
    "named_queries",
    "parse_term",
    "prepare",
    "query",
    "resolve_query",
    "run",
    "to_store",
]

ENGINES = ("oxigraph", "rdflib")
#: Result formats: table (human), the SPARQL 1.1 result formats, and RDF for graph results.
FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld")
ALL_PREFIXES: dict[str, str] = {**PREFIXES, **XREF_PREFIXES}

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


class RefusedQueryError(QueryError):
    """The query is valid SPARQL but not allowed here (an update, or ``SERVICE``)."""


class ResultLimitError(QueryError):
    """The result has more rows than the configured limit."""


# ---------------------------------------------------------------------------------------------
# Named queries
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    meaning: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A named competency query read from an ``.rq`` file with a comment header."""

    name: str
    description: str
    params: tuple[Param, ...]
    path: Path
    text: str = field(repr=False)

    def param(self, name: str) -> Param | None:
        """The declared parameter ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


_HEADER = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s*(?:—|--|-|:)\s*(.*?)\s*(?:\(default\s+(.+?)\))?\s*$")


def parse_header(text: str, path: Path) -> NamedQuery:
    """Read the ``# name:``/``# description:``/``# param:`` header of a query file.

    >>> q = parse_header("# name: x\\n# description: Y?\\n# param: c — a thing (default ldn:A)\\n"
    ...                  "SELECT * {}", Path("x.rq"))
    >>> q.name, q.description, q.params[0].default
    ('x', 'Y?', 'ldn:A')
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path}: malformed '# param:' line: {line!r}")
            params.append(Param(pm.group(1), pm.group(2), pm.group(3)))
        else:
            fields[key] = value
    name = fields.get("name") or path.stem
    return NamedQuery(name, fields.get("description", ""), tuple(params), path, text)


def named_queries(root: Path | None = None) -> list[NamedQuery]:
    """Every named query of the ontology folder, sorted by name.

    >>> names = [q.name for q in named_queries()]
    >>> "conditions-per-role" in names
    True
    """
    from ldnkg.ontology import ONTOLOGY_DIR, query_files

    files = query_files(root or ONTOLOGY_DIR)
    return sorted((parse_header(p.read_text(encoding="utf-8"), p) for p in files),
                  key=lambda q: q.name)


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


def _code_words(text: str) -> list[str]:
    """Keywords and names outside strings, IRIs and comments, upper-cased."""
    return [m.group("word").upper() for m in _TOKENS.finditer(text) if m.group("word")]


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


def check_read_only(text: str) -> None:
    """Refuse SPARQL updates and ``SERVICE`` (federated) clauses.

    >>> check_read_only("SELECT * WHERE { ?s ?p 'INSERT' }")
    >>> check_read_only("INSERT DATA { <a:b> <a:c> <a:d> }")
    Traceback (most recent call last):
    ...
    ldnkg.graph.sparql.RefusedQueryError: updates are not allowed: this endpoint is read-only
    """
    words = _code_words(text)
    first = next((w for w in words if w in _UPDATE_WORDS | _QUERY_WORDS | {"WITH"}), None)
    if first in _UPDATE_WORDS or first == "WITH":
        raise RefusedQueryError("updates are not allowed: this endpoint is read-only")
    if "SERVICE" in words:
        raise RefusedQueryError("SERVICE (federated query) is not allowed: queries never leave "
                                "this graph")


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

    >>> text, nq = prepare("conditions-via-tlr4")
    >>> "<https://w3id.org/ldnkg/entity/TLR4Blockade>" in text
    True
    """
    text, named = resolve_query(spec, root=root, allow_files=allow_files)
    check_read_only(text)
    bound = bind_params(text, params, named)
    return with_prefixes(bound)[0], named


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
        """The result in one of :data:`FORMATS` (graph results only as ttl/nt/jsonld/table)."""
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
        if self.kind == "graph":
            if fmt not in ("table", "ttl", "nt", "jsonld"):
                raise QueryError(f"format {fmt} is for SELECT/ASK results; "
                                 "use ttl, nt, jsonld or table for CONSTRUCT/DESCRIBE")
            return _serialize_graph(self.graph or Graph(), fmt)
        if fmt in ("ttl", "nt", "jsonld"):
            raise QueryError(f"format {fmt} is for CONSTRUCT/DESCRIBE results; "
                             "use table, csv, tsv, json or xml")
        return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt](self)


def _py(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for prefix, ns in ALL_PREFIXES.items():
            if s.startswith(ns) and re.fullmatch(r"[\w./-]*", s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    cells = [[_short(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [max([len(h)] + [min(len(r[i]), 80) for r in cells]) for i, h in enumerate(result.variables)]

    def line(values: Iterable[str]) -> str:
        parts = [(v if len(v) <= 80 else v[:79] + "…").ljust(w) for v, w in zip(values, widths, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(result.variables), line("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
        return buf.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else (f"_:{v}" if isinstance(v, BNode) else str(v))
                         for v in row])
    return buf.getvalue()


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.decimal, XSD.double,
                                                       XSD.boolean):
        return str(term)
    return term.n3().replace("\t", "\\t").replace("\n", "\\n")


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(v) for v in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:  # type: ignore[union-attr]
        out["xml:lang"] = term.language  # type: ignore[union-attr]
    elif term.datatype is not None:  # type: ignore[union-attr]
        out["datatype"] = str(term.datatype)  # type: ignore[union-attr]
    return out


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if term.language:  # type: ignore[union-attr]
        attrs = f" xml:lang={quoteattr(term.language)}"  # type: ignore[union-attr]
    elif term.datatype is not None:  # type: ignore[union-attr]
        attrs = f" datatype={quoteattr(str(term.datatype))}"  # type: ignore[union-attr]
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["  </head>", "  <results>"]
        for row in result.rows:
            out.append("    <result>")
            out += [f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(result.variables, row, strict=True) if t is not None]
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _serialize_graph(graph: Graph, fmt: str) -> str:
    g = bind_prefixes(Graph())
    for t in graph:
        g.add(t)
    if fmt == "nt":
        return "".join(sorted(line + "\n" for line in g.serialize(format="nt").splitlines() if line))
    if fmt == "jsonld":
        return g.serialize(format="json-ld", indent=2)
    if fmt == "table":
        rows = sorted(((_short(s), _short(p), _short(o)) for s, p, o in g))
        return _table(QueryResult("select", ["subject", "predicate", "object"],
                                  [tuple(Literal(c) for c in r) for r in rows]))
    return g.serialize(format="turtle")


# ---------------------------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------------------------


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
    """A pyoxigraph term from an rdflib term."""
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
    raise QueryError(f"unsupported RDF term: {term!r}")


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
        store.load(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES,
                   to_graph=target)
    with _STORES_LOCK:
        if key not in _STORES:
            weakref.finalize(data, _STORES.pop, key, None)
        _STORES[key] = (size, store)
    return store


_OX_POS = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def _tidy(message: str) -> str:
    """One line, without the parser's character-class listings, at most 200 characters."""
    text = re.sub(r"\s+", " ", message)
    text = re.sub(r"(?:,\s*)?\[[^\[\]]*\]", "", text).strip().rstrip(",")
    return text if len(text) <= 200 else text[:199] + "…"


def _syntax_error(line: int, col: int, message: str, offset: int) -> QueryError:
    return QueryError(f"malformed query at line {max(line - offset, 1)}, column {col}: "
                      f"{_tidy(message)}")


def _ox_graphs(names: Iterable[str] | None) -> list[Any] | None:
    return None if names is None else [ox.NamedNode(n) for n in names]


def _run_oxigraph(data: Any, text: str, offset: int, limit: int | None,
                  default_graph: list[str] | None, named_graphs: list[str] | None) -> QueryResult:
    store = to_store(data)
    kwargs: dict[str, Any] = {}
    if default_graph:
        kwargs["default_graph"] = _ox_graphs(default_graph)
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = _ox_graphs(named_graphs)
    try:
        answer = store.query(text, **kwargs)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            g = Graph()
            for n, t in enumerate(answer):
                if limit is not None and n >= limit:
                    raise ResultLimitError(f"the result has more than {limit} triples, the row limit")
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return QueryResult("graph", graph=g)
        variables = [v.value for v in answer.variables]
        rows: list[tuple[Node | None, ...]] = []
        for n, solution in enumerate(answer):
            if limit is not None and n >= limit:
                raise ResultLimitError(f"the result has more than {limit} rows, the row limit")
            rows.append(tuple(from_ox(solution[i]) for i in range(len(variables))))
        return QueryResult("select", variables, rows)
    except SyntaxError as err:
        m = _OX_POS.match(str(err))
        if m:
            raise _syntax_error(int(m.group(1)), int(m.group(2)), m.group(3), offset) from None
        raise QueryError(f"malformed query: {err}") from None
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


def _run_rdflib(data: Any, text: str, offset: int, limit: int | None,
                default_graph: list[str] | None, named_graphs: list[str] | None) -> QueryResult:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    graph = _rdflib_data(data)
    if default_graph or named_graphs:
        raise QueryError("default-graph-uri/named-graph-uri need the oxigraph engine")
    try:
        prepareQuery(text)
    except ParseException as err:
        raise _syntax_error(err.lineno, err.col, err.msg, offset) from None
    try:
        answer = graph.query(text)
    except ParseException as err:  # pragma: no cover - caught above
        raise _syntax_error(err.lineno, err.col, err.msg, offset) from None
    except Exception as err:  # rdflib raises many kinds on evaluation errors
        raise QueryError(f"query failed: {type(err).__name__}: {err}") from None
    if answer.type == "ASK":
        return QueryResult("ask", boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for n, t in enumerate(answer.graph or ()):
            if limit is not None and n >= limit:
                raise ResultLimitError(f"the result has more than {limit} triples, the row limit")
            g.add(t)
        return QueryResult("graph", graph=g)
    variables = [str(v) for v in answer.vars or ()]
    rows = []
    for n, row in enumerate(answer):
        if limit is not None and n >= limit:
            raise ResultLimitError(f"the result has more than {limit} rows, the row limit")
        rows.append(tuple(row))  # type: ignore[arg-type]
    return QueryResult("select", variables, rows)


def run(data: Dataset | Graph | ox.Store, query_text: str, *, engine: str = "oxigraph",
        params: Mapping[str, str | Node] | None = None, limit: int | None = None,
        default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
        root: Path | None = None) -> QueryResult:
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
        The SPARQL dataset (``default-graph-uri``/``named-graph-uri``); oxigraph only.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        Malformed query (with line and column), unknown name or parameter, or evaluation error.
    RefusedQueryError
        An update or a ``SERVICE`` clause.

    Examples
    --------
    >>> import ldnkg
    >>> r = run(ldnkg.load(), "role-cycle")
    >>> len(r.rows)
    3
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    text, named = resolve_query(query_text, root=root)
    check_read_only(text)
    bound = bind_params(text, params, named)
    final, offset = with_prefixes(bound)
    runner = _run_oxigraph if engine == "oxigraph" else _run_rdflib
    return runner(data, final, offset, limit, default_graph, named_graphs)


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
    >>> sorted({r["therapyLabel"] for r in rows})[:2]
    ['cromolyn sodium', 'ketosis']
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
