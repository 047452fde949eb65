"""Locators and quotes: `--source` checks every offset and hash; quotes only come from the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ldnkg.build import prepare
from ldnkg.errors import LocatorError, SourceTextError
from ldnkg.graph.project import claim_records
from ldnkg.graph.provenance import sha256

LDNO = "https://w3id.org/ldnkg/ontology#"


def test_every_locator_verifies_against_the_article(seed_path: Path) -> None:
    ds, verified, quotes, _ = prepare(sources=[seed_path])
    claims = claim_records(ds)
    assert verified == quotes >= len(claims) > 250
    text = seed_path.read_text(encoding="utf-8")
    for c in claims:
        assert c["quote"] == text[c["start"]:c["end"]]


def test_quotes_support_their_claims(seed_path: Path) -> None:
    by_id = {c["claim"].rsplit("/", 1)[1]: c for c in claim_records(prepare(sources=[seed_path])[0])}
    assert "TLR4" in by_id["p17-blocks-tlr4"]["quote"]
    assert "1986" in by_id["p09-nk-1986"]["quote"]
    assert "cure" in by_id["p12-not-cure"]["quote"]
    assert "57" in by_id["p31-response-rate"]["quote"]


def test_without_a_source_nothing_is_quoted(built_plain: Path) -> None:
    graph = Graph().parse(built_plain / "ldn.nt", format="nt")
    assert not list(graph.triples((None, URIRef(LDNO + "quote"), None)))
    assert list(graph.triples((None, URIRef(LDNO + "spanSha256"), None))), "locators are still there"


def test_document_records_the_hash_of_the_whole_text(seed_path: Path) -> None:
    ds = prepare()[0]
    digests = {str(o) for o in ds.objects(None, ds.namespace_manager.expand_curie("ldno:sha256"))}
    assert sha256(seed_path.read_text(encoding="utf-8")) in digests


def test_an_edited_text_is_rejected(tmp_path: Path, seed_path: Path) -> None:
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_path.read_text(encoding="utf-8").replace("TLR4", "TLR-4"), encoding="utf-8")
    with pytest.raises(SourceTextError, match=r"edited\.txt.*matches no source document"):
        prepare(sources=[edited])


def test_a_wrong_offset_names_the_claim(ontology_copy: Path, seed_path: Path) -> None:
    claims = ontology_copy / "knowledge" / "three-roles-of-ldn" / "claims.ttl"
    text = claims.read_text(encoding="utf-8")
    at = text.index("oa:start ", text.index("claim:p17-blocks-tlr4-locator a")) + len("oa:start ")
    start = int(text[at:text.index(" ", at)])
    claims.write_text(text[:at] + str(start + 3) + text[at + len(str(start)):], encoding="utf-8")
    with pytest.raises(LocatorError, match="p17-blocks-tlr4"):
        prepare(root=ontology_copy, sources=[seed_path])
