"""Where the warehouse lives (warehouse.target): the name FIGURES_WAREHOUSE gives picks a DuckDB file or
a DuckLake, a lake is shown without its password, its DDL goes without the key constraints DuckLake does
not have, and a lake load commits once."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from warehouse.loader import SQL_DIR, ensure_schema, table_columns, without_key_constraints
from warehouse.target import DuckDBFile, DuckLake, extension_file, warehouse_target
from warehouse.transactions import transaction


def test_the_name_picks_the_kind_of_warehouse(tmp_path):
    assert warehouse_target(tmp_path / "figures.duckdb") == DuckDBFile(tmp_path / "figures.duckdb")
    lake = warehouse_target("ducklake:postgres:dbname=lake host=db user=figures password=s3cret", "s3://bucket/lake")
    assert lake == DuckLake("postgres:dbname=lake host=db user=figures password=s3cret", "s3://bucket/lake")
    assert "s3cret" not in lake.name and lake.name.startswith("ducklake:postgres:dbname=lake")


def test_the_ddl_without_keys_has_the_same_tables_and_columns():
    with duckdb.connect() as keyed, duckdb.connect() as bare:
        for path in sorted(SQL_DIR.glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            keyed.execute(sql)
            bare.execute(without_key_constraints(sql))
            assert "PRIMARY KEY" not in without_key_constraints(sql)
        tables = [row[0] for row in keyed.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        assert tables == [row[0] for row in bare.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        assert all(table_columns(keyed, table) == table_columns(bare, table) for table in tables)
        assert not bare.execute("SELECT * FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')").fetchall()


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
