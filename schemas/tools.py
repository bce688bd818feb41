"""Helpers shared by the schemas: column documentation and readable validation failures."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors


def column_descriptions(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Column name -> its description, in the model's order."""
    schema = model.to_schema()
    return {name: column.description or "" for name, column in schema.columns.items()}


def validation_failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """Validate lazily and return the failure cases (empty when the frame is valid); never raises."""
    try:
        model.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])
