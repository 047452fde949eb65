"""ldnkg: an open knowledge graph of Low Dose Naltrexone with provenance for every claim."""

from ldnkg.errors import LdnkgError
from ldnkg.graph.load import load
from ldnkg.graph.sparql import query

__all__ = ["LdnkgError", "__version__", "load", "query"]

__version__ = "0.1.0"
