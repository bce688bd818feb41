"""Copies searched by a spawned process while a large first build validates and loads: the facts step takes
the pairs it found for the documents it compares, and the tables are those it would have made alone."""

from __future__ import annotations

import random
import shutil

import duckdb

from pipelines import copy_search
from pipelines.duplicates import shingle_all, similar_pairs
from pipelines.shingle_store import ShingleStore

from .conftest import SOURCES, build_warehouse

WORDS = ("deliveries revenue margin quarter target vehicles yuan billion growth forecast company plant orders "
         "price model market share analysts expected raised lowered record month year sales units").split()


def _texts(n: int, seed: int = 3) -> dict[str, str]:
    """Texts of generated words; a third of them copies of an earlier one with a few words changed."""
    rng = random.Random(seed)
    texts: dict[str, str] = {}
    for i in range(n):
        if texts and rng.random() < 0.35:
            words = rng.choice(list(texts.values())).split()
            for _ in range(rng.choice([0, 2, 8, 40])):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
        else:
            words = [rng.choice(WORDS) for _ in range(rng.randint(0, 120))]
        texts[f"doc-{i:03d}"] = " ".join(words)
    return texts


def _alone(ids: list[str], texts: dict[str, str], threshold: float = 0.5) -> list[tuple[int, int]]:
    return similar_pairs(shingle_all([texts[d] for d in ids], 5), threshold)


def test_the_pairs_among_any_of_the_documents_searched_are_those_comparing_them_alone_finds(tmp_path):
    texts = _texts(120)
    ids = sorted(texts)
    search = copy_search.CopySearch(ids, [texts[d] for d in ids], 5, 0.5, tmp_path / "shingles.duckdb")
    everything = search.pairs_among(ids, 5, 0.5)
    assert everything == _alone(ids, texts) and len(everything) > 20  # copies there are, and all found
    assert search.compared == 120
    rng = random.Random(7)
    for size in (0, 1, 2, 15, 60):
        some = sorted(rng.sample(ids, size))
        assert search.pairs_among(some, 5, 0.5) == _alone(some, texts)
    # The shingles the process computed are kept for later runs, as a run's own shingling keeps them.
    search._process.join(timeout=30)
    store = ShingleStore(tmp_path / "shingles.duckdb")
    kept = store.shingles(ids, [""] * len(ids), 5)  # no text: what comes back was read from the store
    assert store.read == 120
    assert [hashes.tolist() for hashes in kept] == [hashes.tolist() for hashes in shingle_all([texts[d] for d in ids], 5)]


def test_a_search_compares_only_once_the_run_lets_it(tmp_path):
    """Shingling goes on from the start; comparing, the search's peak of memory, and keeping the shingles
    wait for the run's load to commit (or for the result to be wanted)."""
    texts = _texts(40)
    ids = sorted(texts)
    store = tmp_path / "shingles.duckdb"
    search = copy_search.CopySearch(ids, [texts[d] for d in ids], 5, 0.5, store)
    search._process.join(timeout=2)  # forty short texts: shingled in milliseconds
    assert search._process.is_alive() and not store.exists()
    search.compare()
    search._process.join(timeout=30)
    assert not search._process.is_alive() and store.exists()
    assert search.pairs_among(ids, 5, 0.5) == _alone(ids, texts)


def test_a_search_lets_the_texts_go_once_sent_while_it_waits_to_compare():
    """The run validates and loads while the search waits for the word to compare: the texts it was
    given, sent by then, are no longer held in the run's process (with the memory around them)."""
    import sys
    import time

    texts = _texts(40)
    ids = sorted(texts)
    watched = "".join(["a text no other object holds: ", texts[ids[0]]])
    held_here = sys.getrefcount(watched)
    search = copy_search.CopySearch(ids, [watched] + [texts[d] for d in ids[1:]], 5, 0.5, None)
    deadline = time.monotonic() + 30
    while sys.getrefcount(watched) > held_here and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sys.getrefcount(watched) == held_here
    assert search._sending.is_alive()  # still waiting to say "compare"
    search.compare()
    search._process.join(timeout=30)
    assert search.pairs_among(ids, 5, 0.5) is not None


def test_a_search_never_told_to_compare_ends_by_itself(monkeypatch):
    """As when the run fails between extraction and its load: the search's process does not wait for ever."""
    monkeypatch.setattr(copy_search, "COMPARE_WITHIN_SECONDS", 0.5)
    texts = _texts(10)
    ids = sorted(texts)
    search = copy_search.CopySearch(ids, [texts[d] for d in ids], 5, 0.5, None)
    search._process.join(timeout=30)
    assert not search._process.is_alive()
    assert search.result() is None  # a facts step would compare itself


def test_documents_not_searched_or_other_settings_leave_the_comparison_to_the_step(tmp_path):
    texts = _texts(30)
    ids = sorted(texts)[:20]
    search = copy_search.CopySearch(ids, [texts[d] for d in ids], 5, 0.5, None)
    assert search.pairs_among(ids[:5] + ["doc-025"], 5, 0.5) is None  # doc-025 was not searched
    assert not search._process.is_alive()  # no longer wanted: stopped
    assert search.compared == 0
    for size, threshold in ((5, 0.6), (4, 0.5)):
        other = copy_search.CopySearch(ids, [texts[d] for d in ids], 5, 0.5, None)
        assert other.pairs_among(ids, size, threshold) is None


def test_a_search_whose_process_died_finds_nothing_and_the_step_compares_itself(tmp_path):
    texts = _texts(20)
    ids = sorted(texts)
    search = copy_search.CopySearch(ids, [texts[d] for d in ids], 5, 0.5, None)
    search._process.kill()  # as the system's out-of-memory killer would
    assert search.pairs_among(ids, 5, 0.5) is None
    assert search.result() is None


def test_a_run_starts_a_search_from_enough_documents_and_hands_it_over_once(monkeypatch):
    monkeypatch.setattr(copy_search, "SEARCH_FROM", 3)
    assert copy_search.start("run-1", ["a", "b"], ["x", "y"], 5, 0.5, None) is None  # too few
    search = copy_search.start("run-1", ["a", "b", "c"], ["one two", "one two", "three"], 5, 0.5, None)
    assert search is not None
    assert copy_search.take("run-2") is None  # another run's
    assert copy_search.take("run-1") is search and copy_search.take("run-1") is None
    assert search.pairs_among(["a", "b", "c"], 5, 0.5) == [(0, 1)]
    stopped = copy_search.start("run-3", ["a", "b", "c"], ["one", "two", "three"], 5, 0.5, None)
    copy_search.discard("run-3")  # its load failed
    assert copy_search.take("run-3") is None and not stopped._process.is_alive()


TABLES = ("facts", "conflicts", "fact_history", "target_revisions", "consistency_warnings")


def _rows(database) -> dict[str, list]:
    """The tables' rows, without what depends on when the build ran (the times documents were loaded)."""
    rows = {}
    with duckdb.connect(str(database), read_only=True) as con:
        for table in TABLES:
            columns = [name for name, kind, *_ in con.execute(f"DESCRIBE {table}").fetchall()
                       if not kind.startswith("TIMESTAMP") and name != "known_from"]
            rows[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
    return rows


def test_a_first_build_takes_its_copies_from_the_search_and_makes_the_same_tables(tmp_path, monkeypatch, demo_warehouse):
    sources_copy = tmp_path / "sources"
    shutil.copytree(SOURCES, sources_copy)
    taken = []
    take = copy_search.take
    monkeypatch.setattr(copy_search, "take", lambda run_id: taken.append(take(run_id)) or taken[-1])
    monkeypatch.setattr(copy_search, "SEARCH_FROM", 1)
    database = tmp_path / "figures.duckdb"
    assert build_warehouse(sources_copy, database).success
    (search,) = taken
    assert search is not None and search.compared > 1  # the facts step used the search's pairs
    assert search.result()  # the demo holds copies
    assert _rows(database) == _rows(demo_warehouse)
    # A rebuild reads every file again: searched too.
    taken.clear()
    assert build_warehouse(sources_copy, database, rebuild=True).success
    (search,) = taken
    assert search is not None and search.compared > 1
    assert _rows(database) == _rows(demo_warehouse)
    # A run adding a file to a warehouse that holds others compares the documents itself.
    taken.clear()
    first = sorted(sources_copy.glob("*.txt"))[0]
    (sources_copy / "zz_added.txt").write_text(first.read_text(encoding="utf-8") + "\n\nOne more line.", encoding="utf-8")
    assert build_warehouse(sources_copy, database).success
    assert taken == [None]
