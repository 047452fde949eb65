"""KGX TSV export (``nodes.tsv`` / ``edges.tsv``) with Biolink categories and predicates.

One node row per entity, one edge row per claim whose object is an entity (claims with a
literal object, such as a year, stay in the RDF exports). Biolink fields:

* ``category`` — from the ``biolink:category`` annotation of the entity's ldno class (or the
  nearest superclass that has one);
* ``predicate`` — from the ``ldno:biolinkPredicate`` annotation of the claim's ldno property
  (or its nearest super-property); ``original_predicate`` keeps the ldno term;
* ``knowledge_level`` — published research and scientific background → ``knowledge_assertion``,
  clinical experience → ``observation``, the author's hypothesis → ``prediction``;
* ``agent_type`` — ``manual_agent`` (every claim was curated by hand);
* ``has_evidence`` (ECO CURIE), ``negated``, ``supporting_text`` (only with ``--source``),
  ``primary_knowledge_source`` (the source document; there is no infores for it).
"""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import RDFS

from ldnkg.graph.load import SCHEMA
from ldnkg.graph.project import claim_records, entity_records
from ldnkg.namespaces import BIOLINK, CONVERTER, LDNO

__all__ = ["biolink_category", "biolink_predicate", "write_edges", "write_nodes"]

KNOWLEDGE_LEVEL = {
    "published research": "knowledge_assertion",
    "scientific background": "knowledge_assertion",
    "clinical experience": "observation",
    "author hypothesis": "prediction",
}
NODE_COLUMNS = ["id", "category", "name", "description", "xref", "synonym", "iri", "provided_by"]
EDGE_COLUMNS = [
    "id", "subject", "predicate", "object", "original_predicate", "relation_label", "negated",
    "knowledge_level", "agent_type", "has_evidence", "asserter", "certainty", "supporting_study",
    "study_design", "qualifier_context", "description", "section", "paragraph", "start", "end",
    "supporting_text", "primary_knowledge_source",
]


def _annotation_up(ds: Dataset, term: URIRef, annotation: URIRef, parent: URIRef) -> URIRef | None:
    schema = ds.graph(SCHEMA)
    seen: set[URIRef] = set()
    frontier = [term]
    while frontier:  # breadth-first up the hierarchy: nearest annotation wins
        nxt = []
        for t in frontier:
            value = schema.value(t, annotation)
            if value is not None:
                return value
            seen.add(t)
            nxt.extend(p for p in sorted(schema.objects(t, parent)) if p not in seen)
        frontier = nxt
    return None


def biolink_category(ds: Dataset, ldno_class: str) -> str:
    """Biolink category CURIE of an ldno class name.

    >>> from ldnkg.graph.load import load
    >>> biolink_category(load(), "AutoimmuneCondition")
    'biolink:Disease'
    """
    value = _annotation_up(ds, LDNO[ldno_class], BIOLINK.category, RDFS.subClassOf)
    return CONVERTER.compress(str(value)) if value is not None else "biolink:NamedThing"


def biolink_predicate(ds: Dataset, predicate: str) -> str:
    """Biolink predicate CURIE of an ldno property IRI.

    >>> from ldnkg.graph.load import load
    >>> biolink_predicate(load(), "https://w3id.org/ldnkg/ontology#ameliorates")
    'biolink:ameliorates_condition'
    """
    value = _annotation_up(ds, URIRef(predicate), LDNO.biolinkPredicate, RDFS.subPropertyOf)
    return CONVERTER.compress(str(value)) if value is not None else "biolink:related_to"


def _curie(iri: str | None) -> str:
    return "" if iri is None else CONVERTER.compress(iri) or iri


def _write(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def write_nodes(ds: Dataset, path: Path) -> None:
    """``nodes.tsv``: one row per entity; multi-valued fields joined with ``|``."""
    rows = []
    for iri, rec in sorted(entity_records(ds).items()):
        rows.append({
            "id": _curie(iri),
            "category": biolink_category(ds, rec["kind"]),
            "name": rec["label"],
            "description": rec["definition"],
            "xref": "|".join(rec["xrefs"]),
            "synonym": "|".join(rec["synonyms"]),
            "iri": iri,
            "provided_by": "ldnkg",
        })
    _write(path, NODE_COLUMNS, rows)


def write_edges(ds: Dataset, path: Path) -> None:
    """``edges.tsv``: one row per claim with an entity object."""
    entities = entity_records(ds)
    documents = {str(s): str(o) for s, o in ds.subject_objects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))}
    rows = []
    for rec in claim_records(ds):
        if rec["object_is_literal"] or rec["object"] not in entities:
            continue
        rows.append({
            "id": _curie(rec["claim"]),
            "subject": _curie(rec["subject"]),
            "predicate": biolink_predicate(ds, rec["predicate"]),
            "object": _curie(rec["object"]),
            "original_predicate": _curie(rec["predicate"]),
            "relation_label": rec["predicate_label"],
            "negated": "true" if rec["negated"] else "false",
            "knowledge_level": KNOWLEDGE_LEVEL.get(rec["asserter"], "not_provided"),
            "agent_type": "manual_agent",
            "has_evidence": rec["evidence"],
            "asserter": rec["asserter"],
            "certainty": rec["certainty"],
            "supporting_study": _curie(rec["study"]),
            "study_design": rec["design"],
            "qualifier_context": _curie(rec["context"]),
            "description": rec["paraphrase"],
            "section": rec["section"],
            "paragraph": rec["paragraph"],
            "start": rec["start"],
            "end": rec["end"],
            "supporting_text": rec["quote"],
            "primary_knowledge_source": _curie(documents.get(rec["claim"])),
        })
    _write(path, EDGE_COLUMNS, rows)
