"""A standalone HTML report of the analysis, its charts drawn inline as SVG.

Sections: summary charts, centrality table and mechanism hubs, communities versus the three
roles, the virtuous cycle, the condition × evidence-level heat map, the evidence gaps (research
agenda) and the condition similarity map. The file needs nothing beside itself.

The charts come from :mod:`ldnkg.export.charts` (shapes computed here, markup through one
autoescaping template): every bar, cell and node carries a tooltip with its exact value.
Output is deterministic: fixed sizes and seeds, coordinates rounded, so rebuilding gives
identical bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, URIRef

from ldnkg.export import charts
from ldnkg.export.charts import Chart
from ldnkg.export.files import write_atomically

__all__ = [
    "centrality_chart",
    "community_chart",
    "evidence_heatmap",
    "render_report",
    "similarity_chart",
    "summary_chart",
    "warm_up",
    "write_evidence_heatmap",
    "write_report",
]

_STANDING_ORDER = ["asserted", "observation", "hypothesis", "negated"]
#: At most this many conditions in the heat map and the similarity map (those with the most
#: claims / mechanisms): a bigger chart is unreadable.
MAX_CONDITIONS = 150
#: The community chart's legend names at most this many communities (the largest come first).
MAX_LEGEND = 30
#: Bar colours: claims by evidence level, claims by standing, PageRank.
_LEVEL_COLOUR, _STANDING_COLOUR, _RANK_COLOUR = "#4C72B0", "#DD8452", "#55A868"


def warm_up() -> None:
    """Import what rendering the report needs (the build's second process does this while the
    first loads the dataset)."""
    import jinja2  # noqa: F401
    import scipy.sparse  # noqa: F401  (networkx's PageRank)

    import ldnkg.graph.analysis  # noqa: F401
    from ldnkg.export.templating import environment

    environment().get_template("report.html")
    environment().get_template("chart.svg")


def summary_chart(claims: Sequence[dict[str, Any]]) -> Chart:
    """Bars of the claims by evidence level (strongest at the top) and by standing.

    >>> chart = summary_chart([{"evidence_rank": 1, "evidence_level": "published clinical trial",
    ...                         "standing": "asserted"}])
    >>> [s.tip for s in chart.shapes if s.kind == "rect"]
    ['1 published clinical trial: 1 claims', 'asserted: 1 claims']
    """
    by_level = Counter((c["evidence_rank"], c["evidence_level"]) for c in claims)
    by_standing = Counter(c["standing"] for c in claims)
    levels = [(f"{rank} {name}", by_level[rank, name]) for rank, name in sorted(by_level)]
    standing = [(s, by_standing[s]) for s in _STANDING_ORDER if s in by_standing]
    standing += [(s, n) for s, n in sorted(by_standing.items()) if s not in _STANDING_ORDER]
    return charts.panels("Claims by evidence level and by standing",
                         [("by evidence level (1 = strongest)", levels, _LEVEL_COLOUR),
                          ("by standing", standing, _STANDING_COLOUR)])


def centrality_chart(rows: Sequence[dict[str, Any]], *, n: int = 12) -> Chart:
    """Bars of the ``n`` highest PageRank values.

    >>> centrality_chart([{"label": "a", "pagerank": 0.6}, {"label": "b", "pagerank": 0.4}]).title
    'PageRank (top 2)'
    """
    top = list(rows[:n])
    return charts.bar_chart(f"PageRank (top {len(top)})", [(r["label"], r["pagerank"]) for r in top],
                            colour=_RANK_COLOUR, unit="PageRank", digits=3, width=720)


def evidence_heatmap(graph: nx.MultiDiGraph) -> Chart:
    """Heat map of the claims about each condition by evidence level (strongest first), with counts.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> evidence_heatmap(G).title
    'Claims about each condition, by evidence level'
    """
    from ldnkg.graph.analysis.evidence import evidence_matrix

    rows, kinds, counts = evidence_matrix(graph)
    title = "Claims about each condition, by evidence level"
    if not rows or not kinds:
        return charts.note(title, "no claim about a condition")
    if len(rows) > MAX_CONDITIONS:
        keep = sorted(sorted(range(len(rows)), key=lambda i: -sum(counts[i]))[:MAX_CONDITIONS])
        title += f" ({MAX_CONDITIONS} of {len(rows):,} conditions, those with most claims)"
        rows, counts = [rows[i] for i in keep], [counts[i] for i in keep]
    return charts.heat_map(title, rows, kinds, counts, unit="claims", cell=(96, 24), column_chars=16)


def write_evidence_heatmap(graph_or_ds: nx.MultiDiGraph | Dataset, path: Path | str) -> Path:
    """Write the evidence heat map as a standalone, deterministic SVG file (the README's figure).

    >>> import pathlib, tempfile
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "flu")], kinds={"flu": "Condition"})
    >>> out = write_evidence_heatmap(G, pathlib.Path(tempfile.mkdtemp()) / "h.svg")
    >>> out.read_text().startswith("<svg")
    True
    """
    graph = graph_or_ds if isinstance(graph_or_ds, nx.Graph) else _project(graph_or_ds)
    return write_atomically(Path(path), (evidence_heatmap(graph).svg() + "\n").encode("utf-8"))


def similarity_chart(graph: nx.MultiDiGraph, mechanisms: Mapping[str, frozenset[str]] | None = None) -> Chart:
    """The Jaccard matrix of conditions by shared mechanisms, grouped by role (``mechanisms``:
    ``condition_mechanisms(graph)`` when the caller has it already)."""
    from ldnkg.graph.analysis.communities import condition_roles
    from ldnkg.graph.analysis.similarity import condition_mechanisms
    from ldnkg.graph.analysis.views import label, roles

    mechs = mechanisms if mechanisms is not None else condition_mechanisms(graph)
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
    if not names:
        return charts.note("Condition similarity", "no condition with a mechanism")
    matrix = [[len(mechs[a] & mechs[b]) / len(mechs[a] | mechs[b]) for b in names] for a in names]
    labels = [label(graph, c) for c in names]
    return charts.heat_map(title, labels, labels, matrix, unit="Jaccard", cell=(16, 16), counts=False,
                           digits=2, rotate_columns=True)


def community_chart(graph: nx.MultiDiGraph, communities: Sequence[frozenset[str]]) -> Chart:
    """The knowledge graph drawn with a fixed-seed layout, coloured by community; roles and LDN
    large and named, conditions medium, every node named in its tooltip."""
    from ldnkg.graph.analysis.communities import community_roles
    from ldnkg.graph.analysis.views import LDN, conditions, label, roles, undirected_knowledge

    simple = undirected_knowledge(graph)
    simple = nx.Graph(simple.subgraph(sorted(simple)))
    pos = _force_layout(simple)
    index = {n: i for i, c in enumerate(communities) for n in c}
    role_set, condition_set = set(roles(graph)), set(conditions(graph))  # once, not once per node

    def row(n: str) -> tuple[str, float, str, str, str]:
        big = n in role_set or n == LDN
        where = f" (community {index[n]})" if n in index else ""
        return (n, 9 if big else 5.5 if n in condition_set else 3.5, charts.PALETTE[index.get(n, 9) % 10],
                label(graph, n) + where, label(graph, n) if big else "")

    home = community_roles(graph, list(communities))
    legend = [(charts.PALETTE[i % 10], f"community {i}: {label(graph, home[i]) if home[i] else 'no role'}"
               f" ({len(c)} nodes)") for i, c in enumerate(communities[:MAX_LEGEND])]
    return charts.network("Communities (Louvain, seed 0): roles and LDN large and named, conditions medium;"
                          " point at a node for its name", {n: (float(x), float(y)) for n, (x, y) in pos.items()},
                          sorted(tuple(sorted(e)) for e in simple.edges()), [row(n) for n in sorted(simple)], legend)


def _force_layout(simple: nx.Graph) -> dict[str, Any]:
    """Seeded force-directed positions (igraph's Fruchterman–Reingold, in C: networkx's spring
    layout took 0.2 s on the article's 130 nodes, igraph 5 ms)."""
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
    from ldnkg.export.templating import environment

    return environment().get_template("report.html")


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
    from ldnkg.graph.analysis.similarity import condition_mechanisms
    from ldnkg.graph.project import claim_records, entity_records

    graph = _project(ds)
    mechanisms = condition_mechanisms(graph)  # read by two sections: it walks every chain from LDN
    claims = claim_records(ds)
    central = centrality_table(graph)
    communities = detect_communities(graph, seed=0)
    cycle = role_cycle(graph)
    other_cycles = [c for c in cycles(graph) if cycle is None or set(c) != set(cycle)]
    figures = {
        "summary": summary_chart(claims),
        "centrality": centrality_chart(central),
        "communities": community_chart(graph, communities),
        "heatmap": evidence_heatmap(graph),
        "similarity": similarity_chart(graph, mechanisms),
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
                    for r in shared_mechanism_not_role(graph, mechanisms=mechanisms)[:15]],
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
    page = render_report(ds)
    write_atomically(Path(path), page.encode("utf-8"))
