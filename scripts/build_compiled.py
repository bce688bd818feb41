"""Compiles the modules of pipelines/compiled_modules.py with mypyc, each set into its package's _compiled/:
the extractor (pipelines/extraction) and the reconciliation rules (pipelines/reconciliation_rules.py).

Optional: without mypy (mypyc), or if a compile fails, nothing changes and the sources run as they are. A
package imports its compiled modules only while their STAMP is the hash of its current sources, so an
edited source never runs stale compiled code.

It also keeps the programs of the extractor's regexes (pipelines/extraction/regex_programs.py), so that
a process that extracts does not compile them again; this needs no compiler.

    python scripts/build_compiled.py          # build (or say what is up to date)
    python scripts/build_compiled.py --clean  # remove the compiled modules and regex programs
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


def _alone(path: Path):
    """A module of the project read alone, not through its package (whose import would load the modules
    it describes)."""
    spec = importlib.util.spec_from_file_location(f"_alone_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


compiled_modules = _alone(ROOT / "pipelines" / "compiled_modules.py")
STAMP = compiled_modules.STAMP
REGEX_PROGRAMS = _alone(ROOT / "pipelines" / "extraction" / "regex_programs.py").PROGRAMS

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
group, *paths = sys.argv[1:]
sys.argv = [sys.argv[0], "build_ext", "--inplace"]
setup(name="figures-compiled", ext_modules=mypycify(paths, group_name=group, opt_level="3"))
"""


def values_typed_none(package: str, files: list[Path]) -> list[str]:
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
    sources = [BuildSource(str(p), package + ("" if p.stem == "__init__" else "." + p.stem)) for p in files]
    result = mypy_build.build(sources, options)
    texts = {p: p.read_text().split("\n") for p in files}
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


def build(modules) -> int:
    """Compile one set of modules (a compiled_modules.CompiledModules) into its _compiled/ folder."""
    with tempfile.TemporaryDirectory(prefix="figures-mypyc-") as tmp:
        work = Path(tmp)
        names = modules.package.split(".")
        package = work.joinpath(*names)
        package.mkdir(parents=True)
        for depth in range(1, len(names) + 1):  # every package on the way, empty unless its own is copied
            (work.joinpath(*names[:depth]) / "__init__.py").touch()
        for path in modules.stamped():
            shutil.copy2(path, package / path.name)
        stamp = modules.source_stamp(package)  # of the copies compiled, whatever happens to the sources meanwhile
        if (modules.folder / STAMP).is_file() and (modules.folder / STAMP).read_text().strip() == stamp:
            print(f"{modules.what}: the compiled modules are up to date")
            return 0
        if typed_none := values_typed_none(modules.package, sorted(package.glob("*.py"))):
            print("mypyc would read these as None whatever they hold; annotate them:\n  " + "\n  ".join(typed_none))
            print(f"{modules.what}: the sources run as they are.")
            return 1
        relative = package.relative_to(work).as_posix()
        compiled = [f"{relative}/{name}" for name in modules.compiled(package)]
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", SETUP, modules.group, *compiled, *MYPY_FLAGS], cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            print(done.stdout[-4000:])
            print(f"mypyc failed on the {modules.what}: the sources run as they are.")
            return 1
        built = modules.folder.with_name("_compiled.new")
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir()
        for library in package.glob("*.so"):
            shutil.copy2(library, built / library.name)
        (built / STAMP).write_text(stamp + "\n")
        shutil.rmtree(modules.folder, ignore_errors=True)
        built.rename(modules.folder)
    print(f"compiled {len(compiled)} module(s) of the {modules.what} in {time.monotonic() - started:.0f} s")
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
    for modules in compiled_modules.BUILDS:
        shutil.rmtree(modules.folder, ignore_errors=True)
    REGEX_PROGRAMS.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    if "--clean" in sys.argv[1:]:
        sys.exit(clean())
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("mypyc is not installed (pip install mypy): the extractor and the reconciliation rules run as pure Python.")
        status = 0
    else:
        status = max(build(modules) for modules in compiled_modules.BUILDS)
    try:
        keep_regex_programs()
    except Exception as error:  # noqa: BLE001 - the regexes then compile in each process, as before
        print(f"the extractor's regex programs were not kept ({type(error).__name__}: {error}): each process compiles them")
    sys.exit(status)
