"""Layer 1: every number-bearing mention in a text, with its value in base units, unit and span.

The scan is anchored on digit runs (and spelled-out number words); the words around each anchor are
read with small regexes over a bounded window, so the cost grows with the number of figures, not with
the size of the lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, load_lexicon, phrase_pattern
from .model import Quantity
from .numbers import DIGITS, parse_digits, parse_spelled, significant_step, spelled_regex

SP = r"[ \u00a0\u202f\u2009]"
LEFT_WINDOW = 64
SINGLE_LETTER_SCALES = {"k", "K", "m", "M", "b", "B", "G"}


@dataclass
class _Reading:
    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str
    signed: bool
    precision: float
    scaled: bool
    upper: float | None = None


class QuantityReader:
    """Compiled matchers for one lexicon and language."""

    def __init__(self, lexicon: Lexicon, language: str):
        self.language = language
        units = lexicon.units
        self.scales = {word: float(value) for word, value in lexicon.by_language(units.get("scales", {}), language).items()}
        self.currency_of: dict[str, str] = {}
        prefixes, suffixes = [], []
        for code, spec in units.get("currencies", {}).items():
            for symbol in spec.get("symbols", []):
                self.currency_of[symbol.lower()] = code
                prefixes.append(symbol)
                suffixes.append(symbol)
            for alias in spec.get("codes", []):
                self.currency_of[alias.lower()] = code
                prefixes.append(alias)
                suffixes.append(alias)
            for name in lexicon.by_language(spec.get("names", {}), language):
                self.currency_of[name.lower()] = code
                suffixes.append(name)
        self.noun_unit: dict[str, str] = {}
        for group in ("counts", "measures"):
            for unit, spec in units.get(group, {}).items():
                for noun in lexicon.by_language(spec, language):
                    self.noun_unit[noun.lower()] = unit
        multi = [w for w in self.scales if w not in SINGLE_LETTER_SCALES]
        single = [w for w in self.scales if w in SINGLE_LETTER_SCALES]
        symbols = [s for s in prefixes if not s.isalpha()]
        symbol_class = "".join(sorted({re.escape(s[-1]) for s in symbols}))
        codes = [c for c in prefixes if c.isalpha()]
        self.right = re.compile(
            r"(?:"
            rf"(?P<scale_glued>{_exact(multi + single)})(?![^\W\d_])"
            rf"|{SP}?(?P<scale>{_exact(multi)})(?!\w)"
            rf"|{SP}(?P<scale_single>{_exact(single)})(?=[{symbol_class}])"
            r")?"
            rf"(?P<plus>\+(?!\d))?"
            rf"(?:{SP}?(?:de{SP}+|d['’]{SP}?|of{SP}+)?(?P<currency>{_ci_symbols(suffixes)})(?![^\W\d_]))?"
            rf"(?:{SP}?(?P<percent>{phrase_pattern(lexicon.by_language(units.get('percent', {}), language))})(?![^\W\d_])"
            rf"|{SP}?(?P<points>{phrase_pattern(lexicon.by_language(units.get('points', {}), language))})(?![^\W\d_]))?"
            rf"(?:{SP}+(?:de{SP}+|d['’]{SP}?|of{SP}+)?(?P<noun>{phrase_pattern(self.noun_unit)})(?!\w))?"
            rf"(?P<more>{SP}+(?:ou plus|et plus|or more|and more|ou davantage|and above|et au-delà)(?!\w))?"
        )
        cues = lexicon.cues
        qualifier_alts = []
        for qualifier, spec in cues.get("qualifiers", {}).items():
            phrases = lexicon.by_language(spec, language)
            qualifier_alts.append(f"(?P<{qualifier}>{phrase_pattern(phrases)})")
        fillers = phrase_pattern(lexicon.by_language(cues.get("fillers", {}), language))
        directions = phrase_pattern(
            lexicon.by_language(cues.get("change", {}), language)
            + lexicon.by_language(cues.get("decrease", {}), language)
        )
        self.decrease = re.compile(
            r"(?<!\w)" + phrase_pattern(lexicon.by_language(cues.get("decrease", {}), language)) + r"(?!\w)"
        )
        self.left = re.compile(
            r"(?:(?<!\w)(?P<direction>" + directions + rf")(?:{SP}+(?:de|of|by|d['’]))?{SP}+)?"
            r"(?:(?<![\w])(?:" + "|".join(qualifier_alts) + rf")(?:{SP}*(?:{fillers}){SP}+|{SP}*))?"
            rf"(?P<sign>[+\-−–±]{SP}?)?"
            rf"(?P<currency>(?<![^\W\d_]){_ci_symbols(codes)}|{_exact(symbols)})?{SP}?\Z"
        )
        months = lexicon.by_language(lexicon.periods.get("months", {}), language)
        month_words = phrase_pattern(months)
        self.month_after = re.compile(rf"(?:er|st|nd|rd|th)?{SP}+{month_words}(?!\w)")
        self.month_before = re.compile(rf"(?<!\w){month_words}{SP}+\Z")
        self.not_a_figure_after = re.compile(r"(?:[:h]\d|/\d|-\d\d-|[.,]\d|[^\W\d_])")
        self.spelled = spelled_regex(language)
        aliases = [
            alias
            for group in ("companies", "products")
            for spec in lexicon.entities.get(group, {}).values()
            for alias in spec.get("aliases", [])
            if any(ch.isdigit() for ch in alias)
        ]
        self.digit_names = re.compile(r"(?<!\w)" + phrase_pattern(aliases) + r"(?!\w)") if aliases else None

    # -- reading one anchor -------------------------------------------------------------------
    def _read(self, text: str, start: int, end: int, value: float, step: float, spelled: bool, raw: str):
        right = self.right.match(text, end)
        scale_word = right.group("scale_glued") or right.group("scale") or right.group("scale_single")
        stop = right.end() if right.group(0) else end
        glued = bool(right.group("scale_glued"))
        if not glued and not right.group("currency") and not right.group("percent") and end < len(text):
            # "2e", "3rd", "5G", "10h30": a number glued to letters is not a figure.
            if self.not_a_figure_after.match(text, end) and not text[end] in ".,":
                return None
        if end < len(text) and text[end] in ".," and self.not_a_figure_after.match(text, end):
            return None
        scale = self.scales.get(scale_word, 1.0) if scale_word else 1.0
        if scale_word and scale_word not in self.scales:
            scale = next(v for k, v in self.scales.items() if k.lower() == scale_word.lower())
        unit = None
        if right.group("percent"):
            unit = "%"
        elif right.group("points"):
            unit = "pp"
        left_text = text[max(0, start - LEFT_WINDOW) : start]
        left = self.left.search(left_text)
        currency = right.group("currency") or (left.group("currency") if left else None)
        if currency and unit is None:
            unit = self.currency_of.get(currency.strip().lower()) or self.currency_of.get(
                re.sub(r"\s+", " ", currency.strip().lower())
            )
        noun = right.group("noun")
        if noun and unit is None:
            unit = self.noun_unit.get(re.sub(r"\s+", " ", noun.lower()))
        elif noun and unit in ("%", "pp") or noun and currency:
            stop = right.start("noun")
        if right.group("more"):
            stop = right.end("more")
        qualifier = "exact"
        signed = False
        negative = False
        span_start = start
        if left:
            for name in ("approx", "at_least", "at_most"):
                if left.groupdict().get(name):
                    qualifier = name
            sign = left.group("sign")
            # A hyphen and a space before a number open a list item, they do not make it negative.
            if sign and not (sign[0] in "-–" and len(sign) > 1):
                signed = True
                negative = sign[0] in "-−–"
                span_start = start - (len(left_text) - left.start("sign"))
            if left.group("currency"):
                span_start = min(span_start, start - (len(left_text) - left.start("currency")))
            if left.group("direction"):
                signed = True
                if self.decrease.search(left.group("direction")):
                    negative = True
            if left.group(0).strip() in ("≥", ">") or left.group(0).rstrip().endswith(("≥", ">")):
                qualifier = "at_least"
        if right.group("plus") or right.group("more"):
            qualifier = "at_least"
        if unit is None and not scale_word and not signed and not spelled:
            # Years are not quantities: a bare four-digit number between 1900 and 2100.
            if re.fullmatch(r"(19|20)\d\d", raw):
                return None
            if value <= 31 and value == int(value):
                if self.month_after.match(text, end) or self.month_before.search(left_text):
                    return None
        if unit is None and not scale_word and raw.isdigit() and len(raw) == 4 and 1900 <= value <= 2100:
            if self.month_before.search(left_text):
                return None
        value *= scale
        if negative:
            value = -value
        if unit == "pp" and right.group("points") and right.group("points").lower().startswith("point") and not signed:
            # "points" alone is ambiguous ("3 points de vente"); it is a percentage point only when the
            # figure is a signed change or stated next to a percentage.
            if "%" not in text[max(0, start - 120) : stop + 120] and "pourcentage" not in right.group("points") and "percentage" not in right.group("points"):
                unit = None
                stop = right.start("points")
        return _Reading(span_start, stop, value, unit, qualifier, signed, step * scale, scale != 1.0)

    def read(self, text: str) -> list[Quantity]:
        readings: list[_Reading] = []
        masked = self._masked(text)
        for match in DIGITS.finditer(text):
            start, end = match.span()
            if masked and any(a <= start < b for a, b in masked):
                continue
            raw = match.group()
            right = self.right.match(text, end)
            scaled = bool(right.group("scale_glued") or right.group("scale") or right.group("scale_single"))
            count_unit = bool(right.group("noun"))
            value, _ = parse_digits(raw, self.language, scaled=scaled, count_unit=count_unit)
            reading = self._read(text, start, end, value, significant_step(raw) if re.search(r"[.,]\d{1,2}$", raw) or scaled else 0.5, False, raw)
            if reading:
                readings.append(reading)
        taken = [(r.start, r.end) for r in readings]
        for match in self.spelled.finditer(text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            value = parse_spelled(match.group(), self.language)
            if value is None:
                continue
            reading = self._read(text, start, end, value, 0.5, True, match.group())
            if reading:
                readings.append(reading)
        readings.sort(key=lambda r: r.start)
        return [
            Quantity(
                text=text[r.start : r.end],
                start=r.start,
                end=r.end,
                value=_clean(r.value),
                unit=r.unit,
                qualifier=r.qualifier,
                upper=r.upper,
                signed=r.signed,
                precision=r.precision,
            )
            for r in _merge_ranges(text, readings, self.language)
        ]

    def _masked(self, text: str) -> list[tuple[int, int]]:
        """Spans whose digits are not quantities: dates, and names such as "Model 3"."""
        spans = [m.span() for m in DATES.finditer(text)]
        if self.digit_names is not None:
            spans += [m.span() for m in self.digit_names.finditer(text)]
        return spans


RANGE_JOIN = {
    "fr": re.compile(rf"{SP}*(?:-|–|—|à|et){SP}*\Z"),
    "en": re.compile(rf"{SP}*(?:-|–|—|to|and){SP}*\Z"),
}
# "de 100 000 à 120 000" is left alone: after a verb it states a change, not a range.
RANGE_OPEN = {"fr": re.compile(r"entre\s+\Z", re.I), "en": re.compile(r"between\s+\Z", re.I)}
DATES = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}")


def _merge_ranges(text: str, readings: list[_Reading], language: str) -> list[_Reading]:
    """Join "entre 10 et 20 %" and "10–20 %" into one reading with a lower and an upper bound."""
    merged: list[_Reading] = []
    i = 0
    while i < len(readings):
        low = readings[i]
        if i + 1 < len(readings):
            high = readings[i + 1]
            between = text[low.end : high.start]
            dash = between.strip() in ("-", "–", "—")
            opened = RANGE_OPEN[language].search(text[max(0, low.start - 12) : low.start])
            if (
                low.unit is None
                and high.unit is not None
                and RANGE_JOIN[language].match(between)
                and (dash or opened)
                and not high.signed
            ):
                factor = 1.0
                if not low.scaled and high.scaled and abs(low.value) < abs(high.value):
                    # The scale word is written once for both bounds: "entre 1 et 2 milliards".
                    factor = _scale_of(high, text)
                merged.append(
                    _Reading(low.start, high.end, low.value * factor, high.unit, low.qualifier,
                             low.signed, high.precision, high.scaled, upper=high.value)
                )
                i += 2
                continue
        merged.append(low)
        i += 1
    return merged


def _scale_of(reading: _Reading, text: str) -> float:
    digits = re.match(r"[^\d]*([\d\s\u00a0\u202f.,']+)", text[reading.start : reading.end])
    if not digits:
        return 1.0
    try:
        base = float(re.sub(r"[^\d]", "", digits.group(1).split(",")[0].split(".")[0]) or 0)
    except ValueError:
        return 1.0
    return abs(reading.value) / base if base else 1.0


def _exact(words) -> str:
    words = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + ")" if words else r"(?!x)x"


def _ci_symbols(words) -> str:
    """Symbols match as written; names and codes in any case, spaces as any space."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in word.split())
        parts.append(f"(?i:{body})" if any(ch.islower() for ch in word) else body)
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"


def _clean(value: float) -> float:
    """Round away binary noise from scaling (20.6 * 1e9 is 20600000000.000004)."""
    return float(f"{value:.12g}")


@lru_cache(maxsize=16)
def _reader(lexicon: Lexicon, language: str) -> QuantityReader:
    return QuantityReader(lexicon, language)


def reader_for(language: str, lexicon: Lexicon | None = None) -> QuantityReader:
    return _reader(lexicon or load_lexicon(), language if language in ("fr", "en") else "en")


def extract_quantities(text: str, language: str = "en", lexicon: Lexicon | None = None) -> list[Quantity]:
    """Every quantity in ``text``: numbers with their unit, qualifier and span, in reading order."""
    return reader_for(language, lexicon).read(text)
