"""Shared fixtures: a warehouse built from sources/ through the Dagster assets, on a temporary DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance
from dagster_duckdb import DuckDBResource

from pipelines.definitions import build_definitions
from pipelines.defs.io_managers import RunScopedIOManager, remove_run_storage
from pipelines.defs.resources import ProgressResource, SourcesResource
from pipelines.runner import execute_build
from pipelines.settings import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "sources"
SEED_FILES = ("000_73dc88b4a419ee4c.txt", "003_f32d863d3c202223.txt", "registry.yaml")


@pytest.fixture(autouse=True)
def files_settle_at_once(monkeypatch):
    """Tests tick the sensor right after writing a file: it is not left for a later tick as one still
    being written (tests/test_definitions.py tests that wait)."""
    monkeypatch.setenv("FIGURES_SETTLE_SECONDS", "0")


def build_warehouse(sources: Path, database: Path, limits=None, rebuild: bool = False):
    """Run the build job with every asset and check, as `figures run` does, into ``database``, on an
    instance kept next to it (its partitions and run records last across builds of one warehouse)."""
    source = SourcesResource.with_limits(str(sources), limits) if limits else SourcesResource(folder=str(sources))
    storage = Path(database).with_name(Path(database).name + ".dagster")
    storage.mkdir(parents=True, exist_ok=True)
    defs = build_definitions({
        "sources": source, "warehouse": DuckDBResource(database=str(database)), "progress": ProgressResource(),
        "io_manager": RunScopedIOManager(base_dir=str(storage), in_memory=True),
    })
    with DagsterInstance.local_temp(str(storage)) as instance:
        result = execute_build(defs, instance, sources, rebuild=rebuild)
    remove_run_storage(storage, result.run_id)
    return result


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory) -> Path:
    """The warehouse of the two seed articles alone: the other articles of sources/ disagree with them
    on purpose, and the seed tests check what the seeds say."""
    base = tmp_path_factory.mktemp("warehouse")
    (base / "seeds").mkdir()
    for name in SEED_FILES:
        shutil.copy(SOURCES / name, base / "seeds" / name)
    database = base / "figures.duckdb"
    result = build_warehouse(base / "seeds", database)
    assert result.success
    return database


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The warehouse of everything in sources/, as `make run` builds it."""
    database = tmp_path_factory.mktemp("demo") / "figures.duckdb"
    assert build_warehouse(SOURCES, database).success
    return database


@pytest.fixture()
def query(seed_warehouse):
    def run(sql: str, params=None):
        with duckdb.connect(str(seed_warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    return run


@pytest.fixture()
def sources_copy(tmp_path) -> Path:
    """A writable copy of the seed articles for tests that add broken files."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in SEED_FILES:
        shutil.copy(SOURCES / name, folder / name)
    return folder


@pytest.fixture()
def sql(demo_warehouse):
    """Queries on the demo warehouse, through a read-only connection, as an analyst runs them."""
    def run(statement: str, params=None):
        with duckdb.connect(str(demo_warehouse), read_only=True) as con:
            return con.execute(statement, params or []).fetchall()

    return run
