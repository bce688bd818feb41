"""The Dagster code location: it loads, its graph matches the reviewed snapshot, the automation works."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from dagster import AssetKey, DagsterInstance, Definitions, GraphDefinition, build_sensor_context

from pipelines.definitions import defs
from pipelines.defs.metadata import PREVIEW_UP_TO_PARTITIONS, run_metadata
from pipelines.defs.partitions import source_files
from pipelines.defs.sensors import folder_stamps, sources_changed
from pipelines.folder_state import scan_folder
from pipelines.folder_states import SLOT_KEY, load_state

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.json"


def _steps(node_def) -> dict | None:
    """The ops of a graph-backed asset, each with the ops it takes inputs from."""
    if not isinstance(node_def, GraphDefinition):
        return None
    structure = node_def.dependency_structure
    return {node.name: sorted({output.node_name for output in structure.all_upstream_outputs_from_node(node.name)})
            for node in sorted(node_def.nodes, key=lambda n: n.name)}


def definitions_snapshot() -> dict:
    """Everything a reviewer should see change: asset specs, checks, jobs (and where their steps run),
    schedules, sensors, partitions."""
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        policy = node.backfill_policy
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "partitions": getattr(node.partitions_def, "name", None) if node.partitions_def else None,
            "backfill_policy": None if policy is None else f"{policy.policy_type.value}:{policy.max_partitions_per_run}",
            "pools": sorted(node.pools),
            "automation": None if node.automation_condition is None else node.automation_condition.get_label() or type(node.automation_condition).__name__,
            "description": node.description,
            "steps": _steps(node.assets_def.node_def),
            "columns": [column.name for column in node.metadata["dagster/column_schema"].columns]
                       if "dagster/column_schema" in node.metadata else None,
        }
    checks = {}
    for key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(key)
        checks[f"{key.asset_key.to_user_string()}:{key.name}"] = {"blocking": spec.blocking}
    jobs = {}
    for job in defs.resolve_all_job_defs():
        if job.name.startswith("__"):
            continue
        jobs[job.name] = {"assets": sorted(k.to_user_string() for k in job.asset_layer.executable_asset_keys),
                          "tags": sorted(job.tags), "executor": job.executor_def.name}
    schedules = {s.name: {"cron": s.cron_schedule, "job": s.job_name, "default": s.default_status.value}
                 for s in defs.schedules}
    sensors = {s.name: {"jobs": sorted(j.name for j in s.jobs), "interval": s.minimum_interval_seconds,
                        "default": s.default_status.value} for s in defs.sensors}
    return {"assets": assets, "checks": checks, "jobs": jobs, "schedules": schedules, "sensors": sensors,
            "partitions": {source_files.name: type(source_files).__name__}}


def test_definitions_load_as_dagster_definitions_validate_does():
    Definitions.validate_loadable(defs)


def test_loading_the_code_location_leaves_its_objects_out_of_the_collectors_walks():
    """In a new process, as a run's or a code server's: what the import made is frozen, so the collector's
    full walks during a run go over the run's own objects only."""
    code = "import gc, pipelines.definitions\nprint(gc.get_freeze_count() > 50_000, len(gc.get_objects()) < 1_000)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split() == ["True", "True"]


def test_definitions_match_the_reviewed_snapshot():
    """FIGURES_UPDATE_SNAPSHOTS=1 pytest tests/test_definitions.py writes the snapshot again; the diff
    shows the graph change in review."""
    current = definitions_snapshot()
    if os.environ.get("FIGURES_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_writers_share_one_pool_and_per_document_work_is_per_file():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        name = key.to_user_string()
        assert node.pools == ({"duckdb_writer"} if name.startswith("warehouse/") else set())
        per_document = name not in ("warehouse/facts", "warehouse/conflicts", "warehouse/target_revisions",
                                    "warehouse/fact_timeline", "warehouse/consistency_warnings")
        assert (node.partitions_def == source_files) == per_document, name
        if per_document:
            assert node.backfill_policy.max_partitions_per_run is None  # a single run for many partitions


def test_schema_checks_are_blocking():
    graph = defs.resolve_asset_graph()
    checks = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}
    for table in ("documents", "document_versions", "claims", "quarantined_claims", "facts", "conflicts"):
        assert checks[f"{table}_match_schema"].blocking
    assert not checks["no_disputed_facts"].blocking


def _built(folder: Path, monkeypatch) -> None:
    """The folder's warehouse built, as the sensor finds it after a run: in a hidden folder of the
    sources, with the instance's storage (a place runs write may not be among the articles)."""
    from tests.conftest import build_warehouse

    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(folder))
    monkeypatch.setenv("FIGURES_WAREHOUSE", str(folder / ".built" / "w.duckdb"))
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(folder / ".built" / "storage"))
    assert build_warehouse(folder, folder / ".built" / "w.duckdb").success


def test_sensor_tick_on_a_new_a_changed_and_a_deleted_file(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Tesla a livré 384 122 véhicules au T2 2025.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("BYD sold 300,000 cars in Q2 2025.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance)
        first = sources_changed(context)
        added = [r for r in first.dynamic_partitions_requests]
        assert [sorted(r.partition_keys) for r in added] == [["a.txt", "b.txt", "c.txt"]]
        instance.add_dynamic_partitions(source_files.name, ["a.txt", "b.txt", "c.txt"])
        cursor = context.cursor
        assert set(load_state(instance, cursor)) == {"a.txt", "b.txt", "c.txt"}
        assert sources_changed(build_sensor_context(instance=instance, cursor=cursor)).skip_message

        (tmp_path / "d.md").write_text("Xiaomi delivered 40,000 cars.", encoding="utf-8")  # new
        (tmp_path / "b.txt").write_text("BYD sold 310,000 cars in Q2 2025.", encoding="utf-8")  # changed
        os.utime(tmp_path / "b.txt", ns=(1, 1))
        (tmp_path / "c.txt").unlink()  # deleted
        tick_context = build_sensor_context(instance=instance, cursor=cursor)
        tick = sources_changed(tick_context)
        requests = {type(r).__name__: sorted(r.partition_keys) for r in tick.dynamic_partitions_requests}
        assert requests == {"AddDynamicPartitionsRequest": ["d.md"], "DeleteDynamicPartitionsRequest": ["c.txt"]}
        (run,) = tick.run_requests
        assert run.tags["dagster/asset_partition_range_start"] == "b.txt"
        assert run.tags["dagster/asset_partition_range_end"] == "d.md"
        assert set(run.tags["figures/changed_files"].split(", ")) == {"b.txt", "c.txt", "d.md"}
        assert load_state(instance, tick_context.cursor)["b.txt"] == f"{(tmp_path / 'b.txt').stat().st_size}:1:{(tmp_path / 'b.txt').stat().st_ctime_ns}"
        # The same versions ask for the same run key: a version is loaded once.
        again = sources_changed(build_sensor_context(instance=instance, cursor=cursor))
        assert again.run_requests[0].run_key == run.run_key
        os.utime(tmp_path / "b.txt", ns=(2, 2))
        later = sources_changed(build_sensor_context(instance=instance, cursor=cursor))
        assert later.run_requests[0].run_key != run.run_key


def test_the_sensors_cursor_stays_small_whatever_the_folder_holds(tmp_path, monkeypatch):
    """Dagster writes the cursor into the record of every tick and keeps those records: with the stamp of
    each file in it, 10,000 files made every tick's record 700 KB. The cursor names the state, kept in
    the instance in one of two slots that take turns, so a tick whose cursor was not committed leaves the
    previous state whole; a cursor of the old form, holding the whole state, is still understood; a state
    gone compares the folder with an empty one."""
    for i in range(300):
        (tmp_path / f"article_{i:03d}.txt").write_text(f"NIO delivered {1000 + i} vehicles in Q2 2025.", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance)
        sources_changed(context)
        instance.add_dynamic_partitions(source_files.name, [f"article_{i:03d}.txt" for i in range(300)])
        first = context.cursor
        assert len(first) < 80 and json.loads(first)["stamps"] == 300
        assert load_state(instance, first) == folder_stamps(scan_folder(tmp_path))
        idle = build_sensor_context(instance=instance, cursor=first)
        assert sources_changed(idle).skip_message and idle.cursor == first

        cursors = [first]
        for k in range(3):
            (tmp_path / f"new_{k}.txt").write_text(f"BYD sold {300_000 + k} cars in Q2 2025.", encoding="utf-8")
            tick = build_sensor_context(instance=instance, cursor=cursors[-1])
            assert sources_changed(tick).run_requests
            cursors.append(tick.cursor)
        assert [json.loads(cursor)["slot"] for cursor in cursors] == [0, 1, 0, 1]
        assert set(load_state(instance, cursors[-2])) == set(load_state(instance, cursors[-1])) - {"new_2.txt"}
        # A tick from the last committed cursor whose own cursor Dagster never committed (it failed after).
        (tmp_path / "new_3.txt").write_text("BYD sold 1 car in Q2 2025.", encoding="utf-8")
        assert sources_changed(build_sensor_context(instance=instance, cursor=cursors[-1])).run_requests
        assert "new_2.txt" in load_state(instance, cursors[-1]) and "new_3.txt" not in load_state(instance, cursors[-1])

        whole = json.dumps(folder_stamps(scan_folder(tmp_path)))  # a cursor written before states were kept apart
        assert sources_changed(build_sensor_context(instance=instance, cursor=whole)).skip_message

        instance.run_storage.set_cursor_values({SLOT_KEY.format(1): "{}"})  # its state gone
        (run,) = sources_changed(build_sensor_context(instance=instance, cursor=cursors[-1])).run_requests
        assert (run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"]) == (
            "article_000.txt", "new_3.txt")
        for typed in ("", "not json", "[1, 2]"):  # a cursor set by hand in the UI
            assert sources_changed(build_sensor_context(instance=instance, cursor=typed or None)).run_requests


def test_files_far_apart_in_the_partitions_order_go_to_runs_of_their_own():
    """A run records a materialization for every partition of its range: one old file changed beside a
    new one would make a run over every partition between them."""
    from pipelines.defs.sensors import MAX_RUNS, MERGE_GAP, partition_blocks

    ordered = [f"k{i:05d}" for i in range(20 * MERGE_GAP)]
    k = ordered.__getitem__
    assert partition_blocks([k(0), k(1), k(MERGE_GAP + 1), k(-1)], ordered) == [[k(0), k(1), k(MERGE_GAP + 1)], [k(-1)]]
    far = [k(0), k(3 * MERGE_GAP), k(7 * MERGE_GAP), k(12 * MERGE_GAP), k(-1)]
    blocks = partition_blocks(far, ordered)
    assert len(blocks) == MAX_RUNS == 3
    assert blocks == [[k(0), k(3 * MERGE_GAP), k(7 * MERGE_GAP)], [k(12 * MERGE_GAP)], [k(-1)]]  # the closest joined first


def test_a_tick_asks_for_a_run_per_block_of_neighbouring_files(tmp_path, monkeypatch):
    from pipelines.defs import sensors

    for i in range(12):
        (tmp_path / f"article_{i:02d}.txt").write_text(f"NIO delivered {1000 + i} vehicles in Q2 2025.", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    monkeypatch.setattr(sensors, "MERGE_GAP", 3)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(source_files.name, [f"article_{i:02d}.txt" for i in range(12)])
        context = build_sensor_context(instance=instance)
        sources_changed(context)
        cursor = context.cursor  # the folder as built
        (tmp_path / "article_00.txt").write_text("NIO delivered 1,001 vehicles in Q2 2025.", encoding="utf-8")
        (tmp_path / "article_02.txt").write_text("NIO delivered 1,003 vehicles in Q2 2025.", encoding="utf-8")
        (tmp_path / "article_11.txt").unlink()
        (tmp_path / "new.txt").write_text("BYD sold 300,000 cars in Q2 2025.", encoding="utf-8")
        runs = sources_changed(build_sensor_context(instance=instance, cursor=cursor)).run_requests
        assert [(run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"],
                 run.tags["figures/changed_files"]) for run in runs] == [
            ("article_00.txt", "article_02.txt", "article_00.txt, article_02.txt, article_11.txt"),
            ("new.txt", "new.txt", "new.txt")]
        assert len({run.run_key for run in runs}) == 2


def test_a_file_still_being_written_is_left_for_a_later_tick(tmp_path, monkeypatch):
    """A file copied or downloaded into the folder as a tick looks would be read half-written (a truncated
    PDF rejected, half an article's figures loaded), then read again whole at the next tick."""
    (tmp_path / "a.txt").write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(source_files.name, ["a.txt"])
        context = build_sensor_context(instance=instance)
        sources_changed(context)
        cursor = context.cursor
        monkeypatch.setenv("FIGURES_SETTLE_SECONDS", "60")
        (tmp_path / "b.txt").write_text("BYD sold 300,000 cars", encoding="utf-8")  # arriving
        (tmp_path / "a.txt").write_text("NIO delivered 72,056 vehicles in Q2", encoding="utf-8")  # being rewritten
        waiting = build_sensor_context(instance=instance, cursor=cursor)
        result = sources_changed(waiting)
        assert "2 file(s) changed in the last 60 s, read once they settle" in result.skip_message
        assert load_state(instance, waiting.cursor) == load_state(instance, cursor)
        assert instance.get_dynamic_partitions(source_files.name) == ["a.txt"]

        (tmp_path / "c.txt").write_text("XPeng delivered 30,000 vehicles in Q2 2025.", encoding="utf-8")
        os.utime(tmp_path / "c.txt", ns=(1, 1))  # an old modification time does not make a file settled
        (tmp_path / "registry.yaml").write_text("documents:\n  - match: a.txt\n", encoding="utf-8")  # half saved
        assert "4 file(s)" in sources_changed(build_sensor_context(instance=instance, cursor=cursor)).skip_message

        monkeypatch.setenv("FIGURES_SETTLE_SECONDS", "0")  # as at a tick once they settled
        settled = build_sensor_context(instance=instance, cursor=cursor)
        tick = sources_changed(settled)
        (run,) = tick.run_requests
        assert run.tags["figures/changed_files"] == "a.txt, b.txt, c.txt, registry.yaml"
        assert [sorted(r.partition_keys) for r in tick.dynamic_partitions_requests] == [["b.txt", "c.txt"]]


def test_the_partition_of_a_deleted_file_stays_while_a_waiting_run_names_it(tmp_path, monkeypatch):
    """Dagster resolves a run's range as the run starts, and failed a queued run whose range ended at the
    partition of a file deleted meanwhile (a download renamed once complete)."""
    from dagster import DagsterRun, DagsterRunStatus
    from dagster._core.utils import make_new_run_id

    from pipelines.defs.sensors import partition_range_tags

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"NIO delivered {len(name) * 7} vehicles in Q2 2025 ({name}).", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(source_files.name, ["a.txt", "b.txt", "c.txt"])
        context = build_sensor_context(instance=instance)
        sources_changed(context)
        waiting = instance.add_run(DagsterRun(job_name="build_warehouse", run_id=make_new_run_id(),
                                              status=DagsterRunStatus.NOT_STARTED, tags=partition_range_tags(["b.txt"])))
        (tmp_path / "b.txt").unlink()
        (tmp_path / "c.txt").unlink()
        tick = build_sensor_context(instance=instance, cursor=context.cursor)
        result = sources_changed(tick)
        assert [list(r.partition_keys) for r in result.dynamic_partitions_requests] == [["c.txt"]]
        (run,) = result.run_requests  # drops both files' rows
        assert run.tags["figures/changed_files"] == "b.txt, c.txt"

        instance.report_run_canceled(waiting)
        (tmp_path / "d.txt").write_text("XPeng delivered 30,000 vehicles in Q2 2025.", encoding="utf-8")
        later = sources_changed(build_sensor_context(instance=instance, cursor=tick.cursor))
        assert {type(r).__name__: list(r.partition_keys) for r in later.dynamic_partitions_requests} == {
            "AddDynamicPartitionsRequest": ["d.txt"], "DeleteDynamicPartitionsRequest": ["b.txt", "c.txt"]}


def test_the_files_of_a_run_that_failed_go_with_the_next_run_the_sensor_asks_for(tmp_path, monkeypatch):
    """The cursor moves past the files of the run a tick asks for. When that run fails or is canceled,
    the warehouse still lacks them: the next change's run reads them too. Before, only `figures run` or
    the daily rebuild (off by default) would have."""
    (tmp_path / "a.txt").write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(source_files.name, ["a.txt"])
        cursor = json.dumps(folder_stamps(scan_folder(tmp_path)))
        assert sources_changed(build_sensor_context(instance=instance, cursor=cursor)).skip_message
        for name in ("b.txt", "c.txt"):
            (tmp_path / name).write_text(f"BYD sold 300,000 cars in Q2 2025 ({name}).", encoding="utf-8")
        context = build_sensor_context(instance=instance, cursor=cursor)
        (failed,) = sources_changed(context).run_requests  # its run fails: nothing is loaded
        assert (failed.tags["dagster/asset_partition_range_start"], failed.tags["dagster/asset_partition_range_end"]) == ("b.txt", "c.txt")
        instance.add_dynamic_partitions(source_files.name, ["b.txt", "c.txt"])
        (tmp_path / "d.txt").write_text("Li Auto delivered 108,000 vehicles in Q2 2025.", encoding="utf-8")
        (run,) = sources_changed(build_sensor_context(instance=instance, cursor=context.cursor)).run_requests
        assert (run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"]) == ("b.txt", "d.txt")
        assert run.tags["figures/changed_files"] == "b.txt, c.txt, d.txt" and run.run_key != failed.run_key


def test_an_edit_of_the_registry_alone_asks_for_a_run(tmp_path, monkeypatch):
    """The run it asks for reads again the files whose entry changed (pipelines.batch); the registry is
    in the cursor, and never a partition."""
    (tmp_path / "a.txt").write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    (tmp_path / "registry.yaml").write_text("documents:\n  - match: a.txt\n    tier: press\n", encoding="utf-8")
    _built(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance)
        (added,) = sources_changed(context).dynamic_partitions_requests
        assert list(added.partition_keys) == ["a.txt"]
        instance.add_dynamic_partitions(source_files.name, ["a.txt"])
        cursor = context.cursor
        assert sources_changed(build_sensor_context(instance=instance, cursor=cursor)).skip_message
        (tmp_path / "registry.yaml").write_text("documents:\n  - match: a.txt\n    tier: issuer\n", encoding="utf-8")
        tick = sources_changed(build_sensor_context(instance=instance, cursor=cursor))
        (run,) = tick.run_requests
        assert run.tags["figures/changed_files"] == "registry.yaml" and not tick.dynamic_partitions_requests
        assert run.tags["dagster/asset_partition_range_start"] == run.tags["dagster/asset_partition_range_end"] == "a.txt"


def test_a_missing_sources_folder_is_not_an_empty_one_to_the_sensor_or_the_schedule(tmp_path, monkeypatch):
    """Taken for empty, it would remove every partition and ask for a run that empties the warehouse."""
    from dagster import build_schedule_context

    from pipelines.defs.schedules import daily_build

    (tmp_path / "a.txt").write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(tmp_path / "unmounted"))
    with DagsterInstance.local_temp(str(tmp_path)) as instance:  # a schedule's context needs its ref
        instance.add_dynamic_partitions(source_files.name, ["a.txt"])
        cursor = json.dumps(folder_stamps(scan_folder(tmp_path)))
        context = build_sensor_context(instance=instance, cursor=cursor)
        result = sources_changed(context)
        assert "sources folder" in result.skip_message and "does not exist" in result.skip_message
        assert context.cursor == cursor and instance.get_dynamic_partitions(source_files.name) == ["a.txt"]
        assert "does not exist" in daily_build(build_schedule_context(instance=instance)).skip_message


def test_the_sensor_and_the_schedule_skip_while_runs_would_write_into_the_sources_folder(tmp_path, monkeypatch):
    """A run would read its own storage as articles, and change the folder it watches: a run at every tick."""
    from dagster import build_schedule_context

    from pipelines.defs.schedules import daily_build

    (tmp_path / "a.txt").write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(tmp_path))
    monkeypatch.setenv("FIGURES_WAREHOUSE", str(tmp_path / ".w" / "w.duckdb"))
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(tmp_path / "storage"))
    (tmp_path / ".home").mkdir()
    with DagsterInstance.local_temp(str(tmp_path / ".home")) as instance:
        context = build_sensor_context(instance=instance)
        result = sources_changed(context)
        assert f"FIGURES_DAGSTER_STORAGE ({tmp_path / 'storage'}) is inside the sources folder" in result.skip_message
        assert context.cursor is None and not instance.get_dynamic_partitions(source_files.name)
        assert "is inside the sources folder" in daily_build(build_schedule_context(instance=instance)).skip_message


def test_the_sensor_asks_once_for_every_file_again_when_the_warehouse_holds_claims_of_another_extractor(tmp_path, monkeypatch):
    import duckdb

    from pipelines.defs.assets import REBUILD_TAG
    from pipelines.extractor_version import extractor_version

    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(tmp_path / "sources"))
    monkeypatch.setenv("FIGURES_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(tmp_path / "storage"))
    (tmp_path / "sources").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "sources" / name).write_text("NIO delivered 72,056 vehicles in Q2 2025.", encoding="utf-8")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:  # what the sensor reads of the warehouse
        con.execute("CREATE TABLE claims (extractor_version VARCHAR)")
        con.execute("INSERT INTO claims VALUES ('0.9')")
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(source_files.name, ["a.txt", "b.txt"])
        cursor = json.dumps(folder_stamps(scan_folder(tmp_path / "sources")))
        (run,) = sources_changed(build_sensor_context(instance=instance, cursor=cursor)).run_requests  # no file changed
        assert run.run_key == f"extractor {extractor_version()}" and run.tags[REBUILD_TAG] == "true"
        assert (run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"]) == ("a.txt", "b.txt")
        with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
            con.execute("UPDATE claims SET extractor_version = ?", [extractor_version()])
        assert sources_changed(build_sensor_context(instance=instance, cursor=cursor)).skip_message


def test_schema_check_fails_on_a_bad_row(seed_warehouse, tmp_path):
    import shutil

    import duckdb

    from pipelines.defs.checks import schema_result

    database = tmp_path / "copy.duckdb"
    shutil.copy(seed_warehouse, database)

    def check(table: str, whole: bool):
        with duckdb.connect(str(database), read_only=True) as con:
            return schema_result(table, con, whole)

    assert check("facts", whole=False).passed and check("documents", whole=True).passed
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE facts SET status = 'probably' WHERE metric = 'deliveries'")
        # a rule across columns: a rejected file must say why
        con.execute("UPDATE documents SET status = 'rejected', error = NULL WHERE document_id = (SELECT min(document_id) FROM documents)")
    # every run checks each column's rules, in DuckDB
    result = check("facts", whole=False)
    assert not result.passed
    shown = result.metadata["first failures"].value
    assert "status" in shown and "probably" in shown
    # the rules across columns of a row: on a full rebuild
    assert check("documents", whole=False).passed
    result = check("documents", whole=True)
    assert not result.passed and "rejected_has_error" in result.metadata["first failures"].value


def test_column_rules_in_sql_find_what_pandera_finds(seed_warehouse):
    """The SQL translation of a schema's column rules fails the same columns as Pandera does."""
    import duckdb

    from schemas import TABLE_SCHEMAS, validation_failures
    from schemas.sql_checks import sql_failures

    with duckdb.connect(str(seed_warehouse), read_only=True) as con:
        claims = con.execute("SELECT * FROM claims").df()
        con.execute("CREATE TEMP TABLE bad AS SELECT * FROM claims")
        con.execute("""UPDATE bad SET kind = 'rumour', period = '2025-Q5', entity = '', start = -1, document_id = 'XYZ'
                       WHERE claim_id = (SELECT min(claim_id) FROM bad)""")
        con.execute("INSERT INTO bad SELECT * FROM claims ORDER BY claim_id DESC LIMIT 1")  # an id twice
        in_sql = sql_failures(con, "bad", TABLE_SCHEMAS["claims"])
        bad = con.execute("SELECT * FROM bad").df()
    assert validation_failures(TABLE_SCHEMAS["claims"], claims).empty
    in_pandas = validation_failures(TABLE_SCHEMAS["claims"], bad)
    column_rules = in_pandas[in_pandas["schema_context"] == "Column"]
    assert set(in_sql["column"]) == set(column_rules["column"]) == {"kind", "period", "entity", "start", "document_id", "claim_id"}
    assert (in_sql["failures"] == 1).all() and "field_uniqueness" in set(in_sql["check"])


def test_nulls_are_looked_for_only_where_the_table_does_not_refuse_them(seed_warehouse, tmp_path):
    """A column the table declares NOT NULL cannot hold a null (DuckDB refuses it): its not-null rule is
    not scanned for. A table without the declaration is scanned, and its nulls are found."""
    import shutil

    import duckdb

    from schemas import TABLE_SCHEMAS
    from schemas.sql_checks import column_rules, rules_to_scan, sql_failures

    model = TABLE_SCHEMAS["conflicts"]
    copy = tmp_path / "copy.duckdb"
    shutil.copy(seed_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        scanned = rules_to_scan(con, "conflicts", model)
        assert ("candidates", "not_nullable") not in {rule[:2] for rule in scanned}
        assert {rule for rule in column_rules(model) if rule[1] != "not_nullable"} <= set(scanned)  # the others still are
        with pytest.raises(duckdb.ConstraintException):
            con.execute("UPDATE conflicts SET candidates = NULL")
        con.execute("CREATE TABLE loose AS SELECT * FROM conflicts")  # no NOT NULL declared
        con.execute("UPDATE loose SET candidates = NULL WHERE conflict_id = (SELECT min(conflict_id) FROM loose)")
        failures = sql_failures(con, "loose", model)
    assert failures[["column", "check", "failures"]].values.tolist() == [["candidates", "not_nullable", 1]]


def test_a_key_of_two_columns_held_twice_fails_the_schema_check(seed_warehouse):
    """The timeline's key is (fact_id, step): one fact has many steps, but each step once."""
    import duckdb

    from schemas import TABLE_SCHEMAS, validation_failures
    from schemas.sql_checks import sql_failures

    with duckdb.connect(str(seed_warehouse), read_only=True) as con:
        con.execute("CREATE TEMP TABLE timeline AS SELECT * FROM fact_timeline")
        assert sql_failures(con, "timeline", TABLE_SCHEMAS["fact_timeline"]).empty
        con.execute("INSERT INTO timeline SELECT * FROM fact_timeline ORDER BY fact_id, step LIMIT 1")
        in_sql = sql_failures(con, "timeline", TABLE_SCHEMAS["fact_timeline"])
        bad = con.execute("SELECT * FROM timeline").df()
    assert list(in_sql["check"]) == ["multiple_fields_uniqueness"] and list(in_sql["column"]) == ["fact_id, step"]
    assert in_sql["failures"].tolist() == [1]
    assert "multiple_fields_uniqueness" in set(validation_failures(TABLE_SCHEMAS["fact_timeline"], bad)["check"].astype(str))


def test_asset_keys_read_like_the_pipeline():
    graph = defs.resolve_asset_graph()
    upstream = lambda name: {k.to_user_string() for k in graph.get(AssetKey.from_user_string(name)).parent_keys}  # noqa: E731
    # per file, the steps of one asset: read and extract, validate, then load in the writer's pool
    steps = _steps(graph.get(AssetKey.from_user_string("warehouse/documents")).assets_def.node_def)
    assert steps == {"read_and_extract": [], "validate": ["read_and_extract"], "load_documents": ["read_and_extract", "validate"]}
    assert upstream("warehouse/facts") == {"warehouse/documents"}
    # one per-file asset for the four tables a file's rows go to: Dagster writes an event per asset and
    # partition, so a backfill of 10,000 files writes 10,000 of them, not 40,000
    partitioned = [spec.key.to_user_string() for spec in defs.resolve_all_asset_specs() if spec.partitions_def is not None]
    assert partitioned == ["warehouse/documents"]
    columns = graph.get(AssetKey.from_user_string("warehouse/documents")).metadata
    assert {"claims columns", "quarantined_claims columns", "document_versions columns"} <= set(columns)


def test_a_backfill_of_thousands_of_files_writes_no_preview_per_partition():
    loaded = pd.DataFrame({"entity": ["BYD", "NIO"], "value": [1.0, 2.0]})
    few = run_metadata(40, loaded, partitions=2)
    assert few["rows loaded by this run"] == 2 and "BYD" in few["preview"].value
    many = run_metadata(40, loaded, partitions=PREVIEW_UP_TO_PARTITIONS + 1)
    assert many == {"dagster/row_count": 40, "rows loaded by this run": 2}


def test_a_backfill_of_many_files_logs_the_runs_figures_once_instead_of_in_every_partition(tmp_path, monkeypatch):
    from dagster import AssetKey, DagsterInstance

    from pipelines.defs import assets, metadata
    from tests.conftest import build_warehouse

    monkeypatch.setattr(assets, "PREVIEW_UP_TO_PARTITIONS", 2)  # three files are "many"
    monkeypatch.setattr(metadata, "PREVIEW_UP_TO_PARTITIONS", 2)
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("NIO", "XPeng", "Zeekr"):
        (sources / f"{name}.txt").write_text(f"{name} delivered 72,056 vehicles in the second quarter of 2025.", encoding="utf-8")
    database = tmp_path / "w.duckdb"
    result = build_warehouse(sources, database)
    with DagsterInstance.local_temp(str(database.with_name(database.name + ".dagster"))) as instance:
        event = instance.get_latest_materialization_event(AssetKey(["warehouse", "documents"]))
        logged = [entry.user_message for entry in instance.all_logs(result.run_id) if entry.user_message.startswith("loaded: ")]
    assert event.asset_materialization.metadata.keys() == {"dagster/row_count", "rows loaded by this run"}
    assert len(logged) == 1 and "claims rows 3" in logged[0] and "groups to reconcile 3" in logged[0]


def test_the_checks_of_a_warehouse_step_are_one_step_and_each_runs_alone(seed_warehouse, tmp_path):
    """Each check step costs a run Dagster's events and a connection: the checks of the document tables
    are one step, those of the fact tables another; a check chosen alone (as from the UI) runs alone."""
    import shutil

    from dagster import AssetCheckKey, DagsterInstance
    from dagster_duckdb import DuckDBResource

    from pipelines.definitions import build_definitions
    from pipelines.defs.checks import ALL_CHECKS
    from pipelines.defs.resources import default_resources

    assert [checks.node_def.name for checks in ALL_CHECKS] == ["document_table_checks", "fact_table_checks"]
    database = tmp_path / "copy.duckdb"
    shutil.copy(seed_warehouse, database)
    resources = {**default_resources(), "warehouse": DuckDBResource(database=str(database))}
    job = build_definitions(resources).resolve_implicit_global_asset_job_def()
    alone = AssetCheckKey(AssetKey(["warehouse", "facts"]), "facts_match_schema")
    with DagsterInstance.ephemeral() as instance:
        result = job.get_subset(asset_selection=set(), asset_check_selection={alone}).execute_in_process(instance=instance)
    assert result.success
    assert [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()] == [("facts_match_schema", True)]
