"""Find an entity by what a user types: an IRI, ``ldn:X``, a local name, label, synonym or xref.

Lookup order: exact IRI; ``ldn:``-CURIE or local name; label, synonym or cross-reference
(case- and punctuation-insensitive); a unique word-prefix match ("parkinson"); a single close
spelling match (:mod:`difflib`). Anything else raises :class:`EntityLookupError` with
suggestions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import networkx as nx

from ldnkg.errors import LdnkgError
from ldnkg.graph.analysis.views import CONTEXT_KINDS, ENTITY, label, local_name

__all__ = ["EntityLookupError", "entity_names", "resolve_entity"]


class EntityLookupError(LdnkgError, LookupError):
    """A name matches no entity, or several; ``suggestions`` lists likely names."""

    def __init__(self, message: str, *, name: str, suggestions: list[str]) -> None:
        self.name, self.suggestions = name, suggestions
        super().__init__(message)


def _norm(text: str) -> str:
    text = text.lower().replace("'s", "s").replace("'", "")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def entity_names(
    graph: nx.Graph, *, exclude_kinds: Iterable[str] = CONTEXT_KINDS
) -> dict[str, set[str]]:
    """Every name of every entity, normalised, mapped to the entities it names.

    Names are the label, synonyms, local name, ``ldn:`` CURIE and cross-reference CURIEs.

    >>> from ldnkg.graph.analysis.views import toy_graph
    >>> G = toy_graph([("LDN", "blocks", "TLR4")])
    >>> G.nodes["TLR4"]["synonyms"] = ["toll-like receptor 4"]
    >>> sorted(entity_names(G))
    ['ldn', 'ldn ldn', 'ldn tlr4', 'tlr4', 'toll like receptor 4']
    """
    skip = frozenset(exclude_kinds)
    names: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") in skip:
            continue
        local = local_name(node)
        for name in (data.get("label") or local, local, f"ldn:{local}",
                     *data.get("synonyms", ()), *data.get("xrefs", ())):
            names.setdefault(_norm(name), set()).add(node)
    return names


def _describe(graph: nx.Graph, nodes: Iterable[str]) -> list[str]:
    return sorted(f"{label(graph, n)} (ldn:{local_name(n)})" for n in nodes)


def resolve_entity(
    graph: nx.Graph, name: str, *, exclude_kinds: Iterable[str] = CONTEXT_KINDS
) -> str:
    """The IRI of the one entity ``name`` designates.

    Parameters
    ----------
    graph : networkx.Graph
        An entity graph (nodes with ``label``, ``synonyms``, ``xrefs``).
    name : str
        What the user typed.
    exclude_kinds : iterable of str, optional
        Node kinds never matched (default: studies, people, organisations, places).

    Returns
    -------
    str
        The node (IRI).

    Raises
    ------
    EntityLookupError
        If nothing matches (with close names as suggestions) or several entities match
        equally well (listing them).

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
    if name in graph and graph.nodes[name].get("kind") not in frozenset(exclude_kinds):
        return name
    if name.startswith(ENTITY) and name in graph:
        return name
    names = entity_names(graph, exclude_kinds=exclude_kinds)
    key = _norm(name)
    if not key:
        raise EntityLookupError("an entity name must not be empty", name=name, suggestions=[])
    hits = names.get(key, set())
    if not hits:
        hits = {n for k, nodes in names.items() if (" " + k).startswith(" " + key) or
                f" {key}" in f" {k}" for n in nodes}
    if not hits:
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.85)
        if close and len(names[close[0]]) == 1:
            return next(iter(names[close[0]]))
        suggestions = _describe(graph, {n for k in difflib.get_close_matches(
            key, list(names), n=5, cutoff=0.5) for n in names[k]})
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else (
            "; try a label such as 'low dose naltrexone', a synonym, or an IRI")
        raise EntityLookupError(f"no entity is called {name!r}{hint}", name=name,
                                suggestions=suggestions)
    if len(hits) > 1:
        options = _describe(graph, hits)
        raise EntityLookupError(f"{name!r} is ambiguous: it could be {', '.join(options)}",
                                name=name, suggestions=options)
    return next(iter(hits))
