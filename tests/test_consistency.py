"""Arithmetic relations between facts, each holding and each broken (no Dagster)."""

import pandas as pd
import pytest

from pipelines.consistency import check_consistency, quarter_earlier, year_earlier


def facts(*rows):
    base = {"entity": "Xiaomi", "scope": "", "kind": "actual", "unit": "vehicles"}
    return pd.DataFrame([{**base, "fact_id": f"f{i}", "chosen_claim_id": f"c{i}", **row} for i, row in enumerate(rows)])


def relations(frame):
    return sorted(check_consistency(frame)["relation"])


LEVELS = [{"metric": "gross_margin", "period": "2025-Q2", "value": 26.4, "unit": "%"},
          {"metric": "gross_margin", "period": "2024-Q2", "value": 15.4, "unit": "%"}]


@pytest.mark.parametrize("points, warned", [(11, False), (10.9, False), (12, True), (-11, True)])
def test_a_level_and_its_change_in_points(points, warned):
    frame = facts(*LEVELS, {"metric": "gross_margin_yoy", "period": "2025-Q2", "value": points, "unit": "pp"})
    assert relations(frame) == (["level_change"] if warned else [])


@pytest.mark.parametrize("rate, warned", [(198, False), (197.7, False), (200, True), (98, True)])
def test_a_growth_rate_and_its_two_levels(rate, warned):
    frame = facts({"metric": "deliveries", "period": "2025-Q2", "value": 81302}, {"metric": "deliveries", "period": "2024-Q2", "value": 27307},
                  {"metric": "deliveries_yoy", "period": "2025-Q2", "value": rate, "unit": "%"})
    found = check_consistency(frame)
    assert relations(frame) == (["growth_rate"] if warned else [])
    if warned:
        assert found.iloc[0]["expected"] == pytest.approx(197.73, abs=0.01)
        assert "+197.7 %" in found.iloc[0]["explanation"]


def test_a_quarter_on_quarter_rate():
    frame = facts({"metric": "deliveries", "period": "2025-Q2", "value": 81302}, {"metric": "deliveries", "period": "2025-Q1", "value": 75869},
                  {"metric": "deliveries_qoq", "period": "2025-Q2", "value": 17, "unit": "%"})
    assert relations(frame) == ["growth_rate"]  # +7.2 %, not +17 %


@pytest.mark.parametrize("q2, warned", [(1_145_150, False), (1_154_150, True)])
def test_a_half_year_and_its_two_quarters(q2, warned):
    frame = facts({"entity": "BYD", "metric": "sales", "period": "2025-H1", "value": 2_145_954},
                  {"entity": "BYD", "metric": "sales", "period": "2025-Q1", "value": 1_000_804},
                  {"entity": "BYD", "metric": "sales", "period": "2025-Q2", "value": q2})
    assert relations(frame) == (["half_year_quarters"] if warned else [])


@pytest.mark.parametrize("year, warned", [(1_789_226, False), (1_808_581, True)])
def test_a_year_and_its_quarters(year, warned):
    quarters = [386_810, 443_956, 462_890, 495_570]
    frame = facts({"entity": "Tesla", "metric": "deliveries", "period": "2024", "value": year},
                  *({"entity": "Tesla", "metric": "deliveries", "period": f"2024-Q{q}", "value": v} for q, v in enumerate(quarters, 1)))
    assert relations(frame) == (["year_quarters"] if warned else [])


def test_a_year_with_three_quarters_only_is_not_checked():
    frame = facts({"metric": "deliveries", "period": "2024", "value": 10},
                  *({"metric": "deliveries", "period": f"2024-Q{q}", "value": 1} for q in (1, 2, 3)))
    assert relations(frame) == []


@pytest.mark.parametrize("share, warned", [(17.8, False), (19.8, True)])
def test_a_share_with_its_part_and_total(share, warned):
    frame = facts({"metric": "revenue", "scope": "automotive", "period": "2025-Q2", "value": 20.6e9, "unit": "CNY"},
                  {"metric": "revenue", "scope": "group", "period": "2025-Q2", "value": 116.0e9, "unit": "CNY"},
                  {"metric": "revenue_share", "scope": "automotive", "period": "2025-Q2", "value": share, "unit": "%"})
    assert relations(frame) == (["share_part_total"] if warned else [])


def test_levels_and_rates_are_not_summed():
    frame = facts({"metric": "gross_margin", "period": "2025-H1", "value": 50, "unit": "%"},
                  {"metric": "gross_margin", "period": "2025-Q1", "value": 20, "unit": "%"},
                  {"metric": "gross_margin", "period": "2025-Q2", "value": 20, "unit": "%"})
    assert relations(frame) == []


def test_periods():
    assert year_earlier("2025-Q2") == "2024-Q2" and year_earlier("2025") == "2024" and year_earlier("2025-06") == "2024-06"
    assert quarter_earlier("2025-Q1") == "2024-Q4" and quarter_earlier("2025") is None


def test_no_facts_no_warnings():
    assert check_consistency(facts().reindex(columns=["entity", "metric", "scope", "period", "kind", "value", "unit"])).empty
