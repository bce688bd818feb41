"""The `figures` command: build the warehouse, debug one article's extraction, query the warehouse."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import settings

CLAIM_FIELDS = ["document", "entity", "metric", "period", "value", "unit", "kind", "qualifier", "start", "end", "quote"]
EXTRA_FIELDS = ["scope", "surface", "context", "notes"]


# From this size of the local run history, `figures run` mentions `figures prune-runs`.
HISTORY_HINT_BYTES = 1_000_000_000


def _number(value: float):
    return int(value) if float(value).is_integer() else value


@click.group()
def main() -> None:
    """Figures warehouse: extracts the business figures stated in articles into a DuckDB warehouse."""


@main.command()
@click.option("--rebuild", is_flag=True, help="Read every file again and reconcile every fact again.")
def run(rebuild: bool) -> None:
    """Build the warehouse from sources/ through the Dagster definitions and print a summary.

    Only files whose content the warehouse does not hold yet are read and extracted, and only the facts
    their figures touch are reconciled again."""
    settings.ensure_dagster_home()
    from dagster import DagsterInstance

    from .definitions import build_definitions
    from .defs.io_managers import RunScopedIOManager, remove_run_storage
    from .defs.resources import ProgressResource, default_resources
    from .documents.source_files import SourcesUnavailable
    from .runner import execute_build

    resources = default_resources()  # reads FIGURES_WAREHOUSE, FIGURES_SOURCES_DIR and the limits now
    resources["progress"] = ProgressResource(show=True, live=sys.stdout.isatty())
    # Its steps hand their results over in this process: the run's folder goes when it ends (below).
    resources["io_manager"] = RunScopedIOManager(base_dir=str(settings.dagster_storage()), in_memory=True)
    defs = build_definitions(resources)
    with DagsterInstance.get() as instance:
        try:
            result = execute_build(defs, instance, settings.sources_dir(), rebuild=rebuild,
                                   say=lambda m: click.echo(m, err=True))
        except KeyboardInterrupt:
            click.echo("run stopped; the warehouse keeps its last complete load", err=True)
            sys.exit(130)
        except SourcesUnavailable as unavailable:
            raise click.ClickException(str(unavailable)) from None
    remove_run_storage(settings.dagster_storage(), result.run_id)
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        if _interrupted(result):  # SIGTERM or Ctrl-C inside a step, which Dagster turns into its failure
            click.echo(f"run {result.run_id} stopped at {', '.join(failed)}; the warehouse keeps its last complete load", err=True)
            sys.exit(130)
        for step, reason in _failure_reasons(result):  # after the tracebacks, the lines a user reads
            click.echo(f"{step}: {reason}", err=True)
        click.echo(f"run {result.run_id} failed at {', '.join(failed) or 'an asset check'}; the warehouse keeps its "
                   f"last complete load; see `make ui`", err=True)
        sys.exit(1)
    with settings.warehouse().reader() as con:
        docs = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        (claims,) = con.execute("SELECT count(*) FROM claims").fetchone()
        (quarantined,) = con.execute("SELECT count(*) FROM quarantined_claims").fetchone()
        statuses = dict(con.execute("SELECT status, count(*) FROM facts GROUP BY status").fetchall())
        (conflicts,) = con.execute("SELECT count(*) FROM conflicts").fetchone()
        rejected = con.execute("SELECT path, error FROM documents WHERE status = 'rejected' ORDER BY path").fetchall()
    click.echo(f"run {result.run_id} succeeded; warehouse {settings.warehouse().name}")
    click.echo(f"documents  loaded {docs.get('loaded', 0)}, rejected {docs.get('rejected', 0)}")
    for path, error in rejected:
        click.echo(f"           rejected {path}: {error}")
    click.echo(f"claims     extracted {claims + quarantined}, valid {claims}, quarantined {quarantined}")
    detail = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    click.echo(f"facts      {sum(statuses.values())} ({detail})")
    click.echo(f"conflicts  {conflicts}")
    history = _run_history()
    if (size := _folder_bytes(history)) > HISTORY_HINT_BYTES:
        click.echo(f"run history {size / 1e9:.1f} GB in {history}: `figures prune-runs` deletes the runs later runs superseded")


def _failure_reasons(result, longest: int = 400) -> list[tuple[str, str]]:
    """(step, what its code raised) for each failed step, on one line: the error under Dagster's own
    wrapper ("Error occurred while executing op ...") is the one that says what went wrong."""
    reasons = []
    for event in result.all_events:
        error = event.step_failure_data.error if event.is_step_failure else None
        if error is None:
            continue
        if error.cls_name == "DagsterExecutionStepExecutionError" and error.cause is not None:
            error = error.cause
        reason = " ".join(error.message.split())
        reasons.append((event.step_key, reason if len(reason) <= longest else reason[:longest - 1] + "\u2026"))
    return reasons


def _interrupted(result) -> bool:
    return any(event.is_step_failure and event.step_failure_data.error is not None
               and event.step_failure_data.error.cls_name == "DagsterExecutionInterruptedError" for event in result.all_events)


def _read(path: Path):
    from .documents import UnreadableDocument, read_document

    try:
        return read_document(path, path.parent)
    except (UnreadableDocument, OSError) as error:
        click.echo(f"{path}: rejected: {error}", err=True)
        return None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--all-fields", is_flag=True, help="Also print scope, surface, context and notes.")
def extract(paths: tuple[Path, ...], all_fields: bool) -> None:
    """Print the figures found in articles as JSON lines, without touching the warehouse."""
    from .extraction import extract_claims

    failed = False
    for path in paths:
        doc = _read(path)
        if doc is None:
            failed = True
            continue
        for claim in extract_claims(doc.text, doc.language or "en", document=str(path), published=doc.published):
            record = claim.as_dict()
            record["value"] = _number(record["value"])
            fields = CLAIM_FIELDS + (EXTRA_FIELDS if all_fields else [])
            click.echo(json.dumps({k: record[k] for k in fields}, ensure_ascii=False))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--language", type=click.Choice(["fr", "en"]), help="Language of the text (detected when omitted).")
def quantities(paths: tuple[str, ...], language: str | None) -> None:
    """Print every quantity (number, unit, span) in articles, or in standard input with '-', as JSON lines."""
    from .documents.language import detect_language
    from .extraction import extract_quantities

    failed = False
    for name in paths:
        if name == "-":
            text, detected = sys.stdin.read(), None
        else:
            doc = _read(Path(name))
            if doc is None:
                failed = True
                continue
            text, detected = doc.text, doc.language
        lang = language or detected or detect_language(text) or "en"
        for q in extract_quantities(text, lang):
            click.echo(json.dumps({
                "document": name, "text": q.text, "start": q.start, "end": q.end, "value": _number(q.value),
                "unit": q.unit, "qualifier": q.qualifier, "upper": q.upper,
            }, ensure_ascii=False))
    sys.exit(1 if failed else 0)


@main.command("prune-runs")
@click.option("--older-than", "days", default=30, show_default=True, type=click.IntRange(min=0), metavar="DAYS",
              help="Consider only the runs created more than this many days ago.")
@click.option("--dry-run", is_flag=True, help="List the runs that would go; delete nothing.")
def prune_runs(days: int, dry_run: bool) -> None:
    """Delete old runs that later runs have superseded, with their events and logs.

    A run stays while it holds the latest materialization of a table or of a file's partition, or the
    latest result of a check: what the UI shows stays the same. Runs not finished are never touched."""
    settings.ensure_dagster_home()
    from dagster import DagsterInstance

    from .defs.history import prune_this_project

    history = _run_history()
    before = _folder_bytes(history)
    with DagsterInstance.get() as instance:
        pruned = prune_this_project(instance, days, dry_run=dry_run)
    for run_id in pruned.deleted:
        click.echo(f"{'would delete' if dry_run else 'deleted'} run {run_id}")
    click.echo(f"{len(pruned.deleted)} run(s) {'to delete' if dry_run else 'deleted'}; {pruned.kept} older than {days} day(s) "
               "kept: they hold the latest materialization of a table or file, or a check's latest result")
    if pruned.deleted and not dry_run and before:
        click.echo(f"local run history {before / 1e6:.1f} MB -> {_folder_bytes(history) / 1e6:.1f} MB")
    if pruned.not_compacted:
        click.echo(f"the event log index was not compacted ({pruned.not_compacted}); later runs reuse its free space", err=True)


def _run_history() -> Path:
    """Where the local instance keeps its runs and event logs (dagster.yaml)."""
    return settings.dagster_storage() / "history"


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


@main.command()
@click.argument("sql")
@click.option("--max-rows", default=200, show_default=True, help="Rows to print at most.")
def query(sql: str, max_rows: int) -> None:
    """Run SQL on the published snapshot of the warehouse, read-only, and print a table."""
    import duckdb

    warehouse = settings.warehouse()
    if not warehouse.exists():
        raise click.ClickException(f"no warehouse at {warehouse.name}: run `figures run` first")
    with warehouse.reader() as con:
        try:
            relation = con.sql(sql)
        except duckdb.Error as error:
            raise click.ClickException(str(error)) from error
        if relation is None:
            return
        relation.show(max_rows=max_rows, max_width=10_000)


@main.command()
@click.option("--output", "-o", default="warehouse/report.html", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the HTML file.")
@click.option("--metric", default="deliveries", show_default=True, help="Metric charted over quarters per company.")
def report(output: str, metric: str) -> None:
    """Write a self-contained HTML report: facts per company, a chart, conflicts and warnings."""
    from .report import write_report

    warehouse = settings.warehouse()
    if not warehouse.exists():
        raise click.ClickException(f"no warehouse at {warehouse.name}: run `figures run` first")
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with warehouse.reader() as con:
        size = write_report(con, output, metric)
    click.echo(f"report written to {output} ({size:,} bytes)")


if __name__ == "__main__":
    main()
