"""The extractor's optional compiled modules (``scripts/build_extractor.py`` builds them with mypyc).

They live in ``_compiled/`` next to the sources, with a STAMP: the hash of every source of the package
and of the interpreter that built them. The package imports them only while that stamp is the sources'
own: once a source is edited, it runs as written (pure Python) until they are rebuilt. This module
itself is never compiled.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).parent
FOLDER = HERE / "_compiled"
STAMP = "STAMP"
# lexicon.py finds its lexicons next to its own file; the rest are the ones worth compiling.
NOT_COMPILED = {"__init__.py", "_compiled.py", "lexicon.py", "regex_programs.py"}


def source_stamp(folder: Path = HERE) -> str:
    """Every source of the package (a compiled module inlines what it imports from the others), the
    interpreter's version and its extension suffix."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0{sysconfig.get_config_var('EXT_SUFFIX')}\0".encode())
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def compiled_folder() -> str | None:
    """The folder of compiled modules to put before the sources, or None: not built, stale, or turned off
    with FIGURES_PURE_PYTHON=1 (to debug, trace or monkeypatch the extractor)."""
    if os.environ.get("FIGURES_PURE_PYTHON") or not FOLDER.is_dir():
        return None
    try:
        built = (FOLDER / STAMP).read_text().strip()
    except OSError:
        return None
    if built != source_stamp(HERE):
        print("figures: the compiled extractor is stale (a source changed since it was built); running the "
              "sources. `make compiled` rebuilds it.", file=sys.stderr)
        return None
    return str(FOLDER)
