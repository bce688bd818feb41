"""The compiled extractor and reconciliation rules (`make` builds them with mypyc) give what the sources
give, and are used only while they were built from the sources as they are.

Compiled code trusts the annotations: a value that does not match one raises where Python carries on,
or is read otherwise without an error. So the same texts go through both, in two processes, and every
claim must be the same, field by field; so must every row the same claims reconcile into."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys

import pytest

from pipelines import compiled_modules
from pipelines.compiled_modules import EXTRACTOR, RECONCILIATION_RULES, STAMP, CompiledModules
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


# The claims of generated articles (targets revised, figures that disagree) and of the demo's sources
# (copies, translations), reconciled in one process, every table's rows in a fixed order.
RECONCILE = """
import sys
import pandas as pd
sys.path.insert(0, "benchmarks")
from reconciliation import canonical, tables
from pipelines.reconciliation import reconcile_all, with_copies
import pipelines.reconciliation_rules as rules
print(rules.__file__.endswith(".py"))
for claims, documents in pd.read_pickle(sys.argv[1]):
    result = reconcile_all(claims, with_copies(claims, documents), parallel=False)
    for name, frame in tables(result).items():
        for row in canonical(frame).itertuples(index=False):
            print(name, repr(tuple(row)))
"""
RECONCILE_INPUT = """
import sys
from pathlib import Path
import pandas as pd
sys.path.insert(0, "benchmarks")
from reconciliation import from_folder, from_generated_articles
pd.to_pickle([from_generated_articles(600), from_folder(Path("sources"))], sys.argv[1])
"""


def _run(script: str, *args: str, pure: bool = False) -> list[str]:
    env = {**os.environ, "FIGURES_PURE_PYTHON": "1" if pure else ""}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "stale" not in done.stderr
    return done.stdout.splitlines()


def _same_in_both(modules: CompiledModules, script: str, *args: str, at_least: int) -> list[str]:
    """The lines ``script`` prints with the sources, checked to be those it prints with the compiled modules."""
    sources_ran, *pure = _run(script, *args, pure=True)
    compiled_ran, *compiled = _run(script, *args)
    assert sources_ran == "True" and compiled_ran == "False"  # each process ran what it was asked to
    assert len(pure) > at_least
    different = [(a, b) for a, b in zip(pure, compiled) if a != b]
    assert not different and len(pure) == len(compiled), different[:3]
    return pure


def _skip_unless_built(modules: CompiledModules) -> None:
    if modules.compiled_folder() is None:
        pytest.skip(f"no compiled modules of the {modules.what}, or stale ones (`make compiled` builds them; it "
                    "needs mypy and a C compiler): the sources run, there is nothing to compare")


def test_the_compiled_extractor_gives_the_claims_of_the_sources():
    _skip_unless_built(EXTRACTOR)
    _same_in_both(EXTRACTOR, DUMP, *GOLD, at_least=5000)


def test_the_compiled_reconciliation_rules_give_the_tables_of_the_sources(tmp_path):
    _skip_unless_built(RECONCILIATION_RULES)
    claims = tmp_path / "claims.pkl"
    _run(RECONCILE_INPUT, str(claims))
    rows = _same_in_both(RECONCILIATION_RULES, RECONCILE, str(claims), at_least=8000)
    # every table has rows to compare, conflicts and revised targets included
    assert {line.split(" ", 1)[0] for line in rows} == {"facts", "conflicts", "revisions", "timeline"}


def _moved(modules: CompiledModules, sources) -> CompiledModules:
    """The same set of modules, its sources (and build) in another folder."""
    moved = copy.copy(modules)
    moved.sources = sources
    return moved


def test_a_build_is_used_only_while_its_stamp_is_the_sources_hash(tmp_path, monkeypatch, capsys):
    package = tmp_path / "extraction"
    shutil.copytree(EXTRACTOR.sources, package, ignore=shutil.ignore_patterns("_compiled", "lexicons", "__pycache__"))
    modules = _moved(EXTRACTOR, package)
    (package / "_compiled").mkdir()
    (package / "_compiled" / STAMP).write_text(modules.source_stamp() + "\n")
    monkeypatch.delenv("FIGURES_PURE_PYTHON", raising=False)
    assert modules.compiled_folder() == str(package / "_compiled")
    # asked for the sources: they run, whatever is built
    monkeypatch.setenv("FIGURES_PURE_PYTHON", "1")
    assert modules.compiled_folder() is None
    monkeypatch.delenv("FIGURES_PURE_PYTHON")
    # a source edited after the build: the sources run, and the user is told how to rebuild
    model = package / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert modules.compiled_folder() is None
    assert "stale" in capsys.readouterr().err
    # no build at all: the sources, silently
    shutil.rmtree(package / "_compiled")
    assert modules.compiled_folder() is None
    assert capsys.readouterr().err == ""


def test_the_rules_build_goes_stale_with_the_policy_module_they_read(tmp_path, monkeypatch):
    """The rules are compiled alone, but they read the policy's fields as its module types them."""
    for name in RECONCILIATION_RULES.stamped():
        shutil.copy2(name, tmp_path / name.name)
    shutil.copy2(RECONCILIATION_RULES.sources / "duplicates.py", tmp_path / "duplicates.py")
    modules = _moved(RECONCILIATION_RULES, tmp_path)
    (tmp_path / "_compiled").mkdir()
    (tmp_path / "_compiled" / STAMP).write_text(modules.source_stamp() + "\n")
    monkeypatch.delenv("FIGURES_PURE_PYTHON", raising=False)
    assert modules.compiled_folder() == str(tmp_path / "_compiled")
    # a module the rules do not import: still the build
    (tmp_path / "duplicates.py").write_text("# edited\n", encoding="utf-8")
    assert modules.compiled_folder() == str(tmp_path / "_compiled")
    policy = tmp_path / "reconciliation_policy.py"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert modules.compiled_folder() is None


def test_every_build_is_known_to_the_build_script_and_to_git():
    """A set of compiled modules the build script knows, that `make clean` and .gitignore leave out."""
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for modules in compiled_modules.BUILDS:
        folder = modules.folder.relative_to(PROJECT_ROOT).as_posix()
        assert f"{folder}/" in ignored and folder in makefile
        for path in modules.stamped():  # an edited source builds them again
            source = path.relative_to(PROJECT_ROOT)
            assert source.as_posix() in makefile or f"{source.parent.as_posix()}/*.py" in makefile, source
        assert all((modules.sources / name).is_file() for name in modules.compiled())
