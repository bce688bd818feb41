"""The record every reader returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

FORMATS = ("txt", "md", "html", "pdf")


@dataclass(frozen=True)
class SourceDocument:
    """One article as text, with what is known about where it came from.

    ``text`` is the repaired text: every character offset computed downstream refers to it.
    """

    document_id: str  # first 16 hex chars of the sha256 of the raw file bytes
    path: str  # relative to the sources folder, posix style
    format: str  # txt | md | html | pdf
    text: str
    title: str | None
    language: str | None  # "fr" or "en"; None when undecidable
    published: datetime.date | None
    publisher: str | None
    repairs: tuple[str, ...]  # e.g. ("encoding: cp1252", "mojibake: 2 fixes")
    size_bytes: int
