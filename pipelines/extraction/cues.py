"""Cue words around a figure: which metric it is, whether it is a change, a target, a forecast, a loss."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, phrase_pattern, phrase_regex
from .regex_programs import compile_regex

COUNT_UNITS_FAMILY = "count"
LEVEL_WORDS = compile_regex(
    r"(?<!\w)(?:atteindre|atteint|atteignant|s['’]établi\w*|à|au|pour|to|at|reach\w*|of|de\s+l['’]ordre|was|were|is|stood|est|était|a\s+été)(?!\w)",
    re.IGNORECASE,
)


# Words between a change word and its figure that do not make the figure a level ("hausse de près de").
SKIPPED_BEFORE_LEVEL = compile_regex(r"(?i)\b(?:de|of|by|d['’]|près|environ|about|nearly|some|plus|more|than|les|the)\b")


# Hashed by value as a frozen one would be, but not frozen: many are built per text, and a frozen
# dataclass's __init__ sets each field through a call. Treated as immutable all the same.
@dataclass(unsafe_hash=True)
class Cue:
    start: int
    end: int
    metric: str
    family: str
    priority: int


@dataclass(frozen=True)
class MetricSpec:
    name: str
    family: str
    default_unit: str | None
    priority: int
    scoped: bool
    product_level: bool = False  # stated for a product: prices, orders


class CueFinder:
    def __init__(self, lexicon: Lexicon, language: str):
        self.specs: dict[str, MetricSpec] = {}
        self.metric_regexes: list[tuple[MetricSpec, re.Pattern]] = []
        all_phrases = []
        for name, spec in (lexicon.metrics.get("metrics") or {}).items():
            metric = MetricSpec(name, spec.get("family", "count"), spec.get("default_unit"),
                                int(spec.get("priority", 1)), bool(spec.get("scoped", False)),
                                bool(spec.get("product_level", False)))
            self.specs[name] = metric
            phrases = lexicon.by_language(spec.get("cues", {}), language)
            if phrases:
                self.metric_regexes.append((metric, phrase_regex(phrases)))
                all_phrases += phrases
        # One scan finds every cue phrase; which metrics a phrase names (itself or a shorter cue inside
        # it, "du chiffre d'affaires" holding "chiffre d'affaires") is worked out once per wording.
        self.any_metric = phrase_regex(all_phrases)
        self._cues_in_phrase: dict[str, tuple[tuple[MetricSpec, int, int], ...]] = {}
        cues = lexicon.cues
        by = lambda key: phrase_regex(lexicon.by_language(cues.get(key, {}), language))  # noqa: E731
        # Matches wherever one of several phrase lists does: most sentences name none of them, which one
        # scan of this says before each list is scanned.
        any_of = lambda specs: phrase_regex([phrase for spec in specs for phrase in lexicon.by_language(spec, language)])  # noqa: E731
        self.change = by("change")
        # Between a change and the metric it is of: "% increase in", "% rise in the", "% de hausse de son";
        # "une hausse de 9,5 % du résultat net".
        self.change_of_after = compile_regex(
            r"(?i)[\s\u00a0]+(?:[^\W\d_]+[\s\u00a0]+)?(?:" + phrase_pattern(lexicon.by_language(cues.get("change_of", {}), language))
            + r")[\s\u00a0]+(?:in|of|de|du|des|d['’])(?:[\s\u00a0]+(?:its|the|their|son|sa|ses|leur|la|l['’]))?[\s\u00a0]*"
            r"|[\s\u00a0]+(?:du|des|de[\s\u00a0]+(?:la|l['’]|son|sa|ses|leur))[\s\u00a0]*"
        )
        self.decrease = by("decrease")
        self.loss = by("loss")
        self.target = by("target")
        self.forecast = by("forecast")
        self.target_or_forecast = any_of([cues.get("target", {}), cues.get("forecast", {})])
        self.previous = by("previous")
        self.revision = by("revision")
        self.stated_when = by("stated_when")
        self.respectively = by("respectively")
        self.comparison = by("comparison")
        self.anaphora = by("anaphora")
        self.analysts = by("analysts")
        self.margin_of: dict[str, str] = dict(lexicon.metrics.get("margin_of") or {})
        exchanges = cues.get("stock_exchanges") or []
        suffixes = cues.get("ticker_suffixes") or []
        # "(HKEX: 9868)", "NYSE:NIO", "0175.HK": a listing, not a figure.
        self.ticker_before = compile_regex(r"(?<!\w)(?:" + "|".join(re.escape(e) for e in exchanges) + r")[\s\u00a0]*:[\s\u00a0]*\Z") \
            if exchanges else None
        self.ticker_after = compile_regex(r"\.(?:" + "|".join(re.escape(x) for x in suffixes) + r")(?![\w])") if suffixes else None
        self.not_change = by("not_change")
        after = lambda key: compile_regex(  # noqa: E731 - a phrase right after a figure (and its unit)
            r"[\s\u00a0\u202f]*(?:" + phrase_pattern(lexicon.by_language(cues.get(key, {}), language)) + r")(?!\w)"
        )
        self.change_after = after("change_after")
        self.decrease_after = after("decrease_after")
        self.base_period = compile_regex(
            r"(?<!\w)" + phrase_pattern(lexicon.by_language(cues.get("base_period_markers", {}), language))
            + r"[\s\u00a0]*(?:l['’]|le\s|la\s|les\s|the\s|au\s)?[\s\u00a0]*\Z"
            + r"|(?<!\w)" + phrase_pattern(lexicon.by_language(cues.get("base_period_reach", {}), language))
            + r"[\s\u00a0]+(?:its|their|the|son|sa|ses|leur|leurs|le|la|les)(?:[\s\u00a0]+[^\W\d_][\w'’-]*){0,3}[\s\u00a0]+\Z"
        )
        self.basis = {
            basis: phrase_regex(lexicon.by_language(spec, language))
            for basis, spec in (cues.get("basis") or {}).items()
        }
        self.any_basis = any_of((cues.get("basis") or {}).values())
        # Each generic word, with the metrics of its own family one of whose cues holds it ("marge
        # opérationnelle"); not "gross margin" as a gross profit in money.
        self.generic: dict[str, set[str]] = {}
        metrics = lexicon.metrics.get("metrics") or {}
        cues_of = {name: lexicon.by_language(spec.get("cues", {}), language) for name, spec in metrics.items()}
        for word in lexicon.by_language(lexicon.metrics.get("generic_cues") or {}, language):
            holds = compile_regex(rf"(?i)(?<!\w){re.escape(word)}(?!\w)")
            families = {metrics[name].get("family", "count") for name, cues in cues_of.items()
                        if any(cue.lower() == word.lower() for cue in cues)}
            self.generic[word.lower()] = {
                name for name, cues in cues_of.items()
                if metrics[name].get("family", "count") in families and any(holds.search(cue) for cue in cues)
            }
        self.scopes = [
            (scope, phrase_regex(lexicon.by_language(spec, language)))
            for scope, spec in (lexicon.metrics.get("scopes") or {}).items()
        ]
        self.any_scope = any_of((lexicon.metrics.get("scopes") or {}).values())

    def is_ticker(self, text: str, start: int, end: int) -> bool:
        """Whether the number at [start, end) is a stock code."""
        colon = text.rfind(":", max(0, start - 3), start) >= 0  # most numbers have neither neighbour
        return bool(colon and self.ticker_before and self.ticker_before.search(text, max(0, start - 16), start)) \
            or bool(text[end : end + 1] == "." and self.ticker_after and self.ticker_after.match(text, end))

    def metric_cues(self, text: str, start: int, end: int) -> list[Cue]:
        found = []
        for match in self.any_metric.finditer(text, start, end):
            phrase = match.group()
            inside = self._cues_in_phrase.get(phrase)
            if inside is None:
                hits = [(spec, hit.start(), hit.end()) for spec, regex in self.metric_regexes for hit in regex.finditer(phrase)]
                # "share price", "stock price": a phrase that is no metric hides the metric words inside it.
                hidden = [(a, b) for spec, a, b in hits if spec.family == "none"]
                inside = tuple(hit for hit in hits if hit[0].family == "none"
                               or not any(a <= hit[1] and hit[2] <= b and (a, b) != (hit[1], hit[2]) for a, b in hidden))
                if len(self._cues_in_phrase) < 4096:
                    self._cues_in_phrase[phrase] = inside
            offset = match.start()
            for spec, a, b in inside:
                found.append(Cue(offset + a, offset + b, spec.name, spec.family, spec.priority))
        return found

    def scope_near(self, text: str, start: int, end: int, exclude: tuple[str, ...] = ()) -> str:
        """The scope named nearest to the span [start, end), or ""."""
        window = max(0, start - 40), min(len(text), end + 40)
        if self.any_scope.search(text, *window) is None:
            return ""  # most figures have no scope named around them: one scan for all scopes says so
        best, best_distance = "", None
        for scope, regex in self.scopes:
            if scope in exclude:
                continue
            for match in regex.finditer(text, *window):
                distance = max(start - match.end(), match.start() - end, 0)
                if best_distance is None or distance < best_distance:
                    best, best_distance = scope, distance
        return best

    def is_change(self, text: str, clause_start: int, quantity_start: int) -> bool:
        """A change cue shortly before the figure, with no word in between that makes it a level."""
        window_start = max(clause_start, quantity_start - 48)
        last = None
        for match in self.change.finditer(text, window_start, quantity_start):
            last = match
        if last is None:
            return False
        for match in self.not_change.finditer(text, max(0, last.start() - 12), min(len(text), last.end() + 12)):
            if match.start() <= last.start() and last.end() <= match.end():
                return False  # "made up 12%", "up to 20%"
        between = SKIPPED_BEFORE_LEVEL.sub(" ", text[last.end() : quantity_start])
        return not LEVEL_WORDS.search(between)

    def nearest(self, regex: re.Pattern, text: str, start: int, end: int, anchor: int) -> tuple[int, re.Match] | None:
        best = None
        for match in regex.finditer(text, start, end):
            distance = max(anchor - match.end(), match.start() - anchor, 0)
            if best is None or distance < best[0]:
                best = (distance, match)
        return best


@lru_cache(maxsize=16)
def cue_finder(lexicon: Lexicon, language: str) -> CueFinder:
    return CueFinder(lexicon, language)


class SentenceScan:
    """The cue matches of one sentence: each regex scans it once, however many figures ask."""

    __slots__ = ("text", "start", "end", "_found")

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self._found: dict[int, list[re.Match]] = {}

    def matches(self, regex: re.Pattern) -> list[re.Match]:
        found = self._found.get(id(regex))
        if found is None:
            found = self._found[id(regex)] = list(regex.finditer(self.text, self.start, self.end))
        return found

    def nearest(self, regex: re.Pattern, start: int, end: int, anchor: int) -> tuple[int, re.Match] | None:
        """Like ``CueFinder.nearest`` over [start, end), from the sentence's matches."""
        best = None
        for match in self.matches(regex):
            if match.start() < start or match.end() > end:
                continue
            distance = max(anchor - match.end(), match.start() - anchor, 0)
            if best is None or distance < best[0]:
                best = (distance, match)
        return best
