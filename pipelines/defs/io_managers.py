"""Intermediate results keyed by run: one folder per run, so two runs never read each other's data
(the default IO manager keeps one pickle per asset for the whole instance), or, for `figures run`, held
in its process by run until the next step takes them."""

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
    112 MB).

    ``in_memory``: the results are handed from step to step in this process instead, each held (by run
    id, step and output) until the step that reads it takes it. For `figures run` only: it runs every
    step in its own process and removes its run's results when the run ends, failed or not, so nothing
    could re-execute a step from them. Pickling and reading them back cost its process 0.8 s at 10,000
    articles (the documents and claims, 112 MB), on the one core the run uses between extraction and
    the load."""

    base_dir: str
    in_memory: bool = False

    def setup_for_execution(self, context: InitResourceContext) -> None:
        if context.instance is not None:
            sweep_run_storage(self.base_dir, context.instance, context.run_id)

    def _path(self, context: OutputContext) -> Path:
        return Path(self.base_dir, "runs", context.run_id, context.step_key, context.name).with_suffix(".pkl")

    def handle_output(self, context: OutputContext, obj) -> None:
        if self.in_memory:
            _held[_key(context)] = obj
            return
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)

    def load_input(self, context: InputContext):
        if self.in_memory:
            key = _key(context.upstream_output)
            if key not in _held:
                raise KeyError(f"{key[1]}'s {key[2]} of run {key[0]} was taken already or never held: results held "
                               "in memory are read by one step each")
            return _held.pop(key)  # taken: held by the step reading it only, and let go when it is done
        with open(self._path(context.upstream_output), "rb") as handle:
            return pickle.load(handle)


# The results held in memory (RunScopedIOManager.in_memory) by (run id, step, output).
_held: dict[tuple[str, str, str], object] = {}


def _key(context: OutputContext) -> tuple[str, str, str]:
    return context.run_id, context.step_key, context.name


def remove_run_storage(base_dir: str | Path, run_id: str) -> None:
    """Remove a run's results: its folder, and what it holds in memory (a failed run's untaken results)."""
    shutil.rmtree(Path(base_dir, "runs", run_id), ignore_errors=True)
    for key in [key for key in _held if key[0] == run_id]:
        del _held[key]


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
