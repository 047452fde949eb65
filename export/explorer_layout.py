"""Where the explorer draws each node: a layered map by role for small graphs, a force layout for big ones.

The **layered map** (graphs of at most :data:`SMALL_GRAPH` nodes) tells the article's story from
left to right: the hub drug (the drug with most relations, LDN), its roles, the mechanisms, the
conditions. Every role has a horizontal band; a mechanism or condition sits in the band of the
role it is closest to (fewest relations, not passing through another role or the hub), so what
each role acts through and reaches is read along one band. Everything else (studies, outcomes,
molecules, people, …) sits in a grid below the map, grouped by category, drawn small: its labels
appear when one zooms in. Box widths and row heights come from the labels, so no two labels of
the map overlap at any zoom.

Bigger graphs get a seeded force layout (igraph's Fruchterman–Reingold, which scales).
Both are deterministic: the same graph gives the same positions.
"""

from __future__ import annotations

import functools
import math
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "CONDITION_CATEGORIES",
    "CORE_CATEGORIES",
    "CORE_FONT",
    "SIDE_FONT",
    "SMALL_GRAPH",
    "WRAP",
    "hub_node",
    "label_lines",
    "layout",
]

#: Graphs with at most this many nodes get the layered map; larger ones a force layout.
SMALL_GRAPH = 500
#: Categories (keys of the explorer's ``CATEGORIES``) that are conditions.
CONDITION_CATEGORIES = ("autoimmune", "cancer", "immune", "neuroinflammatory", "neurodegenerative",
                        "condition", "symptom")
#: Categories whose labels are legible at the first view (the story: roles → mechanisms → conditions).
CORE_CATEGORIES = ("drug", "role", "mechanism", *CONDITION_CATEGORIES)
#: Font sizes (vis units) of map labels and of the others; the page hides labels drawn below
#: ``DRAW_THRESHOLD - 1`` pixels, so the small ones appear only when zoomed in.
CORE_FONT = 12
SIDE_FONT = 4
#: Width (vis units) at which a label wraps onto the next line.
WRAP = {"core": 100, "role": 140, "side": 26}

_CHAR = 0.6  # average glyph width of the page's sans-serif font, in ems (generous: DejaVu Sans)
_LINE = 1.16  # line height in ems
_MARGIN = 4   # box margin on every side (the page sets it on map nodes)
_TIER_GAP = 22
_SUB_GAP = 5
_ROW_GAP = 4
_BAND_GAP = 10
#: The free canvas of a 1400 × 900 window (vis units at scale 1): the map's shape is chosen for it.
_CANVAS = (1020.0, 790.0)


def label_lines(label: str, font: int, width: int) -> list[str]:
    """Greedy word wrap of ``label`` as vis draws it with ``widthConstraint.maximum = width``.

    >>> label_lines("neuroprotective and neurotrophic agent", 15, 150)
    ['neuroprotective', 'and neurotrophic', 'agent']
    """
    per_line = max(int(width / (font * _CHAR)), 1)
    lines: list[str] = []
    for word in str(label).split() or [""]:
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@functools.lru_cache(maxsize=4096)  # the 64 candidate maps measure the same labels
def _box(label: str, font: int, width: int) -> tuple[float, float]:
    lines = label_lines(label, font, width)
    w = min(max(len(s) for s in lines) * font * _CHAR, width) + 2 * _MARGIN
    return w, len(lines) * font * _LINE + 2 * _MARGIN


def layout(graph: nx.MultiDiGraph, category: Mapping[str, str], *, seed: int = 7,
           ) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions in vis units (rounded to 0.1).

    ``category`` maps every node to its explorer category. Small graphs get the layered map by
    role, bigger ones igraph's Fruchterman–Reingold (isolated nodes in a grid below).

    >>> g = nx.MultiDiGraph([("ldn", "role"), ("role", "mech"), ("mech", "pain")])
    >>> cats = {"ldn": "drug", "role": "role", "mech": "mechanism", "pain": "symptom"}
    >>> pos = layout(g, cats)
    >>> pos["ldn"][0] < pos["role"][0] < pos["mech"][0] < pos["pain"][0]
    True
    >>> pos == layout(g, cats)
    True
    """
    if graph.number_of_nodes() <= SMALL_GRAPH:
        return _best_layered(graph, category)
    return _force(graph)


# --------------------------------------------------------------------------- the layered map


def hub_node(graph: nx.MultiDiGraph, category: Mapping[str, str]) -> str | None:
    """The drug with most relations (LDN in the article's graph), or None."""
    drugs = sorted((n for n in graph if category.get(n) == "drug"), key=lambda n: (-graph.degree(n), n))
    return drugs[0] if drugs and graph.degree(drugs[0]) > 0 else None


def _tier(cat: str) -> str | None:
    if cat in CONDITION_CATEGORIES:
        return "condition"
    return cat if cat in ("role", "mechanism") else None


def _bands(graph: nx.MultiDiGraph, category: Mapping[str, str], hub: str | None,
           roles: list[str]) -> dict[str, tuple[int, int]]:
    """Each map node → (band index, distance to its role); band ``len(roles)`` = no role."""
    core = {n for n in graph if _tier(category.get(n, "")) is not None}
    undirected = graph.to_undirected(as_view=True)
    best: dict[str, tuple[int, int]] = {}
    for index, role in enumerate(roles):
        seen = {role: 0}
        queue = deque([role])
        while queue:
            v = queue.popleft()
            for w in sorted(undirected[v]):
                if w in seen or w == hub or w in roles or w not in core:
                    continue
                seen[w] = seen[v] + 1
                queue.append(w)
        for node, dist in seen.items():
            if node not in best or dist < best[node][1]:
                best[node] = (index, dist)
    return {n: best.get(n, (len(roles), 0)) for n in core}


def _best_layered(graph: nx.MultiDiGraph, category: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """The layered map with the number of sub-columns that lets it be drawn largest on the canvas."""
    best: tuple[float, dict[str, tuple[float, float]]] | None = None
    hub = hub_node(graph, category)
    mapped = {n for n in graph if n == hub or _tier(category.get(n, "")) is not None}
    parts = _map_parts(graph, category, hub)  # what does not depend on the sub-columns: once
    for k, j in ((k, j) for k in range(1, 9) for j in range(1, 9)):
        pos = _layered(graph, category, (("role", 1), ("mechanism", k), ("condition", j)), parts)
        shown = [xy for n, xy in pos.items() if n in mapped]
        xs = [x for x, _ in shown] or [0.0]
        ys = [y for _, y in shown] or [0.0]
        # the first view fits the map only (the small nodes lie below it)
        fit = min(_CANVAS[0] / (max(xs) - min(xs) + 140), _CANVAS[1] / (max(ys) - min(ys) + 50))
        if best is None or fit > best[0] + 1e-9:
            best = (fit, pos)
    return best[1] if best else {}


@dataclass(frozen=True)
class _MapParts:
    """The hub, roles, bands, labels and boxes of the layered map."""

    hub: str | None
    roles: list[str]
    bands: dict[str, tuple[int, int]]
    label: dict[str, str]
    boxes: dict[str, tuple[float, float]]


def _map_parts(graph: nx.MultiDiGraph, category: Mapping[str, str], hub: str | None) -> _MapParts:
    roles = sorted((n for n in graph if category.get(n) == "role"),
                   key=lambda n: (-graph.degree(n), str(graph.nodes[n].get("label", n)), n))
    bands = _bands(graph, category, hub, roles)
    label = {n: str(graph.nodes[n].get("label", n)) for n in graph}
    boxes = {n: _box(label[n], CORE_FONT + 1, WRAP["role"]) if category[n] == "role"
             else _box(label[n], CORE_FONT, WRAP["core"]) for n in bands}
    return _MapParts(hub, roles, bands, label, boxes)


def _layered(graph: nx.MultiDiGraph, category: Mapping[str, str], tiers: tuple[tuple[str, int], ...],
             parts: _MapParts | None = None) -> dict[str, tuple[float, float]]:
    parts = parts or _map_parts(graph, category, hub_node(graph, category))
    hub, roles, bands, label, boxes = parts.hub, parts.roles, parts.bands, parts.label, parts.boxes
    order = {c: i for i, c in enumerate(CORE_CATEGORIES)}
    columns: dict[str, list[float]] = {}
    x = 0.0
    if hub is not None:  # the hub on the left, its label below it
        x = _box(label[hub], CORE_FONT + 1, WRAP["core"])[0] / 2 + _TIER_GAP
    for tier, subcolumns in tiers:
        members = [n for n in bands if _tier(category[n]) == tier]
        width = max((boxes[n][0] for n in members), default=0.0)
        if not members:
            continue
        columns[tier] = [x + width / 2 + i * (width + _SUB_GAP) for i in range(subcolumns)]
        x += subcolumns * (width + _SUB_GAP) - _SUB_GAP + _TIER_GAP
    positions: dict[str, tuple[float, float]] = {}
    y = 0.0
    # roles that reach nothing of their own share the last band (no empty bands)
    lonely = [r for r in roles if not any(bands[n][0] == roles.index(r) for n in bands if n != r)]
    for band in range(len(roles) + 1):
        if band < len(roles) and roles[band] in lonely:
            continue
        placed = False
        band_top = y
        rows: dict[str, list[list[str]]] = {}
        for tier, subcolumns in tiers[1:]:
            if tier not in columns:
                continue
            members = sorted((n for n in bands if bands[n][0] == band and _tier(category[n]) == tier),
                             key=lambda n: (bands[n][1], order[category[n]], label[n].casefold(), n))
            rows[tier] = [members[i:i + subcolumns] for i in range(0, len(members), subcolumns)]
        height_of = [max((boxes[n][1] for t in rows for n in (rows[t][r] if r < len(rows[t]) else [])),
                         default=0.0) for r in range(max((len(v) for v in rows.values()), default=0))]
        tops = []
        for h in height_of:
            tops.append(y)
            y += h + _ROW_GAP
        for tier, tier_rows in rows.items():
            for r, row in enumerate(tier_rows):
                for i, n in enumerate(row):
                    positions[n] = (columns[tier][i], tops[r] + height_of[r] / 2)
                    placed = True
        role_nodes = ([roles[band]] if band < len(roles) else lonely) if "role" in columns else []
        if role_nodes:
            span = (y - _ROW_GAP - band_top) if placed else 0.0
            total = sum(boxes[n][1] for n in role_nodes) + _ROW_GAP * (len(role_nodes) - 1)
            top = band_top + max(span - total, 0) / 2
            for n in role_nodes:
                positions[n] = (columns["role"][0], top + boxes[n][1] / 2)
                top += boxes[n][1] + _ROW_GAP
            y = max(y, top)
            placed = True
        if placed:
            y += _BAND_GAP
    core_bottom = y
    if hub is not None:
        ys = [p[1] for p in positions.values()] or [0.0]
        positions[hub] = (0.0, round((min(ys) + max(ys)) / 2, 1))
    rest = sorted((n for n in graph if n not in positions),
                  key=lambda n: (order.get(category.get(n, ""), len(order)), category.get(n, ""),
                                 label[n].casefold(), n))
    positions.update(_grid(rest, label, left=0.0, right=max(x - _TIER_GAP, 600.0), top=core_bottom + 10))
    return {n: (round(px, 1), round(py, 1)) for n, (px, py) in positions.items()}


def _grid(nodes: list[str], label: Mapping[str, str], *, left: float, right: float, top: float,
          ) -> dict[str, tuple[float, float]]:
    """Side nodes in rows under the map; cells sized so their (small) labels never touch."""
    if not nodes:
        return {}
    cell_w = WRAP["side"] + 6
    per_row = max(int((right - left) / cell_w), 1)
    cell_h = max(_box(label[n], SIDE_FONT, WRAP["side"])[1] for n in nodes) + 12
    return {n: (left + cell_w * (i % per_row) + cell_w / 2, top + cell_h * (i // per_row) + cell_h / 2)
            for i, n in enumerate(nodes)}


# --------------------------------------------------------------------------- force layout


def _force(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    nodes = sorted(graph.nodes)
    linked = sorted({v for u, w in graph.edges() if u != w for v in (u, w)})
    linked_set = set(linked)
    isolated = [v for v in nodes if v not in linked_set]
    positions: dict[str, tuple[float, float]] = {}
    if linked:
        coords = _igraph_layout(graph, linked, seed=seed)
        span = max(max(abs(c) for xy in coords for c in xy), 1e-9)
        scale = 110 * math.sqrt(len(linked)) / span
        positions = {v: (round(float(x) * scale, 1), round(float(y) * scale, 1))
                     for v, (x, y) in zip(linked, coords, strict=True)}
    if isolated:
        xs = [x for x, _ in positions.values()] or [0.0]
        bottom = max((y for _, y in positions.values()), default=0.0) + 200
        per_row = max(int(math.sqrt(len(isolated)) * 2), 1)
        step = 160.0
        left = (min(xs) + max(xs)) / 2 - step * (min(per_row, len(isolated)) - 1) / 2
        for i, v in enumerate(isolated):
            positions[v] = (round(left + step * (i % per_row), 1), round(bottom + 80.0 * (i // per_row), 1))
    return positions


def _igraph_layout(graph: nx.Graph, nodes: list[str], *, seed: int) -> list[tuple[float, float]]:
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
