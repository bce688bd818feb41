"""Intermediate results keyed by run: one folder per run, so two runs never read each other's data
(the default IO manager keeps one pickle per asset for the whole instance)."""

from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path

from dagster import ConfigurableIOManager, DagsterInstance, DagsterRunStatus, InitResourceContext, InputContext, OutputContext

# A failed or canceled run's results are kept this long: re-executing it from the failed step reads them.
KEEP_FAILED_RUNS_SECONDS = 7 * 24 * 3600
_ENDED = {DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


class RunScopedIOManager(ConfigurableIOManager):
    """Pickles under ``<base_dir>/runs/<run id>/<step>/<output>``. `figures run` removes its run's folder
    when the run ends; each run starts by removing the folders of runs that succeeded, of runs the
    instance does not know, and of runs that failed a week ago (the run worker that the sensor, the
    schedule or the UI launch has nobody to remove its folder after it: at 10,000 articles one holds
    112 MB)."""

    base_dir: str

    def setup_for_execution(self, context: InitResourceContext) -> None:
        if context.instance is not None:
            sweep_run_storage(self.base_dir, context.instance, context.run_id)

    def _path(self, context: OutputContext) -> Path:
        return Path(self.base_dir, "runs", context.run_id, context.step_key, context.name).with_suffix(".pkl")

    def handle_output(self, context: OutputContext, obj) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)

    def load_input(self, context: InputContext):
        with open(self._path(context.upstream_output), "rb") as handle:
            return pickle.load(handle)


def remove_run_storage(base_dir: str | Path, run_id: str) -> None:
    shutil.rmtree(Path(base_dir, "runs", run_id), ignore_errors=True)


def sweep_run_storage(base_dir: str | Path, instance: DagsterInstance, current_run_id: str | None = None,
                      now: float | None = None) -> list[str]:
    """Remove the folders no run needs any more (see RunScopedIOManager); return their run ids. The
    folders of runs still queued or going on, and of failed runs younger than a week, stay."""
    folder = Path(base_dir, "runs")
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for path in folder.iterdir():
        if path.name == current_run_id or not path.is_dir():
            continue
        run = instance.get_run_by_id(path.name)
        if run is None or run.status == DagsterRunStatus.SUCCESS or (
                run.status in _ENDED and now - path.stat().st_mtime > KEEP_FAILED_RUNS_SECONDS):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed
