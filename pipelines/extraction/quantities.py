"""Layer 1: every number-bearing mention in a text, with its value in base units, unit and span.

The scan is anchored on digit runs (and spelled-out number words); the words around each anchor are
read with small regexes over a bounded window, so the cost grows with the number of figures, not with
the size of the lexicons.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, alternation, load_lexicon, longest_first, phrase_pattern, phrase_regex
from .model import Quantity
from .left_context import build_left_regex, read_left
from .numbers import DIGITS, parse_digits, split_exponent, significant_step
from .regex_programs import compile_regex
from .spelled import SpelledReader
from .spelled_words import ARTICLES

SP = r"[ \u00a0\u202f\u2009]"
LEFT_WINDOW = 64
SINGLE_LETTER_SCALES = {"k", "K", "m", "M", "b", "B", "G"}
# Single letters that are a scale after a space too ("2,33 k", "1,674.5 G"); "5 m" is five metres.
SPACED_SCALES = {"k", "K", "M", "G"}


@dataclass(slots=True)  # many per text: slots make them cheaper to build and read
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
    # The coin the amount was last stated in, as a part of the main unit: 1, 0.01 for cents, 0.1 for
    # the jiao. A reading in a smaller coin joins the amount before it.
    share: float = 1.0
    # The scale word's factor (1e9 for "milliard"), 1.0 without one: a bound written without its scale
    # takes it from the bound after it ("entre 1 et 2,5 milliards", "de 5,5 à 4,6 millions").
    scale: float = 1.0
    upper_start: int | None = None  # where the upper bound of a range is written


class QuantityReader:
    """Compiled matchers for one lexicon and language."""

    def __init__(self, lexicon: Lexicon, language: str):
        self.language = language
        units = lexicon.units
        self.scales = {word: float(value) for word, value in lexicon.by_language(units.get("scales", {}), language).items()}
        self.currency_of: dict[str, str] = {}
        self.share_of: dict[str, float] = {}  # "cents": 0.01, "jiao": 0.1 of the currency
        self.coins: dict[str, list[float]] = {}  # currency -> the shares of its smaller coins, largest first
        prefixes, suffixes, before = [], [], []
        as_written: set[str] = set()
        for code, spec in units.get("currencies", {}).items():
            as_written.update(spec.get("as_written", []))
            for symbol in spec.get("symbols", []):
                self.currency_of[symbol.lower()] = code
                prefixes.append(symbol)
                suffixes.append(symbol)
            for alias in spec.get("codes", []):
                # Codes are read in any case ("rmb 40", "us $ 150"); word edges keep them out of words.
                self.currency_of[alias.lower()] = code
                prefixes += [alias, alias.lower()]
                suffixes += [alias, alias.lower()]
            for name in lexicon.by_language(spec.get("names", {}), language):
                self.currency_of[name.lower()] = code
                suffixes.append(name)
            shares = spec.get("shares", {})
            for name in lexicon.by_language(spec.get("subunits", {}), language):
                self.currency_of[name.lower()] = code
                self.share_of[name.lower()] = float(shares.get(name, 0.01))
                suffixes.append(name)
            self.coins[code] = sorted({s for n, s in self.share_of.items() if self.currency_of[n] == code}, reverse=True)
            before += [name for name in spec.get("before", []) if name.lower() in self.currency_of]
        self.names_before = {name.lower() for name in before}
        self.noun_unit: dict[str, str] = {}
        for group in ("counts", "measures"):
            for unit, spec in units.get(group, {}).items():
                for noun in lexicon.by_language(spec, language):
                    self.noun_unit[noun.lower()] = unit
        # "bp", "points de base": points with a factor (a hundredth of a point).
        self.scaled_points = {SPACES_RUN.sub(" ", word.lower()): float(factor) for word, factor in
                              (lexicon.by_language(units.get("scaled_points", {}), language) or {}).items()}
        point_words = list(lexicon.by_language(units.get("points", {}), language)) + list(self.scaled_points)
        multi = [w for w in self.scales if w not in SINGLE_LETTER_SCALES]
        single = [w for w in self.scales if w in SINGLE_LETTER_SCALES]
        symbols = [s for s in prefixes if not s.isalpha()]
        symbol_class = "".join(sorted({re.escape(s[-1]) for s in symbols}))
        codes = [c for c in prefixes if c.isalpha()]
        self.right = compile_regex(
            r"(?:"
            rf"(?P<scale_glued>{_exact(multi + single)})(?![^\W\d_])"
            rf"|{SP}?(?P<scale>{_exact(multi)})(?:(?!\w)|(?=[A-Z]{{3}}(?!\w)))"  # "39,8 MdsEUR", "120 MEUR" as wires write them
            rf"|{SP}(?P<scale_single>{_exact(single)}(?=[{symbol_class}])|{_exact(SPACED_SCALES & set(single))}(?!\w))"
            r")?"
            rf"(?P<plus>\+(?!\d))?"
            rf"(?:(?:{SP}|-)?(?:de{SP}+|d['’]{SP}?|of{SP}+)?(?P<currency>{_ci_symbols(suffixes, as_written)})(?![^\W\d_]))?"
            rf"(?:{SP}?(?P<points>{phrase_pattern(point_words)})(?![^\W\d_])"
            rf"|{SP}?(?P<percent>{phrase_pattern(lexicon.by_language(units.get('percent', {}), language))})(?![^\W\d_]))?"
            rf"(?:{SP}+(?:de{SP}+|d['’]{SP}?|of{SP}+)?(?P<noun>{phrase_pattern(self.noun_unit)})(?!\w))?"
            rf"(?P<more>{SP}+(?:ou plus|et plus|or more|and more|ou davantage|and above|et au-delà)(?!\w))?"
        )
        assert set(self.right.groupindex) == set(NO_GROUPS)  # _groups_of stands in for an empty match
        # Every part of ``right`` opens with a space, "+", "-", "de"/"of", or the first character of one
        # of these words. After a number followed by a comma, a full stop or a line break (frequent in
        # prose and tables) the match is then empty, and ``read`` skips it.
        openers = list(self.scales) + suffixes + [
            phrase.rstrip("*") for name in ("points", "percent") for phrase in lexicon.by_language(units.get(name, {}), language)
        ] + list(self.scaled_points)
        firsts = {word.split()[0][0] if word.split() else "" for word in openers}
        self.no_unit_after = frozenset() if "" in firsts else frozenset(",.\n") - firsts
        # Units written once in a table header, apart from any number.
        self.hint_currency = compile_regex(
            # words that are also names ("Mao") do not state the currency of a table
            rf"{_exact(symbols)}|(?<![^\W\d_]){_ci_symbols(codes + [n for n in suffixes if (n.isalpha() or ' ' in n) and n not in as_written])}(?![^\W\d_])"
        )
        self.hint_scale = compile_regex(rf"(?<![^\W\d_])(?:{_exact(self.scales)})(?![^\W\d_])")
        cues = lexicon.cues
        self.not_change = compile_regex(
            r"(?<!\w)" + phrase_pattern(lexicon.by_language(cues.get("not_change", {}), language)) + r"(?!\w)"
        )
        self.decrease = compile_regex(
            r"(?<!\w)" + phrase_pattern(lexicon.by_language(cues.get("decrease", {}), language)) + r"(?!\w)"
        )
        self.left = build_left_regex(
            lexicon.by_language(cues.get("change", {}), language) + lexicon.by_language(cues.get("decrease", {}), language),
            {name: lexicon.by_language(spec, language) for name, spec in cues.get("qualifiers", {}).items()},
            lexicon.by_language(cues.get("fillers", {}), language),
            codes + before,
            symbols,
            lexicon.by_language(cues.get("minus", {}), language),
            as_written,
            lexicon.by_language(cues.get("not_qualifier", {}), language),
        )
        self.reference_words = {w.lower() for w in lexicon.by_language(cues.get("reference_bounds", {}), language)}
        self.month_names = {m.lower().rstrip(".") for m in lexicon.by_language(lexicon.periods.get("months", {}), language)}
        months = lexicon.by_language(lexicon.periods.get("months", {}), language)
        month_words = phrase_pattern(months)
        self.month_after = compile_regex(rf"(?:er|st|nd|rd|th)?{SP}+{month_words}(?!\w)")
        self.month_before = compile_regex(rf"(?<!\w){month_words}{SP}+\Z")
        # "10h30", "1/2", dates, and compounds such as "2-page" or "5G" are not figures.
        self.not_a_figure_after = compile_regex(r"(?:[:h]\d|/\d|-\d\d-|[.,]\d|[^\W\d_]|-[^\W\d_])")
        self.money_or_rate = set(self.currency_of.values()) | {"%", "pp"}
        percent_words = phrase_pattern(lexicon.by_language(units.get("percent", {}), language))
        # "a 5-percent rise", "a 0.5-percentage-point gain", "a 1.7-point drop": a rate word joined to its
        # number by a hyphen, its own spaces written as hyphens too.
        def hyphened(name: str) -> str:
            words = [w.replace(" ", "-") for w in lexicon.by_language(units.get(name, {}), language) if w[:1].isalpha()]
            return phrase_pattern(words)
        self.hyphen_rate = compile_regex(
            rf"-(?:(?P<points>{hyphened('points')}|{hyphened('scaled_points')})|(?P<percent>{hyphened('percent')}))(?![^\W\d_])"
        )
        # A change noun after a figure in points makes them percentage points ("1.7-point drop").
        self.change_noun_after = compile_regex(
            rf"{SP}+(?:[\w'’-]+{SP}+|d['’])?{phrase_pattern(lexicon.by_language(units.get('change_nouns', {}), language))}"
            r"(?![^\W\d_])"
        )
        self.percent_before = compile_regex(rf"(?<!\w){percent_words}{SP}+(?:de|des|of){SP}+\Z")
        currency_words = _ci_symbols([n for n in suffixes if n.isalpha()], as_written)
        self.spelled = SpelledReader(language, currency_words, currency_words)
        aliases = [
            alias
            for group in ("companies", "products")
            for spec in lexicon.entities.get(group, {}).values()
            for alias in spec.get("aliases", [])
            if any(ch.isdigit() for ch in alias)
        ]
        self.digit_names = phrase_regex(aliases) if aliases else None

    # -- reading one anchor -------------------------------------------------------------------
    def _read(self, text: str, start: int, end: int, value: float, step: float, spelled: bool, raw: str,
              right: re.Match | None = None, floor: int = 0, groups: dict | None = None):
        """``floor`` is where the previous figure ends: a symbol before it is that figure's, not ours.
        ``groups`` is ``right.groupdict()`` when the caller has it already."""
        if groups is None:
            right = right or self.right.match(text, end)
            groups = _groups_of(right, end)  # type: ignore[arg-type]
        # Each group is looked up once: this runs for every figure of the text. ``right`` is only read
        # for a group that matched; with NO_GROUPS it may be None (see ``read``).
        scale_glued = groups["scale_glued"]
        scale_word = scale_glued or groups["scale"] or groups["scale_single"]
        stop = end if groups is NO_GROUPS else right.end()  # an empty match ends where it starts
        if scale_glued == "G" and len(raw) == 1:
            return None  # "4G", "5G": a network generation, not billions
        right_currency, percent, points = groups["currency"], groups["percent"], groups["points"]
        size = len(text)
        # No alternative of ``not_a_figure_after`` starts with a space: skip the match before one.
        after = text[end] if end < size else " "
        hyphened = False
        if after == "-" and not (scale_glued or right_currency or percent or points):
            rate = self.hyphen_rate.match(text, end)
            # "a 5-percent rise"; "a 1.7-point drop" but not "a 3-point plan"
            if rate is not None and (rate.group("percent") or not self._ambiguous_points(rate.group("points"))
                                     or self.change_noun_after.match(text, rate.end())):
                percent, points, stop, hyphened = rate.group("percent"), rate.group("points"), rate.end(), True
        if not after.isspace():
            if not spelled and not scale_glued and not right_currency and not percent and not points:
                # "2e", "3rd", "5G", "10h30": a number glued to letters is not a figure.
                if self.not_a_figure_after.match(text, end) and not after in ".,":
                    return None
            if after in ".," and self.not_a_figure_after.match(text, end):
                return None
        scale = self.scales.get(scale_word, 1.0) if scale_word else 1.0
        if scale_word and scale_word not in self.scales:
            scale = next(v for k, v in self.scales.items() if k.lower() == scale_word.lower())
        left = read_left(self.left, text, start)
        left_currency = None
        if left:
            left_currency = left.group("currency")
            if left_currency and left.start("currency") < floor:
                left_currency = None
            if left_currency and (right_currency or percent or points) and left_currency.lower() in self.names_before:
                left_currency = None  # a name before the number is its currency only when none follows
        if left_currency and right_currency and not right_currency.strip().isalpha():
            # "$ 20,000.00 $ 37,305.97": a symbol after an amount that already has one opens the next.
            right = self.right.match(text[: right.start("currency")], end)
            groups = _groups_of(right, end)  # type: ignore[arg-type]
            stop = right.end()
            right_currency, percent, points = groups["currency"], groups["percent"], groups["points"]
        # The unit, from the groups after the number as they finally stand.
        unit = None
        if percent:
            unit = "%"
        elif points:
            unit = "pp"
            factor = self.scaled_points.get(SPACES_RUN.sub(" ", points.lower().replace("-", " ")))
            if factor is not None:
                value, step = value * factor, step * factor  # "-500 bp" is -5 points
        percent_word_at = None
        if not (percent or points) and "cent" in text[max(0, start - 24) : start]:
            before = self.percent_before.search(text, max(0, start - 24), start)
            if before:
                unit = "%"  # "pourcentage de vingt", "per cent of 210"
                percent_word_at = before.start()
        if start and text[start - 1].isalpha():
            # Digits glued to letters ("T2", "SU7", "COVID19") are a name, unless the letters are a
            # currency code ("RMB30.2").
            if not (left_currency and left_currency.isalpha()):
                return None
        currency = right_currency or left_currency
        share = 1.0
        if currency and unit is None:
            name = SPACES_RUN.sub(" ", currency.strip().lower())
            unit = self.currency_of.get(name)
            share = self.share_of.get(name, 1.0)
            if share != 1.0:
                value, step = value * share, step * share
        noun = groups["noun"]
        if noun and spelled and value != int(value) and text[end : right.start("noun")].strip():
            noun = None  # "a fifth of deliveries" is a share, not a count
            stop = max((right.end(g) for g in ("scale_glued", "scale", "scale_single", "plus", "currency", "points", "percent")
                        if groups[g]), default=end)
        if noun and unit is None:
            unit = self.noun_unit.get(SPACES_RUN.sub(" ", noun.lower()))
        elif noun and unit in ("%", "pp") or noun and currency:
            stop = right.start("noun")
        more = groups["more"]
        if more:
            stop = right.end("more")
        qualifier = "exact"
        signed = False
        negative = False
        span_start = start if percent_word_at is None else percent_word_at
        if left:
            for name in ("approx", "at_least", "at_most"):
                if left.has(name):
                    qualifier = name
                    if left.group(name).lower() in self.reference_words and ARTICLE_BETWEEN.search(
                            text, left.start(name) + len(left.group(name)), start):  # type: ignore[arg-type]
                        qualifier = "exact"  # "above the 44,000 analysts expected": that figure, no bound
            sign = left.group("sign")
            # A hyphen and a space before a number open a list item, they do not make it negative.
            sign_at = left.start("sign") if sign else 0
            # "10–20 %": a dash right after a number joins a range; "- 5" opens a list item.
            # "SCP-173", "three-four": a hyphen right after a word joins, it is no minus sign.
            joined = bool(sign) and sign in "-–—" and sign_at > 0 and text[sign_at - 1].isalnum()
            if sign and not joined and not (sign in "-–—" and text[sign_at + 1].isspace()):
                signed = True
                negative = sign[0] in "-−–"
                span_start = sign_at
            if left.group("minus"):
                signed = negative = True  # "minus five percent"
                span_start = left.start("minus")
            if left_currency:
                span_start = min(span_start, left.start("currency"))
            direction = left.group("direction")
            if direction and not self._not_a_change(text, left.start("direction")):
                signed = True
                if self.decrease.search(direction):
                    negative = True
            whole = left.group(0)
            if whole.strip() in ("≥", ">") or whole.rstrip().endswith(("≥", ">")):
                qualifier = "at_least"
        if groups["plus"] or more:
            qualifier = "at_least"
        if not scale_word and not signed and not spelled and unit not in self.money_or_rate:
            # Years are not quantities: a four-digit number between 1900 and 2100, also before a noun
            # ("2025 deliveries" is the year's deliveries).
            if len(raw) == 4 and YEAR_LIKE.fullmatch(raw):  # the length test spares most numbers the regex
                return None
        if unit is None and not scale_word and not signed and not spelled:
            if value <= 31 and value == int(value):
                if self.month_after.match(text, end) or self._month_before(text, start):
                    return None
        if unit is None and not scale_word and raw.isdigit() and len(raw) == 4 and 1900 <= value <= 2100:
            if self._month_before(text, start):
                return None
        value *= scale
        if negative:
            value = -value
        if unit == "pp" and not signed and not hyphened and self._ambiguous_points(points):
            # "points" alone is ambiguous ("3 points de vente"); it is a percentage point only when the
            # figure is a signed change, stated next to a percentage, or before a change noun ("a 1.7
            # point drop", "1,7 point de baisse").
            if "%" not in text[max(0, start - 120) : stop + 120] and not self.change_noun_after.match(text, right.end("points")):
                unit = None
                stop = right.start("points")
        while stop > end and text[stop - 1].isspace():
            stop -= 1  # a unit dropped above leaves the space before it
        return _Reading(span_start, stop, value, unit, qualifier, signed, step * scale, scale != 1.0, share=share,
                        scale=scale)

    @staticmethod
    def _ambiguous_points(points: str) -> bool:
        """Whether a points word is "point(s)" alone, which may not be percentage points."""
        lowered = points.lower()
        return lowered.startswith("point") and "pourcentage" not in lowered and " de base" not in lowered

    def unit_hint(self, text: str) -> tuple[str | None, float]:
        """The currency and scale a table header states for its cells ("($m)", "RMB bn",
        "en millions de dollars"), or (None, 1.0)."""
        currency = self.hint_currency.search(text)
        if currency is None:
            return None, 1.0
        unit = self.currency_of.get(re.sub(r"\s+", " ", currency.group().lower()))
        scale = self.hint_scale.search(text)
        return unit, self.scales.get(scale.group(), 1.0) if scale else 1.0

    def _month_before(self, text: str, start: int) -> bool:
        """Whether the word right before ``start`` is a month name ("juin 30", "March 2025")."""
        words = text[max(0, start - 14) : start].split()
        return bool(words) and text[start - 1].isspace() and words[-1].lower().rstrip(".") in self.month_names

    def _not_a_change(self, text: str, position: int) -> bool:
        """Whether the direction word at ``position`` belongs to a phrase such as "made up" or "up to"."""
        for match in self.not_change.finditer(text, max(0, position - 12), min(len(text), position + 16)):
            if match.start() <= position < match.end():
                return True
        return False

    def read(self, text: str) -> list[Quantity]:
        readings: list[_Reading] = []
        anchors: list[int] = []  # where the digits of each reading start
        masked = self._masked(text)
        masked_starts = [a for a, _ in masked]
        size, no_unit_after = len(text), self.no_unit_after
        for match in DIGITS.finditer(text):
            start, end = match.span()
            if masked:
                i = bisect_right(masked_starts, start) - 1
                if i >= 0 and start < masked[i][1]:
                    continue
            raw = match.group()
            if end < size and text[end] in no_unit_after:
                right, groups = None, NO_GROUPS
            else:
                right = self.right.match(text, end)
                groups = _groups_of(right, end)  # type: ignore[arg-type]
            scaled = bool(groups["scale_glued"] or groups["scale"] or groups["scale_single"])
            if raw.isdecimal():
                # A plain digit run: no exponent, no decimals, its value is the digits.
                value, step = float(raw), 0.5
            else:
                mantissa, exponent, power = split_exponent(raw)
                value, _ = parse_digits(mantissa, self.language, scaled=scaled, count_unit=bool(groups["noun"]))
                step = significant_step(mantissa) if scaled or SHORT_DECIMALS.search(mantissa) else 0.5
                if exponent is not None:
                    try:
                        value = value ** exponent if power else value * 10.0 ** exponent
                    except (OverflowError, ZeroDivisionError):
                        continue
            reading = self._read(text, start, end, value, step, False, raw, right, readings[-1].end if readings else 0, groups)
            if reading:
                readings.append(reading)
                anchors.append(start)
        readings = self._read_spelled(text, readings, anchors)
        return [
            Quantity(
                text=text[r.start : r.end],
                start=r.start,
                end=r.end,
                value=_clean(r.value),
                unit=r.unit,
                qualifier=r.qualifier,
                upper=r.upper,
                upper_start=r.upper_start,
                signed=r.signed,
                precision=r.precision,
            )
            for r in _merge_ranges(text, _join_money_and_cents(text, readings, self.money_or_rate, self.coins), self.language)
        ]

    def _read_spelled(self, text: str, readings: list[_Reading], anchors: list[int]) -> list[_Reading]:
        """Add the numbers written in words. One that also holds digits ("3 hundred and 21", "1 sur 3",
        "2 1/4") replaces the readings of those digits; one in words only gives way to them."""
        starts = [r.start for r in readings]
        ends = [r.end for r in readings]
        dropped: set[int] = set()
        spelled: list[_Reading] = []
        for match in self.spelled.run.finditer(text):
            if match.group().lower() in ARTICLES:
                currency = self.right.match(text, match.end()).group("currency")
                if currency and currency.isalpha():
                    # "un penny", "a dollar": the article counts one unit of money
                    reading = self._read(text, match.start(), match.end(), 1.0, 0.5, True, match.group())
                    if reading and not _overlaps(starts, ends, reading.start, match.end()):
                        spelled.append(reading)
                continue
            for number in self.spelled.read(text, match.start(), match.end()):
                words = text[number.start : number.end]
                if words.lower() in ARTICLES:
                    continue  # "un", "a" alone are articles
                if number.has_digits and DECIMAL_AND_MORE.search(words):
                    continue  # "$1.33 billion and 33 cents": two amounts, not one number in words
                if number.has_digits:
                    first = bisect_left(anchors, number.start)
                    last = bisect_left(anchors, number.end)
                    dropped.update(range(first, last))
                elif _overlaps(starts, ends, number.start, number.end):
                    continue  # overlaps a figure read from digits
                if spelled and number.start < spelled[-1].end:
                    continue  # the unit of the number before ("quarante-cinq cents")
                reading = self._read(text, number.start, number.end, number.value, 0.5, True, words)
                if reading:
                    spelled.append(reading)
        kept = [r for i, r in enumerate(readings) if i not in dropped] if dropped else readings
        return sorted(kept + spelled, key=lambda r: r.start)

    def _masked(self, text: str) -> list[tuple[int, int]]:
        """Spans whose digits are not quantities: dates, and names such as "Model 3" (sorted)."""
        spans = [m.span() for m in DATES.finditer(text)] if _may_hold_date(text) else []
        if "://" in text or "www." in text:  # every web address holds one: most texts are spared the scan
            spans += [m.span() for m in WEB_ADDRESS.finditer(text)]
        if MAYBE_TIME.search(text):  # most texts hold no time: a quick test spares them the full pattern
            spans += [m.span() for m in TIMES.finditer(text)]
        if self.digit_names is not None:
            spans += [m.span() for m in self.digit_names.finditer(text)]
        return sorted(spans)


DECIMAL_AND_MORE = compile_regex(r"\d[.,]\d.*\s(?:and|et)\s")
RANGE_JOIN = {
    "fr": compile_regex(rf"{SP}*(?:-|–|—|à|et){SP}*\Z"),
    "en": compile_regex(rf"{SP}*(?:-|–|—|to|and){SP}*\Z"),
}
# "de 100 000 à 120 000" is left alone: after a verb it states a change, not a range.
RANGE_OPEN = {"fr": compile_regex(r"(?:entre|fourchette\s+de)\s+\Z", re.I),
              "en": compile_regex(r"(?:between|range\s+of|ranging\s+from)\s+\Z", re.I)}
YEAR_LIKE = compile_regex(r"(?:19|20)\d\d")
SPACES_RUN = compile_regex(r"\s+")
# The groups of an empty ``right`` match: every part absent. Most numbers have no unit right after them,
# and this spares building a dict for each of them.
NO_GROUPS: dict[str, str | None] = {name: None for name in ("scale_glued", "scale", "scale_single", "plus", "currency", "points", "percent",
                                     "noun", "more")}


def _groups_of(right: re.Match, end: int) -> dict:
    """The named groups of a ``right`` match made at ``end``; only their truth value is ever tested."""
    return right.groupdict() if right.end() > end else NO_GROUPS


# An article between a bound word and its number: "above the 44,000 analysts expected" names a figure.
ARTICLE_BETWEEN = compile_regex(r"(?i)(?<!\w)(?:the|les|des|le|la)(?!\w)")
SHORT_DECIMALS = compile_regex(r"[.,]\d{1,2}$")
# Each alternative opens with its first letter, so that the engine skips in C to the next "h" or "w";
# the lookbehind then checks that this letter starts a word.
WEB_ADDRESS = compile_regex(r"(?:h(?<!\wh)ttps?://|w(?<!\ww)ww\.)\S+")
# "2025-07-02", "2/7/25". Written to start with a bare digit class: the regex engine then skips to the
# next digit in C instead of trying every position of the text.
DATES = compile_regex(r"\d(?:\d{3}-\d\d-\d\d|\d?/\d{1,2}/\d{2,4})")
# Whether a text holds a date at all: the same shapes found from their first separator, which the engine
# skips to in C (most texts hold none, and have no slash).
ISO_DATE_DASH = compile_regex(r"-(?<=\d\d\d\d-)\d\d-\d\d")
DATE_SLASH = compile_regex(r"/(?<=\d/)\d\d?/\d\d")


def _may_hold_date(text: str) -> bool:
    return ISO_DATE_DASH.search(text) is not None or ("/" in text and DATE_SLASH.search(text) is not None)


# A time of day written with spaced "h" ("à 7 h 30", "18 h 45"): neither the hour nor the minutes are
# figures. "7h30" is left to ``not_a_figure_after``; "22 heures" alone is a duration. Minutes followed
# by a digit group ("en 24 h 30 000 commandes") are not minutes.
# Whether a text may hold one: opening on the "h" lets the engine skip to each "h" in C, where a digit
# class first is tested at every character.
MAYBE_TIME = compile_regex(rf"h(?:(?<=\dh)|(?<=\d{SP}h)){SP}?[0-5]\d")
TIMES = compile_regex(rf"(?<![\d.,])(?:[01]?\d|2[0-3]){SP}?h{SP}?[0-5]\d(?!\d|[.,]\d|{SP}\d)")


MONEY_JOIN = compile_regex(rf"{SP}*(?:(?:et|and){SP}+)?\Z")


def _join_money_and_cents(text: str, readings: list[_Reading], money_or_rate: set[str],
                          coins: dict[str, list[float]]) -> list[_Reading]:
    """"15 dollars et 15 cents", "3 dollars 50", "thirteen dollars and forty-five cents", "one yuan
    and five jiao five": one amount. Each part is stated in a smaller coin than the one before it."""
    joined: list[_Reading] = []
    for reading in readings:
        previous = joined[-1] if joined else None
        if (
            previous is not None and previous.unit in money_or_rate and previous.unit not in ("%", "pp")
            and not previous.scaled and _whole(previous.value, previous.share)
            and MONEY_JOIN.match(text[previous.end : reading.start])
        ):
            part = None
            if (reading.unit == previous.unit or reading.share < 1) and 0 < reading.value < previous.share:
                # already read in a coin ("15 cents"); "euros et 45 cents" are euro cents
                part, share = reading.value, reading.share if reading.share < 1 else 0.01
            elif reading.unit is None and not reading.signed and reading.value == int(reading.value):
                # a bare number counts in the next coin: hundredths after the main unit ("3 dollars 50"),
                # the next smaller coin of the currency after a coin
                smaller = [s for s in coins.get(previous.unit, ()) if s < previous.share]
                share = 0.01 if previous.share == 1 else smaller[0] if smaller else 0.0
                if share and 0 < reading.value < round(previous.share / share):
                    part = reading.value * share
            if part is not None:
                value = previous.value - part if previous.value < 0 else previous.value + part  # "down 3 dollars 50"
                joined[-1] = _Reading(previous.start, reading.end, value, previous.unit,
                                      previous.qualifier, previous.signed, share / 2, False, share=share)
                continue
        joined.append(reading)
    return joined


def _whole(value: float, share: float) -> bool:
    """Whether ``value`` is a whole number of the coin ``share`` (1.5 is fifteen jiao)."""
    count = value / share
    return abs(count - round(count)) < 1e-6


def _merge_ranges(text: str, readings: list[_Reading], language: str) -> list[_Reading]:
    """Join "entre 10 et 20 %" and "10–20 %" into one reading with a lower and an upper bound; give the
    first figure of a change its scale when the scale word is written once ("de 5,5 à 4,6 millions")."""
    merged: list[_Reading] = []
    i = 0
    while i < len(readings):
        low = readings[i]
        if i + 1 < len(readings):
            high = readings[i + 1]
            # The cheap tests first: most pairs of neighbours are no range at all.
            if (
                # "10-20 %", "entre 1 et 2,5 milliards"; "€2.6-2.7 billion" writes the currency on the lower bound
                (high.unit is not None if low.unit is None
                 else high.scaled and high.unit in (None, low.unit) and abs(low.value) * 1000 < abs(high.value))
                and not high.signed
                and RANGE_JOIN[language].match(between := text[low.end : high.start])
                and (between.strip() in ("-", "–", "—") or RANGE_OPEN[language].search(text[max(0, low.start - 20) : low.start]))
            ):
                factor = 1.0
                if not low.scaled and high.scaled and abs(low.value) < abs(high.value):
                    # The scale word is written once for both bounds: "entre 1 et 2,5 milliards".
                    factor = high.scale
                merged.append(
                    _Reading(low.start, high.end, low.value * factor, high.unit or low.unit, low.qualifier,
                             low.signed, high.precision, high.scaled, upper=high.value, scale=high.scale,
                             upper_start=high.start)
                )
                i += 2
                continue
            if (
                low.unit == "%" and high.unit == "%" and high.signed and high.value < 0 < low.value
                and low.end == high.start and text[high.start : high.start + 1] in "-–"
            ):
                # "5%-10%": the hyphen joins two bounds, it is no minus sign.
                merged.append(_Reading(low.start, high.end, low.value, "%", low.qualifier, low.signed, high.precision,
                                       high.scaled, upper=-high.value, scale=high.scale, upper_start=high.start + 1))
                i += 2
                continue
            if high.scaled and not low.scaled and _shares_scale(text, low, high, language):
                low = _with_scale(text, low, high)
        merged.append(low)
        i += 1
    return merged


# "relevé de 5,5 à 4,6 millions", "from $1.2 to $1.5 billion": a change (or a span of values) whose
# scale word, and often its unit, is written once, after the second figure.
CHANGE_OPEN = {
    "fr": compile_regex(rf"(?<![^\W\d_])(?:de{SP}+|d['’]{SP}?)\Z", re.I),
    "en": compile_regex(rf"(?<![^\W\d_])(?:from|of){SP}+\Z", re.I),
}
# The same, with the hedge of a figure read as approximate, at least or at most in between ("from about
# 1.2 to 1.5 billion", "d'environ 1,2 à 1,5 milliard", "de près de 5 à 6 millions").
HEDGED_OPEN = {
    "fr": compile_regex(rf"(?<![^\W\d_])(?:de{SP}+|d['’]{SP}?)(?:[^\W\d_][\w'’-]*{SP}+){{1,3}}\Z", re.I),
    "en": compile_regex(rf"(?<![^\W\d_])(?:from|of){SP}+(?:[^\W\d_][\w'’-]*{SP}+){{1,3}}\Z", re.I),
}
CHANGE_JOIN = {"fr": compile_regex(rf"{SP}+à{SP}+\Z"), "en": compile_regex(rf"{SP}+to{SP}+\Z", re.I)}
# How far apart the two figures may be, once both are scaled, for the first to be read as a mantissa of
# the same scale: "de 5,5 à 4,6 millions" (x0.8), "from 300 to 400 million"; not "from 500 to 1.2 million"
# (500 million to 1.2 million), which rather leaves out a "thousand".
SHARED_SCALE_RATIO = 100.0


def _shares_scale(text: str, low: _Reading, high: _Reading, language: str) -> bool:
    """Whether ``low`` (no scale word of its own) takes the scale of ``high`` right after it."""
    if low.unit not in (None, high.unit) or low.share != 1.0 or low.upper is not None or not high.value:
        return False
    if not abs(low.value) < 1000:
        return False  # "de 2 000 à 5 millions", "from 1,200 to 1.5 million": a whole number, no mantissa
    ratio = abs(low.value * high.scale / high.value)
    if not 1 / SHARED_SCALE_RATIO <= ratio <= SHARED_SCALE_RATIO:
        return False
    if not CHANGE_JOIN[language].match(text, low.end, high.start):
        return False
    if CHANGE_OPEN[language].search(text, max(0, low.start - 6), low.start):
        return True
    return low.qualifier != "exact" and HEDGED_OPEN[language].search(text, max(0, low.start - 40), low.start) is not None


def _with_scale(text: str, low: _Reading, high: _Reading) -> _Reading:
    """``low`` scaled as ``high`` is, in its unit when it states none."""
    digits = DIGITS.search(text, low.start, low.end)
    step = significant_step(digits.group()) if digits else 0.5
    return _Reading(low.start, low.end, low.value * high.scale, low.unit or high.unit, low.qualifier, low.signed,
                    step * high.scale, True, share=low.share, scale=high.scale)


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint spans given by starts and ends."""
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and start < ends[i]


# These word lists (scales, currency symbols, codes and names) are tried after every number:
# ``alternation`` lays them out behind their first characters, with the same matches.
def _exact(words) -> str:
    """Words as written; a symbol with letters ("US$", "HK $") in any case."""
    words = longest_first(words)
    parts = [(re.escape(w), any(ch.isalpha() for ch in w) and not w.isalpha()) for w in words]
    return alternation(parts) if parts else r"(?!x)x"


def _ci_symbols(words, as_written=frozenset()) -> str:
    """Symbols match as written; names and codes in any case, spaces as any space, except the words
    ``as_written``."""
    parts = []
    for word in longest_first(words):
        body = r"\s+".join(re.escape(w) for w in word.split())
        any_case = any(ch.islower() for ch in word) or (not word.isalpha() and any(ch.isalpha() for ch in word))
        parts.append((body, any_case and word not in as_written))
    return alternation(parts) if parts else r"(?!x)x"


def _clean(value: float) -> float:
    """Round away binary noise from scaling (20.6 * 1e9 is 20600000000.000004)."""
    if type(value) is float and value.is_integer() and -1e12 < value < 1e12:
        return value  # a whole number of at most twelve digits is written exactly: nothing to round
    return float(f"{value:.12g}")


@lru_cache(maxsize=16)
def _reader(lexicon: Lexicon, language: str) -> QuantityReader:
    return QuantityReader(lexicon, language)


def reader_for(language: str, lexicon: Lexicon | None = None) -> QuantityReader:
    return _reader(lexicon or load_lexicon(), language if language in ("fr", "en") else "en")


def extract_quantities(text: str, language: str = "en", lexicon: Lexicon | None = None) -> list[Quantity]:
    """Every quantity in ``text``: numbers with their unit, qualifier and span, in reading order."""
    return reader_for(language, lexicon).read(text)
