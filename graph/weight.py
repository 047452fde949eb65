"""The weight of a claim: its evidence level and its standing, derived by one documented rule.

Evidence level
--------------
One ordinal scale, modelled on the Oxford CEBM 2011 Levels of Evidence for "Does this intervention
help?" (OCEBM Levels of Evidence Working Group, 2011). Rule, from the claim's assertion basis and the
design of the study that supports it:

====  ===================================  ==================================================  =====
rank  level                                rule                                                OCEBM
====  ===================================  ==================================================  =====
1     published clinical trial             published research, study design clinical trial     2
2     published clinical observation       published research; case observation, population    4
                                           comparison or literature summary
3     published animal or laboratory       published research, animal study                    5
4     published research, design not       published research, design not stated or no study   5
      stated
5     the author's clinical observation    basis clinical experience                           5
6     background science, no citation      basis scientific background                         5
7     the author's hypothesis              basis author hypothesis                             —
====  ===================================  ==================================================  =====

Within OCEBM level 5, published work ranks above the author's unpublished observations, which rank
above background he states without a citation; his hypotheses are not evidence at all.

Standing
--------
Decides whether a claim's plain ``subject predicate object`` triple may be read as a fact:

* ``negated`` — the source denies it: no plain triple anywhere;
* ``hypothesis`` — the author's hypothesis, or worded tentatively ("may", "suggests", "if"): the plain
  triple only in the named graph ``graph:hypotheses``;
* ``observation`` — worded as seen in practice, or resting on individual cases (a case observation):
  the plain triple only in ``graph:observations``;
* ``asserted`` — everything else (worded as established or as a reported finding): the plain triple
  in ``graph:knowledge``, and so in the plain exports (``ldn.ttl``, ``ldn.nt``, ``ldn.jsonld``).

The shapes (``shape:EvidenceLevelRule``, ``shape:Standing``) check both on every claim.

Examples
--------
>>> evidence_level(PUBLISHED, design=CLINICAL_TRIAL).label
'published clinical trial'
>>> evidence_level(HYPOTHESIS_BASIS).rank
7
>>> standing(basis=PUBLISHED, certainty=REPORTED, design=CASE_OBSERVATION, negated=False)
'observation'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Lit

from rdflib import URIRef

from ldnkg.namespaces import LDNO

__all__ = [
    "EVIDENCE_LEVELS",
    "STANDINGS",
    "STANDING_IRIS",
    "EvidenceLevel",
    "Standing",
    "evidence_level",
    "level_by_iri",
    "level_by_key",
    "standing",
]

Standing = Lit["asserted", "observation", "hypothesis", "negated"]

#: The standings, firmest first.
STANDINGS: tuple[Standing, ...] = ("asserted", "observation", "hypothesis", "negated")
#: The schema individual of each standing.
STANDING_IRIS: dict[Standing, URIRef] = {
    "asserted": LDNO.AssertedStanding,
    "observation": LDNO.ObservationStanding,
    "hypothesis": LDNO.HypothesisStanding,
    "negated": LDNO.NegatedStanding,
}

PUBLISHED = LDNO.PublishedResearch
PRACTICE_BASIS = LDNO.ClinicalExperience
BACKGROUND_BASIS = LDNO.ScientificBackground
HYPOTHESIS_BASIS = LDNO.AuthorHypothesis
CLINICAL_TRIAL = LDNO.ClinicalTrial
CASE_OBSERVATION = LDNO.CaseObservation
REPORTED = LDNO.Reported
OBSERVED = LDNO.Observed
HYPOTHESISED = LDNO.Hypothesised


@dataclass(frozen=True)
class EvidenceLevel:
    """One level of the scale: its schema IRI, a short key, rank (1 strongest), label, OCEBM level."""

    iri: URIRef
    key: str
    rank: int
    label: str
    ocebm: int | None


#: The scale, strongest first (labels as in ``ontology/schema.ttl``).
EVIDENCE_LEVELS: tuple[EvidenceLevel, ...] = (
    EvidenceLevel(LDNO.PublishedTrialLevel, "trial", 1, "published clinical trial", 2),
    EvidenceLevel(LDNO.PublishedClinicalObservationLevel, "clinical-observation", 2,
                  "published clinical observation", 4),
    EvidenceLevel(LDNO.PublishedLaboratoryLevel, "laboratory", 3, "published animal or laboratory study", 5),
    EvidenceLevel(LDNO.PublishedUnspecifiedLevel, "published-unspecified", 4,
                  "published research, design not stated", 5),
    EvidenceLevel(LDNO.PracticeLevel, "practice", 5, "the author's clinical observation (unpublished)", 5),
    EvidenceLevel(LDNO.BackgroundLevel, "background", 6, "background science, no citation", 5),
    EvidenceLevel(LDNO.HypothesisLevel, "hypothesis", 7, "the author's hypothesis", None),
)

_BY_KEY = {level.key: level for level in EVIDENCE_LEVELS}
_BY_IRI = {level.iri: level for level in EVIDENCE_LEVELS}

# published research, by the design of the study behind it
_PUBLISHED_BY_DESIGN = {
    LDNO.ClinicalTrial: "trial",
    LDNO.CaseObservation: "clinical-observation",
    LDNO.EpidemiologicalComparison: "clinical-observation",
    LDNO.LiteratureSummary: "clinical-observation",
    LDNO.AnimalStudy: "laboratory",
}
_BY_BASIS = {PRACTICE_BASIS: "practice", BACKGROUND_BASIS: "background", HYPOTHESIS_BASIS: "hypothesis"}


def level_by_key(key: str) -> EvidenceLevel:
    """The level with this key.

    >>> level_by_key("trial").rank
    1
    """
    return _BY_KEY[key]


def level_by_iri(iri: URIRef | str) -> EvidenceLevel:
    """The level with this schema IRI.

    >>> level_by_iri(LDNO.BackgroundLevel).key
    'background'
    """
    return _BY_IRI[URIRef(str(iri))]


def evidence_level(basis: URIRef, *, design: URIRef | None = None) -> EvidenceLevel:
    """The evidence level of a claim with this assertion basis and supporting study design.

    >>> evidence_level(PUBLISHED, design=LDNO.AnimalStudy).key
    'laboratory'
    >>> evidence_level(PUBLISHED).key
    'published-unspecified'
    >>> evidence_level(PRACTICE_BASIS, design=CASE_OBSERVATION).key
    'practice'
    """
    if basis == PUBLISHED:
        return _BY_KEY[_PUBLISHED_BY_DESIGN.get(design, "published-unspecified")]
    try:
        return _BY_KEY[_BY_BASIS[basis]]
    except KeyError:
        raise ValueError(f"unknown assertion basis {basis}") from None


def standing(*, basis: URIRef, certainty: URIRef, design: URIRef | None, negated: bool) -> Standing:
    """Whether a claim's plain triple may be read as a fact (see the module docstring).

    >>> standing(basis=PUBLISHED, certainty=REPORTED, design=CLINICAL_TRIAL, negated=False)
    'asserted'
    >>> standing(basis=PUBLISHED, certainty=HYPOTHESISED, design=None, negated=False)
    'hypothesis'
    >>> standing(basis=PRACTICE_BASIS, certainty=OBSERVED, design=None, negated=False)
    'observation'
    """
    if negated:
        return "negated"
    if basis == HYPOTHESIS_BASIS or certainty == HYPOTHESISED:
        return "hypothesis"
    if certainty == OBSERVED or design == CASE_OBSERVATION:
        return "observation"
    return "asserted"
