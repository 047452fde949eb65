"""``ldnkg push``: upload the graph to a SPARQL server, all or nothing.

What may be read as fact goes into the named graph ``--graph`` on the server: the union of the
dataset's graphs except ``graph:observations`` and ``graph:hypotheses``, exactly the default graph
of a local query (:func:`ldnkg.graph.sparql_engines.fact_graphs`); every claim, whatever its
standing, goes with it, reified, with its evidence level and standing. The plain triples of the
author's observations and hypotheses go into two graphs of their own, ``GRAPH/observations`` and
``GRAPH/hypotheses``, so that a query over the server's default graph never reads them as facts.
Each graph is replaced in three steps:

1. upload to a fresh temporary graph (``urn:ldnkg:upload:<random>``) with the Graph Store HTTP
   Protocol — the first chunk with ``PUT``, the rest with ``POST``, each at most ``chunk_size``
   N-Triples lines — and count it through the SPARQL endpoint;
2. ``MOVE`` the temporary graph onto the target with one SPARQL 1.1 Update (atomic on the
   server: the target holds the old content or the new, never a part);
3. count the target; a different count is an error.

When a step fails the error says what the server holds: after a failed upload the target is
unchanged and the temporary graph is deleted (or, if even that fails, named so it can be
dropped). ``timeout`` bounds the whole push (a server that trickles bytes cannot hold it). Only
``http``/``https`` endpoints are accepted, the graph must be an absolute IRI, and no IRI is
pasted into a query as text: the counts name their graph with ``default-graph-uri`` and the
``MOVE`` is written from validated IRIs.

Tested against Virtuoso 7 (``/sparql-graph-crud-auth`` for the upload, ``/sparql-auth`` for the
update, digest authentication).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import Dataset, Graph

from ldnkg.errors import LdnkgError

__all__ = ["count_triples", "default_query_endpoint", "default_update_endpoint", "ntriples_lines", "push"]


def ntriples_lines(data: Dataset | Graph | ox.Store, *, graph: str | None = None) -> list[str]:
    """The distinct triples of ``data``'s fact graphs (all graphs but the observations and the
    hypotheses, merged) as sorted N-Triples lines; with ``graph``, the triples of that named graph.

    >>> import ldnkg
    >>> lines = ntriples_lines(ldnkg.load())
    >>> lines == sorted(set(lines)) and all(line.endswith(" .") for line in lines)
    True
    """
    if isinstance(data, ox.Store):
        from ldnkg.graph.sparql_engines import fact_graphs

        graphs = [ox.NamedNode(graph)] if graph is not None else fact_graphs(data)
        quads = data if graphs is None else (q for g in graphs for q in data.quads_for_pattern(None, None, None, g))
        lines = {str(ox.Triple(q.subject, q.predicate, q.object)) + " ." for q in quads}
    else:
        from ldnkg.graph.sparql import to_store

        return ntriples_lines(to_store(data), graph=graph)
    return sorted(lines)


def _chunks(lines: list[str], size: int) -> Iterator[str]:
    for i in range(0, len(lines), size):
        yield "\n".join(lines[i:i + size]) + "\n"


def check_endpoint(url: str, what: str = "--endpoint") -> str:
    """``url`` if it is an http(s) URL with a host, else a clear error.

    >>> check_endpoint("not a url")
    Traceback (most recent call last):
    ...
    ldnkg.errors.LdnkgError: --endpoint must be an http:// or https:// URL, not 'not a url'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LdnkgError(f"{what} must be an http:// or https:// URL, not {url!r}")
    return url


def check_graph(iri: str) -> ox.NamedNode:
    """The graph IRI as a validated term (RFC 3987, absolute).

    >>> check_graph("https://w3id.org/ldnkg/graph/all").value
    'https://w3id.org/ldnkg/graph/all'
    >>> check_graph("x> } ; DROP ALL ; <y")
    Traceback (most recent call last):
    ...
    ldnkg.errors.LdnkgError: --graph must be an absolute IRI, not 'x> } ; DROP ALL ; <y'
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        raise LdnkgError(f"--graph must be an absolute IRI, not {iri!r}") from None
    if ":" not in iri or any(c.isspace() for c in iri):
        raise LdnkgError(f"--graph must be an absolute IRI, not {iri!r}")
    return node


class _Deadline:
    """The push's overall deadline; each connection's socket is shut down when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.end = seconds, time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise LdnkgError(f"the push did not finish within its time limit of {self.seconds:g} s")
        return remaining

    def connection(self, base: type[http.client.HTTPConnection]) -> Any:
        deadline = self

        class Connection(base):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                self.timeout = min(60.0, deadline.left())
                super().connect()
                self._raw = self.sock  # urllib detaches .sock once the response has begun
                self._timer = threading.Timer(deadline.left(), self._expire)
                self._timer.daemon = True
                self._timer.start()

            def _expire(self) -> None:
                with contextlib.suppress(OSError):
                    self._raw.shutdown(socket.SHUT_RDWR)

            def close(self) -> None:
                timer = getattr(self, "_timer", None)
                if timer is not None:
                    timer.cancel()
                super().close()

        return Connection


def _opener(url: str, user: str | None, password: str | None, deadline: _Deadline) -> urllib.request.OpenerDirector:
    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(deadline.connection(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(deadline.connection(http.client.HTTPSConnection), req,
                                context=self._context)

    handlers: list[Any] = [Http(), Https()]
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(manager),
                     urllib.request.HTTPBasicAuthHandler(manager)]
    # never follow a proxy from the environment to a loopback server
    handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _call(opener: urllib.request.OpenerDirector, method: str, url: str, deadline: _Deadline, *,
          body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=min(60.0, deadline.left())) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", errors="replace").strip().splitlines()
        raise LdnkgError(f"{method} {url} failed: HTTP {err.code} {err.reason}"
                         f"{': ' + detail[0][:200] if detail else ''}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        deadline.left()  # the deadline, when it is what cut the connection
        raise LdnkgError(f"{method} {url} failed: {getattr(err, 'reason', err)}") from None


def count_triples(query_endpoint: str, graph: str, *, timeout: float = 60.0,
                  user: str | None = None, password: str | None = None) -> int:
    """How many triples the server's named graph ``graph`` holds (its SPARQL endpoint, the
    graph named with ``default-graph-uri``, never pasted into the query)."""
    check_graph(graph)
    deadline = _Deadline(timeout)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = f"{query_endpoint}?{urlencode({'query': query, 'default-graph-uri': graph})}"
    body = _call(_opener(url, user, password, deadline), "GET", url, deadline,
                 headers={"Accept": "application/sparql-results+json"})
    try:
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as err:
        raise LdnkgError(f"cannot count the triples of <{graph}> at {query_endpoint}: {err}") from None


def default_query_endpoint(endpoint: str) -> str:
    """The SPARQL endpoint next to a Graph Store endpoint (same host, path ``/sparql``).

    >>> default_query_endpoint("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    """
    parts = urlsplit(endpoint)
    return urlunsplit((parts.scheme, parts.netloc, "/sparql", "", ""))


def default_update_endpoint(endpoint: str) -> str:
    """The SPARQL Update endpoint next to a Graph Store endpoint: ``/sparql-auth`` beside an
    authenticated one (Virtuoso's ``/sparql-graph-crud-auth``), else ``/sparql``.

    >>> default_update_endpoint("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql-auth'
    """
    parts = urlsplit(endpoint)
    path = "/sparql-auth" if parts.path.rstrip("/").endswith("-auth") else "/sparql"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def push(data: Dataset | Graph | ox.Store, *, endpoint: str, graph: str,
         user: str | None = None, password: str | None = None,
         query_endpoint: str | None = None, update_endpoint: str | None = None,
         chunk_size: int = 50_000, timeout: float = 600.0) -> int:
    """Replace the named graph ``graph`` on a server with ``data``'s facts, all or nothing; verify.

    ``GRAPH/observations`` and ``GRAPH/hypotheses`` receive the plain triples of the weaker claims
    in the same way (each graph is replaced whole; they are replaced one after the other).

    Parameters
    ----------
    data : Dataset, Graph or pyoxigraph.Store
        What to upload (see the module docstring for which graph receives what).
    endpoint : str, keyword-only
        The Graph Store HTTP Protocol URL (``?graph=`` is appended).
    graph : str, keyword-only
        The IRI of the target named graph.
    user, password : str, keyword-only
        Credentials (HTTP digest or basic) for the upload and the update.
    query_endpoint, update_endpoint : str, keyword-only
        SPARQL endpoints for the counts and the ``MOVE`` (defaults: see
        :func:`default_query_endpoint`, :func:`default_update_endpoint`).
    chunk_size : int, keyword-only
        N-Triples lines per request.
    timeout : float, keyword-only
        Seconds the whole push may take.

    Returns
    -------
    int
        The number of triples pushed to ``graph`` (and counted on the server).

    Raises
    ------
    LdnkgError
        Bad endpoint or graph, an HTTP or network error, the deadline, or a count that differs —
        each saying what the target graph holds.

    Examples
    --------
    >>> push(Graph(), endpoint="http://127.0.0.1:9/gsp", graph="urn:x:g")
    Traceback (most recent call last):
    ...
    ldnkg.errors.LdnkgError: nothing to push: the graph is empty
    """
    check_endpoint(endpoint)
    target = check_graph(graph)
    query_endpoint = check_endpoint(query_endpoint or default_query_endpoint(endpoint), "--query-endpoint")
    update_endpoint = check_endpoint(update_endpoint or default_update_endpoint(endpoint), "--update-endpoint")
    lines = ntriples_lines(data)
    if not lines:
        raise LdnkgError("nothing to push: the graph is empty")
    deadline = _Deadline(timeout)
    pushed = _replace_graph(lines, endpoint, target, query_endpoint, update_endpoint, user, password, deadline,
                            chunk_size)
    from ldnkg.graph.load import HYPOTHESES, OBSERVATIONS

    for name, suffix in ((OBSERVATIONS, "observations"), (HYPOTHESES, "hypotheses")):
        weaker = ntriples_lines(data, graph=str(name))
        if weaker:
            _replace_graph(weaker, endpoint, check_graph(f"{target.value.rstrip('/')}/{suffix}"), query_endpoint,
                           update_endpoint, user, password, deadline, chunk_size)
    return pushed


def _replace_graph(lines: list[str], endpoint: str, target: ox.NamedNode, query_endpoint: str,
                   update_endpoint: str, user: str | None, password: str | None, deadline: _Deadline,
                   chunk_size: int) -> int:
    """Upload ``lines`` to a temporary graph, MOVE it onto ``target``, count it."""
    temp = ox.NamedNode(f"urn:ldnkg:upload:{uuid.uuid4().hex}")
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'graph': temp.value})}"
    opener = _opener(url, user, password, deadline)
    unchanged = f"<{target.value}> is unchanged"
    try:
        for i, chunk in enumerate(_chunks(lines, chunk_size)):
            _call(opener, "PUT" if i == 0 else "POST", url, deadline, body=chunk.encode("utf-8"),
                  headers={"Content-Type": "application/n-triples"})
        uploaded = count_triples(query_endpoint, temp.value, timeout=deadline.left())
        if uploaded != len(lines):
            raise LdnkgError(f"uploaded {len(lines)} triples but the server counts {uploaded}")
    except LdnkgError as err:
        raise LdnkgError(f"{err}; {unchanged} ({_cleanup(opener, url, temp, deadline)})") from None
    update = f"MOVE {temp} TO {target}"  # both terms validated and written by pyoxigraph
    update_opener = _opener(update_endpoint, user, password, deadline)
    try:
        _call(update_opener, "POST", update_endpoint, deadline, body=urlencode({"update": update}).encode(),
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    except LdnkgError as err:
        raise LdnkgError(f"{err}; {unchanged} (the complete upload is in {temp}: DROP GRAPH it when done)"
                         ) from None
    counted = count_triples(query_endpoint, target.value, timeout=deadline.left())
    if counted != len(lines):
        raise LdnkgError(f"pushed {len(lines)} triples to {target} but the server counts {counted}")
    return len(lines)


def _cleanup(opener: urllib.request.OpenerDirector, url: str, temp: ox.NamedNode, deadline: _Deadline) -> str:
    """Delete the temporary graph; say what became of it."""
    try:
        _call(opener, "DELETE", url, _Deadline(min(30.0, max(deadline.end - time.monotonic(), 5.0))))
    except LdnkgError:
        return f"the partial upload is left in {temp}: DROP GRAPH it"
    return "the partial upload was deleted"
