"""The run history an instance no longer needs. Every run keeps its events for good: a rebuild of
10,000 files writes about 90 MB of them, every day if the daily rebuild is on. What the UI, the sensor
and declarative automation read of an old run is only the latest materialization of each asset and
file, and the latest result of each check; once later runs hold those, the old run is history only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from dagster import AssetCheckKey, AssetRecordsFilter, DagsterInstance, RunsFilter
from dagster._core.events import DagsterEventType
from dagster._core.storage.dagster_run import FINISHED_STATUSES, NOT_FINISHED_STATUSES

CHUNK = 500  # storage ids per query (SQLite's older builds take 999 parameters at most)


@dataclass
class Pruned:
    """What ``prune_runs`` found and did."""

    deleted: list[str] = field(default_factory=list)  # run ids, oldest first
    kept: int = 0  # finished before the cut-off, but holding something latest
    not_compacted: str | None = None  # why the local event log could not be compacted


def runs_holding_latest(instance: DagsterInstance, partitions: Iterable[str] | None = None,
                        check_keys: Iterable[AssetCheckKey] = ()) -> set[str]:
    """The runs that hold the latest materialization of an asset, or of one of ``partitions`` (the
    partitions that exist: a deleted file's partition leaves its events behind), or the latest evaluation
    of one of ``check_keys``."""
    existing = None if partitions is None else set(partitions)
    held: set[str] = set()
    for key in instance.get_asset_keys():
        latest = instance.get_latest_materialization_event(key)
        if latest is not None:
            held.add(latest.run_id)
        by_partition = instance.get_latest_storage_id_by_partition(key, DagsterEventType.ASSET_MATERIALIZATION)
        ids = sorted({storage_id for partition, storage_id in by_partition.items() if existing is None or partition in existing})
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            records = instance.fetch_materializations(AssetRecordsFilter(asset_key=key, storage_ids=chunk), limit=len(chunk)).records
            held.update(record.run_id for record in records)
    check_keys = list(check_keys)
    if check_keys:
        latest_checks = instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
        held.update(record.run_id for record in latest_checks.values())
    return held


def prune_runs(instance: DagsterInstance, older_than: dt.timedelta, partitions: Iterable[str] | None = None,
               check_keys: Iterable[AssetCheckKey] = (), now: dt.datetime | None = None, dry_run: bool = False,
               own_run_id: str | None = None) -> Pruned:
    """Delete the runs that ended, were created more than ``older_than`` ago and hold nothing latest
    (see ``runs_holding_latest``), with their events and captured logs; then compact the local event
    log, unless a run other than ``own_run_id`` (the caller's) is going on: compacting locks the index
    against its events for as long as it takes. Runs not finished are never touched. ``dry_run``: only
    say which."""
    cutoff = (now or dt.datetime.now(dt.timezone.utc)) - older_than
    old = instance.get_run_records(RunsFilter(statuses=FINISHED_STATUSES, created_before=cutoff), ascending=True)
    held = runs_holding_latest(instance, partitions, check_keys) if old else set()
    pruned = Pruned([record.dagster_run.run_id for record in old if record.dagster_run.run_id not in held])
    pruned.kept = len(old) - len(pruned.deleted)
    if dry_run or not pruned.deleted:
        return pruned
    for run_id in pruned.deleted:
        instance.delete_run(run_id)
        try:
            instance.compute_log_manager.delete_logs(prefix=[run_id])
        except NotImplementedError:  # a log manager that cannot delete (the logs stay where it keeps them)
            pass
    compact = getattr(instance.event_log_storage, "compact", None)
    going_on = [record for record in instance.get_run_records(RunsFilter(statuses=NOT_FINISHED_STATUSES))
                if record.dagster_run.run_id != own_run_id]
    if compact is not None and going_on:
        pruned.not_compacted = f"{len(going_on)} run(s) going on; the next prune compacts it"
    elif compact is not None:
        try:
            compact()
        except sqlite3.OperationalError as error:  # another process kept writing: the space is reused later
            pruned.not_compacted = str(error)
    return pruned
