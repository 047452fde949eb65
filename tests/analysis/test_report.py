"""The HTML report and the README's heat map are deterministic and stand alone."""

from __future__ import annotations

import pytest

from ldnkg.export.report import render_report, write_evidence_heatmap, write_report


def test_report_is_byte_identical_across_runs(dataset, tmp_path):
    write_report(dataset, tmp_path / "a.html")
    write_report(dataset, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_heatmap_png_is_byte_identical_and_has_no_software_tag(graph, tmp_path):
    a = write_evidence_heatmap(graph, tmp_path / "a.png").read_bytes()
    b = write_evidence_heatmap(graph, tmp_path / "b.png").read_bytes()
    assert a == b and a.startswith(b"\x89PNG")
    assert b"matplotlib" not in a.lower()


def test_report_names_the_findings_a_reader_can_check(dataset):
    page = render_report(dataset)
    assert "immune modulation → anti-neuroinflammatory agent → neuroprotective" in page
    agenda = page.split("Research agenda")[1].split("<h2>")[0]
    assert "dementia" in agenda and "Parkinson&#x27;s disease" in agenda
    assert "fibromyalgia" not in agenda


def test_failed_write_leaves_no_file_behind(dataset, tmp_path, monkeypatch):
    import ldnkg.export.files as files
    import ldnkg.export.report as report

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        report.write_report(dataset, tmp_path / "report.html")
    assert list(tmp_path.iterdir()) == []
