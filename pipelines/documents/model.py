"""The record every reader returns."""

from __future__ import annotations

import datetime
from bisect import bisect_right
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
    url: str | None = None  # where the article was published (registry, canonical link, front matter)
    tier: str | None = None  # issuer | wire | press | aggregator, from the registry
    page_starts: tuple[int, ...] = ()  # PDF: the offset in ``text`` where each page begins

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding a character offset; None for documents without pages."""
        return page_at(self.page_starts, offset)


def page_at(page_starts, offset: int) -> int | None:
    """The 1-based page whose start is the last at or before ``offset``; None without page starts
    (None, or a missing value as pandas writes it)."""
    if not hasattr(page_starts, "__len__") or len(page_starts) == 0:
        return None
    return max(1, bisect_right(list(page_starts), offset))
