"""``ldn.graphml`` and ``ldn.gexf`` are valid against the GraphML 1.0 and GEXF 1.3 XML Schemas.

The schemas are test data (``tests/data/xsd/``): the GraphML structure schema with a local wrapper
adding the ``attr.name``/``attr.type`` key attributes and a stand-in for XLink, and the GEXF 1.3
schema from the gephi/gexf repository. lxml validates offline.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from ldnkg.export.networks import GRAPH_NAME, scalar_graph
from ldnkg.graph.load import load

XSD = Path(__file__).resolve().parent.parent / "data" / "xsd"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://gexf.net/1.3}"


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def _errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    schema.validate(etree.parse(str(path)))
    return [f"{e.line}: {e.message}" for e in schema.error_log]


@pytest.fixture(scope="module")
def graphml_schema() -> etree.XMLSchema:
    return _schema("graphml/graphml-local.xsd")


@pytest.fixture(scope="module")
def gexf_schema() -> etree.XMLSchema:
    return _schema("1.3/gexf.xsd")


@pytest.fixture(scope="module")
def entity_graph() -> nx.MultiDiGraph:
    return scalar_graph(load())


def test_graphml_is_valid(built: Path, graphml_schema: etree.XMLSchema) -> None:
    assert _errors(graphml_schema, built / "ldn.graphml") == []


def test_gexf_is_valid_1_3(built: Path, gexf_schema: etree.XMLSchema) -> None:
    root = etree.parse(str(built / "ldn.gexf")).getroot()
    assert root.tag == f"{GEXF_NS}gexf" and root.get("version") == "1.3"
    assert _errors(gexf_schema, built / "ldn.gexf") == []


def test_the_schemas_reject_what_networkx_wrote_before(tmp_path: Path, graphml_schema: etree.XMLSchema,
                                                        gexf_schema: etree.XMLSchema) -> None:
    """IRIs as GraphML node ids, a key id shared by a node and an edge attribute, GEXF graph name=""."""
    graph = nx.MultiDiGraph()
    graph.add_node("https://w3id.org/ldnkg/entity/LDN", label="LDN")
    graph.add_edge("https://w3id.org/ldnkg/entity/LDN", "https://w3id.org/ldnkg/entity/TLR4", label="blocks")
    nx.write_graphml_xml(graph, tmp_path / "old.graphml", named_key_ids=True)
    errors = " ".join(_errors(graphml_schema, tmp_path / "old.graphml"))
    assert "NMTOKEN" in errors and "Duplicate key-sequence ['label']" in errors
    nx.write_gexf(graph, tmp_path / "old.gexf", version="1.3")
    assert _errors(gexf_schema, tmp_path / "old.gexf")


def test_graphml_ids_are_unique_and_keep_the_iri(built: Path, entity_graph: nx.MultiDiGraph) -> None:
    root = etree.parse(str(built / "ldn.graphml")).getroot()
    keys = [k.get("id") for k in root.iter(f"{GRAPHML_NS}key")]
    edges = [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")]
    assert not [k for k, n in Counter(keys).items() if n > 1]
    assert not [e for e, n in Counter(edges).items() if n > 1]
    assert len(edges) == entity_graph.number_of_edges()
    read = nx.read_graphml(built / "ldn.graphml")
    assert read.graph["name"] == GRAPH_NAME
    assert {d["iri"] for _, d in read.nodes(data=True)} == set(entity_graph.nodes)
    ldn = read.nodes["ldn:LDN"]
    assert ldn["iri"] == "https://w3id.org/ldnkg/entity/LDN" and ldn["label"] == "low dose naltrexone"


def test_gexf_reads_back_with_its_name_and_every_edge(built: Path, entity_graph: nx.MultiDiGraph) -> None:
    root = etree.parse(str(built / "ldn.gexf")).getroot()
    assert root.findtext(f"{GEXF_NS}meta/{GEXF_NS}description") == GRAPH_NAME
    read = nx.read_gexf(built / "ldn.gexf")
    assert read.number_of_nodes() == entity_graph.number_of_nodes()
    assert read.number_of_edges() == entity_graph.number_of_edges()
    iris = {d["iri"]: n for n, d in read.nodes(data=True)}
    ldn, tlr4 = iris["https://w3id.org/ldnkg/entity/LDN"], iris["https://w3id.org/ldnkg/entity/TLR4"]
    blocks = [d for d in read.get_edge_data(ldn, tlr4).values() if d["label"] == "blocks"]
    assert blocks and blocks[0]["negated"] is False and blocks[0]["weight"] >= 1
