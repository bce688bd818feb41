"""Running the extractor over loaded documents, one document at a time, into a claims table."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd

from .documents.model import page_at
from .extraction import EXTRACTOR_VERSION, extract_claims

CLAIM_COLUMNS = [
    "claim_id", "document_id", "document", "entity", "metric", "scope", "period", "value", "unit", "kind",
    "qualifier", "start", "end", "page", "quote", "surface", "context", "precision", "notes", "extractor_version",
]


def claim_id_of(document_id: str, start: int, end: int, metric: str, kind: str) -> str:
    return hashlib.sha256(f"{document_id}:{start}:{end}:{metric}:{kind}".encode()).hexdigest()[:16]


def document_claims(document: dict) -> list[dict]:
    """The claim records of one loaded document (a row of the documents table).

    A PDF claim's page comes from its offset and the offsets where the reader saw each page begin.
    """
    published = document.get("published_date")
    published = None if published is None or pd.isna(published) else pd.Timestamp(published).date()
    records = []
    for claim in extract_claims(document["text"], document.get("language") or "en", document=document["path"], published=published):
        record = claim.as_dict()
        record["notes"] = "; ".join(record["notes"])
        record["document_id"] = document["document_id"]
        record["page"] = page_at(document.get("page_starts"), claim.start)
        record["claim_id"] = claim_id_of(document["document_id"], claim.start, claim.end, claim.metric, claim.kind)
        record["extractor_version"] = EXTRACTOR_VERSION
        records.append(record)
    return records


FAILURE_COLUMNS = ["document_id", "path", "error"]


def extract_all(
    documents: pd.DataFrame, on_document: Callable[[str], None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims of every loaded document, with the document's length for the offset check, and the
    documents the extractor failed on, with the error: one document's failure never stops the others.

    ``on_document`` is called with each document's path once extracted, for progress reporting.
    """
    loaded = documents[documents["status"] == "loaded"]
    records, failures = [], []
    for document in loaded.to_dict("records"):
        try:
            claims = document_claims(document)
        except Exception as error:  # noqa: BLE001 - recorded, and the document rejected with it
            failures.append((document["document_id"], document["path"],
                             f"extraction failed: {type(error).__name__}: {error}"))
            claims = []
        for record in claims:
            record["document_chars"] = document["n_chars"]
            records.append(record)
        if on_document is not None:
            on_document(document["path"])
    frame = pd.DataFrame.from_records(records, columns=CLAIM_COLUMNS + ["document_chars"])
    frame["page"] = frame["page"].astype("Int64")
    return frame, pd.DataFrame(failures, columns=FAILURE_COLUMNS)


def reject_failed(documents: pd.DataFrame, failures: pd.DataFrame) -> pd.DataFrame:
    """The documents table with the documents the extractor failed on marked rejected, with the error."""
    if failures.empty:
        return documents
    errors = failures.set_index("document_id")["error"]
    failed = documents["document_id"].isin(errors.index)
    documents = documents.copy()
    documents.loc[failed, "status"] = "rejected"
    documents.loc[failed, "error"] = documents.loc[failed, "document_id"].map(errors)
    return documents
