"""RDF serialisations of the built graph, byte-identical for identical input, each checked.

Files
-----
``ldn.ttl``, ``ldn.nt``, ``ldn.jsonld``  asserted triples: schema + curated knowledge (with
                                          the plain triples of the *asserted* claims);
``ldn-inferred.ttl``                      OWL 2 RL entailments only;
``ldn.trig``, ``ldn.nq``                  everything, one named graph per kind, in the order
                                          of :data:`ldnkg.graph.load.DATASET_GRAPHS`.

Every file is written by a library serializer — rdflib for Turtle, JSON-LD, N-Triples and
N-Quads, pyoxigraph for TriG — never by editing serializer output line by line (which split
literals holding U+2028, U+0085 and the like, and indented multi-line literals). Determinism:
N-Triples, N-Quads and TriG get their triples and quads in sorted order (graph, then subject,
predicate, object, as canonical N-Triples terms); JSON-LD is re-serialised with sorted keys and
nodes; rdflib's Turtle writer sorts subjects itself.

:func:`verify_exports` re-reads every file with a parser other than the one that wrote it
(pyoxigraph for rdflib's Turtle, JSON-LD, N-Triples and N-Quads, rdflib for pyoxigraph's TriG)
and compares the result with what was meant to be written; the build runs it before anything
replaces the previous build. rdflib's parsers take about ten times as long as its N-Triples
writer, so the larger files are written by rdflib and read by pyoxigraph.
"""

from __future__ import annotations

import functools
import io
import json
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.serializers.nquads import NQuadsSerializer
from rdflib.plugins.serializers.nt import NTSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from ldnkg.errors import OutputError
from ldnkg.graph.load import DATASET_GRAPHS, INFERRED, asserted_graph, gc_paused
from ldnkg.graph.project import remember
from ldnkg.graph.terms import to_oxigraph
from ldnkg.namespaces import PREFIXES, XREF_PREFIXES, bind_prefixes

__all__ = [
    "EXPORTS",
    "TurtleWriter",
    "dataset_quads",
    "jsonld_context",
    "turtle_bytes",
    "verify_exports",
    "write_inferred_turtle",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
    "write_trig",
    "write_turtle",
]

T = TypeVar("T")


def _key(quad: ox.Quad) -> tuple[str, str, str]:
    return str(quad.subject), str(quad.predicate), str(quad.object)


def _once_per_term(convert: Callable[[Node], T]) -> Callable[[Node], T]:
    """``convert`` run once per distinct term: a term recurs in many triples (a fresh cache per call,
    so it goes when the batch is done)."""
    return functools.lru_cache(maxsize=None)(convert)


def _with_text(term: Node) -> tuple[ox.NamedNode | ox.BlankNode | ox.Literal, str]:
    """The pyoxigraph term and its N-Triples text (the sort key)."""
    converted = to_oxigraph(term)
    return converted, str(converted)


def _pairs(graph: Iterable[tuple[Node, Node, Node]]) -> list[tuple[ox.Quad, tuple[Node, Node, Node]]]:
    """Each triple as a pyoxigraph quad (default graph) beside the rdflib triple, sorted by the quad
    (as N-Triples terms: subject, predicate, object)."""
    term = _once_per_term(_with_text)
    keyed = []
    for s, p, o in graph:
        (os_, ks), (op, kp), (oo, ko) = term(s), term(p), term(o)
        keyed.append(((ks, kp, ko), ox.Quad(os_, op, oo, ox.DefaultGraph()), (s, p, o)))
    keyed.sort(key=lambda item: item[0])
    return [(quad, triple) for _, quad, triple in keyed]


def _triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Quad]:
    return [quad for quad, _ in _pairs(graph)]


def _asserted_pairs(ds: Dataset) -> list[tuple[ox.Quad, tuple[Node, Node, Node]]]:
    return remember(ds, "rdf.asserted", lambda: _pairs(_asserted_graph(ds)))


def _asserted_graph(ds: Dataset) -> Graph:  # read by three writers, changed by none
    return remember(ds, "rdf.asserted_graph", lambda: asserted_graph(ds))


def _graph_pairs(ds: Dataset) -> list[tuple[URIRef, list[tuple[ox.Quad, tuple[Node, Node, Node]]]]]:
    """Each named graph in DATASET_GRAPHS order with its sorted pairs."""
    return remember(ds, "rdf.graphs", lambda: [(name, _pairs(ds.graph(name))) for name in DATASET_GRAPHS])


def _asserted(ds: Dataset) -> list[ox.Quad]:
    return remember(ds, "rdf.asserted.quads", lambda: [quad for quad, _ in _asserted_pairs(ds)])


def _inferred(ds: Dataset) -> list[ox.Quad]:
    return remember(ds, "rdf.inferred.quads", lambda: _triples(ds.graph(INFERRED)))


def dataset_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the named graphs, graph by graph in DATASET_GRAPHS order, each sorted (what
    ``ldn.trig`` and ``ldn.nq`` hold; computed once inside :func:`~ldnkg.graph.project.computed_once`:
    do not change it)."""
    def compute() -> list[ox.Quad]:
        out = []
        for name, pairs in _graph_pairs(ds):
            graph = ox.NamedNode(str(name))
            out += [ox.Quad(q.subject, q.predicate, q.object, graph) for q, _ in pairs]
        return out

    return remember(ds, "rdf.dataset.quads", compute)


class _Named:
    """One named graph's triples in a fixed order, as rdflib's N-Quads writer reads a graph."""

    def __init__(self, identifier: URIRef, triples: list[tuple[Node, Node, Node]]) -> None:
        self.identifier = identifier
        self._triples = triples

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self._triples)


class _Ordered:
    """The named graphs in DATASET_GRAPHS order, as rdflib's N-Quads writer reads a dataset
    (a Dataset hands its graphs out in hash order, which changes between runs)."""

    context_aware = True

    def __init__(self, graphs: list[_Named]) -> None:
        self._graphs = graphs

    def contexts(self) -> Iterator[_Named]:
        return iter(self._graphs)


W = TypeVar("W", bound=Callable[..., object])


def _without_gc(step: W) -> W:
    """``step`` with Python's cyclic GC paused: rdflib's writers and parsers make tens of thousands of
    objects and no garbage cycle, so automatic collections only walked them (20 to 35 % of rdflib's
    Turtle writer and TriG parser on the article)."""
    @functools.wraps(step)
    def run(*args: object, **kwargs: object) -> object:
        with gc_paused():
            return step(*args, **kwargs)

    return run  # type: ignore[return-value]


def jsonld_context() -> dict[str, str]:
    """The local JSON-LD context: every bound prefix (no remote context is fetched).

    >>> jsonld_context()["ldno"]
    'https://w3id.org/ldnkg/ontology#'
    """
    return dict(sorted({**PREFIXES, **XREF_PREFIXES}.items()))


class TurtleWriter(TurtleSerializer):
    """rdflib's Turtle serializer, each IRI's prefixed name worked out once per file.

    rdflib asks for an IRI's prefixed name every time the IRI appears, when it gathers the
    prefixes and again when it writes (two thirds of its time on the article); the answer
    found once is kept. While rdflib gathers the prefixes (binding new ones as it goes) only
    names found are kept: an IRI without one is asked again, as a prefix bound later may give
    it one; once it writes, no prefix is bound and every answer is kept. The bytes are
    rdflib's own (tests/test_build_safety.py compares them with ``Graph.serialize``).
    """

    def reset(self) -> None:
        super().reset()
        self._pnames: dict[tuple[Node, bool], str | None] = {}

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        key = (uri, gen_prefix)
        if key in self._pnames:
            return self._pnames[key]
        pname = super().get_pname(uri, gen_prefix)
        if pname is not None or self._started:  # no prefix is bound once writing has started
            self._pnames[key] = pname
        return pname


def turtle_bytes(graph: Graph) -> bytes:
    """``graph`` as Turtle, byte for byte what ``graph.serialize(format="turtle")`` writes.

    >>> from rdflib import Graph, URIRef
    >>> g = Graph(bind_namespaces="none")
    >>> _ = g.bind("ex", "http://example.org/")
    >>> _ = g.add((URIRef("http://example.org/a"), URIRef("http://example.org/b"), URIRef("http://example.org/c")))
    >>> turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")
    True
    """
    buffer = io.BytesIO()
    TurtleWriter(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


@_without_gc
def write_turtle(ds: Dataset, path: Path) -> None:
    """Asserted triples as Turtle (rdflib's writer, subjects sorted)."""
    path.write_bytes(turtle_bytes(_asserted_graph(ds)))


@_without_gc
def write_inferred_turtle(ds: Dataset, path: Path) -> None:
    """Only the inferred triples, as Turtle."""
    graph = bind_prefixes(Graph())
    graph += ds.graph(INFERRED)
    path.write_bytes(turtle_bytes(graph))


@_without_gc
def write_ntriples(ds: Dataset, path: Path) -> None:
    """Asserted triples as N-Triples (rdflib's writer), sorted as canonical N-Triples lines."""
    with path.open("wb") as handle:
        NTSerializer([triple for _, triple in _asserted_pairs(ds)]).serialize(handle)  # type: ignore[arg-type]


@_without_gc
def write_nquads(ds: Dataset, path: Path) -> None:
    """Every named graph as N-Quads (rdflib's writer), graph by graph, each sorted."""
    graphs = _Ordered([_Named(name, [triple for _, triple in pairs]) for name, pairs in _graph_pairs(ds)])
    buffer = io.BytesIO()
    NQuadsSerializer(graphs).serialize(buffer)  # type: ignore[arg-type]
    data = buffer.getvalue()
    if data.endswith(b"\n\n"):  # rdflib ends the file with an empty line: the file stays as it was
        data = data[:-1]
    path.write_bytes(data)


@_without_gc
def write_trig(ds: Dataset, path: Path) -> None:
    """Every named graph as TriG (pyoxigraph's writer), graphs in DATASET_GRAPHS order, each
    sorted (rdflib's TriG writer orders graphs by hash, so its file changes between runs)."""
    ox.serialize(dataset_quads(ds), path, format=ox.RdfFormat.TRIG, prefixes=jsonld_context())


@_without_gc
def write_jsonld(ds: Dataset, path: Path) -> None:
    """Asserted triples as compact JSON-LD with a local context, keys and nodes sorted."""
    context = jsonld_context()
    # rdflib's JSON-LD serializer without its JSON text (this function sorts and writes it); its
    # serializer passes use_native_types as a one-element tuple, i.e. true, hence True here
    data = from_rdf(_asserted_graph(ds), context_data=context, use_native_types=True, use_rdf_type=False,
                    auto_compact=True)
    nodes = data.get("@graph", [])

    def norm(value):  # sort multi-valued properties so the order does not depend on hashing
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value

    data["@graph"] = sorted((norm(n) for n in nodes), key=lambda n: n.get("@id", ""))
    data["@context"] = context
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def _read_oxigraph(path: Path, fmt: ox.RdfFormat) -> list[ox.Quad]:
    return list(ox.parse(path=path, format=fmt))


def _read_rdflib(path: Path, fmt: str) -> list[ox.Quad]:
    if fmt in ("trig", "nquads"):
        data = Dataset()
        with warnings.catch_warnings():  # rdflib's own TriG parser uses its deprecated ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            data.parse(path, format=fmt)
        term = _once_per_term(to_oxigraph)
        return [ox.Quad(term(s), term(p), term(o), term(g)) for s, p, o, g in data.quads((None, None, None, None))]
    return _triples(Graph().parse(path, format=fmt))


Reader = Callable[[Path], list[ox.Quad]]

#: Each RDF export: (what it should hold, the independent reader that checks it, what it calls a statement).
EXPORTS: dict[str, tuple[Callable[[Dataset], list[ox.Quad]], Reader, str]] = {
    "ldn.ttl": (_asserted, lambda p: _read_oxigraph(p, ox.RdfFormat.TURTLE), "triples"),
    "ldn.nt": (_asserted, lambda p: _read_oxigraph(p, ox.RdfFormat.N_TRIPLES), "triples"),
    "ldn.jsonld": (_asserted, lambda p: _read_oxigraph(p, ox.RdfFormat.JSON_LD), "triples"),
    "ldn-inferred.ttl": (_inferred, lambda p: _read_oxigraph(p, ox.RdfFormat.TURTLE), "triples"),
    "ldn.trig": (dataset_quads, lambda p: _read_rdflib(p, "trig"), "quads"),
    "ldn.nq": (dataset_quads, lambda p: _read_oxigraph(p, ox.RdfFormat.N_QUADS), "quads"),
}


def _canonical(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    quads = list(quads)
    if not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        return set(quads)  # nothing to canonicalise: building an ox.Dataset took 20 times as long
    data = ox.Dataset(quads)
    data.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(data)


@_without_gc
def verify_exports(ds: Dataset, folder: Path, names: Sequence[str] | None = None) -> int:
    """Re-read each RDF export in ``folder`` with an independent parser; return how many.

    Raises
    ------
    OutputError
        One line naming the first file that does not parse or does not hold exactly what was
        meant to be written (counts, and one statement that differs).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Dataset, Literal, URIRef
    >>> from ldnkg.graph.load import KNOWLEDGE
    >>> ds = Dataset()
    >>> ds.graph(KNOWLEDGE).add((URIRef("http://x/s"), URIRef("http://x/p"), Literal("a\\u2028b")))
    <Graph identifier=https://w3id.org/ldnkg/graph/knowledge (<class 'rdflib.graph.Graph'>)>
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_ntriples(ds, folder / "ldn.nt")
    >>> verify_exports(ds, folder, ["ldn.nt"])
    1
    >>> _ = (folder / "ldn.nt").write_text("")
    >>> verify_exports(ds, folder, ["ldn.nt"])
    Traceback (most recent call last):
    ...
    ldnkg.errors.OutputError: ldn.nt does not read back as written: 0 triples instead of 1 (missing ...)
    """
    checked = 0
    wanted: dict[Callable[[Dataset], list[ox.Quad]], set[ox.Quad]] = {}  # three files hold the same triples
    for name in names if names is not None else sorted(EXPORTS):
        if name not in EXPORTS:
            continue
        meant, read, unit = EXPORTS[name]
        try:
            got = _canonical(read(folder / name))
        except (SyntaxError, ValueError, ParserError) as err:  # pyoxigraph's, rdflib's
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise OutputError(f"{name} does not parse after writing: {first[:200]}") from None
        if meant not in wanted:
            wanted[meant] = _canonical(meant(ds))
        want = wanted[meant]
        if got != want:
            missing, extra = sorted(map(str, want - got)), sorted(map(str, got - want))
            example = f"missing {missing[0][:160]}" if missing else f"unexpected {extra[0][:160]}"
            raise OutputError(f"{name} does not read back as written: {len(got)} {unit} instead of "
                              f"{len(want)} ({example})")
        checked += 1
    return checked
