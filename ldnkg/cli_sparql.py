"""``ldnkg query``, ``ldnkg serve`` and ``ldnkg push``: SPARQL from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from ldnkg.cli_common import ontology_option, reports_errors
from ldnkg.errors import LdnkgError

__all__ = ["push", "query", "serve"]

data_option = click.option(
    "--data", type=click.Path(exists=True, path_type=Path), default=None,
    help="A build folder (default: $LDNKG_DATA, else build/), an ontology folder or an RDF file.",
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
    # what the build wrote (build/ by default, refused when missing or stale), see ldnkg.data
    from ldnkg.data import choose

    return choose(data, root).store()


@click.command()
@click.argument("spec", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value (an IRI, ldn:Name, a bare entity name, a number). Repeatable.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld", "nq", "trig"]),
              help="table for people; csv/tsv/json/xml are SPARQL 1.1 result formats; "
                   "ttl/nt/jsonld/nq/trig and xml (RDF/XML) for CONSTRUCT and DESCRIBE.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True, help="The SPARQL engine.")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Show at most this many rows (and say how many there were).")
@data_option
@ontology_option
@reports_errors
def query(spec: str | None, params: tuple[str, ...], fmt: str, engine: str, list_only: bool,
          limit: int | None, data: Path | None, root: Path | None) -> None:
    """Run SPEC: a named query, a FILE.rq or SPARQL text ("SELECT …").

    The project's prefixes (ldn:, ldno:, rdfs: …) need no declaration. The default graph is the
    union of the named graphs (schema, knowledge, inferred).
    """
    from ldnkg.graph.sparql import named_queries
    from ldnkg.graph.sparql_sandbox import call_isolated

    if list_only:
        queries = named_queries(root)
        width = max(len(q.name) for q in queries)
        for q in queries:
            click.echo(f"{q.name.ljust(width)}  {q.description}")
        return
    if not spec:
        raise LdnkgError("give a query: a name (see --list), a FILE.rq or SPARQL text")
    # the query runs in a child that cannot open a socket: whatever it says, it stays here
    from ldnkg.graph.analysis.resolve import resolve_params
    from ldnkg.graph.sparql import resolve_query

    store = _dataset(data, root, engine)
    # names resolve like everywhere else ("fibromyalgia", "Berkson"); unknown → error, not 0 rows
    values = resolve_params(resolve_query(spec, root=root)[1], _params(params), store)
    text, total = call_isolated(_run_and_serialize, store, spec, engine, values, limit, root, fmt)
    click.echo(text, nl=False)
    if limit is not None and total > limit:
        click.echo(f"(showing the first {limit} of {total} rows; --limit N to change)", err=True)


def _run_and_serialize(data, spec: str, engine: str, params: dict[str, str], limit: int | None,
                       root: Path | None, fmt: str) -> tuple[str, int]:
    from ldnkg.graph.sparql import run

    result = run(data, spec, engine=engine, params=params, root=root)
    total = len(result)
    if limit is not None and result.kind == "select" and total > limit:
        result.rows = result.rows[:limit]  # --limit truncates; the caller says so
    return result.serialize(fmt), total


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind (loopback only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run (or wait for a worker) before it is cancelled.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Largest result (rows or triples) the endpoint returns.")
@click.option("--max-bytes", type=click.IntRange(min=1024), default=16 * 1024 * 1024, show_default=True,
              help="Largest serialized result (or explorer page) in bytes.")
@click.option("--memory-mb", type=click.IntRange(min=256), default=1024, show_default=True,
              help="Address-space cap of each query worker (RLIMIT_AS), in MiB.")
@click.option("--workers", type=click.IntRange(min=1), default=3, show_default=True,
              help="Query worker processes; one client (IP address) may hold all but one.")
@click.option("--max-connections", type=click.IntRange(min=1), default=256, show_default=True,
              help="Open connections beyond which requests get 503.")
@click.option("--header-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a connection may take to send a request's headers (slow clients are closed).")
@click.option("--explorer", "explorer_file", default=None,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Serve this explorer.html at /explorer (default: build/explorer.html, or "
                   "generated).")
@data_option
@ontology_option
@reports_errors
def serve(host: str, port: int, timeout: float, max_rows: int, max_bytes: int, memory_mb: int,
          workers: int, max_connections: int, header_timeout: float, explorer_file: Path | None,
          data: Path | None, root: Path | None) -> None:
    """A read-only SPARQL 1.1 Protocol endpoint at /sparql, a query page at /, the explorer."""
    from ldnkg.data import choose
    from ldnkg.export.server import serve as run_server

    chosen = choose(data, root)  # the build's ldn.nq by default (ldnkg.data)
    data, root = chosen.rdf_file, (chosen.path if chosen.kind == "ontology" else None)
    run_server(host=host, port=port, data=data, root=root, timeout=timeout, max_rows=max_rows,
               workers=workers, explorer_file=explorer_file, max_bytes=max_bytes, memory_mb=memory_mb,
               max_connections=max_connections, header_timeout=header_timeout,
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
@click.option("--update-endpoint", default=None,
              help="SPARQL Update endpoint for the final MOVE (default: ENDPOINT's /sparql-auth beside "
                   "a *-auth endpoint, else /sparql).")
@click.option("--chunk", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per POST.")
@click.option("--timeout", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds the whole push may take.")
@data_option
@ontology_option
@reports_errors
def push(endpoint: str, graph_iri: str, user: str | None, password: str | None,
         query_endpoint: str | None, update_endpoint: str | None, chunk: int, timeout: float,
         data: Path | None, root: Path | None) -> None:
    """Upload the graph to a temporary graph in N-Triples chunks, MOVE it onto GRAPH, verify the count."""
    from ldnkg.export.push import check_endpoint, check_graph
    from ldnkg.export.push import push as run_push

    check_endpoint(endpoint)  # before loading anything
    check_graph(graph_iri)
    source = _dataset(data, root, "oxigraph")
    n = run_push(source, endpoint=endpoint, graph=graph_iri, user=user, password=password,
                 query_endpoint=query_endpoint, update_endpoint=update_endpoint, chunk_size=chunk,
                 timeout=timeout)
    click.echo(f"pushed {n} triples to <{graph_iri}> at {endpoint}; count verified")
