"""Where things live and what one document may cost. Every command and the Dagster definitions read
the same variables: FIGURES_WAREHOUSE (the DuckDB file, or ``ducklake:<catalog>`` for a DuckLake, whose
new Parquet files go under FIGURES_LAKE_DATA), FIGURES_SOURCES_DIR (the articles), and the limits from
the [limits] section of FIGURES_CONFIG (default figures.toml) or FIGURES_MAX_* variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the readers costs every process that reads only settings (a spawned worker) 0.2 s
    from .documents.limits import Limits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "figures.duckdb"
DEFAULT_SOURCES = PROJECT_ROOT / "sources"
DEFAULT_CONFIG = PROJECT_ROOT / "figures.toml"


def warehouse_database() -> str:
    """FIGURES_WAREHOUSE as written: a DuckDB file's path, or ``ducklake:<catalog>``."""
    return os.environ.get("FIGURES_WAREHOUSE") or str(DEFAULT_WAREHOUSE)


def lake_data_path() -> str:
    """FIGURES_LAKE_DATA: the folder or bucket prefix (s3://bucket/figures/) of a DuckLake's Parquet files."""
    return os.environ.get("FIGURES_LAKE_DATA", "")


def warehouse():
    """The warehouse the settings name (warehouse.target)."""
    from warehouse.target import warehouse_target

    return warehouse_target(warehouse_database(), lake_data_path())


def sources_dir() -> Path:
    return Path(os.environ.get("FIGURES_SOURCES_DIR") or DEFAULT_SOURCES)


def dagster_storage() -> Path:
    return Path(os.environ.get("FIGURES_DAGSTER_STORAGE") or PROJECT_ROOT / ".dagster_home")


def written_places() -> dict[str, Path]:
    """{what sets it: path} of what runs write on this machine: the instance's storage, and the
    warehouse's files (for a lake, its catalog file and Parquet folder when they are local)."""
    places = {"FIGURES_DAGSTER_STORAGE": dagster_storage()}
    data = Path(lake_data_path()) if lake_data_path() else None
    for path in warehouse().local_paths():
        places["FIGURES_LAKE_DATA" if path == data else "FIGURES_WAREHOUSE"] = path
    return places


# A file changed this recently may still be being copied or downloaded: the sensor leaves it for a later
# tick rather than read it half-written (and read it again, whole, at the next).
SETTLE_SECONDS = 10.0


def settle_seconds() -> float:
    """How long a file stays unchanged before the sensor reads it (FIGURES_SETTLE_SECONDS)."""
    value = os.environ.get("FIGURES_SETTLE_SECONDS")
    if not value:
        return SETTLE_SECONDS
    try:
        return max(0.0, float(value))
    except ValueError:
        raise ValueError(f"FIGURES_SETTLE_SECONDS must be a number of seconds, got {value!r}") from None


def content_ids_file() -> Path:
    """Where the content ids of the files hashed before are kept (pipelines/folder_state.ContentIds)."""
    return dagster_storage() / "content_ids.json"


def shingles_file() -> Path:
    """Where the shingles of the documents seen are kept (pipelines/shingle_store.ShingleStore)."""
    return dagster_storage() / "shingles.duckdb"


def ensure_dagster_home() -> Path:
    """The Dagster instance lives in the project (dagster.yaml), its storage in a gitignored folder."""
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT))
    os.environ.setdefault("FIGURES_DAGSTER_STORAGE", str(PROJECT_ROOT / ".dagster_home"))
    Path(os.environ["FIGURES_DAGSTER_STORAGE"]).mkdir(parents=True, exist_ok=True)
    return Path(os.environ["DAGSTER_HOME"])


def config_path() -> Path:
    return Path(os.environ.get("FIGURES_CONFIG") or DEFAULT_CONFIG)


def limits() -> Limits:
    """The defaults, then the config file's [limits] section, then FIGURES_MAX_* variables on top."""
    from .documents.limits import Limits

    values: dict = {}
    path = config_path()
    if path.is_file():
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("limits", {})
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: invalid TOML: {exc}") from exc
        if not isinstance(section, dict):
            raise ValueError(f"{path}: [limits] must be a section of name = value lines")
        values.update(section)
    for field in fields(Limits):
        variable = f"FIGURES_{field.name.upper()}"
        if os.environ.get(variable):
            values[field.name] = os.environ[variable]
    return Limits.from_mapping(values, where=str(path))
