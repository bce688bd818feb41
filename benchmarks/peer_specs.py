"""Score the quantity layer against a peer's own test suites (Recognizers-Text, quantulum3).

    python benchmarks/peer_specs.py ../shared/peer-specs [--show-failures N] [--no-peer]

FOLDER is the peer-specs folder; its README explains the files. We read
``normalized/recognizers_text_specs.jsonl`` and keep the French and English ``NumberModel.json``,
``PercentModel.json`` and ``CurrencyModel.json`` cases (rows naming any other spec file, such as the
experimental modes, are skipped). Each case's ``input`` goes through ``extract_quantities`` and passes
when our results match the expected results exactly as a set: same count, and each expected result
paired with a distinct one of ours that has the same span (end exclusive) and the same value (relative
tolerance 1e-9).

Mapping choices (our layer gives one record per figure *with its unit*; each peer model sees only one
kind of figure):

- NumberModel sees every quantity of ours, because every quantity holds a number. The peer's span
  covers the number only ("20" in "$20"), ours covers the unit too ("$20"), so a quantity of ours that
  carries a unit (money, %, pp, a count noun) matches when it *contains* the expected span and has the
  same value. A bare number (unit None) must match the span exactly. Articles and years, which the
  project deliberately does not treat as quantities, count as misses: the spec is the referee.
- PercentModel sees only our quantities with unit ``%``; their value is the number of percent (26.4 for
  "26,4 %"), as in the spec. Other numbers in the sentence are not the percent model's business.
- CurrencyModel sees only our money quantities (unit shaped like an ISO 4217 code). When the expected
  result gives an ISO code, our unit must equal it; when it does not (a bare "$", "Livre", "Yen
  Japonais", an unknown currency), value and span only are compared. The peer counts cents, pence,
  centimes, pesewas and sen in the sub-unit (34 for "34 cents"); a base-unit value of ours (0.34) is
  accepted too, since it is the same amount. An expected result without a value (a currency name with
  no amount) cannot be matched by a quantity layer and fails.
- Our values carry the direction of the sentence: "en baisse de 5000 $" gives -5000 with the span of
  "5000 $". The spec values the figure as written, so a negative value whose own text has no minus
  sign (or "minus", "moins", an accounting parenthesis) is compared by its magnitude.
- A range of ours ("entre 10 et 20 %") stands for two figures, its lower and upper bound; each may match
  an expected result inside the range's span.
- Span repair: in the cases no platform supports, some French expected spans are one character longer
  than their own ``text`` (an inclusive end converted twice). When ``input[start:start+len(text)]`` is
  that text, the span is shortened to fit it; the number of repairs is printed. Inputs are never changed.

Goal: on the cases the peer supports in Python, our pass rate >= the peer's own pass rate, which the
folder's README gives (PEER_REPORTED below). The cases it does not support are scored separately.
When ``recognizers-text`` is installed (``pip install -e '.[bench]'``) the peer is run on the same
supported cases with the same comparison ("peer measured here"), as a check on the comparison itself.
It can pass a case more than it reports: its own harness compares results in order, we compare sets.

``normalized/quantulum3_quantities.jsonl`` (English, no peer pass rates) is scored too, on the cases
whose expected figures include money (dollar, euro, pound sterling, cent...) or a percentage, comparing
only those figures with our money and % quantities; quantulum3 gives a range as its midpoint ("50 to
80%" is 65), so our range is compared through its midpoint. The other cases are reported out of scope.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

MODELS = ("NumberModel", "PercentModel", "CurrencyModel")
LANGS = {"French": "fr", "English": "en"}
# Pass counts the peer reports for itself on its Python-supported cases (peer-specs README).
PEER_REPORTED = {
    ("fr", "NumberModel"): (118, 128),
    ("fr", "PercentModel"): (19, 19),
    ("fr", "CurrencyModel"): (101, 107),
    ("en", "NumberModel"): (172, 211),
    ("en", "PercentModel"): (17, 17),
    ("en", "CurrencyModel"): (126, 130),
}
# Sub-units the peer values in hundredths of the main unit.
HUNDREDTHS = {"cent", "cents", "centimes", "pence", "penny", "pesewa", "sen"}
ISO_CODE = re.compile(r"[A-Z]{3}")
MINUS = re.compile(r"[-\u2212\u2013(]|\b(?:moins|minus|negative|négatif|négative)\b", re.I)
REL_TOL = 1e-9


@dataclass(frozen=True)
class Found:
    """One figure as a comparable record, from our quantities or from the peer."""

    start: int
    end: int
    value: float | None
    unit: str | None = None
    kind: str = "number"  # number | percent | money | other
    contains: bool = False  # may match an expected span inside its own (a range bound, unit text)

    def brief(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"[{self.start},{self.end}) {self.value}{unit}"


def kind_of(unit: str | None) -> str:
    if unit is None:
        return "number"
    if unit == "%":
        return "percent"
    if ISO_CODE.fullmatch(unit):
        return "money"
    return "other"  # pp and count nouns


def from_quantity(q) -> list[Found]:
    """Our Quantity -> comparable records; a range gives one record per bound."""
    kind, value = kind_of(q.unit), q.value
    if value is not None and value < 0 and not MINUS.search(q.text):
        value = -value  # the sign came from a word outside the figure ("down $5,000"): compare as written
    if q.upper is None:
        return [Found(q.start, q.end, value, q.unit, kind)]
    return [Found(q.start, q.end, v, q.unit, kind, contains=True) for v in (value, q.upper)]


def visible_to(model: str, found: list[Found]) -> list[Found]:
    """The part of our output a given peer model is about."""
    if model == "PercentModel":
        return [f for f in found if f.kind == "percent"]
    if model == "CurrencyModel":
        return [f for f in found if f.kind == "money"]
    # the number model's spans leave out the unit that ours include ("20" in "$20")
    return [replace(f, contains=True) if f.kind != "number" else f for f in found]


def same_value(expected: float | None, ours: float | None) -> bool:
    if expected is None or ours is None:
        return expected is None and ours is None
    return math.isclose(expected, ours, rel_tol=REL_TOL, abs_tol=1e-12)


def matches(exp: dict, f: Found) -> bool:
    if (exp["start"], exp["end"]) != (f.start, f.end):
        if not (f.contains and f.start <= exp["start"] and exp["end"] <= f.end):
            return False
    if exp.get("iso") and f.unit != exp["iso"]:
        return False
    if same_value(exp["value"], f.value):
        return True
    sub_unit = (exp.get("unit") or "").lower() in HUNDREDTHS and f.kind == "money"
    return sub_unit and f.value is not None and same_value(exp["value"], f.value * 100)


def pair_up(expected: list[dict], found: list[Found]) -> dict[int, int]:
    """Maximum matching expected -> found (augmenting paths; cases are tiny)."""
    owner: dict[int, int] = {}  # found index -> expected index

    def place(i: int, seen: set[int]) -> bool:
        for j, f in enumerate(found):
            if j not in seen and matches(expected[i], f):
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expected)):
        place(i, set())
    return {i: j for j, i in owner.items()}


def case_passes(expected: list[dict], found: list[Found]) -> bool:
    return len(expected) == len(found) and len(pair_up(expected, found)) == len(expected)


def diagnose(expected: list[dict], found: list[Found]) -> list[str]:
    """Why a case failed, one word per unpaired figure: span, value, missed, spurious."""
    paired = pair_up(expected, found)
    loose = [f for j, f in enumerate(found) if j not in set(paired.values())]
    reasons = []
    for i, e in enumerate(expected):
        if i in paired:
            continue
        overlap = [f for f in loose if f.start < e["end"] and e["start"] < f.end]
        if not overlap:
            reasons.append("missed")
        elif any(f.start <= e["start"] and e["end"] <= f.end and (f.contains or f.end - f.start == e["end"] - e["start"])
                 for f in overlap):
            reasons.append("value/unit")
        else:
            reasons.append("span")
        for f in overlap[:1]:
            loose.remove(f)
    return reasons + ["spurious"] * len(loose)


def repair_spans(row: dict) -> int:
    """Shorten expected spans longer than their own text (see module docstring); returns repairs."""
    fixed = 0
    for e in row["expected"]:
        n = len(e["text"])
        if e["end"] - e["start"] != n and _same_text(row["input"][e["start"]:e["start"] + n], e["text"]):
            e["end"] = e["start"] + n
            fixed += 1
    return fixed


def _same_text(a: str, b: str) -> bool:
    squash = lambda s: re.sub(r"\s", " ", s).lower()  # noqa: E731 - spec text may differ in space kind/case
    return squash(a) == squash(b)


def load_cases(folder: Path) -> tuple[list[dict], int]:
    path = folder / "normalized" / "recognizers_text_specs.jsonl"
    cases, repairs = [], 0
    with path.open(encoding="utf-8-sig") as lines:  # the files begin with a BOM
        for line in lines:
            row = json.loads(line)
            lang = LANGS.get(row["lang"])
            if lang is None or row["model"] not in MODELS or not row["file"].endswith(f"/{row['model']}.json"):
                continue
            repairs += repair_spans(row)
            row["lang_code"] = lang
            cases.append(row)
    return cases, repairs


# ---- running the extractors ----

def ours_runner():
    from pipelines.extraction import extract_quantities

    def run(text: str, lang: str, model: str) -> list[Found]:
        return [f for q in extract_quantities(text, language=lang) for f in from_quantity(q)]

    return run


def peer_value(raw, lang: str) -> float | None:
    if raw is None:
        return None
    raw = str(raw).rstrip("%").strip()
    if lang == "fr":
        raw = raw.replace(",", ".")  # the French models resolve decimals with a comma
    try:
        return float(raw)
    except ValueError:
        return None


def peer_runner():
    """recognizers-text, one model per spec file; None when the package is not installed."""
    try:
        from recognizers_number import Culture, NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer
    except ImportError:
        return None
    cultures = {"fr": Culture.French, "en": Culture.English}
    models = {}
    for lang, culture in cultures.items():
        numbers = NumberRecognizer(culture)
        models[lang, "NumberModel"] = (numbers.get_number_model(culture), "number")
        models[lang, "PercentModel"] = (numbers.get_percentage_model(culture), "percent")
        models[lang, "CurrencyModel"] = (NumberWithUnitRecognizer(culture).get_currency_model(culture), "money")

    def run(text: str, lang: str, model: str) -> list[Found]:
        parser, kind = models[lang, model]
        out = []
        for r in parser.parse(text):
            res = r.resolution or {}
            unit = "%" if kind == "percent" else res.get("isoCurrency") if kind == "money" else None
            # the peer's own end is inclusive; start + len(text) is exclusive
            out.append(Found(r.start, r.start + len(r.text), peer_value(res.get("value"), lang), unit, kind))
        return out

    return run


def score(cases: list[dict], run, want_failures: bool = False):
    """{(lang, model, supported): [passed, total, failures]} for one extractor."""
    table: dict[tuple, list] = {}
    for case in cases:
        key = (case["lang_code"], case["model"], bool(case["supported_python"]))
        cell = table.setdefault(key, [0, 0, []])
        cell[1] += 1
        try:
            found = visible_to(case["model"], run(case["input"], case["lang_code"], case["model"]))
        except Exception as exc:  # an incomplete extractor should cost a case, not the whole run
            found, error = [], f"{type(exc).__name__}: {exc}"
        else:
            error = None
        if case_passes(case["expected"], found):
            cell[0] += 1
        elif want_failures:
            cell[2].append((case, found, error))
    return table


# ---- quantulum3 ----

Q3_MONEY = {"dollar": "USD", "euro": "EUR", "pound sterling": "GBP"}
Q3_SUB = {"cent": 100, "penny": 100, "dime": 10}  # counted in the sub-unit, like the peer above
MONEY_WORDS = re.compile(r"\b(dollar|euro|pound sterling|cent|penny|dime|yen|yuan)\b")


def q3_in_scope(row: dict) -> list[dict] | None:
    """The money/percentage expectations of a case, or None when the case is out of scope."""
    keep = [e for e in row["expected"] if e["unit"] in Q3_MONEY or e["unit"] in Q3_SUB or e["unit"] == "percentage"]
    # "$15.4/hour" is a rate, not money: such a case cannot be scored on money alone
    tangled = [e for e in row["expected"] if e not in keep and MONEY_WORDS.search(e["unit"] or "")]
    return keep if keep and not tangled else None


def q3_matches(exp: dict, q) -> bool:
    if (exp["start"], exp["end"]) != (q.start, q.end):
        return False
    value = q.value if q.upper is None else (q.value + q.upper) / 2
    unit = exp["unit"]
    if unit == "percentage":
        return q.unit == "%" and same_value(exp["value"], value)
    if unit in Q3_MONEY:
        return q.unit == Q3_MONEY[unit] and same_value(exp["value"], value)
    return kind_of(q.unit) == "money" and any(same_value(exp["value"], value * k) for k in (1, Q3_SUB[unit]))


def score_quantulum(folder: Path, extract, show: int) -> None:
    path = folder / "normalized" / "quantulum3_quantities.jsonl"
    if not path.exists():
        return
    passed = total = skipped = 0
    failures = []
    with path.open(encoding="utf-8-sig") as lines:
        for line in lines:
            row = json.loads(line)
            expected = q3_in_scope(row)
            if expected is None:
                skipped += 1
                continue
            total += 1
            ours = [q for q in extract(row["input"], language="en") if q.unit == "%" or kind_of(q.unit) == "money"]
            ok = len(ours) == len(expected) and all(any(q3_matches(e, q) for q in ours) for e in expected)
            passed += ok
            if not ok:
                failures.append((row, ours))
    print(f"\nquantulum3 (English, money and percentages): {passed}/{total} {pct(passed, total)}"
          f"  ({skipped} cases out of scope: other units)")
    for row, ours in failures[:show]:
        print(f"  input:    {row['input']!r}")
        print(f"  expected: {[(e['text'], e['start'], e['end'], e['value'], e['unit']) for e in q3_in_scope(row)]}")
        print(f"  ours:     {[(q.text, q.start, q.end, q.value, q.unit) for q in ours]}")


# ---- report ----

def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "  n/a"


def show_failures(cases_failed: list, limit: int) -> None:
    for case, found, error in cases_failed[:limit]:
        flag = "" if case["supported_python"] else "  (peer: unsupported)"
        print(f"  input:    {case['input']!r}{flag}")
        print(f"  expected: {[(e['text'], e['start'], e['end'], e['value'], e.get('iso') or e.get('unit')) for e in case['expected']]}")
        print(f"  ours:     {[f.brief() for f in found]}" + (f"  ERROR {error}" if error else ""))
        print(f"  why:      {', '.join(diagnose(case['expected'], found)) or '?'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="the peer-specs folder")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N", help="failing cases to print per file")
    parser.add_argument("--no-peer", action="store_true", help="do not run recognizers-text")
    args = parser.parse_args(argv)

    cases, repairs = load_cases(args.folder)
    try:
        ours = score(cases, ours_runner(), want_failures=True)
    except ImportError as exc:
        print(f"the extractor is not importable ({exc}); nothing to score", file=sys.stderr)
        return 1
    peer_run = None if args.no_peer else peer_runner()
    peer = score([c for c in cases if c["supported_python"]], peer_run) if peer_run else {}

    print(f"{len(cases)} Recognizers-Text cases ({repairs} expected spans repaired, see --help)\n")
    header = (f"{'file':<14}{'lang':<5}{'ours (peer-supported)':>24}{'peer README':>16}"
              f"{'peer measured here':>21}{'ours (unsupported)':>22}")
    print(header)
    print("-" * len(header))
    verdicts = []
    for lang in ("fr", "en"):
        for model in MODELS:
            got, total, _ = ours.get((lang, model, True), [0, 0, []])
            ref_pass, ref_total = PEER_REPORTED[lang, model]
            measured = peer.get((lang, model, True))
            un_got, un_total, _ = ours.get((lang, model, False), [0, 0, []])
            print(f"{model:<14}{lang:<5}{f'{got}/{total} {pct(got, total)}':>24}"
                  f"{f'{ref_pass}/{ref_total} {pct(ref_pass, ref_total)}':>16}"
                  f"{f'{measured[0]}/{measured[1]} {pct(measured[0], measured[1])}' if measured else 'not run':>21}"
                  f"{f'{un_got}/{un_total} {pct(un_got, un_total)}':>22}")
            met = total and got / total >= ref_pass / ref_total
            verdicts.append(f"{model} {lang}: goal {'met' if met else 'missed'} "
                            f"(ours {pct(got, total).strip()} vs peer {pct(ref_pass, ref_total).strip()})")
    if not peer_run and not args.no_peer:
        print("\nrecognizers-text is not installed: peer not measured (pip install -e '.[bench]')")
    print()
    print("\n".join(verdicts))

    reasons = Counter()
    for (lang, model, _), (_, _, failed) in ours.items():
        for case, found, _ in failed:
            reasons.update(f"{model} {lang}: {r}" for r in diagnose(case["expected"], found))
    if reasons:
        print("\nunpaired figures by reason (all cases):")
        for key, n in sorted(reasons.items()):
            print(f"  {key:<32}{n:>5}")

    if args.show_failures:
        for lang in ("fr", "en"):
            for model in MODELS:
                failed = ours.get((lang, model, True), [0, 0, []])[2] + ours.get((lang, model, False), [0, 0, []])[2]
                if failed:
                    print(f"\n== {model} {lang}: failing cases (peer-supported first) ==")
                    show_failures(failed, args.show_failures)

    from pipelines.extraction import extract_quantities

    score_quantulum(args.folder, extract_quantities, args.show_failures)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere in the checkout
    sys.exit(main())
