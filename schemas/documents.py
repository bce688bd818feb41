import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipelines.documents.registry import TIERS

from .dtypes import Text

DOCUMENT_STATUSES = ["loaded", "rejected"]
FORMATS = ["txt", "md", "html", "pdf", "unknown"]


class DocumentsSchema(pa.DataFrameModel):
    """One row per file found in the sources folder, loaded or rejected."""

    document_id: Series[Text] = pa.Field(str_matches=r"^[0-9a-f]{16}$", unique=True, description="Content hash of the raw file (first 16 hex digits of its SHA-256); for a rejected file, whose content may never have been read, a hash of its path")
    path: Series[Text] = pa.Field(description="Path of the file, relative to the sources folder (the first, when several files hold the same content)")
    paths: Series[object] = pa.Field(description="Every path holding this content: a copy under another name is the same document")
    publisher: Series[Text] = pa.Field(nullable=True, description="Publisher, from sources/registry.yaml or the file's own metadata")
    tier: Series[Text] = pa.Field(nullable=True, isin=list(TIERS), description="Reliability of the source, from the registry: issuer (the company's own release), wire, press or aggregator")
    url: Series[Text] = pa.Field(nullable=True, description="Where the article was published: registry, canonical link, Open Graph, JSON-LD or front matter")
    language: Series[Text] = pa.Field(nullable=True, isin=["fr", "en"], description="Language of the text: fr or en")
    published_date: Series[pd.Timestamp] = pa.Field(nullable=True, description="Publication date, from the registry, the page's metadata or a dateline")
    format: Series[Text] = pa.Field(isin=FORMATS, description="File format: txt, md, html or pdf")
    status: Series[Text] = pa.Field(isin=DOCUMENT_STATUSES, description="loaded, or rejected when the file could not be read (or the extractor failed on it)")
    error: Series[Text] = pa.Field(nullable=True, description="Why the file was rejected: the reason names the limit and the value when a limit was exceeded")
    title: Series[Text] = pa.Field(nullable=True, description="Title of the document")
    text: Series[Text] = pa.Field(nullable=True, description="The repaired text that claim offsets refer to")
    repairs: Series[Text] = pa.Field(nullable=True, description="Repairs made to the text (encoding, mojibake)")
    n_chars: Series[int] = pa.Field(ge=0, description="Length of the text in characters")
    n_pages: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Pages of a PDF; empty for other formats")
    page_starts: Series[object] = pa.Field(nullable=True, description="PDF: offset in text where each page begins, so a claim's offset gives its page")
    size_bytes: Series[int] = pa.Field(ge=0, description="Size of the raw file in bytes")
    n_claims: Series[int] = pa.Field(ge=0, description="Figures extracted from the document")
    n_quarantined: Series[int] = pa.Field(ge=0, description="Figures that failed validation")

    @pa.dataframe_check(description="a rejected document says why")
    def rejected_has_error(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["status"] != "rejected") | df["error"].notna()

    class Config:
        strict = True
        coerce = True
