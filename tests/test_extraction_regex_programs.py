"""The extractor's regexes: the same in every process, and compiled once when the extractor is built
(pipelines/extraction/regex_programs.py), giving exactly the regexes ``re.compile`` gives."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys

import pytest

from pipelines.extraction import regex_programs
from pipelines.extraction.lexicon import phrase_regex
from pipelines.settings import PROJECT_ROOT

# The regexes the build keeps: those the warm-up asks for.
ASKED = """
import json
from pipelines.extraction import regex_programs
regex_programs.warm_up()
print(json.dumps(sorted(regex_programs._asked)))
"""


def _asked_in_a_process(hash_seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", ASKED], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_every_process_builds_the_same_regexes_from_the_lexicons():
    # Words of equal length once came in the order of a set, which changes with the process's hash seed:
    # the same lexicon made other alternations in each process (and no kept program could match them).
    first, second = _asked_in_a_process("1"), _asked_in_a_process("2")
    assert len(first) > 300
    assert first == second


@pytest.fixture
def programs_at(tmp_path, monkeypatch):
    """regex_programs reading its programs from a file of the test's, read again at the next regex."""
    path = tmp_path / "programs.marshal"
    monkeypatch.setattr(regex_programs, "PROGRAMS", path)
    monkeypatch.setattr(regex_programs, "_kept", None)
    monkeypatch.setattr(regex_programs, "_asked", set())
    return path


SAMPLES = [(r"(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>%|bn|mn)", 0), (r"(?<!\w)livr\w+", re.IGNORECASE),
           (r"^\s*(?:Q|T)(?P<n>[1-4])\s*$", re.IGNORECASE | re.MULTILINE)]


def _ask_samples() -> list[tuple[str, int]]:
    asked = [(phrase_regex(["gross margin", "gross profit", "marge brute", "the _ group"]).pattern, 0)]
    for pattern, flags in SAMPLES:
        regex_programs.compile_regex(pattern, flags)
    return asked + [(pattern, int(flags)) for pattern, flags in SAMPLES]


def test_a_kept_program_makes_the_regex_re_compile_makes_without_compiling_it(programs_at, monkeypatch):
    asked = _ask_samples()
    assert regex_programs.keep_asked(programs_at) == (len(regex_programs._asked), 0)
    monkeypatch.setattr(regex_programs, "_kept", None)
    expected = {key: re.compile(*key) for key in asked}
    real_compile = re.compile
    monkeypatch.setattr(re, "compile", lambda *a, **k: pytest.fail("compiled again instead of read from the kept programs"))
    for key, regex in expected.items():
        made = regex_programs.compile_regex(*key)
        assert made == regex and made.groupindex == regex.groupindex and made.groups == regex.groups
    monkeypatch.setattr(re, "compile", real_compile)
    made = regex_programs.compile_regex(r"(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>%|bn|mn)")
    assert made.match("26.4 %").group("value", "unit") == ("26.4", "%")


def test_programs_of_another_interpreter_or_a_damaged_file_are_not_used(programs_at, monkeypatch):
    asked = _ask_samples()
    regex_programs.keep_asked(programs_at)
    made_by, programs = marshal.loads(programs_at.read_bytes())
    compiled: list = []
    real_compile = re.compile

    def counted(pattern, flags=0):
        compiled.append(pattern)
        return real_compile(pattern, flags)

    for content in (marshal.dumps((("another interpreter",) + made_by[1:], programs)), b"\x00damaged", b""):
        programs_at.write_bytes(content)
        monkeypatch.setattr(regex_programs, "_kept", None)
        monkeypatch.setattr(re, "compile", counted)
        made = [regex_programs.compile_regex(*key) for key in asked]
        monkeypatch.setattr(re, "compile", real_compile)
        assert made == [re.compile(*key) for key in asked]
        assert compiled[-len(asked):] == [pattern for pattern, _ in asked]


def test_the_programs_kept_by_the_build_are_those_re_compile_makes():
    if not regex_programs.PROGRAMS.exists():
        pytest.skip("the extractor's regex programs are not kept (`make compiled` keeps them): every process compiles")
    made_by, programs = marshal.loads(regex_programs.PROGRAMS.read_bytes())
    if made_by != regex_programs.interpreter():
        pytest.skip("the regex programs were kept by another interpreter: they are not used")
    assert len(programs) > 300
    for (pattern, flags), program in programs.items():
        assert regex_programs._engine(pattern, program) == re.compile(pattern, flags), pattern[:200]
