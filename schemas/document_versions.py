import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .dtypes import Text


class DocumentVersionsSchema(pa.DataFrameModel):
    """Every content a path has held, kept across runs: a changed file adds a version, a deleted file
    keeps its history. Only the current versions have rows in documents and claims."""

    path: Series[Text] = pa.Field(description="Path of the file, relative to the sources folder")
    document_id: Series[Text] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="Content hash of this version (the documents table's id while it is current)")
    status: Series[Text] = pa.Field(isin=["loaded", "rejected"], description="How this version was read: loaded or rejected")
    first_seen: Series[pd.Timestamp] = pa.Field(description="Load that first found this content at this path")
    last_seen: Series[pd.Timestamp] = pa.Field(description="Latest load that found it there")
    current: Series[bool] = pa.Field(description="True while the path still holds this content; false once the file changed or was deleted")

    @pa.dataframe_check(description="a version is last seen no earlier than first seen")
    def seen_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return df["last_seen"] >= df["first_seen"]

    @pa.dataframe_check(description="a path has at most one current version")
    def one_current_version(cls, df: pd.DataFrame) -> Series[bool]:
        current = df[df["current"]]
        return ~(df["current"] & df["path"].isin(current["path"][current["path"].duplicated()]))

    class Config:
        strict = True
        coerce = True
        unique = ["path", "document_id"]  # the table's key
