"""SPARQL 1.1 Protocol details of ``ldnkg serve``: content negotiation and the Service Description.

Result media types (the writers are rdflib's and pyoxigraph's, see
:mod:`ldnkg.graph.sparql_results`):

* SELECT — SPARQL results JSON, XML, CSV, TSV;
* ASK — JSON and XML only (the CSV/TSV standard defines no boolean form);
* CONSTRUCT/DESCRIBE — Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG.

An ``Accept`` header nothing above satisfies gets 406 with the list of what is on offer.
"""

from __future__ import annotations

import contextlib

__all__ = ["MEDIA", "NotAcceptable", "negotiate", "offered", "service_description"]

_SOLUTIONS = [("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
              ("application/json", "json"), ("application/xml", "xml"), ("text/xml", "xml"),
              ("text/csv", "csv"), ("text/tab-separated-values", "tsv")]
_GRAPH = [("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
          ("application/ld+json", "jsonld"), ("application/n-quads", "nq"), ("application/trig", "trig"),
          ("application/x-turtle", "ttl"), ("text/plain", "nt"), ("application/json", "jsonld"),
          ("application/xml", "xml"), ("text/xml", "xml")]
#: the media type each (result kind, format) is sent as
MEDIA = {("solutions", "json"): "application/sparql-results+json",
         ("solutions", "xml"): "application/sparql-results+xml",
         ("solutions", "csv"): "text/csv", ("solutions", "tsv"): "text/tab-separated-values",
         ("graph", "ttl"): "text/turtle", ("graph", "nt"): "application/n-triples",
         ("graph", "xml"): "application/rdf+xml", ("graph", "jsonld"): "application/ld+json",
         ("graph", "nq"): "application/n-quads", ("graph", "trig"): "application/trig"}


_ALIASES = {"turtle": "ttl", "n-triples": "nt", "ntriples": "nt", "json-ld": "jsonld", "rdfxml": "xml",
            "rdf+xml": "xml", "n-quads": "nq", "nquads": "nq"}


class NotAcceptable(Exception):
    """No format on offer satisfies the client's ``Accept`` header (HTTP 406)."""


def offered(kind: str) -> list[tuple[str, str]]:
    """(media type, format) pairs on offer for a result kind ("select", "ask", "graph"), best first.

    >>> sorted({f for _, f in offered("ask")})
    ['json', 'xml']
    """
    if kind == "graph":
        return list(_GRAPH)
    if kind == "ask":
        return [(m, f) for m, f in _SOLUTIONS if f not in ("csv", "tsv")]
    return list(_SOLUTIONS)


def _ranges(accept: str) -> list[tuple[str, float]]:
    out = []
    for part in accept.split(","):
        media, *opts = [x.strip() for x in part.split(";")]
        if not media:
            continue
        q = 1.0
        for opt in opts:
            if opt.replace(" ", "").startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(opt.split("=", 1)[1])
        out.append((media.lower(), q))
    return out


def negotiate(accept: str | None, kind: str, explicit: str | None = None) -> tuple[str, str]:
    """The (format, media type) to answer with, for an ``Accept`` header (or ``format=``).

    Raises
    ------
    NotAcceptable
        When the header (or ``format=``) asks only for what is not on offer for this kind.

    Examples
    --------
    >>> negotiate("text/csv, application/json;q=0.5", "select")
    ('csv', 'text/csv')
    >>> negotiate("*/*", "graph")
    ('ttl', 'text/turtle')
    >>> negotiate("application/rdf+xml", "graph")
    ('xml', 'application/rdf+xml')
    >>> negotiate("text/csv", "ask")
    Traceback (most recent call last):
    ...
    ldnkg.export.server_protocol.NotAcceptable: no result format for an ASK query matches Accept: text/csv ...)
    """
    table = offered(kind)
    group = "graph" if kind == "graph" else "solutions"
    on_offer = ", ".join(m for m, _ in table)
    what = {"select": "a SELECT query", "ask": "an ASK query", "graph": "a CONSTRUCT/DESCRIBE query"}[kind]
    if explicit:  # format=/output= as clients such as SPARQLWrapper send it; unknown: use Accept
        short = _ALIASES.get(explicit.lower(), explicit.lower())
        for media, fmt in table:
            if short in (fmt, media):
                return fmt, MEDIA[(group, fmt)]
    if not accept or not accept.strip():
        fmt = table[0][1]
        return fmt, MEDIA[(group, fmt)]
    best: tuple[float, int, int, str] | None = None
    for media, q in _ranges(accept):
        if q <= 0:
            continue
        for rank, (offer, fmt) in enumerate(table):
            kind_major = offer.split("/")[0]
            if media in (offer, "*/*", f"{kind_major}/*"):
                exact = 0 if media == offer else 1
                candidate = (-q, exact, rank, fmt)
                if best is None or candidate < best:
                    best = candidate
    if best is None:
        raise NotAcceptable(f"no result format for {what} matches Accept: {accept} (on offer: {on_offer})")
    return best[3], MEDIA[(group, best[3])]


def service_description(endpoint: str, graphs: list[str], fmt: str = "ttl") -> str:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (an RDF document).

    >>> "sd:SPARQL11Query" in service_description("http://127.0.0.1:8000/sparql", [])
    True
    """
    from rdflib import BNode, Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    me = URIRef(endpoint)
    g.add((me, RDF.type, sd.Service))
    g.add((me, sd.endpoint, me))
    g.add((me, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((me, sd.feature, sd.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N-Quads", "TriG"):
        g.add((me, sd.resultFormat, formats[name]))
    dataset, default = BNode("dataset"), BNode("default")
    g.add((me, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    for i, name in enumerate(graphs):
        node = BNode(f"named{i}")
        g.add((dataset, sd.namedGraph, node))
        g.add((node, RDF.type, sd.NamedGraph))
        g.add((node, sd.name, URIRef(name)))
    writer = {"ttl": "turtle", "nt": "nt", "xml": "pretty-xml", "jsonld": "json-ld", "nq": "nquads",
              "trig": "trig"}[fmt]
    return g.serialize(format=writer)
