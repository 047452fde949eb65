"""The explorer's offline SPARQL console: what the page carries to run SPARQL in the browser.

:func:`sparql_console` gathers the data (the dataset as N-Quads), the named queries (text,
description, parameters with defaults), the project's prefixes and Oxigraph's WebAssembly build;
:func:`console_data_block` renders them as non-executing ``<script>`` elements plus the console's
markup and code (before the graph: the console answers while the graph is drawn), and
:func:`console_block` links the console to the graph once it is drawn. Nothing in it can close
its ``<script>``: the N-Quads (whose literals also have
``<``, ``>``, ``&`` escaped as ``\\u003C`` … — N-Triples escapes the parser decodes) and the
binaries are gzip + base64 (the N-Quads shrink twentyfold), the JSON has ``<``, ``>`` and ``&``
escaped.

Examples
--------
>>> from ldnkg.graph.load import load
>>> text = dataset_nquads(load())
>>> text.count("\\n") > 5000 and "</" not in text
True
"""

from __future__ import annotations

import base64
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Dataset

from ldnkg.export.wasm import (
    ChecksumMismatch,
    OxigraphBundle,
    WasmUnavailable,
    gzip_base64,
    gzip_base64_kept,
    oxigraph_bundle,
)

__all__ = [
    "SparqlConsole",
    "SparqlConsoleNotice",
    "console_block",
    "console_data_block",
    "dataset_nquads",
    "nquads_literal",
    "queries_payload",
    "sparql_console",
]


class SparqlConsoleNotice(UserWarning):
    """The explorer was written without its SPARQL console (and why)."""


@dataclass(frozen=True)
class SparqlConsole:
    """Everything the page needs to answer SPARQL offline."""

    nquads: str
    queries: dict[str, Any]
    bundle: OxigraphBundle


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "<": "\\u003C", ">": "\\u003E",
            "&": "\\u0026"}
_ESCAPE_RE = re.compile(r'[\\"\n\r<>&]')


def nquads_literal(value: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """An N-Quads literal whose text holds no ``<``, ``>`` or ``&`` (written as ``\\uXXXX``).

    >>> nquads_literal('</script><img src=x onerror=alert(1)>')
    '"\\\\u003C/script\\\\u003E\\\\u003Cimg src=x onerror=alert(1)\\\\u003E"'
    >>> nquads_literal("1999", datatype="http://www.w3.org/2001/XMLSchema#integer")
    '"1999"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    text = '"' + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], value) + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != _XSD_STRING:
        return f"{text}^^{_iri(datatype)}"
    return text


def _iri(value: str) -> str:
    if "<" not in value and ">" not in value:
        return f"<{value}>"
    return "<" + re.sub(r"[<>]", lambda m: f"\\u{ord(m.group(0)):04X}", value) + ">"


def dataset_nquads(ds: Dataset) -> str:
    """Every quad of ``ds`` as N-Quads (the store ``ldnkg query`` runs on), in a fixed order.

    The usual dataset (only the build's named graphs, no blank node) is written graph by graph in
    the order of ``ldn.trig`` and ``ldn.nq``, from the sorted quads their writers share (in a
    build's second process they are already computed). Otherwise every line is sorted: triples
    of the default graph are written without a graph name, and blank nodes are relabelled ``b0``,
    ``b1`` … in sorted order so the text is the same on every build.
    """
    import pyoxigraph as ox

    from ldnkg.export.rdf import dataset_quads
    from ldnkg.graph.load import DATASET_GRAPHS

    bnodes: dict[str, str] = {}
    texts: dict[Any, str] = {}  # IRI or literal -> its text (most terms recur in many quads)
    blank = ox.BlankNode

    def term(t: Any, mask: bool) -> str:
        text = texts.get(t)
        if text is not None:
            return text
        if isinstance(t, ox.BlankNode):
            return "_:?" if mask else "_:" + bnodes.setdefault(t.value, f"b{len(bnodes)}")
        if isinstance(t, ox.NamedNode):
            text = _iri(t.value)
        elif isinstance(t, ox.Literal):
            text = nquads_literal(t.value, language=t.language or None, datatype=t.datatype.value)
        else:
            return ""  # the default graph
        texts[t] = text
        return text

    def line(q: Any, mask: bool) -> str:
        parts = [term(t, mask) for t in q]
        return " ".join(p for p in parts if p) + " ."

    if {g.identifier for g in ds.graphs() if len(g)} <= set(DATASET_GRAPHS):
        quads = dataset_quads(ds)
        if not any(type(q.subject) is blank or type(q.object) is blank for q in quads):
            return "".join(line(q, False) + "\n" for q in quads)

    from ldnkg.graph.sparql import to_store

    # Sorted by the line with blank nodes masked, ties by the quad's text; a quad without blank
    # nodes is its own line, formatted once (only blank-node quads are formatted again, numbered).
    keyed = []
    for q in to_store(ds):
        s, _, o, g = q
        if type(s) is blank or type(o) is blank or type(g) is blank:
            keyed.append((line(q, True), q))
        else:
            keyed.append((line(q, False), None))
    keyed.sort(key=lambda item: item[0])
    out = []
    i = 0
    while i < len(keyed):
        j = i + 1
        while j < len(keyed) and keyed[j][0] == keyed[i][0]:
            j += 1
        run = keyed[i:j] if j - i == 1 else sorted(keyed[i:j], key=lambda item: str(item[1]))
        out.extend(text if q is None else line(q, False) for text, q in run)
        i = j
    return "".join(text + "\n" for text in out)


def queries_payload(root: Path | None = None) -> dict[str, Any]:
    """The named queries (name, description, text, params with defaults) and the prefixes the
    console declares when a query uses them undeclared — as ``ldnkg.graph.sparql`` does.

    >>> payload = queries_payload()
    >>> "ldn" in dict(payload["prefixes"]) and payload["queries"][0]["text"].strip() != ""
    True
    """
    from ldnkg.graph.queries import ALL_PREFIXES, named_queries

    return {
        "queries": [{"name": q.name, "description": q.description, "text": q.text,
                     "params": [{"name": p.name, "meaning": p.meaning, "default": p.default}
                                for p in q.params]}
                    for q in named_queries(root)],
        "prefixes": [[k, v] for k, v in ALL_PREFIXES.items()],
    }


def sparql_console(ds: Dataset, *,
                   bundle: Callable[[], OxigraphBundle] = oxigraph_bundle) -> SparqlConsole | None:
    """The console for ``ds``, or None (with one :class:`SparqlConsoleNotice`) when the
    WebAssembly build cannot be had. A checksum mismatch is an error, never a silent fallback.
    """
    try:
        wasm = bundle()
    except ChecksumMismatch:
        raise
    except WasmUnavailable as why:
        warnings.warn(f"the explorer is written without its SPARQL console: {why}",
                      SparqlConsoleNotice, stacklevel=3)
        return None
    from ldnkg.graph.load import ontology_root

    # the named queries of the folder the data came from (``--ontology DIR``), not the packaged ones
    return SparqlConsole(dataset_nquads(ds), queries_payload(ontology_root(ds)), wasm)


def _asset(name: str) -> str:
    text = resources.files("ldnkg.export").joinpath("templates", name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise RuntimeError(f"{name} must not contain '</script' or '<!--'")
    return text


def console_block(console: SparqlConsole, *, json_for_script: Callable[[Any], str]) -> str:
    """The script that links the console to the graph once it is drawn (its results' IRIs to the
    nodes, "query this entity" in the node panel); the console itself comes first
    (:func:`console_data_block`) and answers before the graph is drawn."""
    return "<script>window.ldnkgAfterDraw(function () { window.ldnkg.sparql.attach(); });</script>\n"


def console_data_block(console: SparqlConsole, *, json_for_script: Callable[[Any], str]) -> str:
    """The licence notice, the embedded engine, data and queries, the script that starts the
    engine's worker, and the console's markup and code (right after ``<body>``: the worker loads
    and the console takes queries while the graph is drawn)."""
    licence = console.bundle.licence
    if "--" in licence or "<" in licence:
        raise RuntimeError("the licence notice cannot go into an HTML comment")
    nquads = console.nquads
    if "</" in nquads or "<!--" in nquads:
        raise RuntimeError("the N-Quads would close their script element")
    version = console.bundle.version
    return (
        f"<!--\n{licence}\n-->\n"
        f'<script type="application/octet-stream" id="ldnkg-oxigraph-wasm" '
        f'data-encoding="gzip+base64" data-version="{version}">'
        f"{_cached_wasm(console.bundle)}</script>\n"
        f'<script type="application/octet-stream" id="ldnkg-oxigraph-js" data-encoding="base64" '
        f'data-version="{version}">{base64.b64encode(console.bundle.web_js).decode("ascii")}</script>\n'
        f'<script type="application/octet-stream" id="ldnkg-nquads" data-format="application/n-quads" '
        f'data-encoding="gzip+base64">{gzip_base64(nquads.encode("utf-8"))}</script>\n'
        f'<script type="application/json" id="ldnkg-queries">'
        f"{json_for_script(console.queries)}</script>\n"
        f'<script type="text/plain" id="ldnkg-worker">{_asset("explorer-worker.js")}</script>\n'
        f"<script>{_asset('explorer-boot.js')}</script>\n"
        f"{resources.files('ldnkg.export').joinpath('templates', 'explorer-sparql.html').read_text(encoding='utf-8')}\n"
        f"<script>{_asset('explorer-sparql.js')}</script>\n"
    )


_WASM_CACHE: dict[bytes, str] = {}


def _cached_wasm(bundle: OxigraphBundle) -> str:
    """gzip+base64 of the wasm, computed once per process and kept on disk (it takes ~0.3 s)."""
    import hashlib

    key = hashlib.sha256(bundle.wasm).digest()
    if key not in _WASM_CACHE:
        _WASM_CACHE[key] = gzip_base64_kept(bundle.wasm, f"oxigraph-{bundle.version}-web_bg.wasm")
    return _WASM_CACHE[key]
