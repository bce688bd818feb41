"""Whether a warehouse fed a few files at a time ends as one whole build of the same folder: its tables
must not depend on the order files arrived in, nor on which run brought them.

    python benchmarks/convergence.py [--realworld [FOLDER]] [--articles 80] [--seeds 3] [--runs 6] [--keep DIR]

The texts are the real-world set (its JSONL files, rebuilt outside the repository as for
`gold_set.py --realworld`), every other one written as Markdown with its title, language, date,
publisher and url, the others as plain text (or, given the excerpts' JSON file, those whole texts), or
generated articles (benchmarks/corpus.py) with near-copies, and exact copies under other names. For
each seed, the files of the folder arrive in a random order over `--runs` runs of `figures run`; then
two runs after a few files change each, one after a registry.yaml is written (tiers and publishers by
name and by glob), one after a few files are deleted, and one after the registry is edited. A whole build of the final
folder follows, into a new warehouse and instance. Prints, for each table, the rows found in one
warehouse and not in the other, with a few of them; exits 1 if any. Left out of the comparison: the
times that say when a run happened (`loaded_at`; `learned_at` and the timeline's `known_from` and
`known_until`, which date what undated documents say by when the warehouse first saw them), and the
history tables, which remember every run by design.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline  # noqa: E402
from gold_scoring import load_gold  # noqa: E402

REALWORLD_DEFAULT = Path(os.environ.get("FIGURES_REALWORLD", "/tmp/realworld/gold"))
TABLES = {
    "documents": "SELECT * EXCLUDE (loaded_at) FROM documents",
    "claims": "SELECT * FROM claims",
    "quarantined_claims": "SELECT * FROM quarantined_claims",
    "facts": "SELECT * EXCLUDE (learned_at) FROM facts",
    "conflicts": "SELECT * FROM conflicts",
    "target_revisions": "SELECT * FROM target_revisions",
    "fact_timeline": "SELECT * EXCLUDE (known_from, known_until) FROM fact_timeline",
    "consistency_warnings": "SELECT * FROM consistency_warnings",
}
SHOWN = 3  # differing rows printed per table and side


def realworld_files(folder: Path) -> dict[str, str]:
    """{file name: text} of each real-world article: every other one as Markdown with its metadata in the
    front matter, the others as plain text, undated and of no known publisher, as folders mix them."""
    if folder.is_file():  # the excerpts as saved from the pages ({url: text}): plain texts, whole
        return {f"excerpt_{k:03d}.txt": text for k, text in enumerate(json.loads(folder.read_text(encoding="utf-8")).values())}
    files = {}
    for k, row in enumerate(load_gold(folder)):
        if k % 2:
            files[f"{row['id']}.txt"] = row["text"]
            continue
        front = {"title": row["id"], "lang": row.get("language"), "date": row.get("published"),
                 "publisher": row.get("publisher"), "url": row.get("url")}
        header = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in front.items() if value)
        files[f"{row['id']}.md"] = f"---\n{header}---\n\n{row['text']}\n"
    return files


def generated_files(n: int, seed: int) -> dict[str, str]:
    """``n`` generated articles, a tenth of them again with a line added (syndicated copies) and a
    twentieth again as they are, under another name (one document with two paths)."""
    rng = random.Random(seed)
    files = {f"article_{i:03d}.txt": pipeline.news_article(rng) for i in range(n)}
    originals = sorted(files)
    for k, name in enumerate(rng.sample(originals, n // 10)):
        files[f"copy_{k:02d}.txt"] = files[name] + "\n\nThe report was carried by a wire service."
    for k, name in enumerate(rng.sample(originals, n // 20)):
        files[f"same_{k:02d}.txt"] = files[name]
    return files


TIERS = ("issuer", "wire", "press", "aggregator")


def registry_for(names: list[str], rng: random.Random) -> str:
    """A registry.yaml giving a tier or a publisher to a quarter of ``names`` by name, and a publisher to
    every name holding a digit drawn at random (a glob): the tiers decide between disagreeing sources."""
    digit = rng.choice("0123456789")
    lines = ["publishers:", "  Agency: {tier: wire}", "  Aggregator: {tier: aggregator}", "documents:",
             f'  - match: "*{digit}*"', f"    publisher: {rng.choice(['Agency', 'Aggregator'])}"]
    for name in rng.sample(names, max(1, len(names) // 4)):
        lines += [f"  - match: {json.dumps(name)}", f"    tier: {rng.choice(TIERS)}" if rng.random() < 0.7
                  else f"    publisher: {rng.choice(['Agency', 'Aggregator'])}"]
    return "\n".join(lines) + "\n"


def build(base: Path, name: str, folder: Path) -> None:
    env = pipeline.run_env(base, name, folder)
    done = subprocess.run([str(pipeline.FIGURES), "run"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"figures run failed on {folder}:\n{done.stdout}{done.stderr}")


def tables(database: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {table: sorted(repr(row) for row in con.execute(sql).fetchall()) for table, sql in TABLES.items()}


def differing_rows(fed: dict[str, list[str]], whole: dict[str, list[str]]) -> dict[str, tuple[list[str], list[str]]]:
    """{table: (rows only in ``fed``, rows only in ``whole``)} of two warehouses' tables."""
    return {table: (_missing(fed[table], whole[table]), _missing(whole[table], fed[table])) for table in TABLES}


def differences(fed: dict[str, list[str]], whole: dict[str, list[str]]) -> int:
    """Print, per table, the rows of one warehouse missing from the other; returns how many rows differ."""
    total = 0
    for table, (only_fed, only_whole) in differing_rows(fed, whole).items():
        total += len(only_fed) + len(only_whole)
        status = "same" if not (only_fed or only_whole) else f"{len(only_fed)} rows only when fed, {len(only_whole)} only in the whole build"
        print(f"    {table:<22} {len(fed[table]):6} rows   {status}")
        for label, rows in (("fed", only_fed), ("whole", only_whole)):
            for row in rows[:SHOWN]:
                print(f"      {label}: {row[:300]}")
    return total


def _missing(rows: list[str], others: list[str]) -> list[str]:
    """The rows of ``rows`` not in ``others``, counted as multisets."""
    return list((Counter(rows) - Counter(others)).elements())


def converge(files: dict[str, str], seed: int, base: Path, runs: int) -> int:
    """Feed a folder in runs, build it whole, compare; returns the number of rows that differ."""
    rng = random.Random(seed)
    names = sorted(files)
    rng.shuffle(names)
    spare = names[-max(1, len(names) // 10):]  # texts that arrive later as new contents of files
    names = names[:len(names) - len(spare)]
    fed = base / f"fed-{seed}"
    fed.mkdir(parents=True)
    for run in range(runs):
        for name in names[run * len(names) // runs:(run + 1) * len(names) // runs]:
            (fed / name).write_text(files[name], encoding="utf-8")
        build(base, f"fed-{seed}", fed)
    changed = list(zip(rng.sample(names, len(spare)), spare))
    for run in range(2):
        for name, other in changed[run::2]:
            (fed / name).write_text(files[other], encoding="utf-8")
        build(base, f"fed-{seed}", fed)
    # A registry; files deleted (a copy left may now name its document, under another entry); another
    # draw of the registry: entries added, changed and gone.
    (fed / "registry.yaml").write_text(registry_for(names, rng), encoding="utf-8")
    build(base, f"fed-{seed}", fed)
    for name in rng.sample(names, max(1, len(names) // 20)):
        (fed / name).unlink()
    build(base, f"fed-{seed}", fed)
    left = sorted(path.name for path in fed.iterdir() if path.name != "registry.yaml")
    (fed / "registry.yaml").write_text(registry_for(left, rng), encoding="utf-8")
    build(base, f"fed-{seed}", fed)
    whole = base / f"whole-{seed}"
    shutil.copytree(fed, whole)
    build(base, f"whole-{seed}", whole)
    print(f"  seed {seed}: {len(names)} files in {runs} runs, {len(spare)} changed in two, "
          f"a registry written, {max(1, len(names) // 20)} deleted, the registry edited, against one whole build")
    return differences(tables(base / f"fed-{seed}.duckdb"), tables(base / f"whole-{seed}.duckdb"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realworld", nargs="?", const=REALWORLD_DEFAULT, type=Path, metavar="FOLDER",
                        help=f"the real-world texts: the folder of their JSONL files (default {REALWORLD_DEFAULT}, "
                             "or $FIGURES_REALWORLD), or the JSON file of the excerpts")
    parser.add_argument("--articles", type=int, default=80, help="generated articles, without --realworld")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=6, help="runs that bring the folder's files")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    if args.realworld is not None:
        if not (args.realworld.is_file() or any(args.realworld.glob("*.jsonl"))):
            print(f"no real-world texts in {args.realworld}: rebuild them with ../shared/realworld/realworld.py")
            return 2
        print(f"real-world articles of {args.realworld}")
    else:
        print(f"{args.articles} generated articles and their copies")
    differing = 0
    for seed in range(1, args.seeds + 1):
        files = realworld_files(args.realworld) if args.realworld else generated_files(args.articles, seed)
        if args.keep:
            shutil.rmtree(args.keep / f"seed-{seed}", ignore_errors=True)
            differing += converge(files, seed, args.keep / f"seed-{seed}", args.runs)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                differing += converge(files, seed, Path(tmp), args.runs)
    print(f"{differing} rows differ" if differing else "the same tables every time")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
