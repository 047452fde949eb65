"""Shared fixtures: the packaged ontology, the seed article, and one full build per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ldnkg.ontology import ONTOLOGY_DIR

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "three-roles-of-ldn.txt"
REFERENCE = REPO.parent / "shared" / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Reading commands answer from build/ by default (ldnkg.data); tests answer from the packaged
# ontology unless they choose (--data, --ontology), so they never depend on the checkout's build/.
# tests/test_source_of_truth.py unsets this to test the default itself.
os.environ.setdefault("LDNKG_DATA", str(ONTOLOGY_DIR))


def require(condition: bool, why: str) -> None:
    """Skip when something optional is missing, but fail under CI (``CI`` set)."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{why} (required when CI is set)")
        pytest.skip(why)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The article's text (../shared/seed), which the repository does not contain."""
    require(SEED.is_file(), f"source text not found at {SEED}")
    return SEED


@pytest.fixture
def ontology_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged ontology folder, to add or break files in."""
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """One full build with the verified source text (quotes included)."""
    from ldnkg.build import build

    out = tmp_path_factory.mktemp("build") / "out"
    build(out, sources=[seed_path])
    return out


@pytest.fixture(scope="session")
def built_plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full build without any source text (what a user without the article gets)."""
    from ldnkg.build import build

    out = tmp_path_factory.mktemp("build-plain") / "out"
    build(out)
    return out
