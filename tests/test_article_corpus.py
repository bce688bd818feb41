"""A folder of articles in every format and encoding, written on the fly, through the whole pipeline:
each figure comes out with its page, offsets and metadata, and tables yield claims."""

from __future__ import annotations

import datetime

import duckdb
import pytest

from benchmarks.sample_files import write_good_corpus
from tests.conftest import build_warehouse


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles") / "sources"
    write_good_corpus(folder)
    (folder / "registry.yaml").write_text(
        "documents:\n"
        "  - {match: '*.pdf', publisher: EV Weekly, tier: press}\n"
        "  - {match: xiaomi_table.pdf, publisher: Xiaomi, tier: issuer, published: 2025-08-19}\n",
        encoding="utf-8",
    )
    database = folder.parent / "w.duckdb"
    result = build_warehouse(folder, database)
    assert result.success
    return database


@pytest.fixture()
def sql(corpus_warehouse):
    def run(statement: str, params=None):
        with duckdb.connect(str(corpus_warehouse), read_only=True) as con:
            return con.execute(statement, params or []).fetchall()

    return run


def claims_of(sql, path):
    return {
        (entity, metric, period, value, unit, context, page)
        for entity, metric, period, value, unit, context, page in sql(
            "SELECT entity, metric, period, value, unit, context, page FROM claim_provenance WHERE document_path = ?", [path]
        )
    }


def test_every_file_loads(sql):
    rows = dict(sql("SELECT path, status FROM documents"))
    assert rows == {name: "loaded" for name in (
        "byd.html", "cp1252.txt", "two_columns.pdf", "two_pages.pdf", "utf16.txt", "utf8.txt", "utf8_bom.txt",
        "xiaomi_table.pdf", "xpeng.md")}


def test_each_claim_points_at_its_figure_and_pdf_claims_carry_their_page(sql):
    rows = sql("SELECT d.text, d.format, c.start, c.\"end\", c.surface, c.page, d.page_starts "
               "FROM claims c JOIN documents d USING (document_id)")
    assert len(rows) >= 20
    for text, fmt, start, end, surface, page, starts in rows:
        assert text[start:end] == surface
        if fmt == "pdf":
            assert page is not None and starts[page - 1] <= start
            assert page == len(starts) or start < starts[page]
        else:
            assert page is None


def test_a_figure_on_the_second_page_says_page_two(sql):
    assert claims_of(sql, "two_pages.pdf") == {
        ("NIO", "deliveries", "2025-Q2", 72_056, "vehicles", "sentence", 1),
        ("Li Auto", "deliveries", "2025-Q2", 111_074, "vehicles", "sentence", 2),
    }
    (pages,) = sql("SELECT n_pages FROM documents WHERE path = 'two_pages.pdf'")[0]
    assert pages == 2


def test_two_columns_are_read_one_after_the_other(sql):
    (text,) = sql("SELECT text FROM documents WHERE path = 'two_columns.pdf'")[0]
    xpeng, leapmotor = text.index("XPeng delivered 103,181"), text.index("Leapmotor delivered 134,819")
    assert xpeng < text.index("grew every month of the period.") < leapmotor  # the left column, whole, first
    assert claims_of(sql, "two_columns.pdf") == {
        ("XPeng", "deliveries", "2025-Q2", 103_181, "vehicles", "sentence", 1),
        ("Leapmotor", "deliveries", "2025-Q2", 134_819, "vehicles", "sentence", 1),
    }


def test_pdf_table_rows_become_claims_with_the_registry_metadata(sql):
    found = claims_of(sql, "xiaomi_table.pdf")
    assert ("Xiaomi", "deliveries", "2025-Q2", 81_302, "vehicles", "table", 1) in found
    assert ("Xiaomi", "revenue", "2025-Q1", 18_100_000_000, "CNY", "table", 1) in found
    assert ("Xiaomi", "gross_margin", "2025-Q2", 26.4, "%", "sentence", 1) in found
    row = sql("SELECT publisher, tier, published_date, title FROM documents WHERE path = 'xiaomi_table.pdf'")[0]
    assert row == ("Xiaomi", "issuer", datetime.date(2025, 8, 19), "Xiaomi EV update")
    assert sql("SELECT publisher, tier FROM documents WHERE path = 'two_pages.pdf'") == [("EV Weekly", "press")]


def test_html_keeps_the_article_and_its_table_and_drops_the_furniture(sql):
    (text,) = sql("SELECT text FROM documents WHERE path = 'byd.html'")[0]
    assert "BYD sold 1,145,000 vehicles" in text
    assert "Revenue (RMB bn) | 200.9 | 176.2 |" in text.split("\n")
    for furniture in ("cookies", "Markets", "Share on X", "Tesla delivered", "2,000,000", "Most read", "99,999", "©", "999999"):
        assert furniture not in text
    assert claims_of(sql, "byd.html") == {
        ("BYD", "sales", "2025-Q2", 1_145_000, "vehicles", "sentence", None),
        ("BYD", "revenue", "2025-Q2", 200_900_000_000, "CNY", "table", None),
        ("BYD", "revenue", "2024-Q2", 176_200_000_000, "CNY", "table", None),
        ("BYD", "gross_margin", "2025-Q2", 16.3, "%", "table", None),
        ("BYD", "gross_margin", "2024-Q2", 18.7, "%", "table", None),
    }


def test_html_metadata_comes_from_the_page(sql):
    row = sql("SELECT publisher, url, published_date, language FROM documents WHERE path = 'byd.html'")[0]
    assert row == ("Motor Ledger", "https://motor-ledger.example/byd-q2-2025", datetime.date(2025, 9, 1), "en")


def test_markdown_front_matter_is_metadata_and_its_table_yields_claims(sql):
    row = sql("SELECT title, publisher, url, published_date, language, text FROM documents WHERE path = 'xpeng.md'")[0]
    title, publisher, url, published, language, text = row
    assert (title, publisher, published, language) == ("XPeng's quarter in figures", "EV Notes", datetime.date(2025, 7, 1), "en")
    assert url == "https://ev-notes.example/2025/07/xpeng-q2-deliveries-103181"
    assert text.startswith("# XPeng's quarter in figures") and "ev-notes" not in text
    assert claims_of(sql, "xpeng.md") == {  # the number in the url is no figure
        ("XPeng", "deliveries", "2025-Q2", 103_181, "vehicles", "sentence", None),
        ("XPeng", "deliveries", "2025-04", 35_045, "vehicles", "table", None),
        ("XPeng", "deliveries", "2025-05", 33_525, "vehicles", "table", None),
    }


@pytest.mark.parametrize(
    "path, repair, entity, period, value",
    [
        ("utf8.txt", None, "Xiaomi", "2025-Q2", 81_302),
        ("utf8_bom.txt", "utf-8 byte order mark removed", "Leapmotor", "2025-Q2", 134_819),
        ("utf16.txt", "encoding: utf-16", "Xiaomi", "2025-Q1", 75_869),
        ("cp1252.txt", "encoding: cp1252", "BYD", "2025-Q2", 1_145_000),
    ],
)
def test_every_encoding_gives_its_figure(sql, path, repair, entity, period, value):
    (repairs,) = sql("SELECT repairs FROM documents WHERE path = ?", [path])[0]
    assert (repairs is None) if repair is None else (repair in repairs)
    values = sql("SELECT value FROM claims WHERE document = ? AND entity = ? AND period = ?", [path, entity, period])
    assert values == [(value,)]
