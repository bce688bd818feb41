"""What the sources folder holds now, cheaply: each file's partition key, relative path, size, mtime and
content id, without reading (decoding, extracting) anything. A file whose content id is already in the
warehouse is never read again."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Limits, document_id_of
from .documents.source_files import SKIPPED_FOLDERS, SourcesUnavailable, walk_sources

# Dagster refuses these in a partition key; a file name holding one gets a stand-in in its key only.
_KEY_REPLACEMENTS = {"...": "\u2026", "\a": " ", "\b": " ", "\f": " ", "\n": " ", "\r": " ", "\t": " ", "\v": " ", "\0": " "}


def partition_key_of(relative: str) -> str:
    """A stable name of the file for its partition: its path relative to the sources folder. A path
    that needed a stand-in also gets a digest of itself, so that two files never share a key ("a\tb.txt"
    beside "a b.txt"): a scan keeps one file per key, and the other was never read."""
    key = relative
    for bad, good in _KEY_REPLACEMENTS.items():
        key = key.replace(bad, good)
    if key != relative:
        key += f" #{hashlib.sha256(relative.encode()).hexdigest()[:10]}"
    return key


@dataclass(frozen=True)
class SourceFile:
    location: str  # the file's path as found; a Path is made only when asked for (10,000 cost 0.15 s a scan)
    relative: str
    size: int
    mtime_ns: int
    regular: bool
    # When the file's inode last changed (written, replaced, renamed): a program can set the modification
    # time back, and does (unzip, tar and rsync -a keep the archive's; some feeds stamp every file alike),
    # but not this one. A corrected figure often keeps the size: size and mtime alone missed it for good.
    ctime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def key(self) -> str:
        return partition_key_of(self.relative)

    @property
    def stamp(self) -> str:
        """The version a sensor compares: size, modification and change times, as the file says without
        opening it (git's index compares the same)."""
        return stamp_of(self.size, self.mtime_ns, self.ctime_ns)

    @property
    def last_change_ns(self) -> int:
        return max(self.mtime_ns, self.ctime_ns)


def stamp_of(size: int, mtime_ns: int, ctime_ns: int) -> str:
    """A file's stamp (``SourceFile.stamp``) from what its stat says."""
    return f"{size}:{mtime_ns}:{ctime_ns}"


def changed_at_ns(stamp: str) -> int:
    """The change time a stamp records."""
    return int(stamp.rsplit(":", 1)[1])


def check_nothing_written_inside(root: Path, written: dict[str, Path]) -> None:
    """Raise SourcesUnavailable when a place runs write ({the variable that sets it: path}) lies where
    the walk of the sources folder finds files: each run would read its own output as articles, and, by
    changing it, ask the sensor for another run, without end. Hidden folders inside are not walked."""
    top = os.path.realpath(root)
    for variable, path in written.items():
        relative = os.path.relpath(os.path.realpath(path), top)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            continue
        parts = [] if relative == os.curdir else relative.split(os.sep)
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts):
            continue
        raise SourcesUnavailable(f"{variable} ({path}) is inside the sources folder {top}: runs would read what they "
                                 f"write as articles, and each change would ask for another run. Nothing was read; "
                                 f"set {variable} to a place outside the sources folder (or in a hidden folder of it)")


def scan_folder(root: Path, written: dict[str, Path] | None = None) -> dict[str, SourceFile]:
    """{partition key: file} for every file the pipeline reads, sorted by relative path. Raises
    SourcesUnavailable rather than take a folder it could not list for an empty one, or when one of
    the places runs write (``written``, see settings.written_places) is among its files."""
    root = Path(root)
    if written:
        check_nothing_written_inside(root, written)
    found = {}
    for relative, path in walk_sources(root):
        try:
            info = os.lstat(path)
        except FileNotFoundError:  # removed since the folder was listed: deleted
            continue
        except OSError:
            # Listed, but not to be looked at (a folder without search permission, an I/O error): kept,
            # so that reading it rejects it with the reason. Taken for deleted, its document would have
            # left the warehouse without a word. Its stamp stays the same until it can be looked at.
            found[partition_key_of(relative)] = SourceFile(path, relative, 0, 0, False, 0)
            continue
        found[partition_key_of(relative)] = SourceFile(path, relative, info.st_size, info.st_mtime_ns, stat.S_ISREG(info.st_mode),
                                                      info.st_ctime_ns)
    return found


# Scans made for a run before it starts, by run id: `figures run` lists the folder to know the run's
# partitions, and its read step takes that scan instead of listing the folder again (0.07 to 0.11 s at
# 10,000 files). The run then reads the folder as it was when it started, as one that started a moment
# later would have.
_scans_for_runs: dict[str, tuple[str, dict[str, SourceFile]]] = {}


def hand_scan_to_run(run_id: str, root: Path, files: dict[str, SourceFile]) -> None:
    """Keep ``files`` (``scan_folder(root)``) for the run ``run_id``'s read step (``scan_for_run``)."""
    _scans_for_runs[run_id] = (os.path.realpath(root), files)


def drop_scan_of_run(run_id: str) -> None:
    """Forget the scan kept for a run, taken or not (the run failed before its read step)."""
    _scans_for_runs.pop(run_id, None)


def scan_for_run(run_id: str, root: Path, written: dict[str, Path] | None = None) -> dict[str, SourceFile]:
    """The scan kept for the run ``run_id`` of this folder, taken once; else ``scan_folder``."""
    kept = _scans_for_runs.pop(run_id, None)
    if kept is not None and kept[0] == os.path.realpath(root):
        return kept[1]
    return scan_folder(root, written)


def content_id(file: SourceFile, limits: Limits) -> str | None:
    """The document id a reader would give the file (the hash of its bytes), or None when the file would
    be refused before its content is read (a link, a special file, one over the size limit): those are
    cheap to read again, and their ids come from their paths."""
    if not file.regular or file.size > limits.max_file_bytes:
        return None
    try:
        with open(file.location, "rb") as handle:
            return document_id_of(handle.read(limits.max_file_bytes + 1))
    except OSError:
        return None


# A file changed again within this long of its last write may keep its times (timestamps move in clock
# ticks): its id is not remembered, so the next run hashes it again.
RACY_NS = 2_000_000_000


@dataclass
class ContentIds:
    """The content ids of files hashed before, by path and stamp (size, modification and change times): a
    file whose stamp has not changed is not read again to know its id (as git's index does). Kept as
    JSON at ``path``; a lost update only means hashing a file again."""

    path: Path | None = None
    known: dict[str, list] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, path: Path | None) -> ContentIds:
        known = {}
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                known = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(path, known if isinstance(known, dict) else {})

    def of(self, file: SourceFile, limits: Limits) -> str | None:
        """``content_id(file, limits)``, read only when the file changed since it was last hashed."""
        if not file.regular or file.size > limits.max_file_bytes:
            return content_id(file, limits)
        key = file.location
        remembered = self.known.get(key)
        if remembered and remembered[0] == file.stamp:
            return remembered[1]
        found = content_id(file, limits)
        if found is not None:
            self.remember(file, found)
        return found

    def remember(self, file: SourceFile, document_id: str) -> None:
        """Keep the content id of a file just hashed (or read), unless it was written too recently for
        its times to tell a later change."""
        if file.regular and time.time_ns() - file.last_change_ns > RACY_NS:
            self.known[file.location] = [file.stamp, document_id]
            self.changed = True

    def forget_gone(self, root: Path, files: dict[str, SourceFile]) -> None:
        """Forget the files under ``root`` that its scan ``files`` no longer finds (deleted, renamed): a
        feed that adds and removes files would otherwise grow the file read at every run without end.
        Files of other folders sharing the instance are left alone."""
        inside = os.path.join(os.fspath(root), "")
        present = {file.location for file in files.values()}
        gone = [location for location in self.known if location.startswith(inside) and location not in present]
        for location in gone:
            del self.known[location]
        self.changed |= bool(gone)

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        temporary = Path(self.path).with_name(f".{Path(self.path).name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(self.known), encoding="utf-8")
            temporary.replace(self.path)
            self.changed = False


def files_to_read(files: list[SourceFile], known_ids: set[str], limits: Limits,
                  content_ids: ContentIds | None = None) -> tuple[list[SourceFile], dict[str, str]]:
    """The files whose content is not in the warehouse yet, and {relative path: document id} of the others."""
    if not known_ids:  # an empty warehouse: every file is read, none needs hashing first
        return list(files), {}
    content_ids = content_ids or ContentIds()
    unread, known = [], {}
    for file in files:
        document_id = content_ids.of(file, limits)
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


def keys_to_run(files: dict[str, SourceFile], current: set[tuple[str, str]], limits: Limits,
                content_ids: ContentIds | None = None) -> list[str]:
    """The files a run must look at: those whose (path, content) the warehouse does not hold as current
    (new files, changed files, known content under a new name, files refused before reading)."""
    from .ingest import rejected_id_of

    content_ids = content_ids or ContentIds()
    return [key for key, file in files.items()
            if (file.relative, content_ids.of(file, limits) or rejected_id_of(file.relative)) not in current]
