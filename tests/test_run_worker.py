"""Telling a run whose process died from one still going, by the tags the run recorded."""

from __future__ import annotations

import subprocess

from dagster import DagsterRun

from pipelines.run_launcher import MonitoredRunLauncher
from pipelines.run_worker import BOOT_TAG, HOST_TAG, PID_TAG, worker_alive, worker_tags


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_this_process_is_alive_and_an_ended_one_is_not():
    assert worker_alive(worker_tags()) is True
    assert worker_alive({**worker_tags(), PID_TAG: str(dead_pid())}) is False


def test_a_process_recorded_before_the_machine_started_again_is_gone_whatever_its_pid_runs_now():
    assert worker_alive({**worker_tags(), BOOT_TAG: "another boot"}) is False


def test_a_run_that_recorded_no_process_or_one_on_another_machine_is_not_judged():
    assert worker_alive({}) is None
    assert worker_alive({**worker_tags(), PID_TAG: str(dead_pid()), HOST_TAG: "another-machine"}) is None


def test_run_monitoring_fails_only_a_run_whose_process_is_gone():
    launcher = MonitoredRunLauncher()
    assert launcher.supports_check_run_worker_health

    def health(tags: dict) -> str:
        return launcher.check_run_worker_health(DagsterRun(job_name="build_warehouse", run_id="r", tags=tags)).status.value

    assert health({**worker_tags(), PID_TAG: str(dead_pid())}) == "FAILED"
    assert health(worker_tags()) == "RUNNING"
    assert health({}) == "RUNNING"  # its process has not recorded itself yet


def test_a_run_recorded_without_its_boot_is_judged_by_its_pid():
    recorded = {PID_TAG: str(dead_pid()), HOST_TAG: worker_tags()[HOST_TAG]}
    assert worker_alive(recorded) is False
    assert worker_alive({**recorded, PID_TAG: worker_tags()[PID_TAG]}) is True
