"""Validation: a claim that fails the schema is quarantined with every reason; valid ones pass untouched."""

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from pipelines.validation import validate_claims
from schemas.dtypes import Text
from schemas.tools import validate_lazily

GOOD = {
    "claim_id": "c1", "document_id": "0123456789abcdef", "document": "a.txt", "entity": "BYD", "metric": "deliveries",
    "scope": "", "period": "2025-Q2", "value": 1000.0, "unit": "vehicles", "kind": "actual", "qualifier": "exact",
    "start": 10, "end": 15, "page": None, "quote": "BYD delivered 1,000 vehicles.", "surface": "1,000", "context": "sentence",
    "precision": 0.5, "notes": "", "extractor_version": "1", "document_chars": 100,
}


def claims(*changes):
    rows = []
    for i, change in enumerate(changes):
        rows.append({**GOOD, "claim_id": f"c{i}", **change})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"metric": "gross_margin", "unit": "%", "value": 126.4}, "percentage level lies between -100 and 100"),
        ({"value": -5.0}, "not negative"),
        ({"unit": "XYZ", "metric": "revenue"}, "unit is known"),
        ({"metric": "happiness"}, "metric is known"),
        ({"metric": "revenue", "unit": "vehicles"}, "unit fits the metric"),
        ({"kind": "rumour"}, "kind"),
        ({"qualifier": "maybe"}, "qualifier"),
        ({"period": "Q2 of 2025"}, "period"),
        ({"period": ""}, "period unknown: the text names no year for it and the document has no date"),
        ({"entity": ""}, "entity"),
        ({"start": 90, "end": 120}, "span lies inside the document"),
        ({"metric": "deliveries_yoy", "unit": "%", "value": -150.0}, "decline in percent cannot exceed 100"),
        ({"metric": "gross_margin_yoy", "unit": "%", "value": 3.0}, "unit fits the metric"),
    ],
)
def test_bad_claims_are_quarantined_with_the_reason(change, reason):
    valid, quarantined = validate_claims(claims({}, change))
    assert list(valid["claim_id"]) == ["c0"]
    assert list(quarantined["claim_id"]) == ["c1"]
    assert reason in quarantined.loc[0, "reasons"]


def test_every_reason_is_kept():
    _, quarantined = validate_claims(claims({"unit": "XYZ", "kind": "rumour", "metric": "revenue"}))
    reasons = quarantined.loc[0, "reasons"]
    assert "unit is known" in reasons and "kind" in reasons


def test_plausible_claims_pass():
    valid, quarantined = validate_claims(claims(
        {}, {"metric": "net_result", "unit": "CNY", "value": -5e9},
        {"metric": "gross_margin_yoy", "unit": "pp", "value": -2.5},
        {"metric": "deliveries_yoy", "unit": "%", "value": 198.0},
        {"metric": "cumulative_deliveries", "period": "2025-06-30", "value": 300000.0},
    ))
    assert quarantined.empty
    assert len(valid) == 5


class _AsStr(pa.DataFrameModel):
    required: Series[str] = pa.Field(str_length={"min_value": 1})
    optional: Series[str] = pa.Field(nullable=True)

    class Config:
        coerce = True


class _AsText(pa.DataFrameModel):
    required: Series[Text] = pa.Field(str_length={"min_value": 1})
    optional: Series[Text] = pa.Field(nullable=True)

    class Config:
        coerce = True


@pytest.mark.parametrize("values", [
    ["a", "b", "c"],                                   # strings: the quick way
    ["a", None, "c"], ["a", float("nan"), "c"],        # missing, where it may be and where not
    ["a", 3, 2.5], ["a", b"bytes", True],              # converted to text as Pandera converts them
    pd.array(["a", "b", "c"], dtype="string"), pd.array(["a", None, "c"], dtype="string"),  # another type of column
    [],
])
def test_a_text_column_validates_as_pandera_validates_str(values):
    frame = pd.DataFrame({"required": values, "optional": values})
    results = []
    for model in (_AsStr, _AsText):
        checked, failures = validate_lazily(model, frame.copy())
        results.append((None if checked is None else checked.to_dict("list"), None if checked is None else checked.dtypes.to_dict(),
                        failures.astype(str).to_dict("list")))
    assert results[0] == results[1]
