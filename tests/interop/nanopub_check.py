"""The ``nanopub`` library's own validation of every nanopublication in a TriG file, offline.

Usage: ``.venv-interop/bin/python tests/interop/nanopub_check.py FILE.trig``

Splits the file into its nanopublications (one per ``np:Nanopublication`` in a head graph), gives
each to ``nanopub.Nanopub(rdf=…)`` on its own and reads ``is_valid`` (head, assertion, provenance
and pubinfo graphs present and non-empty, exactly four graphs, provenance about the assertion,
pubinfo about the nanopublication). Nothing is signed or published. Prints one JSON object:
``{"count": N, "valid": M, "invalid": {nanopub IRI: error}, "graphs_used": K}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nanopub import Nanopub
from nanopub.utils import MalformedNanopubError
from rdflib import ConjunctiveGraph, Dataset, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.sparql import Query

NP = Namespace("http://www.nanopub.org/nschema#")


def reuse_prepared_queries() -> None:
    """nanopub asks every nanopublication the same SPARQL text twice, and rdflib parses the text
    anew each time (≈ 33 ms, two thirds of this check): each text (with its namespaces and base)
    is parsed once here and its prepared query reused, as rdflib's prepareQuery is meant to be.
    What the library checks, and how, is unchanged."""
    run = processor.SPARQLProcessor.query
    prepared: dict[tuple, Query] = {}

    def query(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(text, str):
            key = (text, tuple(sorted((initNs or {}).items())), base)
            if key not in prepared:
                prepared[key] = processor.prepareQuery(text, initNs=initNs, base=base)
            text = prepared[key]
        return run(self, text, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query


def main() -> None:
    reuse_prepared_queries()
    data = Dataset()
    data.parse(Path(sys.argv[1]), format="trig")
    heads = [(np_iri, g.identifier) for g in data.graphs() for np_iri in g.subjects(RDF.type, NP.Nanopublication)]
    invalid: dict[str, str] = {}
    used: set[str] = set()
    for np_iri, head in sorted(heads):
        parts = [head] + [data.graph(head).value(np_iri, p) for p in
                          (NP.hasAssertion, NP.hasProvenance, NP.hasPublicationInfo)]
        single = ConjunctiveGraph()
        for part in parts:
            if isinstance(part, URIRef):
                used.add(str(part))
                target = single.get_context(part)
                for triple in data.graph(part):
                    target.add(triple)
        try:
            valid = Nanopub(rdf=single).is_valid
        except MalformedNanopubError as err:
            invalid[str(np_iri)] = str(err)
            continue
        if not valid:
            invalid[str(np_iri)] = "is_valid is False"
    graphs = {str(g.identifier) for g in data.graphs() if len(g)}
    print(json.dumps({"count": len(heads), "valid": len(heads) - len(invalid), "invalid": invalid,
                      "graphs_used": len(used), "graphs": len(graphs)}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
