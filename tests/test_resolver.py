"""One name resolver for every command and parameter (issue 12 §2): what a user types finds the
entity, an ambiguous name lists the candidates, an unknown one fails with "did you mean"."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ldnkg.cli import main
from ldnkg.graph.analysis.resolve import EntityLookupError, name_index, normalise

E = "https://w3id.org/ldnkg/entity/"


@pytest.fixture(scope="module")
def index(dataset_and_graph):
    return name_index(dataset_and_graph[1])


@pytest.fixture(scope="module")
def dataset_and_graph():
    import ldnkg
    from ldnkg.graph.project import to_networkx

    ds = ldnkg.load()
    return ds, to_networkx(ds)


@pytest.mark.parametrize(("typed", "local"), [
    ("parkinsons", "ParkinsonsDisease"),                    # the two spellings
    ("Parkinson's disease", "ParkinsonsDisease"),
    ("PARKINSON’S   DISEASE", "ParkinsonsDisease"),          # case, curly apostrophe, spacing
    ("ParkinsonsDisease", "ParkinsonsDisease"),              # local name
    ("ldn:ParkinsonsDisease", "ParkinsonsDisease"),          # CURIE
    (E + "ParkinsonsDisease", "ParkinsonsDisease"),          # IRI
    (f"<{E}ParkinsonsDisease>", "ParkinsonsDisease"),
    ("fibromyalgia", "Fibromyalgia"),                        # claims-about used to need "Fibromyalgia"
    ("fibro myalgia", "Fibromyalgia"),                       # spacing ignored
    ("fibromyalga", "Fibromyalgia"),                         # one close spelling
    ("Berkson", "BurtBerkson"),                              # people by surname
    ("Burt Berkson", "BurtBerkson"),
    ("kim", "YoonHangKim"),
    ("MCAS", "MCAS"),
    ("long-COVID", "LongCOVID"),
    ("Role 2", "AntiNeuroinflammation"),                     # synonym
    ("immune derangement", "ImmuneDerangementSyndrome"),     # the condition before its case series
])
def test_names_resolve(index, typed, local):
    assert index.resolve(typed) == E + local


def test_cross_references_resolve(index, dataset_and_graph):
    graph = dataset_and_graph[1]
    curie = next(x for x in graph.nodes[E + "Fibromyalgia"]["xrefs"] if x.startswith("MONDO:"))
    assert index.resolve(curie) == E + "Fibromyalgia"


def test_ambiguous_name_lists_the_candidates(index):
    with pytest.raises(EntityLookupError) as err:
        index.resolve("chronic")
    assert "is ambiguous: it could be" in str(err.value)
    assert {"chronic fatigue (ldn:ChronicFatigue)", "chronic pain (ldn:ChronicPain)"} <= set(err.value.suggestions)


def test_unknown_name_suggests_close_names(index):
    with pytest.raises(EntityLookupError) as err:
        index.resolve("fibromyositis")
    assert str(err.value).startswith("no entity is called 'fibromyositis'; did you mean: ")
    assert "fibromyalgia (ldn:Fibromyalgia)" in err.value.suggestions


def test_the_same_rule_over_rdf_and_over_the_entity_graph(index, dataset_and_graph):
    ds = dataset_and_graph[0]
    from_rdf = name_index(ds)
    for typed in ("parkinsons", "Berkson", "MCAS", "fibro myalgia", "Role 2"):
        assert from_rdf.resolve(typed) == index.resolve(typed)


def test_normalisation_rule_for_the_explorer():
    # the rule the explorer's search implements in JavaScript (module docstring)
    assert normalise("Sjögren’s syndrome") == "sjogrens syndrome"
    assert normalise("TLR4Blockade", camel=True) == "tlr4 blockade"
    assert normalise("  anti-neuro--inflammatory  ") == "anti neuro inflammatory"


def query(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def test_query_param_takes_any_name():
    exact = query("claims-about", "--param", "entity=ldn:Fibromyalgia", "-f", "csv")
    loose = query("claims-about", "--param", "entity=fibromyalgia", "-f", "csv")
    assert exact.exit_code == loose.exit_code == 0, loose.output
    assert loose.output == exact.output and "p20-fibro-trials" in loose.output


def test_query_param_with_an_unknown_name_fails_instead_of_zero_rows():
    result = query("claims-about", "--param", "entity=aspirin")
    assert result.exit_code == 1
    assert result.output.startswith("error: no entity is called 'aspirin'")
    assert "(0 rows)" not in result.output and "Traceback" not in result.output


def test_query_param_ambiguous_lists_candidates():
    result = query("co-therapies", "--param", "condition=chronic")
    assert result.exit_code == 1 and "is ambiguous" in result.output


def test_evidence_with_an_unknown_name_exits_1_with_did_you_mean():
    result = CliRunner().invoke(main, ["evidence", "fibromyalgai"])
    assert result.exit_code == 0, result.output  # a close spelling still resolves
    result = CliRunner().invoke(main, ["evidence", "xylophone"])
    assert result.exit_code == 1 and result.output.startswith("error: no entity is called 'xylophone'")


def test_explore_focus_uses_the_resolver(tmp_path):
    out = tmp_path / "e.html"
    result = CliRunner().invoke(main, ["explore", "--out", str(out), "--focus", "berkson",
                                       "--depth", "1", "--no-sparql"])
    assert result.exit_code == 0, result.output
    assert "Burt Berkson" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["explore", "--out", str(tmp_path / "f.html"), "--focus", "xylophone"])
    assert bad.exit_code == 1 and "no entity is called 'xylophone'" in bad.output
