"""PDF to text with pdfplumber, tables rendered as pipe rows where they sit on the page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pdfplumber

from .errors import UnreadableDocument

# Not \s, which would also match the no-break spaces inside figures ("81\u202f502").
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass(frozen=True)
class PdfContent:
    text: str
    title: str | None
    created: str | None  # the raw CreationDate, e.g. "D:20250821093000+02'00'"


def pdf_to_text(raw: bytes) -> PdfContent:
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            metadata = pdf.metadata or {}
            pages = [_page_text(page) for page in pdf.pages]
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise UnreadableDocument(f"corrupt PDF: {_describe(exc)}") from exc
    text = "\n\n".join(page for page in pages if page.strip())
    if not text.strip():
        raise UnreadableDocument("PDF has no text layer (scanned?)")
    return PdfContent(text, _metadata_text(metadata.get("Title")), _metadata_text(metadata.get("CreationDate")))


def _page_text(page) -> str:
    tables = page.find_tables()
    if not tables:
        return page.extract_text() or ""
    # Text outside the tables keeps its reading order; each table replaces its own region, so the
    # figures in a table appear once, as rows, instead of once as loose words and once as rows.
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    blocks = [(line["top"], line["text"]) for line in outside.extract_text_lines(return_chars=False)]
    for table in tables:
        rows = [_row(row) for row in table.extract()]
        blocks.append((table.bbox[1], "\n".join(row for row in rows if row)))
    blocks.sort(key=lambda block: block[0])
    return "\n".join(text for _, text in blocks if text.strip())


def _inside(char: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _row(cells: list[str | None]) -> str:
    values = [_ASCII_SPACE.sub(" ", cell or "").replace("|", "/").strip() for cell in cells]
    if not any(values):
        return ""
    return " | ".join(values) + " |"


def _metadata_text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-16" if value.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1", "replace")
    if not isinstance(value, str):
        return None
    return value.strip().strip("\x00") or None


def _describe(exc: Exception) -> str:
    message = str(exc).strip()
    name = type(exc).__name__
    if "password" in name.lower() or "encrypt" in message.lower():
        return "the file is encrypted"
    return message or name
