"""Throughput of the full claim extraction on a synthetic news corpus, and against recognizers-text.

    python benchmarks/speed.py [--mb 20] [--peer-chars 200000] [--no-peer] [--seed 7]

Runs ``extract_claims`` on every article of the corpus built by ``benchmarks/corpus.py`` (cached under
``benchmarks/.cache/``), in one process pinned to one core, and prints characters, seconds, characters
per second, MB/s (10**6 bytes of UTF-8 per second), claims found; then the quantity layer alone
(``extract_quantities``) for the number of quantities; then peak memory: the tracemalloc peak of a
separate ``extract_claims`` pass (tracemalloc slows Python down, so it is never on while timing) and
the process's max RSS (corpus included). A breakdown times each whole-document pass on its own
(sentences and tables, entity mentions, period phrases, quantities) and attributes the rest of the full
extraction to the per-figure claim work, in milliseconds per million characters. Finally it runs the peer,
recognizers-text (number, percent and currency models of the article's culture, built once beforehand),
on the first ``--peer-chars`` characters of the same corpus, and prints its characters per second and
our ratio to it: the full claim extraction's (the goal's measure), and the quantity layer's alone, which
does what the peer does.

Goals: >= 2 MB/s per core for the full claim extraction (a few hundred MB of articles re-extracted in
minutes whenever a lexicon changes), and >= 100x the peer (about 11 thousand characters per second on
news text, according to the peer-specs README).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (sibling script, not a package)

GOAL_MB_S = 2.0
GOAL_RATIO = 100.0


def pin_one_core() -> str:
    """Measure per core: keep the process on a single CPU when the OS lets us."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def extractor_build() -> str:
    """Which extractor ran: the one `make` compiles with mypyc, or the sources (not built, stale, or
    FIGURES_PURE_PYTHON=1)."""
    from pipelines.extraction import claims

    return "the sources" if claims.__file__.endswith(".py") else "compiled with mypyc"


def run_claims(docs: list[dict], extract_claims):
    claims = errors = 0
    first_error = None
    seconds = {"fr": 0.0, "en": 0.0}
    for d in docs:
        started = time.perf_counter()
        try:
            claims += len(extract_claims(d["text"], language=d["language"], document=d["id"], published=None))
        except Exception as exc:  # keep measuring an extractor that is still being written
            errors += 1
            first_error = first_error or f"{d['id']}: {type(exc).__name__}: {exc}"
        seconds[d["language"]] += time.perf_counter() - started
    return claims, seconds, errors, first_error


def run_quantities(docs: list[dict], extract_quantities) -> tuple[int, float]:
    started, found = time.perf_counter(), 0
    for d in docs:
        try:
            found += len(extract_quantities(d["text"], language=d["language"]))
        except Exception:
            pass  # already reported by the claims pass
    return found, time.perf_counter() - started


def run_stages(docs: list[dict]) -> dict[str, float]:
    """Seconds of each whole-document pass the claim extraction makes, each timed on its own."""
    from pipelines.extraction.entities import entity_finder
    from pipelines.extraction.lexicon import load_lexicon
    from pipelines.extraction.periods import period_finder
    from pipelines.extraction.quantities import reader_for
    from pipelines.extraction.segments import layout

    lexicon = load_lexicon()
    passes = {
        "sentences and tables": lambda lang: layout,
        "entity mentions": lambda lang: entity_finder(lexicon, lang).find,
        "period phrases": lambda lang: period_finder(lexicon, lang).scan,
        "quantities": lambda lang: reader_for(lang, lexicon).read,
    }
    seconds = {}
    for name, reader_of in passes.items():
        readers = {lang: reader_of(lang) for lang in ("fr", "en")}
        started = time.perf_counter()
        for d in docs:
            readers[d["language"]](d["text"])
        seconds[name] = time.perf_counter() - started
    return seconds


def peer_models():
    try:
        from recognizers_number import Culture, NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer
    except ImportError:
        return None
    models = {}
    for lang, culture in (("fr", Culture.French), ("en", Culture.English)):
        numbers = NumberRecognizer(culture)
        models[lang] = [numbers.get_number_model(culture), numbers.get_percentage_model(culture),
                        NumberWithUnitRecognizer(culture).get_currency_model(culture)]
    return models


def run_peer(docs: list[dict], models, max_chars: int) -> tuple[int, float, int]:
    chars = found = 0
    started = time.perf_counter()
    for d in docs:
        if chars >= max_chars:
            break
        for model in models[d["language"]]:
            found += len(model.parse(d["text"]))
        chars += len(d["text"])
    return chars, time.perf_counter() - started, found


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="corpus size in MB of UTF-8 text (default 20)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--peer-chars", type=int, default=200_000, help="characters given to the peer")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--figure-share", type=float, default=corpus.DENSE_SHARE,
                        help=f"share of sentences that carry figures: {corpus.DENSE_SHARE} (default) is a results "
                             f"release, {corpus.NEWS_SHARE} the density of the seed news articles")
    args = parser.parse_args(argv)

    pinned = pin_one_core()
    started = time.perf_counter()
    docs = corpus.load(args.mb, args.seed, args.figure_share)
    load_s = time.perf_counter() - started
    chars = {lang: sum(len(d["text"]) for d in docs if d["language"] == lang) for lang in ("fr", "en")}
    n_bytes = {lang: sum(len(d["text"].encode("utf-8")) for d in docs if d["language"] == lang) for lang in ("fr", "en")}
    total_chars, total_mb = sum(chars.values()), sum(n_bytes.values()) / 1e6
    print(f"corpus: {len(docs):,} articles, {total_chars:,} characters, {total_mb:.2f} MB UTF-8 "
          f"(fr {chars['fr']:,} / en {chars['en']:,} chars; loaded in {load_s:.1f}s from {corpus.corpus_path(args.mb, args.seed, args.figure_share).name})")

    try:
        from pipelines.extraction import extract_claims, extract_quantities
    except ImportError as exc:
        print(f"the extractor is not importable ({exc})", file=sys.stderr)
        return 1
    extract_claims(docs[0]["text"], language=docs[0]["language"], document="warm-up")  # lexicons load once

    claims, seconds, errors, first_error = run_claims(docs, extract_claims)
    total_s = sum(seconds.values())
    ours_cps, ours_mbs = total_chars / total_s, total_mb / total_s
    print(f"\nours, full claim extraction (extract_claims, one process, {pinned}, {extractor_build()}):")
    print(f"  characters      {total_chars:>14,}")
    print(f"  seconds         {total_s:>14.2f}")
    print(f"  characters/s    {ours_cps:>14,.0f}")
    print(f"  MB/s            {ours_mbs:>14.2f}")
    for lang in ("fr", "en"):
        print(f"    {lang}: {chars[lang] / seconds[lang]:,.0f} chars/s, {n_bytes[lang] / 1e6 / seconds[lang]:.2f} MB/s")
    print(f"  claims          {claims:>14,}")
    if errors:
        print(f"  ERRORS          {errors:>14,}  first: {first_error}")

    quantities, q_s = run_quantities(docs, extract_quantities)
    print(f"  quantities      {quantities:>14,}  (extract_quantities alone: {q_s:.2f}s, {total_mb / q_s:.2f} MB/s)")
    print(f"  density         {total_chars / max(quantities, 1):>14,.0f} characters per quantity")

    stages = run_stages(docs)
    print("  where the time goes, in ms per million characters (each pass timed on its own):")
    for name, stage_s in stages.items():
        print(f"    {name:<22}{stage_s / total_chars * 1e9:>8.0f}")
    rest = total_s - sum(stages.values())
    print(f"    {'per-figure claim work':<22}{rest / total_chars * 1e9:>8.0f}  (the rest of the full extraction)")

    tracemalloc.start()
    run_claims(docs, extract_claims)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print(f"  tracemalloc peak{peak / 1e6:>11.1f} MB  (extraction only, separate pass)")
    print(f"  max RSS         {rss / 1e6:>11.1f} MB  (whole process, corpus in memory)")

    ratio = None
    if not args.no_peer:
        models = peer_models()
        if models is None:
            print("\npeer: recognizers-text is not installed (pip install -e '.[bench]'); skipped")
        else:
            p_chars, p_s, p_found = run_peer(docs, models, args.peer_chars)
            peer_cps = p_chars / p_s
            ratio = ours_cps / peer_cps
            print(f"\npeer, recognizers-text (number + percent + currency models, built beforehand), "
                  f"first {p_chars:,} characters:")
            print(f"  seconds         {p_s:>14.2f}")
            print(f"  characters/s    {peer_cps:>14,.0f}   ({p_found:,} results)")
            print(f"  ratio ours/peer {ratio:>13,.0f}x  (our full claim extraction)")
            # The peer finds numbers, percentages and amounts: the work of our quantity layer alone.
            print(f"  like for like   {total_chars / q_s / peer_cps:>13,.0f}x  (our quantity layer alone)")

    print(f"\ngoal >= {GOAL_MB_S:g} MB/s per core: {verdict(ours_mbs >= GOAL_MB_S)} ({ours_mbs:.2f} MB/s)")
    if ratio is not None:
        print(f"goal >= {GOAL_RATIO:g}x the peer: {verdict(ratio >= GOAL_RATIO)} ({ratio:,.0f}x)")
    else:
        print(f"goal >= {GOAL_RATIO:g}x the peer: not measured")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere in the checkout
    sys.exit(main())
