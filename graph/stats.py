"""Counts that summarise the graph: triples per named graph, entities by class, and claims by
evidence level, standing, evidence kind, asserter and certainty."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rdflib import Dataset

from ldnkg.graph.load import DATASET_GRAPHS
from ldnkg.graph.project import claim_records, entity_records

__all__ = ["format_summary", "summary"]


def summary(ds: Dataset) -> dict[str, Any]:
    """Counts of the graph's contents.

    >>> from ldnkg.graph.load import load
    >>> s = summary(load())
    >>> s["claims"] > 200 and s["entities_by_class"]["LdnRole"] == 3
    True
    >>> sorted(s["triples"])
    ['hypotheses', 'inferred', 'knowledge', 'observations', 'schema']
    """
    claims = claim_records(ds)
    entities = entity_records(ds)
    return {
        "triples": {str(name).rsplit("/", 1)[-1]: len(ds.graph(name)) for name in DATASET_GRAPHS},
        "entities": len(entities),
        "entities_by_class": dict(sorted(Counter(r["kind"] for r in entities.values()).items())),
        "claims": len(claims),
        "negated_claims": sum(c["negated"] for c in claims),
        "claims_with_quote": sum(c["quote"] is not None for c in claims),
        "claims_by_evidence_level": dict(sorted(Counter(
            f'{c["evidence_rank"]} {c["evidence_level"]}' for c in claims).items())),
        "claims_by_standing": dict(sorted(Counter(c["standing"] for c in claims).items())),
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
        "triples: " + ", ".join(f"{n} {name}" for name, n in t.items()),
        f"entities: {stats['entities']}    claims: {stats['claims']} "
        f"({stats['negated_claims']} negated, {stats['claims_with_quote']} with quote)",
    ]
    lines += _table("entities by class:", stats["entities_by_class"])
    levels = stats["claims_by_evidence_level"]
    lines += ["claims by evidence level (1 strongest):"] + [f"  {k:<{max(map(len, levels), default=0)}}  {v:>4}"
                                                          for k, v in levels.items()]
    lines += _table("claims by standing:", stats["claims_by_standing"])
    lines += _table("claims by evidence kind:", stats["claims_by_evidence"])
    lines += _table("claims by asserter:", stats["claims_by_asserter"])
    lines += _table("claims by certainty:", stats["claims_by_certainty"])
    return "\n".join(lines)
