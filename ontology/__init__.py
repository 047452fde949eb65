"""The ldnkg ontology as package data: OWL schema, SHACL shapes, curated knowledge, queries.

The folder layout is the contract for adding knowledge: every ``*.ttl`` file under
``knowledge/`` (one sub-folder per source document) is loaded, so a second source is added by
adding files, without code changes.

>>> from ldnkg.ontology import ONTOLOGY_DIR, knowledge_files
>>> (ONTOLOGY_DIR / "schema.ttl").is_file()
True
>>> any(p.name == "claims.ttl" for p in knowledge_files())
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ONTOLOGY_DIR", "knowledge_files", "query_files", "schema_file", "shapes_file"]

ONTOLOGY_DIR = Path(__file__).resolve().parent


def schema_file(root: Path = ONTOLOGY_DIR) -> Path:
    """The OWL schema (classes and properties)."""
    return root / "schema.ttl"


def shapes_file(root: Path = ONTOLOGY_DIR) -> Path:
    """The SHACL shapes the curated knowledge must conform to."""
    return root / "shapes.ttl"


def knowledge_files(root: Path = ONTOLOGY_DIR) -> list[Path]:
    """Every curated Turtle file under ``knowledge/``, in a stable (sorted) order.

    Raises :class:`ldnkg.errors.OntologyError` (one line naming the path) for a missing or
    empty ``knowledge/``, a directory named ``*.ttl``, a dangling symlink or a symlink loop:
    each would otherwise surface later as an ``OSError`` from deep inside the parser.
    """
    from ldnkg.errors import OntologyError

    folder = root / "knowledge"
    if not folder.is_dir():
        raise OntologyError(f"{folder}: no such folder (the curated knowledge of the ontology folder)")
    files = sorted(folder.rglob("*.ttl"))
    for path in files:
        try:
            path.stat()
        except OSError as err:  # a dangling symlink (ENOENT) or a loop (ELOOP)
            raise OntologyError(f"{path}: {err.strerror.lower()} (a broken symlink?)") from None
        if not path.is_file():
            raise OntologyError(f"{path}: not a regular file (only *.ttl files belong under knowledge/)")
    if not files:
        raise OntologyError(f"{folder}: holds no *.ttl file, so there is no knowledge to build from")
    return files


def query_files(root: Path = ONTOLOGY_DIR) -> list[Path]:
    """The named SPARQL queries (``queries/*.rq``), sorted by name."""
    return sorted((root / "queries").glob("*.rq"))
