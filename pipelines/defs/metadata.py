"""Metadata people look at in the UI: row counts, a markdown preview, the column schema."""

from __future__ import annotations

import pandas as pd
from dagster import MetadataValue, TableColumn, TableSchema

from schemas import column_descriptions

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
    return TableSchema(columns=[TableColumn(name, "", description) for name, description in column_descriptions(model).items()])


def table_metadata(frame: pd.DataFrame, model=None, columns: list[str] | None = None) -> dict:
    metadata = {"dagster/row_count": len(frame), "preview": MetadataValue.md(markdown_preview(frame, columns))}
    if model is not None:
        metadata["dagster/column_schema"] = column_schema(model)
    return metadata
