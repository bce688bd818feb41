"""The shared instance (deploy/postgres/dagster.yaml) against a real PostgreSQL server.

A throwaway cluster is started on 127.0.0.1 from Debian's postgresql packages (as the postgres user when
the tests run as root, since PostgreSQL refuses root); `figures run` records its run there, and other
processes (a Python process on DagsterInstance, a second `figures run`, psql-level SQL) see it."""

from __future__ import annotations

import glob
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT

from .servers import free_port, instance_env, requires_e2e, tool

INSTANCE_FILE = PROJECT_ROOT / "deploy" / "postgres" / "dagster.yaml"
PASSWORD = "figures-test"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="module")
def postgres():
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql; .ci/run does it)")
    pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed (the postgres and dev extras have it)")
    psycopg2 = pytest.importorskip("psycopg2")

    base = Path(tempfile.mkdtemp(prefix="figures-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server as")
        if shutil.which("runuser") is None:
            pytest.skip("running as root and runuser is missing to start the server as postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    (base / "password").write_text(PASSWORD)
    os.chmod(base / "password", 0o644)
    data, port = base / "data", free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {done.stdout}{done.stderr}")

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "figures", f"--pwfile={base / 'password'}",
        "--auth=scram-sha-256", "--encoding=UTF8", "--no-sync")
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60", "start",
        "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off")
    try:
        con = psycopg2.connect(host="127.0.0.1", port=port, user="figures", password=PASSWORD, dbname="postgres")
        con.autocommit = True
        con.cursor().execute("CREATE DATABASE dagster")
        con.close()
        yield {"host": "127.0.0.1", "port": port, "user": "figures", "password": PASSWORD, "db": "dagster"}
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def shared_env(postgres, tmp_path_factory):
    return instance_env(
        tmp_path_factory.mktemp("pg-instance"), INSTANCE_FILE,
        DAGSTER_PG_HOST=postgres["host"], DAGSTER_PG_PORT=str(postgres["port"]), DAGSTER_PG_USERNAME=postgres["user"],
        DAGSTER_PG_PASSWORD=postgres["password"], DAGSTER_PG_DB=postgres["db"],
    )


def figures_run(env, *options: str) -> str:
    done = subprocess.run([tool("figures"), "run", *options], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return re.search(r"run ([0-9a-f-]{36}) succeeded", done.stdout).group(1)


SEE_RUNS = """
import json, sys
from dagster import AssetKey, DagsterInstance
with DagsterInstance.get() as instance:
    runs = instance.get_runs()
    facts = instance.get_latest_materialization_event(AssetKey(["warehouse", "facts"]))
    print(json.dumps({
        "run_storage": type(instance.run_storage).__name__,
        "event_storage": type(instance.event_log_storage).__name__,
        "schedule_storage": type(instance.schedule_storage).__name__,
        "runs": {run.run_id: run.status.value for run in runs},
        "facts_run": facts.run_id if facts else None,
        "facts_rows": facts.asset_materialization.metadata["dagster/row_count"].value if facts else None,
    }))
"""


def other_process(env) -> dict:
    done = subprocess.run([sys.executable, "-c", SEE_RUNS], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@requires_e2e
def test_a_figures_run_is_recorded_in_postgres_and_seen_from_other_processes(shared_env, postgres):
    import psycopg2

    first = figures_run(shared_env)
    seen = other_process(shared_env)
    assert seen["run_storage"] == "PostgresRunStorage"
    assert seen["event_storage"] == "PostgresEventLogStorage"
    assert seen["schedule_storage"] == "PostgresScheduleStorage"
    assert seen["runs"] == {first: "SUCCESS"}
    assert seen["facts_run"] == first and seen["facts_rows"] > 0

    # a second run from another process sees the first in the shared history
    second = figures_run(shared_env)
    assert other_process(shared_env)["runs"] == {first: "SUCCESS", second: "SUCCESS"}

    with psycopg2.connect(host=postgres["host"], port=postgres["port"], user=postgres["user"],
                          password=postgres["password"], dbname=postgres["db"]) as con:
        cur = con.cursor()
        cur.execute("SELECT run_id, status FROM runs ORDER BY create_timestamp")
        assert cur.fetchall() == [(first, "SUCCESS"), (second, "SUCCESS")]
    # nothing of the run history went to SQLite files
    assert not list(Path(shared_env["FIGURES_DAGSTER_STORAGE"]).rglob("*.db"))

    # a rebuild supersedes both runs: a prune deletes them from the shared history and keeps the rebuild
    third = figures_run(shared_env, "--rebuild")
    done = subprocess.run([tool("figures"), "prune-runs", "--older-than", "0"], env=shared_env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 run(s) deleted; 1 older than 0 day(s) kept" in done.stdout
    assert other_process(shared_env)["runs"] == {third: "SUCCESS"}
    assert other_process(shared_env)["facts_run"] == third


def test_the_default_instance_is_still_sqlite():
    import yaml

    default = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    shared = yaml.safe_load(INSTANCE_FILE.read_text())
    # SQLite, through our storage class (its event log keeps its connections open)
    from dagster._core.storage.sqlite_storage import DagsterSqliteStorage

    from pipelines.instance_storage import PooledSqliteStorage

    storage = default["storage"]["custom"]
    assert (storage["module"], storage["class"]) == ("pipelines.instance_storage", "PooledSqliteStorage")
    assert issubclass(PooledSqliteStorage, DagsterSqliteStorage)
    database = shared["storage"]["postgres"]["postgres_db"]
    assert {key for key, value in database.items() if isinstance(value, dict) and "env" in value} == {
        "hostname", "port", "username", "password", "db_name"}
