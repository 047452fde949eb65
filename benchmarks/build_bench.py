"""Time and peak memory of `ldnkg build` on the article's graph: cold, warm (build cache), and per step
beside the reference implementations it replaced (owlrl; pyshacl with its own RDFS inference pass).

Runs the real command in a fresh process N times each way (wall time, peak RSS of the child):

* cold: ``ldnkg build --no-cache`` (every step runs);
* warm: ``ldnkg build`` with a private build cache that already holds this build (the inputs hash
  the same, so the files are copied: :mod:`ldnkg.build_cache`); the outputs are compared byte for
  byte with the cold build's.

Then times each pipeline step in-process once, with the old step beside the new one. Prints
Markdown; paste it into benchmarks/build.md with the machine description.

    .venv/bin/python benchmarks/build_bench.py [--runs 5] [--source ../shared/seed/three-roles-of-ldn.txt]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
elapsed = time.perf_counter() - start
print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def run_once(out: Path, source: Path | None, *, cached: bool, env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one `ldnkg build` in a fresh process.

    A tiny wrapper process runs the build as its only child, so RUSAGE_CHILDREN is exactly
    the build's peak resident set size (the forked writer's included: it is a child of the build).
    """
    cmd = [sys.executable, "-m", "ldnkg", "build", "--quiet", "--out", str(out)]
    if not cached:
        cmd.append("--no-cache")
    if source:
        cmd += ["--source", str(source)]
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True,
                            env=env)
    elapsed, peak_kib = json.loads(result.stdout)
    return elapsed, peak_kib / 1024


def _timed(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t


def steps(source: Path | None) -> list[tuple[str, float, float | None]]:
    """(step, seconds now, seconds of the implementation it replaced, if any)."""
    import pyshacl
    from rdflib import Graph

    from ldnkg.build import _write_files, _writers
    from ldnkg.export.rdf import verify_exports
    from ldnkg.graph.load import KNOWLEDGE, SCHEMA, load, parse_turtle
    from ldnkg.graph.provenance import SourceText, attach_quotes, match_sources, verify_locators
    from ldnkg.graph.reason import infer
    from ldnkg.graph.validate import validate
    from ldnkg.namespaces import bind_prefixes
    from ldnkg.ontology import shapes_file

    def old_shacl(ds) -> None:  # type: ignore[no-untyped-def]
        data = bind_prefixes(Graph())
        for name in (SCHEMA, KNOWLEDGE):
            for triple in ds.graph(name):
                data.add(triple)
        pyshacl.validate(data, shacl_graph=parse_turtle(shapes_file(), Graph()), inference="rdfs",
                         advanced=True, allow_warnings=True)

    rows: list[tuple[str, float, float | None]] = []
    t = time.perf_counter()
    ds = load()
    rows.append(("load + materialise", time.perf_counter() - t, None))
    if source:
        t = time.perf_counter()
        paired = match_sources(ds, [SourceText.read(source)])
        verify_locators(ds, paired)
        attach_quotes(ds, paired)
        rows.append(("verify locators + quotes", time.perf_counter() - t, None))
    rows.append(("SHACL (now: precomputed RDFS types, in place; before: pyshacl RDFS pass)",
                 _timed(validate, ds), _timed(old_shacl, ds)))
    owlrl_s = _timed(infer, ds, engine="owlrl")
    rows.append(("OWL 2 RL (now: reasonable; before: owlrl)", _timed(infer, ds), owlrl_s))
    with tempfile.TemporaryDirectory() as tmp:
        serial = 0.0
        for name, write in _writers():
            seconds = _timed(write, ds, Path(tmp) / name)
            serial += seconds
            rows.append((f"write {name}", seconds, None))
        verify_s = _timed(verify_exports, ds, Path(tmp), [n for n, _ in _writers()])
        rows.append(("re-read the RDF exports", verify_s, None))
    with tempfile.TemporaryDirectory() as tmp:
        both = _timed(_write_files, ds, Path(tmp), _writers(), lambda _m: None, verify=verify_exports)
    rows.append(("all writers + re-read (now: two processes; before: one after the other)", both,
                 serial + verify_s))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=Path("../shared/seed/three-roles-of-ldn.txt"))
    args = parser.parse_args()
    source = args.source if args.source.is_file() else None
    cold, warm, peaks, warm_peaks = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, LDNKG_BUILD_CACHE_DIR=str(Path(tmp) / "cache"))
        for i in range(args.runs):
            elapsed, peak = run_once(Path(tmp) / f"cold{i}", source, cached=False, env=env)
            cold.append(elapsed)
            peaks.append(peak)
        run_once(Path(tmp) / "fill", source, cached=True, env=env)  # a miss: stores the build
        for i in range(args.runs):
            elapsed, peak = run_once(Path(tmp) / f"warm{i}", source, cached=True, env=env)
            warm.append(elapsed)
            warm_peaks.append(peak)
        same = all((Path(tmp) / "cold0" / p.name).read_bytes() == p.read_bytes()
                   for p in (Path(tmp) / "warm0").iterdir() if p.name != ".ldnkg-build.json")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; load average before: {os.getloadavg()[0]:.1f}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print()
    flag = " --source" if source else ""
    print("| measure | value |")
    print("|---|---|")
    print(f"| `ldnkg build{flag} --no-cache` (cold) wall time, median of {args.runs} | "
          f"{statistics.median(cold):.2f} s (min {min(cold):.2f}, max {max(cold):.2f}) |")
    print(f"| `ldnkg build{flag}` with the same inputs cached (warm), median of {args.runs} | "
          f"{statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f}) |")
    print(f"| warm outputs byte-identical to the cold build's | {'yes' if same else 'NO'} |")
    print(f"| peak RSS, cold / warm, median | {statistics.median(peaks):.0f} / "
          f"{statistics.median(warm_peaks):.0f} MiB |")
    print()
    print("| step (in-process, one run) | seconds now | seconds before |")
    print("|---|---|---|")
    for name, seconds, before in steps(source):
        print(f"| {name} | {seconds:.3f} | {'' if before is None else f'{before:.3f}'} |")


if __name__ == "__main__":
    main()
