"""Cutting a document into paragraphs, sentences, clauses and pipe-delimited tables, keeping offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import alternation
from .regex_programs import compile_regex

# A sentence ends at . ! ? … followed by a space and a capital, a quote, a dash or a digit; not after
# a number's decimal point nor after a short abbreviation. The gap between two sentences is the
# ``gap`` group. SENTENCE_END and CLAUSE_BREAK open on a character they consume: the regex engine then
# skips every other character without trying the pattern there.
SENTENCE_END = compile_regex(r"[.!?…](?P<gap>[\"»”)]*\s+)(?=[«\"“(\-–—]?\s?[A-ZÀ-ÖØ-Þ0-9])")
ABBREVIATIONS = compile_regex(r"(?:\b(?:M|Mme|Dr|St|No|Inc|Corp|Ltd|Co|env|vs|etc|p|av|apr|cf|ca|c|U\.S|approx|est|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|janv|févr|sept|oct|nov|déc)|\b[A-Z])\.$")
# A space, a dash or a contrast word and a space; a comma and a space; or ; : ( ) alone. The three
# open on different characters: which one applies is checked after the first character.
CONTRASTS = ["soit", "contre", "tandis que", "alors que", "mais", "while", "whereas", "but", "versus", "compared with"]
CLAUSE_BREAK = compile_regex(
    r"[;:(),\s](?:(?<=\s)(?:[-–—]|" + alternation([(re.escape(word), True) for word in CONTRASTS]) + r")\s"
    r"|(?<=,)\s|(?<=[;:()]))"
)
TABLE_RULE = compile_regex(r"^[\s|:\-–—+=]+$")
NOT_SPACE = compile_regex(r"\S")  # \s is exactly what str.strip() strips


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the paragraph it belongs to


@dataclass
class Table:
    start: int
    end: int
    paragraph: int
    rows: list[list[tuple[int, int]]] = field(default_factory=list)  # cell spans, header first
    has_header_rule: bool = False
    inline: bool = False  # a list after a colon inside a sentence; its header is the words before the colon


@dataclass
class Layout:
    sentences: list[Sentence]
    tables: list[Table]
    paragraphs: list[tuple[int, int]]
    # paragraph index of a bullet -> the heading line its list hangs from ("Perspectives 2025", "Outlook")
    headings: dict[int, tuple[int, int]] = field(default_factory=dict)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans of one pipe-delimited line, trimmed; the empty cells outside the edge pipes dropped."""
    spans, cursor = [], start
    for piece in text[start:end].split("|"):
        stop = cursor + len(piece)
        left = cursor + (len(piece) - len(piece.lstrip()))
        right = stop - (len(piece) - len(piece.rstrip()))
        spans.append((left, max(left, right)))
        cursor = stop + 1
    while spans and spans[-1][0] == spans[-1][1]:
        spans.pop()
    if spans and spans[0][0] == spans[0][1] and text[start:end].lstrip().startswith("|"):
        spans.pop(0)
    return spans


# Each figure of a sentence is weighed against every cue and figure of it: text without sentence
# punctuation (figures dumped in a row, a list run together) made one sentence of a whole document,
# and that work the square of its length (hours for a few megabytes). Real sentences stay far below
# (the longest of the real-world set is 428 characters); a longer one is cut at its last clause mark,
# else its last space, before the limit.
MAX_SENTENCE_CHARS = 2_000
CUT_AT = (". ", "; ", ", ", " ")


def split_sentences(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    sentences, cursor = [], start
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.start("gap")
        if text[stop - 1] == "." and ABBREVIATIONS.search(text, max(start, stop - 6), stop):
            continue  # an abbreviation ends on its full stop
        sentences.extend(_bounded(text, cursor, stop, paragraph))
        cursor = match.end()
    if cursor < end:
        sentences.extend(_bounded(text, cursor, end, paragraph))
    return [s for s in sentences if NOT_SPACE.search(text, s.start, s.end)]


def _bounded(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """The sentence [start, end), cut into pieces of at most MAX_SENTENCE_CHARS."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = next((found + len(mark) for mark in CUT_AT if (found := text.rfind(mark, start + MAX_SENTENCE_CHARS // 2, limit)) > 0), limit)
        pieces.append(Sentence(start, cut, paragraph))
        start = cut
    pieces.append(Sentence(start, end, paragraph))
    return pieces


# A line broken inside a sentence (text wrapped at a fixed width, as in releases and PDFs): it ends on no
# sentence punctuation and the next line goes on in lower case or with a number, or it ends on a word that
# cannot end a sentence.
OPEN_END = compile_regex(r"(?:[^.!?:;\"»”)|\s]|(?<![\w])(?:at|of|in|to|and|or|the|a|an|for|with|by|from|on|de|du|des|la|le|les|à|au|aux|et|ou|en|sur|par|pour|avec))[ \t]*\Z", re.IGNORECASE)
FUNCTION_END = compile_regex(r"(?<![\w])(?:at|of|in|to|and|or|the|a|an|for|with|by|from|on|de|du|des|la|le|les|à|au|aux|et|ou|en|sur|par|pour|avec)[ \t]*\Z", re.IGNORECASE)
GOES_ON = compile_regex(r"[ \t]*[a-zà-ÿ0-9]")


BULLET = compile_regex(r"[ \t]*[•▪·*–-][ \t\u00a0]+\S")
HEADING_CHARS = 120
# A figure, as opposed to a year or a day: a percentage, a currency, three digits or more that are no year.
FIGURE_IN_HEADING = compile_regex(r"%|[€$£¥]|(?<![\d.,])(?!(?:19|20)\d\d(?!\d))\d{3,}|\d[.,]\d")


def _lines(text: str) -> list[tuple[int, int]]:
    """The text's lines as (start, end), a line wrapped inside a sentence joined to the next."""
    lines: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if lines and line.strip() and "|" not in line and lines[-1][1] > lines[-1][0]:
            previous = lines[-1]
            tail = max(previous[0], previous[1] - 16)  # how a line ends is in its last few characters
            if OPEN_END.search(text, tail, previous[1]) and "|" not in text[previous[0] : previous[1]] and (
                    GOES_ON.match(text, start) or FUNCTION_END.search(text, tail, previous[1])):
                lines[-1] = (previous[0], end)
                continue
        lines.append((start, end))
    return lines


def layout(text: str) -> Layout:
    """Paragraphs are lines (a line wrapped inside a sentence goes on on the next); runs of lines with two
    or more pipes are tables."""
    sentences: list[Sentence] = []
    tables: list[Table] = []
    paragraphs: list[tuple[int, int]] = []
    headings: dict[int, tuple[int, int]] = {}
    heading: tuple[int, int] | None = None
    table: Table | None = None
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            table = None
            continue
        if stripped.count("|") >= 2 or (table is not None and "|" in stripped):
            if table is None:
                table = Table(start, end, len(paragraphs))
                tables.append(table)
                paragraphs.append((start, end))
            table.end = end
            paragraphs[-1] = (paragraphs[-1][0], end)
            if TABLE_RULE.match(stripped):
                table.has_header_rule = True
                continue
            table.rows.append(_cells(text, start, end))
            continue
        table = None
        paragraphs.append((start, end))
        if BULLET.match(line):
            if heading is not None:
                headings[len(paragraphs) - 1] = heading
        else:
            # A short capitalised line that states no figure and ends no sentence heads the bullets under it
            # (not a bullet's wrapped line).
            heading = (start, end) if len(stripped) <= HEADING_CHARS and stripped[0].isupper() \
                and stripped[-1] not in ".!?;," and not FIGURE_IN_HEADING.search(stripped) else None
        lead = len(line) - len(line.lstrip(" \t-*•–"))
        for sentence in split_sentences(text, start + lead, end, len(paragraphs) - 1):
            listed = _colon_list(text, sentence) if text.find(";", sentence.start, sentence.end) >= 0 else None
            if listed is not None:
                sentences.append(Sentence(sentence.start, listed.start, sentence.paragraph))
                tables.append(listed)
            else:
                sentences.append(sentence)
    return Layout(sentences, tables, paragraphs, headings)


# One item of a list after a colon: "Leapmotor, 66 657", "Xiaomi, plus de 40 000", "and NIO, 34,749".
LIST_ITEM = compile_regex(r"[\s\u00a0\u202f]*(?P<label>[^\W\d_][^,;:()]{0,40}?)[\s\u00a0\u202f]*,[\s\u00a0\u202f]+"
                       r"(?P<value>[^,;:()\s][^;:()]{0,30}?)[\s\u00a0\u202f]*[.!…]?[\s\u00a0\u202f]*")


def _colon_list(text: str, sentence: Sentence) -> Table | None:
    """"... leurs livraisons de septembre : Leapmotor, 66 657 ; XPeng, 41 581 ; NIO, 34 749.": a list
    after a colon, each item a label and a figure, read as a table whose header is the words before the
    colon (they name the metric and period). None unless every item has that shape."""
    first_semicolon = text.find(";", sentence.start, sentence.end)
    colon = text.rfind(":", sentence.start, first_semicolon)
    if colon < 0:
        return None
    rows, cursor = [], colon + 1
    while cursor < sentence.end:
        stop = text.find(";", cursor, sentence.end)
        stop = sentence.end if stop < 0 else stop
        item = LIST_ITEM.fullmatch(text, cursor, stop)
        if item is None or not any(ch.isdigit() for ch in item.group("value")):
            return None
        rows.append([item.span("label"), item.span("value")])
        cursor = stop + 1
    if len(rows) < 2:
        return None
    caption = (sentence.start, colon)
    while caption[1] > caption[0] and text[caption[1] - 1].isspace():
        caption = (caption[0], caption[1] - 1)
    return Table(colon + 1, sentence.end, sentence.paragraph, [[caption]] + rows, inline=True)


def clause_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets where a sentence's clauses meet: figures on either side are read apart."""
    return [m.start() for m in CLAUSE_BREAK.finditer(text, start, end)]
