"""Reconciling claims into facts: one value per entity, metric, scope, period and kind, with the rule
that decided it, and a conflict row wherever claims truly disagree.

Rules, in the order they are tried:
- ``superseded_target``: an old target value (kind ``previous``) is kept, marked superseded.
- ``latest_revision``: of targets that differ, the revision (same document) or the later publication wins;
  targets from documents with no publication dates to order them are disputed instead.
- ``single_claim``: one mention.
- ``agreeing_mentions``: several mentions in one document agree (one source, however often repeated).
- ``corroborated``: independent documents agree within their stated precision or hedge.
- ``most_reliable_source``: claims disagree, and one value has a more reliable source than any other
  (registry tier: issuer, then wire, then press or unknown, then aggregator); it is kept, marked disputed.
- ``majority_of_sources``: claims disagree; the value most documents support is kept, marked disputed.
Figures agree when their intervals meet: an exact figure covers half a unit of its last digit, a hedge
("près de", "about") 5 % around it, a bound ("≥", "plus de") everything past it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import pandas as pd

KEY = ["entity", "metric", "scope", "period"]
APPROX_TOLERANCE = 0.05
QUALIFIER_RANK = {"exact": 3, "at_least": 2, "at_most": 2, "approx": 1}
# The company's own release outranks a news agency, which outranks the press; a source of unknown tier
# counts as press, a site that repeats others below it.
TIER_RANK = {"issuer": 4, "wire": 3, "press": 2, None: 2, "aggregator": 1}
FACT_COLUMNS = [
    "fact_id", "entity", "metric", "scope", "period", "kind", "value", "unit", "qualifier", "status", "rule",
    "chosen_claim_id", "n_claims", "n_sources", "superseded_value", "explanation",
]
CONFLICT_COLUMNS = [
    "conflict_id", "fact_id", "entity", "metric", "scope", "period", "kind", "classification", "resolution",
    "values", "claim_ids", "document_ids", "n_sources", "explanation",
]


def interval(value: float, qualifier: str, precision: float) -> tuple[float, float]:
    if qualifier == "at_least":
        return value - precision, math.inf
    if qualifier == "at_most":
        return -math.inf, value + precision
    if qualifier == "approx":
        spread = abs(value) * APPROX_TOLERANCE + precision
        return value - spread, value + spread
    return value - precision, value + precision


def agree(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def fact_id_of(entity: str, metric: str, scope: str, period: str, kind: str) -> str:
    return hashlib.sha256(f"{entity}|{metric}|{scope}|{period}|{kind}".encode()).hexdigest()[:16]


def format_value(value: float, unit: str) -> str:
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{number} {unit}".strip()


@dataclass
class Group:
    entity: str
    metric: str
    scope: str
    period: str
    kind: str
    claims: pd.DataFrame

    @property
    def fact_id(self) -> str:
        return fact_id_of(self.entity, self.metric, self.scope, self.period, self.kind)

    def fact(self, chosen: pd.Series, status: str, rule: str, explanation: str, superseded=None, claims=None) -> dict:
        claims = self.claims if claims is None else claims
        return {
            "fact_id": self.fact_id, "entity": self.entity, "metric": self.metric, "scope": self.scope,
            "period": self.period, "kind": self.kind, "value": float(chosen["value"]), "unit": chosen["unit"],
            "qualifier": chosen["qualifier"], "status": status, "rule": rule, "chosen_claim_id": chosen["claim_id"],
            "n_claims": len(claims), "n_sources": claims["document_id"].nunique(),
            "superseded_value": superseded, "explanation": explanation,
        }

    def conflict(self, classification: str, resolution: str, claims: pd.DataFrame, explanation: str) -> dict:
        ids = sorted(claims["claim_id"])
        return {
            "conflict_id": hashlib.sha256(("|".join(ids) + classification).encode()).hexdigest()[:16],
            "fact_id": self.fact_id, "entity": self.entity, "metric": self.metric, "scope": self.scope,
            "period": self.period, "kind": self.kind, "classification": classification, "resolution": resolution,
            "values": sorted({float(v) for v in claims["value"]}), "claim_ids": ids,
            "document_ids": sorted(set(claims["document_id"])), "n_sources": claims["document_id"].nunique(),
            "explanation": explanation,
        }


def _choose(claims: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """The claim the most reliable source supports, then the one most sources agree with; ties go to the
    exact, then the more precise, then the later."""
    intervals = [interval(v, q, p) for v, q, p in zip(claims["value"], claims["qualifier"], claims["precision"])]
    best, best_rank, best_support = None, None, None
    for i, (_, claim) in enumerate(claims.iterrows()):
        support = [j for j, other in enumerate(intervals) if agree(intervals[i], other)]
        supporting = claims.iloc[support]
        rank = (
            supporting["tier_rank"].max(),
            supporting["document_id"].nunique(),
            QUALIFIER_RANK.get(claim["qualifier"], 0),
            len(support),
            -claim["precision"],
            claim["published_order"],
        )
        if best_rank is None or rank > best_rank:
            best, best_rank, best_support = claim, rank, supporting
    return best, best_support


def _describe_claim(claim: pd.Series) -> str:
    return f"'{claim['surface'] or format_value(claim['value'], claim['unit'])}' in {claim['document']}"


def _reconcile_level(group: Group) -> tuple[list[dict], list[dict]]:
    claims = group.claims
    units = claims["unit"].value_counts()
    conflicts = []
    if len(units) > 1:
        main_unit = units.index[0]
        odd = claims[claims["unit"] != main_unit]
        conflicts.append(group.conflict(
            "unit_mismatch", f"kept the claims in {main_unit}", claims,
            f"{len(odd)} claim(s) state the figure in {', '.join(sorted(set(odd['unit'])))} instead of {main_unit}",
        ))
        claims = claims[claims["unit"] == main_unit]
    chosen, support = _choose(claims)
    others = claims[~claims["claim_id"].isin(support["claim_id"])]
    value = format_value(chosen["value"], chosen["unit"])
    if not others.empty:
        explanation = (
            f"{value} from {_describe_claim(chosen)} ({support['document_id'].nunique()} source(s)) "
            f"disagrees with {', '.join(_describe_claim(c) for _, c in others.iterrows())}"
        )
        if support["tier_rank"].max() > others["tier_rank"].max():
            tier = support.loc[support["tier_rank"].idxmax(), "tier"]
            rule, resolution = "most_reliable_source", f"kept the value of the most reliable source ({tier}); marked disputed"
        else:
            rule, resolution = "majority_of_sources", "kept the value most sources support; marked disputed"
        conflicts.append(group.conflict("disagreement", resolution, claims, explanation))
        return [group.fact(chosen, "disputed", rule, explanation, claims=claims)], conflicts
    if len(claims) == 1:
        return [group.fact(chosen, "single", "single_claim", f"{value}, stated once: {_describe_claim(chosen)}", claims=claims)], conflicts
    sources = claims["document_id"].nunique()
    hedged = sorted(set(claims["qualifier"]) - {"exact"})
    detail = f"; hedged mentions ({', '.join(hedged)}) agree within their hedge" if hedged else ""
    if sources > 1:
        explanation = f"{value}: {len(claims)} mentions in {sources} independent sources agree{detail}; kept {_describe_claim(chosen)}"
        return [group.fact(chosen, "confirmed", "corroborated", explanation, claims=claims)], conflicts
    explanation = f"{value}: {len(claims)} mentions in one source agree{detail}; kept {_describe_claim(chosen)}"
    return [group.fact(chosen, "consistent", "agreeing_mentions", explanation, claims=claims)], conflicts


def _reconcile_targets(targets: Group, previous: Group | None) -> tuple[list[dict], list[dict]]:
    """The newest target wins; what it replaced stays, marked superseded."""
    facts, conflicts = [], []
    claims = targets.claims.sort_values(["published_order", "document_id", "start"])
    latest = claims.iloc[-1]
    latest_interval = interval(latest["value"], latest["qualifier"], latest["precision"])
    earlier = claims[[not agree(interval(v, q, p), latest_interval) for v, q, p in zip(claims["value"], claims["qualifier"], claims["precision"])]]
    elsewhere = earlier[earlier["document_id"] != latest["document_id"]]
    if not elsewhere.empty and (latest["published_order"] == 0 or (elsewhere["published_order"] >= latest["published_order"]).any()
                                or (elsewhere["published_order"] == 0).any()):
        # Targets from documents whose publication dates do not order them: which one is newer is
        # unknown, so they are a disagreement, not a revision.
        return _reconcile_level(Group(**{**targets.__dict__, "claims": claims}))
    replaced = list(earlier["value"])
    if previous is not None:
        replaced += list(previous.claims["value"])
    value = format_value(latest["value"], latest["unit"])
    if replaced:
        old = replaced[-1] if previous is None else float(previous.claims.sort_values(["published_order", "start"]).iloc[-1]["value"])
        explanation = f"target {value} replaces {format_value(old, latest['unit'])}: {_describe_claim(latest)}"
        facts.append(targets.fact(latest, "revised", "latest_revision", explanation, superseded=old, claims=claims))
        involved = pd.concat([claims, previous.claims]) if previous is not None else claims
        conflicts.append(targets.conflict("revision", "the later or revised target supersedes the earlier one", involved, explanation))
    else:
        facts.extend(_reconcile_level(Group(**{**targets.__dict__, "claims": claims}))[0])
    return facts, conflicts


def reconcile(claims: pd.DataFrame, documents: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts and conflicts from valid claims; documents give the publication dates and reliability tiers."""
    if claims.empty:
        return pd.DataFrame(columns=FACT_COLUMNS), pd.DataFrame(columns=CONFLICT_COLUMNS)
    frame = claims.copy()
    frame["published_order"] = 0.0
    frame["tier"] = None
    if documents is not None and "tier" in documents:
        tiers = documents.set_index("document_id")["tier"]
        frame["tier"] = frame["document_id"].map(tiers).where(lambda t: t.notna(), None)
    frame["tier_rank"] = [TIER_RANK.get(tier, TIER_RANK[None]) for tier in frame["tier"]]
    if documents is not None and "published_date" in documents:
        dates = pd.to_datetime(documents.set_index("document_id")["published_date"], errors="coerce")
        order = frame["document_id"].map(dates)
        frame["published_order"] = order.map(lambda d: d.timestamp() if pd.notna(d) else 0.0)
    facts, conflicts = [], []
    groups = {key: g for key, g in frame.groupby(KEY + ["kind"], sort=True)}
    for (entity, metric, scope, period, kind), claims_of in groups.items():
        group = Group(entity, metric, scope, period, kind, claims_of)
        if kind == "target":
            previous_claims = groups.get((entity, metric, scope, period, "previous"))
            previous = Group(entity, metric, scope, period, "previous", previous_claims) if previous_claims is not None else None
            new_facts, new_conflicts = _reconcile_targets(group, previous)
        elif kind == "previous":
            chosen = claims_of.sort_values(["published_order", "start"]).iloc[-1]
            explanation = f"former target {format_value(chosen['value'], chosen['unit'])}, superseded: {_describe_claim(chosen)}"
            new_facts, new_conflicts = [group.fact(chosen, "superseded", "superseded_target", explanation)], []
        else:
            new_facts, new_conflicts = _reconcile_level(group)
        facts.extend(new_facts)
        conflicts.extend(new_conflicts)
    return (
        pd.DataFrame.from_records(facts, columns=FACT_COLUMNS),
        pd.DataFrame.from_records(conflicts, columns=CONFLICT_COLUMNS),
    )
