"""Starts `dagster dev` and stops all of it: the webserver, the daemon and the code servers they spawn.

`dagster dev` handles SIGTERM as it handles SIGINT; started in the background by a shell, SIGINT is
ignored and so is SIGTERM: `make ui` then outlived a SIGTERM, and so did the webserver, the daemon and
the code servers. This launcher starts `dagster dev` with both signals handled, in a process group of its own, forwards
SIGTERM, SIGINT and SIGHUP to that whole process group as the SIGINT `dagster dev` shuts down cleanly on,
and kills what is left of the group after a grace period.

    python scripts/dagster_ui.py -h 127.0.0.1 -p 3000     # the arguments go to `dagster dev`
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = float(os.environ.get("FIGURES_UI_GRACE_SECONDS", "15"))


def _signal_group(pgid: int, sig: int) -> bool:
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs; zombies waiting for their reaper do not count."""
    proc = Path("/proc")
    if not proc.is_dir():
        return _signal_group(pgid, 0)
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def main(argv: list[str]) -> int:
    stop: dict[str, float | int] = {}
    child: subprocess.Popen | None = None

    def request_stop(signum, _frame):
        if "signal" not in stop:
            stop.update(signal=signum, deadline=time.monotonic() + GRACE_SECONDS)
        if child is not None:
            _signal_group(child.pid, signal.SIGINT)

    # Handlers first: a shell starting us in the background ignores SIGINT, an ignored signal stays
    # ignored across exec, and `dagster dev` maps SIGTERM onto whatever SIGINT does, so it would ignore
    # both. A handled signal is reset to its default in the child, where Python turns it into KeyboardInterrupt.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, request_stop)

    dagster = Path(sys.executable).with_name("dagster")
    child = subprocess.Popen([str(dagster) if dagster.exists() else "dagster", "dev", *argv], start_new_session=True)
    pgid = child.pid
    if "signal" in stop:
        _signal_group(pgid, signal.SIGINT)

    while child.poll() is None:
        if "deadline" in stop and time.monotonic() > stop["deadline"]:
            _signal_group(pgid, signal.SIGKILL)
        time.sleep(0.2)

    # dagster dev is gone; whatever it started and did not stop goes with it.
    deadline = time.monotonic() + GRACE_SECONDS
    if _signal_group(pgid, signal.SIGTERM):
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.2)
        _signal_group(pgid, signal.SIGKILL)
    if "signal" in stop:
        return 0
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
