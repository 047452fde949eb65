"""RDF serialisations of the built graph, byte-identical for identical input.

Files
-----
``ldn.ttl``, ``ldn.nt``, ``ldn.jsonld``  asserted triples: schema + curated knowledge (with
                                          the plain triples materialised from claims);
``ldn-inferred.ttl``                      OWL 2 RL entailments only;
``ldn.trig``, ``ldn.nq``                  everything, one named graph per kind
                                          (``graph:schema``, ``graph:knowledge``,
                                          ``graph:inferred``).

Determinism: N-Triples and N-Quads lines are sorted; JSON-LD is re-serialised with sorted
keys and nodes; the graph has no blank nodes, so Turtle/TriG need no relabelling.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

from ldnkg.graph.load import INFERRED, KNOWLEDGE, SCHEMA, asserted_graph
from ldnkg.namespaces import PREFIXES, XREF_PREFIXES, bind_prefixes

__all__ = [
    "write_inferred_turtle",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
    "write_trig",
    "write_turtle",
]


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def write_turtle(ds: Dataset, path: Path) -> None:
    """Asserted triples as Turtle."""
    path.write_text(asserted_graph(ds).serialize(format="turtle"), encoding="utf-8")


def write_inferred_turtle(ds: Dataset, path: Path) -> None:
    """Only the inferred triples, as Turtle."""
    graph = bind_prefixes(Graph())
    for triple in ds.graph(INFERRED):
        graph.add(triple)
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")


def write_ntriples(ds: Dataset, path: Path) -> None:
    """Asserted triples as N-Triples, one sorted line per triple."""
    path.write_text(_sorted_lines(asserted_graph(ds).serialize(format="nt")), encoding="utf-8")


def _named(ds: Dataset) -> Dataset:
    out = Dataset()
    bind_prefixes(out)
    for name in (SCHEMA, KNOWLEDGE, INFERRED):
        target = out.graph(name)
        for triple in ds.graph(name):
            target.add(triple)
    return out


def write_trig(ds: Dataset, path: Path) -> None:
    """All three named graphs as TriG, in a fixed order (rdflib's own TriG writer orders the
    graphs by hash, so the file would change between runs)."""
    header: list[str] = []
    blocks: list[str] = []
    for name in (SCHEMA, KNOWLEDGE, INFERRED):
        graph = bind_prefixes(Graph())
        for triple in ds.graph(name):
            graph.add(triple)
        body = []
        for line in graph.serialize(format="turtle").splitlines():
            if line.startswith("@prefix"):
                if line not in header:
                    header.append(line)
            elif line.strip():
                body.append("    " + line)
            elif body and body[-1]:
                body.append("")
        blocks.append(f"<{name}> {{\n" + "\n".join(body).rstrip() + "\n}\n")
    path.write_text("\n".join(sorted(header)) + "\n\n" + "\n".join(blocks), encoding="utf-8")


def write_nquads(ds: Dataset, path: Path) -> None:
    """All three named graphs as N-Quads, one sorted line per quad."""
    path.write_text(_sorted_lines(_named(ds).serialize(format="nquads")), encoding="utf-8")


def jsonld_context() -> dict[str, str]:
    """The local JSON-LD context: every bound prefix (no remote context is fetched)."""
    return dict(sorted({**PREFIXES, **XREF_PREFIXES}.items()))


def write_jsonld(ds: Dataset, path: Path) -> None:
    """Asserted triples as compact JSON-LD with a local context, keys and nodes sorted."""
    context = jsonld_context()
    data = json.loads(asserted_graph(ds).serialize(format="json-ld", context=context, auto_compact=True))
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
