"""The local instance's storage writes a partitioned run's events in batches, whatever the environment
of the process that opens it."""

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from dagster import (
    AssetExecutionContext, AssetObservation, BackfillPolicy, DagsterEventType, DagsterInstance, DataVersion, MaterializeResult,
    MetadataValue, StaticPartitionsDefinition, asset, materialize,
)

from dagster._core.events import AssetObservationData
from dagster._core.storage.event_log.schema import SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._serdes import serialize_value
from sqlalchemy import select

from pipelines.instance_storage import PooledSqliteEventLogStorage, serialized_alike

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KEYS = [f"article_{i:02d}.txt" for i in range(30)]


@asset(partitions_def=StaticPartitionsDefinition(KEYS), backfill_policy=BackfillPolicy.single_run())
def per_file(context: AssetExecutionContext) -> MaterializeResult:
    context.log.info(f"{len(context.partition_keys)} files")
    return MaterializeResult(metadata={"dagster/row_count": len(context.partition_keys)}, data_version=DataVersion("v1"))


def _partitioned_run(tmp_path, monkeypatch) -> tuple[DagsterInstance, str, list]:
    """A run over every partition of ``per_file`` in an instance configured as dagster.yaml is, with none
    of the Makefile's variables: the instance, the run's id and the batches the event log was given."""
    for name in ("DAGSTER_EVENT_BATCH_SIZE", "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"):
        monkeypatch.setenv(name, "")  # remembered as it was, so that the test leaves it so
        monkeypatch.delenv(name)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(tmp_path / "storage"))
    batches = []
    store = PooledSqliteEventLogStorage.store_event_batch
    monkeypatch.setattr(PooledSqliteEventLogStorage, "store_event_batch",
                        lambda self, events: batches.append(list(events)) or store(self, events))

    instance = DagsterInstance.from_config(str(tmp_path))
    result = materialize([per_file], instance=instance, tags={
        "dagster/asset_partition_range_start": KEYS[0], "dagster/asset_partition_range_end": KEYS[-1]})
    assert result.success
    return instance, result.run_id, batches


def test_a_partitioned_run_is_recorded_in_batches_without_the_makefiles_variables(tmp_path, monkeypatch):
    """As in a UI or a daemon started by `dagster dev` rather than `make ui`: the run's plan is one event
    per asset, not one per asset and file, and its materializations reach the event log as one batch."""
    instance, run_id, batches = _partitioned_run(tmp_path, monkeypatch)
    with instance:
        planned = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
        materialized = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
    assert len(planned) == 1 and len(materialized) == len(KEYS)
    assert len(KEYS) in [len(batch) for batch in batches]


def test_a_batch_of_partitions_is_stored_as_dagster_serialises_each_event(tmp_path, monkeypatch):
    """The events of the batch, most written into the text of the first, read back as Dagster wrote them."""
    instance, run_id, batches = _partitioned_run(tmp_path, monkeypatch)
    (batch,) = [batch for batch in batches if len(batch) == len(KEYS)]
    with instance:
        with instance.event_log_storage.run_connection(run_id) as conn:
            stored = dict(conn.execute(select(SqlEventLogStorageTable.c.partition, SqlEventLogStorageTable.c.event).where(
                SqlEventLogStorageTable.c.dagster_event_type == DagsterEventType.ASSET_MATERIALIZATION.value)).fetchall())
        assert instance.get_materialized_partitions(per_file.key) == set(KEYS)
    assert stored == {entry.dagster_event.partition: serialize_value(entry) for entry in batch}
    assert sorted(stored) == KEYS


# Left out of the comparison: the ids, and the time SQLite's clock gives a row when it is made (to the
# second), where two storages written one after the other differ whenever a second ends between them.
LEFT_OUT = {"id", "create_timestamp"}


def _contents(path: Path) -> dict[str, list[tuple]]:
    """Every table of an SQLite file but the dates of its migrations, rows in order of their ids, without
    the ids and the times SQLite gave them; each tag with the partition of its event in place of the
    event's id."""
    with closing(sqlite3.connect(path)) as con:
        tables = [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'sqlite_%' AND name != 'secondary_indexes'")]
        contents = {}
        for table in tables:
            columns = [f'"{column}"' for (_, column, *_) in con.execute(f"PRAGMA table_info({table})") if column not in LEFT_OUT]
            if table == "asset_event_tags":
                columns = ["(SELECT partition FROM event_logs e WHERE e.id = event_id)" if c == '"event_id"' else c for c in columns]
            contents[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
    return contents


def _observed(entry):
    """The observation of what ``entry`` materialized: its asset, partition and tags."""
    materialization = entry.dagster_event.event_specific_data.materialization
    observation = AssetObservation(materialization.asset_key, partition=materialization.partition, tags=materialization.tags)
    return entry._replace(dagster_event=entry.dagster_event._replace(
        event_type_value=DagsterEventType.ASSET_OBSERVATION.value, event_specific_data=AssetObservationData(observation)))


def test_a_batch_is_written_as_dagsters_own_event_log_writes_each_event(tmp_path, monkeypatch):
    """The run's file and the index (events, the tags Dagster indexes, the asset's latest materialization),
    row for row, as Dagster's SQLite event log writes the same events one at a time, but the ids."""
    instance, run_id, batches = _partitioned_run(tmp_path, monkeypatch)
    instance.dispose()
    (batch,) = [batch for batch in batches if len(batch) == len(KEYS)]
    assert all(entry.dagster_event.event_specific_data.materialization.tags for entry in batch)  # tags to index
    ours, theirs = PooledSqliteEventLogStorage(str(tmp_path / "ours")), SqliteEventLogStorage(str(tmp_path / "theirs"))
    for storage in (ours, theirs):  # the files made, and an earlier event of another run in the index
        storage.store_event(batch[0]._replace(run_id="an-earlier-run"))
    observations = [_observed(entry) for entry in batch[:5]]  # observations are batched alike
    ours.store_event_batch(batch)
    ours.store_event_batch(observations)
    for entry in batch + observations:
        theirs.store_event(entry)
    for shard in (run_id, INDEX_SHARD_NAME):
        written, expected = (_contents(Path(storage.path_for_shard(shard))) for storage in (ours, theirs))
        assert written == expected and len(written["event_logs"]) >= len(KEYS)
    assert len(_contents(Path(ours.path_for_shard(INDEX_SHARD_NAME)))["asset_event_tags"]) == len(KEYS) + 1 + 5
    ours.dispose()
    theirs.dispose()


def test_events_unlike_the_first_are_serialised_whole(tmp_path, monkeypatch):
    """A partition whose materialization differs in more than its name, data version and time, one
    without a data version, and an event of another kind: each gets its own text."""
    instance, _, batches = _partitioned_run(tmp_path, monkeypatch)
    instance.dispose()
    (batch,) = [batch for batch in batches if len(batch) == len(KEYS)]

    def changed(entry, **fields):
        data = entry.dagster_event.event_specific_data
        materialization = data.materialization._replace(**fields)
        return entry._replace(dagster_event=entry.dagster_event._replace(event_specific_data=data._replace(materialization=materialization)))

    other_metadata = changed(batch[3], metadata={"dagster/row_count": MetadataValue.int(7)})
    no_version = changed(batch[4], tags={})
    no_partition = changed(batch[5], partition=None)
    entries = [batch[0], other_metadata, batch[1], no_version, no_partition, batch[2], batch[0]._replace(user_message="other")]
    assert serialized_alike(entries) == [serialize_value(entry) for entry in entries]


def test_the_event_logs_commit_in_wal_mode_without_waiting_for_the_disk(tmp_path, monkeypatch):
    """A commit that skips the sync is safe only in WAL mode, which Dagster gives these files: were it to
    stop, the files could be corrupted by a power cut, and this fails."""
    instance, run_id, _ = _partitioned_run(tmp_path, monkeypatch)
    storage = instance.event_log_storage
    with instance:
        for shard in (run_id, INDEX_SHARD_NAME):
            with storage._connect(shard) as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
