"""Where the warehouse lives (warehouse.target): the name FIGURES_WAREHOUSE gives picks a DuckDB file or
a DuckLake, a lake is shown without its password, neither has key constraints (the loader keeps the
keys), and a lake load commits once."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from schemas import TABLE_SCHEMAS
from warehouse.loader import TABLE_KEYS, ensure_schema, table_columns
from warehouse.snapshot import wait_for_renewal
from warehouse.target import DuckDBFile, DuckLake, extension_file, warehouse_target
from warehouse.transactions import transaction


def test_the_name_picks_the_kind_of_warehouse(tmp_path):
    assert warehouse_target(tmp_path / "figures.duckdb") == DuckDBFile(tmp_path / "figures.duckdb")
    lake = warehouse_target("ducklake:postgres:dbname=lake host=db user=figures password=s3cret", "s3://bucket/lake")
    assert lake == DuckLake("postgres:dbname=lake host=db user=figures password=s3cret", "s3://bucket/lake")
    assert "s3cret" not in lake.name and lake.name.startswith("ducklake:postgres:dbname=lake")


def test_the_tables_have_no_index_to_write_at_every_commit_and_keep_their_keys_all_the_same():
    """No PRIMARY KEY (an index DuckDB writes whole at every checkpoint, and a lake has none): the loader
    keeps every table's key instead, and a key it does not know would go unchecked."""
    with duckdb.connect() as con:
        ensure_schema(con)
        assert not con.execute("SELECT * FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')").fetchall()
        assert not con.execute("SELECT * FROM duckdb_indexes()").fetchall()
        for table, key in TABLE_KEYS.items():
            assert set(key) <= set(table_columns(con, table))
            nullable = dict(con.execute("SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall())
            assert not any(nullable[column] for column in key), table
    assert set(TABLE_KEYS) == {table for table, model in TABLE_SCHEMAS.items()
                               if any(column.unique for column in model.to_schema().columns.values())} | {
        "target_revisions", "fact_timeline", "document_versions"}  # the keys of two columns


def test_a_transaction_inside_another_joins_it():
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t (x INTEGER)")
        with pytest.raises(RuntimeError), transaction(con):
            with transaction(con):
                con.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("the enclosing transaction fails")
        assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
        with transaction(con):
            with transaction(con):
                con.execute("INSERT INTO t VALUES (2)")
        assert con.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_writers_last_commit_writes_its_rows_into_the_file_not_its_log(tmp_path):
    """The rows are written once: into the database file at the commit, not into its log and again
    when the connection closes. A commit made so inside another transaction leaves the commit to it."""
    path = tmp_path / "w.duckdb"
    log = tmp_path / "w.duckdb.wal"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
        con.execute("CHECKPOINT")
        with transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
        assert log.exists()  # a commit as before: logged
        with transaction(con, into_file=True):
            con.execute("INSERT INTO t VALUES (2)")
        assert not log.exists()
        assert con.execute("SELECT current_setting('checkpoint_threshold')").fetchone() == ("16.0 MiB",)  # as it was
        with transaction(con), transaction(con, into_file=True):
            con.execute("INSERT INTO t VALUES (3)")
        assert log.exists()
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT list(x ORDER BY x) FROM t").fetchone() == ([1, 2, 3],)


def _row_groups(path, table="t") -> tuple[int, int, int]:
    """(row groups, rows they store, deleted ones included, live rows) of a table of a closed file."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT count(DISTINCT row_group_id), sum(count), (SELECT count(*) FROM {table}) "
                           f"FROM pragma_storage_info('{table}') WHERE column_path = '[0]'").fetchone()


def test_small_loads_leave_the_row_groups_written_before_until_enough_wait_to_be_merged(tmp_path, monkeypatch):
    """A load of a few rows writes them in a row group of their own, instead of writing the table's small
    row groups again with them; once a table holds SPARE_ROW_GROUPS row groups more than its rows need,
    the next load merges them. Every row is there throughout."""
    from warehouse import snapshot

    monkeypatch.setattr(snapshot, "SPARE_ROW_GROUPS", 3)
    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    with warehouse.writer() as con:
        con.execute("CREATE TABLE t AS SELECT range AS n, repeat(md5(range::VARCHAR), 8) AS text FROM range(5000)")
    assert _row_groups(warehouse.path) == (1, 5000, 5000)
    for load in range(1, 4):
        with warehouse.writer() as con:
            con.execute(f"INSERT INTO t VALUES ({5000 + load}, 'new')")
        assert _row_groups(warehouse.path) == (1 + load, 5000 + load, 5000 + load)
    with warehouse.writer() as con:  # the fourth finds three to spare: DuckDB merges the small ones
        con.execute("INSERT INTO t VALUES (5004, 'new')")
    assert _row_groups(warehouse.path) == (2, 5004, 5004)
    with warehouse.reader() as con:
        assert con.execute("SELECT count(DISTINCT n), max(n) FROM t").fetchone() == (5004, 5004)


def test_a_writer_that_cannot_count_its_row_groups_still_loads(tmp_path, monkeypatch):
    from warehouse import snapshot

    def unknown(con):
        raise duckdb.CatalogException("Catalog Error: Table Function with name pragma_storage_info does not exist!")

    monkeypatch.setattr(snapshot, "needs_merging", unknown)
    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    with warehouse.writer() as con:
        con.execute("CREATE TABLE t AS SELECT range AS n FROM range(10)")
        assert con.execute("SELECT current_setting('max_vacuum_tasks')").fetchone() == (100,)  # DuckDB's own
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM t").fetchone() == (10,)


def test_a_commit_into_the_file_merges_the_small_row_groups_and_the_writer_goes_on_leaving_them(tmp_path):
    from warehouse import snapshot

    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS n FROM range(100)")
    for n in (100, 101):
        with duckdb.connect(str(path)) as con:
            snapshot.leave_small_row_groups(con)
            con.execute(f"INSERT INTO t VALUES ({n})")
    assert _row_groups(path) == (3, 102, 102)
    with duckdb.connect(str(path)) as con:
        snapshot.leave_small_row_groups(con)
        with transaction(con, into_file=True):
            con.execute("INSERT INTO t VALUES (102)")
        assert con.execute("SELECT current_setting('max_vacuum_tasks')").fetchone() == (0,)  # as it was
    assert _row_groups(path) == (1, 103, 103)  # all small: merged into one


@pytest.mark.skipif(extension_file("ducklake") is None, reason="the ducklake extension for this DuckDB is not installed (the ducklake extra)")
def test_a_lake_load_is_one_snapshot_and_a_failed_one_none(tmp_path):
    lake = DuckLake(str(tmp_path / "catalog.ducklake"), str(tmp_path / "data"))
    assert not lake.exists()
    with lake.writer() as con:
        ensure_schema(con)
        con.register("rows", pd.DataFrame({"entity": ["a"], "metric": ["m"], "scope": ["s"], "period": ["p"]}))
        con.execute("INSERT INTO pending_groups SELECT * FROM rows")
    with pytest.raises(ValueError), lake.writer() as con:
        con.execute("DELETE FROM pending_groups")
        raise ValueError("a failed load commits nothing")
    with lake.writer() as con:
        con.execute("INSERT INTO pending_groups VALUES ('b', 'm', 's', 'p')")
    assert lake.exists()
    with lake.reader() as con:
        assert con.execute("SELECT count(*) FROM pending_groups").fetchone() == (2,)
        # the lake's creation, then one snapshot per load that committed
        assert con.execute("SELECT count(*) FROM lake.snapshots()").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM facts_as_of(DATE '2024-01-01')").fetchone() == (0,)
        assert not con.execute("SELECT * FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()


def test_the_views_are_created_again_only_when_their_sql_changed_or_one_is_missing(monkeypatch):
    """Replacing a view drops its comments, which are then written again: every writing step did both.
    The views stay while the SQL files are those they were created from, and all of them are there."""
    from warehouse import loader

    def views(con):
        return dict(con.execute("SELECT view_name, view_oid FROM duckdb_views() WHERE NOT internal").fetchall())

    def commented(con):
        return not con.execute("SELECT * FROM duckdb_views() WHERE NOT internal AND (comment IS NULL OR comment = '')").fetchall()

    with duckdb.connect() as con:
        ensure_schema(con)
        created = views(con)
        assert "current_facts" in created and commented(con)
        ensure_schema(con)
        assert views(con) == created  # the same views, not created again
        con.execute("DROP VIEW open_conflicts")
        ensure_schema(con)
        assert set(views(con)) == set(created) and views(con)["current_facts"] != created["current_facts"] and commented(con)
        again = views(con)
        con.execute("DROP MACRO TABLE facts_as_of")
        ensure_schema(con)
        assert con.execute("SELECT count(*) FROM facts_as_of(DATE '2024-07-01')").fetchone() == (0,)
        assert views(con) != again
        # Other SQL (a new version of the project): created again, with their comments.
        again = views(con)
        monkeypatch.setattr(loader, "_sql_fingerprint", lambda: "another version")
        ensure_schema(con)
        assert views(con) != again and commented(con)
        assert con.execute("SELECT fingerprint FROM schema_version").fetchall() == [("another version",)]


def test_a_damaged_writer_file_names_the_way_back_and_its_removal_restarts_from_the_snapshot(tmp_path):
    """Analysts' snapshot and the writer's file are two files: a writer file damaged on disk fails the
    run with what to do, and the snapshot it was published as is where the next run starts."""
    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    with warehouse.writer() as con:
        con.execute("CREATE TABLE facts AS SELECT 42 AS value")
    wait_for_renewal()  # the writer's file is its own again (until then, it is the snapshot published)
    writer_file = tmp_path / "figures.writer.duckdb"
    writer_file.write_bytes(b"\x00\x17junk" * 5000)
    with pytest.raises(duckdb.IOException, match=f"remove {writer_file} and the next run starts again from that snapshot"):
        with warehouse.writer():
            pass
    with warehouse.reader() as con:
        assert con.execute("SELECT value FROM facts").fetchall() == [(42,)]
    writer_file.unlink()
    with warehouse.writer() as con:
        assert con.execute("SELECT value FROM facts").fetchall() == [(42,)]


@pytest.mark.parametrize("system", ["copies", "refuses", "stops early"])
def test_the_writer_gets_a_whole_copy_of_the_snapshot_however_the_system_copies(tmp_path, monkeypatch, system):
    """The copy goes through copy_file_range (which shares blocks on XFS and Btrfs); where the call is
    refused for these files, or copies less than the whole file, shutil copies it again."""
    import errno
    import os

    from warehouse import snapshot

    kernel_copy, calls = os.copy_file_range, []

    def copy_file_range(source, target, count, *rest):
        calls.append(count)
        if system == "refuses":
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return 0 if system == "stops early" else kernel_copy(source, target, count, *rest)

    monkeypatch.setattr(snapshot.os, "copy_file_range", copy_file_range)
    files = snapshot.WarehouseFiles(tmp_path / "w.duckdb")
    with duckdb.connect(str(files.writer)) as con:
        con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(300000)")
    snapshot.publish(files)
    snapshot.renew_writer(files)
    assert calls and files.published.read_bytes() == files.writer.read_bytes()
    assert not files.writer.samefile(files.published)
    with duckdb.connect(str(files.writer), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(n) FROM numbers").fetchone() == (300000, sum(range(300000)))


def test_a_load_is_published_by_renaming_the_writers_file_which_gets_a_copy_while_the_run_goes_on(tmp_path, monkeypatch):
    """Publishing renames the writer's file over the snapshot (no copy to wait for: 0.1 to 0.3 s of a
    10,000-article warehouse, twice a run); the writer's next file is copied in a thread, which holds
    the write lock until it is there. An analyst's connection opened before keeps what it read."""
    import fcntl
    import threading

    from warehouse import snapshot

    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    files = snapshot.WarehouseFiles(warehouse.path)
    with warehouse.writer() as con:
        con.execute("CREATE TABLE facts AS SELECT 1 AS value")
    wait_for_renewal()
    analyst = warehouse.reader()
    copying, go_on = threading.Event(), threading.Event()
    kernel_copy = snapshot.copy_file

    def slow_copy(source, target):
        copying.set()
        go_on.wait(10)
        kernel_copy(source, target)

    monkeypatch.setattr(snapshot, "copy_file", slow_copy)
    with warehouse.writer() as con:
        con.execute("UPDATE facts SET value = 2")
        written = files.writer.stat().st_ino
    assert copying.wait(10)
    # Published: the writer's own file, renamed; the writer's name still names it meanwhile.
    assert files.published.stat().st_ino == written and files.writer.samefile(files.published)
    assert analyst.execute("SELECT value FROM facts").fetchall() == [(1,)]
    analyst.close()  # (this process's next connection to the path would share its database)
    with warehouse.reader() as con:
        assert con.execute("SELECT value FROM facts").fetchall() == [(2,)]
    with open(files.lock, "a") as other, pytest.raises(BlockingIOError):  # the copy holds the lock
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    go_on.set()
    wait_for_renewal()
    assert not files.writer.samefile(files.published)
    assert files.writer.read_bytes() == files.published.read_bytes()
    with open(files.lock, "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_run_killed_before_the_writer_had_its_copy_never_writes_the_published_file(tmp_path):
    """Killed between the swap and the copy, a run leaves the writer's name on the published file: the
    next writer copies it first, and neither writes into the file analysts read nor fails on their
    open connection."""
    from warehouse import snapshot

    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    files = snapshot.WarehouseFiles(warehouse.path)
    with snapshot.writer_connection(files) as con:
        con.execute("CREATE TABLE facts AS SELECT 1 AS value")
    snapshot.publish(files)  # and no copy: as a run killed there leaves it
    assert files.writer.samefile(files.published)
    (tmp_path / f".{files.writer.name}.123.tmp").write_bytes(b"half a copy")
    with warehouse.reader() as analyst:
        with warehouse.writer() as con:
            con.execute("UPDATE facts SET value = 2")
        assert analyst.execute("SELECT value FROM facts").fetchall() == [(1,)]
    with warehouse.reader() as con:
        assert con.execute("SELECT value FROM facts").fetchall() == [(2,)]
    wait_for_renewal()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_warehouse_rewritten_whole_is_published_without_the_space_of_its_old_rows(tmp_path, monkeypatch):
    """A load that replaces most rows (a rebuild, every group decided again) leaves their old blocks free
    in the writer's file, and a publish copies the file whole: a file mostly free is compacted first,
    its tables, views, macro and comments kept; a few free blocks are left for DuckDB to reuse."""
    from warehouse import snapshot

    monkeypatch.setattr(snapshot, "SPARSE_BYTES", 1 << 20)
    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    rows = "SELECT range AS n, repeat(md5(range::VARCHAR), 4) AS text FROM range(200000)"
    with warehouse.writer() as con:
        ensure_schema(con)
        con.execute(f"CREATE TABLE numbers AS {rows}")
    writer_file = tmp_path / "figures.writer.duckdb"
    built = writer_file.stat().st_size

    def described(path):
        with duckdb.connect(str(path), read_only=True) as con:
            return (con.execute("SELECT count(*), sum(n) FROM numbers").fetchone(),
                    con.execute("SELECT table_name, column_name, comment FROM duckdb_columns() ORDER BY ALL").fetchall(),
                    con.execute("SELECT view_name, sql, comment FROM duckdb_views() WHERE NOT internal ORDER BY ALL").fetchall(),
                    con.execute("SELECT function_name, comment FROM duckdb_functions() WHERE function_type = 'table_macro' "
                                "AND NOT internal").fetchall(),
                    con.execute("PRAGMA database_size").fetchone()[5])

    before = described(writer_file)
    with warehouse.writer() as con:  # a few rows replaced: their blocks stay for DuckDB to reuse
        con.execute("DELETE FROM numbers WHERE n < 1000")
        con.execute(f"INSERT INTO numbers SELECT * FROM ({rows}) WHERE n < 1000")
    assert writer_file.stat().st_size >= built
    with warehouse.writer() as con:  # every row replaced: the file is compacted before it is published
        con.execute("DELETE FROM numbers")
        con.execute(f"INSERT INTO numbers {rows}")
    after = described(writer_file)
    assert after[:4] == before[:4] and after[3] and after[4] <= 1
    assert writer_file.stat().st_size < built * 1.5  # twice the rows' size without compacting
    assert (tmp_path / "figures.duckdb").read_bytes() == writer_file.read_bytes()
    assert not list(tmp_path.glob(".*.compact"))


def test_a_compaction_that_fails_publishes_the_file_as_it_is_and_says_so(tmp_path, monkeypatch):
    import logging

    from warehouse import snapshot

    monkeypatch.setattr(snapshot, "SPARSE_BYTES", 1 << 20)

    def out_of_memory(files):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data of size 16.0 MiB")

    monkeypatch.setattr(snapshot, "compact", out_of_memory)
    said = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    snapshot.logger.addHandler(handler)
    warehouse = DuckDBFile(tmp_path / "figures.duckdb")
    try:
        with warehouse.writer() as con:
            con.execute("CREATE TABLE numbers AS SELECT range AS n, repeat(md5(range::VARCHAR), 4) AS text FROM range(200000)")
        with warehouse.writer() as con:
            con.execute("DELETE FROM numbers")
            con.execute("INSERT INTO numbers SELECT range AS n, 'new' AS text FROM range(10)")
    finally:
        snapshot.logger.removeHandler(handler)
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*), min(text) FROM numbers").fetchone() == (10, "new")
    assert len(said) == 1 and "figures.writer.duckdb is published without compacting it" in said[0]
    assert "of it free: Out of Memory Error" in said[0]
