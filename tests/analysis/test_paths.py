"""Mechanism chains from LDN to conditions, and their weakest-link scores."""

from __future__ import annotations

from ldnkg.graph.analysis import (
    chains_to_conditions,
    conditions_reached_through,
    mechanism_chains,
    toy_graph,
)

E = "https://w3id.org/ldnkg/entity/"


def test_tlr4_path_reaches_fibromyalgia_migraine_and_chronic_pain(graph):
    reached = set(conditions_reached_through(graph, E + "TLR4Blockade"))
    assert {E + "Fibromyalgia", E + "Migraine", E + "ChronicPain"} <= reached


def test_tlr4_chain_to_fibromyalgia_runs_through_microglia(graph):
    chains = mechanism_chains(graph, E + "LDN", E + "Fibromyalgia")
    through = [c for c in chains if E + "TLR4Blockade" in c.nodes]
    assert through
    assert all(E + "MicroglialActivationInhibition" in c.nodes for c in through)


def test_chains_never_pass_through_studies_or_people(graph):
    kinds = {graph.nodes[n]["kind"] for chains in chains_to_conditions(graph).values()
             for c in chains for n in c.nodes}
    assert not kinds & {"Study", "Person", "Organisation", "Place"}


def test_subtypes_inherit_chains_of_their_class(graph):
    chains = mechanism_chains(graph, E + "LDN", E + "LongCOVID")
    assert chains and all(E + "ImmuneDerangementSyndrome" in c.nodes for c in chains)
    assert mechanism_chains(graph, E + "LDN", E + "LongCOVID", via_subtypes=False) == []


def test_chain_is_as_strong_as_its_weakest_link():
    G = toy_graph([
        ("LDN", "blocks", "R"),
        ("R", "causes", "pain", {"asserter": "clinical experience", "evidence_rank": 5, "certainty_rank": 3}),
        ("LDN", "ameliorates", "pain", {"asserter": "author hypothesis", "evidence_rank": 7, "certainty_rank": 4}),
    ])
    first, second = mechanism_chains(G, "LDN", "pain")
    assert first.nodes == ("LDN", "R", "pain") and first.strength == (5, 3)
    assert first.weakest.source == "R"
    assert second.strength == (7, 4)


def test_negated_claims_are_not_followed():
    G = toy_graph([("LDN", "ameliorates", "cancer", {"negated": True})])
    assert mechanism_chains(G, "LDN", "cancer") == []


def test_cutoff_limits_chain_length():
    G = toy_graph([("a", "causes", "b"), ("b", "causes", "c"), ("c", "causes", "d")])
    assert mechanism_chains(G, "a", "d", cutoff=2) == []
    assert len(mechanism_chains(G, "a", "d", cutoff=3)) == 1
