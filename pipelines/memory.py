"""Memory: giving what a run frees back to the system, and exiting without the collector's walks."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
from collections.abc import Iterator


@functools.cache
def _malloc_trim():
    import ctypes.util  # here: every process imports this module (pipelines/__init__.py), few trim

    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    return trim  # glibc only; elsewhere there is nothing to call


def return_freed_memory() -> None:
    """Ask glibc to give back the free memory at the top and in the middle of its heap. After many
    small arrays are freed (finding copies among ten thousand texts), the heap keeps over a hundred
    megabytes of them in holes the rest of the run would never reuse."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def collect_garbage() -> None:
    """Free what only reference cycles hold, now, and give it back. At 10,000 articles the steps before
    the facts step leave about a hundred megabytes of it that Python's collector has not reached yet."""
    gc.collect()
    return_freed_memory()


def keep_loaded_objects_out_of_collections() -> None:
    """What a process has loaded so far (the modules, the code location's definitions: most of what a run's
    process holds) lives as long as the process. Frozen, it is left out of the collector's full walks,
    which a run makes several times: 0.3 to 0.5 s of a one-article run. Garbage the loading itself made
    is never collected: a bounded amount, once per process."""
    gc.freeze()


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic collection while it lasts (reference counting still frees what is no longer used). For
    work that makes millions of containers and keeps many of them: each of the collector's walks goes
    over all it keeps, and reconciling 160,000 claims spent a quarter of its time in them, for 32 objects
    in cycles at the end. Nested uses leave the collector as the outermost found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def skip_collection_at_exit() -> None:
    """At exit, after the exit handlers, the interpreter clears its modules and its collector walks every
    object still alive, several times: 0.6 to 0.7 s of a `figures run`'s process, which holds about
    255,000 of them. Frozen, they are left as they are and the system takes the memory back with the
    process. The exit handlers still run (logging's flush, the pools' and temporary folders' clean-up),
    and stdout and stderr are still flushed; what is not finalized is what is still open then, as if the
    process were killed right after its handlers. The project commits and closes what it writes before
    (and a run killed at any moment leaves the warehouse whole)."""
    atexit.register(gc.freeze)
