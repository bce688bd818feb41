"""One Pandera model per warehouse table. The same models validate the data, document the DuckDB
columns (COMMENT ON COLUMN) and describe the columns in the Dagster UI."""

from .claims import ClaimsSchema, QuarantinedClaimsSchema
from .conflicts import ConflictsSchema
from .document_versions import DocumentVersionsSchema
from .documents import DocumentsSchema
from .facts import FactsSchema
from .reconciliation_details import ConsistencyWarningsSchema, FactTimelineSchema, TargetRevisionsSchema
from .tools import column_descriptions, table_key, validate_lazily, validation_failures

TABLE_SCHEMAS = {
    "documents": DocumentsSchema,
    "document_versions": DocumentVersionsSchema,
    "claims": ClaimsSchema,
    "quarantined_claims": QuarantinedClaimsSchema,
    "facts": FactsSchema,
    "conflicts": ConflictsSchema,
    "target_revisions": TargetRevisionsSchema,
    "fact_timeline": FactTimelineSchema,
    "consistency_warnings": ConsistencyWarningsSchema,
}

__all__ = [
    "TABLE_SCHEMAS",
    "ClaimsSchema",
    "ConflictsSchema",
    "ConsistencyWarningsSchema",
    "FactTimelineSchema",
    "TargetRevisionsSchema",
    "DocumentVersionsSchema",
    "DocumentsSchema",
    "FactsSchema",
    "QuarantinedClaimsSchema",
    "column_descriptions",
    "table_key",
    "validate_lazily",
    "validation_failures",
]
