"""The pipeline as assets. Per document, one partition per source file: documents -> claims ->
validated and quarantined claims -> warehouse document tables, many partitions in one run. Across
documents: facts and conflicts, reconciled again only for the groups the documents touched. Each asset
calls a plain function of the core and adds metadata."""

import socket

import pandas as pd
from dagster import (
    AssetExecutionContext, AssetKey, AssetOut, AssetSpec, AutomationCondition, BackfillPolicy, MaterializeResult,
    MetadataValue, Output, multi_asset,
)
from dagster_duckdb import DuckDBResource

from pipelines.batch import ReadBatch, read_batch, seen_versions
from pipelines.claim_table import extract_all, reject_failed
from pipelines.consistency import check_consistency
from pipelines.reconciliation import reconcile_all
from pipelines.validation import validate_claims
from schemas import ClaimsSchema, QuarantinedClaimsSchema
from warehouse.loader import (
    claims_of_pending_groups, ensure_schema, known_documents, load_document_batch, replace_pending_facts,
    replace_reconciliation_details,
)

from .metadata import markdown_preview, table_metadata
from .partitions import source_files
from .resources import ProgressResource, SourcesResource, target_of

WRITER_POOL = "duckdb_writer"
REBUILD_TAG = "figures/rebuild"
CLAIM_PREVIEW = ["document", "entity", "metric", "period", "value", "unit", "kind", "qualifier", "surface"]
FACT_PREVIEW = ["entity", "metric", "scope", "period", "kind", "value", "unit", "status", "rule", "n_claims"]
PER_DOCUMENT = dict(partitions_def=source_files, backfill_policy=BackfillPolicy.single_run())


def _known_documents(warehouse: DuckDBResource) -> dict[str, str]:
    """{document id: status} of the last published snapshot: what no run needs to read again."""
    target = target_of(warehouse)
    if not target.exists():
        return {}
    with target.reader() as con:
        return known_documents(con)


def _owner(context: AssetExecutionContext) -> str:
    return f"on {socket.gethostname()}, run {context.run_id}"


@multi_asset(
    group_name="ingest",
    outs={"source_documents": AssetOut(description="The files of the run's partitions whose content is new, read and repaired, or rejected with the reason; the others are only seen again.")},
    **PER_DOCUMENT,
)
def source_documents(context: AssetExecutionContext, sources: SourcesResource, warehouse: DuckDBResource, progress: ProgressResource):
    rebuild = context.run.tags.get(REBUILD_TAG) == "true"
    keys = context.partition_keys
    stage = None

    def plan(to_read: int, known: int) -> None:
        nonlocal stage
        stage = progress.stage("files read", to_read, "files")
        if known:
            context.log.info(f"{known} file(s) hold content the warehouse has: not read again")

    batch = read_batch(sources.path, keys, _known_documents(warehouse), sources.limits, rebuild=rebuild,
                       on_files=lambda n: stage.advance(n), on_plan=plan)
    documents = batch.documents
    rejected = documents[documents["status"] == "rejected"]
    stage.close(f"{len(rejected)} rejected")
    for row in rejected.itertuples():
        context.log.warning(f"rejected {row.path}: {row.error}")
    metadata = table_metadata(documents, columns=["path", "format", "language", "status", "error", "n_chars"])
    metadata.update({"read": len(documents), "already in the warehouse": len(batch.seen), "rejected": len(rejected),
                     "partitions": len(keys), "folder": str(sources.path)})
    yield Output(batch, output_name="source_documents", metadata=metadata)


@multi_asset(
    group_name="extract",
    outs={
        "extracted_claims": AssetOut(description="Every figure the extractor finds in the documents read."),
        "extraction_failures": AssetOut(description="Documents the extractor failed on, with the error; they are loaded as rejected."),
    },
    **PER_DOCUMENT,
)
def extract(context: AssetExecutionContext, source_documents: ReadBatch, progress: ProgressResource):
    documents = source_documents.documents
    loaded = int((documents["status"] == "loaded").sum())
    with progress.stage("documents extracted", loaded, "documents") as stage:
        claims, failures = extract_all(documents, on_documents=stage.advance, parallel=True)
    for row in failures.itertuples():
        context.log.warning(f"extraction failed on {row.path}: {row.error}")
    metadata = table_metadata(claims, columns=CLAIM_PREVIEW)
    metadata["documents"] = loaded
    yield Output(claims, output_name="extracted_claims", metadata=metadata)
    yield Output(failures, output_name="extraction_failures", metadata=table_metadata(failures, columns=["path", "error"]))


@multi_asset(
    group_name="validate",
    outs={
        "validated_claims": AssetOut(description="Claims that passed the Pandera claim schema."),
        "quarantined_claims": AssetOut(description="Claims that failed it, with every reason."),
    },
    **PER_DOCUMENT,
)
def validate(extracted_claims: pd.DataFrame):
    valid, quarantined = validate_claims(extracted_claims)
    yield Output(valid, output_name="validated_claims", metadata=table_metadata(valid, ClaimsSchema, CLAIM_PREVIEW))
    yield Output(
        quarantined, output_name="quarantined_claims",
        metadata=table_metadata(quarantined, QuarantinedClaimsSchema, ["document", "metric", "value", "unit", "reasons"]),
    )


def _warehouse_spec(name: str, deps: list, description: str, group: str = "warehouse", **extra) -> AssetSpec:
    return AssetSpec(AssetKey(["warehouse", name]), deps=deps, group_name=group, description=description, **extra)


@multi_asset(
    specs=[
        _warehouse_spec("documents", ["source_documents", "extraction_failures"], "DuckDB table documents: every source file, loaded or rejected."),
        _warehouse_spec("claims", ["validated_claims"], "DuckDB table claims: the validated figures with their quotes."),
        _warehouse_spec("quarantined_claims", ["quarantined_claims"], "DuckDB table quarantined_claims: figures that failed validation."),
        _warehouse_spec("document_versions", ["source_documents"], "DuckDB table document_versions: every content each path has held, across runs."),
    ],
    pool=WRITER_POOL,
    **PER_DOCUMENT,
)
def warehouse_document_tables(
    context: AssetExecutionContext,
    source_documents: ReadBatch,
    extraction_failures: pd.DataFrame,
    validated_claims: pd.DataFrame,
    quarantined_claims: pd.DataFrame,
    warehouse: DuckDBResource,
    progress: ProgressResource,
):
    """Load the run's documents in one transaction and publish it (a new snapshot of the DuckDB file, or
    the lake's commit): rerunning converges."""
    documents = reject_failed(source_documents.documents, extraction_failures)
    seen = seen_versions(source_documents, documents)
    rows = len(documents) + len(validated_claims) + len(quarantined_claims)
    with target_of(warehouse).writer(_owner(context), on_wait=context.log.warning) as con, \
            progress.stage("rows loaded", rows, "rows") as stage:
        ensure_schema(con)
        counts = load_document_batch(con, documents, validated_claims, quarantined_claims, seen,
                                     source_documents.present_paths, rebuild=source_documents.rebuild)
        (pending,) = con.execute("SELECT count(DISTINCT (entity, metric, scope, period)) FROM pending_groups").fetchone()
        stage.advance(rows)
    yield MaterializeResult(
        asset_key=AssetKey(["warehouse", "documents"]),
        metadata={"dagster/row_count": len(documents), "removed documents": counts["removed"], "groups to reconcile": int(pending),
                  "preview": MetadataValue.md(markdown_preview(documents, ["path", "status", "error"]))},
    )
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "claims"]), metadata={"dagster/row_count": len(validated_claims)})
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "quarantined_claims"]), metadata={"dagster/row_count": len(quarantined_claims)})
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "document_versions"]), metadata={"dagster/row_count": counts["versions"]})


@multi_asset(
    specs=[
        # After the document tables: the provenance views join facts to their claims.
        _warehouse_spec("facts", [AssetKey(["warehouse", "claims"]), AssetKey(["warehouse", "documents"])],
                        "DuckDB tables facts and fact_history: one reconciled value per entity, metric, scope, period and kind.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        _warehouse_spec("conflicts", [AssetKey(["warehouse", "claims"])], "DuckDB table conflicts: groups of claims that disagree, classified and resolved.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        _warehouse_spec("target_revisions", [AssetKey(["warehouse", "claims"])],
                        "DuckDB table target_revisions: every value a target has had, in order, each linked to its successor.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        # Undated sources are dated by when they were first ingested (document_versions).
        _warehouse_spec("fact_timeline", [AssetKey(["warehouse", "claims"]), AssetKey(["warehouse", "document_versions"])],
                        "DuckDB table fact_timeline, read by the facts_as_of table macro.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        _warehouse_spec("consistency_warnings", [AssetKey(["warehouse", "claims"])],
                        "DuckDB table consistency_warnings: arithmetic relations between facts that do not hold.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
    ],
    pool=WRITER_POOL,
)
def warehouse_fact_tables(context: AssetExecutionContext, warehouse: DuckDBResource, progress: ProgressResource):
    """Reconcile the groups whose claims changed (all of them on a rebuild), replace their facts,
    conflicts, target chains and timeline in one transaction each (a lake commits them as one), check the
    arithmetic between the facts again, and publish the snapshot."""
    with target_of(warehouse).writer(_owner(context), on_wait=context.log.warning) as con:
        ensure_schema(con)
        claims, documents = claims_of_pending_groups(con)
        with progress.stage("facts loaded", len(claims), "claims") as stage:
            result = reconcile_all(claims, documents)
            facts = result.facts
            # The chains and timeline of the queued groups first: replacing the facts empties the queue.
            replace_reconciliation_details(con, result.revisions, result.timeline, None, pending_only=True)
            groups = replace_pending_facts(con, facts, result.conflicts)
            # The arithmetic relates facts of several groups: checked again over all of them.
            warnings = check_consistency(con.execute("SELECT * FROM facts").df(),
                                         con.execute("SELECT claim_id, precision FROM claims").df())
            replace_reconciliation_details(con, result.revisions.iloc[0:0], result.timeline.iloc[0:0], warnings,
                                           pending_only=True)
            stage.advance(len(claims))
        totals = dict(con.execute("""SELECT 'facts', count(*) FROM facts UNION ALL SELECT 'conflicts', count(*) FROM conflicts
                                     UNION ALL SELECT 'history', count(*) FROM fact_history
                                     UNION ALL SELECT 'target_revisions', count(*) FROM target_revisions
                                     UNION ALL SELECT 'fact_timeline', count(*) FROM fact_timeline
                                     UNION ALL SELECT 'consistency_warnings', count(*) FROM consistency_warnings""").fetchall())
        preview = con.execute(f"SELECT {', '.join(FACT_PREVIEW)} FROM facts ORDER BY entity, metric, period LIMIT 10").df()
    yield MaterializeResult(
        asset_key=AssetKey(["warehouse", "facts"]),
        metadata={"dagster/row_count": int(totals["facts"]), "groups reconciled": groups, "facts replaced": len(facts),
                  "fact_history rows": int(totals["history"]), "preview": MetadataValue.md(markdown_preview(preview))},
    )
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "conflicts"]), metadata={"dagster/row_count": int(totals["conflicts"])})
    for name in ("target_revisions", "fact_timeline", "consistency_warnings"):
        yield MaterializeResult(asset_key=AssetKey(["warehouse", name]), metadata={"dagster/row_count": int(totals[name])})


ALL_ASSETS = [source_documents, extract, validate, warehouse_document_tables, warehouse_fact_tables]
