"""Load, validate, reason over and project the LDN knowledge graph.

>>> import ldnkg.graph
>>> G = ldnkg.graph.to_networkx(ldnkg.graph.load())
>>> G.nodes["https://w3id.org/ldnkg/entity/LDN"]["kind"]
'DrugRegimen'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# eager: binding the function hides the submodule of the same name (`ldnkg.graph.load()` is a call)
from ldnkg.graph.load import load

if TYPE_CHECKING:
    from ldnkg.graph.project import claim_records, entity_records, to_claim_multigraph, to_networkx

__all__ = ["claim_records", "entity_records", "load", "to_claim_multigraph", "to_networkx"]


def __getattr__(name: str) -> Any:
    # the projections are imported on first use: every module of the package (ldnkg.graph.load for a
    # build) imports this package first, and they bring NetworkX, which loading and validating do not need
    if name in __all__:
        from ldnkg.graph import project as module
    else:
        raise AttributeError(f"module 'ldnkg.graph' has no attribute {name!r}")
    found = getattr(module, name)
    globals()[name] = found
    return found
