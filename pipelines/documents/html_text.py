"""HTML to plain text that keeps an article's structure: one line per block, tables as pipe rows.

The extractor reads sentences line by line and tables as "cell | cell |" rows, so paragraphs,
headings and list items become lines and each table row becomes one pipe-delimited line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from .language import normalise_language

# Page furniture, not article text.
_DROPPED = "script, style, nav, footer, header, aside, noscript, template, svg, iframe, [hidden]"
_BLOCKS = frozenset(
    "address article blockquote caption dd details div dl dt fieldset figcaption figure form h1 h2 h3 "
    "h4 h5 h6 hr li main ol p section summary table tbody thead tfoot ul body html".split()
)
_ROW_PARTS = frozenset({"table", "thead", "tbody", "tfoot"})
# HTML collapses these, but not U+00A0 or U+202F, which separate thousands and units in figures.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
)
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


@dataclass(frozen=True)
class HtmlContent:
    text: str
    title: str | None
    published: str | None  # the raw metadata value; parsed by the caller
    language: str | None


def html_to_text(html: str) -> HtmlContent:
    tree = LexborHTMLParser(html)
    title = _title(tree)
    published = _published(tree)
    language = _language(tree)
    for node in tree.css(_DROPPED):
        node.decompose()
    lines: list[str] = []
    if tree.body is not None:
        _LineWriter(lines).write(tree.body)
    return HtmlContent("\n".join(lines), title, published, language)


class _LineWriter:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.pending: list[str] = []

    def flush(self) -> None:
        line = _collapse("".join(self.pending)).strip()
        if line:
            self.lines.append(line)
        self.pending.clear()

    def write(self, root) -> None:
        # An explicit stack instead of recursion: deeply nested markup must not hit the recursion limit.
        stack = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            tag = node.tag
            if leaving:
                self.flush()
                continue
            if tag == "-text":
                self.pending.append(node.text_content or "")
            elif tag == "br":
                self.flush()
            elif tag == "tr":
                self.flush()
                row = _table_row(node)
                if row:
                    self.lines.append(row)
            elif tag == "pre":
                self.flush()
                self.lines.extend(line.rstrip() for line in node.text(deep=True).split("\n") if line.strip())
            elif not tag[:1].isalpha():
                continue  # comments, doctype
            else:
                block = tag in _BLOCKS or tag in _ROW_PARTS
                if block:
                    self.flush()
                    stack.append((node, True))
                stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
        self.flush()


def _table_row(row) -> str:
    cells = [_inline_text(cell) for cell in row.iter() if cell.tag in ("td", "th")]
    if not any(cells):
        return ""
    return " | ".join(cells) + " |"


def _inline_text(node) -> str:
    """A cell's text on one line: block boundaries inside the cell become spaces."""
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag == "-text":
            parts.append(current.text_content or "")
            continue
        if current.tag.startswith("-"):
            continue
        if current.tag in _BLOCKS or current.tag == "br":
            parts.append(" ")
        stack.extend(reversed(list(current.iter(include_text=True))))
    return _collapse("".join(parts)).replace("|", "/").strip()


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", text)


def _meta(tree, *names: str) -> str | None:
    wanted = {name.lower() for name in names}
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = (attrs.get("content") or "").strip()
        if key in wanted and content:
            return content
    return None


def _title(tree) -> str | None:
    node = tree.css_first("title")
    title = _collapse(node.text()).strip() if node is not None else ""
    if not title:
        title = _meta(tree, "og:title", "twitter:title") or ""
    if not title:
        heading = tree.css_first("h1")
        title = _collapse(heading.text()).strip() if heading is not None else ""
    return title or None


def _published(tree) -> str | None:
    value = _meta(tree, *_PUBLISHED_META)
    if value:
        return value
    for script in tree.css('script[type="application/ld+json"]'):
        match = _LD_PUBLISHED.search(script.text() or "")
        if match:
            try:
                return json.loads(f'"{match.group(1)}"')
            except json.JSONDecodeError:
                return match.group(1)
    node = tree.css_first("time[datetime]")
    return (node.attributes.get("datetime") or None) if node is not None else None


def _language(tree) -> str | None:
    html = tree.css_first("html")
    declared = html.attributes.get("lang") if html is not None else None
    declared = declared or _meta(tree, "og:locale", "content-language", "language")
    if not declared:
        for meta in tree.css("meta[http-equiv]"):
            if (meta.attributes.get("http-equiv") or "").lower() == "content-language":
                declared = meta.attributes.get("content")
    return normalise_language(declared)
