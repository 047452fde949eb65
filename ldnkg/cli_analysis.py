"""``ldnkg explain``, ``ldnkg evidence`` and ``ldnkg report``: the analysis on the command line.

They answer from what the build wrote (``build/``, ``--data DIR``; see :mod:`ldnkg.data`), so the
quotes are there when ``make run`` had the article; ``--source`` or ``--ontology`` choose otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ldnkg.cli_common import data_option, dataset_for, ontology_option, reports_errors, source_option

__all__ = ["evidence", "explain", "report"]


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--cutoff", type=click.IntRange(1, 10), default=6, show_default=True,
              help="Longest chain, in links.")
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True,
              help="Show at most this many chains (strongest first).")
@data_option
@source_option
@ontology_option
@reports_errors
def explain(a: str, b: str, cutoff: int, limit: int, data: Path | None, sources: tuple[Path, ...],
            root: Path | None) -> None:
    """How the article connects A to B: every chain of claims, by its weakest link's evidence level.

    A and B are names as you would say them — a label, synonym, surname, ldn:CURIE or IRI, in any
    case (`ldnkg explain LDN fibromyalgia`, `ldnkg explain LDN Berkson`). Between two of LDN's
    roles the role cycle comes first.
    """
    from ldnkg.graph.analysis.explain import explain as run_explain
    from ldnkg.graph.analysis.explain import format_explanation
    from ldnkg.graph.project import to_networkx

    graph = to_networkx(dataset_for(data, root, sources))
    click.echo(format_explanation(graph, run_explain(graph, a, b, cutoff=cutoff), limit=limit))


@click.command()
@click.argument("name")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "md", "json"]), default="text",
              show_default=True, help="text for the terminal, md for notes, json for programs (everything).")
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True,
              help="Items shown per part (text and md).")
@data_option
@source_option
@ontology_option
@reports_errors
def evidence(name: str, fmt: str, limit: int, data: Path | None, sources: tuple[Path, ...],
             root: Path | None) -> None:
    """What the article says about NAME and how strong the evidence is, strongest first.

    NAME is a condition, symptom, mechanism, study, person or role (`ldnkg evidence MCAS`,
    `ldnkg evidence Berkson`): LDN's roles and mechanism chains to it, each claim's evidence level,
    certainty and locator (quote when built with the text), the publications, the author's
    caveats, what is only hypothesised, the co-therapies and response rates (also those stated of a
    condition it is a kind of).
    """
    from ldnkg.graph.analysis.profile import evidence as run_evidence

    result = run_evidence(name, data=dataset_for(data, root, sources))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    elif fmt == "md":
        click.echo(result.to_markdown(limit=limit))
    else:
        click.echo(result.to_text(limit=limit))


@click.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("build/report.html"), show_default=True, help="HTML file to write.")
@source_option
@ontology_option
@reports_errors
def report(out: Path, sources: tuple[Path, ...], root: Path | None) -> None:
    """Write a standalone HTML report: centrality, communities, evidence, similarity."""
    from ldnkg.build import prepare
    from ldnkg.cli_common import root_dir
    from ldnkg.export.report import write_report
    from ldnkg.graph.load import load

    ds = prepare(root=root_dir(root), sources=sources)[0] if sources else load(root_dir(root))
    write_report(ds, out)
    click.echo(f"wrote {out}")
