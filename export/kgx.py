"""KGX exports with Biolink categories and predicates: JSON Lines (``nodes.jsonl``/``edges.jsonl``)
and TSV (``nodes.tsv``/``edges.tsv``).

One node per entity, one edge per claim whose object is an entity (claims with a literal object,
such as a year, stay in the RDF exports). Both forms read back through kgx itself without loss
(tested): JSON Lines carries real booleans and lists; the TSV follows kgx's own convention of an
empty ``negated`` cell for false and ``True`` for true (kgx reads any non-empty string as true).
Each edge's ``id`` is its claim, so claims sharing subject, predicate and object never merge.

Identifiers
-----------
A node's ``id`` is its verified external identifier where it has an exact match in a prefix
Biolink knows (MONDO, CHEBI, CL, GO, UBERON…; :data:`ID_PREFERENCE`), else its local CURIE
(``ldn:…``). The local prefixes are declared to kgx as :data:`KGX_PREFIXES`, the mapping to add to
the JSON-LD context kgx validates against; ``iri`` keeps the full IRI of every node.

Biolink fields
--------------
* ``category`` — from the ``biolink:category`` annotation of the entity's ldno class (or the
  nearest superclass that has one);
* ``predicate`` — from the ``ldno:biolinkPredicate`` annotation of the claim's ldno property (or
  its nearest super-property); ``original_predicate`` keeps the ldno term;
* ``knowledge_level`` — from the claim's standing: asserted → ``knowledge_assertion``, observation →
  ``observation``, hypothesis → ``prediction`` (a negated claim keeps the level of its basis);
* ``agent_type`` — ``manual_agent``: every claim is a person's statement, curated by hand;
* ``primary_knowledge_source`` — ``infores:ldnkg``. The Information Resource Registry has no entry
  for this graph or for the article's publisher, so this is a local infores id (minted the way kgx
  itself mints one from a source name) and not a registered one;
* ``has_evidence`` (ECO CURIE), ``negated``, ``supporting_text`` (only with ``--source``),
  ``publications`` (the source article), plus the claim's ``evidence_level``, ``evidence_rank``,
  ``standing``, ``asserter``, ``certainty`` and locator.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef
from rdflib.namespace import RDFS, SKOS

from ldnkg.graph.load import KNOWLEDGE, SCHEMA
from ldnkg.graph.project import claim_records, entity_records, remember
from ldnkg.namespaces import BIOLINK, CONVERTER, LDNO, PREFIXES

__all__ = [
    "ID_PREFERENCE",
    "INFORES",
    "KGX_PREFIXES",
    "biolink_category",
    "biolink_predicate",
    "edge_records",
    "node_ids",
    "node_records",
    "write_edges",
    "write_edges_jsonl",
    "write_nodes",
    "write_nodes_jsonl",
]

#: The knowledge source of every edge: a local infores id (the registry has none for this graph).
INFORES = "infores:ldnkg"
#: Prefixes of the local identifiers in the KGX files, to declare to kgx (its JSON-LD context).
KGX_PREFIXES: dict[str, str] = {p: PREFIXES[p] for p in ("ldn", "ldno", "claim", "src")}
#: External prefixes usable as node ids, most preferred first (Biolink's id prefixes).
ID_PREFERENCE = ("MONDO", "CHEBI", "PR", "UniProtKB", "HGNC", "NCBIGene", "CL", "GO", "UBERON", "HP", "DOID", "MESH")
KNOWLEDGE_LEVEL = {
    "asserted": "knowledge_assertion",
    "observation": "observation",
    "hypothesis": "prediction",
}
_BASIS_LEVEL = {  # for negated claims: what the basis alone says
    "published research": "knowledge_assertion",
    "scientific background": "knowledge_assertion",
    "clinical experience": "observation",
    "author hypothesis": "prediction",
}
NODE_COLUMNS = ["id", "category", "name", "description", "xref", "synonym", "iri", "provided_by"]
EDGE_COLUMNS = [
    "id", "subject", "predicate", "object", "original_predicate", "relation_label", "negated",
    "knowledge_level", "agent_type", "primary_knowledge_source", "has_evidence", "evidence_level",
    "evidence_rank", "standing", "asserter", "certainty", "supporting_study", "study_design",
    "qualifier_context", "description", "section", "paragraph", "start", "end", "supporting_text",
    "publications",
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


def node_ids(ds: Dataset) -> dict[str, str]:
    """KGX id of every entity IRI: a unique exact-match CURIE of a preferred prefix, else the local CURIE.

    >>> from ldnkg.graph.load import load
    >>> ids = node_ids(load())
    >>> ids["https://w3id.org/ldnkg/entity/Fibromyalgia"], ids["https://w3id.org/ldnkg/entity/TLR4Blockade"]
    ('MONDO:0005546', 'ldn:TLR4Blockade')
    """
    kg = ds.graph(KNOWLEDGE)
    rank = {p: i for i, p in enumerate(ID_PREFERENCE)}
    best: dict[str, str] = {}
    entities = sorted(entity_records(ds))
    for iri in entities:
        curies = [CONVERTER.compress(str(o)) for o in kg.objects(URIRef(iri), SKOS.exactMatch)]
        usable = sorted((c for c in curies if c and c.split(":", 1)[0] in rank),
                        key=lambda c: (rank[c.split(":", 1)[0]], c))
        if usable:
            best[iri] = usable[0]
    shared = {c for c, n in Counter(best.values()).items() if n > 1}  # two entities, one id: keep both local
    return {iri: best[iri] if best.get(iri) and best[iri] not in shared else _curie(iri)
            for iri in entities}


def node_records(ds: Dataset) -> list[dict[str, Any]]:
    """One KGX node dict per entity, sorted by IRI (lists as lists)."""
    ids = node_ids(ds)
    rows = []
    for iri, rec in sorted(entity_records(ds).items()):
        local = _curie(iri)
        xrefs = sorted({*rec["xrefs"], local} - {ids[iri]})
        rows.append({
            "id": ids[iri],
            "category": [biolink_category(ds, rec["kind"])],
            "name": rec["label"],
            "description": rec["definition"],
            "xref": xrefs,
            "synonym": rec["synonyms"],
            "iri": iri,
            "provided_by": [INFORES],
        })
    return rows


def _knowledge_level(rec: dict[str, Any]) -> str:
    if rec["standing"] == "negated":
        return _BASIS_LEVEL.get(rec["asserter"], "not_provided")
    return KNOWLEDGE_LEVEL.get(rec["standing"], "not_provided")


def edge_records(ds: Dataset) -> list[dict[str, Any]]:
    """One KGX edge dict per claim with an entity object, sorted by claim IRI; ``negated`` a bool."""
    ids = node_ids(ds)
    kg = ds.graph(KNOWLEDGE)
    documents = {str(s): str(o) for s, o in kg.subject_objects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))}
    rows = []
    for rec in claim_records(ds):
        if rec["object_is_literal"] or rec["object"] not in ids or rec["subject"] not in ids:
            continue
        document = documents.get(rec["claim"])
        row: dict[str, Any] = {
            "id": _curie(rec["claim"]),
            "subject": ids[rec["subject"]],
            "predicate": biolink_predicate(ds, rec["predicate"]),
            "object": ids[rec["object"]],
            "original_predicate": _curie(rec["predicate"]),
            "relation_label": rec["predicate_label"],
            "negated": bool(rec["negated"]),
            "knowledge_level": _knowledge_level(rec),
            "agent_type": "manual_agent",
            "primary_knowledge_source": INFORES,
            "has_evidence": [rec["evidence"]],
            "evidence_level": rec["evidence_level"],
            "evidence_rank": rec["evidence_rank"],
            "standing": rec["standing"],
            "asserter": rec["asserter"],
            "certainty": rec["certainty"],
            "supporting_study": _curie(rec["study"]) if rec["study"] else None,
            "study_design": rec["design"],
            "qualifier_context": _curie(rec["context"]) if rec["context"] else None,
            "description": rec["paraphrase"],
            "section": rec["section"],
            "paragraph": rec["paragraph"],
            "start": rec["start"],
            "end": rec["end"],
            "supporting_text": [rec["quote"]] if rec["quote"] else None,
            "publications": [_curie(document)] if document else None,
        }
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def _tsv_cell(key: str, value: Any) -> str:
    if key == "negated":
        return "True" if value else ""  # kgx's own TSV convention; "false" would read back as true
    if isinstance(value, list):
        return "|".join(value)
    return str(value)


def _write_tsv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _tsv_cell(k, v) for k, v in row.items()})


def _nodes(ds: Dataset) -> list[dict[str, Any]]:  # the TSV and JSON Lines writers read them, unchanged
    return remember(ds, "kgx.nodes", lambda: node_records(ds))


def _edges(ds: Dataset) -> list[dict[str, Any]]:
    return remember(ds, "kgx.edges", lambda: edge_records(ds))


def write_nodes_jsonl(ds: Dataset, path: Path) -> None:
    """``nodes.jsonl``: KGX JSON Lines, one node object per line."""
    _write_jsonl(path, _nodes(ds))


def write_edges_jsonl(ds: Dataset, path: Path) -> None:
    """``edges.jsonl``: KGX JSON Lines, one edge object per claim, ``negated`` a JSON boolean."""
    _write_jsonl(path, _edges(ds))


def write_nodes(ds: Dataset, path: Path) -> None:
    """``nodes.tsv``: one row per entity; multi-valued fields joined with ``|``."""
    _write_tsv(path, NODE_COLUMNS, _nodes(ds))


def write_edges(ds: Dataset, path: Path) -> None:
    """``edges.tsv``: one row per claim with an entity object; ``negated`` is ``True`` or empty."""
    _write_tsv(path, EDGE_COLUMNS, _edges(ds))
