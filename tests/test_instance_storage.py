"""The local instance's storage writes a partitioned run's events in batches, whatever the environment
of the process that opens it."""

import shutil
from pathlib import Path

from dagster import (
    AssetExecutionContext, BackfillPolicy, DagsterEventType, DagsterInstance, StaticPartitionsDefinition, asset, materialize,
)

from pipelines.instance_storage import PooledSqliteEventLogStorage

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KEYS = [f"article_{i:02d}.txt" for i in range(30)]


@asset(partitions_def=StaticPartitionsDefinition(KEYS), backfill_policy=BackfillPolicy.single_run())
def per_file(context: AssetExecutionContext) -> None:
    context.log.info(f"{len(context.partition_keys)} files")


def test_a_partitioned_run_is_recorded_in_batches_without_the_makefiles_variables(tmp_path, monkeypatch):
    """As in a UI or a daemon started by `dagster dev` rather than `make ui`: the run's plan is one event
    per asset, not one per asset and file, and its materializations reach the event log as one batch."""
    for name in ("DAGSTER_EVENT_BATCH_SIZE", "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"):
        monkeypatch.setenv(name, "")  # remembered as it was, so that the test leaves it so
        monkeypatch.delenv(name)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(tmp_path / "storage"))
    batches = []
    store = PooledSqliteEventLogStorage.store_event_batch
    monkeypatch.setattr(PooledSqliteEventLogStorage, "store_event_batch",
                        lambda self, events: batches.append(len(events)) or store(self, events))

    with DagsterInstance.from_config(str(tmp_path)) as instance:
        result = materialize([per_file], instance=instance, tags={
            "dagster/asset_partition_range_start": KEYS[0], "dagster/asset_partition_range_end": KEYS[-1]})
        assert result.success
        planned = instance.all_logs(result.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
        materialized = instance.all_logs(result.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
    assert len(planned) == 1 and len(materialized) == len(KEYS)
    assert len(KEYS) in batches
