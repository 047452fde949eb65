"""Writing output files and folders safely: nothing partial, nothing foreign destroyed.

Files are written through a temporary file and a rename (:func:`write_atomically`).

Folders (``ldnkg build --out DIR``) follow four rules:

* **Only our own folder is replaced.** Every build writes a manifest, ``.ldnkg-build.json``,
  listing the files it wrote with their SHA-256. A later build replaces ``DIR`` only if it is
  missing, empty, or holds exactly what the manifest lists (:func:`check_output`); anything
  else — a foreign file, a sub-folder, an edited export — is refused with one line naming it,
  and nothing is deleted. A folder written before the manifest existed is recognised by its
  file names alone (every entry one of the build's own names, ``ldn.ttl`` and ``ldn.nt``
  among them).
* **The swap has no gap.** The new build is written into a staging folder beside ``DIR`` and
  exchanged with it in one ``renameat2(RENAME_EXCHANGE)`` system call (:func:`swap_in`), so
  ``DIR`` exists at every instant and a reader sees the old build or the new one, never a
  mix. We chose the exchange over a symlink flip because a flip would turn the user's real
  folder into a link. Where the call is missing (not Linux, or a file system without it) the
  fallback renames the old folder away first, leaving a window of a few microseconds.
* **Symlinks and the working directory.** A symlinked ``DIR`` stays a link: its target is
  replaced. When ``DIR`` is the working directory (``cd build && ldnkg build --out .``) the
  folder itself must survive (the shell is inside it), so its files are replaced one by one,
  each atomically, under a manifest that accepts both the old and the new hashes meanwhile.
* **A killed build leaves nothing for long.** Staging folders are named ``.DIR-XXXXXXXX`` and
  carry a manifest with the writer's pid from their first instant; the next build removes
  those whose writer is gone (:func:`remove_stale_staging`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldnkg.errors import OutputError

__all__ = [
    "MANIFEST",
    "OutputTarget",
    "check_output",
    "file_sha256",
    "new_staging",
    "read_manifest",
    "remove_stale_staging",
    "swap_in",
    "write_atomically",
    "write_manifest",
]

#: The build's manifest, in every folder ``ldnkg build`` writes (read by :mod:`ldnkg.data`).
MANIFEST = ".ldnkg-build.json"
#: Files every build since the first has written: with only build names, they mark a folder
#: written before the manifest existed.
LEGACY_FINGERPRINT = ("ldn.ttl", "ldn.nt")
_FORMAT = 1
#: The temporary files of :func:`write_atomically` (tempfile.mkstemp's 8-character suffix).
_TEMPORARY = re.compile(r"\.(.+)-[a-z0-9_]{8}")


def write_atomically(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` (UTF-8 text with LF newlines, or bytes) to ``path`` via a temporary
    file in the same folder and a rename; return the path.

    >>> import tempfile, pathlib
    >>> p = write_atomically(pathlib.Path(tempfile.mkdtemp()) / "a" / "x.txt", "hi\\n")
    >>> p.read_text()
    'hi\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes.

    >>> import tempfile, pathlib
    >>> file_sha256(write_atomically(pathlib.Path(tempfile.mkdtemp()) / "x", b"LDN"))[:12]
    'c750907e79e9'
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of ``folder`` if it is one of ours (a JSON object of our format), else None."""
    path = folder / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("ldnkg_build") != _FORMAT:
        return None
    return data


def write_manifest(folder: Path, files: Mapping[str, str] | None = None, **extra: Any) -> Path:
    """Write ``folder``'s manifest: the files (name → SHA-256) and ``extra`` keys, sorted, so
    that identical builds give identical bytes."""
    data = {"ldnkg_build": _FORMAT, **extra}
    if files is not None:
        data["files"] = dict(sorted(files.items()))
    return write_atomically(folder / MANIFEST, json.dumps(data, indent=1, sort_keys=True) + "\n")


@dataclass(frozen=True)
class OutputTarget:
    """Where a build goes, after :func:`check_output` has found it safe to replace.

    ``path`` is the folder as given; ``real`` the folder itself (symlinks resolved, absolute);
    ``in_place`` whether it is the working directory (so its files are replaced, not the
    folder); ``previous`` the files an earlier build wrote there (name → SHA-256).
    """

    path: Path
    real: Path
    in_place: bool = False
    previous: dict[str, str] = field(default_factory=dict)


def _refuse(out: Path, why: str) -> OutputError:
    return OutputError(f"--out {out}: {why}; nothing was changed (choose an empty or new folder, "
                       "or one an earlier `ldnkg build` wrote)")


def _first_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def _working_directory() -> Path | None:
    try:
        return Path(os.getcwd())
    except OSError:  # the working directory was deleted
        return None


def check_output(out: Path | str, known: Collection[str] = ()) -> OutputTarget:
    """Check that ``out`` may receive a build; raise :class:`OutputError` (one line) if not.

    Parameters
    ----------
    out : path
        The ``--out`` folder.
    known : collection of str
        The build's own file names, to recognise a folder written before manifests existed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp())
    >>> check_output(mine / "new").previous
    {}
    >>> _ = (mine / "thesis.docx").write_text("years of work")
    >>> check_output(mine)
    Traceback (most recent call last):
    ...
    ldnkg.errors.OutputError: --out ...: .../thesis.docx was not written by ldnkg build; ...
    """
    out = Path(out)
    real = Path(os.path.realpath(out))
    if real == real.parent:
        raise _refuse(out, "is the root of the file system")
    existing = _first_existing(real)
    if existing != real:
        if not existing.is_dir():
            raise _refuse(out, f"{existing} is a file, so no folder can be made below it")
        return OutputTarget(out, real)
    if real.is_symlink():  # still a link after realpath: a loop
        raise _refuse(out, "is a symlink loop")
    if not real.is_dir():
        raise _refuse(out, "is a file, not a folder")
    cwd = _working_directory()
    in_place = cwd is not None and (cwd == real or real in cwd.parents)
    try:
        entries = sorted(os.listdir(real))
    except OSError as err:
        raise _refuse(out, err.strerror.lower()) from None
    if not entries:
        return OutputTarget(out, real, in_place)
    manifest = read_manifest(real)
    if manifest is None:
        return OutputTarget(out, real, in_place, _legacy(out, real, entries, known))
    files = manifest.get("files") or {}
    replacing = manifest.get("replacing") or {}
    previous = {}
    for name in entries:
        if name == MANIFEST:
            continue
        path = real / name
        leftover = _TEMPORARY.fullmatch(name)
        if leftover and (leftover[1] in files or leftover[1] == MANIFEST) and stat.S_ISREG(path.lstat().st_mode):
            previous[name] = ""  # our own temporary file from a write that was interrupted: removed
            continue
        if name not in files and name not in replacing:
            raise _refuse(out, f"{path} was not written by ldnkg build")
        if not stat.S_ISREG(path.lstat().st_mode):
            raise _refuse(out, f"{path} is not the file ldnkg build wrote")
        previous[name] = file_sha256(path)
        if previous[name] not in (files.get(name), replacing.get(name)):
            raise _refuse(out, f"{path} has changed since ldnkg build wrote it")
    return OutputTarget(out, real, in_place, previous)


def _legacy(out: Path, real: Path, entries: list[str], known: Collection[str]) -> dict[str, str]:
    """A folder without a manifest: ours only if it looks exactly like an older build."""
    for name in entries:
        path = real / name
        if name not in known or not stat.S_ISREG(path.lstat().st_mode):
            raise _refuse(out, f"{path} was not written by ldnkg build")
    if not set(LEGACY_FINGERPRINT) <= set(entries):
        raise _refuse(out, f"{real / entries[0]} was not written by ldnkg build (no build manifest "
                      f"{MANIFEST}, and no {' and '.join(LEGACY_FINGERPRINT)})")
    return {name: file_sha256(real / name) for name in entries}


def _staging_pattern(real: Path) -> re.Pattern[str]:
    # tempfile.mkdtemp's suffix: 8 characters from its alphabet
    return re.compile(rf"\.{re.escape(real.name)}-[a-z0-9_]{{8}}")


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_staging(real: Path) -> list[Path]:
    """Remove the staging folders of builds into ``real`` that were killed; return them.

    A folder beside ``real`` is removed only if its name is ``.NAME-XXXXXXXX``, it is a real
    folder (not a link), it holds our manifest, and the manifest either is a finished build's
    (the old folder of an interrupted swap) or names a writer that no longer runs.
    """
    pattern = _staging_pattern(real)
    removed = []
    try:
        siblings = sorted(os.listdir(real.parent))
    except OSError:
        return removed
    for name in siblings:
        path = real.parent / name
        if not pattern.fullmatch(name) or path.is_symlink() or not path.is_dir():
            continue
        manifest = read_manifest(path)
        if manifest is None:
            continue
        if manifest.get("state") == "writing" and _alive(manifest.get("pid")):
            continue  # a build still writing (this one, or another running now)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def new_staging(real: Path) -> Path:
    """A fresh staging folder beside ``real``, marked as ours (and by whom) from the start."""
    real.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{real.name}-", dir=real.parent))
    try:
        write_manifest(staging, state="writing", pid=os.getpid())
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux's renameat2; False where it is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # glibc < 2.28, musl
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # kernel or file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_build(folder: Path, names: Collection[str]) -> None:
    """Delete an old build: the files it listed and its manifest, then the folder if empty.
    Anything else that appeared meanwhile is left where it is."""
    for name in (*names, MANIFEST):
        (folder / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: something foreign appeared, keep it
        folder.rmdir()


def swap_in(staging: Path, target: OutputTarget, files: Mapping[str, str], manifest: Mapping[str, Any]) -> None:
    """Put the finished build in ``staging`` in place of ``target`` (see the module docstring).

    ``files`` maps each written file name to its SHA-256; ``manifest`` holds the manifest's
    other keys. Raises OSError if the file system refuses; ``target`` is then unchanged (or,
    in place, holds a mix of old and new files under a manifest that still recognises both).
    """
    real, previous = target.real, target.previous
    if target.in_place:
        write_manifest(real, files, replacing=previous, **manifest)
        for name in sorted(files):
            os.replace(staging / name, real / name)
        for name in sorted(set(previous) - set(files)):
            (real / name).unlink(missing_ok=True)
        write_manifest(real, files, **manifest)
        shutil.rmtree(staging, ignore_errors=True)
        return
    write_manifest(staging, files, **manifest)
    if not real.is_dir():
        os.rename(staging, real)
        return
    if _exchange(staging, real):
        _remove_build(staging, previous)
        return
    # fallback without RENAME_EXCHANGE: the old folder is renamed away first (a short window)
    old = Path(tempfile.mkdtemp(prefix=f".{real.name}-", dir=real.parent))
    os.rmdir(old)
    os.rename(real, old)
    os.rename(staging, real)
    _remove_build(old, previous)
