"""The report's charts as SVG, drawn through one autoescaping Jinja2 template.

Each chart function returns a :class:`Chart`: a title, a size and a list of shapes whose
coordinates are computed here; ``templates/chart.svg`` turns them into markup, escaping every
label, so a hostile name in the graph stays text. The SVG goes inline into ``report.html``
(selectable text, a tooltip on every bar, cell and node) and shows in a notebook through
``_repr_svg_``. Drawing needs no plotting library: the five charts of the article's report take
milliseconds (matplotlib took about three seconds of a cold build for the same five figures).

Widths of text are estimated, not measured (no font metrics here): :func:`text_width` errs wide,
so a label gets at least the room it needs.

>>> chart = bar_chart("Claims by standing", [("asserted", 3), ("hypothesis", 1)])
>>> svg = chart.svg()
>>> svg.startswith("<svg") and "<title>Claims by standing</title>" in svg
True
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Category colours (the Tableau 10 palette, as in d3 and matplotlib): community i gets PALETTE[i % 10].
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
#: ColorBrewer's 9-class YlGnBu, light to dark: the sequential scale of both heat maps.
SEQUENTIAL = ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4",
              "#1d91c0", "#225ea8", "#253494", "#081d58")
#: The colour of a zero cell: apart from the scale, so "none" never reads as "a few".
NONE = "#f2f2f2"
FONT = 12
TITLE_FONT = 14
_PAD = 10


@dataclass(frozen=True)
class Shape:
    """One SVG element: ``kind`` is rect, circle, line or text; ``tip`` becomes its tooltip."""

    kind: str
    x: float = 0
    y: float = 0
    w: float = 0  # rect: width; circle: radius; line: x2
    h: float = 0  # rect: height; line: y2
    fill: str = "#222"
    text: str = ""
    tip: str = ""
    size: int = FONT
    anchor: str = "start"
    rotate: int = 0
    bold: bool = False
    opacity: float = 1.0
    halo: bool = False  # a white outline: legible over lines and other marks


@dataclass(frozen=True)
class Chart:
    """A drawn chart: ``svg()`` is its markup (deterministic for the same shapes)."""

    title: str
    width: float
    height: float
    shapes: Sequence[Shape] = field(default_factory=tuple)

    def svg(self) -> str:
        return _template().module.chart(self)  # type: ignore[no-any-return]

    def _repr_svg_(self) -> str:  # Jupyter shows the chart
        return self.svg()


def text_width(text: str, size: int = FONT) -> float:
    """A generous estimate of ``text``'s width in a sans-serif font of ``size`` pixels.

    >>> text_width("abcd", 10)
    24.0
    """
    return round(0.6 * size * len(text), 1)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (a longer word keeps its own line).

    >>> wrap("5 published clinical observation", 16)
    ['5 published', 'clinical', 'observation']
    """
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def color(value: float, top: float) -> str:
    """The sequential colour of ``value`` on a scale from 0 to ``top`` (linear between the anchors).

    >>> color(0, 10), color(10, 10)
    ('#ffffd9', '#081d58')
    """
    t = 0.0 if top <= 0 else min(max(value / top, 0.0), 1.0)
    position = t * (len(SEQUENTIAL) - 1)
    i = min(int(position), len(SEQUENTIAL) - 2)
    f = position - i
    a, b = (_rgb(SEQUENTIAL[i]), _rgb(SEQUENTIAL[i + 1]))
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


def ink(value: float, top: float) -> str:
    """Text colour readable on :func:`color` of the same value.

    >>> ink(1, 10), ink(9, 10)
    ('#222', '#fff')
    """
    return "#fff" if top > 0 and value / top > 0.5 else "#222"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _title(text: str, width: float) -> list[Shape]:
    return [Shape("text", width / 2, _PAD + TITLE_FONT, text=text, size=TITLE_FONT, anchor="middle", bold=True)]


def bars(rows: Sequence[tuple[str, float]], *, x: float, y: float, width: float, colour: str,
         unit: str = "claims", digits: int = 0, heading: str = "") -> tuple[list[Shape], float]:
    """Horizontal bars, one per ``(label, value)`` row from the top, each with its value at its end;
    return the shapes and the height used.

    >>> shapes, height = bars([("a", 2), ("b", 1)], x=0, y=0, width=300, colour="#4C72B0")
    >>> [s.tip for s in shapes if s.kind == "rect"]
    ['a: 2 claims', 'b: 1 claims']
    """
    shapes: list[Shape] = []
    if heading:
        shapes.append(Shape("text", x, y + FONT, text=heading, bold=True))
        y += FONT + 8
    labels = max((text_width(r[0]) for r in rows), default=0) + 8
    room = width - labels - text_width("0.000") - 8
    top = max((value for _, value in rows), default=0) or 1
    bar, gap = 20, 6
    for i, (name, value) in enumerate(rows):
        top_y = y + i * (bar + gap)
        shown = f"{value:.{digits}f}"
        length = max(room * value / top, 1 if value else 0)
        shapes += [
            Shape("text", x + labels - 6, top_y + bar / 2 + FONT / 3, text=name, anchor="end"),
            Shape("rect", x + labels, top_y, length, bar, fill=colour, tip=f"{name}: {shown} {unit}"),
            Shape("text", x + labels + length + 4, top_y + bar / 2 + FONT / 3, text=shown, fill="#444"),
        ]
    return shapes, (FONT + 8 if heading else 0) + len(rows) * (bar + gap)


def bar_chart(title: str, rows: Sequence[tuple[str, float]], *, width: float = 640, colour: str = "#4C72B0",
              unit: str = "claims", digits: int = 0) -> Chart:
    """One titled set of :func:`bars`.

    >>> bar_chart("t", [("a", 0.5)], digits=2, unit="PageRank").shapes[3].text
    '0.50'
    """
    top = _PAD + TITLE_FONT + 14
    shapes, height = bars(rows, x=_PAD, y=top, width=width - 2 * _PAD, colour=colour, unit=unit, digits=digits)
    return Chart(title, width, top + height + _PAD, (*_title(title, width), *shapes))


def panels(title: str, parts: Sequence[tuple[str, Sequence[tuple[str, float]], str]], *,
           width: float = 1000, unit: str = "claims") -> Chart:
    """Bar panels side by side (``(heading, rows, colour)`` each), sharing one title.

    >>> chart = panels("t", [("left", [("a", 1)], "#4C72B0"), ("right", [("b", 2)], "#DD8452")])
    >>> sorted(s.text for s in chart.shapes if s.bold)
    ['left', 'right', 't']
    """
    top = _PAD + TITLE_FONT + 14
    needs = [max((text_width(r[0]) for r in rows), default=0) + 8 + 240 for _, rows, _ in parts]
    scale = (width - _PAD * (len(parts) + 1)) / sum(needs)
    shapes, x, tallest = list(_title(title, width)), float(_PAD), 0.0
    for (heading, rows, colour), need in zip(parts, needs, strict=True):
        drawn, height = bars(rows, x=x, y=top, width=need * scale, colour=colour, unit=unit, heading=heading)
        shapes += drawn
        x += need * scale + _PAD
        tallest = max(tallest, height)
    return Chart(title, width, top + tallest + _PAD, tuple(shapes))


def heat_map(title: str, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]], *,
             unit: str, cell: tuple[float, float] = (72, 22), column_chars: int = 14, counts: bool = True,
             digits: int = 0, rotate_columns: bool = False) -> Chart:
    """A matrix of coloured cells, rows labelled on the left, columns on top, with a colour key.

    ``counts`` writes each non-zero value in its cell and draws every cell; without it (a mostly
    empty matrix) the zero cells are the background. A drawn cell's tooltip names its row, column
    and value.

    >>> chart = heat_map("t", ["flu"], ["level 1", "level 2"], [[0, 3]], unit="claims")
    >>> [s.tip for s in chart.shapes if s.kind == "rect"][:2]
    ['flu · level 1: 0 claims', 'flu · level 2: 3 claims']
    """
    cw, ch = cell
    left = _PAD + max((text_width(r) for r in rows), default=0) + 8
    if rotate_columns:
        head = [[c] for c in columns]
        header = max((text_width(c) for c in columns), default=0) + 8
    else:
        head = [wrap(c, column_chars) for c in columns]
        header = max((len(lines) for lines in head), default=1) * (FONT + 2) + 6
    top = _PAD + TITLE_FONT + 14 + header
    peak = max((v for row in values for v in row), default=0)
    key_x = left + cw * len(columns) + 24
    width = key_x + 110
    shapes = list(_title(title, width))
    for j, lines in enumerate(head):
        cx = left + j * cw + cw / 2
        if rotate_columns:
            shapes.append(Shape("text", cx + FONT / 3, top - 6, text=lines[0], size=FONT - 1, rotate=-90))
            continue
        for k, line in enumerate(lines):
            y = top - 6 - (len(lines) - 1 - k) * (FONT + 2)
            shapes.append(Shape("text", cx, y, text=line, size=FONT - 1, anchor="middle"))
    if not counts:  # a sparse matrix: one background for its zero cells, drawn once, not cell by cell
        shapes.append(Shape("rect", left, top, cw * len(columns) - 1, ch * len(rows) - 1, fill=NONE))
    for i, (name, row) in enumerate(zip(rows, values, strict=True)):
        y = top + i * ch
        shapes.append(Shape("text", left - 6, y + ch / 2 + FONT / 3, text=name, anchor="end",
                            size=FONT if ch >= 18 else FONT - 2))
        for j, value in enumerate(row):
            if not value and not counts:
                continue
            shown = f"{value:.{digits}f}"
            shapes.append(Shape("rect", left + j * cw, y, cw - 1, ch - 1, fill=color(value, peak) if value else NONE,
                                tip=f"{name} · {columns[j]}: {shown} {unit}"))
            if counts and value:
                shapes.append(Shape("text", left + j * cw + cw / 2, y + ch / 2 + FONT / 3, text=shown,
                                    size=FONT - 1, anchor="middle", fill=ink(value, peak)))
    shapes += _key(key_x, top, peak, unit, digits)
    return Chart(title, width, top + ch * len(rows) + _PAD, tuple(shapes))


def _key(x: float, y: float, peak: float, unit: str, digits: int) -> list[Shape]:
    """The colour key: "none", then five swatches up to ``peak`` (whole numbers for counts)."""
    shapes = [Shape("text", x, y + FONT, text=unit, bold=True),
              Shape("rect", x, y + 20, 18, 18, fill=NONE, tip=f"0 {unit}"),
              Shape("text", x + 24, y + 33, text="0 (none)")]
    if digits:
        steps = [peak * k / 4 for k in range(1, 5)]
    else:
        steps = sorted({1, *(max(1, round(peak * k / 4)) for k in range(1, 5))})
    for k, value in enumerate(steps, start=1):
        sy = y + 20 + k * 22
        shown = f"{value:.{digits}f}"
        shapes += [Shape("rect", x, sy, 18, 18, fill=color(value, peak), tip=f"{shown} {unit}"),
                   Shape("text", x + 24, sy + 13, text=shown)]
    return shapes


def network(title: str, positions: dict[str, tuple[float, float]], edges: Sequence[tuple[str, str]],
            nodes: Sequence[tuple[str, float, str, str, str]], legend: Sequence[tuple[str, str]], *,
            width: float = 1000, height: float = 760) -> Chart:
    """Nodes at ``positions`` (any scale; fitted to the box), edges as faint lines.

    ``nodes`` rows are ``(node, radius, colour, tooltip, label)``: an empty label draws none.
    ``legend`` rows are ``(colour, text)``.

    >>> chart = network("t", {"a": (0, 0), "b": (1, 1)}, [("a", "b")],
    ...                 [("a", 8, "#1f77b4", "a", "A"), ("b", 4, "#ff7f0e", "b", "")], [("#1f77b4", "one")])
    >>> [s.kind for s in chart.shapes].count("circle")
    3
    """
    legend_h = 22 * ((len(legend) + 2) // 3) + 8 if legend else 0
    top = _PAD + TITLE_FONT + 14
    box = (_PAD + 20, top + 10, width - _PAD - 20, height - legend_h - _PAD - 10)
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    left, top_y = min(xs), max(ys)  # once: per node they made the chart quadratic (45 s at 100×)
    span_x, span_y = (max(xs) - left) or 1.0, (top_y - min(ys)) or 1.0

    def at(node: str) -> tuple[float, float]:
        px, py = positions[node]
        return (box[0] + (px - left) / span_x * (box[2] - box[0]),
                box[1] + (top_y - py) / span_y * (box[3] - box[1]))

    shapes = list(_title(title, width))
    for u, v in edges:
        (x1, y1), (x2, y2) = at(u), at(v)
        shapes.append(Shape("line", x1, y1, x2, y2, fill="#999", opacity=0.5))
    for node, radius, colour, tip, _ in nodes:
        x, y = at(node)
        shapes.append(Shape("circle", x, y, radius, fill=colour, tip=tip))
    placed: list[tuple[float, float, float, float]] = []  # label boxes: none is drawn over another
    for node, radius, _, _, name in sorted(nodes, key=lambda row: (at(row[0])[1], row[0])):
        if not name:
            continue
        x, y = at(node)
        half = text_width(name) / 2
        ly = y - radius - 4
        while any(x - half < bx2 and bx1 < x + half and ly - FONT < by2 and by1 < ly + 3
                  for bx1, by1, bx2, by2 in placed):
            ly -= FONT + 4
        placed.append((x - half, ly - FONT, x + half, ly + 3))
        if ly < y - radius - 4:  # moved up: a leader line back to its node
            shapes.append(Shape("line", x, ly + 3, x, y - radius, fill="#555", opacity=0.8))
        shapes.append(Shape("text", x, ly, text=name, anchor="middle", bold=True, halo=True))
    for k, (colour, text) in enumerate(legend):
        lx = _PAD + (k % 3) * (width - 2 * _PAD) / 3
        ly = height - legend_h + (k // 3) * 22 + 4
        shapes += [Shape("circle", lx + 7, ly + 7, 6, fill=colour, tip=text),
                   Shape("text", lx + 20, ly + 11, text=text, size=FONT - 1)]
    return Chart(title, width, height, tuple(shapes))


def note(title: str, text: str, width: float = 640) -> Chart:
    """A small chart saying there is nothing to draw.

    >>> note("Condition similarity", "no condition with a mechanism").shapes[1].text
    'no condition with a mechanism'
    """
    return Chart(title, width, 70, (*_title(title, width),
                                    Shape("text", width / 2, 56, text=text, anchor="middle", fill="#555")))


@functools.cache
def _template() -> Any:
    from ldnkg.export.templating import environment

    return environment().get_template("chart.svg")
