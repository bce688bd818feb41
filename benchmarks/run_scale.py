"""Wall time of a whole `figures run` (Dagster run, extraction, reconciliation, DuckDB load) on a folder
of N generated articles, in a throwaway instance and warehouse: the single-machine figure that
docs/scaling.md starts from.

    .venv/bin/python benchmarks/run_scale.py --articles 500 [--figure-share 0.05] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (sibling script, not a package)

ROOT = Path(__file__).resolve().parent.parent


def write_articles(folder: Path, count: int, seed: int, figure_share: float) -> int:
    rng, size = random.Random(seed), 0
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        lang = "fr" if rng.random() < 0.5 else "en"
        text = corpus.article(rng, lang, figure_share)
        (folder / f"{lang}-{i:05d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--figure-share", type=float, default=corpus.NEWS_SHARE)
    parser.add_argument("--sources", type=Path, help="time this folder instead of generated articles")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="figures-scale-"))
    try:
        if args.sources:
            sources, size = args.sources, sum(p.stat().st_size for p in args.sources.rglob("*") if p.is_file())
        else:
            sources = base / "sources"
            size = write_articles(sources, args.articles, args.seed, args.figure_share)
        (base / "home").mkdir()
        shutil.copy(ROOT / "dagster.yaml", base / "home" / "dagster.yaml")
        env = dict(os.environ, DAGSTER_HOME=str(base / "home"), FIGURES_DAGSTER_STORAGE=str(base / "storage"),
                   FIGURES_WAREHOUSE=str(base / "figures.duckdb"), FIGURES_SOURCES_DIR=str(sources))
        figures = Path(sys.executable).with_name("figures")
        start = time.perf_counter()
        done = subprocess.run([str(figures), "run"], env=env, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(done.stdout + done.stderr)
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = [line for line in done.stdout.splitlines() if re.match(r"(documents|claims|facts|conflicts) {2,}", line)]
        print(f"machine    {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"input      {sources if args.sources else f'{args.articles} generated articles'}, {size / 1e6:.2f} MB")
        print(f"figures run {seconds:.1f} s wall, peak RSS {rss_mb:.0f} MB")
        print("\n".join(summary))
        run_id = re.search(r"run ([0-9a-f-]{36}) succeeded", done.stdout).group(1)
        os.environ.update(DAGSTER_HOME=env["DAGSTER_HOME"], FIGURES_DAGSTER_STORAGE=env["FIGURES_DAGSTER_STORAGE"])
        from dagster import DagsterInstance

        with DagsterInstance.get() as instance:
            steps = sorted(instance.get_run_step_stats(run_id), key=lambda s: -(s.end_time - s.start_time))
            print("slowest steps " + ", ".join(f"{s.step_key} {s.end_time - s.start_time:.1f} s" for s in steps[:6]))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
