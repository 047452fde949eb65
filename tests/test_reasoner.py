"""The fast paths give the reference answers: reasonable = owlrl, and SHACL with the precomputed RDFS
types = pyshacl with its own RDFS inference pass (what the build ran before), on the article's graph,
with a second source, and on a graph broken on purpose in the ways where inference matters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from ldnkg.errors import ValidationError
from ldnkg.graph.load import KNOWLEDGE, SCHEMA, asserted_graph, load, parse_turtle
from ldnkg.graph.reason import entailments, infer, rdfs_types
from ldnkg.graph.validate import _PreparedQueries, validate
from ldnkg.namespaces import LDN, LDNO, bind_prefixes
from ldnkg.ontology import shapes_file
from tests.conftest import FIXTURES

CLAIM = URIRef("https://w3id.org/ldnkg/claim/three-roles-of-ldn/p17-tlr4-blockade")


def test_reasonable_gives_exactly_owlrls_entailments() -> None:
    g = asserted_graph(load())
    fast, reference = entailments(g), entailments(g, engine="owlrl")
    assert fast == reference, (sorted(fast - reference)[:5], sorted(reference - fast)[:5])
    # what the two engines would disagree on without the post-processing in reason.py
    assert (LDNO.actsThrough, RDFS.range, LDNO.Entity) in fast  # scm-rng1, not emitted by reasonable
    assert any(p == RDFS.label for _, p, _ in fast) is False  # xsd:string literals are not new triples


def test_reasonable_equals_owlrl_with_a_second_source(ontology_copy: Path) -> None:
    shutil.copytree(FIXTURES / "second-source" / "knowledge" / "toy-note", ontology_copy / "knowledge" / "toy-note")
    g = asserted_graph(load(ontology_copy))
    assert entailments(g) == entailments(g, engine="owlrl")


def test_infer_fills_the_inferred_graph_from_schema_and_knowledge_only() -> None:
    ds = load()
    count = infer(ds)
    from ldnkg.graph.load import INFERRED

    assert count == len(ds.graph(INFERRED)) > 1000
    assert (LDN.Fibromyalgia, RDF.type, LDNO.Condition) in ds.graph(INFERRED)
    with pytest.raises(ValueError, match="unknown reasoner"):
        infer(ds, engine="hermit")  # type: ignore[arg-type]


def _violations_reference(ds) -> set[str]:
    """The validation the build ran before: pyshacl's own RDFS inference, SHACL-AF on."""
    import pyshacl

    data = bind_prefixes(_PreparedQueries())  # parses each query once; semantics unchanged
    for name in (SCHEMA, KNOWLEDGE):
        for triple in ds.graph(name):
            data.add(triple)
    shapes = parse_turtle(shapes_file(), Graph())
    assert not any(shapes.triples((None, SH.rule, None))), "shapes with rules need advanced mode"
    shown = bind_prefixes(Graph())
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="rdfs", advanced=True,
                                    allow_warnings=True, inplace=True)
    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath)
        where = shown.qname(path) if isinstance(path, URIRef) else ""
        out.add(f"{report.value(result, SH.focusNode)}: {where} {report.value(result, SH.resultMessage)}"
                .replace("  ", " "))
    return out


def _violations_fast(ds) -> set[str]:
    try:
        validate(ds)
    except ValidationError as err:
        return set(err.violations)
    return set()


@pytest.mark.slow
def test_shacl_without_the_inference_pass_reports_what_pyshacl_rdfs_reports() -> None:
    ds = load()
    assert _violations_fast(ds) == _violations_reference(ds) == set()
    kg = ds.graph(KNOWLEDGE)
    # typed only by a property's domain (RDFS inference makes it a claim, so its gaps are violations)
    kg.remove((CLAIM, RDF.type, LDNO.Claim))
    # an entity without its label (an untyped entity is check_references' to report, before SHACL)
    kg.remove((LDN.Fibromyalgia, RDFS.label, None))
    # a broken SPARQL-checked rule and a broken pattern
    other = URIRef("https://w3id.org/ldnkg/claim/three-roles-of-ldn/p20-fibro-trials")
    kg.set((other, LDNO.evidenceLevel, LDNO.HypothesisLevel))
    kg.add((LDN.LDN, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/MONDO_12")))
    kg.add((LDN.TLR4Blockade, LDNO.year, Literal("soon")))
    fast, reference = _violations_fast(ds), _violations_reference(ds)
    assert fast == reference
    assert len(fast) >= 3
    assert any("p20-fibro-trials" in v and "evidence level" in v for v in fast)
    assert any("Fibromyalgia" in v and "rdfs:label" in v for v in fast)


def test_rdfs_types_follow_domain_range_and_both_hierarchies() -> None:
    g = asserted_graph(load())
    types = rdfs_types(g)
    assert all(p == RDF.type for _, p, _ in types)
    assert (LDN.Fibromyalgia, RDF.type, LDNO.Entity) in types  # via the class hierarchy
    assert not any(t in g for t in types)
