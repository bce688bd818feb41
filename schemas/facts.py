import pandera.pandas as pa
from pandera.typing import Series

FACT_STATUSES = ["single", "consistent", "confirmed", "revised", "superseded", "disputed"]


class FactsSchema(pa.DataFrameModel):
    """One row per entity, metric, scope, period and kind: the reconciled value and how it was decided."""

    fact_id: Series[str] = pa.Field(unique=True, description="Stable id: hash of entity, metric, scope, period and kind")
    entity: Series[str] = pa.Field(str_length={"min_value": 1}, description="Company or product")
    metric: Series[str] = pa.Field(description="Canonical metric id")
    scope: Series[str] = pa.Field(description="Segment the figure is for, empty when not stated")
    period: Series[str] = pa.Field(description="Period of the figure (as-of date for cumulative figures)")
    kind: Series[str] = pa.Field(isin=["actual", "target", "forecast", "previous"], description="actual, target, forecast or previous")
    value: Series[float] = pa.Field(description="The reconciled value, in base units")
    unit: Series[str] = pa.Field(description="Unit of the value")
    qualifier: Series[str] = pa.Field(isin=["exact", "approx", "at_least", "at_most"], description="Qualifier of the chosen claim")
    status: Series[str] = pa.Field(isin=FACT_STATUSES, description="single, consistent (mentions of one source agree), confirmed (independent sources agree), revised, superseded or disputed")
    rule: Series[str] = pa.Field(description="The reconciliation rule that decided the value")
    chosen_claim_id: Series[str] = pa.Field(description="The claim whose value the fact takes")
    n_claims: Series[int] = pa.Field(ge=1, description="Claims in the group")
    n_sources: Series[int] = pa.Field(ge=1, description="Independent documents among them")
    superseded_value: Series[float] = pa.Field(nullable=True, description="For a revised target: the value it replaced")
    explanation: Series[str] = pa.Field(str_length={"min_value": 1}, description="One line on how the value was decided")

    class Config:
        strict = True
        coerce = True
