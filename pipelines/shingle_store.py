"""Shingled texts kept between runs. A document's shingles depend only on its content, which its id is
the hash of, and on the shingle size: once computed, they never change. Finding copies compares the
documents of every group a run touches, and at 10,000 articles one new article touches groups holding
about a thousand documents; reading their shingles back costs a tenth of shingling their texts again.

The store is a DuckDB file in the instance's storage, a cache only: removing it loses nothing, and a
run that cannot open it (another run holds it) shingles the texts itself. Each entry keeps the day it
was last used, and entries unused for UNUSED_DAYS go: a feed whose files come and go would otherwise
keep the shingles of every document it ever held (about 5 KB each), and the store is shared by every
warehouse of the instance, so none can tell which documents the others still hold. A document still held
whose groups no run touched for that long is shingled again when one does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .duplicates import TextsInOrder, shingle_all

UNUSED_DAYS = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shingles (
    document_id VARCHAR NOT NULL,
    size        INTEGER NOT NULL,
    hashes      BLOB NOT NULL
);
-- A store written before entries kept their last use: its entries count as used today.
ALTER TABLE shingles ADD COLUMN IF NOT EXISTS used_on DATE DEFAULT current_date;
"""


class ShingleStore:
    """The shingles of the texts seen, by document id and shingle size, in a DuckDB file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.read = 0  # shingle sets read back, and computed, by the last call
        self.computed = 0
        self.unavailable: str | None = None  # why the last call could not use the store

    def shingles(self, ids: list[str], texts: Sequence[str], size: int) -> list[np.ndarray]:
        """``shingle_hashes`` of each text (``ids`` are the documents'), read back where known; the
        others are computed and kept, and only their texts taken from ``texts``. A store that cannot be
        used never fails the run."""
        try:
            result = self._through_store(ids, size, lambda missing: shingle_all(_texts_at(texts, missing), size))
        except (OSError, duckdb.Error) as error:  # held by another run, or not a store: computed here, kept by no one
            self.read, self.computed, self.unavailable = 0, len(texts), f"{self.path}: {error}"
            return shingle_all(list(texts), size)
        self.unavailable = None
        return result

    def keep(self, ids: list[str], size: int, hashes: list[np.ndarray]) -> None:
        """Keep the shingles of the documents ``ids`` computed elsewhere (pipelines/copy_search.py), as
        ``shingles`` keeps those it computes."""
        try:
            self._through_store(ids, size, lambda missing: [hashes[i] for i in missing])
        except (OSError, duckdb.Error) as error:
            self.unavailable = f"{self.path}: {error}"

    def _through_store(self, ids: list[str], size: int, shingle: Callable[[list[int]], list[np.ndarray]]) -> list[np.ndarray]:
        """The shingles of ``ids``, read back where known; ``shingle(positions)`` gives the others, kept."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(self.path)) as con:
            con.execute(f"SET memory_limit = '{STORE_MEMORY}'")
            con.execute(_SCHEMA)
            known = {document_id: np.frombuffer(hashes, dtype=np.int64) for document_id, hashes in con.execute(
                "SELECT document_id, hashes FROM shingles WHERE size = ? AND document_id IN (SELECT unnest(?))",
                [size, ids]).fetchall()}
            missing = [i for i, document_id in enumerate(ids) if document_id not in known]
            computed = dict(zip(missing, shingle(missing)))
            if computed:
                _insert(con, [ids[i] for i in computed], size, list(computed.values()))
            # Once a day at most per entry, and the entries unused since UNUSED_DAYS go.
            con.execute("UPDATE shingles SET used_on = current_date WHERE size = ? AND used_on < current_date "
                        "AND document_id IN (SELECT unnest(?))", [size, list(known)])
            con.execute(f"DELETE FROM shingles WHERE used_on < current_date - INTERVAL {UNUSED_DAYS} DAY")
        self.read, self.computed = len(ids) - len(missing), len(missing)
        return [computed[i] if i in computed else known[document_id] for i, document_id in enumerate(ids)]


def _texts_at(texts: Sequence[str], positions: list[int]) -> list[str]:
    """The texts at ``positions``, asked for at once where ``texts`` reads them on demand."""
    return texts[positions] if isinstance(texts, TextsInOrder) else [texts[i] for i in positions]


# Rows per insert: a DataFrame of them at a time (a row at a time took seconds at 10,000 documents), not
# all their bytes copied at once (80 MB at 10,000 documents, in the search for copies' process at its
# largest, beside the run's load).
ROWS_PER_INSERT = 1_000
# What DuckDB may hold of the store: beyond it, written pages go to the file instead of staying cached.
STORE_MEMORY = "64MB"


def _insert(con: duckdb.DuckDBPyConnection, ids: list[str], size: int, hashes: list[np.ndarray]) -> None:
    """Insert the new rows, ROWS_PER_INSERT at a time, each insert committed: the store is a cache, and a
    process that dies between two keeps the rows inserted before."""
    for start in range(0, len(ids), ROWS_PER_INSERT):
        new = pd.DataFrame({"document_id": ids[start:start + ROWS_PER_INSERT], "size": size,
                            "hashes": [each.tobytes() for each in hashes[start:start + ROWS_PER_INSERT]]})
        con.register("new_shingles", new)
        con.execute("INSERT INTO shingles SELECT *, current_date FROM new_shingles")
        con.unregister("new_shingles")
