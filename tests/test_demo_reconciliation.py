"""The demo warehouse built from sources/ shows each reconciliation rule, the consistency warnings and the
as-of question; and the same articles, read and reconciled without Dagster, give the same facts."""

from __future__ import annotations

import pandas as pd

from pipelines.claim_table import extract_all
from pipelines.ingest import read_sources
from pipelines.reconciliation import reconcile_all
from pipelines.settings import PROJECT_ROOT
from pipelines.validation import validate_claims
from warehouse.comments import VIEWS


def test_a_typo_copied_by_three_digests_is_outvoted_by_three_independent_sources(sql):
    (row,) = sql("SELECT provisional_value, rule, signals, n_sources FROM open_conflicts "
                 "WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2025-Q2'")
    assert row == (81_302, "majority_of_sources", ["probable_typo"], 6)
    # 81,502 is in four documents (the seed and three copies of one digest), 81,302 in three: documents
    # would have chosen the typo, independent sources do not.
    documents = dict(sql("SELECT value, count(DISTINCT document_path) FROM conflict_candidates "
                         "WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2025-Q2' AND qualifier = 'exact' GROUP BY value"))
    assert documents == {81_302: 3, 81_502: 4}
    (explanation,) = sql("SELECT explanation FROM facts WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2025-Q2'")[0]
    assert "81,302 vehicles (3 independent sources)" in explanation and "81,502 vehicles (2 independent sources)" in explanation


def test_the_hedged_mention_corroborates_without_deciding(sql):
    rows = sql("SELECT provisional, qualifier FROM conflict_candidates WHERE entity = 'Xiaomi' AND metric = 'deliveries' "
               "AND period = '2025-Q2' AND document_path = 'marches-xiaomi-t2.txt'")
    assert rows == [(False, "approx")]
    assert sql("SELECT qualifier FROM facts WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2025-Q2'") == [("exact",)]


def test_the_issuer_decides_against_a_scale_error(sql):
    (row,) = sql("SELECT provisional_value, rule, signals FROM open_conflicts WHERE entity = 'NIO' AND metric = 'revenue'")
    assert row == (19.01e9, "issuer_release", ["probable_scale_error"])


def test_a_translated_wire_counts_once(sql):
    (row,) = sql("SELECT status, n_claims, n_sources FROM facts WHERE entity = 'Tesla' AND metric = 'deliveries' AND period = '2024'")
    assert row == ("consistent", 2, 1)


def test_the_2024_target_chain_is_listed_in_order(sql):
    rows = sql("SELECT step, value, status, strftime(stated_on, '%Y-%m-%d'), successor_value, strftime(superseded_on, '%Y-%m-%d') "
               "FROM target_chains WHERE entity = 'Xiaomi' AND period = '2024' ORDER BY step")
    assert rows == [
        (1, 76_000, "superseded", "2024-03-28", 100_000, "2024-06-24"),
        (2, 100_000, "superseded", "2024-06-24", 120_000, "2024-09-26"),
        (3, 120_000, "superseded", "2024-09-26", 130_000, "2024-11-18"),
        (4, 130_000, "current", "2024-11-18", None, None),
    ]
    assert sql("SELECT f.value, f.status, facts.superseded_value FROM current_facts f JOIN facts USING (fact_id) "
               "WHERE f.entity = 'Xiaomi' AND f.metric = 'deliveries' AND f.period = '2024' AND f.kind = 'target'") == [(130_000, "revised", 120_000)]


def test_what_the_warehouse_believed_on_a_date(sql):
    def target_on(day):
        return sql("SELECT value FROM facts_as_of(?) WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2024' "
                   "AND kind = 'target'", [day])

    assert target_on("2024-01-01") == []
    assert target_on("2024-07-01") == [(100_000,)]
    assert target_on("2024-10-01") == [(120_000,)]
    assert target_on("2025-06-01") == [(130_000,)]
    history = sql("SELECT value, sources FROM fact_value_history WHERE entity = 'Xiaomi' AND metric = 'deliveries' "
                  "AND period = '2024' AND kind = 'target' ORDER BY known_from")
    assert [value for value, _ in history] == [76_000, 100_000, 120_000, 130_000]
    assert history[0][1] == ["Dépêches Auto"]
    # Each value lists the claims known then: the group's target claims published by that date.
    known = sql("""
        SELECT h.claim_ids, (SELECT list(c.claim_id ORDER BY c.claim_id) FROM claims c JOIN documents d USING (document_id)
                             WHERE (c.entity, c.metric, c.scope, c.period, c.kind) = (h.entity, h.metric, h.scope, h.period, h.kind)
                               AND d.published_date <= h.known_from)
        FROM fact_value_history h WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2024' AND kind = 'target'
        ORDER BY known_from""")
    assert all(listed == published for listed, published in known)
    assert [len(listed) for listed, _ in known] == sorted(len(listed) for listed, _ in known)


def test_every_fact_knows_when_it_was_learned(sql):
    assert sql("SELECT count(*) FROM facts WHERE learned_at IS NULL") == [(0,)]
    assert sql("SELECT count(*) FROM fact_timeline WHERE known_from IS NULL") == [(0,)]
    assert sql("SELECT strftime(learned_at, '%Y-%m-%d') FROM facts WHERE entity = 'NIO' AND metric = 'revenue'") == [("2025-09-02",)]


def test_the_consistency_warnings(sql):
    rows = dict(sql("SELECT entity || ' ' || relation, round(expected, 1) FROM consistency_warnings"))
    assert rows == {"Li Auto growth_rate": 2.3, "XPeng level_change": 3.3, "BYD half_year_quarters": 2_154_954}
    # Xiaomi's +198 % from 27,307 to 81,302 and its +11 points of margin hold: no warning.
    assert sql("SELECT count(*) FROM consistency_warnings WHERE entity = 'Xiaomi'") == [(0,)]


def test_the_provenance_of_a_fact_lists_its_claims(sql):
    rows = sql("SELECT document_path, publisher, tier, page, quote, \"start\" < \"end\", chosen FROM fact_claims "
               "WHERE entity = 'NIO' AND metric = 'deliveries' AND period = '2025-Q2' ORDER BY document_path")
    assert {r[0] for r in rows} == {"carnet-auto-livraisons-t2-2025.md", "ev-factsheet-q2-2025.pdf", "nio-ir-2025-q2.txt"}
    assert ("ev-factsheet-q2-2025.pdf", "Auto Data Digest", "aggregator", 2) in {r[:4] for r in rows}
    assert all(r[5] for r in rows) and sum(r[6] for r in rows) == 1


def test_every_table_view_and_column_has_a_comment(sql):
    tables = [name for (name,) in sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")]
    views = [name for (name,) in sql("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'")]
    assert set(VIEWS) <= set(views)
    assert sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND (comment IS NULL OR comment = '')") == []
    assert sql("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' AND (comment IS NULL OR comment = '')") == []
    missing = sql(f"SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN ({', '.join('?' * len(tables + views))}) "
                  "AND (comment IS NULL OR comment = '')", tables + views)
    assert missing == []


def test_the_articles_reconcile_the_same_without_dagster():
    documents = read_sources(PROJECT_ROOT / "sources")
    claims, _ = extract_all(documents)
    valid, _ = validate_claims(claims)
    result = reconcile_all(valid, documents)
    chain = result.revisions[(result.revisions["entity"] == "Xiaomi") & (result.revisions["period"] == "2024")]
    assert chain.sort_values("step")["value"].tolist() == [76_000, 100_000, 120_000, 130_000]
    fact = result.facts[(result.facts["entity"] == "Xiaomi") & (result.facts["period"] == "2025-Q2")
                        & (result.facts["metric"] == "deliveries")].iloc[0]
    assert (fact["value"], fact["rule"]) == (81_302, "majority_of_sources")
    # Shared with a worker process (as from 20,000 claims), the same four tables.
    shared = reconcile_all(valid, documents, parallel=True)
    for table in ("facts", "conflicts", "revisions", "timeline"):
        pd.testing.assert_frame_equal(getattr(shared, table), getattr(result, table))


def test_the_warn_checks_report_the_broken_relations(demo_warehouse):
    import duckdb
    from dagster import AssetCheckSeverity

    from pipelines.defs.checks import CONSISTENCY_RELATIONS, consistency_result

    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        results = {r.check_name: r for r in (consistency_result(relation)(con, False) for relation in CONSISTENCY_RELATIONS)}
    assert len(results) == 5
    assert {name for name, r in results.items() if not r.passed} == {
        "consistent_growth_rate", "consistent_level_change", "consistent_half_year_quarters"}
    assert all(r.severity == AssetCheckSeverity.WARN for r in results.values())
