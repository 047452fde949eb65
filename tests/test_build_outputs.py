"""`ldnkg build`: every export is written, parses, round-trips and is deterministic."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from tests.conftest import require

EXPECTED_FILES = {
    ".ldnkg-build.json", "ldn.ttl", "ldn.nt", "ldn.trig", "ldn.nq", "ldn.jsonld", "ldn-inferred.ttl", "ldn.graphml",
    "ldn.gexf", "ldn.cyjs", "nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl", "ldn.nanopubs.trig",
    "explorer.html",
}


def test_build_writes_every_export(built: Path) -> None:
    assert {p.name for p in built.iterdir()} >= EXPECTED_FILES
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".out-")], "staging folder left behind"


def test_turtle_ntriples_jsonld_are_isomorphic(built: Path) -> None:
    ttl = Graph().parse(built / "ldn.ttl", format="turtle")
    nt = Graph().parse(built / "ldn.nt", format="nt")
    jsonld = Graph().parse(built / "ldn.jsonld", format="json-ld")
    assert len(ttl) > 6000
    assert isomorphic(ttl, nt)
    assert isomorphic(ttl, jsonld)


def test_jsonld_uses_a_local_context(built: Path) -> None:
    data = json.loads((built / "ldn.jsonld").read_text(encoding="utf-8"))
    assert isinstance(data["@context"], dict), "the context must be inline, not a URL to fetch"
    assert data["@context"]["ldno"] == "https://w3id.org/ldnkg/ontology#"


def test_trig_and_nquads_keep_asserted_and_inferred_apart(built: Path) -> None:
    trig = Dataset().parse(built / "ldn.trig", format="trig")
    nq = Dataset().parse(built / "ldn.nq", format="nquads")
    names = {str(g.identifier) for g in trig.graphs() if len(g)}
    assert {"https://w3id.org/ldnkg/graph/schema", "https://w3id.org/ldnkg/graph/knowledge",
            "https://w3id.org/ldnkg/graph/inferred"} <= names
    assert len(trig) == len(nq)
    inferred = Graph().parse(built / "ldn-inferred.ttl")
    asserted = Graph().parse(built / "ldn.ttl")
    assert len(inferred) > 0 and not set(inferred) & set(asserted)


def test_network_exports_match_the_entity_graph(built: Path) -> None:
    graphml = nx.read_graphml(built / "ldn.graphml")
    gexf = nx.read_gexf(built / "ldn.gexf")
    cyjs = json.loads((built / "ldn.cyjs").read_text(encoding="utf-8"))
    assert graphml.number_of_nodes() == gexf.number_of_nodes() == len(cyjs["elements"]["nodes"])
    assert graphml.number_of_edges() == len(cyjs["elements"]["edges"])
    ldn = graphml.nodes["ldn:LDN"]  # GraphML ids are NMTOKENs; the IRI is an attribute
    assert ldn["label"] == "low dose naltrexone" and ldn["kind"] == "DrugRegimen"
    assert ldn["iri"] == "https://w3id.org/ldnkg/entity/LDN"


def test_kgx_tables_carry_biolink_fields(built: Path) -> None:
    with (built / "nodes.tsv").open(encoding="utf-8") as f:
        nodes = {row["id"]: row for row in csv.DictReader(f, delimiter="\t")}
    with (built / "edges.tsv").open(encoding="utf-8") as f:
        edges = list(csv.DictReader(f, delimiter="\t"))
    # nodes with a verified exact match use it as their KGX id (tests/export/test_kgx.py)
    assert nodes["MONDO:0005546"]["category"] == "biolink:Disease"
    assert "ldn:Fibromyalgia" in nodes["MONDO:0005546"]["xref"].split("|")
    assert nodes["CL:0000129"]["category"] == "biolink:Cell"
    fibro = [e for e in edges if e["subject"] == "ldn:LDN" and e["object"] == "MONDO:0005546"]
    assert {e["predicate"] for e in fibro} == {"biolink:ameliorates_condition"}
    assert {e["knowledge_level"] for e in fibro} == {"knowledge_assertion"}  # the clinical trials
    levels = {e["knowledge_level"] for e in edges}
    assert {"knowledge_assertion", "observation", "prediction"} <= levels
    assert {e["agent_type"] for e in edges} == {"manual_agent"}
    assert all(e["subject"] in nodes and e["object"] in nodes for e in edges)
    assert all(e["supporting_text"] for e in edges), "a build with --source carries the quotes"


def test_rebuild_is_byte_identical(built: Path, seed_path: Path, tmp_path: Path) -> None:
    from ldnkg.build import build

    again = tmp_path / "again"
    build(again, sources=[seed_path])
    for name in sorted(EXPECTED_FILES):
        assert (built / name).read_bytes() == (again / name).read_bytes(), f"{name} differs between builds"


@pytest.mark.parametrize(("name", "syntax"), [("ldn.ttl", "turtle"), ("ldn.nt", "ntriples"), ("ldn.trig", "trig"),
                                            ("ldn.nq", "nquads")])
def test_rapper_reads_the_same_triples(built: Path, name: str, syntax: str) -> None:
    import pyoxigraph as ox

    require(shutil.which("rapper") is not None, "rapper (Debian raptor2-utils) is not installed")
    run = subprocess.run(["rapper", "-i", syntax, "-c", str(built / name)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    count = int(run.stderr.rsplit("returned", 1)[1].split()[0])
    assert count == len(list(ox.parse(path=built / name, format=ox.RdfFormat.from_extension(name.rsplit(".")[-1]))))


def test_the_manifest_lists_every_file_with_its_hash(built: Path) -> None:
    from ldnkg.data import sources_digest
    from ldnkg.export.files import MANIFEST, file_sha256

    manifest = json.loads((built / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {p.name for p in built.iterdir()} - {MANIFEST}
    assert all(file_sha256(built / name) == digest for name, digest in manifest["files"].items())
    assert manifest["sources_sha256"] == sources_digest(), "ldnkg.data tells a fresh build by this digest"



def test_the_files_written_before_inference_read_no_entailment(built: Path, seed_path: Path, tmp_path: Path) -> None:
    """The build's second process writes ``WITHOUT_INFERENCE`` before the OWL 2 RL step has run:
    each must come out the same from a dataset that was never reasoned over (and one that was not
    may not be among them: an export of the entailments would)."""
    from ldnkg.build import WITHOUT_INFERENCE, _writers
    from ldnkg.graph.load import load
    from ldnkg.graph.project import computed_once
    from ldnkg.graph.provenance import SourceText, attach_quotes, match_sources

    ds = load()
    attach_quotes(ds, match_sources(ds, [SourceText.read(seed_path)]))
    writers = dict(_writers())
    assert "report.html" in WITHOUT_INFERENCE and "ldn-inferred.ttl" not in WITHOUT_INFERENCE
    with computed_once(ds):
        for name in WITHOUT_INFERENCE:
            writers[name](ds, tmp_path / name)
            assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), f"{name} reads an entailment"
    writers["ldn-inferred.ttl"](ds, tmp_path / "ldn-inferred.ttl")
    assert (tmp_path / "ldn-inferred.ttl").read_bytes() != (built / "ldn-inferred.ttl").read_bytes()


def test_pyoxigraph_loads_the_curated_files_as_rdflib_parses_them() -> None:
    """``parse_turtle`` reads with pyoxigraph and makes rdflib terms: the same graph (and prefixes)
    as rdflib's own parser on every curated file; deep blank-node nesting is left to rdflib."""
    from rdflib.compare import isomorphic

    from ldnkg.graph.load import MAX_NESTING, _parse_oxigraph, _parse_rdflib
    from ldnkg.ontology import ONTOLOGY_DIR, knowledge_files, schema_file, shapes_file

    files = [schema_file(ONTOLOGY_DIR), shapes_file(ONTOLOGY_DIR), *knowledge_files(ONTOLOGY_DIR)]
    for path in files:
        fast, slow = _parse_oxigraph(path), _parse_rdflib(path)
        assert fast is not None, f"{path.name}: the fast path must read every curated file"
        one, other = Graph(), Graph()
        for t in fast[0]:
            one.add(t)
        for t in slow[0]:
            other.add(t)
        assert len(fast[0]) == len(slow[0]) and isomorphic(one, other), path.name
        assert set(fast[1]) <= set(slow[1]), path.name
    nested = Path(__file__).parent / "_nested.ttl"
    try:
        nested.write_text("@prefix x: <http://x/> .\nx:s x:p " + "[ x:p " * (MAX_NESTING + 1) + "x:o" +
                          " ]" * (MAX_NESTING + 1) + " .\n", encoding="utf-8")
        assert _parse_oxigraph(nested) is None
    finally:
        nested.unlink(missing_ok=True)
