"""The files of one warehouse, and how runs share them.

- ``figures.duckdb`` (the path FIGURES_WAREHOUSE names) is the published snapshot analysts open. Runs
  never open it: after each committed load, the writer's own file is renamed over it, an atomic swap
  (under a second name first, a hard link, so that the writer's name never names nothing), and the
  writer gets a file of its own again, a copy of the snapshot made while the run goes on. A connection
  opened before keeps reading the file it opened; a new one sees the last complete load. Nothing an
  analyst holds open can fail or delay a run.
- ``figures.writer.duckdb`` is the only file runs write, one transaction per load.
- ``figures.duckdb.lock`` serialises the runs that write one warehouse: the writing step takes an
  exclusive lock on it (flock) and says, while it waits, which process holds it. The kernel releases the
  lock when its holder exits, however it dies, so a killed run never blocks the next one. Runs on other
  warehouses take other locks and go side by side.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class WarehouseFiles:
    published: Path

    @property
    def writer(self) -> Path:
        return self.published.with_name(f"{self.published.stem}.writer{self.published.suffix}")

    @property
    def lock(self) -> Path:
        return self.published.with_name(self.published.name + ".lock")


def _holder(lock_file: Path) -> str:
    try:
        return lock_file.read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        return "another process"


@contextlib.contextmanager
def writer_lock(files: WarehouseFiles, owner: str = "", on_wait: Callable[[str], None] | None = None) -> Iterator[int]:
    """Hold the warehouse's write lock; wait for it, saying once what it waits for. Gives the lock file's
    descriptor: a duplicate of it keeps the lock held after this context ends, until it is closed
    (``renew_writer_later``)."""
    wait_for_renewal(files)  # this process's own, which holds the lock until the writer's file is back
    files.lock.parent.mkdir(parents=True, exist_ok=True)
    handle = open(files.lock, "a+", encoding="utf-8")
    try:
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    message = f"waiting for the write lock of {files.published}, held by {_holder(files.lock)}"
                    (on_wait or (lambda m: print(m, file=sys.stderr, flush=True)))(message)
                    told = True
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} {owner}".strip() + "\n")
        handle.flush()
        yield handle.fileno()
    finally:
        handle.close()  # closing the file releases the lock


@contextlib.contextmanager
def writer_connection(files: WarehouseFiles) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writer's own file, opened read-write; take ``writer_lock`` first. A warehouse published
    before the writer had a file of its own (or whose writer file was removed, or whose run was killed
    before it copied the snapshot back) is its starting point."""
    files.writer.parent.mkdir(parents=True, exist_ok=True)
    renew_writer(files)
    try:
        con = duckdb.connect(str(files.writer))
    except duckdb.IOException as error:
        if "not a valid DuckDB database" not in str(error):
            raise
        raise duckdb.IOException(f"{error} Analysts still read the last published snapshot, {files.published}; remove "
                                 f"{files.writer} and the next run starts again from that snapshot.") from error
    try:
        leave_small_row_groups(con)
        yield con
    finally:
        con.close()


# DuckDB's checkpoint merges a table's small row groups into as few as its rows need (its vacuum), and
# so writes them all again. A run that added a few dozen rows to the conflicts table (in a row group of
# their own, as DuckDB adds rows to a table read from its file) had the table's 9,500 rows rewritten
# when its writer closed, their 33 MB of candidates' JSON: 0.19 s, where writing the new row group alone
# takes 0.01 s (at 10,000 articles the facts step closed in 0.31 s, most of it that). The writer leaves
# the small row groups as they are until a table holds SPARE_ROW_GROUPS more than its rows need; the
# run that finds it so lets DuckDB merge them, once for the runs before. A commit into the file (a large
# load) always lets it. (DuckDB merges the small row groups among themselves; in the runs measured it
# kept a row group's deleted rows until all of its rows were: merging sooner drops none.) Merging after
# 16 runs instead of 4 made the merging run longer and left the file more blocks free, enough to be
# compacted: 27 one-article runs took 0.05 s less in the mean, against 0.15 s for 4.
SPARE_ROW_GROUPS = 4
ROW_GROUP_ROWS = 122_880  # DuckDB's


def leave_small_row_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Have ``con``'s checkpoints leave small row groups unmerged, unless its database needs merging. Where
    DuckDB cannot tell its row groups or take the setting, it merges them as by default: this only saves
    time, and never stops a load."""
    with contextlib.suppress(duckdb.Error):
        if not needs_merging(con):
            con.execute("SET max_vacuum_tasks = 0")


def needs_merging(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a table of ``con``'s database holds SPARE_ROW_GROUPS row groups more than its rows need."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'").fetchall()]
    if not tables:
        return False
    # The rows of a table's row groups, deleted ones included: those of its first column's segments.
    query = " UNION ALL ".join(
        f"SELECT count(DISTINCT row_group_id) - ceil(coalesce(sum(count), 0) / {ROW_GROUP_ROWS}) "
        f"FROM pragma_storage_info({sql_literal(name)}) WHERE column_path = '[0]'" for name in tables)
    return any(spare >= SPARE_ROW_GROUPS for (spare,) in con.execute(query).fetchall())


def publish(files: WarehouseFiles) -> None:
    """Swap the writer's file (closed, checkpointed; compacted first when much of it is free, see
    ``compact``) in atomically as the published one; ``renew_writer`` then gives the writer a copy.

    Holding the write lock, so no load changes the file meanwhile. The file is renamed, not copied: a
    copy of a 160 MB warehouse and its fsync took 0.1 to 0.3 s of every load's step, twice a run. It
    is first linked under a temporary name, renamed over the published one from there, so that the
    writer's name still names it (the same file, until ``renew_writer``). Where the file system has no
    hard links, it is copied. What a run killed half-way leaves is removed by the next publish.
    """
    _remove_leftovers(files.published.parent, f".{files.published.name}.*.tmp", f".{files.writer.name}.*.compact*")
    with duckdb.connect(str(files.writer)) as con:
        con.execute("CHECKPOINT")
        sparse, free_share = _sparse(con)
    if sparse:
        try:
            compact(files)
        except (duckdb.Error, OSError) as error:  # (a full disk) the file is published as it is
            logger.warning("%s is published without compacting it, %s of it free: %s", files.writer,
                           f"{free_share:.0%}", error)
    temporary = files.published.with_name(f".{files.published.name}.{os.getpid()}.tmp")
    try:
        os.link(files.writer, temporary)
    except OSError:  # no hard links here
        copy_file(files.writer, temporary)
    _sync(temporary)
    os.replace(temporary, files.published)
    _sync_folder(files.published.parent)


def renew_writer(files: WarehouseFiles) -> None:
    """Give the writer a file of its own when it has none, or shares the published one (``publish``): a
    copy of the published snapshot, made under a temporary name and synced first, so that a run killed
    meanwhile leaves either no writer file or a whole one. Holding the write lock."""
    if not files.published.exists():
        return
    if files.writer.exists() and not os.path.samefile(files.writer, files.published):
        return
    _remove_leftovers(files.writer.parent, f".{files.writer.name}.*.tmp")
    temporary = files.writer.with_name(f".{files.writer.name}.{os.getpid()}.tmp")
    try:
        copy_file(files.published, temporary)
        _sync(temporary)
        os.replace(temporary, files.writer)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


_renewals: dict[Path, threading.Thread] = {}
_renewals_lock = threading.Lock()


def renew_writer_later(files: WarehouseFiles, lock_descriptor: int) -> None:
    """``renew_writer`` in a thread, so that the run goes on (its checks, its next step) meanwhile; the
    write lock stays held until it is done, through a duplicate of ``lock_descriptor``. The next writer
    of this process waits for it (``writer_lock``); another process waits for the lock; Python waits for
    it before the process exits. A copy that fails (a full disk) is made again by the next writer, which
    then says why."""
    held = os.dup(lock_descriptor)

    def renew():
        try:
            with contextlib.suppress(OSError):
                renew_writer(files)
        finally:
            os.close(held)

    thread = threading.Thread(target=renew, name=f"renew {files.writer.name}")
    with _renewals_lock:
        _renewals[files.writer] = thread
    thread.start()


def wait_for_renewal(files: WarehouseFiles | None = None) -> None:
    """Wait until this process's copy of the snapshot for the writer of ``files`` (of every warehouse,
    with None) is made."""
    with _renewals_lock:
        threads = [_renewals.pop(path) for path in list(_renewals) if files is None or path == files.writer]
    for thread in threads:
        thread.join()


def _remove_leftovers(folder: Path, *patterns: str) -> None:
    """What a run killed half-way left in ``folder`` (temporary copies, compactions and their spill)."""
    for pattern in patterns:
        for leftover in folder.glob(pattern):
            with contextlib.suppress(OSError):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()


def _sync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# A load that rewrites most of the warehouse (a rebuild; the first run after the reconciliation policy's
# version moved, which decides every group again) leaves the old rows' blocks free in the file. DuckDB
# writes later rows into them but never shrinks the file, and every publication copies it whole: at
# 10,000 articles such a run left 225 MB, 31 % of it free, where the rows take 147 MB. From this share
# of free blocks, and this many bytes, the writer's file is compacted before it is published.
SPARSE_SHARE = 0.25
SPARSE_BYTES = 32 << 20
COMPACT_MEMORY = "128MB"


def _sparse(con: duckdb.DuckDBPyConnection) -> tuple[bool, float]:
    """Whether the file open on ``con`` holds enough free blocks to be worth compacting, and their share."""
    block_size, total_blocks, _, free_blocks = con.execute("PRAGMA database_size").fetchone()[2:6]
    share = free_blocks / total_blocks if total_blocks else 0.0
    return share >= SPARSE_SHARE and free_blocks * block_size >= SPARSE_BYTES, share


def compact(files: WarehouseFiles) -> None:
    """Copy the writer's file (closed) into a new file without its free blocks, and swap it in: tables,
    views, the macro and every comment. Holding the write lock. A copy that fails is removed and the
    writer's file left as it was; a run killed half-way leaves a copy the next publish removes."""
    temporary = files.writer.with_name(f".{files.writer.name}.{os.getpid()}.compact")
    spill = temporary.with_name(temporary.name + ".spill")  # not DuckDB's default, `.tmp` where the run started
    try:
        with duckdb.connect() as con:
            # Unbounded, the copy held 540 MB for a 225 MB file (10,000 articles), on top of the step's
            # own memory. Bounded to 64 MB, it ran out of memory once the conflicts' lists and candidates
            # had grown (DuckDB asking for 16 MB more with 57 MB in use): on one thread, 128 MB copies
            # such a file of 330 MB in 1.5 s, the process holding about 185 MB more.
            con.execute(f"SET memory_limit = '{COMPACT_MEMORY}'")
            con.execute("SET threads = 1")
            con.execute(f"SET temp_directory = {sql_literal(str(spill))}")
            con.execute(f"ATTACH {sql_literal(str(files.writer))} AS sparse (READ_ONLY)")
            con.execute(f"ATTACH {sql_literal(str(temporary))} AS compacted")
            con.execute("COPY FROM DATABASE sparse TO compacted")
        _sync(temporary)
        os.replace(temporary, files.writer)  # the directory is synced when the file is published
    finally:
        shutil.rmtree(spill, ignore_errors=True)
        for left in (temporary, temporary.with_name(temporary.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                left.unlink()


def sql_literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def copy_file(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` in the kernel (copy_file_range): on a file system whose files can
    share blocks (XFS, Btrfs) the copy shares them and writes nothing, so publishing a 160 MB warehouse
    takes a millisecond instead of 0.12 s and the writes its fsync waits for; elsewhere it copies as
    shutil does. Where the call is missing or refused for these files, shutil copies."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not between these file systems
        with open(source, "rb") as reading, open(target, "wb") as writing:
            size = os.fstat(reading.fileno()).st_size
            copied = 0
            while copied < size and (step := os.copy_file_range(reading.fileno(), writing.fileno(), size - copied)):
                copied += step
        if copied == size:
            return
    shutil.copyfile(source, target)


def read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published snapshot."""
    return duckdb.connect(str(path), read_only=True)
