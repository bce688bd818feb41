"""Telling a run whose process died from one still going, by the tags the run recorded."""

from __future__ import annotations

import os
import subprocess

from dagster import DagsterInstance, DagsterRun, asset, materialize

from pipelines.defs.resources import WarehouseResource
from pipelines.run_launcher import MonitoredRunLauncher
from pipelines.run_worker import BOOT_TAG, HOST_TAG, PID_TAG, RUN_TAG, worker_alive, worker_tags

RUN = "r"


@asset
def uses_the_warehouse(warehouse: WarehouseResource) -> None:
    pass


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_this_process_is_alive_and_an_ended_one_is_not():
    assert worker_alive(worker_tags(RUN), RUN) is True
    assert worker_alive({**worker_tags(RUN), PID_TAG: str(dead_pid())}, RUN) is False


def test_a_process_recorded_before_the_machine_started_again_is_gone_whatever_its_pid_runs_now():
    assert worker_alive({**worker_tags(RUN), BOOT_TAG: "another boot"}, RUN) is False


def test_a_run_that_recorded_no_process_or_one_on_another_machine_is_not_judged():
    assert worker_alive({}, RUN) is None
    assert worker_alive({**worker_tags(RUN), PID_TAG: str(dead_pid()), HOST_TAG: "another-machine"}, RUN) is None


def test_run_monitoring_fails_only_a_run_whose_process_is_gone():
    launcher = MonitoredRunLauncher()
    assert launcher.supports_check_run_worker_health

    def health(tags: dict) -> str:
        return launcher.check_run_worker_health(DagsterRun(job_name="build_warehouse", run_id=RUN, tags=tags)).status.value

    assert health({**worker_tags(RUN), PID_TAG: str(dead_pid())}) == "FAILED"
    assert health(worker_tags(RUN)) == "RUNNING"
    assert health({}) == "RUNNING"  # its process has not recorded itself yet
    # Executed again, it starts with its parent's tags, whose process is gone: not its own yet.
    assert health({**worker_tags("its parent"), PID_TAG: str(dead_pid())}) == "RUNNING"


def test_a_run_recorded_without_its_boot_is_judged_by_its_pid():
    recorded = {PID_TAG: str(dead_pid()), HOST_TAG: worker_tags(RUN)[HOST_TAG]}
    assert worker_alive(recorded, RUN) is False
    assert worker_alive({**recorded, PID_TAG: worker_tags(RUN)[PID_TAG]}, RUN) is True


def test_a_run_executed_again_records_its_own_process_over_its_parents(tmp_path):
    """The daemon's retries and the UI's re-executions copy the parent run's tags, its process included."""
    inherited = {**worker_tags("its parent"), PID_TAG: str(dead_pid())}
    with DagsterInstance.ephemeral() as instance:
        result = materialize([uses_the_warehouse], instance=instance, tags=inherited,
                             resources={"warehouse": WarehouseResource(database=str(tmp_path / "w.duckdb"))})
        tags = instance.get_run_by_id(result.run_id).tags
    assert (tags[RUN_TAG], tags[PID_TAG]) == (result.run_id, str(os.getpid()))
