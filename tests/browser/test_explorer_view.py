"""Issue 13 in a real (headless, offline) Chromium: the first view reads at first sight, nothing
covers the graph, a condition has its evidence card, edges show their evidence, notebooks fit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ldnkg.export.explorer_data import LEVEL_STYLE, NEGATED_COLOUR, STANDING_STYLE
from ldnkg.namespaces import LDN

pytestmark = pytest.mark.browser

FIBRO = str(LDN.Fibromyalgia)
HUB = str(LDN.LDN)

# Every label vis draws (font size × scale ≥ drawThreshold − 1), as a screen rectangle.
LABELS = """() => {
  const net = window.network, scale = net.getScale(), out = [];
  for (const id of net.body.nodeIndices) {
    const n = net.body.nodes[id], lm = n.labelModule;
    const px = lm.fontOptions.size * scale;
    if (lm.elementOptions.label === undefined || px < lm.elementOptions.scaling.label.drawThreshold - 1) continue;
    const s = lm.size;
    const a = net.canvasToDOM({x: s.left, y: s.top}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    out.push({id, px, map: !!n.options.map,
              r: [a.x, a.y, b.x, b.y]});
  }
  return out;
}"""
BOXES = """(ids) => ids.map(id => { const b = network.getBoundingBox(id);
  const a = network.canvasToDOM({x: b.left, y: b.top}), c = network.canvasToDOM({x: b.right, y: b.bottom});
  return [a.x, a.y, c.x, c.y]; })"""


def _rect(page: Any, selector: str) -> dict[str, float]:
    return page.page.locator(selector).bounding_box()


def _overlap(p: list[float], q: list[float]) -> bool:
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


@pytest.fixture
def explorer(built: Path) -> Path:
    return built / "explorer.html"


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])
def test_first_view_labels_every_role_mechanism_and_condition_legibly_without_overlap(
        explorer: Path, open_page: Any, size: tuple[int, int]):
    page = open_page(explorer)
    page.page.set_viewport_size({"width": size[0], "height": size[1]})
    page.page.wait_for_timeout(300)  # the page refits on resize
    labels = page.js(LABELS)
    wanted = set(page.js("network.body.data.nodes.getIds({filter: n => !!n.map})"))
    cats = page.js("Object.fromEntries(network.body.data.nodes.get().map(n => [n.id, n.cat]))")
    assert {cats[i] for i in wanted} >= {"role", "mechanism", "neuroinflammatory", "autoimmune"}
    assert len(wanted) > 60
    drawn = {label["id"]: label for label in labels}
    assert wanted <= set(drawn), "every map label is drawn at the first view"
    assert min(drawn[i]["px"] for i in wanted) >= 11
    clashes = [(a["id"], b["id"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a["r"], b["r"])]
    assert clashes == []
    # the map fits the free canvas
    canvas = _rect(page, "#mynetwork")
    for box in page.js(BOXES, sorted(wanted)):
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= canvas["width"] and box[3] <= canvas["height"]


def test_nothing_covers_the_graph(explorer: Path, open_page: Any):
    page = open_page(explorer)
    canvas = _rect(page, "#mynetwork")
    key, side, drawer = _rect(page, "#ldnkg-key"), _rect(page, "#ldnkg-side"), _rect(page, "#ldnkg-sparql")
    assert key["y"] + key["height"] <= canvas["y"] + 0.5
    assert side["x"] >= canvas["x"] + canvas["width"] - 0.5
    assert drawer["y"] >= canvas["y"] + canvas["height"] - 0.5
    assert page.js("document.getElementById('ldnkg-sparql').open") is False
    assert page.js("document.getElementById('ldnkg-legend').open") is False
    # opened and resized, the console takes canvas height instead of covering nodes
    page.page.click("#ldnkg-sparql > summary")
    page.js("ldnkg.resizeDrawer(320)")
    page.page.wait_for_timeout(100)
    canvas, drawer = _rect(page, "#mynetwork"), _rect(page, "#ldnkg-sparql")
    assert drawer["height"] > 320
    assert drawer["y"] >= canvas["y"] + canvas["height"] - 0.5


def test_clicked_summary_is_in_view_and_ldn_claims_are_folded_by_role_and_relation(explorer: Path,
                                                                                   open_page: Any):
    page = open_page(explorer)
    page.page.click("#ldnkg-path-tool > summary")  # an open tool pushes the panel down
    box = _rect(page, "#mynetwork")
    dom = page.js(f"network.canvasToDOM(network.getPositions(['{HUB}'])['{HUB}'])")
    page.page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])
    assert page.page.text_content("#ldnkg-details .ldnkg-summary h2") == "low dose naltrexone"
    summary = _rect(page, "#ldnkg-details .ldnkg-summary")
    assert summary["y"] >= 0 and summary["y"] + min(summary["height"], 200) <= 900
    groups = page.page.locator("#ldnkg-details > details.ldnkg-group")
    titles = groups.locator(":scope > summary").all_text_contents()
    roles = page.js("ldnkg.data.roles.map(r => r[1])")
    assert {t.rsplit(" (", 1)[0] for t in titles} >= set(roles)
    total = page.js(f"ldnkg.data.entities['{HUB}'].claims.length")
    assert sum(int(t.rsplit("(", 1)[1].rstrip(")")) for t in titles) == total > 50
    assert page.js("[...document.querySelectorAll('#ldnkg-details details')].every(d => !d.open)")
    assert page.js("document.getElementById('ldnkg-scroll').scrollHeight") < 3000


def test_a_condition_shows_its_evidence_card_with_chains_strongest_first(explorer: Path, open_page: Any):
    page = open_page(explorer)
    page.page.fill("#ldnkg-search", "fibromyalgia")
    page.page.press("#ldnkg-search", "Enter")
    card = page.page.locator("#ldnkg-card")
    assert card.count() == 1
    weakest = [int(x) for x in card.locator(".ldnkg-chain").evaluate_all("els => els.map(e => e.dataset.weakest)")]
    assert weakest == sorted(weakest) and weakest[0] == 1 and len(weakest) >= 3
    first = card.locator(".ldnkg-chain").first.text_content()
    assert "direct" in first and "published clinical trial" in first
    assert page.page.get_attribute("#ldnkg-details .ldnkg-card-best .ldnkg-scale", "data-level") == "1"
    assert card.locator(".ldnkg-citation").count() >= 1
    # the chains are what the graph highlights
    chains = page.js(f"ldnkg.cardChains('{FIBRO}')")
    highlight = page.js("ldnkg.state.highlight")
    assert set(highlight["edges"]) == {e for chain in chains for e in chain}
    # another click (not a condition) lifts the highlight
    page.js("ldnkg.showNode(ldnkg.hub)")
    assert page.js("ldnkg.state.highlight") is None


def test_the_card_shows_the_chains_ldnkg_evidence_gives(explorer: Path, open_page: Any):
    """Issue 13 §3: the card's profile is the command's: same chains (by claims), same order."""
    from ldnkg.graph.analysis.profile import evidence
    from ldnkg.graph.load import load

    expected = [[link["iri"] for link in chain["links"]]
                for chain in evidence("fibromyalgia", data=load()).to_dict()["chains"]]
    page = open_page(explorer)
    shown = page.js(f"ldnkg.cardChains('{FIBRO}').map(ch => ch.map(id => ldnkg.edgeById[id].claims"
                    ".map(ci => ldnkg.data.claims[ci].claim)))")
    assert len(shown) == len(expected) >= 3
    for claims_of_edges, links in zip(shown, expected, strict=True):
        assert all(link in edge for edge, link in zip(claims_of_edges, links, strict=True))


def test_edge_style_encodes_evidence_level_and_standing(explorer: Path, open_page: Any):
    page = open_page(explorer)
    edges = page.js("network.body.data.edges.get().map(e => [e.level, e.standing || 'asserted', e.color.color,"
                    " e.dashes || false, (e.arrows && e.arrows.to.type) || 'arrow'])")
    assert {e[0] for e in edges} >= {1, 5, 7}
    for level, standing, colour, dashes, arrow in edges:
        assert colour == (NEGATED_COLOUR if standing == "negated" else LEVEL_STYLE[level][0])
        assert dashes == STANDING_STYLE[standing][0]
        assert arrow == ("bar" if standing == "negated" else "arrow")
    assert {e[1] for e in edges} >= {"asserted", "hypothesis", "negated"}
    words = page.page.text_content("#ldnkg-key")
    assert "clinical trial" in words and "author's hypothesis" in words and "stated as not so" in words


def test_notebook_explorer_is_fitted_and_centred_in_its_iframe(tmp_path: Path, open_page: Any):
    from ldnkg.export.explorer import Explorer
    from ldnkg.graph.load import load

    cell = Explorer.from_dataset(load(), focus="fibromyalgia", depth=2)._repr_html_()
    assert 'id="ldnkg-sparql"' not in cell  # no console by default in a notebook
    assert len(cell.encode("utf-8")) < 1_000_000
    host = tmp_path / "notebook.html"
    host.write_text(f"<!doctype html><html><body style='margin:0;width:900px'>{cell}</body></html>",
                    encoding="utf-8")
    page = open_page(host, ready=False)
    frame = page.page.frame_locator("iframe")
    frame.locator("#mynetwork canvas").wait_for()
    inner = page.page.frames[1]
    inner.wait_for_function("window.ldnkg && window.ldnkg.ready === true")
    ids = inner.evaluate("network.body.data.nodes.getIds()")
    boxes = inner.evaluate(BOXES, ids)
    canvas = inner.evaluate("(() => { const r = document.getElementById('mynetwork').getBoundingClientRect();"
                            " return [r.width, r.height]; })()")
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    assert left >= 0 and top >= 0 and right <= canvas[0] and bottom <= canvas[1]
    assert abs((left + right) / 2 - canvas[0] / 2) < canvas[0] * 0.05
    assert abs((top + bottom) / 2 - canvas[1] / 2) < canvas[1] * 0.05
    assert max(right - left, bottom - top) > 0.6 * min(canvas)  # fitted, not a speck
    assert page.blocked == [] and page.errors == []


# Every drawing of the graph, with the canvas's size at that moment (hooked before PyVis's script).
DRAWS = """(() => { let v; window.__draws = [];
  Object.defineProperty(window, 'network', { configurable: true, get() { return v; },
    set(x) { v = x; if (x && x.on && !window.__hooked) { window.__hooked = true;
      x.on('afterDrawing', () => { const c = x.canvas.frame.canvas;
        window.__draws.push([c.clientWidth, c.clientHeight]); }); } } }); })();"""


def test_a_big_graph_is_drawn_once_at_its_final_size(tmp_path: Path, open_page: Any):
    """The key bar is measured before PyVis draws, so a big graph (whose first view is the whole
    graph) is drawn once, already at the canvas's final size, instead of drawn, resized and
    drawn again (a second wait as long as the first)."""
    import networkx as nx

    from ldnkg.export.explorer import graph_html

    base = nx.barabasi_albert_graph(2000, 2, seed=1)
    g = nx.MultiDiGraph()
    for i in base:
        g.add_node(f"n{i}", label=f"entity {i}", kind="Mechanism")
    for j, (u, v) in enumerate(sorted(base.edges())):
        g.add_edge(f"n{u}", f"n{v}", key="x", predicate="x#relatesTo", predicate_label="relates to",
                   negated=False, claims=[{"claim": f"c{j}", "subject": f"n{u}", "object": f"n{v}"}])
    path = tmp_path / "big.html"
    path.write_text(graph_html(g), encoding="utf-8")
    page = open_page(path, init=DRAWS)
    page.page.wait_for_timeout(500)
    final = page.js("[network.canvas.frame.canvas.clientWidth, network.canvas.frame.canvas.clientHeight]")
    assert page.js("window.__draws") == [final]
    assert not page.errors


def test_the_search_boxes_suggest_every_entity_and_synonym(explorer: Path, open_page: Any):
    page = open_page(explorer)
    page.page.focus("#ldnkg-from")
    options = page.js("[...document.querySelectorAll('#ldnkg-names option')].map(o => [o.value, o.label])")
    labels = page.js("network.body.data.nodes.get().map(n => n.label)")
    assert set(labels) <= {value for value, _ in options}
    assert any(label.startswith("synonym of ") for _, label in options)
    assert len(options) == len({value for value, _ in options})  # each name once
