"""ldnkg: an open knowledge graph of Low Dose Naltrexone with provenance for every claim."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ldnkg.errors import LdnkgError

if TYPE_CHECKING:
    from ldnkg.graph.load import load
    from ldnkg.graph.sparql import query

__all__ = ["LdnkgError", "__version__", "evidence", "load", "query"]


def __getattr__(name: str) -> Any:
    # `load` and `query` are imported on first use, so that `import ldnkg` (and so every command
    # line, `ldnkg --help` included) does not pay for rdflib's SPARQL engine and the other engines
    if name == "load":
        from ldnkg.graph.load import load as found
    elif name == "query":
        from ldnkg.graph.sparql import query as found
    else:
        raise AttributeError(f"module 'ldnkg' has no attribute {name!r}")
    globals()[name] = found
    return found


def evidence(name: str, **kwargs: object) -> object:
    """What the article says about ``name``, strongest evidence first (an ``EvidenceProfile``).

    See :func:`ldnkg.graph.analysis.profile.evidence`; imported on use so that ``import ldnkg``
    stays light (NetworkX is loaded only here).

    >>> evidence("MCAS").co_therapies[0]["inherited_from"]
    'immune derangement syndrome'
    """
    from ldnkg.graph.analysis.profile import evidence as run

    return run(name, **kwargs)  # type: ignore[arg-type]

__version__ = "0.1.0"
