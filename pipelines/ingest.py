"""Reading the sources folder into document records: loaded ones with their text, rejected ones with
the reason. One unreadable file never stops the others, and a rejected file's content is never read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .documents import Limits, PublisherRegistry, UnreadableDocument, read_document, scan_sources
from .documents.readers import SUFFIX_FORMATS
from .documents.source_files import file_size, relative_path

REGISTRY_FILE = "registry.yaml"

DOCUMENT_COLUMNS = [
    "document_id", "path", "paths", "publisher", "tier", "url", "language", "published_date", "format", "status",
    "error", "title", "text", "repairs", "n_chars", "n_pages", "page_starts", "size_bytes",
]


def rejected_id_of(relative: str) -> str:
    """A rejected file's content may never be read (a link, a file over the size limit): its id comes
    from its path, in a namespace of its own so it cannot equal a content hash by construction."""
    return hashlib.sha256(f"rejected:{relative}".encode()).hexdigest()[:16]


def read_source(path: Path, root: Path, registry: PublisherRegistry | None, limits: Limits | None = None) -> dict:
    """One document record; a file that cannot be read becomes a rejected record with the reason."""
    relative = relative_path(path, root)
    try:
        doc = read_document(path, root, registry or PublisherRegistry(), limits)
    except Exception as error:  # noqa: BLE001 - one file's failure must not stop the others
        if not isinstance(error, UnreadableDocument):
            # A reader's own failure on a file it should have refused: the file is rejected with the
            # exception named, and the others still load.
            error = UnreadableDocument(f"unexpected error while reading: {type(error).__name__}: {error}")
        meta = registry.lookup(relative) if registry else {}
        return {
            "document_id": rejected_id_of(relative), "path": relative, "paths": [relative],
            "publisher": meta.get("publisher"), "tier": meta.get("tier"), "url": meta.get("url"),
            "language": meta.get("language"), "published_date": meta.get("published"),
            "format": SUFFIX_FORMATS.get(Path(path).suffix.lower(), "unknown"), "status": "rejected",
            "error": str(error), "title": None, "text": None, "repairs": None, "n_chars": 0, "n_pages": None,
            "page_starts": None, "size_bytes": file_size(path),
        }
    return {
        "document_id": doc.document_id, "path": doc.path, "paths": [doc.path], "publisher": doc.publisher,
        "tier": doc.tier, "url": doc.url, "language": doc.language, "published_date": doc.published,
        "format": doc.format, "status": "loaded", "error": None, "title": doc.title, "text": doc.text,
        "repairs": "; ".join(doc.repairs) or None, "n_chars": len(doc.text),
        "n_pages": len(doc.page_starts) if doc.format == "pdf" else None,
        "page_starts": list(doc.page_starts) if doc.format == "pdf" else None, "size_bytes": doc.size_bytes,
    }


def read_sources(root: Path, limits: Limits | None = None, on_file: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Every file of the sources folder as a document record (see schemas.DocumentsSchema).

    ``on_file`` is called with each file's relative path once it is read, for progress reporting.
    """
    root = Path(root)
    registry_path = root / REGISTRY_FILE
    registry = PublisherRegistry.load(registry_path) if registry_path.exists() else None
    records = []
    for path in scan_sources(root):
        records.append(read_source(path, root, registry, limits))
        if on_file is not None:
            on_file(records[-1]["path"])
    return merge_same_content(records_frame(records))


def records_frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=DOCUMENT_COLUMNS)


def merge_same_content(frame: pd.DataFrame) -> pd.DataFrame:
    """The same bytes under two names are one document: the first path names it, every path is kept."""
    if frame.empty:
        frame["published_date"] = pd.to_datetime(frame["published_date"])
        return frame
    paths = frame.groupby("document_id", sort=False)["path"].agg(list)
    frame = frame.drop_duplicates("document_id", keep="first").reset_index(drop=True)
    frame["paths"] = frame["document_id"].map(paths)
    frame["published_date"] = pd.to_datetime(frame["published_date"], errors="coerce")
    return frame
