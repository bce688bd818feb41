"""Reading and extracting documents on every core: a pool of worker processes, started from a fork
server that imported the readers and the extractor once. Small batches stay in this process, where
starting workers would cost more than the work."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the readers are imported by the workers that read, not by every user of a pool
    from .documents import Limits

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


def stop_workers() -> None:
    """Stop the fork server (about 100 MB: the readers and the extractor imported) once a run has read
    and extracted its documents; the next pool starts it again. Python has no public call for it: the
    one its own tests use, when there."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if _context is not None and stop is not None:
        stop()


def worker_shares(weights: list[int], away_cost: float = 1.0) -> list[int]:
    """Which process does each item: 0 for this one, 1 to workers() - 1 for spawned workers, so that each
    gets about the same total weight (heaviest first, each to the least loaded). An item done by a
    worker weighs ``away_cost`` times more: its data goes there and its result comes back."""
    loads = [0.0] * workers()
    shares = [0] * len(weights)
    for index in sorted(range(len(weights)), key=lambda i: -weights[i]):
        shares[index] = min(range(len(loads)), key=loads.__getitem__)
        loads[shares[index]] += weights[index] * (away_cost if shares[index] else 1.0)
    return shares


class FedWorkers:
    """Spawned workers fed their items as they go, a limited number ahead, while this process does its
    own share. Spawned, they import only what their work needs (the fork server's workers carry the
    readers and the extractor, a hundred megabytes a step after extraction has no use for); fed as they
    go, only the items sent are copied for them, not their whole share at once."""

    def __init__(self, function: Callable, work: Iterator[tuple[object, tuple]], n_workers: int, in_flight: int = 4):
        """``work`` gives (key, arguments of ``function``) items; ``in_flight`` items per worker are sent."""
        self._function, self._work, self._limit = function, work, in_flight * n_workers
        self._pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("spawn"))
        self._running: dict = {}
        self.results: dict = {}

    def feed(self) -> None:
        """Collect the results ready and send new items; returns at once."""
        for key in [key for key, future in self._running.items() if future.done()]:
            self.results[key] = self._running.pop(key).result()
        while len(self._running) < self._limit and (item := next(self._work, None)) is not None:
            key, arguments = item
            self._running[key] = self._pool.submit(self._function, *arguments)

    def finish(self) -> dict:
        """{key: result} of every item, once all are done."""
        self.feed()
        while self._running:
            wait(self._running.values(), return_when=FIRST_COMPLETED)
            self.feed()
        return self.results

    def __enter__(self) -> FedWorkers:
        self.feed()
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(cancel_futures=True)


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
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=_pool_context()) as pool:
        for chunk, done in zip(_chunks(items, size), pool.map(function, _chunks(items, size))):
            results.extend(done)
            if on_done:
                on_done(len(chunk))
    return results


def _read_chunk(root: str, limits: Limits, paths: list[str]) -> list[dict]:
    from .documents import PublisherRegistry
    from .ingest import REGISTRY_FILE, read_source

    registry_path = Path(root) / REGISTRY_FILE
    registry = PublisherRegistry.load(registry_path) if registry_path.exists() else None
    return [read_source(Path(path), Path(root), registry, limits) for path in paths]


def read_in_workers(root: Path, paths: list[Path], limits: Limits, on_done=None) -> list[dict]:
    """Document records (see pipelines.ingest.read_source) of ``paths``, read in parallel."""
    return map_in_workers(partial(_read_chunk, str(root), limits), [str(p) for p in paths], on_done)


def _extract_chunk(documents: list[dict]) -> list[tuple[list[dict], tuple | None]]:
    from .claim_table import extract_document

    return [extract_document(document) for document in documents]


def extract_in_workers(documents: list[dict], on_done=None) -> list[tuple[list[dict], tuple | None]]:
    """(claim records, failure or None) of each loaded document, extracted in parallel."""
    return map_in_workers(_extract_chunk, documents, on_done)
