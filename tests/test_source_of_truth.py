"""One source of truth (issue 12 §4): after a build, the reading commands answer from what it
wrote — inferred triples and quotes included — and a missing or stale build is one clear line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldnkg.cli import main
from ldnkg.data import MANIFEST, check_build, sources_digest


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own, with no LDNKG_DATA: the real default (build/)."""
    monkeypatch.delenv("LDNKG_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def with_build(in_folder: Path, built: Path) -> Path:
    """``build/`` in the working directory is the session's build (with the article's quotes)."""
    # real copies (never links): the tests below edit the manifest and times of their own copy
    shutil.copytree(built, in_folder / "build", symlinks=False)
    return in_folder / "build"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_build_records_the_digest_of_its_sources(built):
    manifest = json.loads((built / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["sources_sha256"] == sources_digest()
    assert check_build(built) == built / "ldn.trig"


def test_stats_answer_from_the_build_with_inferred_triples_and_quotes(with_build):
    result = run("stats")
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()[:2]
    inferred = int(first.split(" inferred")[0].rsplit(", ", 1)[1])
    assert inferred > 500  # the OWL 2 RL entailments the build wrote
    quotes = int(second.split(" with quote")[0].rsplit(", ", 1)[1])
    assert quotes == int(second.split("claims: ")[1].split()[0])  # every claim has its quote


def test_query_sees_the_inferred_triples(with_build):
    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:inferred { ?s ?p ?o } }"
    result = run("query", text, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert int(result.output.splitlines()[1]) > 500
    quotes = run("query", "SELECT (COUNT(?q) AS ?n) WHERE { ?l ldno:quote ?q }", "-f", "csv")
    assert int(quotes.output.splitlines()[1]) > 200  # the verbatim quotes the build added


def test_evidence_and_explain_show_the_quotes_from_the_build(with_build):
    result = run("evidence", "fibromyalgia", "-f", "json")
    assert result.exit_code == 0, result.output
    assert all(c.get("quote") for c in json.loads(result.output)["direct"])
    assert "quote: \"" in run("explain", "LDN", "fibromyalgia", "--limit", "1").output


def test_data_option_chooses_another_build(in_folder, built):
    result = run("stats", "--data", str(built))
    assert result.exit_code == 0, result.output
    assert " 0 with quote" not in result.output


def test_missing_build_says_how_to_rebuild(in_folder):
    for args in (["stats"], ["query", "role-cycle"], ["evidence", "MCAS"], ["explain", "LDN", "MCAS"],
                 ["serve", "--port", "0"]):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: no build in build/"), (args, result.output)
        assert "make run" in lines[0] and "Traceback" not in result.output


def test_stale_build_by_digest_is_refused(with_build):
    manifest = with_build / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["sources_sha256"] = "0" * 64  # as if the ontology had changed since
    manifest.write_text(json.dumps(data), encoding="utf-8")
    result = run("evidence", "MCAS")
    assert result.exit_code == 1
    assert "the build in build/ is older than its sources" in result.output and "make run" in result.output


def test_stale_build_without_a_manifest_falls_back_to_times(with_build):
    (with_build / MANIFEST).unlink()
    os.utime(with_build / "ldn.trig", (0, 0))  # built in 1970: every source is newer
    result = run("stats")
    assert result.exit_code == 1 and "is older than its sources" in result.output


def test_ontology_option_answers_without_a_build(in_folder):
    result = run("stats", "--ontology", str(Path(__file__).resolve().parents[1] / "ontology"))
    assert result.exit_code == 0, result.output
    assert " 0 inferred" in result.output.splitlines()[0]
