"""Oxigraph's WebAssembly build for the explorer's SPARQL console: fetched, verified, cached.

The npm package ``oxigraph`` (pinned: :data:`OXIGRAPH_VERSION`, checksum :data:`OXIGRAPH_INTEGRITY`)
is a build-time input, never part of the repository. :func:`oxigraph_bundle` returns its
``web.js`` and ``web_bg.wasm``: from the cached tarball when it is there and its SHA-512 matches,
otherwise fetched with the ``npm`` client (``npm pack``) into the cache folder and verified.
Without ``npm`` (or offline with an empty cache) it raises :class:`WasmUnavailable`, which the
explorer turns into one notice and a page without the console. A tarball whose checksum does
not match is never used (:class:`ChecksumMismatch`).

The cache folder is ``$LDNKG_CACHE/npm`` when that variable is set, else ``.cache/npm`` in the
source checkout (ignored by git), else ``~/.cache/ldnkg/npm``.

Examples
--------
>>> integrity_of(b"abc")[:15]
'sha512-3a81oZNh'
>>> OXIGRAPH_INTEGRITY.startswith("sha512-")
True
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ldnkg.errors import LdnkgError

__all__ = [
    "OXIGRAPH_INTEGRITY",
    "OXIGRAPH_LICENCE",
    "OXIGRAPH_VERSION",
    "ChecksumMismatch",
    "OxigraphBundle",
    "WasmUnavailable",
    "cache_dir",
    "gzip_base64",
    "gzip_base64_kept",
    "integrity_of",
    "oxigraph_bundle",
    "oxigraph_tarball",
]

#: The pinned npm release (the one measured in the reference notes).
OXIGRAPH_VERSION = "0.5.11"
#: npm's ``dist.integrity`` of ``oxigraph-0.5.11.tgz`` (SHA-512 of the tarball, base64).
OXIGRAPH_INTEGRITY = ("sha512-zKdgmp1tsrutGzC1lCCywwZRPpLJKaJnKSDWoY2hIhMiwiCRRXNN1DU7WUyTInBvg"
                      "PKT8Y5N+RgwTL8qKXpLng==")
#: Oxigraph's MIT licence notice (it is dual-licensed MIT OR Apache-2.0), kept in every page.
OXIGRAPH_LICENCE = """\
Oxigraph (npm package oxigraph {version}), https://github.com/oxigraph/oxigraph
Licensed under MIT OR Apache-2.0; used here under the MIT licence:

Copyright (c) 2018 Oxigraph developers

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The WebAssembly module also bundles other permissively licensed Rust crates."""

_NPM_TIMEOUT_S = 120


class WasmUnavailable(LdnkgError):
    """The WebAssembly build cannot be had here (no npm, offline with an empty cache …)."""


class ChecksumMismatch(LdnkgError):
    """A fetched or cached tarball does not have the pinned checksum."""


@dataclass(frozen=True)
class OxigraphBundle:
    """The two files of the npm package the page needs."""

    version: str
    web_js: bytes
    wasm: bytes

    @property
    def licence(self) -> str:
        """The licence notice to keep in the generated file."""
        return OXIGRAPH_LICENCE.format(version=self.version)


def integrity_of(data: bytes) -> str:
    """npm's ``integrity`` string (Subresource Integrity, SHA-512) of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def gzip_base64(data: bytes) -> str:
    """``data`` gzipped (level 9, mtime 0: deterministic) and base64-encoded.

    >>> gzip_base64(b"x") == gzip_base64(b"x")
    True
    """
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def gzip_base64_kept(data: bytes, name: str) -> str:
    """:func:`gzip_base64` of ``data``, kept in ``derived/`` beside the npm cache (compressing the
    wasm takes ≈ 0.3 s, every build); a kept copy is used only if it decodes to ``data``.

    The file name holds the SHA-256 of ``data`` and zlib's version, so a copy is always what this
    zlib would write. ``derived/`` is not an input of the build cache (the npm folder is).

    >>> gzip_base64_kept(b"x" * 10, "doctest") == gzip_base64(b"x" * 10)
    True
    """
    import zlib

    folder = cache_dir().parent / "derived"
    kept = folder / f"{name}-{hashlib.sha256(data).hexdigest()[:32]}-zlib{zlib.ZLIB_VERSION}.gz.b64"
    try:
        text = kept.read_text(encoding="ascii")
        if gzip.decompress(base64.b64decode(text, validate=True)) == data:
            return text
    except (OSError, ValueError, EOFError, zlib.error):
        pass  # missing, unreadable or damaged: written again
    text = gzip_base64(data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="ascii", dir=folder, delete=False,
                                         prefix=".tmp-") as handle:
            handle.write(text)
        os.replace(handle.name, kept)
    except OSError:
        pass  # a read-only cache: compressed again next time
    return text


def cache_dir() -> Path:
    """Where fetched npm tarballs are kept (see the module docstring).

    >>> cache_dir().name
    'npm'
    """
    if os.environ.get("LDNKG_CACHE"):
        return Path(os.environ["LDNKG_CACHE"]) / "npm"
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / ".git").exists():
        return checkout / ".cache" / "npm"
    return Path.home() / ".cache" / "ldnkg" / "npm"


def oxigraph_bundle(*, cache: Path | None = None, npm: str | None = None,
                    version: str = OXIGRAPH_VERSION,
                    integrity: str = OXIGRAPH_INTEGRITY) -> OxigraphBundle:
    """``web.js`` and ``web_bg.wasm`` of the pinned ``oxigraph`` npm package.

    Parameters
    ----------
    cache : Path, optional, keyword-only
        The cache folder (default :func:`cache_dir`).
    npm : str, optional, keyword-only
        The npm executable (default: ``npm`` on ``PATH``).
    version, integrity : str, keyword-only
        The release and its npm integrity string (defaults: the pinned ones).

    Raises
    ------
    WasmUnavailable
        Neither a verified cached tarball nor a working ``npm`` to fetch one.
    ChecksumMismatch
        The fetched tarball's SHA-512 differs from ``integrity``.

    Examples
    --------
    >>> try:
    ...     bundle = oxigraph_bundle()
    ... except WasmUnavailable:
    ...     bundle = None
    >>> bundle is None or bundle.wasm[:4] == b"\\0asm"
    True
    """
    folder = cache or cache_dir()
    return _cached_bundle(str(folder), npm, version, integrity)


def oxigraph_tarball(*, cache: Path | None = None, npm: str | None = None,
                     version: str = OXIGRAPH_VERSION, integrity: str = OXIGRAPH_INTEGRITY) -> Path:
    """The cached tarball of the pinned release, its SHA-512 checked, fetched first when missing.

    Its bytes are fixed by ``integrity``, so what a build embeds depends only on whether this
    succeeds (the build cache keys on that, not on the folder, which the first build fills).
    Raises :class:`WasmUnavailable` or :class:`ChecksumMismatch` as :func:`oxigraph_bundle`.
    """
    return _verified_tarball(str(cache or cache_dir()), npm, version, integrity)


@functools.lru_cache(maxsize=4)
def _verified_tarball(folder: str, npm: str | None, version: str, integrity: str) -> Path:
    tarball = Path(folder) / f"oxigraph-{version}.tgz"
    if not (tarball.is_file() and integrity_of(tarball.read_bytes()) == integrity):
        _fetch(tarball, npm, version, integrity)
    return tarball


@functools.lru_cache(maxsize=4)
def _cached_bundle(folder: str, npm: str | None, version: str, integrity: str) -> OxigraphBundle:
    return _read_tarball(_verified_tarball(folder, npm, version, integrity), version)


def _fetch(tarball: Path, npm: str | None, version: str, integrity: str) -> None:
    exe = npm or shutil.which("npm")
    if not exe:
        raise WasmUnavailable("npm was not found (install Node.js/npm to embed the SPARQL console)")
    tarball.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tarball.parent, prefix=".fetch-") as tmp:
        env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false",
               "npm_config_audit": "false", "npm_config_loglevel": "error"}
        try:
            done = subprocess.run(
                [exe, "pack", f"oxigraph@{version}", "--pack-destination", tmp, "--prefer-offline"],
                capture_output=True, text=True, timeout=_NPM_TIMEOUT_S, env=env, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise WasmUnavailable(f"npm could not fetch oxigraph@{version}: {err}") from None
        fetched = Path(tmp) / f"oxigraph-{version}.tgz"
        if done.returncode != 0 or not fetched.is_file():
            lines = [x for x in (done.stderr or done.stdout or "").splitlines()
                     if x.strip() and "Unknown user config" not in x]
            why = lines[-1].strip() if lines else f"exit code {done.returncode}"
            raise WasmUnavailable(f"npm could not fetch oxigraph@{version} (offline?): {why}")
        got = integrity_of(fetched.read_bytes())
        if got != integrity:
            raise ChecksumMismatch(f"oxigraph-{version}.tgz from npm has checksum {got}, "
                                   f"expected {integrity}; not using it")
        os.replace(fetched, tarball)


def _read_tarball(tarball: Path, version: str) -> OxigraphBundle:
    wanted = {"package/web.js": b"", "package/web_bg.wasm": b""}
    with tarfile.open(tarball, "r|gz") as tar:  # one pass: seeking back in a gzip stream inflates it again
        for member in tar:
            if member.name in wanted and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    wanted[member.name] = handle.read()
    if not all(wanted.values()):
        raise WasmUnavailable(f"{tarball}: web.js or web_bg.wasm missing from the package")
    return OxigraphBundle(version, wanted["package/web.js"], wanted["package/web_bg.wasm"])
