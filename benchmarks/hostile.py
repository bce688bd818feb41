"""How long a run over hostile files takes: the seeds, every good format, and every hostile file.

    python benchmarks/hostile.py [--pages 20000] [--text-mb 300] [--runs 2] [--max-pdf-pages N] [--max-seconds S]

Builds a temporary sources folder with the seed articles, the sample corpus of every format and
encoding (benchmarks/sample_files.py), and the hostile files: zero-byte, binary junk as .txt and .pdf,
truncated, password-protected and scanned PDFs, a PDF of ``--pages`` pages, a text file of
``--text-mb`` MB (written sparse, so it costs no disk), invalid UTF-8, an HTML page of scripts only, an
unsupported extension, links out of the folder, and odd names. Then it builds the warehouse through the
Dagster assets, as `figures run` does, ``--runs`` times, and prints per run the seconds taken and the
peak memory, then the time of each stage of reading (per file) and the rejected files with their reason.

Goal: the whole run takes seconds, and the oversized files cost nothing: they are rejected from
their size or page count before being read.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

from benchmarks.sample_files import long_pdf, write_good_corpus, write_hostile_corpus  # noqa: E402
from pipelines.documents import Limits  # noqa: E402
from pipelines.ingest import read_source  # noqa: E402
from pipelines.settings import PROJECT_ROOT  # noqa: E402


def build_folder(base: Path, pages: int, text_mb: int, limits: Limits) -> Path:
    sources = base / "sources"
    shutil.copytree(PROJECT_ROOT / "sources", sources, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    write_good_corpus(sources / "samples")
    write_hostile_corpus(sources / "hostile", base / "outside", limits.max_file_bytes)
    (sources / "hostile" / "thousands_of_pages.pdf").write_bytes(long_pdf(pages))
    with open(sources / "hostile" / "huge.txt", "wb") as handle:  # sparse: the size without the disk
        handle.truncate(text_mb * 1_000_000)
    return sources


def build_warehouse(sources: Path, database: Path, limits: Limits):
    """The build job with every asset and check, as `figures run` does, with Dagster's log kept to errors."""
    from dagster import DagsterInstance
    from dagster_duckdb import DuckDBResource

    from pipelines.definitions import build_definitions
    from pipelines.defs.io_managers import RunScopedIOManager, remove_run_storage
    from pipelines.defs.resources import ProgressResource, SourcesResource
    from pipelines.runner import execute_build

    storage = database.with_name(database.name + ".dagster")
    storage.mkdir(parents=True, exist_ok=True)
    defs = build_definitions({
        "sources": SourcesResource.with_limits(str(sources), limits), "warehouse": DuckDBResource(database=str(database)),
        "progress": ProgressResource(show=True), "io_manager": RunScopedIOManager(base_dir=str(storage)),
    })
    with DagsterInstance.local_temp(str(storage)) as instance:
        result = execute_build(defs, instance, sources, log_level="ERROR")
    remove_run_storage(storage, result.run_id)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000, help="pages of the long PDF")
    parser.add_argument("--text-mb", type=int, default=300, help="size of the oversized text file, in MB")
    parser.add_argument("--runs", type=int, default=2, help="runs over the same folder (the second must add nothing)")
    parser.add_argument("--max-pdf-pages", type=int, default=Limits.max_pdf_pages,
                        help="raise it over --pages to watch the time limit stop the long PDF instead")
    parser.add_argument("--max-seconds", type=float, default=Limits.max_seconds, help="time limit per document")
    args = parser.parse_args()

    limits = Limits(max_pdf_pages=args.max_pdf_pages, max_seconds=args.max_seconds)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        started = time.perf_counter()
        sources = build_folder(base, args.pages, args.text_mb, limits)
        files = sum(1 for path in sources.rglob("*") if path.is_file() or path.is_symlink())
        print(f"folder: {files} files written in {time.perf_counter() - started:.1f} s "
              f"(a {args.pages:,}-page PDF, a {args.text_mb} MB text)")
        database = base / "w.duckdb"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS before the first run (Python, Dagster, pandas loaded): {before:.0f} MB")
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            result = build_warehouse(sources, database, limits)
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            with duckdb.connect(str(database), read_only=True) as con:
                counts = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
                (claims,) = con.execute("SELECT count(*) FROM claims").fetchone()
                (facts,) = con.execute("SELECT count(*) FROM facts").fetchone()
            print(f"run {run}: {'succeeded' if result.success else 'FAILED'} in {elapsed:.2f} s, peak RSS {peak:.0f} MB; "
                  f"documents loaded {counts.get('loaded', 0)}, rejected {counts.get('rejected', 0)}; "
                  f"claims {claims}; facts {facts}")

        print("\nreading each hostile file alone:")
        from pipelines.documents import PublisherRegistry

        for path in sorted((sources / "hostile").iterdir()):
            started = time.perf_counter()
            record = read_source(path, sources, PublisherRegistry(), limits)
            elapsed = (time.perf_counter() - started) * 1000
            outcome = record["status"] if record["status"] == "loaded" else record["error"]
            print(f"  {elapsed:8.1f} ms  {path.name[:40]:40}  {outcome[:90]}")


if __name__ == "__main__":
    main()
