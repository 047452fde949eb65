"""One source of truth: the commands answer from what ``ldnkg build`` wrote.

After ``make run`` (``ldnkg build --out build``), ``query``, ``serve``, ``push``, ``explain``,
``evidence`` and ``stats`` read the build folder (``build/`` by default, ``--data DIR`` or the
environment variable ``LDNKG_DATA`` to choose; an ontology folder there is read without a build):
its ``ldn.trig`` / ``ldn.nq`` hold every named graph — schema, knowledge, observations,
hypotheses and the OWL 2 RL entailments — and, when the build was given the article with
``--source``, the verbatim quotes. ``--ontology DIR``
answers from an ontology folder instead (no inference, no quotes), and says nothing about any
build.

Freshness
---------
A build is *older than its sources* when the SHA-256 of the ontology files it was built from
(:func:`sources_digest`: every ``*.ttl`` under the ontology folder, by relative path and content;
the named queries are read when a query runs, so editing one needs no rebuild) differs from the
digest recorded in the build's manifest ``.ldnkg-build.json`` (key ``sources_sha256``). A build
without a recorded digest (written by an older ldnkg) falls back to modification times: stale if
any source file is newer than ``ldn.trig``. A missing or stale build is one clear error that says
how to rebuild; nothing answers from something else.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldnkg.errors import LdnkgError

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset

__all__ = [
    "DEFAULT_DATA_DIR",
    "MANIFEST",
    "BuildDataError",
    "DataSource",
    "check_build",
    "choose",
    "load_build",
    "sources_digest",
]

#: The folder ``make run`` builds into, relative to the working directory.
DEFAULT_DATA_DIR = Path("build")
#: The build's manifest (written by :mod:`ldnkg.build`).
MANIFEST = ".ldnkg-build.json"
#: Environment variable naming the default data folder.
DATA_ENV = "LDNKG_DATA"

_REBUILD = "rebuild with `make run` (or `ldnkg build --out {out}`)"


class BuildDataError(LdnkgError):
    """The build folder is missing, incomplete or older than its sources."""


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix == ".ttl" and p.is_file()
                  and "__pycache__" not in p.parts)


def sources_digest(root: Path | str | None = None) -> str:
    """SHA-256 over the ontology folder's ``*.ttl`` files (relative path + content).

    >>> d = sources_digest()
    >>> len(d), d == sources_digest()
    (64, True)
    """
    from ldnkg.ontology import ONTOLOGY_DIR

    base = Path(root or ONTOLOGY_DIR)
    digest = hashlib.sha256()
    for path in _source_files(base):
        digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def check_build(folder: Path | str) -> Path:
    """The build folder's ``ldn.trig``, after checking it exists and is not older than its sources.

    Raises
    ------
    BuildDataError
        One line naming the folder and how to rebuild.

    Examples
    --------
    >>> import tempfile
    >>> check_build(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ldnkg.data.BuildDataError: no build in ...: rebuild with `make run` ...
    """
    from ldnkg.ontology import ONTOLOGY_DIR

    folder = Path(folder)
    how = _REBUILD.format(out=folder)
    trig, nq = folder / "ldn.trig", folder / "ldn.nq"
    if not folder.is_dir() or not trig.is_file() or not nq.is_file():
        raise BuildDataError(f"no build in {folder}/ (ldn.trig and ldn.nq missing): {how}, "
                             "or pass --data DIR or --ontology DIR")
    manifest = _manifest(folder)
    recorded = manifest.get("sources_sha256")
    root = Path(manifest.get("ontology") or ONTOLOGY_DIR)
    if not root.is_dir():
        root = ONTOLOGY_DIR
    if isinstance(recorded, str):
        if recorded != sources_digest(root):
            raise BuildDataError(f"the build in {folder}/ is older than its sources ({root} has "
                                 f"changed since): {how}")
    else:
        built = trig.stat().st_mtime
        newer = next((p for p in _source_files(root) if p.stat().st_mtime > built), None)
        if newer is not None:
            raise BuildDataError(f"the build in {folder}/ is older than its sources ({newer} is "
                                 f"newer): {how}")
    return trig


def load_build(folder: Path | str = DEFAULT_DATA_DIR, *, check: bool = True) -> Dataset:
    """The dataset a build wrote (``ldn.trig``: every named graph, quotes when built with them).

    Parameters
    ----------
    folder : path
        A build folder (``build/`` by default).
    check : bool, keyword-only
        Refuse a missing or stale build (:func:`check_build`).

    Returns
    -------
    rdflib.Dataset
        With ``default_union`` on.
    """
    from rdflib import Dataset

    from ldnkg.errors import RdfSyntaxError
    from ldnkg.namespaces import bind_prefixes

    folder = Path(folder)
    trig = check_build(folder) if check else folder / "ldn.trig"
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    try:
        ds.parse(trig, format="trig")
    except Exception as err:  # rdflib raises many kinds; the file is ours, so say where
        raise RdfSyntaxError(str(trig), getattr(err, "lines", None), str(err).splitlines()[0]) from None
    return ds


@dataclass(frozen=True)
class DataSource:
    """Where a command reads its graph: a build folder, an RDF file, or an ontology folder."""

    kind: str  # "build", "file" or "ontology"
    path: Path

    @property
    def rdf_file(self) -> Path | None:
        """The RDF file a SPARQL engine or server loads (``ldn.nq`` of a build), if any."""
        if self.kind == "build":
            return self.path / "ldn.nq"
        return self.path if self.kind == "file" else None

    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset."""
        if self.kind == "build":
            return load_build(self.path)
        if self.kind == "file":
            from rdflib import Dataset

            ds = Dataset(default_union=True)
            try:
                ds.parse(self.path)
            except Exception as err:  # any parser error is bad input here
                raise LdnkgError(f"{self.path}: cannot load RDF: {str(err).splitlines()[0]}") from None
            return ds
        from ldnkg.graph.load import load

        return load(self.path)

    def store(self) -> ox.Store | Dataset:
        """What :func:`ldnkg.graph.sparql.run` queries: a pyoxigraph store when there is a file."""
        if self.rdf_file is not None:
            from ldnkg.graph.sparql import load_store

            return load_store(self.rdf_file)
        return self.dataset()


def choose(data: Path | str | None = None, root: Path | str | None = None) -> DataSource:
    """The data a command answers from: ``--data``, else ``--ontology``, else ``$LDNKG_DATA``, else
    ``build/``.

    A folder is a build (checked: :func:`check_build`) unless it is an ontology folder
    (``schema.ttl`` and no ``ldn.trig``); a file is an RDF file.

    >>> choose(root="ontology").kind
    'ontology'
    """
    if data is not None:
        return _source(Path(data))
    if root is not None:
        return DataSource("ontology", Path(root))
    return _source(Path(os.environ.get(DATA_ENV) or DEFAULT_DATA_DIR))


def _source(path: Path) -> DataSource:
    if path.is_dir():
        if (path / "schema.ttl").is_file() and not (path / "ldn.trig").exists():
            return DataSource("ontology", path)  # an ontology folder, answered without a build
        check_build(path)
        return DataSource("build", path)
    if path.is_file():
        return DataSource("file", path)
    if path == DEFAULT_DATA_DIR:
        check_build(path)  # the usual case: say how to build
    raise BuildDataError(f"--data {path}: no such build folder, ontology folder or RDF file")
