"""Finding the files of the sources folder and opening them without ever leaving it.

A symbolic link is never followed, whatever it points to: a link to a system file would otherwise
put that file's content in a table every analyst reads. Special files (FIFOs, devices) are never
opened, since reading one can block forever. Sizes are checked on the open file before reading.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import UnreadableDocument
from .limits import Limits

REGISTRY_FILE = "registry.yaml"
SKIPPED_FOLDERS = frozenset({"lexicons"})


class SourcesUnavailable(Exception):
    """The sources folder, or a folder inside it, could not be listed (missing, unreadable, a network
    share that failed). An empty folder is loaded as such, its documents leaving the warehouse; a folder
    that could not be seen stops the run first, so that its files are never taken for deleted ones."""


def scan_sources(root: Path) -> list[Path]:
    """Every candidate article under root, sorted by relative path.

    Files with unsupported suffixes, symbolic links (to files or folders) and special files are
    included on purpose: reading them fails with a reason the user can see, instead of the file
    being silently ignored.
    """
    return [Path(path) for _, path in walk_sources(root)]


def walk_sources(root: Path) -> list[tuple[str, str]]:
    """(path relative to root, posix style; path) of every candidate article (see ``scan_sources``),
    sorted by relative path. Plain strings: a folder of 10,000 files is scanned at every run."""
    top = os.fspath(root)
    if not os.path.isdir(top):
        raise SourcesUnavailable(f"the sources folder {top} does not exist or is not a folder (FIGURES_SOURCES_DIR "
                                 f"names it): nothing was read, and the warehouse keeps what it holds")

    def unlisted(error: OSError) -> None:  # os.walk would skip the folder, and its files would leave the warehouse
        raise SourcesUnavailable(f"cannot list {error.filename} in the sources folder ({error.strerror or error}): "
                                 f"nothing was read, and the warehouse keeps what it holds") from error

    found: list[tuple[str, str]] = []
    for folder, subfolders, files in os.walk(top, onerror=unlisted):  # os.walk does not descend into linked folders
        relative = os.path.relpath(folder, top)
        prefix = "" if relative == os.curdir else relative.replace(os.sep, "/") + "/"
        kept = []
        for name in subfolders:
            if name.startswith(".") or name in SKIPPED_FOLDERS:
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path):
                found.append((prefix + name, path))
            else:
                kept.append(name)
        subfolders[:] = kept
        found.extend((prefix + name, os.path.join(folder, name)) for name in files
                     if not name.startswith(".") and name != REGISTRY_FILE)
    found = [(_printable(relative), path) for relative, path in found]
    found.sort()
    return found


def _printable(name: str) -> str:
    """The name as text every table and Dagster can store: a name that is not UTF-8 (a Latin-1 file name
    from an old archive) arrives with the bytes it cannot decode as lone surrogates, which no encoder
    accepts; each is shown as its byte, "caf\\xe9.txt". The file is still opened by its real name."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def relative_path(path: Path, root: Path) -> str:
    """The path relative to the sources folder, posix style. Links are not resolved: a link is named
    by where it sits, not by what it points to."""
    absolute = Path(os.path.normpath(Path(path).absolute()))
    try:
        return _printable(absolute.relative_to(os.path.normpath(Path(root).absolute())).as_posix())
    except ValueError:
        return _printable(Path(path).name)  # outside the sources folder: the name is all that identifies it


def check_inside(path: Path, root: Path) -> None:
    """Reject links and any path that resolves outside root, before anything is opened."""
    path, root = Path(path), Path(root)
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise UnreadableDocument(f"cannot read file: {exc.strerror or exc}") from exc
    if stat.S_ISLNK(info.st_mode):
        kind = "folder" if path.is_dir() else "file"
        raise UnreadableDocument(f"symbolic link to a {kind}: links are never followed (points to {os.readlink(path)})")
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise UnreadableDocument(f"path resolves outside the sources folder ({path.resolve()}): not read") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableDocument(f"not a regular file ({_file_kind(info.st_mode)}): not read")


def file_size(path: Path) -> int:
    """Size on disk without following links; 0 when it cannot be known."""
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def read_bounded(path: Path, root: Path, limits: Limits) -> bytes:
    """The bytes of a regular file inside root, refusing links and files over the size limit."""
    check_inside(path, root)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise UnreadableDocument(f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped between the check and the open
            raise UnreadableDocument(f"not a regular file ({_file_kind(info.st_mode)}): not read")
        limits.check_size(info.st_size)
        raw = handle.read(limits.max_file_bytes + 1)  # a file growing while read is still bounded
    limits.check_size(len(raw))
    return raw


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"
