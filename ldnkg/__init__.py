"""ldnkg: an open knowledge graph of Low Dose Naltrexone with provenance for every claim."""

from ldnkg.errors import LdnkgError
from ldnkg.graph.load import load
from ldnkg.graph.sparql import query

__all__ = ["LdnkgError", "__version__", "evidence", "load", "query"]


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
