"""The warehouse in DuckLake, chosen by configuration alone: FIGURES_WAREHOUSE=ducklake:<catalog>, the
catalog in PostgreSQL (or a DuckDB file), FIGURES_LAKE_DATA a data folder standing in for object storage.
`figures run` creates the lake and builds the demo into it; two processes read it at once, as analysts
would with DuckDB alone, and it must hold the same facts as the DuckDB file. A second run finds nothing
new and leaves the facts as they are.

The ducklake and postgres_scanner extensions come from their packages (duckdb-extension-ducklake and
duckdb-extension-postgres-scanner, pinned with DuckDB in constraints.txt: each wheel is built for one
DuckDB version); where they are missing the test skips and says so."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from warehouse.target import extension_file

from .servers import instance_env, requires_e2e, tool
from .test_postgres_instance import postgres  # noqa: F401  (the PostgreSQL server fixture)

pytestmark = requires_e2e

FACT_COLUMNS = "entity, metric, scope, period, kind, value, unit, status"
FACTS = f"SELECT {FACT_COLUMNS} FROM facts ORDER BY ALL"
# An analyst's session: DuckDB, the extensions, the lake attached read-only.
READER = """
import sys, duckdb
con = duckdb.connect()
for extension in sys.argv[3:]:
    con.execute(f"LOAD '{extension}'")
con.execute(f"ATTACH 'ducklake:{sys.argv[1]}' AS lake (READ_ONLY)")
con.execute("USE lake")
print(con.execute(sys.argv[2]).fetchall())
"""


@pytest.fixture(params=["postgres", "duckdb-file"])
def catalog(request, tmp_path):
    """The DuckLake catalog (what follows "ducklake:"), in a PostgreSQL database or a DuckDB file, and
    the extensions reading it needs."""
    if extension_file("ducklake") is None:
        pytest.skip(f"no ducklake extension for DuckDB {duckdb.__version__}: install the pinned "
                    "duckdb-extension-ducklake (make install does), built for the same DuckDB version")
    if request.param == "duckdb-file":
        return str(tmp_path / "catalog.ducklake"), [extension_file("ducklake")]
    if extension_file("postgres_scanner") is None:
        pytest.skip(f"no postgres_scanner extension for DuckDB {duckdb.__version__} (duckdb-extension-postgres-scanner)")
    server = request.getfixturevalue("postgres")
    import psycopg2

    con = psycopg2.connect(host=server["host"], port=server["port"], user=server["user"], password=server["password"], dbname="postgres")
    con.autocommit = True
    con.cursor().execute("CREATE DATABASE ducklake")
    con.close()
    dsn = f"postgres:dbname=ducklake host={server['host']} port={server['port']} user={server['user']} password={server['password']}"
    return dsn, [extension_file("ducklake"), extension_file("postgres_scanner")]


def test_the_demo_in_ducklake_holds_the_same_facts(tmp_path, request, catalog):
    lake, extensions = catalog
    data = tmp_path / "lake" / "data"
    env = instance_env(tmp_path, FIGURES_WAREHOUSE=f"ducklake:{lake}", FIGURES_LAKE_DATA=str(data))

    def figures(*args: str) -> str:
        done = subprocess.run([tool("figures"), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    out = figures("run")
    assert re.search(r"run [0-9a-f-]{36} succeeded; warehouse ducklake:", out)
    assert "password=" not in out or "password=***" in out  # the catalog's password is never printed
    parquet = list(data.rglob("*.parquet"))
    assert parquet, "the lake's rows are Parquet files in the data folder"
    assert not list(tmp_path.glob("ducklake:*")), "a lake leaves no stray folder named after it"

    readers = [subprocess.Popen([sys.executable, "-c", READER, lake, FACTS, *map(str, extensions)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [reader.communicate(timeout=120) for reader in readers]
    assert all(reader.returncode == 0 for reader in readers), [err for _, err in outputs]
    with duckdb.connect(str(request.getfixturevalue("demo_warehouse")), read_only=True) as con:
        expected = con.execute(FACTS).fetchall()
    assert len(expected) > 0
    assert outputs[0][0].strip() == outputs[1][0].strip() == str(expected)

    # The project's own reader sees the same; a second run has nothing new to read and keeps the facts.
    assert re.search(rf"\b{len(expected)}\b", figures("query", "SELECT count(*) AS facts FROM facts"))
    out = figures("run")
    assert f"facts      {len(expected)} " in out
    again = subprocess.run([sys.executable, "-c", READER, lake, FACTS, *map(str, extensions)], env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.stdout.strip() == str(expected), again.stderr
