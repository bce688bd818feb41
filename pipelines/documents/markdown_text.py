"""Markdown: YAML front matter is metadata, not text; tables become edge-piped rows.

Front matter is removed from the text, so a number in a `url:` line can never be read as a figure.
Tables are found with markdown-it (the parser the CommonMark tools use), and each of their lines is
written "| a | b |", the form the extractor reads as a table row: Markdown allows the edge pipes
to be left out, and a two-column row without them would otherwise read as a sentence.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt

from .dates import parse_date
from .language import normalise_language

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    published: datetime.date | None = None
    language: str | None = None
    publisher: str | None = None
    url: str | None = None


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The front matter's metadata and the text after it. Text without front matter is returned as is;
    front matter that is not a YAML mapping is still removed (it is not article text) but says nothing."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter(), text
    body = text[match.end():]
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return FrontMatter(), body
    if not isinstance(data, dict):
        return FrontMatter(), body
    return FrontMatter(
        title=_string(data.get("title")),
        published=parse_date(data.get("published") or data.get("date")),
        language=normalise_language(data.get("language") or data.get("lang")),
        publisher=_string(data.get("publisher")),
        url=_string(data.get("url")),
    ), body


def pipe_tables(text: str) -> str:
    """Every line of every Markdown table written with its edge pipes."""
    ranges = [token.map for token in _PARSER.parse(text) if token.type == "table_open" and token.map]
    if not ranges:
        return text
    lines = text.split("\n")
    for first, last in ranges:
        for index in range(first, min(last, len(lines))):
            stripped = lines[index].strip()
            if not stripped:
                continue
            if not stripped.startswith("|"):
                stripped = "| " + stripped
            if not stripped.endswith("|") or stripped.endswith("\\|"):
                stripped += " |"
            lines[index] = stripped
    return "\n".join(lines)


def _string(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
