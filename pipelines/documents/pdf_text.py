"""PDF to text, page by page, with pdfplumber: tables as pipe rows where they sit, two columns in
reading order.

The page count and password protection are checked with pdfium first: it opens a document of any
length at once, where pdfplumber would build every page before the limit could be applied.
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

from .errors import UnreadableDocument
from .limits import Deadline, Limits

# Not \s, which would also match the no-break spaces inside figures ("81\u202f502").
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# A gutter is looked for in the middle of the page, where two columns meet.
_GUTTER_RANGE = (0.3, 0.7)
_GUTTER_STEP = 2.0
_MIN_SIDE_BY_SIDE = 3  # lines with words on both sides of the gutter
_FILLED = 0.6  # a column of prose fills most of its width; label/value layouts do not
_PROSE_WORDS = 4  # nor does a column of values: prose has several words on each line
_LINE_TOLERANCE = 3.0
_WRAP_SLACK = 0.15  # a wrapped line ends within this share of the text width from the right edge
_PARAGRAPH_GAP = 0.8  # lines of one paragraph are closer than this many line heights
_WRAPPED_WORDS = 6  # a wrapped line of prose has at least this many words; a label and its value fewer
# Words closer than this across the gutter belong to one line of text, not to two columns: a space,
# even stretched by justification, is narrower than the gap between columns.
_MIN_COLUMN_GAP = 12.0


@dataclass(frozen=True)
class PdfContent:
    pages: tuple[str, ...]  # the text of each page, in page order (empty for a page without text)
    title: str | None
    created: str | None  # the raw CreationDate, e.g. "D:20250821093000+02'00'"


def count_pages(raw: bytes) -> int:
    """The number of pages, without parsing them; rejects password-protected and damaged files."""
    # Imported here: only a PDF needs them, and every run's process imports the readers (0.1 s less).
    import pypdfium2
    import pypdfium2.raw as pdfium_raw

    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD:
            raise UnreadableDocument("password-protected PDF: it cannot be read without its password") from exc
        raise UnreadableDocument(f"corrupt PDF: {_pdfium_reason(exc)}") from exc
    try:
        return len(document)
    finally:
        document.close()


def pdf_to_text(raw: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> PdfContent:
    import pdfplumber

    limits = limits or Limits()
    deadline = deadline or limits.deadline()
    limits.check_pages(count_pages(raw))
    pages: list[str] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            metadata = pdf.metadata or {}
            for number, page in enumerate(pdf.pages, 1):
                deadline.check(f"after {number - 1} of {len(pdf.pages)} pages")
                text = _page_text(page)
                chars += len(text)
                limits.check_chars(chars, more=number < len(pdf.pages))
                pages.append(text)
                page.close()  # frees the page's parsed objects: memory stays flat however long the file
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise UnreadableDocument(_describe(exc)) from exc
    if not any(page.strip() for page in pages):
        raise UnreadableDocument("PDF has no text layer (scanned?)")
    return PdfContent(tuple(pages), _metadata_text(metadata.get("Title")), _metadata_text(metadata.get("CreationDate")))


def _page_text(page) -> str:
    return "\n".join(text for region in _reading_regions(page) if (text := _region_text(region)).strip())


def _region_text(page) -> str:
    # Text outside the tables keeps its reading order; each table replaces its own region, so the
    # figures in a table appear once, as rows, instead of once as loose words and once as rows.
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) if tables else page
    blocks = _paragraphs(outside.extract_text_lines(return_chars=False))
    for table in tables:
        rows = [_row(row) for row in table.extract()]
        blocks.append((table.bbox[1], "\n".join(row for row in rows if row)))
    blocks.sort(key=lambda block: block[0])
    return "\n".join(text for _, text in blocks if text.strip())


def _paragraphs(lines: list[dict]) -> list[tuple[float, str]]:
    """Lines wrapped inside a paragraph joined again: the extractor reads a sentence within one line.

    A line is continued by the next when it runs to the right edge of the text, holds enough words to
    be prose, and the next line follows at normal line spacing; a short line ends its paragraph (a
    title, a dateline, the last line), and rows of labels and values stay rows.
    """
    if not lines:
        return []
    right = max(line["x1"] for line in lines)
    left = min(line["x0"] for line in lines)
    reach = right - _WRAP_SLACK * (right - left)
    paragraphs: list[tuple[float, str]] = []
    previous = None
    for line in lines:
        text = line["text"].strip()
        if not text:
            continue
        height = line["bottom"] - line["top"]
        continues = (
            previous is not None and previous["x1"] >= reach
            and len(previous["text"].split()) >= _WRAPPED_WORDS
            and 0 <= line["top"] - previous["bottom"] <= _PARAGRAPH_GAP * height
        )
        if continues:
            top, joined = paragraphs[-1]
            if joined.endswith("-") and text[:1].islower() and joined[-2:-1].isalpha():
                paragraphs[-1] = (top, joined[:-1] + text)  # a word hyphenated at the line end
            else:
                paragraphs[-1] = (top, f"{joined} {text}")
        else:
            paragraphs.append((line["top"], text))
        previous = line
    return paragraphs


# --- two columns --------------------------------------------------------------------------------


def _reading_regions(page) -> list:
    """The page cut into regions read one after the other: the whole page when it has one column;
    otherwise full-width bands (titles, wide tables) and, between them, the left then the right column."""
    tables = [table.bbox for table in page.find_tables()]
    words = [w for w in page.extract_words() if not _inside(w, tables)]
    lines = _lines(words)
    gutter = _gutter(lines, page)
    if gutter is None:
        return [page]
    # Each line or table is full width when it crosses the gutter.
    items = [(top, bottom, _side(line, gutter) == "across") for top, bottom, line in lines]
    items += [(top, bottom, x0 < gutter < x1) for x0, top, x1, bottom in tables]
    items.sort()
    blocks: list[list] = []  # [top, bottom, full]
    for top, bottom, full in items:
        if blocks and blocks[-1][2] == full:
            blocks[-1][1] = max(blocks[-1][1], bottom)
        else:
            blocks.append([top, bottom, full])
    x0, page_top, x1, page_bottom = page.bbox
    regions = []
    for index, (top, bottom, full) in enumerate(blocks):
        upper = page_top if index == 0 else (blocks[index - 1][1] + top) / 2
        lower = page_bottom if index == len(blocks) - 1 else (bottom + blocks[index + 1][0]) / 2
        if lower <= upper:
            continue
        if full:
            regions.append(page.crop((x0, upper, x1, lower)))
        else:
            regions.append(page.crop((x0, upper, gutter, lower)))
            regions.append(page.crop((gutter, upper, x1, lower)))
    return regions


def _lines(words: list[dict]) -> list[tuple[float, float, list[dict]]]:
    lines: list[tuple[float, float, list[dict]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]) <= _LINE_TOLERANCE:
            top, bottom, members = lines[-1]
            lines[-1] = (top, max(bottom, word["bottom"]), members + [word])
        else:
            lines.append((word["top"], word["bottom"], [word]))
    return lines


def _gutter(lines, page) -> float | None:
    """The x of a vertical gap with prose on both sides, or None for a one-column page."""
    if len(lines) < _MIN_SIDE_BY_SIDE:
        return None
    x0, _, x1, _ = page.bbox
    width = x1 - x0
    best: tuple[int, float] | None = None
    x = x0 + width * _GUTTER_RANGE[0]
    while x <= x0 + width * _GUTTER_RANGE[1]:
        sides = [_side(words, x) for _, _, words in lines]
        crossing, side_by_side = sides.count("across"), sides.count("both")
        if side_by_side >= _MIN_SIDE_BY_SIDE and crossing * 2 <= side_by_side:
            if best is None or side_by_side - crossing > best[0]:
                best = (side_by_side - crossing, x)
        x += _GUTTER_STEP
    if best is None:
        return None
    gutter = best[1]
    if not (_prose(lines, gutter, left=True) and _prose(lines, gutter, left=False)):
        return None
    return gutter


def _side(words: list[dict], x: float) -> str:
    """Where a line lies against a vertical at x: "across" it (one run of text), on "both" sides with
    a gap (two columns), or on one side only ("left", "right")."""
    if any(w["x0"] < x < w["x1"] for w in words):
        return "across"
    left = [w["x1"] for w in words if w["x1"] <= x]
    right = [w["x0"] for w in words if w["x0"] >= x]
    if left and right:
        return "both" if min(right) - max(left) >= _MIN_COLUMN_GAP else "across"
    return "left" if left else "right"


def _prose(lines, gutter: float, left: bool) -> bool:
    """Whether the lines on one side of the gutter read as a column of prose: several words a line,
    filling most of the column's width. Labels and their values, aligned without rules, do not."""
    spans, counts = [], []
    for _, _, words in lines:
        side = [w for w in words if (w["x1"] <= gutter if left else w["x0"] >= gutter)]
        if side:
            spans.append((min(w["x0"] for w in side), max(w["x1"] for w in side)))
            counts.append(len(side))
    if not spans or statistics.median(counts) < _PROSE_WORDS:
        return False
    column = max(end for _, end in spans) - min(start for start, _ in spans)
    return column > 0 and statistics.median(end - start for start, end in spans) >= _FILLED * column


# --- helpers ------------------------------------------------------------------------------------


def _inside(obj: dict, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
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


def _pdfium_reason(exc: Exception) -> str:
    match = re.search(r"PDFium: ([^)]+)", str(exc))
    return (match.group(1) if match else str(exc)).strip().lower() or type(exc).__name__


def _describe(exc: Exception) -> str:
    causes = [exc, *getattr(exc, "args", ())]
    if any("password" in type(cause).__name__.lower() for cause in causes):
        return "password-protected PDF: it cannot be read without its password"
    message = str(exc).strip()
    return f"corrupt PDF: {message or type(exc).__name__}"
