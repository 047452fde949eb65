"""``ldnkg evidence NAME`` / ``ldnkg.evidence(name)`` answers the clinician's question in one step
(issue 12 §1): roles, chains, evidence levels strongest first, publications, caveats, hypotheses,
co-therapies and response rates, also those stated of a parent condition."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ldnkg
from ldnkg.cli import main

E = "https://w3id.org/ldnkg/entity/"
CLAIM_KEYS = {"claim", "iri", "subject", "subject_label", "predicate_label", "object", "object_label",
              "paraphrase", "evidence_level", "evidence_rank", "certainty", "asserter", "standing",
              "section", "paragraph", "study", "match_grade"}


@pytest.fixture(scope="module")
def ds():
    return ldnkg.load()


def evidence(ds, name):
    return ldnkg.evidence(name, data=ds)


def test_condition_strongest_evidence_first(ds):
    p = evidence(ds, "fibromyalgia")
    assert (p.iri, p.kind) == (E + "Fibromyalgia", "NeuroinflammatoryCondition")
    assert [r["label"] for r in p.roles] == ["anti-neuroinflammatory agent"]
    ranks = [(c["evidence_rank"]) for c in p.direct]
    assert ranks == sorted(ranks) and ranks[0] == 1  # the published trials first
    assert p.direct[0]["evidence_level"] == "published clinical trial"
    assert "p20-fibro-trials" in {c["claim"] for c in p.direct}
    # each chain link says where the article says it
    link = p.chains[0]["links"][0]
    assert link["section"].startswith("Role 2") and link["paragraph"] == 20
    chain_ranks = [c["evidence_rank"] for c in p.chains]
    assert chain_ranks == sorted(chain_ranks)


def test_condition_publications_carry_identifiers_and_grade(ds):
    pubs = evidence(ds, "fibromyalgia").publications
    assert pubs[0]["grade"] == "exact"
    assert any(p["pmid"] for p in pubs) and any(p["nct"] for p in pubs) and any(p["doi"] for p in pubs)
    assert all(p["claims"] for p in pubs)


def test_mcas_and_long_covid_inherit_the_co_therapies_of_immune_derangement(ds):
    # issue 12: co-therapies --param condition=MCAS gave 0 rows
    for name in ("MCAS", "long COVID"):
        p = evidence(ds, name)
        assert {x["label"] for x in p.co_therapies} >= {"cromolyn sodium", "ketotifen", "methylene blue"}
        assert {x["inherited_from"] for x in p.co_therapies} == {"immune derangement syndrome"}
        assert p.parents[0]["label"] == "immune derangement syndrome"
        assert any(c["inherited_from"] == "immune derangement syndrome" for c in p.response_categories)
    own = evidence(ds, "immune derangement syndrome")
    assert own.co_therapies and {x["inherited_from"] for x in own.co_therapies} == {None}
    purposes = {x["label"]: x["purposes"] for x in own.co_therapies}
    assert purposes["cromolyn sodium"] == ["mast cell stabilisation"]


def test_response_rates_of_chronic_pain(ds):
    rates = evidence(ds, "chronic pain").response_rates
    assert [(r["min_percent"], r["max_percent"]) for r in rates] == [(57.0, 65.0)]
    assert rates[0]["evidence_level"].startswith("published")


def test_neurodegeneration_shows_the_authors_caveats_and_hypotheses(ds):
    p = evidence(ds, "dementia")
    caveats = {c["claim"] for c in p.caveats}
    assert "p28-not-proof" in caveats  # "anecdotes, not proof the way an RCT would be"
    assert all(c["predicate_label"] == "has caveat" for c in p.caveats)
    hyp = evidence(ds, "neurodegenerative disease").hypotheses
    assert hyp and all(c["standing"] == "hypothesis" for c in hyp)


def test_mechanism(ds):
    p = evidence(ds, "TLR4 blockade")
    assert p.kind == "Mechanism"
    assert p.chains and p.chains[0]["iris"][-1] == E + "TLR4Blockade"
    assert {r["label"] for r in p.roles} >= {"anti-neuroinflammatory agent"}
    assert any(c["predicate_label"] == "acts through" for c in p.direct)


def test_person_is_found_by_surname_with_their_work(ds):
    p = evidence(ds, "Berkson")
    assert (p.iri, p.kind) == (E + "BurtBerkson", "Person")
    assert any("alpha-lipoic acid" in (c["object_label"] or "") for c in p.direct)
    assert {x["grade"] for x in p.publications} == {"exact"} and all(x["doi"] for x in p.publications)


def test_study_and_role(ds):
    study = evidence(ds, "clinical trials of LDN in fibromyalgia")
    assert study.kind == "Study" and study.direct and study.publications
    role = evidence(ds, "neuroprotection")
    assert role.kind == "LdnRole" and role.roles[0]["iri"] == E + "Neuroprotection"
    assert "p28-not-proof" in {c["claim"] for c in role.caveats}
    assert [r["label"] for r in role.cycle] == ["neuroprotective and neurotrophic agent", "immune modulation",
                                                "anti-neuroinflammatory agent"]


def test_dict_is_stable_and_json_serialisable(ds):
    d = evidence(ds, "MCAS").to_dict()
    assert list(d) == ["name", "iri", "label", "kind", "definition", "roles", "parents", "chains", "direct",
                       "publications", "caveats", "hypotheses", "co_therapies", "response_rates",
                       "response_categories", "cycle"]
    assert json.loads(json.dumps(d)) == d
    assert set(d["hypotheses"][0]) >= CLAIM_KEYS and set(d["co_therapies"][0]) >= CLAIM_KEYS
    assert "quote" not in d["hypotheses"][0]  # the packaged ontology has no quotes
    assert d == evidence(ds, "mcas").to_dict() | {"name": "MCAS"}


def test_frame_has_one_row_per_claim_shown(ds):
    frame = evidence(ds, "fibromyalgia").to_frame()
    assert {"part", "claim", "evidence_level", "section", "paragraph"} <= set(frame.columns)
    assert set(frame["part"]) >= {"direct"}


def run(*args: str):
    return CliRunner().invoke(main, ["evidence", *args])


def test_cli_text_is_one_screen():
    result = run("fibromyalgia")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("fibromyalgia (ldn:Fibromyalgia), NeuroinflammatoryCondition")
    assert "[1 published clinical trial; reported]" in out and "PMID " in out
    assert len(out.splitlines()) <= 80 and "more (--limit" in out


def test_cli_formats():
    as_json = json.loads(run("MCAS", "--format", "json").output)
    assert as_json["co_therapies"][0]["inherited_from"] == "immune derangement syndrome"
    md = run("MCAS", "-f", "md").output
    assert md.startswith("## mast cell activation syndrome") and "### Co-therapies with LDN" in md


def test_quotes_appear_when_the_build_had_the_text(built):
    result = run("fibromyalgia", "--data", str(built), "--limit", "1")
    assert result.exit_code == 0, result.output
    first = result.output.split("Strongest evidence first")[1].split("\n\n")[0]
    assert '"' in first  # the verbatim sentence, under the locator
    d = json.loads(run("fibromyalgia", "--data", str(built), "-f", "json").output)
    assert all(c.get("quote") for c in d["direct"])
