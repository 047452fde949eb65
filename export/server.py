"""``ldnkg serve``: a read-only SPARQL 1.1 Protocol endpoint, an offline query page, the explorer.

Routes
------
``/sparql``    SPARQL 1.1 Protocol: GET ``?query=``, POST form (``query=``) or
               ``application/sparql-query``; ``default-graph-uri``/``named-graph-uri`` honoured;
               results as JSON, XML, CSV or TSV (SELECT/ASK) and Turtle, N-Triples or JSON-LD
               (CONSTRUCT/DESCRIBE) by the ``Accept`` header (or ``format=``).
``/``          a query page that works offline: the named queries as examples, results as a
               table, a link to the result's subgraph in the explorer.
``/explorer``  the explorer; ``?query=NAME`` (or ``?sparql=TEXT``) shows only what the query names.
``/queries``   the named queries as JSON.

Safety: updates are refused (403), ``SERVICE`` is refused (400), and every query runs in a
worker *process* with a time limit and a row limit: a query that runs too long is killed with
its worker (which is replaced) and the client gets a 503 naming the limit. Binds 127.0.0.1 by
default. Only the standard library's ``ThreadingHTTPServer`` is used.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import queue
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ldnkg.errors import LdnkgError, QueryError
from ldnkg.graph.sparql import (
    QueryResult,
    RefusedQueryError,
    ResultLimitError,
    check_read_only,
    named_queries,
    prepare,
)

__all__ = ["QueryService", "QueryTimeout", "make_server", "serve"]

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
         "nt": "application/n-triples", "jsonld": "application/ld+json"}


class QueryTimeout(QueryError):
    """A query ran longer than the time limit and was cancelled."""


# ---------------------------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------------------------


def _worker_main(data_path: str, conn: Any) -> None:  # pragma: no cover - runs in a child
    from ldnkg.graph.sparql import load_store, run

    store = load_store(data_path)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        text, default_graph, named_graphs, limit = job
        try:
            result = run(store, text, limit=limit, default_graph=default_graph or None,
                         named_graphs=named_graphs or None)
            conn.send(("ok", result))
        except RefusedQueryError as err:
            conn.send(("refused", str(err)))
        except ResultLimitError as err:
            conn.send(("limit", str(err)))
        except LdnkgError as err:
            conn.send(("error", str(err)))
        except Exception as err:  # the worker must survive anything a query does
            conn.send(("error", f"{type(err).__name__}: {err}"))


@dataclass
class _Worker:
    process: Any
    conn: Any


class QueryService:
    """A pool of worker processes that answer queries over one RDF file, with limits.

    Parameters
    ----------
    data_path : path
        An RDF file (N-Quads keeps the named graphs) each worker loads into pyoxigraph.
    workers : int
        Number of worker processes (concurrent queries).
    timeout : float
        Seconds a query may run; then its worker is killed and replaced.
    max_rows : int
        Largest result returned; more is an error.

    Examples
    --------
    >>> import tempfile, pathlib, ldnkg
    >>> from ldnkg.export.rdf import write_nquads
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> write_nquads(ldnkg.load(), path)
    >>> with QueryService(path, workers=1) as service:
    ...     service.execute("ASK { ldn:LDN ldno:hasRole ldn:Neuroprotection }").boolean
    True
    """

    def __init__(self, data_path: Path | str, *, workers: int = 2, timeout: float = 10.0,
                 max_rows: int = 10_000) -> None:
        self.data_path = str(data_path)
        self.timeout, self.max_rows = timeout, max_rows
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        starting = [self._start() for _ in range(workers)]
        for worker in starting:
            self._await_ready(worker)
            self._idle.put(worker)

    def __enter__(self) -> QueryService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(self.data_path, child), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(600):
            raise LdnkgError(f"a query worker did not load {self.data_path} in time")
        try:
            status, _ = worker.conn.recv()
        except EOFError:
            raise LdnkgError(f"a query worker could not load {self.data_path}") from None
        if status != "ready":  # pragma: no cover
            raise LdnkgError("a query worker failed to start")

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        worker.process.join(5)
        with contextlib.suppress(Exception):
            worker.conn.close()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _replace(self) -> None:
        def start() -> None:
            if self._closed:
                return
            worker = self._start()
            try:
                self._await_ready(worker)
            except LdnkgError:
                self._kill(worker)
                return
            self._idle.put(worker)

        threading.Thread(target=start, daemon=True).start()

    def execute(self, text: str, *, default_graph: list[str] | None = None,
                named_graphs: list[str] | None = None) -> QueryResult:
        """Run ``text`` (already resolved SPARQL) in a worker, within the time and row limits."""
        check_read_only(text)
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout("the server is busy: no worker became free within "
                               f"{self.timeout:g} s") from None
        started = time.monotonic()
        try:
            worker.conn.send((text, default_graph or [], named_graphs or [], self.max_rows))
            if not worker.conn.poll(self.timeout):
                self._kill(worker)
                self._replace()
                raise QueryTimeout("the query ran longer than the time limit of "
                                   f"{self.timeout:g} s and was cancelled")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._kill(worker)
            self._replace()
            raise QueryError("the query worker died; it has been restarted") from None
        except QueryTimeout:
            raise
        self._idle.put(worker)
        if status == "ok":
            return payload
        elapsed = time.monotonic() - started
        if status == "refused":
            raise RefusedQueryError(payload)
        if status == "limit":
            raise ResultLimitError(f"{payload}; narrow the query or add LIMIT "
                                   f"(stopped after {elapsed:.2f} s)")
        raise QueryError(payload)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.process.join(2)
            self._kill(worker)


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------


def negotiate(accept: str | None, kind: str, explicit: str | None = None) -> str:
    """The result format for an ``Accept`` header (or explicit ``format=``) and result kind.

    >>> negotiate("text/csv, application/json;q=0.5", "select")
    'csv'
    >>> negotiate("*/*", "graph")
    'ttl'
    >>> negotiate(None, "select", "xml")
    'xml'
    """
    table = GRAPH_TYPES if kind == "graph" else SELECT_TYPES
    if explicit:
        short = explicit.lower()
        if short in table.values():
            return short
        if short in table:
            return table[short]
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "").split(",")):
        media, *opts = [x.strip() for x in part.split(";")]
        q = 1.0
        for opt in opts:
            if opt.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(opt[2:])
        if media.lower() in table and q > 0:
            ranked.append((-q, i, table[media.lower()]))
    if ranked:
        return sorted(ranked)[0][2]
    return "ttl" if kind == "graph" else "json"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    # -- responses -----------------------------------------------------------------------------
    def _send(self, status: int, body: str | bytes, ctype: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, message.rstrip() + "\n", "text/plain; charset=utf-8")

    # -- routing -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        args = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            self._sparql(args)
        elif url.path in ("/", "/index.html"):
            self._send(200, self.server.page(), "text/html; charset=utf-8")
        elif url.path == "/queries":
            self._send(200, self.server.queries_json(), "application/json")
        elif url.path in ("/explorer", "/explorer.html"):
            self._explorer(args)
        else:
            self._error(404, f"not found: {url.path}")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._error(404, f"not found: {url.path}")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            self._error(413, "request body too large")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        args = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._error(403, "updates are not allowed: this endpoint is read-only")
            return
        if ctype == "application/sparql-query":
            args["query"] = [body]
        elif ctype in ("application/x-www-form-urlencoded", ""):
            for key, values in parse_qs(body, keep_blank_values=True).items():
                args.setdefault(key, []).extend(values)
        else:
            self._error(415, f"unsupported Content-Type {ctype!r}: use "
                        "application/x-www-form-urlencoded or application/sparql-query")
            return
        self._sparql(args)

    def do_PUT(self) -> None:
        self._error(403, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    # -- SPARQL --------------------------------------------------------------------------------
    def _sparql(self, args: dict[str, list[str]]) -> None:
        if "update" in args:
            self._error(403, "updates are not allowed: this endpoint is read-only")
            return
        queries = args.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "give exactly one 'query' parameter (SPARQL 1.1 Protocol)")
            return
        try:
            text, _ = prepare(queries[0], {k[6:]: v[-1] for k, v in args.items()
                                           if k.startswith("param.")},
                              root=self.server.root, allow_files=False)
            result = self.server.service.execute(
                text, default_graph=args.get("default-graph-uri"),
                named_graphs=args.get("named-graph-uri"))
        except RefusedQueryError as err:
            self._error(403 if "update" in str(err) else 400, str(err))
            return
        except QueryTimeout as err:
            self._error(503, str(err))
            return
        except LdnkgError as err:
            self._error(400, str(err))
            return
        fmt = negotiate(self.headers.get("Accept"), result.kind, (args.get("format") or [None])[0])
        self._send(200, result.serialize(fmt), MEDIA[fmt] + "; charset=utf-8")

    def _explorer(self, args: dict[str, list[str]]) -> None:
        spec = (args.get("query") or args.get("sparql") or [None])[0]
        try:
            page = self.server.explorer(spec, {k[6:]: v[-1] for k, v in args.items()
                                               if k.startswith("param.")})
        except QueryTimeout as err:
            self._error(503, str(err))
            return
        except LdnkgError as err:
            self._error(400, str(err))
            return
        self._send(200, page, "text/html; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], service: QueryService, *, root: Path | None,
                 data: Path | None, explorer_file: Path | None, verbose: bool = False) -> None:
        super().__init__(address, _Handler)
        self.service, self.root, self.data = service, root, data
        self.explorer_file, self.verbose = explorer_file, verbose
        self._pages: dict[str, str] = {}
        self._ds: Any = None
        self._ds_lock = threading.Lock()

    def dataset(self) -> Any:
        with self._ds_lock:
            if self._ds is None:
                from rdflib import Dataset

                from ldnkg.graph.load import load
                from ldnkg.ontology import ONTOLOGY_DIR

                if self.data is not None:
                    ds = Dataset(default_union=True)
                    ds.parse(self.data)
                    self._ds = ds
                else:
                    self._ds = load(self.root or ONTOLOGY_DIR)
            return self._ds

    def queries_json(self) -> str:
        items = [{"name": q.name, "description": q.description, "text": q.text,
                  "params": [{"name": p.name, "meaning": p.meaning, "default": p.default}
                             for p in q.params]} for q in named_queries(self.root)]
        return json.dumps(items, indent=1, ensure_ascii=False)

    def page(self) -> str:
        if "page" not in self._pages:
            self._pages["page"] = query_page(self.queries_json())
        return self._pages["page"]

    def explorer(self, spec: str | None, params: dict[str, str]) -> str:
        key = json.dumps([spec, sorted(params.items())])
        if key in self._pages:
            return self._pages[key]
        if spec is None and self.explorer_file is not None:
            page = self.explorer_file.read_text(encoding="utf-8")
        else:
            try:
                from ldnkg.export.explorer import explorer_html
            except ImportError as err:  # pragma: no cover - the explorer is another module
                raise LdnkgError(f"the explorer is not available: {err}") from None
            ds = self.dataset()
            if spec is None:
                page = explorer_html(ds)
            else:
                text, named = prepare(spec, params, root=self.root, allow_files=False)
                result = self.service.execute(text)
                iris = result.named_iris(ds)
                title = f"LDN explorer: {named.name if named else 'query result'}"
                page = explorer_html(ds, subgraph_iris=iris, title=title)
        if len(self._pages) > 64:
            self._pages.clear()
        self._pages[key] = page
        return page


def _data_file(data: Path | None, root: Path | None, workdir: Path) -> Path:
    if data is not None:
        return data
    from ldnkg.export.rdf import write_nquads
    from ldnkg.graph.load import load
    from ldnkg.ontology import ONTOLOGY_DIR

    path = workdir / "ldn.nq"
    write_nquads(load(root or ONTOLOGY_DIR), path)
    return path


def make_server(*, host: str = "127.0.0.1", port: int = 8000, data: Path | None = None,
                root: Path | None = None, timeout: float = 10.0, max_rows: int = 10_000,
                workers: int = 2, explorer_file: Path | None = None,
                workdir: Path | None = None) -> _Server:
    """A ready (not yet serving) HTTP server with its query workers started."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="ldnkg-serve-"))
    path = _data_file(data, root, workdir)
    if explorer_file is None and Path("build/explorer.html").is_file():
        explorer_file = Path("build/explorer.html")
    service = QueryService(path, workers=workers, timeout=timeout, max_rows=max_rows)
    try:
        return _Server((host, port), service, root=root, data=data, explorer_file=explorer_file)
    except OSError as err:
        service.close()
        raise LdnkgError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def serve(*, host: str = "127.0.0.1", port: int = 8000, data: Path | None = None,
          root: Path | None = None, timeout: float = 10.0, max_rows: int = 10_000,
          workers: int = 2, explorer_file: Path | None = None,
          announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C); see the module docstring for the routes."""
    with tempfile.TemporaryDirectory(prefix="ldnkg-serve-") as tmp:
        server = make_server(host=host, port=port, data=data, root=root, timeout=timeout,
                             max_rows=max_rows, workers=workers, explorer_file=explorer_file,
                             workdir=Path(tmp))
        bound_host, bound_port = server.server_address[:2]
        announce(f"SPARQL endpoint http://{bound_host}:{bound_port}/sparql — query page "
                 f"http://{bound_host}:{bound_port}/ (time limit {timeout:g} s, "
                 f"{max_rows} rows; Ctrl-C stops)")
        def stop(*_: object) -> None:
            raise KeyboardInterrupt

        with contextlib.suppress(ValueError):  # only possible in the main thread
            signal.signal(signal.SIGTERM, stop)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            server.service.close()


# ---------------------------------------------------------------------------------------------
# The query page (self-contained: no external scripts, styles or fonts)
# ---------------------------------------------------------------------------------------------

_TEMPLATE = Path(__file__).resolve().parent / "templates" / "query-page.html"


def query_page(queries_json: str) -> str:
    """The offline query page with the named queries embedded.

    >>> "</script>" not in query_page('[{"name": "</script>"}]').split("application/json")[1][:40]
    True
    """
    safe = queries_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _TEMPLATE.read_text(encoding="utf-8").replace("__QUERIES__", safe)
