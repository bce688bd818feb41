"""The folders of run-scoped results: which ones a run removes when it starts."""

import os
import time

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

from pipelines.defs.io_managers import KEEP_FAILED_RUNS_SECONDS, sweep_run_storage


def _folder(base, run_id: str, age_seconds: float = 0):
    path = base / "runs" / run_id / "warehouse_documents.read_and_extract"
    path.mkdir(parents=True)
    (path / "result.pkl").write_bytes(b"x" * 1000)
    stamp = time.time() - age_seconds
    os.utime(path.parent, (stamp, stamp))


def test_a_run_removes_the_results_no_run_needs_and_keeps_the_others(tmp_path):
    with DagsterInstance.ephemeral() as instance:
        for run_id, status in [("ok", DagsterRunStatus.SUCCESS), ("failed-today", DagsterRunStatus.FAILURE),
                               ("failed-long-ago", DagsterRunStatus.FAILURE), ("canceled-long-ago", DagsterRunStatus.CANCELED),
                               ("going-on", DagsterRunStatus.STARTED), ("starting", DagsterRunStatus.STARTING),
                               ("this-run", DagsterRunStatus.STARTED)]:
            instance.add_run(DagsterRun(job_name="build_warehouse", run_id=run_id, status=status))
        old = KEEP_FAILED_RUNS_SECONDS + 3600
        for run_id, age in [("ok", 0), ("failed-today", 0), ("failed-long-ago", old), ("canceled-long-ago", old),
                            ("going-on", old), ("starting", 0), ("this-run", 0), ("unknown-to-the-instance", 0)]:
            _folder(tmp_path, run_id, age)
        removed = sweep_run_storage(tmp_path, instance, current_run_id="this-run")
    assert sorted(removed) == ["canceled-long-ago", "failed-long-ago", "ok", "unknown-to-the-instance"]
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["failed-today", "going-on", "starting", "this-run"]


def test_no_folder_of_runs_is_nothing_to_remove(tmp_path):
    with DagsterInstance.ephemeral() as instance:
        assert sweep_run_storage(tmp_path, instance) == []
