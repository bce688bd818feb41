"""HTML to plain text that keeps an article's structure: one line per block, tables as pipe rows.

The extractor reads sentences line by line and tables as "cell | cell |" rows, so paragraphs,
headings and list items become lines and each table row becomes one pipe-delimited line.

Only the article is kept: the <main> or <article> element when the page has one, without page
furniture (navigation, scripts, cookie banners, related links, comments, sharing buttons), which
is recognised by its element, its ARIA role or the words of its class and id. Rules were preferred
to a general main-content extractor after comparing them on boilerplate-heavy pages
(benchmarks/html_main_text.py): the rules keep every table row and every short paragraph.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from .language import normalise_language

# Page furniture, not article text.
_DROPPED = (
    "script, style, nav, footer, header, aside, noscript, template, svg, iframe, button, dialog, "
    "[hidden], [aria-hidden=true], [role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
    "[role=dialog], [role=alertdialog]"
)
# Words of a class or id that name furniture ("cookie-banner", "related_articles", "comments").
_FURNITURE_WORDS = frozenset(
    "cookie cookies consent gdpr related recommended comments comment share sharing social newsletter "
    "subscribe subscription promo advert advertisement ad ads sponsored breadcrumb breadcrumbs sidebar "
    "menu popup modal paywall outbrain taboola widget recent ticker toolbar masthead footer".split()
)
_CLASS_WORD = re.compile(r"[a-z]+")
_MIN_ARTICLE_CHARS = 200  # an <article> shorter than this is a teaser, not the article
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
    publisher: str | None = None
    url: str | None = None  # the canonical URL


def html_to_text(html: str) -> HtmlContent:
    tree = LexborHTMLParser(html)
    linked = _json_ld(tree)
    title = _title(tree, linked)
    published = _published(tree, linked)
    language = _language(tree)
    publisher = _meta(tree, "og:site_name", "application-name", "publisher", "dc.publisher") or linked.get("publisher")
    url = _canonical(tree) or _meta(tree, "og:url") or linked.get("url")
    for node in tree.css(_DROPPED):
        node.decompose()
    for node in tree.css("[class], [id]"):
        if _is_furniture(node):
            node.decompose()
    lines: list[str] = []
    root = _main_content(tree)
    if root is not None:
        _LineWriter(lines).write(root)
    return HtmlContent("\n".join(lines), title, published, language, publisher, url)


def _is_furniture(node) -> bool:
    attrs = node.attributes
    words = set(_CLASS_WORD.findall(f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()))
    return bool(words & _FURNITURE_WORDS)


def _main_content(tree):
    """The page's <main> when it has text; else the <article> holding the most text, when it is long
    enough not to be a teaser; else the whole body."""
    for selector, minimum in (("main, [role=main]", 1), ("article", _MIN_ARTICLE_CHARS)):
        candidates = [(len(node.text(deep=True, strip=True)), -index, node) for index, node in enumerate(tree.css(selector))]
        if candidates:
            length, _, node = max(candidates, key=lambda c: c[:2])
            if length >= minimum:
                return node
    return tree.body


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


def _title(tree, linked: dict) -> str | None:
    node = tree.css_first("title")
    title = _collapse(node.text()).strip() if node is not None else ""
    if not title:
        title = _meta(tree, "og:title", "twitter:title") or linked.get("headline") or ""
    if not title:
        heading = tree.css_first("h1")
        title = _collapse(heading.text()).strip() if heading is not None else ""
    return title or None


def _published(tree, linked: dict) -> str | None:
    value = _meta(tree, *_PUBLISHED_META) or linked.get("datePublished")
    if value:
        return value
    for script in tree.css('script[type="application/ld+json"]'):
        match = _LD_PUBLISHED.search(script.text() or "")  # JSON-LD too broken to parse still has its date
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


def _canonical(tree) -> str | None:
    for link in tree.css("link[rel][href]"):
        if "canonical" in (link.attributes.get("rel") or "").lower().split():
            return (link.attributes.get("href") or "").strip() or None
    return None


_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "blogposting", "report", "pressrelease", "webpage"}


def _json_ld(tree) -> dict:
    """headline, datePublished, publisher (a name) and url of the page's JSON-LD article, if any."""
    found: dict = {}
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for node in _ld_nodes(data):
            types = node.get("@type")
            types = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            if not types & _ARTICLE_TYPES:
                continue
            publisher = node.get("publisher")
            if isinstance(publisher, list):
                publisher = publisher[0] if publisher else None
            values = {
                "headline": node.get("headline") or node.get("name"),
                "datePublished": node.get("datePublished") or node.get("dateCreated"),
                "publisher": publisher.get("name") if isinstance(publisher, dict) else publisher,
                "url": node.get("url") or _id_of(node.get("mainEntityOfPage")),
            }
            for key, value in values.items():
                if isinstance(value, str) and value.strip() and key not in found:
                    found[key] = value.strip()
    return found


def _ld_nodes(data) -> list[dict]:
    if isinstance(data, list):
        return [node for item in data for node in _ld_nodes(item)]
    if not isinstance(data, dict):
        return []
    graph = data.get("@graph")
    return [data] + (_ld_nodes(graph) if isinstance(graph, list) else [])


def _id_of(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else None
