"""One run's share of the sources folder: which of its files are new content, read on every core; which
are already in the warehouse and only seen again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .documents import Limits
from .folder_state import ContentIds, SourceFile, files_to_read, scan_folder
from .ingest import DOCUMENT_COLUMNS, read_files

SEEN_COLUMNS = ["path", "document_id", "status"]


@dataclass
class ReadBatch:
    """The documents read now; (path, document_id, status) of the files seen whose content the warehouse
    already holds; every path the folder holds now; whether every group is to be reconciled again."""

    documents: pd.DataFrame
    seen: pd.DataFrame
    present_paths: list[str] = field(default_factory=list)
    rebuild: bool = False

    @property
    def n_files(self) -> int:
        return len(self.seen) + sum(len(p) for p in self.documents["paths"])


def read_batch(
    root: Path,
    keys: list[str],
    known: dict[str, str],
    limits: Limits,
    rebuild: bool = False,
    on_files: Callable[[int], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    content_ids: ContentIds | None = None,
) -> ReadBatch:
    """Read the files named by ``keys`` (partition keys) whose content is not in ``known`` ({document
    id: status}), on every core; ``rebuild`` reads them all. ``on_plan(to read, already known)`` is
    called before reading."""
    files = scan_folder(root)
    chosen = [files[key] for key in keys if key in files]
    if rebuild:
        unread, known_paths = chosen, {}
    else:
        unread, known_paths = files_to_read(chosen, set(known), limits, content_ids)
    if on_plan is not None:
        on_plan(len(unread), len(known_paths))
    documents = read_files(root, [file.path for file in unread], limits, on_files) if unread else pd.DataFrame(columns=DOCUMENT_COLUMNS)
    if content_ids is not None:
        remember_content_ids(content_ids, unread, documents)
    seen = pd.DataFrame([(path, document_id, known[document_id]) for path, document_id in known_paths.items()], columns=SEEN_COLUMNS)
    return ReadBatch(documents, seen, [file.relative for file in files.values()], rebuild)


def remember_content_ids(content_ids: ContentIds, files: list[SourceFile], documents: pd.DataFrame) -> None:
    """The files read are hashed by their reader: their ids are kept, so the next run does not read
    them again to know whether they changed (a full build's files included)."""
    by_path = {file.relative: file for file in files}
    for document_id, paths in documents.loc[documents["status"] == "loaded", ["document_id", "paths"]].itertuples(index=False):
        for path in paths:
            if path in by_path:
                content_ids.remember(by_path[path], document_id)


def seen_versions(batch: ReadBatch, documents: pd.DataFrame) -> pd.DataFrame:
    """Every (path, document_id, status) the run saw: the files read now, with their final status
    (after extraction), and the files already known."""
    read_now = [(path, row.document_id, row.status) for row in documents.itertuples()
                for path in (list(row.paths) if row.paths is not None else [row.path])]
    return pd.concat([pd.DataFrame(read_now, columns=SEEN_COLUMNS), batch.seen], ignore_index=True)
