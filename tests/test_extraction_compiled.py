"""The compiled extractor (`make` builds it with mypyc) gives the claims the sources give, and is used
only while it was built from the sources as they are.

Compiled code trusts the annotations: a value that does not match one raises where Python carries on,
or is read otherwise without an error. So the same texts go through both, in two processes, and every
claim must be the same, field by field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from pipelines.extraction import _compiled
from pipelines.settings import PROJECT_ROOT

# Every gold set, then generated articles of results-release density in both languages (tables, spelled
# numbers, ranges): the texts of the extractor's rules, with and without a publication date.
DUMP = """
import datetime, json, random, sys
sys.path.insert(0, "benchmarks")
import corpus
from gold_scoring import load_gold
from pipelines.extraction import extract_claims
import pipelines.extraction.claims as claims
texts = [(d["id"], d["text"], d["language"]) for folder in sys.argv[1:] for d in load_gold(folder)]
rng = random.Random(3)
texts += [(f"generated-{i}", corpus.article(rng, lang), lang) for i, lang in enumerate(["fr", "en"] * 60)]
print(claims.__file__.endswith(".py"))
for document, text, language in texts:
    for published in (None, datetime.date(2025, 7, 15)):
        for claim in extract_claims(text, language, document=document, published=published):
            print(json.dumps(claim.as_dict(), ensure_ascii=False, sort_keys=True, default=str))
"""
GOLD = [str(PROJECT_ROOT / "benchmarks" / "gold" / name) for name in ("", "batch2", "batch3", "batch4", "batch5", "heldout")]


def _claims(pure: bool) -> tuple[bool, list[str]]:
    env = {**os.environ, "FIGURES_PURE_PYTHON": "1" if pure else ""}
    done = subprocess.run([sys.executable, "-c", DUMP, *GOLD], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    first, *lines = done.stdout.splitlines()
    return first == "True", lines


def test_the_compiled_extractor_gives_the_claims_of_the_sources():
    if _compiled.compiled_folder() is None:
        pytest.skip("the compiled extractor is not built or is stale (`make compiled` builds it; it needs mypy and "
                    "a C compiler): the sources run, there is nothing to compare")
    sources_ran, pure = _claims(pure=True)
    compiled_ran, compiled = _claims(pure=False)
    assert sources_ran and not compiled_ran  # each process ran what it was asked to
    assert len(pure) > 5000
    different = [(a, b) for a, b in zip(pure, compiled) if a != b]
    assert not different and len(pure) == len(compiled), different[:3]


def test_a_build_is_used_only_while_its_stamp_is_the_sources_hash(tmp_path, monkeypatch, capsys):
    package = tmp_path / "extraction"
    shutil.copytree(_compiled.HERE, package, ignore=shutil.ignore_patterns("_compiled", "lexicons", "__pycache__"))
    (package / "_compiled").mkdir()
    (package / "_compiled" / _compiled.STAMP).write_text(_compiled.source_stamp(package) + "\n")
    monkeypatch.setattr(_compiled, "HERE", package)
    monkeypatch.setattr(_compiled, "FOLDER", package / "_compiled")
    monkeypatch.delenv("FIGURES_PURE_PYTHON", raising=False)
    assert _compiled.compiled_folder() == str(package / "_compiled")
    # asked for the sources: they run, whatever is built
    monkeypatch.setenv("FIGURES_PURE_PYTHON", "1")
    assert _compiled.compiled_folder() is None
    monkeypatch.delenv("FIGURES_PURE_PYTHON")
    # a source edited after the build: the sources run, and the user is told how to rebuild
    model = package / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _compiled.compiled_folder() is None
    assert "stale" in capsys.readouterr().err
    # no build at all: the sources, silently
    shutil.rmtree(package / "_compiled")
    assert _compiled.compiled_folder() is None
    assert capsys.readouterr().err == ""
