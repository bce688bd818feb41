"""Sharing work between this process and worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

from pipelines.parallel import FedWorkers, map_in_workers, stop_workers, take_turns, warm_workers
from pipelines.run_worker import process_alive


def test_fed_workers_take_a_few_items_ahead_and_give_every_result_by_key():
    done_here = {}
    interval = sys.getswitchinterval()
    with FedWorkers(pow, n_workers=1, in_flight=2) as workers:
        assert sys.getswitchinterval() < interval  # the pool's threads get their turns sooner meanwhile
        for key in range(20):
            if workers.has_room():
                workers.send(key, key, 2)
                assert len(workers._running) <= 2  # a few items sent ahead, not all twenty at once
            else:  # the worker is busy: this process does the item itself
                done_here[key] = key ** 2
        results = workers.finish()
    assert len(results) >= 2 and not set(results) & set(done_here)
    assert {**results, **done_here} == {key: key ** 2 for key in range(20)}
    assert sys.getswitchinterval() == interval


def test_a_workers_error_is_raised_here():
    with pytest.raises(ValueError), FedWorkers(int, n_workers=1) as workers:
        workers.send("bad", "not a number")
        workers.finish()


def test_taking_turns_gives_every_result_by_key_whoever_did_it():
    assert take_turns(pow, ((key, (key, 2)) for key in range(20)), n_workers=1) == {key: key ** 2 for key in range(20)}


def _parents(items: list) -> list[int]:
    return [os.getppid() for _ in items]


def test_a_warmed_fork_server_is_the_one_the_workers_come_from_and_stops(monkeypatch):
    monkeypatch.setenv("FIGURES_WORKERS", "2")
    warm_workers()
    server = forkserver._forkserver._forkserver_pid
    assert server and process_alive(server)  # started at once, before any pool asks for it
    try:
        assert set(map_in_workers(_parents, list(range(200)))) == {server}
    finally:
        stop_workers()
    deadline = time.monotonic() + 10
    while process_alive(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process_alive(server)


SLOW_CHUNKS = """
import os, time
from pathlib import Path

def report_and_wait(folder, items):
    written = Path(folder) / f".{os.getpid()}"
    written.write_text(str(os.getppid()))
    written.rename(Path(folder) / str(os.getpid()))  # whole when the test reads it
    time.sleep(120)
    return items
"""


def test_a_killed_runs_workers_and_fork_server_end_with_it(tmp_path):
    (tmp_path / "slow_chunks.py").write_text(SLOW_CHUNKS)
    reports = tmp_path / "workers"
    reports.mkdir()
    script = textwrap.dedent(f"""
        import sys
        from functools import partial
        sys.path.insert(0, {str(tmp_path)!r})
        from pipelines.parallel import map_in_workers
        from slow_chunks import report_and_wait
        map_in_workers(partial(report_and_wait, {str(reports)!r}), list(range(100)))
    """)
    run = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "FIGURES_WORKERS": "2"})
    deadline = time.monotonic() + 60
    while len(list(reports.glob("[0-9]*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = {int(report.name): int(report.read_text()) for report in reports.glob("[0-9]*")}
    assert len(workers) == 2, "the workers never started"
    run.send_signal(signal.SIGKILL)  # as the out-of-memory killer ends a run
    run.wait()
    left = set(workers) | set(workers.values())  # the workers, busy, and the fork server they came from
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in left) and time.monotonic() < deadline:
        time.sleep(0.1)
    still = [pid for pid in left if _running(pid)]
    for pid in still:  # not left behind by this test either
        os.kill(pid, signal.SIGKILL)
    assert not still


def _running(pid: int) -> bool:
    """Alive and not a zombie (whether its new parent reaps it is not the run's doing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return process_alive(pid)
    return state != "Z"


def _package_files(items: list) -> list[str]:
    import pipelines

    return [pipelines.__file__ for _ in items]


def test_the_workers_run_this_package_whatever_folder_the_run_starts_in(tmp_path, monkeypatch):
    """Started in a folder that holds another package named pipelines (another copy of the project,
    another project's code), the workers still import this one, as this process does."""
    import pipelines

    decoy = tmp_path / "pipelines"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FIGURES_WORKERS", "2")
    stop_workers()  # a server started elsewhere would hide the difference
    try:
        assert set(map_in_workers(_package_files, list(range(100)))) == {pipelines.__file__}
    finally:
        stop_workers()


def test_files_read_and_extracted_by_one_worker_give_the_tables_of_reading_then_extracting(tmp_path):
    """A run's workers extract each file as they read it: the documents, claims and failures are those
    of reading every file and then extracting the documents table, copies under other names included."""
    import shutil

    import pandas as pd

    from pipelines.claim_table import extract_all, read_and_extract
    from pipelines.documents import PublisherRegistry
    from pipelines.ingest import REGISTRY_FILE, merge_same_content, read_source, records_frame

    demo = Path(__file__).resolve().parents[1] / "sources"
    for copy in ("a", "b"):  # every content twice: the first path names it, and its claims are the first path's
        shutil.copytree(demo, tmp_path / copy)
    (tmp_path / "a" / "broken.pdf").write_bytes(b"%PDF-1.7 not a PDF after all")
    paths = sorted(path for path in tmp_path.rglob("*") if path.is_file() and path.name != REGISTRY_FILE)
    assert len(paths) >= 40  # enough for the workers, not this process
    registry = PublisherRegistry.load(demo / REGISTRY_FILE)

    documents, claims, failures = read_and_extract(tmp_path, paths, registry)
    expected_documents = merge_same_content(records_frame([read_source(path, tmp_path, registry) for path in paths]))
    expected_claims, expected_failures = extract_all(expected_documents)
    pd.testing.assert_frame_equal(documents, expected_documents)
    pd.testing.assert_frame_equal(claims, expected_claims)
    pd.testing.assert_frame_equal(failures, expected_failures)
    assert (documents["status"] == "rejected").sum() == 1 and len(claims) > 50
    assert set(claims["document"]) == set(documents.loc[documents["status"] == "loaded", "path"])
    assert all(path.startswith("a/") for path in claims["document"])


def test_a_publication_date_the_documents_table_cannot_hold_is_missing_for_extraction_too():
    """Files extracted as they are read give their reader's dates; those out of the table's range are
    missing there (NaT), and so when extracted from the table: both ways read no date."""
    import datetime as dt

    import pandas as pd

    from pipelines.claim_table import publication_date

    old = dt.date(1200, 1, 1)
    assert pd.to_datetime(pd.Series([old]), errors="coerce").isna().all()
    assert publication_date(old) is None
    assert publication_date(dt.date(2024, 5, 1)) == publication_date(pd.Timestamp("2024-05-01")) == dt.date(2024, 5, 1)
    assert publication_date(None) is None and publication_date(pd.NaT) is None


def _worker_and_modules(_: int) -> tuple[int, bool]:
    return os.getpid(), "pipelines.reconciliation" in sys.modules


def test_workers_started_ahead_are_the_ones_taking_turns_and_have_imported_the_module():
    from pipelines.parallel import _started, start_spawned_workers

    start_spawned_workers(1, "pipelines.reconciliation")
    (pool,) = _started.values()
    (worker,) = pool._processes  # started now, before any item is sent
    done = take_turns(_worker_and_modules, ((key, (key,)) for key in range(3)), n_workers=1)
    assert not _started  # taken
    sent = [result for result in done.values() if result[0] != os.getpid()]
    assert sent and all(result == (worker, True) for result in sent)


def test_workers_started_for_a_reconciliation_are_stopped_if_it_never_comes(monkeypatch):
    import pipelines.reconciliation as reconciliation
    from pipelines.parallel import _started

    monkeypatch.setenv("FIGURES_WORKERS", "2")
    monkeypatch.setattr(reconciliation, "PARALLEL_FROM", 1_000)
    with reconciliation.workers_started_for(999):
        assert not _started  # too few claims to share
    with pytest.raises(RuntimeError), reconciliation.workers_started_for(1_000):
        (pool,) = _started.values()
        (worker,) = pool._processes
        raise RuntimeError("finding copies failed")
    assert not _started
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(worker)


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_the_pipes_to_and_from_the_workers_hold_a_megabyte():
    """A worker waits while its result does not fit in the pipe, until this process reads it; through
    64 KB pipes, the reconciling worker waited a fifth of its time."""
    import fcntl
    import multiprocessing

    from pipelines.parallel import PIPE_BYTES, _pool

    if int(Path("/proc/sys/fs/pipe-max-size").read_text()) < PIPE_BYTES and os.geteuid() != 0:
        pytest.skip("this system lets a user's pipes hold less than a megabyte")
    pool = _pool(1, multiprocessing.get_context("spawn"))
    try:
        for queue in (pool._call_queue, pool._result_queue):
            assert fcntl.fcntl(queue._reader.fileno(), fcntl.F_GETPIPE_SZ) >= PIPE_BYTES
        assert pool.submit(len, "x" * (3 * PIPE_BYTES)).result() == 3 * PIPE_BYTES  # larger items still pass
    finally:
        pool.shutdown()
