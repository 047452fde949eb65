"""ldnkg: an open knowledge graph of Low Dose Naltrexone with provenance for every claim."""

from ldnkg.errors import LdnkgError
from ldnkg.graph.load import load

__all__ = ["LdnkgError", "__version__", "load"]

__version__ = "0.1.0"
