"""The extractor's lexicon regexes, compiled when the extractor is built instead of in every process.

Python's ``re`` parses and compiles a pattern in Python code, and the matchers built from the lexicons
are large alternations: compiling them took about half a second in each process that extracts, longer
than `figures extract` then took to read an article. ``scripts/build_compiled.py`` warms the extractor
up and keeps the programs the engine was given in ``PROGRAMS`` (gitignored), keyed by pattern and flags;
``compile_regex()`` hands the engine a kept program, and compiles any other pattern as ``re.compile`` does.

A program depends on the pattern and the interpreter only: the file names the interpreter and the
engine's version, and is ignored under any other. An edited lexicon or source makes new patterns,
which miss and compile as usual; no pattern ever gets another's program. Each program was checked,
when kept, to equal what ``re.compile`` makes of its pattern.
"""

from __future__ import annotations

import contextlib
import importlib
import marshal
import os
import re
import sys
from array import array
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]

import _sre  # type: ignore[import-not-found]

PROGRAMS = Path(__file__).with_name("_regex_programs.marshal")
# The engine's instructions, stored as the machine words it reads.
_WORDS = "I"

Program = tuple[int, bytes, int, dict, tuple]

_asked: set[tuple[str, int]] = set()
_kept: dict[tuple[str, int], Program] | None = None


def interpreter() -> tuple:
    """What a program depends on besides its pattern."""
    return sys.version, _sre.MAGIC, _sre.CODESIZE, array(_WORDS).itemsize


def compile_regex(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the kept program when there is one."""
    flags = int(flags)
    _asked.add((pattern, flags))
    program = _programs().get((pattern, flags))
    if program is not None:
        with contextlib.suppress(TypeError, ValueError, RuntimeError):
            return _engine(pattern, program)
    return re.compile(pattern, flags)


def _programs() -> dict[tuple[str, int], Program]:
    global _kept
    if _kept is None:
        _kept = {}
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            made_by, programs = marshal.loads(PROGRAMS.read_bytes())
            if made_by == interpreter() and isinstance(programs, dict):
                _kept = programs
    return _kept


def _engine(pattern: str, program: Program) -> re.Pattern:
    flags, code, groups, groupindex, indexgroup = program
    words = array(_WORDS)
    words.frombytes(code)
    return _sre.compile(pattern, flags, words.tolist(), groups, groupindex, indexgroup)


def program_of(pattern: str, flags: int) -> Program:
    """What ``re``'s compiler hands the engine for ``pattern`` (as re._compiler.compile does)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, array(_WORDS, code).tobytes(), parsed.state.groups - 1, groupindex, tuple(indexgroup)


# A sentence in each language the extractor reads: extracting it builds every matcher of that language.
WARM_UP = {
    "en": "Acme delivered 1,200 cars in the second quarter of 2025, up 5% from a year earlier.",
    "fr": "Acme a livré 1 200 voitures au deuxième trimestre 2025, en hausse de 5 % sur un an.",
}


def warm_up() -> None:
    """Ask for every regex of the extractor: its modules' own (compiled when they are imported) and the
    matchers it builds from the lexicons for each language."""
    from . import extract_claims, extract_quantities

    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.stem != "__init__":
            importlib.import_module(f"{__package__}.{path.stem}")
    for language, sentence in WARM_UP.items():
        extract_claims(sentence, language, document="warm-up")
        extract_quantities(sentence, language)


def keep_asked(path: Path = PROGRAMS) -> tuple[int, int]:
    """Keep the programs of every pattern ``compile_regex()`` was asked for in this process, each checked
    against ``re.compile``; written whole, then renamed. Returns (kept, refused)."""
    programs: dict[tuple[str, int], Program] = {}
    refused = 0
    for pattern, flags in sorted(_asked):
        expected = re.compile(pattern, flags)
        try:
            program = program_of(pattern, flags)
            made = _engine(pattern, program)
        except (TypeError, ValueError, RuntimeError, re.error):
            refused += 1
            continue
        if made == expected and made.groupindex == expected.groupindex and made.groups == expected.groups:
            programs[(pattern, flags)] = program
        else:
            refused += 1
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(marshal.dumps((interpreter(), programs)))
    os.replace(temporary, path)
    return len(programs), refused
