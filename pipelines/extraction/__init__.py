"""The extractor: quantities (numbers with units) and claims (figures with entity, metric, period)."""

from ..compiled_modules import EXTRACTOR

# The modules compiled with mypyc, when built from exactly these sources, come before them.
EXTRACTOR.put_before_sources(__path__)

from .model import EXTRACTOR_VERSION, Claim, Quantity
from .claims import extract_claims
from .lexicon import Lexicon, load_lexicon
from .quantities import extract_quantities

__all__ = ["EXTRACTOR_VERSION", "Claim", "Lexicon", "Quantity", "extract_claims", "extract_quantities", "load_lexicon"]
