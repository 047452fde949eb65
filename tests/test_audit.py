"""What the re-audit (docs/audit.md) fixed stays fixed: entities, mappings, hedges, spans, caveats."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ldnkg.graph.load import KNOWLEDGE, load
from ldnkg.graph.project import claim_records
from ldnkg.namespaces import LDN, LDNO

CLAIM = "https://w3id.org/ldnkg/claim/three-roles-of-ldn/"


@pytest.fixture(scope="module")
def kg():
    return load().graph(KNOWLEDGE)


@pytest.fixture(scope="module")
def claims() -> dict[str, dict]:
    return {c["claim"].removeprefix(CLAIM): c for c in claim_records(load())}


def test_the_drug_and_the_regimen_are_apart(kg) -> None:
    assert (LDN.LDN, LDNO.regimenOf, LDN.Naltrexone) in kg
    assert "naltrexone" not in {str(x) for x in kg.objects(LDN.LDN, SKOS.altLabel)}
    assert (LDN.Naltrexone, RDF.type, LDNO.Drug) in kg
    assert not list(kg.objects(LDN.LDN, SKOS.closeMatch))  # the CHEBI/DrugBank ids name the drug


@pytest.mark.parametrize("entity, mapping, target", [
    ("AutoimmuneThyroiditis", SKOS.exactMatch, "http://purl.obolibrary.org/obo/MONDO_0005623"),
    ("ChronicPain", SKOS.exactMatch, "http://purl.obolibrary.org/obo/MONDO_0024317"),
    ("TLR4", SKOS.exactMatch, "https://identifiers.org/hgnc:11850"),
])
def test_no_exact_match_for_a_near_one(kg, entity: str, mapping: URIRef, target: str) -> None:
    assert (LDN[entity], mapping, URIRef(target)) not in kg
    assert any(str(o) == target for _, o in kg.predicate_objects(LDN[entity]))  # kept, weaker


@pytest.mark.parametrize("narrow, broad", [
    ("HashimotoThyroiditis", "AutoimmuneThyroiditis"), ("ChronicPain", "Pain"),
    ("ChronicFatigue", "Fatigue"), ("NeurodegenerativeDisease", "NeurologicalDisease")])
def test_what_the_graph_kept_apart_is_linked(kg, narrow: str, broad: str) -> None:
    assert (LDN[narrow], SKOS.broader, LDN[broad]) in kg


def test_classes_no_longer_asserted_beyond_the_text(kg) -> None:
    for name in ("Insomnia", "Tinnitus"):
        assert (LDN[name], RDF.type, LDNO.NeuroinflammatoryCondition) not in kg
    assert (LDN.Ketosis, RDF.type, LDNO.MetabolicIntervention) not in kg
    assert (LDN.Ketosis, RDF.type, LDNO.PhysiologicalState) in kg


def test_hedges_are_worded_as_the_text_words_them(claims: dict[str, dict]) -> None:
    assert "sometimes" in claims["p14-combo-MethyleneBlue"]["paraphrase"]
    assert "often" in claims["p14-ids-not-sufficient"]["paraphrase"]
    assert "usually" not in claims["p14-ids-not-sufficient"]["paraphrase"]
    assert claims["p11-role1-nk"]["standing"] == "hypothesis"  # "If LDN enhances NK activity…"
    assert " her " not in f" {claims['p27-dementia-memory']['paraphrase']} "  # the text gives no sex


def test_the_article_s_caveats_are_claims_of_their_own(claims: dict[str, dict]) -> None:
    caveats = {c["object"].rsplit("/", 1)[1] for c in claims.values() if c["predicate"].endswith("#hasCaveat")}
    assert caveats == {"EarlyClinicalEvidence", "AnecdotalEvidence"}
    concession = claims["p28-not-proof"]
    assert concession["object"].endswith("AnecdotalEvidence") and concession["standing"] == "asserted"


def test_the_timeline_inconsistency_is_flagged(kg) -> None:
    conflicting = {str(c).removeprefix(CLAIM) for c in kg.objects(LDN.TimelineInconsistency, LDNO.conflictingClaim)}
    assert {"p04-start-year", "p28-two-decades"} <= conflicting
    assert kg.value(URIRef(CLAIM + "p28-two-decades"), RDFS.comment) is not None


def test_the_one_third_remark_is_not_a_response_rate(claims: dict[str, dict]) -> None:
    rates = [c for c in claims.values() if c["predicate"].endswith("#hasResponseRate")]
    assert [c["object"].rsplit("/", 1)[1] for c in rates] == ["ChronicPainResponseRate"]
