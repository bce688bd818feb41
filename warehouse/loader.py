"""Creating the DuckDB warehouse and loading it idempotently.

The documents one run read are loaded in one transaction of whole sets of rows (never a document or a
row at a time), which also queues the (entity, metric, scope, period) groups they touched; the facts and
conflicts of those groups alone are then reconciled again and replaced in one transaction, and every
change of a fact's value or status is kept in fact_history. document_versions remembers every content each path has
held, across runs: the current tables only ever hold what the sources folder holds now.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from schemas import TABLE_SCHEMAS, column_descriptions, table_key

from .comments import MACROS, apply_comments, in_lake
from .transactions import in_transaction, transaction

SQL_DIR = Path(__file__).with_name("sql")
DOCUMENT_TABLES = ("claims", "quarantined_claims", "documents")
# Tables that are the memory of earlier runs: never dropped, whatever their columns.
HISTORY_TABLES = frozenset({"document_versions", "fact_history"})
EXTRA_COLUMNS = {"documents": {"loaded_at"}}
# Each table's key (its unique columns in schemas/). Not PRIMARY KEY constraints: DuckDB keeps one as an
# index that every checkpoint writes whole, and at 10,000 articles that was most of a one-article run's
# commits (0.6 s of 0.8); a lake has no constraints at all. So the loader keeps them: every load deletes
# the rows it replaces, and the keys of the rows it inserts are checked before it commits
# (``check_keys``); the blocking schema checks scan every key after each run.
TABLE_KEYS = {table: key for table, model in TABLE_SCHEMAS.items() if (key := table_key(model))}


class RepeatedKey(ValueError):
    """A load would leave two rows of a table with one key: the whole load is rolled back."""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables, views and column comments; safe to run on every load.

    A current table built by an earlier version of the warehouse, with other columns, is dropped and
    created anew: its rows are all derived from the sources folder and are loaded again by this run (the
    documents read again, or, for a table of the facts step, every group queued to be reconciled again).
    """
    with transaction(con):  # a table dropped is queued for its rows in the same commit
        existing = table_names(con)
        recreated = set()
        for table, model in TABLE_SCHEMAS.items():
            if table in existing and table not in HISTORY_TABLES:
                wanted = set(column_descriptions(model)) | EXTRA_COLUMNS.get(table, set())
                if set(table_columns(con, table)) != wanted:
                    con.execute(f"DROP TABLE {table}")
                    recreated.add(table)
        keyed = _tables_with_key_constraints(con)
        for table in keyed:
            con.execute(f"ALTER TABLE {table} RENAME TO {table}__keyed")
        views_current = not (recreated or keyed) and _views_current(con)
        for path in sorted(SQL_DIR.glob("*.sql")):
            if not (path.name == VIEWS_FILE and views_current):
                con.execute(path.read_text(encoding="utf-8"))
        if not views_current:
            con.execute("DELETE FROM schema_version")
            con.execute("INSERT INTO schema_version VALUES (?)", [_sql_fingerprint()])
        for table in keyed:
            kept = set(table_columns(con, f"{table}__keyed"))
            columns = ", ".join(f'"{c}"' for c in table_columns(con, table) if c in kept)
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}__keyed")
            con.execute(f"DROP TABLE {table}__keyed")
        apply_comments(con, macros=not views_current)
        if recreated - set(DOCUMENT_TABLES):
            con.execute(f"INSERT INTO pending_groups SELECT DISTINCT {GROUP} FROM claims")


# The views and the macro are replaced only when the SQL files changed or one of them is missing:
# replacing a view drops its comments, and writing them again was most of every writing step's schema
# check (two of them per run).
VIEWS_FILE = "02_views.sql"


@functools.cache
def _sql_fingerprint() -> str:
    """The SQL files and the macros' comments (a macro's comment is written only when it is created)."""
    digest = hashlib.sha256(repr(sorted(MACROS.items())).encode())
    for path in sorted(SQL_DIR.glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def _defined_views() -> tuple[frozenset[str], dict[str, int]]:
    """The names of the views, and of the macros with their number of parameters, the SQL files create."""
    text = (SQL_DIR / VIEWS_FILE).read_text(encoding="utf-8")
    views = frozenset(name.lower() for name in re.findall(r"CREATE OR REPLACE VIEW (\w+)", text))
    macros = {name: len([p for p in parameters.split(",") if p.strip()])
              for name, parameters in re.findall(r"CREATE OR REPLACE MACRO (\w+)\(([^)]*)\)", text)}
    return views, macros


def _views_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the views and the macros were created from the SQL files as they are, and are all there
    (a macro is called on nulls to see it is: listing DuckDB's functions takes 13 ms)."""
    try:
        stored = {fingerprint for (fingerprint,) in con.execute("SELECT fingerprint FROM schema_version").fetchall()}
    except duckdb.CatalogException:  # a warehouse from before the table
        return False
    views, macros = _defined_views()
    present = {name.lower() for (name,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database()").fetchall()}
    if stored != {_sql_fingerprint()} or not views <= present:
        return False
    try:
        for name, arity in macros.items():
            con.execute(f"SELECT * FROM {name}({', '.join(['NULL'] * arity)}) LIMIT 0")
    except (duckdb.CatalogException, duckdb.BinderException):  # missing, or no longer binds: created again
        return False
    return True


def _tables_with_key_constraints(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's tables an earlier version created with PRIMARY KEY or UNIQUE constraints: they are
    created again without them, their rows kept (DuckDB cannot drop a constraint)."""
    if in_lake(con):
        return []
    return [table for (table,) in con.execute("""
        SELECT DISTINCT table_name FROM duckdb_constraints()
        WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND database_name = current_database()
        ORDER BY table_name
    """).fetchall() if table in TABLE_SCHEMAS]


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]


def _stage(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register(name, frame)


def _replace_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a whole set of rows at once, in the table's column order; the caller deleted the rows they
    replace. Raises ``RepeatedKey`` (and the caller's transaction rolls back) when a key would repeat."""
    if frame.empty:
        return
    columns = table_columns(con, table)
    staged = frame.reindex(columns=columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    con.register("staged_rows", staged)
    try:
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM staged_rows")
        check_keys(con, table, "staged_rows")
    finally:
        con.unregister("staged_rows")


def check_keys(con: duckdb.DuckDBPyConnection, table: str, new_rows: str) -> None:
    """Raise ``RepeatedKey`` when a key of the rows ``new_rows`` names is held by more than one row of
    ``table``: a scan of the key columns, joined to the new rows only."""
    key = ", ".join(f'"{c}"' for c in TABLE_KEYS.get(table, ()))
    if not key:
        return
    repeated = con.execute(f"""
        SELECT {key}, count(*) FROM {table} SEMI JOIN (SELECT DISTINCT {key} FROM {new_rows}) USING ({key})
        GROUP BY ALL HAVING count(*) > 1 LIMIT 1
    """).fetchone()
    if repeated:
        raise RepeatedKey(f"{table}: {repeated[-1]} rows would have the key ({key}) = {tuple(repeated[:-1])!r}; "
                          "nothing of this load was written")




GROUP = "entity, metric, scope, period"


# From this many rows, the last commit of a load or of the facts step writes them into the database file
# at once (``commit_into_file``), rather than into its log and again when the writer closes: 0.2 s less
# for each of them at 10,000 articles. A few articles' commit is cheaper logged, the close then
# checkpointing (in a one-article run, the commit's own checkpoint took 0.1 s longer than the close's).
BULK_ROWS = 10_000


def load_document_batch(
    con: duckdb.DuckDBPyConnection,
    documents: pd.DataFrame,
    claims: pd.DataFrame,
    quarantined: pd.DataFrame,
    seen: pd.DataFrame,
    present_paths: list[str],
    loaded_at: dt.datetime | None = None,
    rebuild: bool = False,
    registry: str | None = None,
) -> dict[str, int]:
    """Load the documents read by one run, in one transaction of whole sets of rows.

    ``documents`` (with ``claims`` and ``quarantined``) are the documents read now; ``seen`` holds
    (path, document_id, status) for every file this run looked at, read now or already in the warehouse;
    ``present_paths`` is every file the folder holds now. A path the folder no longer holds, or whose
    content changed, leaves the current tables; a document no current path holds goes with its claims.
    The (entity, metric, scope, period) groups whose claims changed are queued in pending_groups for the
    facts step, and a fact whose chosen claim left goes at once: every commit is a whole warehouse.
    ``rebuild`` queues every group. ``registry``: the registry text the documents were read with, kept
    with them (see registry_read_with).
    """
    loaded_at = loaded_at or dt.datetime.now()
    documents = documents.copy()
    documents["loaded_at"] = loaded_at
    documents["n_claims"] = documents["document_id"].map(claims.groupby("document_id").size()).fillna(0).astype(int)
    documents["n_quarantined"] = documents["document_id"].map(quarantined.groupby("document_id").size()).fillna(0).astype(int)
    present = pd.DataFrame({"path": list(present_paths)}, dtype=object)
    seen = seen.reindex(columns=["path", "document_id", "status"]).astype(object)
    new_ids = pd.DataFrame({"document_id": list(documents["document_id"])}, dtype=object)
    for name, frame in (("present_paths", present), ("seen_versions", seen), ("new_ids", new_ids)):
        _stage(con, name, frame)
    try:
        with transaction(con, into_file=len(claims) >= BULK_ROWS):  # the load's one commit
            # Versions: what this run saw is current; what changed under a path it looked at, or left the
            # folder, no longer is.
            leaving = """current AND (v.path NOT IN (SELECT path FROM present_paths)
                OR (v.path IN (SELECT path FROM seen_versions)
                    AND NOT EXISTS (SELECT 1 FROM seen_versions s WHERE s.path = v.path AND s.document_id = v.document_id)))"""
            # (Read before, not returned by the update: a lake's tables take no RETURNING.)
            left = [row[0] for row in con.execute(f"SELECT DISTINCT document_id FROM document_versions v WHERE {leaving}").fetchall()]
            con.execute(f"UPDATE document_versions v SET current = false WHERE {leaving}")
            # A file the run did not look at is still in the folder, as it was: seen now too.
            con.execute("UPDATE document_versions SET last_seen = ? WHERE current AND path IN (SELECT path FROM present_paths)",
                        [loaded_at])
            con.execute("""
                UPDATE document_versions v SET last_seen = ?, current = true, status = s.status
                FROM seen_versions s WHERE v.path = s.path AND v.document_id = s.document_id
            """, [loaded_at])
            con.execute("""
                INSERT INTO document_versions
                SELECT s.path, s.document_id, s.status, ?, ?, true FROM seen_versions s
                WHERE NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.path = s.path AND v.document_id = s.document_id)
            """, [loaded_at, loaded_at])
            check_keys(con, "document_versions", "seen_versions")
            # Documents read again, and documents no current path holds, leave with their rows.
            doomed = """(SELECT document_id FROM new_ids UNION
                         SELECT document_id FROM documents WHERE document_id NOT IN
                             (SELECT document_id FROM document_versions WHERE current))"""
            con.execute(f"INSERT INTO pending_groups SELECT DISTINCT {GROUP} FROM claims WHERE document_id IN {doomed}")
            removed = con.execute(f"SELECT count(*) FROM documents WHERE document_id IN {doomed} AND document_id NOT IN (SELECT document_id FROM new_ids)").fetchone()[0]
            for table in DOCUMENT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE document_id IN {doomed}")
            _replace_rows(con, "documents", documents)
            _replace_rows(con, "claims", claims)
            _replace_rows(con, "quarantined_claims", quarantined)
            # A document stays named by the first of the paths that hold it now. Only the documents whose
            # paths changed are looked at: those the run saw, and those a path left (at 10,000 documents,
            # gathering every document's paths took 0.07 s of each run).
            con.execute("""
                UPDATE documents d SET paths = v.paths, path = v.paths[1]
                FROM (SELECT document_id, list(path ORDER BY path) AS paths FROM document_versions
                      WHERE current AND document_id IN (SELECT document_id FROM seen_versions UNION ALL SELECT unnest(?::VARCHAR[]))
                      GROUP BY document_id) v
                WHERE d.document_id = v.document_id AND (d.paths <> v.paths OR d.path <> v.paths[1])
            """, [left])
            # Its figures carry that name too (and their facts' explanations quote it): a name that
            # changed is written on them, and their groups decided again.
            con.execute(f"""
                INSERT INTO pending_groups SELECT DISTINCT {GROUP} FROM claims c
                WHERE EXISTS (SELECT 1 FROM documents d WHERE d.document_id = c.document_id AND d.path <> c.document)
            """)
            for table in ("claims", "quarantined_claims"):
                con.execute(f"""
                    UPDATE {table} c SET document = d.path FROM documents d
                    WHERE d.document_id = c.document_id AND d.path <> c.document
                """)
            if not claims.empty:
                _stage(con, "new_claims", claims.reindex(columns=["entity", "metric", "scope", "period"]).astype(object))
                con.execute(f"INSERT INTO pending_groups SELECT DISTINCT {GROUP} FROM new_claims")
            if rebuild:
                con.execute(f"INSERT INTO pending_groups SELECT DISTINCT {GROUP} FROM claims UNION SELECT DISTINCT {GROUP} FROM facts")
            if registry is not None:
                con.execute("DELETE FROM source_registry")
                con.execute("INSERT INTO source_registry VALUES (?)", [registry])
            _hold_for_fault_tests(con)
            con.execute("DELETE FROM facts WHERE chosen_claim_id NOT IN (SELECT claim_id FROM claims)")
            con.execute("DELETE FROM conflicts WHERE fact_id NOT IN (SELECT fact_id FROM facts)")
    finally:
        for name in ("present_paths", "seen_versions", "new_ids", "new_claims"):
            with contextlib.suppress(Exception):
                con.unregister(name)
    versions = con.execute("SELECT count(*) FROM document_versions").fetchone()[0]
    return {"documents": len(documents), "removed": int(removed), "versions": int(versions)}


def _hold_for_fault_tests(con: duckdb.DuckDBPyConnection) -> None:
    """FIGURES_HOLD_LOAD=<file>: stop inside the load's transaction, writing the file to say so, until the
    file is removed, so that a test can kill the run at that point or start another beside it. Never set
    in production."""
    marker = os.environ.get("FIGURES_HOLD_LOAD")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        deadline = time.monotonic() + 600
        while Path(marker).exists() and time.monotonic() < deadline:
            time.sleep(0.1)


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{document id: status} of the documents a warehouse holds: those are never read again. None from a
    warehouse of an older layout, whose tables the next load builds anew."""
    tables = table_names(con)
    for table in DOCUMENT_TABLES:
        wanted = set(column_descriptions(TABLE_SCHEMAS[table])) | EXTRA_COLUMNS.get(table, set())
        if table not in tables or set(table_columns(con, table)) != wanted:
            return {}
    return dict(con.execute("SELECT document_id, status FROM documents").fetchall())


def registry_read_with(con: duckdb.DuckDBPyConnection) -> str | None:
    """The registry text the warehouse's documents were read with ('' for none); None when it does not
    say (no load yet, or loads from before it kept the registry): the next run's registry is taken as it."""
    if "source_registry" not in table_names(con):
        return None
    row = con.execute("SELECT content FROM source_registry").fetchone()
    return row[0] if row else None


def extractor_versions(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The versions of the extractor that read the claims a warehouse holds, quarantined ones included."""
    tables = table_names(con)
    parts = [f"SELECT DISTINCT extractor_version FROM {table}" for table in ("claims", "quarantined_claims")
             if table in tables and "extractor_version" in table_columns(con, table)]
    return {version for (version,) in con.execute(" UNION ".join(parts)).fetchall()} if parts else set()


def current_versions(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(path, document id) of every file the warehouse holds now; none from an older layout."""
    if not known_documents(con):
        return set()
    return set(con.execute("SELECT path, document_id FROM document_versions WHERE current").fetchall())


def pending_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(f"SELECT DISTINCT {GROUP} FROM pending_groups").df()


def release_cached_blocks(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the blocks of the database file DuckDB keeps in memory after a large read: it caches them up
    to its memory limit (most of the machine's memory by default), so they would stay for the rest of a
    writing step. A moment's small limit evicts them; they are read from the file again when needed.
    Inside a transaction (a lake's load), its rows are pinned: nothing is tried, since a failed statement
    would abort it."""
    if in_transaction(con):
        return
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone()
    try:
        con.execute("SET memory_limit = '32MB'")
    except duckdb.Error:  # more than that in use: nothing to gain now
        return
    finally:
        con.execute(f"SET memory_limit = '{limit}'")


def pending_entities(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The entities of the queued groups."""
    return [entity for (entity,) in con.execute("SELECT DISTINCT entity FROM pending_groups ORDER BY entity").fetchall()]


def facts_of_entities(con: duckdb.DuckDBPyConnection, entities: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts of ``entities``, and the (claim_id, precision) of the claims they chose."""
    facts = con.execute("SELECT * FROM facts WHERE entity IN (SELECT unnest(?))", [entities]).df()
    chosen = con.execute("""
        SELECT c.claim_id, c.precision FROM claims c
        SEMI JOIN (SELECT chosen_claim_id FROM facts WHERE entity IN (SELECT unnest(?))) f ON f.chosen_claim_id = c.claim_id
    """, [entities]).df()
    return facts, chosen


def replace_consistency_warnings(con: duckdb.DuckDBPyConnection, warnings: pd.DataFrame, entities: list[str]) -> None:
    """Replace the consistency warnings of ``entities`` (each relation is between facts of one entity)."""
    with transaction(con):
        con.execute("DELETE FROM consistency_warnings WHERE entity IN (SELECT unnest(?))", [entities])
        _replace_rows(con, "consistency_warnings", warnings)


def queue_groups_of_other_policies(con: duckdb.DuckDBPyConnection, version: str) -> int:
    """Queue the groups whose facts another version of the reconciliation policy decided, so that a changed
    policy decides every fact at the next run, not only those of the groups new documents touch. Returns
    how many were queued."""
    other = f"SELECT DISTINCT {GROUP} FROM facts WHERE policy_version IS DISTINCT FROM ?"
    (count,) = con.execute(f"SELECT count(*) FROM ({other})", [version]).fetchone()
    if count:
        con.execute(f"INSERT INTO pending_groups {other}", [version])
    return count


def queue_other_scopes(con: duckdb.DuckDBPyConnection) -> None:
    """Queue every scope of the (entity, metric, period) of the queued groups: a group's conflict compares
    its values with those stated for the other scopes (a figure of another scope is a likely error), so
    a change to one scope can change the conflict of another."""
    con.execute(f"""
        INSERT INTO pending_groups SELECT DISTINCT {GROUP} FROM claims
        SEMI JOIN (SELECT DISTINCT entity, metric, period FROM pending_groups) p USING (entity, metric, period)
    """)


def claims_of_pending_groups(con: duckdb.DuckDBPyConnection, columns: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims of the queued groups (all their columns, or ``columns``: {name: SQL over the claims
    ``c``}), and the documents they come from, without their texts (``document_texts``)."""
    selected = ", ".join(f'{expression} AS "{name}"' for name, expression in columns.items()) if columns else "c.*"
    claims = con.execute(f"""
        SELECT {selected} FROM claims c SEMI JOIN (SELECT DISTINCT {GROUP} FROM pending_groups) g
        USING ({GROUP}) ORDER BY c.claim_id
    """).df()
    # Languages too: a translation counts once with its original.
    documents = con.execute("""
        SELECT document_id, tier, published_date, language FROM documents
        WHERE document_id IN (SELECT document_id FROM claims c SEMI JOIN pending_groups g USING (entity, metric, scope, period))
    """).df()
    release_cached_blocks(con)
    return claims, documents


def document_texts(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
    """{document id: text} of ``ids``. Read apart from the rest of the documents, and only when needed:
    the texts are the documents' largest column (50 MB at 10,000 articles), and copies are found without
    them when the search for copies compared them already or the store of shingles knows them."""
    texts = dict(con.execute("SELECT document_id, text FROM documents WHERE document_id IN (SELECT unnest(?))", [ids]).fetchall())
    release_cached_blocks(con)
    return texts


def figures_outside_pending_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The other figures (document_id, entity, metric, period, value) of the documents whose claims are in
    the queued groups: a translation is known by every figure it states, whichever groups a run
    reconciles again. Nothing when every group is queued."""
    return con.execute(f"""
        SELECT document_id, entity, metric, period, value FROM claims ANTI JOIN pending_groups USING ({GROUP})
        WHERE document_id IN (SELECT document_id FROM claims c SEMI JOIN pending_groups g USING ({GROUP}))
    """).df()


# When the warehouse first ingested a document: the date of what only undated documents say.
_FIRST_SEEN = "(SELECT min(v.first_seen) FROM document_versions v WHERE v.document_id = {})"


def replace_pending_facts(
    con: duckdb.DuckDBPyConnection, facts: pd.DataFrame, conflicts: pd.DataFrame,
    check_arithmetic: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame], now: dt.datetime | None = None,
) -> int:
    """Replace the facts and conflicts of the queued groups, record what changed in fact_history, replace
    the consistency warnings of their entities (``check_arithmetic(facts, chosen)`` over all the facts of
    each, see facts_of_entities) and empty the queue, in one transaction: a run that dies before it
    commits leaves every queued group, and the arithmetic of its entity, to the next run. Returns how many
    groups were recomputed. A fact learned from undated documents only is dated by when the warehouse
    first ingested that document."""
    now = now or dt.datetime.now()
    touched = f"(SELECT DISTINCT {GROUP} FROM pending_groups)"
    entities = pending_entities(con)
    with transaction(con, into_file=len(facts) + len(conflicts) >= BULK_ROWS):  # the facts step's last commit
        (n_groups,) = con.execute(f"SELECT count(*) FROM {touched}").fetchone()
        con.execute(f"DELETE FROM facts WHERE ({GROUP}) IN {touched}")
        con.execute(f"DELETE FROM conflicts WHERE ({GROUP}) IN {touched}")
        _replace_rows(con, "facts", facts)
        _replace_rows(con, "conflicts", conflicts)
        # Close the history rows of the touched facts whose value or status changed, or that are gone.
        con.execute(f"""
            UPDATE fact_history h SET valid_to = ?
            WHERE h.valid_to IS NULL AND ({GROUP}) IN {touched} AND NOT EXISTS (
                SELECT 1 FROM facts f
                WHERE f.fact_id = h.fact_id AND f.value = h.value AND f.status = h.status AND f.unit = h.unit)
        """, [now])
        con.execute(f"""
            INSERT INTO fact_history
            SELECT f.fact_id, f.entity, f.metric, f.scope, f.period, f.kind, f.value, f.unit, f.status, f.rule, ?, NULL
            FROM facts f
            WHERE ({GROUP}) IN {touched}
              AND NOT EXISTS (SELECT 1 FROM fact_history h WHERE h.fact_id = f.fact_id AND h.valid_to IS NULL)
        """, [now])
        con.execute(f"UPDATE facts SET learned_at = {_FIRST_SEEN.format('facts.learned_from_document_id')} WHERE learned_at IS NULL")
        # The arithmetic relates facts of one entity across groups: checked again over all of its facts.
        replace_consistency_warnings(con, check_arithmetic(*facts_of_entities(con, entities)), entities)
        con.execute("DELETE FROM pending_groups")
    release_cached_blocks(con)
    return int(n_groups)


def table_counts(con: duckdb.DuckDBPyConnection, tables=(*TABLE_SCHEMAS, "fact_history")) -> dict[str, int]:
    """{table: rows} of ``tables`` (every table of the warehouse by default)."""
    return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}


def replace_reconciliation_details(con: duckdb.DuckDBPyConnection, revisions: pd.DataFrame, timeline: pd.DataFrame,
                                   pending_only: bool = False) -> None:
    """Replace target_revisions and fact_timeline (all rows, or with ``pending_only`` those of the queued
    groups, which the caller recomputed), in one transaction.

    A timeline row learned from undated documents only is dated by when the warehouse first ingested that
    document (document_versions.first_seen), which stays the same on every later run.
    """
    touched = f"WHERE ({GROUP}) IN (SELECT DISTINCT {GROUP} FROM pending_groups)" if pending_only else ""
    with transaction(con):
        for table, frame in (("target_revisions", revisions), ("fact_timeline", timeline)):
            con.execute(f"DELETE FROM {table} {touched}")
            _replace_rows(con, table, frame)
        con.execute(f"UPDATE fact_timeline SET known_from = {_FIRST_SEEN.format('fact_timeline.known_from_document_id')} WHERE known_from IS NULL")
    release_cached_blocks(con)
