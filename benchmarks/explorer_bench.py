"""Time until the explorer is drawn and interactive in headless Chromium: ours vs PyVis defaults.

Generated Barabási–Albert graphs (2 edges per new node, fixed seed) of 1k, 5k and 20k nodes are
written twice: by :func:`ldnkg.export.explorer.graph_html` (positions precomputed, physics off,
straight edges) and by PyVis 0.3.2 with its defaults (physics on, dynamic curved edges,
1000 stabilisation iterations; ``cdn_resources="in_line"`` and the Bootstrap tags removed so
both pages run offline). Each page is opened from disk in Debian's Chromium (headless, fresh
profile, network requests aborted); the time is from navigation start to the first
``afterDrawing`` event of the vis Network. PyVis defaults are capped at ``--cap`` seconds.

For our page the time runs until its own scripts have run too (``ldnkg.ready``: on a big graph
vis draws before the rest of the page is parsed). ``--before REV`` also times our page as the
``export`` package of git revision REV wrote it, interleaved in the same browser.

Run: ``.venv/bin/python benchmarks/explorer_bench.py [--sizes 1000 5000 20000] [--cap 120] [--runs 3]
[--before REV]`` and paste the printed table into benchmarks/explorer.md.
``--write article DIR…`` times writing ``explorer.html`` instead (as the build does, after the
dataset is prepared; one fresh process per write; DIR from ``scale_bench.py --keep``).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from revision import CHILD_PRELUDE, extract

from ldnkg.export.explorer import ASSERTERS, CATEGORIES, graph_html, strip_bootstrap

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
HOOK = """(() => { let v; Object.defineProperty(window, 'network', { configurable: true,
  get() { return v; },
  set(x) { v = x; if (x && x.once && !window.__hooked) { window.__hooked = true;
    x.once('afterDrawing', () => { window.__firstDraw = performance.now(); }); } } }); })();"""


def generated(n: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """A BA graph dressed as an entity graph (kinds, one claim per edge)."""
    kinds = [k for *_, ks in CATEGORIES.values() for k in ks]
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"n{i}", label=f"entity {i}", kind=kinds[i % len(kinds)], synonyms=[])
    for j, (u, v) in enumerate(sorted(base.edges())):
        claim = {"claim": f"c{j}", "subject": f"n{u}", "object": f"n{v}",
                 "predicate_label": "relates to", "evidence_label": "author statement",
                 "asserter": ASSERTERS[j % len(ASSERTERS)][0], "certainty": "reported",
                 "certainty_rank": 2, "section": "S", "paragraph": 1}
        g.add_edge(f"n{u}", f"n{v}", key="relatesTo", predicate="x#relatesTo",
                   predicate_label="relates to", negated=False, claims=[claim])
    return g


def pyvis_defaults(g: nx.MultiDiGraph) -> str:
    """PyVis 0.3.2 with default options, filled directly (add_edge is quadratic)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.nodes = [{"id": n, "label": d["label"], "shape": "dot", "size": 10}
                 for n, d in g.nodes(data=True)]
    net.edges = [{"from": u, "to": v, "arrows": "to"} for u, v in g.edges()]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    return strip_bootstrap(net.generate_html())


def offline_page(browser):
    """A fresh context and page with the draw-timing hook and every non-file request aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.add_init_script(HOOK)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("file:", "data:", "blob:")) else r.abort())
    return context, page


def time_in_browser(browser, path: Path, cap_s: float, *, ours: bool = False) -> float | None:
    """Seconds to the first afterDrawing (for our page: and until its scripts have run and it
    says it is ready, ``ldnkg.ready``), or None when over ``cap_s``."""
    context, page = offline_page(browser)
    try:
        started = time.perf_counter()
        try:
            page.goto(path.as_uri(), timeout=cap_s * 1000)
            left = max(cap_s - (time.perf_counter() - started), 0.1)
            page.wait_for_function("window.__firstDraw !== undefined" + (
                " && window.ldnkg !== undefined && window.ldnkg.ready === true" if ours else ""),
                timeout=left * 1000, polling=100)
        except Exception:  # playwright TimeoutError
            return None
        return page.evaluate("Math.max(window.__firstDraw, window.ldnkg ? window.ldnkg.readyAt : 0)") / 1000
    finally:
        context.close()


_BEFORE = CHILD_PRELUDE + """
from pathlib import Path
use_export_package(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from explorer_bench import generated
from ldnkg.export.explorer import graph_html
for n in sys.argv[4:]:
    Path(sys.argv[3], f"before-{n}.html").write_text(graph_html(generated(int(n))), encoding="utf-8")
"""


def pages_before(rev: str, tmp: Path, sizes: list[int]) -> dict[int, Path]:
    """Our pages of ``sizes`` nodes as the ``export`` package of git revision ``rev`` wrote them."""
    folder = extract(rev, tmp / "before-code", "export")
    subprocess.run([sys.executable, "-c", _BEFORE, str(folder / "export"), str(Path(__file__).parent), str(tmp),
                    *map(str, sizes)], check=True)
    return {n: tmp / f"before-{n}.html" for n in sizes}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    cores = len([line for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("processor")])
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, {mem} GiB RAM, {platform.system()} {platform.release()}; {version}"


_WRITE = CHILD_PRELUDE + """
import json, time
from pathlib import Path
if sys.argv[1]:  # the export package of an earlier revision
    use_export_package(sys.argv[1])
from ldnkg.build import prepare
from ldnkg.export.explorer import write_explorer
from ldnkg.graph import project
root, source, out = sys.argv[2], sys.argv[3], Path(sys.argv[4])
ds = prepare(**({"root": Path(root)} if root else {}), sources=[source] if source else [])[0]
with project.computed_once(ds):  # as in the build: the writers before it projected the dataset
    project.to_networkx(ds), project.claim_records(ds)
    wall, cpu = time.perf_counter(), time.process_time()
    write_explorer(ds, out)
    print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def time_writing(folders: list[str], before: str | None, runs: int) -> None:
    """Seconds to write explorer.html, as the build does (after the dataset is prepared and
    projected), now and at ``before``, alternating, one fresh process per write."""
    import json

    root = Path(__file__).resolve().parents[1]
    seed = root.parent / "shared" / "seed" / "three-roles-of-ldn.txt"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        code = {"now": ""}
        if before:
            code[before] = str(extract(before, Path(tmp) / "before-code", "export") / "export")
        for name in folders:
            onto, source = ("", str(seed) if seed.is_file() else "") if name == "article" else (name, "")
            times: dict[str, list[tuple[float, float]]] = {v: [] for v in code}
            pages = {}
            for _ in range(runs):
                for version, package in code.items():
                    out = Path(tmp) / f"{version}.html"
                    done = subprocess.run([sys.executable, "-c", _WRITE, package, onto, source, str(out)],
                                          capture_output=True, text=True, check=True)
                    times[version].append(tuple(json.loads(done.stdout.strip().splitlines()[-1])))
                    pages[version] = out.stat().st_size
            load = Path("/proc/loadavg").read_text().split()[0]
            for version in code:
                rows.append((name, version, statistics.median(t[0] for t in times[version]),
                             statistics.median(t[1] for t in times[version]), pages[version], load))
            print(f"done {name}", flush=True)
    print(f"\nMachine: {machine()}\nRun: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, median of {runs}\n")
    print("| ontology | code | write explorer.html: wall | CPU | file | load average |")
    print("|---|---|---:|---:|---:|---:|")
    for name, version, wall, cpu, size, load in rows:
        print(f"| {Path(name).name or name} | {version} | {wall:.2f} s | {cpu:.2f} s | {size / 1e6:.2f} MB | {load} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds for PyVis defaults")
    parser.add_argument("--runs", type=int, default=1, help="runs of our page (median)")
    parser.add_argument("--before", metavar="REV", help="also time our page as git revision REV wrote it")
    parser.add_argument("--write", nargs="+", metavar="ONTOLOGY",
                        help="time writing explorer.html instead: 'article' or ontology folders "
                             "(benchmarks/scale_bench.py --keep)")
    options = parser.parse_args()
    if options.write:
        time_writing(options.write, options.before, options.runs)
        return
    from playwright.sync_api import sync_playwright

    rows = []
    loads = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        before = pages_before(options.before, Path(tmp), options.sizes) if options.before else {}
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in options.sizes:
            g = generated(n)
            t0 = time.perf_counter()
            ours = graph_html(g)
            py_ours = time.perf_counter() - t0
            ours_path = Path(tmp) / f"ours-{n}.html"
            ours_path.write_text(ours, encoding="utf-8")
            t0 = time.perf_counter()
            theirs = pyvis_defaults(g)
            py_theirs = time.perf_counter() - t0
            theirs_path = Path(tmp) / f"pyvis-{n}.html"
            theirs_path.write_text(theirs, encoding="utf-8")
            mine, old = [], []
            for _ in range(options.runs):  # interleaved with the earlier page, if any
                mine.append(time_in_browser(browser, ours_path, 120, ours=True))
                if n in before:
                    old.append(time_in_browser(browser, before[n], 120, ours=True))
            ours_s = statistics.median(t for t in mine if t is not None) if any(mine) else None
            old_s = statistics.median(t for t in old if t is not None) if any(old) else None
            theirs_s = time_in_browser(browser, theirs_path, options.cap)
            loads.append(Path("/proc/loadavg").read_text().split()[0])
            rows.append((n, g.number_of_edges(), ours_s, old_s, theirs_s, py_ours, py_theirs,
                         ours_path.stat().st_size, theirs_path.stat().st_size))
            print(f"done {n}: ours {ours_s}, before {old_s}, pyvis {theirs_s}", flush=True)
        browser.close()

    def fmt(s: float | None, cap: float = options.cap) -> str:
        return f"> {cap:.0f} s" if s is None else f"{s:.2f} s"

    print(f"\nMachine: {machine()}\nRun: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; our page median of "
          f"{options.runs}; load average after each size: {', '.join(loads)}\n")
    before_col = f" ours before ({options.before}) |" if options.before else ""
    print(f"| nodes | edges | ours: drawn & interactive |{before_col} PyVis defaults | ratio | ours: Python "
          "(layout + HTML) | PyVis: Python | ours: file | PyVis: file |")
    print("|---:|---:|---:|" + ("---:|" if options.before else "") + "---:|---:|---:|---:|---:|---:|")
    for n, m, a, old_s, b, pa, pb, sa, sb in rows:
        ratio = f"{b / a:.0f}×" if a and b else (f"> {options.cap / a:.0f}×" if a else "—")
        old_cell = f" {fmt(old_s, 120)} |" if options.before else ""
        print(f"| {n:,} | {m:,} | {fmt(a, 120)} |{old_cell} {fmt(b)} | {ratio} | {pa:.1f} s | {pb:.1f} s | "
              f"{sa / 1e6:.2f} MB | {sb / 1e6:.2f} MB |")


if __name__ == "__main__":
    main()
