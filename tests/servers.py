"""Helpers for the tests that start real servers (dagster dev, Chromium, PostgreSQL) on 127.0.0.1.

They take a minute or two, so they run when FIGURES_E2E=1 (as .ci/run sets) and skip otherwise."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT

E2E = os.environ.get("FIGURES_E2E") == "1"
requires_e2e = pytest.mark.skipif(
    not E2E,
    reason="end-to-end (dagster dev in Chromium, a PostgreSQL server, DuckLake; a minute or two): run with FIGURES_E2E=1 make test, as .ci/run does",
)
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A command of the virtual environment the tests run in (figures, dagster), else the one on PATH."""
    local = BIN / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(base: Path, instance_file: Path = PROJECT_ROOT / "dagster.yaml", **extra: str) -> dict[str, str]:
    """A throwaway instance, warehouse and copy of sources/ under ``base``, as environment variables."""
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(instance_file, home / "dagster.yaml")
    (base / "storage").mkdir(exist_ok=True)
    if not (base / "sources").exists():
        shutil.copytree(PROJECT_ROOT / "sources", base / "sources")
    env = dict(os.environ)
    env.update(
        DAGSTER_HOME=str(home),
        FIGURES_DAGSTER_STORAGE=str(base / "storage"),
        FIGURES_WAREHOUSE=str(base / "figures.duckdb"),
        FIGURES_SOURCES_DIR=str(base / "sources"),
    )
    env.update(extra)
    return env


def wait_http(url: str, timeout: float, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def _stat(pid: int) -> tuple[str, int, str] | None:
    """(state, parent pid, start time) of a process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1]), fields[19]


def parent_of(pid: int) -> int:
    """The parent of a process, 0 when it is gone."""
    stat = _stat(pid)
    return stat[1] if stat else 0


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid``, as {pid: start time} so a reused pid is not mistaken for it."""
    children: dict[int, list[int]] = {}
    starts: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            children.setdefault(stat[1], []).append(int(entry.name))
            starts[int(entry.name)] = stat[2]
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = starts[child]
            todo.append(child)
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    """The processes of ``processes`` still running; zombies waiting for their reaper do not count."""
    alive = []
    for pid, start in processes.items():
        stat = _stat(pid)
        if stat and stat[2] == start and stat[0] != "Z":
            alive.append(pid)
    return alive


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:160]
    except OSError:
        return "?"
