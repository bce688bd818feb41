"""Creating the DuckDB warehouse and loading it idempotently.

A document's rows (its documents, claims and quarantined_claims rows) are replaced in one transaction;
facts and conflicts, which span documents, are replaced whole in one transaction, and every change of a
fact's value or status is kept in fact_history. document_versions remembers every content each path has
held, across runs: the current tables only ever hold what the sources folder holds now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from schemas import TABLE_SCHEMAS, column_descriptions

from .comments import apply_comments

SQL_DIR = Path(__file__).with_name("sql")
DOCUMENT_TABLES = ("claims", "quarantined_claims", "documents")
# Tables that are the memory of earlier runs: never dropped, whatever their columns.
HISTORY_TABLES = frozenset({"document_versions", "fact_history"})
EXTRA_COLUMNS = {"documents": {"loaded_at"}}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables, views and column comments; safe to run on every load.

    A current table built by an earlier version of the warehouse, with other columns, is dropped and
    created anew: its rows are all derived from the sources folder and are loaded again by this run.
    """
    existing = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, model in TABLE_SCHEMAS.items():
        if table in existing and table not in HISTORY_TABLES:
            wanted = set(column_descriptions(model)) | EXTRA_COLUMNS.get(table, set())
            if set(table_columns(con, table)) != wanted:
                con.execute(f"DROP TABLE {table}")
    for path in sorted(SQL_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    apply_comments(con)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    columns = table_columns(con, table)
    staged = frame.reindex(columns=columns)
    con.register("staged_rows", staged)
    try:
        quoted = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM staged_rows")
    finally:
        con.unregister("staged_rows")


def load_documents(
    con: duckdb.DuckDBPyConnection,
    documents: pd.DataFrame,
    claims: pd.DataFrame,
    quarantined: pd.DataFrame,
    loaded_at: dt.datetime | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Replace each document's rows, one transaction per document; drop documents no longer in sources;
    record each path's version in document_versions."""
    loaded_at = loaded_at or dt.datetime.now()
    documents = documents.copy()
    documents["loaded_at"] = loaded_at
    documents["n_claims"] = documents["document_id"].map(claims.groupby("document_id").size()).fillna(0).astype(int)
    documents["n_quarantined"] = documents["document_id"].map(quarantined.groupby("document_id").size()).fillna(0).astype(int)
    current = list(documents["document_id"])
    stale = [row[0] for row in con.execute("SELECT document_id FROM documents").fetchall() if row[0] not in set(current)]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in DOCUMENT_TABLES:
            for document_id in stale:
                con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    for document_id in current:
        con.execute("BEGIN TRANSACTION")
        try:
            for table in DOCUMENT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
            _insert(con, "documents", documents[documents["document_id"] == document_id])
            _insert(con, "claims", claims[claims["document_id"] == document_id])
            _insert(con, "quarantined_claims", quarantined[quarantined["document_id"] == document_id])
            con.execute("COMMIT")
            if on_rows is not None:
                on_rows(1 + int((claims["document_id"] == document_id).sum())
                        + int((quarantined["document_id"] == document_id).sum()))
        except Exception:
            con.execute("ROLLBACK")
            raise
    versions = record_versions(con, documents, loaded_at)
    return {"documents": len(current), "removed": len(stale), "versions": versions}


def record_versions(con: duckdb.DuckDBPyConnection, documents: pd.DataFrame, seen_at: dt.datetime) -> int:
    """Each (path, content) found now is a version seen now; every other version is no longer current.

    The rows of earlier runs are read back from the warehouse and kept: a version's first_seen never
    changes, and the versions of changed and deleted files stay, marked not current.
    """
    found = pd.DataFrame(
        [(path, row.document_id, row.status) for row in documents.itertuples() for path in _paths_of(row)],
        columns=["path", "document_id", "status"],
    )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("UPDATE document_versions SET current = false WHERE current")
        if not found.empty:
            con.register("found_versions", found)
            try:
                con.execute(
                    """
                    UPDATE document_versions v SET last_seen = ?, current = true, status = f.status
                    FROM found_versions f WHERE v.path = f.path AND v.document_id = f.document_id
                    """,
                    [seen_at],
                )
                con.execute(
                    """
                    INSERT INTO document_versions
                    SELECT f.path, f.document_id, f.status, ?, ?, true FROM found_versions f
                    WHERE NOT EXISTS (SELECT 1 FROM document_versions v
                                      WHERE v.path = f.path AND v.document_id = f.document_id)
                    """,
                    [seen_at, seen_at],
                )
            finally:
                con.unregister("found_versions")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return con.execute("SELECT count(*) FROM document_versions").fetchone()[0]


def _paths_of(row) -> list[str]:
    paths = row.paths if isinstance(row.paths, (list, tuple)) else None
    if paths is None and hasattr(row.paths, "tolist"):
        paths = row.paths.tolist()
    return list(paths) if paths else [row.path]


def replace_facts(
    con: duckdb.DuckDBPyConnection, facts: pd.DataFrame, conflicts: pd.DataFrame, now: dt.datetime | None = None
) -> None:
    """Replace facts and conflicts and record what changed in fact_history, in one transaction."""
    now = now or dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM facts")
        con.execute("DELETE FROM conflicts")
        _insert(con, "facts", facts)
        _insert(con, "conflicts", conflicts)
        # Close the history rows of facts whose value or status changed, or that are gone.
        con.execute(
            """
            UPDATE fact_history h SET valid_to = ?
            WHERE h.valid_to IS NULL AND NOT EXISTS (
                SELECT 1 FROM facts f
                WHERE f.fact_id = h.fact_id AND f.value = h.value AND f.status = h.status AND f.unit = h.unit)
            """,
            [now],
        )
        con.execute(
            """
            INSERT INTO fact_history
            SELECT f.fact_id, f.entity, f.metric, f.scope, f.period, f.kind, f.value, f.unit, f.status, f.rule, ?, NULL
            FROM facts f
            WHERE NOT EXISTS (SELECT 1 FROM fact_history h WHERE h.fact_id = f.fact_id AND h.valid_to IS NULL)
            """,
            [now],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*TABLE_SCHEMAS, "fact_history")}


def replace_reconciliation_details(
    con: duckdb.DuckDBPyConnection, revisions: pd.DataFrame, timeline: pd.DataFrame, warnings: pd.DataFrame
) -> None:
    """Replace target_revisions, fact_timeline and consistency_warnings in one transaction.

    A fact (or a timeline row) learned from undated documents only is dated by when the warehouse first
    ingested that document (document_versions.first_seen), which stays the same on every later run.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in (("target_revisions", revisions), ("fact_timeline", timeline), ("consistency_warnings", warnings)):
            con.execute(f"DELETE FROM {table}")
            _insert(con, table, frame)
        first_seen = "(SELECT min(v.first_seen) FROM document_versions v WHERE v.document_id = {})"
        con.execute(f"UPDATE facts SET learned_at = {first_seen.format('facts.learned_from_document_id')} WHERE learned_at IS NULL")
        con.execute(f"UPDATE fact_timeline SET known_from = {first_seen.format('fact_timeline.known_from_document_id')} WHERE known_from IS NULL")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
