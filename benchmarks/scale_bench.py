"""Build time and peak memory of `ldnkg build` on generated N× copies of the article's graph.

The generator writes an ontology folder (the real schema, shapes and queries) whose knowledge is
the article's knowledge copied N times. Copy 0 is the original; copies 1..N-1 rename EVERY node the
knowledge owns — entities, publications, studies, claims, locators, citation matches, the source
document — with a ``-cK`` suffix, so that per-copy counts (publications, traceability, studies)
are N times the article's, not inflated by shared nodes. Only ``ldn:LDN`` stays shared: it is the
hub every copy's claims are about (as in a real LDN graph), which is what the scale is meant to
stress. External identifiers (MONDO, ECO, …) and the ontology's own terms are shared. The
generated graph passes SHACL (the build validates it).

    .venv/bin/python benchmarks/scale_bench.py --copies 1 10 100 [--runs 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import renaming  # benchmarks/generate.py: the copies' renaming, shared with sparql_bench.py
from rdflib import Graph

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr[-2000:])
print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def generate(dest: Path, copies: int) -> int:
    """Write an ontology folder with ``copies`` copies of the packaged knowledge; return its triple count."""
    from ldnkg.ontology import ONTOLOGY_DIR, knowledge_files

    shutil.copytree(ONTOLOGY_DIR, dest, ignore=shutil.ignore_patterns("__pycache__", "*.py", "knowledge"))
    knowledge = Graph()
    for path in knowledge_files(ONTOLOGY_DIR):
        knowledge.parse(path, format="turtle")
    triples = sorted(knowledge)
    total = 0
    for k in range(copies):
        folder = dest / "knowledge" / (f"copy-{k:04d}" if k else "original")
        folder.mkdir(parents=True)
        rename = renaming(k)
        lines = [f"{rename(s).n3()} {p.n3()} {rename(o).n3()} .\n" for s, p, o in triples]
        (folder / "knowledge.ttl").write_text("".join(lines), encoding="utf-8")  # N-Triples is Turtle
        total += len(lines)
    return total


def run_build(root: Path, out: Path) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one uncached `ldnkg build` of ``root``."""
    cmd = [sys.executable, "-m", "ldnkg", "--ontology", str(root), "build", "--no-cache", "--quiet", "--out", str(out)]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"build of {root} failed: {done.stderr.strip()[-1000:]}")
    elapsed, peak_kib = json.loads(done.stdout)
    return elapsed, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the generated folders here (default: a temp folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="ldnkg-scale-"))
    rows = []
    for copies in args.copies:
        root = work / f"x{copies}"
        if root.exists():
            shutil.rmtree(root)
        t = time.perf_counter()
        triples = generate(root, copies)
        gen_s = time.perf_counter() - t
        for i in range(args.runs):
            elapsed, peak = run_build(root, work / f"out-x{copies}-{i}")
            claims = sum(1 for line in (work / f"out-x{copies}-{i}" / "ldn.nq").open(encoding="utf-8")
                         if "22-rdf-syntax-ns#type> <https://w3id.org/ldnkg/ontology#Claim>" in line)
            rows.append((copies, triples, claims, elapsed, peak))
            print(f"{copies}×: {triples} curated triples, {claims} claims, generated in {gen_s:.1f} s, "
                  f"build {elapsed:.1f} s, peak {peak:.0f} MiB", file=sys.stderr, flush=True)
            shutil.rmtree(work / f"out-x{copies}-{i}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print()
    print("| copies | curated triples | claims | `ldnkg build` wall (s) | s per 1k claims | peak RSS (MiB) |")
    print("|---|---|---|---|---|---|")
    for copies, triples, claims, elapsed, peak in rows:
        print(f"| {copies}× | {triples:,} | {claims:,} | {elapsed:.1f} | {1000 * elapsed / max(claims, 1):.2f} | "
              f"{peak:.0f} |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
