"""Reading one file of the sources folder into a SourceDocument, within the limits."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from .dates import find_dateline, parse_date
from .errors import UnreadableDocument
from .html_text import html_to_text
from .language import detect_language
from .limits import Deadline, Limits
from .markdown_text import pipe_tables, split_front_matter
from .model import SourceDocument
from .pdf_text import pdf_to_text
from .registry import PublisherRegistry
from .source_files import REGISTRY_FILE, check_inside, read_bounded, relative_path, scan_sources
from .text_repair import decode_bytes, repair_text

SUFFIX_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
LANGUAGES = ("fr", "en")
PAGE_BREAK = "\n\n"  # between the pages of a PDF; page_starts records where each one begins
_MAX_TITLE = 200
_PLACEHOLDER_TITLES = re.compile(r"^(untitled|document\d*|microsoft (word|powerpoint) - .*)$", re.IGNORECASE)

__all__ = ["SUFFIX_FORMATS", "document_id_of", "read_document", "scan_sources"]


def document_id_of(raw: bytes) -> str:
    """A document is its content: the same bytes under two names are one document."""
    return hashlib.sha256(raw).hexdigest()[:16]


def read_document(
    path: Path, root: Path, registry: PublisherRegistry | None = None, limits: Limits | None = None
) -> SourceDocument:
    """Read one source file as clean text with its metadata; raises UnreadableDocument with a reason.

    Without an explicit registry, ``root/registry.yaml`` is used when present. Links, paths outside
    root and files over the limits are refused before their content is read.
    """
    root, path = Path(root), Path(path)
    limits = limits or Limits()
    full = path if path.is_absolute() or path.is_symlink() or path.exists() else root / path
    relative = relative_path(full, root)
    check_inside(full, root)
    fmt = SUFFIX_FORMATS.get(full.suffix.lower())
    if fmt is None:
        raise UnreadableDocument(
            f"unsupported format '{full.suffix.lower()}'" if full.suffix else "unsupported format (no file extension)"
        )
    deadline = limits.deadline()
    raw = read_bounded(full, root, limits)
    if not raw.strip():
        raise UnreadableDocument("empty file")

    known = (registry if registry is not None else _registry_in(root)).lookup(relative)
    declared: dict = {}
    fallback_published = None
    page_starts: tuple[int, ...] = ()
    if fmt == "pdf":
        content = pdf_to_text(raw, limits, deadline)
        text, repairs, page_starts = _join_pages(content.pages, deadline)
        if content.title and not _PLACEHOLDER_TITLES.match(content.title):
            declared["title"] = content.title
        fallback_published = parse_date(content.created)
    else:
        decoded, repairs = decode_bytes(raw)
        if fmt == "html":  # a page's markup is no text: the limit applies to what is left of it, below
            content = html_to_text(decoded)
            text, text_repairs = repair_text(content.text, unescape_html=False, deadline=deadline)
            declared = {"title": content.title, "language": content.language, "published": parse_date(content.published),
                        "publisher": content.publisher, "url": content.url}
        else:
            limits.check_chars(len(decoded))
            text, text_repairs = repair_text(decoded, deadline=deadline)
            if fmt == "md":
                front, text = split_front_matter(text)
                text = pipe_tables(text)
                declared = {"title": front.title, "language": front.language, "published": front.published,
                            "publisher": front.publisher, "url": front.url}
        repairs = repairs + text_repairs
    if not text.strip():
        raise UnreadableDocument("no text found in the document")
    limits.check_chars(len(text))

    return SourceDocument(
        document_id=document_id_of(raw),
        path=relative,
        format=fmt,
        text=text,
        title=declared.get("title") or _first_line_title(text),
        language=_language(known, declared.get("language"), text),
        published=known.get("published") or declared.get("published") or find_dateline(text) or fallback_published,
        publisher=known.get("publisher") or declared.get("publisher"),
        repairs=tuple(repairs),
        size_bytes=len(raw),
        url=known.get("url") or declared.get("url"),
        tier=known.get("tier"),
        page_starts=page_starts,
    )


def _join_pages(pages: tuple[str, ...], deadline: Deadline) -> tuple[str, list[str], tuple[int, ...]]:
    """Repair each page and join them, recording where each page starts in the joined text."""
    texts, starts, repairs, position = [], [], [], 0
    for page in pages:
        deadline.check(f"repairing page {len(starts) + 1}")
        repaired, page_repairs = repair_text(page, unescape_html=False)
        repairs.extend(page_repairs)
        starts.append(position)
        texts.append(repaired)
        position += len(repaired) + len(PAGE_BREAK)
    return PAGE_BREAK.join(texts), _merge_repairs(repairs), tuple(starts)


def _merge_repairs(repairs: list[str]) -> list[str]:
    """"mojibake: 1 fix" on two pages is "mojibake: 2 fixes" for the document."""
    counts: dict[str, int] = {}
    plain: list[str] = []
    for repair in repairs:
        label, _, count = repair.rpartition(": ")
        number = count.split(" ")[0]
        if label and number.isdigit() and count.split(" ")[-1] in ("fix", "fixes"):
            counts[label] = counts.get(label, 0) + int(number)
        elif repair not in plain:
            plain.append(repair)
    return plain + [f"{label}: {n} fix{'es' if n > 1 else ''}" for label, n in counts.items()]


def _registry_in(root: Path) -> PublisherRegistry:
    path = root / REGISTRY_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return PublisherRegistry()
    return _load_registry(str(path.resolve()), stamp)


@lru_cache(maxsize=8)
def _load_registry(path: str, _stamp: int) -> PublisherRegistry:
    # The modification time is part of the cache key so an edited registry is read again.
    return PublisherRegistry.load(Path(path))


def _language(known: dict, declared: str | None, text: str) -> str | None:
    if known.get("language"):
        return known["language"]
    if declared in LANGUAGES:  # a page template's lang="de" or similar is not trusted over the text
        return declared
    return detect_language(text)


def _first_line_title(text: str) -> str | None:
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip() or None
        return stripped if len(stripped) < _MAX_TITLE else None
    return None
