"""One name resolver for every command and every parameter: what a user types → one entity.

Accepted: an IRI (``https://…`` or ``<…>``), a CURIE (``ldn:Fibromyalgia``, ``MONDO:0005546``),
a local name (``ParkinsonsDisease``), a label, a synonym, a cross-reference, and a person's
surname (``Berkson``). Any case; punctuation, apostrophes, accents and spacing are ignored.

Normalisation rule (the explorer's search implements the same in JavaScript):

1. Unicode NFKD, drop combining marks (``Sjögren`` → ``Sjogren``), lower-case;
2. ``'s`` and ``’s`` → ``s``; other apostrophes are removed (``Parkinson's`` → ``parkinsons``);
3. a local name is first split at camel-case humps (``ParkinsonsDisease`` → ``Parkinsons Disease``);
4. every run of characters outside ``[0-9a-z]`` becomes one space; trim. This is the *key*
   (``"parkinsons disease"``); the *compact key* also drops the spaces (``"parkinsonsdisease"``).

Lookup order, first tier with a hit wins:

1. the exact IRI, or a CURIE with a known prefix that expands to an entity;
2. the key equals a name's key (label, synonym, local name, ``ldn:`` CURIE, xref, surname);
3. the compact key equals a name's compact key ("fibro myalgia", "Parkinsonsdisease");
4. the key starts a word of a name's key (``"parkinson"`` → Parkinson's disease);
5. one close spelling (:mod:`difflib`, ratio ≥ 0.85) that names one entity.

When the winning tier holds several entities and exactly one of them is not context (a study, a
case series, a person, an organisation, a place, the source), that one is meant: "parkinsons" is
Parkinson's disease, not the Parkinson's case in the author's practice.

Several entities in the winning tier → :class:`EntityLookupError` listing the candidates;
nothing → :class:`EntityLookupError` with "did you mean …" suggestions. Both are
:class:`~ldnkg.errors.LdnkgError`, so a command prints one line and exits 1.

:func:`name_index` builds the index from an entity graph (:func:`ldnkg.graph.project.to_networkx`),
an rdflib Dataset or a pyoxigraph Store (one SPARQL query); :func:`resolve_params` resolves the
entity parameters of a named query (those whose default is a CURIE) for ``ldnkg query --param``
and the server's ``param.NAME`` fields.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ldnkg.errors import LdnkgError
from ldnkg.graph.analysis.views import CONTEXT_KINDS, local_name

__all__ = [
    "EntityLookupError",
    "NameIndex",
    "compact_key",
    "entity_names",
    "name_index",
    "normalise",
    "resolve_entity",
    "resolve_params",
]


class EntityLookupError(LdnkgError, LookupError):
    """A name matches no entity, or several; ``suggestions`` lists likely names."""

    def __init__(self, message: str, *, name: str, suggestions: list[str]) -> None:
        self.name, self.suggestions = name, suggestions
        super().__init__(message)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def normalise(text: str, *, camel: bool = False) -> str:
    """The search key of a name (see the module docstring).

    >>> normalise("Parkinson's disease"), normalise("  SJÖGREN’S  syndrome ")
    ('parkinsons disease', 'sjogrens syndrome')
    >>> normalise("ParkinsonsDisease", camel=True), normalise("TLR4Blockade", camel=True)
    ('parkinsons disease', 'tlr4 blockade')
    """
    if camel:
        text = _CAMEL.sub(" ", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "s", text.lower()).replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def compact_key(text: str) -> str:
    """The key without spaces.

    >>> compact_key("Fibro myalgia")
    'fibromyalgia'
    """
    return normalise(text).replace(" ", "")


@dataclass
class NameIndex:
    """Entities by every normalised name; ``info`` holds each entity's label and kind."""

    info: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)

    def add(self, iri: str, *, label: str, kind: str = "Entity", synonyms: Iterable[str] = (),
            xrefs: Iterable[str] = ()) -> None:
        """Index one entity under its label, synonyms, local name, CURIE, xrefs (and surname)."""
        self.info[iri] = {"label": label or local_name(iri), "kind": kind}
        local = local_name(iri)
        keys = {normalise(n) for n in (label, *synonyms, *xrefs, f"ldn:{local}") if n}
        keys.add(normalise(local, camel=True))
        if kind == "Person" and label:
            keys.add(normalise(label.split()[-1]))
        for key in keys - {""}:
            self.names.setdefault(key, set()).add(iri)

    def describe(self, iris: Iterable[str]) -> list[str]:
        """``label (ldn:Local)`` for each IRI, sorted."""
        return sorted(f"{self.info[i]['label']} ({_curie(i)})" for i in iris)

    def lookup(self, name: str) -> set[str]:
        """Every entity of the first tier that matches ``name`` (empty if none does).

        >>> ENTITY = "https://w3id.org/ldnkg/entity/"
        >>> ix = NameIndex()
        >>> ix.add(ENTITY + "ParkinsonsDisease", label="Parkinson's disease")
        >>> ix.add(ENTITY + "BurtBerkson", label="Burt Berkson", kind="Person")
        >>> [sorted(ix.lookup(n)) == [ENTITY + "ParkinsonsDisease"]
        ...  for n in ("parkinsons", "PARKINSONS DISEASE", "ldn:ParkinsonsDisease", "parkinson")]
        [True, True, True, True]
        >>> ix.lookup("Berkson") == {ENTITY + "BurtBerkson"}
        True
        """
        raw = name.strip()
        iri = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
        if iri in self.info:
            return {iri}
        expanded = _expand(iri)
        if expanded in self.info:
            return {expanded}
        key = normalise(raw)
        if not key:
            return set()
        if key in self.names:
            return set(self.names[key])
        tight = key.replace(" ", "")
        hits = {i for k, iris in self.names.items() if k.replace(" ", "") == tight for i in iris}
        if hits:
            return hits
        hits = {i for k, iris in self.names.items() if f" {key}" in f" {k}" for i in iris}
        if hits:
            return hits
        close = difflib.get_close_matches(key, list(self.names), n=2, cutoff=0.85)
        if close and len(self.names[close[0]]) == 1 and (
                len(close) == 1 or self.names[close[1]] == self.names[close[0]]):
            return set(self.names[close[0]])
        return set()

    def resolve(self, name: str, *, kinds: Iterable[str] | None = None) -> str:
        """The IRI of the one entity ``name`` designates (optionally of one of ``kinds``).

        Raises
        ------
        EntityLookupError
            Unknown (with suggestions) or ambiguous (with candidates).

        Examples
        --------
        >>> ix, ENTITY = NameIndex(), "https://w3id.org/ldnkg/entity/"
        >>> for x in ("ChronicPain", "PainRelief"):
        ...     ix.add(ENTITY + x, label=normalise(x, camel=True))
        >>> ix.resolve("chronic  PAIN").rsplit("/", 1)[1]
        'ChronicPain'
        >>> ix.resolve("pain")
        Traceback (most recent call last):
        ...
        ldnkg.graph.analysis.resolve.EntityLookupError: 'pain' is ambiguous: it could be chronic pain (...), pain ...
        >>> ix.resolve("fibromyalgia")
        Traceback (most recent call last):
        ...
        ldnkg.graph.analysis.resolve.EntityLookupError: no entity is called 'fibromyalgia'; try a label ...
        """
        if not normalise(name) and not name.strip():
            raise EntityLookupError("an entity name must not be empty", name=name, suggestions=[])
        allowed = None if kinds is None else frozenset(kinds)
        hits = {i for i in self.lookup(name) if allowed is None or self.info[i]["kind"] in allowed}
        if len(hits) > 1:  # a condition before the cases or studies named after it
            subject = {i for i in hits if self.info[i]["kind"] not in CONTEXT_KINDS}
            hits = subject if len(subject) == 1 else hits
        if len(hits) == 1:
            return next(iter(hits))
        if hits:
            options = self.describe(hits)
            raise EntityLookupError(f"{name!r} is ambiguous: it could be {', '.join(options)}",
                                    name=name, suggestions=options)
        key = normalise(name)
        suggestions = self.describe({i for k in difflib.get_close_matches(key, list(self.names), n=5,
                                                                          cutoff=0.5)
                                     for i in self.names[k]
                                     if allowed is None or self.info[i]["kind"] in allowed})
        hint = (f"; did you mean: {', '.join(suggestions)}?" if suggestions else
                "; try a label such as 'low dose naltrexone', a synonym, a surname or an IRI")
        raise EntityLookupError(f"no entity is called {name!r}{hint}", name=name,
                                suggestions=suggestions)


def _curie(iri: str) -> str:
    from ldnkg.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _expand(text: str) -> str:
    from ldnkg.namespaces import PREFIXES, XREF_PREFIXES

    m = re.fullmatch(r"([A-Za-z][\w-]*):([\w.-]+)", text)
    prefixes = {**PREFIXES, **XREF_PREFIXES}
    if m and m.group(1) in prefixes:
        return prefixes[m.group(1)] + m.group(2)
    return text


_INDEX_QUERY = """
SELECT ?e ?type ?label ?alt ?xref WHERE {
  ?e a ?type ; rdfs:label ?label .
  FILTER(isIRI(?e) && (STRSTARTS(STR(?e), STR(ldn:)) || ?type = ldno:SourceDocument))
  FILTER(STRSTARTS(STR(?type), STR(ldno:)))
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e oboInOwl:hasDbXref ?xref }
}"""


def name_index(source: Any) -> NameIndex:
    """The name index of an entity graph, an rdflib Dataset/Graph or a pyoxigraph Store.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> ix = name_index(toy_graph([("LDN", "blocks", "TLR4")]))
    >>> sorted(ix.info)
    ['LDN', 'TLR4']
    """
    index = NameIndex()
    if isinstance(source, nx.Graph):
        for node, data in sorted(source.nodes(data=True)):
            index.add(node, label=str(data.get("label") or local_name(node)),
                      kind=str(data.get("kind") or "Entity"), synonyms=data.get("synonyms", ()),
                      xrefs=data.get("xrefs", ()))
        return index
    from ldnkg.graph.project import _SPECIFIC_FIRST
    from ldnkg.graph.sparql import run

    rows: dict[str, dict[str, set[str]]] = {}
    for e, typ, lbl, alt, xref in run(source, _INDEX_QUERY).rows:
        rec = rows.setdefault(str(e), {"types": set(), "label": set(), "alt": set(), "xref": set()})
        rec["types"].add(local_name(str(typ)))
        rec["label"].add(str(lbl))
        for k, v in (("alt", alt), ("xref", xref)):
            if v is not None:
                rec[k].add(str(v))
    for iri, rec in sorted(rows.items()):
        kind = next((k for k in _SPECIFIC_FIRST if k in rec["types"]), sorted(rec["types"])[0])
        labels = sorted(rec["label"])
        index.add(iri, label=labels[0], kind=kind, synonyms=[*labels[1:], *sorted(rec["alt"])],
                  xrefs=sorted(rec["xref"]))
    return index


def entity_names(graph: nx.Graph, *, exclude_kinds: Iterable[str] = ()) -> dict[str, set[str]]:
    """Every key of every entity of an entity graph, mapped to the entities it names.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> G.nodes["TLR4"]["synonyms"] = ["toll-like receptor 4"]
    >>> sorted(entity_names(G))
    ['ldn', 'ldn ldn', 'ldn tlr4', 'tlr4', 'toll like receptor 4']
    """
    skip = frozenset(exclude_kinds)
    index = name_index(graph)
    return {k: kept for k, iris in index.names.items()
            if (kept := {i for i in iris if index.info[i]["kind"] not in skip})}


def resolve_entity(graph: nx.Graph, name: str, *, exclude_kinds: Iterable[str] = ()) -> str:
    """The node (IRI) of the one entity ``name`` designates in an entity graph.

    Parameters
    ----------
    graph : networkx.Graph
        An entity graph (nodes with ``label``, ``kind``, ``synonyms``, ``xrefs``).
    name : str
        What the user typed (see the module docstring for what is accepted).
    exclude_kinds : iterable of str, optional
        Node kinds never matched (default: none).

    Returns
    -------
    str

    Raises
    ------
    EntityLookupError
        Nothing matches (with close names as suggestions) or several entities do.

    Examples
    --------
    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "ameliorates", "fibromyalgia"), ("LDN", "ameliorates", "pain_a"),
    ...                ("LDN", "ameliorates", "pain_b")])
    >>> resolve_entity(G, "Fibromyalga")
    'fibromyalgia'
    >>> resolve_entity(G, "pain")
    Traceback (most recent call last):
    ...
    ldnkg.graph.analysis.resolve.EntityLookupError: 'pain' is ambiguous: it could be ...
    """
    index = name_index(graph)
    skip = frozenset(exclude_kinds)
    kinds = None if not skip else {v["kind"] for v in index.info.values()} - skip
    return index.resolve(name, kinds=kinds)


def resolve_params(named: Any, params: Mapping[str, str], data: Any,
                   index: NameIndex | None = None) -> dict[str, str]:
    """Resolve the entity parameters of a named query to ``<IRI>`` strings.

    A parameter is an entity parameter when its declared default is a CURIE (``ldn:Fibromyalgia``).
    Other values, and parameters of ad-hoc queries (``named`` None), pass through unchanged.

    Parameters
    ----------
    named : ldnkg.graph.sparql.NamedQuery or None
        The query's declaration.
    params : mapping of str to str
        What the user gave (``{"condition": "MCAS"}``).
    data : Dataset, Graph or pyoxigraph.Store
        The data the query will run over (the names come from it).
    index : NameIndex, optional
        A prebuilt index of ``data`` (a server builds it once).

    Returns
    -------
    dict
        ``{"condition": "<https://w3id.org/ldnkg/entity/MastCellActivationSyndrome>"}``.

    Raises
    ------
    EntityLookupError
        A value names no entity, or several.

    Examples
    --------
    >>> import ldnkg
    >>> from ldnkg.graph.sparql import resolve_query
    >>> _, q = resolve_query("claims-about")
    >>> resolve_params(q, {"entity": "fibromyalgia"}, ldnkg.load())
    {'entity': '<https://w3id.org/ldnkg/entity/Fibromyalgia>'}
    """
    declared = {p.name: p for p in (named.params if named is not None else ())}
    out = dict(params)
    for key, value in params.items():
        p = declared.get(key)
        if p is None or not (p.default and ":" in p.default):
            continue
        index = index or name_index(data)
        out[key] = f"<{index.resolve(value)}>"
    return out
