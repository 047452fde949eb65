"""A cache of finished builds, keyed by the hash of every input, so that an unchanged rebuild is a copy.

A build's outputs are a deterministic function of its inputs (tested: byte-identical rebuilds), so
an earlier build of exactly the same inputs can be reused. The key is the SHA-256 of

* every file under the ontology folder (path and bytes: schema, shapes, knowledge, queries);
* every ``--source`` text (bytes, in order);
* the code: every file of the installed ``ldnkg`` packages (modules and templates);
* the environment: Python's version and platform, the name and version of every installed
  distribution (their ``*.dist-info`` folders), whether ``npm`` is on the PATH, whether the
  pinned WebAssembly tarball can be had (fetched first when missing: the explorer embeds it when
  it can) and ``LDNKG_*`` variables.

An entry holds the output files, their SHA-256 and what the build reported (locators verified,
quotes, the inferred triples). Only a build that succeeded is stored; an entry whose files no longer
have their recorded hashes is deleted and the build runs in full, so a hit can never be stale. The
folder is ``$LDNKG_BUILD_CACHE_DIR``, else ``$LDNKG_CACHE/builds``, else ``.cache/builds`` in a source checkout, else
``~/.cache/ldnkg/builds``; the newest :data:`KEEP` entries are kept. ``LDNKG_BUILD_CACHE=0``
turns it off (``ldnkg build --no-cache`` for one build).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KEEP", "BuildCache", "CachedBuild", "cache_root", "enabled"]

#: How many finished builds the cache keeps (the oldest are removed first).
KEEP = 4
_META = "entry.json"
_INFERRED = "inferred.nt"


def enabled() -> bool:
    """False when ``LDNKG_BUILD_CACHE`` is ``0``, ``no``, ``off`` or ``false``.

    >>> enabled() in (True, False)
    True
    """
    return os.environ.get("LDNKG_BUILD_CACHE", "1").strip().lower() not in ("0", "no", "off", "false")


def cache_root() -> Path:
    """The cache's folder (see the module docstring).

    >>> import os
    >>> os.environ.get("LDNKG_BUILD_CACHE_DIR") is not None or cache_root().name == "builds"
    True
    """
    from ldnkg.export.wasm import cache_dir

    if os.environ.get("LDNKG_BUILD_CACHE_DIR"):
        return Path(os.environ["LDNKG_BUILD_CACHE_DIR"])
    return cache_dir().parent / "builds"


def _hash_tree(digest: hashlib._Hash, folder: Path, label: str) -> None:
    # every regular file below folder, by relative path; __pycache__ is the interpreter's, not an input
    files = sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    for path in files:
        digest.update(f"{label}:{path.relative_to(folder).as_posix()}\0".encode())
        with path.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")


def _code_folders() -> list[Path]:
    import ldnkg
    import ldnkg.export
    import ldnkg.graph
    import ldnkg.ontology

    return [Path(m.__file__).resolve().parent for m in (ldnkg, ldnkg.graph, ldnkg.export)] + [
        Path(ldnkg.ontology.__file__).resolve()]


def _environment() -> list[str]:
    seen = [platform.python_implementation(), sys.version, platform.platform()]
    for entry in sys.path:
        with contextlib.suppress(OSError):
            seen += sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info", ".egg-link"))
                           and not _is_ldnkg(n))
    seen.append(f"npm={shutil.which('npm') is not None}")
    # the variables that choose the cache itself are no input of the build
    seen += sorted(f"{k}={v}" for k, v in os.environ.items()
                   if k.startswith("LDNKG_") and not k.startswith("LDNKG_BUILD_CACHE"))
    return seen


def _is_ldnkg(metadata_folder: str) -> bool:
    """Whether a metadata folder is ldnkg's own: its code is keyed by its files, and an editable
    install leaves ``ldnkg.egg-info`` in the checkout, which is on ``sys.path`` for ``python`` run
    there but not for the ``ldnkg`` command, so the same build would get two keys.

    >>> _is_ldnkg("ldnkg.egg-info"), _is_ldnkg("ldnkg-0.1.0.dist-info"), _is_ldnkg("rdflib-7.6.0.dist-info")
    (True, True, False)
    """
    return metadata_folder.split("-", 1)[0].split(".", 1)[0].lower() == "ldnkg"


def input_key(root: Path, sources: Sequence[Path | str], code: Sequence[str] = ()) -> str | None:
    """The SHA-256 of every input of a build, or None when an input cannot be read (the build
    then runs in full and reports the problem in its own words). ``code`` names the functions the
    build runs (its steps and writers), so that a build with a step replaced has a key of its own.

    >>> from ldnkg.ontology import ONTOLOGY_DIR
    >>> len(input_key(ONTOLOGY_DIR, []))
    64
    """
    from ldnkg.export.wasm import ChecksumMismatch

    digest = hashlib.sha256(b"ldnkg build cache 2\0")
    try:
        _hash_tree(digest, Path(root), "ontology")
        for i, source in enumerate(sources):
            path = Path(source)
            if not path.is_file():
                return None  # a FIFO, a folder, a missing file: not for the cache to judge
            digest.update(f"source {i}\0".encode() + path.read_bytes() + b"\0")
        for folder in _code_folders():
            if folder.is_file():
                digest.update(folder.read_bytes())
            else:
                _hash_tree(digest, folder, f"code {folder.name}")
        digest.update(_console_input().encode() + b"\0")
    except (OSError, RecursionError, UnicodeError, ChecksumMismatch):
        return None
    for item in [*code, *_environment()]:
        digest.update(item.encode("utf-8", "backslashreplace") + b"\0")
    return digest.hexdigest()


def _console_input() -> str:
    """What the explorer's SPARQL console is built from: the pinned tarball (its bytes are fixed by
    the checksum) or its absence. Not the npm folder's files: the first build fetches into it, and
    a key taken before that fetch would never match the build that follows (CI, a fresh checkout)."""
    from ldnkg.export.wasm import OXIGRAPH_INTEGRITY, OXIGRAPH_VERSION, WasmUnavailable, oxigraph_tarball

    try:
        oxigraph_tarball()
    except WasmUnavailable:
        return "console: unavailable"
    return f"console: oxigraph {OXIGRAPH_VERSION} {OXIGRAPH_INTEGRITY}"


@dataclass
class CachedBuild:
    """One finished build in the cache: its folder and what the build reported."""

    folder: Path
    files: dict[str, str]
    locators_verified: int
    quotes: int
    inferred: int

    @property
    def inferred_ntriples(self) -> Path:
        return self.folder / _INFERRED


def _sha256(path: Path) -> str:
    from ldnkg.export.files import file_sha256

    return file_sha256(path)


class BuildCache:
    """The finished builds under ``root`` (default :func:`cache_root`)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root()

    @contextlib.contextmanager
    def locked(self, key: str) -> Iterator[None]:
        """Hold the lock of ``key``'s entry, so that of two identical builds at once (e.g. two test
        workers) the second waits for the first and then reuses it; other builds do not wait."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = (self.root / f".lock-{key}").open("a")
        except OSError:  # a read-only cache: build without it
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def get(self, key: str) -> CachedBuild | None:
        """The entry for ``key`` if it is there and whole (every file with its recorded SHA-256)."""
        folder = self.root / key
        try:
            meta = json.loads((folder / _META).read_text(encoding="utf-8"))
            files = dict(meta["files"])
            intact = all(_sha256(folder / name) == sha for name, sha in files.items())
            intact = intact and _sha256(folder / _INFERRED) == meta["inferred_sha256"]
            entry = CachedBuild(folder, files, int(meta["locators_verified"]), int(meta["quotes"]),
                                int(meta["inferred"]))
        except (OSError, ValueError, KeyError, TypeError):
            intact, entry = False, None
        if not intact:
            shutil.rmtree(folder, ignore_errors=True)  # ours: a damaged entry is never served
            return None
        with contextlib.suppress(OSError):
            os.utime(folder)  # most recently used: pruned last
        return entry

    def put(self, key: str, out: Path, files: dict[str, str], *, inferred_nt: bytes,
            locators_verified: int, quotes: int, inferred: int) -> None:
        """Store the build just written to ``out`` (files: name → SHA-256), then prune old entries.
        A cache that cannot be written (read-only, full) is skipped silently: the build succeeded."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".entry-", dir=self.root))
            try:
                for name, sha in files.items():
                    shutil.copyfile(out / name, staging / name)
                    if _sha256(staging / name) != sha:  # --out changed under us: store nothing
                        raise OSError("changed while copying")
                (staging / _INFERRED).write_bytes(inferred_nt)
                meta = {"files": files, "locators_verified": locators_verified, "quotes": quotes,
                        "inferred": inferred, "inferred_sha256": _sha256(staging / _INFERRED)}
                (staging / _META).write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
                shutil.rmtree(self.root / key, ignore_errors=True)
                os.replace(staging, self.root / key)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            self.prune()
        except OSError:
            pass

    def prune(self, keep: int = KEEP) -> None:
        """Remove all but the ``keep`` most recently used entries."""
        entries = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        entries.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
        for old in entries[keep:]:
            shutil.rmtree(old, ignore_errors=True)
            with contextlib.suppress(OSError):
                (self.root / f".lock-{old.name}").unlink()
        now = time.time()
        for stale in self.root.glob(".entry-*"):  # left by a build that was killed while storing
            with contextlib.suppress(OSError):
                if now - stale.stat().st_mtime > 3600:
                    shutil.rmtree(stale, ignore_errors=True)
