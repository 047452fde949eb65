"""Source texts and claim locators: offsets, hashes, paragraphs, and verbatim quotes.

A locator says where a claim is made: the section heading, the paragraph index (from 0,
counting non-empty lines), the half-open span ``[oa:start, oa:end)`` in Unicode code points,
and the SHA-256 of the span's UTF-8 bytes. The repository stores only these; a user who has
the text supplies it with ``--source`` and gets the quotes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF

from ldnkg.errors import LocatorError, SourceTextError
from ldnkg.graph.load import KNOWLEDGE
from ldnkg.namespaces import LDNO, OA

__all__ = [
    "MAX_SOURCE_BYTES",
    "Locator",
    "PhraseLocation",
    "SourceText",
    "attach_quotes",
    "locate_phrase",
    "locators",
    "match_sources",
    "sha256",
    "verify_locators",
]


#: The largest source text accepted (the article is ~40 kB).
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``text``.

    >>> sha256("LDN")[:12]
    'c750907e79e9'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SourceText:
    """A source text as supplied by the user, with its paragraph index."""

    path: str
    text: str

    @classmethod
    def read(cls, path: Path | str) -> SourceText:
        """Read a UTF-8 text file; a missing, special or undecodable file is a clear error.

        A UTF-8 byte-order mark (which some editors put first) is not part of the text and is
        dropped, so the offsets and hashes are those of the text itself.

        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "bom.txt"
        >>> _ = p.write_bytes(b"\\xef\\xbb\\xbfLDN")
        >>> SourceText.read(p).text
        'LDN'
        """
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise SourceTextError(f"{path}: no such file") from None
        except OSError as err:  # e.g. a symlink loop (ELOOP)
            raise SourceTextError(f"{path}: {err.strerror.lower()}") from None
        # checked before opening: open() on a FIFO blocks until a writer appears
        if not stat.S_ISREG(info.st_mode):
            raise SourceTextError(f"{path}: not a regular file (a source text must be a plain file)")
        if info.st_size > MAX_SOURCE_BYTES:
            raise SourceTextError(f"{path}: {info.st_size} bytes, more than a source text may have "
                                  f"({MAX_SOURCE_BYTES})")
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise SourceTextError(f"{path}: {err.strerror.lower() if err.strerror else err}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise SourceTextError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
        return cls(str(path), text.removeprefix("\ufeff"))

    @property
    def digest(self) -> str:
        return sha256(self.text)

    def paragraph_of(self, offset: int) -> int:
        """Index (from 0, over non-empty lines) of the paragraph holding ``offset``.

        >>> SourceText("x", "Title\\n\\nFirst one.\\nSecond.").paragraph_of(9)
        1
        """
        index, pos = -1, 0
        for line in self.text.split("\n"):
            if line.strip():
                index += 1
                if pos <= offset < pos + len(line):
                    return index
            pos += len(line) + 1
        raise LocatorError(f"{self.path}: offset {offset} is not inside any paragraph")


@dataclass(frozen=True)
class Locator:
    """A claim's (or study's) locator as read from the graph."""

    owner: URIRef
    node: URIRef
    document: URIRef
    start: int
    end: int
    digest: str
    paragraph: int
    section: str


def locators(ds: Dataset) -> list[Locator]:
    """Every locator in the knowledge graph, sorted by owner IRI."""
    kg = ds.graph(KNOWLEDGE)
    out = []
    for owner, node in kg.subject_objects(LDNO.locator):

        def integer(prop: URIRef, node: URIRef = node, owner: URIRef = owner) -> int:
            # SHACL checks these too; this keeps a direct caller from a ValueError traceback
            value = kg.value(node, prop)
            if not isinstance(value, Literal) or not isinstance(value.toPython(), int) \
                    or isinstance(value.toPython(), bool):
                shown = "missing" if value is None else repr(str(value))
                raise LocatorError(f"claim {owner}: its locator's {kg.qname(prop)} is {shown}, not an integer")
            return int(value.toPython())

        out.append(
            Locator(
                owner=owner,
                node=node,
                document=kg.value(node, LDNO.inDocument),
                start=integer(OA.start),
                end=integer(OA.end),
                digest=str(kg.value(node, LDNO.spanSha256)),
                paragraph=integer(LDNO.paragraph),
                section=str(kg.value(node, LDNO.section)),
            )
        )
    return sorted(out, key=lambda loc: str(loc.owner))


def match_sources(ds: Dataset, texts: list[SourceText]) -> dict[URIRef, SourceText]:
    """Pair each supplied text with the source document whose SHA-256 it has.

    Raises
    ------
    SourceTextError
        If a text matches no document of the graph.
    """
    kg = ds.graph(KNOWLEDGE)
    by_digest = {str(d): doc for doc, d in kg.subject_objects(LDNO.sha256)}
    paired: dict[URIRef, SourceText] = {}
    for text in texts:
        doc = by_digest.get(text.digest)
        if doc is None:
            known = ", ".join(sorted(str(d) for d in kg.subjects(RDF.type, LDNO.SourceDocument)))
            raise SourceTextError(
                f"{text.path}: its SHA-256 ({text.digest[:16]}…) matches no source document "
                f"of the graph (known: {known}); is it the exact text, unedited?{_hint(text.text)}"
            )
        paired[doc] = text
    return paired


def _hint(text: str) -> str:
    """What commonly makes a copy of the article differ from it, named plainly."""
    if "\r\n" in text:
        return " (it has Windows line endings, CRLF: convert them to LF)"
    return ""


def verify_locators(ds: Dataset, texts: dict[URIRef, SourceText]) -> int:
    """Check every locator into the given texts: offsets in range, hash, paragraph.

    Returns the number of locators checked; raises :class:`LocatorError` naming the first
    claim whose locator does not match.
    """
    checked = 0
    for loc in locators(ds):
        text = texts.get(loc.document)
        if text is None:
            continue
        where = f"claim {loc.owner}"
        if not 0 <= loc.start < loc.end <= len(text.text):
            raise LocatorError(
                f"{where}: span [{loc.start}, {loc.end}) lies outside {text.path} "
                f"({len(text.text)} characters)"
            )
        span = text.text[loc.start : loc.end]
        if sha256(span) != loc.digest:
            raise LocatorError(
                f"{where}: the text at [{loc.start}, {loc.end}) of {text.path} does not have the "
                f"recorded SHA-256 {loc.digest[:16]}… (it reads {span[:40]!r}…)"
            )
        para = text.paragraph_of(loc.start)
        if para != loc.paragraph:
            raise LocatorError(f"{where}: span starts in paragraph {para}, locator says {loc.paragraph}")
        checked += 1
    return checked


def attach_quotes(ds: Dataset, texts: dict[URIRef, SourceText]) -> int:
    """Add ``ldno:quote`` (the verbatim span) to every locator into a verified text."""
    kg = ds.graph(KNOWLEDGE)
    added = 0
    for loc in locators(ds):
        text = texts.get(loc.document)
        if text is not None:
            kg.set((loc.node, LDNO.quote, Literal(text.text[loc.start : loc.end])))
            added += 1
    return added


@dataclass(frozen=True)
class PhraseLocation:
    """Where a phrase sits in a source text: the locator fields a curator needs."""

    start: int
    end: int
    digest: str
    paragraph: int
    section: str


def locate_phrase(text: SourceText, phrase: str, *, headings: tuple[str, ...] = ()) -> PhraseLocation:
    """Locate a phrase that occurs exactly once in ``text``.

    The section is the closest preceding paragraph that is short and has no final full stop
    (a heading), or one of ``headings`` when given.

    >>> t = SourceText("t.txt", "Intro\\n\\nLDN helps.\\nRole 1\\nIt blocks TLR4.")
    >>> loc = locate_phrase(t, "blocks TLR4")
    >>> (loc.start, loc.end, loc.paragraph, loc.section)
    (28, 39, 3, 'Role 1')
    """
    count = text.text.count(phrase)
    if count != 1:
        raise LocatorError(f"{text.path}: the phrase occurs {count} times; give a phrase that occurs once")
    start = text.text.index(phrase)
    end = start + len(phrase)
    paragraph = text.paragraph_of(start)
    paras = [line for line in text.text.split("\n") if line.strip()]
    section = "Introduction"
    for line in reversed(paras[: paragraph + 1]):
        if line in headings or (not headings and len(line) < 80 and not line.rstrip().endswith((".", "?", "!"))):
            section = line.strip()
            break
    return PhraseLocation(start, end, sha256(text.text[start:end]), paragraph, section)
