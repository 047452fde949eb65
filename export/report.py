"""A standalone HTML report of the analysis, with matplotlib plots embedded as PNG.

Sections: summary figures, centrality table and mechanism hubs, communities versus the three
roles, the virtuous cycle, the condition × evidence-kind heat map, the evidence gaps (research
agenda) and the condition similarity map. The file needs nothing beside itself.

Output is deterministic: figures are drawn with fixed sizes, seeds and fonts and saved without
a timestamp or software tag, so rebuilding gives identical bytes.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, URIRef

from ldnkg.export.files import write_atomically

__all__ = [
    "evidence_heatmap_figure",
    "render_report",
    "warm_up",
    "write_evidence_heatmap",
    "write_report",
]

_RC = {
    "svg.hashsalt": "ldnkg",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": False,
}
_STANDING_ORDER = ["asserted", "observation", "hypothesis", "negated"]
#: At most this many conditions in the heat map and the similarity map (those with the most
#: claims / mechanisms): a bigger figure is unreadable, and past ~230 rows too tall for a PNG.
MAX_CONDITIONS = 150
#: From this many nodes the community figure is laid out by igraph's Fruchterman–Reingold on a
#: grid (linear per iteration); below, networkx's spring layout (quadratic; 26 s at 10×).
FORCE_FROM = 400


def warm_up() -> None:
    """Import what drawing and rendering the report need (the build's second process does this while
    the first loads the dataset: about half a second)."""
    import jinja2  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import scipy.sparse  # noqa: F401  (networkx's PageRank)
    from matplotlib.backends import backend_agg  # noqa: F401

    import ldnkg.graph.analysis  # noqa: F401


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib as mpl

    with mpl.rc_context(_RC):
        yield


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _png_bytes(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _png_base64(fig: Any) -> str:
    return base64.b64encode(_png_bytes(fig)).decode("ascii")


def _empty_figure(title: str, note: str) -> Any:
    """A small figure saying there is nothing to draw (matplotlib cannot image an empty matrix)."""
    with _style():
        fig = _figure(6, 1.2)
        ax = fig.subplots()
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(0.5, 0.4, note, ha="center", va="center", color="#555")
    return fig


def _short(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or text


def summary_figure(claims: Sequence[dict[str, Any]]) -> Any:
    """Bar charts of the claims by evidence level (strongest at the top) and by standing.

    >>> fig = summary_figure([{"evidence_rank": 1, "evidence_level": "published clinical trial",
    ...                        "standing": "asserted"}])
    >>> len(fig.axes)
    2
    """
    with _style():
        fig = _figure(10, 3.0)
        by_level = Counter((c["evidence_rank"], c["evidence_level"]) for c in claims)
        by_standing = Counter(c["standing"] for c in claims)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        levels = sorted(by_level)
        left.barh([f"{rank} {_short(name, 34)}" for rank, name in levels][::-1],
                  [by_level[k] for k in levels][::-1], color="#4C72B0")
        left.set_title("Claims by evidence level (1 = strongest)")
        order = [s for s in _STANDING_ORDER if s in by_standing]
        right.barh(order[::-1], [by_standing[s] for s in order[::-1]], color="#DD8452")
        right.set_title("Claims by standing")
        for ax in (left, right):
            ax.set_xlabel("claims")
            ax.tick_params(axis="y", labelsize=7)
    return fig


def centrality_figure(rows: Sequence[dict[str, Any]], *, n: int = 12) -> Any:
    """Horizontal bars of the ``n`` highest PageRank values.

    >>> fig = centrality_figure([{"label": "a", "pagerank": 0.6}, {"label": "b", "pagerank": 0.4}])
    >>> fig.axes[0].get_title()
    'PageRank (top 2)'
    """
    top = list(rows[:n])
    with _style():
        fig = _figure(6, 0.3 * len(top) + 1)
        ax = fig.subplots()
        ax.barh([r["label"] for r in top][::-1], [r["pagerank"] for r in top][::-1],
                color="#55A868")
        ax.set_title(f"PageRank (top {len(top)})")
    return fig


def evidence_heatmap_figure(graph: nx.MultiDiGraph) -> Any:
    """Heat map of the claims about each condition by evidence level (strongest first), with counts.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> evidence_heatmap_figure(G).axes[0].get_ylabel()
    'condition'
    """
    from ldnkg.graph.analysis.evidence import evidence_matrix

    rows, kinds, counts = evidence_matrix(graph)
    if not rows or not kinds:
        return _empty_figure("Claims about each condition, by evidence level", "no claim about a condition")
    title = "Claims about each condition, by evidence level"
    if len(rows) > MAX_CONDITIONS:
        keep = sorted(sorted(range(len(rows)), key=lambda i: -sum(counts[i]))[:MAX_CONDITIONS])
        title += f" ({MAX_CONDITIONS} of {len(rows):,} conditions, those with most claims)"
        rows, counts = [rows[i] for i in keep], [counts[i] for i in keep]
    with _style():
        fig = _figure(9, 0.28 * len(rows) + 3.2)
        ax = fig.subplots()
        image = ax.imshow(counts, cmap="YlGnBu", aspect="auto", vmin=0)
        ax.set_xticks(range(len(kinds)), [_short(k, 30) for k in kinds], fontsize=7,
                      rotation=35, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(rows)), rows)
        top = max((v for row in counts for v in row), default=0)
        for i, row in enumerate(counts):
            for j, value in enumerate(row):
                if value:
                    ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                            color="white" if value > top / 2 else "black")
        ax.set_xlabel("evidence level (1 = published clinical trial … 7 = the author's hypothesis)")
        ax.set_ylabel("condition")
        ax.set_title(title)
        fig.colorbar(image, ax=ax, label="claims", shrink=0.6)
    return fig


def write_evidence_heatmap(graph_or_ds: nx.MultiDiGraph | Dataset, path: Path | str) -> Path:
    """Write the evidence heat map as a deterministic PNG (the README's figure).

    >>> import pathlib, tempfile
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> out = write_evidence_heatmap(G, pathlib.Path(tempfile.mkdtemp()) / "h.png")
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
    """
    graph = graph_or_ds if isinstance(graph_or_ds, nx.Graph) else _project(graph_or_ds)
    return write_atomically(Path(path), _png_bytes(evidence_heatmap_figure(graph)))


def similarity_figure(graph: nx.MultiDiGraph) -> Any:
    """The Jaccard matrix of conditions by shared mechanisms, grouped by role."""
    from ldnkg.graph.analysis.communities import condition_roles
    from ldnkg.graph.analysis.similarity import condition_mechanisms
    from ldnkg.graph.analysis.views import label, roles

    mechs = condition_mechanisms(graph)
    by_role = condition_roles(graph)
    order = {r: i for i, r in enumerate(roles(graph))}
    names = sorted(c for c, m in mechs.items() if m)  # similarity_matrix's rows, without its matrix
    title = "Condition similarity: Jaccard index of shared mechanisms (grouped by role)"
    if len(names) > MAX_CONDITIONS:
        title = (f"Condition similarity: Jaccard index of shared mechanisms ({MAX_CONDITIONS} of "
                 f"{len(names):,} conditions, those with most mechanisms; grouped by role)")
        names = sorted(sorted(names, key=lambda c: -len(mechs[c]))[:MAX_CONDITIONS])
    names.sort(key=lambda c: (min((order[r] for r in by_role.get(c, ())), default=99),
                              label(graph, c).lower()))
    matrix = [[len(mechs[a] & mechs[b]) / len(mechs[a] | mechs[b]) for b in names] for a in names]
    labels = [label(graph, c) for c in names]
    if not labels:
        return _empty_figure("Condition similarity", "no condition with a mechanism")
    with _style():
        fig = _figure(9, 8)
        ax = fig.subplots()
        image = ax.imshow(matrix, cmap="magma_r", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        ax.set_title(title)
        fig.colorbar(image, ax=ax, label="Jaccard", shrink=0.6)
    return fig


def community_figure(graph: nx.MultiDiGraph, communities: Sequence[frozenset[str]]) -> Any:
    """The knowledge graph drawn with a fixed-seed layout, coloured by community."""
    from ldnkg.graph.analysis.views import (
        LDN,
        conditions,
        label,
        roles,
        undirected_knowledge,
    )

    simple = undirected_knowledge(graph)
    simple = nx.Graph(simple.subgraph(sorted(simple)))
    pos = _force_layout(simple)
    index = {n: i for i, c in enumerate(communities) for n in c}
    with _style():
        import matplotlib as mpl

        cmap = mpl.colormaps["tab10"]
        fig = _figure(10, 8)
        ax = fig.subplots()
        ax.set_axis_off()
        nodes = sorted(simple)
        nx.draw_networkx_edges(simple, pos, ax=ax, alpha=0.25, width=0.6)
        role_set, condition_set = set(roles(graph)), set(conditions(graph))  # once, not once per node
        sizes = [260 if n in role_set or n == LDN else 90 if n in condition_set else 30
                 for n in nodes]
        nx.draw_networkx_nodes(simple, pos, nodelist=nodes, ax=ax, node_size=sizes,
                               node_color=[cmap(index.get(n, 9) % 10) for n in nodes])
        named = len(condition_set & set(nodes)) <= MAX_CONDITIONS  # else thousands of labels on one another
        shown = {n: label(graph, n) for n in nodes if n in role_set or n == LDN
                 or (named and n in condition_set)}
        nx.draw_networkx_labels(simple, pos, labels=shown, ax=ax, font_size=7)
        ax.set_title("Communities (Louvain, seed 0): roles and LDN large, conditions medium"
                     + ("" if named else " (conditions not named: too many)"))
    return fig


def _force_layout(simple: nx.Graph) -> dict[str, Any]:
    """Seeded force-directed positions: networkx's spring layout, or igraph's from FORCE_FROM nodes."""
    if simple.number_of_nodes() < FORCE_FROM:
        return nx.spring_layout(simple, seed=7, k=0.35, iterations=200)
    import random

    import igraph

    nodes = sorted(simple)
    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=sorted((index[u], index[v]) for u, v in simple.edges()))
    igraph.set_random_number_generator(random.Random(7))
    try:
        coords = g.layout_fruchterman_reingold(niter=200, grid=True).coords
    finally:
        igraph.set_random_number_generator(random)
    return {n: (x, y) for n, (x, y) in zip(nodes, coords, strict=True)}


def _project(ds: Dataset) -> nx.MultiDiGraph:
    from ldnkg.graph.project import to_networkx

    return to_networkx(ds)


def _counter(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _template() -> Any:
    import jinja2

    # autoescape on for everything, undefined names fail: the one path all report HTML takes
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html")


def _citation_rows(ds: Dataset) -> list[dict[str, str]]:
    """One row per citation match of a study (own observations left out), best grade first."""
    from ldnkg.graph.project import citations, entity_records

    rows = []
    for iri, rec in sorted(entity_records(ds).items(), key=lambda kv: kv[1]["label"]):
        if rec["kind"] != "Study":
            continue
        for match in citations(ds, URIRef(iri)):
            if match["grade"] == "own observation, not published":
                continue
            rows.append({"owner": rec["label"], "grade": match["grade"],
                         "publication": match.get("label", "—"), "note": match["note"]})
    order = ["exact", "plausible", "uncertain", "not found"]
    return sorted(rows, key=lambda r: (order.index(r["grade"]) if r["grade"] in order else 9, r["owner"]))


def render_report(ds: Dataset) -> str:
    """The report as one HTML string (see the module docstring).

    Every value from the graph goes through the autoescaping Jinja2 template
    ``templates/report.html``; this function only gathers the values.

    >>> from ldnkg.graph.load import load
    >>> page = render_report(load())
    >>> page.startswith("<!DOCTYPE html>") and "Research agenda" in page
    True
    """
    from ldnkg.graph.analysis import (
        centrality_table,
        communities_vs_roles,
        conditions_between_roles,
        cycles,
        detect_communities,
        label,
        mechanism_hubs,
        published_share,
        research_agenda,
        role_cycle,
        shared_mechanism_not_role,
        unsupported_conditions,
    )
    from ldnkg.graph.analysis.evidence import evidence_profile
    from ldnkg.graph.project import claim_records, entity_records

    graph = _project(ds)
    claims = claim_records(ds)
    central = centrality_table(graph)
    communities = detect_communities(graph, seed=0)
    cycle = role_cycle(graph)
    other_cycles = [c for c in cycles(graph) if cycle is None or set(c) != set(cycle)]
    figures = {
        "summary": _png_base64(summary_figure(claims)),
        "centrality": _png_base64(centrality_figure(central)),
        "communities": _png_base64(community_figure(graph, communities)),
        "heatmap": _png_base64(evidence_heatmap_figure(graph)),
        "similarity": _png_base64(similarity_figure(graph)),
    }
    context = {
        "entities": len(entity_records(ds)),
        "claims": len(claims),
        "negated": sum(c["negated"] for c in claims),
        "share": published_share(claims),
        "figures": figures,
        "centrality": [(r["label"], r["kind"], r["degree"], f"{r['betweenness']:.3f}", f"{r['pagerank']:.3f}")
                       for r in central[:15]],
        "hubs": [(h["label"], f"{h['betweenness']:.3f}", h["out_degree"], h["in_degree"])
                 for h in mechanism_hubs(graph, n=9)],
        "communities": [(r["community"], r["size"], r["role"] or "—", ", ".join(r["roles"]) or "—",
                         ", ".join(r["conditions"]) or "—",
                         ", ".join(f"{k} ({v})" for k, v in r["condition_roles"].items()) or "—", r["hub"])
                        for r in communities_vs_roles(graph, communities)],
        "between": [(r["label"], ", ".join(r["roles"]), r["community_role"] or "—", "; ".join(r["reasons"]))
                    for r in conditions_between_roles(graph, communities)],
        "cycle": [label(graph, n) for n in (*cycle, cycle[0])] if cycle else None,
        "other_cycles": [[label(graph, n) for n in c] for c in other_cycles],
        "profile": [(r["label"], r["claims"], _counter(r["by_level"]), r["support"], r["best_level"] or "—",
                     _counter(r["support_levels"])) for r in evidence_profile(graph)],
        "agenda": [{"label": r["label"], "support": r["support"], "levels": _counter(r["support_levels"])}
                   for r in research_agenda(graph)],
        "unsupported": [label(graph, c) for c in unsupported_conditions(graph)],
        "grades": sorted(Counter(c["best_match_grade"] or "no study or publication named" for c in claims).items(),
                         key=lambda kv: (-kv[1], kv[0])),
        "citations": [(r["owner"], r["grade"], r["publication"], r["note"]) for r in _citation_rows(ds)],
        "similar": [(r["a"], r["b"], ", ".join(r["shared"]), f"{r['jaccard']:.2f}")
                    for r in shared_mechanism_not_role(graph)[:15]],
    }
    return _template().render(context)


def write_report(ds: Dataset, path: Path | str) -> None:
    """Write :func:`render_report` to ``path`` (atomically: a failure leaves no partial file).

    >>> import pathlib, tempfile
    >>> from ldnkg.graph.load import load
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(load(), out)
    >>> out.stat().st_size > 10_000
    True
    """
    from ldnkg.graph.load import gc_paused

    with gc_paused():  # the figures' artists are freed at the next collection; none ran mid-drawing (-8 %)
        page = render_report(ds)
    write_atomically(Path(path), page.encode("utf-8"))
