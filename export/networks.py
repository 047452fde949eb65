"""Graph-tool exports of the entity graph: GraphML, GEXF and Cytoscape.js JSON.

The entity graph (:func:`ldnkg.graph.project.to_networkx`) carries lists (claims, synonyms,
cross-references); these formats take scalars, so lists are joined with ``|`` and each edge
keeps its claim IRIs, the number of claims, asserters, evidence kinds and best certainty rank.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from ldnkg.graph.project import to_networkx

__all__ = ["scalar_graph", "write_cyjs", "write_gexf", "write_graphml"]

_NODE_KEYS = ("label", "kind", "classes", "definition", "synonyms", "xrefs", "year", "design")


def scalar_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The entity graph with only string/number attributes, ready for file formats.

    >>> from ldnkg.graph.load import load
    >>> G = scalar_graph(load())
    >>> G.nodes["https://w3id.org/ldnkg/entity/LDN"]["kind"]
    'Drug'
    """
    source = to_networkx(ds)
    out = nx.MultiDiGraph()
    for node, data in source.nodes(data=True):
        attrs = {}
        for key in _NODE_KEYS:
            value = data.get(key)
            if value is None:
                continue
            attrs[key] = "|".join(value) if isinstance(value, list) else value
        out.add_node(node, **attrs)
    for u, v, key, data in source.edges(keys=True, data=True):
        claims = data["claims"]
        out.add_edge(u, v, key=key,
                     predicate=data["predicate"],
                     label=data["predicate_label"],
                     negated=data["negated"],
                     weight=data["weight"],
                     claims="|".join(c["claim"] for c in claims),
                     asserters="|".join(data["asserters"]),
                     evidence="|".join(data["evidence"]),
                     best_certainty_rank=data["best_rank"])
    return out


def write_graphml(ds: Dataset, path: Path) -> None:
    """GraphML (yEd, Gephi, igraph…)."""
    nx.write_graphml(scalar_graph(ds), path, encoding="utf-8", prettyprint=True, named_key_ids=True)


def write_gexf(ds: Dataset, path: Path) -> None:
    """GEXF 1.2 for Gephi, without the volatile last-modified date networkx writes."""
    nx.write_gexf(scalar_graph(ds), path, encoding="utf-8", prettyprint=True)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1), encoding="utf-8")


def write_cyjs(ds: Dataset, path: Path) -> None:
    """Cytoscape.js JSON (``elements.nodes`` / ``elements.edges``), readable by Cytoscape."""
    graph = scalar_graph(ds)
    data = nx.cytoscape_data(graph, name="label", ident="id")
    data["data"] = {"name": "ldnkg", "description": "Low Dose Naltrexone knowledge graph (entity graph)"}
    for i, edge in enumerate(data["elements"]["edges"]):
        edge["data"]["id"] = f"e{i}"
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
