import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .dtypes import Text

FACT_STATUSES = ["single", "consistent", "confirmed", "revised", "superseded", "disputed"]


class FactsSchema(pa.DataFrameModel):
    """One row per entity, metric, scope, period and kind: the reconciled value and how it was decided."""

    fact_id: Series[Text] = pa.Field(unique=True, description="Stable id: hash of entity, metric, scope, period and kind")
    entity: Series[Text] = pa.Field(str_length={"min_value": 1}, description="Company or product")
    metric: Series[Text] = pa.Field(description="Canonical metric id")
    scope: Series[Text] = pa.Field(description="Segment the figure is for, empty when not stated")
    period: Series[Text] = pa.Field(description="Period of the figure (as-of date for cumulative figures)")
    kind: Series[Text] = pa.Field(isin=["actual", "target", "forecast", "previous"], description="actual, target, forecast or previous")
    value: Series[float] = pa.Field(description="The reconciled value, in base units")
    unit: Series[Text] = pa.Field(description="Unit of the value")
    qualifier: Series[Text] = pa.Field(isin=["exact", "approx", "at_least", "at_most"], description="Qualifier of the chosen claim")
    status: Series[Text] = pa.Field(isin=FACT_STATUSES, description="single, consistent (mentions of one source agree), confirmed (independent sources agree), revised, superseded or disputed")
    rule: Series[Text] = pa.Field(description="The rule that decided the value: single_claim, agreeing_mentions, corroborated, latest_revision, superseded_target, exact_over_hedged, or for a disputed fact the decision step (plausible_value, issuer_release, most_reliable_source, majority_of_sources, most_precise, most_recent)")
    chosen_claim_id: Series[Text] = pa.Field(description="The claim whose value the fact takes")
    n_claims: Series[int] = pa.Field(ge=1, description="Claims in the group")
    n_sources: Series[int] = pa.Field(ge=1, description="Independent sources among them: copies of one text (syndicated or translated) count once")
    superseded_value: Series[float] = pa.Field(nullable=True, description="For a revised target: the value it replaced")
    superseded_by_value: Series[float] = pa.Field(nullable=True, description="For a former target (kind previous): the value that replaced it")
    explanation: Series[Text] = pa.Field(str_length={"min_value": 1}, description="One sentence on how the value was decided: the candidates, the rule and why")
    learned_at: Series[pd.Timestamp] = pa.Field(nullable=True, description="When the warehouse learned the value: publication date of the first source stating it, else when that source was first ingested")
    learned_from_document_id: Series[Text] = pa.Field(description="The document the value was first learned from")
    policy_version: Series[Text] = pa.Field(description="Version of the reconciliation policy (pipelines/reconciliation_policy.yaml) that decided the value")

    class Config:
        strict = True
        coerce = True
