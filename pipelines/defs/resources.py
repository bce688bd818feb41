"""Resources: where the articles are, what one document may cost, where the warehouse is (a DuckDB file
or a DuckLake), and whether the run shows its progress."""


import sys
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.documents import Limits
from pipelines.progress import StageProgress
from pipelines.run_worker import RUN_TAG, worker_tags
from warehouse.target import WarehouseTarget, warehouse_target

_DEFAULT = Limits()


class SourcesResource(ConfigurableResource):
    """The folder of raw articles (txt, md, html, pdf) and its registry.yaml, with the per-document limits."""

    folder: str
    max_file_bytes: int = _DEFAULT.max_file_bytes
    max_chars: int = _DEFAULT.max_chars
    max_pdf_pages: int = _DEFAULT.max_pdf_pages
    max_seconds: float = _DEFAULT.max_seconds

    @property
    def path(self) -> Path:
        return Path(self.folder)

    @property
    def limits(self) -> Limits:
        return Limits(self.max_file_bytes, self.max_chars, self.max_pdf_pages, self.max_seconds)

    @classmethod
    def with_limits(cls, folder: str, limits: Limits) -> "SourcesResource":
        return cls(folder=folder, max_file_bytes=limits.max_file_bytes, max_chars=limits.max_chars,
                   max_pdf_pages=limits.max_pdf_pages, max_seconds=limits.max_seconds)


class ProgressResource(ConfigurableResource):
    """Whether the assets report their progress on standard output (`figures run` turns it on), and
    whether as live bars. Dagster captures a step's standard output, which is then no terminal, so the
    command decides `live` from its own output, and live bars go to the process's real output."""

    show: bool = False
    live: bool = False

    def stage(self, label: str, total: int, unit: str) -> StageProgress:
        stream = (sys.__stdout__ or sys.stdout) if self.live else sys.stdout
        return StageProgress(label, total, unit, stream=stream, enabled=self.show, live=self.live)


class WarehouseResource(DuckDBResource):
    """The warehouse: ``database`` is a DuckDB file or ``ducklake:<catalog>`` (a PostgreSQL catalog,
    ``ducklake:postgres:dbname=... host=...``, or a DuckDB file); ``lake_data_path`` is the folder or
    bucket prefix of a lake's Parquet files, needed to create the lake and then the same on every run.

    A run that writes the warehouse records the process running it (pipelines.run_worker): if that
    process dies while it holds the writers' pool slot, run monitoring and the next `figures run` can
    tell, and free it. Every step of a run executes in that process (the definitions' executor)."""

    lake_data_path: str = ""

    def setup_for_execution(self, context: InitResourceContext) -> None:
        run = context.dagster_run
        if context.instance is not None and run is not None and run.tags.get(RUN_TAG) != run.run_id:
            context.instance.add_run_tags(run.run_id, worker_tags(run.run_id))


def target_of(warehouse: DuckDBResource) -> WarehouseTarget:
    """Where a warehouse resource writes and reads; a plain DuckDBResource names a DuckDB file (or a lake
    created with its data path already)."""
    return warehouse_target(warehouse.database, getattr(warehouse, "lake_data_path", "") or None)


def older_extractors(target: WarehouseTarget) -> list[str]:
    """The versions of the extractor, other than this one, that read claims of the published warehouse: a
    document is read once per content, so claims of an older extractor, or of this one with other lexicons
    or readers (pipelines.extractor_version), stay until every file is read again."""
    from pipelines.extractor_version import extractor_version
    from warehouse.loader import extractor_versions

    if not target.exists():
        return []
    with target.reader() as con:
        return sorted(extractor_versions(con) - {extractor_version()})


def default_resources() -> dict:
    """Resources from FIGURES_SOURCES_DIR, FIGURES_WAREHOUSE, FIGURES_LAKE_DATA, FIGURES_DAGSTER_STORAGE
    and the limits settings, read when the definitions load. A DuckDB ``warehouse`` names the published
    snapshot: runs write their own file next to it and swap it in (see warehouse.target)."""
    from .io_managers import RunScopedIOManager

    warehouse = WarehouseResource(database=settings.warehouse_database(), lake_data_path=settings.lake_data_path())
    target_of(warehouse).prepare()
    return {
        "sources": SourcesResource.with_limits(str(settings.sources_dir()), settings.limits()),
        "warehouse": warehouse,
        "progress": ProgressResource(),
        "io_manager": RunScopedIOManager(base_dir=str(settings.dagster_storage())),
    }
