import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipelines.extraction.model import KINDS, QUALIFIERS
from pipelines.extraction.vocabulary import allowed_units, known_metric, unit_fits_metric

from .dtypes import Text

PERIOD_PATTERN = r"^\d{4}(-(Q[1-4]|H[12]|YTD-\d{2}|(0[1-9]|1[0-2])(-\d{2})?))?$"
LEVEL_PERCENT_LIMIT = 100.0


def _claim_check(description: str):
    """A check of every claim. Pandera lets a row whose every column is missing pass a dataframe check,
    which costs a scan of the whole frame for each check (0.6 s over 160,000 claims); no claim is
    such a row."""
    return pa.dataframe_check(description=description, ignore_na=False)


class ClaimsSchema(pa.DataFrameModel):
    """Every figure a document states that passed validation, with the sentence it came from."""

    claim_id: Series[Text] = pa.Field(unique=True, description="Stable id: hash of document, span, metric and kind")
    document_id: Series[Text] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The document the figure was read from")
    document: Series[Text] = pa.Field(description="Path of that document in the sources folder")
    entity: Series[Text] = pa.Field(str_length={"min_value": 1}, description="Company or product the figure is about")
    metric: Series[Text] = pa.Field(description="Canonical metric id (deliveries, revenue, gross_margin, deliveries_yoy, ...)")
    scope: Series[Text] = pa.Field(description="Segment the figure is stated for (automotive, group, ...), empty when not stated")
    period: Series[Text] = pa.Field(str_matches=PERIOD_PATTERN, description="2025-Q2, 2025-H1, 2025, 2025-06, or the as-of date 2025-06-30")
    value: Series[float] = pa.Field(description="Value in base units (20.6 bn yuan is 20600000000); negative for losses")
    unit: Series[Text] = pa.Field(description="ISO 4217 code, % , pp (percentage points) or a count noun such as vehicles")
    kind: Series[Text] = pa.Field(isin=list(KINDS), description="actual, target, forecast or previous (a superseded target)")
    qualifier: Series[Text] = pa.Field(isin=list(QUALIFIERS), description="exact, approx, at_least or at_most")
    start: Series[int] = pa.Field(ge=0, description="Offset of the figure's first character in the document text")
    end: Series[int] = pa.Field(ge=1, description="Offset just past the figure's last character")
    page: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="PDF page the figure is printed on (1 is the first); empty for other formats")
    quote: Series[Text] = pa.Field(str_length={"min_value": 1}, description="The sentence or table row the figure was read from")
    surface: Series[Text] = pa.Field(description="The figure as written")
    context: Series[Text] = pa.Field(isin=["sentence", "table"], description="Read from a sentence or from a table")
    precision: Series[float] = pa.Field(ge=0, description="Half the unit of the last written digit, in base units")
    notes: Series[Text] = pa.Field(description="How the extractor decided what it did not read directly")
    extractor_version: Series[Text] = pa.Field(description="Version of the extractor that read the figure")

    @_claim_check("the figure's span lies inside the document")
    def span_inside_document(cls, df: pd.DataFrame) -> Series[bool]:
        inside = df["end"] > df["start"]
        if "document_chars" in df:
            inside &= df["end"] <= df["document_chars"]
        return inside

    @_claim_check("the unit is known to the lexicon")
    def unit_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["unit"].isin(allowed_units())

    @_claim_check("the metric is known to the lexicon")
    def metric_known(cls, df: pd.DataFrame) -> Series[bool]:
        # asked once per distinct metric: a warehouse holds many claims of few metrics
        return df["metric"].map({metric: known_metric(metric) for metric in df["metric"].unique()}).astype(bool)

    @_claim_check("the unit fits the metric (money for revenue, % for a margin)")
    def unit_fits(cls, df: pd.DataFrame) -> Series[bool]:
        pairs = list(zip(df["unit"], df["metric"]))
        fits = {pair: unit_fits_metric(*pair) for pair in set(pairs)}
        return pd.Series([fits[pair] for pair in pairs], index=df.index, dtype=bool)

    @_claim_check("a percentage level lies between -100 and 100")
    def percent_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        change = df["metric"].str.endswith(("_yoy", "_qoq"))
        level = (df["unit"] == "%") & ~change
        return ~level | df["value"].between(-LEVEL_PERCENT_LIMIT, LEVEL_PERCENT_LIMIT)

    @_claim_check("a decline in percent cannot exceed 100 %")
    def growth_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        change = df["metric"].str.endswith(("_yoy", "_qoq")) & (df["unit"] == "%")
        return ~change | (df["value"] >= -100)

    @_claim_check("a change in points lies between -100 and 100")
    def points_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "pp") | df["value"].between(-100, 100)

    @_claim_check("volumes, revenue and prices are not negative")
    def non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        can_be_negative = df["metric"].str.contains("result|profit|margin|_yoy|_qoq", regex=True)
        return can_be_negative | (df["value"] >= 0)

    class Config:
        coerce = True


class QuarantinedClaimsSchema(pa.DataFrameModel):
    """Figures that failed validation, kept with the reasons, never silently dropped."""

    claim_id: Series[Text] = pa.Field(description="Stable id of the rejected figure")
    document_id: Series[Text] = pa.Field(description="The document the figure was read from")
    document: Series[Text] = pa.Field(description="Path of that document")
    entity: Series[Text] = pa.Field(nullable=True, description="Company or product, as far as the extractor got")
    metric: Series[Text] = pa.Field(nullable=True, description="Metric id, as far as the extractor got")
    scope: Series[Text] = pa.Field(nullable=True, description="Segment, if stated")
    period: Series[Text] = pa.Field(nullable=True, description="Period, as far as the extractor got")
    value: Series[float] = pa.Field(nullable=True, description="Value in base units")
    unit: Series[Text] = pa.Field(nullable=True, description="Unit, as far as the extractor got")
    kind: Series[Text] = pa.Field(nullable=True, description="actual, target, forecast or previous")
    qualifier: Series[Text] = pa.Field(nullable=True, description="exact, approx, at_least or at_most")
    start: Series[int] = pa.Field(nullable=True, description="Offset of the figure in the document text")
    end: Series[int] = pa.Field(nullable=True, description="Offset just past the figure")
    page: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="PDF page of the figure; empty for other formats")
    quote: Series[Text] = pa.Field(nullable=True, description="The sentence or table row")
    surface: Series[Text] = pa.Field(nullable=True, description="The figure as written")
    context: Series[Text] = pa.Field(nullable=True, description="sentence or table")
    extractor_version: Series[Text] = pa.Field(description="Version of the extractor")
    reasons: Series[Text] = pa.Field(str_length={"min_value": 1}, description="Every check the figure failed, separated by '; '")

    class Config:
        strict = True
        coerce = True
