"""Errors raised by ldnkg.

Every error names its culprit (a file and line, a claim, an entity) so that the command line
can print one clear message without a traceback.
"""

from __future__ import annotations

__all__ = [
    "LdnkgError",
    "LocatorError",
    "OntologyError",
    "OutputError",
    "QueryError",
    "RdfSyntaxError",
    "SourceTextError",
    "UndefinedEntityError",
    "ValidationError",
]


class LdnkgError(Exception):
    """Base class of every error ldnkg raises on bad input."""


class RdfSyntaxError(LdnkgError, ValueError):
    """An RDF file does not parse.

    Attributes
    ----------
    path : str
        The file at fault.
    line : int | None
        The line the parser stopped at, when it says.
    """

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        self.path, self.line, self.detail = path, line, detail
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: malformed RDF: {detail}")


class ValidationError(LdnkgError, ValueError):
    """The graph breaks a SHACL shape; ``violations`` lists one message per result."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = violations
        shown = "\n  ".join(violations[:20])
        more = f"\n  … and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"SHACL validation failed ({len(violations)} violation(s)):\n  {shown}{more}")


class UndefinedEntityError(LdnkgError, ValueError):
    """A claim or entity refers to an IRI that no file defines."""


class LocatorError(LdnkgError, ValueError):
    """A claim's locator does not match the supplied source text."""


class SourceTextError(LdnkgError, ValueError):
    """A text given with ``--source`` matches no source document of the graph."""


class QueryError(LdnkgError, ValueError):
    """A SPARQL query does not parse or cannot run."""


class OntologyError(LdnkgError, ValueError):
    """The ontology folder is incomplete or holds something that is not a Turtle file
    (a missing ``schema.ttl``, a directory named ``*.ttl``, a dangling symlink, no knowledge)."""


class OutputError(LdnkgError, OSError):
    """An output cannot be written: ``--out`` is not ours to replace, the disk is full or
    read-only, or a written export does not read back as what was meant."""
