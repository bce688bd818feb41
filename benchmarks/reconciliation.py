"""Time of ``reconcile_all`` on the claims of a whole warehouse, as a full rebuild reconciles them.

    python benchmarks/reconciliation.py [WAREHOUSE.duckdb | INPUT.pkl] [--repeat 3] [--articles 1000]
                                        [--save-input INPUT.pkl] [--save DIR | --compare DIR]

With a warehouse file (opened read-only), reconciles every claim of it with the claim and document columns the
Dagster asset reads (``claims_of_pending_groups`` when every group is pending). Without one, generates
``--articles`` articles as ``benchmarks/pipeline.py`` does (seed 11), reads and extracts them on every
core as a run does and reconciles their valid claims (minutes for 10,000 articles: ``--save-input``
keeps the claims and documents in a pickle, to give instead of a warehouse next time).

Prints the best and every time of ``--repeat`` runs and the row count of each output table. ``--save DIR``
writes each table, rows and columns sorted, to DIR/<table>.pkl; ``--compare DIR`` checks that the output
is identical to one saved so (dtypes included), to change the implementation without changing the result.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipelines.reconciliation import CLAIM_INPUTS, Reconciliation, reconcile_all, with_copies  # noqa: E402

DOCUMENT_COLUMNS = ["document_id", "tier", "published_date", "text", "language"]


def from_warehouse(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = ", ".join(f'{expression} AS "{name}"' for name, expression in CLAIM_INPUTS.items())
        claims = con.execute(f"SELECT {columns} FROM claims c ORDER BY claim_id").df()  # as the facts step reads them
        documents = con.execute(f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents").df()
    finally:
        con.close()
    return claims, documents


def from_generated_articles(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The valid claims of ``n`` generated articles and their documents, read and extracted as a run does."""
    return _valid(generated_batch(n))


def from_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The valid claims of the files of ``folder`` and their documents, read and extracted as a run does."""
    return _valid(read_folder(folder))


def generated_batch(n: int):
    """``read_folder`` of ``n`` generated articles (benchmarks/pipeline.py's, seed 11)."""
    import pipeline  # benchmarks/pipeline.py

    with tempfile.TemporaryDirectory() as folder:
        pipeline.write_folder(Path(folder), n)
        return read_folder(Path(folder))


def read_folder(folder: Path):
    """Every file of ``folder`` read and extracted as a run does (``read_batch``: the documents, the
    claims before validation)."""
    from pipelines.batch import read_batch
    from pipelines.documents import Limits
    from pipelines.folder_state import scan_folder
    from pipelines.parallel import stop_workers

    batch = read_batch(folder, list(scan_folder(folder)), {}, Limits())
    stop_workers()  # the pool a run stops after reading, before it reconciles
    return batch


def _valid(batch) -> tuple[pd.DataFrame, pd.DataFrame]:
    from pipelines.validation import validate_claims

    valid, _ = validate_claims(batch.claims)
    return valid.sort_values("claim_id", ignore_index=True), batch.documents[DOCUMENT_COLUMNS]


def tables(result: Reconciliation) -> dict[str, pd.DataFrame]:
    return {f.name: getattr(result, f.name) for f in fields(result)}


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows and columns in a fixed order, whatever order they were produced in (lists as text to sort)."""
    frame = frame[sorted(frame.columns)]
    keys = frame.map(repr) if hasattr(frame, "map") else frame.applymap(repr)
    order = keys.sort_values(list(keys.columns)).index
    return frame.loc[order].reset_index(drop=True)


def compare(result: Reconciliation, folder: Path) -> bool:
    """Each table against the one saved, but for the policy's version, which digests the reconciliation
    code and so moves with any change of it (said when it did)."""
    same, version = True, "policy_version"
    for name, frame in tables(result).items():
        expected = pd.read_pickle(folder / f"{name}.pkl")
        moved = version in frame and set(frame[version]) != set(expected[version])
        try:
            pd.testing.assert_frame_equal(canonical(frame.drop(columns=version, errors="ignore")),
                                          canonical(expected.drop(columns=version, errors="ignore")), check_exact=True)
            print(f"{name}: identical to {folder / name}.pkl" + (" (but the policy's version)" if moved else ""))
        except AssertionError as error:
            same = False
            print(f"{name}: DIFFERS from {folder / name}.pkl\n{error}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouse", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--save-input", type=Path, help="write the claims and documents to this pickle")
    parser.add_argument("--save", type=Path, help="write the sorted output tables to this folder")
    parser.add_argument("--compare", type=Path, help="compare the output tables with the ones saved there")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.warehouse is None:
        claims, documents = from_generated_articles(args.articles)
    elif args.warehouse.suffix == ".pkl":
        claims, documents = pd.read_pickle(args.warehouse)
    else:
        claims, documents = from_warehouse(args.warehouse)
    if args.save_input:
        pd.to_pickle((claims, documents), args.save_input)
    print(f"input: {len(claims):,} claims of {claims['document_id'].nunique():,} documents "
          f"({time.perf_counter() - started:.1f} s to load)")
    seconds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        # As the facts step does: copies found first, then the texts dropped.
        result = reconcile_all(claims, with_copies(claims, documents))
        seconds.append(time.perf_counter() - started)
    print(f"reconcile_all: best {min(seconds):.2f} s of {len(seconds)} ({', '.join(f'{s:.2f}' for s in seconds)})")
    for name, frame in tables(result).items():
        print(f"  {name}: {len(frame):,} rows")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, frame in tables(result).items():
            canonical(frame).to_pickle(args.save / f"{name}.pkl")
        print(f"saved to {args.save}")
    if args.compare:
        return 0 if compare(result, args.compare) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
