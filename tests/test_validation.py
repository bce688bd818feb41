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


def test_claims_validated_a_few_documents_at_a_time_split_as_all_at_once(tmp_path):
    """A run validates each batch of documents while the next are extracted: the valid and quarantined
    claims, and their order, are those of validating every claim at once."""
    from pipelines.claim_table import extract_all
    from pipelines.ingest import read_sources
    from pipelines.validation import extract_and_validate

    for i in range(4):
        (tmp_path / f"a{i}_dated.md").write_text(
            f"---\npublished: 2025-07-0{i + 1}\n---\nTesla delivered {384_000 + i:,} vehicles in the second quarter of 2025. "
            f"Revenue reached ${22 + i}.5 billion.\n", encoding="utf-8")
        # undated, a quarter without its year: quarantined
        (tmp_path / f"b{i}_undated.txt").write_text(f"BYD delivered {380_000 + i:,} vehicles in the third quarter.\n", encoding="utf-8")
    documents = read_sources(tmp_path)
    claims, _ = extract_all(documents)
    valid, quarantined = validate_claims(claims)
    assert len(valid) == 8 and len(quarantined) == 4
    for per_batch in (1, 3, 1_000):
        in_batches = extract_and_validate(documents, claims_per_batch=per_batch)
        pd.testing.assert_frame_equal(in_batches[0], valid)
        pd.testing.assert_frame_equal(in_batches[1], quarantined)
        assert in_batches[2].empty
    # a document given twice: its claims' ids repeat, which only one batch can tell
    twice = pd.concat([documents, documents.iloc[:1]], ignore_index=True)
    valid_twice, quarantined_twice, _ = extract_and_validate(twice, claims_per_batch=1)
    assert len(valid_twice) == 6 and "claim_id" in quarantined_twice["reasons"].str.cat()
