"""The article, paragraph by paragraph: the claims each one must yield.

Paragraph indices count the article's non-empty lines from 0 (0–3 are title, photo credit and
byline; 7, 15, 22 and 29 are section headings). Each expected fact is written here from a
reading of the article, in our own terms: (subject, predicate, object[, negated]).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from ldnkg.graph.load import load
from ldnkg.graph.project import claim_records

L = "https://w3id.org/ldnkg/entity/"
P = "https://w3id.org/ldnkg/ontology#"

EXPECTED: dict[int, list[tuple]] = {
    4: [("YoonHangKim", "startedUsingLdn", "2015")],
    5: [("LDN", "hasAttribute", "FavourableSafety"), ("LDN", "hasAttribute", "LowCost"),
        ("LDN", "ameliorates", "AutoimmuneDisease"), ("LDN", "ameliorates", "ChronicPain"),
        ("LDN", "ameliorates", "Cancer"), ("LDN", "improves", "Remission")],
    6: [("YoonHangKim", "affiliatedWith", "MiamiCancerInstitute"),
        ("YoonHangKim", "affiliatedWith", "UniversityOfKansas"),
        ("YoonHangKim", "affiliatedWith", "WellMedOptum"),
        ("YoonHangKim", "affiliatedWith", "MemorialHospital"),
        ("YoonHangKim", "affiliatedWith", "HillCountryIntegrativeMedicine"),
        ("HillCountryIntegrativeMedicine", "locatedAt", "FredericksburgTexas"),
        ("LDN", "hasRole", "ImmuneModulation"), ("LDN", "hasRole", "AntiNeuroinflammation"),
        ("LDN", "hasRole", "Neuroprotection")],
    8: [("ImmuneModulation", "addresses", "AutoimmuneDisease"), ("ImmuneModulation", "addresses", "Cancer"),
        ("ImmuneModulation", "addresses", "ImmuneDerangementSyndrome")],
    9: [("Naltrexone", "actsThrough", "NKCellActivityIncrease"), ("EndorphinDeficiency", "precedes", "Lupus"),
        ("EndorphinDeficiency", "precedes", "AutoimmuneThyroiditis"),
        ("EndorphinDeficiency", "predisposesTo", "AutoimmuneDisease"),
        ("Endorphins", "decreases", "InflammatoryAutoimmuneFactors")],
    10: [("LDN", "blocks", "OpioidReceptor"),
         ("TransientOpioidReceptorBlockade", "causes", "EndorphinEnkephalinUpregulation"),
         ("EndorphinEnkephalinUpregulation", "increases", "Enkephalins"),
         ("Endorphins", "regulates", "ImmuneSystem"),
         ("LDN", "suppresses", "ImmuneSystem", True), ("Steroids", "suppresses", "ImmuneSystem"),
         ("LDN", "ameliorates", "HashimotoThyroiditis"), ("LDN", "ameliorates", "RheumatoidArthritis"),
         ("LDN", "ameliorates", "Lupus"), ("LDN", "ameliorates", "MultipleSclerosis"),
         ("LDN", "ameliorates", "CrohnsDisease")],
    11: [("NKCellActivityIncrease", "increases", "CancerSurveillance"),
         ("LDN", "usedWith", "AlphaLipoicAcid"), ("AlaLdnProtocol", "improves", "ImprovedSurvival"),
         ("AlaLdnProtocol", "hasComponent", "LDN"), ("AlaLdnProtocol", "hasComponent", "AlphaLipoicAcid"),
         ("BerksonPancreaticCancer", "conductedBy", "BurtBerkson"),
         ("LDN", "usedWith", "MetabolicStrategies"), ("LDN", "usedWith", "ConventionalCancerTreatment")],
    12: [("LDN", "cures", "Cancer", True), ("LDN", "hasRole", "AdjunctiveTherapy"),
         ("LdnWithIntegrativeTherapies", "improves", "ImprovedQualityOfLife"),
         ("LdnWithIntegrativeTherapies", "hasComponent", "LDN")],
    13: [("MCAS", "subtypeOf", "ImmuneDerangementSyndrome"), ("LongCOVID", "subtypeOf", "ImmuneDerangementSyndrome"),
         ("CIRS", "subtypeOf", "ImmuneDerangementSyndrome"),
         ("ImmuneDerangementSyndrome", "subtypeOf", "AutoimmuneDisease", True),
         ("ImmuneDerangementSyndrome", "characterisedBy", "ImmuneDysregulation")],
    14: [("LDN", "hasResponseCategory", "NecessaryNotSufficient"), ("LDN", "usedWith", "Ketotifen"),
         ("LDN", "usedWith", "CromolynSodium"), ("LDN", "usedWith", "KetogenicMetabolicSupport"),
         ("LDN", "usedWith", "MethyleneBlue"),
         ("Ketotifen", "hasPurpose", "MastCellStabilisation"), ("MethyleneBlue", "hasPurpose", "MitochondrialFunction"),
         ("KetogenicMetabolicSupport", "hasPurpose", "MetabolicSupport"),
         ("KetogenicMetabolicSupport", "causes", "Ketosis"),
         ("LDN", "potentiates", "IntegrativeTherapies"), ("LDN", "hasRole", "FoundationTherapy")],
    16: [("AntiNeuroinflammation", "hasAttribute", "Underappreciated")],
    17: [("LDN", "blocks", "TLR4"), ("AntiNeuroinflammation", "actsThrough", "TLR4Blockade"),
         ("TLR4Blockade", "distinctFrom", "EndorphinEnkephalinUpregulation")],
    18: [("Microglia", "locatedIn", "Brain"),
         ("Microglia", "characterisedBy", "MicroglialDormancy"), ("Microglia", "resembles", "Macrophage"),
         ("ChronicStress", "triggers", "MicroglialActivation"), ("Infection", "triggers", "MicroglialActivation"),
         ("MicroglialActivation", "causes", "ProinflammatoryCytokineRelease"),
         ("ProinflammatoryCytokineRelease", "contributesTo", "BrainFog")],
    19: [("TLR4Blockade", "causes", "MicroglialActivationInhibition"),
         ("MicroglialActivationInhibition", "decreases", "MicroglialActivation")],
    20: [("Neuroinflammation", "contributesTo", "Fibromyalgia"), ("LDN", "ameliorates", "Fibromyalgia"),
         ("LDN", "improves", "ReducedBaselinePain"), ("LDN", "ameliorates", "Migraine"),
         ("AntiNeuroinflammation", "addresses", "ChronicPain")],
    21: [("LDN", "ameliorates", "Insomnia"), ("LDN", "ameliorates", "Tinnitus"),
         ("LDN", "improves", "PersistentBenefitAfterStopping"), ("LDN", "hasRole", "Adaptogen")],
    24: [("UnitedStates", "ranksNearTopFor", "DementiaRisk"),
         ("UnitedStates", "ranksNearTopFor", "NationalStressLevels"),
         ("NationalStressLevels", "correlatesWith", "DementiaRisk"),
         ("AlzheimersDisease", "subtypeOf", "NeurodegenerativeDisease")],
    25: [("ChronicStress", "causes", "EndorphinDeficiency"),
         ("EndorphinDeficiency", "predisposesTo", "NeurodegenerativeDisease"),
         ("EndorphinDeficiency", "locatedIn", "Hypothalamus")],
    26: [("LDN", "actsThrough", "OpioidReceptorSensitisation"), ("Exercise", "causes", "LearnedHelplessnessPrevention"),
         ("Neuroprotection", "actsThrough", "TLR4Blockade"),
         ("TLR4Blockade", "decreases", "NeuronalInflammatoryDamage")],
    27: [("LDN", "ameliorates", "Dementia"), ("LDN", "ameliorates", "ParkinsonsDisease"),
         ("LDN", "improves", "ImprovedMemory"), ("LDN", "improves", "RegainedStrengthAndMobility"),
         ("Neuroprotection", "hasCaveat", "EarlyClinicalEvidence")],
    28: [("LDN", "prevents", "NeurologicalDisease"), ("YoonHangKim", "yearsOfClinicalObservation", "20"),
         ("Neuroprotection", "hasCaveat", "AnecdotalEvidence"), ("DementiaCase", "hasCaveat", "AnecdotalEvidence")],
    30: [("ImmuneModulation", "reinforces", "AntiNeuroinflammation"),
         ("AntiNeuroinflammation", "reinforces", "Neuroprotection"),
         ("Neuroprotection", "reinforces", "ImmuneModulation"),
         ("SystemicInflammation", "causes", "Neuroinflammation"),
         ("ImmuneModulation", "partOf", "VirtuousCycle"), ("LDN", "hubOf", "VirtuousCycle")],
    31: [("LDN", "hasResponseRate", "ChronicPainResponseRate"),
         ("ChronicPainResponseRate", "population", "ChronicPain"),
         ("LDN", "hasResponseCategory", "LdnSufficient"), ("LDN", "hasResponseCategory", "NonResponder"),
         ("AnyGivenTherapy", "hasNonResponseShare", "GeneralNonResponseShare"),
         ("LDN", "hasNonResponseShare", "GeneralNonResponseShare")],
    32: [("LDN", "hasAttribute", "WorksWithBodysHealing"), ("LDN", "hasAttribute", "ValuableIntegrativeTool")],
}
# What the audit (docs/audit.md) found stated wrongly: no paragraph may yield these again.
WRONG: dict[int, list[tuple]] = {
    9: [("LDN", "actsThrough", "NKCellActivityIncrease")],  # the 1986 research was on naltrexone
    11: [("LDN", "improves", "ImprovedSurvival")],  # Berkson: LDN with alpha-lipoic acid
    12: [("LDN", "improves", "ImprovedQualityOfLife")],  # LDN alongside other integrative therapies
    24: [("ChronicStress", "correlatesWith", "Dementia")],  # national stress levels, not chronic stress
    27: [("LDN", "hasRole", "Neuroprotection")],  # the text says the evidence is early
    28: [("LDN", "hasRole", "Neuroprotection")],  # the concession, not a positive claim
    31: [("LDN", "hasResponseRate", "GeneralNonResponseRate"), ("LDN", "hasResponseRate", "GeneralNonResponseShare")],
}
NO_CLAIMS = {0, 1, 2, 3, 7, 15, 22, 29, 34}  # title, credit, byline, headings, footer


@pytest.fixture(scope="module")
def claims_by_paragraph() -> dict[int, set[tuple]]:
    found: dict[int, set[tuple]] = defaultdict(set)
    for c in claim_records(load()):
        obj = c["object"].removeprefix(L)
        found[c["paragraph"]].add((c["subject"].removeprefix(L), c["predicate"].removeprefix(P), obj, c["negated"]))
    return found


@pytest.mark.parametrize("paragraph", sorted(EXPECTED))
def test_paragraph_yields_its_claims(paragraph: int, claims_by_paragraph: dict[int, set[tuple]]) -> None:
    found = claims_by_paragraph[paragraph]
    missing = []
    for fact in EXPECTED[paragraph]:
        s, p, o, *neg = fact
        if (s, p, o, bool(neg and neg[0])) not in found:
            missing.append(fact)
    assert not missing, f"paragraph {paragraph}: no claim for {missing}"


@pytest.mark.parametrize("paragraph", sorted(WRONG))
def test_paragraph_no_longer_yields_what_the_audit_found_wrong(
        paragraph: int, claims_by_paragraph: dict[int, set[tuple]]) -> None:
    found = {fact[:3] for fact in claims_by_paragraph[paragraph] if not fact[3]}
    assert not found & set(WRONG[paragraph])


def test_headings_and_front_matter_carry_no_claims(claims_by_paragraph: dict[int, set[tuple]]) -> None:
    assert not (NO_CLAIMS & set(claims_by_paragraph))


def test_the_negative_statements_are_negated_and_not_asserted() -> None:
    from rdflib import URIRef

    ds = load()
    negated = {(c["subject"], c["predicate"], c["object"]) for c in claim_records(ds) if c["negated"]}
    assert (L + "LDN", P + "cures", L + "Cancer") in negated
    assert (L + "LDN", P + "suppresses", L + "ImmuneSystem") in negated
    for s, p, o in negated:  # a denied statement must not appear as a plain triple
        assert (URIRef(s), URIRef(p), URIRef(o)) not in ds


def test_every_content_paragraph_has_a_claim(claims_by_paragraph: dict[int, set[tuple]]) -> None:
    # 16 and 23 only say how the author feels about the role (no factual claim); 33 is a closing line
    content = set(range(4, 34)) - NO_CLAIMS - {16, 23, 33}
    assert content <= set(claims_by_paragraph)
