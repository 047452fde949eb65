"""Fixtures for the SPARQL tests: the dataset, a running ``ldnkg serve``, a private Virtuoso."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A real ``ldnkg serve`` on a free loopback port (3 s time limit, 2000 rows, 3 workers,
    2 MB results, 768 MB per worker, 2 s header deadline)."""
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


# --------------------------------------------------------------------------------------------
# Virtuoso (Debian package virtuoso-opensource-7-bin), private instance on loopback
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso started for the tests only, with its own virtuoso.ini in a temp folder."""
    require(VIRTUOSO_BIN is not None and ISQL_BIN is not None,
            "Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    home = tmp_path_factory.mktemp("virtuoso")
    with private_virtuoso(home, keep=os.environ.get("LDNKG_KEEP_VIRTUOSO") is not None) as server:
        yield server
