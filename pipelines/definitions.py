"""The Dagster code location: one entry point for the UI, the CLI and the tests."""

from dagster import Definitions

from pipelines.defs.assets import ALL_ASSETS
from pipelines.defs.automation import build_warehouse, daily_build, sources_changed
from pipelines.defs.checks import ALL_CHECKS
from pipelines.defs.resources import default_resources


def build_definitions(resources: dict | None = None) -> Definitions:
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[build_warehouse],
        schedules=[daily_build],
        sensors=[sources_changed],
        resources=resources or default_resources(),
    )


defs = build_definitions()
