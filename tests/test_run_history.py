"""Old runs go once later runs hold what they materialized, and take their disk space with them."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from dagster import AssetKey, DagsterInstance, DagsterRun, DagsterRunStatus, StaticPartitionsDefinition, asset, materialize

from pipelines.cli import main
from pipelines.run_history import prune_runs
from pipelines.settings import PROJECT_ROOT

DOCUMENTS = AssetKey(["warehouse", "documents"])
SEEDS = ("000_73dc88b4a419ee4c.txt", "003_f32d863d3c202223.txt", "registry.yaml")
ANOTHER = "byd-h1-2025.txt"


def figures(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """The project's instance (dagster.yaml), warehouse and an empty sources folder, all in ``tmp_path``."""
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    (tmp_path / "articles").mkdir()
    for name, value in {"DAGSTER_HOME": tmp_path, "FIGURES_DAGSTER_STORAGE": tmp_path / "storage", "FIGURES_WAREHOUSE": tmp_path / "w.duckdb",
                        "FIGURES_SOURCES_DIR": tmp_path / "articles"}.items():
        monkeypatch.setenv(name, str(value))
    return tmp_path


@pytest.fixture()
def instance(project):
    with DagsterInstance.get() as opened:
        yield opened


def test_runs_superseded_by_later_ones_are_deleted_and_what_the_ui_shows_stays(project):
    folder, storage = project / "articles", project / "storage"
    for name in SEEDS:
        shutil.copy(PROJECT_ROOT / "sources" / name, folder / name)

    figures("run")  # the seeds
    shutil.copy(PROJECT_ROOT / "sources" / ANOTHER, folder / ANOTHER)
    figures("run")  # one new file: the first run still holds the seeds' partitions
    with DagsterInstance.get() as instance:
        first, second = (run.run_id for run in reversed(instance.get_runs()))
    output = figures("prune-runs", "--older-than", "0", "--dry-run")
    assert "0 run(s) to delete; 2 older than 0 day(s) kept" in output

    figures("run", "--rebuild")  # every file and fact again: both earlier runs superseded
    assert "0 run(s) deleted; 0 older than 30 day(s) kept" in figures("prune-runs")  # too recent
    output = figures("prune-runs", "--dry-run", "--older-than", "0")
    assert f"would delete run {first}" in output and f"would delete run {second}" in output
    assert (storage / "history" / "runs" / f"{first}.db").exists()

    with DagsterInstance.get() as instance:
        (third,) = (run.run_id for run in instance.get_runs(limit=1))
        materialized = instance.get_materialized_partitions(DOCUMENTS)
    output = figures("prune-runs", "--older-than", "0")
    assert f"deleted run {first}" in output and f"deleted run {second}" in output
    assert "2 run(s) deleted; 1 older than 0 day(s) kept" in output
    assert "local run history" in output
    assert not (storage / "history" / "runs" / f"{first}.db").exists()
    assert not (storage / first).exists()  # its captured logs
    with DagsterInstance.get() as instance:
        assert [run.run_id for run in instance.get_runs()] == [third]
        assert instance.get_materialized_partitions(DOCUMENTS) == materialized == {"000_73dc88b4a419ee4c.txt",
                                                                                  "003_f32d863d3c202223.txt", ANOTHER}
        assert instance.get_latest_materialization_event(AssetKey(["warehouse", "facts"])).run_id == third
    assert "0 run(s) deleted" in figures("prune-runs", "--older-than", "0")


KEYS = ["a.txt", "b.txt"]


@asset(partitions_def=StaticPartitionsDefinition(KEYS))
def per_file() -> None:
    pass


def test_a_partition_of_a_file_deleted_since_keeps_no_run(project, instance):
    """A file's partition that is gone (the sensor deletes it with the file) leaves its materializations
    in the event log: they do not keep a run."""
    old = materialize([per_file], instance=instance, partition_key="a.txt").run_id
    new = materialize([per_file], instance=instance, partition_key="b.txt").run_id
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    assert prune_runs(instance, dt.timedelta(0), ["a.txt", "b.txt"], now=later, dry_run=True).deleted == []
    going_on = instance.add_run(DagsterRun(job_name="__ASSET_JOB", status=DagsterRunStatus.STARTED))
    pruned = prune_runs(instance, dt.timedelta(0), ["b.txt"], now=later)
    assert pruned.deleted == [old] and pruned.kept == 1
    # The index is not compacted under a run that writes its events (the caller's own excepted).
    assert pruned.not_compacted == "1 run(s) going on; the next prune compacts it"
    assert [run.run_id for run in instance.get_runs()] == [going_on.run_id, new]
    assert not Path(project, "storage", "history", "runs", f"{old}.db").exists()
    assert instance.get_materialized_partitions(per_file.key) == {"b.txt"}


def test_the_weekly_job_prunes_as_the_command_does(project, instance):
    from pipelines.definitions import defs

    old = materialize([per_file], instance=instance, partition_key="a.txt").run_id
    new = materialize([per_file], instance=instance, partition_key="a.txt").run_id
    result = defs.get_job_def("prune_run_history").execute_in_process(
        instance=instance, run_config={"ops": {"prune_superseded_runs": {"config": {"older_than_days": 0}}}})
    assert result.success
    assert {run.run_id for run in instance.get_runs()} == {new, result.run_id}
    said = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert any("1 run(s) deleted, 1 older than 0 day(s) kept" in message for message in said)
    assert not any("not compacted" in message for message in said)  # its own run does not stop it
    assert not Path(project, "storage", "history", "runs", f"{old}.db").exists()


def test_a_run_mentions_the_prune_once_the_history_is_large(project, monkeypatch):
    from pipelines import cli

    shutil.copy(PROJECT_ROOT / "sources" / SEEDS[0], project / "articles" / SEEDS[0])
    assert "figures prune-runs" not in figures("run")
    monkeypatch.setattr(cli, "HISTORY_HINT_BYTES", 1000)
    assert f"GB in {project / 'storage' / 'history'}: `figures prune-runs` deletes" in figures("run")
