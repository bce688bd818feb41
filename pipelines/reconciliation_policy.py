"""The reconciliation policy: thresholds and the order of the rules, read from a YAML file shipped with the
package (reconciliation_policy.yaml) so that a choice can be traced to the version of the policy that made it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_POLICY = Path(__file__).with_name("reconciliation_policy.yaml")
DECISION_STEPS = ("plausible", "issuer", "tier", "independent_sources", "precision", "recency")


@dataclass(frozen=True)
class Policy:
    version: str
    approx_tolerance: float = 0.05
    decision_order: tuple[str, ...] = DECISION_STEPS
    tiers: dict = field(default_factory=lambda: {"issuer": 4, "wire": 3, "press": 2, "unknown": 2, "aggregator": 1})
    typo: bool = True
    scale_factors: tuple[float, ...] = (10, 100, 1000)
    scale_tolerance: float = 0.02
    outlier_ratio: float = 5.0
    shingle_words: int = 5
    jaccard: float = 0.5
    translation_figures_jaccard: float = 0.8
    translation_min_figures: int = 3
    revision_cues: tuple[str, ...] = ()

    def tier_rank(self, tier) -> int:
        if tier is None or (isinstance(tier, float) and tier != tier):
            return self.tiers["unknown"]
        return self.tiers.get(tier, self.tiers["unknown"])


def policy_from_mapping(data: dict) -> Policy:
    order = tuple(data.get("decision_order") or DECISION_STEPS)
    unknown = set(order) - set(DECISION_STEPS)
    if unknown:
        raise ValueError(f"unknown reconciliation steps {sorted(unknown)}; known: {', '.join(DECISION_STEPS)}")
    signals, duplicates = data.get("signals", {}), data.get("duplicates", {})
    return Policy(
        version=str(data["version"]),
        approx_tolerance=float(data.get("intervals", {}).get("approx_tolerance", 0.05)),
        decision_order=order,
        tiers={**Policy("").tiers, **data.get("tiers", {})},
        typo=bool(signals.get("typo", True)),
        scale_factors=tuple(float(f) for f in signals.get("scale_factors", (10, 100, 1000))),
        scale_tolerance=float(signals.get("scale_tolerance", 0.02)),
        outlier_ratio=float(signals.get("outlier_ratio", 5)),
        shingle_words=int(duplicates.get("shingle_words", 5)),
        jaccard=float(duplicates.get("jaccard", 0.5)),
        translation_figures_jaccard=float(duplicates.get("translation_figures_jaccard", 0.8)),
        translation_min_figures=int(duplicates.get("translation_min_figures", 3)),
        revision_cues=tuple(str(c).lower() for c in data.get("targets", {}).get("revision_cues", ())),
    )


# What decides a fact besides the policy file: an edit of either, the file's version left as it was,
# still makes the facts another policy's, decided again at the next run (warehouse.loader).
DECIDING_SOURCES = ("reconciliation.py", "reconciliation_rules.py", "reconciliation_policy.py", "duplicates.py", "consistency.py")


@lru_cache(maxsize=8)
def _load(path: str) -> Policy:
    """The policy of the file, its version followed by a digest of the file and of DECIDING_SOURCES."""
    text = Path(path).read_bytes()
    policy = policy_from_mapping(yaml.safe_load(text.decode("utf-8")))
    digest = hashlib.sha256(text)
    for name in DECIDING_SOURCES:
        digest.update(b"\0" + Path(__file__).with_name(name).read_bytes())
    return replace(policy, version=f"{policy.version}+{digest.hexdigest()[:10]}")


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy of ``path``, else of FIGURES_RECONCILIATION_POLICY, else the one shipped with the package."""
    return _load(str(path or os.environ.get("FIGURES_RECONCILIATION_POLICY") or DEFAULT_POLICY))
