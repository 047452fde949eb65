"""The offline, single-file visual explorer (``build/explorer.html``, ``ldnkg explore``).

The page is PyVis 0.3.2's ``generate_html`` with ``cdn_resources="in_line"`` (vis-network
inlined; :func:`pyvis_html` renders PyVis's template as it does, without importing PyVis) for an
empty network, post-processed: the two Bootstrap CDN tags PyVis always links are removed (and that
exactly two were removed is asserted, so a PyVis upgrade fails loudly), the network's redraw is
blocked right after PyVis's script creates it, the key bar and the script that fills and measures
it go right after ``<body>`` (so the canvas has its final size when the graph is drawn), and one
block of our own markup, data and script is added before ``</body>``, ending with the graph's
nodes and edges as JSON and ``explorer-fill.js``, which adds them to the network a slice at a time
(a big graph took seconds to build in one go, and the page and its console waited). The scripts
that need the graph wait for it (``ldnkgAfterDraw``). Nothing is fetched from the network.

The page also carries a SPARQL console (unless ``sparql=False``): Oxigraph's WebAssembly build
(npm package ``oxigraph``, pinned and checksum-verified by :mod:`ldnkg.export.wasm`; gzip +
base64 in a non-executing ``<script>``), the dataset as N-Quads (every named graph, ``<`` in
literals escaped as ``\u003C``), the named queries with their parameters, and a Web Worker
(created from a blob, so a long query is cancelled by terminating it) that runs the queries
with the default graph as the union of the named graphs, as ``ldnkg query`` does; the console
comes before the graph and answers while the graph is being built. Where the
WebAssembly build cannot be had (no ``npm``, offline with an empty cache) the page is written
without the console and one :class:`SparqlConsoleNotice` warning says so.

Design choices:

* positions are precomputed in Python (:mod:`ldnkg.export.explorer_layout`: a layered map by
  role up to :data:`SMALL_GRAPH` nodes, igraph's Fruchterman–Reingold above) and physics is off;
  what is drawn comes from :mod:`ldnkg.export.explorer_data`;
* ``net.nodes`` / ``net.edges`` are filled directly (PyVis's ``add_edge`` is quadratic);
* no PyVis ``title`` is ever set (PyVis may inject it as HTML); every text of the graph reaches
  the page only inside JSON whose ``<``, ``>`` and ``&`` are escaped, and the page writes it with
  ``textContent``;
* the output is byte-identical for the same input.

Examples
--------
>>> from ldnkg.graph.load import load
>>> page = explorer_html(load())
>>> page.startswith("<html>") and "window.network" in page and "cdn.jsdelivr" not in page
True
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset

from ldnkg.errors import LdnkgError
from ldnkg.export.explorer_data import ASSERTERS, CATEGORIES, MECHANISM_PREDICATES, page_model
from ldnkg.export.explorer_layout import SMALL_GRAPH, layout
from ldnkg.export.explorer_sparql import (
    SparqlConsole,
    SparqlConsoleNotice,
    console_block,
    console_data_block,
    dataset_nquads,
    sparql_console,
)
from ldnkg.export.files import write_atomically

__all__ = [
    "ASSERTERS",
    "CATEGORIES",
    "MECHANISM_PREDICATES",
    "SMALL_GRAPH",
    "Explorer",
    "SparqlConsole",
    "SparqlConsoleNotice",
    "dataset_nquads",
    "explorer_html",
    "graph_html",
    "iris_named_by_query",
    "layout",
    "page_model",
    "pyvis_html",
    "query_entities",
    "resolve_entity",
    "sparql_console",
    "strip_bootstrap",
    "write_explorer",
]

@dataclass(frozen=True)
class Explorer:
    """An explorer page; shows inline in a notebook (an ``iframe`` with ``srcdoc``).

    Built with :meth:`from_dataset` it leaves the SPARQL console out unless ``sparql=True`` is
    passed (the console's WebAssembly engine would add ≈ 2 MB to every output cell).

    >>> from ldnkg.graph.load import load
    >>> ex = Explorer.from_dataset(load(), focus="LDN", depth=1)
    >>> ex._repr_html_().startswith("<iframe")
    True
    """

    html: str
    height: int = 640

    @classmethod
    def from_dataset(cls, ds: Dataset, *, height: int = 640, **options: Any) -> Explorer:
        """Build the explorer of ``ds`` (keyword options as :func:`explorer_html`)."""
        options.setdefault("sparql", False)
        return cls(explorer_html(ds, **options), height=height)

    def _repr_html_(self) -> str:
        # A single-quoted attribute: the page has 30× fewer single than double quotes, so this
        # escaping adds ≈ 20 kB where html.escape would add ≈ 0.2 MB; "<" and ">" are escaped
        # too, so no tag of the page appears as markup in the notebook.
        doc = (self.html.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
               .replace(">", "&gt;"))
        return (f"<iframe srcdoc='{doc}' title='LDN knowledge graph explorer' "
                f"style='width:100%;height:{int(self.height)}px;border:1px solid #ddd;display:block' "
                "sandbox='allow-scripts'></iframe>")

    def save(self, path: Path | str) -> Path:
        """Write the page atomically to ``path`` and return it."""
        return write_atomically(Path(path), self.html)


def write_explorer(
    ds: Dataset,
    path: Path | str,
    *,
    focus: str | None = None,
    depth: int | None = None,
    subgraph_iris: Iterable[str] | None = None,
    sparql: bool = True,
) -> None:
    """Write the explorer of ``ds`` to ``path`` (atomically).

    ``sparql=False`` leaves the SPARQL console out (the smallest file); see :func:`explorer_html`.

    >>> import tempfile, pathlib
    >>> from ldnkg.graph.load import load
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "explorer.html"
    >>> write_explorer(load(), out)
    >>> out.stat().st_size > 500_000
    True
    """
    page = explorer_html(ds, focus=focus, depth=depth, subgraph_iris=subgraph_iris, sparql=sparql)
    write_atomically(Path(path), page)


def explorer_html(
    ds: Dataset,
    *,
    focus: str | None = None,
    depth: int | None = None,
    subgraph_iris: Iterable[str] | None = None,
    title: str = "LDN knowledge graph explorer",
    sparql: bool = True,
    query: str | None = None,
) -> str:
    """The explorer page of ``ds`` as one self-contained HTML string.

    Parameters
    ----------
    ds : rdflib.Dataset
        A loaded (and preferably validated) dataset.
    focus, depth : str, int, optional
        Keep only the entities within ``depth`` hops (either direction) of ``focus`` (an IRI,
        an ``ldn:`` CURIE, a local name or a label; ``depth`` defaults to 2).
    subgraph_iris : iterable of str, optional
        Keep only these entities (e.g. those a SPARQL query's result named).
    query : str, optional
        The SPARQL text behind ``subgraph_iris``: the entities it names itself (``ldn:LDN`` in
        ``rdf:subject ldn:LDN``) are kept too, so the picture shows what the question was about.
    title : str
        The page title (text, escaped).
    sparql : bool
        Embed the SPARQL console over the whole of ``ds`` (needs the ``oxigraph`` npm package,
        see :mod:`ldnkg.export.wasm`; without it the page has no console and a
        :class:`SparqlConsoleNotice` is issued).

    >>> from ldnkg.graph.load import load
    >>> "TLR4" in explorer_html(load(), focus="ldn:TLR4", depth=1, sparql=False)
    True
    """
    from ldnkg.graph.project import to_networkx

    # the nodes already carry their entity records (citations, best match grade included)
    graph = full = to_networkx(ds)
    if subgraph_iris is not None:
        keep = (set(subgraph_iris) | set(query_entities(query) if query else ())) & set(graph)
        if not keep:
            raise LdnkgError("the subgraph to show names no entity of the graph")
        graph = graph.subgraph(sorted(keep)).copy()
    if focus is not None:
        centre = resolve_entity(graph, focus)
        hops = 2 if depth is None else depth
        if hops < 0:
            raise LdnkgError(f"--depth must be 0 or more, not {hops}")
        near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre,
                                                     cutoff=hops)
        graph = graph.subgraph(sorted(near)).copy()
    elif depth is not None:
        raise LdnkgError("--depth needs --focus")
    console = sparql_console(ds) if sparql else None
    return graph_html(graph, title=title, extra_claims=_literal_claims(ds, graph), console=console,
                      profiles=condition_profiles(ds, graph, full=full))


def condition_profiles(ds: Dataset, graph: nx.MultiDiGraph, *,
                       full: nx.MultiDiGraph | None = None) -> dict[str, list[dict[str, Any]]]:
    """For each condition drawn, the chains ``ldnkg evidence`` gives it (strongest first): the claim
    IRIs of each chain's links and its weakest evidence rank, so that the page's evidence card shows
    the same chains as the command (:func:`ldnkg.graph.analysis.profile.evidence`).

    The chains are those of the profile (mechanism chains from LDN over the whole entity graph,
    ``full``: ``to_networkx(ds)``), searched once for every condition instead of one profile each.

    >>> from ldnkg.graph.load import load
    >>> from ldnkg.graph.project import to_networkx
    >>> ds = load()
    >>> chains = condition_profiles(ds, to_networkx(ds))["https://w3id.org/ldnkg/entity/Fibromyalgia"]
    >>> chains[0]["weakest"], chains[0]["claims"][0].rsplit("/", 1)[-1]
    (1, 'p20-fibro-trials')
    """
    from ldnkg.graph.analysis.paths import chains_to_conditions
    from ldnkg.graph.analysis.views import LDN, is_condition
    from ldnkg.graph.project import to_networkx

    drawn = [node for node in sorted(graph) if is_condition(graph, node)]
    if not drawn:
        return {}
    # the profile's chains: cutoff 6, link = its best claim, rank = the weakest link's
    reached = chains_to_conditions(to_networkx(ds) if full is None else full, source=LDN, cutoff=6)
    return {node: [{"claims": [link.best_claim["claim"] for link in chain.links],
                    "weakest": chain.strength[0]} for chain in reached.get(node, [])]
            for node in drawn}


def resolve_entity(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of ``graph`` that ``name`` (IRI, CURIE, local name, label or synonym) names.

    >>> from ldnkg.graph.load import load
    >>> from ldnkg.graph.project import to_networkx
    >>> resolve_entity(to_networkx(load()), "fibromyalgia")
    'https://w3id.org/ldnkg/entity/Fibromyalgia'
    """
    # the one resolver of every command (surnames, any case and punctuation, "did you mean")
    from ldnkg.graph.analysis.resolve import name_index

    return name_index(graph).resolve(name)


def iris_named_by_query(ds: Dataset, query: str) -> list[str]:
    """The IRIs a SPARQL query's result names: every IRI of a SELECT's rows or of a
    CONSTRUCT/DESCRIBE graph; a claim IRI also names its subject and object.

    ``query`` is a named query, a ``.rq`` file or SPARQL text (see ``ldnkg.graph.sparql``).

    >>> from ldnkg.graph.load import load
    >>> iris = iris_named_by_query(load(), "SELECT ?x WHERE { ldn:LDN ldno:actsThrough ?x }")
    >>> "https://w3id.org/ldnkg/entity/TLR4Blockade" in iris
    True
    """
    from ldnkg.graph.sparql import prepare, run

    result = run(ds, query)
    if result.kind == "ask":
        raise LdnkgError("an ASK query names no entities; use SELECT (of IRIs) or CONSTRUCT")
    named = result.named_iris(ds)
    return named + [iri for iri in query_entities(prepare(query)[0]) if iri not in set(named)]


def query_entities(text: str) -> list[str]:
    """The entity IRIs (``ldn:`` namespace) a SPARQL query names in its own text, found by parsing.

    Text that does not parse names nothing (the engine reports its errors).

    >>> query_entities("PREFIX ldn: <https://w3id.org/ldnkg/entity/> "
    ...                "SELECT ?x WHERE { ?c <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ldn:LDN }")
    ['https://w3id.org/ldnkg/entity/LDN']
    """
    from pyparsing import ParseException
    from rdflib import URIRef
    from rdflib.plugins.sparql import prepareQuery

    from ldnkg.graph.sparql import with_prefixes
    from ldnkg.namespaces import LDN

    try:
        algebra = prepareQuery(with_prefixes(text)[0]).algebra
    except (ParseException, ValueError, TypeError, KeyError, AttributeError, NotImplementedError):
        return []
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, URIRef):
            if str(node).startswith(str(LDN)):
                found.add(str(node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, set)):
            for value in node:
                walk(value)

    walk(algebra)
    return sorted(found)


def _literal_claims(ds: Dataset, graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Claims whose object is a literal (not edges), about nodes of ``graph``."""
    from ldnkg.graph.project import claim_records

    return [c for c in claim_records(ds) if c["object_is_literal"] and c["subject"] in graph]


# --------------------------------------------------------------------------- page model


def graph_html(
    graph: nx.MultiDiGraph,
    *,
    title: str = "LDN knowledge graph explorer",
    extra_claims: list[dict[str, Any]] | None = None,
    console: SparqlConsole | None = None,
    profiles: dict[str, list[dict[str, Any]]] | None = None,
) -> str:
    """Render an entity graph (as made by ``to_networkx``) into the explorer page.

    Nodes need ``label`` and ``kind``; edges need ``predicate``, ``predicate_label``,
    ``negated`` and ``claims`` (claim dicts). Used by the benchmark for generated graphs.
    With ``console`` the page carries the SPARQL console over its N-Quads; with ``profiles``
    (:func:`condition_profiles`) each condition's evidence card shows those chains.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="<b>A</b>", kind="Drug")
    >>> "<b>A</b>" in graph_html(g)
    False
    """
    nodes, edges, details = page_model(graph, extra_claims=extra_claims or [])
    if profiles:
        details["profiles"] = profiles
    return render_page(nodes, edges, details, title=title, console=console)


# --------------------------------------------------------------------------- page assembly

_BOOTSTRAP_TAG = re.compile(
    r'<link\s+href="https://cdn\.jsdelivr\.net/npm/bootstrap@[^"]*"[^>]*/>'
    r'|<script\s+src="https://cdn\.jsdelivr\.net/npm/bootstrap@[^"]*"[^>]*>\s*</script>')


def strip_bootstrap(page: str) -> str:
    """Remove the two Bootstrap CDN tags PyVis 0.3.2 always emits; fail if not exactly two.

    >>> strip_bootstrap("x")
    Traceback (most recent call last):
    ...
    RuntimeError: expected PyVis to emit exactly 2 Bootstrap CDN tags, found 0 (PyVis changed?)
    """
    stripped, found = _BOOTSTRAP_TAG.subn("", page)
    if found != 2 or "cdn.jsdelivr.net" in stripped:
        raise RuntimeError(f"expected PyVis to emit exactly 2 Bootstrap CDN tags, found {found} "
                           "(PyVis changed?)")
    return stripped


#: vis-network's stylesheet rules for UI this page switches off (navigation buttons, the
#: manipulation toolbar, the close button): their inline images are 205 kB of the 220 kB file.
_UNUSED_VIS_UI = (".vis-navigation", ".vis-manipulation", ".vis-edit-mode", ".vis-close")
_UNUSED_VIS_IMAGES = 13


def slim_vis_css(page: str) -> str:
    """Drop the images of vis-network's unused buttons from the stylesheet PyVis inlines.

    The stylesheet is PyVis's own file, found verbatim in the page and parsed with tinycss2;
    every rule whose selector is about the switched-off UI loses its ``background-image``
    declarations. Fails if the file is not in the page or the count of images changed.

    >>> slim_vis_css("x")
    Traceback (most recent call last):
    ...
    RuntimeError: expected PyVis's vis-network.css once in the page, found 0 (PyVis changed?)
    """
    import tinycss2

    css = _vis_css()
    found = page.count(css)
    if found != 1:
        raise RuntimeError(f"expected PyVis's vis-network.css once in the page, found {found} (PyVis changed?)")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True)
    dropped = 0
    out = []
    for rule in rules:
        if rule.type == "qualified-rule" and any(ui in tinycss2.serialize(rule.prelude) for ui in _UNUSED_VIS_UI):
            kept = []
            for decl in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True):
                if decl.type == "declaration" and decl.lower_name in ("background-image", "background") \
                        and any(t.type == "url" or (t.type == "function" and t.lower_name == "url")
                                for t in decl.value):
                    dropped += 1
                    continue
                kept.append(decl)
            out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{"
                       f"{';'.join(tinycss2.serialize([d]) for d in kept)}}}")
        else:
            out.append(tinycss2.serialize([rule]))
    if dropped != _UNUSED_VIS_IMAGES:
        raise RuntimeError(f"expected {_UNUSED_VIS_IMAGES} button images in vis-network.css, found {dropped}")
    return page.replace(css, "".join(out), 1)


def _vis_css() -> str:
    path = _pyvis_folder() / "templates" / "lib" / "vis-9.1.2" / "vis-network.css"
    return path.read_text(encoding="utf-8")


def json_for_script(value: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators escaped.

    >>> json_for_script({"a": "</script><img onerror=x>"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cimg onerror=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def _asset(name: str) -> str:
    return resources.files("ldnkg.export").joinpath("templates", name).read_text(encoding="utf-8")


#: vis draws a label only if its size on screen is at least this minus one pixel.
DRAW_THRESHOLD = 9


#: Above this many edges the arrowheads are drawn only once zoomed in: at the first view of a
#: big graph they are specks, and filling them was most of the first frame's time (profiled).
BIG_GRAPH_EDGES = 3000


def _options(n_edges: int = 0) -> dict[str, Any]:
    arrows = n_edges <= BIG_GRAPH_EDGES
    return {
        "physics": {"enabled": False, "solver": "barnesHut",
                    "stabilization": {"enabled": True, "iterations": 200}},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": False,
                        "navigationButtons": False, "multiselect": False},
        "layout": {"improvedLayout": False},
        # Edge labels appear only when zoomed in well beyond the first view (9 × scale ≥ 12).
        "edges": {"smooth": False, "font": {"size": 9, "color": "#555", "strokeWidth": 2,
                                            "align": "middle"},
                  "arrows": {"to": {"enabled": arrows, "scaleFactor": 0.5}},
                  "scaling": {"label": {"drawThreshold": DRAW_THRESHOLD + 2}}},
        # Labels drawn smaller than DRAW_THRESHOLD - 1 px are skipped by vis: the map's labels
        # (CORE_FONT) show at the first view, the small ones (SIDE_FONT) once zoomed in.
        # no node borders on a big graph: stroking 20k specks cost ≈ 0.25 s of the first frame
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1 if arrows else 0,
                  "scaling": {"label": {"drawThreshold": DRAW_THRESHOLD}}},
    }


def _pyvis_folder() -> Path:
    """PyVis's installed package folder, found without importing it (which imports IPython)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("PyVis is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.lru_cache(maxsize=2)
def _pyvis_templates(folder: str) -> Any:
    """PyVis's own template environment (as ``Network`` makes it), plus jinja2's bytecode cache:
    the template includes vis-network's 0.7 MB of script and style, and every build process
    compiled it again."""
    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader

    from ldnkg.export.wasm import cache_dir

    kept = cache_dir().parent / "derived" / "jinja"
    try:
        kept.mkdir(parents=True, exist_ok=True)
        bytecode: FileSystemBytecodeCache | None = FileSystemBytecodeCache(str(kept))
    except OSError:  # a read-only cache: compiled every time
        bytecode = None
    return Environment(loader=FileSystemLoader(folder), bytecode_cache=bytecode)


def pyvis_html(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: dict[str, Any]) -> str:
    """What PyVis 0.3.2's ``Network(height="100%", width="100%", directed=True,
    cdn_resources="in_line", heading="")`` with these nodes, edges and options returns from
    ``generate_html()``: its template, rendered with the values ``generate_html`` passes (importing
    PyVis costs 0.2 s, most of it IPython). ``tests/export/test_explorer_html.py`` checks the
    two are the same text.

    >>> pyvis_html([{"id": "a", "label": "A"}], [], {"physics": {"enabled": False}}).startswith("<html>")
    True
    """
    if any("title" in n for n in nodes):
        raise ValueError("the explorer never sets a PyVis title (PyVis may inject it as HTML)")
    template = _pyvis_templates(str(_pyvis_folder() / "templates") + "/").get_template("template.html")
    return template.render(
        height="100%", width="100%", nodes=nodes, edges=edges, heading="", options=json.dumps(options),
        physics_enabled=options.get("physics", {}).get("enabled", True),
        use_DOT=False, dot_lang="", widget=False, bgcolor="#ffffff", conf=False, tooltip_link=False,
        neighborhood_highlight=False, select_menu=False, filter_menu=False, notebook=False,
        cdn_resources="in_line")


#: PyVis's script ends by calling drawGraph(); the network it makes is empty (the graph is added by
#: explorer-fill.js), and its redraw is blocked in the same script, before a frame can draw it.
_DRAW_CALL = re.compile(r"^([ \t]*)drawGraph\(\);[ \t]*$", re.M)


def _after_draw(code: str) -> str:
    """A script that runs ``code`` once the graph is in vis's network (``ldnkgAfterDraw``)."""
    return f"<script>window.ldnkgAfterDraw(function () {{\n{code}\n}});</script>\n"


def render_page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                details: dict[str, Any], *, title: str, console: SparqlConsole | None = None) -> str:
    """Assemble the page: PyVis in-line HTML (of an empty network), minus Bootstrap, plus our
    block (and the console); the graph rides in one JSON element that explorer-fill.js adds to
    the network a slice at a time, so a big graph no longer holds the page (and the console)."""
    page = slim_vis_css(strip_bootstrap(pyvis_html([], [], _options(len(edges)))))
    page, calls = _DRAW_CALL.subn(
        lambda m: f"{m.group(0)}\n{m.group(1)}network.body.emitter.emit('_blockRedraw');", page)
    if calls != 1:
        raise RuntimeError(f"expected PyVis's script to call drawGraph() once, found {calls} (PyVis changed?)")
    script = "\n".join(_asset(name) for name in ("explorer.js", "explorer-panel.js", "explorer-tools.js",
                                                  "explorer-card.js"))
    view = _asset("explorer-view.js")
    frame = _asset("explorer-frame.js")
    fill = _asset("explorer-fill.js")
    for text in (script, view, frame, fill):
        if "</script" in text.lower() or "<style" in text.lower():
            raise RuntimeError("explorer scripts must not contain script or style tags")
    # the graph right after PyVis's script: it is built while the rest of the page is read (the
    # scripts that need it wait for both, ldnkgAfterDraw)
    block = (
        f'<script type="application/json" id="ldnkg-graph">'
        f"{json_for_script({'nodes': nodes, 'edges': edges})}</script>\n"
        f"<script>{fill}</script>\n"
        f"{_asset('explorer-body.html')}\n"
        f'<script type="application/json" id="ldnkg-data">{json_for_script(details)}</script>\n'
        f"{_after_draw(script)}"
    )
    if console is not None:
        block += console_block(console, json_for_script=json_for_script)
    block += _after_draw(view)
    # The CSS goes into <head> and the key bar before PyVis's script, so the canvas has its final
    # size when the graph is drawn (a later resize clears the canvas and costs a second drawing).
    drawer = ":root { --drawer-h: 31px; }\n" if console is not None else ""
    head = f"<title>{html.escape(title)}</title>\n<style>{drawer}{_asset('explorer.css')}</style>\n"
    page = page.replace("<head>", "<head>\n" + head, 1)
    key = {k: details[k] for k in ("levels", "standings", "negated_colour")}
    early = (f"{_asset('explorer-key.html')}"
             f'<script type="application/json" id="ldnkg-key-data">{json_for_script(key)}</script>\n'
             f"<script>{frame}</script>\n")
    if console is not None:  # the engine starts loading, and the console can take a query, first
        early += console_data_block(console, json_for_script=json_for_script)
    if page.count("<body>") != 1:
        raise RuntimeError("unexpected PyVis page: no single <body>")
    page = page.replace("<body>", "<body>\n" + early, 1)
    if page.count("</body>") != 1:
        raise RuntimeError("unexpected PyVis page: no single </body>")
    return page.replace("</body>", block + "</body>", 1)
