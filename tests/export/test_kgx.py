"""The KGX exports pass kgx's own validator and bmt offline, and read back through kgx unchanged.

kgx and bmt run in ``.venv-interop`` (``tests/interop/kgx_check.py``) against the Biolink model
the ``biolink-model`` package ships; the local prefixes are declared to kgx as
:data:`ldnkg.export.kgx.KGX_PREFIXES`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ldnkg.export.kgx import INFORES, KGX_PREFIXES
from tests.interop import run


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def peers(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run("kgx_check.py", built, json.dumps(KGX_PREFIXES), tmp_path_factory.mktemp("kgx-read-back"))


@pytest.fixture(scope="module")
def edges(built: Path) -> list[dict]:
    return _jsonl(built / "edges.jsonl")


def test_kgx_validate_reports_no_errors(peers: dict) -> None:
    assert peers["validate"] == {"jsonl": {}, "tsv": {}}


def test_kgx_validate_does_check_prefixes(built: Path, tmp_path: Path) -> None:
    """Without the declaration of the local prefixes, kgx rejects the local ids: the check is real."""
    report = run("kgx_check.py", built, "{}", tmp_path, "validate")
    errors = json.dumps(report["validate"]["jsonl"])
    assert "ldn:" in errors and "not represented in Biolink Model JSON-LD context" in errors


def test_bmt_finds_no_biolink_problems(peers: dict) -> None:
    assert peers["bmt"]["model_version"] == "4.4.6"
    assert peers["bmt"]["problems"] == {
        "not_predicate": [], "domain_range": [], "knowledge_level": [], "agent_type": [],
        "knowledge_source": [], "category": []}


@pytest.mark.parametrize("form", ["jsonl", "tsv"])
def test_kgx_reads_every_claim_back_unchanged(peers: dict, edges: list[dict], form: str) -> None:
    back = peers["read_back"][form]
    assert back["edge_rows"] == len(edges), "claims merged or lost"
    assert set(back["edges"]) == {e["id"] for e in edges}
    for edge in edges:
        got = back["edges"][edge["id"]]
        assert got["negated"] is edge["negated"], f"{edge['id']}: negated inverted"
        assert got["knowledge_level"] == edge["knowledge_level"]
        assert (got["subject"], got["object"]) == (edge["subject"], edge["object"])
    assert sum(e["negated"] for e in edges) >= 1 and not all(e["negated"] for e in edges)


def test_edges_carry_standing_and_evidence_level(edges: list[dict]) -> None:
    level = {"asserted": "knowledge_assertion", "observation": "observation", "hypothesis": "prediction"}
    for edge in edges:
        if edge["standing"] != "negated":
            assert edge["knowledge_level"] == level[edge["standing"]], edge["id"]
        assert 1 <= edge["evidence_rank"] <= 7 and edge["evidence_level"]
        assert edge["primary_knowledge_source"] == INFORES and edge["agent_type"] == "manual_agent"
        assert isinstance(edge["negated"], bool)
    assert len({e["id"] for e in edges}) == len(edges)


def test_nodes_use_verified_ids_and_keep_the_iri(built: Path) -> None:
    nodes = {n["iri"]: n for n in _jsonl(built / "nodes.jsonl")}
    fibro = nodes["https://w3id.org/ldnkg/entity/Fibromyalgia"]
    assert fibro["id"] == "MONDO:0005546" and fibro["category"] == ["biolink:Disease"]
    assert "ldn:Fibromyalgia" in fibro["xref"]
    assert nodes["https://w3id.org/ldnkg/entity/TLR4Blockade"]["id"] == "ldn:TLR4Blockade"
    assert len({n["id"] for n in nodes.values()}) == len(nodes)


def test_tsv_and_jsonl_agree(built: Path, edges: list[dict]) -> None:
    with (built / "edges.tsv").open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle, delimiter="\t")}
    assert set(rows) == {e["id"] for e in edges}
    assert {r["negated"] for r in rows.values()} == {"True", ""}  # kgx's own convention for booleans
    assert all((rows[e["id"]]["negated"] == "True") is e["negated"] for e in edges)
