"""How extraction time grows with the length of a text, on texts made to be hard: runs of digits and
separators, number words, figures and cues with no sentence punctuation, tables, lists.

    python benchmarks/extraction_scaling.py [--size 16000] [--factor 4] [--language en fr]

For each text, the time of ``extract_claims`` at ``--size`` characters and at ``--factor`` times that,
and how much longer the larger took. Goal: about ``--factor`` (time in proportion to the length); a
case that grows with the square of the length (16 for a factor of 4) is flagged: a document of a few
megabytes of it would hold a run for hours (the size limit, max_chars, is 2,000,000 characters).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.extraction import extract_claims  # noqa: E402

# Each text is a unit repeated to the size asked for.
UNITS = {
    "digits and spaces": "1 ",
    "digits and points": "1.",
    "digits and commas": "1,",
    "digits and apostrophes": "1'",
    "digits and line breaks": "1\n",
    "digit groups, no-break spaces": "123\u00a0",
    "mixed separators": "1 000,5.2 ",
    "years joined by dashes": "2024-2025-",
    "number words": "one two three four ",
    "scale words": "million ",
    "figures and cues, no full stop": "revenue of 12 billion yuan and ",
    "targets, no full stop": "target of 100,000 raised to 120,000 ",
    "percentages": "margin up 5 % and ",
    "currencies": "€12 $13 ¥14 ",
    "quarters": "Q1 Q2 Q3 ",
    "French figures": "livraisons de 81 502 unités au T2 2024, ",
    "table rows": "| Revenue | 12 | 13 |\n",
    "lines of figures": "Revenue 12 billion\n",
    "bullets": "- deliveries: 1,000 units\n",
    "list after a colon": "Deliveries: 1,000, ",
    "one long number": "9",
    "letters": "a",
}
QUADRATIC_FROM = 0.6  # of the square of the factor: 9.6 for a factor of 4


def timed(text: str, language: str) -> float:
    started = time.perf_counter()
    extract_claims(text, language)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=16_000, help="characters of the smaller text")
    parser.add_argument("--factor", type=int, default=4, help="how many times larger the second text is")
    parser.add_argument("--language", nargs="+", default=["en", "fr"])
    args = parser.parse_args()
    extract_claims("Warm-up: 1 vehicle.", "en")
    flagged = 0
    for language in args.language:
        print(f"\n{language}: {args.size:,} and {args.size * args.factor:,} characters")
        for name, unit in UNITS.items():
            small, large = ((unit * (size // len(unit) + 1))[:size] for size in (args.size, args.size * args.factor))
            first, second = timed(small, language), timed(large, language)
            growth = second / max(first, 1e-3)
            quadratic = growth >= QUADRATIC_FROM * args.factor ** 2 and second > 0.5
            flagged += quadratic
            print(f"  {name:32} {first:7.3f} s {second:8.3f} s   x{growth:5.1f}{'   <- grows with the square' if quadratic else ''}")
    print(f"\n{flagged} text(s) whose time grows with the square of their length (goal: 0)")
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
