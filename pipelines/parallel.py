"""Reading and extracting documents on every core: a pool of worker processes, started from a fork
server that imported the readers and the extractor once. Small batches stay in this process, where
starting workers would cost more than the work."""

from __future__ import annotations

import fcntl
import importlib
import multiprocessing
import os
import pickle
import select
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .run_worker import process_alive

if TYPE_CHECKING:  # the readers are imported by the workers that read, not by every user of a pool
    from .documents import Limits, PublisherRegistry

SERIAL_BELOW = int(os.environ.get("FIGURES_PARALLEL_FROM") or 40)
CHUNK = 25
_context = None


def workers() -> int:
    configured = os.environ.get("FIGURES_WORKERS")
    return max(1, int(configured)) if configured else max(1, len(os.sched_getaffinity(0)))


def _pool_context():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["pipelines.ingest", "pipelines.claim_table"])
    return _context


def warm_workers() -> None:
    """Start the fork server now, in the background: it imports the readers and the extractor (half a
    second) on a core this process leaves idle while it starts a run, instead of when the run's first
    files are read. ``stop_workers`` ends it."""
    if workers() > 1:
        _fork_server_context()


def _fork_server_context():
    """The workers' context, its fork server started unless it runs, importing from this process's path.
    Python 3.11 starts the server with `-c`, which puts the current directory first on its path, and does
    not apply the path it is given: a folder named pipelines where `figures run` was started (another copy
    of this project, another project's package) was what the workers imported, and ran, in place of this
    package. The server is started with this process's path instead, and without the current directory."""
    from multiprocessing import forkserver

    context = _pool_context()
    path = [entry for entry in sys.path if entry and os.pathsep not in entry and os.path.isdir(entry)]
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "PYTHONSAFEPATH")}
    os.environ.update(PYTHONPATH=os.pathsep.join(path), PYTHONSAFEPATH="1")
    try:
        forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return context


def stop_workers() -> None:
    """Stop the fork server (about 100 MB: the readers and the extractor imported) once a run has read
    and extracted its documents; the next pool starts it again. Python has no public call for it: the
    one its own tests use, when there."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if _context is not None and stop is not None:
        stop()


def _exit_with(pid: int) -> None:
    """A worker's initializer: the worker ends when the process that feeds it (``pid``) ends. Its pool's
    queues never tell it, since it holds both ends of them: a run killed with SIGKILL left its idle
    workers waiting forever, and through them the fork server and the resource tracker, a few hundred
    megabytes for every killed run."""
    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)  # readable once the process has ended
        except (AttributeError, OSError):  # no pidfd here, or the process already gone: ask every second
            while process_alive(pid):
                time.sleep(1)
        else:
            select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=watch, name=f"ends with {pid}", daemon=True).start()


def _pool(n_workers: int, context) -> ProcessPoolExecutor:
    """Worker processes that end with this one, however it ends, through pipes of PIPE_BYTES."""
    pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=context, initializer=_exit_with, initargs=(os.getpid(),))
    for queue in (getattr(pool, "_call_queue", None), getattr(pool, "_result_queue", None)):
        _enlarge_pipe(getattr(queue, "_reader", None))
    return pool


# What the pipes between this process and its workers hold. A worker writes its result into the pipe
# and waits while it is full, until this process's thread reads it, and that thread waits for its turn
# while this process works: through the 64 KB Linux gives a pipe, the reconciling worker sent its 30 MB
# of results at 10,000 articles a few kilobytes per turn, and waited a fifth of its time (0.6 to 0.8 s;
# 0.13 to 0.21 s through 1 MB, and reconciling took 0.3 to 0.5 s less).
PIPE_BYTES = 1 << 20


def _enlarge_pipe(connection) -> None:
    """Make the pipe under ``connection`` hold PIPE_BYTES, where the system allows it (Linux, within
    /proc/sys/fs/pipe-max-size); elsewhere it stays as it is."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if connection is None or setting is None:
        return
    try:
        fcntl.fcntl(connection.fileno(), setting, PIPE_BYTES)
    except OSError:  # more than this user may give a pipe: the default stays
        pass


def _run_pickled(function: Callable, arguments: bytes) -> bytes:
    """A worker's call on arguments pickled by the caller, its result pickled for it: the pool's own
    threads then only move bytes (see FedWorkers)."""
    return pickle.dumps(function(*pickle.loads(arguments)), protocol=5)


class FedWorkers:
    """Spawned workers that take the items this process hands them, a few ahead of what they are doing,
    while this process does the others: whoever is free takes the next item, so the work balances
    whatever each item turns out to cost. Spawned, they import only what their work needs (the fork
    server's workers carry the readers and the extractor, a hundred megabytes a step after extraction has
    no use for); fed as they go, only the items sent are copied for them."""

    # The pool's threads hand items to the workers and take their results back, and while this process
    # works they wait for the interpreter's lock: by default each waits 5 ms at every turn, so a worker
    # sat idle about a third of the time. Turns of 0.5 ms, and items pickled and unpickled here rather
    # than by those threads, keep it busy (reconciling 160,000 claims: 8.6 s instead of 10.6).
    SWITCH_INTERVAL = 0.0005

    def __init__(self, function: Callable, n_workers: int, in_flight: int = 4):
        """``in_flight`` items per worker are sent ahead of what it is doing."""
        self._function, self._limit = function, in_flight * n_workers
        self._switch_interval = sys.getswitchinterval()
        self._pool = _started.pop(n_workers, None) or _spawned_pool(n_workers)
        self._running: dict = {}
        self.results: dict = {}

    def has_room(self) -> bool:
        """Whether the workers want another item now (the results ready are collected)."""
        for key in [key for key, future in self._running.items() if future.done()]:
            self.results[key] = pickle.loads(self._running.pop(key).result())
        return len(self._running) < self._limit

    def send(self, key: object, *arguments) -> None:
        self._running[key] = self._pool.submit(_run_pickled, self._function, pickle.dumps(arguments, protocol=5))

    def finish(self) -> dict:
        """{key: result} of every item sent, once all are done."""
        while self._running:
            wait(self._running.values(), return_when=FIRST_COMPLETED)
            self.has_room()
        return self.results

    def __enter__(self) -> FedWorkers:
        sys.setswitchinterval(min(self._switch_interval, self.SWITCH_INTERVAL))
        return self

    def __exit__(self, *exc) -> None:
        sys.setswitchinterval(self._switch_interval)
        self._pool.shutdown(cancel_futures=True)


def take_turns(function: Callable, work: Iterable[tuple[object, tuple]], n_workers: int) -> dict:
    """{key: function(*arguments)} for each (key, arguments) of ``work``: each item goes to the spawned
    workers while they have room (a few ahead), else this process does it. Give the heaviest items first,
    so that the last ones, which may leave a process waiting, are small."""
    results = {}
    with FedWorkers(function, n_workers) as pool:
        for key, arguments in work:
            if pool.has_room():
                pool.send(key, *arguments)
            else:
                results[key] = function(*arguments)
        results.update(pool.finish())
    return results


# Pools started ahead of the FedWorkers that take them, by their number of workers.
_started: dict[int, ProcessPoolExecutor] = {}


def start_spawned_workers(n_workers: int, module: str) -> None:
    """Start the spawned workers the next FedWorkers of ``n_workers`` takes, each importing ``module``
    (the one its function is in) now: a spawned worker takes about half a second to start and import it,
    which the caller's work until then covers instead of the workers' first items."""
    if n_workers >= 1 and n_workers not in _started:
        _started[n_workers] = pool = _spawned_pool(n_workers)
        for _ in range(n_workers):
            pool.submit(importlib.import_module, module)


def _spawned_pool(n_workers: int) -> ProcessPoolExecutor:
    return _pool(n_workers, multiprocessing.get_context("spawn"))


def stop_spawned_workers() -> None:
    """Stop the pools started ahead that no FedWorkers took (the work failed before, or needed none)."""
    while _started:
        _started.popitem()[1].shutdown(cancel_futures=True)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def map_in_workers(function: Callable[[list], list], items: list, on_done: Callable[[int], None] | None = None) -> list:
    """``function`` over chunks of ``items`` in worker processes, results in the order of ``items``."""
    results: list = []
    size = max(1, min(CHUNK, -(-len(items) // (workers() * 4))))
    n_workers = min(workers(), -(-len(items) // size))
    if len(items) < SERIAL_BELOW or n_workers <= 1:
        for chunk in _chunks(items, size):
            results.extend(function(chunk))
            if on_done:
                on_done(len(chunk))
        return results
    with _pool(n_workers, _fork_server_context()) as pool:
        for chunk, done in zip(_chunks(items, size), pool.map(function, _chunks(items, size))):
            results.extend(done)
            if on_done:
                on_done(len(chunk))
    return results


def _read_extract_chunk(root: str, limits: Limits, registry: PublisherRegistry, paths: list[str]) -> list[tuple[dict, tuple | None]]:
    from .claim_table import extract_document
    from .ingest import read_source

    records = [read_source(Path(path), Path(root), registry, limits) for path in paths]
    return [(record, extract_document(record) if record["status"] == "loaded" else None) for record in records]


def read_and_extract_in_workers(root: Path, paths: list[Path], limits: Limits, registry: PublisherRegistry,
                                on_done=None) -> list[tuple[dict, tuple | None]]:
    """(document record (see pipelines.ingest.read_source), its extraction or None when rejected) of each
    of ``paths``, in their order: read and extracted in parallel, each file by one worker, every one with
    the run's registry (the file may change while they read)."""
    return map_in_workers(partial(_read_extract_chunk, str(root), limits, registry), [str(p) for p in paths], on_done)
