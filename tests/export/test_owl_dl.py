"""The ontology is OWL 2 DL: HermiT (through owlready2) and the OWL API's DL profile check accept it.

The schema alone must be clean. The asserted export ``ldn.nt`` (schema + knowledge) adds the claims,
which are RDF reifications: the OWL API reads ``rdf:subject``/``rdf:predicate``/``rdf:object`` with
IRI objects as reification, but a claim whose object is a literal (a year, a percentage, a trend)
becomes an annotation with the reserved ``rdf:object`` — the one thing OWL 2 DL cannot say about
the claim model, and the only violation allowed there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.namespace import OWL, RDFS

from ldnkg.graph.load import KNOWLEDGE, SCHEMA, load
from ldnkg.namespaces import LDNO
from tests.interop import run

BUILTIN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
           "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

BAD = """\
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/onto> a owl:Ontology .
ex:Claim a owl:Class .
ex:paraphrase a owl:DatatypeProperty ; rdfs:subPropertyOf rdfs:comment ; rdfs:domain ex:Claim .
ex:year a owl:DatatypeProperty ; rdfs:range xsd:gYear .
ex:c1 a ex:Claim ; ex:paraphrase "x"@en ; ex:year "1999"^^xsd:gYear ; ex:undeclared ex:c2 .
"""


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def schema_nt(ds, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("owl") / "schema.nt"
    graph = Graph()
    for triple in ds.graph(SCHEMA):
        graph.add(triple)
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


def test_every_property_used_has_exactly_one_declared_kind(ds) -> None:
    schema = ds.graph(SCHEMA)
    used = {p for name in (SCHEMA, KNOWLEDGE) for p in ds.graph(name).predicates() if not str(p).startswith(BUILTIN)}
    used |= {o for o in schema.objects(None, RDFS.subPropertyOf) if not str(o).startswith(BUILTIN)}
    kinds = {p: [k for k in KINDS if (p, RDF.type, k) in schema] for p in used}
    assert {str(p) for p, k in kinds.items() if not k} == set(), "used without a declaration"
    assert {str(p): k for p, k in kinds.items() if len(k) > 1} == {}, "punned"


def test_paraphrase_is_a_datatype_property_and_not_a_comment(ds) -> None:
    schema = ds.graph(SCHEMA)
    assert (LDNO.paraphrase, RDF.type, OWL.DatatypeProperty) in schema
    assert (LDNO.paraphrase, RDFS.subPropertyOf, RDFS.comment) not in schema


def test_the_checkers_catch_what_the_issue_found(tmp_path: Path) -> None:
    """The same checks on a small ontology with the three faults: each one is reported."""
    path = tmp_path / "bad.nt"
    Graph().parse(data=BAD, format="turtle").serialize(path, format="nt", encoding="utf-8")
    report = run("owl_check.py", path, java=True)
    assert "UnsupportedDatatypeException" in report["refused"]  # xsd:gYear
    assert any("paraphrase" in w for w in report["warnings"])  # data + annotation property
    kinds = {v.split("\t", 1)[0] for v in report["violations"]}
    assert {"IllegalPunning", "UseOfUndeclaredAnnotationProperty"} <= kinds


def test_schema_is_owl2_dl_consistent_and_satisfiable(schema_nt: Path) -> None:
    report = run("owl_check.py", schema_nt, java=True)
    assert report["refused"] is None
    assert report["warnings"] == []
    assert report["consistent"] is True
    assert report["unsatisfiable"] == []
    assert report["violations"] == []


def test_asserted_export_is_consistent_and_dl_but_for_literal_claim_objects(built: Path) -> None:
    report = run("owl_check.py", built / "ldn.nt", java=True)
    assert report["refused"] is None
    assert report["warnings"] == []
    assert report["consistent"] is True
    assert report["unsatisfiable"] == []
    graph = Graph().parse(built / "ldn.nt", format="nt")
    literal_claims = {str(c) for c, o in graph.subject_objects(RDF.object) if isinstance(o, Literal)}
    claims = set()
    for violation in report["violations"]:
        assert re.search(r"\brdf:object\b", violation), violation
        claims.add(re.search(r"AnnotationAssertion\(rdf:object <([^>]+)>", violation).group(1))
    assert claims <= literal_claims
