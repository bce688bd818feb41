"""Cue words around a figure: which metric it is, whether it is a change, a target, a forecast, a loss."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, phrase_regex

COUNT_UNITS_FAMILY = "count"
LEVEL_WORDS = re.compile(
    r"(?<!\w)(?:atteindre|atteint|atteignant|s['’]établi\w*|à|au|pour|to|at|reach\w*|of|de\s+l['’]ordre)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
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


class CueFinder:
    def __init__(self, lexicon: Lexicon, language: str):
        self.specs: dict[str, MetricSpec] = {}
        self.metric_regexes: list[tuple[MetricSpec, re.Pattern]] = []
        for name, spec in (lexicon.metrics.get("metrics") or {}).items():
            metric = MetricSpec(name, spec.get("family", "count"), spec.get("default_unit"),
                                int(spec.get("priority", 1)), bool(spec.get("scoped", False)))
            self.specs[name] = metric
            phrases = lexicon.by_language(spec.get("cues", {}), language)
            if phrases:
                self.metric_regexes.append((metric, phrase_regex(phrases)))
        cues = lexicon.cues
        by = lambda key: phrase_regex(lexicon.by_language(cues.get(key, {}), language))  # noqa: E731
        self.change = by("change")
        self.decrease = by("decrease")
        self.loss = by("loss")
        self.target = by("target")
        self.forecast = by("forecast")
        self.previous = by("previous")
        self.revision = by("revision")
        self.comparison = by("comparison")
        self.basis = {
            basis: phrase_regex(lexicon.by_language(spec, language))
            for basis, spec in (cues.get("basis") or {}).items()
        }
        self.scopes = [
            (scope, phrase_regex(lexicon.by_language(spec, language)))
            for scope, spec in (lexicon.metrics.get("scopes") or {}).items()
        ]

    def metric_cues(self, text: str, start: int, end: int) -> list[Cue]:
        found = []
        for spec, regex in self.metric_regexes:
            for match in regex.finditer(text, start, end):
                found.append(Cue(match.start(), match.end(), spec.name, spec.family, spec.priority))
        return found

    def scope_near(self, text: str, start: int, end: int, exclude: tuple[str, ...] = ()) -> str:
        """The scope named nearest to the span [start, end), or ""."""
        best, best_distance = "", None
        for scope, regex in self.scopes:
            if scope in exclude:
                continue
            for match in regex.finditer(text, max(0, start - 40), min(len(text), end + 40)):
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
        between = text[last.end() : quantity_start]
        between = re.sub(r"(?i)\b(?:de|of|by|d['’]|près|environ|about|nearly|some|plus|more|than|les|the)\b", " ", between)
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
