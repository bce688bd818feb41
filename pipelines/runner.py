"""Running the build in this process, as `figures run` and the tests do, on the instance's records:
partitions synced with the folder, one run over all of them (files whose content the warehouse holds are
not read again), slots of runs whose process died given back first."""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import Callable

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.utils import make_new_run_id

from warehouse.snapshot import wait_for_renewal

from .instance_storage import EVENT_BATCH
from .parallel import SERIAL_BELOW, stop_workers, warm_workers
from .run_worker import HOST_TAG, PID_TAG, worker_alive, worker_tags

# The daemon runs again a launched run whose process died (run_retries in dagster.yaml); a `figures run`
# that died is not: whoever started it starts it again, and its next run does the work.
NO_RETRIES = {"dagster/max_retries": "0"}
# Dagster records a run's plan as one "materialization planned" event per asset and partition unless
# told to record the run's partition range once per asset: with a thousand files and nine per-file
# assets, nine thousand writes to the instance's SQLite before the first step starts. (A run that
# fails then leaves its partitions unmarked rather than failed; its failure is on the run.)
RANGE_PLANNED_EVENTS = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
# With EVENT_BATCH (pipelines/instance_storage.py), what the Makefile and the Helm values set for the UI,
# the daemon and their runs (the local instance's storage asks for both itself; PostgreSQL's needs them).
INSTANCE_ENVIRONMENT = {RANGE_PLANNED_EVENTS: "true", EVENT_BATCH[0]: EVENT_BATCH[1]}


def use_instance_environment() -> None:
    """Set INSTANCE_ENVIRONMENT in this process where the environment does not already say otherwise."""
    for name, value in INSTANCE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


ALIVE = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.CANCELING, DagsterRunStatus.NOT_STARTED]


def reclaim_dead_runs(instance: DagsterInstance, say: Callable[[str], None] = lambda _: None) -> list[str]:
    """Mark failed the runs of this machine whose process died (kill -9, OOM, a lost terminal), a `figures
    run` or a run the daemon launched, and free the pool slots they held, so the next run does not wait
    for them forever."""
    reclaimed = []
    for run in instance.get_runs(RunsFilter(statuses=ALIVE, tags={HOST_TAG: socket.gethostname()})):
        if worker_alive(run.tags, run.run_id) is False:  # this process's own runs are alive
            pid = run.tags[PID_TAG]
            instance.report_run_failed(run, f"process {pid} running it no longer exists")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            say(f"run {run.run_id} died with its process {pid}: marked failed, its slots freed")
            reclaimed.append(run.run_id)
    return reclaimed


def slot_holders(instance: DagsterInstance, pool: str) -> list[str]:
    """The runs holding a slot of ``pool`` now."""
    info = instance.event_log_storage.get_concurrency_info(pool)
    return sorted({slot.run_id for slot in info.claimed_slots})


def instance_shortfalls(instance: DagsterInstance, pool: str) -> list[str]:
    """What the instance lacks of what the project's dagster.yaml sets, each as a sentence: a DAGSTER_HOME
    of the user's own (one set for other projects, say) has Dagster's defaults, under which runs work
    but lose what they rely on."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from .defs.jobs import WAREHOUSE_TAG

    config = instance.get_concurrency_config()
    lacks = []
    if type(instance.event_log_storage) is SqliteEventLogStorage:
        lacks.append("its event log commits each file's events on their own (10,000 files take a minute more)")
    if config.pool_config.default_pool_limit is None and instance.event_log_storage.get_concurrency_info(pool).slot_count == 0:
        lacks.append(f"pool {pool} has no limit (the warehouse's write lock alone keeps its writers one at a time)")
    queue = config.run_queue_config
    if queue.max_concurrent_runs != 1 and not any(limit.get("key") == WAREHOUSE_TAG for limit in queue.tag_concurrency_limits or []):
        lacks.append(f"no queue per {WAREHOUSE_TAG} tag (runs the UI, the sensor or the schedule launch on one "
                     "warehouse start together, and wait for its lock)")
    if not instance.run_monitoring_enabled:
        lacks.append("no run monitoring (a launched run whose process died stays started, its slots held)")
    if not instance.run_retries_enabled:
        lacks.append("no run retries (a launched run whose process died is not run again)")
    return lacks


class _Terminated(KeyboardInterrupt):
    pass


def _raise_interrupt(signum, _frame):
    raise _Terminated(f"signal {signum}")


def execute_build(defs, instance: DagsterInstance, folder, rebuild: bool = False, log_level: str = "WARNING",
                  say: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True)):
    """Run build_warehouse over every file of ``folder`` in this process; SIGTERM stops it as Ctrl-C does
    (the run is marked failed or canceled, its slots and the warehouse lock released)."""
    from . import settings
    from .defs.assets import REBUILD_TAG, WRITER_POOL
    from .defs.resources import older_extractors, target_of
    from .defs.sensors import partition_range_tags, sync_partitions
    from .extractor_version import extractor_version
    from .folder_state import drop_scan_of_run, hand_scan_to_run, scan_folder

    use_instance_environment()
    if lacks := instance_shortfalls(instance, WRITER_POOL):
        say(f"the Dagster instance in {os.environ.get('DAGSTER_HOME')} lacks what the project's dagster.yaml sets: "
            + "; ".join(lacks) + ". Copy dagster.yaml there, or unset DAGSTER_HOME to use the project's instance.")
    reclaim_dead_runs(instance, say)
    holders = slot_holders(instance, WRITER_POOL)
    if holders:
        say(f"pool {WRITER_POOL} is held by run(s) {', '.join(holders)}: the writing steps wait for it")
    if not rebuild and (older := older_extractors(target_of(defs.resources["warehouse"]))):
        say(f"the warehouse holds claims of extractor {', '.join(older)}: every file is read again by extractor "
            f"{extractor_version()}")
        rebuild = True
    files = scan_folder(folder, settings.written_places())  # once: a folder of 10,000 files takes a third of a second
    keys = sync_partitions(instance, files)
    if keys and not rebuild:
        keys = _partitions_with_new_work(instance, defs, files, keys)
    if len(keys) >= SERIAL_BELOW:
        warm_workers()  # while Dagster plans the run and starts its first step
    job = defs.resolve_job_def("build_warehouse")
    run_id = make_new_run_id()  # named in the tags that record this process
    hand_scan_to_run(run_id, folder, files)
    tags = {**worker_tags(run_id), **NO_RETRIES}
    if rebuild:
        tags[REBUILD_TAG] = "true"
    if keys:
        tags.update(partition_range_tags(keys))
    else:
        # No file, so no partition: the folder's emptiness is loaded directly, then the facts follow.
        _load_empty_folder(defs)
        job = defs.resolve_job_def("reconcile_facts")
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
    try:
        return _execute_in_process(job, instance, tags, {"loggers": {"console": {"config": {"log_level": log_level}}}}, run_id)
    finally:
        drop_scan_of_run(run_id)
        stop_workers()  # the extraction step stops it; a run that failed before that step did not
        wait_for_renewal()  # the writer's file copied back from the last publication: the run leaves both files whole
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _execute_in_process(job, instance: DagsterInstance, tags: dict, run_config: dict, run_id: str):
    """``job.execute_in_process`` without keeping every op's output in memory until the run ends.

    That method captures each output for ``result.output_for_node``, which a build never reads: at
    10,000 articles, the documents read and the claims extracted (half a gigabyte) stay held through
    the facts step. The outputs are in the run's IO manager all the same. The same steps as the method
    (Dagster is pinned; check this on an upgrade), with the capture off.
    """
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.execute_in_process import core_execute_in_process, merge_run_tags

    ephemeral = job.as_ephemeral_job(resource_defs={}, input_values={})
    return core_execute_in_process(
        job=InMemoryJob(job_def=ephemeral), run_config=run_config, instance=instance,
        output_capturing_enabled=False, raise_on_error=False, run_id=run_id,
        run_tags=merge_run_tags(job_def=job, partition_key=None, tags=tags, asset_selection=None,
                                instance=instance, run_config=run_config),
    )


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _load_empty_folder(defs) -> None:
    import pandas as pd

    from warehouse.loader import ensure_schema, load_document_batch

    from .batch import SEEN_COLUMNS
    from .defs.resources import target_of
    from .ingest import DOCUMENT_COLUMNS

    with target_of(defs.resources["warehouse"]).writer("an empty sources folder") as con:
        ensure_schema(con)
        empty = pd.DataFrame(columns=DOCUMENT_COLUMNS)
        load_document_batch(con, empty, pd.DataFrame(columns=["document_id"]), pd.DataFrame(columns=["document_id"]),
                            pd.DataFrame(columns=SEEN_COLUMNS), [])


def _partitions_with_new_work(instance: DagsterInstance, defs, files: dict, keys: list[str]) -> list[str]:
    """The partitions of the files whose content the published warehouse does not hold, moved to the end
    of the partition order (a changed file's partition is removed and added again) so that one range
    covers them all; the last partition alone when no file is new (the run then only drops the rows of
    deleted files). Every partition a run covers costs Dagster an event per asset, so a run covers the
    new work only."""
    from .defs.partitions import source_files
    from .defs.resources import target_of
    from .defs.sensors import add_partitions, files_the_warehouse_lacks

    todo = files_the_warehouse_lacks(files, target_of(defs.resources["warehouse"]), defs.resources["sources"].limits)
    if not todo:
        return keys[-1:]
    tail = keys[len(keys) - len(todo):]
    if set(tail) == set(todo):
        return tail
    for key in todo:
        instance.delete_dynamic_partition(source_files.name, key)
    add_partitions(instance, todo)
    return todo
