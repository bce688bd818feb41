"""The rules that reconcile claims into facts: one value per entity, metric, scope, period and kind, with the rule
that decided it, one sentence an analyst can read, and a conflict row wherever claims truly disagree.

The policy (thresholds, the order of the decision rules) is read from reconciliation_policy.yaml; every
fact and conflict records the policy version that decided it.

1. Each claim is an interval: an exact figure covers half a unit of its last written digit, a hedge
   ("près de", "about") a share of its value around it, a bound ("plus de", "at least") everything past it.
2. Exact claims whose intervals meet (rounding: 20.6 bn and 20.63 bn) form one candidate; its value is
   the most precise of them. Hedged and bounded claims corroborate the candidates they meet and never
   decide against exact ones; only when no claim is exact do they form candidates themselves.
3. Targets: a later statement of a target, or a revision cue in one document (the extractor's kind
   ``previous``), supersedes the earlier value. The chain of values stays, in order, with the dates each
   value was stated and superseded (``revisions``).
4. Otherwise candidates conflict: the fact is disputed and takes a provisional value by the policy's
   ``decision_order`` (plausible, issuer, tier, independent sources, precision, recency). Copies of one
   text (syndication, translation) count as one source. Signals that explain a likely error (one digit
   differs, a factor of ten or a thousand, another scope's figure, an outlier) are kept on the conflict.

``reconcile_records`` also gives the fact timeline: what the warehouse believed at each publication
date, so that "what did we know on 2024-07-01" has an answer.

Every group of claims goes through these rules, so `make` compiles this module with mypyc
(``pipelines/compiled_modules.py``): compiled code trusts the annotations, and a value that does not
match one raises where Python would carry on. ``tests/test_compiled_modules.py`` checks that the
compiled rules give the sources' tables; FIGURES_PURE_PYTHON=1 runs the sources (to debug or trace).
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import json
import math
import operator
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import pandas as pd

from .reconciliation_policy import DECISION_STEPS, Policy

# The columns of the tables, in order: the keys of the records the rules give.
FACT_COLUMNS = [
    "fact_id", "entity", "metric", "scope", "period", "kind", "value", "unit", "qualifier", "status", "rule",
    "chosen_claim_id", "n_claims", "n_sources", "superseded_value", "superseded_by_value", "explanation",
    "learned_at", "learned_from_document_id", "policy_version",
]
CONFLICT_COLUMNS = [
    "conflict_id", "fact_id", "entity", "metric", "scope", "period", "kind", "classification", "resolution",
    "values", "claim_ids", "document_ids", "n_sources", "explanation", "provisional_value", "rule", "signals",
    "signal_details", "candidates", "policy_version",
]
REVISION_COLUMNS = [
    "fact_id", "entity", "metric", "scope", "period", "step", "value", "unit", "status", "stated_on",
    "successor_value", "superseded_on", "cue", "claim_ids", "document_ids", "policy_version",
]
TIMELINE_COLUMNS = [
    "fact_id", "entity", "metric", "scope", "period", "kind", "value", "unit", "status", "rule", "known_from",
    "known_until", "known_from_document_id", "step", "new_claim_ids", "new_document_ids", "n_sources",
    "policy_version",
]
QUALIFIER_RANK = {"exact": 3, "at_least": 2, "at_most": 2, "approx": 1}
RULE_OF_STEP: dict[str | None, str] = {  # None: no step tells the candidates apart
    "plausible": "plausible_value",
    "issuer": "issuer_release",
    "tier": "most_reliable_source",
    "independent_sources": "majority_of_sources",
    "precision": "most_precise",
    "recency": "most_recent",
}
WHY_OF_STEP: dict[str | None, str] = {
    "plausible": "the other candidates are implausible",
    "issuer": "the company's own release states it",
    "tier": "the most reliable publisher tier states it",
    "independent_sources": "more independent sources state it",
    "precision": "it is stated with more digits",
    "recency": "it is the most recent statement",
}


def interval(value: float, qualifier: str, precision: float, approx_tolerance: float = 0.05) -> tuple[float, float]:
    if qualifier == "at_least":
        return value - precision, math.inf
    if qualifier == "at_most":
        return -math.inf, value + precision
    if qualifier == "approx":
        spread = abs(value) * approx_tolerance + precision
        return value - spread, value + spread
    return value - precision, value + precision


def agree(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def fact_id_of(entity: str, metric: str, scope: str, period: str, kind: str) -> str:
    return hashlib.sha256(f"{entity}|{metric}|{scope}|{period}|{kind}".encode()).hexdigest()[:16]


def format_value(value: float, unit: str) -> str:
    if abs(value) >= 1e9:
        number = f"{value / 1e9:,.3f}".rstrip("0").rstrip(".") + " bn"
    else:
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{number} {unit}".strip()


def _date(value) -> str:
    return pd.Timestamp(value).date().isoformat() if value is not None and pd.notna(value) else "an undated source"


# --- signals -----------------------------------------------------------------------------------------

def one_digit_apart(a: float, b: float, precision: float = 0.5) -> bool:
    """Written with the same digits but one (or two neighbouring digits swapped): a probable typo."""
    if a == b or (a < 0) != (b < 0):
        return False
    step = 2 * precision if precision > 0 else 1.0
    da, db = str(int(round(abs(a) / step))), str(int(round(abs(b) / step)))
    if len(da) != len(db):
        return False
    diff = [i for i, (x, y) in enumerate(zip(da, db)) if x != y]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and da[diff[0]] == db[diff[1]] and da[diff[1]] == db[diff[0]]


def scale_factor(a: float, b: float, factors=(10, 100, 1000), tolerance: float = 0.02) -> float | None:
    """The power of ten that separates two values (2.06 bn and 20.6 bn: 10), if one does."""
    if a == 0 or b == 0 or (a < 0) != (b < 0):
        return None
    ratio = max(abs(a), abs(b)) / min(abs(a), abs(b))
    for factor in factors:
        if abs(ratio / factor - 1) <= tolerance:
            return factor
    return None


def _ratio(a: float, b: float) -> float:
    if a > 0 and b > 0:  # most pairs: what the general case below gives, at a third of its cost
        return a / b if a >= b else b / a
    if a == 0 or b == 0:
        return math.inf if a != b else 1.0
    if (a < 0) != (b < 0):
        return math.inf
    return max(abs(a), abs(b)) / min(abs(a), abs(b))


# --- candidates --------------------------------------------------------------------------------------
# A claim is a plain record (a dict of its columns and those ``prepare`` adds): a group holds a handful of
# claims, and reading them off dicts costs a fraction of building and indexing a DataFrame for each.

def _chosen_order(claim: dict) -> tuple:
    """A candidate's value is that of its claim that sorts first: exact before hedged, then the most
    precise, the most reliable source, the latest."""
    return (-QUALIFIER_RANK.get(claim["qualifier"], 0), claim["precision"], -claim["tier_rank"],
            -claim["published_order"], claim["claim_id"])


class Candidate:
    """Claims that state one value within their precision, and the hedged claims that meet it."""

    def __init__(self, claims: list[dict]):
        self.claims = claims
        self.corroborating: list[dict] = []
        self.flags: list[str] = []
        self.chosen = claims[0] if len(claims) == 1 else min(claims, key=_chosen_order)
        # Read for every pair of candidates (signals) and every decision step: computed once, since the
        # claims of a candidate never change once it is formed.
        self.value = float(self.chosen["value"])
        self.independent = _n_sources(claims)
        self.issuer = any(c["tier"] == "issuer" for c in claims)
        self.tier_rank = int(max(c["tier_rank"] for c in claims))
        self.latest = float(max(c["published_order"] for c in claims))
        self.precision = float(min(c["precision"] for c in claims))  # the finest precision among the claims

    @property
    def all_claims(self) -> list[dict]:
        return self.claims + self.corroborating

    def key(self, step: str):
        if step == "plausible":
            return 0 if self.flags else 1
        if step == "issuer":
            return int(self.issuer)
        if step == "tier":
            return self.tier_rank
        if step == "independent_sources":
            return self.independent
        if step == "precision":
            return -self.precision
        if step == "recency":
            return self.latest
        raise ValueError(step)

    def label(self) -> str:
        return self._label

    @cached_property
    def _label(self) -> str:
        return format_value(self.value, self.chosen["unit"])

    def record(self, chosen: bool) -> dict:
        best_tier = max(self.claims, key=lambda c: c["tier_rank"])["tier"]  # the first claim of the best tier
        return {
            "value": self.value, "chosen": chosen, "claim_ids": sorted(c["claim_id"] for c in self.claims),
            "corroborating_claim_ids": sorted(c["claim_id"] for c in self.corroborating),
            "document_ids": sorted({c["document_id"] for c in self.claims}), "independent_sources": self.independent,
            "issuer": self.issuer, "best_tier": best_tier if isinstance(best_tier, str) else "unknown",
            "qualifier": self.chosen["qualifier"], "surfaces": sorted({str(c["surface"]) for c in self.claims if c["surface"]}),
            "flags": self.flags,
        }


def _n_sources(claims: list[dict]) -> int:
    """Independent sources: copies of one text count once."""
    return len({c["source_group"] for c in claims})


def _meeting(spans: list[tuple[float, float]]) -> list[list[int]]:
    """Positions of intervals sorted by value, grouped where they meet, transitively."""
    groups: list[list[int]] = []
    current: list[int] = []
    high = -math.inf
    for position, (low, top) in enumerate(spans):
        if current and low > high:
            groups.append(current)
            current, high = [], -math.inf
        current.append(position)
        high = max(high, top)
    if current:
        groups.append(current)
    return groups


def _components(claims: list[dict], tolerance: float) -> list[list[dict]]:
    """Claims grouped by intervals that meet, transitively, in order of value."""
    rows = sorted(claims, key=lambda c: (c["value"], c["claim_id"]))
    spans = [interval(c["value"], c["qualifier"], c["precision"], tolerance) for c in rows]
    return [[rows[i] for i in group] for group in _meeting(spans)]


def candidates_of(claims: list[dict], policy: Policy) -> tuple[list[Candidate], list[dict]]:
    """The candidates, and the hedged claims that meet none of them."""
    exact = [c for c in claims if c["qualifier"] == "exact"]
    if not exact:
        return [Candidate(c) for c in _components(claims, policy.approx_tolerance)], []
    candidates = [Candidate(c) for c in _components(exact, policy.approx_tolerance)]
    if len(exact) == len(claims):
        return candidates, []
    # The intervals of a candidate's claims meet one another: together they cover one interval, without a
    # gap, and a hedged claim meets the candidate when it meets that interval. Those intervals end in order
    # (each candidate starts past the end of the one before), but a wide claim can make one start before
    # earlier ones: the candidates a hedged claim may meet run from the first that ends after it begins
    # to the last that starts before it ends.
    covered = [_covered(candidate.claims) for candidate in candidates]
    highs = [high for _, high in covered]
    lowest_from = list(itertools.accumulate(reversed([low for low, _ in covered]), min))[::-1]
    unmatched = []
    for claim in claims:
        if claim["qualifier"] == "exact":
            continue
        low, high = interval(claim["value"], claim["qualifier"], claim["precision"], policy.approx_tolerance)
        met = False
        position = bisect.bisect_left(highs, low)
        while position < len(candidates) and lowest_from[position] <= high:
            if covered[position][0] <= high:
                candidates[position].corroborating.append(claim)
                met = True
            position += 1
        if not met:
            unmatched.append(claim)
    return candidates, unmatched


def _covered(claims: list[dict]) -> tuple[float, float]:
    """The interval the exact intervals of claims cover."""
    spans = [interval(c["value"], "exact", c["precision"]) for c in claims]
    return min(low for low, _ in spans), max(high for _, high in spans)


# Comparing every candidate with every other grows with the square of their number, and a group stated by
# hundreds of sources has hundreds of candidates: the pairs that may differ in one digit or by a power of
# ten are looked up instead, then checked with the same functions.

def _one_digit_variants(number: int) -> list[int]:
    """The numbers written with as many digits as ``number`` that differ from it in one digit, or in two
    neighbouring digits swapped: made by arithmetic on each digit's place, not by writing strings."""
    digits = [int(d) for d in reversed(str(number))]  # units first
    last = len(digits) - 1
    variants: list[int] = []
    for place, digit in enumerate(digits):
        variants += map(number.__add__, _digit_changes(place, digit, place == last and last > 0))
        if place < last and digits[place + 1] != digit and (digit or place + 1 < last):  # no leading zero
            variants.append(number + (digit - digits[place + 1]) * 9 * 10 ** place)  # the two swapped
    return variants


@cache
def _digit_changes(place: int, digit: int, leading: bool) -> tuple[int, ...]:
    """What writing each other digit in place of ``digit`` at ``place`` (units first) adds to a number; a
    leading digit never becomes a zero."""
    return tuple((other - digit) * 10 ** place for other in range(1 if leading else 0, 10) if other != digit)


def _typo_pairs(candidates: list[Candidate]) -> set[tuple[int, int]]:
    """Positions (i < j) of the candidates whose values one_digit_apart finds one digit apart, at the finer
    precision of the two: each candidate looks up the others, as precise or less, counted in its step."""
    pairs = set()
    for precision in {c.precision for c in candidates}:
        step = 2 * precision if precision > 0 else 1.0
        by_sign: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})  # positive or zero, negative
        for j, b in enumerate(candidates):
            if b.precision >= precision:
                by_sign[b.value < 0].setdefault(int(round(abs(b.value) / step)), []).append(j)
        for i, a in enumerate(candidates):
            if a.precision != precision:
                continue
            counted = by_sign[a.value < 0]
            for variant in counted.keys() & _one_digit_variants(int(round(abs(a.value) / step))):  # one set operation
                for j in counted[variant]:
                    if one_digit_apart(a.value, candidates[j].value, min(a.precision, candidates[j].precision)):
                        pairs.add((min(i, j), max(i, j)))
    return pairs


def _scale_pairs(candidates: list[Candidate], factors: tuple[float, ...], tolerance: float) -> dict[tuple[int, int], float]:
    """Positions (i < j) of the candidates scale_factor finds a (positive) factor apart, with the factor: for
    each value and factor, the values of the same sign within the tolerance of value times factor."""
    pairs = {}
    by_sign: dict[bool, list[tuple[float, int]]] = {}
    for i, c in enumerate(candidates):
        if c.value != 0:
            by_sign.setdefault(c.value < 0, []).append((abs(c.value), i))
    for magnitudes in by_sign.values():
        magnitudes.sort()
        for magnitude, i in magnitudes:
            for factor in factors:
                # A little wider than the tolerance, so that rounding never hides a pair scale_factor would find.
                low = magnitude * factor * (1 - tolerance) * (1 - 1e-9)
                high = magnitude * factor * (1 + tolerance) * (1 + 1e-9)
                position = bisect.bisect_left(magnitudes, (low, -1))
                while position < len(magnitudes) and magnitudes[position][0] <= high:
                    j = magnitudes[position][1]
                    if j != i and (found := scale_factor(candidates[i].value, candidates[j].value, factors, tolerance)):
                        pairs[min(i, j), max(i, j)] = found
                    position += 1
    return pairs


def _outliers(candidates: list[Candidate], ratio: float) -> list[tuple[Candidate, float]]:
    """The candidates whose nearest other value is ``ratio`` times away or more, with that distance (among
    three or more candidates, or less supported than the other). Candidates come in order of value (as
    candidates_of gives them), so the nearest value by ratio, of the same sign and the nearest magnitude,
    is a neighbour's."""
    if len(candidates) < 2:
        return []
    outliers = []
    for i, c in enumerate(candidates):
        nearest = _outlier_distance(candidates, i, ratio)
        if nearest is not None:
            outliers.append((c, nearest))
    return outliers


def _outlier_distance(candidates: list, i: int, ratio: float) -> float | None:
    """How many times candidate ``i``'s value is from its nearest neighbour's, if that makes it an outlier
    (two or more candidates, in order of value; each has ``value`` and ``independent``)."""
    value = candidates[i].value
    first = candidates[i - 1] if i else candidates[1]
    nearest = _ratio(value, first.value)
    if i and i + 1 < len(candidates):
        nearest = min(nearest, _ratio(value, candidates[i + 1].value))
    if nearest >= ratio and (len(candidates) >= 3 or candidates[i].independent < first.independent):
        return nearest
    return None


def signals_of(candidates: list[Candidate], policy: Policy, other_scopes: Sequence[dict]) -> list[tuple[str, str]]:
    """(code, sentence) for each signal of a likely error among disagreeing candidates; flags as
    implausible a candidate far from every other one (among three or more, or less supported than the other)."""
    signals = []
    typos = _typo_pairs(candidates) if policy.typo else set()
    scales = _scale_pairs(candidates, policy.scale_factors, policy.scale_tolerance)
    for i, j in sorted(typos | scales.keys()):  # pairs in order, as comparing each with each gives them
        a, b = candidates[i], candidates[j]
        if (i, j) in typos:
            weaker, stronger = sorted((a, b), key=lambda c: (c.independent, c.tier_rank))
            signals.append(("probable_typo", f"{weaker.label()} and {stronger.label()} differ in one digit: probable typo"))
        if (i, j) in scales:
            # Which of the two is scaled is not known from the values: the signal informs, the policy decides.
            signals.append(("probable_scale_error", f"{a.label()} and {b.label()} differ by a factor of {scales[i, j]:,.0f}: probable scale error"))
    for candidate, ratio in _outliers(candidates, policy.outlier_ratio):
        candidate.flags.append("outlier")
        signals.append(("outlier", f"{candidate.label()} is {ratio:,.0f} times away from every other candidate: outlier"))
    if other_scopes:
        other_spans = [(other, interval(other["value"], other["qualifier"], other["precision"], policy.approx_tolerance))
                       for other in other_scopes]
        for candidate in candidates:
            spans = [interval(c["value"], "exact", c["precision"]) for c in candidate.claims]
            for other, other_span in other_spans:
                if any(agree(s, other_span) for s in spans):
                    scope = other["scope"] or "no stated scope"
                    signals.append(("different_scope", f"{candidate.label()} is the figure stated for scope '{scope}': probably another scope"))
                    break
    return list(dict.fromkeys(signals))  # each signal once, in order


def decide(candidates: list[Candidate], order: tuple[str, ...]) -> tuple[Candidate, str | None]:
    """The candidate the first separating step of ``order`` prefers, and that step."""
    remaining = list(candidates)
    for step in order:
        keys = [c.key(step) for c in remaining]
        best = max(keys)
        kept = [c for c, key in zip(remaining, keys) if key == best]
        if len(kept) < len(remaining):
            remaining = kept
            if len(remaining) == 1:
                return remaining[0], step
    # Nothing separates them: the smaller value, so that the choice does not depend on input order.
    return min(remaining, key=lambda c: c.value), None


# --- groups --------------------------------------------------------------------------------------------

def _dated(claim: dict) -> bool:
    return pd.notna(claim["published"])


def _first_date(claims: list[dict]):
    """The earliest publication date of the claims; NaT when none is dated."""
    return min((c["published"] for c in claims if _dated(c)), default=pd.NaT)


@dataclass
class Group:
    entity: str
    metric: str
    scope: str
    period: str
    kind: str
    claims: list[dict]
    policy: Policy

    @property
    def fact_id(self) -> str:
        return fact_id_of(self.entity, self.metric, self.scope, self.period, self.kind)

    def fact(self, chosen: dict, status: str, rule: str, explanation: str, claims: list[dict] | None = None,
             superseded=None, superseded_by=None, learned: list[dict] | None = None) -> dict:
        claims = self.claims if claims is None else claims
        learned = claims if learned is None else learned
        # Learned when the first source stating the value was published; undated: at ingestion (filled on load).
        dated = [c for c in learned if _dated(c)]
        if dated:
            first = min(dated, key=lambda c: (c["published"], c["document_id"]))
            learned_at, learned_from = first["published"], first["document_id"]
        else:
            learned_at, learned_from = pd.NaT, min(c["document_id"] for c in learned)
        return {
            "fact_id": self.fact_id, "entity": self.entity, "metric": self.metric, "scope": self.scope,
            "period": self.period, "kind": self.kind, "value": float(chosen["value"]), "unit": chosen["unit"],
            "qualifier": chosen["qualifier"], "status": status, "rule": rule, "chosen_claim_id": chosen["claim_id"],
            "n_claims": len(claims), "n_sources": _n_sources(claims),
            "superseded_value": superseded, "superseded_by_value": superseded_by, "explanation": explanation,
            "learned_at": learned_at, "learned_from_document_id": learned_from, "policy_version": self.policy.version,
        }

    def conflict(self, classification: str, resolution: str, claims: list[dict], explanation: str,
                 provisional=None, rule=None, signals=(), candidates=()) -> dict:
        ids = sorted(c["claim_id"] for c in claims)
        return {
            "conflict_id": hashlib.sha256(("|".join(ids) + classification).encode()).hexdigest()[:16],
            "fact_id": self.fact_id, "entity": self.entity, "metric": self.metric, "scope": self.scope,
            "period": self.period, "kind": self.kind, "classification": classification, "resolution": resolution,
            "values": sorted({float(c["value"]) for c in claims}), "claim_ids": ids,
            "document_ids": sorted({c["document_id"] for c in claims}), "n_sources": _n_sources(claims),
            "explanation": explanation, "provisional_value": provisional, "rule": rule,
            "signals": [code for code, _ in signals], "signal_details": [text for _, text in signals],
            "candidates": json.dumps(list(candidates), ensure_ascii=False, default=str), "policy_version": self.policy.version,
        }


def _describe_claim(claim: dict) -> str:
    return f"'{claim['surface'] or format_value(claim['value'], claim['unit'])}' in {claim['document']}"


def _sources(n: int) -> str:
    return "1 source" if n == 1 else f"{n} independent sources"


def _hedged_record(claim: dict) -> dict:
    """A hedged claim that meets no exact value, as a conflict lists it among the candidates."""
    return {"value": float(claim["value"]), "chosen": False, "claim_ids": [claim["claim_id"]],
            "document_ids": [claim["document_id"]], "qualifier": claim["qualifier"], "flags": ["hedged"]}


def _main_unit(claims: list[dict]) -> str:
    """The unit most claims state; of units stated as often, that of the first of ``claims`` (the warehouse
    gives them in order of id, so every run and machine keeps the same). pandas' value_counts, used before,
    ordered such ties by the sort numpy picks for the processor: two machines could keep different units."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for position, claim in enumerate(claims):
        counts[claim["unit"]] += 1
        first.setdefault(claim["unit"], position)
    return _most_stated(counts, first)


def _most_stated(counts: Counter, first: dict[str, int]) -> str:
    """The unit of the largest count; of units counted as often, the one whose first claim comes first."""
    if len(counts) == 1:  # most groups
        return next(iter(counts))
    return min(counts, key=lambda unit: (-counts[unit], first[unit]))


def _reconcile_level(group: Group, other_scopes: Sequence[dict] = ()) -> tuple[list[dict], list[dict]]:
    claims = group.claims
    conflicts = []
    if len({c["unit"] for c in claims}) > 1:
        main_unit = _main_unit(claims)
        odd = [c for c in claims if c["unit"] != main_unit]
        conflicts.append(group.conflict(
            "unit_mismatch", f"kept the claims in {main_unit}", claims,
            f"{len(odd)} claim(s) state the figure in {', '.join(sorted({c['unit'] for c in odd}))} instead of {main_unit}",
        ))
        claims = [c for c in claims if c["unit"] == main_unit]
    candidates, unmatched = candidates_of(claims, group.policy)
    if len(candidates) == 1:
        candidate = candidates[0]
        chosen, value = candidate.chosen, candidate.label()
        support = candidate.all_claims
        if not unmatched:
            return [_agreed_fact(group, candidate, support)], conflicts
        # Hedged mentions that meet no exact value never decide against it; they are kept as candidates.
        explanation = (f"{value} from {_describe_claim(chosen)} is kept: exact figures decide over hedged ones; "
                       f"{', '.join(_describe_claim(c) for c in unmatched)} meet(s) no exact value")
        records = [candidate.record(True)] + [_hedged_record(c) for c in unmatched]
        conflicts.append(group.conflict("disagreement", "kept the exact figure over hedged ones; marked disputed", claims,
                                        explanation, float(chosen["value"]), "exact_over_hedged", (), records))
        return [group.fact(chosen, "disputed", "exact_over_hedged", explanation, claims=claims, learned=support)], conflicts
    signals = signals_of(candidates, group.policy, other_scopes)
    winner, step = decide(candidates, group.policy.decision_order)
    rule = RULE_OF_STEP.get(step, "tie_smallest_value")
    why = WHY_OF_STEP.get(step, "nothing separates the candidates, so the smallest value is shown")
    listing = "; ".join(f"{c.label()} ({_sources(c.independent)}{', issuer' if c.issuer else ''})"
                        for c in sorted(candidates, key=lambda c: -c.independent))
    explanation = (f"{winner.label()} is provisional: {len(candidates)} candidates disagree ({listing}); "
                   f"kept by rule {rule} because {why}")
    if signals:
        explanation += f"; signals: {'; '.join(text for _, text in signals)}"
    resolution = f"provisional value {winner.label()} by {rule}; marked disputed"
    records = [c.record(c is winner) for c in candidates] + [_hedged_record(c) for c in unmatched]
    conflicts.append(group.conflict("disagreement", resolution, claims, explanation, winner.value, rule, signals, records))
    fact = group.fact(winner.chosen, "disputed", rule, explanation, claims=claims, learned=winner.all_claims)
    return [fact], conflicts


def _agreed_fact(group: Group, candidate: Candidate, support: list[dict], status=None, rule=None, lead="") -> dict:
    chosen, value = candidate.chosen, candidate.label()
    sources = _n_sources(support)
    documents = len({c["document_id"] for c in support})
    qualifiers = {c["qualifier"] for c in support}
    hedged = sorted(qualifiers - {"exact"}) if "exact" in qualifiers else []
    values = sorted({c["value"] for c in candidate.claims})
    details = []
    if len(values) > 1:
        details.append(f"{', '.join(format_value(v, chosen['unit']) for v in values)} "
                       "agree within their stated precision (the most precise is kept)")
    if hedged:
        details.append(f"hedged mentions ({', '.join(hedged)}) corroborate it")
    if documents > sources:
        details.append(f"{documents} documents, copies of {sources} text(s), count as {_sources(sources)}")
    detail = "; " + "; ".join(details) if details else ""
    if len(support) == 1:
        status, rule = status or "single", rule or "single_claim"
        explanation = f"{lead}{value}, stated once: {_describe_claim(chosen)}"
    elif sources > 1:
        status, rule = status or "confirmed", rule or "corroborated"
        explanation = f"{lead}{value}: {len(support)} mentions in {_sources(sources)} agree{detail}; kept {_describe_claim(chosen)}"
    else:
        status, rule = status or "consistent", rule or "agreeing_mentions"
        explanation = f"{lead}{value}: {len(support)} mentions in one source agree{detail}; kept {_describe_claim(chosen)}"
    return group.fact(chosen, status, rule, explanation, claims=support)


def _cue_of(claims: list[dict], cues: tuple[str, ...]) -> str | None:
    for claim in claims:
        quote = claim.get("quote")
        if quote is None or pd.isna(quote):
            continue
        lowered = str(quote).lower()
        for cue in cues:
            if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", lowered):
                return cue
    return None


def _revised_pairs(claims: list[dict], cluster_of: dict[str, int]) -> set[tuple[int, int]]:
    """(former, new) clusters named together by one document: a former target and the target replacing it."""
    former: dict[str, set[int]] = {}
    new: dict[str, set[int]] = {}
    for claim in claims:
        named = former if claim["kind"] == "previous" else new if claim["kind"] == "target" else None
        if named is not None:
            named.setdefault(claim["document_id"], set()).add(cluster_of[claim["claim_id"]])
    return {(a, b) for document, olds in former.items() for a in olds for b in new.get(document, ()) if a != b}


def _reconcile_targets(targets: Group, previous: Group | None) -> tuple[list[dict], list[dict], list[dict]]:
    """The newest target wins; each value it replaced stays, in a chain with its dates."""
    policy = targets.policy
    claims = targets.claims
    everything = claims + previous.claims if previous is not None else claims
    clusters = _components(everything, policy.approx_tolerance)
    stated = [[c for c in cluster if c["kind"] == "target"] for cluster in clusters]
    with_targets = [i for i, s in enumerate(stated) if s]
    cluster_of = {c["claim_id"]: i for i, cluster in enumerate(clusters) for c in cluster}
    # A document that names a former target and the new one orders them, dated or not.
    revised = _revised_pairs(everything, cluster_of)
    if len(with_targets) > 1:
        # Values stated as current targets by several documents are ordered by publication date, or by a
        # document that revises one into the other; a value stated only by undated documents and named
        # by no revision cannot be placed, so the targets are disputed instead.
        placed = {i for edge in revised for i in edge}
        one_document = len({c["document_id"] for c in claims}) == 1  # in one text, the later mention is the revision
        if not one_document and any(not any(_dated(c) for c in stated[i]) and i not in placed for i in with_targets):
            facts, conflicts = _reconcile_level(targets)
            if previous is not None:
                facts.append(_previous_fact(previous, None))
            return facts, conflicts, []

    def order(i: int) -> tuple:
        s = stated[i]
        if s:
            return (max(c["published_order"] for c in s), 1, max(c["start"] for c in s))
        # Known only as a former target: just before the target of the document that names it.
        mentions = clusters[i]
        documents = {c["document_id"] for c in mentions}
        doc_targets = [c for c in claims if c["document_id"] in documents]
        when = (max(c["published_order"] for c in doc_targets) if doc_targets
                else min(c["published_order"] for c in mentions))
        return (when, 0, min(c["start"] for c in mentions))

    chain = sorted(range(len(clusters)), key=order)
    for _ in range(len(chain) ** 2):  # a revision puts the former value before the new one
        misplaced = [(a, b) for a, b in revised if chain.index(a) > chain.index(b)]
        if not misplaced:
            break
        a, b = misplaced[0]
        chain.remove(a)
        chain.insert(chain.index(b), a)
    current = chain[-1]
    if not stated[current]:  # only former targets: nothing current to supersede them
        facts, conflicts = _reconcile_level(targets) if claims else ([], [])
        if previous is not None:
            facts.append(_previous_fact(previous, None))
        return facts, conflicts, []
    current_candidate = Candidate(stated[current])
    revisions, facts, conflicts = [], [], []
    unit = current_candidate.chosen["unit"]
    for step, i in enumerate(chain):
        cluster = clusters[i]
        successor = clusters[chain[step + 1]] if step + 1 < len(chain) else None
        if successor is not None:
            successor_targets = stated[chain[step + 1]]
            superseded_on = _first_date(successor_targets)
            successor_documents = {c["document_id"] for c in successor_targets}
            same_doc_previous = any(c["kind"] == "previous" and c["document_id"] in successor_documents for c in cluster)
            cue = _cue_of(successor_targets, policy.revision_cues)
            cue = (f"revision cue '{cue}'" if cue else "revision cue") if same_doc_previous or cue else "later statement"
        else:
            superseded_on, cue = pd.NaT, None
        revisions.append({
            "fact_id": targets.fact_id, "entity": targets.entity, "metric": targets.metric, "scope": targets.scope,
            "period": targets.period, "step": step + 1, "value": Candidate(cluster).value, "unit": unit,
            "status": "current" if successor is None else "superseded", "stated_on": _first_date(stated[i]),
            "successor_value": Candidate(successor).value if successor is not None else None,
            "superseded_on": superseded_on, "cue": cue, "claim_ids": sorted(c["claim_id"] for c in cluster),
            "document_ids": sorted({c["document_id"] for c in cluster}), "policy_version": policy.version,
        })
    if len(chain) == 1:
        return [_agreed_fact(targets, current_candidate, stated[current])], [], revisions
    old = revisions[-2]
    path = " → ".join(f"{format_value(r['value'], '')} ({_date(r['stated_on']) if pd.notna(r['stated_on']) else 'earlier'})"
                      for r in revisions)
    explanation = (f"target {current_candidate.label()} supersedes {format_value(old['value'], unit)} "
                   f"({old['cue']}, {_date(old['superseded_on'])}): {_describe_claim(current_candidate.chosen)}; chain {path}")
    facts.append(targets.fact(current_candidate.chosen, "revised", "latest_revision", explanation, claims=stated[current],
                              superseded=old["value"]))
    conflicts.append(targets.conflict(
        "revision", "the later or revised target supersedes the earlier one", everything, explanation,
        current_candidate.value, "latest_revision", (),
        [{"value": r["value"], "chosen": r["status"] == "current", "step": r["step"], "stated_on": r["stated_on"],
          "claim_ids": r["claim_ids"], "document_ids": r["document_ids"]} for r in revisions]))
    if previous is not None:
        facts.append(_previous_fact(previous, current_candidate.value, revisions))
    return facts, conflicts, revisions


def _previous_fact(previous: Group, successor: float | None, revisions: list[dict] | None = None) -> dict:
    """A former target: the value the current target replaced (the latest one superseded)."""
    claims = sorted(previous.claims, key=lambda c: (c["published_order"], c["start"]))
    chosen = claims[-1]
    if revisions and len(revisions) > 1:
        predecessor = revisions[-2]["value"]
        near = [c for c in claims if abs(c["value"] - predecessor) <= c["precision"] + 1e-9]
        if near:
            chosen = near[-1]
    explanation = f"former target {format_value(chosen['value'], chosen['unit'])}, superseded"
    if successor is not None:
        explanation += f" by {format_value(successor, chosen['unit'])}"
    explanation += f": {_describe_claim(chosen)}"
    return previous.fact(chosen, "superseded", "superseded_target", explanation, superseded_by=successor)


# --- what a group's fact is as its claims arrive ------------------------------------------------------------
# The timeline needs a group's fact (value, unit, status, rule, as _reconcile_level decides it) after each
# publication date of its claims. Deciding again from every claim known at each date grows with the square
# of a group's size (groups reach hundreds of claims), so a Belief keeps, per unit, the candidates
# candidates_of would form and updates them as each claim arrives.

class _Run:
    """Consecutive claims (by value) that _meeting groups together, with the aggregates of the Candidate they
    form: every aggregate is a minimum, maximum or union, so adding a claim or joining two runs updates it."""

    def __init__(self, claims: list[dict], spans: list[tuple[float, float]]):
        self.claims = claims
        self.order = [(c["value"], c["claim_id"]) for c in claims]
        self.tops = [top for _, top in spans]
        self.first_low = spans[0][0]
        self.flags: list[str] = []
        self.serial = -1  # of its current rank in _Runs.heap
        if len(claims) == 1:  # most runs start as one claim (a value not stated before): its own aggregates
            claim = claims[0]
            self.low, self.high = spans[0]
            self.chosen_order, self.chosen = _chosen_order(claim), claim
            self.sources = {claim["source_group"]}
            self.issuer = claim["tier"] == "issuer"
            self.tier_rank = int(claim["tier_rank"])
            self.latest = float(claim["published_order"])
            self.precision = float(claim["precision"])
        else:
            self.low = min(low for low, _ in spans)
            self.high = max(self.tops)
            self.chosen_order, self.chosen = min((_chosen_order(c), c) for c in claims)
            self.sources = {c["source_group"] for c in claims}
            self.issuer = any(c["tier"] == "issuer" for c in claims)
            self.tier_rank = int(max(c["tier_rank"] for c in claims))
            self.latest = float(max(c["published_order"] for c in claims))
            self.precision = float(min(c["precision"] for c in claims))
        self.value = float(self.chosen["value"])

    key = Candidate.key  # the decision steps read the same aggregates

    @property
    def independent(self) -> int:
        return len(self.sources)

    def add(self, claim: dict, span: tuple[float, float]) -> None:
        """A claim that joins the run without splitting it."""
        position = bisect.bisect_left(self.order, (claim["value"], claim["claim_id"]))
        self.claims.insert(position, claim)
        self.order.insert(position, (claim["value"], claim["claim_id"]))
        self.tops.insert(position, span[1])
        if position == 0:
            self.first_low = span[0]
        self._absorb_aggregates(span[0], span[1], _chosen_order(claim), claim, {claim["source_group"]},
                                claim["tier"] == "issuer", int(claim["tier_rank"]), float(claim["published_order"]),
                                float(claim["precision"]))

    def join(self, other: _Run) -> None:
        """The run that follows this one, now met by it."""
        self.claims += other.claims
        self.order += other.order
        self.tops += other.tops
        self._absorb_aggregates(other.low, other.high, other.chosen_order, other.chosen, other.sources, other.issuer,
                                other.tier_rank, other.latest, other.precision)

    def _absorb_aggregates(self, low, high, chosen_order, chosen, sources, issuer, tier_rank, latest, precision) -> None:
        self.low, self.high = min(self.low, low), max(self.high, high)
        if chosen_order < self.chosen_order:
            self.chosen_order, self.chosen, self.value = chosen_order, chosen, float(chosen["value"])
        self.sources |= sources
        self.issuer = self.issuer or issuer
        self.tier_rank = max(self.tier_rank, tier_rank)
        self.latest = max(self.latest, latest)
        self.precision = min(self.precision, precision)


class _Runs:
    """The candidates _components forms from the claims added so far (in order of value), each with its
    outlier flag and decision key kept up to date."""

    def __init__(self, span_of, policy: Policy):
        self.span_of = span_of
        self.policy = policy
        self.runs: list[_Run] = []
        self.firsts: list[tuple] = []  # (value, claim_id) of each run's first claim, to find where a claim goes
        # Each run's rank (its decision keys in policy order, then the smaller value first), negated, in a
        # heap of (negated rank, serial): a claim changes the ranks of a few runs, and the decision needs
        # the two highest of up to hundreds. An entry whose serial is no longer a run's is stale, and
        # dropped when it reaches the top.
        self.heap: list[tuple] = []
        self.serials: set[int] = set()
        self.next_serial = itertools.count()
        # Candidate.key of the steps, in policy order, picked at once from the keys of all steps
        picks = [DECISION_STEPS.index(step) for step in policy.decision_order]
        self.in_policy_order = operator.itemgetter(*picks) if len(picks) > 1 else lambda keys: (keys[picks[0]],)

    def add(self, claim: dict) -> None:
        span = self.span_of(claim)
        at = bisect.bisect_right(self.firsts, (claim["value"], claim["claim_id"])) - 1
        if at < 0:  # before every run
            at, end, current = 0, 0, _Run([claim], [span])
            replaced: list[_Run] = []
        else:
            end = at + 1
            replaced, current = self._insert_into(self.runs[at], claim, span)
        # The sweep of _meeting resumes after the changed run: the runs that follow start again where their
        # first claim's interval starts past the highest end so far, else they join the current one whole
        # (the highest end only grew, so nothing within them splits).
        while end < len(self.runs) and self.runs[end].first_low <= current.high:
            current.join(self.runs[end])
            end += 1
        self._replace(at, end, replaced + [current])

    def _insert_into(self, run: _Run, claim: dict, span: tuple[float, float]) -> tuple[list[_Run], _Run]:
        """The runs that the claims of ``run`` and ``claim`` form, the last one apart (it may meet the next runs)."""
        position = bisect.bisect_left(run.order, (claim["value"], claim["claim_id"]))
        # met by the claims before it (most often the one just before: the same figure stated again): the run only grows
        if span[0] <= run.tops[position - 1] or span[0] <= max(run.tops[:position]):
            run.add(claim, span)
            return [], run
        if position == len(run.claims):  # past the run: a run of its own, that may meet the next ones
            return [run], _Run([claim], [span])
        # The claim starts a run of its own: the claims after it are swept again from it.
        before = run.claims[:position]
        groups = [before]
        rest = [claim] + run.claims[position:]
        spans = [self.span_of(c) for c in rest]
        groups += [[rest[i] for i in group] for group in _meeting(spans)]
        runs = [_Run(group, [self.span_of(c) for c in group]) for group in groups]
        return runs[:-1], runs[-1]

    def _replace(self, start: int, end: int, new: list[_Run]) -> None:
        before = len(self.runs)
        for run in self.runs[start:end]:
            self.serials.discard(run.serial)
        self.runs[start:end] = new
        self.firsts[start:end] = [run.order[0] for run in new]
        if min(before, len(self.runs)) < 3:  # the outlier rule depends on there being three or more
            self._rank(0, len(self.runs), new)
        else:  # a run's flag depends on its neighbours' values
            self._rank(max(0, start - 1), min(len(self.runs), start + len(new) + 1), new)

    def _rank(self, start: int, end: int, changed: list[_Run]) -> None:
        """Rank the runs from ``start`` to ``end`` again: the ``changed`` ones, and the others whose flag changed."""
        runs, ratio = self.runs, self.policy.outlier_ratio
        for i in range(start, end):
            run = runs[i]
            flags = ["outlier"] if len(runs) >= 2 and _outlier_distance(runs, i, ratio) is not None else []
            if flags == run.flags and not any(run is other for other in changed):
                continue  # its heap entry is still its rank
            run.flags = flags
            # Candidate.key of DECISION_STEPS, negated: the heap gives its smallest entry first
            negated = (0 if run.flags else -1, -int(run.issuer), -run.tier_rank, -len(run.sources), run.precision, -run.latest)
            self.serials.discard(run.serial)
            run.serial = next(self.next_serial)
            self.serials.add(run.serial)
            heapq.heappush(self.heap, (self.in_policy_order(negated) + (run.value,), run.serial))
        if len(self.heap) > 4 * len(self.serials) + 64:  # mostly stale: kept to a few times the runs
            self.heap = [entry for entry in self.heap if entry[1] in self.serials]
            heapq.heapify(self.heap)

    def decided(self) -> tuple[float, str]:
        """(value, rule) of decide over the candidates (two or more): the one with the highest keys, in order,
        then the smaller value; the rule is that of the first step that tells it from the runner-up."""
        top, second = self._pop_current(), self._pop_current()
        heapq.heappush(self.heap, top)
        heapq.heappush(self.heap, second)
        order = self.policy.decision_order
        step = next((order[k] for k in range(len(order)) if top[0][k] != second[0][k]), None)
        return top[0][-1], RULE_OF_STEP.get(step, "tie_smallest_value")

    def _pop_current(self) -> tuple:
        """The heap's highest entry that is a run's current rank, taken off (stale ones are dropped)."""
        while True:
            entry = heapq.heappop(self.heap)
            if entry[1] in self.serials:
                return entry


class _UnitClaims:
    """The claims of a group in one unit: the candidates of its exact claims, and while none is exact, the
    candidates of all of them; the hedged claims' extent, to tell whether each meets a single candidate."""

    def __init__(self, policy: Policy):
        tolerance = policy.approx_tolerance
        self.exact = _Runs(lambda c: interval(c["value"], "exact", c["precision"], tolerance), policy)
        self.everything: _Runs | None = _Runs(
            lambda c: interval(c["value"], c["qualifier"], c["precision"], tolerance), policy)
        self.tolerance = tolerance
        self.hedged_lowest_high = math.inf
        self.hedged_highest_low = -math.inf
        self.hedged_count = 0
        self.hedged_sources: set = set()

    def add(self, claim: dict) -> None:
        if claim["qualifier"] == "exact":
            self.exact.add(claim)
            self.everything = None  # exact claims decide from now on
            return
        if self.everything is not None:
            self.everything.add(claim)
        low, high = interval(claim["value"], claim["qualifier"], claim["precision"], self.tolerance)
        self.hedged_highest_low = max(self.hedged_highest_low, low)
        self.hedged_lowest_high = min(self.hedged_lowest_high, high)
        self.hedged_count += 1
        self.hedged_sources.add(claim["source_group"])

    def belief(self) -> tuple[float, str, str]:
        """(value, status, rule), as _reconcile_level decides them from these claims."""
        runs = self.everything if self.everything is not None else self.exact
        if len(runs.runs) > 1:
            value, rule = runs.decided()
            return value, "disputed", rule
        (candidate,) = runs.runs
        if runs is self.everything:  # no exact claim: the candidate holds them all
            support, sources = len(candidate.claims), candidate.sources
        else:
            if self.hedged_count and (self.hedged_highest_low > candidate.high or self.hedged_lowest_high < candidate.low):
                return candidate.value, "disputed", "exact_over_hedged"  # a hedged claim meets no candidate
            support, sources = len(candidate.claims) + self.hedged_count, candidate.sources | self.hedged_sources
        if support == 1:
            return candidate.value, "single", "single_claim"
        if len(sources) > 1:
            return candidate.value, "confirmed", "corroborated"
        return candidate.value, "consistent", "agreeing_mentions"


class Belief:
    """The fact of one group of level claims as they arrive: what _reconcile_level decides from the claims
    added so far, without explanations and conflicts."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.by_unit: dict[str, _UnitClaims] = {}
        self.unit_counts: Counter = Counter()
        self.first_stated: dict[str, int] = {}  # each unit's first position in the input, for _main_unit's ties

    def add(self, claim: dict, position: int) -> None:
        unit = claim["unit"]
        if unit not in self.by_unit:
            self.by_unit[unit] = _UnitClaims(self.policy)
        self.by_unit[unit].add(claim)
        self.unit_counts[unit] += 1
        self.first_stated[unit] = min(position, self.first_stated.get(unit, position))

    def main_unit(self) -> str:
        """_main_unit of the claims added so far, in input order."""
        return _most_stated(self.unit_counts, self.first_stated)

    def current(self) -> tuple[float, str, str, str]:
        """(value, unit, status, rule)."""
        unit = self.main_unit()
        value, status, rule = self.by_unit[unit].belief()
        return value, unit, status, rule


def _single_claim_fact(key: tuple, claim: dict, policy: Policy) -> dict:
    """What _agreed_fact and Group.fact give a group of one claim, read off its record."""
    entity, metric, scope, period, kind = key
    value = float(claim["value"])
    dated = pd.notna(claim["published"])
    return {
        "fact_id": fact_id_of(*key), "entity": entity, "metric": metric, "scope": scope, "period": period, "kind": kind,
        "value": value, "unit": claim["unit"], "qualifier": claim["qualifier"], "status": "single", "rule": "single_claim",
        "chosen_claim_id": claim["claim_id"], "n_claims": 1, "n_sources": 1, "superseded_value": None,
        "superseded_by_value": None,
        "explanation": f"{format_value(value, claim['unit'])}, stated once: {_describe_claim(claim)}",
        "learned_at": claim["published"] if dated else pd.NaT, "learned_from_document_id": claim["document_id"],
        "policy_version": policy.version,
    }


def _grouped(claims: list[dict], key) -> dict[tuple, list[dict]]:
    """Claims by ``key``, in the order of the keys; each group in the order of ``claims``."""
    groups: dict[tuple, list[dict]] = {}
    for claim in claims:
        groups.setdefault(key(claim), []).append(claim)
    return {k: groups[k] for k in sorted(groups)}


def _group_key(claim: dict) -> tuple:
    return claim["entity"], claim["metric"], claim["scope"], claim["period"], claim["kind"]


def _reconcile_claims(claims: list[dict], policy: Policy) -> tuple[list[dict], list[dict], list[dict]]:
    facts, conflicts, revisions = [], [], []
    groups = _grouped(claims, _group_key)
    by_scope = None
    for (entity, metric, scope, period, kind), rows in groups.items():
        if len(rows) == 1 and kind not in ("target", "previous"):
            # Most groups hold one claim: its fact is read off the claim.
            facts.append(_single_claim_fact((entity, metric, scope, period, kind), rows[0], policy))
            continue
        group = Group(entity, metric, scope, period, kind, rows, policy)
        if kind == "target":
            previous_rows = groups.get((entity, metric, scope, period, "previous"))
            previous = (Group(entity, metric, scope, period, "previous", previous_rows, policy)
                        if previous_rows is not None else None)
            new_facts, new_conflicts, new_revisions = _reconcile_targets(group, previous)
            revisions.extend(new_revisions)
        elif kind == "previous":
            if (entity, metric, scope, period, "target") in groups:
                continue  # decided with its targets
            new_facts, new_conflicts = [_previous_fact(group, None)], []
        else:
            if by_scope is None:
                by_scope = _grouped(claims, lambda c: (c["entity"], c["metric"], c["period"], c["kind"]))
            siblings = [c for c in by_scope[(entity, metric, period, kind)] if c["scope"] != scope]
            new_facts, new_conflicts = _reconcile_level(group, siblings)
        facts.extend(new_facts)
        conflicts.extend(new_conflicts)
    return facts, conflicts, revisions


def reconcile_records(claims: list[dict], policy: Policy) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Facts, conflicts, target revisions and the fact timeline of claims as records, with their source's
    tier, tier rank, publication date and order, and copy group (``reconciliation.prepare``): claims of
    one entity's metric, or more (their groups are decided apart)."""
    facts, conflicts, revisions = _reconcile_claims(claims, policy)
    return facts, conflicts, revisions, _timeline(claims, policy, facts)


Rows = tuple[list[tuple], list[tuple], list[tuple], list[tuple]]


def reconcile_rows(columns: list[str], rows, policy: Policy) -> Rows:
    """reconcile_records of claims given as tuples of ``columns``, each table's records as tuples of its
    columns: what a part of the work gives back from a worker."""
    facts, conflicts, revisions, timeline = reconcile_records([dict(zip(columns, row)) for row in rows], policy)
    return (_as_rows(facts, FACT_COLUMNS), _as_rows(conflicts, CONFLICT_COLUMNS),
            _as_rows(revisions, REVISION_COLUMNS), _as_rows(timeline, TIMELINE_COLUMNS))


def _as_rows(records: list[dict], columns: list[str]) -> list[tuple]:
    return [tuple(record[column] for column in columns) for record in records]


def _bundle_key(claim: dict) -> tuple:
    """A group's key, with former targets in the bundle of their targets."""
    kind = "target" if claim["kind"] == "previous" else claim["kind"]
    return claim["entity"], claim["metric"], claim["scope"], claim["period"], kind


def _timeline(claims: list[dict], policy: Policy, final: list[dict]) -> list[dict]:
    """What the warehouse believed about each fact after each publication date. Claims of undated
    documents are learned last, at ingestion: their ``known_from`` is empty here and filled on load."""
    rows = []
    final_by_id: dict[str, list[tuple[int, dict]]] = {}
    for position, fact in enumerate(final):
        final_by_id.setdefault(fact["fact_id"], []).append((position, fact))
    for key, records in _grouped(claims, _bundle_key).items():
        arrivals = _arrivals(records)
        if len(arrivals) == 1:  # everything known at once: the final facts
            entity, metric, scope, period, _ = key
            ids = {fact_id_of(entity, metric, scope, period, kind) for kind in {r["kind"] for r in records}}
            moment, new = arrivals[0]
            facts = [fact for _, fact in sorted(f for i in ids for f in final_by_id.get(i, ()))]
            changes = _Changes(policy)
            changes.at(moment, new, facts, records)
            rows += changes.rows
        elif key[4] != "target":
            rows += _level_timeline(key, arrivals, policy)
        else:
            rows += _target_timeline(records, arrivals, policy)
    return rows


def _arrivals(records: list[dict]) -> list[tuple[object, list[tuple[int, dict]]]]:
    """(publication date, the claims published then, with their position in ``records``), in order of date;
    the claims of undated documents last, at NaT."""
    by_date: dict[Any, list[tuple[int, dict]]] = {}  # publication dates (Timestamps) to their claims
    undated = []
    for position, record in enumerate(records):
        if _dated(record):
            by_date.setdefault(record["published"], []).append((position, record))
        else:
            undated.append((position, record))
    arrivals = [(moment, by_date[moment]) for moment in sorted(by_date)]
    if undated:
        arrivals.append((pd.NaT, undated))
    return arrivals


def _target_timeline(records: list[dict], arrivals: list, policy: Policy) -> list[dict]:
    """Targets and their former values: reconciled again, whole, from the claims known at each date."""
    known_positions: list[int] = []
    changes = _Changes(policy)
    for moment, new in arrivals:
        known_positions += [position for position, _ in new]
        known = [records[position] for position in sorted(known_positions)]  # in input order, as reconciled
        changes.at(moment, new, _reconcile_claims(known, policy)[0], known)
    return changes.rows


def _level_timeline(key: tuple, arrivals: list, policy: Policy) -> list[dict]:
    """A group of level claims (one kind): its belief updated as the claims of each date arrive."""
    entity, metric, scope, period, kind = key
    belief, known, changes = Belief(policy), _Known(), _Changes(policy)
    for moment, new in arrivals:
        for position, record in new:
            belief.add(record, position)
            known.add(record)
        value, unit, status, rule = belief.current()
        fact = {"fact_id": fact_id_of(*key), "entity": entity, "metric": metric, "scope": scope, "period": period,
                "kind": kind, "value": value, "unit": unit, "status": status, "rule": rule}
        changes.at(moment, new, [fact], known)
    return changes.rows


class _Known:
    """The claims of a group of level claims (all of one kind) in order of arrival, and their sources."""

    def __init__(self) -> None:
        self.arrived: list[dict] = []
        self.sources: set = set()

    def add(self, claim: dict) -> None:
        self.arrived.append(claim)
        self.sources.add(claim["source_group"])


class _Listed:
    """What a fact's timeline rows have listed so far. Each row lists only the claims (and documents)
    learned since the fact's previous row: the claims known at a row are those of its own row and of the
    rows before it, so the table grows with the claims, not with the square of a group's size."""

    def __init__(self) -> None:
        self.rows = 0
        self.claim_ids: set = set()
        self.document_ids: set = set()
        self.arrived = 0  # of a _Known: how many of its claims, in order of arrival, were listed

    def since(self, known: list[dict] | _Known, kind: str) -> tuple[list, list, int]:
        """(new claim ids, new document ids, independent sources known) for the fact's next row."""
        if isinstance(known, _Known):
            new, self.arrived = known.arrived[self.arrived:], len(known.arrived)
            n_sources = len(known.sources)
        else:
            supporting = [r for r in known if r["kind"] == kind]
            new = [r for r in supporting if r["claim_id"] not in self.claim_ids]
            n_sources = _n_sources(supporting)
        claim_ids = sorted(r["claim_id"] for r in new)
        document_ids = sorted({r["document_id"] for r in new} - self.document_ids)
        self.claim_ids.update(claim_ids)
        self.document_ids.update(document_ids)
        self.rows += 1
        return claim_ids, document_ids, n_sources


class _Changes:
    """Timeline rows: a row wherever a fact's value or status changes, which closes the row before it."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.rows: list[dict] = []
        self.believed: dict[str, dict] = {}
        self.listed: dict[str, _Listed] = {}

    def at(self, moment, new: list[tuple[int, dict]], facts_then: list[dict], known: list[dict] | _Known) -> None:
        """The facts believed after ``moment``, when the claims ``new`` were published."""
        for fact in facts_then:
            before = self.believed.get(fact["fact_id"])
            if before is not None and before["value"] == fact["value"] and before["status"] == fact["status"]:
                continue
            if before is not None:
                before["known_until"] = moment
            listed = self.listed.setdefault(fact["fact_id"], _Listed())
            claim_ids, document_ids, n_sources = listed.since(known, fact["kind"])
            row = {
                "fact_id": fact["fact_id"], "entity": fact["entity"], "metric": fact["metric"], "scope": fact["scope"],
                "period": fact["period"], "kind": fact["kind"], "value": fact["value"], "unit": fact["unit"],
                "status": fact["status"], "rule": fact["rule"], "known_from": moment, "known_until": pd.NaT,
                "known_from_document_id": min(r["document_id"] for _, r in new), "step": listed.rows,
                "new_claim_ids": claim_ids, "new_document_ids": document_ids, "n_sources": n_sources,
                "policy_version": self.policy.version,
            }
            self.believed[fact["fact_id"]] = row
            self.rows.append(row)
