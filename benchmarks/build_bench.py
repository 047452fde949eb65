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

``--phase ROOT…`` times only the writing phase (every writer and the re-reading, in the build's two
processes) on ontology folders (the packaged one is ``ontology``; generated ones come from
``scale_bench.py --keep``), each in a fresh process after load + inference (SHACL skipped), and
each side's writers one after the other. With ``--before TREE`` (an earlier commit's package,
e.g. ``git archive COMMIT ldnkg graph export ontology`` rearranged as installed) the same runs
alternate with runs of that tree, so both are measured under the same load:

    .venv/bin/python benchmarks/build_bench.py --phase ontology /tmp/scale/x10 --before /tmp/old --runs 3

``--before TREE`` alone runs cold builds of this package and of TREE alternately (wall, CPU, peak
RSS, and which files differ between the two):

    .venv/bin/python benchmarks/build_bench.py --before /tmp/old --runs 5

``--steps ROOT…`` runs one whole uncached build of each folder (``ldnkg.build.build``, as the
command runs it) and prints how long each step took in each of its two processes, from the
build's own progress lines, with the wall time and the peak RSS of the build (both processes):

    .venv/bin/python benchmarks/build_bench.py --steps /tmp/scale/x10 /tmp/scale/x100
"""

from __future__ import annotations

import argparse
import itertools
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
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([elapsed, use.ru_maxrss, use.ru_utime + use.ru_stime]))
"""


def run_once(out: Path, source: Path | None, *, cached: bool, env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one `ldnkg build` in a fresh process (:func:`run_timed` also
    gives its CPU time).

    A tiny wrapper process runs the build as its only child, so RUSAGE_CHILDREN is exactly
    the build's peak resident set size (the forked writer's included: it is a child of the build).
    """
    cmd = [sys.executable, "-m", "ldnkg", "build", "--quiet", "--out", str(out)]
    if not cached:
        cmd.append("--no-cache")
    if source:
        cmd += ["--source", str(source)]
    elapsed, peak, _ = run_timed(cmd, env)
    return elapsed, peak


def run_timed(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall time (s), peak RSS (MiB) and CPU time, user + system, of the command and its children (s)."""
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True,
                            env=env, cwd=cwd)
    elapsed, peak_kib, cpu = json.loads(result.stdout)
    return elapsed, peak_kib / 1024, cpu


def cold_beside(before: Path, source: Path | None, runs: int) -> None:
    """Cold builds of this tree and of ``before`` (an earlier package tree), alternating, same load;
    the outputs of the two compared byte for byte."""
    results: dict[str, list[tuple[float, float, float]]] = {"now": [], "before": []}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            for name in ("before", "now"):
                env = dict(os.environ)
                if name == "before":
                    env["PYTHONPATH"] = str(before.resolve())
                out = Path(tmp) / f"{name}{i}"
                cmd = [sys.executable, "-m", "ldnkg", "build", "--quiet", "--no-cache", "--out", str(out)]
                if source:
                    cmd += ["--source", str(source.resolve())]
                # from a folder of no package: run from the checkout, `-m ldnkg` would find today's
                # ldnkg/ in the working directory before the PYTHONPATH tree
                results[name].append(run_timed(cmd, env, cwd=Path(tmp)))
                loads.append(os.getloadavg()[0])
        differ = sorted(p.name for p in (Path(tmp) / "now0").iterdir() if p.name != ".ldnkg-build.json"
                        and p.read_bytes() != (Path(tmp) / "before0" / p.name).read_bytes())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average (1 min) from {min(loads):.1f} "
          f"to {max(loads):.1f} during the runs")
    print()
    flag = " --source" if source else ""
    print(f"| `ldnkg build --no-cache{flag}`, alternating | wall s, median of {runs} (min–max) | "
          "CPU s (user+sys, both processes), median | peak RSS MiB |")
    print("|---|---|---|---|")
    for name in ("before", "now"):
        rows = results[name]
        walls = [r[0] for r in rows]
        print(f"| {name} | {statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f}) | "
              f"{statistics.median(r[2] for r in rows):.2f} | {statistics.median(r[1] for r in rows):.0f} |")
    print()
    print(f"files that differ between the two: {', '.join(differ) or 'none'}")


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
    rows.append(("SHACL (now: pyshacl-turbo on precomputed RDFS types; before: pyshacl with its RDFS pass)",
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


_PHASE = """
import json, resource, sys, tempfile, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from ldnkg import build
from ldnkg.export.rdf import EXPORTS, verify_exports
from ldnkg.graph.load import load
from ldnkg.graph.reason import infer
ds = load(Path(sys.argv[1]))
if sys.argv[2] != "skip":
    infer(ds)
writers = build._writers()
out = {}
with tempfile.TemporaryDirectory() as tmp:
    t = time.perf_counter()
    build._write_files(ds, Path(tmp), writers, lambda _m: None, verify=verify_exports)
    out["wall"] = time.perf_counter() - t
try:
    from ldnkg.graph.project import computed_once
except ImportError:  # before the shared projection
    from contextlib import nullcontext as computed_once
if hasattr(build, "second_process"):  # the split depends on the dataset's size
    second = set(build.second_process(ds, [n for n, _ in writers]))
else:  # before: PARALLEL, and the RDF exports always in the first process
    second = {n for n, _ in writers if n in build.PARALLEL and n not in EXPORTS}
aside = [(n, w) for n, w in writers if n in second]
here = [(n, w) for n, w in writers if (n, w) not in aside]
for side, batch in (("first", here), ("second", aside)):
    with tempfile.TemporaryDirectory() as tmp, computed_once(ds):
        t = time.perf_counter()
        for name, write in batch:
            write(ds, Path(tmp) / name)
        verify_exports(ds, Path(tmp), [n for n, _ in batch])
        out[side] = time.perf_counter() - t
out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


_WRAPPER_STDERR = _WRAPPER.replace("check=True, capture_output=True", "check=True")  # the build's lines pass
_STEPS = """
import json, os, resource, sys, tempfile, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
T0 = time.perf_counter()
def say(message):  # the forked second process inherits this and prints its own lines
    use = resource.getrusage(resource.RUSAGE_SELF)  # CPU time too: on a loaded machine the wall time is not the work
    line = json.dumps([time.perf_counter() - T0, use.ru_utime + use.ru_stime, message])
    os.write(2, (line + chr(10)).encode())  # one write: two writers
from ldnkg.build import build
with tempfile.TemporaryDirectory() as tmp:
    build(Path(tmp) / "out", root=Path(sys.argv[1]), progress=say)
    say("built")
"""
_SECOND = " (second process)"


def steps_of(root: Path) -> tuple[float, float, list[tuple[str, float | None, float | None, float | None,
                                                             float | None]]]:
    """(wall s, peak MiB, [(step, seconds in the first process, in the second, CPU seconds in the first, in the
    second)]) of one build."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER_STDERR, sys.executable, "-c", _STEPS, str(root.resolve())],
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    if done.returncode:
        raise SystemExit(f"build of {root} failed: {done.stderr[-2000:]}")
    elapsed, peak_kib, _ = json.loads(done.stdout.splitlines()[-1])
    events = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("[")]
    rows: dict[str, list[float | None]] = {}
    for side in (0, 1):
        mine = [(t, c, m.removesuffix(_SECOND)) for t, c, m in events if m.endswith(_SECOND) == bool(side)]
        if side and mine:  # the child's clock starts at the fork: its first line is timed from there
            fork = max(t for t, _, m in events if not m.endswith(_SECOND) and t <= mine[0][0])
            mine.insert(0, (fork, 0.0, "(fork)"))  # a forked process's own CPU time starts at 0
        for (t, c, message), (t_next, c_next, _) in itertools.pairwise(mine):
            if message == "(fork)":
                continue
            row = rows.setdefault(message, [None, None, None, None])
            row[side], row[2 + side] = t_next - t, c_next - c
    return elapsed, peak_kib / 1024, [(m, *row) for m, row in rows.items()]


def steps_table(roots: list[Path]) -> None:
    """Print, for each folder, the build's wall time, peak RSS and each step's seconds per process."""
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for root in roots:
        load_before = os.getloadavg()[0]
        elapsed, peak, rows = steps_of(root)
        print()
        print(f"{root.name}: build {elapsed:.1f} s wall, peak RSS {peak:.0f} MiB "
              f"(load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f})")
        print()
        print("| step | first process (s) | second process (s) | CPU, first (s) | CPU, second (s) |")
        print("|---|---|---|---|---|")
        for message, *values in rows:
            print(f"| {message} | " + " | ".join("" if v is None else f"{v:.2f}" for v in values) + " |")


def phase(roots: list[Path], before: Path | None, runs: int, *, infer: bool = True) -> None:
    """Print a table of the writing phase's time on each folder, now and (with ``before``) then."""
    trees = [("now", None)] + ([("before", before)] if before else [])
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(runs):
        for root in roots:
            for name, tree in trees:  # alternating: both see the same load
                env = dict(os.environ)
                if tree is not None:
                    env["PYTHONPATH"] = str(tree.resolve())
                done = subprocess.run([sys.executable, "-c", _PHASE, str(root.resolve()), "infer" if infer else "skip"],
                                      capture_output=True,
                                      text=True, check=True, env=env, cwd=tempfile.gettempdir())
                results.setdefault((str(root), name), []).append(json.loads(done.stdout.splitlines()[-1]))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average after: {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
          + ("" if infer else "; OWL 2 RL inference skipped (no ldn-inferred triples)"))
    print()
    print(f"| ontology folder | code | writers + re-read, two processes (s, median of {runs}) | "
          "first process alone | second process alone | peak RSS of the run (MiB) |")
    print("|---|---|---|---|---|---|")
    for root in roots:
        for name, _ in trees:
            rows = results[(str(root), name)]
            med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            print(f"| {root.name} | {name} | {med['wall']:.2f} (min {min(r['wall'] for r in rows):.2f}) | "
                  f"{med['first']:.2f} | {med['second']:.2f} | {med['peak']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=Path("../shared/seed/three-roles-of-ldn.txt"))
    parser.add_argument("--phase", type=Path, nargs="+", help="time only the writing phase on these folders")
    parser.add_argument("--before", type=Path, help="an earlier package tree to alternate with (with --phase: the "
                        "writing phase; alone: cold builds)")
    parser.add_argument("--steps", type=Path, nargs="+", help="time each step of one build of these folders")
    parser.add_argument("--skip-inference", action="store_true",
                        help="with --phase: write without the OWL 2 RL step (at 100× it ran out of memory)")
    args = parser.parse_args()
    if args.steps:
        steps_table(args.steps)
        return
    if args.phase:
        phase(args.phase, args.before, args.runs, infer=not args.skip_inference)
        return
    source = args.source if args.source.is_file() else None
    if args.before:
        cold_beside(args.before, source, args.runs)
        return
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
