"""Runs as engineers start them: `figures run` processes side by side, killed, or next to an analyst's
open connection. Each test uses a folder of a few short articles."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.runner import slot_holders
from pipelines.settings import PROJECT_ROOT

from .servers import requires_e2e, tool

FIGURES = [sys.executable, "-m", "pipelines.cli"]
ARTICLES = {
    "nio.txt": "NIO delivered 72,056 vehicles in the second quarter of 2025, the company said.",
    "li.txt": "Li Auto delivered 111,074 vehicles in the second quarter of 2025, the company said.",
    "xpeng.txt": "XPeng delivered 103,181 vehicles in the second quarter of 2025, the company said.",
    "nio copy.txt": "NIO delivered 72,056 vehicles in the second quarter of 2025, the company said.",
    "nio wire.txt": "NIO delivered about 72,000 vehicles in the second quarter of 2025, a report said.",
}


def make_folder(path: Path, articles: dict[str, str] = ARTICLES) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def environment(home: Path, folder: Path, warehouse: Path, **extra) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home), "FIGURES_DAGSTER_STORAGE": str(home / "storage"),
            "FIGURES_WAREHOUSE": str(warehouse), "FIGURES_SOURCES_DIR": str(folder), **extra}


def create_instance(env: dict) -> None:
    """The instance's storage, created once before runs share it (as `make ui` or an earlier run does:
    two processes creating a new instance's SQLite files at the same moment race in Dagster itself)."""
    subprocess.run([sys.executable, "-c", "from dagster import DagsterInstance; DagsterInstance.get().get_runs()"],
                   env=env, check=True, timeout=120)


def start(env: dict) -> subprocess.Popen:
    return subprocess.Popen([*FIGURES, "run"], env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, out + err
    return out + err


def tables(warehouse: Path) -> dict:
    """The current tables, without load times (which differ between builds)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "documents": rows("SELECT document_id, path, paths, status, n_claims FROM documents ORDER BY document_id"),
            "claims": rows("SELECT claim_id, document_id, entity, metric, period, value FROM claims ORDER BY claim_id"),
            "facts": rows("SELECT fact_id, value, status, rule, chosen_claim_id, n_claims, n_sources FROM facts ORDER BY fact_id"),
            "conflicts": rows("SELECT conflict_id, classification, claim_ids FROM conflicts ORDER BY conflict_id"),
            "versions": rows("SELECT path, document_id, current FROM document_versions ORDER BY path, document_id"),
            "whole": rows("""SELECT (SELECT count(*) FROM claims WHERE document_id NOT IN (SELECT document_id FROM documents)),
                                    (SELECT count(*) FROM facts WHERE chosen_claim_id NOT IN (SELECT claim_id FROM claims))"""),
        }


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory) -> dict:
    """The tables of one uninterrupted build of ARTICLES."""
    base = tmp_path_factory.mktemp("clean")
    finish(start(environment(base / "home", make_folder(base / "articles"), base / "w.duckdb")))
    built = tables(base / "w.duckdb")
    assert built["whole"] == [(0, 0)] and len(built["documents"]) == 4
    return built


def test_a_backfill_of_many_partitions_is_one_run_on_every_core(tmp_path, monkeypatch):
    names = ["Alder", "Birch", "Cedar", "Dune", "Elm", "Fir", "Grove", "Heath", "Iris", "Juniper", "Kestrel", "Larch"]
    articles = {f"article_{i:02d}.txt": f"{name} Motors Inc. delivered {1000 + i:,} vehicles in 2025." for i, name in enumerate(names)}
    env = environment(tmp_path / "home", make_folder(tmp_path / "articles", articles), tmp_path / "w.duckdb",
                      FIGURES_PARALLEL_FROM="2", FIGURES_WORKERS="2", FIGURES_RECONCILE_PARALLEL_FROM="2")
    output = finish(start(env))
    assert "files read and extracted: 12/12" in output
    from dagster import AssetKey, DagsterInstance

    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", env["FIGURES_DAGSTER_STORAGE"])
    with DagsterInstance.from_config(str(tmp_path / "home")) as instance:
        runs = instance.get_runs()
        assert len(runs) == 1
        assert runs[0].tags["dagster/asset_partition_range_start"] == "article_00.txt"
        assert runs[0].tags["dagster/asset_partition_range_end"] == "article_11.txt"
        keys = instance.get_dynamic_partitions("source_files")
        assert len(keys) == 12
        # every file's partition of the per-file asset is materialized, as the UI shows it
        documents = AssetKey(["warehouse", "documents"])
        assert instance.get_materialized_partitions(documents) == set(keys)
        latest = instance.get_latest_materialization_event(documents)
        assert latest.run_id == runs[0].run_id
        # each partition says what the run loaded into each table, with previews (a run of a dozen files)
        metadata = latest.asset_materialization.metadata
        assert metadata["rows loaded by this run"].value == 12 and "article_00.txt" in metadata["preview"].value
        assert metadata["claims rows loaded by this run"].value == metadata["claims rows"].value == 12
        assert "Alder" in metadata["claims preview"].value
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (12,)
        # the twelve companies' facts, reconciled by this process and a worker
        assert con.execute("SELECT entity, value FROM facts ORDER BY entity").fetchall() == [
            (name, 1000 + i) for i, name in enumerate(names)]


SENSOR_TICK = [sys.executable, str(PROJECT_ROOT / "benchmarks" / "sensor_run.py")]


def test_a_sensor_tick_and_its_run_as_the_daemon_carries_them_out(tmp_path, monkeypatch):
    """After a build, a file added, one changed and one deleted: the sensor's tick asks for one run, which
    runs with the job's own executor, every step in the run's process, and leaves the tables a build of
    the folder as it now is leaves."""
    folder = make_folder(tmp_path / "articles")
    env = environment(tmp_path / "home", folder, tmp_path / "w.duckdb")
    finish(start(env))
    cursor = tmp_path / "cursor"
    subprocess.run([*SENSOR_TICK, str(cursor), "--seen"], env=env, cwd=PROJECT_ROOT, check=True, timeout=120)
    (folder / "zeekr.txt").write_text("Zeekr delivered 16,977 vehicles in the second quarter of 2025.", encoding="utf-8")
    (folder / "li.txt").write_text("Li Auto delivered 108,000 vehicles in the second quarter of 2025.", encoding="utf-8")
    (folder / "xpeng.txt").unlink()
    tick = subprocess.run([*SENSOR_TICK, str(cursor)], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    assert tick.returncode == 0 and tick.stdout.count("succeeded") == 1, tick.stdout + tick.stderr

    clean = tmp_path / "clean"
    finish(start(environment(clean / "home", folder, clean / "w.duckdb")))
    after_tick, built = tables(tmp_path / "w.duckdb"), tables(clean / "w.duckdb")
    history = after_tick.pop("versions")  # the tick's warehouse also remembers what the files held before
    assert [row for row in history if row[2]] == built.pop("versions")
    assert {row[0] for row in history if not row[2]} == {"li.txt", "xpeng.txt"}
    assert after_tick == built
    paths = {row[1] for row in after_tick["documents"]}
    assert "zeekr.txt" in paths and "xpeng.txt" not in paths
    assert ("Li Auto", 108000.0) in {(row[2], row[5]) for row in after_tick["claims"]}
    from dagster import DagsterInstance, DagsterEventType

    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", env["FIGURES_DAGSTER_STORAGE"])
    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        launched = instance.get_runs()[0]  # the newest
        assert launched.tags["figures/changed_files"]
        starts = instance.all_logs(launched.run_id, of_type=DagsterEventType.STEP_START)
        (run_start,) = instance.all_logs(launched.run_id, of_type=DagsterEventType.RUN_START)
        assert len(starts) == 6 and {entry.dagster_event.pid for entry in starts} == {run_start.dagster_event.pid}
    again = subprocess.run([*SENSOR_TICK, str(cursor)], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert "no run: no file added, changed or removed" in again.stdout
    # Nobody removes a launched run's results when it ends: the next run does, as it succeeded.
    results = Path(env["FIGURES_DAGSTER_STORAGE"], "runs")
    assert [path.name for path in results.iterdir()] == [launched.run_id]
    finish(start(env))
    assert list(results.iterdir()) == []


def test_an_edited_lexicon_makes_the_next_run_read_every_file_again(tmp_path):
    """A company added to FIGURES_LEXICON_DIR finds figures in files already read: their claims were
    another extractor's. The run says so, and its tables are a whole build's with that lexicon."""
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    articles = {**ARTICLES, "acme.txt": "Acme Motors delivered 12,000 vehicles in the second quarter of 2025."}
    folder = make_folder(tmp_path / "articles", articles)
    env = environment(tmp_path / "home", folder, tmp_path / "w.duckdb", FIGURES_LEXICON_DIR=str(lexicon))
    finish(start(env))
    assert "Acme Motors" not in {row[2] for row in tables(tmp_path / "w.duckdb")["claims"]}
    (lexicon / "entities.yaml").write_text("companies:\n  Acme Motors: {aliases: [Acme, \"Acme Motors\"]}\n", encoding="utf-8")
    output = finish(start(env))
    assert "every file is read again" in output and f"files read and extracted: {len(articles)}/{len(articles)}" in output
    edited = tables(tmp_path / "w.duckdb")
    assert ("Acme Motors", "deliveries", "2025-Q2", 12_000) in {row[2:] for row in edited["claims"]}
    whole = environment(tmp_path / "whole", folder, tmp_path / "whole.duckdb", FIGURES_LEXICON_DIR=str(lexicon))
    finish(start(whole))
    assert edited == tables(tmp_path / "whole.duckdb")
    assert "files read and extracted: 0/0" in finish(start(env))  # then read once, as any content


def test_runs_on_two_warehouses_side_by_side_stay_apart(tmp_path):
    """One instance (as the UI, the sensor and `figures run` share it), two folders, two warehouses."""
    home = tmp_path / "home"
    a = make_folder(tmp_path / "a", {"nio.txt": ARTICLES["nio.txt"]})
    b = make_folder(tmp_path / "b", {"li.txt": ARTICLES["li.txt"], "xpeng.txt": ARTICLES["xpeng.txt"]})
    create_instance(environment(home, a, tmp_path / "a.duckdb"))
    first = start(environment(home, a, tmp_path / "a.duckdb"))
    second = start(environment(home, b, tmp_path / "b.duckdb"))
    finish(first), finish(second)
    assert [row[1] for row in tables(tmp_path / "a.duckdb")["documents"]] == ["nio.txt"]
    assert sorted(row[1] for row in tables(tmp_path / "b.duckdb")["documents"]) == ["li.txt", "xpeng.txt"]


def test_a_run_in_an_instance_without_the_projects_settings_says_what_it_lacks(tmp_path, clean_build):
    """A DAGSTER_HOME of the user's own, without the project's dagster.yaml (Dagster's defaults): the run
    builds the warehouse, and says what the instance lacks and what to do; in the project's, it says nothing."""
    home, folder = tmp_path / "own-home", make_folder(tmp_path / "articles")
    home.mkdir()
    env = {**environment(tmp_path / "home", folder, tmp_path / "w.duckdb"), "DAGSTER_HOME": str(home)}
    said = finish(start(env))
    assert f"the Dagster instance in {home} lacks what the project's dagster.yaml sets" in said
    assert "pool duckdb_writer has no limit" in said and "no run monitoring" in said and "Copy dagster.yaml there" in said
    assert tables(tmp_path / "w.duckdb") == clean_build
    assert "lacks what the project's dagster.yaml sets" not in finish(start(environment(tmp_path / "home", folder, tmp_path / "w2.duckdb")))


def test_two_runs_on_one_warehouse_both_succeed_and_leave_one_build(tmp_path, clean_build):
    env = environment(tmp_path / "home", make_folder(tmp_path / "articles"), tmp_path / "w.duckdb")
    create_instance(env)
    first, second = start(env), start(env)
    finish(first), finish(second)
    assert tables(tmp_path / "w.duckdb") == clean_build


def test_a_finished_run_leaves_what_it_wrote_closed(tmp_path, clean_build):
    """Its process ends without finalizing what is still in memory (pipelines.memory): every file the run
    wrote was closed before. No DuckDB file is left with a log to replay, and the instance has the run."""
    env = environment(tmp_path / "home", make_folder(tmp_path / "articles"), tmp_path / "w.duckdb")
    finish(start(env))
    assert sorted(path.name for path in tmp_path.rglob("*.duckdb")) == ["shingles.duckdb", "w.duckdb", "w.writer.duckdb"]
    assert list(tmp_path.rglob("*.wal")) == []
    assert tables(tmp_path / "w.duckdb") == clean_build
    runs = subprocess.run([sys.executable, "-c", "from dagster import DagsterInstance\n"
                           "print([run.status.value for run in DagsterInstance.get().get_runs()])"],
                          env=env, capture_output=True, text=True, check=True, timeout=120)
    assert runs.stdout.strip() == "['SUCCESS']"


def test_a_process_of_the_project_exits_without_collecting_but_runs_its_exit_handlers():
    """What skip_collection_at_exit changes, seen from an exit handler registered before it (handlers run
    last registered first): the collector's objects are frozen by then, and the exit code is kept."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, flush=True))\n"
            "import pipelines\n"
            "sys.exit(3)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (3, "frozen True\n")


def test_a_run_killed_while_loading_then_rerun_gives_a_clean_build(tmp_path, clean_build):
    folder = make_folder(tmp_path / "articles")
    env = environment(tmp_path / "home", folder, tmp_path / "w.duckdb")
    marker = tmp_path / "holding"
    killed = start({**env, "FIGURES_HOLD_LOAD": str(marker)})
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert killed.poll() is None, killed.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    os.killpg(killed.pid, signal.SIGKILL)  # the run and its workers, as an OOM kill or a lost machine would
    killed.wait()
    if (tmp_path / "w.duckdb").exists():  # whatever was published before is whole
        assert tables(tmp_path / "w.duckdb")["whole"] == [(0, 0)]
    output = finish(start(env))  # does not wait for the dead run's pool slot or lock
    assert "marked failed, its slots freed" in output
    assert tables(tmp_path / "w.duckdb") == clean_build
    # The daemon runs again a launched run whose process died, not a `figures run`: the run that found it
    # dead did its work.
    runs = subprocess.run([sys.executable, "-c", "from dagster import DagsterInstance\n"
                           "print(sorted((run.status.value, run.tags.get('dagster/will_retry')) for run in DagsterInstance.get().get_runs()))"],
                          env=env, capture_output=True, text=True, check=True, timeout=120)
    assert runs.stdout.strip() == "[('FAILURE', 'false'), ('SUCCESS', None)]"


def test_a_run_next_to_an_open_analyst_connection(tmp_path):
    folder = make_folder(tmp_path / "articles", {"nio.txt": ARTICLES["nio.txt"]})
    warehouse = tmp_path / "w.duckdb"
    env = environment(tmp_path / "home", folder, warehouse)
    finish(start(env))
    analyst = subprocess.Popen(
        [sys.executable, "-c", (
            "import duckdb, sys\n"
            f"con = duckdb.connect({str(warehouse)!r}, read_only=True)\n"
            "print(con.execute('SELECT count(*) FROM documents').fetchone()[0], flush=True)\n"
            "sys.stdin.readline()\n"
            "print(con.execute('SELECT count(*) FROM documents').fetchone()[0], flush=True)\n")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert analyst.stdout.readline().strip() == "1"
    (folder / "li.txt").write_text(ARTICLES["li.txt"], encoding="utf-8")
    started = time.monotonic()
    output = finish(start(env))
    assert "documents  loaded 2" in output and time.monotonic() - started < 60
    out, _ = analyst.communicate("\n", timeout=30)
    assert out.strip() == "1"  # the analyst still reads the snapshot it opened
    with duckdb.connect(str(warehouse), read_only=True) as con:  # a new connection sees the new build
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def wait_for(marker: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_sigterm_stops_a_run_cleanly_and_releases_what_it_holds(tmp_path, clean_build, monkeypatch):
    env = environment(tmp_path / "home", make_folder(tmp_path / "articles"), tmp_path / "w.duckdb")
    marker = tmp_path / "holding"
    stopped = start({**env, "FIGURES_HOLD_LOAD": str(marker)})
    wait_for(marker, stopped)
    stopped.send_signal(signal.SIGTERM)  # as a scheduler, a container stop or Ctrl-C would
    out, err = stopped.communicate(timeout=60)
    assert stopped.returncode == 130 and "stopped" in err and "keeps its last complete load" in err, out + err
    from dagster import DagsterInstance, DagsterRunStatus

    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", env["FIGURES_DAGSTER_STORAGE"])
    with DagsterInstance.from_config(str(tmp_path / "home")) as instance:
        (run,) = instance.get_runs()
        assert run.status in (DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED)
        assert not instance.event_log_storage.get_concurrency_info("duckdb_writer").claimed_slots
    # nothing was left to reclaim: the next run neither waits nor cleans up after the stopped one
    output = finish(start(env))
    assert "marked failed" not in output and "waiting for" not in output
    assert tables(tmp_path / "w.duckdb") == clean_build


def test_a_run_that_waits_for_another_says_what_it_waits_for(tmp_path, clean_build):
    """Two instances (two teams' UIs, say) on one warehouse: the second run waits for the first's write
    lock, says whose, and then loads."""
    folder = make_folder(tmp_path / "articles")
    first_env = environment(tmp_path / "home-a", folder, tmp_path / "w.duckdb")
    marker = tmp_path / "holding"
    first = start({**first_env, "FIGURES_HOLD_LOAD": str(marker)})
    wait_for(marker, first)
    second = start(environment(tmp_path / "home-b", folder, tmp_path / "w.duckdb"))
    deadline, said = time.monotonic() + 120, ""
    while "waiting for the write lock" not in said and time.monotonic() < deadline:
        said += second.stderr.readline()
    assert f"held by pid {first.pid}" in said, said
    assert second.poll() is None  # still waiting, not failed
    marker.unlink()  # the first run goes on
    finish(first), finish(second)
    assert tables(tmp_path / "w.duckdb") == clean_build


def _sync_at_once(home: str, keys: list[str], go, done) -> None:
    """In its own process: wait for the signal, then add the folder's partitions as a run does."""
    os.environ.update(DAGSTER_HOME=home, FIGURES_DAGSTER_STORAGE=str(Path(home) / "storage"))
    from dagster import DagsterInstance

    from pipelines.defs.sensors import sync_partitions

    with DagsterInstance.get() as instance:
        go.wait()
        try:
            done.put(len(sync_partitions(instance, {key: None for key in keys})))
        except Exception as exc:  # reported to the test, which names it
            done.put(f"{type(exc).__name__}: {exc}"[:300])


def test_runs_that_find_the_same_new_files_at_once_both_add_their_partitions(tmp_path):
    """Two runs started together on one instance both find the folder's new files and add their
    partitions at the same moment; neither fails on the other's rows."""
    import multiprocessing

    env = environment(tmp_path / "home", make_folder(tmp_path / "articles"), tmp_path / "w.duckdb")
    create_instance(env)
    context = multiprocessing.get_context("spawn")
    for round_ in range(3):
        keys = [f"round{round_}/article_{i:04d}.txt" for i in range(400)]
        go, done = context.Event(), context.Queue()
        processes = [context.Process(target=_sync_at_once, args=(env["DAGSTER_HOME"], keys, go, done)) for _ in range(4)]
        for process in processes:
            process.start()
        time.sleep(2)  # every process has opened the instance
        go.set()
        results = [done.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        assert results == [len(keys)] * len(processes), results


@requires_e2e
def test_a_launched_run_that_died_with_its_machine_is_failed_freed_and_run_again(tmp_path, clean_build, monkeypatch):
    """As after a lost machine: the daemon, the code location's server and the run they launched, killed
    together while the run holds the writers' slot. A daemon started again finds the run's process gone
    (run monitoring, pipelines.run_launcher), marks the run failed, frees its slot and runs it again, and
    the tables are a clean build's. Without the check, the run stayed started for ever and every later
    run of the warehouse waited behind it."""
    from dagster import DagsterInstance, RunsFilter

    from pipelines.defs.sensors import partition_range_tags, sync_partitions
    from pipelines.folder_state import scan_folder

    folder = make_folder(tmp_path / "articles")
    env = environment(tmp_path / "home", folder, tmp_path / "w.duckdb")
    config = tmp_path / "home" / "dagster.yaml"  # monitoring every second, slots freed a second after
    config.write_text(config.read_text(encoding="utf-8").replace("poll_interval_seconds: 30", "poll_interval_seconds: 1")
                      .replace("free_slots_after_run_end_seconds: 30", "free_slots_after_run_end_seconds: 1"), encoding="utf-8")
    create_instance(env)
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", env["FIGURES_DAGSTER_STORAGE"])
    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        keys = sync_partitions(instance, scan_folder(folder))
    daemon = [tool("dagster-daemon"), "run", "-m", "pipelines.definitions"]
    marker, log = tmp_path / "holding", open(tmp_path / "daemon.log", "w")
    first = subprocess.Popen(daemon, env={**env, "FIGURES_HOLD_LOAD": str(marker)}, cwd=PROJECT_ROOT, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        subprocess.run([tool("dagster"), "job", "launch", "-m", "pipelines.definitions", "-j", "build_warehouse",
                        "--tags", json.dumps(partition_range_tags(keys))], env=env, cwd=PROJECT_ROOT, check=True,
                       capture_output=True, timeout=180)
        wait_for(marker, first, timeout=240)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the daemon, the server and the run, at once
        first.wait()
    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        (dead,) = instance.get_runs()
        assert dead.status.value == "STARTED" and slot_holders(instance, "duckdb_writer") == [dead.run_id]
    second = subprocess.Popen(daemon, env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
            while not any(run.status.value == "SUCCESS" for run in instance.get_runs(RunsFilter(tags={"dagster/root_run_id": dead.run_id}))):
                assert time.monotonic() < deadline, (tmp_path / "daemon.log").read_text(encoding="utf-8")[-3000:]
                time.sleep(1)
            assert instance.get_run_by_id(dead.run_id).status.value == "FAILURE"
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()
        log.close()
    assert tables(tmp_path / "w.duckdb") == clean_build
