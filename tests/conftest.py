"""Shared fixtures: the packaged ontology, the seed article, and one full build per session."""

from __future__ import annotations

import os
import shutil
import tempfile
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


def pytest_configure(config: pytest.Config) -> None:
    """One build cache per test run, shared by the xdist workers: the session builds below (and every
    `ldnkg build` a test runs) are built once per run and input, by whichever worker asks first, while
    the other waits on the entry's lock and reuses it. A fresh run starts from an empty cache."""
    if hasattr(config, "workerinput") or "LDNKG_BUILD_CACHE_DIR" in os.environ:
        return  # a worker inherits the controller's folder through its environment; a caller may choose one
    folder = Path(tempfile.mkdtemp(prefix="ldnkg-test-builds-"))
    os.environ["LDNKG_BUILD_CACHE_DIR"] = str(folder)

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("LDNKG_BUILD_CACHE_DIR", None)

    config.add_cleanup(remove)


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
    build(out, sources=[seed_path], cache=True)  # built once per test run, shared by the workers
    return out


@pytest.fixture(scope="session")
def built_plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full build without any source text (what a user without the article gets)."""
    from ldnkg.build import build

    out = tmp_path_factory.mktemp("build-plain") / "out"
    build(out, cache=True)
    return out
