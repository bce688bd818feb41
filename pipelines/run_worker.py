"""Which process runs a run, recorded on the run as tags, so that a run whose process died (kill -9, out
of memory, a lost machine) can be told from one still going: `figures run` checks the runs of its
machine before it starts (pipelines.runner), run monitoring checks launched runs (pipelines.run_launcher)."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from pathlib import Path

PID_TAG, HOST_TAG, BOOT_TAG, RUN_TAG = "figures/pid", "figures/host", "figures/boot", "figures/pid_of_run"
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def _boot_id() -> str:
    """This machine's boot, on Linux: a process recorded before the last boot is gone, whatever its pid
    is used for now."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return ""


def worker_tags(run_id: str) -> dict[str, str]:
    """The tags that name this process as the one running the run ``run_id``. They name the run too: a
    run executed again (the daemon's retries, a re-execution from the UI) starts with its parent's tags,
    whose process is gone: judged by them, run monitoring would fail the run before it records its own."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname(), BOOT_TAG: _boot_id(), RUN_TAG: run_id}


def process_alive(pid: int) -> bool:
    """Whether a process of this machine with that pid runs (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_alive(tags: Mapping[str, str], run_id: str) -> bool | None:
    """Whether the process the tags of the run ``run_id`` name is still running; None when they name
    none, one of another run (its parent's, copied with its tags), or one on another machine, which only
    that machine can tell."""
    pid = int(tags.get(PID_TAG, "0") or 0)
    if not pid or tags.get(HOST_TAG) != socket.gethostname() or tags.get(RUN_TAG, run_id) != run_id:
        return None
    if BOOT_TAG in tags and tags[BOOT_TAG] != _boot_id():  # runs recorded before the tag: the pid alone
        return False
    return process_alive(pid)
