"""Where things live. Every command and the Dagster definitions read the same two variables:
FIGURES_WAREHOUSE (the DuckDB file) and FIGURES_SOURCES_DIR (the articles)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "figures.duckdb"
DEFAULT_SOURCES = PROJECT_ROOT / "sources"


def warehouse_path() -> Path:
    return Path(os.environ.get("FIGURES_WAREHOUSE") or DEFAULT_WAREHOUSE)


def sources_dir() -> Path:
    return Path(os.environ.get("FIGURES_SOURCES_DIR") or DEFAULT_SOURCES)


def ensure_dagster_home() -> Path:
    """The Dagster instance lives in the project (dagster.yaml), its storage in a gitignored folder."""
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT))
    os.environ.setdefault("FIGURES_DAGSTER_STORAGE", str(PROJECT_ROOT / ".dagster_home"))
    Path(os.environ["FIGURES_DAGSTER_STORAGE"]).mkdir(parents=True, exist_ok=True)
    return Path(os.environ["DAGSTER_HOME"])
