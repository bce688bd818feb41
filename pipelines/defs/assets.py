"""The pipeline as assets. Per document, one partition per source file: the warehouse's document
tables, made by reading, extracting, validating and loading the files of many partitions in one run.
Across documents: facts and conflicts, reconciled again only for the groups the documents touched. Each
step calls a plain function of the core and adds metadata."""

import socket

import pandas as pd
from dagster import (
    AssetExecutionContext, AssetKey, AssetOut, AssetSpec, AutomationCondition, BackfillPolicy, MaterializeResult,
    MetadataValue, Nothing, OpExecutionContext, Out, Output, graph_multi_asset, multi_asset, op,
)
from dagster_duckdb import DuckDBResource

from pipelines import copy_search, settings
from pipelines.batch import ReadBatch, read_batch, seen_versions
from pipelines.claim_table import reject_failed
from pipelines.consistency import check_consistency
from pipelines.folder_state import ContentIds, scan_for_run
from pipelines.memory import collect_garbage
from pipelines.parallel import stop_workers
from pipelines.reconciliation import CLAIM_INPUTS, reconcile_all, with_copies, workers_started_for
from pipelines.reconciliation_policy import load_policy
from pipelines.shingle_store import ShingleStore
from pipelines.validation import validate_claims
from warehouse.loader import (
    claims_of_pending_groups, document_texts, ensure_schema, figures_outside_pending_groups, known_documents,
    load_document_batch, pending_groups, queue_groups_of_other_policies, queue_other_scopes, registry_read_with,
    replace_pending_facts, replace_reconciliation_details, table_counts,
)

from .metadata import PREVIEW_UP_TO_PARTITIONS, markdown_preview, run_metadata, table_definition, tables_definition
from .partitions import source_files
from .resources import ProgressResource, SourcesResource, target_of

WRITER_POOL = "duckdb_writer"
REBUILD_TAG = "figures/rebuild"
CLAIM_PREVIEW = ["document", "entity", "metric", "period", "value", "unit", "kind", "qualifier", "surface"]
FACT_PREVIEW = ["entity", "metric", "scope", "period", "kind", "value", "unit", "status", "rule", "n_claims"]
DOCUMENTS = AssetKey(["warehouse", "documents"])
PER_DOCUMENT = dict(partitions_def=source_files, backfill_policy=BackfillPolicy.single_run())


def _known_documents(warehouse: DuckDBResource) -> tuple[dict[str, str], dict[str, str], str | None]:
    """{document id: status} of the last published snapshot (what no run needs to read again), {document
    id: the path that names it}, and the registry text they were read with."""
    target = target_of(warehouse)
    if not target.exists():
        return {}, {}, None
    with target.reader() as con:
        known = known_documents(con)
        named_by = dict(con.execute("SELECT document_id, path FROM documents").fetchall()) if known else {}
        return known, named_by, registry_read_with(con)


def _owner(context: AssetExecutionContext) -> str:
    return f"on {socket.gethostname()}, run {context.run_id}"


# Reading, extracting and validating are ops: their results live only for the run (a run-scoped
# folder, pipelines/defs/io_managers.py), so they are steps of the asset that keeps them, not assets of
# their own. Each per-file asset costs Dagster an event per file and run: only what the warehouse keeps
# of a file is one (DOCUMENT_TABLES).
@op(out={"batch": Out(ReadBatch, description="The documents read, and the files seen whose content the warehouse holds."),
         "claims": Out(pd.DataFrame, description="Every figure the extractor finds in the documents read."),
         "failures": Out(pd.DataFrame, description="Documents the extractor failed on, with the error; they are loaded as rejected.")},
    description="Read, repair and extract the files of the run's partitions whose content is new, on every core, or "
                "reject them with the reason; the others are only seen again.")
def read_and_extract(context: OpExecutionContext, sources: SourcesResource, warehouse: DuckDBResource, progress: ProgressResource):
    rebuild = context.run.tags.get(REBUILD_TAG) == "true"
    keys = context.partition_keys
    stage = None

    def plan(to_read: int, known: int) -> None:
        nonlocal stage
        stage = progress.stage("files read and extracted", to_read, "files")
        if known:
            context.log.info(f"{known} file(s) hold content the warehouse has: not read again")

    content_ids = ContentIds.load(settings.content_ids_file())
    known, named_by, registry_before = _known_documents(warehouse)
    batch = read_batch(sources.path, keys, known, sources.limits, rebuild=rebuild, on_files=lambda n: stage.advance(n),
                       on_plan=plan, content_ids=content_ids, registry_before=registry_before, named_by=named_by,
                       files=scan_for_run(context.run_id, sources.path, settings.written_places()))
    stop_workers()  # the run's last pool
    content_ids.save()
    claims, failures = batch.claims, batch.failures
    documents = reject_failed(batch.documents, failures)
    if batch.rebuild or batch.into_empty:
        # On the core extraction leaves idle, while this run validates and loads (pipelines/copy_search.py).
        _search_copies(context.run_id, documents)
    rejected = documents[documents["status"] == "rejected"]
    stage.close(f"{len(rejected)} rejected")
    for row in batch.documents[batch.documents["status"] == "rejected"].itertuples():
        context.log.warning(f"rejected {row.path}: {row.error}")
    for row in failures.itertuples():
        context.log.warning(f"extraction failed on {row.path}: {row.error}")
    yield Output(batch.without_extraction(), output_name="batch", metadata={
        "read": len(documents), "already in the warehouse": len(batch.seen), "rejected": len(rejected),
        "partitions": len(keys), "folder": str(sources.path)})
    yield Output(claims, output_name="claims", metadata={"documents": len(documents) - len(rejected), "claims": len(claims)})
    yield Output(failures, output_name="failures", metadata={"failed": len(failures)})


@op(out={"valid": Out(pd.DataFrame, description="Claims that passed the Pandera claim schema."),
         "quarantined": Out(pd.DataFrame, description="Claims that failed it, with every reason.")},
    description="Check every claim against the Pandera claim schema.")
def validate(claims: pd.DataFrame):
    valid, quarantined = validate_claims(claims)
    yield Output(valid, output_name="valid", metadata={"valid": len(valid)})
    yield Output(quarantined, output_name="quarantined", metadata={"quarantined": len(quarantined)})


# The tables each source file's rows go to, loaded together. One asset stands for them: Dagster writes
# an event per asset and partition, and four per-file assets cost a 10,000-file backfill 40,000 events
# (most of its load step) where one costs 10,000.
DOCUMENT_TABLES = {
    "documents": "every source file, loaded or rejected",
    "claims": "the validated figures with their quotes",
    "quarantined_claims": "figures that failed validation, with every reason",
    "document_versions": "every content each path has held, across runs",
}
DOCUMENTS_DESCRIPTION = ("Per source file, its rows in the DuckDB tables " + "; ".join(
    f"{table} ({what})" for table, what in DOCUMENT_TABLES.items()) + ".")


def asset_of(table: str) -> AssetKey:
    """The asset that materializes a warehouse table."""
    return DOCUMENTS if table in DOCUMENT_TABLES else AssetKey(["warehouse", table])


@op(out=Out(Nothing), pool=WRITER_POOL,
    description="Load the run's documents, claims and quarantined claims in one transaction and publish the snapshot.")
def load_documents(
    context: OpExecutionContext,
    batch: ReadBatch,
    failures: pd.DataFrame,
    valid: pd.DataFrame,
    quarantined: pd.DataFrame,
    warehouse: DuckDBResource,
    progress: ProgressResource,
):
    """One transaction, then a new snapshot of the DuckDB file (or the lake's commit): rerunning converges."""
    documents = reject_failed(batch.documents, failures)
    seen = seen_versions(batch, documents)
    rows = len(documents) + len(valid) + len(quarantined)
    try:
        with target_of(warehouse).writer(_owner(context), on_wait=context.log.warning) as con, \
                progress.stage("rows loaded", rows, "rows") as stage:
            ensure_schema(con)
            counts = load_document_batch(con, documents, valid, quarantined, seen, batch.present_paths, rebuild=batch.rebuild,
                                         registry=batch.registry)
            (pending,) = con.execute("SELECT count(DISTINCT (entity, metric, scope, period)) FROM pending_groups").fetchone()
            totals = table_counts(con, DOCUMENT_TABLES)
            stage.advance(rows)
    except BaseException:
        copy_search.discard(context.run_id)  # nothing loaded: no facts step will take it
        raise
    copy_search.compare(context.run_id)  # past this step's peak of memory, while Dagster records the load
    # Every partition of the run gets these: the tables' sizes now and what this run loaded (the columns
    # are in the definition, not repeated in each partition's event).
    partitions = len(context.partition_keys)
    metadata = {
        **run_metadata(totals["documents"], documents, ["path", "format", "language", "status", "error", "n_chars"], partitions),
        **run_metadata(totals["claims"], valid, CLAIM_PREVIEW, partitions, table="claims"),
        **run_metadata(totals["quarantined_claims"], quarantined, ["document", "metric", "value", "unit", "reasons"], partitions,
                       table="quarantined_claims"),
        **run_metadata(totals["document_versions"], seen, partitions=partitions, table="document_versions"),
        "removed documents": counts["removed"], "groups to reconcile": int(pending)}
    if partitions > PREVIEW_UP_TO_PARTITIONS:
        # Thousands of events would repeat the same figures (an entry costs each event's writing a tenth):
        # they are logged once, and each partition keeps the documents table's size and the run's rows.
        context.log.info("loaded: " + ", ".join(f"{name} {value}" for name, value in metadata.items()))
        metadata = {name: metadata[name] for name in ("dagster/row_count", "rows loaded by this run")}
    return Output(None, metadata=metadata)


def _search_copies(run_id: str, documents: pd.DataFrame) -> None:
    """Start searching copies among the documents the run will load, for the facts step (pipelines/copy_search.py)."""
    loaded = documents[documents["status"] == "loaded"]
    policy = load_policy()
    copy_search.start(run_id, loaded["document_id"].tolist(), loaded["text"].tolist(), policy.shingle_words, policy.jaccard,
                      settings.shingles_file())


@graph_multi_asset(
    outs={"documents": AssetOut(key=DOCUMENTS, description=DOCUMENTS_DESCRIPTION, dagster_type=Nothing,
                                metadata=tables_definition(list(DOCUMENT_TABLES)))},
    group_name="warehouse",
    **PER_DOCUMENT,
)
def warehouse_documents():
    """Per file: read and extract, validate, load. Many partitions in one run, files whose content the
    warehouse holds not read again."""
    batch, claims, failures = read_and_extract()
    valid, quarantined = validate(claims)
    return load_documents(batch, failures, valid, quarantined)


def _warehouse_spec(name: str, deps: list, description: str, group: str = "warehouse", **extra) -> AssetSpec:
    return AssetSpec(AssetKey(["warehouse", name]), deps=deps, group_name=group, description=description,
                     metadata=table_definition(name), **extra)


# From this many groups to reconcile, the facts step first frees the garbage the run's earlier steps left
# (a hundred megabytes at 10,000 articles); for a few groups, collecting costs more than it frees.
LARGE_RECONCILIATION = 1_000


@multi_asset(
    specs=[
        # After the document tables: the provenance views join facts to their claims.
        _warehouse_spec("facts", [DOCUMENTS],
                        "DuckDB tables facts and fact_history: one reconciled value per entity, metric, scope, period and kind.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        _warehouse_spec("conflicts", [DOCUMENTS], "DuckDB table conflicts: groups of claims that disagree, classified and resolved.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        _warehouse_spec("target_revisions", [DOCUMENTS],
                        "DuckDB table target_revisions: every value a target has had, in order, each linked to its successor.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        # Undated sources are dated by when they were first ingested (document_versions).
        _warehouse_spec("fact_timeline", [DOCUMENTS],
                        "DuckDB table fact_timeline, read by the facts_as_of table macro.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
        _warehouse_spec("consistency_warnings", [DOCUMENTS],
                        "DuckDB table consistency_warnings: arithmetic relations between facts that do not hold.",
                        group="reconcile", automation_condition=AutomationCondition.eager()),
    ],
    pool=WRITER_POOL,
)
def warehouse_fact_tables(context: AssetExecutionContext, warehouse: DuckDBResource, progress: ProgressResource):
    """Reconcile the groups whose claims changed (all of them on a rebuild); replace their target chains
    and timeline in one transaction, then their facts and conflicts, with the arithmetic between the facts
    of the entities touched checked again, in another (a lake commits them as one); publish the snapshot."""
    with target_of(warehouse).writer(_owner(context), on_wait=context.log.warning) as con:
        ensure_schema(con)
        policy = load_policy()
        if requeued := queue_groups_of_other_policies(con, policy.version):
            context.log.info(f"{requeued} groups decided by another version of the reconciliation policy are decided "
                             f"again by version {policy.version}")
        queue_other_scopes(con)
        if len(pending_groups(con)) >= LARGE_RECONCILIATION:
            collect_garbage()  # what a large run's earlier steps left, before the step's largest reads
        # Read while the search for copies finishes: without their texts (read only where copies need
        # them), the claims and documents fit beside the search's memory.
        claims, documents = claims_of_pending_groups(con, CLAIM_INPUTS)
        other_figures = figures_outside_pending_groups(con)
        search = copy_search.take(context.run_id)  # started by the extraction step when it read many documents
        n_claims = len(claims)
        # the reconciling workers start while copies are found
        with progress.stage("facts loaded", n_claims, "claims") as stage, workers_started_for(n_claims):
            shingles = ShingleStore(settings.shingles_file())
            # the texts are read only where copies need them
            documents = with_copies(claims, documents, policy, shingles.shingles, other_figures,
                                    search.pairs_among if search else None, lambda ids: document_texts(con, ids))
            compared, shingled, unavailable = _copies_compared(shingles, search)
            if unavailable:
                context.log.info(f"shingles not kept between runs this time: {unavailable}")
            result = reconcile_all(claims, documents, policy)
            del claims, documents, other_figures  # not needed by the writes that follow
            # The chains and timeline of the queued groups first: replacing the facts (and checking the
            # arithmetic of their entities again) empties the queue.
            replace_reconciliation_details(con, result.revisions, result.timeline, pending_only=True)
            facts, conflicts = result.facts, result.conflicts
            del result  # the timeline (100 MB at 10,000 articles) goes before the fact writes, the step's peak
            groups = replace_pending_facts(con, facts, conflicts, check_consistency)
            del conflicts
            stage.advance(n_claims)
        totals = table_counts(con, ["facts", "conflicts", "fact_history", "target_revisions", "fact_timeline", "consistency_warnings"])
        preview = con.execute(f"SELECT {', '.join(FACT_PREVIEW)} FROM facts ORDER BY entity, metric, period LIMIT 10").df()
    yield MaterializeResult(
        asset_key=AssetKey(["warehouse", "facts"]),
        metadata={"dagster/row_count": int(totals["facts"]), "groups reconciled": groups, "facts replaced": len(facts),
                  "documents compared for copies": compared, "of them shingled now": shingled,
                  "fact_history rows": int(totals["fact_history"]), "preview": MetadataValue.md(markdown_preview(preview))},
    )
    yield MaterializeResult(asset_key=AssetKey(["warehouse", "conflicts"]), metadata={"dagster/row_count": int(totals["conflicts"])})
    for name in ("target_revisions", "fact_timeline", "consistency_warnings"):
        yield MaterializeResult(asset_key=AssetKey(["warehouse", name]), metadata={"dagster/row_count": int(totals[name])})


def _copies_compared(shingles: ShingleStore, search: copy_search.CopySearch | None) -> tuple[int, int, str | None]:
    """How many documents were compared for copies, how many of them shingled now, and why the shingles
    were not kept (None: they were): by the facts step, or by the search the extraction step started."""
    if search is not None and search.compared:
        return search.compared, search.compared, None  # every document searched was shingled then
    return shingles.read + shingles.computed, shingles.computed, shingles.unavailable


ALL_ASSETS = [warehouse_documents, warehouse_fact_tables]
