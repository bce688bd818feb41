"""Layer 2: quantities become claims, with entity, metric, period, kind and qualifier.

Each figure is read against its sentence (or its table row and column), then its paragraph, then the
document: the nearest fitting cue wins, and what a sentence does not say comes from its context.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .cues import Cue, CueFinder, cue_finder
from .document_rules import apply_document_rules
from .entities import EntityMention, entity_finder, main_company
from .lexicon import Lexicon, load_lexicon
from .model import Claim, Quantity
from .periods import Period, PeriodMention, period_finder
from .quantities import reader_for
from .segments import Sentence, Table, clause_breaks, layout

COUNT_UNITS = {"vehicles", "units", "orders", "smartphones", "employees", "stores"}
CLAUSE_PENALTY = 80
BARE_NUMBER_REACH = 40  # how far a cue may be from a number that names no unit


def family_of(unit: str | None) -> str | None:
    if unit is None or unit in COUNT_UNITS:
        return "count"
    if unit == "%":
        return "percent"
    if unit == "pp":
        return "points"
    if len(unit) == 3 and unit.isupper():
        return "money"
    return None  # durations, distances: never business figures


@dataclass
class Context:
    """What a document says around its figures, computed once per document."""

    text: str
    document: str
    language: str
    entities: list[EntityMention]
    entity_starts: list[int]
    periods: list[PeriodMention]
    period_starts: list[int]
    main_company: str | None
    focus: Period | None
    published: dt.date | None
    paragraphs: list[tuple[int, int]]

    def entities_in(self, start: int, end: int) -> list[EntityMention]:
        return self.entities[bisect_left(self.entity_starts, start) : bisect_left(self.entity_starts, end)]

    def periods_in(self, start: int, end: int) -> list[PeriodMention]:
        return self.periods[bisect_left(self.period_starts, start) : bisect_left(self.period_starts, end)]

    def subject_before(self, position: int, paragraph: int) -> str | None:
        """The company the paragraph is about at ``position``: the last one it named, else the document's."""
        para_start = self.paragraphs[paragraph][0]
        for mention in reversed(self.entities_in(para_start, position)):
            if mention.company and not mention.non_subject:
                return mention.company
        return self.main_company

    def period_before(self, position: int, paragraph: int) -> Period | None:
        para_start = self.paragraphs[paragraph][0]
        for mention in reversed(self.periods_in(para_start, position)):
            if mention.period is not None and mention.explicit_year:
                return mention.period
        return self.focus or (Period(self.published.year, "Y") if self.published else None)


def _focus(periods: list[PeriodMention]) -> Period | None:
    """The period a document is mostly about: its most named quarter, half or month, else year."""
    specific = Counter(m.period for m in periods if m.period and m.period.grain in ("Q", "H", "M") and m.explicit_year)
    if specific:
        return specific.most_common(1)[0][0]
    years = Counter(m.period for m in periods if m.period and m.period.grain == "Y")
    return years.most_common(1)[0][0] if years else None


class ClaimReader:
    def __init__(self, lexicon: Lexicon, language: str):
        self.language = language
        self.quantities = reader_for(language, lexicon)
        self.periods = period_finder(lexicon, language)
        self.entities = entity_finder(lexicon, language)
        self.cues: CueFinder = cue_finder(lexicon, language)

    # -- the document --------------------------------------------------------------------------
    def read(self, text: str, document: str = "", published: dt.date | None = None) -> list[Claim]:
        quantities = [q for q in self.quantities.read(text) if family_of(q.unit) is not None]
        if not quantities:
            return []
        page = layout(text)
        mentions = self.entities.find(text)
        first_pass = self.periods.find(text)
        focus = _focus(first_pass)
        default_year = focus.year if focus else (published.year if published else None)
        periods = self.periods.find(text, default_year=default_year) if default_year else first_pass
        context = Context(
            text, document, self.language, mentions, [m.start for m in mentions], periods,
            [m.start for m in periods], main_company(mentions), focus, published, page.paragraphs,
        )
        starts = [q.start for q in quantities]
        claims: list[Claim] = []
        for sentence in page.sentences:
            inside = quantities[bisect_left(starts, sentence.start) : bisect_right(starts, sentence.end - 1)]
            if inside:
                claims.extend(self._sentence_claims(context, sentence, inside))
        for table in page.tables:
            claims.extend(self._table_claims(context, table, quantities, starts))
        claims.sort(key=lambda c: c.start)
        return apply_document_rules(claims)

    # -- sentences -----------------------------------------------------------------------------
    def _sentence_claims(self, ctx: Context, sentence: Sentence, quantities: list[Quantity]) -> list[Claim]:
        text = ctx.text
        s, e = sentence.start, sentence.end
        breaks = clause_breaks(text, s, e)
        cues = self.cues.metric_cues(text, s, e)
        quote = text[s:e].strip()
        claims: list[Claim] = []
        for q in quantities:
            family = family_of(q.unit)
            clause = _clause_of(breaks, s, e, q.start)
            if family == "money" and claims and _is_conversion(text, claims[-1], q):
                continue
            is_change = family == "points" or (
                family == "percent" and (q.signed or self.cues.is_change(text, clause[0], q.start))
            )
            basis = self.basis(text, s, e, q.start) if is_change else ""
            metric, cue = self._metric(cues, breaks, q, family, basis)
            inherited = None
            if metric is None and claims and family in ("percent", "money", "points"):
                # "contre 7 % un an plus tôt": a figure compared with the one before it.
                previous = claims[-1]
                if family_of(previous.unit) == family:
                    inherited = previous
                    metric = previous.metric
            revision = None
            if metric is None and family == "count":
                revision = self.cues.revision.search(text, s, e)
                if not revision:
                    continue
            if metric is None and revision is None:
                continue
            period, relative = self._period(ctx, sentence, breaks, q, is_change)
            if period is not None and metric and metric.startswith("cumulative"):
                period = period.end_date()
            kind = self._kind(text, s, e, q, clause)
            if revision is not None:
                # "ce point a été augmenté à 120 000": the revised target named just before.
                kind = "target"
            entity = self._entity(ctx, sentence, breaks, q, clause)
            value = q.value
            if metric and metric.startswith(("net_result", "operating_result")) and value > 0:
                loss = self.cues.nearest(self.cues.loss, text, clause[0], clause[1], q.start)
                if loss or (cue and self.cues.loss.search(text, cue.start, cue.end)):
                    value = -value
            unit = q.unit
            if metric and family == "count":
                spec = self.cues.specs[metric]
                if unit in (None, "units") and spec.default_unit:
                    unit = spec.default_unit
            scope = ""
            if inherited is not None:
                scope = inherited.scope
            elif metric and cue is not None:
                base = metric.rsplit("_", 1)[0] if metric.endswith(("_yoy", "_qoq")) else metric
                spec = self.cues.specs.get(base)
                if spec and (spec.scoped or base == "revenue_share"):
                    exclude = ("group",) if base == "revenue_share" else ()
                    scope = self.cues.scope_near(text, cue.start, cue.end, exclude)
            notes = []
            if relative:
                notes.append("period: relative to context")
            if inherited is not None:
                notes.append("metric: as the figure it is compared with")
            claims.append(
                Claim(
                    document=ctx.document, entity=entity or "", metric=metric or "", period=period.label if period else "",
                    value=value, unit=unit or "", kind=kind, qualifier=q.qualifier, start=q.start,
                    end=q.end, quote=quote, surface=q.text, context="sentence", scope=scope,
                    precision=q.precision, notes=tuple(notes) + (("revision",) if revision is not None else ()),
                )
            )
        return claims

    def _metric(self, cues: list[Cue], breaks: list[int], q: Quantity, family: str, basis: str):
        """The metric of a figure: the nearest cue whose family fits, clause breaks counting as distance."""
        wanted = {"money": ("money",), "count": ("count",), "percent": ("percent",), "points": ("percent",)}[family]
        if basis and family == "percent":
            wanted = ("count", "money")
        best, best_score = None, None
        for cue in cues:
            if cue.family not in wanted:
                continue
            gap = q.start - cue.end if cue.end <= q.start else cue.start - q.end
            crossed = sum(1 for b in breaks if min(cue.end, q.start) <= b < max(cue.start, q.end))
            score = max(gap, 0) + CLAUSE_PENALTY * crossed - 15 * (cue.priority - 1)
            if q.unit is None and gap > BARE_NUMBER_REACH:
                continue
            if best_score is None or score < best_score:
                best, best_score = cue, score
        if best is None:
            return None, None
        if basis:
            return f"{best.metric}_{basis}", best
        return best.metric, best

    def basis(self, text: str, start: int, end: int, anchor: int) -> str:
        """What a change is measured against: the nearest basis phrase, year on year by default."""
        found = {name: self.cues.nearest(regex, text, start, end, anchor) for name, regex in self.cues.basis.items()}
        found = {name: hit for name, hit in found.items() if hit}
        return min(found, key=lambda name: found[name][0]) if found else "yoy"

    def _period(self, ctx: Context, sentence: Sentence, breaks, q: Quantity, is_change: bool):
        text = ctx.text
        mentions = ctx.periods_in(sentence.start, sentence.end)
        clause = _clause_of(breaks, sentence.start, sentence.end, q.start)
        absolute = [m for m in mentions if m.period is not None]
        relative = [m for m in mentions if m.period is None]
        in_clause = [m for m in absolute if clause[0] <= m.start < clause[1]]
        if in_clause:
            base = min(in_clause, key=lambda m: (abs(m.start - q.start), -m.period.rank)).period
        elif absolute and _nested([m.period for m in absolute]):
            base = max((m.period for m in absolute), key=lambda p: p.rank)
        elif absolute:
            base = min(absolute, key=lambda m: abs(m.start - q.start)).period
        else:
            base = ctx.period_before(sentence.start, sentence.paragraph)
        shifted = False
        # A relative phrase counts in the figure's own clause, or just before it ("de l'année
        # précédente (15,4 %)"); one in the next clause belongs to the next figure.
        near_relative = [m for m in relative if clause[0] <= m.start < clause[1] or 0 <= q.start - m.end < 8]
        if near_relative and not is_change and base is not None and not in_clause:
            years, quarters, months = near_relative[0].shift
            base = base.shift(years=years, quarters=quarters, months=months)
            shifted = True
        return base, shifted

    def _kind(self, text: str, s: int, e: int, q: Quantity, clause: tuple[int, int]) -> str:
        target = self.cues.nearest(self.cues.target, text, s, e, q.start)
        forecast = self.cues.nearest(self.cues.forecast, text, s, e, q.start)
        if forecast and (not target or forecast[0] < target[0]):
            return "forecast"
        if target:
            previous = self.cues.nearest(self.cues.previous, text, clause[0], q.start, q.start)
            following = text[q.end : min(e, q.end + 24)]
            if previous or re.match(r"\s*(?:à|to)\s+[\d+≈~]", following) and re.search(r"(?:\bde|\bfrom)\s*$", text[max(s, q.start - 8) : q.start]):
                return "previous"
            return "target"
        return "actual"

    def _entity(self, ctx: Context, sentence: Sentence, breaks, q: Quantity, clause: tuple[int, int]) -> str | None:
        mentions = ctx.entities_in(sentence.start, sentence.end)
        before = [m for m in mentions if m.end <= q.start and not m.non_subject]
        in_clause = [m for m in mentions if clause[0] <= m.start < clause[1]]
        products = [m for m in in_clause if m.is_product]
        if products:
            return min(products, key=lambda m: abs(m.start - q.start)).name
        for pool in ([m for m in in_clause if m.end <= q.start and not m.non_subject], before, [m for m in in_clause if not m.non_subject]):
            if pool:
                chosen = max(pool, key=lambda m: m.start) if pool is not in_clause else pool[0]
                if chosen.is_coreference:
                    return ctx.subject_before(chosen.start, sentence.paragraph)
                return chosen.company
        return ctx.subject_before(sentence.start, sentence.paragraph)

    # -- tables --------------------------------------------------------------------------------
    def _table_claims(self, ctx: Context, table: Table, quantities: list[Quantity], starts: list[int]) -> list[Claim]:
        from .tables import table_claims

        return table_claims(self, ctx, table, quantities, starts)


CONVERSION = re.compile(r"\W*(?:soit|i\.e\.|or|ou|c\.-à-d\.|about|environ|approx\.?|près de|\()\W*(?:environ|about|près de|quelque|some|roughly)?\s*\Z", re.IGNORECASE)


def _is_conversion(text: str, previous: Claim, q: Quantity) -> bool:
    """"254 000 yuans, soit environ 30 466 €": the second amount restates the first in another currency."""
    return (
        family_of(previous.unit) == "money"
        and previous.unit != q.unit
        and 0 <= q.start - previous.end < 40
        and bool(CONVERSION.match(text, previous.end, q.start))
    )


def _clause_of(breaks: list[int], start: int, end: int, position: int) -> tuple[int, int]:
    index = bisect_right(breaks, position)
    return (breaks[index - 1] if index else start, breaks[index] if index < len(breaks) else end)


def _nested(periods: list[Period]) -> bool:
    ordered = sorted(set(periods), key=lambda p: p.rank)
    return all(a.contains(b) for a, b in zip(ordered, ordered[1:]))


@lru_cache(maxsize=16)
def claim_reader(lexicon: Lexicon, language: str) -> ClaimReader:
    return ClaimReader(lexicon, language)


def extract_claims(
    text: str,
    language: str = "en",
    document: str = "",
    published: dt.date | str | None = None,
    lexicon: Lexicon | None = None,
) -> list[Claim]:
    """Every business figure ``text`` states, as claims with entity, metric, period and kind."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published[:10])
    reader = claim_reader(lexicon or load_lexicon(), language if language in ("fr", "en") else "en")
    return reader.read(text, document, published)
