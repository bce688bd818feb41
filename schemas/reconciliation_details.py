import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .dtypes import Text


class TargetRevisionsSchema(pa.DataFrameModel):
    """Every value a target has had, in order: each superseded value is linked to its successor, with the
    date it was stated and the date it was superseded."""

    fact_id: Series[Text] = pa.Field(description="The target fact (kind target) the chain belongs to")
    entity: Series[Text] = pa.Field(description="Company or product")
    metric: Series[Text] = pa.Field(description="Canonical metric id")
    scope: Series[Text] = pa.Field(description="Segment, empty when not stated")
    period: Series[Text] = pa.Field(description="Period the target is for")
    step: Series[int] = pa.Field(ge=1, description="Position in the chain, 1 for the first value")
    value: Series[float] = pa.Field(description="The target value, in base units")
    unit: Series[Text] = pa.Field(description="Unit of the value")
    status: Series[Text] = pa.Field(isin=["superseded", "current"], description="superseded, or current for the last value of the chain")
    stated_on: Series[pd.Timestamp] = pa.Field(nullable=True, description="Publication date of the first source stating the value as the target; empty when only named as a former target or undated")
    successor_value: Series[float] = pa.Field(nullable=True, description="The value that superseded it; empty for the current value")
    superseded_on: Series[pd.Timestamp] = pa.Field(nullable=True, description="Publication date of the first source stating the successor")
    cue: Series[Text] = pa.Field(nullable=True, description="What marks the supersession: a revision cue in the successor's sentence ('raised', 'relève'...), or a later statement")
    claim_ids: Series[object] = pa.Field(description="The claims stating the value (as target or as former target)")
    document_ids: Series[object] = pa.Field(description="The documents of those claims")
    policy_version: Series[Text] = pa.Field(description="Version of the reconciliation policy")

    class Config:
        strict = True
        coerce = True
        unique = ["fact_id", "step"]  # the table's key


class FactTimelineSchema(pa.DataFrameModel):
    """What the warehouse believed about each fact over time: a row per value (or status) a fact took as
    sources were published, valid from known_from until known_until."""

    fact_id: Series[Text] = pa.Field(description="The fact")
    entity: Series[Text] = pa.Field(description="Company or product")
    metric: Series[Text] = pa.Field(description="Canonical metric id")
    scope: Series[Text] = pa.Field(description="Segment, empty when not stated")
    period: Series[Text] = pa.Field(description="Period the fact describes")
    kind: Series[Text] = pa.Field(description="actual, target, forecast or previous")
    value: Series[float] = pa.Field(description="The value believed then, in base units")
    unit: Series[Text] = pa.Field(description="Unit of the value")
    status: Series[Text] = pa.Field(description="Status of the fact then (single, confirmed, revised, disputed...)")
    rule: Series[Text] = pa.Field(description="The rule that decided it then")
    known_from: Series[pd.Timestamp] = pa.Field(nullable=True, description="From when it was believed: the publication date that brought it, or the ingestion time of an undated source")
    known_until: Series[pd.Timestamp] = pa.Field(nullable=True, description="Until when: the next publication that changed it; empty while it is still believed")
    known_from_document_id: Series[Text] = pa.Field(description="A document published at known_from, that brought the change")
    step: Series[int] = pa.Field(ge=1, description="Order of the row among the fact's rows (1 = the first value believed)")
    new_claim_ids: Series[object] = pa.Field(description="The claims learned since the fact's previous row; the claims known then are those of this row and of the fact's earlier rows")
    new_document_ids: Series[object] = pa.Field(description="The documents of those claims not listed in the fact's earlier rows")
    n_sources: Series[int] = pa.Field(ge=1, description="Independent sources known then")
    policy_version: Series[Text] = pa.Field(description="Version of the reconciliation policy")

    class Config:
        strict = True
        coerce = True
        unique = ["fact_id", "step"]  # the table's key


class ConsistencyWarningsSchema(pa.DataFrameModel):
    """Arithmetic relations between facts that do not hold: a level and its change, a growth rate and its
    two levels, a half-year and its quarters, a year and its quarters, a share and its part and total."""

    warning_id: Series[Text] = pa.Field(unique=True, description="Stable id: hash of the relation and its facts")
    entity: Series[Text] = pa.Field(description="Company or product")
    relation: Series[Text] = pa.Field(isin=["level_change", "growth_rate", "half_year_quarters", "year_quarters", "share_part_total"], description="level_change, growth_rate, half_year_quarters, year_quarters or share_part_total")
    metric: Series[Text] = pa.Field(description="The metric checked (the level's metric)")
    scope: Series[Text] = pa.Field(description="Segment, empty when not stated")
    period: Series[Text] = pa.Field(description="The period checked")
    expected: Series[float] = pa.Field(description="The value the relation implies from the other facts")
    stated: Series[float] = pa.Field(description="The value stated")
    difference: Series[float] = pa.Field(description="stated minus expected")
    tolerance: Series[float] = pa.Field(ge=0, description="The largest difference the stated precisions allow")
    fact_ids: Series[object] = pa.Field(description="The facts involved")
    explanation: Series[Text] = pa.Field(str_length={"min_value": 1}, description="One sentence on the relation and how far it is off")

    class Config:
        strict = True
        coerce = True
