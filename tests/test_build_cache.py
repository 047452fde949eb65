"""The build cache: an unchanged rebuild reuses the earlier files byte for byte, and any changed input,
a damaged entry or a failing build is never served from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ldnkg.build import build
from ldnkg.build_cache import BuildCache, enabled, input_key
from ldnkg.errors import LdnkgError
from tests.conftest import REPO, require


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder (LDNKG_CACHE), with the shared npm tarball cache linked in."""
    from ldnkg.export.wasm import cache_dir

    npm = cache_dir()
    monkeypatch.setenv("LDNKG_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("LDNKG_BUILD_CACHE", raising=False)
    monkeypatch.delenv("LDNKG_BUILD_CACHE_DIR", raising=False)  # the test session's shared cache
    (tmp_path / "cache").mkdir()
    if npm.is_dir():  # so the explorer embeds the same console as an ordinary build
        (tmp_path / "cache" / "npm").symlink_to(npm)
    return tmp_path / "cache" / "builds"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".ldnkg-build.json"}


@pytest.mark.slow
def test_unchanged_rebuild_reuses_changed_input_rebuilds(cache: Path, ontology_copy: Path, tmp_path: Path) -> None:
    cold = build(tmp_path / "cold", root=ontology_copy, cache=True)
    assert len(list(cache.iterdir())) >= 1
    said: list[str] = []
    warm = build(tmp_path / "warm", root=ontology_copy, cache=True, progress=said.append)
    assert any("reusing" in m for m in said), said
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold")
    assert (warm.inferred, len(warm.dataset)) == (cold.inferred, len(cold.dataset))
    assert json.loads((tmp_path / "warm" / ".ldnkg-build.json").read_text())["files"].keys() == {
        p.name for p in cold.files}

    # one byte of one knowledge file differs: a full build, which shows the change
    entities = ontology_copy / "knowledge" / "entities.ttl"
    entities.write_text(entities.read_text(encoding="utf-8").replace('"fibromyalgia"', '"fibromyalgiA"'),
                        encoding="utf-8")
    said.clear()
    changed = build(tmp_path / "changed", root=ontology_copy, cache=True, progress=said.append)
    assert not any("reusing" in m for m in said)
    assert '"fibromyalgiA"' in (tmp_path / "changed" / "ldn.ttl").read_text(encoding="utf-8")
    assert changed.files

    # an edited file in the cache entry: the entry is dropped, never served
    newest = max((p for p in cache.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    assert (newest / "ldn.ttl").read_bytes() == (tmp_path / "changed" / "ldn.ttl").read_bytes()
    (newest / "ldn.ttl").write_text("tampered", encoding="utf-8")
    said.clear()
    build(tmp_path / "again", root=ontology_copy, cache=True, progress=said.append)
    assert not any("reusing" in m for m in said)
    assert _files(tmp_path / "again") == _files(tmp_path / "changed")


def test_a_changed_source_text_is_verified_not_served(cache: Path, ontology_copy: Path, tmp_path: Path,
                                                      seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    edited = tmp_path / "edited.txt"
    # one letter changed inside the article: not the text the graph was curated from
    middle = len(text) // 2
    edited.write_text(text[:middle] + ("X" if text[middle] != "X" else "Y") + text[middle + 1:], encoding="utf-8")
    assert input_key(ontology_copy, [seed_path]) != input_key(ontology_copy, [edited])
    with pytest.raises(LdnkgError, match="SHA-256"):
        build(tmp_path / "out", root=ontology_copy, sources=[edited], cache=True)
    assert not (tmp_path / "out").exists()
    assert not cache.exists() or not [p for p in cache.iterdir() if not p.name.startswith(".")], \
        "a failed build stored an entry"


def test_the_key_covers_every_input(ontology_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = input_key(ontology_copy, [])
    assert first == input_key(ontology_copy, [])  # stable
    shapes = ontology_copy / "shapes.ttl"
    shapes.write_bytes(shapes.read_bytes() + b"\n")
    assert input_key(ontology_copy, []) != first  # shapes
    second = input_key(ontology_copy, [])
    (ontology_copy / "queries" / "extra.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert input_key(ontology_copy, []) != second  # queries (the explorer embeds them)
    third = input_key(ontology_copy, [])
    monkeypatch.setenv("LDNKG_SOMETHING", "1")
    assert input_key(ontology_copy, []) != third  # the environment
    assert input_key(ontology_copy, [], ["writer=a.b"]) != input_key(ontology_copy, [], ["writer=a.c"])  # the code
    assert input_key(ontology_copy, [tmp_path / "missing.txt"]) is None  # the build reports it, not the cache


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LDNKG_BUILD_CACHE", "0")
    assert not enabled()
    monkeypatch.setenv("LDNKG_BUILD_CACHE", "1")
    assert enabled()
    store = BuildCache(tmp_path / "c")
    assert store.get("0" * 64) is None  # nothing there: a miss, not an error


def test_a_console_the_first_build_fetches_does_not_change_the_key(
        ontology_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh checkout (CI) has an empty npm cache: the first build fetches the console's tarball.
    The key taken before that fetch must be the key of every later build, or nothing is ever reused."""
    from ldnkg.export import wasm

    try:
        fetched = wasm.oxigraph_tarball()  # the shared cache: what a real `npm pack` hands over
    except wasm.WasmUnavailable as why:
        require(False, f"the console's tarball cannot be had here: {why}")
        return
    # an `npm` that packs by copying that tarball (no network), on an empty private cache
    npm = tmp_path / "bin" / "npm"
    npm.parent.mkdir()
    npm.write_text(f'#!/bin/sh\n# npm pack PKG --pack-destination DIR ...\ncp "{fetched}" "$4/{fetched.name}"\n',
                   encoding="utf-8")
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{npm.parent}:{os.environ['PATH']}")
    monkeypatch.setenv("LDNKG_CACHE", str(tmp_path / "cache"))
    empty = tmp_path / "cache" / "npm"
    assert not empty.exists()

    before = input_key(ontology_copy, [])
    assert (empty / fetched.name).read_bytes() == fetched.read_bytes()  # the key's check fetched it
    assert input_key(ontology_copy, []) == before
    empty.joinpath(fetched.name).unlink()  # offline, no npm: a page without the console, another key
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    wasm._verified_tarball.cache_clear()
    assert input_key(ontology_copy, []) != before


def test_the_command_reuses_a_build_the_api_made_in_the_checkout(tmp_path: Path) -> None:
    """`python` run in the checkout sees the editable install's ldnkg.egg-info there; the `ldnkg`
    command does not. The same inputs must give the same key either way (they gave two, so the
    command rebuilt in full what a notebook or script had just built)."""
    code = ("from ldnkg.build_cache import input_key; from ldnkg.ontology import ONTOLOGY_DIR; "
            "print(input_key(ONTOLOGY_DIR, []))")
    require((REPO / "ldnkg.egg-info").is_dir(), "no editable install in the checkout (pip install -e .)")
    keys = {folder.name: subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                                        text=True, check=True).stdout.strip()
            for folder in (REPO, tmp_path)}
    assert len(set(keys.values())) == 1, keys
