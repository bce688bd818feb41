"""Copies among a large first build's documents, searched on the core the run leaves idle after extraction.

Once a build of thousands of new files has extracted them, its process works on one core for seconds:
it validates the claims, loads them, Dagster records an event per file, the checks scan the tables, the
facts step reads the claims. Finding copies (shingling every text, comparing them) then took the largest
part of the facts step, on one core too. So when a run reads many documents for a warehouse that held
none (a first build) or reads every file again (a rebuild), the extraction step, once done, hands their
texts to a spawned process that shingles them (keeping the shingles in the store,
pipelines/shingle_store.py) meanwhile, then compares them once the load has committed (the run's
process holds most memory while it loads; comparing them is the search's peak). The facts step waits for it before
its own large reads, then takes the pairs it found when every document it compares is among those
searched: a pair's verdict depends on its two texts alone, so the pairs among some documents are those
found among all of them that join two of them. Any other time (a document it compares was not searched,
the search failed, the facts step runs in another process) the facts step compares them itself, as
without the search.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from pathlib import Path

from .duplicates import shingle_texts, similar_pairs
from .memory import return_freed_memory

# From this many documents read for an empty warehouse (or read again by a rebuild), the extraction step
# starts a search. At 1,000 articles it takes 0.4 s off the facts step; for a few hundred, starting its
# process (a quarter of a second) would cost about what it saves.
SEARCH_FROM = int(os.environ.get("FIGURES_COPY_SEARCH_FROM") or 500)

SENT_AT_ONCE = 500  # texts per message to the search
# A search not told to compare within this time ends, its memory given back (see _search).
COMPARE_WITHIN_SECONDS = 900

_searches: dict[str, CopySearch] = {}  # by run id, from the extraction step to the facts step of one process


class CopySearch:
    """The pairs of similar texts among ``ids`` (their ``texts``: ``size``-word shingles, Jaccard at least
    ``threshold``), searched by a spawned process: it shingles them from the moment it is made, and
    compares them once told to (``compare``) or once its result is wanted."""

    def __init__(self, ids: list[str], texts: list[str], size: int, threshold: float, store: Path | None):
        context = multiprocessing.get_context("spawn")
        self.ids, self.size, self.threshold = ids, size, threshold
        self.compared = 0  # documents whose pairs the facts step took from the search
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_search, args=(theirs, size, threshold, store, COMPARE_WITHIN_SECONDS),
                                        name="copy search", daemon=True)
        self._process.start()
        theirs.close()
        # The texts go through the pipe from a thread: sending blocks until the process, still starting,
        # reads them, and the step goes on meanwhile.
        self._compare = threading.Event()
        self._sending = threading.Thread(target=self._send, args=([ids, texts],), name="copy search texts", daemon=True)
        self._sending.start()
        self._pairs: set[tuple[str, str]] | None = None
        self._done = False

    def _send(self, documents: list) -> None:
        """A few hundred texts at a time: neither process holds all of them pickled at once, and the search
        shingles each part as it comes. Then, when told to, the word to compare them. ``documents`` ([ids,
        texts]) is emptied, and the texts let go once sent: held until the word to compare, they kept the
        memory around them in the run's process while it validated and loaded (60 MB more at its peak,
        10,000 articles)."""
        ids, texts = documents
        documents.clear()
        with contextlib.suppress(OSError):  # the search stopped, or its process died: it fails alone
            for start in range(0, len(ids), SENT_AT_ONCE):
                self._connection.send((ids[start:start + SENT_AT_ONCE], texts[start:start + SENT_AT_ONCE]))
            del texts
            self._connection.send(None)
            self._compare.wait()
            self._connection.send("compare")

    def compare(self) -> None:
        """Let the search compare the texts (and keep their shingles) as soon as it has shingled them."""
        self._compare.set()

    def pairs_among(self, ids: list[str], size: int, threshold: float) -> list[tuple[int, int]] | None:
        """The positions (a < b) in ``ids`` of the similar pairs, in the order ``similar_pairs`` gives
        them, when every one of ``ids`` was searched with this size and threshold; else None (and a
        search no longer wanted stops)."""
        if size != self.size or threshold != self.threshold or not set(ids) <= set(self.ids):
            self.stop()
            return None
        found = self.result()
        if found is None:
            return None
        position = {document: i for i, document in enumerate(ids)}
        self.compared = len(ids)
        return sorted(tuple(sorted((position[a], position[b]))) for a, b in found if a in position and b in position)

    def result(self) -> set[tuple[str, str]] | None:
        """The pairs of ids found, once the search is done (waiting for it); None if it failed."""
        if not self._done:
            self.compare()
            try:
                self._pairs = set(self._connection.recv())
            except (EOFError, OSError):  # the process died (out of memory, killed): nothing found
                self._pairs = None
            self._finish()
        return self._pairs

    def stop(self) -> None:
        """End the search unfinished: its pairs are not wanted."""
        if not self._done:
            self._process.terminate()
            self._compare.set()  # the sending thread ends
            self._finish()

    def _finish(self) -> None:
        self._done = True
        self._connection.close()
        self._sending.join()
        self._process.join()  # it ends once it has sent the pairs


def _search(connection, size: int, threshold: float, store: Path | None, compare_within: float) -> None:
    """In the spawned process: shingle the texts received here (the run's process has the other core),
    then, once told to, compare them, keep the shingles in the store, and send the pairs of ids."""
    ids: list[str] = []
    shingled: list = []
    try:
        while (part := connection.recv()) is not None:
            ids += part[0]
            shingled += shingle_texts(part[1], size)
        if not connection.poll(compare_within):
            return  # the run failed before its load, or waits long for another: its facts step compares
        connection.recv()  # the word to compare
    except (EOFError, OSError):  # the run stopped it, or ended
        return
    pairs = [(ids[a], ids[b]) for a, b in similar_pairs(shingled, threshold)]
    return_freed_memory()  # the comparison's: DuckDB, which keeps the shingles, allocates apart
    if store is not None:
        from .shingle_store import ShingleStore  # DuckDB and pandas, only now: the comparison's peak is past

        ShingleStore(store).keep(ids, size, shingled)
    with contextlib.suppress(OSError):  # the run ended without it
        connection.send(pairs)


def start(run_id: str, ids: list[str], texts: list[str], size: int, threshold: float, store: Path | None) -> CopySearch | None:
    """Start the search of run ``run_id`` over these documents, when there are enough of them."""
    if len(ids) < SEARCH_FROM:
        return None
    discard(run_id)
    try:
        search = CopySearch(ids, texts, size, threshold, store)
    except (OSError, AssertionError):  # no process to spare (or this one may not start any): the facts step compares
        return None
    _searches[run_id] = search
    return search


def take(run_id: str) -> CopySearch | None:
    """The search the run's extraction step started in this process, if any (once), finished. The facts
    step reads its claims and documents (not their texts) while the search finishes, and waits for it
    before it reconciles: the search's memory and the reads fit together (at 10,000 articles the build
    peaked at 905 MB), the search's and reconciliation's would not."""
    search = _searches.pop(run_id, None)
    if search is not None:
        search.result()
    return search


def compare(run_id: str) -> None:
    """Let the run's search, if one is going, compare its texts (the run's load has committed)."""
    search = _searches.get(run_id)
    if search is not None:
        search.compare()


def discard(run_id: str) -> None:
    """Stop the run's search, if one is going (its load failed: no facts step will take it)."""
    search = _searches.pop(run_id, None)
    if search is not None:
        search.stop()
