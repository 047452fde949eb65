"""The SPARQL console in the page without a browser: the npm fallback, checksums, determinism."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re
import shutil
import stat
import sys
import tarfile
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ldnkg.cli import main
from ldnkg.export import wasm
from ldnkg.export.explorer import SparqlConsoleNotice, dataset_nquads, write_explorer
from ldnkg.export.explorer_sparql import nquads_literal, queries_payload
from ldnkg.graph.load import load
from ldnkg.graph.sparql import named_queries

CONSOLE_ID = 'id="ldnkg-oxigraph-wasm"'


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture
def no_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH without npm and an empty cache: what a machine without Node.js has."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("LDNKG_CACHE", str(tmp_path / "cache"))
    wasm._cached_bundle.cache_clear()
    yield tmp_path
    wasm._cached_bundle.cache_clear()


@pytest.fixture(scope="module")
def real_tarball() -> Path:
    """The verified tarball in the real cache (fetched with npm if needed)."""
    return _real_tarball()


def _real_tarball() -> Path:
    try:
        wasm.oxigraph_bundle()
    except wasm.WasmUnavailable as why:
        if os.environ.get("CI"):
            pytest.fail(f"the oxigraph npm package is not available: {why}")
        pytest.skip(f"the oxigraph npm package is not available: {why}")
    return wasm.cache_dir() / f"oxigraph-{wasm.OXIGRAPH_VERSION}.tgz"


def test_without_npm_the_page_is_written_without_the_console_and_says_so(ds, no_npm: Path):
    out = no_npm / "explorer.html"
    with pytest.warns(SparqlConsoleNotice, match="without its SPARQL console: npm was not found"):
        write_explorer(ds, out)
    page = out.read_text(encoding="utf-8")
    assert CONSOLE_ID not in page and 'id="ldnkg-sparql"' not in page
    assert "window.network" in page and 'id="ldnkg-data"' in page


def test_cli_without_npm_succeeds_with_one_notice(no_npm: Path):
    out = no_npm / "explorer.html"
    result = CliRunner().invoke(main, ["explore", "--out", str(out)])
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 1 and "npm was not found" in notices[0]
    assert out.is_file() and CONSOLE_ID not in out.read_text(encoding="utf-8")


def test_no_sparql_leaves_the_console_out_without_a_notice(tmp_path: Path):
    out = tmp_path / "small.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error", SparqlConsoleNotice)
        result = CliRunner().invoke(main, ["explore", "--out", str(out), "--no-sparql"])
    assert result.exit_code == 0 and "notice" not in result.output
    assert CONSOLE_ID not in out.read_text(encoding="utf-8")


def test_a_cached_tarball_is_used_offline(real_tarball: Path, no_npm: Path):
    real = real_tarball
    cache = no_npm / "cache" / "npm"
    cache.mkdir(parents=True)
    shutil.copy(real, cache / real.name)
    bundle = wasm.oxigraph_bundle(cache=cache)
    assert bundle.wasm[:4] == b"\0asm" and b"__wbg_init" in bundle.web_js


def _fake_npm(folder: Path, payload: bytes) -> Path:
    """An ``npm`` whose ``pack`` writes a tarball with ``payload`` as web.js."""
    tgz = folder / "fake.tgz"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in (("package/web.js", payload), ("package/web_bg.wasm", b"\0asm\1\0\0\0")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tgz.write_bytes(buf.getvalue())
    script = folder / "npm"
    script.write_text(f"#!{sys.executable}\n# fake npm: pack NAME --pack-destination DIR\n"
                      "import shutil, sys\n"
                      f"shutil.copy({str(tgz)!r}, sys.argv[4] + '/oxigraph-{wasm.OXIGRAPH_VERSION}.tgz')\n",
                      encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_tarball_with_the_wrong_checksum_is_refused(no_npm: Path):
    npm = _fake_npm(no_npm, b"export default 1;")
    cache = no_npm / "cache" / "npm"
    with pytest.raises(wasm.ChecksumMismatch, match="expected sha512-"):
        wasm.oxigraph_bundle(cache=cache, npm=str(npm))
    assert not list(cache.glob("*.tgz"))


def test_a_fetched_tarball_with_the_pinned_checksum_is_cached(no_npm: Path):
    npm = _fake_npm(no_npm, b"export default 2;")
    pinned = wasm.integrity_of((no_npm / "fake.tgz").read_bytes())
    cache = no_npm / "cache" / "npm"
    bundle = wasm.oxigraph_bundle(cache=cache, npm=str(npm), integrity=pinned)
    assert bundle.web_js == b"export default 2;"
    assert (cache / f"oxigraph-{wasm.OXIGRAPH_VERSION}.tgz").is_file()


def test_page_with_console_is_deterministic_and_keeps_the_licence(ds, tmp_path: Path):
    _real_tarball()
    write_explorer(ds, tmp_path / "a.html")
    write_explorer(ds, tmp_path / "b.html")
    page = (tmp_path / "a.html").read_bytes()
    assert page == (tmp_path / "b.html").read_bytes()
    text = page.decode("utf-8")
    assert "Copyright (c) 2018 Oxigraph developers" in text and "MIT" in text
    assert f'data-version="{wasm.OXIGRAPH_VERSION}"' in text
    blob = re.search(r'id="ldnkg-oxigraph-wasm"[^>]*>([^<]*)</script>', text).group(1)
    assert gzip.decompress(base64.b64decode(blob))[:4] == b"\0asm"
    queries = json.loads(re.search(r'id="ldnkg-queries">([^<]*)</script>', text).group(1))
    assert [q["name"] for q in queries["queries"]] == [q.name for q in named_queries()]


def test_embedded_nquads_are_the_whole_dataset(ds, tmp_path: Path):
    text = dataset_nquads(ds)
    store = ox.Store()
    store.load(text, ox.RdfFormat.N_QUADS)
    # one quad per (triple, named graph): a claim's plain triple may sit in two graphs
    quads = {(s, p, o, g.identifier) for g in ds.graphs() for s, p, o in g}
    assert len(store) == len(quads) > 5000
    assert text == dataset_nquads(ds) and "</" not in text


def test_literals_cannot_close_a_script_element():
    evil = '</script><!-- <img src=x onerror=alert(1)>"\\\n'
    line = f"<http://a/s> <http://a/p> {nquads_literal(evil)} ."
    assert "<" not in line.split(" ", 2)[2] and ">" not in nquads_literal(evil)
    store = ox.Store()
    store.load(line, ox.RdfFormat.N_TRIPLES)
    assert next(iter(store)).object.value == evil


def test_query_payload_has_parameters_and_defaults():
    payload = queries_payload()
    by_name = {q["name"]: q for q in payload["queries"]}
    for nq in named_queries():
        assert by_name[nq.name]["text"] == nq.text
        assert by_name[nq.name]["params"] == [
            {"name": p.name, "meaning": p.meaning, "default": p.default} for p in nq.params]
    assert any(q["params"] for q in payload["queries"])


def test_the_console_embeds_the_named_queries_of_the_ontology_folder_built(ontology_copy):
    """Issue 11.12: with --ontology DIR the console embedded the packaged named queries."""
    from ldnkg.export.explorer_sparql import queries_payload
    from ldnkg.graph.load import load, ontology_root

    extra = ontology_copy / "queries" / "only-here.rq"
    extra.write_text("# name: only-here\n# description: a query of this folder only\nASK {}\n", encoding="utf-8")
    ds = load(ontology_copy)
    assert ontology_root(ds) == ontology_copy
    names = {q["name"] for q in queries_payload(ontology_root(ds))["queries"]}
    assert "only-here" in names
    assert "only-here" not in {q["name"] for q in queries_payload()["queries"]}


def test_blank_nodes_are_numbered_the_same_on_every_build():
    """Blank nodes are written b0, b1 … in the order of the sorted text, whatever their ids:
    the same data give the same N-Quads, and the console's store reads them back whole."""
    from rdflib import BNode, Dataset, Literal, URIRef

    def data() -> Dataset:
        d = Dataset()
        e = "https://example.org/"
        for i in range(4):
            b, c = BNode(), BNode()
            d.graph(URIRef(e + "g1")).add((b, URIRef(e + "p"), Literal("same")))
            d.graph(URIRef(e + "g1")).add((b, URIRef(e + "q"), c))
            d.graph(URIRef(e + "g2")).add((URIRef(e + f"s{i}"), URIRef(e + "r"), b))
            d.add((c, URIRef(e + "p"), Literal("x<y&z", lang="en")))
        return d

    text = dataset_nquads(data())
    assert text == dataset_nquads(data())
    labels = sorted(set(re.findall(r"_:b\d+", text)), key=lambda b: int(b[3:]))
    assert len(labels) >= 8 and labels == [f"_:b{i}" for i in range(len(labels))]
    assert text.index("_:b0") < text.index("_:b1") < text.index("_:b2")  # numbered in the text's order
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.N_QUADS)
    assert len(store) == 16 and "<y" not in text
