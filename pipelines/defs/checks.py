"""Asset checks. The Pandera schemas become blocking checks on the warehouse tables (their column rules
in DuckDB on every run, the whole model on a full rebuild; never raising: a failure reports its count and
first cases); softer rules warn."""


from collections.abc import Callable
from functools import partial

import pandas as pd
from dagster import (
    AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, multi_asset_check,
)
from dagster_duckdb import DuckDBResource

from schemas import TABLE_SCHEMAS, validation_failures
from schemas.sql_checks import FAILURE_COLUMNS, sql_failures

from .assets import DOCUMENT_TABLES, DOCUMENTS, REBUILD_TAG, asset_of
from .metadata import markdown_preview
from .resources import target_of

FIRST_FAILURES = 5
FACTS, WARNINGS = asset_of("facts"), asset_of("consistency_warnings")


def schema_spec(table: str) -> AssetCheckSpec:
    model = TABLE_SCHEMAS[table]
    return AssetCheckSpec(
        f"{table}_match_schema", asset=asset_of(table), blocking=True,
        description=f"Every row of {table} passes the column rules of the {model.__name__} Pandera schema, checked in DuckDB; "
                    "a full rebuild also applies its rules across columns to every row.")


def schema_result(table: str, con, whole: bool) -> AssetCheckResult:
    """The schema check of ``table``: its column rules in one DuckDB scan (an incremental run costs a
    scan, not the table in memory); with ``whole`` (a full rebuild) the model's rules across columns too,
    which are Python: new claims meet them before they load."""
    model = TABLE_SCHEMAS[table]
    (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    failures = sql_failures(con, table, model)
    if whole:
        failures = pd.concat([failures, model_failures(con, table, model)], ignore_index=True)
    return AssetCheckResult(
        asset_key=asset_of(table), check_name=f"{table}_match_schema", passed=failures.empty,
        metadata={
            "rows": int(rows),
            "failures": int(failures["failures"].sum()),
            "rules across columns": "every row (full rebuild)" if whole else "new claims, before loading",
            "first failures": MetadataValue.md(markdown_preview(failures.astype(str), rows=FIRST_FAILURES)) if len(failures) else "none",
        },
    )


def model_failures(con, table: str, model, rows_per_chunk: int = 100_000) -> pd.DataFrame:
    """The whole Pandera model over every row of ``table``, a chunk at a time (so memory stays bounded;
    uniqueness across chunks, of one column or several, is the SQL check's), counted per rule like ``sql_failures``."""
    columns = set(model.to_schema().columns)
    cursor = con.execute(f"SELECT * FROM {table}")
    found = []
    while True:
        chunk = cursor.fetch_df_chunk(max(1, rows_per_chunk // 2048))
        if chunk is None or chunk.empty:
            break
        cases = validation_failures(model, chunk[[c for c in chunk.columns if c in columns]])
        if not cases.empty:
            cases = cases[~cases["check"].astype(str).isin(["field_uniqueness", "multiple_fields_uniqueness"])]
            found.append(cases)
    if not found:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    cases = pd.concat(found, ignore_index=True)
    cases["check"] = cases["check"].astype(str)
    grouped = cases.groupby(["schema_context", "column", "check"], dropna=False)["failure_case"]
    return grouped.agg(failures="size", failure_case="first").reset_index()[FAILURE_COLUMNS]


def rejected_documents(con, whole: bool) -> AssetCheckResult:
    rejected = con.execute("SELECT path, error FROM documents WHERE status = 'rejected'").df()
    return AssetCheckResult(asset_key=DOCUMENTS, check_name="no_rejected_documents", passed=rejected.empty,
                            severity=AssetCheckSeverity.WARN,
                            metadata={"rejected": len(rejected), "files": markdown_preview(rejected, ["path", "error"])})


def quarantined_claims(con, whole: bool) -> AssetCheckResult:
    quarantined = con.execute("SELECT * FROM quarantined_claims").df()
    return AssetCheckResult(asset_key=DOCUMENTS, check_name="few_quarantined_claims", passed=quarantined.empty,
                            severity=AssetCheckSeverity.WARN,
                            metadata={"quarantined": len(quarantined), "claims": markdown_preview(quarantined, ["document", "surface", "reasons"])})


def disputed_facts(con, whole: bool) -> AssetCheckResult:
    disputed = con.execute("SELECT entity, metric, period, value, explanation FROM facts WHERE status = 'disputed'").df()
    return AssetCheckResult(asset_key=FACTS, check_name="no_disputed_facts", passed=disputed.empty,
                            severity=AssetCheckSeverity.WARN,
                            metadata={"disputed": len(disputed), "facts": markdown_preview(disputed, ["entity", "metric", "period", "value", "explanation"])})


CONSISTENCY_RELATIONS = {
    "level_change": "a level, its value a year earlier and the stated change in points",
    "growth_rate": "a growth rate and the two levels it relates",
    "half_year_quarters": "a half-year and its two quarters",
    "year_quarters": "a year and its quarters",
    "share_part_total": "a share, its part and its total",
}


def consistency_result(relation: str):
    def result(con, whole: bool) -> AssetCheckResult:
        failing = con.execute("SELECT entity, period, explanation FROM consistency_warnings WHERE relation = ?", [relation]).df()
        return AssetCheckResult(
            asset_key=WARNINGS, check_name=f"consistent_{relation}", passed=failing.empty, severity=AssetCheckSeverity.WARN,
            metadata={"warnings": len(failing), "rows": markdown_preview(failing, ["entity", "period", "explanation"])},
        )

    return result


def checks_in_one_step(name: str, description: str, checks: list[tuple[AssetCheckSpec, Callable]]):
    """Several checks of the same tables as one step with one read-only connection to the published
    snapshot: each step costs a run Dagster's events and a connection, whatever it checks. Each check
    keeps its own spec and result (and can be run alone from the UI)."""

    @multi_asset_check(name=name, description=description, specs=[spec for spec, _ in checks], can_subset=True)
    def _checks(context: AssetCheckExecutionContext, warehouse: DuckDBResource):
        whole = context.op_execution_context.run_tags.get(REBUILD_TAG) == "true"
        selected = context.selected_asset_check_keys
        with target_of(warehouse).reader() as con:
            for spec, result in checks:
                if spec.key in selected:
                    yield result(con, whole)

    return _checks


document_checks = checks_in_one_step(
    "document_table_checks", "The schemas of the document tables (blocking), rejected files and quarantined figures.",
    [(schema_spec(table), partial(schema_result, table)) for table in DOCUMENT_TABLES] + [
        (AssetCheckSpec("no_rejected_documents", asset=DOCUMENTS,
                        description="Warns when source files were rejected; the reasons are in documents.error."), rejected_documents),
        (AssetCheckSpec("few_quarantined_claims", asset=DOCUMENTS,
                        description="Warns when figures were quarantined; their reasons are in quarantined_claims.reasons."),
         quarantined_claims),
    ],
)

fact_checks = checks_in_one_step(
    "fact_table_checks", "The schemas of the fact tables (blocking), disputed facts and the arithmetic between facts.",
    [(schema_spec(table), partial(schema_result, table)) for table in TABLE_SCHEMAS if table not in DOCUMENT_TABLES]
    + [(AssetCheckSpec("no_disputed_facts", asset=FACTS, description="Warns when sources disagree on a fact; see the conflicts table."),
        disputed_facts)]
    + [(AssetCheckSpec(f"consistent_{relation}", asset=WARNINGS,
                       description=f"Warns when {description} do not add up; see consistency_warnings."), consistency_result(relation))
       for relation, description in CONSISTENCY_RELATIONS.items()],
)

ALL_CHECKS = [document_checks, fact_checks]
