"""Time and peak memory of `ldnkg build` on the article's graph.

Runs the real command in a fresh process N times (wall time, peak RSS of the child), then
times each pipeline step in-process once. Prints a Markdown table; paste it into
benchmarks/build.md with the machine description.

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


def run_once(out: Path, source: Path | None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one `ldnkg build` in a fresh process.

    A tiny wrapper process runs the build as its only child, so RUSAGE_CHILDREN is exactly
    the build's peak resident set size.
    """
    cmd = [sys.executable, "-m", "ldnkg", "build", "--quiet", "--out", str(out)]
    if source:
        cmd += ["--source", str(source)]
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True)
    elapsed, peak_kib = json.loads(result.stdout)
    return elapsed, peak_kib / 1024


def steps(source: Path | None) -> list[tuple[str, float]]:
    from ldnkg.build import _writers
    from ldnkg.graph.load import load
    from ldnkg.graph.provenance import SourceText, attach_quotes, match_sources, verify_locators
    from ldnkg.graph.reason import infer
    from ldnkg.graph.validate import validate

    timings = []
    t = time.perf_counter()
    ds = load()
    timings.append(("load + materialise", time.perf_counter() - t))
    if source:
        t = time.perf_counter()
        paired = match_sources(ds, [SourceText.read(source)])
        verify_locators(ds, paired)
        attach_quotes(ds, paired)
        timings.append(("verify locators + quotes", time.perf_counter() - t))
    t = time.perf_counter()
    validate(ds)
    timings.append(("SHACL validation (pyshacl)", time.perf_counter() - t))
    t = time.perf_counter()
    infer(ds)
    timings.append(("OWL 2 RL inference (owlrl)", time.perf_counter() - t))
    with tempfile.TemporaryDirectory() as tmp:
        for name, write in _writers():
            t = time.perf_counter()
            write(ds, Path(tmp) / name)
            timings.append((f"write {name}", time.perf_counter() - t))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=Path("../shared/seed/three-roles-of-ldn.txt"))
    args = parser.parse_args()
    source = args.source if args.source.is_file() else None
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            elapsed, peak = run_once(Path(tmp) / f"b{i}", source)
            times.append(elapsed)
            peaks.append(peak)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| `ldnkg build{' --source' if source else ''}` wall time, median of {args.runs} | "
          f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) |")
    print(f"| peak RSS of the build process, median | {statistics.median(peaks):.0f} MiB |")
    print()
    print("| step (in-process, one run) | seconds |")
    print("|---|---|")
    for name, seconds in steps(source):
        print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
