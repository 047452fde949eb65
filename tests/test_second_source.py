"""A second source is added by adding files: no code changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from ldnkg.build import build
from ldnkg.graph.project import claim_records
from tests.conftest import FIXTURES

TOY = FIXTURES / "second-source"


def test_adding_a_source_folder_adds_its_claims(ontology_copy: Path, tmp_path: Path, seed_path: Path) -> None:
    shutil.copytree(TOY / "knowledge" / "toy-note", ontology_copy / "knowledge" / "toy-note")
    result = build(tmp_path / "out", root=ontology_copy, sources=[seed_path, TOY / "toy-note.txt"])
    claims = claim_records(result.dataset)
    toy = [c for c in claims if "/claim/toy-note/" in c["claim"]]
    assert len(toy) == 2
    assert all(c["quote"] for c in toy), "the toy text's locators were verified and quoted"
    assert {c["quote"] for c in toy} == {"Ketotifen calms mast cells.",
                                         "ketotifen is said to ease long COVID symptoms"}
    # the new source's statements land on the existing entities
    ket = [c for c in claims if c["subject"].endswith("/Ketotifen") and c["object"].endswith("/LongCOVID")]
    assert len(ket) == 1 and ket[0]["asserter"] == "author hypothesis"
    assert "toy-note" in (tmp_path / "out" / "ldn.nt").read_text(encoding="utf-8")


def test_second_source_without_its_text_still_builds(ontology_copy: Path, tmp_path: Path) -> None:
    shutil.copytree(TOY / "knowledge" / "toy-note", ontology_copy / "knowledge" / "toy-note")
    result = build(tmp_path / "out", root=ontology_copy)
    assert sum("/claim/toy-note/" in c["claim"] for c in claim_records(result.dataset)) == 2
