"""`ldnkg explain` and `ldnkg report` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ldnkg.cli import main

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "three-roles-of-ldn.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_explain_ldn_fibromyalgia_ranks_the_trials_first_with_level_and_locator():
    result = run("explain", "LDN", "fibromyalgia")
    assert result.exit_code == 0, result.output
    out = result.output
    first = out.split("\n\n")[1]
    # the direct, published-trial claim is the strongest chain; each step says level and locator
    assert first.startswith("1. low dose naltrexone → fibromyalgia")
    assert "weakest link: 1 published clinical trial" in first
    assert "p20-fibro-trials, Role 2: Anti-Neuroinflammatory Agent ¶20" in first
    assert "TLR4 blockade" in out or "microglial activation" in out
    # a page, not a dump: five chains by default, and it says how many there are
    assert "showing the first 5 (--limit N for more)" in out and "\n6. " not in out
    assert len(out.splitlines()) < 80


def test_explain_ranks_by_the_weakest_links_evidence_level():
    out = run("explain", "LDN", "fibromyalgia", "--limit", "40").output
    ranks = [int(line.split("weakest link: ")[1].split()[0]) for line in out.splitlines()
             if "weakest link: " in line]
    assert ranks == sorted(ranks) and len(ranks) > 5


def test_explain_reaches_a_person_through_their_study():
    # issue 12: "explain LDN 'Burt Berkson'" said no entity is called that
    result = run("explain", "LDN", "Burt Berkson")
    assert result.exit_code == 0, result.output
    assert "Berkson: LDN with alpha-lipoic acid in pancreatic cancer —conducted by→ Burt Berkson" in result.output
    assert run("explain", "LDN", "berkson").output == result.output


def test_explain_between_two_roles_shows_the_cycle():
    result = run("explain", "immune modulation", "neuroprotection")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "The roles form a cycle: immune modulation → anti-neuroinflammatory agent → "
        "neuroprotective and neurotrophic agent → immune modulation.")
    assert "—reinforces→" in result.output and "7 the author's hypothesis" in result.output


def test_explain_accepts_iris_curies_and_typos():
    by_iri = run("explain", "https://w3id.org/ldnkg/entity/LDN", "ldn:Fibromyalgia")
    by_typo = run("explain", "Low-Dose  Naltrexone", "fibromyalga")
    assert by_iri.exit_code == by_typo.exit_code == 0
    assert by_iri.output == by_typo.output


@pytest.mark.parametrize(("name", "expected"), [
    ("aspirin", "no entity is called 'aspirin'; did you mean: "),
    ("chronic", "'chronic' is ambiguous: it could be chronic fatigue (ldn:ChronicFatigue)"),
])
def test_bad_names_give_a_clear_error_with_suggestions(name, expected):
    result = run("explain", "LDN", name)
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and expected in result.output
    assert "Traceback" not in result.output


def test_explain_follows_claims_backwards_when_none_runs_forward():
    result = run("explain", "fibromyalgia", "LDN")
    assert result.exit_code == 0
    assert "following claims in both directions" in result.output
    assert "fibromyalgia ←ameliorates— low dose naltrexone" in result.output


def test_explain_with_source_shows_the_verified_quotes():
    result = run("explain", "LDN", "fibromyalgia", "--limit", "1", "--source", str(SEED))
    assert result.exit_code == 0, result.output
    assert "quote: \"" in result.output


def test_explain_with_a_wrong_source_text_fails_cleanly(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Not the article.\n", encoding="utf-8")
    result = run("explain", "LDN", "fibromyalgia", "--source", str(other))
    assert result.exit_code == 1
    assert "matches no source document" in result.output and "Traceback" not in result.output


def test_report_writes_a_standalone_page(tmp_path):
    out = tmp_path / "r" / "report.html"
    result = run("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Research agenda" in page and page.count("<svg") == 5
    assert "http://" not in page.replace("http://www.w3.org", "") and "<script" not in page
