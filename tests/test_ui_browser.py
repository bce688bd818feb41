"""The Dagster UI as a person uses it: `figures run`, then `make ui`, then headless Chromium.

`figures run` records a run in a throwaway instance; `make ui` serves that instance on a free port of
127.0.0.1; Debian's Chromium (driven by Playwright, never a downloaded browser) dismisses the first-visit
dialog and looks at the asset lineage, the run history, the metadata, the asset checks and the
partitions. Screenshots go to build/ui-screenshots/. Last, a SIGTERM to `make ui` must leave no process.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import PROJECT_ROOT

from .servers import (
    BIN, command_line, descendants, free_port, instance_env, parent_of, requires_e2e, still_running, tool, wait_http,
)

pytestmark = requires_e2e

SCREENSHOTS = PROJECT_ROOT / "build" / "ui-screenshots"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 60_000
FACT_ROWS = "SELECT entity, metric, scope, period, kind, value, unit, status FROM facts ORDER BY ALL"


def chromium_path() -> str | None:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    return found


def _signals_as_a_terminal_gives_them() -> None:
    """In the child, before make starts: no signal blocked, SIGTERM, SIGINT and SIGHUP at their defaults.
    A blocked or ignored signal is inherited across exec, and make keeps an ignored SIGTERM ignored, so
    a test process that earlier tests left so would start a make that never hears the SIGTERM."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    browser_path = chromium_path()
    if browser_path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra has it)")
    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    base = tmp_path_factory.mktemp("ui")
    # Runs the UI launches reconcile with a spawned worker from the second claim on, as a large build
    # does (test_a_rebuild_launched_from_the_ui_reconciles_with_a_worker).
    env = instance_env(base, FIGURES_RECONCILE_PARALLEL_FROM="2")
    done = subprocess.run([tool("figures"), "run"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    run_id = re.search(r"run ([0-9a-f-]{36}) succeeded", done.stdout).group(1)
    with duckdb.connect(env["FIGURES_WAREHOUSE"], read_only=True) as con:
        (facts,) = con.execute("SELECT count(*) FROM facts").fetchone()
        fact_rows = con.execute(FACT_ROWS).fetchall()

    port = free_port()
    # the environment is installed (and the extractor built) already: make must not do it again (-o: take
    # the stamps as up to date)
    stamps = [os.path.relpath(BIN.parent / name, PROJECT_ROOT) for name in (".installed", ".extractor-built")]
    make = subprocess.Popen(
        ["make", "--no-print-directory", "-o", stamps[0], "-o", stamps[1], "ui",
         f"BIN={BIN}", f"DAGSTER_HOME={env['DAGSTER_HOME']}", f"UI_PORT={port}"],
        cwd=PROJECT_ROOT, env=env, stdout=open(base / "ui.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=_signals_as_a_terminal_gives_them,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/server_info", timeout=180, process=make)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with sync_api.sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(base / "chromium-profile"), executable_path=browser_path, headless=True,
                args=CHROMIUM_FLAGS, viewport={"width": 1600, "height": 1000},
            )
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            yield {"url": url, "port": port, "page": page, "run_id": run_id, "facts": facts, "fact_rows": fact_rows, "env": env,
                   "make": make, "log": base / "ui.log"}
            context.close()
    finally:
        processes = descendants(make.pid)
        if make.poll() is None:
            make.send_signal(signal.SIGTERM)
            try:
                make.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        for pid in still_running(processes):
            os.kill(pid, signal.SIGKILL)


def visit(ui, path: str, shot: str, wait_for: str):
    """Open a page as a person would, dismiss the first-visit dialog, wait for ``wait_for``, screenshot."""
    page = ui["page"]
    page.goto(ui["url"] + path)
    page.get_by_text(wait_for, exact=True).first.wait_for()
    dialog = page.get_by_role("dialog")
    if not ui.get("welcomed"):
        # the first visit opens a "Join the Dagster community" dialog a moment after the page
        try:
            dialog.first.wait_for(timeout=15_000)
        except sync_api_timeout():
            pass
        ui["welcomed"] = True
    if dialog.count() and dialog.first.is_visible():
        dialog.first.get_by_role("button", name=re.compile(r"^(Skip|Dismiss|Close|Got it|Not now)$")).first.click()
        dialog.first.wait_for(state="hidden")
    page.wait_for_timeout(1500)  # let the graph settle before the screenshot
    page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"))
    return page


def sync_api_timeout():
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    return PlaywrightTimeout


def body(page) -> str:
    return page.inner_text("body")


def test_first_visit_dialog_is_dismissed(ui):
    page = visit(ui, "/asset-groups", "01-global-lineage", "Global asset lineage")
    assert not page.get_by_role("dialog").count() or not page.get_by_role("dialog").first.is_visible()
    text = body(page)
    for group in ("warehouse", "reconcile"):
        assert group in text


def test_asset_graph_shows_the_pipeline_and_its_lineage(ui):
    page = visit(ui, "/assets/warehouse/facts?view=lineage", "02-facts-lineage-upstream", "Upstream")
    page.get_by_role("button", name=re.compile(r"Upstream$")).click()
    every_level = page.get_by_role("button", name="All", exact=True)
    if every_level.is_enabled():  # disabled when one level up is already all there is
        every_level.click()
    page.get_by_text("documents", exact=True).first.wait_for()
    page.wait_for_timeout(3000)
    page.screenshot(path=str(SCREENSHOTS / "02-facts-lineage-upstream.png"))
    text = body(page)
    # everything upstream of the warehouse's facts table, which only the lineage can tell: the per-file
    # tables that reading, extracting, validating and loading make
    assert "facts" in text and "documents" in text
    edges = page.locator("svg path[stroke]").count()
    assert edges >= 1, f"{edges} lineage edges drawn"  # documents -> facts


def test_the_cli_run_is_in_the_run_history(ui):
    short = ui["run_id"][:8]
    page = visit(ui, "/runs", "03-run-history", short)
    text = body(page)
    assert "build_warehouse" in text and "Success" in text
    page = visit(ui, f"/runs/{ui['run_id']}", "04-run", "Success")
    text = body(page)
    assert re.search(r"\b\d+ assets\b", text) and "checks" in text
    assert "ASSET_CHECK_EVALUATION" in text or "STEP_SUCCESS" in text


def test_materialization_metadata_row_count_and_preview(ui):
    page = visit(ui, "/assets/warehouse/facts", "05-warehouse-facts", "Row count")
    text = body(page)
    assert re.search(r"Row count\s+" + str(ui["facts"]) + r"\b", text), text[:2000]
    assert "preview" in text
    page.get_by_text("[Show Markdown]").first.click()
    preview = page.get_by_role("dialog")
    preview.first.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "06-facts-preview.png"))
    assert "entity" in preview.first.inner_text() and "metric" in preview.first.inner_text()
    page.keyboard.press("Escape")
    # the per-file asset: the run's rows of each table and their previews, on each of its partitions
    page = visit(ui, "/assets/warehouse/documents", "07-warehouse-documents", "Row count")
    text = body(page)
    assert "Row count" in text and "claims preview" in text


def test_asset_checks_and_their_results(ui):
    page = visit(ui, "/assets/warehouse/facts?view=checks", "08-facts-checks", "facts_match_schema")
    text = body(page)
    assert "facts_match_schema" in text and "no_disputed_facts" in text
    assert "Succeeded" in text and "blocking asset check" in text
    assert "Passed" in text  # the latest evaluation of the selected schema check


def test_per_document_partitions(ui):
    from pipelines.definitions import defs

    partitioned = [spec.key for spec in defs.resolve_all_asset_specs() if spec.partitions_def is not None]
    if not partitioned:
        pytest.skip("the definitions have no partitions yet (per-document partitions are being added); nothing to look at")
    key = partitioned[0]
    page = visit(ui, f"/assets/{'/'.join(key.path)}?view=partitions", "09-partitions", "Partitions")
    page.wait_for_timeout(3000)
    page.screenshot(path=str(SCREENSHOTS / "09-partitions.png"))
    text = body(page)
    # one partition per source file, each with its status: every file of the run materialized, none failed
    materialized = re.search(r"Materialized \((\d+)\)", text)
    assert materialized and int(materialized.group(1)) >= 2, text[:2000]
    assert "Failed (0)" in text, text[:2000]


def test_a_rebuild_launched_from_the_ui_reconciles_with_a_worker(ui, monkeypatch):
    """A run the UI launches executes in a process of Dagster's (`dagster api execute_run`), not in
    `figures run`: a large build's reconciliation worker is spawned from there too. The rebuild reconciles
    every group, with the worker, and gives the facts of the first build."""
    from dagster import DagsterInstance
    from dagster_graphql import DagsterGraphQLClient

    from pipelines.defs.assets import REBUILD_TAG
    from pipelines.defs.sensors import partition_range_tags

    env = ui["env"]
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", env["FIGURES_DAGSTER_STORAGE"])
    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        keys = instance.get_dynamic_partitions("source_files")
    client = DagsterGraphQLClient("127.0.0.1", port_number=ui["port"], timeout=60)
    run_id = client.submit_job_execution("build_warehouse", tags={REBUILD_TAG: "true", **partition_range_tags(keys)})
    deadline = time.monotonic() + 300
    while (status := client.get_run_status(run_id).value) not in ("SUCCESS", "FAILURE", "CANCELED") and time.monotonic() < deadline:
        time.sleep(1)
    assert status == "SUCCESS", ui["log"].read_text(encoding="utf-8")[-3000:]
    with duckdb.connect(env["FIGURES_WAREHOUSE"], read_only=True) as con:
        assert con.execute(FACT_ROWS).fetchall() == ui["fact_rows"]
    page = visit(ui, f"/runs/{run_id}", "10-ui-rebuild", "Success")
    assert "build_warehouse" in body(page)


def _run_worker(before: set[int], make_pid: int, deadline: float) -> int:
    """The process Dagster started for a launched run: the first new process under `make ui` whose parent
    is not new too (the run's own workers are its children)."""
    while time.monotonic() < deadline:
        new = {pid: start for pid, start in descendants(make_pid).items() if pid not in before}
        roots = [pid for pid in new if "spawn_main" in command_line(pid) and parent_of(pid) not in new]
        if roots:
            return min(roots, key=lambda pid: new[pid])
        time.sleep(0.1)
    raise TimeoutError("no process started for the run")


def test_a_launched_run_whose_process_dies_is_run_again_by_the_daemon(ui, monkeypatch):
    """A run the sensor, the schedule or the UI launched, killed as an out-of-memory kill would: the
    sensor has moved past its files, so nothing would ask for them again. The daemon runs it again
    (run_retries in dagster.yaml), and the retry builds what the run would have."""
    from dagster import DagsterInstance, RunsFilter
    from dagster_graphql import DagsterGraphQLClient

    from pipelines.defs.assets import REBUILD_TAG
    from pipelines.defs.sensors import partition_range_tags

    env = ui["env"]
    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", env["FIGURES_DAGSTER_STORAGE"])
    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        keys = instance.get_dynamic_partitions("source_files")
    client = DagsterGraphQLClient("127.0.0.1", port_number=ui["port"], timeout=60)
    before = set(descendants(ui["make"].pid))
    run_id = client.submit_job_execution("build_warehouse", tags={REBUILD_TAG: "true", **partition_range_tags(keys)})
    deadline = time.monotonic() + 120
    while client.get_run_status(run_id).value != "STARTED":
        assert time.monotonic() < deadline, ui["log"].read_text(encoding="utf-8")[-3000:]
        time.sleep(0.1)
    os.kill(_run_worker(before, ui["make"].pid, deadline), signal.SIGKILL)
    deadline = time.monotonic() + 300
    retries = []
    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        while not any(run.status.value == "SUCCESS" for run in retries):
            assert time.monotonic() < deadline, (client.get_run_status(run_id), ui["log"].read_text(encoding="utf-8")[-3000:])
            time.sleep(1)
            retries = instance.get_runs(RunsFilter(tags={"dagster/root_run_id": run_id}))
        assert instance.get_run_by_id(run_id).status.value == "FAILURE"
    with duckdb.connect(env["FIGURES_WAREHOUSE"], read_only=True) as con:
        assert con.execute(FACT_ROWS).fetchall() == ui["fact_rows"]


def test_sigterm_to_make_ui_leaves_no_process(ui):
    make = ui["make"]
    processes = descendants(make.pid)
    names = " ".join(command_line(pid) for pid in processes)
    assert "dagster_webserver" in names and "dagster._daemon" in names, names
    make.send_signal(signal.SIGTERM)
    try:
        make.wait(timeout=60)
    except subprocess.TimeoutExpired:
        # say what is still there and what the UI last wrote, so a hang can be told from a slow stop
        left = {pid: command_line(pid) for pid in still_running(processes)}
        log = ui["log"].read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(f"make ui still runs 60 s after SIGTERM; running: {left}; its log ends with:\n{log}")
    deadline = time.monotonic() + 30
    while still_running(processes) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = {pid: command_line(pid) for pid in still_running(processes)}
    assert not left, f"left running after SIGTERM: {left}"
