"""The figures command, as a data engineer and an analyst use it."""

import json
import shutil

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.settings import PROJECT_ROOT

SEED = PROJECT_ROOT / "sources" / "000_73dc88b4a419ee4c.txt"
TARGET_SEED = PROJECT_ROOT / "sources" / "003_f32d863d3c202223.txt"
FIELDS = ["document", "entity", "metric", "period", "value", "unit", "kind", "qualifier", "start", "end", "quote"]


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def records(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_prints_the_seed_figures_with_offsets_and_quotes():
    result = run("extract", str(SEED))
    assert result.exit_code == 0
    found = records(result.output)
    assert all(list(r) == FIELDS for r in found)
    from pipelines.documents import read_document

    text = read_document(SEED, SEED.parent).text
    for r in found:
        assert r["quote"] in text
        assert text[r["start"] : r["end"]] in r["quote"]
    keys = {(r["metric"], r["period"], r["value"], r["unit"], r["kind"]) for r in found}
    for expected in [
        ("gross_margin", "2025-Q2", 26.4, "%", "actual"),
        ("deliveries", "2025-Q2", 81502, "vehicles", "actual"),
        ("revenue", "2025-Q2", 20600000000, "CNY", "actual"),
        ("revenue_share", "2025-Q2", 17.8, "%", "actual"),
        ("revenue_share", "2024-Q2", 7, "%", "actual"),
        ("gross_margin", "2024-Q2", 15.4, "%", "actual"),
        ("deliveries_yoy", "2025-Q2", 198, "%", "actual"),
        ("deliveries_yoy", "2025-Q2", 200, "%", "actual"),
        ("cumulative_deliveries", "2025-06-30", 300000, "vehicles", "actual"),
        ("average_selling_price", "2025-Q2", 254000, "CNY", "actual"),
    ]:
        assert expected in keys, expected
    margin = next(r for r in found if r["metric"] == "gross_margin" and r["period"] == "2024-Q2")
    assert text[margin["start"] : margin["end"]] == "15,4 %"


def test_extract_prints_the_revised_target():
    found = records(run("extract", str(TARGET_SEED)).output)
    assert [(r["metric"], r["period"], r["value"], r["kind"]) for r in found] == [
        ("deliveries", "2024", 100000, "previous"),
        ("deliveries", "2024", 120000, "target"),
    ]
    assert found[0]["entity"] == found[1]["entity"] == "Xiaomi"


def test_extract_reports_an_unreadable_file_and_goes_on(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 50)
    result = CliRunner().invoke(main, ["extract", str(junk), str(TARGET_SEED)])
    assert result.exit_code == 1
    assert "rejected" in result.stderr
    assert len(records(result.stdout)) == 2


def test_quantities_from_standard_input():
    result = run("quantities", "--language", "en", "-", input="Revenue rose 12% to $25.5 billion, about 1,500 cars.")
    found = records(result.output)
    assert [(q["text"], q["value"], q["unit"]) for q in found] == [
        ("12%", 12, "%"), ("$25.5 billion", 25500000000, "USD"), ("1,500 cars", 1500, "vehicles"),
    ]
    assert found[2]["qualifier"] == "approx"


def test_quantities_of_a_file():
    found = records(run("quantities", str(TARGET_SEED)).output)
    assert [q["value"] for q in found] == [100000, 120000]
    assert all(q["document"] == str(TARGET_SEED) for q in found)


# The articles of the demo folder (every file but the registry).
ARTICLES = sum(1 for p in (PROJECT_ROOT / "sources").iterdir() if p.name != "registry.yaml")


@pytest.fixture()
def project_env(tmp_path, monkeypatch):
    """An isolated instance, warehouse and sources folder, as a user would point the tool elsewhere."""
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    shutil.copytree(PROJECT_ROOT / "sources", tmp_path / "articles")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(tmp_path / "storage"))
    monkeypatch.setenv("FIGURES_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(tmp_path / "articles"))
    return tmp_path


def test_run_builds_the_warehouse_and_records_the_run(project_env):
    result = run("run")
    assert result.exit_code == 0, result.output
    assert f"documents  loaded {ARTICLES}, rejected 0" in result.output
    assert "conflicts  4" in result.output  # two disagreements (Xiaomi deliveries, NIO revenue), two target revisions
    assert (project_env / "w.duckdb").exists()
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        runs = instance.get_runs()
    assert len(runs) == 1 and runs[0].job_name == "build_warehouse"

    table = run("query", "SELECT metric, value FROM facts WHERE metric = 'gross_margin' AND period = '2025-Q2'")
    assert "gross_margin" in table.output and "26.4" in table.output


def test_run_reports_progress_one_line_per_stage_off_a_terminal(project_env):
    output = run("run").output.splitlines()
    stages = [line.split(":")[0] for line in output if " in " in line and line.endswith(" s")]
    assert stages == ["files read and extracted", "rows loaded", "facts loaded"]
    assert any(line.startswith(f"files read and extracted: {ARTICLES}/{ARTICLES} files (0 rejected) in ") for line in output)


def test_run_applies_the_limits_of_the_environment(project_env, monkeypatch):
    monkeypatch.setenv("FIGURES_MAX_FILE_BYTES", "100")
    result = run("run")
    assert result.exit_code == 0, result.output
    assert f"documents  loaded 0, rejected {ARTICLES}" in result.output
    assert "over the limit of 100 bytes (max_file_bytes)" in result.output


def test_run_on_a_missing_sources_folder_says_so_and_keeps_the_warehouse(project_env, monkeypatch):
    """A typo in the folder's name, or a share not mounted, is not an emptied folder: nothing is removed."""
    assert run("run").exit_code == 0
    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(project_env / "artciles"))
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    assert f"the sources folder {project_env / 'artciles'} does not exist" in result.output
    assert f"loaded {ARTICLES}" in run("query", "SELECT 'loaded ' || count(*) FROM documents").output


def test_run_refuses_a_warehouse_inside_the_sources_folder(project_env, monkeypatch):
    """Its files would be read as articles at every run, and each run, changing them, would ask the
    sensor for another. Nothing is read or written; in a hidden folder of the sources it is welcome."""
    monkeypatch.setenv("FIGURES_WAREHOUSE", str(project_env / "articles" / "w.duckdb"))
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    assert f"FIGURES_WAREHOUSE ({project_env / 'articles' / 'w.duckdb'}) is inside the sources folder" in result.output
    assert not list((project_env / "articles").glob("w.*"))
    monkeypatch.setenv("FIGURES_WAREHOUSE", str(project_env / "articles" / ".warehouse" / "w.duckdb"))
    result = run("run")
    assert result.exit_code == 0, result.output
    assert f"documents  loaded {ARTICLES}, rejected 0" in result.output


def test_a_failed_run_ends_with_what_went_wrong(project_env):
    """The last lines, after Dagster's tracebacks, name the step and its error, and the load kept."""
    assert run("run").exit_code == 0
    (project_env / "articles" / "registry.yaml").write_text("publishers: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    *_, reason, summary = result.output.strip().splitlines()
    assert reason.startswith("warehouse_documents.read_and_extract: ") and "registry.yaml: invalid YAML" in reason
    assert "failed at warehouse_documents.read_and_extract; the warehouse keeps its last complete load" in summary
    assert f"loaded {ARTICLES}" in run("query", "SELECT 'loaded ' || count(*) FROM documents").output


def test_query_is_read_only(project_env):
    assert run("run").exit_code == 0
    result = CliRunner().invoke(main, ["query", "DELETE FROM facts"])
    assert result.exit_code != 0
    assert "read-only" in result.output.lower()


def test_query_without_a_warehouse_says_so(project_env):
    result = CliRunner().invoke(main, ["query", "SELECT 1"])
    assert result.exit_code != 0
    assert "figures run" in result.output
