"""``ldnkg explain`` and ``ldnkg report``: the analysis on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ldnkg.cli_common import ontology_option, reports_errors, root_dir, source_option

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["explain", "report"]


def _dataset(root: Path | None, sources: tuple[Path, ...]) -> Dataset:
    if sources:
        from ldnkg.build import prepare

        return prepare(root=root_dir(root), sources=sources)[0]
    from ldnkg.graph.load import load

    return load(root_dir(root))


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--cutoff", type=click.IntRange(1, 10), default=6, show_default=True,
              help="Longest chain, in links.")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Show at most this many chains (strongest first).")
@source_option
@ontology_option
@reports_errors
def explain(a: str, b: str, cutoff: int, limit: int | None, sources: tuple[Path, ...],
            root: Path | None) -> None:
    """Print every mechanism chain from A to B with the evidence for each link.

    A and B are labels, synonyms, IRIs or ldn:CURIEs (fuzzy matched), e.g.
    `ldnkg explain LDN fibromyalgia`. With --source the quotes are shown too.
    """
    from ldnkg.graph.analysis.explain import explain as run_explain
    from ldnkg.graph.analysis.explain import format_explanation
    from ldnkg.graph.project import to_networkx

    graph = to_networkx(_dataset(root, sources))
    source, target, chains = run_explain(graph, a, b, cutoff=cutoff)
    click.echo(format_explanation(graph, source, target, chains, limit=limit))


@click.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("build/report.html"), show_default=True, help="HTML file to write.")
@source_option
@ontology_option
@reports_errors
def report(out: Path, sources: tuple[Path, ...], root: Path | None) -> None:
    """Write a standalone HTML report: centrality, communities, evidence, similarity."""
    from ldnkg.export.report import write_report

    write_report(_dataset(root, sources), out)
    click.echo(f"wrote {out}")
