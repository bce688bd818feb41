"""Intermediate results keyed by run: one folder per run, so two runs never read each other's data
(the default IO manager keeps one pickle per asset for the whole instance)."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from dagster import ConfigurableIOManager, InputContext, OutputContext


class RunScopedIOManager(ConfigurableIOManager):
    """Pickles under ``<base_dir>/runs/<run id>/<step>/<output>``; a run's folder goes when the run ends."""

    base_dir: str

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
