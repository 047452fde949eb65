"""Every claim is a nanopublication the ``nanopub`` library accepts, and only firm claims assert a triple."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from ldnkg.export.nanopub import NP, nanopub_iri, write_nanopubs
from ldnkg.graph.load import KNOWLEDGE, load
from ldnkg.graph.project import claim_records
from ldnkg.namespaces import LDNO, SOURCE
from tests.interop import run

BROKEN = """\
@prefix np: <http://www.nanopub.org/nschema#> .
@prefix ex: <http://example.org/> .
<http://example.org/np1#Head> { ex:np1 a np:Nanopublication ; np:hasAssertion <http://example.org/np1#assertion> ;
    np:hasProvenance <http://example.org/np1#provenance> ; np:hasPublicationInfo <http://example.org/np1#pubinfo> . }
<http://example.org/np1#assertion> { ex:a ex:b ex:c . }
<http://example.org/np1#provenance> { ex:somethingElse ex:p ex:q . }
<http://example.org/np1#pubinfo> { ex:np1 ex:license ex:cc0 . }
"""


@pytest.fixture(scope="module")
def trig(built: Path) -> Dataset:
    return Dataset().parse(built / "ldn.nanopubs.trig", format="trig")


@pytest.fixture(scope="module")
def claims(built: Path) -> list[dict]:
    return claim_records(load())


def _assertions(trig: Dataset) -> Graph:
    """What a consumer that loads only the assertion graphs sees."""
    out = Graph()
    for g in trig.graphs():
        if str(g.identifier).endswith("#assertion"):
            out += g
    return out


def test_nanopub_library_accepts_every_claim(built: Path, claims: list[dict]) -> None:
    report = run("nanopub_check.py", built / "ldn.nanopubs.trig")
    assert report["invalid"] == {}
    assert report["count"] == report["valid"] == len(claims)
    assert report["graphs"] == report["graphs_used"] == 4 * len(claims)


def test_nanopub_library_rejects_a_broken_one(tmp_path: Path) -> None:
    path = tmp_path / "broken.trig"
    path.write_text(BROKEN, encoding="utf-8")
    report = run("nanopub_check.py", path)
    assert list(report["invalid"]) == ["http://example.org/np1"]
    assert "provenance graph should contain" in report["invalid"]["http://example.org/np1"]


def test_only_asserted_claims_put_their_triple_in_an_assertion(trig: Dataset, claims: list[dict]) -> None:
    said = _assertions(trig)
    firm = {(r["subject"], r["predicate"], r["object"]) for r in claims if r["standing"] == "asserted"}
    for rec in claims:
        triple = (URIRef(rec["subject"]), URIRef(rec["predicate"]), URIRef(rec["object"]))
        if rec["object_is_literal"]:
            continue
        if rec["standing"] == "asserted":
            assert triple in said, rec["claim"]
        elif (rec["subject"], rec["predicate"], rec["object"]) not in firm:
            assert triple not in said, f"{rec['claim']} ({rec['standing']}) reads as a fact"
    kinds = {r["standing"] for r in claims}
    assert {"asserted", "hypothesis", "negated"} <= kinds


def test_hypotheses_and_negations_are_asserted_as_claims_with_their_standing(trig: Dataset,
                                                                             claims: list[dict]) -> None:
    iris = {"hypothesis": LDNO.HypothesisStanding, "negated": LDNO.NegatedStanding,
            "observation": LDNO.ObservationStanding}
    for rec in claims:
        if rec["standing"] == "asserted":
            continue
        claim = URIRef(rec["claim"])
        assertion = trig.graph(URIRef(f"{nanopub_iri(claim)}#assertion"))
        assert (claim, LDNO.standing, iris[rec["standing"]]) in assertion
        assert (claim, LDNO.negated, Literal(rec["negated"])) in assertion
        assert (claim, RDF.type, LDNO.Claim) in assertion


def test_provenance_gives_locator_evidence_basis_level_and_source(trig: Dataset) -> None:
    kg = load().graph(KNOWLEDGE)
    for claim in sorted(set(kg.subjects(RDF.type, LDNO.Claim))):
        np_iri = nanopub_iri(claim)
        head = trig.graph(URIRef(f"{np_iri}#Head"))
        assert (np_iri, RDF.type, NP.Nanopublication) in head
        prov = trig.graph(URIRef(f"{np_iri}#provenance"))
        assertion = URIRef(f"{np_iri}#assertion")
        assert (assertion, PROV.wasDerivedFrom, SOURCE["three-roles-of-ldn"]) in prov
        for prop in (LDNO.evidence, LDNO.asserter, LDNO.evidenceLevel, LDNO.standing, LDNO.locator):
            assert prov.value(claim, prop) == kg.value(claim, prop), (claim, prop)
        locator = kg.value(claim, LDNO.locator)
        assert prov.value(locator, LDNO.spanSha256) == kg.value(locator, LDNO.spanSha256)


def test_nanopubs_are_deterministic(built: Path, tmp_path: Path) -> None:
    write_nanopubs(load(), tmp_path / "a.trig")
    write_nanopubs(load(), tmp_path / "b.trig")
    assert (tmp_path / "a.trig").read_bytes() == (tmp_path / "b.trig").read_bytes()
