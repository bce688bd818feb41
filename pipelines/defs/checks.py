"""Asset checks. The Pandera schemas become blocking checks on the warehouse tables (validated lazily,
never raising: a failure reports its count and first cases); softer rules warn."""


import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue, asset_check, multi_asset_check
from dagster_duckdb import DuckDBResource

from schemas import TABLE_SCHEMAS, validation_failures

from .metadata import markdown_preview
from .resources import target_of

FIRST_FAILURES = 5


def read_table(warehouse: DuckDBResource, table: str) -> pd.DataFrame:
    with target_of(warehouse).reader() as con:
        return con.execute(f"SELECT * FROM {table}").df()


def schema_check(table: str):
    model = TABLE_SCHEMAS[table]

    @asset_check(
        asset=AssetKey(["warehouse", table]),
        name=f"{table}_match_schema",
        blocking=True,
        description=f"Every row of {table} passes the {model.__name__} Pandera schema.",
    )
    def _check(warehouse: DuckDBResource) -> AssetCheckResult:
        frame = read_table(warehouse, table)
        if table in ("documents",):
            frame = frame.drop(columns=["loaded_at"])
        failures = validation_failures(model, frame)
        return AssetCheckResult(
            passed=failures.empty,
            metadata={
                "rows": len(frame),
                "failures": len(failures),
                "first failures": MetadataValue.md(markdown_preview(failures.astype(str), rows=FIRST_FAILURES)) if len(failures) else "none",
            },
        )

    return _check


@asset_check(asset=AssetKey(["warehouse", "documents"]),
             description="Warns when source files were rejected; the reasons are in documents.error.")
def no_rejected_documents(warehouse: DuckDBResource) -> AssetCheckResult:
    rejected = read_table(warehouse, "rejected_documents")
    return AssetCheckResult(passed=rejected.empty, severity=AssetCheckSeverity.WARN,
                            metadata={"rejected": len(rejected), "files": markdown_preview(rejected, ["path", "error"])})


@asset_check(asset=AssetKey(["warehouse", "facts"]),
             description="Warns when sources disagree on a fact; see the conflicts table.")
def no_disputed_facts(warehouse: DuckDBResource) -> AssetCheckResult:
    facts = read_table(warehouse, "facts")
    disputed = facts[facts["status"] == "disputed"]
    return AssetCheckResult(passed=disputed.empty, severity=AssetCheckSeverity.WARN,
                            metadata={"disputed": len(disputed), "facts": markdown_preview(disputed, ["entity", "metric", "period", "value", "explanation"])})


@asset_check(asset=AssetKey(["warehouse", "quarantined_claims"]),
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
