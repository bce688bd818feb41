"""The warehouse built from the seed articles holds their figures, reconciled as an analyst expects."""

import duckdb
import pytest

from tests.conftest import build_warehouse


def fact(query, metric, period, kind="actual", entity="Xiaomi"):
    rows = query(
        "SELECT value, unit, qualifier, status, rule, n_claims, superseded_value, explanation FROM facts "
        "WHERE entity = ? AND metric = ? AND period = ? AND kind = ?",
        [entity, metric, period, kind],
    )
    assert len(rows) == 1, f"expected one fact for {entity} {metric} {period} {kind}, got {rows}"
    return dict(zip(["value", "unit", "qualifier", "status", "rule", "n_claims", "superseded_value", "explanation"], rows[0]))


@pytest.mark.parametrize(
    "metric, period, value, unit",
    [
        ("gross_margin", "2025-Q2", 26.4, "%"),
        ("deliveries", "2025-Q2", 81502, "vehicles"),
        ("revenue", "2025-Q2", 20_600_000_000, "CNY"),
        ("revenue_share", "2025-Q2", 17.8, "%"),
        ("average_selling_price", "2025-Q2", 254_000, "CNY"),
        ("gross_margin", "2024-Q2", 15.4, "%"),
        ("revenue_share", "2024-Q2", 7, "%"),
    ],
)
def test_seed_facts(query, metric, period, value, unit):
    found = fact(query, metric, period)
    assert found["value"] == pytest.approx(value)
    assert found["unit"] == unit


def test_revenue_is_the_automotive_segment(query):
    assert query("SELECT scope FROM facts WHERE metric = 'revenue' AND period = '2025-Q2'") == [("automotive",)]


def test_delivery_growth_is_corroborated_by_the_hedged_mention(query):
    growth = fact(query, "deliveries_yoy", "2025-Q2")
    assert growth["value"] == pytest.approx(198)
    assert growth["unit"] == "%"
    assert growth["n_claims"] == 2
    assert growth["status"] in ("consistent", "confirmed")
    assert "approx" in growth["explanation"]
    surfaces = query(
        "SELECT c.surface, c.qualifier FROM claims c WHERE metric = 'deliveries_yoy' AND period = '2025-Q2' ORDER BY surface"
    )
    assert ("+198%", "exact") in surfaces and ("200 %", "approx") in surfaces


def test_cumulative_deliveries_are_at_least_300000(query):
    cumulative = fact(query, "cumulative_deliveries", "2025-06-30")
    assert cumulative["value"] == 300_000
    assert cumulative["qualifier"] == "at_least"


def test_the_2024_target_was_revised_and_the_old_value_kept(query):
    target = fact(query, "deliveries", "2024", kind="target")
    assert target["value"] == 120_000
    assert target["status"] == "revised"
    assert target["superseded_value"] == 100_000
    previous = fact(query, "deliveries", "2024", kind="previous")
    assert previous["value"] == 100_000 and previous["status"] == "superseded"
    conflicts = query("SELECT classification, \"values\" FROM conflicts WHERE metric = 'deliveries' AND period = '2024'")
    assert conflicts == [("revision", [100000.0, 120000.0])]


def test_every_fact_says_its_rule_and_has_provenance(query):
    assert query("SELECT count(*) FROM facts WHERE rule = '' OR explanation = ''") == [(0,)]
    rows = query("SELECT quote, document_path FROM fact_provenance WHERE metric = 'gross_margin' AND period = '2024-Q2'")
    assert rows and "15,4 %" in rows[0][0] and rows[0][1] == "000_73dc88b4a419ee4c.txt"


def test_claim_offsets_point_at_the_figure_in_the_stored_text(query):
    rows = query("SELECT d.text, c.start, c.\"end\", c.surface FROM claims c JOIN documents d USING (document_id)")
    assert rows
    for text, start, end, surface in rows:
        assert text[start:end] == surface


def test_broken_a_is_repaired_in_the_stored_text(query):
    (text,) = query("SELECT text FROM documents WHERE path = '000_73dc88b4a419ee4c.txt'")[0]
    assert "Ã" not in text
    assert "et au-delà\nL’ambition" in text
    (repairs,) = query("SELECT repairs FROM documents WHERE path = '000_73dc88b4a419ee4c.txt'")[0]
    assert "mojibake" in repairs


def test_running_twice_gives_the_same_tables(tmp_path):
    from pipelines.settings import PROJECT_ROOT

    database = tmp_path / "twice.duckdb"
    tables = ("documents", "claims", "quarantined_claims", "facts", "conflicts", "fact_history", "target_revisions",
              "fact_timeline", "consistency_warnings")

    def snapshot():
        with duckdb.connect(str(database), read_only=True) as con:
            # Load times and history timestamps differ between runs; everything else must not.
            queries = {t: f"SELECT * FROM {t}" for t in tables}
            queries["documents"] = "SELECT * EXCLUDE (loaded_at) FROM documents"
            queries["fact_history"] = "SELECT * EXCLUDE (valid_from, valid_to) FROM fact_history"
            return {t: sorted(map(str, con.execute(q).fetchall())) for t, q in queries.items()}

    assert build_warehouse(PROJECT_ROOT / "sources", database).success
    first = snapshot()
    assert build_warehouse(PROJECT_ROOT / "sources", database).success
    assert snapshot() == first
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) - count(DISTINCT claim_id) FROM claims").fetchone() == (0,)
