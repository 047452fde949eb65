"""Time and peak memory of `ldnkg build` on the article's graph.

Runs the real command in a fresh process N times (wall time, peak RSS of the child), then
times each pipeline step in-process once. Prints a Markdown table; paste it into
benchmarks/build.md with the machine description.

    .venv/bin/python benchmarks/build_bench.py [--runs 5] [--source ../shared/seed/three-roles-of-ldn.txt]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(out: Path, source: Path | None) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "ldnkg", "build", "--quiet", "--out", str(out)]
    if source:
        cmd += ["--source", str(source)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak_kib, before) / 1024


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
            elapsed, _ = run_once(Path(tmp) / f"b{i}", source)
            times.append(elapsed)
    # peak RSS: ru_maxrss of children is a running maximum, so measure one run in its own process
    code = ("import resource,subprocess,sys,tempfile;"
            "d=tempfile.mkdtemp();"
            f"subprocess.run([sys.executable,'-m','ldnkg','build','--quiet','--out',d+'/o']"
            f"{'+[' + repr('--source') + ',' + repr(str(source)) + ']' if source else ''},check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    peaks.append(int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout) / 1024)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| `ldnkg build{' --source' if source else ''}` wall time, median of {args.runs} | "
          f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) |")
    print(f"| peak RSS of the build process | {peaks[0]:.0f} MiB |")
    print()
    print("| step (in-process, one run) | seconds |")
    print("|---|---|")
    for name, seconds in steps(source):
        print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
