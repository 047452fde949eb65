"""`ldnkg explain` and `ldnkg report` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ldnkg.cli import main

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "three-roles-of-ldn.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_explain_ldn_fibromyalgia_names_tlr4_and_microglia():
    result = run("explain", "LDN", "fibromyalgia")
    assert result.exit_code == 0, result.output
    assert "TLR4 blockade" in result.output
    assert "microglial activation" in result.output
    assert "asserter: published research" in result.output  # the fibromyalgia trials
    assert "locator: Role 2: Anti-Neuroinflammatory Agent, paragraph 20" in result.output


def test_explain_accepts_iris_curies_and_typos():
    by_iri = run("explain", "https://w3id.org/ldnkg/entity/LDN", "ldn:Fibromyalgia")
    by_typo = run("explain", "naltrexone", "fibromyalga")
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


def test_explain_without_a_chain_says_so():
    result = run("explain", "fibromyalgia", "LDN")
    assert result.exit_code == 0
    assert "No mechanism chain leads from fibromyalgia to low dose naltrexone." in result.output


@pytest.mark.skipif(not SEED.is_file(), reason="the article's text is not beside the repository")
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
    assert "Research agenda" in page and page.count("data:image/png;base64,") >= 5
    assert "http://" not in page.replace("http://www.w3.org", "") and "<script" not in page
