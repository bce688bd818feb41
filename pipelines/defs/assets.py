"""The pipeline as assets: documents -> claims -> validated and quarantined claims -> facts and
conflicts -> warehouse tables. Each asset calls a plain function of the core and adds metadata."""


import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetOut, AssetSpec, MaterializeResult, MetadataValue, Output, asset, multi_asset
from dagster_duckdb import DuckDBResource

from pipelines.claim_table import extract_all, reject_failed
from pipelines.documents import scan_sources
from pipelines.ingest import read_sources
from pipelines.consistency import check_consistency
from pipelines.reconciliation import reconcile_all
from pipelines.validation import validate_claims
from schemas import (
    ClaimsSchema, ConflictsSchema, ConsistencyWarningsSchema, FactsSchema, FactTimelineSchema, QuarantinedClaimsSchema,
    TargetRevisionsSchema,
)
from warehouse.loader import ensure_schema, load_documents, replace_facts, replace_reconciliation_details

from .metadata import markdown_preview, table_metadata
from .resources import ProgressResource, SourcesResource

WRITER_POOL = "duckdb_writer"
CLAIM_PREVIEW = ["document", "entity", "metric", "period", "value", "unit", "kind", "qualifier", "surface"]
FACT_PREVIEW = ["entity", "metric", "scope", "period", "kind", "value", "unit", "status", "rule", "n_claims"]


@asset(group_name="ingest", description="Every file of the sources folder, read and repaired, or rejected with the reason.")
def source_documents(context: AssetExecutionContext, sources: SourcesResource, progress: ProgressResource) -> Output[pd.DataFrame]:
    with progress.stage("files read", len(scan_sources(sources.path)), "files") as stage:
        documents = read_sources(sources.path, sources.limits, on_file=lambda _: stage.advance())
        stage.close(f"{int((documents['status'] == 'rejected').sum())} rejected")
    rejected = documents[documents["status"] == "rejected"]
    for row in rejected.itertuples():
        context.log.warning(f"rejected {row.path}: {row.error}")
    metadata = table_metadata(documents, columns=["path", "format", "language", "status", "error", "n_chars"])
    metadata.update({"loaded": int((documents["status"] == "loaded").sum()), "rejected": len(rejected), "folder": str(sources.path)})
    return Output(documents, metadata=metadata)


@multi_asset(
    group_name="extract",
    outs={
        "extracted_claims": AssetOut(description="Every figure the extractor finds in the loaded documents."),
        "extraction_failures": AssetOut(description="Documents the extractor failed on, with the error; they are loaded as rejected."),
    },
)
def extract(context: AssetExecutionContext, source_documents: pd.DataFrame, progress: ProgressResource):
    loaded = int((source_documents["status"] == "loaded").sum())
    with progress.stage("documents extracted", loaded, "documents") as stage:
        claims, failures = extract_all(source_documents, on_document=lambda _: stage.advance())
    for row in failures.itertuples():
        context.log.warning(f"extraction failed on {row.path}: {row.error}")
    per_document = claims.groupby("document").size().to_dict() if not claims.empty else {}
    metadata = table_metadata(claims, columns=CLAIM_PREVIEW)
    metadata["claims per document"] = {str(k): int(v) for k, v in per_document.items()}
    yield Output(claims, output_name="extracted_claims", metadata=metadata)
    yield Output(failures, output_name="extraction_failures", metadata=table_metadata(failures, columns=["path", "error"]))


@multi_asset(
    group_name="validate",
    outs={
        "validated_claims": AssetOut(description="Claims that passed the Pandera claim schema."),
        "quarantined_claims": AssetOut(description="Claims that failed it, with every reason."),
    },
)
def validate(extracted_claims: pd.DataFrame):
    valid, quarantined = validate_claims(extracted_claims)
    yield Output(valid, output_name="validated_claims", metadata=table_metadata(valid, ClaimsSchema, CLAIM_PREVIEW))
    yield Output(
        quarantined, output_name="quarantined_claims",
        metadata=table_metadata(quarantined, QuarantinedClaimsSchema, ["document", "metric", "value", "unit", "reasons"]),
    )


@multi_asset(
    group_name="reconcile",
    outs={
        "facts": AssetOut(description="One reconciled value per entity, metric, scope, period and kind."),
        "conflicts": AssetOut(description="Groups of claims that disagree, classified and resolved."),
        "target_revisions": AssetOut(description="Every value a target has had, in order, each linked to its successor."),
        "fact_timeline": AssetOut(description="What the warehouse believed about each fact as sources were published."),
        "consistency_warnings": AssetOut(description="Arithmetic relations between facts that do not hold."),
    },
)
def reconcile_facts(validated_claims: pd.DataFrame, source_documents: pd.DataFrame):
    result = reconcile_all(validated_claims, source_documents)
    facts, conflicts = result.facts, result.conflicts
    statuses = facts["status"].value_counts().to_dict() if not facts.empty else {}
    fact_metadata = table_metadata(facts, FactsSchema, FACT_PREVIEW)
    fact_metadata["by status"] = {str(k): int(v) for k, v in statuses.items()}
    yield Output(facts, output_name="facts", metadata=fact_metadata)
    yield Output(conflicts, output_name="conflicts", metadata=table_metadata(conflicts, ConflictsSchema, ["entity", "metric", "period", "classification", "resolution"]))
    warnings = check_consistency(facts, validated_claims)
    yield Output(result.revisions, output_name="target_revisions",
                 metadata=table_metadata(result.revisions, TargetRevisionsSchema, ["entity", "metric", "period", "step", "value", "status", "stated_on"]))
    yield Output(result.timeline, output_name="fact_timeline",
                 metadata=table_metadata(result.timeline, FactTimelineSchema, ["entity", "metric", "period", "kind", "value", "status", "known_from"]))
    yield Output(warnings, output_name="consistency_warnings",
                 metadata=table_metadata(warnings, ConsistencyWarningsSchema, ["entity", "relation", "period", "explanation"]))


def _warehouse_spec(name: str, deps: list[str], description: str) -> AssetSpec:
    return AssetSpec(AssetKey(["warehouse", name]), deps=deps, group_name="warehouse", description=description)


@multi_asset(
    specs=[
        _warehouse_spec("documents", ["source_documents", "extraction_failures"], "DuckDB table documents: every source file, loaded or rejected."),
        _warehouse_spec("claims", ["validated_claims"], "DuckDB table claims: the validated figures with their quotes."),
        _warehouse_spec("quarantined_claims", ["quarantined_claims"], "DuckDB table quarantined_claims: figures that failed validation."),
        _warehouse_spec("document_versions", ["source_documents"], "DuckDB table document_versions: every content each path has held, across runs."),
    ],
    pool=WRITER_POOL,
)
def warehouse_document_tables(
    source_documents: pd.DataFrame,
    extraction_failures: pd.DataFrame,
    validated_claims: pd.DataFrame,
    quarantined_claims: pd.DataFrame,
    warehouse: DuckDBResource,
    progress: ProgressResource,
):
    """Replace each document's rows in one transaction: rerunning converges to the same tables."""
    documents = reject_failed(source_documents, extraction_failures)
    rows = len(documents) + len(validated_claims) + len(quarantined_claims)
    with warehouse.get_connection() as con, progress.stage("rows loaded", rows, "rows") as stage:
        ensure_schema(con)
        counts = load_documents(con, documents, validated_claims, quarantined_claims, on_rows=stage.advance)
    yield MaterializeResult(
        asset_key=AssetKey(["warehouse", "documents"]),
        metadata={"dagster/row_count": len(documents), "removed documents": counts["removed"],
                  "preview": MetadataValue.md(markdown_preview(documents, ["path", "status", "error"]))},
    )
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "claims"]), metadata={"dagster/row_count": len(validated_claims)})
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "quarantined_claims"]), metadata={"dagster/row_count": len(quarantined_claims)})
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "document_versions"]), metadata={"dagster/row_count": counts["versions"]})


@multi_asset(
    specs=[
        # After the claims table: the provenance views join facts to their claims.
        _warehouse_spec("facts", ["facts", AssetKey(["warehouse", "claims"])], "DuckDB tables facts and fact_history."),
        _warehouse_spec("conflicts", ["conflicts"], "DuckDB table conflicts."),
        _warehouse_spec("target_revisions", ["target_revisions"], "DuckDB table target_revisions."),
        # Undated sources are dated by when they were first ingested (document_versions).
        _warehouse_spec("fact_timeline", ["fact_timeline", AssetKey(["warehouse", "document_versions"])],
                        "DuckDB table fact_timeline, read by the facts_as_of table macro."),
        _warehouse_spec("consistency_warnings", ["consistency_warnings"], "DuckDB table consistency_warnings."),
    ],
    pool=WRITER_POOL,
)
def warehouse_fact_tables(facts: pd.DataFrame, conflicts: pd.DataFrame, target_revisions: pd.DataFrame, fact_timeline: pd.DataFrame,
                          consistency_warnings: pd.DataFrame, warehouse: DuckDBResource, progress: ProgressResource):
    with warehouse.get_connection() as con, progress.stage("facts loaded", len(facts) + len(conflicts), "rows") as stage:
        ensure_schema(con)
        replace_facts(con, facts, conflicts)
        replace_reconciliation_details(con, target_revisions, fact_timeline, consistency_warnings)
        stage.advance(len(facts) + len(conflicts))
        history = con.execute("SELECT count(*) FROM fact_history").fetchone()[0]
    yield MaterializeResult(
        asset_key=AssetKey(["warehouse", "facts"]),
        metadata={"dagster/row_count": len(facts), "fact_history rows": int(history), "preview": MetadataValue.md(markdown_preview(facts, FACT_PREVIEW))},
    )
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "conflicts"]), metadata={"dagster/row_count": len(conflicts)})
    for name, frame in (("target_revisions", target_revisions), ("fact_timeline", fact_timeline), ("consistency_warnings", consistency_warnings)):
        yield MaterializeResult(asset_key=AssetKey(["warehouse", name]), metadata={"dagster/row_count": len(frame)})


ALL_ASSETS = [source_documents, extract, validate, reconcile_facts, warehouse_document_tables, warehouse_fact_tables]
