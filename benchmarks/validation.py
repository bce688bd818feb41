"""Time of ``validate_claims`` on the claims of generated articles, as extraction builds them, with none
quarantined and with a share of them made invalid the way real feeds make them: undated articles that
name a quarter without its year (no period) and units the schema does not know.

    python benchmarks/validation.py [--articles 2000] [--shares 0 0.1 0.3] [--repeat 3]

Prints, for each share, the claims, how many were quarantined, the best and every time, and the time per
claim: validating should cost about as much per claim whether they pass or not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def spoiled(claims, share: float):
    """A copy of ``claims`` where every claim at a multiple of 1/share lost its period (half of them) or
    got an unknown unit (the other half)."""
    claims = claims.copy()
    if share <= 0:
        return claims
    step = max(1, round(1 / share))
    chosen = claims.index[::step]
    claims.loc[chosen[::2], "period"] = ""
    claims.loc[chosen[1::2], "unit"] = "furlongs"
    return claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.0, 0.1, 0.3])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import reconciliation

    from pipelines.validation import validate_claims

    claims = reconciliation.generated_batch(args.articles).claims  # benchmarks/reconciliation.py
    print(f"{args.articles:,} articles, {len(claims):,} claims")
    for share in args.shares:
        frame = spoiled(claims, share)
        times, quarantined = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            _, quarantine = validate_claims(frame)
            times.append(time.perf_counter() - start)
            quarantined = len(quarantine)
        best = min(times)
        print(f"  {share:4.0%} spoiled: {quarantined:7,} quarantined  best {best:6.2f} s  "
              f"({', '.join(f'{t:.2f}' for t in times)})  {best / len(frame) * 1e6:5.1f} µs a claim")
    return 0


if __name__ == "__main__":
    sys.exit(main())
