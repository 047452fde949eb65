"""Fixtures for the SPARQL tests: the dataset, a running ``ldnkg serve``, a private Virtuoso."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset

from ldnkg.ontology import ONTOLOGY_DIR
from tests.conftest import require
from tests.sparql.virtuoso import ISQL_BIN, VIRTUOSO_BIN, Virtuoso, free_port, private_virtuoso


@pytest.fixture(scope="session")
def ds() -> Dataset:
    import ldnkg

    return ldnkg.load()


def wait_http(url: str, *, seconds: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read()
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


MAX_BYTES = 2_000_000


@dataclass
class Served:
    base: str
    endpoint: str
    proc: subprocess.Popen
    timeout: float
    max_rows: int
    log: Path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A real ``ldnkg serve`` on a free loopback port (3 s time limit, 2000 rows, 3 workers,
    2 MB results, 768 MB per worker, 2 s header deadline). One per test process, not per module:
    each start loads the data in four worker processes. Tests use it through ``server``."""
    ldnkg_bin = Path(sys.executable).with_name("ldnkg")
    require(ldnkg_bin.is_file(), f"the ldnkg command is not installed next to {sys.executable}")
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(ldnkg_bin), "serve", "--port", str(port), "--timeout", "3",
                                 "--max-rows", "2000", "--workers", "3", "--max-bytes", str(MAX_BYTES),
                                 "--memory-mb", "768", "--header-timeout", "2",
                                 "--ontology", str(ONTOLOGY_DIR)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/sparql?query=ASK%7B%7D", seconds=60, proc=proc)
    except (RuntimeError, TimeoutError) as err:
        proc.kill()
        pytest.fail(f"ldnkg serve did not start: {err}\n{log.read_text()}")
    yield Served(base, f"{base}/sparql", proc, 3.0, 2000, log)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture
def server(served: Served) -> Served:
    """The shared server, once its pool is whole and idle again: a worker an earlier test had
    killed (time or memory limit) is replaced by one that loads the data first, and until then
    the next test would see a smaller pool. Tests that make a client heavy use loopback addresses
    of their own (tests/sparql/test_endpoint_safety.py)."""
    settle(served)
    return served


#: The fixture's pool: three workers and one spare started beside them (export/server_workers.py).
POOL = 3 + 1


def _states(pid: int) -> list[str]:
    """What each query worker of the server ``pid`` does, read from /proc: "busy" (a thread runs or
    waits for a core), "idle" (loaded and waiting for a job on its socket) or "other" (starting,
    loading, being killed). Zombies and multiprocessing's resource tracker are left out."""
    states = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid or b"spawn_main" not in (stat.parent / "cmdline").read_bytes():
                continue
            threads = [t.read_text().rsplit(")", 1)[1].split()[0] for t in (stat.parent / "task").glob("*/stat")]
            waiting = (stat.parent / "wchan").read_text()
        except (OSError, IndexError):  # it exited meanwhile
            continue
        if fields[0] == "Z":
            continue
        if "R" in threads:
            states.append("busy")
        else:  # a worker reads its next job from a socketpair (multiprocessing.Pipe)
            states.append("idle" if fields[0] == "S" and "unix_stream" in waiting else "other")
    return states


def busy_workers(server: Served) -> int:
    """How many of the server's query workers are computing."""
    return _states(server.proc.pid).count("busy")


def wait_for(condition: Callable[[], bool], what: str, bound: float = 120) -> None:
    """Poll ``condition`` until it holds; the bound only keeps a broken server from hanging the run."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {bound:g} s")
        time.sleep(0.05)


def settle(server: Served) -> None:
    """Wait until the pool is whole and idle: every worker, the spare too, loaded and waiting."""
    seen = 0

    def whole() -> bool:
        nonlocal seen
        states = _states(server.proc.pid)
        seen = seen + 1 if states.count("idle") >= POOL and len(states) == states.count("idle") else 0
        return seen >= 2

    wait_for(whole, "the server's pool going whole and idle")


# --------------------------------------------------------------------------------------------
# Virtuoso (Debian package virtuoso-opensource-7-bin), private instance on loopback
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso started for the tests only, with its own virtuoso.ini in a temp folder."""
    require(VIRTUOSO_BIN is not None and ISQL_BIN is not None,
            "Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    home = tmp_path_factory.mktemp("virtuoso")
    # no refusal on Virtuoso's cost estimate (as in the benchmark): on a loaded machine it estimated
    # 428 s for support-for-condition, which runs in milliseconds, and refused it (HTTP 500); a quiet
    # one estimates under 1 s. Runs stay capped at 60 s.
    with private_virtuoso(home, max_estimate=1_000_000,
                          keep=os.environ.get("LDNKG_KEEP_VIRTUOSO") is not None) as server:
        yield server
