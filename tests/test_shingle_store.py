"""Shingles kept between runs: read back for documents seen before, computed once otherwise."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pipelines import shingle_store
from pipelines.duplicates import shingle_all
from pipelines.shingle_store import ShingleStore

TEXTS = {
    "doc-a": "Xiaomi delivered 81,502 vehicles in the second quarter, its gross margin rose to 26.4 %.",
    "doc-b": "Le chiffre d'affaires a atteint 20,6 milliards de yuans, soit une marge brute de 26,4 %.",
    "doc-c": "Short note.",
}


def _as_lists(arrays):
    return [array.tolist() for array in arrays]


def test_the_shingles_of_documents_seen_before_are_read_back(tmp_path, monkeypatch):
    store = ShingleStore(tmp_path / "shingles.duckdb")
    ids, texts = list(TEXTS)[:2], [TEXTS[d] for d in list(TEXTS)[:2]]
    first = store.shingles(ids, texts, 5)
    assert _as_lists(first) == _as_lists(shingle_all(texts, 5)) and (store.read, store.computed) == (0, 2)
    assert store.unavailable is None

    computed = []
    monkeypatch.setattr(shingle_store, "shingle_all", lambda texts, size: computed.append(texts) or shingle_all(texts, size))
    again = store.shingles(list(TEXTS), list(TEXTS.values()), 5)
    assert computed == [[TEXTS["doc-c"]]]  # only the new document is shingled
    assert (store.read, store.computed) == (2, 1)
    assert _as_lists(again) == _as_lists(shingle_all(list(TEXTS.values()), 5))
    # Another shingle size is another set of shingles.
    assert _as_lists(store.shingles(ids, texts, 3)) == _as_lists(shingle_all(texts, 3)) and store.computed == 2


def test_a_store_another_run_holds_or_that_is_broken_costs_only_time(tmp_path):
    path = tmp_path / "shingles.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(path)!r}); "
                               "print('held', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        store = ShingleStore(path)
        started = time.monotonic()
        result = store.shingles(list(TEXTS), list(TEXTS.values()), 5)
        assert time.monotonic() - started < 10  # no waiting for the other run
        assert _as_lists(result) == _as_lists(shingle_all(list(TEXTS.values()), 5)) and store.computed == 3
        assert "lock" in store.unavailable  # said, in the run's log
    finally:
        holder.kill()
        holder.wait()
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database" * 100)
    store = ShingleStore(broken)
    assert _as_lists(store.shingles(["doc-a"], [TEXTS["doc-a"]], 5)) == _as_lists(shingle_all([TEXTS["doc-a"]], 5))


@pytest.mark.parametrize("text", ["", "one", "a b c d e f g h i j k l"])
def test_empty_and_short_texts_round_trip(tmp_path, text):
    store = ShingleStore(tmp_path / "shingles.duckdb")
    store.shingles(["d"], [text], 5)
    assert _as_lists(store.shingles(["d"], [text], 5)) == _as_lists(shingle_all([text], 5)) and store.read == 1


def test_entries_unused_for_a_month_go_and_an_older_store_keeps_its_entries(tmp_path):
    import duckdb

    path = tmp_path / "shingles.duckdb"
    with duckdb.connect(str(path)) as con:  # as earlier versions wrote it: no day of last use
        con.execute("CREATE TABLE shingles (document_id VARCHAR NOT NULL, size INTEGER NOT NULL, hashes BLOB NOT NULL)")
        con.execute("INSERT INTO shingles VALUES ('doc-a', 5, ?)", [shingle_all([TEXTS["doc-a"]], 5)[0].tobytes()])
    store = ShingleStore(path)
    store.shingles(list(TEXTS), list(TEXTS.values()), 5)
    assert (store.read, store.computed) == (1, 2)  # doc-a read back
    with duckdb.connect(str(path)) as con:
        con.execute(f"UPDATE shingles SET used_on = current_date - INTERVAL {shingle_store.UNUSED_DAYS + 1} DAY "
                    "WHERE document_id IN ('doc-a', 'doc-b')")
    assert _as_lists(store.shingles(["doc-b"], [TEXTS["doc-b"]], 5)) == _as_lists(shingle_all([TEXTS["doc-b"]], 5))
    assert store.read == 1  # used now: it stays; doc-a, unused for a month, goes
    with duckdb.connect(str(path)) as con:
        assert dict(con.execute("SELECT document_id, current_date - used_on FROM shingles").fetchall()) == {"doc-b": 0, "doc-c": 0}
    store.shingles(["doc-a"], [TEXTS["doc-a"]], 5)
    assert store.computed == 1  # shingled again when needed
