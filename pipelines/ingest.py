"""Reading the sources folder into document records: loaded ones with their text, rejected ones with
the reason. One unreadable file never stops the others."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .documents import PublisherRegistry, UnreadableDocument, read_document, scan_sources
from .documents.readers import SUFFIX_FORMATS

REGISTRY_FILE = "registry.yaml"


def document_id_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def read_source(path: Path, root: Path, registry: PublisherRegistry | None) -> dict:
    """One document record; a file that cannot be read becomes a rejected record with the reason."""
    relative = path.relative_to(root).as_posix()
    try:
        doc = read_document(path, root, registry)
    except UnreadableDocument as error:
        raw = path.read_bytes() if path.is_file() else b""
        meta = registry.lookup(relative) if registry else {}
        return {
            "document_id": document_id_of(raw), "path": relative, "publisher": meta.get("publisher"),
            "language": meta.get("language"), "published_date": meta.get("published"),
            "format": SUFFIX_FORMATS.get(path.suffix.lower(), "unknown"), "status": "rejected",
            "error": str(error), "title": None, "text": None, "repairs": None, "n_chars": 0,
            "size_bytes": len(raw),
        }
    return {
        "document_id": doc.document_id, "path": doc.path, "publisher": doc.publisher, "language": doc.language,
        "published_date": doc.published, "format": doc.format, "status": "loaded", "error": None,
        "title": doc.title, "text": doc.text, "repairs": "; ".join(doc.repairs) or None,
        "n_chars": len(doc.text), "size_bytes": doc.size_bytes,
    }


def read_sources(root: Path) -> pd.DataFrame:
    """Every file of the sources folder as a document record (see schemas.DocumentsSchema)."""
    root = Path(root)
    registry_path = root / REGISTRY_FILE
    registry = PublisherRegistry.load(registry_path) if registry_path.exists() else None
    records = [read_source(path, root, registry) for path in scan_sources(root)]
    frame = pd.DataFrame.from_records(records, columns=DOCUMENT_COLUMNS)
    # The same bytes under two names are one document: keep the first path, say so.
    duplicated = frame["document_id"].duplicated(keep="first")
    frame = frame[~duplicated].reset_index(drop=True)
    frame["published_date"] = pd.to_datetime(frame["published_date"], errors="coerce")
    return frame


DOCUMENT_COLUMNS = [
    "document_id", "path", "publisher", "language", "published_date", "format", "status", "error",
    "title", "text", "repairs", "n_chars", "size_bytes",
]
