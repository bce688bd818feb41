"""Compiles the extractor (pipelines/extraction) with mypyc into pipelines/extraction/_compiled/.

Optional: without mypy (mypyc), or if the compile fails, nothing changes and the sources run as they
are. The package imports the compiled modules only while their STAMP is the hash of the current sources
(pipelines/extraction/_compiled.py), so an edited source never runs stale compiled code.

It also keeps the programs of the extractor's regexes (pipelines/extraction/regex_programs.py), so that
a process that extracts does not compile them again; this needs no compiler.

    python scripts/build_extractor.py          # build (or say it is up to date)
    python scripts/build_extractor.py --clean  # remove the compiled modules and regex programs
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _alone(name: str):
    """A module of the extractor read alone, not through the package (whose import would load the
    extractor itself)."""
    spec = importlib.util.spec_from_file_location(f"_extractor_{name}", ROOT / "pipelines" / "extraction" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_compiled = _alone("_compiled")
FOLDER, NOT_COMPILED, STAMP, source_stamp = _compiled.FOLDER, _compiled.NOT_COMPILED, _compiled.STAMP, _compiled.source_stamp
REGEX_PROGRAMS = _alone("regex_programs").PROGRAMS

# mypyc needs a module to type-check. These checks find what mypyc compiles as a generic operation
# (an attribute, index or operator on an Optional or untyped value), which runs as in Python; the ones
# that would make mypyc insert a check that can fail where Python would not (arg-type, assignment,
# return-value) stay on and are fixed or checked one by one in the sources.
MYPY_FLAGS = ["--ignore-missing-imports"] + [
    f"--disable-error-code={code}" for code in ("union-attr", "index", "operator", "attr-defined", "call-overload", "misc")
]

SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
paths = sys.argv[1:]
sys.argv = [sys.argv[0], "build_ext", "--inplace"]
setup(name="figures-extractor-compiled", ext_modules=mypycify(paths, group_name="pipelines.extraction._native", opt_level="3"))
"""


def values_typed_none(work: Path) -> list[str]:
    """The expressions of the copied sources that mypy types as exactly None but that are not None as
    written (an item of ``{name: None for ...}`` later holding strings): mypyc compiles them as None,
    whatever they hold at run time, and its code then differs from the source without an error."""
    from mypy import build as mypy_build
    from mypy.modulefinder import BuildSource
    from mypy.nodes import CallExpr, IndexExpr, MemberExpr, NameExpr
    from mypy.options import Options
    from mypy.types import NoneType, get_proper_type

    options = Options()
    options.ignore_missing_imports, options.export_types, options.incremental = True, True, False
    options.cache_dir = os.devnull
    package = work / "pipelines" / "extraction"
    sources = [BuildSource(str(p), "pipelines.extraction" + ("" if p.stem == "__init__" else "." + p.stem))
               for p in package.glob("*.py")]
    result = mypy_build.build(sources, options)
    texts = {p: p.read_text().split("\n") for p in package.glob("*.py")}
    found = []
    for expr, typ in result.types.items():
        if not isinstance(get_proper_type(typ), NoneType) or isinstance(expr, CallExpr):
            continue
        node = expr.base if isinstance(expr, IndexExpr) else expr
        name = node.name if isinstance(node, (NameExpr, MemberExpr)) else None
        if name is None or name in ("None", "__hash__"):
            continue
        for path, lines in texts.items():
            # Types are not kept by file: the expression is ours if its name is written where it stands.
            written = lines[expr.line - 1][expr.column:] if 0 < expr.line <= len(lines) else ""
            if written.startswith(name) or isinstance(node, MemberExpr) and written.split(".", 1)[-1].startswith(name):
                found.append(f"{path.name}:{expr.line}: {lines[expr.line - 1].strip()}")
    return sorted(set(found))


def build() -> int:
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("mypyc is not installed (pip install mypy): the extractor runs as pure Python.")
        return 0
    sources = ROOT / "pipelines" / "extraction"
    with tempfile.TemporaryDirectory(prefix="figures-mypyc-") as tmp:
        work = Path(tmp)
        package = work / "pipelines" / "extraction"
        package.mkdir(parents=True)
        (work / "pipelines" / "__init__.py").write_text("")
        for path in sources.glob("*.py"):
            shutil.copy2(path, package / path.name)
        stamp = source_stamp(package)  # of the copies compiled, whatever happens to the sources meanwhile
        if (FOLDER / STAMP).is_file() and (FOLDER / STAMP).read_text().strip() == stamp:
            print("compiled extractor is up to date")
            return 0
        if typed_none := values_typed_none(work):
            print("mypyc would read these as None whatever they hold; annotate them:\n  " + "\n  ".join(typed_none))
            print("the extractor runs as pure Python.")
            return 1
        compiled = sorted(f"pipelines/extraction/{p.name}" for p in package.glob("*.py") if p.name not in NOT_COMPILED)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", SETUP, *compiled, *MYPY_FLAGS], cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            print(done.stdout[-4000:])
            print("mypyc failed: the extractor runs as pure Python.")
            return 1
        built = FOLDER.with_name("_compiled.new")
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir()
        for library in package.glob("*.so"):
            shutil.copy2(library, built / library.name)
        (built / STAMP).write_text(stamp + "\n")
        shutil.rmtree(FOLDER, ignore_errors=True)
        built.rename(FOLDER)
    print(f"compiled {len(compiled)} extractor modules in {time.monotonic() - started:.0f} s")
    return 0


def keep_regex_programs() -> None:
    """Compile the extractor's regexes once for every process that extracts (regex_programs.py)."""
    sys.path.insert(0, str(ROOT))
    from pipelines.extraction import regex_programs

    regex_programs.warm_up()
    # Each program is made again from its pattern, whatever this process read from an earlier file.
    kept, refused = regex_programs.keep_asked(REGEX_PROGRAMS)
    print(f"kept the programs of {kept} extractor regexes" + (f" ({refused} differed from re.compile's, left out)" if refused else ""))


def clean() -> int:
    shutil.rmtree(FOLDER, ignore_errors=True)
    REGEX_PROGRAMS.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    if "--clean" in sys.argv[1:]:
        sys.exit(clean())
    status = build()
    try:
        keep_regex_programs()
    except Exception as error:  # noqa: BLE001 - the regexes then compile in each process, as before
        print(f"the extractor's regex programs were not kept ({type(error).__name__}: {error}): each process compiles them")
    sys.exit(status)
