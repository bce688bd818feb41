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


def _contexts(run_id: str):
    from dagster import build_input_context, build_output_context

    output = build_output_context(run_id=run_id, step_key="warehouse_documents.read_and_extract", name="claims")
    return output, build_input_context(upstream_output=output)


def test_results_held_in_memory_go_to_the_step_that_reads_them_without_a_file(tmp_path):
    import pandas as pd
    import pytest

    from pipelines.defs.io_managers import RunScopedIOManager, remove_run_storage

    manager = RunScopedIOManager(base_dir=str(tmp_path), in_memory=True)
    claims = pd.DataFrame({"value": [81502.0, 26.4]})
    output, read = _contexts("run-a")
    manager.handle_output(output, claims)
    assert not (tmp_path / "runs").exists()  # nothing pickled
    assert manager.load_input(read) is claims
    with pytest.raises(KeyError, match="taken already"):
        manager.load_input(read)  # one reader each: held no longer once taken

    # A failed run's untaken results go with its folder, and only its own.
    kept, _ = _contexts("run-b")
    manager.handle_output(output, claims)
    manager.handle_output(kept, claims)
    remove_run_storage(tmp_path, "run-a")
    with pytest.raises(KeyError):
        manager.load_input(read)
    assert manager.load_input(_contexts("run-b")[1]) is claims


def test_results_pickled_by_run_are_read_back_from_the_runs_folder(tmp_path):
    import pandas as pd

    from pipelines.defs.io_managers import RunScopedIOManager

    manager = RunScopedIOManager(base_dir=str(tmp_path))
    output, read = _contexts("run-a")
    manager.handle_output(output, pd.DataFrame({"value": [81502.0]}))
    assert (tmp_path / "runs" / "run-a" / "warehouse_documents.read_and_extract" / "claims.pkl").exists()
    assert manager.load_input(read)["value"].tolist() == [81502.0]
