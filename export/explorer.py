"""The offline, single-file visual explorer (``build/explorer.html``, ``ldnkg explore``).

The page is PyVis 0.3.2's ``generate_html`` with ``cdn_resources="in_line"`` (vis-network
inlined), post-processed: the two Bootstrap CDN tags PyVis always links are removed (and that
exactly two were removed is asserted, so a PyVis upgrade fails loudly), and one block of our own
style, markup, data and script is added before ``</body>``. Nothing is fetched from the network.

The page also carries a SPARQL console (unless ``sparql=False``): Oxigraph's WebAssembly build
(npm package ``oxigraph``, pinned and checksum-verified by :mod:`ldnkg.export.wasm`; gzip +
base64 in a non-executing ``<script>``), the dataset as N-Quads (every named graph, ``<`` in
literals escaped as ``\u003C``), the named queries with their parameters, and a Web Worker
(created from a blob, so a long query is cancelled by terminating it) that runs the queries
with the default graph as the union of the named graphs, as ``ldnkg query`` does. Where the
WebAssembly build cannot be had (no ``npm``, offline with an empty cache) the page is written
without the console and one :class:`SparqlConsoleNotice` warning says so.

Design choices:

* positions are precomputed in Python with a seeded layout (NetworkX spring layout for small
  graphs, igraph's Fruchterman–Reingold above :data:`SMALL_GRAPH`) and physics is off;
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

import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset

from ldnkg.errors import LdnkgError
from ldnkg.export.explorer_sparql import (
    SparqlConsole,
    SparqlConsoleNotice,
    console_block,
    dataset_nquads,
    sparql_console,
)
from ldnkg.export.files import write_atomically
from ldnkg.namespaces import CONVERTER, XREF_PREFIXES

__all__ = [
    "CATEGORIES",
    "SMALL_GRAPH",
    "Explorer",
    "SparqlConsole",
    "SparqlConsoleNotice",
    "dataset_nquads",
    "explorer_html",
    "graph_html",
    "iris_named_by_query",
    "resolve_entity",
    "sparql_console",
    "strip_bootstrap",
    "write_explorer",
]

#: Graphs with at most this many nodes are laid out with NetworkX; larger ones with igraph.
SMALL_GRAPH = 500

#: Visual categories: key → (legend label, colour, vis shape, ldno kinds in it).
CATEGORIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "drug": ("Drug", "#d62728", "star", ("Drug",)),
    "role": ("Role of LDN", "#9467bd", "hexagon", ("LdnRole", "TherapeuticRole")),
    "mechanism": ("Mechanism / process", "#1f77b4", "dot",
                  ("Mechanism", "BiologicalProcess", "PhysiologicalState", "Trigger")),
    "molecule": ("Target / molecule", "#17becf", "diamond",
                 ("Receptor", "SignallingMolecule", "MolecularEntity")),
    "cell": ("Cell / site", "#8c564b", "triangle", ("CellType", "AnatomicalSite")),
    "autoimmune": ("Autoimmune condition", "#ff7f0e", "square", ("AutoimmuneCondition",)),
    "cancer": ("Cancer", "#e377c2", "square", ("CancerCondition",)),
    "immune": ("Immune derangement", "#bcbd22", "square", ("ImmuneDerangementCondition",)),
    "neuroinflammatory": ("Neuroinflammatory condition", "#2ca02c", "square",
                          ("NeuroinflammatoryCondition",)),
    "neurodegenerative": ("Neurodegenerative condition", "#7f7f00", "square",
                          ("NeurodegenerativeCondition",)),
    "condition": ("Condition (other)", "#c49c94", "square", ("Condition",)),
    "symptom": ("Symptom", "#ff9896", "square", ("Symptom",)),
    "outcome": ("Outcome / response", "#5fbf5f", "dot",
                ("Outcome", "ResponseCategory", "ResponseRate")),
    "cotherapy": ("Co-therapy / strategy", "#6b8fd6", "diamond",
                  ("Supplement", "MetabolicIntervention", "LifestyleIntervention",
                   "TherapeuticStrategy", "Intervention", "ClinicalPractice")),
    "study": ("Study / publication", "#393b79", "triangleDown", ("Study", "Publication")),
    "agent": ("Person / organisation / place", "#7f7f7f", "dot",
              ("Person", "Organisation", "Place")),
    "other": ("Other", "#c7c7c7", "dot", ()),
}
_KIND_TO_CATEGORY = {kind: key for key, (*_, kinds) in CATEGORIES.items() for kind in kinds}

#: Asserters, firmest first: (label as in the graph, colour, vis dashes).
ASSERTERS: list[tuple[str, str, Any]] = [
    ("published research", "#1f4e9a", False),
    ("clinical experience", "#2e8b57", [10, 5]),
    ("scientific background", "#8a8a8a", [2, 4]),
    ("author hypothesis", "#e08000", [12, 4, 2, 4]),
]
_NEGATED_COLOUR = "#c0392b"

#: Predicates (local names) a "mechanism" path may follow.
MECHANISM_PREDICATES = (
    "actsThrough", "blocks", "causes", "contributesTo", "decreases", "increases", "involves",
    "potentiates", "precedes", "predisposesTo", "regulates", "releases", "suppresses", "triggers",
)
_LARGE_EDGE_COUNT = 3000  # above this, edge labels are left out (they cost draw time)


@dataclass(frozen=True)
class Explorer:
    """An explorer page; shows inline in a notebook (an ``iframe`` with ``srcdoc``).

    >>> from ldnkg.graph.load import load
    >>> ex = Explorer.from_dataset(load(), focus="LDN", depth=1)
    >>> ex._repr_html_().startswith("<iframe")
    True
    """

    html: str
    height: int = 760

    @classmethod
    def from_dataset(cls, ds: Dataset, **options: Any) -> Explorer:
        """Build the explorer of ``ds`` (keyword options as :func:`explorer_html`)."""
        return cls(explorer_html(ds, **options))

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
                'sandbox="allow-scripts"></iframe>')

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
        Keep only these entities (e.g. those a SPARQL query named).
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
    from ldnkg.graph.project import entity_records, to_networkx

    graph = to_networkx(ds)
    records = entity_records(ds)
    for node, data in graph.nodes(data=True):
        rec = records.get(node) or {}
        if rec.get("citations"):
            data["citations"] = rec["citations"]
            data["best_match_grade"] = rec.get("best_match_grade")
    if subgraph_iris is not None:
        keep = set(subgraph_iris) & set(graph)
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
    return graph_html(graph, title=title, extra_claims=_literal_claims(ds, graph), console=console)


def resolve_entity(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of ``graph`` that ``name`` (IRI, CURIE, local name, label or synonym) names.

    >>> from ldnkg.graph.load import load
    >>> from ldnkg.graph.project import to_networkx
    >>> resolve_entity(to_networkx(load()), "fibromyalgia")
    'https://w3id.org/ldnkg/entity/Fibromyalgia'
    """
    if name in graph:
        return name
    expanded = CONVERTER.expand(name) if ":" in name else None
    if expanded in graph:
        return expanded
    wanted = name.casefold()
    for node, data in sorted(graph.nodes(data=True)):
        names = [node.rsplit("/", 1)[-1], data.get("label", ""), *data.get("synonyms", [])]
        if any(wanted == str(n).casefold() for n in names):
            return node
    raise LdnkgError(f"no entity named {name!r} in the graph (try an IRI, ldn:Name or a label)")


def iris_named_by_query(ds: Dataset, query: str) -> list[str]:
    """The IRIs a SPARQL query's result names: every IRI of a SELECT's rows or of a
    CONSTRUCT/DESCRIBE graph; a claim IRI also names its subject and object.

    ``query`` is a named query, a ``.rq`` file or SPARQL text (see ``ldnkg.graph.sparql``).

    >>> from ldnkg.graph.load import load
    >>> iris = iris_named_by_query(load(), "SELECT ?x WHERE { ldn:LDN ldno:actsThrough ?x }")
    >>> "https://w3id.org/ldnkg/entity/TLR4Blockade" in iris
    True
    """
    from ldnkg.graph.sparql import run

    result = run(ds, query)
    if result.kind == "ask":
        raise LdnkgError("an ASK query names no entities; use SELECT (of IRIs) or CONSTRUCT")
    return result.named_iris(ds)


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
) -> str:
    """Render an entity graph (as made by ``to_networkx``) into the explorer page.

    Nodes need ``label`` and ``kind``; edges need ``predicate``, ``predicate_label``,
    ``negated`` and ``claims`` (claim dicts). Used by the benchmark for generated graphs.
    With ``console`` the page carries the SPARQL console over its N-Quads.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="<b>A</b>", kind="Drug")
    >>> "<b>A</b>" in graph_html(g)
    False
    """
    nodes, edges, details = page_model(graph, extra_claims=extra_claims or [])
    return render_page(nodes, edges, details, title=title, console=console)


def page_model(
    graph: nx.MultiDiGraph, *, extra_claims: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """vis nodes, vis edges and the details blob (claims, entity texts, filters) of a graph."""
    order = sorted(graph.nodes)
    positions = layout(graph)
    importance = _importance(graph)
    with_labels = graph.number_of_edges() <= _LARGE_EDGE_COUNT

    claims: list[dict[str, Any]] = []
    claim_index: dict[str, int] = {}
    node_claims: dict[str, list[int]] = {n: [] for n in order}

    def add_claim(rec: Mapping[str, Any]) -> int:
        key = rec.get("claim") or f"_:{len(claims)}"
        if key not in claim_index:
            claim_index[key] = len(claims)
            claims.append(_claim_view(rec))
            for end in (rec.get("subject"), rec.get("object")):
                if end in node_claims:
                    node_claims[end].append(claim_index[key])
        return claim_index[key]

    vis_edges = []
    edge_items = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for i, (u, v, _key, data) in enumerate(edge_items):
        recs = sorted(data.get("claims", []), key=lambda c: c.get("claim", ""))
        ids = [add_claim(r) for r in recs]
        vis_edges.append(_vis_edge(f"e{i}", u, v, data, ids, claims, with_labels=with_labels))
    for rec in sorted(extra_claims, key=lambda c: c["claim"]):
        add_claim(rec)

    vis_nodes = []
    entities = {}
    for node in order:
        data = graph.nodes[node]
        cat = _KIND_TO_CATEGORY.get(data.get("kind", ""), "other")
        _, colour, shape, _ = CATEGORIES[cat]
        x, y = positions[node]
        vis_nodes.append({
            "id": node, "label": str(data.get("label", node)), "shape": shape,
            "color": colour, "size": importance[node], "x": x, "y": y, "cat": cat,
        })
        entities[node] = {
            "kind": data.get("kind", ""),
            "classes": list(data.get("classes", [])),
            "definition": str(data.get("definition", "")),
            "synonyms": list(data.get("synonyms", [])),
            "xrefs": [[x, _xref_url(x)] for x in data.get("xrefs", [])],
            "claims": sorted(set(node_claims[node])),
            **({"design": data["design"]} if data.get("design") else {}),
            **({"year": data["year"]} if data.get("year") else {}),
            **({"citations": [_citation_view(c) for c in data["citations"]],
                "grade": data.get("best_match_grade")} if data.get("citations") else {}),
        }
    cats_present = sorted({n["cat"] for n in vis_nodes}, key=list(CATEGORIES).index)
    details = {
        "entities": entities,
        "claims": claims,
        "categories": [[k, CATEGORIES[k][0], CATEGORIES[k][1], CATEGORIES[k][2],
                        sum(n["cat"] == k for n in vis_nodes)] for k in cats_present],
        "asserters": [[a, c, d] for a, c, d in ASSERTERS],
        "evidence": sorted({c["evidence_label"] for c in claims if c["evidence_label"]}),
        "certainties": sorted({(c["rank"], c["certainty"]) for c in claims if c["certainty"]}),
        "roles": _role_sets(graph),
        "mechanism": list(MECHANISM_PREDICATES),
    }
    return vis_nodes, vis_edges, details


def _claim_view(rec: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("claim", "subject", "object", "predicate_label", "paraphrase", "evidence",
            "evidence_label", "asserter", "certainty", "negated", "study_label", "design",
            "year", "context_label", "section", "paragraph", "quote")
    view = {k: rec.get(k) for k in keys if rec.get(k) not in (None, "", False)}
    view["rank"] = rec.get("certainty_rank", 4)
    view["literal"] = bool(rec.get("object_is_literal"))
    if rec.get("citations"):
        view["citations"] = [_citation_view(c) for c in rec["citations"]]
    if rec.get("best_match_grade"):
        view["grade"] = rec["best_match_grade"]
    return view


_CITATION_KEYS = ("grade", "note", "publication", "label", "title", "authors", "journal", "year",
                  "identifiers", "links")


def _citation_view(cit: Mapping[str, Any]) -> dict[str, Any]:
    """A candidate publication as the page shows it; only http(s) links are kept."""
    view = {k: cit.get(k) for k in _CITATION_KEYS if cit.get(k) not in (None, "", [])}
    if "links" in view:
        view["links"] = [u for u in view["links"] if str(u).startswith(("https://", "http://"))]
    if "year" in view:
        view["year"] = str(view["year"])
    return view


def _vis_edge(edge_id: str, u: str, v: str, data: Mapping[str, Any], ids: list[int],
              claims: list[dict[str, Any]], *, with_labels: bool) -> dict[str, Any]:
    asserters = {claims[i].get("asserter") for i in ids}
    label, colour, dashes = next(((a, c, d) for a, c, d in ASSERTERS if a in asserters),
                                 ASSERTERS[-1])
    negated = bool(data.get("negated"))
    if negated:
        colour = _NEGATED_COLOUR
    weight = max(len(ids), 1)
    edge: dict[str, Any] = {
        "id": edge_id, "from": u, "to": v, "arrows": "to",
        "color": {"color": colour, "highlight": colour, "opacity": 0.9},
        "c0": colour, "dashes": dashes, "width": round(1 + 1.5 * math.log2(weight), 2),
        "w0": round(1 + 1.5 * math.log2(weight), 2), "claims": ids, "by": label,
        "pred": str(data.get("predicate", "")).rsplit("#", 1)[-1],
    }
    if negated:
        edge["neg"] = True
    if with_labels:
        prefix = "not " if negated else ""
        edge["label"] = prefix + str(data.get("predicate_label", ""))
    return edge


def _xref_url(curie: str) -> str:
    prefix = curie.split(":", 1)[0]
    if prefix not in XREF_PREFIXES:
        return ""
    url = CONVERTER.expand(curie) or ""
    return url if url.startswith(("https://", "http://")) else ""


def _role_sets(graph: nx.MultiDiGraph) -> list[list[Any]]:
    """For each LDN role: the role, its label, and what it reaches (not through other roles)."""
    roles = sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == "LdnRole")
    out = []
    for role in roles:
        others = set(roles) - {role}
        sub = graph.subgraph(n for n in graph if n not in others)
        reach = sorted(nx.descendants(sub, role) | {role} | set(graph.predecessors(role)))
        out.append([role, str(graph.nodes[role].get("label", role)), reach])
    return out


def _importance(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Node size from PageRank on the claim-weighted digraph (10 … 40)."""
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.DiGraph()
    simple.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        w = simple[u][v]["weight"] if simple.has_edge(u, v) else 0
        simple.add_edge(u, v, weight=w + max(len(data.get("claims", [])), 1))
    rank = nx.pagerank(simple.reverse(copy=False), weight="weight") if simple.number_of_edges() \
        else dict.fromkeys(simple, 1.0)
    top = max(rank.values()) or 1.0
    return {n: round(10 + 30 * math.sqrt(rank[n] / top), 1) for n in graph}


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions in vis pixels (rounded to 0.1).

    Connected nodes get a seeded force layout (NetworkX up to :data:`SMALL_GRAPH` nodes,
    igraph beyond); isolated nodes are lined up on a grid below it.

    >>> layout(nx.path_graph(["a", "b"])) == layout(nx.path_graph(["a", "b"]))
    True
    """
    nodes = sorted(graph.nodes)
    linked = sorted({v for u, w in graph.edges() if u != w for v in (u, w)})
    linked_set = set(linked)
    isolated = [v for v in nodes if v not in linked_set]
    n = len(linked)
    positions: dict[str, tuple[float, float]] = {}
    if n == 1 or n == 2:
        positions = {v: (300.0 * i, 0.0) for i, v in enumerate(linked)}
    elif n:
        if n <= SMALL_GRAPH:
            simple = nx.Graph()
            simple.add_nodes_from(linked)
            simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
            raw = nx.spring_layout(simple, seed=seed, k=1.6 / math.sqrt(n), iterations=200)
            coords = [tuple(raw[v]) for v in linked]
        else:
            coords = _igraph_layout(graph, linked, seed=seed)
        span = max(max(abs(c) for xy in coords for c in xy), 1e-9)
        scale = (260 if n <= SMALL_GRAPH else 110) * math.sqrt(n) / span
        positions = {v: (round(float(x) * scale, 1), round(float(y) * scale, 1))
                     for v, (x, y) in zip(linked, coords, strict=True)}
    if isolated:
        xs = [x for x, _ in positions.values()] or [0.0]
        bottom = max((y for _, y in positions.values()), default=0.0) + 200
        per_row = max(int(math.sqrt(len(isolated)) * 2), 1)
        step = 160.0
        left = (min(xs) + max(xs)) / 2 - step * (min(per_row, len(isolated)) - 1) / 2
        for i, v in enumerate(isolated):
            positions[v] = (round(left + step * (i % per_row), 1),
                            round(bottom + 80.0 * (i // per_row), 1))
    return positions


def _igraph_layout(graph: nx.Graph, nodes: list[str], *, seed: int) -> list[tuple[float, float]]:
    import random

    import igraph

    index = {v: i for i, v in enumerate(nodes)}
    edges = sorted({(index[u], index[v]) for u, v in graph.edges() if u != v})
    g = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=500, grid="auto").coords
    finally:
        igraph.set_random_number_generator(random)
    return [(x, y) for x, y in coords]


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


def _options() -> dict[str, Any]:
    return {
        "physics": {"enabled": False, "solver": "barnesHut",
                    "stabilization": {"enabled": True, "iterations": 200}},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": False,
                        "navigationButtons": False, "multiselect": False},
        "layout": {"improvedLayout": False},
        "edges": {"smooth": False, "font": {"size": 9, "color": "#555", "strokeWidth": 2,
                                            "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "scaling": {"label": {"drawThreshold": 8}}},
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1,
                  "scaling": {"label": {"drawThreshold": 6}}},
    }


def render_page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                details: dict[str, Any], *, title: str, console: SparqlConsole | None = None) -> str:
    """Assemble the page: PyVis in-line HTML, minus Bootstrap, plus our block (and the console)."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  heading="")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = _options()
    page = strip_bootstrap(net.generate_html())
    script = _asset("explorer.js")
    if "</script" in script.lower():
        raise RuntimeError("explorer.js must not contain a closing script tag")
    block = (
        f"<style>{_asset('explorer.css')}</style>\n"
        f"{_asset('explorer-body.html')}\n"
        f'<script type="application/json" id="ldnkg-data">{json_for_script(details)}</script>\n'
        f"<script>{script}</script>\n"
    )
    if console is not None:
        block += console_block(console, json_for_script=json_for_script)
    head = f"<title>{html.escape(title)}</title>\n"
    page = page.replace("<head>", "<head>\n" + head, 1)
    if page.count("</body>") != 1:
        raise RuntimeError("unexpected PyVis page: no single </body>")
    return page.replace("</body>", block + "</body>", 1)
