import pandera.pandas as pa
from pandera.typing import Series


class ConflictsSchema(pa.DataFrameModel):
    """Groups of claims about one fact that disagree, how they were classified and resolved."""

    conflict_id: Series[str] = pa.Field(unique=True, description="Stable id of the conflict")
    fact_id: Series[str] = pa.Field(description="The fact the claims are about")
    entity: Series[str] = pa.Field(description="Company or product")
    metric: Series[str] = pa.Field(description="Canonical metric id")
    scope: Series[str] = pa.Field(description="Segment, empty when not stated")
    period: Series[str] = pa.Field(description="Period")
    kind: Series[str] = pa.Field(description="Kind of the fact")
    classification: Series[str] = pa.Field(isin=["revision", "disagreement", "unit_mismatch"], description="revision (a target changed), disagreement (sources state different values) or unit_mismatch")
    resolution: Series[str] = pa.Field(description="What the reconciler did about it")
    values: Series[object] = pa.Field(description="The distinct values stated, in base units")
    claim_ids: Series[object] = pa.Field(description="The claims involved")
    document_ids: Series[object] = pa.Field(description="The documents involved")
    n_sources: Series[int] = pa.Field(ge=1, description="Independent sources involved (copies of one text count once)")
    explanation: Series[str] = pa.Field(str_length={"min_value": 1}, description="One sentence on the conflict and its resolution")
    provisional_value: Series[float] = pa.Field(nullable=True, description="The value the disputed fact takes until the sources agree (empty for a unit mismatch)")
    rule: Series[str] = pa.Field(nullable=True, description="The decision step that chose the provisional value (see facts.rule)")
    signals: Series[object] = pa.Field(description="Codes of what likely explains the disagreement: probable_typo, probable_scale_error, different_scope, outlier")
    signal_details: Series[object] = pa.Field(description="One sentence per signal, naming the values")
    candidates: Series[str] = pa.Field(description="JSON list of every candidate value: its claims, documents, independent sources, issuer, best tier, flags, and whether it was chosen")
    policy_version: Series[str] = pa.Field(description="Version of the reconciliation policy that resolved the conflict")

    class Config:
        strict = True
        coerce = True
