"""Resources: where the articles are and which DuckDB file the warehouse is."""


from pathlib import Path

from dagster import ConfigurableResource
from dagster_duckdb import DuckDBResource

from pipelines import settings


class SourcesResource(ConfigurableResource):
    """The folder of raw articles (txt, md, html, pdf) and its registry.yaml."""

    folder: str

    @property
    def path(self) -> Path:
        return Path(self.folder)


def default_resources() -> dict:
    """Resources from FIGURES_SOURCES_DIR and FIGURES_WAREHOUSE, read when the definitions load."""
    warehouse = settings.warehouse_path()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "sources": SourcesResource(folder=str(settings.sources_dir())),
        "warehouse": DuckDBResource(database=str(warehouse)),
    }
