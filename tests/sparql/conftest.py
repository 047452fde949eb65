"""Fixtures for the SPARQL tests: the dataset, a running ``ldnkg serve``, a private Virtuoso."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
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


@pytest.fixture(scope="session")
def ds() -> Dataset:
    import ldnkg

    return ldnkg.load()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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

VIRTUOSO_BIN = shutil.which("virtuoso-t")
ISQL_BIN = shutil.which("isql-vt")


@dataclass
class Virtuoso:
    sparql: str
    crud: str
    user: str
    password: str


def isql(port: int, password: str, sql: str) -> str:
    """Run SQL through isql-vt; it exits 0 even when SQL fails, so the output is checked."""
    done = subprocess.run([ISQL_BIN or "isql-vt", f"127.0.0.1:{port}", "dba", password,
                           f"exec={sql}"], capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or "Error S" in output:
        raise RuntimeError(f"isql-vt failed for {sql!r}: {output.strip()}")
    return output


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso started for the tests only, with its own virtuoso.ini in a temp folder."""
    require(VIRTUOSO_BIN is not None and ISQL_BIN is not None,
            "Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    home = tmp_path_factory.mktemp("virtuoso")
    (home / "www").mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(f"""[Database]
DatabaseFile = {home}/virtuoso.db
ErrorLogFile = {home}/virtuoso.log
LockFile = {home}/virtuoso.lck
TransactionFile = {home}/virtuoso.trx
xa_persistent_file = {home}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {home}/virtuoso-temp.db
TransactionFile = {home}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {home}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {home}/www
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
DefaultGraph = urn:ldnkg:none
""", encoding="utf-8")
    log = (home / "stdout.log").open("w")
    proc = subprocess.Popen([VIRTUOSO_BIN, "+configfile", str(ini), "+foreground"], cwd=home,
                            stdout=log, stderr=subprocess.STDOUT)
    password = "t" + secrets.token_hex(8)
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(home / 'stdout.log').read_text()[-2000:]}")
            try:
                isql(sql_port, "dba", "select 1;")
                break
            except (RuntimeError, subprocess.TimeoutExpired):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        out = isql(sql_port, "dba", f"USER_CHANGE_PASSWORD('dba', 'dba', '{password}');")
        assert "Done" in out, out
        isql(sql_port, password, "select 1;")  # the new password works
        wait_http(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", seconds=30)
        yield Virtuoso(f"http://127.0.0.1:{http_port}/sparql",
                       f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth", "dba", password)
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired, OSError):
            isql(sql_port, password, "shutdown;")
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()
        if os.environ.get("LDNKG_KEEP_VIRTUOSO") is None:
            shutil.rmtree(home, ignore_errors=True)
