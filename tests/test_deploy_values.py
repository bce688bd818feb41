"""The deployment a team starts from (deploy/helm/values.yaml for the official Dagster chart) says what
docs/scaling.md says: K8sRunLauncher, PostgreSQL storage, the code location image loading
pipelines.definitions, one DuckDB writer at a time."""

from __future__ import annotations

import yaml

from pipelines.settings import PROJECT_ROOT

VALUES = PROJECT_ROOT / "deploy" / "helm" / "values.yaml"


# Keys the chart's values schema accepts (helm/dagster/schema: its models forbid any other).
K8S_RUN_LAUNCHER_KEYS = {"image", "imagePullPolicy", "jobNamespace", "loadInclusterConfig", "kubeconfigFile",
                         "envConfigMaps", "envSecrets", "envVars", "volumeMounts", "volumes", "labels",
                         "failPodOnRunFailure", "resources", "schedulerName", "securityContext", "runK8sConfig"}
RUN_K8S_CONFIG_KEYS = {"containerConfig", "podSpecConfig", "podTemplateSpecMetadata", "jobSpecConfig", "jobMetadata"}
CONCURRENCY_KEYS = {"enabled": None, "pools": {"defaultLimit", "granularity", "opGranularityRunBuffer"},
                    "runs": {"maxConcurrentRuns", "tagConcurrencyLimits"}}


def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def test_the_values_use_keys_the_chart_knows():
    config = values()
    launcher = config["runLauncher"]["config"]["k8sRunLauncher"]
    assert set(launcher) <= K8S_RUN_LAUNCHER_KEYS
    assert set(launcher["runK8sConfig"]) <= RUN_K8S_CONFIG_KEYS
    concurrency = config["concurrency"]
    assert set(concurrency) <= set(CONCURRENCY_KEYS)
    for section, keys in CONCURRENCY_KEYS.items():
        if keys and section in concurrency:
            assert set(concurrency[section]) <= keys


def test_runs_are_kubernetes_jobs():
    launcher = values()["runLauncher"]
    assert launcher["type"] == "K8sRunLauncher"
    assert launcher["config"]["k8sRunLauncher"]["runK8sConfig"]["containerConfig"]["resources"]["requests"]


def test_the_instance_is_in_an_external_postgres():
    config = values()
    assert config["postgresql"]["enabled"] is False
    assert config["postgresql"]["postgresqlHost"]
    assert config["postgresql"]["postgresqlDatabase"] and config["postgresql"]["postgresqlUsername"]
    assert config["postgresql"]["postgresqlScheme"] == "postgresql+psycopg2"  # what dagster-postgres installs
    assert config["generatePostgresqlPasswordSecret"] is False  # the password is a secret made beforehand


def test_the_code_location_is_the_project_image_loading_the_one_entry_point():
    deployments = values()["dagster-user-deployments"]
    assert deployments["enabled"] is True
    (location,) = deployments["deployments"]
    assert location["image"]["repository"] and location["image"]["tag"]
    args = location["dagsterApiGrpcArgs"]
    assert args[args.index("--module-name") + 1] == "pipelines.definitions"
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert project["tool"]["dagster"]["module_name"] == "pipelines.definitions"
    env = {item["name"] for item in location["env"]}
    assert {"FIGURES_WAREHOUSE", "FIGURES_SOURCES_DIR"} <= env


def test_one_duckdb_writer_at_a_time():
    config = values()
    assert config["concurrency"]["pools"]["defaultLimit"] == 1
    coordinator = config["dagsterDaemon"]["runCoordinator"]
    assert coordinator["type"] == "QueuedRunCoordinator"
    assert coordinator["config"]["queuedRunCoordinator"]["maxConcurrentRuns"] == 1


def test_runs_write_partition_events_as_the_local_ones_do():
    """Runs over thousands of files: the processes that create runs (daemon, webserver) record a run's
    partition range once per asset, and the run pods write their partitions' events in batches."""
    config = values()
    for creator in ("dagsterDaemon", "dagsterWebserver"):
        env = {item["name"]: item["value"] for item in config[creator]["env"]}
        assert env["DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"] == "true"
    (location,) = config["dagster-user-deployments"]["deployments"]
    assert {item["name"]: item["value"] for item in location["env"]}["DAGSTER_EVENT_BATCH_SIZE"] == "1000"
    assert "DAGSTER_EVENT_BATCH_SIZE=1000" in config["runLauncher"]["config"]["k8sRunLauncher"]["envVars"]


def test_runs_whose_process_died_are_run_again_as_the_local_ones_are():
    """The chart's dagster.yaml, the shared instance's and the local one retry a run whose process died
    (twice), never a step that failed."""
    retries = values()["dagsterDaemon"]["runRetries"]
    assert set(retries) <= {"enabled", "maxRetries", "retryOnAssetOrOpFailure"}
    assert (retries["enabled"], retries["maxRetries"], retries["retryOnAssetOrOpFailure"]) == (True, 2, False)
    for instance in (PROJECT_ROOT / "dagster.yaml", PROJECT_ROOT / "deploy" / "postgres" / "dagster.yaml"):
        local = yaml.safe_load(instance.read_text(encoding="utf-8"))["run_retries"]
        assert (local["enabled"], local["max_retries"], local["retry_on_asset_or_op_failure"]) == (True, 2, False)


def test_the_shared_instance_queues_and_limits_runs_as_the_local_one_does():
    """deploy/postgres/dagster.yaml: the same pools, run queue, monitoring and launcher as dagster.yaml
    (what `figures run` warns about when an instance lacks them), in PostgreSQL."""
    local, shared = (yaml.safe_load(path.read_text(encoding="utf-8"))
                     for path in (PROJECT_ROOT / "dagster.yaml", PROJECT_ROOT / "deploy" / "postgres" / "dagster.yaml"))
    assert shared["concurrency"] == local["concurrency"]
    assert shared["run_launcher"] == local["run_launcher"] and shared["run_monitoring"]["enabled"] is True
    assert "postgres" in shared["storage"]
