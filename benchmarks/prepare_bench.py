"""Load, SHACL and OWL 2 RL of ``ldnkg build`` (``ldnkg.build.prepare``'s steps), before/after, interleaved.

Each run is a fresh process that loads the ontology folder, validates it and infers, as
``prepare()`` does, timing each step (wall and the process's CPU seconds, which a shared machine
disturbs less) and hashing the dataset it ends with. "before" is the tree of an earlier commit
(``--before``, extracted with ``git archive``), "after" the working tree; their runs alternate.
At 1× the article's graph is used with the seed text (locators verified, as a build does); at N×
the folder ``scale_bench.py`` generates, with each side's own schema and shapes.

    .venv/bin/python benchmarks/prepare_bench.py --before HEAD~3 --copies 1 10 --runs 5

Prints a Markdown table to paste into benchmarks/build.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from revision import extract

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "three-roles-of-ldn.txt"
STEPS = ("load", "shacl", "reason")

CHILD = r"""
import hashlib, json, sys, time
from pathlib import Path
w0 = time.perf_counter()
from ldnkg.graph.load import DATASET_GRAPHS, load
from ldnkg.graph.provenance import SourceText, attach_quotes, match_sources, verify_locators
from ldnkg.graph.reason import infer
from ldnkg.graph.validate import validate
from ldnkg.ontology import ONTOLOGY_DIR
out = {"imports": time.perf_counter() - w0}
root = ONTOLOGY_DIR if sys.argv[1] == "-" else Path(sys.argv[1])
texts = [SourceText.read(p) for p in sys.argv[2:]]

def timed(name, step):
    w, c = time.perf_counter(), time.process_time()
    result = step()
    out[name], out[name + "_cpu"] = time.perf_counter() - w, time.process_time() - c
    return result

ds = timed("load", lambda: load(root))
paired = match_sources(ds, texts) if texts else {}
timed("shacl", lambda: validate(ds, root=root))
if texts:
    verify_locators(ds, paired)
    attach_quotes(ds, paired)
timed("reason", lambda: infer(ds))
lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()}" for g in DATASET_GRAPHS for s, p, o in ds.graph(g))
out["sha256"] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
out["quads"] = len(lines)
print(json.dumps(out))
"""


def _shim(tree: Path, into: Path) -> Path:
    """A folder that makes ``import ldnkg`` find ``tree`` (the package-dir mapping of pyproject.toml)."""
    pkg = into / "ldnkg"
    pkg.mkdir(parents=True)
    for item in (tree / "ldnkg").iterdir():
        (pkg / item.name).symlink_to(item)
    for sub in ("graph", "export", "ontology"):
        (pkg / sub).symlink_to(tree / sub)
    return into


def _folders(copies: int, scratch: Path, before: Path) -> dict[str, str]:
    """The ontology folder of each side for ``copies`` (``-``: the packaged one)."""
    if copies == 1:
        return {"before": "-", "after": "-"}
    sys.path.insert(0, str(REPO / "benchmarks"))
    from scale_bench import generate

    after = scratch / f"after-{copies}"
    generate(after, copies)
    other = scratch / f"before-{copies}"
    other.mkdir()
    (other / "knowledge").symlink_to(after / "knowledge")
    for name in ("schema.ttl", "shapes.ttl", "queries"):
        src = before / "ontology" / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, other / name)
    return {"before": str(other), "after": str(after)}


def _run(env_path: str | None, root: str) -> dict:
    env = dict(os.environ)
    if env_path:
        env["PYTHONPATH"] = env_path
    else:
        env.pop("PYTHONPATH", None)
    extra = [str(SEED)] if root == "-" and SEED.is_file() else []
    done = subprocess.run([sys.executable, "-c", CHILD, root, *extra], env=env, capture_output=True, text=True,
                          cwd=tempfile.gettempdir())
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    result = json.loads(done.stdout)
    result["loadavg"] = float(Path("/proc/loadavg").read_text().split()[0])
    return result


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD", help="the commit to compare with (default HEAD)")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prepare-bench-") as tmp:
        scratch = Path(tmp)
        before = extract(args.before, scratch / "before-tree")
        shim = str(_shim(before, scratch / "shim"))
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", args.before],
                             capture_output=True, text=True, check=True).stdout.strip()
        print(f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, Linux {platform.release()}; "
              f"before = {rev}, after = the working tree; runs interleaved, median (min–max) of {args.runs}.\n")
        for copies in args.copies:
            roots = _folders(copies, scratch, before)
            results: dict[str, list[dict]] = {"before": [], "after": []}
            for _ in range(args.runs):
                results["before"].append(_run(shim, roots["before"]))
                results["after"].append(_run(None, roots["after"]))
            same = {r["sha256"] for side in results.values() for r in side}
            loads = [r["loadavg"] for side in results.values() for r in side]
            print(f"**{copies}×** ({results['after'][0]['quads']:,} quads after inference; the same dataset "
                  f"before and after: {'yes' if len(same) == 1 else 'NO'}; "
                  f"load average {min(loads):.1f}–{max(loads):.1f})\n")
            print("| step | before, wall s | after, wall s | before, CPU s | after, CPU s |")
            print("|---|---|---|---|---|")
            for step in (*STEPS, "total"):
                row = []
                for suffix in ("", "_cpu"):
                    for side in ("before", "after"):
                        values = [sum(r[s + suffix] for s in STEPS) if step == "total" else r[step + suffix]
                                  for r in results[side]]
                        row.append(_cell(values))
                print(f"| {step} | {row[0]} | {row[1]} | {row[2]} | {row[3]} |")
            imports = [[r["imports"] for r in results[side]] for side in ("before", "after")]
            print(f"| imports (wall) | {_cell(imports[0])} | {_cell(imports[1])} | | |\n")


if __name__ == "__main__":
    main()
