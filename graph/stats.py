"""Counts that summarise the graph: entities by class, claims by evidence, asserter, certainty."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rdflib import Dataset

from ldnkg.graph.load import INFERRED, KNOWLEDGE, SCHEMA
from ldnkg.graph.project import claim_records, entity_records

__all__ = ["format_summary", "summary"]


def summary(ds: Dataset) -> dict[str, Any]:
    """Counts of the graph's contents.

    >>> from ldnkg.graph.load import load
    >>> s = summary(load())
    >>> s["claims"] > 200 and s["entities_by_class"]["LdnRole"] == 3
    True
    """
    claims = claim_records(ds)
    entities = entity_records(ds)
    return {
        "triples": {
            "schema": len(ds.graph(SCHEMA)),
            "knowledge": len(ds.graph(KNOWLEDGE)),
            "inferred": len(ds.graph(INFERRED)),
        },
        "entities": len(entities),
        "entities_by_class": dict(sorted(Counter(r["kind"] for r in entities.values()).items())),
        "claims": len(claims),
        "negated_claims": sum(c["negated"] for c in claims),
        "claims_with_quote": sum(c["quote"] is not None for c in claims),
        "claims_by_evidence": dict(sorted(Counter(
            f'{c["evidence"]} {c["evidence_label"]}' for c in claims).items())),
        "claims_by_asserter": dict(sorted(Counter(c["asserter"] for c in claims).items())),
        "claims_by_certainty": dict(sorted(Counter(c["certainty"] for c in claims).items())),
    }


def _table(title: str, counts: dict[str, int]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [title] + [f"  {k:<{width}}  {v:>4}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def format_summary(stats: dict[str, Any]) -> str:
    """Render :func:`summary` as aligned plain-text tables."""
    t = stats["triples"]
    lines = [
        f"triples: {t['schema']} schema, {t['knowledge']} knowledge, {t['inferred']} inferred",
        f"entities: {stats['entities']}    claims: {stats['claims']} "
        f"({stats['negated_claims']} negated, {stats['claims_with_quote']} with quote)",
    ]
    lines += _table("entities by class:", stats["entities_by_class"])
    lines += _table("claims by evidence kind:", stats["claims_by_evidence"])
    lines += _table("claims by asserter:", stats["claims_by_asserter"])
    lines += _table("claims by certainty:", stats["claims_by_certainty"])
    return "\n".join(lines)
