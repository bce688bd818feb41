"""The Dagster code location: it loads, its graph reads like the pipeline, the automation works."""

import json
import os

from dagster import AssetKey, DagsterInstance, Definitions, build_sensor_context

from pipelines.definitions import defs
from pipelines.defs.automation import sources_changed

EXPECTED_GROUPS = {
    "source_documents": "ingest",
    "extracted_claims": "extract",
    "extraction_failures": "extract",
    "validated_claims": "validate",
    "quarantined_claims": "validate",
    "facts": "reconcile",
    "conflicts": "reconcile",
    "warehouse/documents": "warehouse",
    "warehouse/claims": "warehouse",
    "warehouse/quarantined_claims": "warehouse",
    "warehouse/document_versions": "warehouse",
    "warehouse/facts": "warehouse",
    "warehouse/conflicts": "warehouse",
    "target_revisions": "reconcile",
    "fact_timeline": "reconcile",
    "consistency_warnings": "reconcile",
    "warehouse/target_revisions": "warehouse",
    "warehouse/fact_timeline": "warehouse",
    "warehouse/consistency_warnings": "warehouse",
}


def test_definitions_load():
    Definitions.validate_loadable(defs)


def test_asset_graph_snapshot():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == EXPECTED_GROUPS
    upstream = lambda name: {k.to_user_string() for k in graph.get(AssetKey.from_user_string(name)).parent_keys}  # noqa: E731
    assert upstream("extracted_claims") == {"source_documents"}
    assert upstream("warehouse/documents") == {"source_documents", "extraction_failures"}
    assert upstream("validated_claims") == {"extracted_claims"}
    assert upstream("facts") == {"validated_claims", "source_documents"}
    assert upstream("quarantined_claims") == {"extracted_claims"}
    assert upstream("warehouse/claims") == {"validated_claims"}
    assert upstream("warehouse/quarantined_claims") == {"quarantined_claims"}
    assert upstream("warehouse/facts") == {"facts", "warehouse/claims"}
    assert upstream("warehouse/conflicts") == {"conflicts"}
    assert upstream("warehouse/document_versions") == {"source_documents"}
    assert upstream("consistency_warnings") == {"validated_claims", "source_documents"}
    assert upstream("warehouse/fact_timeline") == {"fact_timeline", "warehouse/document_versions"}


def test_writers_share_one_pool():
    graph = defs.resolve_asset_graph()
    for name in EXPECTED_GROUPS:
        pools = graph.get(AssetKey.from_user_string(name)).pools
        assert pools == ({"duckdb_writer"} if name.startswith("warehouse/") else set())


def test_schema_checks_are_blocking():
    graph = defs.resolve_asset_graph()
    checks = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}
    for table in ("documents", "document_versions", "claims", "quarantined_claims", "facts", "conflicts",
                  "target_revisions", "fact_timeline", "consistency_warnings"):
        assert checks[f"{table}_match_schema"].blocking
    assert not checks["no_disputed_facts"].blocking
    assert not checks["consistent_growth_rate"].blocking


def test_job_schedule_and_sensor():
    assert defs.resolve_job_def("build_warehouse")
    assert defs.resolve_schedule_def("daily_build").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("sources_changed")


def test_sensor_requests_a_run_only_when_sources_change(tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_SOURCES_DIR", str(tmp_path))
    (tmp_path / "a.txt").write_text("Tesla a livré 384 122 véhicules au T2 2025.", encoding="utf-8")
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance)
        first = sources_changed(context)
        assert first.run_key
        cursor = json.loads(context.cursor)
        assert set(cursor) == {"a.txt"}
        again = build_sensor_context(instance=instance, cursor=context.cursor)
        assert sources_changed(again).skip_message
        (tmp_path / "b.md").write_text("BYD", encoding="utf-8")
        changed = build_sensor_context(instance=instance, cursor=context.cursor)
        request = sources_changed(changed)
        assert request.run_key != first.run_key
        assert "b.md" in request.tags["figures/changed_files"]
        os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")  # a broken link is a change, not a crash
        linked = build_sensor_context(instance=instance, cursor=changed.cursor)
        assert "dangling.txt" in sources_changed(linked).tags["figures/changed_files"]


def test_schema_check_fails_on_a_bad_row(seed_warehouse, tmp_path):
    import shutil

    import duckdb
    from dagster_duckdb import DuckDBResource

    from pipelines.defs.checks import schema_check

    database = tmp_path / "copy.duckdb"
    shutil.copy(seed_warehouse, database)
    check = schema_check("facts")
    assert check(warehouse=DuckDBResource(database=str(database))).passed
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE facts SET status = 'probably' WHERE metric = 'deliveries'")
    result = check(warehouse=DuckDBResource(database=str(database)))
    assert not result.passed
    assert result.metadata["failures"].value >= 1
