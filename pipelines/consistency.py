"""Arithmetic relations between facts, checked: a level and its change in points, a growth rate and the
two levels it relates, a half-year and its two quarters, a year and its quarters (or halves), a share and
its part and total. Each relation that does not hold within the stated precisions is a warning row.

A plain function over the facts and claims tables; it never changes a fact, it only reports."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

WARNING_COLUMNS = [
    "warning_id", "entity", "relation", "metric", "scope", "period", "expected", "stated", "difference",
    "tolerance", "fact_ids", "explanation",
]
# Relative slack on a growth rate, on top of the stated precisions: rates are often computed from
# unrounded figures. Sums get none: the precision of each figure already covers its rounding.
SLACK = 0.005
NOT_ADDITIVE = re.compile(r"cumulative|price|average|share|margin|_yoy|_qoq|rate|ratio")


def year_earlier(period: str) -> str | None:
    match = re.fullmatch(r"(\d{4})(-.*)?", period)
    return f"{int(match.group(1)) - 1}{match.group(2) or ''}" if match else None


def quarter_earlier(period: str) -> str | None:
    match = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if not match:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


class _Facts:
    def __init__(self, facts: pd.DataFrame, precision: dict[str, float]):
        actual = facts[facts["kind"] == "actual"]
        self.rows = {(r.entity, r.metric, r.scope, r.period): r for r in actual.itertuples(index=False)}
        self.precision = precision

    def get(self, entity, metric, scope, period):
        return self.rows.get((entity, metric, scope, period))

    def tol(self, row) -> float:
        return float(self.precision.get(row.chosen_claim_id, 0.5 if float(row.value).is_integer() else 0.05))


def _warning(relation, anchor, expected, stated, tolerance, rows, explanation) -> dict:
    ids = [r.fact_id for r in rows]
    return {
        "warning_id": hashlib.sha256(f"{relation}|{'|'.join(ids)}".encode()).hexdigest()[:16],
        "entity": anchor.entity, "relation": relation, "metric": anchor.metric, "scope": anchor.scope,
        "period": anchor.period, "expected": float(expected), "stated": float(stated),
        "difference": float(stated) - float(expected), "tolerance": float(tolerance), "fact_ids": ids,
        "explanation": explanation,
    }


def check_consistency(facts: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per relation between facts that does not hold; empty when every relation holds."""
    if facts.empty:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    precision = {}
    if claims is not None and not claims.empty and "precision" in claims:
        precision = dict(zip(claims["claim_id"], claims["precision"].astype(float)))
    table = _Facts(facts, precision)
    warnings = []
    for (entity, metric, scope, period), change in table.rows.items():
        for suffix, earlier in (("_yoy", year_earlier), ("_qoq", quarter_earlier)):
            if not metric.endswith(suffix):
                continue
            base = metric[: -len(suffix)]
            now, before = table.get(entity, base, scope, period), table.get(entity, base, scope, earlier(period) or "")
            if now is None or before is None:
                continue
            if change.unit == "pp" or (change.unit == "%" and now.unit == "%"):
                warnings += _level_change(table, change, now, before)
            elif change.unit == "%" and now.unit != "%":
                warnings += _growth(table, change, now, before)
    for (entity, metric, scope, period), whole in table.rows.items():
        if whole.unit in ("%", "pp") or NOT_ADDITIVE.search(metric):
            continue
        half = re.fullmatch(r"(\d{4})-H([12])", period)
        if half:
            first = 1 if half.group(2) == "1" else 3
            parts = [table.get(entity, metric, scope, f"{half.group(1)}-Q{q}") for q in (first, first + 1)]
            warnings += _sum(table, "half_year_quarters", whole, parts)
        if re.fullmatch(r"\d{4}", period):
            quarters = [table.get(entity, metric, scope, f"{period}-Q{q}") for q in (1, 2, 3, 4)]
            halves = [table.get(entity, metric, scope, f"{period}-H{h}") for h in (1, 2)]
            if all(q is not None for q in quarters):
                warnings += _sum(table, "year_quarters", whole, quarters)
            elif all(h is not None for h in halves):
                warnings += _sum(table, "year_quarters", whole, halves)
    for (entity, metric, scope, period), share in table.rows.items():
        if metric.endswith("_share") and share.unit == "%":
            warnings += _share(table, share, metric[: -len("_share")])
    return pd.DataFrame.from_records(warnings, columns=WARNING_COLUMNS)


def _level_change(table, change, now, before) -> list[dict]:
    expected = now.value - before.value
    tolerance = table.tol(now) + table.tol(before) + table.tol(change)
    if abs(change.value - expected) <= tolerance + 1e-9:
        return []
    return [_warning("level_change", change, expected, change.value, tolerance, [change, now, before],
                     f"{change.metric} {change.period} is stated as {change.value:+g} points, but {now.metric} went from "
                     f"{before.value:g} % ({before.period}) to {now.value:g} % ({now.period}): {expected:+.1f} points")]


def _growth(table, change, now, before) -> list[dict]:
    if before.value == 0:
        return []
    pn, pb, pc = table.tol(now), table.tol(before), table.tol(change)
    expected = (now.value / before.value - 1) * 100
    low = ((now.value - pn) / (before.value + pb) - 1) * 100 - pc
    high = ((now.value + pn) / max(before.value - pb, 1e-12) - 1) * 100 + pc
    slack = abs(expected) * SLACK
    if low - slack <= change.value <= high + slack:
        return []
    return [_warning("growth_rate", change, expected, change.value, max(high - expected, expected - low) + slack, [change, now, before],
                     f"{change.metric} {change.period} is stated as {change.value:+g} %, but {now.metric} went from "
                     f"{_fmt(before.value, before.unit)} ({before.period}) to {_fmt(now.value, now.unit)} ({now.period}): {expected:+.1f} %")]


def _sum(table, relation, whole, parts) -> list[dict]:
    if any(p is None for p in parts):
        return []
    expected = sum(p.value for p in parts)
    tolerance = table.tol(whole) + sum(table.tol(p) for p in parts)
    if abs(whole.value - expected) <= tolerance:
        return []
    listing = " + ".join(f"{_fmt(p.value, p.unit)} ({p.period})" for p in parts)
    return [_warning(relation, whole, expected, whole.value, tolerance, [whole, *parts],
                     f"{whole.metric} {whole.period} is stated as {_fmt(whole.value, whole.unit)}, but its parts add up to "
                     f"{listing} = {_fmt(expected, whole.unit)}")]


def _share(table, share, base) -> list[dict]:
    part = table.get(share.entity, base, share.scope, share.period)
    if part is None or not share.scope:
        return []
    # Only a total stated for the whole group: a figure with no stated scope may be the part itself.
    for total_scope in ("group",):
        total = table.get(share.entity, base, total_scope, share.period)
        if total is None or total_scope == share.scope or total.value <= part.value or total.unit != part.unit:
            continue
        expected = part.value / total.value * 100
        pp, pt = table.tol(part), table.tol(total)
        low = (part.value - pp) / (total.value + pt) * 100 - table.tol(share)
        high = (part.value + pp) / (total.value - pt) * 100 + table.tol(share)
        if low <= share.value <= high:
            return []
        return [_warning("share_part_total", share, expected, share.value, max(high - expected, expected - low), [share, part, total],
                         f"{share.metric} {share.period} is stated as {share.value:g} %, but {_fmt(part.value, part.unit)} "
                         f"({part.scope}) of {_fmt(total.value, total.unit)} ({total_scope}) is {expected:.1f} %")]
    return []
