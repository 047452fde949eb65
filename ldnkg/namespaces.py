"""Namespaces, prefix bindings and the CURIE converter used throughout ldnkg.

Prefixes are bound explicitly in one place because rdflib's default bindings have changed
between releases.

Examples
--------
>>> from ldnkg.namespaces import CONVERTER, LDNO
>>> CONVERTER.compress("http://purl.obolibrary.org/obo/MONDO_0005546")
'MONDO:0005546'
>>> str(LDNO.Claim)
'https://w3id.org/ldnkg/ontology#Claim'
"""

from __future__ import annotations

import curies
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BIOLINK",
    "CLAIM",
    "CONVERTER",
    "ECO",
    "GRAPH",
    "LDN",
    "LDNO",
    "OA",
    "OBO",
    "OIO",
    "PREFIXES",
    "SCHEMA",
    "SOURCE",
    "bind_prefixes",
]

BASE = "https://w3id.org/ldnkg/"
LDNO = Namespace(BASE + "ontology#")
LDN = Namespace(BASE + "entity/")
CLAIM = Namespace(BASE + "claim/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
ECO = Namespace("http://purl.obolibrary.org/obo/ECO_")
OIO = Namespace("http://www.geneontology.org/formats/oboInOwl#")

#: Prefixes of the project's own terms and of the standard vocabularies it uses.
PREFIXES: dict[str, str] = {
    "ldno": str(LDNO),
    "ldn": str(LDN),
    "claim": str(CLAIM),
    "src": str(SOURCE),
    "graph": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "biolink": str(BIOLINK),
    "oboInOwl": str(OIO),
}

#: Prefixes of external identifiers (cross-references); URI prefixes follow the OBO PURLs,
#: identifiers.org and the providers' own resolvers.
XREF_PREFIXES: dict[str, str] = {
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "PR": "http://purl.obolibrary.org/obo/PR_",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "HGNC": "https://identifiers.org/hgnc:",
    "NCBIGene": "https://identifiers.org/ncbigene:",
    "UniProtKB": "https://purl.uniprot.org/uniprot/",
    "DRUGBANK": "https://go.drugbank.com/drugs/",
}

#: Local-identifier patterns of each cross-reference prefix (checked by the SHACL shapes too).
XREF_PATTERNS: dict[str, str] = {
    "CHEBI": r"^\d+$",
    "MONDO": r"^\d{7}$",
    "DOID": r"^\d+$",
    "HP": r"^\d{7}$",
    "CL": r"^\d{7}$",
    "GO": r"^\d{7}$",
    "UBERON": r"^\d{7}$",
    "PR": r"^\d{9}$",
    "ECO": r"^\d{7}$",
    "RO": r"^\d{7}$",
    "MESH": r"^D\d{6,9}$",
    "HGNC": r"^\d+$",
    "NCBIGene": r"^\d+$",
    "UniProtKB": r"^[OPQ][0-9][A-Z0-9]{3}[0-9]$|^[A-NR-Z][0-9][A-Z0-9]{3}[0-9]$",
    "DRUGBANK": r"^DB\d{5}$",
}

CONVERTER = curies.Converter.from_prefix_map({**XREF_PREFIXES, **PREFIXES})


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every project and cross-reference prefix on ``graph`` (replacing rdflib defaults).

    >>> from rdflib import Graph
    >>> dict(bind_prefixes(Graph()).namespaces())["ldno"]
    rdflib.term.URIRef('https://w3id.org/ldnkg/ontology#')
    """
    for prefix, uri in {**PREFIXES, **XREF_PREFIXES}.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph
