"""The command line prints what a user needs: version, summary counts, validation, locators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ldnkg import __version__


def ldnkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ldnkg", *args], capture_output=True, text=True)


def test_version() -> None:
    run = ldnkg("--version")
    assert run.returncode == 0 and __version__ in run.stdout


def test_stats_counts_claims_by_evidence_and_asserter() -> None:
    run = ldnkg("stats")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "ECO:0000180 clinical study evidence" in out
    assert "clinical experience" in out and "author hypothesis" in out
    claims = int(out.split("claims: ")[1].split()[0])
    assert claims > 250
    assert "LdnRole" in out


def test_validate_with_source_reports_verified_locators(seed_path: Path) -> None:
    run = ldnkg("validate", "--source", str(seed_path))
    assert run.returncode == 0, run.stderr
    assert "conforms" in run.stdout and "locators verified" in run.stdout


def test_build_prints_summary_and_explorer_location(built: Path, seed_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    run = ldnkg("build", "--out", str(out), "--source", str(seed_path))
    assert run.returncode == 0, run.stderr
    assert "claims by evidence kind" in run.stdout
    assert "quotes added" in run.stdout
    assert str(out / "explorer.html") in run.stdout


def test_locate_prints_a_locator_without_storing_the_phrase(seed_path: Path) -> None:
    run = ldnkg("locate", "Toll-like receptor 4", "--source", str(seed_path))
    assert run.returncode == 0, run.stderr
    assert "ldno:paragraph 17" in run.stdout and "Role 2" in run.stdout
    start = int(run.stdout.split("oa:start ")[1].split()[0])
    assert seed_path.read_text(encoding="utf-8")[start:].startswith("Toll-like receptor 4")


def test_locate_rejects_ambiguous_phrase(seed_path: Path) -> None:
    run = ldnkg("locate", "LDN", "--source", str(seed_path))
    assert run.returncode == 1 and "occurs" in run.stderr and "Traceback" not in run.stderr
