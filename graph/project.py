"""Project the RDF knowledge graph to NetworkX.

Two projections with a clear contract; literals are never nodes:

* :func:`to_networkx` — the **entity graph**, a ``networkx.MultiDiGraph`` keyed by predicate:
  one node per entity (IRI string), one edge per (subject, predicate, object) that at least one
  claim states, carrying the list of those claims. Negated claims are kept as edges with
  ``negated=True`` so that "LDN does not cure cancer" stays visible; pass
  ``include_negated=False`` to drop them.
* :func:`to_claim_multigraph` — the **claim-level multigraph**: one edge per claim (key = the
  claim IRI), nothing collapsed.

Node attributes: ``label``, ``kind`` (the most specific ldno class, local name),
``classes`` (all asserted ldno classes), ``definition``, ``synonyms``, ``xrefs`` (CURIEs), and
``group`` (the condition grouping or the kind). Claim dicts carry ``claim``, ``predicate``,
``predicate_label``, ``evidence``/``evidence_label``, ``asserter``, ``certainty``,
``certainty_rank``, ``evidence_level`` (label), ``evidence_level_key``, ``evidence_rank`` (1 =
published clinical trial … 7 = the author's hypothesis, see :mod:`ldnkg.graph.weight`),
``standing`` (``"asserted"``, ``"observation"``, ``"hypothesis"`` or ``"negated"``), ``negated``,
``paraphrase``, ``study``/``study_label``, ``design``,
``year``, ``context``, ``section``, ``paragraph``, ``start``, ``end``, ``quote`` (when built
with ``--source``), ``citations`` (candidate publications with match grade, from the claim or
its study) and ``best_match_grade`` (``"exact"``, ``"plausible"``, ``"uncertain"``,
``"not found"``, ``"own observation, not published"`` or None).

Examples
--------
>>> from ldnkg.graph.load import load
>>> G = to_networkx(load())
>>> G.nodes["https://w3id.org/ldnkg/entity/TLR4"]["label"]
'TLR4'
>>> G.has_edge("https://w3id.org/ldnkg/entity/LDN", "https://w3id.org/ldnkg/entity/TLR4")
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ldnkg.graph.load import KNOWLEDGE
from ldnkg.graph.load import SCHEMA as SCHEMA_GRAPH
from ldnkg.graph.weight import level_by_iri
from ldnkg.namespaces import CONVERTER, LDNO, OA, OIO, SCHEMA

if TYPE_CHECKING:  # networkx is imported where a graph is made: the RDF writers need none
    import networkx as nx

__all__ = [
    "citations",
    "claim_records",
    "computed_once",
    "entity_records",
    "remember",
    "summarise_edges",
    "to_claim_multigraph",
    "to_networkx",
]

_SPECIFIC_FIRST = [
    "LdnRole", "AutoimmuneCondition", "CancerCondition", "ImmuneDerangementCondition",
    "NeuroinflammatoryCondition", "NeurodegenerativeCondition", "Mechanism", "Receptor",
    "SignallingMolecule", "DrugRegimen", "Drug", "Supplement", "MetabolicIntervention", "LifestyleIntervention",
    "TherapeuticStrategy", "TherapeuticRole", "Condition", "BiologicalProcess",
    "MolecularEntity", "PhysiologicalState", "Trigger", "CellType", "AnatomicalSite", "Symptom",
    "Outcome", "DrugAttribute", "Study", "ResponseCategory", "ResponseRate", "ClinicalPractice",
    "Person", "Organisation", "Place", "SourceDocument", "EvidenceCaveat", "PopulationMeasure",
    "NonResponseShare", "SourceInconsistency", "Intervention", "Entity",
]


#: id(dataset) -> {what: result}, while :func:`computed_once` is active for that dataset.
_ONCE: dict[int, dict[Any, Any]] = {}


@contextmanager
def computed_once(ds: Dataset) -> Iterator[None]:
    """Within the block, :func:`entity_records`, :func:`claim_records` and :func:`to_networkx` of
    ``ds`` are computed once and handed out as copies: the build's writers all read one finished
    dataset, and each used to project it again (six projections for the network and KGX files).

    The dataset must not change inside the block.

    >>> from ldnkg.graph.load import load
    >>> ds = load()
    >>> with computed_once(ds):
    ...     first = claim_records(ds)
    ...     first[0]["claim"] = "changed by a caller"
    ...     claim_records(ds)[0]["claim"] != "changed by a caller"
    True
    """
    if id(ds) in _ONCE:  # nested: the outer block owns the results
        yield
        return
    _ONCE[id(ds)] = {}
    try:
        yield
    finally:
        del _ONCE[id(ds)]


def remember(ds: Dataset, what: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, once per ``what`` inside :func:`computed_once` of ``ds`` (the result is
    shared: callers must not change it), at every call outside."""
    return _once(ds, what, compute) if id(ds) in _ONCE else compute()


def _once(ds: Dataset, what: Any, compute: Any) -> Any:
    memo = _ONCE[id(ds)]
    if what not in memo:
        memo[what] = compute()
    return memo[what]


def _local(term: URIRef) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _label(ds: Dataset, term: Any) -> str:
    value = ds.value(term, RDFS.label)
    return str(value) if value is not None else _local(term)


_GRADE_ORDER = ["exact", "plausible", "uncertain", "not found", "own observation, not published"]


def citations(ds: Dataset, owner: Any) -> list[dict[str, Any]]:
    """The citation matches of a study or claim: candidate publication, grade, note, links.

    Sorted from the best grade down; a match without a candidate records a gap.

    >>> from ldnkg.graph.load import load
    >>> from ldnkg.namespaces import LDN
    >>> [c["grade"] for c in citations(load(), LDN.Study1999Animal)]
    ['exact']
    """
    kg = ds.graph(KNOWLEDGE)
    out = []
    for match in kg.objects(owner, LDNO.citationMatch):
        pub = kg.value(match, LDNO.candidate)
        rec: dict[str, Any] = {
            "grade": _label(ds, kg.value(match, LDNO.matchGrade)),
            "note": str(kg.value(match, LDNO.matchNote) or ""),
            "publication": str(pub) if pub is not None else None,
        }
        if pub is not None:
            rec.update(
                label=_label(ds, pub),
                title=str(kg.value(pub, DCTERMS.title) or ""),
                authors=str(kg.value(pub, LDNO.authors) or ""),
                journal=str(kg.value(pub, LDNO.journal) or ""),
                year=str(kg.value(pub, LDNO.publicationYear) or ""),
                identifiers=sorted(str(i) for i in kg.objects(pub, SCHEMA.identifier)),
                links=sorted(str(i) for i in kg.objects(pub, RDFS.seeAlso)),
            )
        out.append(rec)
    rank = {g: i for i, g in enumerate(_GRADE_ORDER)}
    return sorted(out, key=lambda r: (rank.get(r["grade"], 99), r.get("label", "")))


def _best_grade(matches: list[dict[str, Any]]) -> str | None:
    return matches[0]["grade"] if matches else None


def entity_records(ds: Dataset) -> dict[str, dict[str, Any]]:
    """Attributes of every entity (anything typed with an ldno class), keyed by IRI."""
    if id(ds) not in _ONCE:
        return _entity_records(ds)
    return {iri: dict(rec) for iri, rec in _once(ds, "entities", lambda: _entity_records(ds)).items()}


def _entity_records(ds: Dataset) -> dict[str, dict[str, Any]]:
    kg = ds.graph(KNOWLEDGE)
    records: dict[str, dict[str, Any]] = {}
    for subject, cls in kg.subject_objects(RDF.type):
        if not (isinstance(cls, URIRef) and cls.startswith(str(LDNO))) or cls in (
            LDNO.Claim, LDNO.TextLocator, LDNO.SourceDocument, LDNO.Publication, LDNO.CitationMatch):
            continue
        rec = records.setdefault(str(subject), {"classes": set()})
        rec["classes"].add(_local(cls))
    for iri, rec in records.items():
        node = URIRef(iri)
        classes = rec["classes"]
        rec["classes"] = sorted(classes)
        rec["kind"] = next((c for c in _SPECIFIC_FIRST if c in classes), sorted(classes)[0])
        rec["label"] = _label(ds, node)
        definition = kg.value(node, SKOS.definition) or kg.value(node, LDNO.finding) or kg.value(
            node, RDFS.comment)
        rec["definition"] = str(definition) if definition is not None else ""
        rec["synonyms"] = sorted(str(x) for x in kg.objects(node, SKOS.altLabel))
        rec["xrefs"] = sorted(str(x) for x in kg.objects(node, OIO.hasDbXref))
        year = kg.value(node, LDNO.year)
        if year is not None:
            rec["year"] = str(year)
        design = kg.value(node, LDNO.studyDesign)
        if design is not None:
            rec["design"] = _label(ds, design)
        matches = citations(ds, node)
        if matches:
            rec["citations"] = matches
            rec["best_match_grade"] = _best_grade(matches)
    return records


def claim_records(ds: Dataset) -> list[dict[str, Any]]:
    """One dict per claim (see the module docstring for keys), sorted by claim IRI."""
    if id(ds) not in _ONCE:
        return _claim_records(ds)
    return [dict(rec) for rec in _once(ds, "claims", lambda: _claim_records(ds))]


def _claim_records(ds: Dataset) -> list[dict[str, Any]]:
    kg = ds.graph(KNOWLEDGE)
    ranks = {c: int(r) for c, r in ds.graph(SCHEMA_GRAPH).subject_objects(LDNO.rank)}
    out = []
    for claim in sorted(set(kg.subjects(RDF.type, LDNO.Claim))):
        obj = kg.value(claim, RDF.object)
        loc = kg.value(claim, LDNO.locator)
        evidence = kg.value(claim, LDNO.evidence)
        certainty = kg.value(claim, LDNO.certainty)
        study = kg.value(claim, LDNO.supportedBy)
        context = kg.value(claim, LDNO.inContextOf)
        quote = kg.value(loc, LDNO.quote)
        level = level_by_iri(kg.value(claim, LDNO.evidenceLevel))
        matches = citations(ds, claim) or (citations(ds, study) if study is not None else [])
        rec: dict[str, Any] = {
            "claim": str(claim),
            "subject": str(kg.value(claim, RDF.subject)),
            "predicate": str(kg.value(claim, RDF.predicate)),
            "predicate_label": _label(ds, kg.value(claim, RDF.predicate)),
            "object": str(obj),
            "object_is_literal": isinstance(obj, Literal),
            "paraphrase": str(kg.value(claim, LDNO.paraphrase)),
            "evidence": CONVERTER.compress(str(evidence)) or str(evidence),
            "evidence_label": _label(ds, evidence),
            "asserter": _label(ds, kg.value(claim, LDNO.asserter)),
            "certainty": _label(ds, certainty),
            "certainty_rank": ranks.get(certainty, 4),
            "evidence_level": level.label,
            "evidence_level_key": level.key,
            "evidence_rank": level.rank,
            "standing": _label(ds, kg.value(claim, LDNO.standing)),
            "negated": kg.value(claim, LDNO.negated) == Literal(True),
            "study": str(study) if study is not None else None,
            "study_label": _label(ds, study) if study is not None else None,
            "design": _label(ds, kg.value(study, LDNO.studyDesign)) if study is not None else None,
            "year": str(kg.value(study, LDNO.year)) if study is not None and kg.value(study, LDNO.year) else None,
            "context": str(context) if context is not None else None,
            "context_label": _label(ds, context) if context is not None else None,
            "section": str(kg.value(loc, LDNO.section)),
            "paragraph": int(kg.value(loc, LDNO.paragraph)),
            "start": int(kg.value(loc, OA.start)),
            "end": int(kg.value(loc, OA.end)),
            "quote": str(quote) if quote is not None else None,
            "citations": matches,
            "best_match_grade": _best_grade(matches),
        }
        out.append(rec)
    return out


def _base_graph(ds: Dataset, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for iri, rec in sorted(entity_records(ds).items()):
        graph.add_node(iri, **rec)
    return graph


def to_claim_multigraph(ds: Dataset) -> nx.MultiDiGraph:
    """One edge per claim whose object is an entity, keyed by the claim IRI.

    >>> from ldnkg.graph.load import load
    >>> M = to_claim_multigraph(load())
    >>> M.number_of_edges() > 150
    True
    """
    import networkx as nx

    graph = _base_graph(ds, nx.MultiDiGraph())
    for rec in claim_records(ds):
        if rec["object_is_literal"] or rec["object"] not in graph or rec["subject"] not in graph:
            continue
        graph.add_edge(rec["subject"], rec["object"], key=rec["claim"], **rec)
    return graph


def to_networkx(ds: Dataset, *, include_negated: bool = True) -> nx.MultiDiGraph:
    """The entity graph: claims collapsed to one edge per (subject, predicate, object).

    Edge attributes: ``predicate``, ``predicate_label``, ``negated``, ``claims`` (list of
    claim dicts), ``weight`` (number of claims), ``asserters`` and ``evidence`` (sorted sets),
    ``best_rank`` (firmest certainty rank among the claims, 1 = established).
    """
    if id(ds) not in _ONCE:
        return _to_networkx(ds, include_negated)
    graph = _once(ds, ("networkx", include_negated), lambda: _to_networkx(ds, include_negated))
    copy = graph.copy()  # fresh attribute dicts: callers add to them (the explorer adds citations)
    for _, _, data in copy.edges(data=True):
        data["claims"] = [dict(c) for c in data["claims"]]
    return copy


def _to_networkx(ds: Dataset, include_negated: bool) -> nx.MultiDiGraph:
    import networkx as nx

    graph = _base_graph(ds, nx.MultiDiGraph())
    for rec in claim_records(ds):
        if rec["object_is_literal"] or rec["object"] not in graph or rec["subject"] not in graph:
            continue
        if rec["negated"] and not include_negated:
            continue
        key = rec["predicate"] + ("#not" if rec["negated"] else "")
        u, v = rec["subject"], rec["object"]
        if graph.has_edge(u, v, key):
            data = graph.edges[u, v, key]
        else:
            graph.add_edge(u, v, key=key, predicate=rec["predicate"],
                           predicate_label=rec["predicate_label"], negated=rec["negated"], claims=[])
            data = graph.edges[u, v, key]
        data["claims"].append(rec)
    return summarise_edges(graph)


def summarise_edges(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add ``weight``, ``asserters``, ``evidence`` and ``best_rank`` to every edge from its
    ``claims`` list (in place); returns the graph.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", claims=[{"asserter": "x", "evidence": "ECO:1", "certainty_rank": 3}])
    >>> summarise_edges(G).edges["a", "b", 0]["best_rank"]
    3
    """
    for _, _, data in graph.edges(data=True):
        claims = data["claims"]
        data["weight"] = len(claims)
        data["asserters"] = sorted({c["asserter"] for c in claims})
        data["evidence"] = sorted({c["evidence"] for c in claims})
        data["best_rank"] = min(c["certainty_rank"] for c in claims)
    return graph
