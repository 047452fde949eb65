"""``ldnkg query`` from the command line: listing, formats, parameters, errors."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from rdflib import Graph

from ldnkg.cli import main
from ldnkg.graph.sparql import named_queries


def invoke(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def test_list_prints_name_and_description():
    result = invoke("--list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(named_queries())
    name, description = lines[0].split(None, 1)
    assert name == named_queries()[0].name and description == named_queries()[0].description


def test_table_is_readable():
    result = invoke("role-cycle")
    assert result.exit_code == 0, result.output
    assert "ldn:ImmuneModulation" in result.output and "(3 rows)" in result.output


def test_json_is_sparql_results_json():
    doc = json.loads(invoke("co-therapies", "--format", "json").output)
    assert doc["head"]["vars"][0] == "therapy"
    labels = {b["therapyLabel"]["value"] for b in doc["results"]["bindings"]}
    assert {"ketotifen", "methylene blue"} <= labels


def test_csv_and_tsv():
    rows = list(csv.DictReader(io.StringIO(invoke("triggers", "-f", "csv").output)))
    assert {r["triggerLabel"] for r in rows} >= {"injury", "infection"}
    tsv = invoke("triggers", "-f", "tsv").output.splitlines()
    assert tsv[0].startswith("?trigger\t?triggerLabel")
    assert any(line.startswith("<https://w3id.org/ldnkg/entity/Injury>\t") for line in tsv)


def test_xml():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(invoke("negative-statements", "-f", "xml").output.encode())
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.tag == f"{ns}sparql" and len(root.findall(f"{ns}results/{ns}result")) == 3


def test_construct_gives_rdf():
    g = Graph().parse(data=invoke("neighbourhood", "-f", "ttl").output, format="turtle")
    assert len(g) > 5
    assert invoke("neighbourhood", "-f", "csv").exit_code == 1  # not a results format for graphs


def test_param_and_engine():
    result = invoke("conditions-via-tlr4", "--param", "mechanism=ldn:EndorphinEnkephalinUpregulation",
                    "--engine", "rdflib", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "fibromyalgia" not in result.output


def test_unknown_param_is_an_error():
    result = invoke("co-therapies", "--param", "illness=ldn:Cancer")
    assert result.exit_code == 1
    assert "no parameter 'illness'" in result.output


def test_sparql_text_and_rq_file(tmp_path):
    out = invoke("SELECT ?r WHERE { ldn:LDN ldno:hasRole ?r }", "-f", "csv").output
    assert "https://w3id.org/ldnkg/entity/ImmuneModulation" in out
    # the neuroprotective role is the author's hypothesis and observation: not a fact of the default graph
    assert "https://w3id.org/ldnkg/entity/Neuroprotection" not in out
    rq = tmp_path / "mine.rq"
    rq.write_text("# description: roles?\nASK { GRAPH <https://w3id.org/ldnkg/graph/hypotheses> "
                  "{ ldn:LDN ldno:hasRole ldn:Neuroprotection } }\n")
    assert invoke(str(rq)).output == "yes\n"


def test_malformed_query_names_line_and_column():
    for engine in ("oxigraph", "rdflib"):
        result = invoke("SELECT ?x\nWHERE { ?x ?y }", "--engine", engine)
        assert result.exit_code == 1
        assert "line 2, column" in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_unknown_name_and_update_are_refused():
    result = invoke("no-such-query")
    assert result.exit_code == 1 and "no named query 'no-such-query'" in result.output
    result = invoke("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert result.exit_code == 1 and "read-only" in result.output
    result = invoke("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                    "--engine", "rdflib")
    assert result.exit_code == 1 and "SERVICE" in result.output


def test_limit_option_truncates_and_says_so():
    # issue 12 §5: --limit N shows the first N rows and says how many there were
    result = CliRunner().invoke(main, ["query", "claims-with-locators", "--limit", "10", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert len(rows) == 11  # header + 10
    assert "(showing the first 10 of " in result.stderr


def test_data_file(tmp_path):
    from ldnkg import load
    from ldnkg.export.rdf import write_nquads

    path = tmp_path / "g.nq"
    write_nquads(load(), path)
    result = invoke("role-cycle", "--data", str(path), "-f", "csv")
    assert result.exit_code == 0 and len(result.output.splitlines()) == 4


def test_python_api_rows_and_frame():
    import ldnkg

    rows = ldnkg.query("role-cycle")
    assert {r["roleLabel"] for r in rows} and all(isinstance(r["role"], str) for r in rows)
    frame = ldnkg.query("response-rates", as_frame=True)
    assert list(frame.columns)[:2] == ["rate", "rateLabel"]
    assert sorted(frame["minPercent"].astype(float)) == [57.0]  # "a third may not respond" is no LDN rate
    assert ldnkg.query("ASK { ldn:LDN ldno:cures ldn:Cancer }") is False  # negated, not asserted
