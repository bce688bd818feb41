"""Periods: the time a figure is for (quarters, halves, years, months, as-of dates), found in text."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import NamedTuple

from .lexicon import (
    BODY_TOKEN, LATIN1, Lexicon, alternation_branches, phrase_body, phrase_pattern, prefix_tree, within_ignore_case,
)
from .regex_programs import compile_regex

SP = r"[\s\u00a0\u202f]"
RANKS = {"Y": 0, "YTD": 1, "H": 1, "Q": 2, "M": 3, "D": 4}


@dataclass(frozen=True, order=True)
class Period:
    """``grain`` is one of Y (year), H (half), Q (quarter), M (month), D (as-of date), YTD."""

    year: int
    grain: str
    number: int = 0  # the half, quarter or month; for D the month
    day: int = 0

    @cached_property  # asked for by every claim; a period is immutable
    def label(self) -> str:
        if self.grain == "Y":
            return f"{self.year}"
        if self.grain in ("H", "Q"):
            return f"{self.year}-{self.grain}{self.number}"
        if self.grain == "M":
            return f"{self.year}-{self.number:02d}"
        if self.grain == "YTD":
            return f"{self.year}-YTD-{self.number:02d}"
        return f"{self.year}-{self.number:02d}-{self.day:02d}"

    @property
    def rank(self) -> int:
        """How specific: a year is the least, a day the most."""
        return RANKS[self.grain]

    def last_month(self) -> int:
        return {"Y": 12, "H": 6 * self.number, "Q": 3 * self.number}.get(self.grain, self.number)

    def end_date(self) -> "Period":
        """The day the period runs to (the as-of date of a cumulative figure)."""
        if self.grain == "D":
            return self
        month = self.last_month()
        return Period(self.year, "D", month, calendar.monthrange(self.year, month)[1])

    def months(self) -> tuple[int, int]:
        last = self.last_month()
        first = {"Y": 1, "H": last - 5, "Q": last - 2, "YTD": 1}.get(self.grain, last)
        return first, last

    def contains(self, other: "Period") -> bool:
        if self.year != other.year:
            return False
        first, last = self.months()
        other_first, other_last = other.months()
        return first <= other_first and other_last <= last

    def shift(self, years: int = 0, quarters: int = 0, months: int = 0) -> "Period":
        if quarters and self.grain == "Q":
            index = self.year * 4 + self.number - 1 + quarters
            return Period(index // 4, "Q", index % 4 + 1)
        if months and self.grain == "M":
            index = self.year * 12 + self.number - 1 + months
            return Period(index // 12, "M", index % 12 + 1)
        if quarters or months:
            # A quarter back from a year or half has no clean meaning: step back one of its own units.
            return self.previous()
        return Period(self.year + years, self.grain, self.number, self.day)

    def previous(self) -> "Period":
        if self.grain == "Q":
            return self.shift(quarters=-1)
        if self.grain == "M":
            return self.shift(months=-1)
        if self.grain == "H":
            return Period(self.year - (self.number == 1), "H", 2 if self.number == 1 else 1)
        return Period(self.year - 1, self.grain, self.number, self.day)

    def in_year(self, year: int) -> "Period":
        """The same span of another year ("la même période de 2024"); 29 February becomes the 28th."""
        day = min(self.day, calendar.monthrange(year, self.number)[1]) if self.grain == "D" else self.day
        return Period(year, self.grain, self.number, day)


# Hashed by value as a frozen one would be, but not frozen: many are built per text, and a frozen
# dataclass's __init__ sets each field through a call. Treated as immutable all the same.
@dataclass(unsafe_hash=True)
class PeriodMention:
    start: int
    end: int
    period: Period | None  # None for a relative phrase
    shift: tuple[int, int, int] = (0, 0, 0)  # years, quarters, months (relative phrases)
    explicit_year: bool = True
    as_of: bool = False  # "by the end of July 2025", "au 30 juin 2025": the day a running total runs to
    in_year: int | None = None  # "la même période de 2024": the period in context, in that year
    since: bool = False  # "depuis fin 2022": when a streak began, not what a figure is for
    # The grain a phrase takes from the period in context: "Y" ("sur l'année", "next year" with shift
    # +1 year), "P" (the period itself: "sur la période"), "Q", "H", "M" ("in the quarter"). A "Y"
    # phrase also carries the reading of the default year as its period.
    context: str = ""
    to_date: bool = False  # "depuis le début de l'année": year to date, up to the month in context
    # A quarter, half or month written without its year, dated by the publication date: the latest such
    # period at or before it ("in the second quarter" in an article of July 2025 is 2025-Q2).
    dated: bool = False
    deictic: bool = False  # "last year", "cette année": from the publication date (see the lexicon)


def dated_by_publication(mention: PeriodMention, published) -> PeriodMention:
    """A mention without its year, dated by the publication date: the latest quarter, half or month that
    has begun by then; a year-to-date span the latest one that has ended ("the first nine months" in
    February 2026 are those of 2025)."""
    period = mention.period
    if period is None or mention.explicit_year or mention.context or mention.to_date or period.grain not in ("Q", "H", "M", "YTD"):
        return mention
    first, last = period.months()
    month = first if period.grain != "YTD" else last + 1
    year = published.year if month <= published.month else published.year - 1
    return replace(mention, period=period.in_year(year), dated=True)


@lru_cache(maxsize=1024)  # a document restates the same few periods
def parse_label(label: str) -> Period | None:
    """The Period for a label such as "2025-Q2", "2025", "2025-06" or "2025-06-30"."""
    match = re.fullmatch(r"(\d{4})(?:-(Q|H)([1-4])|-YTD-(\d\d)|-(\d\d)(?:-(\d\d))?)?", label or "")
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2):
        return Period(year, match.group(2), int(match.group(3)))
    if match.group(4):
        return Period(year, "YTD", int(match.group(4)))
    if match.group(6):
        return Period(year, "D", int(match.group(5)), int(match.group(6)))
    if match.group(5):
        return Period(year, "M", int(match.group(5)))
    return Period(year, "Y")


YEAR = r"((?:19|20)\d\d|'\d\d|’\d\d)"
YEAR_TEXT = compile_regex(r"(?:19|20)\d\d|['’]\d\d")
DIGITS = compile_regex(r"\d+")
DIGIT = compile_regex(r"\d")
SPACES = compile_regex(r"\s+")
UNREAD = object()
# Before a yearless "Q3", a brand or an article makes it a name: "Audi Q4", "the Q3 trim", "la finition T3".
NAME_BEFORE = compile_regex(r"(?:(?<!\w)(?:the|a|an|le|la|une|un|trim|finition)|(?<!\w)(?!(?:In|For|During|Over|By|From|And|Its|Their|Of|To|Until|Through|Since|Than|Vs)\b)[A-Z][\w-]*(?<!'s))[\s\u00a0]+\Z")
DAY_BEFORE = compile_regex(r"(?<!\d)(?:[0-3]?\d|1er)[\s\u00a0]+\Z")
DAY_AFTER = compile_regex(r"[\s\u00a0]+[0-3]?\d(?:st|nd|rd|th)?(?!\d|[\s\u00a0]*(?:%|percent|per|,\d))")
YEARLESS_PREFIXES = frozenset({"Q", "H"})  # in capitals, "Q4" and "H1" are periods even without a year
SPAN_OPENING = compile_regex(r"(?i)(?<!\w)(?:between|entre|from|de|d['’]|du)[\s\u00a0]*\Z")
AMBIGUOUS_MONTHS = frozenset({"may", "mai", "mars", "march"})
MONTH_PREPOSITION = compile_regex(r"(?i)(?<!\w)(?:in|en|from|since|to|until|through|de|d['’]|à|depuis|mois\s+de|fin|début|mi-?)[\s\u00a0]+\Z")
READINGS_CACHED = 4096


class Reading(NamedTuple):
    """What a period phrase says, wherever it stands: a PeriodMention without its span."""

    period: Period | None
    shift: tuple[int, int, int] = (0, 0, 0)
    explicit_year: bool = True
    as_of: bool = False
    in_year: int | None = None
    context: str = ""
    to_date: bool = False
    deictic: bool = False


class PeriodFinder:
    def __init__(self, lexicon: Lexicon, language: str):
        self._readings: dict[tuple, Reading | None] = {}
        periods = lexicon.periods
        by = lambda key: lexicon.by_language(periods.get(key, {}), language)  # noqa: E731
        self.ordinals = {k.lower(): v for k, v in by("ordinals").items()}
        self.months = {k.lower(): v for k, v in by("months").items()}
        # Read only next to a year: "Aug", "sept", "dec" alone are too often other words.
        self.abbreviations = {k.lower(): v for k, v in (by("month_abbreviations") or {}).items()}
        # The phrase alternations below sit inside the pattern's case-insensitive part.
        cased_first = lambda phrases: within_ignore_case(phrase_pattern(phrases))  # noqa: E731
        ordinal = cased_first(self.ordinals)
        quarter = cased_first(by("quarter_words"))
        half = cased_first(by("half_words"))
        month = cased_first({**self.abbreviations, **self.months})
        # "of 2025", "de l'année 2025", and the day it ended: "the third quarter ended September 30, 2025".
        ended = rf"{SP}+(?:ended|ending|clos|clôturé|achevé)(?:{SP}+(?:on|le))?{SP}+(?:[^\W\d_]+\.?{SP}+\d{{1,2}},?|\d{{1,2}}(?:er)?{SP}+[^\W\d_]+\.?){SP}+"
        of_year = rf"(?:(?:{ended}|{SP}+(?:de{SP}+l['’]année{SP}+|de{SP}+l['’]exercice{SP}+|de{SP}+|d['’]|of{SP}+(?:fiscal{SP}+)?|fiscal{SP}+)?){YEAR})?"
        qp = "".join(by("quarter_prefixes"))
        hp = "".join(by("half_prefixes"))
        self.relative = {re.sub(r"\s+", " ", k.lower()).replace("’", "'"): v for k, v in by("relative").items()}
        # "sur l'année", "full-year" may name their year: "full-year 2024".
        this_year = [k for k, v in by("relative").items() if v.get("this") == "Y"]
        # "sur la période", "in the quarter": the period in context, or its quarter, half or month.
        this_period = [k for k, v in by("relative").items() if v.get("this") not in (None, "Y")]
        other_relative = [k for k, v in by("relative").items() if not v.get("this")]
        same_period = by("same_period")
        since = by("since")
        # Checked right before a period, so it costs no scan of its own; most periods have none of
        # these words before them, which a substring test rules out before the regex runs.
        self.since_words = tuple({phrase.split()[0].lower() for phrase in since})
        self.since = compile_regex(
            rf"(?<!\w){phrase_pattern(since)}(?:{SP}+(?:le|la|les|the))?{SP}*\Z"
        ) if since else None
        self.month_counts = {k.lower(): v for k, v in by("month_counts").items()}
        count = rf"(?:\d{{1,2}}|{cased_first(self.month_counts)})"
        as_of = cased_first(by("as_of"))
        count_labels = cased_first(by("month_count_labels") or ["mois", "months"])
        day = r"(?:[0-3]?\d)(?:er|st|nd|rd|th)?"
        digit = lambda words: any(DIGIT.match(word) for word in words)  # noqa: E731 - a word opening on a digit
        # (pattern, whether it can open on a digit), in the order they are tried.
        patterns = [
            # A day: "30 juin 2025", "September 30, 2025", optionally after "au" / "as of".
            (rf"(?:(?P<asof>{as_of}){SP}+(?:the{SP}+|le{SP}+)?)?(?:(?P<dday>{day}){SP}+(?P<dmonth>{month})|(?P<dmonth2>{month}){SP}+(?P<dday2>{day}),?){SP}+{YEAR}", True),
            # The end of a month a running total is counted to: "by the end of July 2025", "à fin juin 2025".
            (rf"(?P<asofm>{as_of}){SP}+(?P<emonth>{month})(?:{SP}+(?:de{SP}+)?{YEAR})", digit(by("as_of"))),
            (rf"(?P<ytdn>{count}){SP}+premiers{SP}+mois(?:{SP}+(?:de{SP}+l['’]année{SP}+|de{SP}+|d['’])?{YEAR})?", True),
            (rf"first{SP}+(?P<ytdn2>{count}){SP}+months(?:{SP}+of{SP}+(?:the{SP}+year{SP}+)?{YEAR})?", False),
            # A month count and its year, as tables label year to date: "9M 2025", "Neuf mois 2025".
            (rf"(?P<ytdn3>{count}){SP}*(?:{count_labels}){SP}+(?:de{SP}+|d['’]|of{SP}+)?{YEAR}", True),
            # "the three months ended June 30, 2025", "les neuf mois clos le 30 septembre": a span by its end.
            (rf"(?P<spann>{count}|twelve|douze){SP}+(?:months|mois){SP}+(?:ended|ending|to|through|clos|achevés|terminés|arrêtés)"
             rf"{SP}+(?:in{SP}+|on{SP}+|le{SP}+|au{SP}+|fin{SP}+)?(?:(?P<spand>{day}){SP}+)?(?P<spanm>{month})(?:{SP}+{day})?(?:,?{SP}+(?:de{SP}+)?{YEAR})?", True),
            # "the last three months of the year", "les trois derniers mois de 2024": the fourth quarter.
            (rf"(?P<lastq>(?:the{SP}+)?(?:last|final){SP}+three{SP}+months{SP}+of{SP}+(?:the{SP}+year|{YEAR})|trois{SP}+derniers{SP}+mois{SP}+"
             rf"(?:de{SP}+l['’](?:année|exercice)|de{SP}+{YEAR}))", False),
            # "from January to April", "between April and June", "the July-September quarter", "entre avril et juin".
            (rf"(?P<fromm>{month})(?:-to-|-à-|{SP}*(?:-|–|to|through|à|au){SP}*)(?P<tom>{month})(?:,?{SP}+(?:de{SP}+)?{YEAR})?", False),
            # "the 2025 first half", "2025 third quarter": the year before the ordinal.
            (rf"{YEAR}{SP}+(?P<hord2>{ordinal})(?:{SP}+|-)(?:{half})", True),
            (rf"{YEAR}{SP}+(?P<qord2>{ordinal})(?:{SP}+|-)(?:{quarter})", True),
            # "and" / "et" join two months of a span only after "between" / "entre" ("in March and April" are two).
            (rf"(?:(?<=between )|(?<=entre )|(?<=between\u00a0)|(?<=entre\u00a0))(?P<fromm2>{month}){SP}+(?:and|et){SP}+(?P<tom2>{month})(?:,?{SP}+(?:de{SP}+)?{YEAR})?", False),
            (rf"(?P<qabbr>[{qp}])(?P<qn>[1-4])(?:{SP}+of{SP}+(?:fiscal{SP}+)?{YEAR}|{SP}?(?:-|/)?{SP}?(?:FY)?{YEAR}?)(?!\w)", digit(qp)),
            (rf"{YEAR}{SP}?(?P<qabbr2>[{qp}])(?P<qn2>[1-4])(?!\w)", True),
            (rf"(?P<hord>{ordinal})(?:{SP}+|-)(?:{half}){of_year}", digit(self.ordinals)),
            (rf"(?P<habbr>[{hp}])(?P<hn>[12])(?:{SP}+of{SP}+(?:fiscal{SP}+)?{YEAR}|{SP}?(?:-|/)?{SP}?{YEAR}?)(?!\w)", digit(hp)),
            (rf"(?P<qord>{ordinal})(?:{SP}+|-)(?:{quarter}){of_year}", digit(self.ordinals)),
            (rf"(?P<ytd>{cased_first(by('year_to_date'))})", digit(by("year_to_date"))),
            (rf"(?P<month>{month})(?:{SP}+(?:de{SP}+)?{YEAR})?", digit(self.months)),
            (rf"(?:FY{SP}?)(?P<fy>(?:19|20)?\d\d)", False),
            (rf"(?P<thisy>{cased_first(this_year)})(?:{SP}+{YEAR})?", digit(this_year)),
            (rf"(?P<same>{cased_first(same_period)}){SP}+(?:de{SP}+l['’]année{SP}+|de{SP}+|d['’]|of{SP}+|in{SP}+|en{SP}+)?{YEAR}", digit(same_period)),
            (rf"(?P<relative>{cased_first(other_relative)})", digit(other_relative)),
            # Not before a year: "over the same month of 2024" is the same month of 2024.
            (rf"(?P<thisp>{cased_first(this_period)})(?!{SP}+(?:of{SP}+|de{SP}+|d['’])?(?:19|20)\d\d)", digit(this_period)),
            (r"(?P<year>(?:19|20)\d\d)", True),
        ]
        # Most phrases tried open on a digit (a figure): a pattern that cannot is skipped there at once.
        alternatives = "|".join(f"(?:{p})" if opens_on_digit else rf"(?!\d)(?:{p})" for p, opens_on_digit in patterns)
        self.regex = compile_regex(rf"(?<![\w]){self._opening(by, qp + hp)}(?i:{alternatives})(?![\w])")

    def _opening(self, by, prefixes: str) -> str:
        """A lookahead on how a period can open, so that the scan skips every other word cheaply.

        A period opens on a day or month count (one or two digits), a year (19xx, 20xx, '25), a quarter
        or half prefix and its digit (T2, H1), FY, or a lexicon word followed by a space, a hyphen or
        the end of the period. These sit in one alternation outside the case-insensitive part of the
        pattern, where the engine rejects a branch on its first character; a digit or any other
        character outside Latin-1 goes on to the full pattern. The words behind each first character
        share their openings ("the same period", "the same quarter"): common words such as "the" and
        "a" are rejected after one reading instead of one per phrase.
        """
        words = [*self.ordinals, *self.months, *self.abbreviations, *self.relative, *self.month_counts, *by("as_of"),
                 *by("year_to_date"), *by("same_period"), "first", "twelve", "douze"]
        prefix = compile_regex(f"[{prefixes}]", re.IGNORECASE)
        # A day or a month count is followed by a space, a suffix ("1er", "3rd") or a count label ("9M"):
        # the many numbers followed by a point, a comma or a sign ("2,5", "12%") are rejected here.
        labels = by("month_count_labels") or ["mois", "months"]
        others = "".join(sorted({re.escape(label[0]) for label in labels if label and not label[0].isalpha()}))
        followed = rf"(?=[\s\u00a0\u202f]|[^\W\d_]{'|[' + others + ']' if others else ''})"
        openings = [(digit + r"\d?" + followed, False) for digit in "0123456789"]
        openings += [(digit + r"[09]\d\d", False) for digit in "12"]
        openings += [(r"['’]\d", False), ("FY", True)]
        openings += [(re.escape(ch) + r"\d", False) for ch in LATIN1 if prefix.fullmatch(ch)]
        openings += [(first + prefix_tree(rests, r"(?!\w)"), True) for first, rests in _by_first_piece(words).items()]
        return "(?=" + "|".join(alternation_branches(openings) + [r"[^\x00-\xff]"]) + ")"

    def find(self, text: str, start: int = 0, end: int | None = None, default_year: int | None = None) -> list[PeriodMention]:
        return self.resolve(self.scan(text, start, end), default_year)

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
        """The raw period phrases; ``resolve`` reads them, once per default year, without rescanning."""
        return list(self.regex.finditer(text, start, len(text) if end is None else end))

    def resolve(self, matches: list[re.Match], default_year: int | None = None) -> list[PeriodMention]:
        return [m for m in self.read_each(matches, default_year) if m is not None]

    def read_each(self, matches: list[re.Match], default_year: int | None = None,
                  known: list[PeriodMention | None] | None = None) -> list[PeriodMention | None]:
        """One mention (or None) per phrase; ``known`` holds a reading with no default year, whose
        phrases that state their own year need no second reading."""
        if known is None:
            return [self._mention(match, default_year) for match in matches]
        # Only a phrase that was not read, or read with no year of its own, reads the default year.
        return [m if m is not None and m.explicit_year else self._mention(match, default_year) for match, m in zip(matches, known)]

    def _mention(self, match: re.Match, default_year: int | None) -> PeriodMention | None:
        """The mention a phrase makes. Its reading depends only on its groups and the default year, and
        a document names the same few periods again and again: readings are cached by both."""
        key = (match.groups(), default_year)
        reading = self._readings.get(key, UNREAD)
        if reading is UNREAD:
            reading = self._reading(match.groupdict(), key[0], default_year)
            if len(self._readings) < READINGS_CACHED:
                self._readings[key] = reading
        if reading is None:
            return None
        start = match.start()
        end = match.end()
        if match.group("fromm") or match.group("fromm2"):
            opening = SPAN_OPENING.search(match.string, max(0, start - 12), start)
            if opening is not None:
                start = opening.start()  # "from January to April" is one phrase, not a base "from January"
        if not reading.explicit_year and (match.group("qabbr") or match.group("habbr")) \
                and NAME_BEFORE.search(match.string, max(0, start - 12), start):
            return None  # "in Q4", "NIO's Q4 deliveries" are quarters; "the Q3 trim", "Audi Q4" are names
        if not reading.explicit_year and reading.period is not None and reading.period.grain == "M" and (
                DAY_BEFORE.search(match.string, max(0, start - 6), start) or DAY_AFTER.match(match.string, match.end())):
            return None  # "mercredi 5 février", "February 5": the day something happened
        if not reading.explicit_year and reading.period is not None and reading.period.grain == "M" \
                and match.group().lower() in AMBIGUOUS_MONTHS and not MONTH_PREPOSITION.search(match.string, max(0, start - 12), start):
            return None  # "may rise", "Mars": a month only after "in", "en", "from", "de"...
        if reading.context and match.string[match.end() : match.end() + 1] == "-":
            return None  # "over the year-ago quarter"
        window = match.string[max(0, start - 32) : start].lower()
        since = any(word in window for word in self.since_words) and self.since.search(window) is not None
        return PeriodMention(start, end, *reading[:5], since=since, context=reading.context, to_date=reading.to_date,
                             deictic=reading.deictic)

    def _month_number(self, word: str) -> int | None:
        word = word.lower()
        return self.months.get(word) or self.abbreviations.get(word)

    def _reading(self, groups: dict, all_groups: tuple, default_year: int | None) -> Reading | None:
        years = [g for g in all_groups if g and YEAR_TEXT.fullmatch(g)]
        year = _year(years[-1]) if years else default_year
        explicit = bool(years)
        if groups.get("thisy"):
            # "sur l'année", "full-year": the year the document is about, unless it names its own;
            # "next year" the one after. Which year that is, the claim reader settles from the context.
            if explicit:
                return Reading(Period(year, "Y"))  # type: ignore[arg-type]
            spec = self.relative.get(SPACES.sub(" ", groups["thisy"].lower()).replace("’", "'"), {})
            ahead, deictic = spec.get("years", 0), bool(spec.get("deictic"))
            if not default_year:  # read again with a default year
                return Reading(None, (ahead, 0, 0), explicit_year=False, context="Y", deictic=deictic)
            return Reading(Period(default_year + ahead, "Y"), (ahead, 0, 0), context="Y", deictic=deictic)
        if groups.get("thisp"):
            grain = self.relative.get(SPACES.sub(" ", groups["thisp"].lower()).replace("’", "'"), {}).get("this", "P")
            return Reading(None, context=str(grain))
        if groups.get("same"):
            return Reading(None, in_year=year)
        if groups.get("relative"):
            key = SPACES.sub(" ", groups["relative"].lower()).replace("’", "'")
            shift = self.relative.get(key, {})
            return Reading(None, (shift.get("years", 0), shift.get("quarters", 0), shift.get("months", 0)),
                           deictic=bool(shift.get("deictic")))
        if year is None:
            return None
        if groups.get("dmonth") or groups.get("dmonth2"):
            number = self._month_number(groups.get("dmonth") or groups.get("dmonth2"))  # type: ignore[arg-type]
            day = int(DIGITS.match(groups.get("dday") or groups.get("dday2")).group())  # type: ignore[arg-type]
            if not number or not 1 <= day <= calendar.monthrange(year, number)[1]:
                return None
            return Reading(Period(year, "D", number, day), as_of=bool(groups.get("asof")))
        if groups.get("emonth"):
            number = self._month_number(groups["emonth"])
            return Reading(Period(year, "M", number).end_date(), as_of=True) if number else None
        if groups.get("lastq"):
            return Reading(Period(year, "Q", 4), explicit_year=explicit)
        if groups.get("spann"):
            raw = groups["spann"].lower()
            count = int(raw) if raw.isdigit() else {"twelve": 12, "douze": 12}.get(raw) or self.month_counts.get(raw)
            last = self._month_number(groups["spanm"])
            span = span_of(last - count + 1, last) if count and last and count <= last else None
            return Reading(span.in_year(year), explicit_year=explicit) if span else None
        if groups.get("fromm") or groups.get("fromm2"):
            first = self._month_number(groups.get("fromm") or groups["fromm2"])
            last = self._month_number(groups.get("tom") or groups["tom2"])
            span = span_of(first, last) if first and last and first < last else None
            return Reading(span.in_year(year), explicit_year=explicit) if span else None
        if groups.get("ytdn") or groups.get("ytdn2") or groups.get("ytdn3"):
            raw = (groups.get("ytdn") or groups.get("ytdn2") or groups.get("ytdn3")).lower()
            number = int(raw) if raw.isdigit() else self.month_counts.get(raw)
            if not number or not 1 <= number <= 12:
                return None
            # "les six premiers mois de 2025" is the first half; "the first nine months" the year to date.
            return Reading(span_of(1, number).in_year(year), explicit_year=explicit)
        if groups.get("qabbr") or groups.get("qabbr2"):
            # "T2" alone is too ambiguous (a model name, a size) without a year next to it; "Q4" is not.
            if not explicit and groups.get("qabbr") not in YEARLESS_PREFIXES:
                return None
            if not explicit:
                return Reading(Period(year, "Q", int(groups["qn"])), explicit_year=False)
            return Reading(Period(year, "Q", int(groups.get("qn") or groups.get("qn2"))))  # type: ignore[arg-type]
        if groups.get("qord") or groups.get("qord2"):
            number = self.ordinals.get((groups.get("qord") or groups["qord2"]).lower())
            return Reading(Period(year, "Q", number), explicit_year=explicit) if number else None
        if groups.get("hord") or groups.get("hord2"):
            number = self.ordinals.get((groups.get("hord") or groups["hord2"]).lower())
            return Reading(Period(year, "H", min(number, 2)), explicit_year=explicit) if number else None
        if groups.get("habbr"):
            if not explicit and groups["habbr"] not in YEARLESS_PREFIXES:
                return None
            if not explicit:
                return Reading(Period(year, "H", int(groups["hn"])), explicit_year=False)
            return Reading(Period(year, "H", int(groups["hn"])))
        if groups.get("ytd"):
            return Reading(Period(year, "YTD", 12), explicit_year=explicit, to_date=True)
        if groups.get("month"):
            word = groups["month"].lower()
            number = self._month_number(word)
            # Abbreviations without a year are too often other words; so are "mai", "may", "mars", "march"
            # unless a preposition comes before them (see _mention).
            if not explicit and word not in self.months:
                return None
            return Reading(Period(year, "M", number), explicit_year=explicit)  # type: ignore[arg-type]
        if groups.get("fy"):
            return Reading(Period(_year(groups["fy"]), "Y"))
        if groups.get("year"):
            return Reading(Period(int(groups["year"]), "Y"))
        return None


def _by_first_piece(words) -> dict[str, list[str]]:
    """The phrase bodies of ``words`` grouped by their first piece (a character, most often), each
    without it; a body not written with the plain pieces of ``phrase_body`` stands whole behind its own."""
    grouped: dict[str, list[str]] = {}
    for body in sorted({phrase_body(word) for word in words}):
        first = BODY_TOKEN.match(body)
        if first is None or "".join(BODY_TOKEN.findall(body)) != body:
            grouped.setdefault(body, []).append("")
        else:
            grouped.setdefault(first.group(), []).append(body[first.end() :])
    return grouped


def span_of(first: int, last: int) -> Period | None:
    """The period a span of months is (year 0, to be set): a quarter, a half, the year, or the year to date
    when it starts in January; None for any other span."""
    if first == 1 and last == 12:
        return Period(0, "Y")
    if last - first == 2 and last % 3 == 0:
        return Period(0, "Q", last // 3)
    if last - first == 5 and last % 6 == 0:
        return Period(0, "H", last // 6)
    if first == 1:
        return Period(0, "YTD", last)
    return None


def _year(text: str) -> int:
    digits = text.strip("'’")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


@lru_cache(maxsize=16)
def period_finder(lexicon: Lexicon, language: str) -> PeriodFinder:
    return PeriodFinder(lexicon, language)
