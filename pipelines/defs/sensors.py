"""The sensor on the sources folder: its cursor names the folder's state, {partition key: size, mtime
and ctime} of every file and of the registry, kept in the instance (pipelines/folder_states.py); it
adds a partition per new file, removes the partitions of deleted files, and asks for a run over the
new and changed files (a run per block of neighbouring partitions), with any the warehouse still lacks
(a run that failed or was canceled left them unread), under a run key made of their versions, so a
version is loaded once. When the warehouse holds claims of another version of the extractor, the run
reads every file again."""

import hashlib
import json
import os
import time
from pathlib import Path

from dagster import (
    DagsterInstance, DefaultSensorStatus, RunRequest, RunsFilter, SensorEvaluationContext, SensorResult, SkipReason, sensor,
)
from dagster._core.storage.dagster_run import NOT_FINISHED_STATUSES
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines import settings
from pipelines.documents.source_files import SourcesUnavailable
from pipelines.extractor_version import extractor_version
from pipelines.folder_state import ContentIds, changed_at_ns, folder_changes, keys_to_run, scan_folder, stamp_of
from pipelines.folder_states import load_state, save_state
from pipelines.ingest import REGISTRY_FILE

from .assets import REBUILD_TAG
from .jobs import build_warehouse
from .partitions import source_files
from .resources import older_extractors


def folder_stamps(files: dict) -> dict[str, str]:
    """{partition key: stamp} of a folder's scan (``scan_folder``): the state the sensor compares."""
    return {key: file.stamp for key, file in files.items()}


def registry_stamp(folder: Path) -> dict[str, str]:
    """{"registry.yaml": stamp} of the folder's registry, {} without one: in the state beside the files'
    (no file's partition has that key: the registry is not an article), so that an edit asks for a run,
    which reads again the files whose entry changed."""
    try:
        info = os.lstat(Path(folder) / REGISTRY_FILE)
    except OSError:
        return {}
    return {REGISTRY_FILE: stamp_of(info.st_size, info.st_mtime_ns, info.st_ctime_ns)}


def files_the_warehouse_lacks(files: dict, target=None, limits=None) -> list[str]:
    """The partition keys of the files of a scan whose (path, content) the published snapshot of
    ``target`` (by default the configured warehouse) does not hold: new and changed files, and the files
    of a run that failed or was canceled, which the sensor's cursor has moved past (the daemon runs again
    only a run whose process died). All of them for a warehouse that holds no file yet."""
    from warehouse.loader import current_versions

    target = target or settings.warehouse()
    if not target.exists():
        return list(files)
    with target.reader() as con:
        current = current_versions(con)
    if not current:
        return list(files)
    content_ids = ContentIds.load(settings.content_ids_file())  # the ids runs remembered: few files are hashed
    lacking = keys_to_run(files, current, limits or settings.limits(), content_ids)
    content_ids.save()
    return lacking


def still_written(stamps: dict[str, str], settle_seconds: float) -> set[str]:
    """The keys of ``stamps`` (see ``SourceFile.stamp``) whose file changed less than ``settle_seconds``
    ago, by its change time: every write sets it to the clock's time, where a modification time can be
    anything (an archive's, one in the future)."""
    now = time.time_ns()
    since = now - int(settle_seconds * 1e9)
    return {key for key, stamp in stamps.items() if since < changed_at_ns(stamp) <= now}


RANGE_TAGS = (ASSET_PARTITION_RANGE_START_TAG, ASSET_PARTITION_RANGE_END_TAG)


def partition_range_tags(keys: list[str]) -> dict[str, str]:
    """Tags of one run over the partitions from the first to the last of ``keys`` (partitions keep the
    order they were added in; files in between whose content the warehouse holds are not read again)."""
    return dict(zip(RANGE_TAGS, (keys[0], keys[-1])))


def range_ends_in_use(instance: DagsterInstance) -> set[str]:
    """The partitions that runs not yet ended name as an end of their range. Dagster resolves a run's
    range when the run starts, and fails it if an end is no longer a partition: the partition of a file
    deleted while its run waited in the queue stays until that run has ended (the run reads only the
    files still there)."""
    return {run.tags[tag] for run in instance.get_runs(RunsFilter(statuses=NOT_FINISHED_STATUSES)) for tag in RANGE_TAGS if tag in run.tags}


def sync_partitions(instance: DagsterInstance, files: dict) -> list[str]:
    """Add a partition for each file of a folder's scan (``scan_folder``) that has none; return the
    folder's partitions in partition order. Partitions of files gone are left to the sensor, which watches
    the configured folder: a run on another folder of the same instance must not remove the partitions a
    concurrent run uses."""
    keys = list(files)
    add_partitions(instance, keys)
    return _in_partition_order(keys, instance.get_dynamic_partitions(source_files.name))


def add_partitions(instance: DagsterInstance, keys: list[str], attempts: int = 5) -> None:
    """Add a partition for each of ``keys`` that has none. Two runs that find the same new files add
    them at the same moment, and Dagster's add reads which exist before it inserts: the later insert can
    meet the rows of the other and fail on their unique key. It then adds what is still missing."""
    from sqlalchemy.exc import IntegrityError

    for attempt in range(attempts):
        existing = set(instance.get_dynamic_partitions(source_files.name))
        missing = [key for key in keys if key not in existing]
        if not missing:
            return
        try:
            instance.add_dynamic_partitions(source_files.name, missing)
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def _in_partition_order(keys: list[str], ordered: list[str]) -> list[str]:
    wanted = set(keys)
    return [key for key in ordered if key in wanted]


# A run covers a range of partitions, and Dagster records a materialization for each partition in it,
# read or not: an old file changed beside a new one made a run over every partition between them (at
# 10,000 files, 8 s and 90 MB of event log instead of 6 s and 0.7 MB for two runs). Files far apart in
# the partitions' order go to runs of their own, at most MAX_RUNS a tick; a gap of up to MERGE_GAP
# partitions costs less than a run of its own. (`figures run` moves the partitions of changed files to
# the end instead, pipelines/runner.py; a sensor cannot: Dagster refuses a tick that removes and adds
# the same partition.)
MERGE_GAP = 500
MAX_RUNS = 3


def partition_blocks(keys: list[str], ordered: list[str]) -> list[list[str]]:
    """``keys`` (in partition order, every one in ``ordered``) in blocks of neighbours, a run each: two
    keys with at most MERGE_GAP partitions between them share a block, and of more than MAX_RUNS blocks
    the two closest are joined until MAX_RUNS remain."""
    position = {key: i for i, key in enumerate(ordered)}
    blocks: list[list[str]] = []
    for key in keys:
        if blocks and position[key] - position[blocks[-1][-1]] - 1 <= MERGE_GAP:
            blocks[-1].append(key)
        else:
            blocks.append([key])
    while len(blocks) > MAX_RUNS:
        closest = min(range(len(blocks) - 1), key=lambda i: position[blocks[i + 1][0]] - position[blocks[i][-1]])
        blocks[closest:closest + 2] = [blocks[closest] + blocks[closest + 1]]
    return blocks


@sensor(job=build_warehouse, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
        description="Adds and removes a partition per file of the sources folder and starts a run for new and changed files.")
def sources_changed(context: SensorEvaluationContext):
    try:
        files = scan_folder(settings.sources_dir(), settings.written_places())
    except SourcesUnavailable as unavailable:  # its files are not taken for deleted: the cursor stays
        return SkipReason(str(unavailable))
    stamps = folder_stamps(files)
    previous = load_state(context.instance, context.cursor)
    current = {**stamps, **registry_stamp(settings.sources_dir())}
    # A file still being written (the registry too) keeps the stamp the last tick saw, none if it is new,
    # until it settles.
    settle = settings.settle_seconds()
    settling = still_written(current, settle)
    watched = {key: previous[key] if key in settling else stamp for key, stamp in current.items()
               if key not in settling or key in previous}
    changes = folder_changes(previous, watched)
    older = older_extractors(settings.warehouse())
    if not (changes or older):
        waiting = f"; {len(settling)} file(s) changed in the last {settle:g} s, read once they settle" if settling else ""
        return SkipReason("no file added, changed or removed" + waiting)
    existing = context.instance.get_dynamic_partitions(source_files.name)
    known = set(existing)
    added = [key for key in stamps if key not in known and key not in settling]
    # A partition kept for a run that had not ended goes at a later tick with a change.
    gone = [key for key in existing if key not in stamps]
    in_use = range_ends_in_use(context.instance) if gone else set()
    removed = [key for key in gone if key not in in_use]
    ordered = [key for key in existing if key in stamps] + added
    # With the changed files go those the warehouse lacks though the cursor has passed them (looked for
    # only when something changed: a run over them alone would have the key of the run that failed).
    # A deletion alone still needs a run: any run drops the rows of files the folder no longer holds.
    to_read = (set(changes.to_run) | set(files_the_warehouse_lacks(files) if changes else [])) - settling
    to_run = _in_partition_order(list(to_read), ordered) or ordered[-1:]
    requests = []
    if older and ordered:  # every file read again, once for each version of the extractor
        requests.append(RunRequest(
            run_key=f"extractor {extractor_version()}",
            tags={**partition_range_tags(ordered), REBUILD_TAG: "true",
                  "figures/changed_files": f"every file: claims of extractor {', '.join(older)}"[:200]},
        ))
    if changes and to_run:
        blocks = partition_blocks(to_run, ordered)
        # The first run also names what is in no block: removed files, the registry.
        outside = (to_read | set(changes.removed)) - {key for block in blocks for key in block}
        for i, block in enumerate(blocks):
            named = sorted((set(block) & to_read) | (outside if i == 0 else set()))
            versions = json.dumps([[key, watched.get(key)] for key in named])
            requests.append(RunRequest(
                run_key=hashlib.sha256(versions.encode()).hexdigest()[:16],
                tags={**partition_range_tags(block), "figures/changed_files": ", ".join(named)[:200]},
            ))
    context.update_cursor(save_state(context.instance, watched, context.cursor))
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[r for r in (source_files.build_add_request(added) if added else None,
                                                 source_files.build_delete_request(removed) if removed else None) if r],
    )
