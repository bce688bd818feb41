"""One run's share of the sources folder: which of its files are new content, read and extracted on every
core; which are already in the warehouse and only seen again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .claim_table import read_and_extract
from .documents import Limits, PublisherRegistry, RegistryError
from .documents.registry import registry_text
from .folder_state import ContentIds, SourceFile, files_to_read, scan_folder
from .ingest import REGISTRY_FILE

SEEN_COLUMNS = ["path", "document_id", "status"]


@dataclass
class ReadBatch:
    """The documents read now; (path, document_id, status) of the files seen whose content the warehouse
    already holds; every path the folder holds now; whether every group is to be reconciled again; the
    text of the registry the documents were read with ('' for none); whether the warehouse held no
    document when they were read; their claims and the documents the extractor failed on
    (``extract_all``'s tables), None once a step has taken them apart."""

    documents: pd.DataFrame
    seen: pd.DataFrame
    present_paths: list[str] = field(default_factory=list)
    rebuild: bool = False
    registry: str = ""
    into_empty: bool = False
    claims: pd.DataFrame | None = None
    failures: pd.DataFrame | None = None

    def without_extraction(self) -> ReadBatch:
        """The batch without its claims and failures, for a step that takes those apart."""
        return replace(self, claims=None, failures=None)

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
    registry_before: str | None = None,
    named_by: dict[str, str] | None = None,
    written: dict[str, Path] | None = None,
    files: dict[str, SourceFile] | None = None,
) -> ReadBatch:
    """Read and extract the files named by ``keys`` (partition keys) whose content is not in ``known`` ({document
    id: status}), on every core; ``rebuild`` reads them all. ``registry_before`` is the registry text the
    known documents were read with (None: not known, taken as the current one): the files whose entry
    changed since are read again too, wherever they are in the folder, and so are the files of a known
    document whose first path is no longer the one it is named by (``named_by``: {document id: path}).
    ``on_plan(to read, already known)`` is called before reading. ``written``: see ``scan_folder``. Each
    file is extracted by the worker that read it (``claim_table.read_and_extract``). ``files``: the folder's
    ``scan_folder``, when made already."""
    files = scan_folder(root, written) if files is None else files
    text = registry_text(Path(root) / REGISTRY_FILE)
    registry = PublisherRegistry.from_text(text, str(Path(root) / REGISTRY_FILE))
    chosen = [files[key] for key in keys if key in files]
    if rebuild:
        unread, known_paths = chosen, {}
    else:
        unread, known_paths = files_to_read(chosen, set(known), limits, content_ids)
        entries = registry_changes(files, registry_before, registry) if registry_before not in (None, text) else set()
        if named_by or entries:
            # Every file of the folder, whatever the run's partitions, by the content ids remembered.
            ids = content_ids or ContentIds()
            content = {file.relative: ids.of(file, limits) for file in files.values()}
            documents = renamed_documents(content, named_by or {}) | ({content[path] for path in entries} - {None})
            taken = {file.relative for file in unread}
            for file in files.values():
                if file.relative not in taken and (file.relative in entries or content[file.relative] in documents):
                    unread.append(file)
                    known_paths.pop(file.relative, None)
    # In path order: of two files with the same content, the first path's record names the document.
    unread.sort(key=lambda file: file.relative)
    if on_plan is not None:
        on_plan(len(unread), len(known_paths))
    documents, claims, failures = read_and_extract(root, [file.path for file in unread], registry, limits, on_files)
    if content_ids is not None:
        remember_content_ids(content_ids, unread, documents)
        content_ids.forget_gone(root, files)
    seen = pd.DataFrame([(path, document_id, known[document_id]) for path, document_id in known_paths.items()], columns=SEEN_COLUMNS)
    return ReadBatch(documents, seen, [file.relative for file in files.values()], rebuild, text, into_empty=not known,
                     claims=claims, failures=failures)


def renamed_documents(content: dict[str, str | None], named_by: dict[str, str]) -> set[str]:
    """The known documents whose first path in the folder (``content``: {path: content id}, in path
    order) is not the path they are named by: a copy arrived under an earlier name, or the first path
    left. A document's record is read from its first path (its format, its registry entry), so a whole
    build would read it from the new one; every file holding it is read again with it."""
    first: dict[str, str] = {}
    for path, document_id in content.items():
        if document_id in named_by:
            first.setdefault(document_id, path)
    return {document_id for document_id, path in first.items() if path != named_by[document_id]}


def registry_changes(files: dict[str, SourceFile], before: str, registry: PublisherRegistry) -> set[str]:
    """The paths whose registry entry differs between the text ``before`` and ``registry``; every path
    when this version cannot parse ``before``. The files holding the same content are read with them."""
    try:
        previous = PublisherRegistry.from_text(before, "the registry the warehouse was read with")
    except RegistryError:
        return {file.relative for file in files.values()}
    return {file.relative for file in files.values() if previous.lookup(file.relative) != registry.lookup(file.relative)}


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
