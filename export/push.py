"""``ldnkg push``: upload the graph to a SPARQL server with the Graph Store HTTP Protocol.

The union of the dataset's graphs (schema, knowledge, inferred — what the embedded engine queries
as its default graph) goes into ONE named graph on the server: the first chunk with ``PUT``
(which replaces whatever the graph held, so pushing twice is safe), the rest with ``POST``, each
chunk at most ``chunk_size`` N-Triples lines. Afterwards the server is asked, through its SPARQL
endpoint, how many triples the graph holds; a different count is an error.

Tested against Virtuoso 7 (``/sparql-graph-crud-auth`` with digest authentication).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import Dataset, Graph

from ldnkg.errors import LdnkgError

__all__ = ["count_triples", "ntriples_lines", "push"]


def ntriples_lines(data: Dataset | Graph | ox.Store) -> list[str]:
    """The distinct triples of ``data`` (all graphs merged) as sorted N-Triples lines.

    >>> import ldnkg
    >>> lines = ntriples_lines(ldnkg.load())
    >>> lines == sorted(set(lines)) and all(line.endswith(" .") for line in lines)
    True
    """
    if isinstance(data, ox.Store):
        lines = {str(ox.Triple(q.subject, q.predicate, q.object)) + " ." for q in data}
    else:
        from ldnkg.graph.sparql import to_store

        return ntriples_lines(to_store(data))
    return sorted(lines)


def _chunks(lines: list[str], size: int) -> Iterator[str]:
    for i in range(0, len(lines), size):
        yield "\n".join(lines[i:i + size]) + "\n"


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    handlers: list[Any] = []
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(manager),
                     urllib.request.HTTPBasicAuthHandler(manager)]
    # never follow a proxy from the environment to a loopback server
    handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _send(opener: urllib.request.OpenerDirector, method: str, url: str, body: bytes,
          timeout: float) -> None:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", errors="replace").strip().splitlines()
        raise LdnkgError(f"{method} {url} failed: HTTP {err.code} {err.reason}"
                         f"{': ' + detail[0][:200] if detail else ''}") from None
    except (urllib.error.URLError, OSError) as err:
        raise LdnkgError(f"{method} {url} failed: {getattr(err, 'reason', err)}") from None


def count_triples(query_endpoint: str, graph: str, *, timeout: float = 60.0) -> int:
    """How many triples the server's named graph ``graph`` holds (via its SPARQL endpoint)."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    url = f"{query_endpoint}?{urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with _opener(url, None, None).open(request, timeout=timeout) as response:
            doc = json.load(response)
        return int(doc["results"]["bindings"][0]["n"]["value"])
    except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError) as err:
        raise LdnkgError(f"cannot count the triples of <{graph}> at {query_endpoint}: {err}"
                         ) from None


def default_query_endpoint(endpoint: str) -> str:
    """The SPARQL endpoint next to a Graph Store endpoint (same host, path ``/sparql``).

    >>> default_query_endpoint("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    """
    parts = urlsplit(endpoint)
    return urlunsplit((parts.scheme, parts.netloc, "/sparql", "", ""))


def push(data: Dataset | Graph | ox.Store, *, endpoint: str, graph: str,
         user: str | None = None, password: str | None = None,
         query_endpoint: str | None = None, chunk_size: int = 50_000,
         timeout: float = 120.0) -> int:
    """Replace the named graph ``graph`` at a Graph Store endpoint with ``data``; verify.

    Parameters
    ----------
    data : Dataset, Graph or pyoxigraph.Store
        What to upload (all graphs merged into one).
    endpoint : str, keyword-only
        The Graph Store HTTP Protocol URL (``?graph=`` is appended).
    graph : str, keyword-only
        The IRI of the target named graph.
    user, password : str, keyword-only
        Credentials (HTTP digest or basic).
    query_endpoint : str, keyword-only
        SPARQL endpoint for the count check (default: ``/sparql`` on the same host).
    chunk_size : int, keyword-only
        N-Triples lines per request.

    Returns
    -------
    int
        The number of triples pushed (and counted on the server).

    Raises
    ------
    LdnkgError
        On an HTTP or network error, or when the server's count differs.

    Examples
    --------
    >>> push(Graph(), endpoint="http://127.0.0.1:9/gsp", graph="urn:x:g")
    Traceback (most recent call last):
    ...
    ldnkg.errors.LdnkgError: nothing to push: the graph is empty
    """
    lines = ntriples_lines(data)
    if not lines:
        raise LdnkgError("nothing to push: the graph is empty")
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'graph': graph})}"
    opener = _opener(url, user, password)
    for i, chunk in enumerate(_chunks(lines, chunk_size)):
        _send(opener, "PUT" if i == 0 else "POST", url, chunk.encode("utf-8"), timeout)
    counted = count_triples(query_endpoint or default_query_endpoint(endpoint), graph,
                            timeout=timeout)
    if counted != len(lines):
        raise LdnkgError(f"pushed {len(lines)} triples to <{graph}> but the server counts "
                         f"{counted}")
    return len(lines)
