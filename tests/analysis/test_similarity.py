"""Condition similarity by shared mechanisms."""

from __future__ import annotations

import pytest

from ldnkg.graph.analysis import (
    condition_mechanisms,
    condition_similarity,
    shared_mechanism_not_role,
    similarity_matrix,
)

E = "https://w3id.org/ldnkg/entity/"


def test_fibromyalgia_and_migraine_share_the_tlr4_mechanisms(graph):
    mechs = condition_mechanisms(graph)
    assert E + "TLR4Blockade" in mechs[E + "Fibromyalgia"] & mechs[E + "Migraine"]
    sim = condition_similarity(mechs)
    assert sim[E + "Fibromyalgia"][E + "Migraine"]["weight"] == pytest.approx(1.0)


def test_neurodegeneration_shares_tlr4_blockade_with_a_role2_condition(graph):
    pairs = {(r["a"], r["b"]): r for r in shared_mechanism_not_role(graph)}
    assert "TLR4 blockade" in pairs[("dementia", "fibromyalgia")]["shared"]


def test_matrix_is_symmetric_with_unit_diagonal():
    names, m = similarity_matrix({"a": frozenset("xy"), "b": frozenset("y"), "c": frozenset("z")})
    assert names == ["a", "b", "c"]
    assert [m[i][i] for i in range(3)] == [1.0, 1.0, 1.0]
    assert m[0][1] == m[1][0] == 0.5 and m[0][2] == 0.0
