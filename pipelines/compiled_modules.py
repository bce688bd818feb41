"""The modules compiled with mypyc (``scripts/build_compiled.py`` builds them): the extractor and the
reconciliation rules, where runs spend their CPU.

Each set lives in a ``_compiled/`` folder next to its sources, with a STAMP: the hash of the sources it
was built from (the compiled modules and the project's modules they import) and of the interpreter. Its
package puts the folder before its sources only while that stamp is the sources' own: once a source is
edited, it runs as written (pure Python) until the next build. This module is never compiled and
imports nothing of the project, so that the build reads it alone.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).parent
STAMP = "STAMP"


class CompiledModules:
    """Modules of one package compiled together. ``compiled``: their file names, or None for every module
    of the package but ``kept_as_source``. ``stamped``: the files whose edit makes a build stale, or None
    for every module of the package (a compiled module inlines what it imports from the others)."""

    def __init__(self, what: str, package: str, sources: Path, compiled: tuple[str, ...] | None = None,
                 kept_as_source: frozenset[str] = frozenset(), stamped: tuple[str, ...] | None = None):
        self.what, self.package, self.sources = what, package, sources
        self._compiled, self.kept_as_source, self._stamped = compiled, kept_as_source, stamped

    @property
    def folder(self) -> Path:
        return self.sources / "_compiled"

    @property
    def group(self) -> str:
        """The C extension that holds the compiled modules' code (mypyc's group)."""
        return f"{self.package}._native"

    def compiled(self, folder: Path | None = None) -> list[str]:
        if self._compiled is not None:
            return sorted(self._compiled)
        return sorted(p.name for p in (folder or self.sources).glob("*.py") if p.name not in self.kept_as_source)

    def stamped(self, folder: Path | None = None) -> list[Path]:
        folder = folder or self.sources
        if self._stamped is None:
            return sorted(folder.glob("*.py"))
        return sorted(folder / name for name in self._stamped)

    def source_stamp(self, folder: Path | None = None) -> str:
        """The stamped sources (in ``folder``, by default the package's), the interpreter's version and its
        extension suffix."""
        digest = hashlib.sha256()
        digest.update(f"{sys.version}\0{sysconfig.get_config_var('EXT_SUFFIX')}\0".encode())
        for path in self.stamped(folder):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def compiled_folder(self) -> str | None:
        """The folder of compiled modules to put before the sources, or None: not built, stale, or turned
        off with FIGURES_PURE_PYTHON=1 (to debug, trace or monkeypatch the sources)."""
        if os.environ.get("FIGURES_PURE_PYTHON") or not self.folder.is_dir():
            return None
        try:
            built = (self.folder / STAMP).read_text().strip()
        except OSError:
            return None
        if built != self.source_stamp():
            print(f"figures: stale compiled modules of the {self.what} (a source changed since the build); running "
                  "the sources. `make compiled` builds them again.", file=sys.stderr)
            return None
        return str(self.folder)

    def put_before_sources(self, package_path: list[str]) -> None:
        """Put the compiled folder, when usable, first on the package's ``__path__``: its modules then
        shadow their sources."""
        if (folder := self.compiled_folder()) is not None:
            package_path.insert(0, folder)


# lexicon.py finds its lexicons next to its own file; regex_programs.py keeps what `re` makes.
EXTRACTOR = CompiledModules("extractor", "pipelines.extraction", HERE / "extraction",
                            kept_as_source=frozenset({"__init__.py", "lexicon.py", "regex_programs.py"}))
# The rules decide every group of claims; the frames around them (reconciliation.py) are pandas calls.
RECONCILIATION_RULES = CompiledModules("reconciliation rules", "pipelines", HERE, compiled=("reconciliation_rules.py",),
                                       stamped=("reconciliation_rules.py", "reconciliation_policy.py"))
BUILDS = (EXTRACTOR, RECONCILIATION_RULES)
