"""The demo folder, sources/: articles in four formats whose figures agree and disagree, as `make run`
loads them."""

from __future__ import annotations


from pipelines.settings import PROJECT_ROOT


def test_every_article_loads_with_its_publisher_and_tier(sql):
    rows = {path: (fmt, status, publisher, tier) for path, fmt, status, publisher, tier in
            sql("SELECT path, format, status, publisher, tier FROM documents")}
    assert rows["ev-ledger-xiaomi-q2-2025.html"] == ("html", "loaded", "EV Ledger", "press")
    assert rows["carnet-auto-livraisons-t2-2025.md"] == ("md", "loaded", "Le Carnet Auto", "press")
    assert rows["depeches-auto-xiaomi-objectif-2025.txt"] == ("txt", "loaded", "Dépêches Auto", "wire")
    assert rows["ev-factsheet-q2-2025.pdf"] == ("pdf", "loaded", "Auto Data Digest", "aggregator")
    assert {status for _, status, _, _ in rows.values()} == {"loaded"}


def test_independent_sources_confirm_the_start_ups_deliveries(sql):
    rows = sql("SELECT entity, value, status, n_sources FROM facts WHERE metric = 'deliveries' AND period = '2025-Q2' "
               "AND entity IN ('NIO', 'XPeng', 'Li Auto') ORDER BY entity")
    # Li Auto and NIO are also stated by the articles added to show the reconciliation rules (a third source).
    assert rows == [("Li Auto", 111_074, "confirmed", 3), ("NIO", 72_056, "confirmed", 3), ("XPeng", 103_181, "confirmed", 2)]


def test_the_seed_disagrees_with_the_other_sources_on_xiaomi_deliveries(sql):
    conflict = sql("SELECT classification, \"values\" FROM conflicts WHERE entity = 'Xiaomi' AND metric = 'deliveries' "
                   "AND period = '2025-Q2'")
    # The conflict lists every value stated, the hedged "environ 81 000" of a later article included.
    assert conflict == [("disagreement", [81_000.0, 81_302.0, 81_502.0])]
    assert sql("SELECT value, status FROM facts WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2025-Q2' "
               "AND kind = 'actual'") == [(81_302, "disputed")]


def test_the_wire_item_revises_the_2025_target(sql):
    rows = sql("SELECT kind, value, status FROM facts WHERE entity = 'Xiaomi' AND metric = 'deliveries' AND period = '2025' ORDER BY kind")
    assert rows == [("previous", 300_000, "superseded"), ("target", 350_000, "revised")]


def test_factsheet_figures_carry_their_page(sql):
    rows = set(sql("SELECT entity, period, value, page FROM claim_provenance WHERE document_path = 'ev-factsheet-q2-2025.pdf' "
                   "AND metric = 'deliveries'"))
    assert ("Xiaomi", "2025-Q2", 81_302, 1) in rows
    assert {("NIO", "2025-Q2", 72_056, 2), ("XPeng", "2025-Q2", 103_181, 2), ("Li Auto", "2025-Q2", 111_074, 2)} <= rows


def test_the_committed_pdf_is_what_its_script_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_demo_pdf", PROJECT_ROOT / "scripts" / "make_demo_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (PROJECT_ROOT / "sources" / "ev-factsheet-q2-2025.pdf").read_bytes()
