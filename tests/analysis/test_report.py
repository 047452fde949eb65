"""The HTML report and the README's heat map are deterministic and stand alone."""

from __future__ import annotations

import html

import pytest

from ldnkg.export.report import render_report, write_evidence_heatmap, write_report


def test_report_is_byte_identical_across_runs(dataset, tmp_path):
    write_report(dataset, tmp_path / "a.html")
    write_report(dataset, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_heatmap_svg_is_byte_identical_and_well_formed(graph, tmp_path):
    from xml.etree import ElementTree

    a = write_evidence_heatmap(graph, tmp_path / "a.svg").read_bytes()
    b = write_evidence_heatmap(graph, tmp_path / "b.svg").read_bytes()
    assert a == b
    root = ElementTree.fromstring(a)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_each_chart_value_is_named_in_a_tooltip(dataset):
    """A reader pointing at a cell or bar reads what it counts, not only a colour."""
    page = html.unescape(render_report(dataset))
    heat = page.split("Evidence by condition")[1].split("<table>")[0]
    assert "<title>fibromyalgia · 1 published clinical trial: 4 claims</title>" in heat
    from ldnkg.graph.project import claim_records

    claims = claim_records(dataset)
    hypotheses = sum(c["standing"] == "hypothesis" for c in claims)
    level7 = sum(c["evidence_rank"] == 7 for c in claims)
    summary = page.split("<h2>Summary</h2>")[1].split("<h2>")[0]
    assert f"<title>7 the author's hypothesis: {level7} claims</title>" in summary
    assert f"<title>hypothesis: {hypotheses} claims</title>" in summary
    communities = page.split("Communities and the three roles")[1].split("<table>")[0]
    assert ">immune modulation</text>" in communities  # the roles are named on the map


def test_the_report_needs_no_plotting_library(dataset, monkeypatch):
    """The build's report draws its charts itself: matplotlib is an optional extra."""
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # importing it now fails
    assert render_report(dataset).count("<svg") == 5


def test_report_names_the_findings_a_reader_can_check(dataset):
    page = render_report(dataset)
    assert "immune modulation → anti-neuroinflammatory agent → neuroprotective" in page
    agenda = html.unescape(page.split("Research agenda")[1].split("<h2>")[0])
    assert "dementia" in agenda and "Parkinson's disease" in agenda
    assert "fibromyalgia" not in agenda


def test_report_shows_the_evidence_level_of_what_it_counts(dataset):
    page = html.unescape(render_report(dataset))
    evidence = page.split("Evidence by condition")[1].split("Research agenda")[0]
    fibro = evidence.split("<td>fibromyalgia</td>")[1].split("</tr>")[0]
    assert "1 published clinical trial" in fibro  # its strongest support
    agenda = page.split("Research agenda")[1].split("<h2>")[0]
    assert "7 the author's hypothesis" in agenda or "5 the author's clinical observation" in agenda
    assert "published clinical trial" not in agenda
    assert "Oxford CEBM 2011" in page


def test_failed_write_leaves_no_file_behind(dataset, tmp_path, monkeypatch):
    import ldnkg.export.files as files
    import ldnkg.export.report as report

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        report.write_report(dataset, tmp_path / "report.html")
    assert list(tmp_path.iterdir()) == []


PAYLOADS = {
    "immune modulation": "<svg onload=alert(1)>",
    "anti-neuroinflammatory agent": "<img src=x onerror=alert(2)>",
    "neuroprotective and neurotrophic agent": "</script><script>alert(3)</script>",
}


def test_hostile_labels_on_the_cycle_are_text_not_markup(ontology_copy):
    """Issue 11.11: labels on a directed cycle were joined into the page raw and ran as script."""
    from html.parser import HTMLParser

    from ldnkg.graph.load import load

    path = ontology_copy / "knowledge" / "entities.ttl"
    text = path.read_text(encoding="utf-8")
    for label, payload in PAYLOADS.items():
        assert f'rdfs:label "{label}"' in text
        text = text.replace(f'rdfs:label "{label}"', f'rdfs:label "{payload}"', 1)
    path.write_text(text, encoding="utf-8")
    page = render_report(load(ontology_copy))

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.handlers, self.text = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.handlers += [name for name, _ in attrs if name.startswith("on")]

        def handle_data(self, data):
            self.text.append(data)

    seen = Elements()
    seen.feed(page)
    assert "script" not in seen.tags and "img" not in seen.tags
    assert seen.handlers == [], "an event handler attribute reached the page"
    assert seen.tags.count("svg") == 5, "only the five charts are SVG"
    shown = "".join(seen.text)
    cycle = " → ".join([*PAYLOADS.values(), next(iter(PAYLOADS.values()))])
    assert cycle in shown, "the cycle is still shown, as text"
