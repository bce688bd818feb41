"""The gold-set scorer on hand-made predictions (the real extractor is not involved)."""

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not an installed package

from benchmarks.gold_scoring import load_gold, score, validate_document  # noqa: E402

TEXT = "Tesla a livré 384 122 véhicules au T2 2025, en recul de 13,5 % sur un an."


def claim(**overrides):
    base = dict(entity="Tesla", metric="deliveries", period="2025-Q2", value=384122, unit="vehicles",
                kind="actual", qualifier="exact", surface="384 122")
    return {**base, **overrides}


YOY = claim(metric="deliveries_yoy", value=-13.5, unit="%", surface="13,5 %")
DOC = {"id": "t-1", "language": "fr", "text": TEXT, "published": None, "claims": [claim(), YOY]}


def run(predictions, docs=(DOC,)):
    return score(list(docs), lambda doc: predictions)


def test_true_positives_and_perfect_scores():
    report = run([claim(), dict(YOY)])
    overall = report["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (2, 0, 0)
    assert overall["precision"] == overall["recall"] == overall["f1"] == 1.0
    assert overall["qualifier_accuracy"] == 1.0
    assert report["goal_met"]


def test_wrong_period_is_a_miss_and_a_near_miss_on_period():
    report = run([claim(period="2024-Q2"), dict(YOY)])
    overall = report["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 1, 1)
    assert report["near_miss_fields"] == {"period": 1}
    assert not report["goal_met"]


def test_duplicate_prediction_counts_once_as_tp_and_once_as_fp():
    report = run([claim(), claim(qualifier="approx"), dict(YOY)])
    overall = report["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (2, 1, 0)
    # The duplicate with the right qualifier is the one matched.
    assert overall["qualifier_accuracy"] == 1.0


def test_value_tolerance_is_relative_1e_6():
    assert run([claim(value=384122 * (1 + 5e-7)), dict(YOY)])["overall"]["tp"] == 2
    assert run([claim(value=384122 * (1 + 5e-6)), dict(YOY)])["overall"]["tp"] == 1


def test_qualifier_is_not_required_for_a_match():
    report = run([claim(qualifier="approx"), dict(YOY)])
    assert report["overall"]["tp"] == 2
    assert report["overall"]["qualifier_accuracy"] == 0.5


def test_sign_error_is_reported_as_a_value_near_miss():
    report = run([claim(), dict(YOY, value=13.5)])
    assert report["near_miss_fields"] == {"value": 1}


def test_dataclass_predictions_and_extractor_errors():
    @dataclass(frozen=True)
    class Claim:  # the shape of pipelines.extraction.model.Claim, without importing the extractor
        entity: str
        metric: str
        period: str
        value: float
        unit: str
        kind: str
        qualifier: str
        start: int
        end: int

    predicted = Claim("Tesla", "deliveries", "2025-Q2", 384122.0, "vehicles", "actual", "exact", 14, 21)
    assert run([predicted])["overall"]["tp"] == 1

    def broken(doc):
        raise RuntimeError("boom")

    report = score([DOC], broken)
    assert report["overall"]["errors"] == 1 and report["overall"]["recall"] == 0.0


def test_per_language_and_negative_documents():
    negative = {"id": "t-2", "language": "en", "text": "The SU7 launched in 2024.", "published": None,
                "claims": [], "tags": ["negative"]}

    def predict(doc):
        return [claim()] if doc["id"] == "t-1" else [claim(entity="Xiaomi", surface="2024", value=2024)]

    report = score([DOC, negative], predict)
    assert report["by_language"]["fr"]["recall"] == 0.5
    assert report["by_language"]["en"]["precision"] == 0.0
    assert report["negative_false_positives"] == 1


def test_validation_catches_a_surface_not_in_the_text():
    bad = dict(DOC, claims=[claim(surface="384,122")])
    assert any("surface" in p for p in validate_document(bad))


def test_gold_files_load_and_follow_the_conventions():
    docs = load_gold()  # raises on any invalid document
    assert len(docs) >= 110
    assert sum(len(d["claims"]) for d in docs) >= 170
    assert {d["language"] for d in docs} == {"fr", "en"}
    assert len(load_gold(tags=["negative"])) >= 20
    smoke = load_gold(tags=["smoke"], language="fr")
    assert smoke and all(d["language"] == "fr" for d in smoke)


@pytest.mark.parametrize("doc", load_gold(ids=["fr-001", "en-001"]), ids=lambda d: d["id"])
def test_gold_documents_score_perfectly_against_themselves(doc):
    assert score([doc], lambda d: d["claims"])["overall"]["f1"] == 1.0


def test_error_classes_blame_the_first_wrong_field_and_count_unread_and_extra():
    doc = {**DOC, "tags": ["unlisted_company"]}
    other = {"id": "t-2", "language": "en", "text": "BYD sold 380,000 vehicles in May 2025.", "published": None,
             "claims": [claim(entity="BYD", metric="sales", period="2025-05", value=380000, surface="380,000")]}
    predictions = {
        "t-1": [claim(entity="Xiaomi", period="2024-Q2"), claim(metric="revenue", value=5, unit="CNY", surface="x")],
        "t-2": [claim(entity="BYD", metric="sales", period="2025-05", value=380000, surface="380,000")],
    }
    report = score([doc, other], lambda d: predictions[d["id"]])
    # entity and period both wrong: blamed on the entity; the change was not read; the revenue is extra
    assert report["error_classes"] == {"entity": 1, "not read": 1, "extra": 1}
    assert report["period_errors"] == 1
    assert report["by_tag"]["unlisted_company"]["tp"] == 0
    assert report["without_tag"]["unlisted_company"]["tp"] == 1
