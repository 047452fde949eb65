"""Time to the first SPARQL answer and file size of the explorer, with and without the console.

Pages: the article's graph (``ldnkg.load()`` plus inference, as ``ldnkg build`` writes it) and
generated graphs of about 10k and 50k triples (Barabási–Albert entity graphs from
``explorer_bench.generated``; per node a type and a label, per edge its triple). Each page is
opened from disk in headless Debian Chromium (fresh profile, every non-``file:``/``data:``/``blob:``
request aborted). Measured from navigation start: first vis ``afterDrawing`` (drawn), the
console's engine ready (wasm compiled, worker started, N-Quads loaded) and the **first result
rows on screen**: ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` typed into the console and run
as soon as the console's script has run (what a user could do first; since 2026-12-02 07:30 UTC
without waiting for the page's load event, which came just after the console's script while that
script was the page's last), until its row is in the results table and the next frame has been
drawn; then a two-hop query cold and warm.
Median of ``--runs`` fresh contexts.

``--before REV`` writes the same pages a second time with the ``export`` package (code and
templates) of git revision REV and measures both, interleaved, in the same browser.

Run: ``.venv/bin/python benchmarks/explorer_sparql_bench.py [--runs 5] [--before REV]`` and paste
the table into benchmarks/console.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from explorer_bench import ARGS, CHROMIUM, generated, machine, offline_page
from revision import CHILD_PRELUDE, extract

FIRST = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TWO_HOP = "SELECT ?a ?c WHERE { ?a ?p ?b . ?b ?q ?c . FILTER(isIRI(?c)) } LIMIT 1000"


def generated_nquads(n: int) -> tuple[object, str]:
    """The generated entity graph of ``n`` nodes and its triples as N-Quads."""
    g = generated(n)
    lines = []
    for node, data in sorted(g.nodes(data=True)):
        s = f"<https://example.org/{node}>"
        lines.append(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                     f"<https://w3id.org/ldnkg/ontology#{data['kind']}> .")
        lines.append(f"{s} <http://www.w3.org/2000/01/rdf-schema#label> \"{data['label']}\" .")
    for u, v in sorted((u, v) for u, v in g.edges()):
        lines.append(f"<https://example.org/{u}> <https://w3id.org/ldnkg/ontology#relatesTo> "
                     f"<https://example.org/{v}> .")
    return g, "\n".join(lines) + "\n"


def pages(tmp: Path, sizes: list[int]) -> list[tuple[str, int, Path, Path]]:
    """(name, triples, page with console, page without) for the article and generated graphs."""
    import ldnkg
    from ldnkg.export.explorer import explorer_html, graph_html
    from ldnkg.export.explorer_sparql import SparqlConsole, queries_payload
    from ldnkg.export.wasm import oxigraph_bundle
    from ldnkg.graph.reason import infer

    tmp.mkdir(parents=True, exist_ok=True)
    out = []
    ds = ldnkg.load()
    infer(ds)
    with_c, without = tmp / "article.html", tmp / "article-plain.html"
    with_c.write_text(explorer_html(ds), encoding="utf-8")
    without.write_text(explorer_html(ds, sparql=False), encoding="utf-8")
    out.append(("article", len(ds), with_c, without))
    bundle = oxigraph_bundle()
    for n_triples in sizes:
        g, nq = generated_nquads(max(n_triples // 4, 10))
        console = SparqlConsole(nq, queries_payload(), bundle)
        with_c, without = tmp / f"gen-{n_triples}.html", tmp / f"gen-{n_triples}-plain.html"
        with_c.write_text(graph_html(g, console=console), encoding="utf-8")
        without.write_text(graph_html(g), encoding="utf-8")
        out.append((f"generated {n_triples // 1000}k", nq.count("\n"), with_c, without))
    return out


_BEFORE = CHILD_PRELUDE + """
import json
from pathlib import Path
use_export_package(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from explorer_sparql_bench import pages
print(json.dumps([[n, t, str(a), str(b)] for n, t, a, b in pages(Path(sys.argv[3]), json.loads(sys.argv[4]))]))
"""


def pages_before(rev: str, tmp: Path, sizes: list[int]) -> list[tuple[str, int, Path, Path]]:
    """The same pages written by the ``export`` package of git revision ``rev``."""
    import json
    import subprocess

    folder = extract(rev, tmp / "before-code", "export")
    done = subprocess.run([sys.executable, "-c", _BEFORE, str(folder / "export"), str(Path(__file__).parent),
                           str(tmp / "before"), json.dumps(sizes)], capture_output=True, text=True, check=True)
    return [(n, t, Path(a), Path(b)) for n, t, a, b in json.loads(done.stdout.strip().splitlines()[-1])]


def measure(browser, path: Path, *, console: bool) -> dict[str, float]:
    context, page = offline_page(browser)
    try:
        # not until the load event: a user can type into the console as soon as it is on the page
        page.goto(path.as_uri(), timeout=300_000, wait_until="commit")
        result: dict[str, float] = {}
        if console:
            # as soon as the console can take a query: type it, run it, wait for its row on screen
            page.wait_for_function("window.ldnkg !== undefined && window.ldnkg.sparql !== undefined",
                                   timeout=300_000, polling=20)
            first = page.evaluate("""(q) => {
                document.getElementById('ldnkg-q-text').value = q;
                return ldnkg.sparql.runForm().then(r => new Promise(done => requestAnimationFrame(() => {
                    if (!r.ok) { throw new Error(r.error); }
                    done([performance.now(), ldnkg.sparql.engine.loadMs,
                          document.querySelectorAll('#ldnkg-q-results tbody tr').length]);
                }))); }""", FIRST)
            if first[2] != 1:
                raise RuntimeError(f"{path.name}: the count query showed {first[2]} rows")
            result["answer"] = first[0] / 1000
            result["load"] = first[1] / 1000
        page.wait_for_function("window.__firstDraw !== undefined", timeout=300_000, polling=50)
        result["drawn"] = page.evaluate("window.__firstDraw") / 1000
        if console:
            cold = page.evaluate("(q) => ldnkg.sparql.runText(q).then(r => r.ms)", TWO_HOP)
            warm = page.evaluate("(q) => ldnkg.sparql.runText(q).then(r => r.ms)", TWO_HOP)
            result["cold"], result["warm"] = cold / 1000, warm / 1000
        return result
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", metavar="REV", help="also measure the pages of this git revision")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows = []
    loads = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        after = pages(Path(tmp) / "after", options.sizes)
        before = pages_before(options.before, Path(tmp), options.sizes) if options.before else [None] * len(after)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for mine, old in zip(after, before, strict=True):
            name, triples, with_c, without = mine
            versions = [("after", with_c, without)] + ([("before", old[2], old[3])] if old else [])
            runs: dict[str, tuple[list[dict[str, float]], list[dict[str, float]]]] = {
                v: ([], []) for v, _, _ in versions}
            for _ in range(options.runs):  # interleaved: the machine's load hits both alike
                for version, page_c, page_p in versions:
                    runs[version][0].append(measure(browser, page_c, console=True))
                    runs[version][1].append(measure(browser, page_p, console=False))
            loads.append(Path("/proc/loadavg").read_text().split()[0])
            for version, page_c, page_p in versions:
                runs_c, runs_p = runs[version]
                rows.append((name if version == "after" else f"{name} (before: {options.before})", triples,
                             page_c.stat().st_size, page_p.stat().st_size, med(runs_c, "drawn"),
                             med(runs_p, "drawn"), med(runs_c, "load"), med(runs_c, "answer"),
                             med(runs_c, "cold"), med(runs_c, "warm")))
            print(f"done {name}", flush=True)
        browser.close()
    print(f"\nMachine: {machine()}\nRun: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, median of "
          f"{options.runs}; load average after each graph: {', '.join(loads)}\n")
    print("| graph | triples | file: with console | file: without | drawn: with | drawn: without "
          "| engine: load N-Quads | first result rows on screen (from start) | two-hop query cold / warm |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, sc, sp, dc, dp, load, ans, cold, warm in rows:
        print(f"| {name} | {n:,} | {sc / 1e6:.2f} MB | {sp / 1e6:.2f} MB | {dc:.2f} s | {dp:.2f} s "
              f"| {load * 1000:.0f} ms | {ans:.2f} s | {cold * 1000:.0f} / {warm * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
