"""Comments on the views, the table macro and the columns no Pandera schema describes, so that every
table, view and column of the warehouse says what it holds (SELECT * FROM duckdb_columns())."""

from __future__ import annotations

import duckdb

from schemas import TABLE_SCHEMAS, column_descriptions

from .transactions import transaction


def in_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's default database is a DuckLake."""
    row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return bool(row) and row[0] == "ducklake"

VIEWS = {
    "fact_provenance": "Each fact with the sentence and the document of the claim that decided it.",
    "claim_provenance": "Each claim with its document: publisher, tier, date, language, URL.",
    "disputed_facts": "Facts that are disputed or revised, with their conflict.",
    "rejected_documents": "Source files that could not be read, with the reason.",
    "current_facts": "Facts as they stand now (former targets left out), with when and where the value was first learned.",
    "fact_value_history": "Each value a fact has had as sources were published, with the claims, documents and sources known then.",
    "open_conflicts": "Disagreements between sources not settled by a revision: candidates, provisional value, rule and signals.",
    "conflict_candidates": "Every claim of every conflict, with its document, publisher, tier, page and quote.",
    "fact_claims": "The provenance of each fact: all its claims with document, publisher, tier, page, quote and offsets.",
    "target_chains": "Target values in order of revision, each linked to its successor with both dates.",
}
MACROS = {"facts_as_of": "What the warehouse believed on a date: facts_as_of(DATE '2024-07-01')"}
# Columns of views (and of fact_history) whose meaning is not the same-named column of a table.
COLUMNS = {
    "document_path": "Path of the document in the sources folder",
    "learned_from_path": "Path of the document the value was first learned from",
    "learned_from_publisher": "Publisher of that document",
    "brought_by_path": "Path of a document whose publication brought this value",
    "brought_by_publisher": "Publisher of that document",
    "sources": "Publishers (or paths when unknown) of the documents involved",
    "candidate_values": "The distinct values the sources state",
    "provisional": "True for a claim whose value is the conflict's provisional value",
    "fact_value": "The fact's reconciled value",
    "fact_status": "The fact's status",
    "claim_value": "The value the claim states, in base units",
    "chosen": "True for the claim whose value the fact takes",
    "valid_from": "When the warehouse (at a load) started holding this value",
    "valid_to": "When a later load changed it; empty while current",
    "loaded_at": "When the document's rows were last loaded",
    "quote": "The sentence or table row the figure was read from",
    "value": "Value in base units",
    "fingerprint": "SHA-256 of the warehouse's SQL files",
}


def _description(column: str) -> str:
    if column in COLUMNS:
        return COLUMNS[column]
    for model in TABLE_SCHEMAS.values():
        described = column_descriptions(model).get(column)
        if described:
            return described
    return column.replace("_", " ")


def _quote(text: str) -> str:
    return text.replace("'", "''")


def wanted_comments(con: duckdb.DuckDBPyConnection) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, str], str]]:
    """(kind, name) -> comment for tables, views and the macro; (kind, table, column) -> comment for columns."""
    objects = {("TABLE", "fact_history"): "Every value a fact has had across loads of the warehouse (system time): valid_from to valid_to",
               ("TABLE", "pending_groups"): "Groups (entity, metric, scope, period) whose claims changed since their facts were "
                                             "reconciled; emptied when their facts are replaced",
               ("TABLE", "schema_version"): "Fingerprint of the SQL files the views and the macro were last created from",
               ("TABLE", "source_registry"): "The sources folder's registry.yaml as the documents were read with it ('' for "
                                              "none); a run with another registry reads again the files whose entry changed",
               **{("MACRO TABLE", name): text for name, text in MACROS.items()}}
    columns = {}
    for table, model in TABLE_SCHEMAS.items():
        objects[("TABLE", table)] = (model.__doc__ or "").strip()
        for column, description in column_descriptions(model).items():
            columns[(table, column)] = description
    for view, comment in VIEWS.items():
        objects[("VIEW", view)] = comment
    described = {*TABLE_SCHEMAS, *VIEWS, "fact_history", "pending_groups", "schema_version", "source_registry"}
    for table, column in con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'").fetchall():
        if table in described and (table, column) not in columns:
            columns[(table, column)] = _description(column)
    return objects, columns


def apply_comments(con: duckdb.DuckDBPyConnection, macros: bool = True) -> None:
    """Comment every table, view, column and the macro; only what changed is written, in one transaction
    (each COMMENT is a catalog change). DuckLake comments tables, views and table columns only, not a
    macro ("Unsupported catalog type for SET COMMENT") nor a view's columns ("not a table"): in a lake,
    those are described by the SQL files alone. Without ``macros`` (the macro was not created again),
    its comment is left as it is: reading it lists every function DuckDB has, 13 ms."""
    objects, columns = wanted_comments(con)
    lake = in_lake(con)
    if lake or not macros:
        objects = {key: text for key, text in objects.items() if key[0] != "MACRO TABLE"}
    if lake:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        columns = {key: text for key, text in columns.items() if key[0] in tables}
    current = {("TABLE", n): c for n, c in con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall()}
    current.update({("VIEW", n): c for n, c in con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall()})
    if any(kind == "MACRO TABLE" for kind, _ in objects):
        current.update({("MACRO TABLE", n): c for n, c in con.execute(
            "SELECT function_name, comment FROM duckdb_functions() WHERE function_type = 'table_macro'").fetchall()})
    current_columns = {(t, c): m for t, c, m in con.execute("SELECT table_name, column_name, comment FROM duckdb_columns()").fetchall()}
    statements = [f"COMMENT ON {kind} {name} IS '{_quote(text)}'" for (kind, name), text in objects.items()
                  if current.get((kind, name)) != text]
    statements += [f"COMMENT ON COLUMN {table}.\"{column}\" IS '{_quote(text)}'" for (table, column), text in columns.items()
                   if current_columns.get((table, column), text) != text]
    if not statements:
        return
    with transaction(con):
        con.execute(";\n".join(statements))  # one call: each its own took most of a run's schema check
