"""SPARQL benchmark: every named query on the article graph and on a generated graph of the same
shapes (~1M triples), pyoxigraph vs rdflib; load time and peak memory; p50/p99 of a concurrent
load against ``ldnkg serve``.

Usage::

    .venv/bin/python benchmarks/sparql_bench.py [--copies 160] [--rdflib-copies 16] [--out F.json]
    .venv/bin/python benchmarks/sparql_bench.py --render benchmarks/sparql-results.json

The big graph is the article's knowledge graph copied N times: copy 0 is the original, copies
1..N-1 rename every entity, claim and locator IRI with a ``-k`` suffix, except ``ldn:LDN`` which
stays the shared hub (so LDN-anchored queries see N times the claims). Each (engine, size) runs in
its own subprocess (one per query, with a fresh load) so that peak memory (max RSS) is its own
and a slow query can be cut without losing the others.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def generate(path: Path, copies: int) -> int:
    """Write the N-Quads of ``copies`` copies of the article graph; return the quad count."""
    import ldnkg
    from ldnkg.export.rdf import write_nquads

    base = Path(tempfile.mkdtemp()) / "base.nq"
    write_nquads(ldnkg.load(), base)
    lines = base.read_text(encoding="utf-8").splitlines()
    schema = [line for line in lines if line.endswith("<https://w3id.org/ldnkg/graph/schema> .")]
    rest = [line for line in lines if line not in set(schema)]
    pattern = re.compile(r"<https://w3id.org/ldnkg/(entity|claim)/([^>]+)>")
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for line in schema:
            out.write(line + "\n")
            n += 1
        for k in range(copies):
            for line in rest:
                if k:
                    line = pattern.sub(lambda m, k=k: m.group(0) if m.group(2) == "LDN"
                                       else f"<https://w3id.org/ldnkg/{m.group(1)}/{m.group(2)}-{k}>",
                                       line)
                out.write(line + "\n")
                n += 1
    return n


def measure(engine: str, data: str, name: str, repeats: int) -> dict:
    """Runs in a subprocess: load ``data`` with ``engine``, time one named query."""
    from ldnkg.graph.sparql import run

    t0 = time.perf_counter()
    if engine == "oxigraph":
        from ldnkg.graph.sparql import load_store

        graph = load_store(data)
    else:
        from rdflib import Dataset

        graph = Dataset(default_union=True)
        graph.parse(data, format="nquads")
    load_s = time.perf_counter() - t0
    runs, rows = [], 0
    for _ in range(repeats):
        t = time.perf_counter()
        rows = len(run(graph, name, engine=engine))
        runs.append(time.perf_counter() - t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load_s": load_s, "peak_mb": peak_mb, "median_s": statistics.median(runs),
            "rows": rows}


def in_subprocess(engine: str, data: Path, repeats: int, timeout: float) -> dict:
    """Each named query in its own child process (fresh load), cut after ``timeout`` s."""
    from ldnkg.graph.sparql import named_queries

    out: dict = {"engine": engine, "timeout_s": timeout, "queries": {}}
    loads, peaks = [], []
    for q in named_queries():
        cmd = [sys.executable, __file__, "--measure", engine, str(data), q.name, str(repeats)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=True)
        except subprocess.TimeoutExpired:
            print(f"  {q.name}: cut after {timeout:g} s", file=sys.stderr)
            continue
        res = json.loads(done.stdout.strip().splitlines()[-1])
        loads.append(res.pop("load_s"))
        peaks.append(res.pop("peak_mb"))
        out["queries"][q.name] = res
        print(f"  {q.name}: {res}", file=sys.stderr)
    if loads:
        out["load_s"], out["peak_mb"] = statistics.median(loads), max(peaks)
    return out


def concurrent_load(clients: int = 8, per_client: int = 200) -> dict:
    """p50/p99 latency of ``clients`` × ``per_client`` named queries against ``ldnkg serve``."""
    import socket

    from ldnkg.graph.sparql import named_queries, prepare

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("ldnkg")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        texts = [prepare(q.name)[0] for q in named_queries()]

        def client(i: int) -> list[tuple[float, int]]:
            out = []
            for k in range(per_client):
                url = f"{endpoint}?{urllib.parse.urlencode({'query': texts[(i + k) % len(texts)]})}"
                t = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=60) as r:
                        r.read()
                        status = r.status
                except urllib.error.HTTPError as err:
                    status = err.code
                out.append((time.perf_counter() - t, status))
            return out

        t0 = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = [x for batch in pool.map(client, range(clients)) for x in batch]
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(15)
    lat = sorted(x for x, _ in results)
    return {"clients": clients, "queries": len(results),
            "errors": sum(1 for _, s in results if s != 200), "wall_s": wall,
            "p50_ms": 1000 * lat[len(lat) // 2], "p99_ms": 1000 * lat[int(len(lat) * 0.99) - 1],
            "throughput_qps": len(results) / wall}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import pyoxigraph
    import rdflib

    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
            f"rdflib {rdflib.__version__}")


def render(report: dict) -> str:
    """The results as Markdown tables."""
    runs = report["runs"]
    heads = [f"{r['engine']} @ {r['quads']:,} quads" for r in runs]
    out = [f"Machine: {report['machine']}", "",
           "| | " + " | ".join(heads) + " |", "|---|" + "---|" * len(runs),
           "| load (s) | " + " | ".join(f"{r['load_s']:.2f}" if "load_s" in r else "—"
                                      for r in runs) + " |",
           "| peak RSS (MB) | " + " | ".join(f"{r['peak_mb']:.0f}" if "peak_mb" in r else "—"
                                           for r in runs) + " |"]
    names = sorted({n for r in runs for n in r.get("queries", {})})
    for name in names:
        cells = []
        for r in runs:
            q = r.get("queries", {}).get(name)
            if q is None:
                cells.append(f"cut at {r['timeout_s']:.0f} s")
            else:
                cells.append(f"{1000 * q['median_s']:.1f} ms ({q['rows']} rows)")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    c = report["concurrent"]
    out += ["", f"Concurrent load against `ldnkg serve` (article graph, 2 workers): {c['clients']} "
            f"clients × {c['queries'] // c['clients']} named queries = {c['queries']} requests, "
            f"{c['errors']} errors, p50 {c['p50_ms']:.1f} ms, p99 {c['p99_ms']:.1f} ms, "
            f"{c['throughput_qps']:.0f} queries/s ({c['wall_s']:.1f} s wall)."]
    return "\n".join(out) + "\n"


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--render":
        print(render(json.loads(Path(sys.argv[2]).read_text())), end="")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=160, help="copies for the big graph")
    parser.add_argument("--rdflib-copies", type=int, default=16,
                        help="copies for rdflib's big graph (1M is too slow for it)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds per query run (load included); slower ones are cut")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/sparql-results.json"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ldnkg-bench-"))
    report: dict = {"machine": machine(), "runs": []}
    sizes = {"article": 1, "big": args.copies, "rdflib-big": args.rdflib_copies}
    files = {}
    for name, copies in sizes.items():
        files[name] = tmp / f"{name}.nq"
        report[f"{name}_quads"] = generate(files[name], copies)
        print(f"{name}: {report[f'{name}_quads']} quads", file=sys.stderr)
    print("concurrent load …", file=sys.stderr)
    report["concurrent"] = concurrent_load()
    plan = [("oxigraph", "article", 5), ("rdflib", "article", 3), ("oxigraph", "big", 3),
            ("rdflib", "rdflib-big", 1)]
    for engine, size, repeats in plan:
        print(f"measuring {engine} on {size} …", file=sys.stderr)
        res = in_subprocess(engine, files[size], repeats, args.timeout)
        res.update(size=size, quads=report[f"{size}_quads"])
        report["runs"].append(res)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(render(report), end="")


if __name__ == "__main__":
    main()
