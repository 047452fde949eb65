"""SPARQL benchmark: every named query at ~1M quads, pyoxigraph (our default engine) side by side
with a private Virtuoso bulk-loaded with the same quads, and rdflib at a smaller size; in one run.

Usage::

    .venv/bin/python benchmarks/sparql_bench.py [--copies 133] [--small-copies 4] [--out F.json]
        [--baseline REV]    # also run REV's ontology/queries on pyoxigraph at ~1M: same rows?
    .venv/bin/python benchmarks/sparql_bench.py --render benchmarks/sparql-results.json

The graph is the article's dataset (``ldnkg.load()``, every named graph) copied N times by
``benchmarks/generate.py`` (the copies rename every node they own; ``ldn:LDN`` is the shared hub).
pyoxigraph and rdflib run each named query by name, as the CLI does (``ldnkg.graph.sparql.run``:
the default graph is the union of every named graph). Virtuoso gets the same quads as ONE graph
(their union, bulk-loaded from N-Triples) and the same query text with the same parameter values
(``prepare``), over HTTP on loopback, JSON results parsed. Each (engine, size, query) is timed
after one warm-up run: the median of ``--repeats`` runs. pyoxigraph and rdflib run in a child
process per (engine, size) that loads the graph once; a query whose run takes over ``--timeout``
seconds is cut (the child is killed, a fresh one goes on with the next query); Virtuoso gets the
same limit (MaxQueryExecutionTime; a partial answer counts as cut).
Rows are compared as sorted, normalised values (numbers by value): Virtuoso against pyoxigraph at
~1M, rdflib against pyoxigraph at the small size. Prints the Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]  # generate.py; tests.sparql (helpers, Virtuoso)

UNION = "https://w3id.org/ldnkg/graph/bench-union"


def generate(nquads: Path, copies: int) -> int:
    """Write ``copies`` copies of the article's dataset as N-Quads; return the quad count."""
    from generate import write_nquads_copies

    import ldnkg
    from ldnkg.graph.sparql import to_store

    return write_nquads_copies(to_store(ldnkg.load()), nquads, copies)


def union_ntriples(nquads: Path, out: Path) -> int:
    """The union of every graph of ``nquads`` as N-Triples (for Virtuoso); return its triple count."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nquads))
    seen = {(q.subject, q.predicate, q.object) for q in store}
    with out.open("wb") as f:
        ox.serialize((ox.Triple(*t) for t in seen), f, ox.RdfFormat.N_TRIPLES)
    return len(seen)


def digest(rows: list[Any]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def result_rows(result: Any) -> list[Any]:
    """Sorted normalised rows (or triples) of a QueryResult."""
    from tests.sparql.helpers import norm, rows_of

    if result.kind == "graph":
        return sorted((tuple(map(norm, t)) for t in result.graph), key=repr)
    if result.kind == "ask":
        return [(result.boolean,)]
    return rows_of(result)


def timed(fn: Any, repeats: int) -> tuple[float, Any]:
    """One warm-up call, then the median of ``repeats`` timed calls; returns (median, last answer)."""
    answer = fn()
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        answer = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), answer


def load(engine: str, data: str) -> Any:
    from ldnkg.graph.sparql import load_store

    if engine == "oxigraph":
        return load_store(data)
    from rdflib import Dataset

    graph = Dataset(default_union=True)
    graph.parse(data, format="nquads")
    return graph


def measure(engine: str, data: str, specs: list[str], repeats: int) -> None:
    """Runs in a child process: load ``data`` once with ``engine``, then time each named query (or
    .rq file) in turn, printing one JSON line per query as soon as it is done."""
    from ldnkg.graph.sparql import run

    t0 = time.perf_counter()
    graph = load(engine, data)
    print(json.dumps({"load_s": time.perf_counter() - t0}), flush=True)
    for spec in specs:
        median, answer = timed(lambda spec=spec: run(graph, spec, engine=engine), repeats)
        rows = result_rows(answer)
        print(json.dumps({"median_s": median, "rows": len(rows), "digest": digest(rows),
                          "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def run_engine(engine: str, data: Path, repeats: int, timeout: float, specs: dict[str, str]) -> dict:
    """Every query in one child process (one load); a query slower than ``timeout`` s is cut: the
    child is killed and a fresh one goes on with the next query."""
    out: dict = {"engine": engine, "timeout_s": timeout, "queries": {}}
    loads, peaks = [], []
    todo = list(specs.items())
    while todo:
        cmd = [sys.executable, __file__, "--measure", engine, str(data), str(repeats), *(s for _, s in todo)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines = _lines(proc)
        try:
            first = _read_line(lines, timeout)
            if first is None or "load_s" not in first:
                raise RuntimeError(f"{engine} could not load {data} within {timeout:g} s")
            loads.append(first["load_s"])
            while todo:
                name, _ = todo.pop(0)
                res = _read_line(lines, timeout * (repeats + 1))
                cut = res is None or "error" in res
                res = res or {"cut": True}
                if "peak_mb" in res:
                    peaks.append(res.pop("peak_mb"))
                out["queries"][name] = res
                print(f"  {engine} {name}: {res}", file=sys.stderr, flush=True)
                if cut:
                    break
        finally:
            proc.kill()
            proc.wait()
    if loads:
        out["load_s"], out["peak_mb"] = statistics.median(loads), max(peaks, default=0)
    return out


def _lines(proc: subprocess.Popen) -> queue.Queue:
    """The child's output lines, read by a thread (None at the end), so that waiting can time out."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _read_line(lines: queue.Queue, timeout: float) -> dict | None:
    """The child's next result, None when it takes longer than ``timeout`` s, an error if it died."""
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        return None
    return json.loads(line) if line else {"error": "the child process failed"}


def virtuoso_rows(server: Any, text: str, kind: str) -> list[Any]:
    from rdflib import Graph

    from tests.sparql.helpers import json_rows, norm

    if kind == "graph":
        body = server.request(text, UNION, "application/n-triples").decode()
        return sorted((tuple(map(norm, t)) for t in Graph().parse(data=body, format="nt")), key=repr)
    return json_rows(server.select(text, UNION))


def run_virtuoso(ntriples: Path, home: Path, repeats: int, timeout: float, kinds: dict[str, str]) -> dict:
    """Start a private Virtuoso, bulk-load ``ntriples`` as one graph, time every named query."""
    from ldnkg.graph.sparql import named_queries, prepare
    from tests.sparql.virtuoso import private_virtuoso

    out: dict = {"engine": "virtuoso", "queries": {}}
    (home / "data").mkdir(parents=True)
    os.link(ntriples, home / "data" / ntriples.name)
    # 170000 buffers (1.3 GB): Virtuoso's advice for 2 GB of RAM, so the graph stays in memory; its
    # own time limit as ours (a cut answer is refused), and no refusal on its estimate alone
    with private_virtuoso(home, buffers=170000, max_rows=2_000_000, max_seconds=int(timeout),
                          max_estimate=1_000_000) as server:
        t0 = time.perf_counter()
        server.bulk_load(home / "data", "*.nt", UNION)
        out["load_s"] = time.perf_counter() - t0
        count = server.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", UNION)
        out["triples"] = int(count["results"]["bindings"][0]["n"]["value"])
        out["version"] = server.sql("SELECT sys_stat('st_dbms_ver');").split("\n")
        out["version"] = next((line.strip() for line in out["version"] if line.strip()[:1].isdigit()), "?")
        for q in named_queries():
            text, _ = prepare(q.name)
            try:
                median, rows = timed(lambda text=text, q=q: virtuoso_rows(server, text, kinds.get(q.name, "select")),
                                     repeats)
                res = {"median_s": median, "rows": len(rows), "digest": digest(rows)}
            except (urllib.error.HTTPError, RuntimeError, OSError) as err:
                detail = err.read().decode(errors="replace")[:300] if isinstance(err, urllib.error.HTTPError) else ""
                res = {"error": f"{err} {detail}".strip()}
            out["queries"][q.name] = res
            print(f"  virtuoso {q.name}: {res}", file=sys.stderr, flush=True)
    return out


def concurrent_load(clients: int = 8, per_client: int = 200) -> dict:
    """p50/p99 latency of ``clients`` × ``per_client`` named queries against ``ldnkg serve``."""
    from ldnkg.graph.sparql import named_queries, prepare
    from tests.sparql.virtuoso import free_port

    port = free_port()
    exe = Path(sys.executable).with_name("ldnkg")
    from ldnkg.ontology import ONTOLOGY_DIR

    # from the ontology folder itself: a build/ folder may be older than the sources (refused)
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--ontology", str(ONTOLOGY_DIR)],
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


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _ms(q: dict | None) -> str:
    if q is None:
        return "—"
    if q.get("cut"):
        return "cut"
    if "error" in q:
        return "error"
    return f"{1000 * q['median_s']:.1f}"


def render(report: dict) -> str:
    """The results as Markdown, ready to paste into benchmarks/sparql.md."""
    runs = {(r["engine"], r["size"]): r for r in report["runs"]}
    ox_big, virt = runs.get(("oxigraph", "big"), {}), runs.get(("virtuoso", "big"), {})
    ox_small, rdf = runs.get(("oxigraph", "small"), {}), runs.get(("rdflib", "small"), {})
    old = runs.get(("oxigraph-baseline", "big"))
    out = [f"Run of {report['date']}; machine: {report['machine']}; Virtuoso {virt.get('version', '?')}.",
           f"Load average at start {report['loadavg_start']}, at end {report['loadavg_end']}"
           f"{' (machine shared with other sessions)' if report.get('shared') else ''}; "
           f"whole run {report['wall_s'] / 60:.1f} min.",
           "",
           f"~1M: {report['big_quads']:,} quads ({report['big_copies']} copies; Virtuoso: their union, "
           f"{virt.get('triples', 0):,} triples), loaded by pyoxigraph in {ox_big.get('load_s', 0):.1f} s "
           f"(peak RSS {ox_big.get('peak_mb', 0):.0f} MB), by Virtuoso's bulk loader in "
           f"{virt.get('load_s', 0):.1f} s. Small: {report['small_quads']:,} quads "
           f"({report['small_copies']} copies), loaded by rdflib in {rdf.get('load_s', 0):.1f} s. "
           f"Times in ms, median of {report['repeats']} warm runs after one warm-up "
           f"(rdflib: {report['rdflib_repeats']}); queries cut at {report['timeout_s']:.0f} s.",
           "",
           "| query | rows @1M | pyoxigraph | Virtuoso | ratio | Virtuoso rows = ours |"
           + (" old form: same rows |" if old else "")
           + " rows @small | pyoxigraph @small | rdflib @small | rdflib = pyoxigraph |",
           "|---|---|---|---|---|---|" + ("---|" if old else "") + "---|---|---|---|"]
    names = sorted(set(ox_big.get("queries", {})) | set(virt.get("queries", {})))
    for name in names:
        a, v = ox_big.get("queries", {}).get(name), virt.get("queries", {}).get(name)
        s, r = ox_small.get("queries", {}).get(name), rdf.get("queries", {}).get(name)
        ratio = (f"{a['median_s'] / v['median_s']:.2f}" if a and v and "median_s" in a and "median_s" in v
                 else "—")
        same_v = ("yes" if a and v and a.get("digest") == v.get("digest") and "digest" in a
                  else f"no ({v['rows']})" if v and "rows" in v else "—")
        cells = [name, str(a["rows"]) if a and "rows" in a else "—", _ms(a), _ms(v), ratio, same_v]
        if old:
            o = old["queries"].get(name)
            cells.append("—" if not o or "digest" not in o else "yes" if a and o["digest"] == a.get("digest")
                         else f"no ({o['rows']})")
        same_r = ("yes" if s and r and "digest" in r and r["digest"] == s.get("digest")
                  else "—" if not r or "digest" not in r else f"no ({r['rows']})")
        cells += [str(s["rows"]) if s and "rows" in s else "—", _ms(s), _ms(r), same_r]
        out.append("| " + " | ".join(cells) + " |")
    c = report.get("concurrent")
    if c:
        out += ["", f"Concurrent load against `ldnkg serve` (article graph, 2 workers): {c['clients']} "
                f"clients × {c['queries'] // c['clients']} named queries = {c['queries']} requests, "
                f"{c['errors']} errors, p50 {c['p50_ms']:.1f} ms, p99 {c['p99_ms']:.1f} ms, "
                f"{c['throughput_qps']:.0f} queries/s ({c['wall_s']:.1f} s wall)."]
    return "\n".join(out) + "\n"


def baseline_specs(rev: str, folder: Path) -> dict[str, str]:
    """The named queries as they were at git revision ``rev``, as .rq files in ``folder``."""
    from ldnkg.graph.sparql import named_queries

    folder.mkdir(parents=True, exist_ok=True)
    specs = {}
    for q in named_queries():
        rel = q.path.resolve().relative_to(ROOT)
        done = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{rel}"], capture_output=True, text=True)
        if done.returncode == 0:
            (folder / q.path.name).write_text(done.stdout, encoding="utf-8")
            specs[q.name] = str(folder / q.path.name)
    return specs


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--render":
        print(render(json.loads(Path(sys.argv[2]).read_text())), end="")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3], sys.argv[5:], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=133, help="copies for the ~1M graph")
    parser.add_argument("--small-copies", type=int, default=4, help="copies for rdflib's graph (~30k quads)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per query (after a warm-up)")
    parser.add_argument("--rdflib-repeats", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per query run; slower ones are cut")
    parser.add_argument("--baseline", metavar="REV",
                        help="also run REV's query files on pyoxigraph at ~1M (one timed run each): same rows?")
    parser.add_argument("--no-concurrent", action="store_true", help="skip the ldnkg serve load test")
    parser.add_argument("--shared", action="store_true", help="note that other work ran on the machine")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "sparql-results.json")
    args = parser.parse_args()
    from ldnkg.graph.sparql import named_queries

    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="ldnkg-sparql-bench-"))
    report: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "loadavg_start": loadavg(), "shared": args.shared, "repeats": args.repeats,
                    "rdflib_repeats": args.rdflib_repeats, "timeout_s": args.timeout,
                    "big_copies": args.copies, "small_copies": args.small_copies, "runs": []}
    files = {"big": tmp / "big.nq", "small": tmp / "small.nq"}
    report["big_quads"] = generate(files["big"], args.copies)
    report["small_quads"] = generate(files["small"], args.small_copies)
    print(f"generated {report['big_quads']} / {report['small_quads']} quads", file=sys.stderr, flush=True)
    specs = {q.name: q.name for q in named_queries()}
    kinds = {q.name: "graph" for q in named_queries() if "CONSTRUCT" in q.text}

    def add(res: dict, size: str, engine: str | None = None) -> None:
        res["size"] = size
        if engine:
            res["engine"] = engine
        report["runs"].append(res)

    add(run_engine("oxigraph", files["big"], args.repeats, args.timeout, specs), "big")
    if args.baseline:
        old = baseline_specs(args.baseline, tmp / "baseline")
        add(run_engine("oxigraph", files["big"], 1, args.timeout, old), "big", "oxigraph-baseline")
        report["baseline"] = args.baseline
    union_ntriples(files["big"], tmp / "big.nt")
    add(run_virtuoso(tmp / "big.nt", tmp / "virtuoso", args.repeats, args.timeout, kinds), "big")
    add(run_engine("oxigraph", files["small"], args.repeats, args.timeout, specs), "small")
    add(run_engine("rdflib", files["small"], args.rdflib_repeats, args.timeout, specs), "small")
    if not args.no_concurrent:
        try:
            report["concurrent"] = concurrent_load()
        except OSError as err:  # the rest of the run is kept
            print(f"concurrent load failed: {err}", file=sys.stderr)
    report["loadavg_end"] = loadavg()
    report["wall_s"] = time.perf_counter() - start
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)
    print(render(report), end="")


if __name__ == "__main__":
    main()
