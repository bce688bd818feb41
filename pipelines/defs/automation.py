"""The job that builds the warehouse, its daily schedule, and a sensor on the sources folder."""


import hashlib
import json
import os

from dagster import AssetSelection, DefaultScheduleStatus, DefaultSensorStatus, RunRequest, ScheduleDefinition, SensorEvaluationContext, SkipReason, define_asset_job, sensor

from pipelines import settings
from pipelines.documents import scan_sources

build_warehouse = define_asset_job(
    "build_warehouse", selection=AssetSelection.all(), description="Read sources/, extract, validate, reconcile and load DuckDB."
)

daily_build = ScheduleDefinition(
    name="daily_build", job=build_warehouse, cron_schedule="0 6 * * *", default_status=DefaultScheduleStatus.STOPPED,
    description="Rebuilds the warehouse every morning at 06:00.",
)


def source_stamps(folder) -> dict[str, float]:
    """{file: mtime} for every file the pipeline would read; a link's own time, never its target's."""
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): os.lstat(path).st_mtime for path in scan_sources(folder)}


@sensor(job=build_warehouse, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
        description="Starts a build when a file in the sources folder is added, changed or removed.")
def sources_changed(context: SensorEvaluationContext):
    stamps = source_stamps(settings.sources_dir())
    previous = json.loads(context.cursor) if context.cursor else {}
    if stamps == previous:
        return SkipReason("no file added, changed or removed")
    changed = sorted(set(stamps.items()) ^ set(previous.items()))
    context.update_cursor(json.dumps(stamps))
    run_key = hashlib.sha256(json.dumps(changed).encode()).hexdigest()[:16]
    names = sorted({name for name, _ in changed})
    return RunRequest(run_key=run_key, tags={"figures/changed_files": ", ".join(names)[:200]})
