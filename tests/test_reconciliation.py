"""Reconciliation rules, on hand-made claims."""

import pandas as pd
import pytest

from pipelines.reconciliation import reconcile

BASE = {"entity": "Tesla", "metric": "deliveries", "scope": "", "period": "2025-Q2", "unit": "vehicles", "kind": "actual",
        "qualifier": "exact", "precision": 0.5, "start": 0, "end": 5, "surface": "", "document": "a.txt"}


def claims(*rows):
    return pd.DataFrame([{**BASE, "claim_id": f"c{i}", "document_id": f"{i:016x}", **row} for i, row in enumerate(rows)])


def documents(dates: dict):
    return pd.DataFrame({"document_id": list(dates), "published_date": pd.to_datetime(list(dates.values()))})


def only(frame, **where):
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_repeated_mentions_in_one_document_are_one_source():
    facts, conflicts = reconcile(claims({"value": 384122, "document_id": "d" * 16}, {"value": 384122, "document_id": "d" * 16, "start": 50}))
    fact = only(facts)
    assert (fact["status"], fact["rule"], fact["n_claims"], fact["n_sources"]) == ("consistent", "agreeing_mentions", 2, 1)
    assert conflicts.empty


def test_independent_sources_that_agree_confirm_the_fact():
    facts, _ = reconcile(claims({"value": 384122}, {"value": 384122}))
    assert only(facts)["status"] == "confirmed"


def test_a_hedged_mention_corroborates_the_exact_one():
    facts, conflicts = reconcile(claims(
        {"metric": "deliveries_yoy", "unit": "%", "value": 198},
        {"metric": "deliveries_yoy", "unit": "%", "value": 200, "qualifier": "approx"},
    ))
    fact = only(facts)
    assert fact["value"] == 198 and fact["qualifier"] == "exact" and fact["status"] == "confirmed"
    assert conflicts.empty


def test_rounding_within_stated_precision_agrees():
    facts, conflicts = reconcile(claims(
        {"metric": "revenue", "unit": "CNY", "value": 20.6e9, "precision": 0.05e9},
        {"metric": "revenue", "unit": "CNY", "value": 20.63e9, "precision": 0.005e9},
    ))
    assert conflicts.empty
    assert only(facts)["value"] == pytest.approx(20.63e9)  # the more precise figure is kept


def test_true_disagreement_makes_a_disputed_fact_and_a_conflict():
    facts, conflicts = reconcile(claims({"value": 384122}, {"value": 384122}, {"value": 410000}))
    fact = only(facts)
    assert fact["status"] == "disputed" and fact["rule"] == "majority_of_sources" and fact["value"] == 384122
    conflict = only(conflicts)
    assert conflict["classification"] == "disagreement"
    assert conflict["values"] == [384122.0, 410000.0]
    assert conflict["n_sources"] == 3


def test_a_bound_agrees_with_values_past_it():
    facts, conflicts = reconcile(claims(
        {"metric": "cumulative_deliveries", "value": 300000, "qualifier": "at_least"},
        {"metric": "cumulative_deliveries", "value": 300000, "qualifier": "approx"},
    ))
    assert conflicts.empty
    assert only(facts)["qualifier"] == "at_least"


def test_a_revised_target_supersedes_the_previous_value_in_the_same_document():
    facts, conflicts = reconcile(claims(
        {"period": "2024", "kind": "previous", "value": 100000, "document_id": "d" * 16},
        {"period": "2024", "kind": "target", "value": 120000, "document_id": "d" * 16, "start": 90},
    ))
    target = only(facts, kind="target")
    assert (target["value"], target["status"], target["rule"], target["superseded_value"]) == (120000, "revised", "latest_revision", 100000)
    assert only(facts, kind="previous")["status"] == "superseded"
    assert only(conflicts)["classification"] == "revision"


def test_a_later_publication_revises_an_earlier_target():
    rows = claims({"period": "2024", "kind": "target", "value": 100000}, {"period": "2024", "kind": "target", "value": 120000})
    dates = documents({rows.loc[0, "document_id"]: "2024-03-01", rows.loc[1, "document_id"]: "2024-09-01"})
    facts, conflicts = reconcile(rows, dates)
    target = only(facts, kind="target")
    assert target["value"] == 120000 and target["superseded_value"] == 100000
    # Reversed dates: the later document still wins.
    dates = documents({rows.loc[0, "document_id"]: "2024-09-01", rows.loc[1, "document_id"]: "2024-03-01"})
    facts, _ = reconcile(rows, dates)
    assert only(facts, kind="target")["value"] == 100000


@pytest.mark.parametrize("parallel", [False, True])
def test_a_revised_targets_timeline_and_chain_keep_their_dates_whichever_process_decides_it(parallel):
    """A target revised by a later publication, for many entities: each timeline row is known from its
    source's date until the next row's, the current one until no date, and the revision chain has the
    dates its values were stated and superseded on; a target known only from an undated source has no
    date anywhere. In this process as in the worker, the columns are dates."""
    from pipelines.reconciliation import reconcile_all

    rows = claims(*({"entity": f"Maker {i // 3}", "period": "2024", "kind": "target", "value": 100000 + 20000 * (i % 3 == 1)}
                    for i in range(90)))
    days = ["2024-03-01", "2024-09-01", None]
    dates = documents({d: days[i % 3] for i, d in enumerate(rows["document_id"])})
    result = reconcile_all(rows, dates, parallel=parallel)
    for frame, columns in ((result.timeline, ["known_from", "known_until"]), (result.revisions, ["stated_on", "superseded_on"]),
                           (result.facts, ["learned_at"])):
        assert all(str(frame[column].dtype) == "datetime64[ns]" for column in columns)
    timeline = result.timeline[result.timeline["entity"] == "Maker 7"].sort_values("step")
    assert timeline[["value", "known_from", "known_until"]].values.tolist() == [
        [100000.0, pd.Timestamp("2024-03-01"), pd.Timestamp("2024-09-01")], [120000.0, pd.Timestamp("2024-09-01"), pd.NaT]]
    chain = result.revisions[result.revisions["entity"] == "Maker 7"].sort_values("step")
    assert chain[["value", "stated_on", "superseded_on"]].values.tolist() == [
        [100000.0, pd.Timestamp("2024-03-01"), pd.Timestamp("2024-09-01")], [120000.0, pd.Timestamp("2024-09-01"), pd.NaT]]
    undated = reconcile_all(rows[rows.index % 3 == 2], dates, parallel=parallel)
    assert len(undated.timeline) == 30 and undated.timeline[["known_from", "known_until"]].isna().all().all()


def test_facts_are_kept_apart_by_scope_kind_and_period():
    facts, _ = reconcile(claims(
        {"metric": "revenue", "unit": "CNY", "value": 20.6e9, "scope": "automotive"},
        {"metric": "revenue", "unit": "CNY", "value": 116e9, "scope": "group"},
        {"value": 400000, "kind": "forecast"},
        {"value": 384122},
        {"value": 443956, "period": "2024-Q2"},
    ))
    assert len(facts) == 5
    assert set(facts["status"]) == {"single"}


def test_a_unit_mismatch_is_recorded():
    facts, conflicts = reconcile(claims(
        {"metric": "revenue", "unit": "CNY", "value": 20.6e9}, {"metric": "revenue", "unit": "CNY", "value": 20.6e9},
        {"metric": "revenue", "unit": "EUR", "value": 2.5e9},
    ))
    assert only(facts)["unit"] == "CNY"
    assert only(conflicts)["classification"] == "unit_mismatch"


def test_units_stated_as_often_leave_the_unit_stated_first_on_every_machine():
    # Two claims each in EUR and USD, one each in HKD and CNY: pandas' value_counts ordered such a tie by
    # the sort numpy picks for the processor, USD with AVX2 and EUR without.
    facts, conflicts = reconcile(claims(*({"metric": "gross_profit", "unit": unit, "value": value} for unit, value in [
        ("HKD", 31e9), ("CNY", 28e9), ("EUR", 3.6e9), ("EUR", 3.6e9), ("USD", 3.9e9), ("USD", 3.9e9)])))
    assert only(facts)[["unit", "value"]].tolist() == ["EUR", 3.6e9]
    assert only(conflicts)["resolution"] == "kept the claims in EUR"


def test_no_claims_no_facts():
    facts, conflicts = reconcile(claims().iloc[0:0])
    assert facts.empty and conflicts.empty


def test_targets_from_undated_sources_are_disputed_not_revised():
    rows = claims({"period": "2024", "kind": "target", "value": 100000}, {"period": "2024", "kind": "target", "value": 120000})
    facts, conflicts = reconcile(rows)  # no publication dates: nothing says which is newer
    assert only(facts, kind="target")["status"] == "disputed"
    assert only(conflicts)["classification"] == "disagreement"


def test_the_issuer_outranks_more_numerous_press_sources():
    found = claims({"value": 81302}, {"value": 81502}, {"value": 81502}, {"value": 81502})
    tiers = pd.DataFrame({"document_id": list(found["document_id"]), "tier": ["issuer", "press", "press", None]})
    facts, conflicts = reconcile(found, tiers)
    fact = only(facts)
    # The issuer's own release is the first step of the policy, ahead of the publisher tier.
    assert (fact["value"], fact["status"], fact["rule"]) == (81302, "disputed", "issuer_release")
    assert only(conflicts)["resolution"] == "provisional value 81,302 vehicles by issuer_release; marked disputed"


def test_among_sources_of_one_tier_the_majority_wins_and_an_aggregator_counts_least():
    found = claims({"value": 81302}, {"value": 81502}, {"value": 81502})
    tiers = pd.DataFrame({"document_id": list(found["document_id"]), "tier": ["wire", "wire", "wire"]})
    assert only(reconcile(found, tiers)[0])[["value", "rule"]].tolist() == [81502, "majority_of_sources"]
    tiers["tier"] = ["press", "aggregator", "aggregator"]
    assert only(reconcile(found, tiers)[0])[["value", "rule"]].tolist() == [81302, "most_reliable_source"]


def test_reconciling_makes_no_cyclic_collection_and_leaves_the_collector_on():
    """The collector's walks went over every record reconciliation keeps (a quarter of its time) for
    almost no cycles to free: reconciliation runs without them and turns the collector back on."""
    import gc

    many = claims(*({"entity": f"Maker {i % 40}", "period": str(2000 + i // 40 % 25), "value": 1000 + i} for i in range(4000)))
    dates = documents({d: "2025-07-15" for d in many["document_id"]})
    started = []

    def count(phase, info):
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(count)
    try:
        facts, _ = reconcile(many, dates)
    finally:
        gc.callbacks.remove(count)
    # at most the young collection due when the collector resumes (34 collections without the pause)
    assert len(facts) == 1000 and started in ([], [0]) and gc.isenabled()


@pytest.mark.parametrize("parallel", [False, True])
def test_each_fact_is_learned_on_its_first_sources_date_whichever_process_decides_it(parallel):
    """Claims of many entities share a few publication dates, and some documents are undated: each fact
    is learned when its first dated source was published, and one known only from undated documents is
    left for the load to date, in this process as in the worker."""
    from pipelines.reconciliation import reconcile_all

    many = claims(*({"entity": f"Maker {i % 30}", "value": 1000 + i % 30} for i in range(120)))
    days = ["2025-07-15", "2025-07-01", None, "2025-07-20"]
    dates = documents({d: days[i // 30] for i, d in enumerate(many["document_id"])})
    dates.loc[many.index // 30 == 2, "published_date"] = pd.NaT
    facts = reconcile_all(many, dates, parallel=parallel).facts
    assert len(facts) == 30 and (facts["learned_at"] == pd.Timestamp("2025-07-01")).all()
    undated = reconcile_all(many[many.index // 30 == 2], dates, parallel=parallel).facts
    assert len(undated) == 30 and undated["learned_at"].isna().all()
