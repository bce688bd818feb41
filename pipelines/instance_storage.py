"""The local instance's event log in SQLite, with its connections kept open.

Dagster's SQLite event log opens a new database engine, connects, writes and closes for every event,
twice for an asset event (the run's file and the index). A run over a thousand files records a
materialization per asset and file: opening and closing the files was most of the time such a run
spent outside extraction. This storage keeps one engine for the index and for each of the few runs a
process writes or reads at a time; the rows, files and locking are Dagster's own.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from sqlalchemy import create_engine

# The webserver and the daemon read many runs over their lifetime: only the latest few keep an engine.
OPEN_SHARDS = 4


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose engines (and their pooled connections) outlive one event."""

    def _engine(self, shard: str):
        engines: OrderedDict | None = self.__dict__.get("_engines")
        if engines is None or self.__dict__.get("_engines_pid") != os.getpid():
            # A forked child never uses its parent's SQLite connections.
            engines = OrderedDict()
            self.__dict__.update(_engines=engines, _engines_pid=os.getpid())
        engine = engines.get(shard)
        if engine is None:
            engine = create_engine(self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            engines[shard] = engine
            while len(engines) > OPEN_SHARDS:
                _, oldest = engines.popitem(last=False)
                oldest.dispose()
        engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _close_engines(self) -> None:
        for engine in (self.__dict__.get("_engines") or {}).values():
            engine.dispose()
        self.__dict__["_engines"] = None

    def wipe(self) -> None:
        self._close_engines()  # before the run files are deleted
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()


class PooledSqliteStorage(DagsterSqliteStorage):
    """The instance's storage as `storage: sqlite` lays it out (runs, event logs, schedules under
    ``base_dir``), with the event log above. dagster.yaml selects it as `storage: custom`."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteStorage:
        return cls(inst_data=inst_data, **config_value)
