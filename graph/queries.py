"""The catalogue of named competency queries: ``ontology/queries/*.rq`` and their headers.

Kept apart from :mod:`ldnkg.graph.sparql` so that reading the catalogue (the explorer's console
embeds it) imports no SPARQL engine: rdflib's SPARQL parser alone takes ~0.2 s to import.

Each query file starts with a comment header::

    # name: mechanisms-for-condition
    # description: By which mechanisms does LDN reach a given condition?
    # param: condition — the condition to reach (default ldn:Fibromyalgia)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ldnkg.errors import QueryError
from ldnkg.namespaces import PREFIXES, XREF_PREFIXES

__all__ = ["ALL_PREFIXES", "NamedQuery", "Param", "named_queries", "parse_header"]

ALL_PREFIXES: dict[str, str] = {**PREFIXES, **XREF_PREFIXES}


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    meaning: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A named competency query read from an ``.rq`` file with a comment header."""

    name: str
    description: str
    params: tuple[Param, ...]
    path: Path
    text: str = field(repr=False)

    def param(self, name: str) -> Param | None:
        """The declared parameter ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


_HEADER = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s*(?:—|--|-|:)\s*(.*?)\s*(?:\(default\s+(.+?)\))?\s*$")


def parse_header(text: str, path: Path) -> NamedQuery:
    """Read the ``# name:``/``# description:``/``# param:`` header of a query file.

    >>> q = parse_header("# name: x\\n# description: Y?\\n# param: c — a thing (default ldn:A)\\n"
    ...                  "SELECT * {}", Path("x.rq"))
    >>> q.name, q.description, q.params[0].default
    ('x', 'Y?', 'ldn:A')
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path}: malformed '# param:' line: {line!r}")
            params.append(Param(pm.group(1), pm.group(2), pm.group(3)))
        else:
            fields[key] = value
    name = fields.get("name") or path.stem
    return NamedQuery(name, fields.get("description", ""), tuple(params), path, text)


def named_queries(root: Path | None = None) -> list[NamedQuery]:
    """Every named query of the ontology folder, sorted by name.

    >>> names = [q.name for q in named_queries()]
    >>> "conditions-per-role" in names
    True
    """
    from ldnkg.ontology import ONTOLOGY_DIR, query_files

    files = query_files(root or ONTOLOGY_DIR)
    return sorted((parse_header(p.read_text(encoding="utf-8"), p) for p in files),
                  key=lambda q: q.name)
