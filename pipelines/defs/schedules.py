"""The daily full rebuild: every file read again, every fact reconciled again."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from pipelines import settings
from pipelines.documents.source_files import SourcesUnavailable
from pipelines.folder_state import scan_folder

from .jobs import build_warehouse
from .sensors import partition_range_tags, sync_partitions


@schedule(job=build_warehouse, cron_schedule="0 6 * * *", default_status=DefaultScheduleStatus.STOPPED,
          description="Rebuilds the warehouse every morning at 06:00: every file read again, every fact reconciled again.")
def daily_build(context: ScheduleEvaluationContext):
    try:
        keys = sync_partitions(context.instance, scan_folder(settings.sources_dir(), settings.written_places()))
    except SourcesUnavailable as unavailable:
        return SkipReason(str(unavailable))
    if not keys:
        return SkipReason("the sources folder holds no file")
    return RunRequest(run_key=None, tags={**partition_range_tags(keys), "figures/rebuild": "true"})
