"""``ldnkg query``, ``ldnkg serve`` and ``ldnkg push``: SPARQL from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from ldnkg.cli_common import ontology_option, reports_errors
from ldnkg.errors import LdnkgError

__all__ = ["push", "query", "serve"]

data_option = click.option(
    "--data", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
    help="Query this RDF file (e.g. build/ldn.nq) instead of loading the ontology folder.",
)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise LdnkgError(f"--param wants key=value, not {pair!r}")
        out[key.strip()] = value.strip()
    return out


def _dataset(data: Path | None, root: Path | None, engine: str):
    from ldnkg.graph.sparql import load_store

    if data is not None:
        store = load_store(data)
        return store
    from ldnkg.graph.load import load
    from ldnkg.ontology import ONTOLOGY_DIR

    return load(root or ONTOLOGY_DIR)


@click.command()
@click.argument("spec", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value (an IRI, ldn:Name, a bare entity name, a number). Repeatable.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"]),
              help="table for people; csv/tsv/json/xml are SPARQL 1.1 result formats; "
                   "ttl/nt/jsonld for CONSTRUCT and DESCRIBE.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True, help="The SPARQL engine.")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Fail if the result has more rows than this.")
@data_option
@ontology_option
@reports_errors
def query(spec: str | None, params: tuple[str, ...], fmt: str, engine: str, list_only: bool,
          limit: int | None, data: Path | None, root: Path | None) -> None:
    """Run SPEC: a named query, a FILE.rq or SPARQL text ("SELECT …").

    The project's prefixes (ldn:, ldno:, rdfs: …) need no declaration. The default graph is the
    union of the named graphs (schema, knowledge, inferred).
    """
    from ldnkg.graph.sparql import named_queries, run

    if list_only:
        queries = named_queries(root)
        width = max(len(q.name) for q in queries)
        for q in queries:
            click.echo(f"{q.name.ljust(width)}  {q.description}")
        return
    if not spec:
        raise LdnkgError("give a query: a name (see --list), a FILE.rq or SPARQL text")
    result = run(_dataset(data, root, engine), spec, engine=engine, params=_params(params),
                 limit=limit, root=root)
    click.echo(result.serialize(fmt), nl=False)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind (loopback only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is cancelled.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Largest result (rows or triples) the endpoint returns.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes.")
@click.option("--explorer", "explorer_file", default=None,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Serve this explorer.html at /explorer (default: build/explorer.html, or "
                   "generated).")
@data_option
@ontology_option
@reports_errors
def serve(host: str, port: int, timeout: float, max_rows: int, workers: int,
          explorer_file: Path | None, data: Path | None, root: Path | None) -> None:
    """A read-only SPARQL 1.1 Protocol endpoint at /sparql, a query page at /, the explorer."""
    from ldnkg.export.server import serve as run_server

    run_server(host=host, port=port, data=data, root=root, timeout=timeout, max_rows=max_rows,
               workers=workers, explorer_file=explorer_file,
               announce=lambda m: click.echo(m, err=True))


@click.command()
@click.option("--endpoint", required=True,
              help="Graph Store HTTP Protocol URL (Virtuoso: http://HOST:8890/sparql-graph-crud-auth).")
@click.option("--graph", "graph_iri", required=True, help="IRI of the named graph to (re)place.")
@click.option("--user", default=None, help="User name (HTTP digest or basic authentication).")
@click.option("--password", default=None, envvar="LDNKG_PUSH_PASSWORD",
              help="Password (or env LDNKG_PUSH_PASSWORD).")
@click.option("--query-endpoint", default=None,
              help="SPARQL endpoint used to verify the count (default: ENDPOINT's /sparql).")
@click.option("--chunk", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per POST.")
@data_option
@ontology_option
@reports_errors
def push(endpoint: str, graph_iri: str, user: str | None, password: str | None,
         query_endpoint: str | None, chunk: int, data: Path | None, root: Path | None) -> None:
    """Upload the graph to a SPARQL server in N-Triples chunks, then verify the triple count."""
    from ldnkg.export.push import push as run_push

    source = _dataset(data, root, "oxigraph")
    n = run_push(source, endpoint=endpoint, graph=graph_iri, user=user, password=password,
                 query_endpoint=query_endpoint, chunk_size=chunk)
    click.echo(f"pushed {n} triples to <{graph_iri}> at {endpoint}; count verified")
