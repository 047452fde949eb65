"""The query workers of ``ldnkg serve``: processes with limits, shared fairly between clients.

Every query — and every explorer page built for a query — runs in a worker *process*:

* it cannot open a socket (seccomp, :func:`ldnkg.graph.sparql_sandbox.deny_network`), so no
  query can make the server connect anywhere, whatever the parser let through;
* its address space is capped (``RLIMIT_AS``, ``memory_mb``): a query that allocates more kills
  only its worker, which is replaced;
* it resolves nothing but the named queries: the client's text is SPARQL, never a file name;
* it serializes the answer itself and refuses one larger than ``max_bytes``, so a huge result
  never reaches the HTTP process;
* a query running longer than ``timeout`` seconds is killed with its worker (then replaced).

Scheduling is fair: a client (one IP address) may hold at most ``workers - 1`` workers at once
(never all of them); clients whose recent queries took more than a second each on average
("heavy") together leave one worker to everyone else; and a freed worker goes to the waiting
client that holds the fewest, then to the one that used the least worker time lately.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import itertools
import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldnkg.errors import LdnkgError, QueryError

__all__ = ["Busy", "QueryService", "QueryTimeout", "WorkerConfig"]


class QueryTimeout(QueryError):
    """A query ran longer than the time limit and was cancelled."""


class Busy(QueryError):
    """No worker became free in time (HTTP 503)."""


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker loads and the limits it runs under."""

    data_path: str
    root: str | None = None
    pages_from: str | None = None  # RDF file the explorer pages are built from (None: the ontology)
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024
    max_page_bytes: int = 32 * 1024 * 1024  # an explorer page embeds the graph and the console
    memory_mb: int = 1024


# ---------------------------------------------------------------------------------------------
# The worker process
# ---------------------------------------------------------------------------------------------


class _State:
    def __init__(self, config: WorkerConfig) -> None:
        from ldnkg.graph.sparql import load_store

        self.config = config
        self.store = load_store(config.data_path)
        self._ds: Any = None
        self._names: Any = None

    def params(self, spec: str | None, params: dict[str, str]) -> dict[str, str]:
        """Entity parameters resolved like every command's (``ldnkg.graph.analysis.resolve``)."""
        from ldnkg.graph.analysis.resolve import name_index, resolve_params
        from ldnkg.graph.sparql import resolve_query

        if spec is None or not params:
            return params
        root = Path(self.config.root) if self.config.root else None
        named = resolve_query(spec, root=root, allow_files=False)[1]
        if named is not None and self._names is None:
            self._names = name_index(self.store)
        return resolve_params(named, params, self.store, self._names)

    def dataset(self) -> Any:
        if self._ds is None:
            from rdflib import Dataset

            if self.config.pages_from:
                ds = Dataset(default_union=True)
                ds.parse(self.config.pages_from)
                self._ds = ds
            else:
                from ldnkg.graph.load import load
                from ldnkg.ontology import ONTOLOGY_DIR

                self._ds = load(Path(self.config.root) if self.config.root else ONTOLOGY_DIR)
        return self._ds


def _answer(state: _State, spec: str, params: dict[str, str], default_graph: list[str],
            named_graphs: list[str], accept: str | None, explicit: str | None) -> tuple[str, Any]:
    from ldnkg.export.server_protocol import NotAcceptable, negotiate
    from ldnkg.graph.sparql import execute, prepare

    root = Path(state.config.root) if state.config.root else None
    text, named = prepare(spec, state.params(spec, params), root=root, allow_files=False)
    # a named query traverses every graph and shows each claim's level; ad hoc text reads facts only
    result = execute(state.store, text, limit=state.config.max_rows, union=named is not None,
                     default_graph=default_graph or None, named_graphs=named_graphs or None)
    try:
        fmt, media = negotiate(accept, result.kind, explicit)
    except NotAcceptable as err:
        return "not-acceptable", str(err)
    body = result.serialize(fmt).encode("utf-8")
    if len(body) > state.config.max_bytes:
        return "limit", (f"the result is {len(body)} bytes, more than the limit of {state.config.max_bytes}; "
                         "narrow the query or add LIMIT")
    return "ok", (media, body)


def _page(state: _State, spec: str | None, params: dict[str, str]) -> tuple[str, Any]:
    from ldnkg.export.explorer import explorer_html
    from ldnkg.graph.sparql import execute, prepare

    ds = state.dataset()
    if spec is None:
        page = explorer_html(ds)
    else:
        root = Path(state.config.root) if state.config.root else None
        text, named = prepare(spec, state.params(spec, params), root=root, allow_files=False)
        result = execute(state.store, text, limit=state.config.max_rows, union=named is not None)
        if result.kind == "ask":
            raise QueryError("an ASK query names no entities; use SELECT (of IRIs) or CONSTRUCT")
        title = f"LDN explorer: {named.name if named else 'query result'}"
        page = explorer_html(ds, subgraph_iris=result.named_iris(ds), title=title, query=text)
    body = page.encode("utf-8")
    if len(body) > state.config.max_page_bytes:
        return "limit", f"the page is {len(body)} bytes, more than the limit of {state.config.max_page_bytes}"
    return "ok", ("text/html; charset=utf-8", body)


def worker_main(config: WorkerConfig, conn: Any) -> None:  # pragma: no cover - runs in a child
    """Serve jobs from ``conn`` until it closes: load, close the network, cap memory, answer."""
    os.environ["RUST_BACKTRACE"] = "0"
    from ldnkg.graph.sparql import RefusedQueryError, ResultLimitError
    from ldnkg.graph.sparql_sandbox import deny_network, limit_memory

    try:
        deny_network()
        limit_memory(config.memory_mb * 1024 * 1024)
        state = _State(config)
    except LdnkgError as err:
        conn.send(("failed", str(err)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            reply = _answer(state, *job[1:]) if job[0] == "query" else _page(state, *job[1:])
        except RefusedQueryError as err:
            reply = ("refused", str(err))
        except ResultLimitError as err:
            reply = ("limit", f"{err}; narrow the query or add LIMIT")
        except LdnkgError as err:
            reply = ("error", str(err))
        except MemoryError:
            reply = ("memory", f"the query needed more than the memory limit of {config.memory_mb} MB")
        except Exception as err:  # the worker must survive anything a query does
            reply = ("error", f"{type(err).__name__}: {err}")
        conn.send(reply)


# ---------------------------------------------------------------------------------------------
# The pool, in the HTTP process
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any


@dataclass
class _Waiter:
    client: str
    seq: int
    future: asyncio.Future[_Worker] = field(repr=False)


class QueryService:
    """A pool of sandboxed worker processes over one RDF file, with limits and fair scheduling.

    Parameters
    ----------
    config : WorkerConfig
        Data and per-worker limits.
    workers : int
        Worker processes (concurrent queries).
    timeout : float
        Seconds a query may run (and may wait for a worker); then it is cancelled.
    """

    def __init__(self, config: WorkerConfig, *, workers: int = 3, timeout: float = 10.0) -> None:
        self.config, self.workers, self.timeout = config, workers, timeout
        self.per_client = max(1, workers - 1)
        self.page_timeout = 60.0
        self.heavy_seconds, self.half_life = 1.0, 30.0
        self._usage: dict[str, tuple[float, float]] = {}  # client → (decayed worker-seconds, when)
        self._ready = 0
        self.spares = 1  # started and loaded, waiting to replace a killed worker at once
        self._standby: list[_Worker] = []
        self.max_waiting = 64
        self._ctx = mp.get_context("spawn")
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._held: collections.Counter[str] = collections.Counter()
        self._waiting: collections.deque[_Waiter] = collections.deque()
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._executor = concurrent.futures.ThreadPoolExecutor(workers + 2, thread_name_prefix="ldnkg-job")

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start every worker and wait until each has loaded the data (or raise LdnkgError)."""
        starting = [self._spawn() for _ in range(self.workers + self.spares)]
        try:
            for worker in starting:
                self._await_ready(worker)
        except LdnkgError:
            self.close()
            raise
        self._idle.extend(starting[:self.workers])
        self._standby.extend(starting[self.workers:])
        self._ready = self.workers

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, args=(self.config, child), daemon=True,
                                    name="ldnkg-query-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(600):
            self._kill(worker)
            raise LdnkgError(f"a query worker did not load {self.config.data_path} in time")
        try:
            status, detail = worker.conn.recv()
        except (EOFError, OSError):
            self._kill(worker)
            raise LdnkgError(f"a query worker could not load {self.config.data_path}") from None
        if status != "ready":
            self._kill(worker)
            raise LdnkgError(f"a query worker could not start: {detail}")

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
            try:
                worker = self._spawn()
                self._await_ready(worker)
            except LdnkgError:
                return
            if self._loop is not None and not self._closed:
                self._loop.call_soon_threadsafe(self._give_back, worker)

        threading.Thread(target=start, daemon=True, name="ldnkg-worker-restart").start()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(2)
            self._kill(worker)
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- fair scheduling (event-loop thread only) ----------------------------------------------
    def _give_back(self, worker: _Worker) -> None:
        if self._ready >= self.workers:  # a restarted worker becomes the spare again
            self._standby.append(worker)
            return
        self._ready += 1
        self._idle.append(worker)
        self._dispatch()

    def _decayed(self, client: str) -> tuple[float, float]:
        seconds, count, when = self._usage.get(client, (0.0, 0.0, 0.0))
        factor = 0.5 ** ((time.monotonic() - when) / self.half_life)
        return seconds * factor, count * factor

    def usage(self, client: str) -> float:
        """Worker-seconds ``client`` used recently (halving every ``half_life`` seconds)."""
        return self._decayed(client)[0]

    def heavy(self, client: str) -> bool:
        """Whether ``client``'s recent queries took over ``heavy_seconds`` each on average."""
        seconds, count = self._decayed(client)
        return count > 0 and seconds / count > self.heavy_seconds

    def _charge(self, client: str, seconds: float) -> None:
        used, count = self._decayed(client)
        self._usage[client] = (used + seconds, count + 1, time.monotonic())
        if len(self._usage) > 4096:  # forget the quietest clients
            for name in sorted(self._usage, key=self.usage)[:1024]:
                del self._usage[name]

    def _eligible(self, client: str) -> bool:
        """May ``client`` take a free worker now? Never all of them for one client, and heavy
        clients (recent queries over ``heavy_seconds`` on average) together leave one worker to
        the others."""
        if self._held[client] >= self.per_client:
            return False
        if not self.heavy(client):
            return True
        heavy_held = sum(n for c, n in self._held.items() if self.heavy(c))
        return heavy_held < max(1, self._ready - 1)

    def _dispatch(self) -> None:
        while self._idle and self._waiting:
            self._waiting = collections.deque(w for w in self._waiting if not w.future.done())
            eligible = [w for w in self._waiting if self._eligible(w.client)]
            if not eligible:
                return
            chosen = min(eligible, key=lambda w: (self._held[w.client], self.usage(w.client), w.seq))
            self._waiting.remove(chosen)
            self._held[chosen.client] += 1
            chosen.future.set_result(self._idle.pop())

    async def _acquire(self, client: str) -> _Worker:
        self._loop = asyncio.get_running_loop()
        if self._idle and not self._waiting and self._eligible(client):
            self._held[client] += 1
            return self._idle.pop()
        if len(self._waiting) >= self.max_waiting:
            raise Busy("the server is busy: too many queries are waiting; try again shortly")
        waiter = _Waiter(client, next(self._seq), self._loop.create_future())
        self._waiting.append(waiter)
        self._dispatch()
        try:
            return await asyncio.wait_for(asyncio.shield(waiter.future), self.timeout)
        except TimeoutError:
            if waiter.future.done() and not waiter.future.cancelled():
                self._release(client, waiter.future.result())
            else:
                waiter.future.cancel()
            raise Busy(f"the server is busy: no worker became free within {self.timeout:g} s") from None

    def _release(self, client: str, worker: _Worker | None) -> None:
        self._held[client] -= 1
        if self._held[client] <= 0:
            del self._held[client]
        if worker is not None:
            self._idle.append(worker)
        self._dispatch()

    # -- running a job --------------------------------------------------------------------------
    def _limit(self, job: tuple[Any, ...]) -> float:
        # a page also loads the full dataset once per worker and lays the graph out
        return max(self.timeout, self.page_timeout) if job[0] == "page" else self.timeout

    def _exchange(self, worker: _Worker, job: tuple[Any, ...]) -> tuple[str, Any]:
        """Blocking: send ``job`` and wait for the reply within the time limit (in a thread)."""
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self._limit(job)):
                return "timeout", None
            return worker.conn.recv()
        except (EOFError, OSError):
            return "died", None

    def _settle(self, client: str, worker: _Worker, status: str, seconds: float) -> None:
        """Give the worker back, or (timed out, died) kill and replace it; event-loop thread."""
        self._charge(client, seconds)
        if status in ("timeout", "died"):
            self._ready -= 1
            self._release(client, None)
            threading.Thread(target=self._kill, args=(worker,), daemon=True).start()
            self._replace()
            if self._standby:
                self._give_back(self._standby.pop())
        else:
            self._release(client, worker)

    async def submit(self, client: str, job: tuple[Any, ...]) -> tuple[str, Any]:
        """Run ``job`` for ``client`` on a worker; the reply is (status, payload).

        Statuses: ok, refused, limit, error, not-acceptable, memory (the worker died and was
        replaced), timeout (killed and replaced).
        """
        worker = await self._acquire(client)
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(self._executor, self._exchange, worker, job)
        try:
            status, payload = await asyncio.shield(pending)
        except asyncio.CancelledError:
            # the client went away: the worker is handed on only once its job is over
            pending.add_done_callback(
                lambda f: self._settle(client, worker, f.result()[0], time.monotonic() - started))
            raise
        self._settle(client, worker, status, time.monotonic() - started)
        if status == "timeout":
            return "timeout", (f"the query ran longer than the time limit of {self._limit(job):g} s "
                               "and was cancelled")
        if status == "died":
            return "memory", (f"the query was stopped after {time.monotonic() - started:.1f} s: it needed more "
                              f"than the memory limit of {self.config.memory_mb} MB (or crashed the engine); "
                              "its worker was replaced")
        return status, payload
