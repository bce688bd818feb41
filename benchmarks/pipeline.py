"""How a whole run scales: a folder of generated news-sized articles (about 4 KB each), built from raw
files to warehouse, then one article added.

    python benchmarks/pipeline.py [--sizes 1000 10000] [--one-runs 3] [--builds 3] [--before /path/to/other/checkout/.venv/bin/figures]

For each size it prints: `figures extract` over every file in one process (reading and extracting
alone, the floor); a full `figures run` into an empty warehouse and instance (goal: at most 0.75x the
extraction alone), with its CPU time (spread over every core, the least time the run could take) and
the time of each of its steps (from the run's event log, and what its process spent around the run),
how many cores its processes kept busy in each step and before and after them, with the core-seconds
left idle (where the run does not use every core), and the rest of the build but reading and
extracting, with what 0.75x would leave it; the
same run again with one article added, `--one-runs` times with a new article each time, and their
median (goal: at most 10 % of the full build, whatever the size; a run's start varies by about half a
second); then as many articles added one by one as the sensor and the daemon handle them, each a tick of
the sensor and the run it asks for, in a process of its own (benchmarks/sensor_run.py); and the peak
memory of each run, its worker processes included (goal: <= 1 GB at 10,000). `--before` times another
`figures` executable (an older checkout) on the same folder, for comparison: each measure times both
in turn, its extraction alone included, and each ratio is to the version's own extraction. `--builds`
times that many pairs of extraction alone and full build (the machine's speed moves by tens of percent
within an hour) and prints the median ratio. Articles come from benchmarks/corpus.py (seeded, so every
run sees the same folder).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / ".venv" / "bin" / "figures"
PYTHON = ROOT / ".venv" / "bin" / "python"
SENSOR_RUN = ROOT / "benchmarks" / "sensor_run.py"
ARTICLE_BYTES = 4_000


def news_article(rng: random.Random) -> str:
    """One article of about 4 KB: a generated article, lengthened with paragraphs of another."""
    lang = "fr" if rng.random() < 0.5 else "en"
    text = corpus.article(rng, lang, corpus.NEWS_SHARE)
    while len(text.encode("utf-8")) < ARTICLE_BYTES:
        more = corpus.article(rng, lang, corpus.NEWS_SHARE).split("\n\n")[2:]
        text += "\n\n" + "\n\n".join(more)
    return text


def add_article(folder: Path, n: int, k: int) -> Path:
    """The ``k``-th article added to a folder of ``n``, written into it; the first is the one earlier versions
    of this benchmark added (the same text for the same size)."""
    path = folder / ("article_zz_added.txt" if k == 0 else f"article_zz_added_{k}.txt")
    path.write_text(news_article(random.Random(n if k == 0 else n * 1_000 + k)), encoding="utf-8")
    return path


def write_folder(folder: Path, n: int, seed: int = 11) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        (folder / f"article_{i:06d}.txt").write_text(news_article(rng), encoding="utf-8")


def _tree(pid: int) -> tuple[int, dict[int, tuple[float, str]]]:
    """Resident memory of a process and all its descendants, in bytes, and {pid: (CPU seconds so far,
    command line)} of each of them."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            stats[int(entry)] = (int(fields[21]) * PAGE_BYTES, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
        except (OSError, IndexError, ValueError):
            continue
    total, cpu, stack = 0, {}, [pid]
    while stack:
        current = stack.pop()
        rss, seconds = stats.get(current, (0, 0.0))
        total += rss
        try:
            with open(f"/proc/{current}/cmdline", "rb") as handle:
                cpu[current] = (seconds, handle.read().decode(errors="replace"))
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total, cpu


PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# What each process of a run is, from its command line: the fork server's workers read and extract,
# spawned ones search for copies or reconcile.
KINDS = (("multiprocessing.forkserver", "the fork server and its workers (reading, extracting)"),
         ("multiprocessing.spawn", "spawned workers (copies, reconciling)"))


def _cpu_by_kind(root: int, seen: dict[int, tuple[float, str]]) -> dict[str, float]:
    """CPU seconds of the processes ``seen`` ({pid: (seconds, command line)}), by what they are."""
    kinds: dict[str, float] = {}
    for pid, (seconds, command) in seen.items():
        kind = "its own process" if pid == root else next((what for part, what in KINDS if part in command), "others")
        kinds[kind] = kinds.get(kind, 0.0) + seconds
    return kinds


class Timing(NamedTuple):
    seconds: float
    peak_mb: float
    code: int
    cpu: float  # CPU seconds of the process tree
    cpu_by_kind: dict[str, float]  # the same, by kind of process, as last sampled
    usage: list[tuple[float, float]]  # (wall-clock time, CPU seconds the tree has used so far), per sample


def timed(command: list[str], env: dict, log: Path) -> Timing:
    """Run ``command`` and sample its process tree every 0.1 s. The command runs in the log's folder: run
    from a checkout, the worker processes Python starts with the current folder first on their path would
    import that checkout's code, not the code of the version timed."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    usage = [(time.time(), 0.0)]
    with open(log, "w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent)
        peak = 0
        seen: dict[int, tuple[float, str]] = {}
        done = threading.Event()

        def sample():
            nonlocal peak
            while not done.is_set():
                rss, cpu = _tree(process.pid)
                peak = max(peak, rss)
                for pid, (seconds, command) in cpu.items():
                    # An ended process not yet reaped (a zombie) shows an empty command line: it is what it was.
                    seen[pid] = (seconds, command or seen.get(pid, (0.0, ""))[1])
                # An ended process keeps the CPU it was last seen with: the sum only grows.
                usage.append((time.time(), sum(seconds for seconds, _ in seen.values())))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
    usage.append((time.time(), sum(seconds for seconds, _ in seen.values())))
    return Timing(time.perf_counter() - started, peak / 1e6, code, _children_cpu() - cpu_before, _cpu_by_kind(process.pid, seen),
                  usage)


def _children_cpu() -> float:
    """User and system CPU seconds of the processes this one waited for, and of those they waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def last_run_steps(env: dict) -> tuple[float, list[tuple[str, float]]]:
    """(seconds from the start to the end of the instance's last run, [(step, seconds)] in the order they
    started), from the run's event log: where a build's time goes."""
    run_seconds, steps = last_run_step_times(env)
    return run_seconds, [(step, end - start) for step, start, end in steps]


def last_run_step_times(env: dict) -> tuple[float, list[tuple[str, float, float]]]:
    """As last_run_steps, each step with its (wall-clock) start and end times."""
    from unittest.mock import patch

    from dagster import DagsterInstance

    # The run's instance, with its environment: dagster.yaml reads the storage folder from it.
    with patch.dict(os.environ, {name: env[name] for name in ("DAGSTER_HOME", "FIGURES_DAGSTER_STORAGE")}):
        with DagsterInstance.get() as instance:
            run_id = instance.get_runs(limit=1)[0].run_id
            run = instance.get_run_stats(run_id)
            steps = sorted(instance.get_run_step_stats(run_id), key=lambda step: step.start_time or 0)
    return (run.end_time - run.start_time,
            [(step.step_key.rsplit(".", 1)[-1], step.start_time, step.end_time) for step in steps if step.end_time])


def core_use(usage: list[tuple[float, float]], steps: list[tuple[str, float, float]], cores: int) -> list[tuple[str, float, float]]:
    """[(phase, seconds, cores kept busy on average)] of a run sampled as ``usage`` (see Timing): before its
    first step, each step, between the steps (Dagster's own work, summed), after the last one."""
    def cpu_at(moment: float) -> float:  # linear between the samples around it
        after = next((i for i, (when, _) in enumerate(usage) if when >= moment), len(usage) - 1)
        (t0, c0), (t1, c1) = usage[max(after - 1, 0)], usage[after]
        return c1 if t1 <= t0 else c0 + (c1 - c0) * min(max((moment - t0) / (t1 - t0), 0.0), 1.0)

    windows = [("start", usage[0][0], steps[0][1])] if steps else []
    between = []
    for k, (step, start, end) in enumerate(steps):
        windows.append((step, start, end))
        if k + 1 < len(steps) and steps[k + 1][1] > end:
            between.append((end, steps[k + 1][1]))
    if steps:
        windows.append(("end", steps[-1][2], usage[-1][0]))
    phases = [(name, end - start, (cpu_at(end) - cpu_at(start))) for name, start, end in windows]
    if between:
        phases.insert(-1, ("between steps", sum(b - a for a, b in between), sum(cpu_at(b) - cpu_at(a) for a, b in between)))
    return [(name, seconds, min(cpu / seconds, cores) if seconds > 0 else 0.0) for name, seconds, cpu in phases]


def print_core_use(name: str, phases: list[tuple[str, float, float]], cores: int) -> None:
    """Where a run leaves cores idle: each phase's cores kept busy (``core_use``), and the core-seconds
    each left idle, largest first."""
    idle = {phase: (cores - busy) * seconds for phase, seconds, busy in phases}
    print(f"  [{name}]   cores kept busy (of {cores}): " + ", ".join(f"{phase} {busy:.1f}" for phase, _, busy in phases))
    print(f"  [{name}]   core-seconds idle {sum(idle.values()):5.1f}: " + ", ".join(
        f"{phase} {seconds:.1f}" for phase, seconds in sorted(idle.items(), key=lambda item: -item[1]) if seconds >= 0.05))


def print_steps(name: str, env: dict, seconds: float, what: str = "its steps") -> list[tuple[str, float, float]]:
    """The last run's steps, and the time its process spent around the run (starting, planning, the
    summary); returns the steps as ``last_run_step_times`` gives them."""
    run_seconds, steps = last_run_step_times(env)
    print(f"  [{name}]   {what}: " + ", ".join(f"{step} {end - start:.1f}" for step, start, end in steps)
          + f" s; its process around the run {seconds - run_seconds:.1f} s")
    return steps


def run_env(base: Path, name: str, folder: Path) -> dict:
    home = base / f"{name}-home"
    (home / "storage").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home), "FIGURES_DAGSTER_STORAGE": str(home / "storage"),
            "FIGURES_WAREHOUSE": str(base / f"{name}.duckdb"), "FIGURES_SOURCES_DIR": str(folder)}


def measure(n: int, base: Path, before: Path | None, one_runs: int = 3, builds: int = 1) -> None:
    folder = base / f"articles-{n}"
    write_folder(folder, n)
    size = sum(p.stat().st_size for p in folder.iterdir()) / n
    print(f"\n{n:,} articles, {size / 1000:.1f} KB on average")
    files = sorted(str(p) for p in folder.iterdir())
    cores = os.cpu_count() or 1
    # Each measure times every version in turn before the next: the machine's speed drifts by several
    # percent within an hour, and timing one version whole, then the other, put the drift between them.
    # For the same reason a full build is divided by the extraction timed just before it, and with
    # ``builds`` pairs the median of those ratios is the figure. Which version goes first alternates.
    versions = {"after": FIGURES, **({"before": before} if before else {})}
    envs = {}
    extract: dict[str, list[float]] = {name: [] for name in versions}
    full: dict[str, list[float]] = {name: [] for name in versions}
    for build in range(builds):
        for name, figures in in_turn(versions, build):
            alone, extract_mb, *_ = timed([str(figures), "extract", *files], os.environ.copy(), base / f"{name}-extract.log")
            extract[name].append(alone)
            print(f"  [{name}] figures extract, one process  {alone:7.1f} s   peak {extract_mb:6.0f} MB")
            envs[name] = fresh_run_env(base, f"{name}-{n}", folder)
            took, full_mb, code, full_cpu, cpu_by_kind, usage = timed([str(figures), "run"], envs[name], base / f"{name}-full.log")
            full[name].append(took)
            status = "" if code == 0 else f"  FAILED, see {base / f'{name}-full.log'}"
            print(f"  [{name}] figures run, full build      {took:7.1f} s   peak {full_mb:6.0f} MB   "
                  f"{took / alone:.2f}x extraction alone (goal <= 0.75){status}")
            # However well a run spreads its work, it cannot take less than its CPU time over the cores.
            print(f"  [{name}]   its CPU time                {full_cpu:7.1f} s   at best {full_cpu / cores / alone:.2f}x "
                  f"extraction alone on {cores} cores")
            # Which processes use it: the workers' share is extraction's, the rest is what the ratio pays for.
            print(f"  [{name}]   of it, sampled every 0.1 s: " + ", ".join(
                f"{kind} {seconds:.1f} s" for kind, seconds in sorted(cpu_by_kind.items(), key=lambda item: -item[1])))
            if code == 0:
                steps = print_steps(name, envs[name], took)
                print_core_use(name, core_use(usage, steps, cores), cores)
                # What the ratio depends on: the build but its reading and extracting (the start, the steps after),
                # one step now, two in versions before it.
                spread = sum(end - start for step, start, end in steps if step in ("read_and_extract", "read_sources", "extract_claims"))
                print(f"  [{name}]   the rest of the build         {took - spread:7.1f} s   "
                      f"(0.75x leaves it {0.75 * alone - spread:.1f} s)")
    if builds > 1:
        for name in versions:
            ratios = [took / alone for took, alone in zip(full[name], extract[name])]
            print(f"  [{name}] median of {builds} builds: extraction alone {statistics.median(extract[name]):.1f} s, "
                  f"full build {statistics.median(full[name]):.1f} s, {statistics.median(ratios):.2f}x (goal <= 0.75); "
                  f"each: " + ", ".join(f"{ratio:.2f}" for ratio in ratios))
    typical = {name: statistics.median(times) for name, times in full.items()}
    # One new article per run, several runs: a run's start varies by half a second, a tenth of it.
    commands = {name: [str(figures), "run"] for name, figures in versions.items()}
    added = one_by_one(folder, n, range(one_runs), commands, envs, base, "one", "figures run, one article added", typical)
    # The sensor's helper comes with this checkout.
    cursor = base / f"after-{n}.cursor"
    subprocess.run([str(PYTHON), str(SENSOR_RUN), str(cursor), "--seen"], env=envs["after"], check=True)
    # The tick comes right after the article is written: timed is the work, not the wait for it to settle.
    settled = {name: {**env, "FIGURES_SETTLE_SECONDS": "0"} for name, env in envs.items()}
    added += one_by_one(folder, n, range(one_runs, 2 * one_runs), {"after": [str(PYTHON), str(SENSOR_RUN), str(cursor)]},
                        settled, base, "sensor", "sensor tick and its run, one article", typical)
    for extra in added:
        extra.unlink()


def in_turn(versions: dict, turn: int) -> list:
    """The (name, value) items of ``versions``, in their order at even turns, reversed at odd ones: no
    version is always timed in another's wake (its files in the cache, the machine's speed drifting),
    where the differences measured are tenths of a second."""
    items = list(versions.items())
    return items if turn % 2 == 0 else items[::-1]


def fresh_run_env(base: Path, name: str, folder: Path) -> dict:
    """run_env, with the warehouse and the instance of an earlier build of that name removed first."""
    shutil.rmtree(base / f"{name}-home", ignore_errors=True)
    for leftover in base.glob(f"{name}.*duckdb*"):
        leftover.unlink()
    return run_env(base, name, folder)


def one_by_one(folder: Path, n: int, articles: range, commands: dict[str, list[str]], envs: dict[str, dict], base: Path,
               log: str, what: str, full: dict[str, float], steps: bool = True) -> list[Path]:
    """Add each of ``articles`` to the folder and run each version's command after each (in turn, so that
    they see the same folder at about the same time); print each version's median time, as a share of
    its full build. Returns the files added."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    failed, added = set(), []
    for k in articles:
        added.append(add_article(folder, n, k))
        for name, command in in_turn(commands, k):
            one, one_mb, code, *_ = timed(command, envs[name], base / f"{name}-{log}-{k}.log")
            times[name].append(one)
            peaks[name].append(one_mb)
            if code != 0:
                failed.add(name)
    for name in commands:
        one, status = statistics.median(times[name]), "  FAILED" if name in failed else ""
        print(f"  [{name}] {what:<31} {one:5.1f} s   peak {max(peaks[name]):6.0f} MB   "
              f"{100 * one / full[name]:.1f} % of the full build (goal <= 10 %){status}")
        if len(times[name]) > 1:
            print(f"  [{name}]   median of {len(times[name])} runs, each adding an article: "
                  + ", ".join(f"{t:.1f}" for t in times[name]) + " s")
        if steps and name not in failed:
            print_steps(name, envs[name], times[name][-1], "the last one's steps")
    return added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--before", type=Path, help="another `figures` executable to time on the same folders")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (logs, warehouses)")
    parser.add_argument("--one-runs", type=int, default=3, help="runs that each add one article (their median is shown)")
    parser.add_argument("--builds", type=int, default=1,
                        help="full builds, each after its own extraction alone (the median ratio is shown)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            measure(n, args.keep, args.before, args.one_runs, args.builds)
        return 0
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            measure(n, Path(tmp), args.before, args.one_runs, args.builds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
