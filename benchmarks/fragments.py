"""Random fragments of figure-like words fed to the extractor, to find the inputs that make it raise.

    python benchmarks/fragments.py [--seconds 60] [--seed 1]

An exception inside `extract_claims` rejects the whole document it came from, with every figure it
states; odd fragments (a stray mark before a number, a symbol between two amounts, a unit word alone)
are common in scraped pages. Prints how many texts were tried and, for each place in the code that
raised, the exception and one text that makes it raise (goal: none).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipelines.extraction import extract_claims  # noqa: E402

# Numbers in every notation, units, scale words, period words, hedges, cues and punctuation, in both
# languages: what figures are made of, to be put together in orders no article would use.
TOKENS = [
    "12", "1,5", "3.2", "81 502", "1 234,5", "1.234,5", "12’000", "0,5 %", "-5 %", "−3", "2,5x", ".08", "2024",
    "Q2", "Q4 2024", "T3", "H1", "H2 2025", "FY24", "9M", "2025-Q1", "1er", "3rd", "%", "$", "€", "¥", "RMB",
    "USD", "yuan", "euros", "million", "milliards", "bn", "k", "K", "M", "thousand", "hundred", "cent", "mille",
    "deux", "trois", "twice", "x", "fois", "per cent", "pour cent", "points", "points de base", "pp", "bp",
    "bps", "de", "à", "the", "of", "a livré", "delivered", "revenue", "chiffre d'affaires", "marge", "margin",
    "target", "objectif", "from", "to", "contre", "versus", "vs", "up", "down", "hausse", "baisse", "about",
    "environ", "plus de", "at least", "units", "vehicles", "véhicules", "first half", "premier trimestre",
    "quarter", "trimestre", "mois", "janvier", "fiscal year", "exercice", "between April and June",
    "entre avril et juin", "last year", "l'année dernière", "as of June 30", "through", "jusqu'à",
    "sur un an", "year-on-year", "le chiffre", "this ratio", "Xiaomi", "NIO Inc.", "The company",
    "(9868.HK)", "NYSE: XPEV", "(", ")", "-", "–", "+", "/", ".", ",", ":", ";", "|", "'", "’", '"', "«", "»",
    " ", "\xa0", "\u202f", "\t", "\n",
]


def fragment(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) + rng.choice(["", " ", " ", "  "]) for _ in range(rng.randint(1, 25)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    raised: dict[tuple, tuple[str, str, str]] = {}
    tried, deadline = 0, time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        text = fragment(rng)
        for language in ("en", "fr"):
            tried += 1
            try:
                extract_claims(text, language)
            except Exception as error:  # noqa: BLE001 - every exception is what this looks for
                where = traceback.extract_tb(error.__traceback__)[-1]
                raised.setdefault((type(error).__name__, Path(where.filename).name, where.lineno),
                                  (repr(text), language, str(error)[:120]))
    print(f"{tried:,} texts in {args.seconds:.0f} s (seed {args.seed})")
    for (name, file, line), (text, language, message) in raised.items():
        print(f"  {name} at {file}:{line} ({language}): {message}\n    {text}")
    print(f"goal: no exception: {'met' if not raised else f'missed ({len(raised)} places)'}")
    return 1 if raised else 0


if __name__ == "__main__":
    sys.exit(main())
