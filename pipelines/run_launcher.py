"""The instance's run launcher: Dagster's default one (a run executes in a process that the code
location's server starts), with the health check that run monitoring asks launchers for. The default
launcher has none: a run whose process died with that server (a lost machine, a killed `make ui`) stayed
started for ever, holding its warehouse's place in the run queue and its slot of the writers' pool, so
every later run of that warehouse waited. Monitoring now marks it failed, its slots are freed, and the
daemon runs it again (run_retries in dagster.yaml)."""

from __future__ import annotations

from dagster import DagsterRun
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus

from .run_worker import PID_TAG, worker_alive


class MonitoredRunLauncher(DefaultRunLauncher):
    """DefaultRunLauncher whose runs' processes are checked by the tags they record (pipelines.run_worker)."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        alive = worker_alive(run.tags, run.run_id)
        if alive is False:
            return CheckRunHealthResult(WorkerStatus.FAILED, f"process {run.tags[PID_TAG]} running it no longer exists")
        # A run whose process has not recorded itself yet, or runs on another machine, is left running:
        # only a process known to be gone fails a run.
        return CheckRunHealthResult(WorkerStatus.RUNNING)
