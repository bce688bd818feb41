"""One tick of the sources sensor and the runs it asks for, as the daemon carries them out: the sensor
evaluated with the cursor of its last tick, its partition requests applied to the instance, and each run
request executed with the job's own executor (`execute_job`, what the run worker that the daemon
launches calls). The instance, warehouse and folder come from the environment, as for `figures run`;
the variables `make ui` sets for the daemon and its runs are set too, unless given.

    python benchmarks/sensor_run.py CURSOR_FILE          # a tick; the file then holds the new cursor
    python benchmarks/sensor_run.py CURSOR_FILE --seen   # the cursor of the folder as it is now, no run

It prints one line per run: its id, whether it succeeded, and how long it took. The exit code is 1 if a
run failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def build_warehouse_job():
    from pipelines.definitions import defs

    return defs.resolve_job_def("build_warehouse")


def tick(cursor_file: Path) -> bool:
    from dagster import (
        AddDynamicPartitionsRequest, DagsterInstance, DeleteDynamicPartitionsRequest, build_sensor_context, execute_job,
        reconstructable,
    )

    from pipelines.defs.sensors import sources_changed

    cursor = cursor_file.read_text(encoding="utf-8") if cursor_file.exists() else None
    ok = True
    with DagsterInstance.get() as instance:
        context = build_sensor_context(instance=instance, cursor=cursor)
        result = sources_changed(context)
        if getattr(result, "skip_message", None):
            print(f"no run: {result.skip_message}")
        for request in getattr(result, "dynamic_partitions_requests", None) or []:
            if isinstance(request, AddDynamicPartitionsRequest):
                instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
            elif isinstance(request, DeleteDynamicPartitionsRequest):
                for key in request.partition_keys:
                    instance.delete_dynamic_partition(request.partitions_def_name, key)
        for request in getattr(result, "run_requests", None) or []:
            started = time.perf_counter()
            run = execute_job(reconstructable(build_warehouse_job), instance,
                              tags={**request.tags, "dagster/run_key": request.run_key})
            print(f"run {run.run_id}: {'succeeded' if run.success else 'FAILED'} in {time.perf_counter() - started:.1f} s", flush=True)
            ok &= run.success
        if context.cursor is not None:
            cursor_file.write_text(context.cursor, encoding="utf-8")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cursor_file", type=Path)
    parser.add_argument("--seen", action="store_true", help="write the cursor of the folder as it is now and stop")
    args = parser.parse_args()
    from pipelines.runner import use_instance_environment

    use_instance_environment()  # as `make ui` starts the daemon and its runs
    if args.seen:
        from dagster import DagsterInstance

        from pipelines import settings
        from pipelines.defs.sensors import folder_stamps, registry_stamp
        from pipelines.folder_state import scan_folder
        from pipelines.folder_states import save_state

        folder = settings.sources_dir()
        with DagsterInstance.get() as instance:
            cursor = save_state(instance, {**folder_stamps(scan_folder(folder)), **registry_stamp(folder)}, None)
        args.cursor_file.write_text(cursor, encoding="utf-8")
        return 0
    return 0 if tick(args.cursor_file) else 1


if __name__ == "__main__":
    sys.exit(main())
