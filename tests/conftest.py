"""Shared fixtures: the packaged ontology, the seed article, and one full build per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

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


#: The slowest tests (2026-12-02, benchmarks/tests.md), slowest first. Under pytest-xdist each starts
#: early in a worker's share, so none of them is what one worker still runs while the other idles.
SLOWEST = [
    "tests/test_build_cache.py::test_unchanged_rebuild_reuses_changed_input_rebuilds",
    "tests/test_reasoner.py::test_shacl_without_the_inference_pass_reports_what_pyshacl_rdfs_reports",
    "tests/sparql/test_ssrf.py::test_every_server_route",
    "tests/sparql/test_virtuoso.py::test_push_is_repeatable_and_counted",
    "tests/export/test_kgx.py::test_kgx_validate_reports_no_errors",
    "tests/export/test_nanopubs.py::test_nanopub_library_accepts_every_claim",
    "tests/test_build_outputs.py::test_rebuild_is_byte_identical",
    "tests/test_resolver.py::test_query_param_takes_any_name",
    "tests/browser/test_explorer_jupyterlab.py::test_the_explorer_shows_in_jupyterlab",
    "tests/sparql/test_server.py::test_concurrent_load_8_clients_200_queries",
    "tests/analysis/test_report.py::test_report_is_byte_identical_across_runs",
]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist (controller): tell each worker how tests are distributed; a worker's own option says "no"."""
    node.workerinput["ldnkg_dist"] = node.config.getoption("dist")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist, put the modules holding the slowest tests (those tests first in their module) at
    the head of each worker's initial share. Work stealing moves only tests not yet started, so a
    slow test left near the end would run alone at the end. Modules stay whole (module fixtures are
    set up once); both workers compute the same order, as xdist requires."""
    given = getattr(config, "workerinput", {})
    workers = int(given.get("workercount", 1))
    if workers < 2 or given.get("ldnkg_dist") != "worksteal":
        return
    rank = {nodeid: i for i, nodeid in enumerate(SLOWEST)}
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    heavy: list[tuple[int, str]] = []
    for name, members in modules.items():
        members.sort(key=lambda item: rank.get(item.nodeid, len(rank)))  # stable: the rest keep their order
        if members[0].nodeid in rank:
            heavy.append((rank[members[0].nodeid], name))
    heavy.sort()
    leads = [[name for i, (_, name) in enumerate(heavy) if i % workers == w] for w in range(workers)]
    rest = [item for name, members in modules.items() if name not in {n for _, n in heavy} for item in members]
    ordered: list[pytest.Item] = []
    remaining = len(items)
    for w in range(workers):
        share = remaining // (workers - w)  # what xdist's first idle worker gets of what is left
        chunk = [item for name in leads[w] for item in modules[name]]
        while len(chunk) < share and rest:
            chunk.append(rest.pop(0))
        ordered += chunk
        remaining -= len(chunk)
    items[:] = ordered + rest


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
