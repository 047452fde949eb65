"""What the explorer page shows: vis nodes and edges and the details blob, from an entity graph.

Node colour is the class; shape is a labelled box for the map (drug, roles, mechanisms,
conditions) and a small symbol for the rest. Edge colour and width are the **evidence level**
of the edge's strongest claim (:mod:`ldnkg.graph.weight`: 1 published clinical trial … 7 the
author's hypothesis); the line pattern is its **standing**: solid when asserted, dashed when
observed in practice, dash-dot when a hypothesis; a negated edge is red and dotted and ends in a
bar. Every text reaches the page as JSON data, written with ``textContent``.

>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="A", kind="Drug")
>>> nodes, edges, details = page_model(g, extra_claims=[])
>>> nodes[0]["label"], details["levels"][0][2]
('A', 'published clinical trial')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ldnkg.export.explorer_layout import (
    CONDITION_CATEGORIES,
    CORE_CATEGORIES,
    CORE_FONT,
    SIDE_FONT,
    SMALL_GRAPH,
    WRAP,
    hub_node,
    layout,
)
from ldnkg.graph.weight import EVIDENCE_LEVELS, STANDINGS
from ldnkg.namespaces import CONVERTER, XREF_PREFIXES

__all__ = ["ASSERTERS", "CATEGORIES", "LEVEL_STYLE", "MECHANISM_PREDICATES", "STANDING_STYLE", "page_model"]

#: Visual categories: key → (legend label, colour, vis shape, ldno kinds in it).
CATEGORIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "drug": ("Drug", "#d62728", "star", ("Drug", "DrugRegimen")),
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
                ("Outcome", "ResponseCategory", "ResponseRate", "PopulationMeasure", "NonResponseShare")),
    "cotherapy": ("Co-therapy / strategy", "#6b8fd6", "diamond",
                  ("Supplement", "MetabolicIntervention", "LifestyleIntervention",
                   "TherapeuticStrategy", "Intervention", "ClinicalPractice")),
    "study": ("Study / publication", "#393b79", "triangleDown", ("Study", "Publication")),
    "agent": ("Person / organisation / place", "#7f7f7f", "dot",
              ("Person", "Organisation", "Place")),
    "caveat": ("Caveat about the evidence", "#b15928", "dot", ("EvidenceCaveat", "SourceInconsistency")),
    "other": ("Other", "#c7c7c7", "dot", ()),
}
KIND_TO_CATEGORY = {kind: key for key, (*_, kinds) in CATEGORIES.items() for kind in kinds}

#: Asserters, firmest first: (label as in the graph, colour, vis dashes) — the asserter filter.
ASSERTERS: list[tuple[str, str, Any]] = [
    ("published research", "#1f4e9a", False),
    ("clinical experience", "#2e8b57", [10, 5]),
    ("scientific background", "#8a8a8a", [2, 4]),
    ("author hypothesis", "#e08000", [12, 4, 2, 4]),
]
#: Evidence level rank → (edge colour, edge width); darker and wider is stronger.
LEVEL_STYLE: dict[int, tuple[str, float]] = {
    1: ("#08306b", 4.0), 2: ("#2166ac", 3.4), 3: ("#6a51a3", 2.8), 4: ("#4f8fc8", 2.4),
    5: ("#1b7837", 2.0), 6: ("#8c8c8c", 1.4), 7: ("#e08000", 1.6),
}
#: Evidence level key → the key bar's words (the full label is its tooltip).
LEVEL_SHORT = {"trial": "clinical trial", "clinical-observation": "clinical observation",
               "laboratory": "animal / lab study", "published-unspecified": "published, design not stated",
               "practice": "author's practice", "background": "background science",
               "hypothesis": "author's hypothesis"}
#: Standing → (vis dashes, legend words).
STANDING_STYLE: dict[str, tuple[Any, str]] = {
    "asserted": (False, "stated as established or reported"),
    "observation": ([10, 5], "observed in practice (cases)"),
    "hypothesis": ([12, 4, 2, 4], "a hypothesis or hedged wording"),
    "negated": ([2, 4], "stated as not so"),
}
NEGATED_COLOUR = "#c0392b"
_FALLBACK_RANK = {"published research": 4, "clinical experience": 5, "scientific background": 6,
                  "author hypothesis": 7}

#: Predicates (local names) a "mechanism" path may follow.
MECHANISM_PREDICATES = (
    "actsThrough", "blocks", "causes", "contributesTo", "decreases", "increases", "involves",
    "potentiates", "precedes", "predisposesTo", "regulates", "releases", "suppresses", "triggers",
)
_MAP = set(CORE_CATEGORIES) | {"molecule", "cell"}  # edges among these are drawn full strength
_LARGE_EDGE_COUNT = 3000  # above this, edge labels are left out (they cost draw time)


def claim_rank(rec: Mapping[str, Any]) -> int:
    """The evidence rank of a claim dict (1 strongest … 7), from its asserter if not given."""
    rank = rec.get("evidence_rank")
    return int(rank) if rank else _FALLBACK_RANK.get(str(rec.get("asserter", "")), 7)


def claim_standing(rec: Mapping[str, Any]) -> str:
    """The standing of a claim dict, from its wording if not given."""
    if rec.get("standing") in STANDINGS:
        return str(rec["standing"])
    if rec.get("negated"):
        return "negated"
    certainty = str(rec.get("certainty", ""))
    return "hypothesis" if "hypothes" in certainty else "observation" if "practice" in certainty \
        else "asserted"


def page_model(
    graph: nx.MultiDiGraph, *, extra_claims: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """vis nodes, vis edges and the details blob (claims, entity texts, filters) of a graph."""
    order = sorted(graph.nodes)
    category = {n: KIND_TO_CATEGORY.get(graph.nodes[n].get("kind", ""), "other") for n in order}
    positions = layout(graph, category)
    importance = _importance(graph)
    with_labels = graph.number_of_edges() <= _LARGE_EDGE_COUNT
    mapped = graph.number_of_nodes() <= SMALL_GRAPH
    hub = hub_node(graph, category) if mapped else None

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
        faint = mapped and not (category[u] in _MAP and category[v] in _MAP)
        vis_edges.append(_vis_edge(f"e{i}", u, v, data, ids, claims, with_labels=with_labels, faint=faint,
                                   compact=not mapped))
    for rec in sorted(extra_claims, key=lambda c: c["claim"]):
        add_claim(rec)

    vis_nodes = [_vis_node(node, graph.nodes[node], category[node], positions[node], importance[node],
                           mapped=mapped, hub=node == hub) for node in order]
    entities = {node: _entity_view(graph.nodes[node], node_claims[node]) for node in order}
    cats_present = sorted({n["cat"] for n in vis_nodes}, key=list(CATEGORIES).index)
    details = {
        "entities": entities,
        "claims": claims,
        "categories": [[k, CATEGORIES[k][0], CATEGORIES[k][1], CATEGORIES[k][2],
                        sum(n["cat"] == k for n in vis_nodes)] for k in cats_present],
        "asserters": [[a, c, d] for a, c, d in ASSERTERS],
        "levels": [[lv.rank, lv.key, lv.label, LEVEL_STYLE[lv.rank][0], lv.ocebm, LEVEL_SHORT[lv.key],
                    LEVEL_STYLE[lv.rank][1]] for lv in EVIDENCE_LEVELS],
        "standings": [[s, STANDING_STYLE[s][0], STANDING_STYLE[s][1]] for s in STANDINGS],
        "negated_colour": NEGATED_COLOUR,
        "evidence": sorted({c["evidence_label"] for c in claims if c.get("evidence_label")}),
        "certainties": sorted({(c["rank"], c["certainty"]) for c in claims if c.get("certainty")}),
        "roles": _role_sets(graph),
        "mechanism": list(MECHANISM_PREDICATES),
        "conditions": list(CONDITION_CATEGORIES),
    }
    return vis_nodes, vis_edges, details


def _vis_node(node: str, data: Mapping[str, Any], cat: str, xy: tuple[float, float], size: float,
              *, mapped: bool, hub: bool) -> dict[str, Any]:
    _, colour, shape, _ = CATEGORIES[cat]
    vis: dict[str, Any] = {"id": node, "label": str(data.get("label", node)), "color": colour,
                           "x": xy[0], "y": xy[1], "cat": cat, "shape": shape, "size": size}
    if not mapped:
        return vis
    if hub:
        vis.update(size=20, font={"size": CORE_FONT + 1}, widthConstraint={"maximum": WRAP["core"]}, map=True)
    elif cat in CORE_CATEGORIES and cat != "drug":
        vis.update(shape="box", color={"background": _tint(colour), "border": colour,
                                       "highlight": {"background": _tint(colour, 0.55), "border": colour}},
                   font={"size": CORE_FONT + (1 if cat == "role" else 0), "color": "#1a1a1a",
                         **({"face": "sans-serif", "bold": {"mod": "bold"}} if cat == "role" else {})},
                   widthConstraint={"maximum": WRAP["role" if cat == "role" else "core"]}, borderWidth=1.5,
                   margin=4, map=True)
        vis["c0"] = colour
    else:
        vis.update(size=round(3 + size / 8, 1), font={"size": SIDE_FONT, "strokeWidth": 1},
                   widthConstraint={"maximum": WRAP["side"]})
    return vis


def _tint(colour: str, share: float = 0.22) -> str:
    """``colour`` mixed with white (``share`` of the colour kept)."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in rgb)


def _entity_view(data: Mapping[str, Any], claim_ids: list[int]) -> dict[str, Any]:
    """What the panel shows of an entity; empty fields are left out (the page fills them in)."""
    view = {
        "kind": data.get("kind", ""),
        "classes": [c for c in data.get("classes", []) if c != data.get("kind")],
        "definition": str(data.get("definition", "")),
        "synonyms": list(data.get("synonyms", [])),
        "xrefs": [[x, _xref_url(x)] for x in data.get("xrefs", [])],
        "claims": sorted(set(claim_ids)),
        **({"design": data["design"]} if data.get("design") else {}),
        **({"year": data["year"]} if data.get("year") else {}),
        **({"citations": [_citation_view(c) for c in data["citations"]],
            "grade": data.get("best_match_grade")} if data.get("citations") else {}),
    }
    return {k: v for k, v in view.items() if v not in ("", [])}


def _claim_view(rec: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("claim", "subject", "object", "predicate_label", "paraphrase", "evidence",
            "evidence_label", "asserter", "certainty", "negated", "study", "study_label", "design",
            "year", "context", "context_label", "section", "paragraph", "quote")
    view = {k: rec.get(k) for k in keys if rec.get(k) not in (None, "", False)}
    view["pred"] = str(rec.get("predicate", "")).rsplit("#", 1)[-1]
    view["rank"] = rec.get("certainty_rank", 4)
    view["level"] = claim_rank(rec)
    view["standing"] = claim_standing(rec)
    if rec.get("object_is_literal"):
        view["literal"] = True
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
              claims: list[dict[str, Any]], *, with_labels: bool, faint: bool = False,
              compact: bool = False) -> dict[str, Any]:
    views = [claims[i] for i in ids]
    negated = bool(data.get("negated"))
    affirmed = [c for c in views if c["standing"] != "negated"] or views
    level = min((c["level"] for c in affirmed), default=7)
    standing = "negated" if negated else min((c["standing"] for c in affirmed), key=STANDINGS.index,
                                             default="asserted")
    colour, width = LEVEL_STYLE[level]
    if negated:
        colour = NEGATED_COLOUR
    # Only what differs from the page's edge defaults is written (big graphs: the file is the time).
    edge: dict[str, Any] = {
        "id": edge_id, "from": u, "to": v,
        # a big graph gets a plain colour (vis uses it for highlight and hover too): less to parse
        "color": colour if compact else {"color": colour, "highlight": colour, "opacity": 0.3 if faint else 0.85},
        "width": round(width * (0.6 if faint else 1), 2), "claims": ids, "level": level,
        "pred": str(data.get("predicate", "")).rsplit("#", 1)[-1],
    }
    if standing != "asserted":
        edge["standing"] = standing
        edge["dashes"] = STANDING_STYLE[standing][0]
    if negated:
        edge["neg"] = True
        edge["arrows"] = {"to": {"enabled": True, "type": "bar", "scaleFactor": 0.5}}
    if with_labels:
        edge["label"] = ("not " if negated else "") + str(data.get("predicate_label", ""))
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
