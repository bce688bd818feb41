"""Publication dates: from metadata values and from a dateline at the top of an article.

Only the first lines are searched and only for a date introduced as a dateline: a year mentioned
in the body ("les ventes de 2025") says nothing about when the article was published.
"""

from __future__ import annotations

import datetime
import functools
import re

DATELINE_WINDOW = 600

_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre"
    r"|janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep"
)
_WEEKDAYS = (
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
)
_DATE = (
    r"(?:\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}"
    rf"|(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\.?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# The shapes of _DATE other than ISO, with their parts named: read directly, they need no parser.
_SHAPES = [re.compile(shape, re.IGNORECASE) for shape in (
    r"(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})",
    rf"(?P<day>1er|\d{{1,2}})\s+(?P<name>{_MONTHS})\.?\s+(?P<year>\d{{4}})",
    rf"(?P<name>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})",
)]
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate([
        "janvier janv january jan", "février fevrier févr fevr fév fev february feb", "mars march mar",
        "avril avr april apr", "mai may", "juin june jun", "juillet juil july jul", "août aout august aug",
        "septembre sept september sep", "octobre oct october", "novembre nov november",
        "décembre decembre déc dec december",
    ], start=1)
    for name in names.split()
}
_TIME = r"(?:\s*(?:,|à|at|-|–)?\s*\d{1,2}\s*[h:]\s*\d{0,2}(?:\s*(?:am|pm|[A-Z]{3,4}))?)?"

_PUBLISHED = re.compile(
    rf"\b(?:publi[ée]e?|published|posted|parution|date)\b[^\n]{{0,40}}?(?P<date>{_DATE})",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    rf"\b(?:mis[e]? à jour|actualis[ée]e?|updated|last updated)\b[^\n]{{0,40}}?(?P<date>{_DATE})",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    rf"^[ \t]*(?:(?:{_WEEKDAYS})\.?,?\s+)?(?:le\s+|on\s+)?(?P<date>{_DATE}){_TIME}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_PDF_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})(\d{2})")
# Datelines and metadata state absolute dates: dateparser's relative ("yesterday"), timestamp and
# other parsers, tried first otherwise, never apply, and took a third of its time.
_SETTINGS = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]}


def find_dateline(text: str) -> datetime.date | None:
    """The publication date stated near the top of an article, if any."""
    head = text[:DATELINE_WINDOW]
    for pattern in (_PUBLISHED, _DATE_LINE, _UPDATED):
        for match in pattern.finditer(head):
            found = parse_date(match.group("date"))
            if found is not None:
                return found
    return None


def parse_date(value: object) -> datetime.date | None:
    """A date from a metadata value: a date object, ISO 8601, a PDF date or free text."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    for pattern in (_ISO_DATE, _PDF_DATE):
        match = pattern.match(value)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return _dateline_date(value.strip()) or _free_text_date(value.strip())


def _dateline_date(value: str) -> datetime.date | None:
    """A date written in one of the dateline shapes (day first when in figures), read directly: starting
    dateparser costs a third of a second, and reading every dateline with it was a quarter of the time
    spent reading articles. Anything else, or an impossible date, is left to dateparser."""
    for shape in _SHAPES:
        match = shape.fullmatch(value)
        if match:
            parts = match.groupdict()
            month = _MONTH_NUMBERS[parts["name"].lower()] if "name" in parts else int(parts["month"])
            day = 1 if parts["day"].lower() == "1er" else int(parts["day"])
            try:
                return datetime.date(int(parts["year"]), month, day)
            except ValueError:
                return None
    return None


def _free_text_date(value: str) -> datetime.date | None:
    parsed = _free_text_parser().get_date_data(value).date_obj
    return parsed.date() if parsed else None


@functools.cache
def _free_text_parser():
    from dateparser.date import DateDataParser  # 50 ms to import, and most runs never need it

    # One parser for the process: `dateparser.parse` builds its languages and settings again at every
    # call, which made reading a short article twice as slow.
    return DateDataParser(languages=["fr", "en"], settings=_SETTINGS)
