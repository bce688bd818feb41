"""The extractor: quantities (numbers with units) and claims (figures with entity, metric, period)."""

from .model import EXTRACTOR_VERSION, Claim, Quantity
from .quantities import extract_quantities

__all__ = ["EXTRACTOR_VERSION", "Claim", "Quantity", "extract_quantities"]
