"""The build pipeline behind ``ldnkg build``: load → validate → verify sources → infer → write.

Everything is written into a staging folder beside ``--out``, every RDF export is read back
with an independent parser, and only then is the staging folder swapped in — atomically, and
only over a folder an earlier build wrote (see :mod:`ldnkg.export.files`). On any error
nothing in ``--out`` changes.
"""

from __future__ import annotations

import functools
import gc
import importlib
import multiprocessing
import os
import pickle
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset

from ldnkg.errors import LdnkgError, OutputError
from ldnkg.export.files import (
    check_output,
    file_sha256,
    new_staging,
    remove_stale_staging,
    swap_in,
)
from ldnkg.graph.load import load, ontology_root
from ldnkg.graph.provenance import SourceText, attach_quotes, match_sources, verify_locators
from ldnkg.graph.reason import infer
from ldnkg.graph.validate import validate
from ldnkg.ontology import ONTOLOGY_DIR

__all__ = ["OUTPUT_FILES", "WRITERS", "BuildResult", "build", "prepare", "write_outputs"]

Writer = Callable[[Dataset, Path], None]
Progress = Callable[[str], None]

#: The files a full build writes (also how a folder from before the build manifest is recognised).
OUTPUT_FILES = (
    "ldn.ttl", "ldn.nt", "ldn.trig", "ldn.nq", "ldn.jsonld", "ldn-inferred.ttl", "ldn.graphml",
    "ldn.gexf", "ldn.cyjs", "nodes.tsv", "edges.tsv", "explorer.html", "report.html",
)


class _Writer:
    """A standard writer named by its module and function, imported when first run: the first
    process of a build imports only what the RDF exports need, the second one the rest (networkx,
    PyVis, Jinja2), each while the other works."""

    def __init__(self, module: str, name: str) -> None:
        self.__module__ = module  # the build cache names a writer by these two
        self.__qualname__ = name
        self._function: Writer | None = None

    def resolve(self) -> Writer:
        if self._function is None:
            self._function = getattr(importlib.import_module(self.__module__), self.__qualname__)
        return self._function

    def __call__(self, ds: Dataset, path: Path) -> None:
        self.resolve()(ds, path)

    def __repr__(self) -> str:
        return f"<writer {self.__module__}.{self.__qualname__}>"


def _writers() -> list[tuple[str, Writer]]:
    # imported when run, so that `import ldnkg` stays light and each process imports its own writers
    def of(module: str, name: str) -> _Writer:
        return _Writer(f"ldnkg.export.{module}", name)

    return [
        ("ldn.ttl", of("rdf", "write_turtle")),
        ("ldn.nt", of("rdf", "write_ntriples")),
        ("ldn.trig", of("rdf", "write_trig")),
        ("ldn.nq", of("rdf", "write_nquads")),
        ("ldn.jsonld", of("rdf", "write_jsonld")),
        ("ldn-inferred.ttl", of("rdf", "write_inferred_turtle")),
        ("ldn.graphml", of("networks", "write_graphml")),
        ("ldn.gexf", of("networks", "write_gexf")),
        ("ldn.cyjs", of("networks", "write_cyjs")),
        ("nodes.tsv", of("kgx", "write_nodes")),
        ("edges.tsv", of("kgx", "write_edges")),
        ("nodes.jsonl", of("kgx", "write_nodes_jsonl")),
        ("edges.jsonl", of("kgx", "write_edges_jsonl")),
        ("ldn.nanopubs.trig", of("nanopub", "write_nanopubs")),
        ("explorer.html", of("explorer", "write_explorer")),
        ("report.html", of("report", "write_report")),
    ]


#: Output files in the order they are written: (file name, writer). Extend to add an export.
WRITERS: list[tuple[str, Writer]] = []


@dataclass
class BuildResult:
    """What a build produced: the dataset, the files, and what was checked."""

    dataset: Dataset
    out: Path
    files: list[Path] = field(default_factory=list)
    locators_verified: int = 0
    quotes: int = 0
    inferred: int = 0


def prepare(
    *, root: Path = ONTOLOGY_DIR, sources: Sequence[Path | str] = (), progress: Progress | None = None
) -> tuple[Dataset, int, int, int]:
    """Load, validate, verify sources and infer; return (dataset, locators, quotes, inferred).

    SHACL runs before the locators are used, so a malformed locator (``oa:start "abc"``, a
    missing ``oa:start``) is reported as a violation naming its claim, not met as a crash.
    """
    say = progress or (lambda _msg: None)
    texts = [SourceText.read(p) for p in sources]  # a missing or unreadable text fails at once
    say(f"loading {root}")
    ds = load(root)
    paired = match_sources(ds, texts) if texts else {}
    say("validating with SHACL")
    validate(ds, root=root)
    verified = quotes = 0
    if texts:
        say(f"verifying locators against {len(texts)} source text(s)")
        verified = verify_locators(ds, paired)
        quotes = attach_quotes(ds, paired)
    say("inferring (OWL 2 RL)")
    inferred = infer(ds)
    return ds, verified, quotes, inferred


def build(
    out: Path | str = "build",
    *,
    root: Path = ONTOLOGY_DIR,
    sources: Sequence[Path | str] = (),
    progress: Progress | None = None,
    writers: Sequence[tuple[str, Writer]] | None = None,
    cache: bool = False,
) -> BuildResult:
    """Build every export into ``out`` atomically.

    ``out`` is checked first, so a folder the build may not replace is refused before the
    long work starts (and checked again just before the swap). With ``cache`` (``ldnkg build``'s
    default) and the standard writers, a build whose every input hashes as an earlier build's did
    reuses that build's files (:mod:`ldnkg.build_cache`): the locators are still verified and the
    dataset still loaded, SHACL, inference and the writers are skipped.

    >>> import tempfile, pathlib
    >>> result = build(pathlib.Path(tempfile.mkdtemp()) / "b", cache=True)
    >>> sorted(p.name for p in result.files)[:3]
    ['edges.jsonl', 'edges.tsv', 'explorer.html']
    """
    chosen = list(writers or WRITERS or _writers())
    check_output(out, known=_known(chosen))
    if cache and writers is None and not WRITERS:
        from ldnkg.build_cache import enabled

        if enabled():
            return _build_with_cache(out, root=root, sources=sources, progress=progress, chosen=chosen)
    return _full_build(out, root=root, sources=sources, progress=progress, chosen=chosen,
                       standard=writers is None and not WRITERS)


def _full_build(out: Path | str, *, root: Path, sources: Sequence[Path | str], progress: Progress | None,
                chosen: list[tuple[str, Writer]], standard: bool) -> BuildResult:
    """Every step: load, verify, infer, validate, write; with the standard writers the second process
    is started first, so that its imports overlap the loading (:func:`_write_early`)."""
    early = _SecondProcess(_write_early, progress or _quiet) if standard and _can_fork() else None
    try:
        ds, verified, quotes, later = _prepare_deferred(root=root, sources=sources, progress=progress)
        files = write_outputs(ds, out, writers=chosen, root=root, progress=progress, later=later, early=early)
    finally:
        if early is not None:
            early.stop()
    return BuildResult(ds, Path(out), files, verified, quotes, _inferred(ds))


def _quiet(_message: str) -> None:
    pass


def _inferred(ds: Dataset) -> int:
    from ldnkg.graph.load import INFERRED

    return len(ds.graph(INFERRED))


@dataclass
class _Later:
    """What a build still does once its second process is writing: OWL 2 RL inference (the second
    process receives the entailments before its first writer that reads them) and SHACL, which
    reads and never changes the dataset. Nothing is swapped in unless both succeed."""

    infer: Callable[[], int]
    check: Callable[[], None]


def _prepare_deferred(
    *, root: Path, sources: Sequence[Path | str], progress: Progress | None
) -> tuple[Dataset, int, int, _Later]:
    """:func:`prepare` up to the verified quotes; inference and SHACL are handed back to run beside
    the second process's writers (:data:`WITHOUT_INFERENCE` need neither).

    A step that fails on data SHACL would refuse (a malformed locator met as a crash) runs SHACL
    at once, so the violation naming the claim is what is reported, as with :func:`prepare`.
    """
    say = progress or (lambda _msg: None)
    texts = [SourceText.read(p) for p in sources]  # a missing or unreadable text fails at once
    say(f"loading {root}")
    ds = load(root)
    paired = match_sources(ds, texts) if texts else {}

    def check() -> None:
        say("validating with SHACL")
        validate(ds, root=root)

    def reason() -> int:
        say("inferring (OWL 2 RL)")
        try:
            return infer(ds)
        except Exception:
            check()  # a violation is the better message; else inference's own error
            raise

    verified = quotes = 0
    if texts:
        say(f"verifying locators against {len(texts)} source text(s)")
        try:
            verified = verify_locators(ds, paired)
            quotes = attach_quotes(ds, paired)
        except Exception:
            check()
            raise
    return ds, verified, quotes, _Later(reason, check)


def _build_with_cache(out: Path | str, *, root: Path, sources: Sequence[Path | str], progress: Progress | None,
                      chosen: list[tuple[str, Writer]]) -> BuildResult:
    from ldnkg.build_cache import BuildCache, input_key
    from ldnkg.graph.load import INFERRED

    say = progress or (lambda _msg: None)
    steps = [prepare, write_outputs, *(w for _, w in chosen)]
    key = input_key(root, sources, [f"{name}={getattr(f, '__module__', '')}.{getattr(f, '__qualname__', f)}"
                                    for name, f in zip(["prepare", "write", *(n for n, _ in chosen)], steps,
                                                       strict=True)])
    if key is None:  # an input the cache cannot read: the full build reports it
        return _full_build(out, root=root, sources=sources, progress=progress, chosen=chosen, standard=True)
    store = BuildCache()
    with store.locked(key):  # a second identical build waits for the first, then reuses it
        entry = store.get(key)
        if entry is None or set(entry.files) != {name for name, _ in chosen}:
            built = _full_build(out, root=root, sources=sources, progress=progress, chosen=chosen, standard=True)
            store.put(key, Path(out), {p.name: file_sha256(p) for p in built.files},
                      inferred_nt=built.dataset.graph(INFERRED).serialize(format="nt", encoding="utf-8"),
                      locators_verified=built.locators_verified, quotes=built.quotes, inferred=built.inferred)
            return built
        say("same inputs as an earlier build: reusing its files (SHACL, inference and writers skipped)")
        texts = [SourceText.read(p) for p in sources]
        ds = load(root)
        verified = quotes = 0
        if texts:
            paired = match_sources(ds, texts)
            verified, quotes = verify_locators(ds, paired), attach_quotes(ds, paired)
        ds.graph(INFERRED).parse(entry.inferred_ntriples, format="nt")
        copies = [(name, functools.partial(_copy_cached, entry.folder / name)) for name, _ in chosen]
        files = write_outputs(ds, out, writers=copies, root=root, progress=progress, verify=False)
        return BuildResult(ds, Path(out), files, verified, quotes, len(ds.graph(INFERRED)))


#: Writers run in a second process, which re-reads the RDF exports among them. The split keeps
#: both halves about as long (each side's CPU time: benchmarks/build.md, ``build_bench.py --steps``):
#: the HTML pages and the network and KGX files there (they share one projection and need
#: networkx, PyVis and Jinja2, which that process imports while this one loads); the RDF exports,
#: the nanopublications, OWL 2 RL and SHACL here;
PARALLEL = ("report.html", "ldn.graphml", "ldn.gexf", "ldn.cyjs", "nodes.tsv", "edges.tsv", "nodes.jsonl",
            "edges.jsonl", "explorer.html")
#: below SCALE_QUADS quads TriG and N-Quads go there too (re-reading the TriG takes rdflib's parser
#: most of a second at 1×, when the first process has the longer half);
PARALLEL_SMALL = ("ldn.trig", "ldn.nq")
#: from SCALE_QUADS quads on, rdflib's Turtle and JSON-LD writers and its TriG parser make the RDF
#: side the longer one, so JSON-LD and TriG (rdflib's TriG parser re-reads it: 7.3 s at 10×; the
#: explorer there shares its sorted quads) go to the second process instead, and N-Quads and the
#: nanopublications stay here (at 10×, benchmarks/build.md: the first process waits 0.7 s).
PARALLEL_AT_SCALE = ("ldn.jsonld", "ldn.trig")
SCALE_QUADS = 50_000
#: Files that read only the loaded dataset and the verified quotes, never an OWL 2 RL entailment
#: (tests/test_build_outputs.py checks each against a dataset never reasoned over): a build's
#: second process starts with these while the first one infers and validates.
WITHOUT_INFERENCE = ("report.html", "ldn.ttl", "ldn.nt", "ldn.jsonld", "ldn.graphml", "ldn.gexf", "ldn.cyjs",
                     "nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl", "ldn.nanopubs.trig")


def second_process(ds: Dataset, names: Sequence[str]) -> list[str]:
    """The writers of ``names`` that run in the second process for ``ds``.

    >>> second_process(Dataset(), ["ldn.ttl", "report.html", "ldn.jsonld"])
    ['report.html']
    """
    from ldnkg.graph.load import DATASET_GRAPHS

    quads = sum(len(ds.graph(name)) for name in DATASET_GRAPHS)
    chosen = set(PARALLEL) | set(PARALLEL_AT_SCALE if quads >= SCALE_QUADS else PARALLEL_SMALL)
    return [n for n in names if n in chosen]


Verify = Callable[[Dataset, Path, list[str]], object]


def _run_batch(ds: Dataset, staging: Path, batch: Sequence[tuple[str, Writer]], say: Progress,
               verify: Verify | None, where: str = "", entailments: Any = None) -> dict[str, str]:
    """Write ``batch`` into ``staging``, re-read its RDF exports; return name → SHA-256.

    ``entailments`` (a queue): the OWL 2 RL entailments, added before the first writer not in
    :data:`WITHOUT_INFERENCE` (what was computed before them read no entailment, so it stays valid).
    """
    from ldnkg.export.rdf import EXPORTS
    from ldnkg.graph.load import INFERRED
    from ldnkg.graph.project import computed_once

    done = {}
    with computed_once(ds):  # the writers share one projection of the finished dataset
        for name, write in batch:
            if entailments is not None and name not in WITHOUT_INFERENCE:
                inferred = ds.graph(INFERRED)
                inferred.addN((s, p, o, inferred) for s, p, o in entailments.get())
                entailments = None
            say(f"writing {name}{where}")
            write(ds, staging / name)
            done[name] = file_sha256(staging / name)
        if verify is not None and any(n in EXPORTS for n in done):
            say(f"re-reading the RDF exports{where}")
            verify(ds, staging, list(done))
        say(f"writers finished{where}")
    return done


_SECOND = " (second process)"


class _SecondProcess:
    """A forked process writing part of the files: it runs ``target(inbox, *args)``, whose result
    (name → SHA-256) or error comes back through a pipe; ``inbox`` carries what the first process
    hands over later (``put`` does not wait for the child to read)."""

    def __init__(self, target: Callable[..., dict[str, str]], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self.inbox = context.Queue()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_second_main, args=(target, self.inbox, send, *args), daemon=True)
        self._process.start()
        send.close()
        self.names: list[str] = []

    def result(self) -> dict[str, str]:
        try:
            status, value = self._receive.recv()
        except EOFError:
            raise OutputError(f"the process writing {', '.join(self.names)} stopped "
                              f"(exit code {self._process.join(60) or self._process.exitcode})") from None
        if status != "ok":
            raise value
        return value

    def stop(self) -> None:
        if self._receive.closed:
            return
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
        self.inbox.cancel_join_thread()  # the child may have stopped before reading what was put
        self.inbox.close()


def _second_main(target: Callable[..., dict[str, str]], inbox: Any, send: Any, *args: Any) -> None:
    try:
        result: tuple[str, Any] = ("ok", target(inbox, *args))
    except BaseException as err:  # handed to the parent, which raises it as its own
        result = ("error", err)
    try:
        send.send(result)
    except Exception:  # an exception that does not pickle: its message
        send.send(("error", OutputError(f"{type(result[1]).__name__}: {result[1]}")))
    finally:
        send.close()


def _write_forked(inbox: Any, ds: Dataset, staging: Path, batch: Sequence[tuple[str, Writer]], say: Progress,
                  verify: Verify | None, entailments: bool) -> dict[str, str]:
    """The second process forked once the dataset is loaded: it shares the dataset's memory."""
    return _run_batch(ds, staging, batch, say, verify, _SECOND, inbox if entailments else None)


def _write_early(inbox: Any, say: Progress) -> dict[str, str]:
    """The second process forked before the dataset is loaded: it imports the writers and what
    the report draws with (about a second of the build's critical path) while the first process
    loads, then receives the dataset pickled, its files' names and, later, the entailments."""
    from ldnkg.export.rdf import verify_exports
    from ldnkg.export.report import warm_up

    writers = dict(_writers())
    try:  # only a head start: a writer that cannot be imported fails when it runs, as it would here
        for write in writers.values():
            if isinstance(write, _Writer):
                write.resolve()
        warm_up()
    except ImportError:
        pass
    job = inbox.get()
    if job is None:  # the first process writes everything, or forks later (a large dataset)
        return {}
    data, root, staging, names, verify, entailments = job
    from ldnkg.graph.load import gc_paused

    with gc_paused():
        ds = pickle.loads(data)
    ds.ldnkg_ontology_root = root  # not pickled with the dataset (see ldnkg.graph.load.ontology_root)
    gc.freeze()
    return _run_batch(ds, staging, [(n, writers[n]) for n in names], say, verify_exports if verify else None,
                      _SECOND, inbox if entailments else None)


#: Up to this many quads the build's second process is started before loading and handed a pickled
#: copy of the dataset (1× : 1.8 MB, 0.15 s to pickle and unpickle); a larger dataset is shared
#: by a fork after loading instead of being held twice.
EARLY_QUADS = SCALE_QUADS


def _can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _write_files(ds: Dataset, staging: Path, chosen: Sequence[tuple[str, Writer]], say: Progress,
                 *, verify: Verify | None, later: _Later | None = None,
                 early: _SecondProcess | None = None) -> dict[str, str]:
    """Run the writers into ``staging`` and re-read the RDF exports; return name → SHA-256 in writer order.

    With two cores or more, the writers :func:`second_process` names run in a second process while this
    one runs the others; each process re-reads the RDF exports it wrote. That process is ``early``
    (started before loading, with :func:`_write_early`: the standard writers only) when given and
    the dataset is small, else forked here, sharing the dataset without copying it. With ``later``,
    this process first infers (the child starts with the :data:`WITHOUT_INFERENCE` files and
    receives the entailments before any other) and validates; if either fails the child is
    stopped and the error raised.
    """
    from ldnkg.graph.load import DATASET_GRAPHS, INFERRED

    second = set(second_process(ds, [n for n, _ in chosen]))
    aside = [(n, w) for n, w in chosen if n in second]
    here = [(n, w) for n, w in chosen if (n, w) not in aside]
    if later is not None:  # the child starts with what needs no entailment (a stable sort)
        aside.sort(key=lambda item: item[0] not in WITHOUT_INFERENCE)
    process = None
    # the dataset's objects are not garbage: frozen, no collection in either process walks them
    # again (a forked child inherits this)
    gc.freeze()
    try:
        if aside and here and (early is not None or _can_fork()):
            quads = sum(len(ds.graph(name)) for name in DATASET_GRAPHS)
            if early is not None and quads < EARLY_QUADS:
                early.inbox.put((pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL), ontology_root(ds), staging,
                                 [n for n, _ in aside], verify is not None, later is not None))
                process = early
            else:
                if early is not None:
                    early.inbox.put(None)
                process = _SecondProcess(_write_forked, ds, staging, aside, say, verify, later is not None)
            process.names = [n for n, _ in aside]
        elif early is not None:
            early.inbox.put(None)
    except BaseException:
        gc.unfreeze()
        raise
    try:
        if later is not None:
            later.infer()
            if process is not None:
                process.inbox.put(list(ds.graph(INFERRED)))
            later.check()
        hashes = _run_batch(ds, staging, here if process is not None else chosen, say, verify)
        if process is not None:
            hashes.update(process.result())
    finally:
        gc.unfreeze()
        if process is not None:
            process.stop()
    return {name: hashes[name] for name, _ in chosen}


def _copy_cached(source: Path, _ds: Dataset, path: Path) -> None:
    shutil.copyfile(source, path)


def _known(writers: Sequence[tuple[str, Writer]]) -> set[str]:
    return set(OUTPUT_FILES) | {name for name, _ in writers}


def write_outputs(
    ds: Dataset,
    out: Path | str,
    *,
    writers: Sequence[tuple[str, Writer]] | None = None,
    root: Path = ONTOLOGY_DIR,
    progress: Progress | None = None,
    verify: bool = True,
    later: _Later | None = None,
    early: _SecondProcess | None = None,
) -> list[Path]:
    """Write ``ds`` with every writer into a staging folder, re-read the RDF exports (unless
    ``verify`` is false: files copied from the build cache were re-read when first written), and
    swap the folder in for ``out``; return the paths of the files in ``out``. ``later`` (the
    build's inference and SHACL) runs beside the second process's writers; nothing is swapped in
    unless it succeeds.

    Raises
    ------
    OutputError
        ``out`` holds something an earlier build did not write, the disk refuses (full,
        read-only, a file where a folder should be), or an export does not read back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ldnkg.export.rdf import write_ntriples
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "b"
    >>> [p.name for p in write_outputs(Dataset(), out, writers=[("ldn.nt", write_ntriples)])]
    ['ldn.nt']
    >>> sorted(p.name for p in out.iterdir())
    ['.ldnkg-build.json', 'ldn.nt']
    """
    from ldnkg.data import sources_digest
    from ldnkg.export.rdf import verify_exports

    say = progress or (lambda _msg: None)
    chosen = list(writers or WRITERS or _writers())
    known = _known(chosen)
    out = Path(out)
    target = check_output(out, known=known)
    for stale in remove_stale_staging(target.real):
        say(f"removed {stale} (left by a build that was stopped)")
    staging: Path | None = None
    try:
        staging = new_staging(target.real)
        hashes = _write_files(ds, staging, chosen, say, verify=verify_exports if verify else None,
                              later=later, early=early)
        target = check_output(out, known=known)  # the folder may have changed while we wrote
        root = Path(root).resolve()
        swap_in(staging, target, hashes, {"ontology": str(root), "sources_sha256": sources_digest(root)})
        staging = None
    except LdnkgError:
        raise
    except OSError as err:  # a full or read-only disk, a file where a folder should be
        where = err.filename or out
        why = (err.strerror or str(err)).lower()
        raise OutputError(f"--out {out}: cannot write {where}: {why}; nothing in {out} was changed") from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name, _ in chosen]
