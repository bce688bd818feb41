import pandera.pandas as pa
from pandera.typing import Series

from .dtypes import Text


class ConflictsSchema(pa.DataFrameModel):
    """Groups of claims about one fact that disagree, how they were classified and resolved."""

    conflict_id: Series[Text] = pa.Field(unique=True, description="Stable id of the conflict")
    fact_id: Series[Text] = pa.Field(description="The fact the claims are about")
    entity: Series[Text] = pa.Field(description="Company or product")
    metric: Series[Text] = pa.Field(description="Canonical metric id")
    scope: Series[Text] = pa.Field(description="Segment, empty when not stated")
    period: Series[Text] = pa.Field(description="Period")
    kind: Series[Text] = pa.Field(description="Kind of the fact")
    classification: Series[Text] = pa.Field(isin=["revision", "disagreement", "unit_mismatch"], description="revision (a target changed), disagreement (sources state different values) or unit_mismatch")
    resolution: Series[Text] = pa.Field(description="What the reconciler did about it")
    values: Series[object] = pa.Field(description="The distinct values stated, in base units")
    claim_ids: Series[object] = pa.Field(description="The claims involved")
    document_ids: Series[object] = pa.Field(description="The documents involved")
    n_sources: Series[int] = pa.Field(ge=1, description="Independent sources involved (copies of one text count once)")
    explanation: Series[Text] = pa.Field(str_length={"min_value": 1}, description="One sentence on the conflict and its resolution")
    provisional_value: Series[float] = pa.Field(nullable=True, description="The value the disputed fact takes until the sources agree (empty for a unit mismatch)")
    rule: Series[Text] = pa.Field(nullable=True, description="The decision step that chose the provisional value (see facts.rule)")
    signals: Series[object] = pa.Field(description="Codes of what likely explains the disagreement: probable_typo, probable_scale_error, different_scope, outlier")
    signal_details: Series[object] = pa.Field(description="One sentence per signal, naming the values")
    candidates: Series[Text] = pa.Field(description="JSON list of every candidate value: its claims, documents, independent sources, issuer, best tier, flags, and whether it was chosen")
    policy_version: Series[Text] = pa.Field(description="Version of the reconciliation policy that resolved the conflict")

    class Config:
        strict = True
        coerce = True
