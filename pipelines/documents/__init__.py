"""Reading source articles (txt, md, html, pdf) into clean text with provenance metadata.

Pure Python: the Dagster assets call ``scan_sources`` and ``read_document``.
"""

from .errors import UnreadableDocument
from .model import SourceDocument
from .readers import SUFFIX_FORMATS, read_document, scan_sources
from .registry import PublisherRegistry, RegistryError

__all__ = [
    "PublisherRegistry",
    "RegistryError",
    "SUFFIX_FORMATS",
    "SourceDocument",
    "UnreadableDocument",
    "read_document",
    "scan_sources",
]
