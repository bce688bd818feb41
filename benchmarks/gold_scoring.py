"""Load the annotated gold set and score predicted claims against it.

Pure functions over plain data: nothing here imports the extractor, so the scoring itself can be
tested with hand-made predictions. ``benchmarks/gold_set.py`` wires it to ``extract_claims``.

A predicted claim matches a gold claim when entity, metric, period, unit and kind are equal and the
values agree within a relative tolerance of 1e-6. Matching is greedy and one-to-one per document, so
a figure predicted twice counts once as a true positive and once as a false positive. The qualifier
(exact, approx, ...) is not part of the match; it is scored on the matched pairs only.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

DEFAULT_GOLD = Path(__file__).resolve().with_name("gold")
KEY_FIELDS = ("entity", "metric", "period", "unit", "kind")
CLAIM_FIELDS = KEY_FIELDS + ("value", "qualifier", "surface")
REL_TOL = 1e-6
GOAL = 0.95

BASE_METRICS = (
    "deliveries", "sales", "production", "orders", "cumulative_deliveries", "revenue", "gross_profit",
    "gross_margin", "operating_margin", "operating_result", "net_result", "average_selling_price", "price",
    "revenue_share", "market_share",
)
METRICS = frozenset(BASE_METRICS) | {f"{m}_{c}" for m in BASE_METRICS for c in ("yoy", "qoq")}
KINDS = ("actual", "target", "forecast", "previous")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
COUNT_UNITS = ("vehicles", "orders")
MONTH = r"(0[1-9]|1[0-2])"
PERIOD_RE = re.compile(rf"^\d{{4}}(-Q[1-4]|-H[12]|-{MONTH}|-YTD-{MONTH})?$")
DATE_RE = re.compile(rf"^\d{{4}}-{MONTH}-(0[1-9]|[12]\d|3[01])$")
PERCENT_METRICS = ("gross_margin", "operating_margin", "revenue_share", "market_share")


# ---------------------------------------------------------------- loading and validation

def validate_document(doc: dict) -> list[str]:
    """The problems of one gold document (empty when it follows the README's conventions)."""
    problems = []
    for key in ("id", "language", "text", "claims"):
        if key not in doc:
            problems.append(f"missing {key!r}")
    if problems:
        return problems
    if doc["language"] not in ("fr", "en"):
        problems.append(f"language {doc['language']!r}")
    for n, claim in enumerate(doc["claims"], 1):
        problems += [f"claim {n}: {p}" for p in validate_claim(claim, doc["text"])]
    return problems


def validate_claim(claim: dict, text: str) -> list[str]:
    problems = [f"missing {f!r}" for f in CLAIM_FIELDS if f not in claim]
    if problems:
        return problems
    metric, period, unit = claim["metric"], claim["period"], claim["unit"]
    if metric not in METRICS:
        problems.append(f"unknown metric {metric!r}")
    # A cumulative figure is dated by the day it runs to; every other figure by a period.
    if metric == "cumulative_deliveries":
        if not DATE_RE.match(period):
            problems.append(f"cumulative period {period!r} is not a date")
    elif not PERIOD_RE.match(period):
        problems.append(f"bad period {period!r}")
    if claim["kind"] not in KINDS:
        problems.append(f"bad kind {claim['kind']!r}")
    if claim["qualifier"] not in QUALIFIERS:
        problems.append(f"bad qualifier {claim['qualifier']!r}")
    if metric.endswith(("_yoy", "_qoq")):
        if unit not in ("%", "pp"):
            problems.append(f"a change is in % or pp, not {unit!r}")
    elif metric in PERCENT_METRICS:
        if unit != "%":
            problems.append(f"{metric} is in %, not {unit!r}")
    elif not (unit in COUNT_UNITS or re.fullmatch(r"[A-Z]{3}", unit)):
        problems.append(f"bad unit {unit!r}")
    if not isinstance(claim["value"], (int, float)):
        problems.append(f"value {claim['value']!r} is not a number")
    if not claim["surface"] or claim["surface"] not in text:
        problems.append(f"surface {claim['surface']!r} not in text")
    return problems


def load_gold(path: str | Path = DEFAULT_GOLD, *, language: str | None = None,
              tags: Iterable[str] | None = None, ids: Iterable[str] | None = None) -> list[dict]:
    """Read the gold documents from a folder of ``*.jsonl`` files (or one file), validated.

    ``language``, ``tags`` (any of) and ``ids`` filter the documents, e.g.
    ``load_gold(tags=["smoke"])`` gives a few simple cases for unit tests.
    """
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    docs, seen = [], set()
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            doc = json.loads(line)
            problems = validate_document(doc)
            if doc.get("id") in seen:
                problems.append("duplicate id")
            if problems:
                raise ValueError(f"{file.name}:{n} {doc.get('id')}: " + "; ".join(problems))
            seen.add(doc["id"])
            docs.append(doc)
    wanted_tags, wanted_ids = set(tags or ()), set(ids or ())
    return [
        d for d in docs
        if (language is None or d["language"] == language)
        and (not wanted_tags or wanted_tags & set(d.get("tags", ())))
        and (not wanted_ids or d["id"] in wanted_ids)
    ]


# ---------------------------------------------------------------- matching

def as_record(claim: Any) -> dict:
    """A Claim dataclass, a dict or any object with the claim attributes, as a plain dict."""
    if is_dataclass(claim):
        return asdict(claim)
    if isinstance(claim, dict):
        return dict(claim)
    return {f: getattr(claim, f, None) for f in CLAIM_FIELDS + ("start", "end")}


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def is_match(gold: dict, pred: dict) -> bool:
    return all(gold[f] == pred.get(f) for f in KEY_FIELDS) and _number(pred) is not None \
        and same_value(gold["value"], _number(pred))


def _number(pred: dict) -> float | None:
    value = pred.get("value")
    return float(value) if isinstance(value, (int, float)) else None


def _gold_spans(text: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(surface)) for m in re.finditer(re.escape(surface), text)]


def _same_figure(text: str, gold: dict, pred: dict) -> bool:
    """Whether a prediction reads the same figure as a gold claim (to explain a near miss)."""
    value = _number(pred)
    if value is not None and (same_value(gold["value"], value) or same_value(abs(gold["value"]), abs(value))):
        return True
    start, end = pred.get("start"), pred.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return any(s < end and start < e for s, e in _gold_spans(text, gold["surface"]))
    return bool(pred.get("surface")) and pred.get("surface") == gold["surface"]


def score_document(doc: dict, predicted: list[dict], error: str | None = None) -> dict:
    gold = doc["claims"]
    free = list(range(len(predicted)))
    pairs = []
    for g in gold:
        candidates = [i for i in free if is_match(g, predicted[i])]
        if not candidates:
            continue
        # Prefer the prediction that also gets the qualifier right, so a duplicate does not steal it.
        best = next((i for i in candidates if predicted[i].get("qualifier") == g["qualifier"]), candidates[0])
        free.remove(best)
        pairs.append((g, predicted[best]))
    matched = [id(g) for g, _ in pairs]
    missed = [g for g in gold if id(g) not in matched]
    spurious = [predicted[i] for i in free]

    near_misses, used = [], set()
    for g in missed:
        for j, p in enumerate(spurious):
            if j not in used and _same_figure(doc["text"], g, p):
                used.add(j)
                fields = [f for f in KEY_FIELDS if g[f] != p.get(f)]
                if _number(p) is None or not same_value(g["value"], _number(p)):
                    fields.append("value")
                near_misses.append({"gold": g, "predicted": p, "fields": fields})
                break
    return {
        "id": doc["id"], "language": doc["language"], "text": doc["text"], "tags": doc.get("tags", []),
        "gold": len(gold), "predicted": len(predicted), "tp": len(pairs),
        "qualifier_ok": sum(g["qualifier"] == p.get("qualifier") for g, p in pairs),
        "pairs": pairs, "false_negatives": missed, "false_positives": spurious,
        "near_misses": near_misses, "error": error,
    }


# ---------------------------------------------------------------- report

def prf(tp: int, n_gold: int, n_pred: int) -> dict:
    # With nothing predicted there is no false positive: precision 1. Recall then exposes the gap.
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _totals(docs: list[dict]) -> dict:
    tp = sum(d["tp"] for d in docs)
    n_gold, n_pred = sum(d["gold"] for d in docs), sum(d["predicted"] for d in docs)
    qualifier_ok = sum(d["qualifier_ok"] for d in docs)
    return {
        "documents": len(docs), "gold": n_gold, "predicted": n_pred, "tp": tp,
        "fp": n_pred - tp, "fn": n_gold - tp, **prf(tp, n_gold, n_pred),
        "qualifier_accuracy": qualifier_ok / tp if tp else None,
        "errors": sum(d["error"] is not None for d in docs),
    }


# The order in which a near miss is blamed on one field: the first wrong one names its error class.
ERROR_CLASS_ORDER = ("entity", "metric", "period", "kind", "unit", "value")


def error_classes(per_doc: list[dict]) -> dict[str, int]:
    """Every miss and every spurious claim under one class: the first wrong field of a near miss
    (``value`` covers a wrong sign), ``not read`` for a gold figure nothing was predicted for, ``extra``
    for a predicted claim that reads no gold figure."""
    classes: Counter = Counter()
    for d in per_doc:
        for nm in d["near_misses"]:
            classes[next(f for f in ERROR_CLASS_ORDER if f in nm["fields"])] += 1
        classes["not read"] += len(d["false_negatives"]) - len(d["near_misses"])
        classes["extra"] += len(d["false_positives"]) - len(d["near_misses"])
    return {name: classes[name] for name in ERROR_CLASS_ORDER + ("not read", "extra") if classes[name]}


def summarize(per_doc: list[dict]) -> dict:
    by_metric: dict[str, Counter] = {}
    for d in per_doc:
        for g in d["false_negatives"]:
            by_metric.setdefault(g["metric"], Counter())["fn"] += 1
        for g, _ in d["pairs"]:
            by_metric.setdefault(g["metric"], Counter())["tp"] += 1
        for p in d["false_positives"]:
            by_metric.setdefault(str(p.get("metric")), Counter())["fp"] += 1
    negatives = [d for d in per_doc if "negative" in d["tags"]]
    overall = _totals(per_doc)
    return {
        "overall": overall,
        "by_language": {lang: _totals([d for d in per_doc if d["language"] == lang])
                        for lang in sorted({d["language"] for d in per_doc})},
        "by_tag": {tag: _totals([d for d in per_doc if tag in d["tags"]])
                   for tag in sorted({t for d in per_doc for t in d["tags"]})},
        "without_tag": {tag: _totals([d for d in per_doc if tag not in d["tags"]])
                        for tag in sorted({t for d in per_doc for t in d["tags"]})},
        "by_metric": {m: dict(c) for m, c in sorted(by_metric.items())},
        "error_classes": error_classes(per_doc),
        "period_errors": sum("period" in nm["fields"] for d in per_doc for nm in d["near_misses"]),
        "near_miss_fields": dict(Counter(f for d in per_doc for nm in d["near_misses"] for f in nm["fields"])),
        "near_misses": sum(len(d["near_misses"]) for d in per_doc),
        "negative_documents": len(negatives),
        "negative_false_positives": sum(len(d["false_positives"]) for d in negatives),
        "goal_met": overall["precision"] >= GOAL and overall["recall"] >= GOAL,
        "documents": per_doc,
    }


def score(gold_docs: list[dict], predict: Callable[[dict], Iterable[Any]]) -> dict:
    """Score ``predict(doc) -> claims`` on every gold document; an exception counts as no claims."""
    per_doc = []
    for doc in gold_docs:
        try:
            predicted, error = [as_record(c) for c in predict(doc)], None
        except Exception as exc:  # a report must survive one bad document
            predicted, error = [], f"{type(exc).__name__}: {exc}"
        per_doc.append(score_document(doc, predicted, error))
    return summarize(per_doc)
