"""A file that cannot be read is recorded as rejected with its reason; the other documents still load."""

import duckdb

from tests.conftest import build_warehouse


def test_broken_files_are_rejected_and_the_rest_loads(sources_copy, tmp_path):
    (sources_copy / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (sources_copy / "empty.md").write_bytes(b"")
    (sources_copy / "scan.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (sources_copy / "notes.docx").write_bytes(b"PK\x03\x04")
    database = tmp_path / "w.duckdb"
    result = build_warehouse(sources_copy, database)
    assert result.success
    warning = next(e for e in result.get_asset_check_evaluations() if e.check_name == "no_rejected_documents")
    assert not warning.passed and warning.severity.value == "WARN"
    with duckdb.connect(str(database), read_only=True) as con:
        rejected = dict(con.execute("SELECT path, error FROM documents WHERE status = 'rejected'").fetchall())
        loaded = con.execute("SELECT count(*) FROM documents WHERE status = 'loaded'").fetchone()[0]
        facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert set(rejected) == {"junk.txt", "empty.md", "scan.pdf", "notes.docx"}
    assert all(reason for reason in rejected.values())
    assert "empty" in rejected["empty.md"]
    assert loaded == 2 and facts > 10


def test_a_removed_file_leaves_the_warehouse(sources_copy, tmp_path):
    database = tmp_path / "w.duckdb"
    assert build_warehouse(sources_copy, database).success
    (sources_copy / "003_f32d863d3c202223.txt").unlink()
    assert build_warehouse(sources_copy, database).success
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM facts WHERE kind = 'target'").fetchone()[0] == 0
        # The 2024 target fact is gone from facts, and its history row is closed.
        closed = con.execute("SELECT count(*) FROM fact_history WHERE kind = 'target' AND valid_to IS NOT NULL").fetchone()[0]
        assert closed == 1


def test_a_document_the_extractor_fails_on_is_rejected_and_the_rest_loads(sources_copy, tmp_path, monkeypatch):
    from pipelines import claim_table

    real = claim_table.extract_claims

    def failing(text, language, document=None, published=None):
        if document == "003_f32d863d3c202223.txt":
            raise IndexError("string index out of range")
        return real(text, language, document=document, published=published)

    monkeypatch.setattr(claim_table, "extract_claims", failing)
    database = tmp_path / "w.duckdb"
    assert build_warehouse(sources_copy, database).success
    with duckdb.connect(str(database), read_only=True) as con:
        rows = dict(con.execute("SELECT path, status || ': ' || coalesce(error, '') FROM documents").fetchall())
        margin = con.execute("SELECT value FROM facts WHERE metric = 'gross_margin' AND period = '2025-Q2'").fetchall()
    assert rows == {"000_73dc88b4a419ee4c.txt": "loaded: ",
                    "003_f32d863d3c202223.txt": "rejected: extraction failed: IndexError: string index out of range"}
    assert margin == [(26.4,)]
