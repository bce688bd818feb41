"""The local instance's event log in SQLite, with its connections kept open.

Dagster's SQLite event log opens a new database engine, connects, writes and closes for every event,
twice for an asset event (the run's file and the index), and commits each event on its own. A run over
a thousand files records a materialization per asset and file: opening, committing and closing the
files was most of the time such a run spent outside extraction. This storage keeps one engine for the
index and for each of the few runs a process writes or reads at a time, and writes the materializations
of one step's partitions in one transaction per file when Dagster hands them over as a batch, each table's
rows through one prepared statement: the tables, files and locking are Dagster's own, and the rows those
Dagster writes for the same events, column for column (tests/test_instance_storage.py compares the files).
The materializations of one step's partitions differ only in their partition, data version and time: one
of them is serialised, the others are written into its text.

Dagster hands them over as a batch only when `DAGSTER_EVENT_BATCH_SIZE` is set, and records a run's plan
once per asset (not once per asset and partition) only when its event log says so. Both were left to the
environment `figures run`, the Makefile and the Helm values give: a UI or daemon started another way
(`dagster dev`) wrote a 10,000-partition run's events one by one, a minute more. This storage now
asks for both itself, in every process that opens the instance.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from dagster._core.definitions.data_version import DATA_VERSION_TAG
from dagster._core.events import DagsterEventType, StepMaterializationData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.schema import AssetEventTagsTable, SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME, SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage,
)
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from dagster._serdes import serialize_value
from sqlalchemy import create_engine, event

# The webserver and the daemon read many runs over their lifetime: only the latest few keep an engine.
OPEN_SHARDS = 4
# Dagster batches the asset events of a partitioned output; these kinds are written as a batch here.
BATCHED = {DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_OBSERVATION}
# Dagster hands the materializations of one step's partitions to the event log as one batch only when
# this variable is set: (name, value).
EVENT_BATCH = ("DAGSTER_EVENT_BATCH_SIZE", "1000")
_INSERT_EVENT = ("INSERT INTO event_logs (run_id, event, dagster_event_type, timestamp, step_key, asset_key, partition) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)")
_INSERT_TAG = "INSERT INTO asset_event_tags (event_id, asset_key, key, value, event_timestamp) VALUES (?, ?, ?, ?, ?)"


def _commit_without_sync(connection, _record) -> None:
    """Each commit of the run's file and the index waited for the disk, two or three times per event: a
    one-article run synced 308 times, 0.15 s (86 times, 0.03 s, with this). Dagster keeps these files in
    WAL mode, where commits that skip the sync cannot corrupt them; a power cut can lose the last events,
    which leaves a run unfinished, for run monitoring to mark failed."""
    connection.execute("PRAGMA synchronous = NORMAL")


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
            event.listen(engine, "connect", _commit_without_sync)
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

    def store_event_batch(self, events) -> None:
        """The materializations of one step's partitions: one transaction in the run's file, one in the
        index (the asset's latest entry written once), instead of two commits per event. Their rows go
        to SQLite as Dagster's own statements would write them, but through one prepared statement each:
        SQLAlchemy's statements, built and filled row by row, took a second for 10,000 partitions."""
        if len({event.run_id for event in events}) != 1 or any(event.dagster_event_type not in BATCHED for event in events):
            super().store_event_batch(events)
            return
        assets = [_asset_event(event) for event in events]
        with self.run_connection(events[0].run_id) as conn:
            rows = self._rows(conn, events, assets)
            conn.exec_driver_sql(_INSERT_EVENT, rows)
        with self.index_transaction() as conn:
            # Ids are given in order of insertion (the largest plus one), and no other process inserts
            # while this transaction writes: the rows after the largest id before are these, in order.
            (before,) = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM event_logs").one()
            conn.exec_driver_sql(_INSERT_EVENT, rows)
            ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM event_logs WHERE id > ? ORDER BY id", (before,))]
            if len(ids) != len(rows):
                raise RuntimeError(f"{len(rows)} events written to the event log's index, {len(ids)} read back")
            self._store_tags(conn, assets, rows, ids)
            latest = {asset.asset_key: (event, event_id) for event, asset, event_id in zip(events, assets, ids)}
            for event, event_id in latest.values():
                self._store_asset_event(conn, event, event_id)

    def _rows(self, conn, events, assets) -> list[tuple]:
        """The event_logs rows of asset events, as ``_event_to_row`` gives them and SQLAlchemy writes them
        (a time as the text it makes of it)."""
        timestamp = SqlEventLogStorageTable.c.timestamp.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        keys: dict = {}
        rows = []
        for event, asset, text in zip(events, assets, serialized_alike(events)):
            dagster_event = event.dagster_event
            key = keys.get(asset.asset_key) or keys.setdefault(asset.asset_key, asset.asset_key.to_string())
            rows.append((event.run_id, text, dagster_event.event_type_value, timestamp(self._event_insert_timestamp(event)),
                         dagster_event.step_key, key, asset.partition))
        return rows

    def _store_tags(self, conn, assets, rows: list[tuple], ids: list[int]) -> None:
        """``_store_asset_event_tags``: the tags Dagster indexes (the data version's), one statement."""
        tag_rows, indexed = [], {}
        for asset, (_, _, _, timestamp, _, asset_key, _), event_id in zip(assets, rows, ids):
            tags = asset.tags or {}
            names = tuple(tags)
            if names not in indexed:  # in the tags' order, as Dagster writes them
                to_index = self.get_asset_tags_to_index(set(names))
                indexed[names] = [name for name in names if name in to_index]
            tag_rows += [(event_id, asset_key, name, tags[name], timestamp) for name in indexed[names]]
        if tag_rows and self.has_table(AssetEventTagsTable.name):
            conn.exec_driver_sql(_INSERT_TAG, tag_rows)

    @property
    def supports_partition_subset_in_asset_materialization_planned_events(self) -> bool:
        """A run's plan as one event per asset with its partitions, whoever creates the run. (A run that
        fails then leaves its partitions unmarked rather than failed; its failure is on the run.)"""
        return True

    def has_table(self, table_name: str) -> bool:
        # Asked for every asset event, each time through a new engine; a table, once there, stays.
        present = self.__dict__.setdefault("_tables_present", set())
        if table_name not in present and super().has_table(table_name):
            present.add(table_name)
        return table_name in present

    def delete_events(self, run_id: str) -> None:
        """A run deleted (`dagster run delete`, the UI, `figures prune-runs`) takes its file with it:
        Dagster empties the file and leaves it, as large as before (44 MB for a run over 10,000 files)."""
        super().delete_events(run_id)
        engine = (self.__dict__.get("_engines") or {}).pop(run_id, None)
        if engine is not None:
            engine.dispose()
        self._initialized_dbs.discard(run_id)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(self.path_for_shard(run_id) + suffix).unlink(missing_ok=True)

    def compact(self) -> None:
        """Give back to the file system the space of deleted events in the index (SQLite keeps the pages
        of deleted rows for later rows otherwise). Raises sqlite3.OperationalError while another process
        writes to it for longer than the busy timeout."""
        with closing(sqlite3.connect(self.path_for_shard(INDEX_SHARD_NAME), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)) as con:
            con.execute("VACUUM")

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _close_engines(self) -> None:
        for engine in (self.__dict__.get("_engines") or {}).values():
            engine.dispose()
        self.__dict__["_engines"] = None

    def wipe(self) -> None:
        self._close_engines()  # before the run files are deleted
        self.__dict__.pop("_tables_present", None)
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()


def _asset_event(entry: EventLogEntry):
    """The materialization or observation an asset event carries (its asset key, partition and tags)."""
    data = entry.dagster_event.event_specific_data
    return data.materialization if isinstance(data, StepMaterializationData) else data.asset_observation


# Placeholders of what differs between the materializations of one step's partitions, each written in
# JSON once in the text of the first (a partition's name and a data version are strings; a time a float).
_PARTITION, _DATA_VERSION, _TIMESTAMP = "\x00partition\x00", "\x00data version\x00", -1.2345678901234567


def _masked(entry: EventLogEntry) -> tuple[EventLogEntry, list] | None:
    """``entry`` with placeholders for its partition, data version and time, and those values; None if
    it is not the materialization of a partition named by a plain string (a key of several dimensions is
    a string of another type, whose text may differ)."""
    event = entry.dagster_event
    data = event.event_specific_data if event is not None else None
    if not isinstance(data, StepMaterializationData) or type(data.materialization.partition) is not str \
            or type(entry.timestamp) is not float:
        return None
    materialization = data.materialization
    tags, values = materialization.tags, [materialization.partition, entry.timestamp]
    if tags and type(tags.get(DATA_VERSION_TAG)) is str:
        tags = {**tags, DATA_VERSION_TAG: _DATA_VERSION}  # in its place: the text keeps the tags' order
        values.append(materialization.tags[DATA_VERSION_TAG])
    masked = materialization._replace(partition=_PARTITION, tags=tags)
    return entry._replace(timestamp=_TIMESTAMP, dagster_event=event._replace(
        event_specific_data=data._replace(materialization=masked))), values


def serialized_alike(entries) -> list[str]:
    """``serialize_value`` of each entry. Serialising one takes 0.1 ms, a second at 10,000 partitions:
    an entry equal to the first partition's materialization but for its partition, data version and time
    has the text of that first one with those three values written in (JSON writes each value alone, the
    same wherever it stands), the others are serialised whole."""
    texts, template, pieces = [], None, None
    for entry in entries:
        masked = _masked(entry)
        if masked is not None and template is None:
            template, pieces = masked[0], _split(serialize_value(masked[0]), len(masked[1]))
        if masked is None or pieces is None or masked[0] != template:
            texts.append(serialize_value(entry))
            continue
        order, parts = pieces
        values = [json.dumps(masked[1][i]) for i in order]
        texts.append(parts[0] + "".join(value + part for value, part in zip(values, parts[1:])))
    return texts


def _split(text: str, n_values: int) -> tuple[list[int], list[str]] | None:
    """The text around the placeholders' JSON: the order they appear in (as indexes into the values
    partition, time, data version) and the text between them; None unless each appears exactly once."""
    tokens = [json.dumps(value) for value in (_PARTITION, _TIMESTAMP, _DATA_VERSION)[:n_values]]
    if any(text.count(token) != 1 for token in tokens):
        return None
    order = sorted(range(n_values), key=lambda i: text.index(tokens[i]))
    parts, rest = [], text
    for i in order:
        before, rest = rest.split(tokens[i], 1)
        parts.append(before)
    return order, parts + [rest]


class PooledSqliteStorage(DagsterSqliteStorage):
    """The instance's storage as `storage: sqlite` lays it out (runs, event logs, schedules under
    ``base_dir``), with the event log above. dagster.yaml selects it as `storage: custom`."""

    def __init__(self, base_dir: str, inst_data=None):
        os.environ.setdefault(*EVENT_BATCH)  # read by Dagster at each event, in this process
        super().__init__(base_dir, inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteStorage:
        return cls(inst_data=inst_data, **config_value)
