"""Pruning this project's run history (pipelines/run_history.py): what `figures prune-runs` calls, and
a weekly job and schedule that do the same from the daemon."""

import datetime as dt

from dagster import Config, DagsterInstance, DefaultScheduleStatus, OpExecutionContext, ScheduleDefinition, job, op

from pipelines.run_history import Pruned, prune_runs

from .checks import ALL_CHECKS
from .partitions import source_files


def prune_this_project(instance: DagsterInstance, older_than_days: int, dry_run: bool = False,
                       own_run_id: str | None = None) -> Pruned:
    """``prune_runs`` with what this code location's runs materialize: the files' partitions that exist,
    and its checks."""
    return prune_runs(instance, dt.timedelta(days=older_than_days), instance.get_dynamic_partitions(source_files.name),
                      [key for check in ALL_CHECKS for key in check.check_keys], dry_run=dry_run, own_run_id=own_run_id)


class PruneConfig(Config):
    older_than_days: int = 30


@op(description="Delete the finished runs older than the given days that hold no latest materialization nor check result, "
                "with their events and logs.")
def prune_superseded_runs(context: OpExecutionContext, config: PruneConfig) -> None:
    pruned = prune_this_project(context.instance, config.older_than_days, own_run_id=context.run_id)
    context.log.info(f"{len(pruned.deleted)} run(s) deleted, {pruned.kept} older than {config.older_than_days} day(s) kept: "
                     "they hold the latest materialization of a table or file, or a check's latest result")
    if pruned.not_compacted:
        context.log.info(f"the event log index was not compacted: {pruned.not_compacted}")
    context.add_output_metadata({"runs deleted": len(pruned.deleted), "runs kept": pruned.kept})


@job(description="Delete old runs that later runs superseded, with their events and logs (`figures prune-runs`).")
def prune_run_history():
    prune_superseded_runs()


weekly_prune = ScheduleDefinition(
    name="weekly_prune", job=prune_run_history, cron_schedule="0 5 * * 0", default_status=DefaultScheduleStatus.STOPPED,
    description="Every Sunday at 05:00, deletes the runs older than 30 days that later runs superseded: with the daily "
                "rebuild on, the local event log otherwise grows by the rebuild's events (90 MB at 10,000 files) every day.",
)
