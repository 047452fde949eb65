"""Evidence profiles, the research agenda and the share of published research."""

from __future__ import annotations

from ldnkg.graph.analysis import (
    evidence_matrix,
    evidence_profile,
    published_share,
    research_agenda,
    toy_graph,
)
from ldnkg.graph.project import claim_records

E = "https://w3id.org/ldnkg/entity/"


def test_neurodegenerative_conditions_rest_on_clinical_experience_or_hypothesis(graph):
    agenda = {r["condition"] for r in research_agenda(graph)}
    assert {E + "Dementia", E + "ParkinsonsDisease", E + "NeurodegenerativeDisease"} <= agenda


def test_fibromyalgia_with_its_clinical_trials_is_not_on_the_agenda(graph):
    agenda = {r["condition"] for r in research_agenda(graph)}
    assert E + "Fibromyalgia" not in agenda
    row = next(r for r in evidence_profile(graph) if r["condition"] == E + "Fibromyalgia")
    assert row["support_asserters"]["published research"] >= 1


def test_published_share_counts_published_research_claims(dataset):
    claims = claim_records(dataset)
    share = published_share(claims)
    made = [c for c in claims if not c["predicate"].endswith("#investigates")]
    assert share.total == len(made)
    assert share.count == sum(c["asserter"] == "published research" for c in made)
    assert 0 < share.fraction < 0.5  # the article rests mostly on experience and background


def test_heat_map_matrix_matches_the_profile(graph):
    rows, kinds, counts = evidence_matrix(graph)
    profile = {r["label"]: r for r in evidence_profile(graph)}
    for name, row in zip(rows, counts, strict=True):
        assert sum(row) == profile[name]["claims"]
    assert kinds[0] == "1 published clinical trial"  # the fibromyalgia trials, strongest column first
    assert kinds == sorted(kinds, key=lambda k: int(k.split()[0]))
    fibro = counts[rows.index("fibromyalgia")]
    assert fibro[0] >= 4  # the trial claims of paragraph 20
    assert any(k.startswith("ECO:0000180") for k in evidence_matrix(graph, by="kind")[1])


def test_profile_names_the_strongest_level_of_support(graph):
    profile = {r["label"]: r for r in evidence_profile(graph)}
    assert profile["fibromyalgia"]["best_level"] == "1 published clinical trial"
    assert profile["dementia"]["best_level"] != "1 published clinical trial"


def test_class_support_reaches_its_kinds_only_when_inherited():
    G = toy_graph([("LDN", "ameliorates", "autoimmune"),
                   ("lupus", "subtypeOf", "autoimmune"),
                   ("LDN", "ameliorates", "lupus", {"asserter": "clinical experience"})],
                  kinds={"lupus": "Condition", "autoimmune": "Condition"})
    assert [r["label"] for r in research_agenda(G, inherit=False)] == ["lupus"]
    assert research_agenda(G) == []
