"""The column rules of a Pandera model, checked inside DuckDB: one scan of a warehouse table, whatever its
size, instead of loading it into pandas.

Each column rule (not null, a set of values, a lower bound, a length, a pattern, unique values) becomes a
SQL condition that a failing row meets. The rules that relate several columns of a row (the models'
``dataframe_check`` methods) are Python and stay with Pandera: claims meet them before they are loaded,
and a full rebuild checks every row with the whole model (``pipelines/defs/checks.py``)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .tools import table_key

FAILURE_COLUMNS = ["schema_context", "column", "check", "failures", "failure_case"]


def _literal(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _failing(check: pa.Check, column: str) -> str | None:
    """The SQL condition a row meets when ``column`` breaks ``check``; None for a rule SQL cannot say."""
    stats, name = check.statistics or {}, check.name
    if name == "isin":
        return f"{column} NOT IN ({', '.join(_literal(v) for v in stats['allowed_values'])})"
    if name == "greater_than_or_equal_to":
        return f"{column} < {_literal(stats['min_value'])}"
    if name == "str_matches":
        # Pandera matches from the start of the string, as Python's re.match does.
        return f"NOT regexp_matches({column}, {_literal('^(?:' + stats['pattern'] + ')')})"
    if name == "str_length":
        bounds = []
        if stats.get("min_value") is not None:
            bounds.append(f"length({column}) < {stats['min_value']}")
        if stats.get("max_value") is not None:
            bounds.append(f"length({column}) > {stats['max_value']}")
        if stats.get("exact_value") is not None:
            bounds.append(f"length({column}) <> {stats['exact_value']}")
        return " OR ".join(bounds) or None
    return None


def column_rules(model: type[pa.DataFrameModel]) -> list[tuple[str, str, str]]:
    """(column, rule, SQL condition of a failing row) for every column rule SQL can check."""
    rules = []
    for name, column in model.to_schema().columns.items():
        quoted = _quoted(name)
        if not column.nullable:
            rules.append((name, "not_nullable", f"{quoted} IS NULL"))
        for check in column.checks:
            failing = _failing(check, quoted)
            if failing is not None:
                # NULL is the nullable rule's business, as in Pandera
                rules.append((name, check.name, f"{quoted} IS NOT NULL AND ({failing})"))
    return rules


def rules_to_scan(con, table: str, model: type[pa.DataFrameModel]) -> list[tuple[str, str, str]]:
    """``column_rules`` less the not-null rules of the columns ``table`` declares NOT NULL: the database
    refuses their nulls already, and scanning a column for them reads it whole (the conflicts' candidates
    are 33 MB at 10,000 articles)."""
    refused = {column for column, nullable in con.execute(
        "SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = ? AND database_name = current_database()",
        [table]).fetchall() if not nullable}
    return [rule for rule in column_rules(model) if not (rule[1] == "not_nullable" and rule[0] in refused)]


def sql_failures(con, table: str, model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """One row per column rule that rows of ``table`` break: how many rows, and one failing value."""
    rules = rules_to_scan(con, table, model)
    rows = []
    if rules:
        counts = ", ".join(f"count(*) FILTER (WHERE {condition}), any_value({_quoted(column)}) FILTER (WHERE {condition})"
                           for column, _, condition in rules)
        found = con.execute(f"SELECT {counts} FROM {table}").fetchone()
        for i, (column, rule, _) in enumerate(rules):
            if found[2 * i]:
                rows.append(("Column", column, rule, int(found[2 * i]), found[2 * i + 1]))
    schema = model.to_schema()
    keys = [([name], "field_uniqueness") for name, column in schema.columns.items() if column.unique]
    if schema.unique:
        keys.append((list(table_key(model)), "multiple_fields_uniqueness"))
    for columns, rule in keys:
        quoted = ", ".join(_quoted(name) for name in columns)
        (repeated, example) = con.execute(
            f"SELECT count(*), any_value(({quoted})::VARCHAR) FROM (SELECT {quoted} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()
        if repeated:
            rows.append(("Column" if len(columns) == 1 else "DataFrameSchema", ", ".join(columns), rule, int(repeated), example))
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)
