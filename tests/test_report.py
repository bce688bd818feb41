"""`figures report`: a self-contained HTML file, rendered in headless Chromium when it is installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.report import build_report, line_chart
from pipelines.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "build" / "report-screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report_file(demo_warehouse, tmp_path_factory):
    output = tmp_path_factory.mktemp("report") / "report.html"
    env = {"FIGURES_WAREHOUSE": str(demo_warehouse)}
    result = CliRunner().invoke(main, ["report", "--output", str(output)], env=env)
    assert result.exit_code == 0, result.output
    assert "report written to" in result.output
    return output


def test_the_report_is_self_contained(report_file):
    text = report_file.read_text(encoding="utf-8")
    # Nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere.
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", text)
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert "<svg" in text and 'id="deliveries-chart"' in text


def test_the_report_holds_the_facts_chart_conflicts_and_warnings(report_file):
    text = report_file.read_text(encoding="utf-8")
    for series in ("Xiaomi", "Tesla", "NIO", "XPeng", "Li Auto"):
        assert f'data-series="{series}"' in text or f"{series} 2025-Q2" in text
    assert "probable typo" in text and "probable scale error" in text
    assert 'id="consistency-warnings"' in text and "half_year_quarters" in text
    assert 'id="target-chains"' in text and "130,000 vehicles" in text
    assert 'id="facts-Xiaomi"' in text


def test_report_without_a_warehouse_says_so(tmp_path):
    result = CliRunner().invoke(main, ["report", "-o", str(tmp_path / "r.html")], env={"FIGURES_WAREHOUSE": str(tmp_path / "none.duckdb")})
    assert result.exit_code != 0 and "figures run" in result.output


def test_the_chart_with_no_quarterly_figures_says_so():
    assert "No quarterly figures" in line_chart({}, "empty")
    svg = line_chart({"A": [("2025-Q1", 10.0), ("2025-Q2", 20.0)]}, "two points")
    assert svg.count("<circle") == 2 and "<polyline" in svg


def test_a_report_of_an_empty_warehouse(tmp_path):
    from warehouse.loader import ensure_schema

    database = tmp_path / "empty.duckdb"
    with duckdb.connect(str(database)) as con:
        ensure_schema(con)
    with duckdb.connect(str(database), read_only=True) as con:
        text = build_report(con)
    assert "No quarterly figures" in text and "No open conflicts" in text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed (apt-get install -y chromium); the report is not rendered")
def test_the_report_renders_in_headless_chromium(report_file, tmp_path):
    chromium = _chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot = SCREENSHOTS / "report.png"
    screenshot.unlink(missing_ok=True)
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    url = report_file.as_uri()
    env = {**os.environ, "HOME": str(tmp_path)}
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120, env=env)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<svg id="deliveries-chart"' in dom.stdout
    assert dom.stdout.count("<polyline") >= 2
    assert len(re.findall(r"<table", dom.stdout)) >= 5
    assert 'id="consistency-warnings"' in dom.stdout
    shot = subprocess.run([*common, "--window-size=1280,2400", f"--screenshot={screenshot}", url],
                          capture_output=True, text=True, timeout=120, env=env)
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
