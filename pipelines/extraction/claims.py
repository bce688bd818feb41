"""Layer 2: quantities become claims, with entity, metric, period, kind and qualifier.

Each figure is read against its sentence (or its table row and column), then its paragraph, then the
document: the nearest fitting cue wins, and what a sentence does not say comes from its context.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .cues import Cue, CueFinder, SentenceScan, cue_finder
from .document_rules import apply_document_rules
from .entities import EntityMention, entity_finder, main_company, resolve_product_references
from .lexicon import Lexicon, load_lexicon
from .model import Claim, Quantity
from .periods import Period, PeriodMention, dated_by_publication, parse_label, period_finder, span_of
from .quantities import RANGE_JOIN, RANGE_OPEN, reader_for
from .regex_programs import compile_regex
from .segments import Sentence, Table, clause_breaks, layout
from .vocabulary import base_metric

COUNT_UNITS = {"vehicles", "units", "orders", "smartphones", "employees", "stores"}
# The cue families that can name a figure of each family (a change in percent names a count or money).
WANTED_CUES = {"money": ("money",), "count": ("count",), "percent": ("percent",), "points": ("percent",)}
CLAUSE_PENALTY = 80
AFTER_PENALTY = 25  # a cue after its figure is less likely to be its own
TRAILING_CUE_REACH = 12  # how far after a figure a target or forecast word may still govern it ("1.6 million target")
BARE_NUMBER_REACH = 40  # how far a cue may be from a number that names no unit
# A count that names no unit below this is an age, a number of countries or models, not a volume.
SMALLEST_BARE_COUNT = 100
PEOPLE_AND_PLACES = {"employees", "stores"}


@lru_cache(maxsize=None)  # a handful of units, asked about several times per figure
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


MODIFIER_BEFORE = compile_regex(r"(?i)(?<!\w)(?:de|du|des|d['’]|of|from|by|with|par|avec|pour|for|chez|à)[\s\u00a0]*"
                             r"(?:(?:la|le|les|l['’]|the|sa|son|ses|its|their)[\s\u00a0]*)?(?:(?:marque|brand|filiale|subsidiary)(?:[\s\u00a0]+[^\W\d]+)?[\s\u00a0]*)?\Z")
POSSESSIVE_AFTER = compile_regex(r"['’]s?[\s\u00a0]")


def _in_table_row(text: str, position: int) -> bool:
    """Whether a position lies on a line of a pipe table (a column header names no context period)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return "|" in text[start : end if end >= 0 else len(text)]


def _first_subject(text: str, mentions: list[EntityMention]) -> str | None:
    """The company the document opens on as a subject: its first mention that is no owner, possessive or
    point of comparison."""
    return next((m.company for m in mentions if m.company and not m.is_coreference and not m.non_subject
                 and not _modifier(text, m)), None)


def _modifier(text: str, mention: EntityMention) -> bool:
    """A company named as an owner after "de" / "of" or as a possessive qualifying something else, not as the
    subject: "les modèles de la marque Onvo", "as Porsche's change of strategy weighed"."""
    return bool(MODIFIER_BEFORE.search(text, max(0, mention.start - 12), mention.start)) or bool(POSSESSIVE_AFTER.match(text, mention.end))


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
    # Most figures of a paragraph ask for the same subject and period: answers kept by (position, paragraph).
    _subjects: dict[tuple[int, int, bool], str | None] = field(default_factory=dict)
    _periods_before: dict[tuple[int, int], Period | None] = field(default_factory=dict)
    _contexts: dict[int, Period | None] = field(default_factory=dict)  # ClaimReader._context_at, by position
    # (start, period, sentence start) of the actual figures read so far, in text order: the period in
    # context is the last one's that is not the base of a comparison.
    stated: list[tuple[int, Period, int]] = field(default_factory=list)
    # The metric each generic cue word was last named in full as ("marge" -> operating_margin).
    named_in_full: dict[str, str] = field(default_factory=dict)
    unlisted: frozenset[str] = frozenset()  # the companies the text names that the lexicon does not know
    last_claim: tuple[Claim, int] | None = None  # the last claim of the sentences read so far, and its paragraph
    headings: dict[int, tuple[int, int]] = field(default_factory=dict)  # bullet paragraph -> its heading line
    _asked: tuple = ((-1, -1), None)  # the last (position, figures stated) asked of ClaimReader._context_at, and its answer
    paragraph_starts: list[int] = field(default_factory=list)
    _modifiers: dict[tuple[int, int], bool] = field(default_factory=dict)  # by the mention's span: asked per figure

    def is_modifier(self, mention: EntityMention) -> bool:
        """``_modifier`` for a mention of this document, worked out once per mention."""
        key = (mention.start, mention.end)
        found = self._modifiers.get(key)
        if found is None:
            found = self._modifiers[key] = _modifier(self.text, mention)
        return found

    def heading_at(self, position: int) -> tuple[int, int] | None:
        """The heading line of the bullet list ``position`` is in ("Perspectives 2025", "Outlook"), if any."""
        if not self.headings:
            return None
        return self.headings.get(bisect_right(self.paragraph_starts, position) - 1)

    def entities_in(self, start: int, end: int) -> list[EntityMention]:
        return self.entities[bisect_left(self.entity_starts, start) : bisect_left(self.entity_starts, end)]

    def periods_in(self, start: int, end: int) -> list[PeriodMention]:
        return self.periods[bisect_left(self.period_starts, start) : bisect_left(self.period_starts, end)]

    def subject_before(self, position: int, paragraph: int, referred: bool = False) -> str | None:
        """The company the paragraph is about at ``position``: the last one it named as a subject (``referred``:
        for a phrase that refers back, "le groupe de Shenzhen"), else the document's company when the paragraph
        named it, else the last one named, else the document's."""
        key = (position, paragraph, referred)
        if key not in self._subjects:
            self._subjects[key] = self._subject_before(position, paragraph, referred)
        return self._subjects[key]

    def _subject_before(self, position: int, paragraph: int, referred: bool) -> str | None:
        para_start = self.paragraphs[paragraph][0]
        named = [m for m in self.entities_in(para_start, position) if m.company and not m.non_subject]
        # The subject the paragraph goes on about is a company named as one: not an owner after "de" / "of"
        # ("les modèles de la marque Onvo"), nor a possessive that qualifies something else ("as
        # Porsche's change of strategy weighed").
        subjects = [m for m in named if not self.is_modifier(m)]
        if not referred and any(m.company == self.main_company for m in subjects):
            return self.main_company  # a brand or rival named on the way does not take over the document's company
        for mention in reversed(subjects or named):
            return mention.company
        return self.main_company

    def period_before(self, position: int, paragraph: int) -> Period | None:
        """The last period the paragraph states with its year before ``position``, else the document's."""
        key = (position, paragraph)
        if key not in self._periods_before:
            self._periods_before[key] = self._period_before(position, paragraph)
        return self._periods_before[key]

    def _period_before(self, position: int, paragraph: int) -> Period | None:
        para_start = self.paragraphs[paragraph][0]
        for mention in reversed(self.periods_in(para_start, position)):
            if mention.period is not None and mention.explicit_year:
                return mention.period
        return self.focus or (Period(self.published.year, "Y") if self.published else None)


class SentenceView:
    """What every figure of one sentence reads: its clauses, cues, periods and entities, found once."""

    __slots__ = ("sentence", "breaks", "hard_breaks", "cues", "scan", "periods", "entities", "absolute_periods",
                 "relative_periods", "trailing", "trailing_relative", "_undated", "_base_periods", "_scopes",
                 "own_periods", "_label_ends")

    def __init__(self, sentence: Sentence, breaks: list[int], cues: list[Cue], scan: SentenceScan,
                 periods: list[PeriodMention], entities: list[EntityMention]):
        self.sentence, self.breaks, self.cues, self.scan = sentence, breaks, cues, scan
        # A parenthesis sets a figure apart but does not end what the cue before it names: "son chiffre
        # d'affaires a doublé (+101,8 %), à 20,38 milliards".
        text = scan.text
        self.hard_breaks = [b for b in breaks if text[b] not in "()"] if text.find("(", sentence.start, sentence.end) >= 0 else breaks
        self.periods, self.entities = periods, entities
        self.absolute_periods = [m for m in periods if m.period is not None]
        self.relative_periods = [m for m in periods if m.period is None]
        self.trailing: dict[int, PeriodMention] = {}  # figure start -> the period written right after it
        self.trailing_relative: dict[int, PeriodMention] = {}  # the same for "last year", "in the quarter"
        self._undated: list[PeriodMention] | None = None
        self._base_periods: dict[int, bool] = {}
        self._scopes: dict[tuple, str] = {}
        self.own_periods: list[PeriodMention] | None = None  # ClaimReader._own_periods
        self._label_ends: dict[int, int] = {}

    @property
    def undated_periods(self) -> list[PeriodMention]:
        """The periods that are not a single day."""
        if self._undated is None:
            self._undated = [m for m in self.absolute_periods if m.period.grain != "D"]
        return self._undated

    def label_end(self, mention: PeriodMention) -> int:
        """Where the figure a period labels opens ("Q3 2022: 14.5%"), or -1 when the period is no label."""
        found = self._label_ends.get(mention.end)
        if found is None:
            label = LABEL_COLON.match(self.scan.text, mention.end)
            found = self._label_ends[mention.end] = label.end() if label else -1
        return found

    def is_base_period(self, cues: CueFinder, text: str, mention: PeriodMention) -> bool:
        """Whether a comparison marker right before the period makes it the base of a change ("par rapport à 2023")."""
        found = self._base_periods.get(mention.start)
        if found is None:
            window_start = max(self.sentence.start, mention.start - 48)
            found = self._base_periods[mention.start] = bool(cues.base_period.search(text, window_start, mention.start))
        return found

    def scope_near(self, cues: CueFinder, text: str, cue: Cue, exclude: tuple[str, ...]) -> str:
        """``cues.scope_near`` around a cue; several figures often share their cue."""
        key = (cue.start, cue.end, exclude)
        if key not in self._scopes:
            self._scopes[key] = cues.scope_near(text, cue.start, cue.end, exclude)
        return self._scopes[key]


def _counts_for_focus(mention: PeriodMention) -> bool:
    """Whether ``_focus`` counts a mention: a year, or a quarter, half or month with its year."""
    period = mention.period
    return period is not None and (period.grain == "Y" or (period.grain in ("Q", "H", "M") and mention.explicit_year))


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
        period_phrases = self.periods.scan(text)
        read_once = self.periods.read_each(period_phrases)
        first_pass = [m for m in read_once if m is not None]
        # What a document is about is not what it compares with ("a 21.3% decrease compared to May 2022",
        # "11.8% (Q3 2022: 13.9%)"); when it names only such periods, it is about the year after them.
        # Only the periods ``_focus`` counts are looked at: whether the others are compared changes nothing.
        counted = [m for m in first_pass if _counts_for_focus(m)]
        compared = [m for m in counted if self.cues.base_period.search(text, max(0, m.start - 24), m.start)
                    or self.cues.comparison.search(text, max(0, m.start - 24), m.start) or LABEL_COLON.match(text, m.end)]
        compared_ids = {id(m) for m in compared}  # by identity: a mention's equality compares every field
        focus = _focus([m for m in counted if id(m) not in compared_ids])
        if (focus is None or focus.grain == "Y") and compared and not published:
            implied = _focus(compared)
            if implied is not None and (focus is None or implied.grain != "Y"):
                focus = implied.shift(years=1)
        default_year = focus.year if focus else (published.year if published else None)
        if default_year:
            periods = [m for m in self.periods.read_each(period_phrases, default_year, read_once) if m is not None]
        else:
            periods = first_pass
        if published is not None:
            periods = [dated_by_publication(m, published) for m in periods]
        context = Context(
            text, document, self.language, mentions, [m.start for m in mentions], periods,
            [m.start for m in periods], main_company(mentions, _first_subject(text, mentions)), focus, published, page.paragraphs,
        )
        context.unlisted = frozenset(m.company for m in mentions if m.unlisted)
        context.headings, context.paragraph_starts = page.headings, [start for start, _ in page.paragraphs]
        if any(m.is_product and m.is_coreference for m in mentions):
            context.entities = resolve_product_references(mentions, page.paragraphs)
            context.entity_starts = [m.start for m in context.entities]
        starts = [q.start for q in quantities]
        claims: list[Claim] = []
        for sentence in page.sentences:
            inside = quantities[bisect_left(starts, sentence.start) : bisect_right(starts, sentence.end - 1)]
            if inside:
                found = self._sentence_claims(context, sentence, inside)
                claims.extend(found)
                if found:
                    context.last_claim = (found[-1], sentence.paragraph)
        for table in page.tables:
            claims.extend(self._table_claims(context, table, quantities, starts))
        claims.sort(key=lambda c: c.start)
        return apply_document_rules(claims)

    # -- sentences -----------------------------------------------------------------------------
    def _sentence_claims(self, ctx: Context, sentence: Sentence, quantities: list[Quantity]) -> list[Claim]:
        text = ctx.text
        s, e = sentence.start, sentence.end
        view = SentenceView(sentence, clause_breaks(text, s, e), self.cues.metric_cues(text, s, e),
                            SentenceScan(text, s, e), ctx.periods_in(s, e), ctx.entities_in(s, e))
        breaks, cues, scan = view.breaks, view.cues, view.scan
        if view.absolute_periods:
            view.trailing = trailing_periods(text, quantities, view.absolute_periods, self.cues.comparison)
        if view.relative_periods:
            view.trailing_relative = trailing_periods(text, quantities, view.relative_periods, self.cues.comparison)
        quote = text[s:e].strip()
        if len(view.entities) >= 2 and (rows := self._entity_rows(ctx, view, quantities, quote)) is not None:
            return rows
        respectively = len(view.absolute_periods) >= 2 and bool(scan.matches(self.cues.respectively))
        series = self._series(text, view, quantities, respectively) \
            if respectively or len(view.absolute_periods) >= 3 else {}
        claims: list[Claim] = []
        changes_of: set[str] = set()  # metrics whose changes in this sentence follow the level's company
        # "12 cents per diluted share": a word right after a figure saying what it counts is that figure's only.
        ends = {q.end: q for q in quantities}
        per_figure = {id(c): owner for c in cues if c.family == "none"
                      for owner in (ends.get(c.start - 1) or ends.get(c.start) or ends.get(c.start - 2),) if owner is not None}
        counted = {id(owner) for owner in per_figure.values()}
        for index, q in enumerate(quantities):
            unit = q.unit
            if not _is_figure(q) or (unit is None and self.cues.is_ticker(text, q.start, q.end)):
                continue
            if unit is None and claims and abs(q.value) >= 1000:
                # "4,99 milliards de yuans, contre 6,75 milliards", "…, tandis que sa perte nette fondait à
                # 0,38 milliard": the currency is written once.
                if family_of(claims[-1].unit) == "money" and self.cues.comparison.search(text, claims[-1].end, q.start):
                    unit = claims[-1].unit
                elif abs(q.value) >= 1e6 and not q.text[-1].isdigit() and _cue_before_is_money(cues, q):
                    unit = next((c.unit for c in reversed(claims) if family_of(c.unit) == "money"), None)
            family = family_of(unit)
            if family == "percent" and self._share_of_target(text, q):
                continue  # "soit 82 % de son objectif annuel": progress towards a target, not a metric
            clause = _clause_of(breaks, s, e, q.start)
            if family == "money" and claims and _is_conversion(text, claims[-1], q):
                continue
            if family == "money" and abs(q.value) < 1:
                continue  # "41 cents a year earlier": an amount per share or per unit, never a company's total
            changed_after = family in ("percent", "money") and self.cues.change_after.match(text, q.end) is not None
            if changed_after and family == "money":
                continue  # "5 000 dollars de moins que la version Grande Autonomie": a difference, not a level
            is_change = family == "points" or (
                family == "percent" and ((q.signed and not SIGNED_LEVEL.search(text, max(s, q.start - 12), q.start)
                                          and not any(0 <= q.start - c.end <= 2 and not text[c.end:q.start].strip()
                                                      for c in cues))  # "its margin -20%"
                                         or changed_after or self.cues.is_change(text, clause[0], q.start)
                                         or _coordinated_change(text, cues, claims, q))
                and not _from_level(text, q, quantities[index + 1] if index + 1 < len(quantities) else None)
                and not FROM_PERIOD_OWN.search(text, max(s, q.start - 24), q.start)
            )
            basis, stated_basis = "", False
            if is_change:
                following = quantities[index + 1].start if index + 1 < len(quantities) else e
                # A basis phrase after the figure is its own; one before it may be the previous figure's ("up
                # 31.2% year-on-year and up 64.0% from the second quarter"), so the change's base period, when
                # it names one, decides over it. With neither, a growth is year on year.
                basis = self._basis_within(scan, q.end, following, q.start)
                stated_basis = bool(basis)
                if not basis:
                    basis = self._basis_within(scan, quantities[index - 1].end if index else s, q.start, q.start) or "yoy"
            if basis == "mom":
                continue  # month on month: not a metric of the contract
            if family == "money" and id(q) in counted:
                continue  # "earnings of $1.05 per share": what the amount counts says it is none of ours
            metric, cue = self._metric(text, [c for c in cues if per_figure.get(id(c), q) is q] if per_figure else cues, view.hard_breaks, q,
                                       family, basis, quantities[index + 1].start if index + 1 < len(quantities) else e)
            if cue is not None and cue.family == "none":
                continue
            if cue is not None and metric:
                metric = self._named_in_full(ctx, text, cue, metric)
            if metric and base_metric(metric) == "revenue_share":
                metric = self._margin_of_result(cues, q, metric)
            if metric == "net_result" and cue is not None and claims:
                metric = self._restated_result(text, claims[-1], q, cue) or metric
            if metric is None and family == "money" and _priced_product(text, view.entities, q):
                metric = "price"  # "un Model Y Standard à 39 990 dollars", "the Dolphin at €22,990"
            inherited, anaphora = None, False
            if metric is None and claims and family in ("count", "money"):
                metric = self._level_after_change(text, claims[-1], q, family)
            if metric is None:
                inherited = _compared_with(claims, q, family, unit)
                if inherited is not None:
                    metric = inherited.metric
            if metric is None and not claims and not cues and ctx.last_claim is not None \
                    and (family == "percent" or not scan.matches(self.cues.revision)):
                # "ce point a été augmenté à 120 000": the revised target; "il a augmenté de 15 %": a change
                metric = self._anaphoric_metric(ctx, view, q, family, unit, basis)
                if metric:
                    anaphora = True
            revision = None
            if metric is None and family == "count":
                revisions = scan.matches(self.cues.revision)
                revision = revisions[0] if revisions else None
                if not revision:
                    continue
            if metric is None and revision is None:
                continue
            if metric == "deliveries" and self._as_of(ctx, clause, q, quantities[:index], s):
                metric = "cumulative_deliveries"  # "had delivered over 300,000 by the end of July 2025"
            kind = self._kind(ctx, view, q, clause, [p for p in quantities[:index] if _is_figure(p)], quantities[index + 1 :])
            if revision is not None and kind != "previous":
                # "ce point a été augmenté à 120 000": the revised target named just before ("lowered its
                # original goal of 20,000" states the old one).
                kind = "target"
            period, relative, period_reason = self._period(ctx, view, clause, q, is_change, kind, metric or "", claims)
            if q.start in series:
                period, period_reason = series[q.start], "paired in order with a list of periods"
            if is_change and not stated_basis and period is not None and metric:
                implied = self._basis_of_base(ctx, view, q, period, quantities[index + 1 :])
                if implied == "mom":
                    continue
                if implied and implied != basis and metric.endswith("_" + basis):
                    metric, basis = metric[: -len(basis)] + implied, implied
            if period is not None and metric and metric.startswith("cumulative"):
                period = period.end_date()
                published = ctx.published
                if published is not None and (period.year, period.number, period.day) > (published.year, published.month, published.day):
                    # A running total is counted up to when it was written, not to the end of its year.
                    period = Period(published.year, "D", published.month, published.day)
            elif metric == "price":
                if ctx.published is not None and not view.undated_periods:
                    period = Period(ctx.published.year, "Y")  # a list price with no period of its own: as published
                elif period is not None and period.grain != "Y":
                    period = Period(period.year, "Y")  # a list price holds for its year, not the month it was quoted
            entity, entity_reason = self._entity(ctx, view, q, clause)
            if is_change and metric and (base_metric(metric) in changes_of
                                         or REPRESENTING.search(text, max(s, q.start - 40), q.start)):
                # "delivered 42,094 vehicles, made up of 38,500 from brand NIO and 3,594 from brand ONVO, representing
                # growth of 9.1% ... and of 5.2%": the changes of the sentence's first figure
                # of their metric, and its company.
                level = next((c for c in claims if base_metric(c.metric) == base_metric(metric)), None)
                if level is not None and level.entity and level.entity != entity:
                    entity, entity_reason = level.entity, "the company of the figure the change is of"
                    changes_of.add(base_metric(metric))
            if metric and entity and (spec := self.cues.specs.get(metric)) is not None and spec.product_level:
                entity = _product_of(view.entities, entity, q) or entity
            value = q.value
            if (changed_after or family == "points") and value > 0 and self.cues.decrease_after.match(text, q.end):
                value = -value  # "2.3% fewer than in 2023", "5 points de moins"
            if inherited is not None and inherited.value < 0 and value > 0 and not is_change \
                    and metric.startswith(("net_result", "operating_result")):
                value = -value  # "une perte de 4,99 milliards, contre 6,75 milliards"
            elif metric and metric.startswith(("net_result", "operating_result")) and value > 0 and not is_change:
                loss = scan.nearest(self.cues.loss, clause[0], clause[1], q.start)
                if cue and self.cues.loss.search(text, cue.start, cue.end):
                    value = -value
                elif loss and (cue is None or loss[0] <= _distance(cue, q)):
                    value = -value  # not "a net loss of ... from net income of RMB2.8 billion"
            if metric and family == "count":
                spec = self.cues.specs[metric]
                if unit is None and abs(value) < SMALLEST_BARE_COUNT and value == int(value):
                    continue  # "Chairman Lei Jun, 55, said", "in more than 50 countries": no volume of cars
                if unit in (None, "units") and spec.default_unit:
                    unit = spec.default_unit
                elif unit in PEOPLE_AND_PLACES and unit != spec.default_unit:
                    continue  # "plus de 400 magasins", "4,500 workers": not what the metric counts
            scope = ""
            if inherited is not None:
                scope = inherited.scope
            elif metric and cue is not None:
                base = base_metric(metric)
                spec = self.cues.specs.get(base)
                if spec and (spec.scoped or base == "revenue_share"):
                    exclude = ("group",) if base == "revenue_share" else ()
                    scope = view.scope_near(self.cues, text, cue, exclude)
            notes = []
            notes.append(f"entity: {entity_reason}" + (", not in the lexicon" if entity and entity in ctx.unlisted else ""))
            notes.append(f"period: {period_reason}")
            if relative:
                notes.append("period: relative to context")
            if inherited is not None:
                notes.append("metric: as the figure it is compared with")
            if anaphora:
                notes.append("metric: as the figure the sentence before states")
            claim = Claim(
                document=ctx.document, entity=entity or "", metric=metric or "", period=period.label if period else "",
                value=value, unit=unit or "", kind=kind, qualifier=q.qualifier, start=q.start,
                end=q.end, quote=quote, surface=q.text, context="sentence", scope=scope,
                precision=q.precision, notes=tuple(notes) + (("revision",) if revision is not None else ()),
            )
            if q.upper is None:
                claims.append(claim)
            else:
                claims.extend(range_bounds(text, claim, q, self.language))
        if "espectiv" in quote and scan.matches(self.cues.respectively):  # "respectively", "respectivement"
            claims = self._respective_changes(text, claims)
        return _align_previous_values(_bounds_of_ranges(text, _changes_of_levels(text, view, claims), self.language))

    def _entity_rows(self, ctx: Context, view: SentenceView, quantities: list[Quantity], quote: str) -> list[Claim] | None:
        """A table flattened into a line, one row per company: "Company June 2024 Deliveries Year-on-Year Growth
        Zeekr 20,106 89.4% Leapmotor 20,116 52.1%". The header names one column per metric or basis phrase, in
        order; each company is followed by exactly as many figures. None when the sentence is no such table."""
        text, mentions = ctx.text, [m for m in view.entities if not m.is_coreference]
        if len(mentions) < 2 or mentions[0].end > quantities[0].start:
            return None
        rows: list[tuple[EntityMention, list[Quantity]]] = []
        for i, mention in enumerate(mentions):
            end = mentions[i + 1].start if i + 1 < len(mentions) else view.sentence.end
            row = [q for q in quantities if mention.end <= q.start < end]
            gaps = [text[a:b] for a, b in zip([mention.end] + [q.end for q in row], [q.start for q in row] + [end])]
            if not row or any(gap.strip() for gap in gaps[:-1]) or gaps[-1].strip(" \t\u00a0.;"):
                return None
            rows.append((mention, row))
        width = len(rows[0][1])
        if width < 2 or any(len(row) != width for _, row in rows):
            return None
        header = view.sentence.start, mentions[0].start
        labels = sorted([(c.start, c.metric, "") for c in view.cues if header[0] <= c.start < header[1] and c.family != "none"]
                        + [(hit.start(), "", basis) for basis, regex in self.cues.basis.items()
                           for hit in regex.finditer(text, *header)])
        columns, metric = [], None
        for _, named, basis in labels:
            metric = named or metric
            if metric is None:
                return None
            columns.append(f"{metric}_{basis}" if basis else metric)
        if len(columns) != width:
            return None
        periods = [m.period for m in ctx.periods_in(*header) if m.period is not None and m.period.grain != "D"]
        period = periods[0] if periods else self._context_at(ctx, view.sentence.start)
        claims = []
        for mention, row in rows:
            for column, q in zip(columns, row):
                if column.endswith("_mom"):
                    continue  # month on month: not a metric of the contract
                spec = self.cues.specs.get(column)
                unit = spec.default_unit if q.unit in (None, "units") and spec is not None and spec.default_unit else q.unit
                claims.append(Claim(
                    document=ctx.document, entity=mention.name, metric=column, period=period.label if period else "",
                    value=q.value, unit=unit or "", kind="actual",
                    qualifier=q.qualifier, start=q.start, end=q.end, quote=quote, surface=q.text, context="table",
                    precision=q.precision, notes=("entity: the row of a table written as a line", "metric: its column"),
                ))
        return claims

    def _respective_changes(self, text: str, claims: list[Claim]) -> list[Claim]:
        """"built 10,661 vehicles and handed over 8,640, falling 21% and 36% respectively": a list of changes
        takes, in order, the metrics, companies and periods of as many levels stated before it, and the
        direction written once before the list."""
        changes = [i for i, c in enumerate(claims) if c.metric.endswith(("_yoy", "_qoq"))]
        group = changes[:1]
        for i in changes[1:]:
            if i == group[-1] + 1 and COORDINATED.fullmatch(text, claims[group[-1]].end, claims[i].start):
                group.append(i)
            elif len(group) < 2:
                group = [i]
        if len(group) < 2:
            return claims
        levels = [c for c in claims[: group[0]] if not c.metric.endswith(("_yoy", "_qoq"))]
        if len(levels) < len(group):
            return claims
        first = claims[group[0]]
        falling = first.value < 0 or bool(self.cues.decrease.search(text, max(0, first.start - 40), first.start))
        paired = list(claims)
        for i, level in zip(group, levels[-len(group):]):
            change = claims[i]
            basis = change.metric.rsplit("_", 1)[1]
            value = -abs(change.value) if falling else change.value
            paired[i] = replace(change, metric=f"{base_metric(level.metric)}_{basis}", entity=level.entity,
                                period=level.period, value=value, notes=change.notes + ("metric: paired in order with the levels before it",))
        return paired

    def _series(self, text: str, view: SentenceView, quantities: list[Quantity], respectively: bool) -> dict[int, Period]:
        """"21 017, 31 305 et 34 749 voitures en juillet, août et septembre 2025 respectivement": the figures
        of a list take the periods of a list of the same length in order (by the start of each figure). So
        do the values of a table flattened into a line, after the row of periods that heads them ("2025 Q2
        2025 Q1 2024 Q4 Deliveries 42,094 41,500 72,689")."""
        figures = _lists(text, [q for q in quantities if family_of(q.unit) is not None or q.unit is None])
        periods = _lists(text, [m for m in view.absolute_periods if m.period.grain != "D"])
        paired: dict[int, Period] = {}
        for run in figures:
            same = [p for p in periods if len(p) == len(run)]
            heading = [p for p in same if len(p) >= 3 and p[-1].end <= run[0].start
                       and SERIES_LABEL.fullmatch(text, p[-1].end, run[0].start)]
            if heading:
                mentions = heading[-1]
            elif respectively and len(run) >= 2 and len(same) == 1:
                mentions = same[0]
            else:
                continue
            year = mentions[-1].period.year if mentions[-1].explicit_year else None
            for q, m in zip(run, mentions):
                period = m.period
                if year is not None and not m.explicit_year:
                    period = replace(period, year=year)  # "en juillet, août et septembre 2025"
                paired[q.start] = period
        return paired

    def _anaphoric_metric(self, ctx: Context, view: SentenceView, q: Quantity, family: str | None, unit: str | None, basis: str) -> str | None:
        """The metric of a figure whose sentence names none, from the figure the sentence before states: after
        an anaphoric subject ("That was up 25 percent", "Ce ratio a atteint 14,6 %", "The figure"), or for a
        volume of vehicles in the same paragraph ("Its hybrids were 105,103 units")."""
        previous, paragraph = ctx.last_claim
        base = base_metric(previous.metric)
        opening = ctx.text[view.sentence.start : q.start]
        if self.cues.anaphora.search(opening):
            spec = self.cues.specs.get(base)
            if basis:
                # the change of the metric the sentence before states, itself a level or a change
                return f"{base}_{basis}" if (spec is not None and spec.family in ("count", "money")) or base.endswith("margin") else None
            # "a 20% rise in its operating profit. The income came to 3.6 trillion won": the level of that change.
            return base if spec is not None and WANTED_CUES[family][0] == spec.family else None
        if family == "count" and unit in ("vehicles", "units") and paragraph == view.sentence.paragraph \
                and family_of(previous.unit) == "count" and not basis:
            return base
        return None

    def _margin_of_result(self, cues: list[Cue], q: Quantity, metric: str) -> str:
        """A share of revenue stated for a result named before it in the sentence is that result's margin
        ("Le résultat opérationnel ... ressort à 18 % du chiffre d'affaires")."""
        for cue in reversed(cues):
            if cue.end <= q.start and cue.metric in self.cues.margin_of:
                return self.cues.margin_of[cue.metric] + metric[len("revenue_share"):]
        return metric

    def _named_in_full(self, ctx: Context, text: str, cue: Cue, metric: str) -> str:
        """A generic cue ("la marge") names the last metric of its family named in full before it, or the
        margin of the result named last ("le résultat opérationnel ..., avec une marge de 21,4 %"); a full
        cue is remembered for the generic ones after it."""
        base = base_metric(metric)
        word = text[cue.start : cue.end].lower()
        if word not in self.cues.generic:
            margin = self.cues.margin_of.get(base)
            for generic, metrics in self.cues.generic.items():
                if base in metrics:
                    ctx.named_in_full[generic] = base
                elif margin is not None and margin in metrics:
                    ctx.named_in_full[generic] = margin
            return metric
        named = ctx.named_in_full.get(word)
        return metric if named is None or named == base else named + metric[len(base):]

    def _restated_result(self, text: str, previous: Claim, q: Quantity, cue: Cue) -> str | None:
        """"une perte d'exploitation de 1,3 milliard, contre un bénéfice de 2,9 milliards": a bare profit or
        loss compared with a result keeps that result's metric."""
        if previous.metric in ("operating_result", "gross_profit") and previous.end <= cue.start \
                and not NET_WORD.search(text, cue.start, cue.end) and self.cues.comparison.search(text, previous.end, cue.start):
            return previous.metric
        return None

    def _share_of_target(self, text: str, q: Quantity) -> bool:
        for regex in PART_OF:
            owner = regex.match(text, q.end)
            if owner is not None and self.cues.target.match(text, owner.end()) is not None:
                return True
        return False

    def _level_after_change(self, text: str, change: Claim, q: Quantity, family: str) -> str | None:
        """The metric of a level stated right after its change ("deliveries rose 19.6% in Q2 to 111,074")."""
        if change.unit != "%" or not change.metric.endswith(("_yoy", "_qoq")) or not LEVEL_AFTER.search(text, change.end, q.start):
            return None
        base = base_metric(change.metric)
        spec = self.cues.specs.get(base)
        return base if spec is not None and spec.family == family and q.start - change.end <= 60 else None

    def _metric(self, text: str, cues: list[Cue], breaks: list[int], q: Quantity, family: str | None, basis: str,
                next_figure: int | None = None):
        """The metric of a figure: the nearest cue whose family fits, clause breaks counting as distance.

        News names a metric before its figure; a cue after the figure, across a clause break, usually
        opens the next figure ("..., à 22,5 milliards, tandis que la marge brute ..."), so it weighs more.
        """
        wanted = (("count", "money") if basis and family == "percent" else WANTED_CUES[family]) + ("none",)
        if basis:
            # "a 9.5% increase in net income", "une hausse de 5 % de son chiffre d'affaires": the metric the change names
            named = next((c for c in cues if c.start >= q.end and c.family in wanted and c.family != "none"
                          and self.cues.change_of_after.fullmatch(text, q.end, c.start)), None)
            if named is not None:
                return f"{named.metric}_{basis}", named
        best, best_score = None, None
        named_before = None  # whether a fitting cue comes before the figure: asked only of a cue past the next one
        for cue in cues:
            if cue.family not in wanted:
                continue
            after = cue.start >= q.end
            if after and next_figure is not None and cue.start >= next_figure:
                if named_before is None:
                    named_before = any(c.end <= q.start and c.family in wanted for c in cues)
                if named_before:
                    continue  # past the next figure: that one's, or a later one's ("rose 4.2% to 1.24 million ... price hikes")
            gap = cue.start - q.end if after else q.start - cue.end
            if q.unit is None and gap > BARE_NUMBER_REACH and (after or not _level_verb_before(text, cue.end, q.start)):
                continue  # but "Deliveries for the first ten months of 2025 came to 328,916"
            # Breaks between the cue and the figure: those in [min(cue.end, q.start), max(cue.start, q.end)).
            crossed = bisect_left(breaks, max(cue.start, q.end)) - bisect_left(breaks, min(cue.end, q.start))
            if cue.family == "none" and IN_PROPER_NAME.search(text, max(0, cue.start - 30), cue.start + 1):
                continue  # "its filing to the Shanghai Stock Exchange, up 36%": a name, no figure of its own
            score = max(gap, 0) + CLAUSE_PENALTY * crossed - 15 * (cue.priority - 1)
            if after:
                score += AFTER_PENALTY + 2 * CLAUSE_PENALTY * crossed
            if best_score is None or score < best_score:
                best, best_score = cue, score
        if best is None or best.family == "none":
            return None, best  # "shares rose 2% to HK$17.40": named, but not a business figure
        if basis:
            return f"{best.metric}_{basis}", best
        return best.metric, best

    def _basis_of_base(self, ctx: Context, view: SentenceView, q: Quantity, period: Period, later: list[Quantity]) -> str:
        """The basis a change's base period implies when no basis phrase is written: "growth of 5.2%
        from the first quarter of 2025" in Q2 2025 is quarter on quarter, "up 1.2 percent from 198,400
        units in March" in April month on month."""
        text = ctx.text
        following_change = next((o for o in later if o.unit == q.unit), None)  # the next change of its kind
        end = following_change.start if following_change is not None else view.sentence.end
        hit = self.cues.comparison.search(text, q.end, end)
        after = hit.end() if hit is not None else end
        # after a comparison word, or right after a base marker ("8% more than in May"); else one opening the
        # sentence before its first clause ends ("Compared to second quarter 2025, ... a 6.0% increase")
        first_break = view.breaks[0] if view.breaks else view.sentence.end
        base = next((m for m in view.absolute_periods if q.end <= m.start < end and m.period.grain != "D"
                     and (after <= m.start or view.is_base_period(self.cues, text, m))), None) \
            or next((m for m in view.absolute_periods if m.end <= min(q.start, first_break) and m.period.grain != "D"
                     and view.is_base_period(self.cues, text, m)), None)
        if base is None or base.period.grain != period.grain:
            return ""
        if base.period == period.shift(years=-1):
            return "yoy"
        if period.grain in ("Q", "M") and base.period == period.previous():
            return "qoq" if period.grain == "Q" else "mom"
        return ""

    def basis(self, text: str, start: int, end: int, anchor: int, scan: SentenceScan | None = None,
              anchor_end: int | None = None, after_previous: int | None = None, before_next: int | None = None,
              default: str = "yoy") -> str:
        """What a change is measured against: the basis phrase between the figure and the next one
        ("+16,7 % sur un an et +14,7 % sur un trimestre"), else between the figure and the one before;
        year on year by default (a basis phrase elsewhere in the sentence is another figure's)."""
        scan = scan or SentenceScan(text, start, end)
        lo = start if after_previous is None else after_previous
        hi = end if before_next is None else before_next
        for window_start, window_end in ((anchor if anchor_end is None else anchor_end, hi), (lo, anchor)):
            found = self._basis_within(scan, window_start, window_end, anchor)
            if found:
                return found
        return default

    def _basis_within(self, scan: SentenceScan, start: int, end: int, anchor: int) -> str:
        """The basis phrase within [start, end) nearest to ``anchor``, or ""."""
        if not scan.matches(self.cues.any_basis):
            return ""  # most sentences name no basis: one scan for all of them says so
        found = [(hit[0], name) for name, regex in self.cues.basis.items() if (hit := scan.nearest(regex, start, end, anchor))]
        return min(found, key=lambda pair: pair[0])[1] if found else ""

    def _as_of(self, ctx: Context, clause: tuple[int, int], q: Quantity, before: list[Quantity], sentence_start: int) -> bool:
        """An as-of date in the figure's clause, or opening the sentence before it ("Au 30 juin 2025, ...")."""
        for m in ctx.periods_in(before[-1].end if before else sentence_start, clause[1]):
            if m.as_of and (clause[0] <= m.start or m.end <= q.start):
                return True
        return False

    def _period(self, ctx: Context, view: SentenceView, clause: tuple[int, int], q: Quantity, is_change: bool,
                kind: str, metric: str, earlier: list[Claim]):
        text, sentence = ctx.text, view.sentence
        absolute = view.absolute_periods
        # "avait abaissé mi-juillet sa prévision", "the target it had lowered in September": when a target
        # was revised, not what any figure of the sentence is for (always a month without its year).
        if metric.startswith("cumulative"):
            dated = [m for m in absolute if m.period.grain == "D"]
            absolute = [m for m in dated or absolute if not self._revised_when(view, m)]
        else:
            absolute = self._own_periods(view)
        if is_change:
            # "en baisse de 1,1 % par rapport à 2023": 2023 is the base; the change is for the other period.
            absolute = [m for m in absolute if not view.is_base_period(self.cues, text, m)]
        if kind in ("target", "previous"):
            if any(m.explicit_year for m in absolute):
                # A target is for a stated year; an unyeared month near it says when it was set or revised
                # (an unyeared quarter is still one: "vise 132 000 livraisons au quatrième trimestre").
                absolute = [m for m in absolute if m.explicit_year or m.period.grain != "M"]
        # A label ("(Q3 2022: 14.5%)") is only the period of the figure right after its colon.
        absolute = [m for m in absolute if (label_end := view.label_end(m)) < 0 or m.end <= q.start <= label_end]

        def compared_after(m) -> bool:
            # A period after a comparison word or an opening parenthesis and another figure is that
            # figure's ("up 46.9% from 221,970 in 2024", "to RMB0.48 billion from RMB0.66 billion in the
            # previous quarter", "16,3 % (21,5 % au T3 2024)"); so is a period labelling a later figure
            # ("3.7% (Q1 2024: 6.0%)").
            if m.start < q.end:
                return False
            if LABEL_COLON.match(text, m.end):
                return True
            hit = self.cues.comparison.search(text, q.end, m.start)
            opened = text.rfind("(", q.end, m.start)
            start = max(hit.end() if hit is not None else -1, opened)
            return start >= 0 and any(ch.isdigit() for ch in text[start : m.start])

        # A period before the figure with a comparison word in between belongs to the figure compared
        # with ("rose to 253,662 yuan in Q2 2025 from 245,836 yuan in the previous quarter").
        stated = absolute  # before the periods of compared figures are set aside
        in_clause = [
            m for m in absolute
            if clause[0] <= m.start < clause[1]
            and not (m.end <= q.start and self.cues.comparison.search(text, m.end, q.start))
            and not compared_after(m)
        ]
        if not in_clause:
            absolute = [m for m in absolute if not compared_after(m)]
            if not is_change:
                # A base out of the figure's clause belongs to its change ("$7.1 billion, down 53% from 2023").
                absolute = [m for m in absolute if not view.is_base_period(self.cues, text, m)]

        def opens_sentence(m) -> bool:
            # "Un an plus tôt, ...", "Sur les dix premiers mois de l'année, ...": a period in the
            # sentence's first clause, before any of its figures, is every figure's.
            return m.end <= q.start and (not view.breaks or m.start < view.breaks[0]) \
                and not any(c.start < m.start for c in earlier)

        def near(m) -> bool:
            # A relative phrase counts in the figure's own clause, just before it ("de l'année précédente
            # (15,4 %)") or opening the sentence; one in the next clause belongs to the next figure, and
            # one after a comparison word and another figure is that figure's base ("down 13.5% from a
            # year earlier and short of the 387,000 analysts had expected").
            if compared_after(m):
                return False
            just_before = 0 <= q.start - m.end < 8
            if m.end <= q.start and not just_before and view.is_base_period(self.cues, text, m) \
                    and any(c.end <= m.start for c in earlier):
                return False
            if just_before and view.is_base_period(self.cues, text, m) and any(
                    clause[0] <= c.start and c.end <= m.start and c.metric.endswith(("_yoy", "_qoq")) for c in earlier):
                return False  # "fell 29.9% from a year earlier to RMB6.36 billion": the change's base
            if m.context:  # "sur la période", "in the quarter": not one closing the clause before
                return clause[0] <= m.start < clause[1] or opens_sentence(m)
            return clause[0] <= m.start < clause[1] or just_before or opens_sentence(m)

        own_relative = view.trailing_relative.get(q.start)
        # its own relative period counts even past a parenthesis ("7 billion yuan (US$970 million) last year")
        near_relative = [m for m in view.relative_periods if m is own_relative or near(m)]
        if own_relative is not None:
            # "cut its loss from $820 million in the same period last year to $590 million over the past quarter":
            # a figure with its own relative period leaves the periods of the other figures to them.
            taken = [m for trailing in (view.trailing, view.trailing_relative) for start, m in trailing.items() if start != q.start]
            # with the phrase that completes one ("in the same period" "last year")
            taken += [r for r in view.relative_periods if any(0 <= r.start - m.end < 3 for m in taken)]
            others = {id(m) for m in taken}
            in_clause = [m for m in in_clause if id(m) not in others]
            near_relative = [m for m in near_relative if id(m) not in others]
        # "sur la période", "in the quarter": the period in context beats one stated in another clause.
        in_context = [m for m in near_relative if m.context]
        near_relative = [m for m in near_relative if not m.context]
        # A target's period stated between its first target word and the figure beats a closer one in a
        # later clause ("objectif pour 2025, à 400 000 ..., après 108 000 au T3 2025").
        opening = next((t for t in view.scan.matches(self.cues.target) if t.end() <= q.start), None) \
            if not in_clause and kind in ("target", "previous") else None
        stated_for_target = [m for m in absolute if opening.start() <= m.start and m.end <= q.start] if opening else []
        # The candidates in order of strength; the first that applies wins and its reason is kept.
        chosen = None
        base: Period | None  # a declaration only (mypyc): the branches below set it
        own = view.trailing.get(q.start)
        if own is not None and own in stated:
            chosen, reason = own, "written right after the figure"  # "from 12.1% in Q3 2023 to 14.0% in Q3 2024"
        elif is_change and not in_clause_own(in_clause, view, q) and (later := [
                m for start, m in view.trailing.items() if start > q.start and m.start < clause[1] and m in stated
                and REACHED_BEFORE.search(text, max(q.end, start - 24), start)]):
            # "went up 8% from 190,000 yuan in Q1 2024 to 205,000 yuan in Q1 2025": the later period.
            chosen, reason = max(later, key=lambda m: m.period.end_date()), "the level the change reached"
        elif in_clause:
            chosen, reason = min(in_clause, key=lambda m: (_distance(m, q), -m.period.rank)), "in the figure's clause"
        elif opened := [m for m in stated if m.end <= q.start and RELATIVE_CLAUSE.match(text, m.end)
                        and not any(o.start < q.start for o in stated if o.start > m.end)]:
            # "8% more than in May, during which it delivered 18,616 units": the period the clause is about.
            chosen, reason = opened[-1], "the period a relative clause opens on"
        elif is_change and (same_last_year := [
                m for m in view.undated_periods if not m.explicit_year and q.end <= m.start < clause[1]
                and view.is_base_period(self.cues, text, m)
                and any(0 <= r.start - m.end < 3 and r.shift[0] == -1 for r in view.relative_periods)]):
            # "down 12.7% from October last year": the change is October's, this year.
            chosen, reason = same_last_year[0], "the period its base names, a year on"
        elif in_context:
            chosen, reason = min(in_context, key=lambda m: _distance(m, q)), "a phrase naming the period in context"
        elif stated_for_target:
            chosen, reason = stated_for_target[-1], "stated with the target word"
        elif is_change and (last_stated := _last_stated_period([c for c in earlier if c.kind == kind] or earlier)) is not None:
            # "197,189 in the first half, up 279%": a change with no period of its own is the figure's.
            base, reason = last_stated, "the figure the change is of"
        elif (free := _not_later_figures_own(text, view, absolute, q, clause)) \
                and (opening_periods := [m for m in free if opens_sentence(m)]):
            chosen, reason = opening_periods[-1], "opening the sentence"
        elif free and _nested([m.period for m in free]):
            chosen, reason = max(free, key=lambda m: m.period.rank), "the most specific of the sentence"
        elif free:
            chosen, reason = min(free, key=lambda m: _distance(m, q)), "the nearest in the sentence"
        elif bases := [m for m in view.undated_periods if m.explicit_year and not m.since
                       and view.is_base_period(self.cues, text, m)]:
            # "3,9 millions de véhicules, soit 12 % de plus qu'en 2023": a year after what it is compared with.
            base, reason = bases[0].period.shift(years=1), "a year after the period it is compared with"
        else:
            base, reason = self._context_at(ctx, sentence.start), "the period in context"
            if kind in ("target", "previous") and base is not None and base.grain == "YTD":
                # "Return on sales expected at 12% - 14%" after nine months' figures: an outlook is for the year
                base, reason = Period(base.year, "Y"), reason + ", its year"
        if chosen is not None:
            base = self._in_context(ctx, chosen)
            if chosen.dated:
                reason += ", dated by the publication date"
            if base is not None and base.grain == "Y" and chosen.explicit_year:
                # "record first-half sales of 2.1 million units in 2019": the half of that year.
                part = next((m for m in view.absolute_periods if clause[0] <= m.start < clause[1] and not m.explicit_year
                             and not m.context and m.period.grain in ("Q", "H") and m.end <= q.start), None)
                if part is not None:
                    base, reason = part.period.in_year(base.year), reason + ", in the part of the year its clause names"
        shifted = bool(in_context) and not in_clause
        published = False
        if near_relative and not is_change and base is not None and (
            not in_clause
            # "en juillet l'an dernier": a month without its year, then the year it is in.
            or (not chosen.explicit_year and any(0 <= m.start - chosen.end < 3 for m in near_relative))
        ):
            # The nearest ("contre 10,7 % un an plus tôt et 10,0 % au trimestre précédent").
            relative = min(near_relative, key=lambda m: _distance(m, q))
            years, quarters, months = relative.shift
            if relative.deictic and ctx.published is not None and not in_clause \
                    and not self._compared_figure(text, sentence.start, q.start):
                # "Last year, Geely sold 1,686,516 units": the year before publication, not a year before
                # the period in context (a compared figure, "contre 15,4 % l'an dernier", is that).
                base, reason = Period(ctx.published.year, "Y"), "the publication date"
                published = True
            reason += f", shifted by {text[relative.start:relative.end]!r}"
            base = base.shift(years=years, quarters=quarters, months=months)
            if relative.in_year is not None:
                base = base.in_year(relative.in_year)  # "sur la même période de 2024"
            # A period counted from the publication date is as firm as a written one.
            shifted = not published
        if kind == "actual" and base is not None and not shifted and base.grain != "D" and not metric.startswith("cumulative"):
            # What "sur la période" later refers to; an as-of date ("à fin juin") says when, not for what.
            ctx.stated.append((q.start, base, sentence.start))
        return base, shifted, reason

    def _own_periods(self, view: SentenceView) -> list[PeriodMention]:
        """The periods of a sentence that may be a figure's own, found once per sentence: not a day (it says
        when something was announced), not after "depuis" / "since" (when a streak began: "sa première perte
        depuis fin 2022"), nor when a target was revised."""
        if view.own_periods is None:
            view.own_periods = [m for m in view.undated_periods if not m.since and not self._revised_when(view, m)]
        return view.own_periods

    def _compared_figure(self, text: str, start: int, figure: int) -> bool:
        """A figure stated as the base of a comparison or aside: "against 7.9% in 2023", "(21,5 % au T3
        2024)", "(Q1 2024: 6.0%)"."""
        window = max(start, figure - 24)
        opened = text.rfind("(", window, figure)
        if opened >= 0 and ")" not in text[opened:figure]:
            return True
        hit = None
        for hit in self.cues.comparison.finditer(text, window, figure):
            pass
        if hit is None or any(ch.isdigit() for ch in text[hit.end() : figure]):
            return False
        return hit.group().lower() not in ("après", "after") or self._right_after(text, hit.end(), figure)

    def _right_after(self, text: str, word_end: int, figure: int) -> bool:
        """Whether a figure follows "après" / "after" with only its qualifier or sign between ("après 116 007
        au troisième trimestre": a comparison), not a verb ("après en avoir livré 108 000": a statement)."""
        from .left_context import read_left

        left = read_left(self.quantities.left, text, figure)
        anchor = left.start(0) if left is not None else figure
        return word_end >= anchor or not text[word_end:anchor].strip()

    def _revised_when(self, view: SentenceView | None, m: PeriodMention, text: str | None = None) -> bool:
        """A month without its year right after a revision word, or a few words after a word saying when it
        was given, says when a target was revised or given. Without a sentence view, the words are looked
        for in ``text`` right before the month."""
        if m.period is None or m.explicit_year or m.period.grain != "M":
            return False
        text = text if view is None else view.scan.text
        lo = max(0, m.start - 40) if view is None else max(view.sentence.start, m.start - 40)
        if any(not any(ch.isdigit() or ch in ",;" for ch in text[w.end():m.start])
               for w in self.cues.stated_when.finditer(text, lo, m.start)):
            return True  # "the forecast the carmaker had issued in late January"
        if view is None:
            return any(0 <= m.start - r.end() <= 4 for r in self.cues.revision.finditer(text, max(0, m.start - 40), m.start))
        return any(0 <= m.start - r.end() <= 4 for r in view.scan.matches(self.cues.revision))

    def _is_compared(self, text: str, m: PeriodMention) -> bool:
        """Whether a period is the base of a comparison ("than in 2024", "from 20.2% in 2023", "(Q1 2024:
        6.0%)")."""
        if self.cues.base_period.search(text, max(0, m.start - 24), m.start):
            return True
        if text[m.start - 1 : m.start] == "(" and LABEL_COLON.match(text, m.end):
            return True
        hit = None
        for hit in self.cues.comparison.finditer(text, max(0, m.start - 40), m.start):
            pass
        if hit is None:
            return False
        digit = next((i for i in range(hit.end(), m.start) if text[i].isdigit()), None)
        if digit is None:
            return False
        return hit.group().lower() not in ("après", "after") or self._right_after(text, hit.end(), digit)

    def _context_at(self, ctx: Context, position: int) -> Period | None:
        """The period in context at ``position``: that of the last actual figure stated before it (not a
        base of comparison); else the last period named before it that is not a base, a day, the start
        of a streak or itself read from the context (one without its year takes the year of the one
        before it); else the document's. The figures of one sentence ask it again: the answer is kept
        until a figure is stated before ``position`` (those the sentence states after it change nothing)."""
        (asked, counted), found = ctx._asked
        stated = ctx.stated
        if asked == position and all(start >= position for start, _, _ in stated[counted:]):
            ctx._asked = ((position, len(stated)), found)
            return found
        found = self._find_context(ctx, position)
        ctx._asked = ((position, len(stated)), found)
        return found

    def _find_context(self, ctx: Context, position: int) -> Period | None:
        heading = ctx.heading_at(position)
        if heading is not None:
            # "Perspectives 2025" over a list of bullets: the year of every figure in it.
            named = [m.period for m in ctx.periods_in(*heading) if m.period is not None and m.explicit_year
                     and m.period.grain != "D"]
            if named:
                return named[0]
        stated = ctx.stated
        index = len(stated)
        while index:
            index -= 1
            start, period, sentence_start = stated[index]
            if start < position and not self._compared_figure(ctx.text, sentence_start, start):
                # A quarter or half named in a later sentence of its own ("... s'est fait ressentir au
                # deuxième trimestre 2025. Le groupe a dégagé ...") moves the context on.
                named_since = self._named_since(ctx, start, position)
                return named_since or period
        found = ctx._contexts.get(position, ctx)
        if found is not ctx:
            return found  # type: ignore[return-value]  # the sentinel is ctx itself
        holder, year = None, None
        index = bisect_left(ctx.period_starts, position)
        while index > 0:
            index -= 1
            m = ctx.periods[index]
            if m.period is None or m.since or m.context or m.to_date or m.as_of or m.period.grain == "D" \
                    or self._is_compared(ctx.text, m) or self._revised_when(None, m, ctx.text):
                continue
            holder = holder or m
            if m.explicit_year:
                year = m.period.year
                break
        if holder is None:
            found = ctx.focus or (Period(ctx.published.year, "Y") if ctx.published else None)
        else:
            found = holder.period if holder.explicit_year or holder.dated or year is None else holder.period.in_year(year)
        ctx._contexts[position] = found
        return found

    def _named_since(self, ctx: Context, figure: int, position: int) -> Period | None:
        """The last quarter or half with its year named after the sentence of the figure at ``figure`` and
        before ``position``, that is no base of comparison."""
        sentence_end = SENTENCE_END.search(ctx.text, figure, position)
        if sentence_end is None:
            return None
        for m in reversed(ctx.periods_in(sentence_end.end(), position)):
            if m.period is not None and m.period.grain in ("Q", "H", "YTD") and (m.explicit_year or m.dated) \
                    and not (m.since or m.context or m.to_date or m.as_of) and not self._is_compared(ctx.text, m) \
                    and not _in_table_row(ctx.text, m.start):
                return m.period
        return None

    def _in_context(self, ctx: Context, m: PeriodMention) -> Period | None:
        """The period a mention names, completed by the context: "sur la période", "next year", a month
        without its year, "depuis le début de l'année" (up to the month in context)."""
        if m.explicit_year and not m.context and not m.to_date:
            return m.period
        around = self._context_at(ctx, m.start)
        if around is None:
            return m.period
        if m.context == "Y":
            if m.deictic and ctx.published is not None:
                return Period(ctx.published.year + m.shift[0], "Y")  # "this year", "next year": as published
            return Period(around.year + m.shift[0], "Y")
        if m.context:
            return _with_grain(around, m.context)
        if m.to_date:
            year = m.period.year if m.explicit_year else around.year
            last = around.last_month() if around.grain != "Y" and around.year == year else m.period.number
            return span_of(1, last).in_year(year)  # up to June is the first half, up to December the year
        return m.period if m.dated else m.period.in_year(around.year)

    def _applicable(self, ctx: Context, view: SentenceView, matches: list[re.Match], q: Quantity,
                    clause: tuple[int, int], earlier: list[Quantity]):
        """The nearest cue that governs a figure: one before it in its clause or with no other figure in
        between, or one right after it in its own clause ("500 000 véhicules, son objectif" no; "1.6
        million target" yes). A figure compared with the one before it ("guidance of 125,000, up from
        110,000") is governed as that one is."""
        best = None
        for match in matches:
            if match.end() <= q.start:
                if not self._governs(ctx, view, match, q, clause, earlier):
                    continue
                distance = q.start - match.end()
            elif match.start() >= q.end and match.start() < clause[1] and match.start() - q.end <= TRAILING_CUE_REACH:
                distance = match.start() - q.end
            else:
                continue
            if best is None or distance < best[0]:
                best = (distance, match)
        return best

    def _governs(self, ctx: Context, view: SentenceView, match: re.Match, q: Quantity, clause: tuple[int, int],
                 earlier: list[Quantity]) -> bool:
        """Whether a cue before a figure reaches it: "guidance of 125,000, bringing full-year deliveries to
        326,028": the guidance is the first figure's, not the second's."""
        if not earlier:
            return True
        governed = next((e for e in earlier if e.start >= match.end()), None)
        if governed is not None and AFTER_DOING.search(ctx.text, governed.end, q.start):
            return False  # "aims to deliver 350,000 in 2025, after delivering 157,171 in the first half (+47%)"
        if match.start() >= clause[0]:
            return True
        sentence = view.sentence
        if match.end() <= earlier[0].start:
            # The sentence opens on the cue: it reaches a later clause that states no period of its own
            # ("Analysts expect X to sell A in 2021, for revenue of B") or a later one ("…, and 80,000 in
            # 2027"), not a clause about the same or an earlier time ("loin des 158 696 véhicules livrés
            # au T4 2024", "après en avoir livré 15 000 au seul T2 2025").
            if any(m.period is None and m.shift < (0, 0, 0) for m in ctx.periods_in(clause[0], clause[1])):
                return False  # "…, well below the 158,696 it handed over a year earlier"
            years = _explicit_years(ctx, clause[0], clause[1])
            if not years:
                return True
            first = _clause_of(view.breaks, sentence.start, sentence.end, earlier[0].start)
            opening = _explicit_years(ctx, _clause_of(view.breaks, sentence.start, sentence.end, match.start())[0], first[1])
            return bool(opening) and min(years) > max(opening)
        before = earlier[-1]
        if before.end <= match.start():
            # Between the figure before and this one: a cue still in that figure's clause is its own
            # ("422 850 attendus par le consensus, et 1 636 129 sur l'année").
            return match.start() >= _clause_of(view.breaks, sentence.start, sentence.end, before.start)[1]
        if not (self.cues.comparison.search(ctx.text, before.end, q.start)
                or (view.scan.matches(self.cues.revision) and REVISION_STEP.search(ctx.text, before.end, q.start))):
            return False
        return self._governs(ctx, view, match, before, _clause_of(view.breaks, sentence.start, sentence.end, before.start),
                             earlier[:-1])

    def _kind(self, ctx: Context, view: SentenceView, q: Quantity, clause: tuple[int, int], earlier: list[Quantity],
              later: list[Quantity]) -> str:
        scan = view.scan
        text, s, e = ctx.text, scan.start, scan.end
        target = forecast = None
        if scan.matches(self.cues.target_or_forecast):  # most sentences name neither
            target = self._applicable(ctx, view, scan.matches(self.cues.target), q, clause, earlier)
            forecast = self._applicable(ctx, view, scan.matches(self.cues.forecast), q, clause, earlier)
        if forecast and (OWN_FORECAST.search(text, max(s, forecast[1].start() - 24), forecast[1].start())
                         or not scan.matches(self.cues.analysts)):
            # "sa prévision de marge", "Revenue is expected to be between ...", "le constructeur estime pouvoir
            # atteindre": with no analyst, estimate or market in the sentence, the outlook is the company's own.
            target, forecast = forecast, None
        if not target and not forecast:
            heading = ctx.heading_at(s)
            if heading is None or not self.cues.target.search(text, *heading):
                return "actual"
            # A bullet under an outlook heading: a target, and the figure it is set against the previous one
            # ("Objectifs 2025 : ... 2,6 – 2,7 Mds€ (contre 2,5 – 2,6 Mds€)").
            return "previous" if self._compared_figure(text, s, q.start) or any(
                self.cues.comparison.search(text, e.end, q.start) for e in earlier) else "target"
        before = text[max(s, q.start - 28) : q.start]
        if COMPARED_ACTUAL.search(before) and any(
            m.explicit_year and m.period is not None for m in ctx.periods_in(q.end, clause[1])
        ):
            return "actual"  # "aims to deliver 320,000 in 2025, up from 222,123 in 2024"
        if forecast and (not target or forecast[0] < target[0]):
            return "forecast"
        if scan.nearest(self.cues.previous, clause[0], min(clause[1], q.end + TRAILING_CUE_REACH + 4), q.start):
            return "previous"
        following = text[q.end : min(e, q.end + 24)]
        if RANGE_TO.match(following) and RANGE_FROM.search(text[max(s, q.start - 8) : q.start]) \
                and scan.matches(self.cues.revision):
            return "previous"  # "relevé de 100 000 à 120 000", not "une prévision de 6,8 à 7,2 milliards"
        if scan.matches(self.cues.revision):  # a revised target: the sentence says so
            if REVISED_FROM.search(before) and any(
                family_of(other.unit) == family_of(q.unit) and (
                    REVISED_TO.search(text[max(s, other.start - 6) : other.start])
                    or (self.cues.revision.search(text, other.end, q.start)
                        and self._applicable(ctx, view, scan.matches(self.cues.target), other,
                                             _clause_of(view.breaks, s, e, other.start), earlier[:i]))
                )
                for i, other in enumerate(earlier)
            ):
                return "previous"  # "cut its target to 4.6 million from 5.5 million", not "son objectif révisé de 4,6 millions"
            after = AFTER_DOING.search(text, q.end, e)
            for other in later:
                if after is not None and other.start > after.start():
                    break  # "…, after deliveries rose only 3.2% to 90,667": not a step of the revision
                if family_of(other.unit) == family_of(q.unit) and REVISED_TO.search(text[max(s, other.start - 6) : other.start]):
                    return "previous"  # "de 100 000 à 120 000 en juillet, puis à 130 000 en novembre"
        return "target"

    def _entity(self, ctx: Context, view: SentenceView, q: Quantity, clause: tuple[int, int]) -> tuple[str | None, str]:
        """The company or product a figure is stated for, and the reason it won."""
        mentions, paragraph = view.entities, view.sentence.paragraph
        for m in mentions:
            # "les 495 570 livraisons de Tesla", "12% of Tesla's revenue": the owner named right after.
            if q.end <= m.start < clause[1] and m.start - q.end <= 24 and not m.is_coreference \
                    and OWNER_BEFORE_NAME.fullmatch(ctx.text, q.end, m.start):
                return m.name, "the owner named after the figure"
        for m in mentions:
            # "38,500 vehicles from its premium brand NIO and 3,594 from its brand ONVO"
            if q.end <= m.start < clause[1] and m.start - q.end <= 90 and BRAND_AFTER.fullmatch(ctx.text, q.end, m.start):
                return m.name, "the brand named after the figure"
        in_clause = [m for m in mentions if clause[0] <= m.start < clause[1]]
        owner = _possessive_owner(ctx.text, in_clause, q)
        if owner is not None:
            return owner.name, "a possessive before the figure"  # "narrowly ahead of Tesla's 7,165", "above Tesla's $97.7 billion"
        if any(m.is_product for m in in_clause):
            # A product wins, unless a company named on its own comes between it and the figure ("unveiled
            # the YU7 and reiterated Xiaomi's goal of 350,000"; not "le Model Y de Tesla"). A product named
            # after the figure is its own only when no company is named before the figure ("Renault sold
            # 530,000 vehicles and now sells the Renault 4").
            company_before = any(o.company and not o.is_product and o.end <= q.start for o in in_clause)
            products = [m for m in in_clause if m.is_product and (m.end <= q.start or not company_before or m.start - q.end <= 2) and not any(
                o.company and not o.is_product and m.end <= o.start and o.end <= q.start
                and not OWNER_BEFORE_NAME.fullmatch(ctx.text, m.end, o.start) for o in in_clause)]
            if products:
                # The product the clause names first, before the figure, over one after it ("XPeng's Mona M03
                # delivering 15,200 units and Tesla's Model Y ...").
                before = [m for m in products if m.end <= q.start]
                return (before[-1] if before else min(products, key=lambda m: abs(m.start - q.start))).name, "a product of its clause"
        # The subject: a mention before the figure in its clause (a rival too, when it is the one acting),
        # else the last subject named before it, else one in its clause.
        before = [m for m in mentions if m.end <= q.start and not m.non_subject]
        pool = [m for m in in_clause if m.end <= q.start and (not m.non_subject or _names_subject(ctx.text, m, q))] \
            or [m for m in before if not ctx.is_modifier(m)] or before \
            or [m for m in in_clause if not m.non_subject]
        if pool:
            chosen = max(pool, key=lambda m: m.start)
            if chosen.is_coreference:
                return ctx.subject_before(chosen.start, paragraph, referred=True), "a reference to the paragraph's subject"
            if chosen.is_product and chosen is mentions[0]:
                return chosen.name, "the product the sentence is about"
            return chosen.company, "named before the figure in its sentence"
        return ctx.subject_before(view.sentence.start, paragraph), "the subject of the paragraph or the document"

    # -- tables --------------------------------------------------------------------------------
    def _table_claims(self, ctx: Context, table: Table, quantities: list[Quantity], starts: list[int]) -> list[Claim]:
        from .tables import table_claims

        return table_claims(self, ctx, table, quantities, starts)


def range_bounds(text: str, claim: Claim, q: Quantity, language: str) -> list[Claim]:
    """A range ("entre 100 000 et 110 000 véhicules", "4–5 %") states two bounds: the lower one `at_least`,
    the upper one `at_most`, each spanning its own number (the unit written once stays with the upper)."""
    join = RANGE_JOIN[language].search(text, q.start, q.upper_start)  # type: ignore[arg-type]  # a range has its upper bound
    lower_end = join.start() if join is not None else q.upper_start
    upper = -q.upper if claim.value != q.value else q.upper  # a loss or a decrease: both bounds turned
    return [
        replace(claim, qualifier="at_least", end=lower_end, surface=text[q.start:lower_end]),  # type: ignore[arg-type]
        replace(claim, value=upper, qualifier="at_most", start=q.upper_start, surface=text[q.upper_start:q.end]),  # type: ignore[arg-type]
    ]


def _product_of(mentions: list[EntityMention], company: str, q: Quantity) -> str | None:
    """The product of ``company`` a sentence names for a figure stated per product (a price, orders): the
    last one before the figure, else the first after it ("88 898 réservations pour la SU7")."""
    products = [m for m in mentions if m.is_product and m.company == company and m.name != company]
    before = [m for m in products if m.end <= q.start]
    if before:
        return before[-1].name
    return next((m.name for m in products if m.start >= q.end), None)


CONVERSION = compile_regex(r"\W*(?:soit|i\.e\.|or|ou|c\.-à-d\.|about|environ|approx\.?|près de|\()\W*(?:environ|about|près de|quelque|some|roughly)?\s*\Z", re.IGNORECASE)


def _is_conversion(text: str, previous: Claim, q: Quantity) -> bool:
    """"254 000 yuans, soit environ 30 466 €": the second amount restates the first in another currency."""
    return (
        family_of(previous.unit) == "money"
        and previous.unit != q.unit
        and 0 <= q.start - previous.end < 40
        and bool(CONVERSION.match(text, previous.end, q.start))
    )


# "up from 222,123 in 2024", "contre 135 000 en 2024": an actual figure compared with a target.
COMPARED_ACTUAL = compile_regex(
    r"(?i)(?:\b(?:up|down)\s+from|\bcontre|\baprès|\bafter|\bcompared\s+(?:with|to)|\bversus|\bvs\.?)"
    r"(?:\s+(?:more\s+than|over|about|around|nearly|almost|roughly|some|plus\s+de|près\s+de|environ|quelque))?\s*\Z"
)
# "to 350,000 from 300,000", "à 350 000 contre 300 000": the old value of a revised target.
REVISED_FROM = compile_regex(r"(?i)(?:\bfrom|\bde|\bdepuis|\bcontre|\binstead\s+of|\bau\s+lieu\s+de)\s*\Z")
# "relevé de 100 000 à 120 000": the figure after "de" / "from" and before "à" / "to" is the old value.
RANGE_TO = compile_regex(r"\s*(?:à|to)\s+[\d+≈~]")
RANGE_FROM = compile_regex(r"(?:\bde|\bfrom)\s*$")
# "sa prévision", "its forecast": the company's own outlook is a target, not an analysts' forecast.
OWN_FORECAST = compile_regex(r"(?i)(?<!\w)(?:sa|son|ses|leur|leurs|its|their)\s+(?:(?:19|20)\d\d\s+|full-year\s+|annual\s+|annuelle?\s+|"
                          r"previous\s+|prior\s+|earlier\s+|initial\s+|original\s+|précédente?\s+|initiale?\s+)?\Z")
# "après en avoir livré 108 000", "after delivering 157,171": what was done before, not what is aimed at.
AFTER_DOING = compile_regex(r"(?i)(?<!\w)(?:après|after)(?!\w)")
NET_WORD = compile_regex(r"(?i)(?<!\w)nets?(?!\w)")
# "82 % de son objectif", "82% of its annual target": a percentage of something the company owns.
PART_OF = [
    compile_regex(r"(?i)[\s\u00a0]*(?:de|du|of)\s+(?:son|sa|leur|its|their|the)\s+" + extra)
    for extra in ("", r"[\w-]+\s+")  # "of its target", "of its annual target"
]
# A product, at most two words of its version, then the amount it sells at.
PRODUCT_AT = compile_regex(r"(?i)(?:[\s\u00a0]+[\w-]+){0,2}[\s\u00a0]+(?:à|at|for|pour)[\s\u00a0]+")


def _priced_product(text: str, mentions: list[EntityMention], q: Quantity) -> bool:
    """An amount with no cue right after a product and "à"/"at": its price. Amounts in millions are not
    prices of a car ("vendu 10 000 SU7 pour 2 milliards")."""
    if abs(q.value) >= 1e6:
        return False
    return any(m.is_product and m.end <= q.start and PRODUCT_AT.fullmatch(text, m.end, q.start) for m in mentions)


# A verb stating the level of the metric named as its subject, right before the number.
LEVEL_VERB_BEFORE = compile_regex(
    r"(?i)(?<!\w)(?:came\s+to|totall?ed|totals|reached|stood\s+at|amounted\s+to|atteign\w*|atteint|"
    r"s['’]él[eè]v\w*\s+à|se\s+montent\s+à|cumule|cumulent)\s+\Z"
)
LEVEL_VERB_CHARS = 40  # the longest of those verbs, with room to spare


def _level_verb_before(text: str, start: int, figure: int) -> bool:
    """Whether one of LEVEL_VERB_BEFORE ends right before ``figure``, within [start, figure). Looked for
    only in the verb's reach: asked of every cue of a sentence for each of its figures, a search from the
    cue crossed the sentence again each time."""
    stop = figure
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return LEVEL_VERB_BEFORE.search(text, max(start, stop - LEVEL_VERB_CHARS), figure) is not None


# "rose 19.6% quarter on quarter in Q2 2025 to 111,074": the level reached after a change.
LEVEL_AFTER = compile_regex(r"(?i)(?<!\w)(?:to|à|at|pour\s+atteindre|reaching)\s+\Z")
# "de 100 000 à 120 000 ..., puis à 130 000": figures one target went through.
REVISION_STEP = compile_regex(r"(?i)(?<!\w)(?:à|to|puis|then|depuis)(?!\w)")
# "puis à 130 000": a later figure the target was revised to.
REVISED_TO = compile_regex(r"(?:\bà|\bto)\s*$")
# Between a figure and the brand it was made by: "vehicles from its premium electric brand".
BRAND_AFTER = compile_regex(r"(?i)[^\d,;()]*?(?<!\w)(?:from|de|by|par)[^\d,;()]*?(?<!\w)(?:brand|marque)[\s\u00a0]+")
# Between a figure and the company it belongs to: "livraisons de", "of", "'s ... of".
OWNER_BEFORE_NAME = compile_regex(r"[\s\u00a0]*(?:[\w’'-]+[\s\u00a0]+)?(?:de|du|des|d['’]|of)[\s\u00a0]*")


LIST_GAP = compile_regex(r"[\s\u00a0]*(?:,|;|et|and|puis|then)?[\s\u00a0]*(?:(?:et|and)[\s\u00a0]+)?(?:en|in|au|aux|à|de|of)?[\s\u00a0]*")


# "to 205,000 yuan in Q1 2025": the level a change reached.
REACHED_BEFORE = compile_regex(r"(?i)(?<!\w)(?<!compared\s)(?<!comparé\s)(?:to|à)[\s\u00a0]+(?:[^\W\d]+[\s\u00a0]+)?\Z")
# Between two changes of one list: "16% and 13%", "16 % et 13 %", "4%, 5%".
COORDINATED = compile_regex(r"(?i)[\s\u00a0]*(?:,|and|et)[\s\u00a0]*(?:(?:and|et)[\s\u00a0]+)?")
# What opens a change stated as the consequence of the figures before it.
REPRESENTING = compile_regex(r"(?i)(?<!\w)(?:representing|reflecting|marking|soit|représentant)(?:[\s\u00a0]+(?:an?|une?))?(?:[\s\u00a0]+[^\W\d_]+){0,3}[\s\u00a0]*\Z")
# A capitalised word after another one: the cue word opens no figure, it is part of a name.
IN_PROPER_NAME = compile_regex(r"(?<![.!?:\n])[\s\u00a0](?:[A-Z][\w&'’-]*[\s\u00a0]+)+[A-Z]\Z")
# A period followed by a relative clause about it: "April, during which", "en avril, au cours duquel".
RELATIVE_CLAUSE = compile_regex(r"(?i),?[\s\u00a0]+(?:during\s+which|in\s+which|when|où|au\s+cours\s+duquel|au\s+cours\s+de\s+laquelle|pendant\s+lequel|lors\s+duquel)(?!\w)")
# Between a figure and the period it is for: a few words, then "in", "au", "for the", ... ("72,056 vehicles in
# the second quarter", "205,000 yuan in Q1 2025", "14,0 % au T3 2024").
TRAILING_LINK = compile_regex(
    r"(?i)[\s\u00a0]*(?:(?:[^\W\d_][\w'’-]*|\([^()\d]{1,12}\))[\s\u00a0]+){0,5}?"
    r"(?:in|during|for|over|at|through|au|aux|en|sur|pour|pendant|lors\s+du)(?:[\s\u00a0]+(?:the|le|la|les|l['’]))?[\s\u00a0]*"
    r"|[\s\u00a0]+"  # a period phrase holding its own preposition: "in the same period", "last year"
)


# The label between a row of periods and the values under them: "Deliveries", "Revenue (RMB m)".
SERIES_LABEL = compile_regex(r"[^\d]{0,40}")
PARENTHESIS_AFTER = compile_regex(r"[\s\u00a0]*\([^()]{1,60}\)")
SENTENCE_END = compile_regex(r"[.!?](?:[\s\u00a0]|$)|\n")
# "rose from 12.1% in Q3 2023 to 14.0%", "est passée de 15,4 % à 26,4 %": the two levels of a change.
FROM_BEFORE = compile_regex(r"(?i)(?<!\w)(?:from|de|d['’])[\s\u00a0]*\Z")
TO_BEFORE = compile_regex(r"(?i)[^,;:()]*?(?<!\w)(?:to|à)[\s\u00a0]*\Z")


def _from_level(text: str, q: Quantity, following: Quantity | None) -> bool:
    """A percentage after "from" / "de" with "to" / "à" before the next percentage is the level a change
    started from, not the change ("reculé de 13 % à 74,3 milliards" is a change)."""
    return following is not None and following.unit == q.unit and FROM_BEFORE.search(text, max(0, q.start - 8), q.start) is not None \
        and TO_BEFORE.match(text, q.end, following.start) is not None


# "well up on 2023's negative 4.2%": the level of the period compared with, not a change.
FROM_PERIOD_OWN = compile_regex(r"(?i)(?<!\w)(?:from|on|than|versus|vs\.?|against|compared\s+with)[\s\u00a0]+(?:(?:19|20)\d\d|last\s+year|the\s+previous\s+year|a\s+year\s+earlier)['’]s[\s\u00a0]+\Z")
# "a gross margin of -2.1 percent", "from -3.4 percent": a negative level, not a change (a change word before it
# still makes it one: "a fall of -15%").
SIGNED_LEVEL = compile_regex(r"(?i)(?<!\w)(?:of|was|is|at|to|from|stood\s+at|à|de|est|était|contre|versus|vs\.?)[\s\u00a0]*\Z")
# "growth of 9.1% from the second quarter of 2024 and of 5.2% from the first quarter": a second change.
COORDINATION = compile_regex(r"(?i)(?:[\s\u00a0]and|[\s\u00a0]et|,)[\s\u00a0]*(?:of|de|by|par)?[\s\u00a0]*\Z")


def _coordinated_change(text: str, cues: list[Cue], claims: list[Claim], q: Quantity) -> bool:
    """A percentage joined by "and" / "et" to the change before it, with no metric named between, is a change."""
    if not claims or not claims[-1].metric.endswith(("_yoy", "_qoq")) or q.start - claims[-1].end > 80:
        return False
    previous = claims[-1]
    return COORDINATION.search(text, previous.end, q.start) is not None \
        and not any(previous.end <= c.start < q.start for c in cues)


def trailing_periods(text: str, quantities: list[Quantity], periods: list[PeriodMention],
                     comparison: re.Pattern) -> dict[int, PeriodMention]:
    """The period written right after each figure, before any other figure: that figure's own. A conversion
    in parentheses may come between ("RMB19.7 billion ($2.7 billion) in Q4 of 2024"); a comparison word may
    not ("an 18% rise from its level in 2022": 2022 is the base)."""
    found: dict[int, PeriodMention] = {}
    starts = [q.start for q in quantities]  # in text order
    index = 0
    for i, q in enumerate(quantities):
        while index < len(periods) and periods[index].start < q.end:
            index += 1
        if index == len(periods):
            break
        m = periods[index]
        start = q.end
        aside = PARENTHESIS_AFTER.match(text, q.end, m.start)
        if aside is not None:
            start = aside.end()
        first_after = bisect_left(starts, start, i + 1)  # the first later figure from ``start`` on
        if first_after < len(starts) and starts[first_after] < m.start:
            continue  # another figure comes first: the period is its own
        if m.start - start <= 40 and TRAILING_LINK.fullmatch(text, start, m.start) \
                and not comparison.search(text, start, m.start):
            found[q.start] = m
    return found


def _not_later_figures_own(text: str, view: SentenceView, periods: list[PeriodMention], q: Quantity,
                           clause: tuple[int, int]) -> list[PeriodMention]:
    """The periods that are not written right after a figure of a later clause: such a period is that figure's
    ("il a progressé de 15 %, dont 18 % sur le quatrième trimestre"), unless that figure is the level this
    change reached. Asked only when no stronger candidate decided the figure's period."""
    later_own = {id(m) for start, m in view.trailing.items() if start > q.start and m.start >= clause[1]
                 and not REACHED_BEFORE.search(text, max(q.end, start - 24), start)}
    return [m for m in periods if id(m) not in later_own]


def in_clause_own(in_clause: list[PeriodMention], view: SentenceView, q: Quantity) -> bool:
    """Whether the figure's clause states a period that is not another figure's own."""
    taken = {id(m) for start, m in view.trailing.items() if start != q.start}
    return any(id(m) not in taken for m in in_clause)


# A change and the level it belongs to, with no metric named between: "Vehicle sales decreased 3.9% to $3.6
# billion", "revenue of RMB6.1 billion, up 21.4 percent", "7,912 milliards d'euros, en hausse de 5,8 %".
CHANGE_TO_LEVEL = compile_regex(r"(?i)[\s\u00a0]*(?:(?:year[- ]on[- ]year|year[- ]over[- ]year|y/y|yoy|sequentially|quarter[- ]on[- ]quarter|sur\s+un\s+an)[\s\u00a0]+)?(?:to|à|at|pour\s+atteindre|to\s+reach|reaching|atteignant)[\s\u00a0]+\Z")
LEVEL_TO_CHANGE = compile_regex(
    r"(?i)[\s\u00a0]*(?:\([^()]*\)[\s\u00a0]*)?,?[\s\u00a0]*(?:(?:representing|marking|reflecting|which\s+is|soit)[\s\u00a0]+)?"
    r"(?:an?[\s\u00a0]+(?:\w+[\s\u00a0]+)?(?:increase|decrease|rise|drop|decline|jump|fall|gain|growth)[\s\u00a0]+of|an?|or[\s\u00a0]+an?|up|down|"
    r"(?:en[\s\u00a0]+)?(?:hausse|baisse|progression|recul|repli|croissance)[\s\u00a0]+de|\(|[+−-])[\s\u00a0]*\Z"
)


def _changes_of_levels(text: str, view: SentenceView, claims: list[Claim]) -> list[Claim]:
    """A change stated with its level takes the level's metric when no other metric is named between them:
    a money level makes its change a change of revenue, not of the sales volume its cue word names."""
    if not any(c.metric.endswith(("_yoy", "_qoq")) for c in claims):
        return claims  # most sentences state no change
    changed = list(claims)
    # "Vehicle sales were RMB13.9 billion, representing a decrease of 3.2%": where a sentence states sales in
    # money, its changes of sales are changes of revenue.
    sales_in_money = any(base_metric(c.metric) == "revenue" and family_of(c.unit) == "money" for c in claims) \
        and not any(c.metric == "sales" for c in claims)
    for i, claim in enumerate(claims):
        if not claim.metric.endswith(("_yoy", "_qoq")):
            continue
        basis = claim.metric.rsplit("_", 1)[1]
        if sales_in_money and claim.metric.startswith("sales_") and not claim.metric.startswith("sales_share"):
            claim = changed[i] = replace(claim, metric=f"revenue_{basis}", notes=claim.notes + ("metric: sales stated in money",))
        neighbours = [(claims[i + 1], CHANGE_TO_LEVEL, claim.end, claims[i + 1].start)] if i + 1 < len(claims) else []
        if i:
            neighbours.append((claims[i - 1], LEVEL_TO_CHANGE, claims[i - 1].end, claim.start))
        for level, link, start, end in neighbours:
            if level.metric.endswith(("_yoy", "_qoq")) or not level.metric or level.metric == claim.metric[: -len(basis) - 1]:
                continue
            if end - start <= 48 and link.fullmatch(text, start, end) and not any(start <= c.start < end for c in view.cues):
                changed[i] = replace(claim, metric=f"{level.metric}_{basis}", notes=claim.notes + ("metric: as the level it changes",))
                break
    return changed


def _lists(text: str, spans: list) -> list[list]:
    """Runs of spans (figures or periods) written as a list: separated by commas, "et", "and" only."""
    runs: list[list] = []
    for span in spans:
        if runs and LIST_GAP.fullmatch(text, runs[-1][-1].end, span.start):
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


def _bounds_of_ranges(text: str, claims: list[Claim], language: str) -> list[Claim]:
    """"between $2 billion and $2.5 billion", "entre 4 % et 5 %": two figures with their own units that
    bound one range are its lower (`at_least`) and upper (`at_most`) bounds."""
    bounded = list(claims)
    for i in range(len(claims) - 1):
        low, high = claims[i], claims[i + 1]
        if low.end == high.start and high.surface[:1] in "-–" and low.value > 0 > high.value and low.unit == high.unit:
            # "36.4%-43.1%": the hyphen joins the bounds, it is no minus sign
            bounded[i], bounded[i + 1] = replace(low, qualifier="at_least"), replace(high, value=-high.value, qualifier="at_most")
            continue
        if (
            low.qualifier == high.qualifier == "exact" and (low.entity, low.metric, low.unit, low.kind) == (high.entity, high.metric, high.unit, high.kind)
            and RANGE_JOIN[language].match(text[low.end : high.start])
            and RANGE_OPEN[language].search(text[max(0, low.start - 20) : low.start])
        ):
            bounded[i], bounded[i + 1] = replace(low, qualifier="at_least"), replace(high, qualifier="at_most")
    return bounded


def _align_previous_values(claims: list[Claim]) -> list[Claim]:
    """The old value of a revised target is for the target's period ("to 350,000 from 300,000")."""
    if not any(c.kind == "previous" for c in claims):
        return claims
    targets = {(c.entity, c.metric): c.period for c in claims if c.kind == "target"}
    return [
        replace(c, period=targets[(c.entity, c.metric)])
        if c.kind == "previous" and (c.entity, c.metric) in targets else c
        for c in claims
    ]


# "(Q1 2024: 6.0%)": a period followed by a colon and a figure is that figure's label.
LABEL_COLON = compile_regex(r"[\s\u00a0]*:[\s\u00a0]*[-+−–]?[\d€$£¥]")


def _with_grain(period: Period, grain: str) -> Period:
    """The period in context seen at another grain: "in the quarter" after July 2025 is 2025-Q3, "sur le
    semestre" after the second quarter is H1; a coarser context stays as it is."""
    if grain == "Y":
        return Period(period.year, "Y")
    if grain == "P" or grain == period.grain or period.grain not in ("Q", "M") or Period(period.year, grain).rank >= period.rank:
        return period
    month = period.last_month()
    return Period(period.year, grain, (month - 1) // (6 if grain == "H" else 3) + 1)


def _explicit_years(ctx: Context, start: int, end: int) -> list[int]:
    return [m.period.year for m in ctx.periods_in(start, end) if m.period is not None and m.explicit_year]


# "Tesla's 7,165", "Tesla’s first-half $97.7 billion": the figure right after a possessive name.
POSSESSIVE_BEFORE = compile_regex(r"['’]s?[\s\u00a0]+(?:[\w-]+[\s\u00a0]+)?(?:of[\s\u00a0]+)?")


def _names_subject(text: str, mention: EntityMention, q: Quantity) -> bool:
    """A company named as a rival is still the subject of the figure that follows it in the same clause
    when no comparison word comes between ("Chinese rival BYD sold 1.76 million")."""
    return not mention.is_coreference and not NOT_OWN.search(text, mention.end, q.start)


# Words after a rival's name that say the figure is not the rival's ("than BYD's 300,000" aside).
NOT_OWN = compile_regex(r"(?i)(?<!\w)(?:than|que|qu['’]|whose|dont)(?!\w)")


def _possessive_owner(text: str, mentions: list[EntityMention], q: Quantity) -> EntityMention | None:
    before = [m for m in mentions if m.end <= q.start and not m.is_coreference]
    if before and q.start - before[-1].end <= 24 and POSSESSIVE_BEFORE.fullmatch(text, before[-1].end, q.start):
        return before[-1]
    return None


def _is_figure(q: Quantity) -> bool:
    """A spelled-out number on its own ("à deux reprises") is wording, not a figure."""
    return q.unit is not None or any(ch.isdigit() for ch in q.text)


def _cue_before_is_money(cues: list[Cue], q: Quantity) -> bool:
    """Whether the metric named last before a figure is an amount of money ("perte nette ... 0,38 milliard")."""
    before = [cue for cue in cues if cue.end <= q.start]
    return bool(before) and max(before, key=lambda cue: cue.end).family == "money"


def _last_stated_period(claims: list[Claim]) -> Period | None:
    """The latest period the claims state of their own (not relative to their context), the last one
    on a tie: a change is for the later period ("to 6.0% in H1 2025 from 7.7% in H1 2024, a 1.7-point
    drop" is for H1 2025)."""
    latest = None
    for claim in claims:
        if claim.period and "period: relative to context" not in claim.notes:
            period = parse_label(claim.period)
            if period is not None and (latest is None or period.end_date() >= latest.end_date()):
                latest = period
    return latest


def _distance(mention, q: Quantity) -> int:
    return mention.start - q.end if mention.start >= q.end else max(q.start - mention.end, 0)


def _compared_with(claims: list[Claim], q: Quantity, family: str | None, unit: str | None) -> Claim | None:
    """The figure a metric-less one restates for another period: the last of the same family.

    "contre 7 % un an plus tôt", "from 443,956 a year earlier", "et 103 181 sur le trimestre".
    """
    for previous in reversed(claims):
        if family_of(previous.unit) != family:
            continue
        if family == "count" and (unit not in (None, "units", previous.unit) or abs(q.value) < 100):
            return None
        return previous
    return None


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
