"""Time to the first SPARQL answer and file size of the explorer, with and without the console.

Pages: the article's graph (``ldnkg.load()`` plus inference, as ``ldnkg build`` writes it) and
generated graphs of about 10k and 50k triples (Barabási–Albert entity graphs from
``explorer_bench.generated``; per node a type and a label, per edge its triple). Each page is
opened from disk in headless Debian Chromium (fresh profile, every non-``file:``/``data:``/``blob:``
request aborted). Measured from navigation start: first vis ``afterDrawing`` (drawn), the
console's engine ready (wasm compiled, worker started, N-Quads loaded) and the first answer of
``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` asked as soon as the page has loaded; then the
same two-hop query warm. Median of ``--runs`` fresh contexts.

Run: ``.venv/bin/python benchmarks/explorer_sparql_bench.py [--runs 5]`` and paste the table
into benchmarks/explorer.md.
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

from ldnkg.export.explorer import explorer_html, graph_html
from ldnkg.export.explorer_sparql import SparqlConsole, queries_payload
from ldnkg.export.wasm import oxigraph_bundle

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
    from ldnkg.graph.reason import infer

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


def measure(browser, path: Path, *, console: bool) -> dict[str, float]:
    context, page = offline_page(browser)
    try:
        page.goto(path.as_uri(), timeout=300_000)
        page.wait_for_function("window.__firstDraw !== undefined", timeout=300_000, polling=50)
        result = {"drawn": page.evaluate("window.__firstDraw") / 1000}
        if console:
            first = page.evaluate("""(q) => ldnkg.sparql.runText(q).then(r => {
                if (!r.ok) { throw new Error(r.error); }
                return [performance.now(), ldnkg.sparql.engine.loadMs]; })""", FIRST)
            result["answer"] = first[0] / 1000
            result["load"] = first[1] / 1000
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
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, triples, with_c, without in pages(Path(tmp), options.sizes):
            runs_c = [measure(browser, with_c, console=True) for _ in range(options.runs)]
            runs_p = [measure(browser, without, console=False) for _ in range(options.runs)]

            def med(runs: list[dict[str, float]], key: str) -> float:
                return statistics.median(r[key] for r in runs)

            rows.append((name, triples, with_c.stat().st_size, without.stat().st_size,
                         med(runs_c, "drawn"), med(runs_p, "drawn"), med(runs_c, "load"),
                         med(runs_c, "answer"), med(runs_c, "cold"), med(runs_c, "warm")))
            print(f"done {name}", flush=True)
        browser.close()
    print(f"\nMachine: {machine()}\nRun: {time.strftime('%Y-%m-%d')}, median of {options.runs}\n")
    print("| graph | triples | file: with console | file: without | drawn: with | drawn: without "
          "| engine: load N-Quads | first answer (from start) | two-hop query cold / warm |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, sc, sp, dc, dp, load, ans, cold, warm in rows:
        print(f"| {name} | {n:,} | {sc / 1e6:.2f} MB | {sp / 1e6:.2f} MB | {dc:.2f} s | {dp:.2f} s "
              f"| {load * 1000:.0f} ms | {ans:.2f} s | {cold * 1000:.0f} / {warm * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
