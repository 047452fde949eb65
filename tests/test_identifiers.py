"""External identifiers: only verified ones, with the right strength of mapping.

The project's reference list marks with † identifiers seen only in third-party pages; those may
be used only as skos:closeMatch/narrowMatch/relatedMatch, never as skos:exactMatch.
"""

from __future__ import annotations

import re

import pytest
from rdflib.namespace import SKOS

from ldnkg.graph.load import KNOWLEDGE, load
from ldnkg.namespaces import CONVERTER, OIO, XREF_PATTERNS
from tests.conftest import REFERENCE, require

TOKEN = re.compile(r"\b(CHEBI|MONDO|DOID|HP|CL|GO|UBERON|PR|MESH|HGNC|NCBIGene|UniProtKB):([A-Z0-9]+)(\s*†)?")
DRUGBANK = re.compile(r"DrugBank (DB\d{5})(\s*†)?")


@pytest.fixture(scope="module")
def verified() -> dict[str, bool]:
    """CURIE → True if seen in the ontology's own release (no †)."""
    path = REFERENCE / "identifiers.md"
    require(path.is_file(), f"reference list not found at {path}")
    found: dict[str, bool] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        for prefix, local, dagger in TOKEN.findall(line):
            found[f"{prefix}:{local}"] = not dagger
        for local, dagger in DRUGBANK.findall(line):
            found[f"DRUGBANK:{local}"] = not dagger
    return found


def mappings(predicate):
    kg = load().graph(KNOWLEDGE)
    return sorted((str(s), CONVERTER.compress(str(o)) or str(o)) for s, o in kg.subject_objects(predicate))


def test_exact_matches_are_verified_in_the_ontology_release(verified: dict[str, bool]) -> None:
    rows = mappings(SKOS.exactMatch)
    assert len(rows) > 40
    for entity, curie in rows:
        assert curie in verified, f"{entity}: {curie} is not in the reference list"
        assert verified[curie], f"{entity}: {curie} is marked † and may not be an exactMatch"


@pytest.mark.parametrize("predicate", [SKOS.closeMatch, SKOS.narrowMatch, SKOS.relatedMatch])
def test_weaker_mappings_are_in_the_reference_list(predicate, verified: dict[str, bool]) -> None:
    for entity, curie in mappings(predicate):
        assert curie in verified, f"{entity}: {curie} is not in the reference list"


def test_every_xref_has_a_well_formed_local_id() -> None:
    kg = load().graph(KNOWLEDGE)
    xrefs = [str(o) for o in kg.objects(None, OIO.hasDbXref)]
    assert xrefs
    for curie in xrefs:
        prefix, local = curie.split(":", 1)
        assert re.match(XREF_PATTERNS[prefix], local), curie


def test_known_wrong_identifier_is_absent() -> None:
    # the reference list warns that CHEBI:6129 is ketorolac, not ketotifen
    text = " ".join(c for _, c in mappings(SKOS.closeMatch) + mappings(SKOS.exactMatch))
    assert "CHEBI:6129" not in text
