"""A standalone HTML report of the analysis, with matplotlib plots embedded as PNG.

Sections: summary figures, centrality table and mechanism hubs, communities versus the three
roles, the virtuous cycle, the condition × evidence-kind heat map, the evidence gaps (research
agenda) and the condition similarity map. The file needs nothing beside itself.

Output is deterministic: figures are drawn with fixed sizes, seeds and fonts and saved without
a timestamp or software tag, so rebuilding gives identical bytes.
"""

from __future__ import annotations

import base64
import html
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
_CERTAINTY_ORDER = ["established", "reported", "observed in practice", "hypothesised"]


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


def _img(fig: Any, alt: str) -> str:
    data = base64.b64encode(_png_bytes(fig)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _short(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or text


def summary_figure(claims: Sequence[dict[str, Any]]) -> Any:
    """Bar charts of the claims by asserter and by certainty.

    >>> fig = summary_figure([{"asserter": "published research", "certainty": "reported"}])
    >>> len(fig.axes)
    2
    """
    with _style():
        fig = _figure(9, 2.8)
        by_asserter = Counter(c["asserter"] for c in claims)
        by_certainty = Counter(c["certainty"] for c in claims)
        left, right = fig.subplots(1, 2)
        names = sorted(by_asserter, key=lambda k: (-by_asserter[k], k))
        left.barh(names[::-1], [by_asserter[n] for n in names[::-1]], color="#4C72B0")
        left.set_title("Claims by asserter")
        order = [c for c in _CERTAINTY_ORDER if c in by_certainty] + sorted(
            set(by_certainty) - set(_CERTAINTY_ORDER))
        right.barh(order[::-1], [by_certainty[n] for n in order[::-1]], color="#DD8452")
        right.set_title("Claims by certainty")
        for ax in (left, right):
            ax.set_xlabel("claims")
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
    """Heat map of the claims about each condition by evidence kind (ECO), with counts.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> evidence_heatmap_figure(G).axes[0].get_ylabel()
    'condition'
    """
    from ldnkg.graph.analysis.evidence import evidence_matrix

    rows, kinds, counts = evidence_matrix(graph)
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
        ax.set_xlabel("evidence kind (ECO)")
        ax.set_ylabel("condition")
        ax.set_title("Claims about each condition, by evidence kind")
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
    from ldnkg.graph.analysis.similarity import condition_mechanisms, similarity_matrix
    from ldnkg.graph.analysis.views import label, roles

    mechs = condition_mechanisms(graph)
    by_role = condition_roles(graph)
    order = {r: i for i, r in enumerate(roles(graph))}
    names, _ = similarity_matrix(mechs)
    names.sort(key=lambda c: (min((order[r] for r in by_role.get(c, ())), default=99),
                              label(graph, c).lower()))
    matrix = [[len(mechs[a] & mechs[b]) / len(mechs[a] | mechs[b]) for b in names] for a in names]
    labels = [label(graph, c) for c in names]
    with _style():
        fig = _figure(9, 8)
        ax = fig.subplots()
        image = ax.imshow(matrix, cmap="magma_r", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        ax.set_title("Condition similarity: Jaccard index of shared mechanisms (grouped by role)")
        fig.colorbar(image, ax=ax, label="Jaccard", shrink=0.6)
    return fig


def community_figure(graph: nx.MultiDiGraph, communities: Sequence[frozenset[str]]) -> Any:
    """The knowledge graph drawn with a fixed-seed layout, coloured by community."""
    from ldnkg.graph.analysis.views import (
        LDN,
        conditions,
        knowledge_view,
        label,
        roles,
        undirected_view,
    )

    simple = undirected_view(knowledge_view(graph))
    simple = nx.Graph(simple.subgraph(sorted(simple)))
    pos = nx.spring_layout(simple, seed=7, k=0.35, iterations=200)
    index = {n: i for i, c in enumerate(communities) for n in c}
    with _style():
        import matplotlib as mpl

        cmap = mpl.colormaps["tab10"]
        fig = _figure(10, 8)
        ax = fig.subplots()
        ax.set_axis_off()
        nodes = sorted(simple)
        nx.draw_networkx_edges(simple, pos, ax=ax, alpha=0.25, width=0.6)
        sizes = [260 if n in roles(graph) or n == LDN else 90 if n in conditions(graph) else 30
                 for n in nodes]
        nx.draw_networkx_nodes(simple, pos, nodelist=nodes, ax=ax, node_size=sizes,
                               node_color=[cmap(index.get(n, 9) % 10) for n in nodes])
        shown = {n: label(graph, n) for n in nodes if n in roles(graph) or n == LDN
                 or n in conditions(graph)}
        nx.draw_networkx_labels(simple, pos, labels=shown, ax=ax, font_size=7)
        ax.set_title("Communities (Louvain, seed 0): roles and LDN large, conditions medium")
    return fig


def _project(ds: Dataset) -> nx.MultiDiGraph:
    from ldnkg.graph.project import to_networkx

    return to_networkx(ds)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _counter(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


_CSS = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}img{max-width:100%}.num{font-variant-numeric:tabular-nums}
p.note{color:#555;font-size:.9rem}
"""


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
    share = published_share(claims)
    cycle = role_cycle(graph)
    other_cycles = [c for c in cycles(graph) if cycle is None or set(c) != set(cycle)]
    agenda = research_agenda(graph)
    profile = evidence_profile(graph)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>ldnkg analysis report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>LDN knowledge graph: analysis report</h1>",
        f"<p>{len(entity_records(ds))} entities and {len(claims)} claims "
        f"({sum(c['negated'] for c in claims)} negated). {share.count} of {share.total} claims "
        f"({share.fraction:.0%}) rest on published research (a study's <em>investigates</em> "
        "links are not counted).</p>",
        "<h2>Summary</h2>",
        _img(summary_figure(claims), "Claims by asserter and certainty"),
        "<h2>Centrality</h2>",
        '<p class="note">Undirected, claim-weighted knowledge view (no studies, people or '
        "places). Mechanism hubs: betweenness on the directed chain graph.</p>",
        _img(centrality_figure(central), "PageRank of the most central entities"),
        _table(["entity", "kind", "degree", "betweenness", "PageRank"],
               [(r["label"], r["kind"], r["degree"], f"{r['betweenness']:.3f}",
                 f"{r['pagerank']:.3f}") for r in central[:15]]),
        "<h3>Mechanism hubs</h3>",
        _table(["mechanism", "betweenness", "acts on", "acted through by"],
               [(h["label"], f"{h['betweenness']:.3f}", h["out_degree"], h["in_degree"])
                for h in mechanism_hubs(graph, n=9)]),
        "<h2>Communities and the three roles</h2>",
        _img(community_figure(graph, communities), "Communities of the knowledge graph"),
        _table(["#", "size", "role", "role nodes", "conditions", "roles of its conditions", "hub"],
               [(r["community"], r["size"], r["role"] or "—", ", ".join(r["roles"]) or "—",
                 ", ".join(r["conditions"]) or "—",
                 ", ".join(f"{k} ({v})" for k, v in r["condition_roles"].items()) or "—",
                 r["hub"]) for r in communities_vs_roles(graph, communities)]),
        "<h3>Conditions between roles</h3>",
        _table(["condition", "its roles", "community's role", "why"],
               [(r["label"], ", ".join(r["roles"]), r["community_role"] or "—",
                 "; ".join(r["reasons"])) for r in conditions_between_roles(graph, communities)]),
        "<h2>The virtuous cycle</h2>",
        "<p>" + (" → ".join(label(graph, n) for n in (*cycle, cycle[0])) if cycle
                 else "No cycle among the roles.") + "</p>",
        f"<p>Other directed cycles in the knowledge view: {len(other_cycles)}"
        + (": " + "; ".join(" → ".join(label(graph, n) for n in c) for c in other_cycles)
           if other_cycles else ".") + "</p>",
        "<h2>Evidence by condition</h2>",
        _img(evidence_heatmap_figure(graph), "Condition by evidence kind heat map"),
        _table(["condition", "claims", "by asserter", "by certainty", "support", "support by"],
               [(r["label"], r["claims"], _counter(r["by_asserter"]),
                 _counter(r["by_certainty"]), r["support"], _counter(r["support_asserters"]))
                for r in profile]),
        "<h2>Research agenda: evidence gaps</h2>",
        '<p class="note">Conditions for which every claim that something helps rests only on '
        "clinical experience or the author's hypotheses (support given to a class counts for "
        "its kinds).</p>",
        "<ul>" + "".join(f"<li>{html.escape(r['label'])} — {r['support']} supporting claim(s): "
                         f"{html.escape(_counter(r['support_asserters']))}</li>"
                         for r in agenda) + "</ul>",
        "<p>Mentioned but with no supporting claim: "
        + html.escape(", ".join(label(graph, c) for c in unsupported_conditions(graph)) or "none")
        + ".</p>",
        "<h2>Traceability to publications</h2>",
        '<p class="note">The article gives no references. Each study (and the TLR4 statements) '
        "was matched by hand to candidate papers with a grade; a claim counts under the best "
        "grade of the paper behind it (its own match, or its study's).</p>",
        _table(["best match grade", "claims"],
               sorted(Counter(c["best_match_grade"] or "no study or publication named"
                              for c in claims).items(), key=lambda kv: (-kv[1], kv[0]))),
        _table(["study or statement", "grade", "publication", "note"],
               [(r["owner"], r["grade"], r["publication"], r["note"]) for r in _citation_rows(ds)]),
        "<h2>Condition similarity</h2>",
        _img(similarity_figure(graph), "Condition similarity by shared mechanisms"),
        "<h3>Sharing a mechanism but not a role (top 15)</h3>",
        _table(["condition", "condition", "shared mechanisms", "Jaccard"],
               [(r["a"], r["b"], ", ".join(r["shared"]), f"{r['jaccard']:.2f}")
                for r in shared_mechanism_not_role(graph)[:15]]),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_report(ds: Dataset, path: Path | str) -> None:
    """Write :func:`render_report` to ``path`` (atomically: a failure leaves no partial file).

    >>> import pathlib, tempfile
    >>> from ldnkg.graph.load import load
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(load(), out)
    >>> out.stat().st_size > 10_000
    True
    """
    write_atomically(Path(path), render_report(ds).encode("utf-8"))
