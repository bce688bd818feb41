"""Asset checks. The Pandera schemas become blocking checks on the warehouse tables (their column rules
in DuckDB on every run, the whole model on a full rebuild; never raising: a failure reports its count and
first cases); softer rules warn."""


import pandas as pd
from dagster import (
    AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue, asset_check,
    multi_asset_check,
)
from dagster_duckdb import DuckDBResource

from schemas import TABLE_SCHEMAS, validation_failures
from schemas.sql_checks import FAILURE_COLUMNS, sql_failures

from .assets import REBUILD_TAG, asset_of
from .metadata import markdown_preview
from .resources import target_of

FIRST_FAILURES = 5


def read_table(warehouse: DuckDBResource, table: str, columns: str = "*", where: str = "true") -> pd.DataFrame:
    """The rows a warning check reports on (the few rejected files, disputed facts, warnings)."""
    with target_of(warehouse).reader() as con:
        return con.execute(f"SELECT {columns} FROM {table} WHERE {where}").df()


def schema_check(table: str):
    model = TABLE_SCHEMAS[table]

    @asset_check(
        asset=asset_of(table),
        name=f"{table}_match_schema",
        blocking=True,
        description=f"Every row of {table} passes the column rules of the {model.__name__} Pandera schema, checked in DuckDB; "
                    "a full rebuild also applies its rules across columns to every row.",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: DuckDBResource) -> AssetCheckResult:
        # Checked where the rows are: an incremental run costs a scan, not the table in memory. Row
        # rules across columns are Python: new claims meet them before they load; a rebuild checks all.
        whole = context.op_execution_context.run_tags.get(REBUILD_TAG) == "true"
        with target_of(warehouse).reader() as con:
            (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            failures = sql_failures(con, table, model)
            if whole:
                failures = pd.concat([failures, model_failures(con, table, model)], ignore_index=True)
        return AssetCheckResult(
            passed=failures.empty,
            metadata={
                "rows": int(rows),
                "failures": int(failures["failures"].sum()),
                "rules across columns": "every row (full rebuild)" if whole else "new claims, before loading",
                "first failures": MetadataValue.md(markdown_preview(failures.astype(str), rows=FIRST_FAILURES)) if len(failures) else "none",
            },
        )

    return _check


def model_failures(con, table: str, model, rows_per_chunk: int = 100_000) -> pd.DataFrame:
    """The whole Pandera model over every row of ``table``, a chunk at a time (so memory stays bounded;
    uniqueness across chunks is the SQL check's), counted per rule like ``sql_failures``."""
    columns = set(model.to_schema().columns)
    cursor = con.execute(f"SELECT * FROM {table}")
    found = []
    while True:
        chunk = cursor.fetch_df_chunk(max(1, rows_per_chunk // 2048))
        if chunk is None or chunk.empty:
            break
        cases = validation_failures(model, chunk[[c for c in chunk.columns if c in columns]])
        if not cases.empty:
            cases = cases[cases["check"].astype(str) != "field_uniqueness"]
            found.append(cases)
    if not found:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    cases = pd.concat(found, ignore_index=True)
    cases["check"] = cases["check"].astype(str)
    grouped = cases.groupby(["schema_context", "column", "check"], dropna=False)["failure_case"]
    return grouped.agg(failures="size", failure_case="first").reset_index()[FAILURE_COLUMNS]


@asset_check(asset=asset_of("documents"),
             description="Warns when source files were rejected; the reasons are in documents.error.")
def no_rejected_documents(warehouse: DuckDBResource) -> AssetCheckResult:
    rejected = read_table(warehouse, "documents", "path, error", "status = 'rejected'")
    return AssetCheckResult(passed=rejected.empty, severity=AssetCheckSeverity.WARN,
                            metadata={"rejected": len(rejected), "files": markdown_preview(rejected, ["path", "error"])})


@asset_check(asset=AssetKey(["warehouse", "facts"]),
             description="Warns when sources disagree on a fact; see the conflicts table.")
def no_disputed_facts(warehouse: DuckDBResource) -> AssetCheckResult:
    disputed = read_table(warehouse, "facts", "entity, metric, period, value, explanation", "status = 'disputed'")
    return AssetCheckResult(passed=disputed.empty, severity=AssetCheckSeverity.WARN,
                            metadata={"disputed": len(disputed), "facts": markdown_preview(disputed, ["entity", "metric", "period", "value", "explanation"])})


@asset_check(asset=asset_of("quarantined_claims"),
             description="Warns when figures were quarantined; their reasons are in quarantined_claims.reasons.")
def few_quarantined_claims(warehouse: DuckDBResource) -> AssetCheckResult:
    quarantined = read_table(warehouse, "quarantined_claims")
    return AssetCheckResult(passed=quarantined.empty, severity=AssetCheckSeverity.WARN,
                            metadata={"quarantined": len(quarantined), "claims": markdown_preview(quarantined, ["document", "surface", "reasons"])})


CONSISTENCY_RELATIONS = {
    "level_change": "a level, its value a year earlier and the stated change in points",
    "growth_rate": "a growth rate and the two levels it relates",
    "half_year_quarters": "a half-year and its two quarters",
    "year_quarters": "a year and its quarters",
    "share_part_total": "a share, its part and its total",
}


@multi_asset_check(
    specs=[
        AssetCheckSpec(f"consistent_{relation}", asset=AssetKey(["warehouse", "consistency_warnings"]),
                       description=f"Warns when {description} do not add up; see consistency_warnings.")
        for relation, description in CONSISTENCY_RELATIONS.items()
    ],
)
def consistent_figures(warehouse: DuckDBResource):
    """One WARN result per arithmetic relation, read in one step."""
    warnings = read_table(warehouse, "consistency_warnings")
    for relation in CONSISTENCY_RELATIONS:
        failing = warnings[warnings["relation"] == relation]
        yield AssetCheckResult(
            asset_key=AssetKey(["warehouse", "consistency_warnings"]), check_name=f"consistent_{relation}",
            passed=failing.empty, severity=AssetCheckSeverity.WARN,
            metadata={"warnings": len(failing), "rows": markdown_preview(failing, ["entity", "period", "explanation"])},
        )


ALL_CHECKS = ([schema_check(table) for table in TABLE_SCHEMAS] + [no_rejected_documents, no_disputed_facts, few_quarantined_claims]
              + [consistent_figures])
