"""kgx and bmt on KGX files, offline, run inside ``.venv-interop``.

Usage: ``.venv-interop/bin/python tests/interop/kgx_check.py DIR PREFIXES_JSON OUT_DIR [PARTS]``
(``PARTS``: a comma-separated choice of ``validate``, ``read_back``, ``bmt``; all three by default)

``DIR`` holds ``nodes.jsonl``/``edges.jsonl`` and ``nodes.tsv``/``edges.tsv``; ``PREFIXES_JSON`` is
the producer's declaration of its local CURIE prefixes. Prints one JSON object:

* ``validate`` — ``kgx``'s own validator on each form: its errors (``{level: {type: {message: [ids]}}}``);
* ``bmt`` — per edge: predicates that are not Biolink predicates, subject/object categories outside
  the predicate's domain/range, knowledge levels and agent types outside Biolink's enums, knowledge
  sources that are not infores CURIEs; categories that are not Biolink categories;
* ``read_back`` — each form transformed by ``kgx transform --stream`` to JSON Lines in ``OUT_DIR``
  and read back (without ``--stream`` kgx loads a graph keyed by subject–predicate–object, which
  folds claims sharing those three into one edge whatever their ids):
  ``{form: {edge id: {"negated": …, "knowledge_level": …}}}`` and node ids.

Offline: bmt's Toolkit defaults to the Biolink model YAML the ``biolink-model`` package ships (no
predicate map download), and kgx's JSON-LD contexts are built from files shipped in packages — the
``biolink`` context as LinkML builds it from that YAML (its ``default_curi_maps``, which are the
prefixcommons registry contexts, then its own ``prefixes``), plus the declared local prefixes.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import biolink_model
import bmt.toolkit
import prefixcommons
import yaml

MODEL = Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml"
REGISTRY = Path(next(iter(prefixcommons.__path__))) / "registry"

# before kgx is imported: kgx builds a default Toolkit at import time
bmt.toolkit.Toolkit.__init__.__defaults__ = (str(MODEL), {"predicate mappings": []})


def biolink_context(local: dict[str, str]) -> dict[str, Any]:
    model = yaml.safe_load(MODEL.read_text(encoding="utf-8"))
    context: dict[str, Any] = {}
    for name in model.get("default_curi_maps", []):
        context.update(json.loads((REGISTRY / f"{name}.jsonld").read_text(encoding="utf-8"))["@context"])
    context.update(model["prefixes"])
    context.update(local)
    return {"@context": context}


def configure_kgx(local: dict[str, str], tmp: Path) -> None:
    import kgx.config

    path = tmp / "biolink-context.jsonld"
    path.write_text(json.dumps(biolink_context(local)), encoding="utf-8")
    contexts = kgx.config.get_config()["jsonld-context"]
    contexts["biolink"] = str(path)
    contexts["monarch_context"] = str(REGISTRY / "monarch_context.jsonld")
    contexts["obo_context"] = str(REGISTRY / "obo_context.jsonld")


def validate(files: list[Path], form: str, out: Path) -> dict[str, Any]:
    from kgx.cli.cli_utils import validate as kgx_validate

    # the report goes to the test's own folder: never write into the build being checked
    return kgx_validate([str(f) for f in files], form, None, str(out / f"validate-{form}.txt"))


def read_back(files: list[Path], form: str, out: Path) -> dict[str, Any]:
    from kgx.cli.cli_utils import transform

    target = out / f"from-{form}"
    transform(inputs=[str(f) for f in files], input_format=form, input_compression=None,
              output=str(target), output_format="jsonl", output_compression=None, stream=True)
    edges = [json.loads(line) for line in Path(f"{target}_edges.jsonl").read_text(encoding="utf-8").splitlines()]
    nodes = [json.loads(line) for line in Path(f"{target}_nodes.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"edges": {e["id"]: {"negated": e.get("negated", False), "knowledge_level": e.get("knowledge_level"),
                                "subject": e["subject"], "object": e["object"]} for e in edges},
            "edge_rows": len(edges), "nodes": sorted(n["id"] for n in nodes)}


def check_biolink(directory: Path) -> dict[str, Any]:
    toolkit = bmt.toolkit.Toolkit()
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    nodes = {n["id"]: n for n in map(json.loads, (directory / "nodes.jsonl").read_text(encoding="utf-8").splitlines())}
    problems: dict[str, list[str]] = {"not_predicate": [], "domain_range": [], "knowledge_level": [],
                                      "agent_type": [], "knowledge_source": [], "category": []}
    for node in nodes.values():
        problems["category"] += [f"{node['id']}: {c}" for c in node["category"] if not toolkit.is_category(c)]
    for line in (directory / "edges.jsonl").read_text(encoding="utf-8").splitlines():
        edge = json.loads(line)
        predicate = edge["predicate"]
        if not toolkit.is_predicate(predicate):
            problems["not_predicate"].append(f"{edge['id']}: {predicate}")
        else:
            s_cats, o_cats = nodes[edge["subject"]]["category"], nodes[edge["object"]]["category"]
            if not any(toolkit.validate_edge(s, predicate, o) for s in s_cats for o in o_cats):
                problems["domain_range"].append(f"{edge['id']}: {s_cats} {predicate} {o_cats}")
        if edge.get("knowledge_level") not in levels:
            problems["knowledge_level"].append(f"{edge['id']}: {edge.get('knowledge_level')}")
        if edge.get("agent_type") not in agents:
            problems["agent_type"].append(f"{edge['id']}: {edge.get('agent_type')}")
        if not str(edge.get("primary_knowledge_source", "")).startswith("infores:"):
            problems["knowledge_source"].append(f"{edge['id']}: {edge.get('primary_knowledge_source')}")
    return {"model_version": toolkit.get_model_version(), "problems": problems}


def main() -> None:
    directory, local, out = Path(sys.argv[1]), json.loads(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    # kgx prints to stdout; keep stdout for the report
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(sys.stderr):
        configure_kgx(local, Path(tmp))
        forms = {"jsonl": [directory / "nodes.jsonl", directory / "edges.jsonl"],
                 "tsv": [directory / "nodes.tsv", directory / "edges.tsv"]}
        parts = sys.argv[4].split(",") if len(sys.argv) > 4 else ["validate", "read_back", "bmt"]
        report: dict[str, Any] = {}
        if "validate" in parts:
            report["validate"] = {form: validate(files, form, out) for form, files in forms.items()}
        if "read_back" in parts:
            report["read_back"] = {form: read_back(files, form, out) for form, files in forms.items()}
        if "bmt" in parts:
            report["bmt"] = check_biolink(directory)
    sys.stdout.write(json.dumps(report, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
