"""Which extractor read a claim: the code's version (EXTRACTOR_VERSION) and the lexicons it read with.

A document is read once per content. Claims of another extractor stay in the warehouse until every file
is read again, which a run does when it finds them (pipelines.runner, the sensor). The lexicons belong
to the extractor as much as its code: a company added to the folder FIGURES_LEXICON_DIR names, or a
packaged file edited, finds other figures in the same texts.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from .extraction.lexicon import DEFAULT_DIR, LEXICON_FILES
from .extraction.model import EXTRACTOR_VERSION


def lexicon_fingerprint(user_dir: str | os.PathLike | None = None) -> str:
    """A digest of the lexicon files an extraction reads: the packaged ones, then those of ``user_dir``
    or FIGURES_LEXICON_DIR. Read again at each call: a long-lived process (the sensor's) sees an edit."""
    folder = user_dir if user_dir is not None else os.environ.get("FIGURES_LEXICON_DIR") or None
    digest = hashlib.sha256()
    for base in (DEFAULT_DIR, *([Path(folder)] if folder else [])):
        for name in LEXICON_FILES:
            path = base / f"{name}.yaml"
            digest.update(f"{name}\0".encode() + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return digest.hexdigest()[:10]


def extractor_version(user_dir: str | os.PathLike | None = None) -> str:
    """What each claim records as its extractor: "1.3.0+<lexicon fingerprint>"."""
    return f"{EXTRACTOR_VERSION}+{lexicon_fingerprint(user_dir)}"


@functools.cache
def extractor_version_of_this_process() -> str:
    """``extractor_version()`` once per process that extracts: the lexicons it loaded are the ones it
    uses until it ends."""
    return extractor_version()
