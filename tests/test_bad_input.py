"""Bad input gives one clear message naming the file and line or the claim, exit code 1, no
traceback, and leaves the output folder exactly as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLAIMS = Path("knowledge") / "three-roles-of-ldn" / "claims.ttl"
ENTITIES = Path("knowledge") / "entities.ttl"


def ldnkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ldnkg", *args], capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_fails(root: Path, out: Path, *extra: str) -> str:
    """Run a build that must fail; return its one-line error. Checks out/ is untouched."""
    out.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("previous build", encoding="utf-8")
    run = ldnkg("build", "--ontology", str(root), "--out", str(out), *extra)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("error: ")
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"], "the output folder changed"
    assert (out / "keep.txt").read_text(encoding="utf-8") == "previous build"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")], "staging left behind"
    return run.stderr


def test_malformed_turtle_names_file_and_line(ontology_copy: Path, tmp_path: Path) -> None:
    path = ontology_copy / ENTITIES
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(40, "ldn:Broken a ldno:Drug ; rdfs:label .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert f"{path}:41: malformed RDF" in message


def test_undefined_prefix_is_reported_with_the_file(ontology_copy: Path, tmp_path: Path) -> None:
    path = ontology_copy / ENTITIES
    edit(path, "ldn:Ketosis a ldno:MetabolicIntervention", "ldn:Ketosis a nope:MetabolicIntervention")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert str(path) in message and "nope" in message


def test_missing_evidence_is_a_shacl_violation_naming_the_claim(ontology_copy: Path, tmp_path: Path) -> None:
    path = ontology_copy / CLAIMS
    text = path.read_text(encoding="utf-8")
    block_start = text.index("claim:p17-blocks-tlr4 a ldno:Claim")
    evidence = text.index("ldno:evidence ECO:0000204 ; ", block_start)
    path.write_text(text[:evidence] + text[evidence + len("ldno:evidence ECO:0000204 ; "):], encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert "SHACL" in message and "p17-blocks-tlr4" in message and "evidence" in message


def test_reference_to_an_undefined_entity_names_claim_and_iri(ontology_copy: Path, tmp_path: Path) -> None:
    edit(ontology_copy / CLAIMS, "rdf:object ldn:TLR4 ;", "rdf:object ldn:TLR5 ;")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert "p17-blocks-tlr4" in message and "entity/TLR5" in message and "undefined" in message


def test_malformed_cross_reference_is_rejected(ontology_copy: Path, tmp_path: Path) -> None:
    edit(ontology_copy / ENTITIES, "MONDO:0005546", "MONDO:55")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert "Fibromyalgia" in message and "exactMatch" in message


def test_wrong_locator_names_the_claim(ontology_copy: Path, tmp_path: Path, seed_path: Path) -> None:
    path = ontology_copy / CLAIMS
    text = path.read_text(encoding="utf-8")
    i = text.index("claim:p12-not-cure-locator a")
    j = text.index("ldno:spanSha256", i)
    path.write_text(text[:j] + 'ldno:spanSha256 "' + "0" * 64 + '" .' + text[text.index("\n", j):], encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out", "--source", str(seed_path))
    assert "p12-not-cure" in message and "SHA-256" in message


def test_missing_source_file(tmp_path: Path) -> None:
    from ldnkg.ontology import ONTOLOGY_DIR

    message = build_fails(ONTOLOGY_DIR, tmp_path / "out", "--source", str(tmp_path / "nope.txt"))
    assert "nope.txt: no such file" in message


def test_source_that_is_not_the_article(tmp_path: Path) -> None:
    from ldnkg.ontology import ONTOLOGY_DIR

    other = tmp_path / "other.txt"
    other.write_text("Some other text entirely.\n", encoding="utf-8")
    message = build_fails(ONTOLOGY_DIR, tmp_path / "out", "--source", str(other))
    assert "other.txt" in message and "matches no source document" in message


@pytest.mark.parametrize("command", ["validate", "stats"])
def test_other_commands_report_bad_rdf_cleanly(command: str, ontology_copy: Path) -> None:
    (ontology_copy / ENTITIES).write_text("this is not turtle\n", encoding="utf-8")
    run = ldnkg(command, "--ontology", str(ontology_copy))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "entities.ttl:1: malformed RDF" in run.stderr
