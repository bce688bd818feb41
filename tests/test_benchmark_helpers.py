"""The helpers of the benchmark scripts: the spec-case comparison, the corpus generator, how the
pipeline benchmark reads a run's steps, and what the convergence benchmark writes and compares."""

import importlib.util
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


specs = _load("peer_specs")
corpus = _load("corpus")


def q(start, end, value, unit=None, upper=None, text="x"):
    return SimpleNamespace(start=start, end=end, value=value, unit=unit, upper=upper, text=text)


def exp(start, end, value, unit=None, iso=None, text="x"):
    return {"start": start, "end": end, "value": value, "unit": unit, "iso": iso, "text": text}


def passes(model, expected, quantities):
    found = [f for x in quantities for f in specs.from_quantity(x)]
    return specs.case_passes(expected, specs.visible_to(model, found))


@pytest.mark.parametrize("model, expected, ours, ok", [
    # bare numbers need the exact span and value
    ("NumberModel", [exp(0, 9, 1234567.0)], [q(0, 9, 1234567.0)], True),
    ("NumberModel", [exp(0, 9, 1234567.0)], [q(0, 8, 1234567.0)], False),
    ("NumberModel", [exp(0, 3, 4.8)], [q(0, 3, 4.8 + 1e-6)], False),
    ("NumberModel", [exp(0, 3, 1 / 3)], [q(0, 3, 0.333333333333333)], True),  # relative tolerance 1e-9
    # same count: an extra quantity fails the case, so does a missing one
    ("NumberModel", [exp(0, 1, 1.0)], [q(0, 1, 1.0), q(4, 5, 2.0)], False),
    ("NumberModel", [exp(0, 1, 1.0), exp(4, 5, 2.0)], [q(4, 5, 2.0)], False),
    # a unit-bearing quantity contains the peer's number-only span ("$20" vs "20")
    ("NumberModel", [exp(1, 3, 20.0)], [q(0, 3, 20.0, "USD")], True),
    ("NumberModel", [exp(1, 3, 20.0)], [q(0, 3, 20.0)], False),
    # percent model: only our % quantities count, value in percent
    ("PercentModel", [exp(0, 6, 26.4)], [q(0, 6, 26.4, "%"), q(10, 14, 2025.0)], True),
    ("PercentModel", [exp(0, 6, 26.4)], [q(0, 6, 26.4)], False),
    ("PercentModel", [], [q(30, 32, 30.0)], True),
    # currency: ISO compared when given, value and span only otherwise
    ("CurrencyModel", [exp(0, 7, 10.0, iso="USD")], [q(0, 7, 10.0, "USD")], True),
    ("CurrencyModel", [exp(0, 7, 10.0, iso="USD")], [q(0, 7, 10.0, "CAD")], False),
    ("CurrencyModel", [exp(0, 4, 98.0, unit="Dollar")], [q(0, 4, 98.0, "CAD")], True),
    ("CurrencyModel", [exp(3, 7, 98.0, unit="Dollar")], [q(0, 7, 98.0, "USD")], False),  # span exact here
    ("CurrencyModel", [exp(0, 8, 34.0, unit="Cent")], [q(0, 8, 0.34, "USD")], True),  # sub-unit
    ("CurrencyModel", [exp(0, 6, None, unit="Dollar")], [], False),  # a name without an amount
    ("CurrencyModel", [exp(5, 9, 8.0)], [q(5, 9, 8.0, "%"), q(0, 3, 20.0)], False),
    # a sign from a direction word outside the figure is not part of the figure as written
    ("CurrencyModel", [exp(0, 7, 5000.0)], [q(0, 7, -5000.0, "USD", text="$ 5,000")], True),
    ("NumberModel", [exp(0, 2, -1.0)], [q(0, 2, -1.0, text="-1")], True),
    ("NumberModel", [exp(0, 2, -1.0)], [q(0, 2, 1.0, text="-1")], False),
    # a range stands for its two bounds
    ("PercentModel", [exp(0, 4, 10.0), exp(8, 12, 12.0)], [q(0, 12, 10.0, "%", upper=12.0)], True),
])
def test_case_comparison(model, expected, ours, ok):
    assert passes(model, expected, ours) is ok


def test_pairing_finds_a_full_matching_when_greedy_would_not():
    # the wide quantity could take either expectation; only one assignment pairs both
    expected = [exp(0, 2, 5.0), exp(0, 4, 5.0)]
    found = [specs.Found(0, 4, 5.0, "USD", "money", True), specs.Found(0, 4, 5.0)]
    assert specs.case_passes(expected, found)


def test_diagnose_names_the_failure():
    found = [specs.Found(0, 3, 7.0), specs.Found(10, 12, 1.0)]
    assert sorted(specs.diagnose([exp(0, 4, 7.0), exp(20, 22, 3.0)], found)) == ["missed", "span", "spurious"]


def test_repair_shortens_spans_longer_than_their_text():
    row = {"input": "0,08", "expected": [exp(0, 5, 0.08, text="0,08")]}
    assert specs.repair_spans(row) == 1 and row["expected"][0]["end"] == 4
    row = {"input": "40 000", "expected": [exp(0, 6, 4e4, text="40 000")]}
    assert specs.repair_spans(row) == 0


def test_peer_values_parse_both_decimal_marks():
    assert specs.peer_value("26,4%", "fr") == 26.4
    assert specs.peer_value("1.232E+15", "en") == 1.232e15
    assert specs.peer_value(None, "en") is None


def test_quantulum_scope_keeps_money_and_percent_only():
    row = {"expected": [{"unit": "percentage"}, {"unit": "dimensionless"}]}
    assert specs.q3_in_scope(row) == [{"unit": "percentage"}]
    assert specs.q3_in_scope({"expected": [{"unit": "dollar per hour"}]}) is None
    assert specs.q3_in_scope({"expected": [{"unit": "metre"}]}) is None


def test_corpus_is_deterministic_and_uses_every_format():
    first = list(corpus.generate(0.2, seed=3))
    assert first == list(corpus.generate(0.2, seed=3))
    assert first != list(corpus.generate(0.2, seed=4))
    assert sum(len(t.encode()) for _, _, t in first) >= 200_000
    text = "\n".join(t for _, _, t in first)
    for piece in ("\u00a0", "\u202f", " %", "%", "$", "€", "milliards", "billion", "| --- |", "points"):
        assert piece in text, piece
    assert {lang for _, lang, _ in first} == {"fr", "en"}


def test_the_pipeline_benchmark_lists_a_runs_steps_from_its_event_log(tmp_path, capsys):
    from tests.test_runs import environment, finish, make_folder, start

    pipeline = _load("pipeline")
    env = environment(tmp_path / "home", make_folder(tmp_path / "articles"), tmp_path / "w.duckdb")
    before = dict(os.environ)
    started = time.perf_counter()
    finish(start(env))
    took = time.perf_counter() - started

    run_seconds, steps = pipeline.last_run_steps(env)
    assert [step for step, _ in steps] == ["read_and_extract", "validate", "load_documents",
                                           "document_table_checks", "warehouse_fact_tables", "fact_table_checks"]
    assert all(seconds > 0 for _, seconds in steps)
    assert sum(seconds for _, seconds in steps) <= run_seconds < took
    assert dict(os.environ) == before  # the instance was read with the run's environment, then put back

    pipeline.print_steps("after", env, took)
    printed = capsys.readouterr().out
    assert printed.startswith("  [after]   its steps: read_and_extract ") and "its process around the run" in printed


# A command that works on the CPU itself for a while, and in a spawned worker for longer.
BUSY = """
import multiprocessing, time

def busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    time.sleep(0.4)  # so that its last CPU seconds are sampled before it ends

if __name__ == "__main__":
    worker = multiprocessing.get_context("spawn").Process(target=busy, args=(1.0,))
    worker.start()
    busy(0.5)
    time.sleep(1.5)  # the worker ends meanwhile and waits to be reaped: its command line reads empty then
    worker.join()
"""


def test_the_pipeline_benchmark_tells_whose_cpu_time_a_run_used(tmp_path):
    pipeline = _load("pipeline")
    script = tmp_path / "busy.py"
    script.write_text(BUSY)
    seconds, peak, code, cpu, by_kind, usage = pipeline.timed([sys.executable, str(script)], dict(os.environ), tmp_path / "busy.log")
    assert code == 0 and peak > 0
    assert 0.4 <= by_kind["its own process"] < 0.9
    assert 0.9 <= by_kind["spawned workers (copies, reconciling)"] < 1.4
    assert sum(by_kind.values()) <= cpu + 0.1  # sampled: what was last seen of each process, never more than it used
    # Over time: the tree's CPU so far, which only grows, up to what the processes were last seen with.
    assert [used for _, used in usage] == sorted(used for _, used in usage)
    assert usage[-1][1] == pytest.approx(sum(by_kind.values())) and usage[-1][0] - usage[0][0] <= seconds + 0.1


def test_the_pipeline_benchmark_tells_how_many_cores_each_phase_of_a_run_kept_busy(capsys):
    pipeline = _load("pipeline")
    # CPU seconds used so far, sampled at these times: half a core for a second, both cores for the next,
    # half a core for the third, nothing for the last.
    usage = [(100.0, 0.0), (101.0, 0.5), (102.0, 2.5), (103.0, 3.0), (104.0, 3.0)]
    phases = pipeline.core_use(usage, [("read", 101.0, 102.0), ("load", 102.5, 103.0)], cores=2)
    assert [(name, round(seconds, 2), round(busy, 2)) for name, seconds, busy in phases] == [
        ("start", 1.0, 0.5), ("read", 1.0, 2.0), ("load", 0.5, 0.5), ("between steps", 0.5, 0.5), ("end", 1.0, 0.0)]

    pipeline.print_core_use("after", phases, 2)
    busy, idle = capsys.readouterr().out.splitlines()
    assert busy == "  [after]   cores kept busy (of 2): start 0.5, read 2.0, load 0.5, between steps 0.5, end 0.0"
    assert idle == "  [after]   core-seconds idle   5.0: end 2.0, start 1.5, load 0.8, between steps 0.8"


def test_the_pipeline_benchmark_runs_each_version_in_turn_after_each_added_article_first_one_then_the_other(
        tmp_path, capsys):
    pipeline = _load("pipeline")
    folder, calls = tmp_path / "articles", tmp_path / "calls.txt"
    folder.mkdir()

    def command(name: str) -> list[str]:
        """A run that writes down its version and how many articles the folder holds."""
        return [sys.executable, "-c", f"import pathlib; n = len(list(pathlib.Path({str(folder)!r}).iterdir())); "
                f"pathlib.Path({str(calls)!r}).open('a').write('{name} ' + str(n) + '\\n')"]

    commands = {"after": command("after"), "before": command("before")}
    envs = {name: dict(os.environ) for name in commands}
    added = pipeline.one_by_one(folder, 10, range(3), commands, envs, tmp_path, "one", "one article added",
                                {"after": 100.0, "before": 200.0}, steps=False)

    assert calls.read_text().split("\n")[:-1] == ["after 1", "before 1", "before 2", "after 2", "after 3", "before 3"]
    assert len(added) == 3 and all(path.parent == folder for path in added)
    printed = capsys.readouterr().out.splitlines()
    assert [line.split("]")[0] for line in printed] == ["  [after", "  [after", "  [before", "  [before"]
    assert "median of 3 runs, each adding an article" in printed[1] and "% of the full build" in printed[2]


def test_each_full_build_of_the_pipeline_benchmark_starts_from_an_empty_warehouse_and_instance(tmp_path):
    pipeline = _load("pipeline")
    folder = tmp_path / "articles"
    first = pipeline.fresh_run_env(tmp_path, "after-10", folder)
    home = Path(first["DAGSTER_HOME"])
    for leftover in (tmp_path / "after-10.duckdb", tmp_path / "after-10.writer.duckdb", tmp_path / "after-10.duckdb.lock",
                     home / "storage" / "runs.db"):
        leftover.write_text("an earlier build")
    other = tmp_path / "after-100.duckdb"
    other.write_text("another size's build")

    again = pipeline.fresh_run_env(tmp_path, "after-10", folder)

    assert again == first
    assert sorted(p.name for p in home.rglob("*")) == ["dagster.yaml", "storage"]
    assert not list(tmp_path.glob("after-10.*duckdb*")) and other.exists()


def test_the_convergence_benchmark_counts_rows_as_multisets_and_writes_readable_front_matter(tmp_path):
    import json

    from pipelines.documents import read_document

    convergence = _load("convergence")
    assert convergence._missing(["a", "a", "b"], ["a", "b", "c"]) == ["a"]
    assert convergence._missing(["a", "b"], ["b", "a"]) == []
    row = {"id": "rw-fr-001", "language": "fr", "text": "NIO a livré 72 056 véhicules.", "published": "2025-07-01",
           "publisher": "Le Monde", "url": "https://example.org/a", "claims": []}
    (tmp_path / "set.jsonl").write_text(json.dumps(row) + "\n" + json.dumps({**row, "id": "rw-fr-002"}) + "\n", encoding="utf-8")
    files = convergence.realworld_files(tmp_path)
    assert sorted(files) == ["rw-fr-001.md", "rw-fr-002.txt"]  # every other one plain, undated
    (tmp_path / "rw-fr-001.md").write_text(files["rw-fr-001.md"], encoding="utf-8")
    doc = read_document(tmp_path / "rw-fr-001.md", tmp_path)
    assert (doc.language, str(doc.published), doc.publisher, doc.text.strip()) == ("fr", "2025-07-01", "Le Monde", row["text"])
