"""The extractor: quantities (numbers with units) and claims (figures with entity, metric, period)."""

from ..compiled_modules import EXTRACTOR

# The modules compiled with mypyc, when built from exactly these sources, come before them.
if (_folder := EXTRACTOR.compiled_folder()) is not None:
    __path__.insert(0, _folder)

from .model import EXTRACTOR_VERSION, Claim, Quantity
from .claims import extract_claims
from .lexicon import Lexicon, load_lexicon
from .quantities import extract_quantities

__all__ = ["EXTRACTOR_VERSION", "Claim", "Lexicon", "Quantity", "extract_claims", "extract_quantities", "load_lexicon"]
