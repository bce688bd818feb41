"""Validation: a claim that fails the schema is quarantined with every reason; valid ones pass untouched."""

import pandas as pd
import pytest

from pipelines.validation import validate_claims

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
