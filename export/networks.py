"""Graph-tool exports of the entity graph: GraphML, GEXF 1.3 and Cytoscape.js JSON.

The entity graph (:func:`ldnkg.graph.project.to_networkx`) carries lists (claims, synonyms,
cross-references); these formats take scalars, so lists are joined with ``|`` and each edge
keeps its claim IRIs, the number of claims, asserters, evidence kinds, best certainty rank, best
evidence rank and the claims' standings.

GraphML and GEXF files are valid against their XML Schemas (tested with lxml): node ids are XML
NMTOKENs — the entity's CURIE, e.g. ``ldn:LDN`` — with the full IRI kept in the ``iri``
attribute, edge ids are ``e0``, ``e1``… in a stable order, and GraphML key ids are generated
(``d0``, ``d1``…) so that a node and an edge attribute of the same name never share one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx
from rdflib import Dataset

from ldnkg.graph.project import remember, to_networkx
from ldnkg.graph.weight import STANDINGS
from ldnkg.namespaces import CONVERTER

__all__ = ["GRAPH_NAME", "file_graph", "scalar_graph", "write_cyjs", "write_gexf", "write_graphml", "xml_id"]

GRAPH_NAME = "ldnkg: Low Dose Naltrexone knowledge graph (entity graph)"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_NODE_KEYS = ("label", "kind", "classes", "definition", "synonyms", "xrefs", "year", "design")
_IRI_ATTRIBUTES = {"iri", "predicate"}
_NMTOKEN = re.compile(r"^[\w.:-]+$")  # XML NMTOKEN, restricted to ASCII-safe name characters


def scalar_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The entity graph with only string/number attributes, ready for file formats.

    >>> from ldnkg.graph.load import load
    >>> G = scalar_graph(load())
    >>> G.nodes["https://w3id.org/ldnkg/entity/TLR4"]["kind"]
    'Receptor'
    """
    source = to_networkx(ds)
    out = nx.MultiDiGraph(name=GRAPH_NAME)
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
        standings = {c["standing"] for c in claims}
        out.add_edge(u, v, key=key,
                     predicate=data["predicate"],
                     label=data["predicate_label"],
                     negated=data["negated"],
                     weight=data["weight"],
                     claims="|".join(c["claim"] for c in claims),
                     asserters="|".join(data["asserters"]),
                     evidence="|".join(data["evidence"]),
                     best_certainty_rank=data["best_rank"],
                     best_evidence_rank=min(c["evidence_rank"] for c in claims),
                     standings="|".join(s for s in STANDINGS if s in standings))
    return out


def xml_id(iri: str, taken: set[str]) -> str:
    """An XML NMTOKEN for a node: its CURIE when that is one, else a safe, unique stand-in.

    >>> xml_id("https://w3id.org/ldnkg/entity/LDN", set())
    'ldn:LDN'
    >>> xml_id("https://example.org/a b", {"n_https_example.org_a_b"})
    'n_https_example.org_a_b_2'
    """
    curie = CONVERTER.compress(iri) or ""
    candidate = curie if _NMTOKEN.match(curie) else "n_" + re.sub(r"[^\w.-]+", "_", iri.replace("://", "_"))
    unique, n = candidate, 1
    while unique in taken:
        n += 1
        unique = f"{candidate}_{n}"
    taken.add(unique)
    return unique


def file_graph(ds: Dataset) -> nx.MultiDiGraph:
    """:func:`scalar_graph` with NMTOKEN node ids (IRI in ``iri``) and edge keys ``e0``, ``e1``…

    >>> from ldnkg.graph.load import load
    >>> G = file_graph(load())
    >>> G.nodes["ldn:LDN"]["iri"]
    'https://w3id.org/ldnkg/entity/LDN'
    """
    source = scalar_graph(ds)
    taken: set[str] = set()
    ids = {node: xml_id(node, taken) for node in source.nodes}
    out = nx.MultiDiGraph(**source.graph)
    for node, data in source.nodes(data=True):
        out.add_node(ids[node], iri=node, **data)
    for i, (u, v, data) in enumerate(source.edges(data=True)):
        out.add_edge(ids[u], ids[v], key=f"e{i}", **data)
    return out


def _shared_file_graph(ds: Dataset) -> nx.MultiDiGraph:  # GraphML and GEXF read it, unchanged
    return remember(ds, "networks.file_graph", lambda: file_graph(ds))


def write_graphml(ds: Dataset, path: Path) -> None:
    """GraphML 1.0 (yEd, Gephi, igraph…), valid against the GraphML schema."""
    # the ElementTree writer, not the lxml one: the same bytes whether or not lxml is installed
    nx.write_graphml_xml(_shared_file_graph(ds), path, encoding="utf-8", prettyprint=True, named_key_ids=False)


def _gexf_type(name: str, values: list[Any]) -> str:
    if name in _IRI_ATTRIBUTES:
        return "anyURI"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _gexf_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _gexf_attributes(graph: ET.Element, kind: str, items: list[dict[str, Any]], skip: set[str]) -> list[str]:
    names = sorted({k for data in items for k in data} - skip)
    block = ET.SubElement(graph, "attributes", {"class": kind, "mode": "static"})
    for name in names:
        ET.SubElement(block, "attribute", {"id": name, "title": name,
                                           "type": _gexf_type(name, [d[name] for d in items if name in d])})
    return names


def _attvalues(parent: ET.Element, data: dict[str, Any], names: list[str]) -> None:
    values = ET.SubElement(parent, "attvalues")
    for name in names:
        if name in data:
            ET.SubElement(values, "attvalue", {"for": name, "value": _gexf_value(data[name])})


def write_gexf(ds: Dataset, path: Path) -> None:
    """GEXF 1.3 for Gephi, valid against the GEXF 1.3 schema.

    GEXF 1.3 has no graph name attribute: the name is the ``<meta><description>``.
    """
    graph = _shared_file_graph(ds)
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element("gexf", {"version": "1.3", f"{{{XSI_NS}}}schemaLocation":
                               f"{GEXF_NS} http://gexf.net/1.3/gexf.xsd"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "ldnkg"
    ET.SubElement(meta, "description").text = graph.graph["name"]
    body = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    node_names = _gexf_attributes(body, "node", [d for _, d in graph.nodes(data=True)], {"label"})
    edge_names = _gexf_attributes(body, "edge", [d for _, _, d in graph.edges(data=True)], {"label", "weight"})
    nodes = ET.SubElement(body, "nodes", {"count": str(graph.number_of_nodes())})
    for node, data in graph.nodes(data=True):
        element = ET.SubElement(nodes, "node", {"id": node, "label": str(data.get("label", node))})
        _attvalues(element, data, node_names)
    edges = ET.SubElement(body, "edges", {"count": str(graph.number_of_edges())})
    for u, v, key, data in graph.edges(keys=True, data=True):
        element = ET.SubElement(edges, "edge", {"id": key, "source": u, "target": v, "label": data["label"],
                                                "weight": str(data["weight"])})
        _attvalues(element, data, edge_names)
    # every name in the default namespace, as the schema expects
    for element in root.iter():
        if not element.tag.startswith("{"):
            element.tag = f"{{{GEXF_NS}}}{element.tag}"
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    tree.write(path, encoding="utf-8", xml_declaration=True)


def write_cyjs(ds: Dataset, path: Path) -> None:
    """Cytoscape.js JSON (``elements.nodes`` / ``elements.edges``), readable by Cytoscape."""
    graph = scalar_graph(ds)
    data = nx.cytoscape_data(graph, name="label", ident="id")
    data["data"] = {"name": "ldnkg", "description": "Low Dose Naltrexone knowledge graph (entity graph)"}
    for i, edge in enumerate(data["elements"]["edges"]):
        edge["data"]["id"] = f"e{i}"
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
