"""How much one document may cost: bytes on disk, characters of text, PDF pages, seconds of reading.

A file over a limit is rejected before it is read whole, with a reason naming the limit and the value,
so one oversized file can neither exhaust memory nor hold up the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields

from .errors import UnreadableDocument


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50_000_000  # a long annual report as a PDF is 10-20 MB
    max_chars: int = 2_000_000  # about 300,000 words: far more than any article or report
    max_pdf_pages: int = 1_000
    max_seconds: float = 60.0  # reading one document (decoding, PDF text and tables)

    @classmethod
    def from_mapping(cls, values: dict, where: str = "limits") -> "Limits":
        """Limits from a mapping of field name -> value (a config section, the environment)."""
        known = {field.name: field.type for field in fields(cls)}
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"{where}: unknown limits {sorted(unknown)}; known: {sorted(known)}")
        parsed = {}
        for name, value in values.items():
            kind = float if name == "max_seconds" else int
            try:
                parsed[name] = kind(value)
            except (TypeError, ValueError):
                raise ValueError(f"{where}: {name} must be a number, got {value!r}") from None
            if parsed[name] <= 0:
                raise ValueError(f"{where}: {name} must be positive, got {value!r}")
        return cls(**parsed)

    def check_size(self, size: int) -> None:
        if size > self.max_file_bytes:
            raise UnreadableDocument(
                f"file too large: {size:,} bytes, over the limit of {self.max_file_bytes:,} bytes (max_file_bytes)"
            )

    def check_chars(self, chars: int, more: bool = False) -> None:
        if chars > self.max_chars:
            amount = f"more than {chars:,}" if more else f"{chars:,}"
            raise UnreadableDocument(
                f"text too long: {amount} characters, over the limit of {self.max_chars:,} characters (max_chars)"
            )

    def check_pages(self, pages: int) -> None:
        if pages > self.max_pdf_pages:
            raise UnreadableDocument(
                f"PDF too long: {pages:,} pages, over the limit of {self.max_pdf_pages:,} pages (max_pdf_pages)"
            )

    def deadline(self) -> "Deadline":
        return Deadline(self.max_seconds)


class Deadline:
    """The time limit of one document, checked between units of work (pages, lines)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.started = time.monotonic()

    def check(self, progress: str = "") -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.seconds:
            where = f" ({progress})" if progress else ""
            raise UnreadableDocument(
                f"reading took too long: over the limit of {self.seconds:g} s (max_seconds){where}"
            )
