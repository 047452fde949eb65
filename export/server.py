"""``ldnkg serve``: a read-only SPARQL 1.1 Protocol endpoint, an offline query page, the explorer.

Routes
------
``/sparql``    SPARQL 1.1 Protocol: GET ``?query=``, POST form (``query=``) or
               ``application/sparql-query``; ``default-graph-uri``/``named-graph-uri`` and the
               query's own ``FROM``/``FROM NAMED`` honoured (the union of every graph is the
               default graph only when neither names one); results negotiated by ``Accept`` (or
               ``format=``), 406 when nothing on offer fits (:mod:`ldnkg.export.server_protocol`).
               Without ``query``: the Service Description.
``/``          a query page that works offline: the named queries as examples, results as a
               table, a link to the result's subgraph in the explorer.
``/explorer``  the explorer; ``?query=NAME`` (or ``?sparql=TEXT``) shows only what the query names.
``/queries``   the named queries as JSON.

Safety (see the README's "Security" section): updates are refused (403) and ``SERVICE`` (400),
decided on the parsed query; every query and every query page runs in a sandboxed worker process
with a time, memory and result-size limit, shared fairly between clients
(:mod:`ldnkg.export.server_workers`); nothing the client sends names a file. HTTP is served by
uvicorn (h11) under Starlette, with a header deadline, keep-alive timeout and connection cap.
CORS: any origin may read (``Access-Control-Allow-Origin: *``, no credentials) because the data
is open and the endpoint read-only and closed to the network; binding a loopback address also
refuses requests whose ``Host`` is not a loopback name (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import collections
import json
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from ldnkg.errors import LdnkgError
from ldnkg.export.server_workers import Busy, QueryService, QueryTimeout, WorkerConfig
from ldnkg.graph.sparql import named_queries

__all__ = ["QueryService", "QueryTimeout", "make_app", "query_page", "serve"]

MAX_BODY = 1_000_000
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class _Pages:
    """Explorer pages already built, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self._pages: collections.OrderedDict[str, bytes] = collections.OrderedDict()

    def get(self, key: str) -> bytes | None:
        if key in self._pages:
            self._pages.move_to_end(key)
        return self._pages.get(key)

    def put(self, key: str, page: bytes) -> None:
        if len(page) > self.max_bytes:
            return
        self._pages[key] = page
        self.size += len(page)
        while self.size > self.max_bytes:
            _, old = self._pages.popitem(last=False)
            self.size -= len(old)


def _args(query_string: str, body: str = "") -> dict[str, list[str]]:
    args = parse_qs(query_string, keep_blank_values=True)
    for key, values in parse_qs(body, keep_blank_values=True).items():
        args.setdefault(key, []).extend(values)
    return args


def _params(args: dict[str, list[str]]) -> dict[str, str]:
    return {k[6:]: v[-1] for k, v in args.items() if k.startswith("param.")}


def make_app(service: QueryService, *, root: Path | None = None, explorer_file: Path | None = None,
             graphs: list[str] | None = None, allowed_hosts: list[str] | None = None) -> Any:
    """The Starlette application over a started :class:`QueryService`."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from ldnkg.export.server_protocol import NotAcceptable, negotiate, service_description

    pages = _Pages(64 * 1024 * 1024)
    static: dict[str, str] = {}

    def text(status: int, message: str) -> Response:
        return Response(message.rstrip() + "\n", status, media_type="text/plain; charset=utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})

    def reply(status: str, payload: Any) -> Response:
        if status == "ok":
            media, body = payload
            if "charset" not in media:
                media += "; charset=utf-8"
            return Response(body, 200, media_type=media, headers={"X-Content-Type-Options": "nosniff"})
        code = {"refused": 403 if "read-only" in str(payload) else 400, "limit": 413, "error": 400,
                "not-acceptable": 406, "timeout": 503, "memory": 503}.get(status, 500)
        return text(code, str(payload))

    async def body_of(request: Request) -> bytes | Response:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
            return text(413, "request body too large")
        chunks, size = [], 0
        try:
            async with asyncio.timeout(service.timeout):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > MAX_BODY:
                        return text(413, "request body too large")
                    chunks.append(chunk)
        except TimeoutError:
            return text(408, "the request body did not arrive in time")
        return b"".join(chunks)

    async def run_job(request: Request, job: tuple[Any, ...]) -> Response:
        client = request.client.host if request.client else "unknown"
        try:
            status, payload = await service.submit(client, job)
        except Busy as err:
            return text(503, str(err))
        return reply(status, payload)

    async def sparql(request: Request) -> Response:
        if request.method in ("PUT", "DELETE", "PATCH"):
            return text(403, "this endpoint is read-only")
        body = ""
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return text(403, "updates are not allowed: this endpoint is read-only")
            raw = await body_of(request)
            if isinstance(raw, Response):
                return raw
            decoded = raw.decode("utf-8", errors="replace")
            if ctype == "application/sparql-query":
                args = _args(request.url.query)
                args["query"] = [decoded]
            elif ctype in ("application/x-www-form-urlencoded", ""):
                args = _args(request.url.query, decoded)
            else:
                return text(415, f"unsupported Content-Type {ctype!r}: use application/x-www-form-urlencoded "
                                 "or application/sparql-query")
        else:
            args = _args(request.url.query, body)
        if "update" in args:
            return text(403, "updates are not allowed: this endpoint is read-only")
        queries = args.get("query", [])
        if not queries and request.method in ("GET", "HEAD"):
            return description(request)
        if len(queries) != 1 or not queries[0].strip():
            return text(400, "give exactly one 'query' parameter (SPARQL 1.1 Protocol)")
        job = ("query", queries[0], _params(args), args.get("default-graph-uri", []),
               args.get("named-graph-uri", []), request.headers.get("accept"), (args.get("format") or [None])[0])
        return await run_job(request, job)

    def description(request: Request) -> Response:
        try:
            fmt, media = negotiate(request.headers.get("accept"), "graph")
        except NotAcceptable as err:
            return text(406, str(err))
        endpoint = str(request.url.replace(query=""))
        doc = service_description(endpoint, graphs or [], fmt)
        return Response(doc, 200, media_type=f"{media}; charset=utf-8")

    async def index(request: Request) -> Response:
        if "page" not in static:
            static["page"] = query_page(queries_json(root))
        return Response(static["page"], 200, media_type="text/html; charset=utf-8")

    async def queries(request: Request) -> Response:
        if "queries" not in static:
            static["queries"] = queries_json(root)
        return Response(static["queries"], 200, media_type="application/json")

    async def explorer(request: Request) -> Response:
        args = _args(request.url.query)
        spec = (args.get("query") or args.get("sparql") or [None])[0]
        params = _params(args)
        if spec is None and explorer_file is not None:
            return Response(explorer_file.read_bytes(), 200, media_type="text/html; charset=utf-8")
        key = json.dumps([spec, sorted(params.items())])
        cached = pages.get(key)
        if cached is not None:
            return Response(cached, 200, media_type="text/html; charset=utf-8")
        response = await run_job(request, ("page", spec, params))
        if response.status_code == 200:
            pages.put(key, bytes(response.body))
        return response

    async def options(request: Request) -> Response:
        return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    routes = [Route("/sparql", sparql, methods=methods), Route("/sparql", options, methods=["OPTIONS"]),
              Route("/", index), Route("/index.html", index), Route("/queries", queries),
              Route("/explorer", explorer), Route("/explorer.html", explorer)]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                             allow_headers=["*"], allow_credentials=False, max_age=600)]
    if allowed_hosts:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(routes=routes, middleware=middleware)


def queries_json(root: Path | None) -> str:
    """The named queries (name, description, text, parameters) as JSON."""
    items = [{"name": q.name, "description": q.description, "text": q.text,
              "params": [{"name": p.name, "meaning": p.meaning, "default": p.default} for p in q.params]}
             for q in named_queries(root)]
    return json.dumps(items, indent=1, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------------


def _data_file(data: Path | None, root: Path | None, workdir: Path) -> Path:
    if data is not None:
        return data
    from ldnkg.export.rdf import write_nquads
    from ldnkg.graph.load import load
    from ldnkg.ontology import ONTOLOGY_DIR

    path = workdir / "ldn.nq"
    write_nquads(load(root or ONTOLOGY_DIR), path)
    return path


def _graph_names(path: Path) -> list[str]:
    from ldnkg.graph.sparql import load_store

    return sorted(g.value for g in load_store(path).named_graphs() if hasattr(g, "value"))


def _listen(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as err:
        raise LdnkgError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.set_inheritable(True)
    return sock


def serve(*, host: str = "127.0.0.1", port: int = 8000, data: Path | None = None,
          root: Path | None = None, timeout: float = 10.0, max_rows: int = 10_000,
          workers: int = 3, explorer_file: Path | None = None, max_bytes: int = 16 * 1024 * 1024,
          memory_mb: int = 1024, max_connections: int = 256, header_timeout: float = 10.0,
          announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); see the module docstring for the routes."""
    import uvicorn

    from ldnkg.export.server_http import protocol_class

    if explorer_file is None and Path("build/explorer.html").is_file():
        explorer_file = Path("build/explorer.html")
    sock = _listen(host, port)
    with tempfile.TemporaryDirectory(prefix="ldnkg-serve-") as tmp:
        path = _data_file(data, root, Path(tmp))
        config = WorkerConfig(str(path), root=str(root) if root else None,
                              pages_from=str(data) if data is not None else None,
                              max_rows=max_rows, max_bytes=max_bytes, memory_mb=memory_mb)
        service = QueryService(config, workers=workers, timeout=timeout)
        service.start()
        try:
            loopback = host in _LOOPBACK or host.startswith("127.")
            hosts = sorted({"127.0.0.1", "localhost", "[::1]", host}) if loopback else None
            app = make_app(service, root=root, explorer_file=explorer_file, graphs=_graph_names(path),
                           allowed_hosts=hosts)
            bound_host, bound_port = sock.getsockname()[:2]
            announce(f"SPARQL endpoint http://{bound_host}:{bound_port}/sparql — query page "
                     f"http://{bound_host}:{bound_port}/ (per query: {timeout:g} s, {memory_mb} MB, "
                     f"{max_rows} rows, {max_bytes} bytes; {workers} workers; Ctrl-C stops)")
            server = uvicorn.Server(uvicorn.Config(
                app, http=protocol_class(header_timeout=header_timeout), loop="asyncio", lifespan="off",
                limit_concurrency=max_connections, timeout_keep_alive=5, timeout_graceful_shutdown=5,
                access_log=False, log_level="warning", h11_max_incomplete_event_size=64 * 1024))
            server.run(sockets=[sock])
        finally:
            sock.close()
            service.close()


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
