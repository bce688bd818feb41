"""Metadata people look at in the UI: row counts, a markdown preview, the column schema."""

from __future__ import annotations

import pandas as pd
from dagster import MetadataValue, TableColumn, TableSchema

from schemas import TABLE_SCHEMAS, column_descriptions

PREVIEW_ROWS = 10
PREVIEW_WIDTH = 80


def markdown_preview(frame: pd.DataFrame, columns: list[str] | None = None, rows: int = PREVIEW_ROWS) -> str:
    shown = frame[columns] if columns else frame
    if shown.empty:
        return "_no rows_"
    header = "| " + " | ".join(shown.columns) + " |\n|" + "---|" * len(shown.columns) + "\n"
    body = []
    for record in shown.head(rows).itertuples(index=False):
        cells = [str(v).replace("|", "/").replace("\n", " ")[:PREVIEW_WIDTH] for v in record]
        body.append("| " + " | ".join(cells) + " |")
    return header + "\n".join(body)


def column_schema(model) -> TableSchema:
    columns = model.to_schema().columns
    return TableSchema(columns=[TableColumn(name, str(columns[name].dtype) if name in columns else "", description)
                                for name, description in column_descriptions(model).items()])


def table_definition(table: str) -> dict:
    """Definition metadata of a warehouse table's asset: its columns, shown on the asset's page."""
    return {"dagster/column_schema": column_schema(TABLE_SCHEMAS[table]), "dagster/table_name": table}


def tables_definition(tables: list[str]) -> dict:
    """Definition metadata of an asset that stands for several tables: the first one's as its own, the
    others' columns each under its table's name."""
    first, *others = tables
    return {**table_definition(first), **{f"{table} columns": column_schema(TABLE_SCHEMAS[table]) for table in others}}


# Each partition of a run gets the run's metadata. The preview (a third of each event) is the same
# ten rows for all of them: a backfill of thousands of files would write it thousands of times.
PREVIEW_UP_TO_PARTITIONS = 100


def run_metadata(table_rows: int, loaded: pd.DataFrame, columns: list[str] | None = None, partitions: int = 1,
                 table: str | None = None) -> dict:
    """A run's materialization of a table: its rows now, those this run loaded, and a preview of them when
    the run covers at most PREVIEW_UP_TO_PARTITIONS partitions. ``table`` names the entries of a table
    that is not the asset's own (``tables_definition``)."""
    name = f"{table} " if table else ""
    metadata = {f"{table} rows" if table else "dagster/row_count": int(table_rows), f"{name}rows loaded by this run": len(loaded)}
    if partitions <= PREVIEW_UP_TO_PARTITIONS:
        metadata[f"{name}preview"] = MetadataValue.md(markdown_preview(loaded, columns))
    return metadata
