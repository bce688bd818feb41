"""Helpers shared by the schemas: column documentation and readable validation failures."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors


def column_descriptions(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Column name -> its description, in the model's order."""
    schema = model.to_schema()
    return {name: column.description or "" for name, column in schema.columns.items()}


def validate_lazily(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """(the validated, coerced frame, or None when a row fails; the failure cases, empty when none);
    never raises."""
    try:
        return model.validate(frame, lazy=True), _no_failures()
    except SchemaErrors as errors:
        return None, errors.failure_cases


def validation_failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """Validate lazily and return the failure cases (empty when the frame is valid); never raises."""
    return validate_lazily(model, frame)[1]


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])


def table_key(model) -> tuple[str, ...]:
    """The columns that name one row of the model's table: its columns unique together (``Config.unique``),
    or its one unique column; () when rows have no key."""
    schema = model.to_schema()
    if schema.unique:
        return tuple([schema.unique] if isinstance(schema.unique, str) else schema.unique)
    return tuple(name for name, column in schema.columns.items() if column.unique)
