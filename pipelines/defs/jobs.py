"""The job that builds the warehouse: the documents of many partitions in one run, then the facts of
the groups they touched. Runs are tagged with their warehouse, so the instance's run queue starts one
run per warehouse at a time (dagster.yaml) and runs on other warehouses go side by side."""

from dagster import AssetSelection, define_asset_job

from pipelines import settings

WAREHOUSE_TAG = "figures/warehouse"

build_warehouse = define_asset_job(
    "build_warehouse", selection=AssetSelection.all(),
    description="Read the new and changed files of sources/, extract, validate, load DuckDB and reconcile the facts they touch.",
    tags={WAREHOUSE_TAG: settings.warehouse().name},
)

reconcile_facts = define_asset_job(
    "reconcile_facts", selection=AssetSelection.groups("reconcile"),
    description="Reconcile the groups whose claims changed since their facts were last replaced.",
    tags={WAREHOUSE_TAG: settings.warehouse().name},
)
