"""Transactions that nest: a load's functions each write in one transaction, and a writer that wants the
whole load committed at once (a DuckLake load: every commit is a snapshot readers may see) opens one
around them, which they then join."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

# Connections (by id) inside a transaction opened here. DuckDB cannot say whether one is open, and a
# second BEGIN would abort it.
_open: set[int] = set()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit on success, roll back on any error; inside an enclosing transaction, be part of it."""
    if id(con) in _open:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    _open.add(id(con))
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")
    finally:
        _open.discard(id(con))


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` is inside a transaction opened by ``transaction``."""
    return id(con) in _open
