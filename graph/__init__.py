"""Load, validate, reason over and project the LDN knowledge graph.

>>> import ldnkg.graph
>>> G = ldnkg.graph.to_networkx(ldnkg.graph.load())
>>> G.nodes["https://w3id.org/ldnkg/entity/LDN"]["kind"]
'DrugRegimen'
"""

from ldnkg.graph.load import load
from ldnkg.graph.project import claim_records, entity_records, to_claim_multigraph, to_networkx

__all__ = ["claim_records", "entity_records", "load", "to_claim_multigraph", "to_networkx"]
