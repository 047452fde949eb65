"""The explorer page without a browser: offline tags, escaping, determinism, CLI errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ldnkg.cli import main
from ldnkg.errors import LdnkgError
from ldnkg.export.explorer import (
    Explorer,
    explorer_html,
    graph_html,
    json_for_script,
    strip_bootstrap,
    write_explorer,
)
from ldnkg.graph.load import load
from ldnkg.graph.project import to_networkx
from ldnkg.namespaces import LDN

EVIL = '</script><img src=x onerror=alert(1)>&amp;'


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def page(ds) -> str:
    return explorer_html(ds)


def _embedded(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ldnkg-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def _vis_nodes(page: str) -> list[dict]:
    """The nodes vis is given: PyVis's data set is made empty and explorer-fill.js adds these."""
    assert re.search(r"nodes = new vis\.DataSet\(\[\]\);\n", page)
    match = re.search(r'<script type="application/json" id="ldnkg-graph">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))["nodes"]


def test_page_loads_nothing_from_the_network(page: str):
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "cdn.jsdelivr" not in page and "cdnjs.cloudflare" not in page
    assert "tom-select" not in page.lower()
    assert "vis.Network" in page  # vis-network is inlined


def test_bootstrap_removal_fails_loudly_when_pyvis_changes(page: str):
    with pytest.raises(RuntimeError, match="exactly 2 Bootstrap"):
        strip_bootstrap(page)  # already removed: 0 found


def test_rebuild_is_byte_identical(ds, tmp_path: Path):
    write_explorer(ds, tmp_path / "a.html")
    write_explorer(ds, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_every_entity_and_relation_is_in_the_page(ds, page: str):
    graph = to_networkx(ds)
    nodes = _vis_nodes(page)
    assert {n["id"] for n in nodes} == set(graph.nodes)
    assert all("title" not in n for n in nodes)  # PyVis may render a title as HTML
    assert all(isinstance(n["x"], float | int) and isinstance(n["y"], float | int) for n in nodes)
    data = _embedded(page)
    fibro = data["entities"][str(LDN.Fibromyalgia)]
    assert fibro["claims"] and fibro["definition"]
    assert {c["evidence_label"] for c in data["claims"]} >= {"author statement"}


def test_markup_in_data_cannot_break_out_of_the_script():
    g = nx.MultiDiGraph()
    g.add_node("a", label=EVIL, kind="Drug", definition=EVIL, synonyms=[EVIL])
    g.add_node("b", label="b", kind="Symptom")
    g.add_edge("a", "b", key="p", predicate="x#ameliorates", predicate_label=EVIL, negated=False,
               claims=[{"claim": "c1", "subject": "a", "object": "b", "paraphrase": EVIL,
                        "quote": EVIL, "evidence_label": "e", "asserter": "author hypothesis",
                        "certainty": "hypothesised", "certainty_rank": 4}])
    page = graph_html(g)
    assert EVIL not in page and "<img src=x" not in page
    plain = nx.MultiDiGraph()
    plain.add_node("a", label="a", kind="Drug")
    assert page.count("</script>") == graph_html(plain).count("</script>")
    assert _vis_nodes(page)[0]["label"] == EVIL
    data = _embedded(page)
    assert data["entities"]["a"]["definition"] == EVIL and data["claims"][0]["quote"] == EVIL


def test_json_for_script_escapes_what_html_parsers_see():
    text = json_for_script({"k": "<>&\u2028"})
    assert not set("<>&") & set(text) and json.loads(text) == {"k": "<>&\u2028"}


def test_focus_keeps_the_k_hop_neighbourhood(ds):
    graph = to_networkx(ds)
    page = explorer_html(ds, focus="fibromyalgia", depth=1)
    centre = str(LDN.Fibromyalgia)
    expected = {centre, *graph.predecessors(centre), *graph.successors(centre)}
    assert {n["id"] for n in _vis_nodes(page)} == expected


def test_unknown_focus_is_a_clear_error(ds):
    with pytest.raises(LdnkgError, match="no entity is called 'no-such-thing'"):
        explorer_html(ds, focus="no-such-thing")


def test_notebook_repr_is_an_isolated_iframe(ds):
    shown = Explorer.from_dataset(ds, focus="TLR4", depth=1)._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "<script" not in shown


def test_cli_explore_query_shows_only_what_the_query_names(tmp_path: Path):
    out = tmp_path / "q.html"
    query = "SELECT ?x WHERE { ldn:LDN ldno:actsThrough ?x }"
    result = CliRunner().invoke(main, ["explore", "--out", str(out), "--query", query])
    assert result.exit_code == 0, result.output
    graph = to_networkx(load())
    # the query reads the facts: relations some claim asserts (not only hypotheses or observations)
    expected = {v for _, v, d in graph.out_edges(str(LDN.LDN), data=True)
                if d["predicate"].endswith("#actsThrough") and any(c["standing"] == "asserted" for c in d["claims"])}
    # what the rows name, and LDN, which the query itself names
    assert {n["id"] for n in _vis_nodes(out.read_text())} == expected | {str(LDN.LDN)}


@pytest.mark.parametrize(("args", "message"), [
    (["--focus", "no-such-thing"], "error: no entity is called 'no-such-thing'"),
    (["--query", "SELECT ?x WHERE { ?x"], "error: malformed query at line 1"),
    (["--query", "ASK { ?s ?p ?o }"], "error: an ASK query names no entities"),
])
def test_cli_explore_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, args, message):
    out = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["explore", "--out", str(out), *args])
    assert result.exit_code == 1
    assert result.output.startswith(message) and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_query_view_keeps_what_the_query_names_and_lays_it_out_apart():
    from ldnkg.export.explorer import iris_named_by_query, query_entities
    from ldnkg.export.explorer_data import page_model

    ds = load()
    iris = iris_named_by_query(ds, "co-therapies")
    assert str(LDN.LDN) in iris  # named in the query's own text (rdf:subject ldn:LDN)
    assert query_entities("SELECT ?x WHERE { ?x ?p ") == []  # does not parse: names nothing
    graph = to_networkx(ds).subgraph(iris).copy()
    nodes, _, _ = page_model(graph, extra_claims=[])
    spots = [(n["x"], n["y"]) for n in nodes]
    assert len(set(spots)) == len(spots) == len(graph) >= 5


def test_layout_is_deterministic_and_a_map_by_role():
    from ldnkg.export.explorer_data import page_model

    graph = to_networkx(load())
    first = page_model(graph, extra_claims=[])[0]
    assert first == page_model(graph, extra_claims=[])[0]
    x = {n["id"]: n["x"] for n in first}
    cat = {n["id"]: n["cat"] for n in first}
    roles = [i for i in x if cat[i] == "role"]
    assert x[str(LDN.LDN)] < min(x[r] for r in roles) < min(x[i] for i in x if cat[i] == "mechanism")
    assert max(x[i] for i in x if cat[i] == "mechanism") < min(x[i] for i in x if cat[i] == "neuroinflammatory")


def test_pyvis_template_is_rendered_as_pyvis_does():
    """The page renders PyVis's template itself (importing PyVis imports IPython); PyVis's own
    ``generate_html`` stays the reference and must give the same text."""
    from pyvis.network import Network

    from ldnkg.export.explorer import _options, page_model, pyvis_html

    graph = to_networkx(load())
    nodes, edges, _ = page_model(graph, extra_claims=[])
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = _options(len(edges))
    assert pyvis_html(nodes, edges, _options(len(edges))) == net.generate_html()
    with pytest.raises(ValueError, match="title"):
        pyvis_html([{"id": "a", "title": "<b>x</b>"}], [], {})


def test_evidence_cards_show_the_chains_of_ldnkg_evidence(ds):
    """The chains the page carries for each condition are those the evidence profile (the
    reference, one profile per condition) gives, in the same order."""
    from ldnkg.export.explorer import condition_profiles
    from ldnkg.graph.analysis.profile import evidence

    graph = to_networkx(ds)
    profiles = condition_profiles(ds, graph)
    assert len(profiles) > 10 and sum(len(chains) for chains in profiles.values()) > 20
    for node, chains in profiles.items():
        expected = [{"claims": [link["iri"] for link in chain["links"]], "weakest": chain["evidence_rank"]}
                    for chain in evidence(node, data=ds).to_dict()["chains"]]
        assert chains == expected, node
    focused = condition_profiles(ds, graph.subgraph(["https://w3id.org/ldnkg/entity/Fibromyalgia"]).copy(),
                                 full=graph)
    assert focused == {"https://w3id.org/ldnkg/entity/Fibromyalgia":
                       profiles["https://w3id.org/ldnkg/entity/Fibromyalgia"]}


def test_the_key_is_in_the_page_before_the_graph_is_drawn(page: str):
    """The key bar and its data come right after <body>, before PyVis's drawing script, so the
    canvas has its final size when the graph is first drawn."""
    body = page.index("<body>")
    assert body < page.index('id="ldnkg-key"') < page.index('id="ldnkg-key-data"') < page.index("drawGraph()")
    key = json.loads(re.search(r'id="ldnkg-key-data">(.*?)</script>', page, re.S).group(1))
    assert [lv[2] for lv in key["levels"]] == [lv[2] for lv in _embedded(page)["levels"]]
