"""Endpoint benchmark: ``ldnkg serve`` under normal load, under abuse, and against a memory bomb.

Usage::

    .venv/bin/python benchmarks/endpoint_bench.py [--out benchmarks/endpoint.md]

1. 8 and 16 clients × 200 mixed named queries (each client its own keep-alive connection);
   errors, p50/p99 latency.
2. Two abusive clients (source addresses 127.0.0.2 and 127.0.0.3) loop a 3-way cartesian
   ``COUNT`` (runs until the time limit) for 30 s while a probe (127.0.0.4) asks ``ASK {}`` every
   0.5 s: share answered, probe p50/p99.
3. The memory bomb: a string doubled 26 times (~1 GiB, 2 GiB allocated); the RSS of every server
   process is sampled every 50 ms; the status and the largest worker RSS are reported.
4. RSS of the server (HTTP process + workers) before and after.

The server runs with its defaults (10 s, 1024 MiB per worker, 3 workers + 1 spare) over the
packaged ontology.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACCEPT = "application/sparql-results+json, text/turtle;q=0.5"


def doubling(times: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f'SELECT (STRLEN(?s{times}) AS ?n) WHERE {{ BIND("xxxxxxxxxxxxxxxx" AS ?s0) {binds} }}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection from one source address."""

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 60) -> None:
        self.port, self.source, self.timeout = port, source, timeout
        self.conn: http.client.HTTPConnection | None = None

    last_body = b""

    def get(self, query: str) -> tuple[int, float]:
        started = time.perf_counter()
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                                       source_address=(self.source, 0))
            try:
                self.conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                                  headers={"Accept": ACCEPT})
                response = self.conn.getresponse()
                self.last_body = response.read()
                if response.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, (time.perf_counter() - started) * 1000
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0, (time.perf_counter() - started) * 1000
        return 0, 0.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def rss(proc: psutil.Process) -> tuple[float, float]:
    """(HTTP process RSS, largest worker RSS) in MiB."""
    main = proc.memory_info().rss
    workers = [c.memory_info().rss for c in proc.children(recursive=True) if c.is_running()]
    return main / 2**20, max(workers, default=0) / 2**20


def total_rss(proc: psutil.Process) -> float:
    return (proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))) / 2**20


def load(port: int, texts: list[str], clients: int, per_client: int = 200, distinct: bool = False) -> dict:
    results: list[list[tuple[int, float]]] = [[] for _ in range(clients)]

    def run(i: int) -> None:
        client = Client(port, f"127.0.1.{i + 1}" if distinct else "127.0.0.1")
        results[i] = [client.get(texts[(i + k) % len(texts)]) for k in range(per_client)]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [r for batch in results for r in batch]
    ok = [ms for status, ms in flat if status == 200]
    return {"clients": clients, "from": "one address each" if distinct else "one address",
            "queries": len(flat), "errors": len(flat) - len(ok), "p50": pct(ok, 50),
            "p99": pct(ok, 99), "seconds": time.perf_counter() - started}


def abuse(port: int, seconds: float = 30.0) -> dict:
    stop = threading.Event()
    abusive: list[int] = []

    def loop(ip: str) -> None:
        client = Client(port, ip)
        while not stop.is_set():
            abusive.append(client.get(SLOW)[0])

    threads = [threading.Thread(target=loop, args=(ip,), daemon=True) for ip in ("127.0.0.2", "127.0.0.3")]
    for t in threads:
        t.start()
    probe, probes = Client(port, "127.0.0.4", timeout=30), []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        probes.append(probe.get("ASK {}"))
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(15)
    answered = [ms for status, ms in probes if status == 200]
    return {"probes": len(probes), "answered": len(answered), "share": len(answered) / max(len(probes), 1),
            "p50": pct(answered, 50), "p99": pct(answered, 99), "abusive_requests": len(abusive),
            "abusive_statuses": sorted(set(abusive))}


def bomb(port: int, proc: psutil.Process) -> dict:
    peak = {"worker": 0.0, "main": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                main, worker = rss(proc)
                peak["worker"], peak["main"] = max(peak["worker"], worker), max(peak["main"], main)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    client = Client(port, timeout=60)
    status, ms = client.get(doubling(26))
    time.sleep(0.5)
    done.set()
    sampler.join()
    return {"status": status, "ms": ms, "peak_worker_mib": peak["worker"], "peak_main_mib": peak["main"],
            "message": client.last_body.decode("utf-8", "replace").strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "endpoint.md")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from ldnkg.graph.sparql import named_queries, prepare

    texts = [prepare(q.name)[0] for q in named_queries()
             if q.name not in ("claims-with-locators", "evidence-gaps", "causal-chain")]
    port = free_port()
    ldnkg = Path(sys.executable).with_name("ldnkg")
    server = subprocess.Popen([str(ldnkg), "serve", "--port", str(port), "--ontology", str(REPO / "ontology")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while Client(port, timeout=5).get("ASK {}")[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the server did not start: {server.stderr.read() if server.stderr else ''}")
            time.sleep(0.5)
        proc = psutil.Process(server.pid)
        before = total_rss(proc)
        runs = [load(port, texts, n, distinct=d) for d in (False, True) for n in (8, 16)]
        abused = abuse(port)
        time.sleep(3)
        bombed = bomb(port, proc)
        time.sleep(3)
        after_status = Client(port).get("ASK {}")[0]
        after = total_rss(proc)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    machine = (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
               f"Python {platform.python_version()}")
    lines = [
        "# Endpoint benchmark",
        "",
        "`benchmarks/endpoint_bench.py` (one run): `ldnkg serve` with its defaults — uvicorn/h11 under",
        "Starlette, 3 sandboxed query workers + 1 spare, 10 s and 1024 MiB per query, 16 MiB per result —",
        "over the packaged ontology.",
        "",
        f"Machine: {machine}. Date: {datetime.date.today().isoformat()}.",
        "",
        "## Mixed named queries (each client one keep-alive connection, 200 queries)",
        "",
        "| clients | source address | queries | errors | p50 ms | p99 ms | wall s |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['clients']} | {r['from']} | {r['queries']} | {r['errors']} | {r['p50']:.0f} | "
              f"{r['p99']:.0f} | {r['seconds']:.1f} |" for r in runs]
    lines += [
        "",
        "From one address the clients count as one client: they share at most `workers - 1` = 2 workers",
        "(fair scheduling), which is what the first two rows measure; the last two are distinct clients.",
    ]
    lines += [
        "",
        "The old `http.server` endpoint measured p50 55 ms / p99 108 ms with 8 clients (benchmarks/sparql.md).",
        "",
        "## Two abusive clients for 30 s, a probe asking `ASK {}` every 0.5 s",
        "",
        "| probes | answered | share | probe p50 ms | probe p99 ms | abusive requests (statuses) |",
        "|---|---|---|---|---|---|",
        f"| {abused['probes']} | {abused['answered']} | {abused['share']:.0%} | {abused['p50']:.0f} | "
        f"{abused['p99']:.0f} | {abused['abusive_requests']} ({', '.join(map(str, abused['abusive_statuses']))}) |",
        "",
        "Goal: at least 95 % answered, probe p50 under 200 ms.",
        "",
        "## Memory bomb (a 16-character string doubled 26 times)",
        "",
        "| status | ms | largest worker RSS MiB (cap 1024 MiB of address space) | HTTP process RSS MiB |",
        "|---|---|---|---|",
        f"| {bombed['status']} | {bombed['ms']:.0f} | {bombed['peak_worker_mib']:.0f} | "
        f"{bombed['peak_main_mib']:.0f} |",
        "",
        f"The answer: \"{bombed['message']}\"",
        "",
        "## RSS of the whole server (HTTP process + workers)",
        "",
        "| before | after | answering after the runs |",
        "|---|---|---|",
        f"| {before:.0f} MiB | {after:.0f} MiB | {'yes' if after_status == 200 else 'NO'} |",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
