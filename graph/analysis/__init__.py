"""Analysis of the LDN knowledge graph with NetworkX: small pure functions over its projections.

One topic per module: :mod:`~ldnkg.graph.analysis.views` (what counts as a condition, role,
mechanistic edge), :mod:`~ldnkg.graph.analysis.centrality`,
:mod:`~ldnkg.graph.analysis.communities`, :mod:`~ldnkg.graph.analysis.paths`,
:mod:`~ldnkg.graph.analysis.cycles`, :mod:`~ldnkg.graph.analysis.similarity`,
:mod:`~ldnkg.graph.analysis.evidence`, :mod:`~ldnkg.graph.analysis.resolve`,
:mod:`~ldnkg.graph.analysis.explain` and :mod:`~ldnkg.graph.analysis.profile` (``ldnkg evidence``).
Every function takes the entity graph of
:func:`ldnkg.graph.project.to_networkx` (or claim records) and returns plain data.
"""

from ldnkg.graph.analysis.centrality import centrality_table, mechanism_hubs, most_central
from ldnkg.graph.analysis.communities import (
    communities_vs_roles,
    community_of,
    community_roles,
    condition_roles,
    conditions_between_roles,
    detect_communities,
    supertypes,
)
from ldnkg.graph.analysis.cycles import cycles, role_cycle
from ldnkg.graph.analysis.evidence import (
    Share,
    condition_claims,
    evidence_matrix,
    evidence_profile,
    published_share,
    research_agenda,
    support_claims,
    unsupported_conditions,
)
from ldnkg.graph.analysis.explain import (
    Explanation,
    explain,
    format_chain,
    format_claim,
    format_explanation,
    ranked_chains,
)
from ldnkg.graph.analysis.paths import (
    Chain,
    Link,
    chain_graph,
    chains_to_conditions,
    claim_strength,
    conditions_reached_through,
    mechanism_chains,
)
from ldnkg.graph.analysis.profile import EvidenceProfile, evidence, profile
from ldnkg.graph.analysis.resolve import (
    EntityLookupError,
    NameIndex,
    entity_names,
    name_index,
    normalise,
    resolve_entity,
    resolve_params,
)
from ldnkg.graph.analysis.similarity import (
    condition_mechanisms,
    condition_similarity,
    mechanism_bipartite,
    shared_mechanism_not_role,
    similarity_matrix,
)
from ldnkg.graph.analysis.views import (
    LDN,
    ROLES,
    conditions,
    knowledge_view,
    label,
    mechanistic_view,
    roles,
    toy_graph,
    undirected_view,
)

__all__ = [
    "LDN",
    "ROLES",
    "Chain",
    "EntityLookupError",
    "EvidenceProfile",
    "Explanation",
    "Link",
    "NameIndex",
    "Share",
    "centrality_table",
    "chain_graph",
    "chains_to_conditions",
    "claim_strength",
    "communities_vs_roles",
    "community_of",
    "community_roles",
    "condition_claims",
    "condition_mechanisms",
    "condition_roles",
    "condition_similarity",
    "conditions",
    "conditions_between_roles",
    "conditions_reached_through",
    "cycles",
    "detect_communities",
    "entity_names",
    "evidence",
    "evidence_matrix",
    "evidence_profile",
    "explain",
    "format_chain",
    "format_claim",
    "format_explanation",
    "knowledge_view",
    "label",
    "mechanism_bipartite",
    "mechanism_chains",
    "mechanism_hubs",
    "mechanistic_view",
    "most_central",
    "name_index",
    "normalise",
    "profile",
    "published_share",
    "ranked_chains",
    "research_agenda",
    "resolve_entity",
    "resolve_params",
    "role_cycle",
    "roles",
    "shared_mechanism_not_role",
    "similarity_matrix",
    "supertypes",
    "support_claims",
    "toy_graph",
    "undirected_view",
    "unsupported_conditions",
]
