"""Score ``extract_claims`` on the annotated gold set (by default the development set: benchmarks/gold and batch2-5).

    python benchmarks/gold_set.py [--gold FOLDER ...] [--show-errors]
    python benchmarks/gold_set.py --realworld [FOLDER]   # the real-world set rebuilt outside the repository

A predicted claim is correct when entity, metric, period, unit and kind equal a gold claim's and the
value agrees within a relative tolerance of 1e-6; matching is one-to-one per document. The qualifier is
reported as an accuracy on the matched claims. Near misses (a gold figure and a wrong prediction of the
same number or span) are broken down by the fields that differ, to show where to improve.
This is a report: it always exits 0 and ends with whether the goal (precision and recall >= 0.95) is met.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, the repository root is not on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.gold_scoring import DEFAULT_GOLD, GOAL, load_gold, score  # noqa: E402

__all__ = ["load_gold", "main"]

# The real-world set: published news rebuilt from stored pages, outside the repository (never committed).
REALWORLD_DEFAULT = Path(os.environ.get("FIGURES_REALWORLD", "/tmp/realworld/gold"))
# The development set: the first batch, and four more written later from the contract alone.
DEVELOPMENT_SET = [DEFAULT_GOLD] + [DEFAULT_GOLD / f"batch{n}" for n in (2, 3, 4, 5)]


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _line(name: str, t: dict, width: int = 8) -> str:
    return (f"{name:<{width}} docs {t['documents']:>4}  gold {t['gold']:>4}  predicted {t['predicted']:>4}  "
            f"tp {t['tp']:>4}  P {_pct(t['precision']):>6}  R {_pct(t['recall']):>6}  F1 {_pct(t['f1']):>6}  "
            f"qualifier {_pct(t['qualifier_accuracy'])}")


def _claim(c: dict) -> str:
    return (f"{c.get('entity')} | {c.get('metric')} | {c.get('period')} | {c.get('value')} {c.get('unit')} | "
            f"{c.get('kind')} | {c.get('qualifier')} | {c.get('surface')!r}")


def print_report(report: dict, show_errors: bool = False) -> None:
    if show_errors:
        for d in report["documents"]:
            if not (d["false_negatives"] or d["false_positives"] or d["error"]):
                continue
            print(f"--- {d['id']}: {d['text']!r}")
            if d["error"]:
                print(f"  ERROR {d['error']}")
            for g in d["false_negatives"]:
                print(f"  FN {_claim(g)}")
            near = {id(nm["predicted"]): nm["fields"] for nm in d["near_misses"]}
            for p in d["false_positives"]:
                hint = f"  [near miss: {', '.join(near[id(p)])}]" if id(p) in near else ""
                print(f"  FP {_claim(p)}{hint}")
        print()
    print(_line("overall", report["overall"]))
    for lang, totals in report["by_language"].items():
        print(_line(lang, totals))
    if report["overall"]["errors"]:
        print(f"extractor errors: {report['overall']['errors']} documents")
    print(f"negative documents: {report['negative_documents']}, "
          f"false positives on them: {report['negative_false_positives']}")
    if report["by_tag"]:
        print("per tag:")
        for tag, totals in report["by_tag"].items():
            print("  " + _line(tag, totals, width=18))
        if "unlisted_company" in report["by_tag"]:
            print("  " + _line("other documents", report["without_tag"]["unlisted_company"], width=18))
    print("per metric (tp / fn / fp):")
    for metric, c in report["by_metric"].items():
        print(f"  {metric:<28} {c.get('tp', 0):>4} {c.get('fn', 0):>4} {c.get('fp', 0):>4}")
    fields = report["near_miss_fields"]
    print(f"near misses: {report['near_misses']} (field wrong: "
          + (", ".join(f"{f} {n}" for f, n in sorted(fields.items(), key=lambda kv: -kv[1])) or "none") + ")")
    classes = report["error_classes"]
    print("error classes: " + (", ".join(f"{name} {n}" for name, n in classes.items()) or "none"))
    gold = report["overall"]["gold"]
    if gold:
        print(f"period errors: {report['period_errors']} ({100 * report['period_errors'] / gold:.1f}% of the gold figures)")
    met = "met" if report["goal_met"] else "not met"
    print(f"goal precision>={GOAL} and recall>={GOAL}: {met}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, action="append",
                        help="folder of *.jsonl files, or one file; repeat to score several together (default: the "
                             "development set: benchmarks/gold and batch2 to batch5)")
    parser.add_argument("--show-errors", action="store_true", help="print each false negative and false positive")
    parser.add_argument("--realworld", nargs="?", const=REALWORLD_DEFAULT, type=Path, metavar="FOLDER",
                        help=f"score the real-world set rebuilt by ../shared/realworld/realworld.py (default {REALWORLD_DEFAULT}, "
                             "or $FIGURES_REALWORLD)")
    args = parser.parse_args(argv)

    if args.realworld is not None:
        if not any(args.realworld.glob("*.jsonl")):
            print(f"no real-world texts in {args.realworld}: rebuild them with ../shared/realworld/realworld.py "
                  "(see its README); they are kept outside the repository")
            return 0
        args.gold = (args.gold or []) + [args.realworld]
    docs = [doc for path in (args.gold or DEVELOPMENT_SET) for doc in load_gold(path)]
    try:
        from pipelines.extraction import extract_claims
    except ImportError as exc:
        print(f"cannot import extract_claims: {exc}")
        print(f"goal precision>={GOAL} and recall>={GOAL}: not met")
        return 0

    def predict(doc: dict) -> list:
        return extract_claims(doc["text"], language=doc["language"], document=doc["id"],
                              published=doc.get("published"))

    print_report(score(docs, predict), show_errors=args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
