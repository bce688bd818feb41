"""Claims from pipe-delimited tables: the row label and the column header say what a cell is."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from .claims import WANTED_CUES, family_of
from .model import Claim, Quantity
from .periods import Period
from .regex_programs import compile_regex
from .segments import Table

HINT = compile_regex(r"\(([^()]{1,40})\)")
UNIT_PREFIX = compile_regex(r"(?i)^\s*(?:en|in)\s+")  # "(en millions de dollars)"
CHANGE_HEADER = compile_regex(
    r"(?i)(?<!\w)(?:variation|évolution|change|croissance|growth|hausse|yoy|qoq|y/y|q/q|vs\.?|versus|écart|delta|Δ)(?!\w)"
)


def _span_text(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def table_claims(reader, ctx, table: Table, quantities: list[Quantity], starts: list[int]) -> list[Claim]:
    text = ctx.text
    if len(table.rows) < 2:
        return []
    header, body = table.rows[0], table.rows[1:]
    columns = [_column(reader, ctx, span) for span in header]
    # The first header cell names the rows ("Indicateur", "Éléments à suivre en 2025"): a caption.
    period_columns = [c["period"] for c in columns[1:] if c["period"] is not None and not c["change"]]
    context_period = _context_period(ctx, table, columns)
    main_period = period_columns[0] if period_columns else context_period
    # A change column ("YoY", "Variation") is the change of the latest period column, not the first.
    latest_period = max(period_columns, key=Period.end_date) if period_columns else context_period
    # Two consecutive quarters or months and a "Variation" column saying no basis: quarter on quarter.
    consecutive = len(period_columns) == 2 and latest_period.grain in ("Q", "M") \
        and latest_period.previous() in period_columns
    memo: dict = {}  # what header and label cells say, read once however many cells they head
    memo["caption"] = _caption(ctx, table)
    claims = []
    for row in body:
        label = row[0]
        quote = text[row[0][0] : row[-1][1]].strip()
        # The accounting layout: a loss is written in parentheses, "(624.4)"; in such a row, and under a
        # label naming both results ("Net income (loss)"), each cell keeps its own sign.
        negatives = {cell for cell in row[1:] if _parenthesized(text, cell)}
        memo["own signs"] = bool(negatives) or _once(memo, ("loss aside", label), _loss_aside, reader, text, label)
        for index, cell in enumerate(row[1:], start=1):
            inside = quantities[bisect_left(starts, cell[0]) : bisect_left(starts, cell[1])]
            column = columns[index] if index < len(columns) else {"period": None, "change": False, "span": None, "partial": None}
            for q in inside:
                if cell in negatives and q.value > 0 and not q.signed:
                    q = replace(q, value=-q.value, start=cell[0], end=cell[1], text=text[cell[0] : cell[1]])
                claim = _cell_claim(reader, ctx, table, q, label, cell, column, columns, main_period, latest_period,
                                    consecutive, quote, memo)
                if claim is not None:
                    claims.append(claim)
    return claims


# A column named by a quarter or half alone ("Q1", "T2", "H1"): its year is the row's or the context's.
YEARLESS_PERIOD = compile_regex(r"(?i)^\s*(?:(?P<q>[QT])(?P<qn>[1-4])|(?P<h>[HS])(?P<hn>[12]))\s*$")
# A change column that names the span it compares, without a year: "YoY (9M)", "Var. (T3)", "QoQ (Q3)".
CHANGE_SPAN = compile_regex(r"(?i)\(\s*(?:(?P<ytd>1[0-2]|[1-9])\s?M|(?P<q>[QT])(?P<qn>[1-4])|(?P<h>[HS])(?P<hn>[12]))\s*\)")


def _column(reader, ctx, span):
    mentions = [m for m in ctx.periods_in(span[0], span[1]) if m.period is not None]
    words = _span_text(ctx.text, span)
    # "YoY", "Variation", or a basis phrase alone ("Sur un an", "Sur un trimestre", "Quarter on quarter").
    change = bool(CHANGE_HEADER.search(words)) or _names_basis(reader, ctx.text, span)
    period = mentions[-1].period if mentions else None
    partial = None
    if period is None:
        match = YEARLESS_PERIOD.match(words)
        if match:
            partial = ("Q", int(match.group("qn"))) if match.group("q") else ("H", int(match.group("hn")))
        elif change and (match := CHANGE_SPAN.search(words)):
            partial = ("YTD", int(match.group("ytd"))) if match.group("ytd") else \
                ("Q", int(match.group("qn"))) if match.group("q") else ("H", int(match.group("hn")))
    return {"span": span, "period": period, "change": change, "partial": partial}


def _context_period(ctx, table: Table, columns) -> Period | None:
    """A table with no period column is about the period its caption or the text before it names.

    A year in a caption ("à suivre en 2025") is refined to the document's focus period when that lies
    inside it: such tables summarise the figures the article reports.
    """
    caption = [c["period"] for c in columns if c["period"] is not None]
    if table.inline:
        before = ctx.period_before(table.start, table.paragraph)  # a list closing a sentence
    else:
        before = ctx.period_before(table.start, table.paragraph - 1) if table.paragraph > 0 else ctx.focus
    period = caption[0] if caption else before
    if period is not None and ctx.focus is not None and period.grain == "Y" and period.contains(ctx.focus):
        return ctx.focus
    return period


def _hint(reader, ctx, spans, memo: dict) -> tuple[str | None, float]:
    """A unit (and scale) stated in a header or label: "(yuans)", "(unités)", "($m)", "(RMB bn)",
    "en millions de dollars"; the first span that states one wins."""
    for span in spans:
        if span is None:
            continue
        found = _once(memo, ("hint", span), _span_hint, reader, _span_text(ctx.text, span))
        if found is not None:
            return found
    return None, 1.0


def _span_hint(reader, words: str) -> tuple[str | None, float] | None:
    unit, scale = reader.quantities.unit_hint(words)
    if unit is not None:
        return unit, scale
    for match in HINT.finditer(words):
        unit_words = UNIT_PREFIX.sub("", match.group(1))
        found = reader.quantities.read("1 " + unit_words)
        if found and found[0].start == 0 and found[0].unit:
            return found[0].unit, found[0].value
        scale = reader.quantities.hint_scale.fullmatch(unit_words.strip())
        if scale is not None:
            # "Livraisons (millions)": a scale alone; the metric gives the unit.
            return None, reader.quantities.scales.get(scale.group(), 1.0)
    return None


def _once(memo: dict, key, compute, *args):
    """``compute(*args)``, once per ``key`` in the table."""
    if key not in memo:
        memo[key] = compute(*args)
    return memo[key]


def _metric_cues(reader, ctx, span, memo: dict):
    return _once(memo, ("cues", span), reader.cues.metric_cues, ctx.text, span[0], span[1])


def _metric(reader, ctx, spans, family: str, change: bool, memo: dict):
    wanted = ("count", "money") if change and family == "percent" else WANTED_CUES[family]
    for span in spans:
        if span is None:
            continue
        cues = [c for c in _metric_cues(reader, ctx, span, memo) if c.family in wanted]
        if cues:
            return max(cues, key=lambda c: (c.priority, c.end - c.start))
    return None


def _last_cue(reader, ctx, span, family: str, change: bool, memo: dict):
    """The last cue of a fitting family in ``span``."""
    wanted = ("count", "money") if change and family == "percent" else WANTED_CUES[family]
    cues = [c for c in _metric_cues(reader, ctx, span, memo) if c.family in wanted]
    return max(cues, key=lambda c: c.end) if cues else None


def _cell_claim(reader, ctx, table, q, label, cell, column, columns, main_period, latest_period, consecutive,
                quote, memo: dict) -> Claim | None:
    text = ctx.text
    unit, scale = q.unit, 1.0
    if unit is None:
        unit, scale = _hint(reader, ctx, [label, column["span"], columns[0]["span"] if columns else None,
                                          memo.get("caption")], memo)
    family = family_of(unit)
    if family is None:
        return None
    # A change row ("YoY change", "Sur un an") under period columns: its label says so.
    change_row = family == "percent" and _once(memo, ("change row", label), _is_change_label, reader, text, label)
    change = column["change"] or family == "points" or (family == "percent" and q.signed) or change_row
    cue = _metric(reader, ctx, [cell, label, column["span"], columns[0]["span"]], family, change, memo)
    if cue is None and table.paragraph > 0 and not table.inline:
        # "Full-year delivery figures published in early January ..." then "Company | 2024 | 2025": a
        # table that names no metric is about the one the text right before it names last.
        cue = _once(memo, ("cue before", family, change), _last_cue, reader, ctx, ctx.paragraphs[table.paragraph - 1],
                    family, change, memo)
    if cue is None:
        return None
    basis = ""
    if change and not column["change"]:
        # A change cell under a period column: the row label says what it is measured against.
        basis = _once(memo, ("basis", label), reader.basis, text, label[0], label[1], label[0])
    elif change:
        basis = "yoy"
        compared = column["period"]
        if compared is not None and latest_period is not None and compared == latest_period.previous() \
                and latest_period.grain in ("Q", "M"):
            basis = "qoq"
        elif column["span"] is not None and compared is None:
            span = column["span"]
            named = _once(memo, ("basis named", span), _names_basis, reader, text, span)
            if named or not consecutive:
                basis = _once(memo, ("basis", span), reader.basis, text, span[0], span[1], span[0])
            else:
                basis = "qoq"
    if basis == "mom":
        return None  # month on month: not a metric of the contract
    metric = f"{cue.metric}_{basis}" if basis else cue.metric
    spec = reader.cues.specs[cue.metric]
    if family == "count" and unit in (None, "units") and spec.default_unit:
        unit = spec.default_unit
    entity = _entity(ctx, table, label, column["span"])
    if change:
        # Each cell of a change row takes its own column's period; a change column, the latest one.
        period = (column["period"] if not column["change"] else None) or _compared_column(column, columns) \
            or latest_period
    else:
        period = (column["period"] or _partial_period(ctx, label, column, main_period)
                  or _label_period(ctx, label) or main_period)
        if period is not None and period.grain not in ("Y", "D") and _to_date_label(ctx, label):
            # "Year-to-Date EV Sales" under "Q3 2025": the year up to that quarter.
            period = Period(period.year, "YTD", period.last_month())
    if period is not None and cue.metric.startswith("cumulative"):
        period = period.end_date()
    # A list after a colon: its header (the words before the colon) may say "objectifs", "analysts expect".
    kind = _kind(reader, text, label, column["span"] or (columns[0]["span"] if table.inline else None), memo)
    value = q.value * scale
    if cue.metric in ("net_result", "operating_result") and value > 0 and not memo.get("own signs") \
            and reader.cues.loss.search(text, label[0], label[1]):
        value = -value
    scope = ""
    if spec.scoped or cue.metric == "revenue_share":
        exclude = ("group",) if cue.metric == "revenue_share" else ()
        scope = _once(memo, ("scope", cue.start, cue.end, exclude), reader.cues.scope_near, text, cue.start, cue.end, exclude)
    return Claim(
        document=ctx.document, entity=entity or "", metric=metric, period=period.label if period else "",
        value=value, unit=unit or "", kind=kind, qualifier=q.qualifier, start=q.start, end=q.end,
        quote=quote, surface=q.text, context="table", scope=scope, precision=q.precision * scale,
    )


PARENTHESIZED = compile_regex(r"\(\s*[^()\s]*\d[^()]*\)")
CAPTION_LENGTH = 120
DIGIT_OUTSIDE_YEARS = compile_regex(r"(?<!\d)(?!(?:19|20)\d\d(?!\d))\d")


def _parenthesized(text: str, cell) -> bool:
    """A cell holding one figure in parentheses, "(624.4)", "(1 500)": a negative in accounting layout."""
    return PARENTHESIZED.fullmatch(text, cell[0], cell[1]) is not None


def _loss_aside(reader, text: str, label) -> bool:
    """A loss word in parentheses in a row label ("Net income (loss)", "Résultat net (perte)"): the row
    holds profits and losses, each cell with its own sign."""
    for match in HINT.finditer(text, label[0], label[1]):
        if reader.cues.loss.search(text, match.start(1), match.end(1)):
            return True
    return False


def _caption(ctx, table: Table):
    """The line right above a table when it is a caption ("BYD, résultats trimestriels (en millions de
    yuans)"): short and stating no figure. Its unit and scale apply to the bare cells."""
    if table.inline or table.paragraph == 0:
        return None
    start, end = ctx.paragraphs[table.paragraph - 1]
    if end - start > CAPTION_LENGTH or ctx.text[end:table.start].count("\n") != 1:
        return None
    if DIGIT_OUTSIDE_YEARS.search(ctx.text, start, end):
        return None
    return (start, end)


def _is_change_label(reader, text: str, label) -> bool:
    """A row label that names a change: "YoY change", "Variation", "Sur un an", "QoQ"."""
    return bool(CHANGE_HEADER.search(text, label[0], label[1])) or _names_basis(reader, text, label)


def _names_basis(reader, text: str, span) -> bool:
    return any(regex.search(text, span[0], span[1]) for regex in reader.cues.basis.values())


def _entity(ctx, table: Table, label, header) -> str | None:
    """The entity the row label names, else the column header, else the paragraph's subject."""
    for span in (label, header):
        if span:
            mentions = [m for m in ctx.entities_in(span[0], span[1]) if not m.is_coreference]
            if mentions:
                return mentions[0].name
    return ctx.subject_before(table.start, table.paragraph)


def _kind(reader, text: str, label, header, memo: dict) -> str:
    kind = "actual"
    for span in (label, header):
        if span:
            words = _once(memo, ("kind", span), _kind_words, reader, text, span)
            kind = words or kind
    return kind


def _kind_words(reader, text: str, span) -> str | None:
    """"target" or "forecast" when a header or label says so."""
    if reader.cues.target.search(text, span[0], span[1]):
        return "target"
    if reader.cues.forecast.search(text, span[0], span[1]):
        return "forecast"
    return None


def _compared_column(column, columns) -> Period | None:
    """The period column a change column names ("YoY (9M)" next to "9M 2025"): the latest of that span."""
    if not column["change"] or not column.get("partial"):
        return None
    grain, number = column["partial"]
    named = [c["period"] for c in columns if c["period"] is not None and not c["change"]
             and c["period"].grain == grain and c["period"].number == number]
    return max(named, key=lambda p: p.year) if named else None


def _partial_period(ctx, label, column, main_period) -> Period | None:
    """"Q1" over a row labelled "2024" is 2024-Q1; without a yeared label, the context's year."""
    if not column.get("partial"):
        return None
    grain, number = column["partial"]
    labelled = _label_period(ctx, label)
    year = labelled.year if labelled is not None else (main_period.year if main_period is not None else None)
    return Period(year, grain, number) if year is not None else None


def _to_date_label(ctx, label) -> bool:
    return any(m.to_date for m in ctx.periods_in(label[0], label[1]))


def _label_period(ctx, label) -> Period | None:
    mentions = [m for m in ctx.periods_in(label[0], label[1]) if m.period is not None]
    return mentions[-1].period if mentions else None
