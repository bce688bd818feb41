"""Reconciliation over whole tables: claim frames in, facts, conflicts, revisions and timeline frames out.

Claims get what their documents say about their source (publisher tier, publication date, the copy group
of syndicated and translated texts); each entity's metric is then reconciled on its own, as plain records,
by the rules of ``reconciliation_rules`` (on both cores from PARALLEL_FROM claims).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .duplicates import copies_among, copy_pairs
from .memory import collections_paused, return_freed_memory
from .parallel import start_spawned_workers, stop_spawned_workers, take_turns, workers
from .reconciliation_policy import Policy, load_policy
from .reconciliation_rules import (CONFLICT_COLUMNS, FACT_COLUMNS, REVISION_COLUMNS, TIMELINE_COLUMNS, Rows,
                                   reconcile_rows)

# The claim columns reconciliation reads, each with the SQL that reads it from the claims table (``c``):
# the rest (context, notes, offsets' end, page) stay in the warehouse rather than in the facts step's
# memory, and so do the quotes of all but targets, the only claims whose quotes are read (revision cues).
CLAIM_INPUTS = {column: f'c."{column}"' for column in [
    "claim_id", "document_id", "document", "entity", "metric", "scope", "period", "value", "unit", "kind",
    "qualifier", "precision", "start", "surface",
]} | {"quote": "CASE WHEN c.kind IN ('target', 'previous') THEN c.quote END"}


@dataclass
class Reconciliation:
    facts: pd.DataFrame
    conflicts: pd.DataFrame
    revisions: pd.DataFrame
    timeline: pd.DataFrame


def prepare(claims: pd.DataFrame, documents: pd.DataFrame | None, policy: Policy) -> pd.DataFrame:
    """Claims with what the documents say about their source: tier, publication date, copy group."""
    frame = claims.copy(deep=False)  # columns are added, none changed: the claims' data is shared
    for column, default in (("surface", ""), ("document", ""), ("start", 0)):
        if column not in frame:
            frame[column] = default
    frame["tier"] = None
    frame["published"] = pd.NaT
    docs = documents if documents is not None else pd.DataFrame({"document_id": []})
    docs = docs.drop_duplicates("document_id").set_index("document_id") if "document_id" in docs else docs
    if "tier" in docs:
        frame["tier"] = frame["document_id"].map(docs["tier"]).astype(object).where(lambda t: t.notna(), None)
    tiers, distinct_tiers = pd.factorize(frame["tier"], use_na_sentinel=False)  # a handful of tiers: ranked once each
    frame["tier_rank"] = np.array([policy.tier_rank(t) for t in distinct_tiers], dtype=np.int64)[tiers]
    if "published_date" in docs:
        dates = pd.to_datetime(docs["published_date"], errors="coerce")
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        frame["published"] = frame["document_id"].map(dates)
    frame["published"] = pd.to_datetime(frame["published"])
    # Timestamp.timestamp() of each date, undated ones 0, for all at once (one call per claim took 0.24 s
    # at 160,000 claims): a naive date's seconds since the epoch, rounded to the microsecond as it rounds.
    published = frame["published"]
    seconds = published.to_numpy().astype("datetime64[ns]").astype(np.int64) / 1e9
    frame["published_order"] = np.where(published.notna().to_numpy(), np.round(seconds, 6), 0.0)
    if "copies" in docs:  # found already (with_copies)
        copies = {d: found for d, found in docs["copies"].items() if len(found)}
    else:
        copies = _copies(frame, docs, policy)
    frame["source_group"] = _source_groups(frame, copies)
    return frame


def with_copies(claims: pd.DataFrame, documents: pd.DataFrame, policy: Policy | None = None,
                shingle: Callable | None = None, other_figures: pd.DataFrame | None = None,
                found_among: Callable | None = None,
                read_texts: Callable[[list[str]], Mapping[str, str]] | None = None) -> pd.DataFrame:
    """The documents with the documents each is a copy of (``copies``, a tuple of ids) in place of their
    texts, for ``reconcile_all``: finding copies is all the texts are read for, and in a large
    reconciliation they are the largest part of its input. ``shingle``, ``found_among``: see ``copy_pairs``.
    ``other_figures``: the documents' figures outside ``claims`` (document_id, entity, metric, period,
    value), when ``claims`` are some groups only: a translation is known by every figure it states.
    Without a ``text`` column, ``read_texts(ids)`` gives {id: text}, called once if a text is needed:
    the search for copies may have compared them already, and a store of shingles knows most."""
    docs = documents.drop_duplicates("document_id").set_index("document_id")
    copies = _copies(claims, docs, policy or load_policy(), shingle, other_figures, found_among, read_texts)
    found = [tuple(sorted(copies.get(d, ()))) for d in documents["document_id"]]
    return documents.drop(columns=["text"], errors="ignore").assign(copies=found)


class _TextsOnDemand(Mapping):
    """{id: text} of ``ids`` (an empty text for an id ``read`` does not know), read when asked for:
    ``many`` reads those it is given at once, and a single one asked for reads every text not read yet.
    A store of shingles asks for the few texts it lacks at once (at 10,000 articles, a new article's
    groups named 3,000 documents, whose texts took 0.05 s to read where the article's own took 0.005)."""

    def __init__(self, ids: list[str], read: Callable[[list[str]], Mapping[str, str]]):
        self._ids, self._read, self._texts = ids, read, {}

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def many(self, ids: list[str]) -> list[str]:
        unread = [d for d in ids if d not in self._texts]
        if unread:
            found = self._read(unread)
            self._texts.update((d, found.get(d) or "") for d in unread)
        return [self._texts[d] for d in ids]

    def __getitem__(self, document_id: str) -> str:
        if document_id not in self._texts:
            self.many([d for d in self._ids if d not in self._texts])
        return self._texts.get(document_id, "")


def _copies(frame: pd.DataFrame, docs: pd.DataFrame, policy: Policy, shingle: Callable | None = None,
            other_figures: pd.DataFrame | None = None, found_among: Callable | None = None,
            read_texts: Callable[[list[str]], Mapping[str, str]] | None = None) -> dict[str, set[str]]:
    """Each document of ``frame`` that is a copy of others -> those others."""
    ids = sorted(set(frame["document_id"]))
    if "text" in docs:
        # Read off plain dictionaries: a Series lookup per document cost 0.4 s at 10,000 documents.
        known_texts = dict(zip(docs.index, docs["text"].tolist()))
        read_texts = lambda _: known_texts  # noqa: E731
    elif read_texts is None:
        return {}
    texts = _TextsOnDemand(ids, read_texts)
    known_languages = dict(zip(docs.index, docs["language"].tolist())) if "language" in docs else {}
    languages = {d: known_languages.get(d) for d in ids}
    figures = figure_hashes(pd.concat([part[FIGURE_COLUMNS] for part in (frame, other_figures) if part is not None]), ids)
    copies: dict[str, set[str]] = {}
    for a, b in copy_pairs(texts, figures, languages, policy.shingle_words, policy.jaccard,
                           policy.translation_figures_jaccard, policy.translation_min_figures, shingle, found_among):
        copies.setdefault(a, set()).add(b)
        copies.setdefault(b, set()).add(a)
    return_freed_memory()
    return copies


FIGURE_COLUMNS = ["document_id", "entity", "metric", "period", "value"]


def figure_hashes(figures: pd.DataFrame, ids: list[str]) -> dict[str, np.ndarray]:
    """The figures each of the documents ``ids`` states (``FIGURE_COLUMNS``: entity, metric, period and
    value to the millionth) as the sorted array of their distinct 64-bit hashes, what ``copy_pairs``
    compares to find translations: all rows hashed at once (a set of tuples per document took half a
    second at 160,000 claims)."""
    figures = figures[figures["document_id"].isin(ids)]
    keys = figures[["entity", "metric", "period"]].astype(object).assign(
        value=figures["value"].astype(float).round(6) + 0.0)  # + 0.0: -0.0 is 0.0, as it hashes in Python
    hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy().view(np.int64)
    codes, documents = pd.factorize(figures["document_id"].to_numpy(dtype=object))
    order = np.lexsort((hashes, codes))
    codes, hashes = codes[order], hashes[order]
    distinct = np.ones(len(codes), dtype=bool)
    distinct[1:] = (codes[1:] != codes[:-1]) | (hashes[1:] != hashes[:-1])
    codes, hashes = codes[distinct], hashes[distinct]
    firsts = np.flatnonzero(np.diff(codes, prepend=-1))  # where each document's hashes begin
    found = dict(zip(documents[codes[firsts]], np.split(hashes, firsts[1:])))
    empty = np.zeros(0, dtype=np.int64)
    return {d: found.get(d, empty) for d in ids}


def _source_groups(frame: pd.DataFrame, copies: dict[str, set[str]]) -> np.ndarray:
    """Each claim's source: its document, or the smallest id among the copies of its document that state
    claims of its (entity, metric, scope, period) group, copies of copies included. Only the group's own
    documents link copies, so a group's sources, like the rest of its fact, follow from its own claims:
    a run that reconciles some groups again gives them what a whole build gives them."""
    sources = frame["document_id"].to_numpy(dtype=object).copy()
    involved = np.flatnonzero(frame["document_id"].isin(list(copies)).to_numpy()) if copies else []
    if not len(involved):
        return sources
    keys = frame[["entity", "metric", "scope", "period"]].iloc[involved].itertuples(index=False, name=None)
    rows_of_group: dict[tuple, list[int]] = {}
    for row, key in zip(involved.tolist(), keys):
        rows_of_group.setdefault(key, []).append(row)
    for rows in rows_of_group.values():
        source = copies_among((sources[row] for row in rows), copies)
        for row in rows:
            sources[row] = source[sources[row]]
    return sources


# From this many claims, spawned workers reconcile some of the entities' metrics while this process
# reconciles the others (their groups are independent); below, starting a worker costs more than it saves.
PARALLEL_FROM = int(os.environ.get("FIGURES_RECONCILE_PARALLEL_FROM") or 20_000)


@contextlib.contextmanager
def workers_started_for(n_claims: int) -> Iterator[None]:
    """Start now the workers ``reconcile_all`` spawns for ``n_claims`` claims (none below PARALLEL_FROM),
    for what runs inside: each takes half a second to start and import this module, which the work
    before reconciling (finding copies) then covers instead of the worker's first parts (at 10,000
    articles, reconciling took 0.15 to 0.55 s less). Those not taken by then are stopped on leaving."""
    start_spawned_workers(_spawned_workers(n_claims >= PARALLEL_FROM), __name__)
    try:
        yield
    finally:
        stop_spawned_workers()


def reconcile_all(claims: pd.DataFrame, documents: pd.DataFrame | None = None, policy: Policy | None = None,
                  parallel: bool | None = None) -> Reconciliation:
    """Facts, conflicts, target revision chains and the fact timeline from valid claims; documents give
    publication dates, publisher tiers, texts (to find copies) and languages. ``parallel`` (by default,
    from PARALLEL_FROM claims) shares the work with worker processes; the result is the same."""
    policy = policy or load_policy()
    if claims.empty:
        return Reconciliation(pd.DataFrame(columns=FACT_COLUMNS), pd.DataFrame(columns=CONFLICT_COLUMNS),
                              pd.DataFrame(columns=REVISION_COLUMNS), pd.DataFrame(columns=TIMELINE_COLUMNS))
    if parallel is None:
        parallel = len(claims) >= PARALLEL_FROM
    with collections_paused():  # the records and rows it makes hold no cycles
        return _reconciled_frames(_reconciled_by_metric(prepare(claims, documents, policy), policy, parallel))


# The date columns of the tables reconciliation makes. A part gives their dates as nanoseconds since the
# epoch (NaT as the integer datetime64 reads as NaT): a column of Timestamps becomes a frame's column
# through pandas' inference, one object at a time, a column of integers at once (the result frames took
# 0.40 to 0.57 s instead of 0.61 to 0.82 at 10,000 articles, after the last part, the other core idle).
DATE_COLUMNS = {"facts": ("learned_at",), "revisions": ("stated_on", "superseded_on"),
                "timeline": ("known_from", "known_until")}


def _nanoseconds(value) -> int:
    return value.value if isinstance(value, pd.Timestamp) else pd.Timestamp(value).value  # NaT's reads as NaT


def _with_dates_as_ns(rows: list[tuple], columns: list[str], dates: tuple[str, ...]) -> list[tuple]:
    at = [columns.index(column) for column in dates]
    converted = []
    for row in rows:
        values = list(row)
        for index in at:
            values[index] = _nanoseconds(values[index])
        converted.append(tuple(values))
    return converted


def _frame(rows: list[tuple], columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in dates:
        values = frame[column]
        # Integers are the parts' nanoseconds; with no rows, the column is empty objects.
        frame[column] = values.to_numpy().view("M8[ns]") if values.dtype == np.int64 else pd.to_datetime(values)
    return frame


def _reconciled_frames(parts: list[Rows]) -> Reconciliation:
    facts, conflicts, revisions, timeline = [], [], [], []
    for part_facts, part_conflicts, part_revisions, part_timeline in parts:
        facts += part_facts
        conflicts += part_conflicts
        revisions += part_revisions
        timeline += part_timeline
    return_freed_memory()
    return Reconciliation(_frame(facts, FACT_COLUMNS, DATE_COLUMNS["facts"]), _frame(conflicts, CONFLICT_COLUMNS),
                          _frame(revisions, REVISION_COLUMNS, DATE_COLUMNS["revisions"]),
                          _frame(timeline, TIMELINE_COLUMNS, DATE_COLUMNS["timeline"]))


def _reconciled_by_metric(frame: pd.DataFrame, policy: Policy, parallel: bool) -> list[Rows]:
    """(facts, conflicts, revisions, timeline) rows of each entity's metric, in their order. One entity's
    metric at a time: its groups, their siblings in other scopes and their timelines are all in it, so
    only its claims are held as records (a dict per claim is the step's largest cost), and its results
    are kept as tuples. In parallel, the parts a worker takes go to it as tuples."""
    columns = list(frame.columns)
    # {(entity, metric): its claims' positions, in order}, found in one pass of pandas' (a dict built a
    # claim at a time took 0.3 s at 160,000 claims)
    positions = frame.groupby(["entity", "metric"], sort=False, dropna=False).indices
    keys = sorted(positions)
    # Each part's values are taken when its turn comes: all of them as Python objects at once would be
    # sixty megabytes more at 10,000 articles.
    arrays = [frame[column].to_numpy() if _plain(frame[column].dtype) else _distinct_values(frame[column]) for column in columns]

    def rows(index: int) -> Iterator[tuple]:
        chosen = positions[keys[index]]
        return zip(*(array[chosen].tolist() for array in arrays))

    n_workers = _spawned_workers(parallel)
    if n_workers < 1:
        return [_reconciled_part(columns, rows(index), policy) for index in range(len(keys))]
    # The heaviest parts first. A part sent to a worker costs this process too (its claims are pickled
    # there, its results back), which taking turns accounts for.
    order = sorted(range(len(keys)), key=lambda i: -len(positions[keys[i]]))
    results = take_turns(_reconciled_part, ((index, (columns, rows(index), policy)) for index in order), n_workers)
    return [results[index] for index in range(len(keys))]


def _spawned_workers(parallel: bool) -> int:
    """The workers a reconciliation spawns beside this process: one core each."""
    return workers() - 1 if parallel else 0


def _reconciled_part(columns: list[str], rows: Iterator[tuple], policy: Policy) -> Rows:
    """reconcile_rows without the collector's walks, in this process as in a worker, its dates as
    nanoseconds (DATE_COLUMNS)."""
    with collections_paused():
        facts, conflicts, revisions, timeline = reconcile_rows(columns, rows, policy)
        return (_with_dates_as_ns(facts, FACT_COLUMNS, DATE_COLUMNS["facts"]), conflicts,
                _with_dates_as_ns(revisions, REVISION_COLUMNS, DATE_COLUMNS["revisions"]),
                _with_dates_as_ns(timeline, TIMELINE_COLUMNS, DATE_COLUMNS["timeline"]))


def _distinct_values(column: pd.Series) -> np.ndarray:
    """A column whose values are objects made for it (dates, nullable numbers) as an array of them, each
    distinct value made once, as the Series lists it, and shared by the rows that hold it. A date made
    anew for each claim of each part cost 0.2 s at 10,000 articles."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    values = np.empty(len(distinct), dtype=object)
    values[:] = distinct.tolist()
    return values[codes]


def _plain(dtype) -> bool:
    """Whether a column's numpy array lists the values its Series lists (dates and nullable columns do not)."""
    return isinstance(dtype, np.dtype) and dtype.kind not in "mM"


def reconcile(claims: pd.DataFrame, documents: pd.DataFrame | None = None, policy: Policy | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts and conflicts from valid claims; documents give the publication dates and reliability tiers."""
    result = reconcile_all(claims, documents, policy)
    return result.facts, result.conflicts
