"""Whatever a file in sources/ is, the run succeeds: each bad file is a rejected document with a clear
reason, nothing outside the folder is read, and the good files' facts are all there, once."""

from __future__ import annotations

import duckdb
import pytest

from benchmarks.sample_files import HOSTILE_NAMES, LATIN1_NAME, write_good_corpus, write_hostile_corpus
from pipelines.documents import Limits, UnreadableDocument, read_document
from tests.conftest import build_warehouse

LIMITS = Limits(max_file_bytes=1_000_000, max_pdf_pages=1_000)
TABLES = ("documents", "document_versions", "claims", "quarantined_claims", "facts", "conflicts", "fact_history")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    sources = base / "sources"
    write_good_corpus(sources)
    expected = write_hostile_corpus(sources, base / "outside", LIMITS.max_file_bytes)
    database = base / "w.duckdb"
    first = build_warehouse(sources, database, LIMITS)
    with duckdb.connect(str(database), read_only=True) as con:
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
    second = build_warehouse(sources, database, LIMITS)
    return first, second, database, expected, counts


def query(database, sql, params=None):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_both_runs_succeed(hostile_run):
    first, second, *_ = hostile_run
    assert first.success and second.success


def test_each_bad_file_is_rejected_with_a_clear_reason(hostile_run):
    _, _, database, expected, _ = hostile_run
    rejected = dict(query(database, "SELECT path, error FROM rejected_documents"))
    assert set(rejected) == set(expected)
    for path, word in expected.items():
        assert word in rejected[path], (path, rejected[path])
    assert "5,000 pages, over the limit of 1,000 pages" in rejected["thousands_of_pages.pdf"]
    assert "1,000,001 bytes, over the limit of 1,000,000 bytes" in rejected["oversized.txt"]


def test_nothing_outside_the_folder_is_read(hostile_run):
    _, _, database, _, _ = hostile_run
    stored = query(database, "SELECT count(*) FROM documents WHERE text LIKE '%root:x:0:0%' OR text LIKE '%beyond the folder%'")
    assert stored == [(0,)]
    assert query(database, "SELECT count(*) FROM documents WHERE path LIKE 'linked_folder/%'") == [(0,)]


def test_odd_names_load_normally(hostile_run):
    _, _, database, _, _ = hostile_run
    loaded = {path for (path,) in query(database, "SELECT path FROM documents WHERE status = 'loaded'")}
    assert set(HOSTILE_NAMES) <= loaded
    assert LATIN1_NAME[1] in loaded  # its undecodable byte shown as such; it once stopped the whole run
    assert query(database, "SELECT count(*) FROM claims WHERE document = ?", ["x'); DROP TABLE claims;--.txt"]) == [(1,)]


def test_the_good_files_facts_are_all_there(hostile_run):
    _, _, database, _, _ = hostile_run
    facts = set(query(database, "SELECT entity, metric, period, value FROM facts WHERE kind = 'actual'"))
    for fact in [("BYD", "sales", "2025-Q2", 1_145_000), ("BYD", "revenue", "2025-Q2", 200_900_000_000),
                 ("Xiaomi", "deliveries", "2025-Q2", 81_302), ("NIO", "deliveries", "2025-Q2", 72_056),
                 ("Li Auto", "deliveries", "2025-Q2", 111_074), ("XPeng", "deliveries", "2025-04", 35_045),
                 ("Leapmotor", "deliveries", "2025-Q2", 134_819)]:
        assert fact in facts


def test_a_second_run_adds_no_row(hostile_run):
    _, _, database, _, counts = hostile_run
    assert {table: query(database, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES} == counts
    assert query(database, "SELECT count(*) - count(DISTINCT claim_id) FROM claims") == [(0,)]
    assert query(database, "SELECT count(*) - count(DISTINCT path) FROM documents") == [(0,)]


@pytest.mark.parametrize(
    "limits, reason",
    [
        (Limits(max_chars=50), "text too long: 88 characters, over the limit of 50 characters (max_chars)"),
        (Limits(max_file_bytes=10), "file too large: 94 bytes, over the limit of 10 bytes (max_file_bytes)"),
    ],
)
def test_a_text_over_a_limit_names_the_limit_and_the_value(tmp_path, limits, reason):
    (tmp_path / "a.txt").write_text("Xiaomi a livré 81\u202f302 véhicules électriques au deuxième trimestre 2025, selon le groupe.", encoding="utf-8")
    with pytest.raises(UnreadableDocument) as error:
        read_document(tmp_path / "a.txt", tmp_path, limits=limits)
    assert str(error.value) == reason


def test_a_pdf_over_the_time_limit_stops_between_pages(tmp_path):
    from benchmarks.sample_files import TWO_PAGE_PDF, pdf_of_pages

    (tmp_path / "a.pdf").write_bytes(pdf_of_pages(TWO_PAGE_PDF * 20))
    with pytest.raises(UnreadableDocument, match=r"^reading took too long: over the limit of 1e-09 s \(max_seconds\) \(after \d+ of 40 pages\)$"):
        read_document(tmp_path / "a.pdf", tmp_path, limits=Limits(max_seconds=1e-9))


def test_a_pdf_over_the_character_limit_stops_before_its_last_page(tmp_path):
    from benchmarks.sample_files import TWO_PAGE_PDF, pdf_of_pages

    (tmp_path / "a.pdf").write_bytes(pdf_of_pages(TWO_PAGE_PDF * 20))
    with pytest.raises(UnreadableDocument, match=r"^text too long: more than [\d,]+ characters, over the limit of 200 characters"):
        read_document(tmp_path / "a.pdf", tmp_path, limits=Limits(max_chars=200))


def test_a_named_pipe_is_never_opened(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block until a writer comes
    with pytest.raises(UnreadableDocument, match=r"^not a regular file \(named pipe\): not read$"):
        read_document(tmp_path / "pipe.txt", tmp_path)


def test_a_link_inside_the_folder_is_refused_too(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("BYD sold 10 cars.", encoding="utf-8")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    with pytest.raises(UnreadableDocument, match="^symbolic link to a file: links are never followed"):
        read_document(tmp_path / "b.txt", tmp_path)


def test_a_path_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "outside.txt").write_text("BYD sold 10 cars.", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    with pytest.raises(UnreadableDocument, match="^path resolves outside the sources folder"):
        read_document(tmp_path / "sources" / ".." / "outside.txt", tmp_path / "sources")


def test_a_reader_failure_rejects_only_that_file(tmp_path, monkeypatch):
    from pipelines import ingest

    (tmp_path / "good.txt").write_text("NIO delivered 72,056 vehicles in the second quarter of 2025.", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("Li Auto delivered 111,074 vehicles in the second quarter of 2025.", encoding="utf-8")
    real = ingest.read_document

    def failing(path, *args, **kwargs):
        if path.name == "bad.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "read_document", failing)
    documents = ingest.read_sources(tmp_path).set_index("path")
    assert documents.loc["good.txt", "status"] == "loaded"
    assert documents.loc["bad.txt", "status"] == "rejected"
    assert documents.loc["bad.txt", "error"] == "unexpected error while reading: RecursionError: maximum recursion depth exceeded"


def test_an_html_page_counts_its_text_not_its_markup(tmp_path):
    script = "<script>" + "var x = 1;" * 500 + "</script>"
    (tmp_path / "a.html").write_text(f"<html><head>{script}</head><body><p>NIO delivered 72,056 vehicles.</p></body></html>",
                                     encoding="utf-8")
    assert read_document(tmp_path / "a.html", tmp_path, limits=Limits(max_chars=100)).text == "NIO delivered 72,056 vehicles."
    (tmp_path / "b.html").write_text("<p>" + "NIO delivered 72,056 vehicles. " * 10 + "</p>", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match=r"^text too long: 309 characters, over the limit of 100 characters"):
        read_document(tmp_path / "b.html", tmp_path, limits=Limits(max_chars=100))


def test_a_registry_that_is_a_link_is_refused_not_followed(tmp_path):
    import os

    from pipelines.documents import RegistryError
    from pipelines.documents.registry import registry_text

    (tmp_path / "outside.yaml").write_text("publishers: {}\n", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    os.symlink(tmp_path / "outside.yaml", tmp_path / "sources" / "registry.yaml")
    with pytest.raises(RegistryError, match="registry.yaml: a symbolic link .*: links are never followed"):
        registry_text(tmp_path / "sources" / "registry.yaml")
    assert registry_text(tmp_path / "none.yaml") == ""
