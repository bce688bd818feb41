"""Reading source articles (txt, md, html, pdf) into clean text with provenance metadata.

Pure Python: the Dagster assets call ``scan_sources`` and ``read_document``.
"""

from .errors import UnreadableDocument
from .limits import Limits
from .model import SourceDocument
from .readers import SUFFIX_FORMATS, document_id_of, read_document
from .registry import TIERS, PublisherRegistry, RegistryError
from .source_files import scan_sources

__all__ = [
    "Limits",
    "PublisherRegistry",
    "RegistryError",
    "SUFFIX_FORMATS",
    "SourceDocument",
    "TIERS",
    "UnreadableDocument",
    "document_id_of",
    "read_document",
    "scan_sources",
]
