"""Which extractor read a claim: the code's version (EXTRACTOR_VERSION) and a digest of everything that
turns a file into its rows (the readers, the extractor and its lexicons, validation).

A document is read once per content. Claims of another extractor stay in the warehouse until every file
is read again, which a run does when it finds them (pipelines.runner, the sensor). A company added to
the folder FIGURES_LEXICON_DIR names, a packaged lexicon or a reader edited without EXTRACTOR_VERSION
moving: each finds other figures in the same texts, and counts as another extractor.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from .extraction.lexicon import DEFAULT_DIR, LEXICON_FILES
from .extraction.model import EXTRACTOR_VERSION

PACKAGE = Path(__file__).parent
# What a document's rows (documents, claims, quarantined claims) are made by.
READING_SOURCES = (PACKAGE / "documents", PACKAGE / "extraction", PACKAGE / "ingest.py", PACKAGE / "claim_table.py",
                   PACKAGE / "validation.py", PACKAGE.parent / "schemas")


def reading_fingerprint(user_dir: str | os.PathLike | None = None) -> str:
    """A digest of the sources in READING_SOURCES, of the packaged lexicons and of those of ``user_dir``
    or FIGURES_LEXICON_DIR. Read again at each call: a long-lived process (the sensor's) sees an edit."""
    folder = user_dir if user_dir is not None else os.environ.get("FIGURES_LEXICON_DIR") or None
    files = [(path.relative_to(PACKAGE.parent).as_posix(), path) for source in READING_SOURCES
             for path in (sorted(source.glob("*.py")) if source.is_dir() else [source])]
    files += [(f"{kind} lexicon {name}", base / f"{name}.yaml") for kind, base in
              (("packaged", DEFAULT_DIR), *([("user", Path(folder))] if folder else [])) for name in LEXICON_FILES]
    digest = hashlib.sha256()
    for label, path in files:  # labelled by name, not where the folders are: moving them changes nothing
        digest.update(label.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return digest.hexdigest()[:10]


def extractor_version(user_dir: str | os.PathLike | None = None) -> str:
    """What each claim records as its extractor: "1.3.0+<reading fingerprint>"."""
    return f"{EXTRACTOR_VERSION}+{reading_fingerprint(user_dir)}"


@functools.cache
def extractor_version_of_this_process() -> str:
    """``extractor_version()`` once per process that extracts: the code and lexicons it loaded are the
    ones it uses until it ends."""
    return extractor_version()
