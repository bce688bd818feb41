"""The Dagster code location: one entry point for the UI, the CLI and the tests."""

from dagster import Definitions

from pipelines.defs.assets import ALL_ASSETS
from pipelines.defs.checks import ALL_CHECKS
from pipelines.defs.jobs import build_warehouse, reconcile_facts
from pipelines.defs.resources import default_resources
from pipelines.defs.schedules import daily_build
from pipelines.defs.sensors import sources_changed


def build_definitions(resources: dict | None = None) -> Definitions:
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[build_warehouse, reconcile_facts],
        schedules=[daily_build],
        sensors=[sources_changed],
        resources=resources or default_resources(),
    )


defs = build_definitions()
