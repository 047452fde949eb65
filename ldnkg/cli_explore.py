"""``ldnkg explore``: write (and open) the offline single-file explorer."""

from __future__ import annotations

import warnings
import webbrowser
from pathlib import Path

import click

from ldnkg.cli_common import ontology_option, reports_errors, source_option

__all__ = ["explore"]


@click.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("explorer.html"), show_default=True, help="The HTML file to write.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@click.option("--focus", help="Only the neighbourhood of this entity (IRI, ldn:Name or label).")
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="Hops around --focus (default 2).")
@click.option("--query", "query", help="Show only what a SPARQL query names (name, .rq or text).")
@click.option("--no-sparql", "no_sparql", is_flag=True,
              help="Leave out the in-page SPARQL console (the smallest file).")
@source_option
@ontology_option
@reports_errors
def explore(out: Path, open_page: bool, focus: str | None, depth: int | None, query: str | None,
            no_sparql: bool, sources: tuple[Path, ...], root: Path | None) -> None:
    """Write the offline, single-file visual explorer to OUT.

    Works from disk without a network. With --source the claims show verbatim quotes. The page
    carries a SPARQL console (Oxigraph's WebAssembly build, fetched once with npm and cached);
    without npm it is written without the console, and says so.
    """
    from ldnkg.build import prepare
    from ldnkg.errors import LdnkgError
    from ldnkg.export.explorer import iris_named_by_query, write_explorer
    from ldnkg.ontology import ONTOLOGY_DIR

    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus")
    ds, *_ = prepare(root=root or ONTOLOGY_DIR, sources=sources)
    subgraph = None
    if query is not None:
        subgraph = iris_named_by_query(ds, query)
        if not subgraph:
            raise LdnkgError(f"the query {query!r} returned no IRIs to show")
    from ldnkg.export.explorer import SparqlConsoleNotice

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SparqlConsoleNotice)
        write_explorer(ds, out, focus=focus, depth=depth, subgraph_iris=subgraph,
                       sparql=not no_sparql)
    for notice in caught:
        if issubclass(notice.category, SparqlConsoleNotice):
            click.echo(f"notice: {notice.message}", err=True)
        else:
            warnings.warn_explicit(notice.message, notice.category, notice.filename, notice.lineno)
    click.echo(f"wrote {out}")
    if open_page:
        webbrowser.open(out.resolve().as_uri())
