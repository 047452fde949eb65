"""A private Virtuoso (Debian package virtuoso-opensource-7-bin) on loopback, started for the
tests (``tests/sparql/conftest.py``) and for ``benchmarks/sparql_bench.py``: its own virtuoso.ini in
a temporary folder, a random dba password, stopped and removed on exit."""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VIRTUOSO_BIN = shutil.which("virtuoso-t")
ISQL_BIN = shutil.which("isql-vt")


@dataclass
class Virtuoso:
    sparql: str
    crud: str
    user: str
    password: str
    sql_port: int
    home: Path

    def sql(self, statement: str, timeout: float = 600) -> str:
        """Run SQL as dba (checked: isql-vt exits 0 even when the SQL fails)."""
        return isql(self.sql_port, self.password, statement, timeout=timeout)

    def select(self, text: str, graph: str, *, timeout: float = 600) -> dict[str, Any]:
        """A SELECT's SPARQL JSON results, ``graph`` as the default graph; refuses a partial answer
        (Virtuoso's "anytime" results when a time limit is hit)."""
        return json.loads(self.request(text, graph, "application/sparql-results+json", timeout=timeout))

    def request(self, text: str, graph: str, accept: str, *, timeout: float = 600) -> bytes:
        args = urllib.parse.urlencode({"query": text, "default-graph-uri": graph})
        request = urllib.request.Request(f"{self.sparql}?{args}", headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.headers.get("X-SQL-State"):  # a partial ("anytime") answer
                raise RuntimeError(f"Virtuoso cut the query: {response.headers.get('X-SQL-Message')}")
            return response.read()

    def bulk_load(self, folder: Path, pattern: str, graph: str) -> None:
        """Load every ``pattern`` file of ``folder`` (inside ``home``) into ``graph`` with the bulk loader."""
        self.sql(f"ld_dir('{folder}', '{pattern}', '{graph}');")
        self.sql("rdf_loader_run();")
        self.sql("checkpoint;")
        errors = self.sql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"Virtuoso bulk load failed: {errors}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isql(port: int, password: str, sql: str, timeout: float = 60) -> str:
    """Run SQL through isql-vt; it exits 0 even when SQL fails, so the output is checked."""
    done = subprocess.run([ISQL_BIN or "isql-vt", f"127.0.0.1:{port}", "dba", password,
                           f"exec={sql}"], capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or "Error S" in output:
        raise RuntimeError(f"isql-vt failed for {sql!r}: {output.strip()}")
    return output


def _wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _ini(home: Path, sql_port: int, http_port: int, buffers: int, max_rows: int, max_seconds: int,
         max_estimate: int) -> str:
    return f"""[Database]
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
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
DirsAllowed = ., {home}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {home}/www
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = {max_estimate}
DefaultGraph = urn:ldnkg:none
"""


@contextlib.contextmanager
def private_virtuoso(home: Path, *, buffers: int = 20000, max_rows: int = 100000, max_seconds: int = 60,
                     max_estimate: int = 400, keep: bool = False) -> Iterator[Virtuoso]:
    """Start ``virtuoso-t`` with its files under ``home`` (created), yield it, shut it down.

    ``buffers`` is NumberOfBuffers (8 KiB pages held in memory: 170000 is Virtuoso's advice for
    2 GB); ``max_rows`` and ``max_seconds`` cap a SPARQL answer; a query whose estimated time is
    over ``max_estimate`` seconds is refused before it runs.
    """
    if VIRTUOSO_BIN is None or ISQL_BIN is None:
        raise FileNotFoundError("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    home.mkdir(parents=True, exist_ok=True)
    (home / "www").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(_ini(home, sql_port, http_port, buffers, max_rows, max_seconds, max_estimate), encoding="utf-8")
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
        if "Done" not in out:
            raise RuntimeError(f"could not set the dba password: {out}")
        isql(sql_port, password, "select 1;")  # the new password works
        _wait_http(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", seconds=30)
        yield Virtuoso(f"http://127.0.0.1:{http_port}/sparql",
                       f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth", "dba", password,
                       sql_port, home)
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired, OSError):
            isql(sql_port, password, "shutdown;")
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()
        if not keep:
            shutil.rmtree(home, ignore_errors=True)
