"""What the lexicon allows: the units, metrics and the unit family each metric takes."""

from __future__ import annotations

from .lexicon import Lexicon, load_lexicon

CHANGE_SUFFIXES = ("_yoy", "_qoq")


def base_metric(metric: str) -> str:
    if not metric.endswith(CHANGE_SUFFIXES):
        return metric  # most metrics are levels: one test settles them
    for suffix in CHANGE_SUFFIXES:
        if metric.endswith(suffix):
            return metric[: -len(suffix)]
    return metric


def _lexicon(lexicon: Lexicon | None) -> Lexicon:
    return lexicon or load_lexicon()


def currency_codes(lexicon: Lexicon | None = None) -> set[str]:
    return set(_lexicon(lexicon).units.get("currencies", {}))


def count_units(lexicon: Lexicon | None = None) -> set[str]:
    return set(_lexicon(lexicon).units.get("counts", {}))


def allowed_units(lexicon: Lexicon | None = None) -> set[str]:
    return currency_codes(lexicon) | count_units(lexicon) | {"%", "pp"}


def metric_family(metric: str, lexicon: Lexicon | None = None) -> str | None:
    spec = (_lexicon(lexicon).metrics.get("metrics") or {}).get(base_metric(metric))
    if not spec or spec.get("family") == "none":
        return None  # a cue list that blocks figures ("shares", "impairment"), not a metric
    return spec.get("family", "count")


def known_metric(metric: str, lexicon: Lexicon | None = None) -> bool:
    return metric_family(metric, lexicon) is not None


def unit_fits_metric(unit: str, metric: str, lexicon: Lexicon | None = None) -> bool:
    """A level takes its family's units; a change is in % (growth) or pp (a rate's change)."""
    family = metric_family(metric, lexicon)
    if family is None:
        return False
    if metric.endswith(CHANGE_SUFFIXES):
        return unit == "%" if family in ("count", "money") else unit == "pp"
    if family == "money":
        return unit in currency_codes(lexicon)
    if family == "percent":
        return unit == "%"
    return unit in count_units(lexicon)
