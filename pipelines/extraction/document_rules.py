"""Rules that look at all the claims of one document at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .model import Claim

# Metrics a document may use as synonyms for one figure: when it states the same value for both, the
# first is read as the second ("ventes" of 81 502 vehicles and "81 502 véhicules livrés").
SYNONYMS = {"sales": "deliveries"}
SCOPED_FAMILIES = ("revenue", "gross_profit", "gross_margin", "operating_margin", "operating_result", "net_result", "revenue_share")


def _base(metric: str) -> tuple[str, str]:
    for suffix in ("_yoy", "_qoq"):
        if metric.endswith(suffix):
            return metric[: -len(suffix)], suffix
    return metric, ""


def unify_synonyms(claims: list[Claim]) -> list[Claim]:
    if not any(c.metric in SYNONYMS for c in claims):
        return claims  # nothing to unify: the usual case
    values = defaultdict(set)
    for c in claims:
        values[(c.entity, c.metric, c.period, c.kind)].add(round(c.value, 6))
    merged = set()
    for (entity, metric, period, kind), found in values.items():
        target = SYNONYMS.get(metric)
        if target and found & values.get((entity, target, period, kind), set()):
            merged.add((entity, metric, period))
    out = []
    for c in claims:
        base, suffix = _base(c.metric)
        if (c.entity, base, c.period) in merged:
            c = replace(c, metric=SYNONYMS[base] + suffix, notes=c.notes + (f"metric: '{base}' read as '{SYNONYMS[base]}', same figure in this document",))
        out.append(c)
    return out


def inherit_scope(claims: list[Claim]) -> list[Claim]:
    """A metric named without scope takes the one scope the document gives it elsewhere."""
    scopes = defaultdict(set)
    for c in claims:
        if c.scope:
            scopes[(c.entity, _base(c.metric)[0])].add(c.scope)
    if not scopes:
        return claims
    out = []
    for c in claims:
        if c.scope:
            out.append(c)
            continue
        base = _base(c.metric)[0]
        found = scopes.get((c.entity, base), set())
        if len(found) == 1 and base in SCOPED_FAMILIES:
            c = replace(c, scope=next(iter(found)), notes=c.notes + ("scope: as stated elsewhere in the document",))
        out.append(c)
    return out


def resolve_revisions(claims: list[Claim]) -> list[Claim]:
    """A revision ("augmenté à 120 000") takes the metric and period of the target stated before it,
    and that earlier target becomes the previous value."""
    out: list[Claim] = []
    last_target: Claim | None = None
    for c in claims:
        if "revision" in c.notes:
            notes = tuple(n for n in c.notes if n != "revision")
            if c.metric:
                c = replace(c, kind="target" if c.kind != "previous" else c.kind, notes=notes)
            elif last_target is not None:
                c = replace(c, metric=last_target.metric, period=last_target.period, entity=c.entity or last_target.entity,
                            unit=last_target.unit if c.unit in ("", "units") else c.unit, scope=last_target.scope,
                            notes=notes + ("metric and period: those of the target it revises",))
            else:
                continue
            for i, earlier in enumerate(out if c.kind == "target" else ()):  # "lowered its original goal of 20,000": the old one
                same = (earlier.entity, earlier.metric, earlier.period) == (c.entity, c.metric, c.period)
                if same and earlier.kind == "target" and earlier.value != c.value:
                    out[i] = replace(earlier, kind="previous", notes=earlier.notes + ("kind: superseded by a revision in this document",))
        if c.kind in ("target", "previous"):
            last_target = c
        if c.metric:
            out.append(c)
    return out


def apply_document_rules(claims: list[Claim]) -> list[Claim]:
    return inherit_scope(unify_synonyms(resolve_revisions(claims)))
