"""Where the warehouse lives, chosen by configuration alone: a DuckDB file (the default) or a DuckLake
(``ducklake:<catalog>``). The steps that write load through ``writer()`` and readers open ``reader()``;
neither knows which kind of warehouse it is.

- ``DuckDBFile``: a published file analysts open, the writer's own file, a lock and an atomic swap after
  each load (warehouse.snapshot).
- ``DuckLake``: a catalog (a PostgreSQL database, or a DuckDB file) and Parquet files under a data path
  (a folder, or a bucket prefix). The lake isolates by itself: every commit is a snapshot, and a reader
  sees the last one committed when it attaches. So a load is one transaction, committed once, with no
  writer file, no swap and no lock file; several processes and machines may read and write it, and a
  commit that conflicts with another's fails whole instead of mixing with it.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .snapshot import WarehouseFiles, publish, renew_writer_later, sql_literal, writer_connection, writer_lock
from .transactions import transaction

LAKE_PREFIX = "ducklake:"
LAKE_ALIAS = "lake"


@dataclass(frozen=True)
class DuckDBFile:
    path: Path

    @property
    def name(self) -> str:
        return str(self.path.resolve())

    def prepare(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def local_paths(self) -> list[Path]:
        """What writing it creates on this machine (its files sit beside the one named)."""
        return [self.path]

    def exists(self) -> bool:
        return self.path.exists()

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the published snapshot."""
        return duckdb.connect(str(self.path), read_only=True)

    @contextlib.contextmanager
    def writer(self, owner: str = "", on_wait: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the write lock, load into the writer's file, and publish it if the load succeeds; the
        writer's next file is copied while the caller goes on, the lock held until it is there."""
        files = WarehouseFiles(self.path)
        with writer_lock(files, owner, on_wait=on_wait) as lock:
            with writer_connection(files) as con:
                yield con
            publish(files)
            renew_writer_later(files, lock)


@dataclass(frozen=True)
class DuckLake:
    catalog: str  # what follows "ducklake:": a DuckDB file, or "postgres:dbname=... host=..."
    data_path: str | None = None  # where new Parquet files go; stored in the catalog when the lake is created

    @property
    def name(self) -> str:
        """The lake as it can be shown: without the catalog's password."""
        return LAKE_PREFIX + re.sub(r"password=\S+", "password=***", self.catalog)

    def prepare(self) -> None:
        pass

    def local_paths(self) -> list[Path]:
        """What writing it creates on this machine: a catalog that is a DuckDB file, a local data folder."""
        paths = [] if self.catalog.startswith("postgres:") else [Path(self.catalog)]
        return paths + ([Path(self.data_path)] if self.data_path and "://" not in self.data_path else [])

    def exists(self) -> bool:
        """Whether the lake can be attached: not before its first load (nor when its catalog cannot be
        reached, which the writer then reports)."""
        try:
            self.reader().close()
        except duckdb.Error:
            return False
        return True

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A connection with the lake attached read-only as its default database: the last committed
        snapshot, which later commits do not change."""
        return self._attach("READ_ONLY")

    @contextlib.contextmanager
    def writer(self, owner: str = "", on_wait: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The lake attached read-write (created on first use when a data path is given); everything
        written inside is one transaction, one snapshot."""
        con = self._attach(f"DATA_PATH {sql_literal(_folder(self.data_path))}" if self.data_path else "")
        try:
            with transaction(con):
                yield con
        finally:
            con.close()

    def _attach(self, options: str) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        try:
            load_extensions(con, ["ducklake", "postgres_scanner"] if self.catalog.startswith("postgres:") else ["ducklake"])
            con.execute(f"ATTACH {sql_literal(LAKE_PREFIX + self.catalog)} AS {LAKE_ALIAS}" + (f" ({options})" if options else ""))
            con.execute(f"USE {LAKE_ALIAS}")
        except BaseException:
            con.close()
            raise
        return con


WarehouseTarget = DuckDBFile | DuckLake


def warehouse_target(database: str | Path, lake_data_path: str | None = None) -> WarehouseTarget:
    """The warehouse ``database`` names: ``ducklake:<catalog>`` a lake, anything else a DuckDB file."""
    database = str(database)
    if database.startswith(LAKE_PREFIX):
        return DuckLake(database[len(LAKE_PREFIX):], lake_data_path or None)
    return DuckDBFile(Path(database))


def extension_file(name: str) -> Path | None:
    """The extension built for this DuckDB by its package (duckdb-extension-<name>), if installed."""
    try:
        module = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        return None
    path = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    return path if path.exists() else None


def load_extensions(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """Load the extensions from their packages (pinned with DuckDB in constraints.txt). Without the
    package, DuckDB loads the extension itself on ATTACH if it is in its extension folder."""
    for name in names:
        path = extension_file(name)
        if path is not None:
            con.execute(f"LOAD {sql_literal(str(path))}")


def _folder(path: str) -> str:
    return path if path.endswith("/") else path + "/"
