"""Finding the article files in the sources folder and reading each one into a SourceDocument."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

from .dates import find_dateline, parse_date
from .errors import UnreadableDocument
from .html_text import html_to_text
from .language import detect_language, normalise_language
from .model import SourceDocument
from .pdf_text import pdf_to_text
from .registry import PublisherRegistry
from .text_repair import decode_bytes, repair_text

SUFFIX_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
REGISTRY_FILE = "registry.yaml"
SKIPPED_FOLDERS = frozenset({"lexicons"})
LANGUAGES = ("fr", "en")
_MAX_TITLE = 200
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_PLACEHOLDER_TITLES = re.compile(r"^(untitled|document\d*|microsoft (word|powerpoint) - .*)$", re.IGNORECASE)


def scan_sources(root: Path) -> list[Path]:
    """Every candidate article under root, sorted by relative path.

    Files with unsupported suffixes are included on purpose: reading them fails with a reason the
    user can see, instead of the file being silently ignored.
    """
    root = Path(root)
    found: list[tuple[str, Path]] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in SKIPPED_FOLDERS]
        for name in files:
            path = Path(folder) / name
            if name.startswith(".") or name == REGISTRY_FILE or not path.is_file():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return [path for _, path in sorted(found)]


def read_document(path: Path, root: Path, registry: PublisherRegistry | None = None) -> SourceDocument:
    """Read one source file as clean text with its metadata; raises UnreadableDocument with a reason.

    Without an explicit registry, ``root/registry.yaml`` is used when present.
    """
    root, path = Path(root), Path(path)
    full = path if path.is_absolute() or path.exists() else root / path
    relative = _relative(full, root)
    fmt = SUFFIX_FORMATS.get(full.suffix.lower())
    if fmt is None:
        raise UnreadableDocument(
            f"unsupported format '{full.suffix.lower()}'" if full.suffix else "unsupported format (no file extension)"
        )
    try:
        raw = full.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"cannot read file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise UnreadableDocument("empty file")

    known = (registry if registry is not None else _registry_in(root)).lookup(relative)
    declared_title = declared_language = declared_published = None
    fallback_published = None
    if fmt == "pdf":
        content = pdf_to_text(raw)
        text, repairs = repair_text(content.text, unescape_html=False)
        declared_title = content.title if content.title and not _PLACEHOLDER_TITLES.match(content.title) else None
        fallback_published = parse_date(content.created)
    else:
        decoded, repairs = decode_bytes(raw)
        if fmt == "html":
            content = html_to_text(decoded)
            text, text_repairs = repair_text(content.text, unescape_html=False)
            declared_title, declared_language = content.title, content.language
            declared_published = parse_date(content.published)
        else:
            text, text_repairs = repair_text(decoded)
            if fmt == "md":
                declared_title, declared_language, declared_published = _front_matter(text)
        repairs = repairs + text_repairs
    if not text.strip():
        raise UnreadableDocument("no text found in the document")

    return SourceDocument(
        document_id=hashlib.sha256(raw).hexdigest()[:16],
        path=relative,
        format=fmt,
        text=text,
        title=declared_title or _first_line_title(text),
        language=_language(known, declared_language, text),
        published=known.get("published") or declared_published or find_dateline(text) or fallback_published,
        publisher=known.get("publisher"),
        repairs=tuple(repairs),
        size_bytes=len(raw),
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name  # outside the sources folder: the name is all that identifies it


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
    body = _FRONT_MATTER.sub("", text, count=1)
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip() or None
        return stripped if len(stripped) < _MAX_TITLE else None
    return None


def _front_matter(text: str) -> tuple[str | None, str | None, datetime.date | None]:
    """title, language and date from a markdown file's YAML front matter, when it has one."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, None, None
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None
    title = data.get("title")
    language = normalise_language(data.get("lang") or data.get("language"))
    published = parse_date(data.get("published") or data.get("date"))
    return (str(title).strip() or None) if title else None, language, published
