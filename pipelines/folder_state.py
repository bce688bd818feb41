"""What the sources folder holds now, cheaply: each file's partition key, relative path, size, mtime and
content id, without reading (decoding, extracting) anything. A file whose content id is already in the
warehouse is never read again."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .documents import Limits, document_id_of, scan_sources
from .documents.source_files import relative_path

# Dagster refuses these in a partition key; a file name holding one gets a stand-in in its key only.
_KEY_REPLACEMENTS = {"...": "\u2026", "\a": " ", "\b": " ", "\f": " ", "\n": " ", "\r": " ", "\t": " ", "\v": " ", "\0": " "}


def partition_key_of(relative: str) -> str:
    """A stable name of the file for its partition: its path relative to the sources folder."""
    key = relative
    for bad, good in _KEY_REPLACEMENTS.items():
        key = key.replace(bad, good)
    return key


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    size: int
    mtime_ns: int
    regular: bool

    @property
    def key(self) -> str:
        return partition_key_of(self.relative)

    @property
    def stamp(self) -> str:
        """The version a sensor compares: size and modification time, as the file says without opening it."""
        return f"{self.size}:{self.mtime_ns}"


def scan_folder(root: Path) -> dict[str, SourceFile]:
    """{partition key: file} for every file the pipeline reads, sorted by relative path."""
    root = Path(root)
    if not root.is_dir():
        return {}
    found = {}
    for path in scan_sources(root):
        try:
            info = os.lstat(path)
        except OSError:
            continue
        relative = relative_path(path, root)
        found[partition_key_of(relative)] = SourceFile(path, relative, info.st_size, info.st_mtime_ns, stat.S_ISREG(info.st_mode))
    return found


def content_id(file: SourceFile, limits: Limits) -> str | None:
    """The document id a reader would give the file (the hash of its bytes), or None when the file would
    be refused before its content is read (a link, a special file, one over the size limit): those are
    cheap to read again, and their ids come from their paths."""
    if not file.regular or file.size > limits.max_file_bytes:
        return None
    try:
        with open(file.path, "rb") as handle:
            return document_id_of(handle.read(limits.max_file_bytes + 1))
    except OSError:
        return None


def files_to_read(files: list[SourceFile], known_ids: set[str], limits: Limits) -> tuple[list[SourceFile], dict[str, str]]:
    """The files whose content is not in the warehouse yet, and {relative path: document id} of the others."""
    if not known_ids:  # an empty warehouse: every file is read, none needs hashing first
        return list(files), {}
    unread, known = [], {}
    for file in files:
        document_id = content_id(file, limits)
        if document_id is not None and document_id in known_ids:
            known[file.relative] = document_id
        else:
            unread.append(file)
    return unread, known


@dataclass(frozen=True)
class FolderChanges:
    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def to_run(self) -> list[str]:
        return sorted(self.added + self.changed)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def folder_changes(previous: dict[str, str], current: dict[str, str]) -> FolderChanges:
    """What happened between two {partition key: stamp} states of the folder."""
    return FolderChanges(
        added=sorted(set(current) - set(previous)),
        changed=sorted(k for k in set(current) & set(previous) if current[k] != previous[k]),
        removed=sorted(set(previous) - set(current)),
    )


def keys_to_run(files: dict[str, SourceFile], current: set[tuple[str, str]], limits: Limits) -> list[str]:
    """The files a run must look at: those whose (path, content) the warehouse does not hold as current
    (new files, changed files, known content under a new name, files refused before reading)."""
    from .ingest import rejected_id_of

    return [key for key, file in files.items()
            if (file.relative, content_id(file, limits) or rejected_id_of(file.relative)) not in current]
