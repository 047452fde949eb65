"""The fast paths give the reference answers: reasonable = owlrl, and SHACL by pyshacl-turbo with the
precomputed RDFS types = pyshacl with its own RDFS inference pass (what the build ran before), on the
article's graph, with a second source, and on a graph broken on purpose in the ways where inference
matters and once for every rule the shapes check with SPARQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ldnkg.errors import ValidationError
from ldnkg.graph.load import KNOWLEDGE, SCHEMA, asserted_graph, load, parse_turtle
from ldnkg.graph.reason import entailments, infer, rdfs_types
from ldnkg.graph.validate import ENGINES, _PreparedQueries, validate
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


def test_prp_fp_is_left_out_only_where_it_concludes_nothing_kept() -> None:
    """reasonable's prp-fp pairs every two triples of a functional property (out of memory at 100×):
    reason.py leaves it out where it could only conclude ``y owl:sameAs y``, and only there."""
    from ldnkg.graph import reason

    def kept(closure, asserted):
        return {t for t in ((s, p, reason._plain(o)) for s, p, o in closure) if t not in asserted and reason._keep(t)}

    asserted = set(asserted_graph(load()))
    short, full = reason._without_prp_fp(asserted), reason._reason(asserted)
    assert short is not None
    assert kept(short, asserted) == kept(full, asserted)
    assert {(s, p) for s, p, o in set(full) - set(short) - asserted if s == o} == {
        (o, OWL.sameAs) for s, p, o in asserted if p in (LDNO.evidenceLevel, LDNO.standing)}
    # a claim with two standings: prp-fp makes them the same individual, which leaving it out would miss
    two = asserted | {(CLAIM, LDNO.standing, LDNO.HypothesisStanding), (CLAIM, LDNO.standing, LDNO.AssertedStanding)}
    assert reason._without_prp_fp(two) is None
    declared = {t for t in two if t[2] == OWL.FunctionalProperty}
    assert kept(reason._reason(two - declared), two) != entailments(two)


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


def _violations_fast(ds, engine: str = ENGINES[0]) -> set[str]:
    try:
        validate(ds, engine=engine)  # type: ignore[arg-type]
    except ValidationError as err:
        return set(err.violations)
    return set()


def _claim(name: str) -> URIRef:
    return URIRef(f"https://w3id.org/ldnkg/claim/three-roles-of-ldn/{name}")


ECO = "http://purl.obolibrary.org/obo/ECO_"
#: One break per rule the shapes check with SPARQL: (claim, what is changed, the message it must give).
#: (The sixth, an object property's object must be typed, is vacuous under a full RDFS pass, where
#: everything is an rdfs:Resource: it is in the next test.)
SPARQL_RULES = [
    ("p20-fibro-trials", (LDNO.evidenceLevel, LDNO.HypothesisLevel), "evidence level is not the one"),
    ("p04-start-year", (LDNO.standing, LDNO.ObservationStanding), "standing is not the one the rule gives"),
    ("p11-nk-surveillance", (LDNO.certainty, LDNO.Established), "must be worded as hypothesised"),
    ("p05-safety", (LDNO.certainty, LDNO.Observed), "certainty ldno:Observed needs basis"),
    ("p08-role1", (LDNO.evidence, URIRef(ECO + "0000180")), "evidence kind does not fit"),
]


@pytest.mark.slow
def test_shacl_without_the_inference_pass_reports_what_pyshacl_rdfs_reports() -> None:
    ds = load()
    # the reference runs once, on the broken data below: every claim left unbroken is compared there
    # too, and a pass of it on the clean data alone (7 CPU s) would add nothing
    assert _violations_fast(ds) == set()
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
    for name, (prop, value), _ in SPARQL_RULES:
        assert (_claim(name), RDF.type, LDNO.Claim) in kg, name
        kg.set((_claim(name), prop, value))
    fast, reference = _violations_fast(ds), _violations_reference(ds)
    assert fast == reference
    assert fast == _violations_fast(ds, engine="pyshacl")
    assert any("Fibromyalgia" in v and "rdfs:label" in v for v in fast)
    assert any("TLR4Blockade: ldno:year a study has at most one year" in v for v in fast)
    for name, _, message in SPARQL_RULES:
        assert any(f"/{name}: " in v and message in v for v in fast), (name, message)


def test_both_shacl_engines_name_the_same_violations() -> None:
    """The default engine and the reference, on breaks of the SHACL Core constraints, each named by its own message."""
    ds = load()
    kg = ds.graph(KNOWLEDGE)
    locator = _claim("p04-start-year-locator")
    kg.set((locator, URIRef("http://www.w3.org/ns/oa#start"), Literal("abc")))
    kg.set((locator, LDNO.paragraph, Literal(-3)))
    kg.add((_claim("p05-cost"), LDNO.negated, Literal("no")))
    kg.set((_claim("p05-cost"), RDF.object, URIRef("http://example.org/untyped")))
    kg.add((LDN.LDN, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/MONDO_12")))
    kg.remove((_claim("p12-not-cure"), LDNO.evidence, None))
    fast = _violations_fast(ds)
    assert fast == _violations_fast(ds, engine="pyshacl")
    assert {v.split(": ", 1)[0].rsplit("/", 1)[1] for v in fast} == {
        "p04-start-year-locator", "p04-start-year", "p05-cost", "LDN", "p12-not-cure"}
    assert f"{locator}: ldno:paragraph a locator needs exactly one paragraph number, an integer from 0" in fast
    assert f"{_claim('p05-cost')}: the object of a claim with an object property must be a defined entity" in fast
    assert not any("ConstraintComponent" in v or "Value is not" in v for v in fast), "an engine's own wording"
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        validate(ds, engine="jena")  # type: ignore[arg-type]


def test_rdfs_types_follow_domain_range_and_both_hierarchies() -> None:
    g = asserted_graph(load())
    types = rdfs_types(g)
    assert all(p == RDF.type for _, p, _ in types)
    assert (LDN.Fibromyalgia, RDF.type, LDNO.Entity) in types  # via the class hierarchy
    assert not any(t in g for t in types)
