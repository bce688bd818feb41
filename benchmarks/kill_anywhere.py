"""Whether a run killed at any moment leaves a whole warehouse, and the next run the tables of a run
never killed.

    python benchmarks/kill_anywhere.py [--articles 60] [--moments 12] [--keep DIR]

A warehouse is built from half of a folder of generated articles (benchmarks/convergence.py's, with
copies); then the other half arrives, a few files change and one is deleted, and `figures run` brings the
warehouse up to date: timed once, uninterrupted. Then, at each of `--moments` moments spread over that
run's time, the same run starts from a copy of the half-built warehouse and instance and is killed there
with SIGKILL, its workers with it (as an out-of-memory kill or a lost machine would). After each kill it
checks the published file: absent or whole (it opens; no claim without its document, no fact whose chosen
claim is gone, no conflict without its fact). Then it runs `figures run` again and compares every table
with the uninterrupted run's (the times that say when a run happened left out, as convergence.py does).
Prints one line per moment; exits 1 if any moment left a broken file or different tables.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convergence  # noqa: E402
import pipeline  # noqa: E402

WHOLE = """SELECT (SELECT count(*) FROM claims WHERE document_id NOT IN (SELECT document_id FROM documents)),
                  (SELECT count(*) FROM facts WHERE chosen_claim_id NOT IN (SELECT claim_id FROM claims)),
                  (SELECT count(*) FROM conflicts WHERE fact_id NOT IN (SELECT fact_id FROM facts))"""


def run(env: dict) -> None:
    done = subprocess.run([str(pipeline.FIGURES), "run"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"figures run failed:\n{done.stdout}{done.stderr}")


def copy_state(base: Path, source: str, target: str) -> None:
    """The warehouse files and the instance of ``source`` as those of ``target`` (run_env's layout)."""
    shutil.copytree(base / f"{source}-home", base / f"{target}-home")
    for suffix in (".duckdb", ".writer.duckdb"):
        if (base / f"{source}{suffix}").exists():
            shutil.copy(base / f"{source}{suffix}", base / f"{target}{suffix}")


def after_kill(database: Path) -> str:
    """What a kill left analysts: no published file yet, or one that opens and holds no orphan."""
    if not database.exists():
        return "absent"
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            orphans = con.execute(WHOLE).fetchone()
    except duckdb.Error as error:
        return f"UNREADABLE ({error})"
    return "whole" if orphans == (0, 0, 0) else f"BROKEN (orphan claims, facts, conflicts: {orphans})"


def killed_at(moment: float, env: dict) -> bool:
    """Start a run, kill it and its workers ``moment`` seconds later; whether it was still going."""
    process = subprocess.Popen([str(pipeline.FIGURES), "run"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(moment)
    going = process.poll() is None
    if going:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return going


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--moments", type=int, default=12)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="kill-anywhere-"))
    base.mkdir(parents=True, exist_ok=True)

    files = convergence.generated_files(args.articles, seed=5)
    names = sorted(files)
    first, later = names[::2], names[1::2]
    folder = base / "articles"
    folder.mkdir()
    for name in first:
        (folder / name).write_text(files[name], encoding="utf-8")
    run(pipeline.run_env(base, "start", folder))
    for name in later:
        (folder / name).write_text(files[name], encoding="utf-8")
    for name in first[:3]:
        (folder / name).write_text(files[name] + "\n\nUpdated with the company's statement.", encoding="utf-8")
    (folder / first[3]).unlink()

    copy_state(base, "start", "clean")
    started = time.perf_counter()
    run(pipeline.run_env(base, "clean", folder))
    seconds = time.perf_counter() - started
    clean = convergence.tables(base / "clean.duckdb")
    print(f"{len(first)} articles built, then {len(later)} added, 3 changed and 1 deleted: one run of {seconds:.1f} s")

    bad = 0
    for k in range(args.moments):
        moment = seconds * (k + 0.5) / args.moments
        name = f"killed-{k:02d}"
        copy_state(base, "start", name)
        env = pipeline.run_env(base, name, folder)
        going = killed_at(moment, env)
        left = after_kill(base / f"{name}.duckdb")
        run(env)
        differing = sum(len(only_killed) + len(only_clean) for only_killed, only_clean in
                        convergence.differing_rows(convergence.tables(base / f"{name}.duckdb"), clean).values())
        same = differing == 0
        bad += not same or left not in ("absent", "whole")
        print(f"  killed at {moment:5.1f} s{'' if going else ' (already done)'}: left {left}; "
              f"run again: {'the same tables' if same else f'{differing} rows differ'}")
    print(f"{args.moments} moments, {bad} with a broken file or different tables (goal: 0)")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
