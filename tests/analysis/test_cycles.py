"""The virtuous cycle of the three roles, found from the graph."""

from __future__ import annotations

from ldnkg.graph.analysis import ROLES, cycles, role_cycle, toy_graph

E = "https://w3id.org/ldnkg/entity/"


def test_the_three_roles_form_a_cycle_in_the_articles_order(graph):
    assert role_cycle(graph) == (E + "ImmuneModulation", E + "AntiNeuroinflammation",
                                 E + "Neuroprotection")


def test_the_role_cycle_is_among_all_cycles(graph):
    assert any(set(c) == set(ROLES) for c in cycles(graph))


def test_a_broken_cycle_is_not_reported():
    G = toy_graph([("r1", "reinforces", "r2"), ("r2", "reinforces", "r3")])
    assert role_cycle(G, roles=["r1", "r2", "r3"]) is None
    assert cycles(G) == []
